/* messages.c: the only SQL of in-app messages and SMS notices */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "messages.h"
#include "db_json.h"
#include "../util/banned.h"

/* A notice left "sending" this long was claimed by a process that died. */
#define STALE_CLAIM 600

int store_message_add(struct db *db, int64_t user_id, int64_t application_id,
		      const char *event, const char *title, const char *body,
		      int64_t now)
{
	struct db_param p[6] = {
		DB_P_INT(user_id),
		application_id ? DB_P_INT(application_id) : DB_P_NULL,
		DB_P_TEXT(event),
		DB_P_TEXT(title),
		DB_P_TEXT(body),
		DB_P_INT(now),
	};
	return db_run(db,
		      "INSERT INTO messages (user_id, application_id, event, "
		      "title, body, created_at) VALUES ($1, $2, $3, $4, $5, "
		      "$6)",
		      6, p);
}

static json_t *message_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:o, s:b}", "id",
			 (json_int_t)db_col_int(r, 0), "event",
			 db_col_text(r, 1, NULL), "title",
			 db_col_text(r, 2, NULL), "body",
			 db_col_text(r, 3, NULL), "application_id",
			 db_col_json_int(r, 4), "created_at",
			 (json_int_t)db_col_int(r, 5), "read_at",
			 db_col_json_int(r, 6), "read", !db_col_null(r, 6));
}

json_t *store_message_list(struct db *db, int64_t user_id, int64_t limit,
			   int64_t offset, int64_t *total)
{
	struct db_param p[3] = { DB_P_INT(user_id), DB_P_INT(limit),
				 DB_P_INT(offset) };

	if (db_query_int(db, "SELECT COUNT(*) FROM messages WHERE user_id = $1",
			 1, p, total) < 0)
		return NULL;
	return db_json_rows(db,
			    "SELECT id, event, title, body, application_id, "
			    "created_at, read_at FROM messages "
			    "WHERE user_id = $1 "
			    "ORDER BY id DESC LIMIT $2 OFFSET $3",
			    3, p, message_row, NULL);
}

int store_message_unread(struct db *db, int64_t user_id, int64_t *n)
{
	struct db_param p[1] = { DB_P_INT(user_id) };
	*n = 0;
	return db_query_int(db,
			    "SELECT COUNT(*) FROM messages WHERE user_id = $1 "
			    "AND read_at IS NULL",
			    1, p, n) < 0
		       ? -1
		       : 0;
}

int store_message_read(struct db *db, int64_t user_id, int64_t id, int64_t now)
{
	struct db_param p[3] = { DB_P_INT(user_id), DB_P_INT(id),
				 DB_P_INT(now) };
	int64_t got = 0;
	/* COALESCE keeps the first reading time. */
	return db_query_int(
		db,
		"UPDATE messages SET read_at = COALESCE(read_at, $3) "
		"WHERE id = $2 AND user_id = $1 RETURNING id",
		3, p, &got);
}

int store_message_read_all(struct db *db, int64_t user_id, int64_t now,
			   int64_t *n)
{
	struct db_param p[2] = { DB_P_INT(user_id), DB_P_INT(now) };
	struct db_rows *r = db_query(db,
				     "UPDATE messages SET read_at = $2 "
				     "WHERE user_id = $1 AND read_at IS NULL "
				     "RETURNING id",
				     2, p);
	int rc;

	*n = 0;
	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1)
		(*n)++;
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_sms_notice_add(struct db *db, int64_t user_id, int64_t application_id,
			 const char *event, const char *sealed_text,
			 int64_t now)
{
	struct db_param p[5] = {
		DB_P_INT(user_id),
		application_id ? DB_P_INT(application_id) : DB_P_NULL,
		DB_P_TEXT(event),
		DB_P_TEXT(sealed_text),
		DB_P_INT(now),
	};
	return db_run(
		db,
		"INSERT INTO sms_notices (user_id, application_id, event, "
		"sealed_text, created_at, next_at) VALUES ($1, $2, $3, "
		"$4, $5, $5)",
		5, p);
}

void sms_notice_row_release(struct sms_notice_row *n)
{
	free(n->sealed_text);
	free(n->phone_sealed);
	n->sealed_text = n->phone_sealed = NULL;
}

int store_sms_notice_claim(struct db *db, int64_t now, struct sms_notice_row *n)
{
	struct db_param p[2] = { DB_P_INT(now), DB_P_INT(now - STALE_CLAIM) };
	struct db_rows *r;
	int rc;

	memset(n, 0, sizeof(*n));
	/*
	 * The status test is repeated in the UPDATE: of two processes that
	 * picked the same row, the second finds it no longer queued and
	 * updates nothing (PostgreSQL re-checks the row after the first
	 * commits; SQLite writes one at a time).
	 */
	r = db_query(
		db,
		"UPDATE sms_notices SET status = 'sending', claimed_at = $1, "
		"attempts = attempts + 1 WHERE id = (SELECT id FROM sms_notices "
		"WHERE (status = 'queued' AND next_at <= $1) OR "
		"(status = 'sending' AND claimed_at < $2) ORDER BY id LIMIT 1) "
		"AND ((status = 'queued' AND next_at <= $1) OR "
		"(status = 'sending' AND claimed_at < $2)) "
		"RETURNING id, user_id, attempts, event, sealed_text",
		2, p);
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		n->id = db_col_int(r, 0);
		n->user_id = db_col_int(r, 1);
		n->attempts = db_col_int(r, 2);
		db_col_copy(r, 3, n->event, sizeof(n->event));
		n->sealed_text = db_col_dup(r, 4);
		if (!n->sealed_text)
			rc = -1;
	}
	db_rows_free(r);
	if (rc == 1) {
		struct db_param q[1] = { DB_P_INT(n->user_id) };
		r = db_query(db, "SELECT phone_sealed FROM users WHERE id = $1",
			     1, q);
		if (!r || db_next(r) != 1 ||
		    !(n->phone_sealed = db_col_dup(r, 0)))
			rc = -1;
		db_rows_free(r);
	}
	if (rc < 0)
		sms_notice_row_release(n);
	return rc;
}

int store_sms_notice_done(struct db *db, int64_t id, bool sent,
			  const char *error, int64_t retry_at, int64_t now)
{
	struct db_param p[5] = {
		DB_P_INT(id),
		DB_P_TEXT(sent		 ? "sent"
			  : retry_at > 0 ? "queued"
					 : "failed"),
		error ? DB_P_TEXT(error) : DB_P_NULL,
		DB_P_INT(retry_at > 0 ? retry_at : now),
		sent ? DB_P_INT(now) : DB_P_NULL,
	};
	return db_run(db,
		      "UPDATE sms_notices SET status = $2, last_error = $3, "
		      "next_at = $4, sent_at = $5 WHERE id = $1",
		      5, p);
}

json_t *store_sms_notice_counts(struct db *db)
{
	json_t *out = json_pack("{s:i, s:i, s:i, s:i}", "queued", 0, "sending",
				0, "sent", 0, "failed", 0);

	if (out && db_json_counts(db,
				  "SELECT status, COUNT(*) FROM sms_notices "
				  "GROUP BY status",
				  0, NULL, out) < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int store_sms_template_get(struct db *db, const char *event, char **text,
			   int64_t *updated_at, int64_t *updated_by)
{
	struct db_param p[1] = { DB_P_TEXT(event) };
	struct db_rows *r = db_query(db,
				     "SELECT text, updated_at, updated_by "
				     "FROM sms_templates WHERE event = $1",
				     1, p);
	int rc;

	*text = NULL;
	if (updated_at)
		*updated_at = 0;
	if (updated_by)
		*updated_by = 0;
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		*text = db_col_dup(r, 0);
		if (updated_at)
			*updated_at = db_col_int(r, 1);
		if (updated_by)
			*updated_by = db_col_int(r, 2);
		if (!*text)
			rc = -1;
	}
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_sms_template_set(struct db *db, const char *event, const char *text,
			   int64_t actor, int64_t now)
{
	struct db_param p[4] = { DB_P_TEXT(event),
				 text ? DB_P_TEXT(text) : DB_P_TEXT(""),
				 actor ? DB_P_INT(actor) : DB_P_NULL,
				 DB_P_INT(now) };
	if (!text)
		return db_run(db, "DELETE FROM sms_templates WHERE event = $1",
			      1, p);
	return db_run(db,
		      "INSERT INTO sms_templates (event, text, updated_by, "
		      "updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (event) "
		      "DO UPDATE SET text = excluded.text, "
		      "updated_by = excluded.updated_by, "
		      "updated_at = excluded.updated_at",
		      4, p);
}
