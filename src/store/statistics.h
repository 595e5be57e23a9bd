/* statistics.h: the counts behind the admins' statistics dashboard */
#ifndef STORE_STATISTICS_H
#define STORE_STATISTICS_H

#include <stdint.h>
#include <jansson.h>
#include "db.h"

/*
 * Every count below is over the sub-contest's live (not deleted)
 * applications. Each function returns a new JSON value the caller
 * json_decref()s, or NULL on a database error.
 */

/*
 * Per track, in catalogue order (a retired track only when it has
 * records), then one entry with track_id null for records without a
 * track if there are any: [{track_id, track_name, total, draft,
 * submitted, approved, returned}].
 */
json_t *store_stats_by_track(struct db *db, int64_t competition_id);

/* The stored region codes and their counts: [[code, n]…], "" left out. */
json_t *store_stats_regions(struct db *db, int64_t competition_id);

/* [{nature, count}] by the lead unit's 单位性质, most first; "" left out. */
json_t *store_stats_unit_types(struct db *db, int64_t competition_id);

/*
 * Records created (submitted = 0) or first submitted (submitted = 1) per
 * China day, as [[day, n]…] ordered by day, day counted from 1970-01-01
 * in UTC+8.
 */
json_t *store_stats_days(struct db *db, int64_t competition_id, int submitted);

/*
 * Judging progress per track and stage: [{track_id, stage,
 * applications (with a judge), assignments (not declined), submitted}].
 */
json_t *store_stats_scoring(struct db *db, int64_t competition_id);

/*
 * The sub-contest's registration deadline as stored (ISO text,
 * malloc()ed) into *closes, NULL when none. Returns 0 or -1.
 */
int store_stats_deadline(struct db *db, int64_t competition_id, char **closes);

#endif
