/* applications.c: the only SQL over applications and the lists */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "applications.h"
#include "audit.h"
#include "awards.h"
#include "db_json.h"
#include "../util/banned.h"

void app_row_release(struct app_row *a)
{
	free(a->doc);
	free(a->return_reason);
	free(a->project_name);
	free(a->tech_instructions);
	free(a->tech_comment);
	a->doc = a->return_reason = a->project_name = NULL;
	a->tech_instructions = a->tech_comment = NULL;
}

int store_app_create(struct db *db, int64_t user_id, int64_t competition_id,
		     const struct app_summary *s, const char *doc, int64_t now,
		     int64_t *id)
{
	struct db_param p[12] = {
		DB_P_INT(user_id),
		DB_P_INT(competition_id),
		s->track_id ? DB_P_INT(s->track_id) : DB_P_NULL,
		s->topic_id ? DB_P_INT(s->topic_id) : DB_P_NULL,
		DB_P_TEXT(s->team_name),
		DB_P_TEXT(s->project_name),
		DB_P_TEXT(s->lead_unit_name),
		DB_P_TEXT(s->lead_uscc),
		DB_P_TEXT(doc),
		DB_P_INT(now),
		DB_P_TEXT(s->region ? s->region : ""),
		DB_P_TEXT(s->lead_nature ? s->lead_nature : ""),
	};
	return db_query_int(
		       db,
		       "INSERT INTO applications (user_id, competition_id, "
		       "track_id, topic_id, status, team_name, project_name, "
		       "lead_unit_name, lead_uscc, doc, created_at, updated_at, "
		       "region, lead_nature) "
		       "VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, "
		       "$10, $10, $11, $12) RETURNING id",
		       12, p, id) == 1
		       ? 0
		       : -1;
}

/*
 * The columns of an app_row in read_row()'s order; the document (column
 * 8) goes between the halves, or a NULL where it is not wanted.
 */
#define APP_COLS_A                                                             \
	"id, user_id, competition_id, COALESCE(track_id, 0), "                 \
	"COALESCE(topic_id, 0), status, stage, tech_status, "
#define APP_COLS_B                                                             \
	"return_reason, version, created_at, updated_at, "                     \
	"COALESCE(submitted_at, 0), COALESCE(first_submitted_at, 0), "         \
	"project_name, tech_instructions, tech_comment, "                      \
	"COALESCE(tech_due_at, 0), COALESCE(tech_submitted_at, 0)"

/* 0, or -1 (nothing held) when out of memory. */
static int read_row(struct db_rows *r, struct app_row *a, bool with_doc)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_int(r, 0);
	a->user_id = db_col_int(r, 1);
	a->competition_id = db_col_int(r, 2);
	a->track_id = db_col_int(r, 3);
	a->topic_id = db_col_int(r, 4);
	db_col_copy(r, 5, a->status, sizeof(a->status));
	db_col_copy(r, 6, a->stage, sizeof(a->stage));
	db_col_copy(r, 7, a->tech_status, sizeof(a->tech_status));
	a->doc = with_doc ? db_col_dup(r, 8) : NULL;
	a->return_reason = db_col_dup(r, 9);
	a->version = db_col_int(r, 10);
	a->created_at = db_col_int(r, 11);
	a->updated_at = db_col_int(r, 12);
	a->submitted_at = db_col_int(r, 13);
	a->first_submitted_at = db_col_int(r, 14);
	a->project_name = db_col_dup(r, 15);
	a->tech_instructions = db_col_dup(r, 16);
	a->tech_comment = db_col_dup(r, 17);
	a->tech_due_at = db_col_int(r, 18);
	a->tech_submitted_at = db_col_int(r, 19);
	if ((with_doc && !a->doc) || !a->project_name) {
		app_row_release(a);
		return -1;
	}
	return 0;
}

int store_app_get(struct db *db, int64_t id, int64_t owner, struct app_row *a)
{
	struct db_param p[2] = { DB_P_INT(id), DB_P_INT(owner) };
	struct db_rows *r = db_query(
		db,
		"SELECT " APP_COLS_A "doc, " APP_COLS_B " "
		"FROM applications WHERE id = $1 AND deleted_at IS NULL "
		"AND ($2 = 0 OR user_id = $2)",
		2, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1 && read_row(r, a, true) < 0)
		rc = -1;
	db_rows_free(r);
	return rc;
}

/*
 * An UPDATE … RETURNING the row as it now is (without the document):
 * 1 with *out filled (when out is not NULL), 0 when no row matched (a
 * stale version), -1 on error.
 */
static int updated_row(struct db *db, const char *sql, int n,
		       const struct db_param *p, struct app_row *out)
{
	struct db_rows *r = db_query(db, sql, n, p);
	struct app_row tmp;
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1 && read_row(r, out ? out : &tmp, false) < 0)
		rc = -1;
	else if (rc == 1 && !out)
		app_row_release(&tmp);
	/* Steps the statement to its end: the UPDATE is complete. */
	if (rc == 1 && db_next(r) < 0) {
		if (out)
			app_row_release(out);
		rc = -1;
	}
	db_rows_free(r);
	return rc;
}

int store_app_save(struct db *db, int64_t id, int64_t version,
		   const struct app_summary *s, const char *doc, int64_t now,
		   struct app_row *out)
{
	struct db_param p[12] = {
		DB_P_INT(id),
		DB_P_INT(version),
		s->track_id ? DB_P_INT(s->track_id) : DB_P_NULL,
		s->topic_id ? DB_P_INT(s->topic_id) : DB_P_NULL,
		DB_P_TEXT(s->team_name),
		DB_P_TEXT(s->project_name),
		DB_P_TEXT(s->lead_unit_name),
		DB_P_TEXT(s->lead_uscc),
		DB_P_TEXT(doc),
		DB_P_INT(now),
		DB_P_TEXT(s->region ? s->region : ""),
		DB_P_TEXT(s->lead_nature ? s->lead_nature : ""),
	};
	return updated_row(
		db,
		"UPDATE applications SET track_id = $3, topic_id = $4, "
		"team_name = $5, project_name = $6, lead_unit_name = $7, "
		"lead_uscc = $8, doc = $9, updated_at = $10, region = $11, "
		"lead_nature = $12, "
		"version = version + 1 WHERE id = $1 AND version = $2 "
		"AND deleted_at IS NULL RETURNING " APP_COLS_A
		"NULL, " APP_COLS_B,
		12, p, out);
}

int store_app_set_status_row(struct db *db, int64_t id, int64_t version,
			     const char *status, const char *reason,
			     bool submitting, int64_t now, struct app_row *out)
{
	struct db_param p[6] = {
		DB_P_INT(id),	   DB_P_INT(version),
		DB_P_TEXT(status), reason ? DB_P_TEXT(reason) : DB_P_NULL,
		DB_P_INT(now),	   DB_P_INT(submitting ? 1 : 0),
	};
	return updated_row(
		db,
		"UPDATE applications SET status = $3, return_reason = $4, "
		"updated_at = $5, version = version + 1, "
		"submitted_at = CASE WHEN $6 = 1 THEN $5 ELSE submitted_at END, "
		"first_submitted_at = CASE WHEN $6 = 1 AND first_submitted_at "
		"IS NULL THEN $5 ELSE first_submitted_at END "
		"WHERE id = $1 AND version = $2 AND deleted_at IS NULL "
		"RETURNING " APP_COLS_A "NULL, " APP_COLS_B,
		6, p, out);
}

int store_app_set_status(struct db *db, int64_t id, int64_t version,
			 const char *status, const char *reason,
			 bool submitting, int64_t now)
{
	return store_app_set_status_row(db, id, version, status, reason,
					submitting, now, NULL);
}

int store_app_delete(struct db *db, int64_t id, int64_t now)
{
	struct db_param p[2] = { DB_P_INT(id), DB_P_INT(now) };
	if (db_run(db,
		   "DELETE FROM application_people WHERE application_id = $1",
		   1, p) < 0)
		return -1;
	return db_run(db,
		      "UPDATE applications SET deleted_at = $2 WHERE id = $1",
		      2, p);
}

int store_app_history_add(struct db *db, int64_t id, int64_t actor,
			  const char *action, const char *from, const char *to,
			  const char *reason, int64_t now)
{
	struct db_param p[7] = {
		DB_P_INT(id),
		actor ? DB_P_INT(actor) : DB_P_NULL,
		DB_P_TEXT(action),
		from ? DB_P_TEXT(from) : DB_P_NULL,
		to ? DB_P_TEXT(to) : DB_P_NULL,
		reason ? DB_P_TEXT(reason) : DB_P_NULL,
		DB_P_INT(now),
	};
	return db_run(
		db,
		"INSERT INTO application_history (application_id, actor_id, "
		"action, from_status, to_status, reason, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7)",
		7, p);
}

int store_app_history_add2(struct db *db, int64_t id, int64_t actor,
			   const char *action, const char *status,
			   const char *from_value, const char *to_value,
			   const char *reason, int64_t now)
{
	struct db_param p[8] = {
		DB_P_INT(id),
		actor ? DB_P_INT(actor) : DB_P_NULL,
		DB_P_TEXT(action),
		DB_P_TEXT(status),
		from_value ? DB_P_TEXT(from_value) : DB_P_NULL,
		to_value ? DB_P_TEXT(to_value) : DB_P_NULL,
		reason ? DB_P_TEXT(reason) : DB_P_NULL,
		DB_P_INT(now),
	};
	return db_run(
		db,
		"INSERT INTO application_history (application_id, actor_id, "
		"action, from_status, to_status, from_value, to_value, reason, "
		"created_at) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)",
		8, p);
}

static json_t *history_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:o}", "action",
			 db_col_text(r, 0, NULL), "from_status",
			 db_col_json_text(r, 1), "to_status",
			 db_col_json_text(r, 2), "from_value",
			 db_col_json_text(r, 6), "to_value",
			 db_col_json_text(r, 7), "reason",
			 db_col_json_text(r, 3), "created_at",
			 (json_int_t)db_col_int(r, 4), "actor_id",
			 db_col_json_int(r, 5));
}

json_t *store_app_history(struct db *db, int64_t id)
{
	struct db_param p[1] = { DB_P_INT(id) };

	return db_json_rows(
		db,
		"SELECT action, from_status, to_status, reason, created_at, "
		"actor_id, from_value, to_value FROM application_history "
		"WHERE application_id = $1 ORDER BY id",
		1, p, history_row, NULL);
}

json_t *store_app_track_json(struct db_rows *r, int key_col, int name_col)
{
	return db_col_null(r, key_col)
		       ? json_null()
		       : json_pack("{s:s, s:s}", "key",
				   db_col_text(r, key_col, NULL), "name",
				   db_col_text(r, name_col, NULL));
}

json_t *store_app_topic_json(struct db_rows *r, int no_col, int title_col)
{
	return db_col_null(r, no_col)
		       ? json_null()
		       : json_pack("{s:I, s:s}", "no",
				   (json_int_t)db_col_int(r, no_col), "title",
				   db_col_text(r, title_col, NULL));
}

/* Escapes LIKE's wildcards so a keyword matches itself. */
static char *like_pattern(const char *kw)
{
	size_t n = strlen(kw);
	char *out = malloc(2 * n + 3), *o = out;

	if (!out)
		return NULL;
	*o++ = '%';
	for (const char *c = kw; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*o++ = '\\';
		*o++ = *c;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

/* cls: the total, which every row carries in column 16; the award from 17. */
static json_t *list_row(struct db_rows *r, void *cls)
{
	*(int64_t *)cls = db_col_int(r, 16);
	return json_pack(
		"{s:I, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:s, s:s, s:s, "
		"s:o, s:I, s:o, s:I, s:o}",
		"id", (json_int_t)db_col_int(r, 0), "team_name",
		db_col_text(r, 1, NULL), "project_name",
		db_col_text(r, 2, NULL), "competition", "slug",
		db_col_text(r, 3, NULL), "name", db_col_text(r, 4, NULL),
		"track", store_app_track_json(r, 14, 5), "topic",
		store_app_topic_json(r, 15, 6), "status",
		db_col_text(r, 7, NULL), "stage", db_col_text(r, 8, NULL),
		"tech_status", db_col_text(r, 9, NULL), "return_reason",
		db_col_json_text(r, 10), "saved_at",
		(json_int_t)db_col_int(r, 11), "submitted_at",
		db_col_json_int(r, 12), "version",
		(json_int_t)db_col_int(r, 13), "award",
		store_award_public_cols(r, 17));
}

json_t *store_app_list(struct db *db, const struct app_filter *f,
		       int64_t *total)
{
	char *pat = f->keyword ? like_pattern(f->keyword) : NULL;
	struct db_param p[5] = {
		DB_P_INT(f->user_id),
		DB_P_INT(f->limit),
		DB_P_INT(f->offset),
	};
	int np = 3;
	char where[512], status[32] = "", kw[128] = "", sql[1536];
	json_t *arr = NULL;

	if (f->keyword && !pat)
		return NULL;
	/*
	 * Only the filters given are in the text, so PostgreSQL can keep one
	 * generic plan per combination: an "($n = '' OR …)" filter is
	 * planned anew each time (db_pg.c), which tripled the database's
	 * CPU of a list (bench G2).
	 */
	if (f->status) {
		p[np++] = DB_P_TEXT(f->status);
		snprintf(status, sizeof(status), " AND a.status = $%d", np);
	}
	if (pat) {
		p[np++] = DB_P_TEXT(pat);
		snprintf(kw, sizeof(kw),
			 " AND (a.team_name LIKE $%d ESCAPE '\\' "
			 "OR a.project_name LIKE $%d ESCAPE '\\')",
			 np, np);
	}
	snprintf(where, sizeof(where),
		 " WHERE a.user_id = $1 AND a.deleted_at IS NULL%s%s", status,
		 kw);
	/*
	 * The total and each record's published award ride along with the
	 * page's rows: on PostgreSQL the round trips are most of the cost
	 * (bench G2). Only a page past the end has to count on its own.
	 */
	*total = 0;
	snprintf(
		sql, sizeof(sql),
		"SELECT a.id, a.team_name, a.project_name, c.slug, c.name, "
		"t.name, tp.title, a.status, a.stage, a.tech_status, "
		"a.return_reason, a.updated_at, a.submitted_at, a.version, "
		"t.track_key, tp.num, COUNT(*) OVER (), " STORE_AWARD_PUBLIC_COLS
		" FROM applications a "
		"JOIN competitions c ON c.id = a.competition_id "
		"LEFT JOIN tracks t ON t.id = a.track_id "
		"LEFT JOIN topics tp ON tp.id = a.topic_id " STORE_AWARD_PUBLIC_JOIN
		"%s "
		"ORDER BY a.updated_at DESC, a.id DESC LIMIT $2 OFFSET $3",
		where);
	arr = db_json_rows(db, sql, np, p, list_row, total);
	if (arr && json_array_size(arr) == 0 && f->offset > 0) {
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM applications a%s", where);
		if (db_query_int(db, sql, np, p, total) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(pat);
	return arr;
}

/* 1 when the stored people of application id are the set hashes[0..n). */
static int people_same(struct db *db, int64_t id, const char *const *hashes,
		       int n)
{
	struct db_param p[1] = { DB_P_INT(id) };
	struct db_rows *r = db_query(db,
				     "SELECT id_hash FROM application_people "
				     "WHERE application_id = $1",
				     1, p);
	int rc, rows = 0, distinct = 0, same = 1;

	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1) {
		const char *h = db_col_text(r, 0, NULL);
		int k = 0;

		rows++;
		while (k < n && (!h || strcmp(hashes[k], h)))
			k++;
		if (k == n)
			same = 0;
	}
	db_rows_free(r);
	if (rc < 0)
		return -1;
	/* Every stored one is named; are as many named (duplicates once)? */
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (k < i && strcmp(hashes[k], hashes[i]))
			k++;
		distinct += k == i;
	}
	return same && rows == distinct;
}

int store_app_people_set(struct db *db, int64_t id, const char *const *hashes,
			 int n)
{
	struct db_param p[2] = { DB_P_INT(id), DB_P_NULL };
	/*
	 * A draft is saved every few seconds and its people rarely change:
	 * rewriting the same rows would put their pages in every commit.
	 */
	int same = people_same(db, id, hashes, n);

	if (same != 0)
		return same < 0 ? -1 : 0;
	if (db_run(db,
		   "DELETE FROM application_people WHERE application_id = $1",
		   1, p) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		p[1] = DB_P_TEXT(hashes[i]);
		if (db_run(db,
			   "INSERT INTO application_people (application_id, "
			   "id_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
			   2, p) < 0)
			return -1;
	}
	return 0;
}

int64_t store_app_people_elsewhere(struct db *db, const char *id_hash,
				   int64_t exclude_id)
{
	struct db_param p[2] = { DB_P_TEXT(id_hash), DB_P_INT(exclude_id) };
	int64_t n = 0;
	/*
	 * The record's status is looked up per person row, never joined:
	 * PostgreSQL, whose statistics on this fast-growing table lag, would
	 * otherwise merge-join against every application in id order (60 ms
	 * a check at 50,000 records; bench G3).
	 */
	if (db_query_int(db,
			 "SELECT COUNT(*) FROM application_people pp "
			 "WHERE pp.id_hash = $1 AND pp.application_id <> $2 "
			 "AND (SELECT a.status FROM applications a "
			 "WHERE a.id = pp.application_id "
			 "AND a.deleted_at IS NULL) <> 'draft'",
			 2, p, &n) < 0)
		return -1;
	return n;
}

int64_t store_app_same_project_elsewhere(struct db *db, const char *lead_uscc,
					 const char *project_name,
					 int64_t competition_id,
					 int64_t exclude_id)
{
	struct db_param p[4] = { DB_P_TEXT(lead_uscc), DB_P_TEXT(project_name),
				 DB_P_INT(competition_id),
				 DB_P_INT(exclude_id) };
	int64_t n = 0;
	if (db_query_int(
		    db,
		    "SELECT COUNT(*) FROM applications WHERE lead_uscc = $1 "
		    "AND project_name = $2 AND competition_id <> $3 "
		    "AND id <> $4 AND deleted_at IS NULL AND status <> 'draft'",
		    4, p, &n) < 0)
		return -1;
	return n;
}

int store_unit_listed(struct db *db, const char *kind, int64_t competition_id,
		      const char *uscc)
{
	struct db_param p[3] = { DB_P_TEXT(kind), DB_P_INT(competition_id),
				 DB_P_TEXT(uscc) };
	int64_t n = 0;
	if (db_query_int(db,
			 "SELECT COUNT(*) FROM unit_lists WHERE kind = $1 "
			 "AND competition_id = $2 AND uscc = $3",
			 3, p, &n) < 0)
		return -1;
	return n > 0;
}

int store_unit_list_add(struct db *db, const char *kind, int64_t competition_id,
			const char *uscc, const char *name, const char *note,
			int64_t now)
{
	struct db_param p[6] = { DB_P_TEXT(kind), DB_P_INT(competition_id),
				 DB_P_TEXT(uscc), DB_P_TEXT(name),
				 DB_P_TEXT(note), DB_P_INT(now) };
	return db_run(db,
		      "INSERT INTO unit_lists (kind, competition_id, uscc, "
		      "name, note, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
		      "ON CONFLICT (kind, competition_id, uscc) DO UPDATE SET "
		      "name = excluded.name, note = excluded.note",
		      6, p);
}

int store_uscc_is_verified(struct db *db, const char *uscc)
{
	struct db_param p[1] = { DB_P_TEXT(uscc) };
	int64_t n = 0;
	if (db_query_int(db,
			 "SELECT COUNT(*) FROM uscc_verified WHERE uscc = $1",
			 1, p, &n) < 0)
		return -1;
	return n > 0;
}

int store_uscc_verify(struct db *db, const char *uscc, const char *note,
		      int64_t actor, int64_t now)
{
	struct db_param p[4] = { DB_P_TEXT(uscc), DB_P_TEXT(note),
				 actor ? DB_P_INT(actor) : DB_P_NULL,
				 DB_P_INT(now) };
	return db_run(db,
		      "INSERT INTO uscc_verified (uscc, note, verified_by, "
		      "created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (uscc) "
		      "DO UPDATE SET note = excluded.note",
		      4, p);
}

int store_audit_add(struct db *db, int64_t actor, const char *action,
		    const char *object_type, int64_t object_id, const char *ip,
		    const char *detail, int64_t now)
{
	struct audit_entry e = { actor, action, object_type, object_id,
				 0,	ip,	detail,	     now };
	return store_audit_write(db, &e);
}

char *store_competition_resubmit_closes(struct db *db, int64_t competition_id)
{
	struct db_param p[1] = { DB_P_INT(competition_id) };
	struct db_rows *r = db_query(db,
				     "SELECT resubmit_closes FROM competitions "
				     "WHERE id = $1",
				     1, p);
	char *out = NULL;

	if (r && db_next(r) == 1)
		out = db_col_dup(r, 0);
	db_rows_free(r);
	return out;
}
