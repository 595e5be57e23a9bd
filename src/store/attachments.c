/* attachments.c: the only SQL over attachments */
#include <stdio.h>
#include <string.h>
#include "attachments.h"
#include "db_json.h"
#include "../util/banned.h"

int store_att_add(struct db *db, const struct att_new *a, int64_t *id)
{
	struct db_param p[12] = {
		DB_P_INT(a->application_id),
		DB_P_TEXT(a->slot),
		a->row_path ? DB_P_TEXT(a->row_path) : DB_P_NULL,
		DB_P_TEXT(a->file_name),
		DB_P_INT(a->size),
		DB_P_TEXT(a->kind),
		DB_P_TEXT(a->mime),
		DB_P_TEXT(a->sha256),
		DB_P_TEXT(a->storage_key),
		DB_P_INT(a->uploaded_by),
		DB_P_INT(a->now),
		DB_P_NULL,
	};
	if (db_query_int(
		    db,
		    "INSERT INTO attachments (application_id, slot, row_path, "
		    "file_name, size, kind, mime, sha256, storage_key, "
		    "uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
		    "$7, $8, $9, $10, $11) RETURNING id",
		    11, p, id) != 1)
		return -1;
	if (a->replaces) {
		struct db_param q[4] = { DB_P_INT(a->now), DB_P_INT(*id),
					 DB_P_INT(a->replaces),
					 DB_P_INT(a->application_id) };
		if (db_run(db,
			   "UPDATE attachments SET deleted_at = $1, "
			   "replaced_by = $2 WHERE id = $3 AND "
			   "application_id = $4 AND deleted_at IS NULL",
			   4, q) < 0)
			return -1;
	}
	return 0;
}

int store_att_get(struct db *db, int64_t application_id, int64_t id,
		  struct att_row *a)
{
	struct db_param p[2] = { DB_P_INT(application_id), DB_P_INT(id) };
	struct db_rows *r = db_query(
		db,
		"SELECT id, application_id, slot, file_name, kind, mime, sha256, "
		"storage_key, size, created_at, COALESCE(deleted_at, 0) "
		"FROM attachments WHERE application_id = $1 AND id = $2",
		2, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		memset(a, 0, sizeof(*a));
		a->id = db_col_int(r, 0);
		a->application_id = db_col_int(r, 1);
		db_col_copy(r, 2, a->slot, sizeof(a->slot));
		db_col_copy(r, 3, a->file_name, sizeof(a->file_name));
		db_col_copy(r, 4, a->kind, sizeof(a->kind));
		db_col_copy(r, 5, a->mime, sizeof(a->mime));
		db_col_copy(r, 6, a->sha256, sizeof(a->sha256));
		db_col_copy(r, 7, a->storage_key, sizeof(a->storage_key));
		a->size = db_col_int(r, 8);
		a->created_at = db_col_int(r, 9);
		a->deleted_at = db_col_int(r, 10);
	}
	db_rows_free(r);
	return rc;
}

static json_t *att_row(struct db_rows *r, void *cls)
{
	const bool *with_history = cls;
	json_t *o = json_pack(
		"{s:I, s:s, s:o, s:s, s:I, s:s, s:s, s:s, s:I}", "id",
		(json_int_t)db_col_int(r, 0), "slot", db_col_text(r, 1, NULL),
		"row", db_col_json_text(r, 2), "file_name",
		db_col_text(r, 3, NULL), "size", (json_int_t)db_col_int(r, 4),
		"kind", db_col_text(r, 5, NULL), "mime",
		db_col_text(r, 6, NULL), "sha256", db_col_text(r, 7, NULL),
		"uploaded_at", (json_int_t)db_col_int(r, 8));

	if (o && *with_history) {
		json_object_set_new(o, "deleted_at", db_col_json_int(r, 9));
		json_object_set_new(o, "replaced_by", db_col_json_int(r, 10));
	}
	return o;
}

json_t *store_att_list(struct db *db, int64_t application_id, bool with_history)
{
	struct db_param p[2] = { DB_P_INT(application_id),
				 DB_P_INT(with_history ? 1 : 0) };

	return db_json_rows(
		db,
		"SELECT id, slot, row_path, file_name, size, kind, mime, sha256, "
		"created_at, deleted_at, replaced_by FROM attachments "
		"WHERE application_id = $1 AND ($2 = 1 OR deleted_at IS NULL) "
		"ORDER BY id",
		2, p, att_row, &with_history);
}

int store_att_counts(struct db *db, int64_t application_id, const char *slot,
		     int64_t *in_slot, int64_t *total_bytes)
{
	struct db_param p[2] = { DB_P_INT(application_id), DB_P_TEXT(slot) };
	struct db_rows *r = db_query(
		db,
		"SELECT COALESCE(SUM(CASE WHEN slot = $2 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(size), 0) FROM attachments "
		"WHERE application_id = $1 AND deleted_at IS NULL",
		2, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	*in_slot = rc == 1 ? db_col_int(r, 0) : 0;
	*total_bytes = rc == 1 ? db_col_int(r, 1) : 0;
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_att_delete(struct db *db, int64_t application_id, int64_t id,
		     int64_t now)
{
	struct db_param p[3] = { DB_P_INT(now), DB_P_INT(id),
				 DB_P_INT(application_id) };
	int64_t got = 0;
	return db_query_int(db,
			    "UPDATE attachments SET deleted_at = $1 "
			    "WHERE id = $2 AND application_id = $3 AND "
			    "deleted_at IS NULL RETURNING id",
			    3, p, &got);
}

int store_blob_intent_add(struct db *db, const char *key, int64_t now)
{
	struct db_param p[2] = { DB_P_TEXT(key), DB_P_INT(now) };
	return db_run(db,
		      "INSERT INTO blob_intents (storage_key, created_at) "
		      "VALUES ($1, $2)",
		      2, p);
}

int store_blob_intent_del(struct db *db, const char *key)
{
	struct db_param p[1] = { DB_P_TEXT(key) };
	return db_run(db, "DELETE FROM blob_intents WHERE storage_key = $1", 1,
		      p);
}

static json_t *intent_json(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:s, s:I, s:b}", "storage_key",
			 db_col_text(r, 0, NULL), "created_at",
			 (json_int_t)db_col_int(r, 1), "referenced",
			 db_col_int(r, 2) != 0);
}

json_t *store_blob_intents(struct db *db, int max)
{
	struct db_param p[1] = { DB_P_INT(max) };
	return db_json_rows(
		db,
		"SELECT i.storage_key, i.created_at, "
		"CASE WHEN EXISTS (SELECT 1 FROM attachments a "
		"WHERE a.storage_key = i.storage_key) OR EXISTS (SELECT 1 "
		"FROM export_jobs e WHERE e.storage_key = i.storage_key) "
		"THEN 1 ELSE 0 END "
		"FROM blob_intents i ORDER BY i.created_at, i.storage_key "
		"LIMIT $1",
		1, p, intent_json, NULL);
}
