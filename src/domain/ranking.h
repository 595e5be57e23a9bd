/* ranking.h: judges' totals aggregated, ranked, and the award rules */
#ifndef DOMAIN_RANKING_H
#define DOMAIN_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Totals that differ by less than this are equal (weights × scores / max). */
#define DOM_RANK_EPSILON 1e-9

/* A judge whose total is further than this from the median is an outlier. */
#define DOM_OUTLIER_POINTS 15.0

/* Scores needed before the highest and lowest are dropped. */
#define DOM_TRIM_MIN 5

enum dom_rank_method {
	DOM_RANK_NONE,	       /* no submitted sheet: unranked */
	DOM_RANK_MEAN,	       /* 1–4 totals */
	DOM_RANK_TRIMMED_MEAN, /* 5 or more: one highest, one lowest dropped */
};

/* "trimmed_mean", "mean", or NULL for DOM_RANK_NONE. */
const char *dom_rank_method_name(enum dom_rank_method m);

/*
 * The aggregate of n judges' totals: with n >= DOM_TRIM_MIN the mean
 * without one highest and one lowest, with 1..4 the plain mean. Sets
 * *method. Returns the aggregate, or 0 with DOM_RANK_NONE when n is 0.
 */
double dom_rank_aggregate(const double *totals, size_t n,
			  enum dom_rank_method *method);

/* The plain mean of n values (0 when n is 0). */
double dom_rank_mean(const double *v, size_t n);

/* The median of n values (0 when n is 0); the values are not reordered. */
double dom_rank_median(const double *v, size_t n);

struct dom_spread {
	double min, max, range;
	double stddev; /* population standard deviation */
};

/* The spread of n >= 1 totals into *s (all zero when n is 0). */
void dom_rank_spread(const double *totals, size_t n, struct dom_spread *s);

/*
 * Whether a judge's total is an outlier among n totals whose median is
 * given: only with n >= 3, when it differs from the median by more than
 * DOM_OUTLIER_POINTS.
 */
bool dom_rank_outlier(double total, double median, size_t n);

/* What the tie-break compares, for one application. */
struct dom_rank_key {
	bool ranked;		    /* has an aggregate */
	double aggregate;	    /* trimmed or plain mean */
	double mean;		    /* plain mean of all totals */
	const double *criteria;	    /* mean weighted points per criterion */
	size_t n_criteria;	    /* in rubric order */
	int64_t first_submitted_at; /* 0: never (sorts last) */
	int64_t application_id;
};

/*
 * The documented order: ranked before unranked; aggregate descending;
 * then the plain mean of all totals descending; then criterion by
 * criterion in rubric order the mean weighted points descending; then
 * the earlier first submission; then the smaller application id.
 * Returns < 0 when a ranks before b, > 0 after, 0 only for the same id.
 */
int dom_rank_cmp(const struct dom_rank_key *a, const struct dom_rank_key *b);

/* How many of n ranked applications are the top 20 %: ceil(0.2 × n). */
size_t dom_top20_count(size_t n);

/* Prize places of a track. */
struct dom_quota {
	int first, second, third;
};

/* The quota of a track without a stored one. */
#define DOM_QUOTA_DEFAULT ((struct dom_quota){ 1, 2, 5 })

/*
 * The suggested quota for n ranked entries: min(8, n / 2) places, first
 * one 一等奖, then up to two 二等奖, the rest 三等奖.
 */
struct dom_quota dom_quota_suggest(size_t n);

enum dom_award_level {
	DOM_LEVEL_NONE = 0,
	DOM_LEVEL_FIRST,
	DOM_LEVEL_SECOND,
	DOM_LEVEL_THIRD,
};

/*
 * Parses "first", "second", "third". Returns 0, or -1 for anything
 * else.
 */
int dom_award_level_parse(const char *s, enum dom_award_level *out);

/* "first" … or NULL for none. */
const char *dom_award_level_name(enum dom_award_level l);

/* 一等奖, 二等奖, 三等奖, or NULL for none. */
const char *dom_award_level_label(enum dom_award_level l);

/* The places of a level in a quota (0 for none). */
int dom_quota_places(const struct dom_quota *q, enum dom_award_level l);

/* The special awards, in their display order. */
#define DOM_SPECIAL_COUNT 4

/* The code of special i (0..DOM_SPECIAL_COUNT-1), e.g. "most_valuable". */
const char *dom_special_code(unsigned i);

/* Its label, e.g. 最具价值奖. */
const char *dom_special_label(unsigned i);

/* The index of a special code, or -1 for an unknown one. */
int dom_special_find(const char *code);

enum dom_award_verdict {
	DOM_AWARD_OK,
	DOM_AWARD_NOT_TOP20,  /* specials outside the track's top 20 % */
	DOM_AWARD_QUOTA_FULL, /* the level's places are taken */
};

/*
 * Checks one application's award: level (DOM_LEVEL_NONE for none) with
 * `taken` places of that level already given to other applications of
 * the track, n_specials special awards, and whether the application is
 * in its track's top 20 %. The specials rule is checked first.
 */
enum dom_award_verdict dom_award_check(const struct dom_quota *quota,
				       enum dom_award_level level, int taken,
				       size_t n_specials, bool top20);

#endif
