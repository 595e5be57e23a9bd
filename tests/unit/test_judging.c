/* test_judging.c: conflicts of interest, and a property test of the assignment */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "domain/judging.h"

/* A small deterministic generator, so a failure names a reproducible seed. */
static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned)((rng >> 33) % n) : 0;
}

#define POOL 12
#define MAXJ 24
#define MAXP 40
#define MAXU 4

/* Units of the pool, each written several ways that must compare equal. */
static char pool_name[POOL][3][64];
static char pool_uscc[POOL][3][32];

static void make_pool(void)
{
	for (int i = 0; i < POOL; i++) {
		snprintf(pool_name[i][0], 64, "单位%02d有限公司", i);
		snprintf(pool_name[i][1], 64, "  单位%02d有限公司 ", i);
		snprintf(pool_name[i][2], 64, "\xE3\x80\x80单位%02d有限公司",
			 i);
		snprintf(pool_uscc[i][0], 32, "91440300MA5F%05dX", i);
		snprintf(pool_uscc[i][1], 32, "9144 0300-ma5f%05dx", i);
		snprintf(pool_uscc[i][2], 32, "91440300ma5f%05dX", i);
	}
}

/*
 * A unit of the pool, known by its name, its code or both (a judge's
 * profile may lack one), written one of the equal ways.
 */
static struct dom_unit unit_of(int idx, int how)
{
	struct dom_unit u = { pool_name[idx][rnd(3)], pool_uscc[idx][rnd(3)] };

	if (how == 1)
		u.name = "";
	else if (how == 2)
		u.uscc = "";
	return u;
}

struct world {
	int nj, np, per;
	struct dom_judge j[MAXJ];
	int junit[MAXJ]; /* pool index or -1 */
	struct dom_unit jconf[MAXJ][3];
	int jconf_idx[MAXJ][3];
	int64_t jtracks[MAXJ][3];
	struct dom_project p[MAXP];
	struct dom_unit punits[MAXP][MAXU];
	int punit_idx[MAXP][MAXU];
	int64_t pjudges[MAXP][DOM_PER_PROJECT_MAX];
	int64_t pdeclined[MAXP][3];
};

static void make_world(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->nj = 1 + (int)rnd(MAXJ);
	w->np = (int)rnd(MAXP + 1);
	w->per = 1 + (int)rnd(8);
	for (int i = 0; i < w->nj; i++) {
		struct dom_judge *j = &w->j[i];
		int nc = (int)rnd(3), nt = (int)rnd(3);
		/* Ids out of order, so "ties by id" is not "by index". */
		j->id = 100 + (i * 7) % 31;
		w->junit[i] = rnd(5) ? (int)rnd(POOL) : -1;
		if (w->junit[i] >= 0) {
			struct dom_unit u = unit_of(w->junit[i], (int)rnd(3));
			j->unit_name = u.name;
			j->unit_uscc = u.uscc;
		} else {
			j->unit_name = "个人";
			j->unit_uscc = "";
		}
		for (int k = 0; k < nc; k++) {
			w->jconf_idx[i][k] = (int)rnd(POOL);
			w->jconf[i][k] =
				unit_of(w->jconf_idx[i][k], (int)rnd(3));
		}
		j->conflicts = w->jconf[i];
		j->n_conflicts = (size_t)nc;
		for (int k = 0; k < nt; k++)
			w->jtracks[i][k] = 1 + rnd(3);
		j->tracks = w->jtracks[i];
		j->n_tracks = (size_t)nt;
	}
	for (int i = 0; i < w->np; i++) {
		struct dom_project *p = &w->p[i];
		int nu = 1 + (int)rnd(MAXU), nd = (int)rnd(4) == 0 ? 1 : 0;
		p->id = 1 + i;
		p->track_id = 1 + rnd(3);
		for (int k = 0; k < nu; k++) {
			w->punit_idx[i][k] = (int)rnd(POOL);
			/* Applications always name both. */
			w->punits[i][k] = unit_of(w->punit_idx[i][k], 0);
		}
		p->units = w->punits[i];
		p->n_units = (size_t)nu;
		for (int k = 0; k < nd; k++)
			w->pdeclined[i][k] = w->j[rnd((unsigned)w->nj)].id;
		p->declined = w->pdeclined[i];
		p->n_declined = (size_t)nd;
		p->judges = w->pjudges[i];
	}
}

/* The rules stated by pool index, independent of the string comparisons. */
static int oracle_conflict(const struct world *w, int ji, int pi)
{
	const struct dom_project *p = &w->p[pi];

	for (size_t k = 0; k < p->n_declined; k++)
		if (p->declined[k] == w->j[ji].id)
			return 1;
	for (size_t u = 0; u < p->n_units; u++) {
		int idx = w->punit_idx[pi][u];
		if (w->junit[ji] == idx)
			return 1;
		for (size_t c = 0; c < w->j[ji].n_conflicts; c++)
			if (w->jconf_idx[ji][c] == idx)
				return 1;
	}
	return 0;
}

static int eligible(const struct world *w, int ji, int pi)
{
	return dom_judging_track_ok(&w->j[ji], w->p[pi].track_id) &&
	       !oracle_conflict(w, ji, pi);
}

static int on(const struct world *w, int pi, int64_t id)
{
	for (size_t k = 0; k < w->p[pi].n_judges; k++)
		if (w->p[pi].judges[k] == id)
			return 1;
	return 0;
}

/*
 * Runs the assignment on w (adding the picks to the projects' judges)
 * and checks its promises. Returns the number of failed checks.
 */
static int run_and_check(struct world *w, int fresh, uint64_t seed)
{
	struct dom_pick picks[MAXP * DOM_PER_PROJECT_MAX];
	int shorts[MAXP], before[MAXJ], bad = 0;
	long n;

	for (int i = 0; i < w->nj; i++)
		before[i] = w->j[i].load;
	n = dom_judging_assign(w->j, (size_t)w->nj, w->p, (size_t)w->np, w->per,
			       picks, sizeof(picks) / sizeof(picks[0]), shorts);
	if (n < 0) {
		printf("seed %llu: out of room\n", (unsigned long long)seed);
		return 1;
	}
	for (long k = 0; k < n; k++) {
		int pi = (int)picks[k].project, ji = (int)picks[k].judge;
		struct dom_project *p = &w->p[pi];
		if (oracle_conflict(w, ji, pi)) {
			printf("seed %llu: judge %lld on project %lld in "
			       "conflict\n",
			       (unsigned long long)seed, (long long)w->j[ji].id,
			       (long long)p->id);
			bad++;
		}
		if (!dom_judging_track_ok(&w->j[ji], p->track_id))
			bad++;
		if (on(w, pi, w->j[ji].id)) {
			printf("seed %llu: judge twice on a project\n",
			       (unsigned long long)seed);
			bad++;
		}
		w->pjudges[pi][p->n_judges++] = w->j[ji].id;
		before[ji]++;
	}
	for (int i = 0; i < w->nj; i++)
		if (before[i] != w->j[i].load)
			bad++;
	for (int pi = 0; pi < w->np; pi++) {
		int have = (int)w->p[pi].n_judges, free_left = 0;
		for (int ji = 0; ji < w->nj; ji++)
			if (eligible(w, ji, pi) && !on(w, pi, w->j[ji].id))
				free_left++;
		/*
		 * The replacement after a decline: someone eligible and not on
		 * the project, the least loaded, or none exactly when nobody
		 * is left.
		 */
		long k = dom_judging_pick_one(w->j, (size_t)w->nj, &w->p[pi],
					      NULL, 0);
		if ((k < 0) != (free_left == 0) ||
		    (k >= 0 &&
		     (!eligible(w, (int)k, pi) || on(w, pi, w->j[k].id)))) {
			printf("seed %llu: replacement %ld for project %d\n",
			       (unsigned long long)seed, k, pi);
			bad++;
		}
		for (int ji = 0; k >= 0 && ji < w->nj; ji++)
			if (eligible(w, ji, pi) && !on(w, pi, w->j[ji].id) &&
			    (w->j[ji].load < w->j[k].load ||
			     (w->j[ji].load == w->j[k].load &&
			      w->j[ji].id < w->j[k].id)))
				bad++;
		/* Short only when nobody eligible is left. */
		if (shorts[pi] != (have >= w->per ? 0 : w->per - have) ||
		    (shorts[pi] > 0 && free_left > 0)) {
			printf("seed %llu: project %d short %d with %d "
			       "eligible left\n",
			       (unsigned long long)seed, pi, shorts[pi],
			       free_left);
			bad++;
		}
	}
	if (!fresh)
		return bad;
	/*
	 * Balance: judges eligible for the same set of projects end up with
	 * loads at most 1 apart.
	 */
	for (int a = 0; a < w->nj; a++)
		for (int b = a + 1; b < w->nj; b++) {
			int same = 1, d = w->j[a].load - w->j[b].load;
			for (int pi = 0; same && pi < w->np; pi++)
				same = eligible(w, a, pi) == eligible(w, b, pi);
			if (same && (d > 1 || d < -1)) {
				printf("seed %llu: judges %d and %d loads %d "
				       "and %d\n",
				       (unsigned long long)seed, a, b,
				       w->j[a].load, w->j[b].load);
				bad++;
			}
		}
	return bad;
}

static void property(void)
{
	static struct world w;
	int failures = 0, picks_seen = 0;

	for (uint64_t seed = 1; seed <= 3000; seed++) {
		rng = seed;
		make_world(&w);
		failures += run_and_check(&w, 1, seed);
		for (int i = 0; i < w.np; i++)
			picks_seen += (int)w.p[i].n_judges;
		/* A second run tops up: nothing new where nothing is missing. */
		w.per = w.per + (int)rnd(3);
		failures += run_and_check(&w, 0, seed);
	}
	is_int(failures, 0,
	       "3000 random data sets: no conflict, no "
	       "duplicate, exact shortfalls, balanced loads, eligible replacements");
	ok(picks_seen > 10000, "the data sets assign a lot (%d)", picks_seen);
}

static void cases(void)
{
	static const struct dom_unit app_units[] = {
		{ "广州数据科技有限公司", "91440101MA59XXXX1A" },
		{ "华南理工大学", "12440000455416250F" },
	};
	static const struct dom_unit conf[] = { { "",
						  "12440000-45541625 0f" } };
	static const int64_t declined[] = { 9 };
	static const int64_t tracks[] = { 2, 3 };
	struct dom_project p = { .id = 1,
				 .track_id = 2,
				 .units = app_units,
				 .n_units = 2 };
	struct dom_judge j = { .id = 5,
			       .unit_name = " 华南理工大学　",
			       .unit_uscc = "" };
	const char *unit = NULL;

	ok(dom_judging_conflict(&j, &p, &unit), "same unit name, trimmed");
	is_str(unit, "华南理工大学", "names the unit");
	j.unit_name = "华南理工大学附属中学";
	ok(!dom_judging_conflict(&j, &p, NULL),
	   "a longer name is another unit");
	j.unit_uscc = "91440101ma59xxxx1a";
	ok(dom_judging_conflict(&j, &p, &unit), "same credit code");
	is_str(unit, "广州数据科技有限公司", "names the unit by code");
	j.unit_uscc = "";
	j.unit_name = "";
	ok(!dom_judging_conflict(&j, &p, NULL), "an empty unit matches none");
	j.conflicts = conf;
	j.n_conflicts = 1;
	ok(dom_judging_conflict(&j, &p, &unit), "declared conflict by code");
	is_str(unit, "华南理工大学", "declared conflict names the unit");
	j.n_conflicts = 0;
	p.declined = declined;
	p.n_declined = 1;
	j.id = 9;
	ok(dom_judging_conflict(&j, &p, &unit), "declined earlier");
	is_str(unit, "", "declined names no unit");
	j.id = 5;
	ok(!dom_judging_conflict(&j, &p, NULL), "another judge did");
	ok(dom_judging_track_ok(&j, 7), "no tracks: every track");
	j.tracks = tracks;
	j.n_tracks = 2;
	ok(dom_judging_track_ok(&j, 3) && !dom_judging_track_ok(&j, 1),
	   "listed tracks only");

	ok(dom_judging_score_ok(0, 10) && dom_judging_score_ok(10, 10) &&
		   dom_judging_score_ok(7.5, 10) &&
		   dom_judging_score_ok(0.1, 10),
	   "scores in range");
	ok(!dom_judging_score_ok(10.1, 10) && !dom_judging_score_ok(-0.1, 10) &&
		   !dom_judging_score_ok(7.25, 10),
	   "out of range or two decimals");

	{
		/* Least loaded first, ties by id; three judges, two places. */
		struct dom_judge js[3] = {
			{ .id = 30, .unit_name = "甲", .load = 0 },
			{ .id = 20, .unit_name = "乙", .load = 1 },
			{ .id = 10, .unit_name = "丙", .load = 0 },
		};
		struct dom_project ps[1] = { { .id = 1,
					       .track_id = 1,
					       .units = app_units,
					       .n_units = 1 } };
		struct dom_pick out[4];
		int sh[1];
		long n = dom_judging_assign(js, 3, ps, 1, 2, out, 4, sh);
		is_int(n, 2, "two picks");
		is_int(js[out[0].judge].id, 10, "least loaded, smaller id");
		is_int(js[out[1].judge].id, 30, "then the other at load 0");
		is_int(sh[0], 0, "none short");
		is_int(dom_judging_assign(js, 3, ps, 1, 3, out, 1, sh), -1,
		       "too little room is an error");
	}
}

int main(void)
{
	make_pool();
	cases();
	property();
	return done_testing("judging");
}
