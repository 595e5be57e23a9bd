/* auth.c: the only SQL over the sign-in tables */
#include <stdio.h>
#include <string.h>
#include "auth.h"
#include "../util/banned.h"

#define MAX_SMS_TRIES 5

int store_captcha_add(struct db *db, const char *id, const char *answer_sealed,
		      int64_t now, int64_t expires_at)
{
	struct db_param p[4] = { DB_P_TEXT(id), DB_P_TEXT(answer_sealed),
				 DB_P_INT(now), DB_P_INT(expires_at) };
	/* Old captchas go as new ones come; the index keeps this cheap. */
	struct db_param q[1] = { DB_P_INT(now - 3600) };
	if (db_run(db, "DELETE FROM captchas WHERE expires_at < $1", 1, q) < 0)
		return -1;
	return db_run(db,
		      "INSERT INTO captchas (id, answer_sealed, created_at, "
		      "expires_at) VALUES ($1, $2, $3, $4)",
		      4, p);
}

int store_captcha_take(struct db *db, const char *id, int64_t now,
		       char sealed_out[256])
{
	struct db_param p[2] = { DB_P_TEXT(id), DB_P_INT(now) };
	struct db_rows *r = db_query(
		db,
		"UPDATE captchas SET used = 1 WHERE id = $1 AND used = 0 "
		"AND expires_at > $2 RETURNING answer_sealed",
		2, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		const char *h = db_col_text(r, 0, NULL);
		snprintf(sealed_out, 256, "%s", h ? h : "");
	}
	db_rows_free(r);
	/* An expired one is used up too, so it can never come back. */
	if (rc == 0 &&
	    db_run(db, "UPDATE captchas SET used = 1 WHERE id = $1", 1, p) < 0)
		return -1;
	return rc;
}

int store_sms_counts(struct db *db, const char *phone_hash, const char *ip,
		     int64_t now, struct sms_counts *c)
{
	struct db_param p[4] = { DB_P_TEXT(phone_hash), DB_P_INT(now - 3600),
				 DB_P_INT(now - 86400), DB_P_TEXT(ip) };
	struct db_rows *r;
	int rc;

	memset(c, 0, sizeof(*c));
	r = db_query(
		db,
		"SELECT COALESCE(MAX(created_at), 0), "
		"SUM(CASE WHEN created_at > $2 THEN 1 ELSE 0 END), COUNT(*), "
		"MIN(CASE WHEN created_at > $2 THEN created_at END), "
		"COALESCE(MIN(created_at), 0) "
		"FROM sms_codes WHERE phone_hash = $1 AND created_at > $3",
		3, p);
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		c->last_at = db_col_int(r, 0);
		c->hour = db_col_int(r, 1);
		c->day = db_col_int(r, 2);
		c->first_in_hour = db_col_int(r, 3);
		c->first_in_day = db_col_int(r, 4);
	}
	db_rows_free(r);
	if (rc < 0)
		return -1;
	{
		struct db_param q[2] = { DB_P_TEXT(ip), DB_P_INT(now - 3600) };
		r = db_query(db,
			     "SELECT COUNT(*), COALESCE(MIN(created_at), 0) "
			     "FROM sms_codes WHERE ip = $1 AND created_at > $2",
			     2, q);
	}
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		c->ip_hour = db_col_int(r, 0);
		c->ip_first_in_hour = db_col_int(r, 1);
	}
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_sms_code_add(struct db *db, const char *phone_hash,
		       const char *purpose, const char *code_hash,
		       const char *ip, int64_t now, int64_t expires_at,
		       int64_t *id)
{
	struct db_param p[6] = { DB_P_TEXT(phone_hash), DB_P_TEXT(purpose),
				 DB_P_TEXT(code_hash),	DB_P_TEXT(ip),
				 DB_P_INT(now),		DB_P_INT(expires_at) };
	if (db_run(db,
		   "UPDATE sms_codes SET used = 1 WHERE phone_hash = $1 "
		   "AND purpose = $2 AND used = 0",
		   2, p) < 0)
		return -1;
	return db_query_int(
		       db,
		       "INSERT INTO sms_codes (phone_hash, purpose, code_hash, "
		       "ip, created_at, expires_at) VALUES ($1, $2, $3, $4, "
		       "$5, $6) RETURNING id",
		       6, p, id) == 1
		       ? 0
		       : -1;
}

int store_sms_code_live(struct db *db, const char *phone_hash,
			const char *purpose, int64_t now)
{
	struct db_param p[3] = { DB_P_TEXT(phone_hash), DB_P_TEXT(purpose),
				 DB_P_INT(now) };
	int64_t n = 0;
	if (db_query_int(db,
			 "SELECT COUNT(*) FROM sms_codes WHERE phone_hash = $1 "
			 "AND purpose = $2 AND used = 0 AND expires_at > $3",
			 3, p, &n) < 0)
		return -1;
	return n > 0;
}

int store_sms_code_delete(struct db *db, int64_t id)
{
	struct db_param p[1] = { DB_P_INT(id) };
	return db_run(db, "DELETE FROM sms_codes WHERE id = $1", 1, p);
}

enum sms_check store_sms_code_check(struct db *db, const char *phone_hash,
				    const char *purpose, const char *code_hash,
				    int64_t now, int *left)
{
	struct db_param p[3] = { DB_P_TEXT(phone_hash), DB_P_TEXT(purpose),
				 DB_P_INT(now) };
	struct db_rows *r = db_query(
		db,
		"SELECT id, code_hash, attempts FROM sms_codes "
		"WHERE phone_hash = $1 AND purpose = $2 AND used = 0 "
		"AND expires_at > $3 ORDER BY created_at DESC, id DESC LIMIT 1",
		3, p);
	int64_t id = 0, attempts = 0;
	char stored[65] = "";
	int rc;

	if (!r)
		return SMS_CODE_ERROR;
	rc = db_next(r);
	if (rc == 1) {
		const char *h = db_col_text(r, 1, NULL);
		id = db_col_int(r, 0);
		snprintf(stored, sizeof(stored), "%s", h ? h : "");
		attempts = db_col_int(r, 2);
	}
	db_rows_free(r);
	if (rc < 0)
		return SMS_CODE_ERROR;
	if (rc == 0)
		return SMS_CODE_NONE;
	{
		struct db_param q[1] = { DB_P_INT(id) };
		/* Both are keyed hashes of fixed length: equal length compare. */
		if (!strcmp(stored, code_hash)) {
			if (db_run(db,
				   "UPDATE sms_codes SET used = 1 WHERE id = $1",
				   1, q) < 0)
				return SMS_CODE_ERROR;
			return SMS_CODE_OK;
		}
		attempts++;
		if (db_run(db,
			   attempts >= MAX_SMS_TRIES
				   ? "UPDATE sms_codes SET attempts = attempts + 1, "
				     "used = 1 WHERE id = $1"
				   : "UPDATE sms_codes SET attempts = attempts + 1 "
				     "WHERE id = $1",
			   1, q) < 0)
			return SMS_CODE_ERROR;
	}
	*left = (int)(MAX_SMS_TRIES - attempts);
	return attempts >= MAX_SMS_TRIES ? SMS_CODE_TOO_MANY : SMS_CODE_WRONG;
}

int store_session_create(struct db *db, const char *token_hash, int64_t user_id,
			 bool remember, int64_t now, int64_t expires_at,
			 const char *ip, const char *ua, int64_t *id)
{
	struct db_param p[7] = { DB_P_TEXT(token_hash),
				 DB_P_INT(user_id),
				 DB_P_INT(remember),
				 DB_P_INT(now),
				 DB_P_INT(expires_at),
				 DB_P_TEXT(ip),
				 ua ? DB_P_TEXT(ua) : DB_P_NULL };
	return db_query_int(
		       db,
		       "INSERT INTO sessions (token_hash, user_id, remember, "
		       "created_at, last_seen_at, expires_at, ip, user_agent) "
		       "VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
		       7, p, id) == 1
		       ? 0
		       : -1;
}

int store_session_lookup(struct db *db, const char *token_hash, int64_t now,
			 struct session_row *s)
{
	struct db_param p[2] = { DB_P_TEXT(token_hash), DB_P_INT(now) };
	struct db_rows *r = db_query(
		db,
		"SELECT s.id, s.user_id, s.remember, s.last_seen_at, s.expires_at "
		"FROM sessions s JOIN users u ON u.id = s.user_id "
		"WHERE s.token_hash = $1 AND s.revoked_at IS NULL "
		"AND s.expires_at > $2 AND u.disabled = 0",
		2, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		s->id = db_col_int(r, 0);
		s->user_id = db_col_int(r, 1);
		s->remember = db_col_int(r, 2) != 0;
		s->last_seen_at = db_col_int(r, 3);
		s->expires_at = db_col_int(r, 4);
	}
	db_rows_free(r);
	return rc;
}

int store_session_touch(struct db *db, int64_t id, int64_t now)
{
	struct db_param p[2] = { DB_P_INT(now), DB_P_INT(id) };
	return db_run(db, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
		      2, p);
}

int store_session_revoke(struct db *db, int64_t id, int64_t now)
{
	struct db_param p[2] = { DB_P_INT(now), DB_P_INT(id) };
	return db_run(db,
		      "UPDATE sessions SET revoked_at = $1 WHERE id = $2 "
		      "AND revoked_at IS NULL",
		      2, p);
}

int store_session_revoke_user(struct db *db, int64_t user_id, int64_t except_id,
			      int64_t now)
{
	struct db_param p[3] = { DB_P_INT(now), DB_P_INT(user_id),
				 DB_P_INT(except_id) };
	return db_run(db,
		      "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 "
		      "AND id <> $3 AND revoked_at IS NULL",
		      3, p);
}

int store_auth_failure_add(struct db *db, const char *scope,
			   const char *key_hash, int64_t now)
{
	struct db_param p[3] = { DB_P_TEXT(scope), DB_P_TEXT(key_hash),
				 DB_P_INT(now) };
	return db_run(db,
		      "INSERT INTO auth_failures (scope, key_hash, created_at) "
		      "VALUES ($1, $2, $3)",
		      3, p);
}

int store_auth_failure_stats(struct db *db, const char *scope,
			     const char *key_hash, int64_t since,
			     int64_t *count, int64_t *last_at)
{
	struct db_param p[3] = { DB_P_TEXT(scope), DB_P_TEXT(key_hash),
				 DB_P_INT(since) };
	struct db_rows *r = db_query(
		db,
		"SELECT COUNT(*), COALESCE(MAX(created_at), 0) FROM auth_failures "
		"WHERE scope = $1 AND key_hash = $2 AND created_at > $3",
		3, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	*count = rc == 1 ? db_col_int(r, 0) : 0;
	*last_at = rc == 1 ? db_col_int(r, 1) : 0;
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_auth_failure_clear(struct db *db, const char *scope,
			     const char *key_hash)
{
	struct db_param p[2] = { DB_P_TEXT(scope), DB_P_TEXT(key_hash) };
	return db_run(db,
		      "DELETE FROM auth_failures WHERE scope = $1 "
		      "AND key_hash = $2",
		      2, p);
}
