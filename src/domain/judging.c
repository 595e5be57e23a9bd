/* judging.c: conflicts of interest and the assignment of judges to projects */
#include <math.h>
#include <string.h>
#include "judging.h"
#include "ident.h"
#include "../util/banned.h"

/*
 * Names are compared as typed, less the spaces around them (ASCII and the
 * ideographic U+3000 that Chinese input methods produce).
 */
static void trimmed(const char *s, const char **p, size_t *n)
{
	const char *e;

	if (!s)
		s = "";
	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (!strncmp(s, "\xE3\x80\x80", 3))
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (e - s >= 3 && !strncmp(e - 3, "\xE3\x80\x80", 3))
			e -= 3;
		else
			break;
	}
	*p = s;
	*n = (size_t)(e - s);
}

static bool same_name(const char *a, const char *b)
{
	const char *pa, *pb;
	size_t na, nb;

	trimmed(a, &pa, &na);
	trimmed(b, &pb, &nb);
	return na && na == nb && !memcmp(pa, pb, na);
}

static bool same_uscc(const char *a, const char *b)
{
	char na[USCC_LEN + 1], nb[USCC_LEN + 1];

	ident_uscc_normalize(a ? a : "", na);
	ident_uscc_normalize(b ? b : "", nb);
	return na[0] && !strcmp(na, nb);
}

static bool same_unit(const char *name, const char *uscc,
		      const struct dom_unit *u)
{
	return same_uscc(uscc, u->uscc) || same_name(name, u->name);
}

static bool has(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

bool dom_judging_conflict(const struct dom_judge *j,
			  const struct dom_project *p, const char **unit_out)
{
	size_t i, k;

	if (has(p->declined, p->n_declined, j->id)) {
		if (unit_out)
			*unit_out = "";
		return true;
	}
	for (i = 0; i < p->n_units; i++) {
		const struct dom_unit *u = &p->units[i];
		bool hit = same_unit(j->unit_name, j->unit_uscc, u);
		for (k = 0; !hit && k < j->n_conflicts; k++)
			hit = same_unit(j->conflicts[k].name,
					j->conflicts[k].uscc, u);
		if (hit) {
			if (unit_out)
				*unit_out = u->name ? u->name : "";
			return true;
		}
	}
	return false;
}

bool dom_judging_track_ok(const struct dom_judge *j, int64_t track_id)
{
	return !j->n_tracks || has(j->tracks, j->n_tracks, track_id);
}

long dom_judging_pick_one(const struct dom_judge *judges, size_t nj,
			  const struct dom_project *p, const int64_t *taken,
			  size_t ntaken)
{
	long best = -1;

	for (size_t i = 0; i < nj; i++) {
		const struct dom_judge *j = &judges[i];
		if (has(p->judges, p->n_judges, j->id) ||
		    has(taken, ntaken, j->id) ||
		    !dom_judging_track_ok(j, p->track_id) ||
		    dom_judging_conflict(j, p, NULL))
			continue;
		if (best < 0 || j->load < judges[best].load ||
		    (j->load == judges[best].load && j->id < judges[best].id))
			best = (long)i;
	}
	return best;
}

long dom_judging_assign(struct dom_judge *judges, size_t nj,
			const struct dom_project *projects, size_t np,
			int per_project, struct dom_pick *out, size_t cap,
			int *short_out)
{
	/* The judges picked for the current project in this run. */
	int64_t taken[DOM_PER_PROJECT_MAX];
	size_t n = 0;

	if (per_project < 1)
		per_project = 1;
	if (per_project > DOM_PER_PROJECT_MAX)
		per_project = DOM_PER_PROJECT_MAX;
	for (size_t i = 0; i < np; i++) {
		const struct dom_project *p = &projects[i];
		int need = per_project - (int)p->n_judges;
		size_t nt = 0;

		while (need > 0) {
			long k = dom_judging_pick_one(judges, nj, p, taken, nt);
			if (k < 0)
				break;
			if (n >= cap)
				return -1;
			out[n].project = i;
			out[n].judge = (size_t)k;
			n++;
			taken[nt++] = judges[k].id;
			judges[k].load++;
			need--;
		}
		if (short_out)
			short_out[i] = need > 0 ? need : 0;
	}
	return (long)n;
}

bool dom_judging_score_ok(double score, int max)
{
	double tenths;

	if (!(score >= 0 && score <= max))
		return false;
	tenths = score * 10;
	return fabs(tenths - round(tenths)) < 1e-6;
}
