/* db_pg.c: the PostgreSQL driver over libpq */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "db.h"
#include "../util/banned.h"

#define PG_MAX_PARAMS 64
#define INT8OID 20
#define PG_STMT_CACHE 96

/*
 * A statement text seen on this connection. Parsing and planning cost
 * PostgreSQL several times what running a typical indexed lookup does
 * (bench G2: 0.69 ms of planning against 0.10 ms of execution a
 * request), so a text seen twice becomes a named prepared statement and
 * later runs skip both. A text seen once stays unprepared: statements
 * built at run time must not cost an extra round trip each.
 */
struct pg_stmt {
	char *sql; /* NULL: free slot */
	uint64_t hash;
	int nparams;
	uint64_t int_mask; /* which parameters were sent as int8 */
	bool seen;	   /* run once already, unprepared */
	bool prepared;
	unsigned long last_used;
	unsigned long id; /* the prepared statement is "saiwu_<id>" */
};

struct pg_db {
	struct db base;
	PGconn *conn;
	char err[512];
	char sqlstate[6];
	struct pg_stmt stmts[PG_STMT_CACHE];
	unsigned long tick;
	unsigned long next_id;
};

struct pg_rows {
	const struct db_driver *drv;
	PGresult *res;
	int row;
	int nrows;
};

static void quiet_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static struct db *pg_open(const char *url, char *err, size_t errlen)
{
	struct pg_db *d = calloc(1, sizeof(*d));

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->base.drv = &db_pg_driver;
	d->conn = PQconnectdb(url);
	if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
		/* The URL may hold a password: the message never repeats it. */
		snprintf(err, errlen, "cannot connect to postgresql: %s",
			 d->conn ? PQerrorMessage(d->conn) : "out of memory");
		for (char *p = err; *p; p++)
			if (*p == '\n')
				*p = ' ';
		PQfinish(d->conn);
		free(d);
		return NULL;
	}
	PQsetNoticeProcessor(d->conn, quiet_notices, NULL);
	return &d->base;
}

static void forget_stmt(struct pg_stmt *st)
{
	free(st->sql);
	memset(st, 0, sizeof(*st));
}

static void forget_all(struct pg_db *d)
{
	for (int i = 0; i < PG_STMT_CACHE; i++)
		forget_stmt(&d->stmts[i]);
}

static void pg_close(struct db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	PQfinish(d->conn);
	forget_all(d);
	free(d);
}

static void set_err(struct pg_db *d, PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;

	if (!msg || !*msg)
		msg = PQerrorMessage(d->conn);
	snprintf(d->err, sizeof(d->err), "%s", msg);
	for (char *p = d->err; *p; p++)
		if (*p == '\n')
			*p = ' ';
	snprintf(d->sqlstate, sizeof(d->sqlstate), "%s", state ? state : "");
}

/* A connection dropped by a server restart is reopened once, outside a transaction. */
static void ensure_connected(struct pg_db *d)
{
	if (PQstatus(d->conn) == CONNECTION_BAD) {
		/* The new session has none of the old one's statements. */
		forget_all(d);
		PQreset(d->conn);
	}
}

static uint64_t hash_sql(const char *sql)
{
	uint64_t h = 14695981039346656037ull; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

/*
 * Returns the cache entry for sql with these parameter types, adding it
 * (in place of the least recently used) when it is new; NULL when no
 * memory. The types are part of the key because PostgreSQL fixes a
 * prepared statement's parameter types when it is prepared.
 */
static struct pg_stmt *find_stmt(struct pg_db *d, const char *sql, int nparams,
				 uint64_t int_mask)
{
	uint64_t h = hash_sql(sql);
	struct pg_stmt *victim = NULL;

	for (int i = 0; i < PG_STMT_CACHE; i++) {
		struct pg_stmt *st = &d->stmts[i];
		if (st->sql && st->hash == h && st->nparams == nparams &&
		    st->int_mask == int_mask && !strcmp(st->sql, sql)) {
			st->last_used = ++d->tick;
			return st;
		}
		if (!victim ||
		    (victim->sql &&
		     (!st->sql || st->last_used < victim->last_used)))
			victim = st;
	}
	if (victim->prepared) {
		char cmd[48];
		PGresult *res;

		/* Not transactional: allowed inside any open transaction. */
		snprintf(cmd, sizeof(cmd), "DEALLOCATE saiwu_%lu", victim->id);
		res = PQexec(d->conn, cmd);
		PQclear(res);
	}
	forget_stmt(victim);
	victim->sql = strdup(sql);
	if (!victim->sql)
		return NULL;
	victim->hash = h;
	victim->nparams = nparams;
	victim->int_mask = int_mask;
	victim->last_used = ++d->tick;
	victim->id = ++d->next_id;
	return victim;
}

/*
 * Whether sql has three or more optional filters, "($n = '' OR …)",
 * "($n = 0 OR …)" or "($n IS NULL OR …)": such a statement is planned
 * anew each run. A generic plan cannot tell which filters are off and
 * takes each for a selective one; with ten of them and the statistics of
 * a table that had just been bulk-loaded it chose to sort every matching
 * application for each page of an export (19 s instead of 1 s for
 * 50,000 records; bench G8). One or two, as in a record looked up by id
 * and, if given, by its owner, keep their generic plan: the id or the
 * owner decides it.
 */
static bool optional_filters(const char *sql)
{
	static const char *const tails[] = { " = '' OR ", " = 0 OR ",
					     " IS NULL OR " };
	int n = 0;

	for (const char *p = strchr(sql, '$'); p; p = strchr(p + 1, '$')) {
		const char *q = p + 1;

		if (*q < '0' || *q > '9')
			continue;
		while (*q >= '0' && *q <= '9')
			q++;
		for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
			if (!strncmp(q, tails[i], strlen(tails[i])) && ++n >= 3)
				return true;
	}
	return false;
}

/*
 * Runs sql through the statement cache: returns the result (an error
 * result when the prepare or the execution failed), or NULL when the
 * statement is not prepared and the caller should send it with
 * PQexecParams.
 */
static PGresult *exec_cached(struct pg_db *d, const char *sql, int nparams,
			     const Oid *types, const char *const *values,
			     const int *lengths, const int *formats)
{
	uint64_t int_mask = 0;
	struct pg_stmt *st;
	char name[32];
	PGresult *res;
	const char *state;

	/*
	 * In a failed transaction every command fails anyway, and a
	 * DEALLOCATE or a prepare would too: the uncached path reports it.
	 */
	if (PQtransactionStatus(d->conn) == PQTRANS_INERROR ||
	    optional_filters(sql))
		return NULL;
	for (int i = 0; i < nparams; i++)
		if (types[i] == INT8OID)
			int_mask |= 1ull << i;
	st = find_stmt(d, sql, nparams, int_mask);
	if (!st)
		return NULL;
	snprintf(name, sizeof(name), "saiwu_%lu", st->id);
	if (!st->prepared) {
		if (!st->seen) {
			st->seen = true;
			return NULL;
		}
		res = PQprepare(d->conn, name, sql, nparams, types);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			/* The caller reports the error: it aborted any transaction. */
			forget_stmt(st);
			return res;
		}
		PQclear(res);
		st->prepared = true;
	}
	res = PQexecPrepared(d->conn, name, nparams, values, lengths, formats,
			     0);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	/*
	 * 26000: the statement is gone (DISCARD ALL); 0A000: a schema change
	 * changed its result columns. Either way it must be prepared anew;
	 * outside a transaction nothing ran, so it is sent again unprepared.
	 */
	if (state && (!strcmp(state, "26000") || !strcmp(state, "0A000"))) {
		forget_stmt(st);
		if (PQtransactionStatus(d->conn) == PQTRANS_IDLE) {
			PQclear(res);
			return NULL;
		}
	}
	return res;
}

static int pg_exec(struct db *db, const char *sql)
{
	struct pg_db *d = (struct pg_db *)db;
	PGresult *res;
	ExecStatusType st;

	ensure_connected(d);
	res = PQexec(d->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		set_err(d, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

static struct db_rows *pg_query(struct db *db, const char *sql, int nparams,
				const struct db_param *params)
{
	struct pg_db *d = (struct pg_db *)db;
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS], formats[PG_MAX_PARAMS];
	Oid types[PG_MAX_PARAMS];
	char nums[PG_MAX_PARAMS][24];
	char *copies[PG_MAX_PARAMS] = { 0 };
	PGresult *res;
	ExecStatusType st;
	struct pg_rows *r = NULL;

	if (nparams > PG_MAX_PARAMS) {
		snprintf(d->err, sizeof(d->err), "too many parameters");
		return NULL;
	}
	for (int i = 0; i < nparams; i++) {
		formats[i] = 0;
		types[i] = 0;
		switch (params[i].type) {
		case DB_NULL:
			values[i] = NULL;
			lengths[i] = 0;
			break;
		case DB_INT:
			snprintf(nums[i], sizeof(nums[i]), "%lld",
				 (long long)params[i].i);
			values[i] = nums[i];
			lengths[i] = (int)strlen(nums[i]);
			types[i] = INT8OID;
			break;
		default:
			/* Text parameters travel NUL-terminated. */
			copies[i] = malloc(params[i].len + 1);
			if (!copies[i])
				goto out;
			memcpy(copies[i], params[i].text, params[i].len);
			copies[i][params[i].len] = '\0';
			values[i] = copies[i];
			lengths[i] = (int)params[i].len;
			break;
		}
	}
	ensure_connected(d);
	res = exec_cached(d, sql, nparams, types, values, lengths, formats);
	if (!res)
		res = PQexecParams(d->conn, sql, nparams, types, values,
				   lengths, formats, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		set_err(d, res);
		PQclear(res);
		goto out;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		PQclear(res);
		snprintf(d->err, sizeof(d->err), "out of memory");
		goto out;
	}
	r->drv = &db_pg_driver;
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
out:
	for (int i = 0; i < nparams; i++)
		free(copies[i]);
	return (struct db_rows *)r;
}

static int pg_next(struct db_rows *rows)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	if (r->row + 1 >= r->nrows) {
		r->row = r->nrows;
		return 0;
	}
	r->row++;
	return 1;
}

static const char *pg_col_text(struct db_rows *rows, int col, size_t *len)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	if (PQgetisnull(r->res, r->row, col)) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = (size_t)PQgetlength(r->res, r->row, col);
	return PQgetvalue(r->res, r->row, col);
}

static bool pg_col_null(struct db_rows *rows, int col)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	return PQgetisnull(r->res, r->row, col);
}

static void pg_rows_free(struct db_rows *rows)
{
	struct pg_rows *r = (struct pg_rows *)rows;
	PQclear(r->res);
	free(r);
}

static bool pg_in_tx(struct db *db)
{
	return PQtransactionStatus(((struct pg_db *)db)->conn) != PQTRANS_IDLE;
}

static const char *pg_errmsg(struct db *db)
{
	return ((struct pg_db *)db)->err;
}

static bool pg_is_unique(struct db *db)
{
	return !strcmp(((struct pg_db *)db)->sqlstate, "23505");
}

const struct db_driver db_pg_driver = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.query = pg_query,
	.next = pg_next,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.rows_free = pg_rows_free,
	.errmsg = pg_errmsg,
	.in_tx = pg_in_tx,
	.is_unique_violation = pg_is_unique,
	.begin_write_sql = "BEGIN",
	.begin_snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	/* Two servers starting at once must not both migrate. */
	.migration_lock_sql = "SELECT pg_advisory_lock(74601)",
	.migration_unlock_sql = "SELECT pg_advisory_unlock(74601)",
	.id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.blob_type = "BYTEA",
};
