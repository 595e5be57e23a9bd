/* db.c: dispatch to the driver and the helpers shared by both */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "../util/str.h"
#include "../util/banned.h"

bool db_url_is_pg(const char *url)
{
	return !strncmp(url, "postgres://", 11) ||
	       !strncmp(url, "postgresql://", 13);
}

struct db *db_open(const char *url, char *err, size_t errlen)
{
	const struct db_driver *drv = db_url_is_pg(url) ? &db_pg_driver
							: &db_sqlite_driver;
	return drv->open(url, err, errlen);
}

void db_close(struct db *db)
{
	if (db)
		db->drv->close(db);
}

int db_exec(struct db *db, const char *sql)
{
	return db->drv->exec(db, sql);
}

struct db_rows *db_query(struct db *db, const char *sql, int nparams,
			 const struct db_param *params)
{
	return db->drv->query(db, sql, nparams, params);
}

/* Rows remember their connection's driver in their first member. */
struct db_rows {
	const struct db_driver *drv;
};

int db_next(struct db_rows *r)
{
	return r->drv->next(r);
}

const char *db_col_text(struct db_rows *r, int col, size_t *len)
{
	return r->drv->col_text(r, col, len);
}

int64_t db_col_int(struct db_rows *r, int col)
{
	size_t len = 0;
	const char *s = r->drv->col_text(r, col, &len);
	int64_t v = 0;

	if (!s ||
	    str_to_i64((struct str){ s, len }, INT64_MIN, INT64_MAX, &v) < 0)
		return 0;
	return v;
}

void db_col_copy(struct db_rows *r, int col, char *dst, size_t n)
{
	const char *s = db_col_text(r, col, NULL);
	snprintf(dst, n, "%s", s ? s : "");
}

char *db_col_dup(struct db_rows *r, int col)
{
	size_t len;
	const char *s = db_col_text(r, col, &len);
	char *out;

	if (!s)
		return NULL;
	out = malloc(len + 1);
	if (out) {
		memcpy(out, s, len);
		out[len] = '\0';
	}
	return out;
}

bool db_col_null(struct db_rows *r, int col)
{
	return r->drv->col_null(r, col);
}

void db_rows_free(struct db_rows *r)
{
	if (r)
		r->drv->rows_free(r);
}

int db_query_int(struct db *db, const char *sql, int nparams,
		 const struct db_param *params, int64_t *out)
{
	struct db_rows *r = db_query(db, sql, nparams, params);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1)
		*out = db_col_int(r, 0);
	db_rows_free(r);
	return rc;
}

int db_run(struct db *db, const char *sql, int nparams,
	   const struct db_param *params)
{
	struct db_rows *r = db_query(db, sql, nparams, params);
	int rc;

	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1)
		;
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int db_begin_read(struct db *db)
{
	return db_exec(db, "BEGIN");
}

int db_begin_write(struct db *db)
{
	return db_exec(db, db->drv->begin_write_sql);
}

int db_begin_snapshot(struct db *db)
{
	return db_exec(db, db->drv->begin_snapshot_sql
				   ? db->drv->begin_snapshot_sql
				   : "BEGIN");
}

int db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

int db_rollback(struct db *db)
{
	return db_exec(db, "ROLLBACK");
}

const char *db_errmsg(struct db *db)
{
	return db->drv->errmsg(db);
}

bool db_is_unique_violation(struct db *db)
{
	return db->drv->is_unique_violation(db);
}

bool db_in_tx(struct db *db)
{
	return db->drv->in_tx(db);
}
