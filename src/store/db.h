/* db.h: the small driver interface every query goes through */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * SQL is written once for SQLite and PostgreSQL with $1..$n placeholders.
 * A driver implements a handful of primitives; everything above them
 * (store/<resource>.c) is shared.
 */

enum db_param_type { DB_NULL, DB_TEXT, DB_INT };

struct db_param {
	enum db_param_type type;
	const char *text; /* DB_TEXT: bytes, not necessarily NUL-terminated */
	size_t len;
	int64_t i; /* DB_INT */
};

#define DB_P_TEXT(s)                                                           \
	((struct db_param){ .type = DB_TEXT, .text = (s), .len = strlen(s) })
#define DB_P_TEXTN(s, n)                                                       \
	((struct db_param){ .type = DB_TEXT, .text = (s), .len = (n) })
#define DB_P_INT(v) ((struct db_param){ .type = DB_INT, .i = (v) })
#define DB_P_NULL ((struct db_param){ .type = DB_NULL })

struct db;
struct db_rows;

struct db_driver {
	const char *name;
	/* Opens a connection; on failure returns NULL and fills err. */
	struct db *(*open)(const char *url, char *err, size_t errlen);
	void (*close)(struct db *db);
	/* Runs SQL text that may hold several statements, without params. */
	int (*exec)(struct db *db, const char *sql);
	/* Runs one statement; the caller iterates and frees the rows. */
	struct db_rows *(*query)(struct db *db, const char *sql, int nparams,
				 const struct db_param *params);
	int (*next)(struct db_rows *r);
	const char *(*col_text)(struct db_rows *r, int col, size_t *len);
	bool (*col_null)(struct db_rows *r, int col);
	void (*rows_free)(struct db_rows *r);
	const char *(*errmsg)(struct db *db);
	/* Whether a transaction is open on the connection. */
	bool (*in_tx)(struct db *db);
	/* Whether the last error was a uniqueness conflict. */
	bool (*is_unique_violation)(struct db *db);
	/* SQL that begins a write transaction. */
	const char *begin_write_sql;
	/*
	 * SQL that begins a read-only transaction whose statements all see
	 * one snapshot (NULL: "BEGIN" already does).
	 */
	const char *begin_snapshot_sql;
	/* SQL around a whole migration run, serialising migrators (or NULL). */
	const char *migration_lock_sql;
	const char *migration_unlock_sql;
	/* Column type of an auto-increment primary key, for migrations. */
	const char *id_type;
	const char *blob_type;
};

/* Every connection starts with a pointer to its driver. */
struct db {
	const struct db_driver *drv;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/*
 * Opens url with the driver its scheme selects: postgres:// or
 * postgresql:// for PostgreSQL, anything else is a SQLite file path.
 * Returns NULL with a message in err on failure.
 */
struct db *db_open(const char *url, char *err, size_t errlen);

/* Closes the connection (NULL is fine). */
void db_close(struct db *db);

/* Returns true when url names a PostgreSQL database. */
bool db_url_is_pg(const char *url);

/* Runs a batch of statements. Returns 0 or -1 (db_errmsg() says why). */
int db_exec(struct db *db, const char *sql);

/*
 * Runs one statement with the given parameters. Returns the rows (free
 * them with db_rows_free()) or NULL on error. A statement without result
 * rows still returns an empty set.
 */
struct db_rows *db_query(struct db *db, const char *sql, int nparams,
			 const struct db_param *params);

/* Advances to the next row: 1 for a row, 0 at the end, -1 on error. */
int db_next(struct db_rows *r);

/* Returns column col of the current row as text (NULL for SQL NULL). */
const char *db_col_text(struct db_rows *r, int col, size_t *len);

/* Returns column col as an integer; NULL or non-numbers give 0. */
int64_t db_col_int(struct db_rows *r, int col);

/* Copies column col as text into dst (n bytes, truncated; "" for NULL). */
void db_col_copy(struct db_rows *r, int col, char *dst, size_t n);

/* Returns a malloc()ed copy of column col, or NULL for SQL NULL or no memory. */
char *db_col_dup(struct db_rows *r, int col);

/* Returns true when column col is SQL NULL. */
bool db_col_null(struct db_rows *r, int col);

void db_rows_free(struct db_rows *r);

/*
 * Runs a statement expected to return at most one row with one integer
 * column. Returns 1 and sets *out when a row came, 0 when none, -1 on
 * error.
 */
int db_query_int(struct db *db, const char *sql, int nparams,
		 const struct db_param *params, int64_t *out);

/* Runs a statement and discards its rows. Returns 0 or -1. */
int db_run(struct db *db, const char *sql, int nparams,
	   const struct db_param *params);

/* Transactions: a write begins with BEGIN IMMEDIATE on SQLite. */
int db_begin_read(struct db *db);
int db_begin_write(struct db *db);

/*
 * Begins a read-only transaction in which every statement sees the same
 * snapshot, for reads spread over many statements (exports): REPEATABLE
 * READ on PostgreSQL, whose plain BEGIN takes a new snapshot per
 * statement; a deferred BEGIN on SQLite, whose WAL readers keep the
 * snapshot of their first read. End it with db_commit().
 */
int db_begin_snapshot(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* Returns true while a transaction is open. */
bool db_in_tx(struct db *db);

const char *db_errmsg(struct db *db);
bool db_is_unique_violation(struct db *db);

#endif
