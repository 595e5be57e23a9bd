/* users.c: the only SQL over users and user_roles */
#include <stdio.h>
#include <string.h>
#include "users.h"
#include "db_json.h"
#include "../util/banned.h"

#define USER_COLS                                                              \
	"id, account, phone_masked, phone_sealed, "                            \
	"COALESCE(password_hash, ''), created_at, disabled"

static int one_user(struct db *db, const char *sql, struct db_param p,
		    struct user_row *u)
{
	struct db_rows *r = db_query(db, sql, 1, &p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		memset(u, 0, sizeof(*u));
		u->id = db_col_int(r, 0);
		db_col_copy(r, 1, u->account, sizeof(u->account));
		db_col_copy(r, 2, u->phone_masked, sizeof(u->phone_masked));
		db_col_copy(r, 3, u->phone_sealed, sizeof(u->phone_sealed));
		db_col_copy(r, 4, u->password_hash, sizeof(u->password_hash));
		u->created_at = db_col_int(r, 5);
		u->disabled = db_col_int(r, 6) != 0;
	}
	db_rows_free(r);
	return rc;
}

int store_user_by_account(struct db *db, const char *account_lower,
			  struct user_row *u)
{
	return one_user(db,
			"SELECT " USER_COLS " FROM users "
			"WHERE account_lower = $1",
			DB_P_TEXT(account_lower), u);
}

int store_user_by_phone(struct db *db, const char *phone_hash,
			struct user_row *u)
{
	return one_user(db,
			"SELECT " USER_COLS " FROM users "
			"WHERE phone_hash = $1",
			DB_P_TEXT(phone_hash), u);
}

int store_user_by_id(struct db *db, int64_t id, struct user_row *u)
{
	return one_user(db, "SELECT " USER_COLS " FROM users WHERE id = $1",
			DB_P_INT(id), u);
}

int store_user_create(struct db *db, const struct user_new *u, int64_t *id)
{
	int64_t n = 0;
	struct db_param p[8] = {
		DB_P_TEXT(u->account),
		DB_P_TEXT(u->account_lower),
		DB_P_TEXT(u->phone_hash),
		DB_P_TEXT(u->phone_sealed),
		DB_P_TEXT(u->phone_masked),
		u->password_hash ? DB_P_TEXT(u->password_hash) : DB_P_NULL,
		u->agreement_version ? DB_P_TEXT(u->agreement_version)
				     : DB_P_NULL,
		DB_P_INT(u->now),
	};

	/* Asked first so the user learns which field is taken. */
	/* PostgreSQL wants every parameter it is given to be used. */
	if (db_query_int(db,
			 "SELECT COUNT(*) FROM users WHERE account_lower = $1",
			 1, &p[1], &n) < 0)
		return -1;
	if (n)
		return STORE_DUP_ACCOUNT;
	if (db_query_int(db, "SELECT COUNT(*) FROM users WHERE phone_hash = $1",
			 1, &p[2], &n) < 0)
		return -1;
	if (n)
		return STORE_DUP_PHONE;
	if (db_query_int(
		    db,
		    "INSERT INTO users (account, account_lower, phone_hash, "
		    "phone_sealed, phone_masked, password_hash, "
		    "agreement_version, created_at, updated_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
		    8, p, id) != 1)
		return db_is_unique_violation(db) ? STORE_DUP_ACCOUNT : -1;
	return 0;
}

int store_user_set_password(struct db *db, int64_t id, const char *hash,
			    int64_t now)
{
	struct db_param p[3] = { DB_P_TEXT(hash), DB_P_INT(now), DB_P_INT(id) };
	return db_run(db,
		      "UPDATE users SET password_hash = $1, updated_at = $2 "
		      "WHERE id = $3",
		      3, p);
}

static json_t *role_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:s, s:I, s:o}", "role", db_col_text(r, 0, NULL),
			 "competition_id", (json_int_t)db_col_int(r, 1),
			 "competition", db_col_json_text(r, 2));
}

json_t *store_user_roles(struct db *db, int64_t id)
{
	struct db_param p[1] = { DB_P_INT(id) };

	return db_json_rows(
		db,
		"SELECT ur.role, ur.competition_id, c.slug FROM user_roles ur "
		"LEFT JOIN competitions c ON c.id = ur.competition_id "
		"WHERE ur.user_id = $1 ORDER BY ur.role, ur.competition_id",
		1, p, role_row, NULL);
}

int store_user_add_role(struct db *db, int64_t id, const char *role,
			int64_t competition_id, int64_t now)
{
	struct db_param p[4] = { DB_P_INT(id), DB_P_TEXT(role),
				 DB_P_INT(competition_id), DB_P_INT(now) };
	return db_run(db,
		      "INSERT INTO user_roles (user_id, role, "
		      "competition_id, created_at) VALUES ($1, $2, $3, $4) "
		      "ON CONFLICT (user_id, role, competition_id) DO NOTHING",
		      4, p);
}

int store_competition_id(struct db *db, const char *slug, int64_t *id)
{
	struct db_param p[1] = { DB_P_TEXT(slug) };
	return db_query_int(db, "SELECT id FROM competitions WHERE slug = $1",
			    1, p, id);
}
