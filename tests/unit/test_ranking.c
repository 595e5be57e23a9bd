/* test_ranking.c: aggregation, spread, outliers, tie-break, quotas, awards */
#include <math.h>
#include <stdlib.h>
#include <jansson.h>
#include "harness.h"
#include "../../src/domain/ranking.h"
#include "../../src/domain/rubric.h"
#include "../../src/util/banned.h"

#define near(got, want, name)                                                  \
	ok(fabs((got) - (want)) < 1e-6, "%s: got %.6f, want %.6f", name,       \
	   (double)(got), (double)(want))

static void aggregates(void)
{
	enum dom_rank_method m;
	double five[] = { 80, 70, 90, 60, 85 };
	double six[] = { 50, 50, 70, 80, 90, 100 };
	double two[] = { 80, 90 };
	double three[] = { 70, 80, 93 };
	double four[] = { 60, 70, 80, 95 };
	double same[] = { 75, 75, 75, 75, 75 };

	/* 385 − 90 − 60 = 235 over 3 */
	near(dom_rank_aggregate(five, 5, &m), 235.0 / 3, "trimmed mean of 5");
	is_int(m, DOM_RANK_TRIMMED_MEAN, "5 scores: trimmed");
	is_str(dom_rank_method_name(m), "trimmed_mean", "method name");
	/* one of the two 50s and the 100 dropped: 290 / 4 */
	near(dom_rank_aggregate(six, 6, &m), 72.5, "trimmed mean of 6");
	is_int(m, DOM_RANK_TRIMMED_MEAN, "6 scores: trimmed");
	near(dom_rank_aggregate(same, 5, &m), 75, "all equal");
	near(dom_rank_aggregate(two, 2, &m), 85, "mean of 2");
	is_int(m, DOM_RANK_MEAN, "2 scores: mean");
	is_str(dom_rank_method_name(m), "mean", "method name mean");
	near(dom_rank_aggregate(three, 3, &m), 81, "mean of 3");
	near(dom_rank_aggregate(four, 4, &m), 76.25, "mean of 4");
	is_int(m, DOM_RANK_MEAN, "4 scores: mean, nothing dropped");
	near(dom_rank_aggregate(two, 1, &m), 80, "mean of 1");
	near(dom_rank_aggregate(NULL, 0, &m), 0, "none");
	is_int(m, DOM_RANK_NONE, "0 scores: unranked");
	ok(dom_rank_method_name(m) == NULL, "no method name when unranked");
	near(dom_rank_mean(six, 6), 440.0 / 6, "plain mean of 6");
}

static void spread_and_outliers(void)
{
	double five[] = { 80, 70, 90, 60, 85 };
	double odd[] = { 80, 82, 50 };
	double even[] = { 90, 60, 70, 80 };
	double edge[] = { 60, 75, 80 };
	struct dom_spread s;

	dom_rank_spread(five, 5, &s);
	near(s.min, 60, "min");
	near(s.max, 90, "max");
	near(s.range, 30, "range");
	/* mean 77; squared deviations 9+49+169+289+64 = 580; 580/5 = 116 */
	near(s.stddev, sqrt(116.0), "population stddev");
	dom_rank_spread(odd, 1, &s);
	near(s.stddev, 0, "one total: no spread");
	near(s.range, 0, "one total: range 0");

	near(dom_rank_median(odd, 3), 80, "median of 3");
	near(dom_rank_median(even, 4), 75, "median of 4");
	near(even[0], 90, "median leaves the values in place");
	ok(dom_rank_outlier(50, 80, 3), "30 below the median: outlier");
	ok(!dom_rank_outlier(82, 80, 3), "2 above: not an outlier");
	ok(!dom_rank_outlier(60, 75, 3), "exactly 15 away: not an outlier");
	ok(dom_rank_outlier(90.1, 75, 3), "15.1 away: outlier");
	ok(!dom_rank_outlier(50, 90, 2), "two totals: no outliers");
	(void)edge;
}

static void weighted_totals(void)
{
	json_t *crit = rubric_default_criteria();
	json_t *scores = json_pack("{s:f, s:f, s:f, s:f, s:f}", "data_value",
				   8.0, "tech_innovation", 7.0, "governance",
				   9.0, "effect", 6.0, "business", 10.0);
	json_t *half = json_pack("{s:f, s:f, s:f, s:f, s:f}", "data_value", 7.5,
				 "tech_innovation", 5.5, "governance", 0.0,
				 "effect", 10.0, "business", 3.2);

	ok(crit && scores && half, "fixtures");
	/* 25×0.8 + 20×0.7 + 15×0.9 + 20×0.6 + 20×1.0 = 20+14+13.5+12+20 */
	near(rubric_total(crit, scores), 79.5, "weighted total");
	/* 18.75 + 11 + 0 + 20 + 6.4 */
	near(rubric_total(crit, half), 56.15, "weighted total with decimals");
	near(rubric_points(json_array_get(crit, 2), scores), 13.5,
	     "points of one criterion");
	json_object_del(scores, "effect");
	ok(rubric_total(crit, scores) < 0, "a missing score: no total");
	json_decref(crit);
	json_decref(scores);
	json_decref(half);
}

static struct dom_rank_key key(double agg, double mean, const double *c,
			       int64_t first, int64_t id)
{
	return (struct dom_rank_key){ .ranked = true,
				      .aggregate = agg,
				      .mean = mean,
				      .criteria = c,
				      .n_criteria = 3,
				      .first_submitted_at = first,
				      .application_id = id };
}

static void tie_break(void)
{
	double c1[] = { 20, 14, 13.5 }, c2[] = { 20, 15, 12.5 };
	struct dom_rank_key a, b;

	a = key(80, 80, c1, 100, 2);
	b = key(79, 90, c2, 50, 1);
	ok(dom_rank_cmp(&a, &b) < 0, "1. higher aggregate first");
	ok(dom_rank_cmp(&b, &a) > 0, "1. symmetric");

	a = key(80, 81, c1, 100, 2);
	b = key(80, 80, c2, 50, 1);
	ok(dom_rank_cmp(&a, &b) < 0, "2. equal aggregate: higher mean first");

	a = key(80, 80, c1, 50, 1);
	b = key(80, 80, c2, 100, 2);
	ok(dom_rank_cmp(&b, &a) < 0,
	   "3. equal means: the second criterion decides");
	c2[1] = 14;
	ok(dom_rank_cmp(&a, &b) < 0,
	   "3. equal first two criteria: the third decides");
	c2[2] = 13.5;

	a = key(80, 80, c1, 100, 1);
	b = key(80, 80, c2, 50, 2);
	ok(dom_rank_cmp(&b, &a) < 0, "4. all scores equal: earlier submission");
	a.first_submitted_at = 0;
	ok(dom_rank_cmp(&b, &a) < 0, "4. never submitted sorts last");

	a = key(80, 80, c1, 100, 7);
	b = key(80, 80, c2, 100, 3);
	ok(dom_rank_cmp(&b, &a) < 0, "5. everything equal: smaller id");
	ok(dom_rank_cmp(&a, &a) == 0, "same application");

	/* 0.1 + 0.2 is not 0.3 in binary: still a tie on the aggregate */
	a = key(0.1 + 0.2, 80, c1, 100, 2);
	b = key(0.3, 80, c2, 100, 1);
	ok(dom_rank_cmp(&b, &a) < 0, "rounding noise is a tie");

	a = key(10, 10, c1, 100, 1);
	b = key(0, 0, NULL, 50, 2);
	b.ranked = false;
	b.n_criteria = 0;
	ok(dom_rank_cmp(&a, &b) < 0, "ranked before unranked");
}

static void quotas(void)
{
	static const struct {
		size_t n;
		int first, second, third;
	} cases[] = {
		{ 0, 0, 0, 0 },	 { 1, 0, 0, 0 },   { 3, 1, 0, 0 },
		{ 4, 1, 1, 0 },	 { 7, 1, 2, 0 },   { 16, 1, 2, 5 },
		{ 20, 1, 2, 5 }, { 100, 1, 2, 5 }, { 10, 1, 2, 2 },
	};
	struct dom_quota d = DOM_QUOTA_DEFAULT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dom_quota q = dom_quota_suggest(cases[i].n);
		ok(q.first == cases[i].first && q.second == cases[i].second &&
			   q.third == cases[i].third,
		   "suggestion for %zu: got %d/%d/%d, want %d/%d/%d",
		   cases[i].n, q.first, q.second, q.third, cases[i].first,
		   cases[i].second, cases[i].third);
	}
	ok(d.first == 1 && d.second == 2 && d.third == 5, "default 1/2/5");
}

static void top20(void)
{
	is_int(dom_top20_count(0), 0, "top 20% of 0");
	is_int(dom_top20_count(1), 1, "top 20% of 1");
	is_int(dom_top20_count(4), 1, "top 20% of 4");
	is_int(dom_top20_count(5), 1, "top 20% of 5");
	is_int(dom_top20_count(6), 2, "top 20% of 6");
	is_int(dom_top20_count(11), 3, "top 20% of 11");
	is_int(dom_top20_count(20), 4, "top 20% of 20");
}

static void awards(void)
{
	struct dom_quota q = { 1, 2, 0 };
	enum dom_award_level l;

	ok(dom_award_level_parse("second", &l) == 0 && l == DOM_LEVEL_SECOND,
	   "parse second");
	ok(dom_award_level_parse("fourth", &l) < 0, "unknown level");
	ok(dom_award_level_parse(NULL, &l) < 0, "no level");
	is_str(dom_award_level_label(DOM_LEVEL_FIRST), "一等奖", "label");
	is_str(dom_award_level_name(DOM_LEVEL_THIRD), "third", "name");
	ok(!dom_award_level_name(DOM_LEVEL_NONE), "none has no name");
	is_int(dom_special_find("innovation"), 3, "special index");
	is_int(dom_special_find("best"), -1, "unknown special");
	is_str(dom_special_label(0), "最具价值奖", "special label");
	is_str(dom_special_code(1), "practice", "special code");

	is_int(dom_award_check(&q, DOM_LEVEL_FIRST, 0, 0, false), DOM_AWARD_OK,
	       "the one first place is free");
	is_int(dom_award_check(&q, DOM_LEVEL_FIRST, 1, 0, true),
	       DOM_AWARD_QUOTA_FULL, "first place taken");
	is_int(dom_award_check(&q, DOM_LEVEL_SECOND, 1, 0, false), DOM_AWARD_OK,
	       "one of two second places left");
	is_int(dom_award_check(&q, DOM_LEVEL_THIRD, 0, 0, false),
	       DOM_AWARD_QUOTA_FULL, "no third places at all");
	is_int(dom_award_check(&q, DOM_LEVEL_NONE, 9, 2, true), DOM_AWARD_OK,
	       "specials only, in the top 20%");
	is_int(dom_award_check(&q, DOM_LEVEL_NONE, 0, 1, false),
	       DOM_AWARD_NOT_TOP20, "a special outside the top 20%");
	is_int(dom_award_check(&q, DOM_LEVEL_FIRST, 1, 1, false),
	       DOM_AWARD_NOT_TOP20, "the specials rule is checked first");
}

int main(void)
{
	aggregates();
	spread_and_outliers();
	weighted_totals();
	tie_break();
	quotas();
	top20();
	awards();
	return done_testing("ranking");
}
