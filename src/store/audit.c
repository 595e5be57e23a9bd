/* audit.c: the only SQL over audit_log; rows are never updated or deleted */
#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "db_json.h"
#include "../util/banned.h"

int store_audit_write(struct db *db, const struct audit_entry *e)
{
	struct db_param p[8] = {
		e->actor ? DB_P_INT(e->actor) : DB_P_NULL,
		DB_P_TEXT(e->action),
		DB_P_TEXT(e->object_type),
		DB_P_INT(e->object_id),
		e->ip ? DB_P_TEXT(e->ip) : DB_P_NULL,
		e->detail ? DB_P_TEXT(e->detail) : DB_P_NULL,
		DB_P_INT(e->now),
		DB_P_INT(e->competition_id),
	};
	return db_run(db,
		      "INSERT INTO audit_log (actor_id, action, object_type, "
		      "object_id, ip, detail, created_at, competition_id) "
		      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		      8, p);
}

static json_t *audit_row(struct db_rows *r, void *cls)
{
	size_t dlen = 0;
	const char *d = db_col_text(r, 8, &dlen);
	json_t *detail = d ? json_loadb(d, dlen, 0, NULL) : NULL;

	(void)cls;
	/* Older entries may hold text that is not a JSON object. */
	if (d && !json_is_object(detail)) {
		json_decref(detail);
		detail = json_pack("{s:s}", "text", d);
	}
	return json_pack("{s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:I}",
			 "id", (json_int_t)db_col_int(r, 0), "actor_id",
			 db_col_json_int(r, 1), "actor_account",
			 db_col_json_text(r, 2), "action",
			 db_col_text(r, 3, NULL), "object_type",
			 db_col_text(r, 4, NULL), "object_id",
			 db_col_json_int(r, 5), "competition",
			 db_col_json_text(r, 6), "ip", db_col_json_text(r, 7),
			 "detail", detail ? detail : json_null(), "created_at",
			 (json_int_t)db_col_int(r, 9));
}

json_t *store_audit_list(struct db *db, const struct audit_filter *f,
			 int64_t *total)
{
	struct db_param p[10] = {
		DB_P_INT(f->actor),
		DB_P_TEXT(f->action ? f->action : ""),
		DB_P_TEXT(f->object_type ? f->object_type : ""),
		DB_P_INT(f->object_id),
		DB_P_INT(f->from),
		DB_P_INT(f->to ? f->to : INT64_MAX),
		DB_P_INT(f->competition_id),
		DB_P_INT(f->admin_of),
		DB_P_INT(f->limit),
		DB_P_INT(f->offset),
	};
	static const char where[] =
		" FROM audit_log l "
		"LEFT JOIN users u ON u.id = l.actor_id "
		"LEFT JOIN competitions c ON c.id = l.competition_id "
		"WHERE ($1 = 0 OR l.actor_id = $1) "
		"AND ($2 = '' OR l.action = $2) "
		"AND ($3 = '' OR l.object_type = $3) "
		"AND ($4 = 0 OR l.object_id = $4) "
		"AND l.created_at >= $5 AND l.created_at < $6 "
		"AND ($7 < 0 OR l.competition_id = $7) "
		"AND ($8 = 0 OR l.competition_id IN (SELECT ur.competition_id "
		"FROM user_roles ur WHERE ur.user_id = $8 "
		"AND ur.role = 'competition_admin'))";
	char sql[2048];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", where);
	if (db_query_int(db, sql, 8, p, total) < 0)
		return NULL;
	snprintf(sql, sizeof(sql),
		 "SELECT l.id, l.actor_id, u.account, l.action, "
		 "l.object_type, l.object_id, c.slug, l.ip, l.detail, "
		 "l.created_at%s ORDER BY l.id DESC LIMIT $9 OFFSET $10",
		 where);
	return db_json_rows(db, sql, 10, p, audit_row, NULL);
}
