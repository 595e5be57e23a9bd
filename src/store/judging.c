/* judging.c: the SQL of rubrics, judges' profiles and assignments */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "judging.h"
#include "db_json.h"
#include "../util/banned.h"

int store_rubric_get(struct db *db, int64_t competition_id, const char *stage,
		     char **criteria, int64_t *opens, int64_t *closes,
		     int64_t *updated_at)
{
	struct db_param p[2] = { DB_P_INT(competition_id), DB_P_TEXT(stage) };
	struct db_rows *r = db_query(
		db,
		"SELECT criteria, scoring_opens, scoring_closes, updated_at "
		"FROM rubrics WHERE competition_id = $1 AND stage = $2",
		2, p);
	int rc;

	*criteria = NULL;
	*opens = *closes = *updated_at = 0;
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		*criteria = db_col_dup(r, 0);
		*opens = db_col_int(r, 1);
		*closes = db_col_int(r, 2);
		*updated_at = db_col_int(r, 3);
		if (!*criteria)
			rc = -1;
	}
	db_rows_free(r);
	return rc;
}

int store_rubric_put(struct db *db, int64_t competition_id, const char *stage,
		     const char *criteria, int64_t opens, int64_t closes,
		     int64_t actor, int64_t now)
{
	struct db_param p[7] = {
		DB_P_INT(competition_id),
		DB_P_TEXT(stage),
		DB_P_TEXT(criteria),
		opens ? DB_P_INT(opens) : DB_P_NULL,
		closes ? DB_P_INT(closes) : DB_P_NULL,
		DB_P_INT(actor),
		DB_P_INT(now),
	};
	return db_run(db,
		      "INSERT INTO rubrics (competition_id, stage, criteria, "
		      "scoring_opens, scoring_closes, updated_by, updated_at) "
		      "VALUES ($1, $2, $3, $4, $5, $6, $7) "
		      "ON CONFLICT (competition_id, stage) DO UPDATE SET "
		      "criteria = excluded.criteria, "
		      "scoring_opens = excluded.scoring_opens, "
		      "scoring_closes = excluded.scoring_closes, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      7, p);
}

int store_rubric_started(struct db *db, int64_t competition_id,
			 const char *stage)
{
	struct db_param p[2] = { DB_P_INT(competition_id), DB_P_TEXT(stage) };
	int64_t n = 0;

	if (db_query_int(db,
			 "SELECT COUNT(*) FROM judge_assignments "
			 "WHERE competition_id = $1 AND stage = $2 "
			 "AND saved_at IS NOT NULL",
			 2, p, &n) < 0)
		return -1;
	return n > 0;
}

int store_judging_per_project_get(struct db *db, int64_t competition_id,
				  const char *stage, int *per)
{
	struct db_param p[2] = { DB_P_INT(competition_id), DB_P_TEXT(stage) };
	int64_t n = 0;
	int rc = db_query_int(db,
			      "SELECT per_project FROM judging_settings "
			      "WHERE competition_id = $1 AND stage = $2",
			      2, p, &n);

	if (rc == 1)
		*per = (int)n;
	return rc;
}

int store_judging_per_project_put(struct db *db, int64_t competition_id,
				  const char *stage, int per, int64_t actor,
				  int64_t now)
{
	struct db_param p[5] = {
		DB_P_INT(competition_id), DB_P_TEXT(stage), DB_P_INT(per),
		DB_P_INT(actor),	  DB_P_INT(now),
	};
	return db_run(db,
		      "INSERT INTO judging_settings (competition_id, stage, "
		      "per_project, updated_by, updated_at) "
		      "VALUES ($1, $2, $3, $4, $5) "
		      "ON CONFLICT (competition_id, stage) DO UPDATE SET "
		      "per_project = excluded.per_project, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      5, p);
}

static const char judges_sql[] =
	"SELECT u.id, u.account, u.phone_masked, "
	"COALESCE(jp.name, ''), COALESCE(jp.unit_name, ''), "
	"COALESCE(jp.unit_uscc, ''), COALESCE(jp.tracks, '[]'), "
	"COALESCE(jp.conflicts, '[]'), "
	"(SELECT COUNT(*) FROM judge_assignments ja WHERE ja.judge_id = u.id "
	"AND ja.competition_id = $1 AND ja.stage = 'preliminary' "
	"AND ja.status <> 'declined'), "
	"(SELECT COUNT(*) FROM judge_assignments ja WHERE ja.judge_id = u.id "
	"AND ja.competition_id = $1 AND ja.stage = 'final' "
	"AND ja.status <> 'declined') "
	"FROM user_roles ur JOIN users u ON u.id = ur.user_id "
	"LEFT JOIN judge_profiles jp ON jp.competition_id = ur.competition_id "
	"AND jp.user_id = u.id "
	"WHERE ur.competition_id = $1 AND ur.role = 'judge' "
	"AND ($2 = 0 OR u.id = $2) "
	"ORDER BY u.account_lower, u.id";

static json_t *judge_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
			 "s:{s:I, s:I}}",
			 "user_id", (json_int_t)db_col_int(r, 0), "account",
			 db_col_text(r, 1, NULL), "phone_masked",
			 db_col_text(r, 2, NULL), "name",
			 db_col_text(r, 3, NULL), "unit_name",
			 db_col_text(r, 4, NULL), "unit_uscc",
			 db_col_text(r, 5, NULL), "tracks",
			 db_col_json_array(r, 6), "conflicts",
			 db_col_json_array(r, 7), "load", "preliminary",
			 (json_int_t)db_col_int(r, 8), "final",
			 (json_int_t)db_col_int(r, 9));
}

json_t *store_judges_list(struct db *db, int64_t competition_id)
{
	struct db_param p[2] = { DB_P_INT(competition_id), DB_P_INT(0) };
	return db_json_rows(db, judges_sql, 2, p, judge_row, NULL);
}

json_t *store_judge_get(struct db *db, int64_t competition_id, int64_t user_id)
{
	struct db_param p[2] = { DB_P_INT(competition_id), DB_P_INT(user_id) };
	json_t *a = db_json_rows(db, judges_sql, 2, p, judge_row, NULL), *j;

	if (!a)
		return NULL;
	j = json_array_size(a) ? json_incref(json_array_get(a, 0))
			       : json_null();
	json_decref(a);
	return j;
}

int store_judge_put(struct db *db, int64_t competition_id, int64_t user_id,
		    const char *name, const char *unit_name,
		    const char *unit_uscc, const char *tracks,
		    const char *conflicts, int64_t actor, int64_t now)
{
	struct db_param p[9] = {
		DB_P_INT(competition_id),
		DB_P_INT(user_id),
		DB_P_TEXT(name),
		DB_P_TEXT(unit_name),
		DB_P_TEXT(unit_uscc),
		DB_P_TEXT(tracks),
		DB_P_TEXT(conflicts),
		DB_P_INT(actor),
		DB_P_INT(now),
	};
	return db_run(db,
		      "INSERT INTO judge_profiles (competition_id, user_id, "
		      "name, unit_name, unit_uscc, tracks, conflicts, "
		      "updated_by, updated_at) "
		      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
		      "ON CONFLICT (competition_id, user_id) DO UPDATE SET "
		      "name = excluded.name, unit_name = excluded.unit_name, "
		      "unit_uscc = excluded.unit_uscc, "
		      "tracks = excluded.tracks, "
		      "conflicts = excluded.conflicts, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      9, p);
}

static json_t *app_row_json(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:s}", "id",
			 (json_int_t)db_col_int(r, 0), "track_id",
			 db_col_json_int(r, 1), "track_name",
			 db_col_json_text(r, 2), "project_name",
			 db_col_text(r, 3, NULL), "team_name",
			 db_col_text(r, 4, NULL), "lead_unit_name",
			 db_col_text(r, 5, NULL), "doc",
			 db_col_text(r, 6, NULL));
}

json_t *store_judging_apps(struct db *db, int64_t competition_id,
			   const char *stage, int64_t track_id)
{
	struct db_param p[3] = { DB_P_INT(competition_id), DB_P_TEXT(stage),
				 DB_P_INT(track_id) };
	return db_json_rows(
		db,
		"SELECT a.id, a.track_id, t.name, a.project_name, "
		"a.team_name, a.lead_unit_name, a.doc "
		"FROM applications a LEFT JOIN tracks t ON t.id = a.track_id "
		"WHERE a.competition_id = $1 AND a.deleted_at IS NULL "
		"AND a.status = 'approved' AND a.stage = $2 "
		"AND ($3 = 0 OR a.track_id = $3) ORDER BY a.id",
		3, p, app_row_json, NULL);
}

static json_t *assignment_json(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)db_col_int(r, 0), "application_id",
			 (json_int_t)db_col_int(r, 1), "judge_id",
			 (json_int_t)db_col_int(r, 2), "judge_name",
			 db_col_text(r, 3, NULL), "status",
			 db_col_text(r, 4, NULL), "saved_at",
			 db_col_json_int(r, 5), "submitted_at",
			 db_col_json_int(r, 6));
}

json_t *store_judging_assignments(struct db *db, int64_t competition_id,
				  const char *stage)
{
	struct db_param p[2] = { DB_P_INT(competition_id), DB_P_TEXT(stage) };
	/* A judge without a profile name is shown by account. */
	return db_json_rows(
		db,
		"SELECT ja.id, ja.application_id, ja.judge_id, "
		"COALESCE(NULLIF(jp.name, ''), u.account), ja.status, "
		"ja.saved_at, ja.submitted_at FROM judge_assignments ja "
		"JOIN users u ON u.id = ja.judge_id "
		"LEFT JOIN judge_profiles jp ON jp.competition_id = "
		"ja.competition_id AND jp.user_id = ja.judge_id "
		"WHERE ja.competition_id = $1 AND ja.stage = $2 "
		"ORDER BY ja.application_id, ja.id",
		2, p, assignment_json, NULL);
}

static json_t *declined_json(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:I}", "application_id",
			 (json_int_t)db_col_int(r, 0), "judge_id",
			 (json_int_t)db_col_int(r, 1));
}

json_t *store_judging_declined(struct db *db, int64_t competition_id)
{
	struct db_param p[1] = { DB_P_INT(competition_id) };
	return db_json_rows(db,
			    "SELECT application_id, judge_id "
			    "FROM judge_assignments WHERE competition_id = $1 "
			    "AND status = 'declined'",
			    1, p, declined_json, NULL);
}

int store_assignment_add(struct db *db, int64_t competition_id,
			 const char *stage, int64_t application_id,
			 int64_t judge_id, int64_t actor, int64_t now,
			 int64_t *id)
{
	struct db_param p[6] = {
		DB_P_INT(competition_id),
		DB_P_TEXT(stage),
		DB_P_INT(application_id),
		DB_P_INT(judge_id),
		actor ? DB_P_INT(actor) : DB_P_NULL,
		DB_P_INT(now),
	};
	return db_query_int(db,
			    "INSERT INTO judge_assignments (competition_id, "
			    "stage, application_id, judge_id, status, "
			    "created_by, created_at) "
			    "VALUES ($1, $2, $3, $4, 'assigned', $5, $6) "
			    "RETURNING id",
			    6, p, id) == 1
		       ? 0
		       : -1;
}

void assignment_row_release(struct assignment_row *a)
{
	free(a->scores);
	free(a->comment);
	a->scores = a->comment = NULL;
}

int store_assignment_get(struct db *db, int64_t id, int64_t judge_id,
			 struct assignment_row *a)
{
	struct db_param p[2] = { DB_P_INT(id), DB_P_INT(judge_id) };
	struct db_rows *r = db_query(
		db,
		"SELECT ja.id, ja.competition_id, ja.stage, "
		"ja.application_id, ja.judge_id, ja.status, ja.scores, "
		"ja.comment, ja.saved_at, ja.submitted_at "
		"FROM judge_assignments ja WHERE ja.id = $1 AND ($2 = 0 OR "
		"(ja.judge_id = $2 AND ja.status <> 'declined' AND EXISTS "
		"(SELECT 1 FROM user_roles ur WHERE ur.user_id = $2 "
		"AND ur.role = 'judge' "
		"AND ur.competition_id = ja.competition_id)))",
		2, p);
	int rc;

	memset(a, 0, sizeof(*a));
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		a->id = db_col_int(r, 0);
		a->competition_id = db_col_int(r, 1);
		db_col_copy(r, 2, a->stage, sizeof(a->stage));
		a->application_id = db_col_int(r, 3);
		a->judge_id = db_col_int(r, 4);
		db_col_copy(r, 5, a->status, sizeof(a->status));
		a->scores = db_col_dup(r, 6);
		a->comment = db_col_dup(r, 7);
		a->saved_at = db_col_int(r, 8);
		a->submitted_at = db_col_int(r, 9);
	}
	db_rows_free(r);
	return rc;
}

int store_assignment_delete(struct db *db, int64_t id)
{
	struct db_param p[1] = { DB_P_INT(id) };
	int64_t n = 0;
	int rc = db_query_int(
		db, "DELETE FROM judge_assignments WHERE id = $1 RETURNING id",
		1, p, &n);
	return rc;
}

int store_assignment_save(struct db *db, int64_t id, const char *scores,
			  const char *comment, bool submit, int64_t now)
{
	struct db_param p[5] = { DB_P_INT(id), DB_P_TEXT(scores),
				 DB_P_TEXT(comment), DB_P_INT(now),
				 DB_P_INT(submit ? 1 : 0) };
	int64_t got = 0;

	return db_query_int(db,
			    "UPDATE judge_assignments SET scores = $2, "
			    "comment = $3, saved_at = $4, "
			    "submitted_at = CASE WHEN $5 = 1 THEN $4 "
			    "ELSE NULL END "
			    "WHERE id = $1 AND status = 'assigned' "
			    "AND submitted_at IS NULL RETURNING id",
			    5, p, &got);
}

int store_assignment_decline(struct db *db, int64_t id, const char *reason,
			     int64_t now)
{
	struct db_param p[2] = { DB_P_INT(id), DB_P_TEXT(reason) };
	int64_t got = 0;

	/* When it was declined is in the audit log; the table has no column. */
	(void)now;
	return db_query_int(db,
			    "UPDATE judge_assignments SET status = 'declined', "
			    "decline_reason = $2 WHERE id = $1 "
			    "AND status = 'assigned' AND submitted_at IS NULL "
			    "RETURNING id",
			    2, p, &got);
}

static json_t *mine_json(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, "
		"s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)db_col_int(r, 0), "competition_id",
		(json_int_t)db_col_int(r, 1), "competition",
		db_col_text(r, 2, NULL), "competition_name",
		db_col_text(r, 3, NULL), "stage", db_col_text(r, 4, NULL),
		"application_id", (json_int_t)db_col_int(r, 5), "project_name",
		db_col_text(r, 6, NULL), "team_name", db_col_text(r, 7, NULL),
		"track_id", db_col_json_int(r, 8), "track_name",
		db_col_json_text(r, 9), "topic_name", db_col_json_text(r, 10),
		"scores", db_col_json_text(r, 11), "saved_at",
		db_col_json_int(r, 12), "submitted_at", db_col_json_int(r, 13),
		"scoring_opens", db_col_json_int(r, 14), "scoring_closes",
		db_col_json_int(r, 15));
}

json_t *store_judge_assignments(struct db *db, int64_t judge_id,
				const char *stage, int64_t only_id)
{
	struct db_param p[3] = { DB_P_INT(judge_id),
				 DB_P_TEXT(stage ? stage : ""),
				 DB_P_INT(only_id) };
	return db_json_rows(
		db,
		"SELECT ja.id, ja.competition_id, c.slug, c.name, ja.stage, "
		"a.id, a.project_name, a.team_name, a.track_id, t.name, "
		"tp.title, ja.scores, ja.saved_at, ja.submitted_at, "
		"rb.scoring_opens, rb.scoring_closes "
		"FROM judge_assignments ja "
		"JOIN applications a ON a.id = ja.application_id "
		"JOIN competitions c ON c.id = ja.competition_id "
		"LEFT JOIN tracks t ON t.id = a.track_id "
		"LEFT JOIN topics tp ON tp.id = a.topic_id "
		"LEFT JOIN rubrics rb ON rb.competition_id = ja.competition_id "
		"AND rb.stage = ja.stage "
		"WHERE ja.judge_id = $1 AND ja.status <> 'declined' "
		"AND a.deleted_at IS NULL "
		"AND ($2 = '' OR ja.stage = $2) AND ($3 = 0 OR ja.id = $3) "
		"AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = $1 "
		"AND ur.role = 'judge' AND ur.competition_id = ja.competition_id) "
		"ORDER BY ja.id DESC",
		3, p, mine_json, NULL);
}
