/* sms_outbox.c: the only SQL that touches sms_outbox */
#include <string.h>
#include "sms_outbox.h"
#include "../util/banned.h"

int store_sms_outbox_add(struct db *db, const char *phone_hash,
			 const char *phone_masked, const char *purpose,
			 const char *sealed_text, int64_t now)
{
	struct db_param p[5] = {
		DB_P_TEXT(phone_hash), DB_P_TEXT(phone_masked),
		DB_P_TEXT(purpose),    DB_P_TEXT(sealed_text),
		DB_P_INT(now),
	};

	return db_run(db,
		      "INSERT INTO sms_outbox (phone_hash, phone_masked, "
		      "purpose, sealed_text, created_at) "
		      "VALUES ($1, $2, $3, $4, $5)",
		      5, p);
}

static json_t *text_col(struct db_rows *r, int col)
{
	size_t len = 0;
	const char *s = db_col_text(r, col, &len);
	return s ? json_stringn(s, len) : json_null();
}

json_t *store_sms_outbox_latest(struct db *db, int limit)
{
	struct db_param p[1] = { DB_P_INT(limit > 0 ? limit : 1) };
	struct db_rows *r;
	json_t *out;
	int rc = 0;

	/* id breaks ties within a second: the newest insert comes first. */
	r = db_query(
		db,
		"SELECT id, phone_masked, purpose, sealed_text, created_at "
		"FROM sms_outbox ORDER BY created_at DESC, id DESC "
		"LIMIT $1",
		1, p);
	if (!r)
		return NULL;
	out = json_array();
	while (out && (rc = db_next(r)) == 1) {
		json_t *row =
			json_pack("{s:I, s:o, s:o, s:o, s:I}", "id",
				  (json_int_t)db_col_int(r, 0), "phone_masked",
				  text_col(r, 1), "purpose", text_col(r, 2),
				  "sealed_text", text_col(r, 3), "created_at",
				  (json_int_t)db_col_int(r, 4));
		if (!row || json_array_append_new(out, row) < 0) {
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	if (!out || rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
