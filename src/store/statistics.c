/* statistics.c: the counts behind the admins' statistics dashboard */
#include <stdlib.h>
#include "statistics.h"
#include "db_json.h"
#include "../util/banned.h"

static json_t *track_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "track_id",
			 db_col_json_int(r, 0), "track_name",
			 db_col_json_text(r, 1), "total",
			 (json_int_t)db_col_int(r, 2), "draft",
			 (json_int_t)db_col_int(r, 3), "submitted",
			 (json_int_t)db_col_int(r, 4), "approved",
			 (json_int_t)db_col_int(r, 5), "returned",
			 (json_int_t)db_col_int(r, 6));
}

#define STATUS_COUNTS                                                          \
	"COUNT(a.id), "                                                        \
	"COUNT(CASE WHEN a.status = 'draft' THEN 1 END), "                     \
	"COUNT(CASE WHEN a.status = 'submitted' THEN 1 END), "                 \
	"COUNT(CASE WHEN a.status = 'approved' THEN 1 END), "                  \
	"COUNT(CASE WHEN a.status = 'returned' THEN 1 END) "

json_t *store_stats_by_track(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };
	json_t *out, *none;

	out = db_json_rows(
		db,
		"SELECT t.id, t.name, " STATUS_COUNTS
		"FROM tracks t LEFT JOIN applications a ON a.track_id = t.id "
		"AND a.competition_id = $1 AND a.deleted_at IS NULL "
		"WHERE t.competition_id = $1 "
		"GROUP BY t.id, t.name, t.num, t.retired "
		"HAVING t.retired = 0 OR COUNT(a.id) > 0 ORDER BY t.num, t.id",
		1, p, track_row, NULL);
	none = out ? db_json_rows(db,
				  "SELECT NULL, '未选赛道', " STATUS_COUNTS
				  "FROM applications a WHERE a.competition_id "
				  "= $1 AND a.deleted_at IS NULL "
				  "AND a.track_id IS NULL",
				  1, p, track_row, NULL)
		   : NULL;
	if (!none) {
		json_decref(out);
		return NULL;
	}
	if (json_integer_value(
		    json_object_get(json_array_get(none, 0), "total")) > 0)
		json_array_append(out, json_array_get(none, 0));
	json_decref(none);
	return out;
}

static json_t *pair_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("[s, I]", db_col_text(r, 0, NULL),
			 (json_int_t)db_col_int(r, 1));
}

json_t *store_stats_regions(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_json_rows(db,
			    "SELECT region, COUNT(*) FROM applications "
			    "WHERE competition_id = $1 AND deleted_at IS NULL "
			    "AND region <> '' GROUP BY region ORDER BY region",
			    1, p, pair_row, NULL);
}

static json_t *nature_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:s, s:I}", "nature", db_col_text(r, 0, NULL),
			 "count", (json_int_t)db_col_int(r, 1));
}

json_t *store_stats_unit_types(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_json_rows(db,
			    "SELECT lead_nature, COUNT(*) FROM applications "
			    "WHERE competition_id = $1 AND deleted_at IS NULL "
			    "AND lead_nature <> '' GROUP BY lead_nature "
			    "ORDER BY COUNT(*) DESC, lead_nature",
			    1, p, nature_row, NULL);
}

static json_t *day_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("[I, I]", (json_int_t)db_col_int(r, 0),
			 (json_int_t)db_col_int(r, 1));
}

json_t *store_stats_days(struct db *db, int64_t competition_id, int submitted)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	/* Integer division on both databases: 28800 s is UTC+8. */
	if (submitted)
		return db_json_rows(
			db,
			"SELECT d, COUNT(*) FROM (SELECT CAST((first_submitted_at "
			"+ 28800) / 86400 AS BIGINT) AS d FROM applications "
			"WHERE competition_id = $1 AND deleted_at IS NULL "
			"AND first_submitted_at IS NOT NULL) x "
			"GROUP BY d ORDER BY d",
			1, p, day_row, NULL);
	return db_json_rows(
		db,
		"SELECT d, COUNT(*) FROM (SELECT CAST((created_at "
		"+ 28800) / 86400 AS BIGINT) AS d FROM applications "
		"WHERE competition_id = $1 AND deleted_at IS NULL) x "
		"GROUP BY d ORDER BY d",
		1, p, day_row, NULL);
}

static json_t *scoring_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:o, s:s, s:I, s:I, s:I}", "track_id",
			 db_col_json_int(r, 0), "stage",
			 db_col_text(r, 1, NULL), "applications",
			 (json_int_t)db_col_int(r, 2), "assignments",
			 (json_int_t)db_col_int(r, 3), "submitted",
			 (json_int_t)db_col_int(r, 4));
}

json_t *store_stats_scoring(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_json_rows(
		db,
		"SELECT a.track_id, j.stage, COUNT(DISTINCT j.application_id), "
		"COUNT(*), COUNT(j.submitted_at) FROM judge_assignments j "
		"JOIN applications a ON a.id = j.application_id "
		"LEFT JOIN tracks t ON t.id = a.track_id "
		"WHERE j.competition_id = $1 AND j.status <> 'declined' "
		"AND a.deleted_at IS NULL "
		"GROUP BY a.track_id, t.num, j.stage "
		"ORDER BY t.num, a.track_id, j.stage DESC",
		1, p, scoring_row, NULL);
}

int store_stats_deadline(struct db *db, int64_t competition_id, char **closes)
{
	struct db_param p[] = { DB_P_INT(competition_id) };
	struct db_rows *r = db_query(
		db,
		"SELECT registration_closes FROM competitions WHERE id = $1", 1,
		p);
	int rc;

	*closes = NULL;
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1)
		*closes = db_col_dup(r, 0);
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}
