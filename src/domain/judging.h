/* judging.h: conflicts of interest and the assignment of judges to projects */
#ifndef DOMAIN_JUDGING_H
#define DOMAIN_JUDGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Judges per project: the default and the bounds of the admin's choice. */
#define DOM_PER_PROJECT_DEFAULT 5
#define DOM_PER_PROJECT_MAX 15

/* A unit by name and 统一社会信用代码; either may be "" (unknown). */
struct dom_unit {
	const char *name;
	const char *uscc;
};

/* A judge as the rules see them. */
struct dom_judge {
	int64_t id;
	const char *unit_name;
	const char *unit_uscc;
	const struct dom_unit *conflicts; /* declared conflicts */
	size_t n_conflicts;
	const int64_t *tracks; /* the tracks judged; n_tracks 0: every one */
	size_t n_tracks;
	int load; /* non-declined assignments in the stage; assign updates it */
};

/* A project (an application in the stage) as the rules see it. */
struct dom_project {
	int64_t id;
	int64_t track_id;
	const struct dom_unit *units; /* the lead unit and every row of units */
	size_t n_units;
	const int64_t *judges; /* judges on it in the stage (not declined) */
	size_t n_judges;
	const int64_t *declined; /* judges who declined it, in any stage */
	size_t n_declined;
};

/*
 * Whether judge j may not judge project p: j's unit is one of p's units
 * (same credit code after normalising, or same name after trimming
 * spaces), a conflict j declared names one of p's units (by code or by
 * name), or j declined p. Sets *unit_out (may be NULL) to the name of the
 * unit in question ("" for a declined project). Returns true on conflict.
 */
bool dom_judging_conflict(const struct dom_judge *j,
			  const struct dom_project *p, const char **unit_out);

/* Whether judge j judges the track (an empty track list is every track). */
bool dom_judging_track_ok(const struct dom_judge *j, int64_t track_id);

/* One assignment the algorithm made: indexes into its arrays. */
struct dom_pick {
	size_t project;
	size_t judge;
};

/*
 * Tops every project up to per_project judges. Projects are taken in
 * array order; for each missing place the judge chosen is the least
 * loaded one (ties by smaller id) who judges the project's track, is not
 * in conflict with it and is not yet on it. Each pick increments the
 * judge's load. Writes at most cap picks to out and sets short_out[i]
 * (an array of np, may be NULL) to the places project i still lacks.
 * Returns the number of picks, or -1 when out (cap) was too small.
 */
long dom_judging_assign(struct dom_judge *judges, size_t nj,
			const struct dom_project *projects, size_t np,
			int per_project, struct dom_pick *out, size_t cap,
			int *short_out);

/*
 * The best replacement for a project (its judges and declined ones
 * excluded as in dom_judging_assign()): the index of the least loaded
 * eligible judge, or -1 when there is none.
 */
long dom_judging_pick_one(const struct dom_judge *judges, size_t nj,
			  const struct dom_project *p, const int64_t *taken,
			  size_t ntaken);

/*
 * Checks a score for a criterion whose maximum is max: a number from 0
 * to max with at most one decimal place. Returns true when acceptable.
 */
bool dom_judging_score_ok(double score, int max);

#endif
