/* awards.c: what rankings read, and the award round's quotas, awards and state */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "awards.h"
#include "db_json.h"
#include "../domain/ranking.h"
#include "../util/banned.h"

static json_t *track_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:s, s:b}", "id", (json_int_t)db_col_int(r, 0),
			 "name", db_col_text(r, 1, NULL), "retired",
			 db_col_int(r, 2) != 0);
}

json_t *store_award_tracks(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_json_rows(db,
			    "SELECT id, name, retired FROM tracks "
			    "WHERE competition_id = $1 ORDER BY num, id",
			    1, p, track_row, NULL);
}

static json_t *entry_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "id",
			 (json_int_t)db_col_int(r, 0), "user_id",
			 (json_int_t)db_col_int(r, 1), "track_id",
			 (json_int_t)db_col_int(r, 2), "project_name",
			 db_col_text(r, 3, NULL), "team_name",
			 db_col_text(r, 4, NULL), "lead_unit_name",
			 db_col_text(r, 5, NULL), "first_submitted_at",
			 (json_int_t)db_col_int(r, 6));
}

json_t *store_ranking_entries(struct db *db, int64_t competition_id,
			      const char *stage)
{
	struct db_param p[] = { DB_P_INT(competition_id), DB_P_TEXT(stage) };

	/*
	 * An application promoted from 初赛 to 决赛 keeps its place in the
	 * 初赛 ranking through its assignments there.
	 */
	return db_json_rows(
		db,
		"SELECT a.id, a.user_id, a.track_id, a.project_name, "
		"a.team_name, a.lead_unit_name, "
		"COALESCE(a.first_submitted_at, 0) FROM applications a "
		"WHERE a.competition_id = $1 AND a.deleted_at IS NULL "
		"AND a.track_id IS NOT NULL "
		"AND ((a.status = 'approved' AND a.stage = $2) OR EXISTS ("
		"SELECT 1 FROM judge_assignments j WHERE j.application_id = "
		"a.id AND j.stage = $2 AND j.status <> 'declined')) "
		"ORDER BY a.id",
		2, p, entry_row, NULL);
}

static json_t *sheet_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:I, s:s, s:o, s:I}", "application_id",
			 (json_int_t)db_col_int(r, 0), "user_id",
			 (json_int_t)db_col_int(r, 1), "name",
			 db_col_text(r, 2, NULL), "scores",
			 db_col_json_text(r, 3), "submitted_at",
			 (json_int_t)db_col_int(r, 4));
}

json_t *store_ranking_sheets(struct db *db, int64_t competition_id,
			     const char *stage)
{
	struct db_param p[] = { DB_P_INT(competition_id), DB_P_TEXT(stage) };

	return db_json_rows(
		db,
		"SELECT j.application_id, j.judge_id, "
		"COALESCE(NULLIF(jp.name, ''), u.account), j.scores, "
		"COALESCE(j.submitted_at, 0) FROM judge_assignments j "
		"JOIN users u ON u.id = j.judge_id "
		"LEFT JOIN judge_profiles jp ON jp.competition_id = "
		"j.competition_id AND jp.user_id = j.judge_id "
		"WHERE j.competition_id = $1 AND j.stage = $2 "
		"AND j.status <> 'declined' ORDER BY j.application_id, j.id",
		2, p, sheet_row, NULL);
}

int store_award_round_get(struct db *db, int64_t competition_id,
			  struct award_round *out)
{
	struct db_param p[] = { DB_P_INT(competition_id) };
	struct db_rows *r = db_query(db,
				     "SELECT stage, state, locked_at, "
				     "published_at FROM award_rounds "
				     "WHERE competition_id = $1",
				     1, p);
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->stage, sizeof(out->stage), "final");
	snprintf(out->state, sizeof(out->state), "open");
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		db_col_copy(r, 0, out->stage, sizeof(out->stage));
		db_col_copy(r, 1, out->state, sizeof(out->state));
		out->locked_at = db_col_int(r, 2);
		out->published_at = db_col_int(r, 3);
	}
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_award_round_set(struct db *db, int64_t competition_id,
			  const struct award_round *round, int64_t actor,
			  int64_t now)
{
	struct db_param p[] = {
		DB_P_INT(competition_id),
		DB_P_TEXT(round->stage),
		DB_P_TEXT(round->state),
		round->locked_at ? DB_P_INT(round->locked_at) : DB_P_NULL,
		round->published_at ? DB_P_INT(round->published_at) : DB_P_NULL,
		DB_P_INT(actor),
		DB_P_INT(now),
	};

	return db_run(db,
		      "INSERT INTO award_rounds (competition_id, stage, state, "
		      "locked_at, published_at, updated_by, updated_at) "
		      "VALUES ($1, $2, $3, $4, $5, $6, $7) "
		      "ON CONFLICT (competition_id) DO UPDATE SET "
		      "stage = excluded.stage, state = excluded.state, "
		      "locked_at = excluded.locked_at, "
		      "published_at = excluded.published_at, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      7, p);
}

json_t *store_award_quotas(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };
	struct db_rows *r =
		db_query(db,
			 "SELECT track_id, first_places, "
			 "second_places, third_places "
			 "FROM award_quotas WHERE competition_id = $1",
			 1, p);
	json_t *out = json_object();
	char key[24];
	int rc;

	if (!r || !out)
		goto fail;
	while ((rc = db_next(r)) == 1) {
		snprintf(key, sizeof(key), "%lld", (long long)db_col_int(r, 0));
		if (json_object_set_new(
			    out, key,
			    json_pack("[I, I, I]", (json_int_t)db_col_int(r, 1),
				      (json_int_t)db_col_int(r, 2),
				      (json_int_t)db_col_int(r, 3))))
			goto fail;
	}
	if (rc < 0)
		goto fail;
	db_rows_free(r);
	return out;
fail:
	db_rows_free(r);
	json_decref(out);
	return NULL;
}

int store_award_quota_set(struct db *db, int64_t competition_id,
			  int64_t track_id, int first, int second, int third,
			  int64_t actor, int64_t now)
{
	struct db_param p[] = {
		DB_P_INT(competition_id),
		DB_P_INT(track_id),
		DB_P_INT(first),
		DB_P_INT(second),
		DB_P_INT(third),
		DB_P_INT(actor),
		DB_P_INT(now),
	};

	return db_run(db,
		      "INSERT INTO award_quotas (competition_id, track_id, "
		      "first_places, second_places, third_places, updated_by, "
		      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
		      "ON CONFLICT (competition_id, track_id) DO UPDATE SET "
		      "first_places = excluded.first_places, "
		      "second_places = excluded.second_places, "
		      "third_places = excluded.third_places, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      7, p);
}

static json_t *award_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "application_id",
			 (json_int_t)db_col_int(r, 0), "track_id",
			 db_col_json_int(r, 1), "level", db_col_json_text(r, 2),
			 "specials", db_col_json_array(r, 3), "rank",
			 db_col_json_int(r, 4));
}

json_t *store_awards_list(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_json_rows(db,
			    "SELECT application_id, track_id, level, specials, "
			    "rank_no FROM awards WHERE competition_id = $1 "
			    "ORDER BY application_id",
			    1, p, award_row, NULL);
}

int store_award_set(struct db *db, int64_t competition_id,
		    int64_t application_id, int64_t track_id, const char *level,
		    const char *specials, int64_t rank, int64_t actor,
		    int64_t now)
{
	struct db_param p[] = {
		DB_P_INT(application_id),
		DB_P_INT(competition_id),
		track_id ? DB_P_INT(track_id) : DB_P_NULL,
		level ? DB_P_TEXT(level) : DB_P_NULL,
		DB_P_TEXT(specials),
		rank ? DB_P_INT(rank) : DB_P_NULL,
		DB_P_INT(actor),
		DB_P_INT(now),
	};

	if (!level && !strcmp(specials, "[]"))
		return db_run(db,
			      "DELETE FROM awards WHERE application_id = $1", 1,
			      p);
	return db_run(
		db,
		"INSERT INTO awards (application_id, competition_id, "
		"track_id, level, specials, rank_no, updated_by, "
		"updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
		"ON CONFLICT (application_id) DO UPDATE SET "
		"competition_id = excluded.competition_id, "
		"track_id = excluded.track_id, level = excluded.level, "
		"specials = excluded.specials, rank_no = excluded.rank_no, "
		"updated_by = excluded.updated_by, "
		"updated_at = excluded.updated_at",
		8, p);
}

int store_awards_clear(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_run(db, "DELETE FROM awards WHERE competition_id = $1", 1, p);
}

/* [{code, label}] of a specials array, in the canonical order. */
static json_t *special_objects(const json_t *codes)
{
	json_t *out = json_array(), *v;
	size_t i;

	for (unsigned k = 0; out && k < DOM_SPECIAL_COUNT; k++)
		json_array_foreach (codes, i, v)
			if (json_string_value(v) &&
			    !strcmp(json_string_value(v), dom_special_code(k)))
				json_array_append_new(
					out,
					json_pack("{s:s, s:s}", "code",
						  dom_special_code(k), "label",
						  dom_special_label(k)));
	return out;
}

json_t *store_award_public_cols(struct db_rows *r, int col)
{
	enum dom_award_level level = DOM_LEVEL_NONE;
	json_t *out, *specials;

	if (db_col_null(r, col + 2))
		return json_null();
	if (!db_col_null(r, col))
		dom_award_level_parse(db_col_text(r, col, NULL), &level);
	specials = db_col_json_array(r, col + 1);
	out = json_pack(
		"{s:o, s:o, s:o, s:I}", "level",
		level ? json_string(dom_award_level_name(level)) : json_null(),
		"level_label",
		level ? json_string(dom_award_level_label(level)) : json_null(),
		"specials", special_objects(specials), "published_at",
		(json_int_t)db_col_int(r, col + 2));
	json_decref(specials);
	return out;
}

json_t *store_award_public(struct db *db, int64_t application_id)
{
	struct db_param p[] = { DB_P_INT(application_id) };
	struct db_rows *r =
		db_query(db,
			 "SELECT " STORE_AWARD_PUBLIC_COLS
			 " FROM applications a " STORE_AWARD_PUBLIC_JOIN
			 " WHERE a.id = $1",
			 1, p);
	json_t *out;
	int rc;

	if (!r)
		return NULL;
	rc = db_next(r);
	out = rc == 1	? store_award_public_cols(r, 0)
	      : rc == 0 ? json_null()
			: NULL;
	db_rows_free(r);
	return out;
}

static json_t *result_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:s}", "track_id",
			 (json_int_t)db_col_int(r, 0), "track_name",
			 db_col_text(r, 1, NULL), "level",
			 db_col_json_text(r, 2), "specials",
			 db_col_json_array(r, 3), "project_name",
			 db_col_text(r, 4, NULL), "team_name",
			 db_col_text(r, 5, NULL), "lead_unit_name",
			 db_col_text(r, 6, NULL));
}

json_t *store_award_results(struct db *db, int64_t competition_id)
{
	struct db_param p[] = { DB_P_INT(competition_id) };

	return db_json_rows(
		db,
		"SELECT t.id, t.name, w.level, w.specials, a.project_name, "
		"a.team_name, a.lead_unit_name FROM awards w "
		"JOIN applications a ON a.id = w.application_id "
		"JOIN tracks t ON t.id = w.track_id "
		"WHERE w.competition_id = $1 AND a.deleted_at IS NULL "
		"ORDER BY t.num, t.id, CASE w.level WHEN 'first' THEN 1 "
		"WHEN 'second' THEN 2 WHEN 'third' THEN 3 ELSE 4 END, "
		"COALESCE(w.rank_no, 1000000), w.application_id",
		1, p, result_row, NULL);
}
