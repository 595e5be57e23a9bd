/* ranking.c: judges' totals aggregated, ranked, and the award rules */
#include <math.h>
#include <string.h>
#include "ranking.h"
#include "../util/banned.h"

const char *dom_rank_method_name(enum dom_rank_method m)
{
	switch (m) {
	case DOM_RANK_MEAN:
		return "mean";
	case DOM_RANK_TRIMMED_MEAN:
		return "trimmed_mean";
	default:
		return NULL;
	}
}

double dom_rank_mean(const double *v, size_t n)
{
	double sum = 0;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	return sum / (double)n;
}

double dom_rank_aggregate(const double *totals, size_t n,
			  enum dom_rank_method *method)
{
	double sum = 0, lo, hi;

	if (!n) {
		*method = DOM_RANK_NONE;
		return 0;
	}
	if (n < DOM_TRIM_MIN) {
		*method = DOM_RANK_MEAN;
		return dom_rank_mean(totals, n);
	}
	/* Dropping one copy of the extremes: equal values count once each. */
	lo = hi = totals[0];
	for (size_t i = 0; i < n; i++) {
		sum += totals[i];
		if (totals[i] < lo)
			lo = totals[i];
		if (totals[i] > hi)
			hi = totals[i];
	}
	*method = DOM_RANK_TRIMMED_MEAN;
	return (sum - lo - hi) / (double)(n - 2);
}

/* The k-th smallest (0-based) of n values, without reordering them. */
static double kth(const double *v, size_t n, size_t k)
{
	for (size_t i = 0; i < n; i++) {
		size_t less = 0, same = 0;
		for (size_t j = 0; j < n; j++) {
			if (v[j] < v[i])
				less++;
			else if (v[j] == v[i])
				same++;
		}
		if (less <= k && k < less + same)
			return v[i];
	}
	return v[0]; /* not reached for finite values */
}

double dom_rank_median(const double *v, size_t n)
{
	if (!n)
		return 0;
	if (n % 2)
		return kth(v, n, n / 2);
	return (kth(v, n, n / 2 - 1) + kth(v, n, n / 2)) / 2;
}

void dom_rank_spread(const double *totals, size_t n, struct dom_spread *s)
{
	double mean, var = 0;

	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	s->min = s->max = totals[0];
	for (size_t i = 1; i < n; i++) {
		if (totals[i] < s->min)
			s->min = totals[i];
		if (totals[i] > s->max)
			s->max = totals[i];
	}
	s->range = s->max - s->min;
	mean = dom_rank_mean(totals, n);
	for (size_t i = 0; i < n; i++)
		var += (totals[i] - mean) * (totals[i] - mean);
	s->stddev = sqrt(var / (double)n);
}

bool dom_rank_outlier(double total, double median, size_t n)
{
	return n >= 3 && fabs(total - median) > DOM_OUTLIER_POINTS + 1e-9;
}

/* Descending by value: < 0 when a is the larger (by more than epsilon). */
static int desc(double a, double b)
{
	if (a > b + DOM_RANK_EPSILON)
		return -1;
	if (b > a + DOM_RANK_EPSILON)
		return 1;
	return 0;
}

int dom_rank_cmp(const struct dom_rank_key *a, const struct dom_rank_key *b)
{
	size_t n;
	int c;

	if (a->ranked != b->ranked)
		return a->ranked ? -1 : 1;
	if (a->ranked) {
		if ((c = desc(a->aggregate, b->aggregate)) ||
		    (c = desc(a->mean, b->mean)))
			return c;
		n = a->n_criteria < b->n_criteria ? a->n_criteria
						  : b->n_criteria;
		for (size_t i = 0; i < n; i++)
			if ((c = desc(a->criteria[i], b->criteria[i])))
				return c;
	}
	if (a->first_submitted_at != b->first_submitted_at) {
		/* Never submitted (0) sorts after every real time. */
		if (!a->first_submitted_at)
			return 1;
		if (!b->first_submitted_at)
			return -1;
		return a->first_submitted_at < b->first_submitted_at ? -1 : 1;
	}
	if (a->application_id != b->application_id)
		return a->application_id < b->application_id ? -1 : 1;
	return 0;
}

size_t dom_top20_count(size_t n)
{
	return (n + 4) / 5;
}

struct dom_quota dom_quota_suggest(size_t n)
{
	struct dom_quota q;
	int total = n / 2 > 8 ? 8 : (int)(n / 2);

	q.first = total < 1 ? total : 1;
	q.second = total - q.first < 2 ? total - q.first : 2;
	q.third = total - q.first - q.second;
	return q;
}

static const char *const level_names[] = { NULL, "first", "second", "third" };
static const char *const level_labels[] = { NULL, "一等奖", "二等奖",
					    "三等奖" };

int dom_award_level_parse(const char *s, enum dom_award_level *out)
{
	for (int i = DOM_LEVEL_FIRST; i <= DOM_LEVEL_THIRD; i++)
		if (s && !strcmp(s, level_names[i])) {
			*out = (enum dom_award_level)i;
			return 0;
		}
	return -1;
}

const char *dom_award_level_name(enum dom_award_level l)
{
	return l >= DOM_LEVEL_FIRST && l <= DOM_LEVEL_THIRD ? level_names[l]
							    : NULL;
}

const char *dom_award_level_label(enum dom_award_level l)
{
	return l >= DOM_LEVEL_FIRST && l <= DOM_LEVEL_THIRD ? level_labels[l]
							    : NULL;
}

int dom_quota_places(const struct dom_quota *q, enum dom_award_level l)
{
	switch (l) {
	case DOM_LEVEL_FIRST:
		return q->first;
	case DOM_LEVEL_SECOND:
		return q->second;
	case DOM_LEVEL_THIRD:
		return q->third;
	default:
		return 0;
	}
}

static const struct {
	const char *code, *label;
} specials[DOM_SPECIAL_COUNT] = {
	{ "most_valuable", "最具价值奖" },
	{ "practice", "应用实践奖" },
	{ "potential", "发展潜力奖" },
	{ "innovation", "科技创新奖" },
};

const char *dom_special_code(unsigned i)
{
	return i < DOM_SPECIAL_COUNT ? specials[i].code : NULL;
}

const char *dom_special_label(unsigned i)
{
	return i < DOM_SPECIAL_COUNT ? specials[i].label : NULL;
}

int dom_special_find(const char *code)
{
	for (unsigned i = 0; code && i < DOM_SPECIAL_COUNT; i++)
		if (!strcmp(code, specials[i].code))
			return (int)i;
	return -1;
}

enum dom_award_verdict dom_award_check(const struct dom_quota *quota,
				       enum dom_award_level level, int taken,
				       size_t n_specials, bool top20)
{
	if (n_specials && !top20)
		return DOM_AWARD_NOT_TOP20;
	if (level != DOM_LEVEL_NONE && taken >= dom_quota_places(quota, level))
		return DOM_AWARD_QUOTA_FULL;
	return DOM_AWARD_OK;
}
