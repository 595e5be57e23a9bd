/* console.c: the only SQL of the organisers' console, but for messages and audit */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "console.h"
#include "applications.h"
#include "db_json.h"
#include "../util/banned.h"

/* Escapes LIKE's wildcards; with prefix_only the pattern is "kw%". */
static char *like(const char *kw, bool prefix_only, bool upper)
{
	size_t n = strlen(kw);
	char *out = malloc(2 * n + 3), *o = out;

	if (!out)
		return NULL;
	if (!prefix_only)
		*o++ = '%';
	for (const char *c = kw; *c; c++) {
		char ch = *c;
		if (ch == '%' || ch == '_' || ch == '\\')
			*o++ = '\\';
		if (upper && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		*o++ = ch;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

/*
 * The filters, $1..$12, shared by the list, the count and the counts per
 * status. Written once for both databases: an unused filter is '' or 0.
 */
static const char queue_where[] =
	" FROM applications a "
	"LEFT JOIN tracks t ON t.id = a.track_id "
	"LEFT JOIN topics tp ON tp.id = a.topic_id "
	"WHERE a.competition_id = $1 AND a.deleted_at IS NULL "
	"AND a.status <> 'draft' "
	"AND ($2 = '' OR t.track_key = $2) "
	"AND ($3 = 0 OR tp.num = $3) "
	"AND ($4 = '' OR a.status = $4) "
	"AND ($5 = '' OR a.stage = $5) "
	"AND ($6 = '' OR a.tech_status = $6) "
	"AND ($7 = '' OR a.region LIKE $7 ESCAPE '\\') "
	"AND ($8 = '' OR a.lead_nature = $8) "
	"AND a.submitted_at >= $9 AND a.submitted_at < $10 "
	"AND ($11 = '' OR a.project_name LIKE $11 ESCAPE '\\' "
	"OR a.team_name LIKE $11 ESCAPE '\\' "
	"OR a.lead_unit_name LIKE $11 ESCAPE '\\' "
	"OR a.lead_uscc LIKE $12 ESCAPE '\\')";

struct queue_params {
	struct db_param p[14];
	char *region;
	char *kw;
	char *kw_upper;
};

static int queue_params_init(struct queue_params *q,
			     const struct queue_filter *f, bool with_status)
{
	memset(q, 0, sizeof(*q));
	if (f->region && !(q->region = like(f->region, true, false)))
		return -1;
	if (f->keyword && (!(q->kw = like(f->keyword, false, false)) ||
			   !(q->kw_upper = like(f->keyword, false, true))))
		return -1;
#define T(s) ((s) ? DB_P_TEXT(s) : DB_P_TEXT(""))
	q->p[0] = DB_P_INT(f->competition_id);
	q->p[1] = T(f->track);
	q->p[2] = DB_P_INT(f->topic);
	q->p[3] = with_status ? T(f->status) : DB_P_TEXT("");
	q->p[4] = T(f->stage);
	q->p[5] = T(f->tech);
	q->p[6] = T(q->region);
	q->p[7] = T(f->nature);
	q->p[8] = DB_P_INT(f->submitted_from);
	q->p[9] = DB_P_INT(f->submitted_to ? f->submitted_to : INT64_MAX);
	q->p[10] = T(q->kw);
	q->p[11] = T(q->kw_upper);
#undef T
	q->p[12] = DB_P_INT(f->limit);
	q->p[13] = DB_P_INT(f->offset);
	return 0;
}

static void queue_params_release(struct queue_params *q)
{
	free(q->region);
	free(q->kw);
	free(q->kw_upper);
}

static json_t *queue_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, "
		"s:s, s:s, s:o, s:I, s:I, s:o, s:b, s:b, s:I}",
		"id", (json_int_t)db_col_int(r, 0), "team_name",
		db_col_text(r, 1, NULL), "project_name",
		db_col_text(r, 2, NULL), "lead_unit_name",
		db_col_text(r, 3, NULL), "lead_uscc", db_col_text(r, 4, NULL),
		"track", store_app_track_json(r, 5, 6), "topic",
		store_app_topic_json(r, 7, 8), "status",
		db_col_text(r, 9, NULL), "stage", db_col_text(r, 10, NULL),
		"tech_status", db_col_text(r, 11, NULL), "region",
		db_col_text(r, 12, NULL), "lead_nature",
		db_col_text(r, 13, NULL), "submitted_at",
		db_col_json_int(r, 14), "saved_at",
		(json_int_t)db_col_int(r, 15), "version",
		(json_int_t)db_col_int(r, 16), "tech_due_at",
		db_col_json_int(r, 17), "duplicate", db_col_int(r, 18) != 0,
		"uscc_verified", db_col_int(r, 19) != 0, "listed",
		(json_int_t)db_col_int(r, 20));
}

json_t *store_queue_list(struct db *db, const struct queue_filter *f,
			 int64_t *total)
{
	struct queue_params q;
	const char *order;
	char sql[4096];
	json_t *arr = NULL;

	if (queue_params_init(&q, f, true) < 0)
		goto done;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", queue_where);
	if (db_query_int(db, sql, 12, q.p, total) < 0)
		goto done;
	/* Only these three, so the ORDER BY never comes from the client. */
	if (f->sort && !strcmp(f->sort, "project_name"))
		order = f->asc ? "a.project_name ASC, a.id ASC"
			       : "a.project_name DESC, a.id DESC";
	else if (f->sort && !strcmp(f->sort, "saved_at"))
		order = f->asc ? "a.updated_at ASC, a.id ASC"
			       : "a.updated_at DESC, a.id DESC";
	else
		order = f->asc ? "a.submitted_at ASC, a.id ASC"
			       : "a.submitted_at DESC, a.id DESC";
	snprintf(
		sql, sizeof(sql),
		"SELECT a.id, a.team_name, a.project_name, a.lead_unit_name, "
		"a.lead_uscc, t.track_key, t.name, tp.num, tp.title, a.status, "
		"a.stage, a.tech_status, a.region, a.lead_nature, "
		"a.submitted_at, a.updated_at, a.version, a.tech_due_at, "
		"CASE WHEN EXISTS (SELECT 1 FROM applications b "
		"WHERE b.competition_id = a.competition_id AND b.id <> a.id "
		"AND b.deleted_at IS NULL AND b.status <> 'draft' "
		"AND ((a.project_name <> '' AND b.project_name = a.project_name) "
		"OR (a.lead_uscc <> '' AND b.lead_uscc = a.lead_uscc))) "
		"THEN 1 ELSE 0 END, "
		"CASE WHEN EXISTS (SELECT 1 FROM uscc_verified v "
		"WHERE v.uscc = a.lead_uscc) THEN 1 ELSE 0 END, "
		"(SELECT COUNT(*) FROM unit_lists l WHERE a.lead_uscc <> '' "
		"AND l.uscc = a.lead_uscc AND ((l.kind = 'exclusion' "
		"AND l.competition_id = a.competition_id) "
		"OR l.kind = 'dishonest'))"
		"%s ORDER BY %s LIMIT $13 OFFSET $14",
		queue_where, order);
	arr = db_json_rows(db, sql, 14, q.p, queue_row, NULL);
done:
	queue_params_release(&q);
	return arr;
}

json_t *store_queue_counts(struct db *db, const struct queue_filter *f)
{
	struct queue_params q;
	char sql[4096];
	json_t *out = json_pack("{s:i, s:i, s:i}", "submitted", 0, "approved",
				0, "returned", 0);

	if (queue_params_init(&q, f, false) < 0)
		goto fail;
	snprintf(sql, sizeof(sql),
		 "SELECT a.status, COUNT(*)%s GROUP BY a.status", queue_where);
	if (!out || db_json_counts(db, sql, 12, q.p, out) < 0)
		goto fail;
	queue_params_release(&q);
	return out;
fail:
	queue_params_release(&q);
	json_decref(out);
	return NULL;
}

static json_t *id_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_integer(db_col_int(r, 0));
}

json_t *store_app_duplicates(struct db *db, int64_t id, int64_t competition_id,
			     const char *project_name, const char *lead_uscc)
{
	struct db_param p[4] = { DB_P_INT(id), DB_P_INT(competition_id),
				 DB_P_TEXT(project_name),
				 DB_P_TEXT(lead_uscc) };

	return db_json_rows(
		db,
		"SELECT id FROM applications WHERE competition_id = $2 "
		"AND id <> $1 AND deleted_at IS NULL AND status <> 'draft' "
		"AND (($3 <> '' AND project_name = $3) "
		"OR ($4 <> '' AND lead_uscc = $4)) ORDER BY id LIMIT 20",
		4, p, id_row, NULL);
}

int store_app_set_stage(struct db *db, int64_t id, int64_t version,
			const char *stage, int64_t now)
{
	struct db_param p[4] = { DB_P_INT(id), DB_P_INT(version),
				 DB_P_TEXT(stage), DB_P_INT(now) };
	int64_t got = 0;
	return db_query_int(
		db,
		"UPDATE applications SET stage = $3, updated_at = $4, "
		"version = version + 1 WHERE id = $1 AND version = $2 "
		"AND deleted_at IS NULL RETURNING id",
		4, p, &got);
}

int store_app_set_tech(struct db *db, int64_t id, int64_t version,
		       const char *tech_status, enum tech_write how,
		       const char *text, int64_t due_at, int64_t now)
{
	struct db_param p[6] = {
		DB_P_INT(id),
		DB_P_INT(version),
		DB_P_INT(now),
		DB_P_TEXT(tech_status),
		text ? DB_P_TEXT(text) : DB_P_NULL,
		DB_P_INT(due_at),
	};
	int64_t got = 0;

	/* Each statement names only the parameters it is given. */
	switch (how) {
	case TECH_WRITE_OPEN:
		return db_query_int(
			db,
			"UPDATE applications SET tech_status = $4, "
			"tech_instructions = $5, tech_due_at = $6, "
			"tech_comment = NULL, tech_submitted_at = NULL, "
			"updated_at = $3, version = version + 1 "
			"WHERE id = $1 AND version = $2 AND deleted_at IS NULL "
			"RETURNING id",
			6, p, &got);
	case TECH_WRITE_SUBMIT:
		return db_query_int(
			db,
			"UPDATE applications SET tech_status = $4, "
			"tech_submitted_at = $3, updated_at = $3, "
			"version = version + 1 WHERE id = $1 AND version = $2 "
			"AND deleted_at IS NULL RETURNING id",
			4, p, &got);
	case TECH_WRITE_RESULT:
		break;
	}
	return db_query_int(
		db,
		"UPDATE applications SET tech_status = $4, "
		"tech_comment = $5, updated_at = $3, "
		"version = version + 1 WHERE id = $1 AND version = $2 "
		"AND deleted_at IS NULL RETURNING id",
		5, p, &got);
}

int store_return_reasons_get(struct db *db, int64_t competition_id,
			     char **json_text)
{
	struct db_param p[1] = { DB_P_INT(competition_id) };
	struct db_rows *r = db_query(db,
				     "SELECT reasons FROM return_reasons "
				     "WHERE competition_id = $1",
				     1, p);
	int rc;

	*json_text = NULL;
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1 && !(*json_text = db_col_dup(r, 0)))
		rc = -1;
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_return_reasons_set(struct db *db, int64_t competition_id,
			     const char *json_text, int64_t actor, int64_t now)
{
	struct db_param p[4] = { DB_P_INT(competition_id), DB_P_TEXT(json_text),
				 actor ? DB_P_INT(actor) : DB_P_NULL,
				 DB_P_INT(now) };
	return db_run(db,
		      "INSERT INTO return_reasons (competition_id, reasons, "
		      "updated_by, updated_at) VALUES ($1, $2, $3, $4) "
		      "ON CONFLICT (competition_id) DO UPDATE SET "
		      "reasons = excluded.reasons, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      4, p);
}

json_t *store_staff_list(struct db *db, int64_t competition_id)
{
	struct db_param p[1] = { DB_P_INT(competition_id) };
	struct db_rows *r = db_query(
		db,
		"SELECT u.id, u.account, u.phone_masked, ur.role, "
		"ur.created_at FROM user_roles ur "
		"JOIN users u ON u.id = ur.user_id "
		"WHERE ur.competition_id = $1 AND ur.role IN ('reviewer', "
		"'judge', 'competition_admin') "
		"ORDER BY u.account_lower, u.id, ur.role",
		1, p);
	json_t *arr = json_array(), *cur = NULL;
	int64_t cur_id = 0;
	int rc;

	if (!r || !arr)
		goto fail;
	while ((rc = db_next(r)) == 1) {
		int64_t uid = db_col_int(r, 0);
		if (!cur || uid != cur_id) {
			cur = json_pack("{s:I, s:s, s:s, s:[], s:I}", "user_id",
					(json_int_t)uid, "account",
					db_col_text(r, 1, NULL), "phone_masked",
					db_col_text(r, 2, NULL), "roles",
					"added_at",
					(json_int_t)db_col_int(r, 4));
			if (!cur || json_array_append_new(arr, cur) < 0)
				goto fail;
			cur_id = uid;
		}
		json_array_append_new(json_object_get(cur, "roles"),
				      json_string(db_col_text(r, 3, NULL)));
	}
	if (rc < 0)
		goto fail;
	db_rows_free(r);
	return arr;
fail:
	db_rows_free(r);
	json_decref(arr);
	return NULL;
}

int store_user_remove_role(struct db *db, int64_t user_id, const char *role,
			   int64_t competition_id)
{
	struct db_param p[3] = { DB_P_INT(user_id), DB_P_TEXT(role),
				 DB_P_INT(competition_id) };
	struct db_rows *r = db_query(
		db,
		"DELETE FROM user_roles WHERE user_id = $1 AND role = $2 "
		"AND competition_id = $3 RETURNING id",
		3, p);
	int n = 0, rc;

	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1)
		n++;
	db_rows_free(r);
	return rc < 0 ? -1 : n;
}

int store_competition_schedule(struct db *db, int64_t competition_id,
			       char **doc, char **resubmit_closes)
{
	struct db_param p[1] = { DB_P_INT(competition_id) };
	struct db_rows *r = db_query(db,
				     "SELECT doc, resubmit_closes FROM "
				     "competitions WHERE id = $1",
				     1, p);
	int rc;

	*doc = *resubmit_closes = NULL;
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		*doc = db_col_dup(r, 0);
		*resubmit_closes = db_col_dup(r, 1);
		if (!*doc)
			rc = -1;
	}
	db_rows_free(r);
	if (rc < 0) {
		free(*doc);
		free(*resubmit_closes);
		*doc = *resubmit_closes = NULL;
	}
	return rc;
}

int store_competition_set_schedule(struct db *db, int64_t competition_id,
				   const char *doc, const char *opens,
				   const char *closes,
				   const char *resubmit_closes, int64_t now)
{
	struct db_param p[6] = {
		DB_P_INT(competition_id),
		DB_P_TEXT(doc),
		opens ? DB_P_TEXT(opens) : DB_P_NULL,
		closes ? DB_P_TEXT(closes) : DB_P_NULL,
		resubmit_closes ? DB_P_TEXT(resubmit_closes) : DB_P_NULL,
		DB_P_INT(now),
	};
	if (db_run(db,
		   "UPDATE competitions SET doc = $2, registration_opens = $3, "
		   "registration_closes = $4, resubmit_closes = $5, "
		   "updated_at = $6 WHERE id = $1",
		   6, p) < 0)
		return -1;
	return db_run(db,
		      "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 "
		      "AS TEXT) WHERE name = 'catalog_revision'",
		      0, NULL);
}
