/* db_sqlite.c: the SQLite driver (WAL, foreign keys, synchronous=FULL) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "db.h"
#include "../util/banned.h"

#define STMT_CACHE 48

struct cached {
	const char *sql;
	sqlite3_stmt *st;
	bool in_use;
};

struct sqlite_db {
	struct db base;
	sqlite3 *h;
	struct cached cache[STMT_CACHE];
	unsigned next_evict;
	char err[512];
	int last_ext;
};

struct sqlite_rows {
	const struct db_driver *drv;
	struct sqlite_db *db;
	sqlite3_stmt *st;
	struct cached *slot; /* NULL when not from the cache */
	bool done;
};

static void set_err(struct sqlite_db *d)
{
	d->last_ext = sqlite3_extended_errcode(d->h);
	snprintf(d->err, sizeof(d->err), "%s", sqlite3_errmsg(d->h));
}

static struct db *sq_open(const char *url, char *err, size_t errlen)
{
	struct sqlite_db *d;
	const char *path = url;
	int rc;

	if (!strncmp(path, "sqlite://", 9))
		path += 9;
	else if (!strncmp(path, "sqlite:", 7))
		path += 7;
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->base.drv = &db_sqlite_driver;
	rc = sqlite3_open_v2(path, &d->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open sqlite database '%s': %s",
			 path, d->h ? sqlite3_errmsg(d->h) : "out of memory");
		sqlite3_close(d->h);
		free(d);
		return NULL;
	}
	sqlite3_extended_result_codes(d->h, 1);
	/*
	 * A writer waits for another instead of failing at once; WAL lets
	 * readers go on during a write; FULL makes a commit durable against
	 * power loss, which an acknowledged save promises.
	 */
	sqlite3_busy_timeout(d->h, 10000);
	if (sqlite3_exec(d->h,
			 "PRAGMA journal_mode=WAL;"
			 "PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;",
			 NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up sqlite database '%s': %s",
			 path, sqlite3_errmsg(d->h));
		sqlite3_close(d->h);
		free(d);
		return NULL;
	}
	return &d->base;
}

static void sq_close(struct db *db)
{
	struct sqlite_db *d = (struct sqlite_db *)db;
	for (int i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(d->cache[i].st);
	sqlite3_close(d->h);
	free(d);
}

static sqlite3_stmt *prepare(struct sqlite_db *d, const char *sql,
			     struct cached **slot_out);
static void release_stmt(sqlite3_stmt *st, struct cached *slot);

/*
 * BEGIN, COMMIT and ROLLBACK run for every write; sqlite3_exec() would
 * compile them each time, so they come from the statement cache.
 */
static bool tx_control(const char *sql)
{
	return !strcmp(sql, "BEGIN") || !strcmp(sql, "BEGIN IMMEDIATE") ||
	       !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK");
}

static int sq_exec(struct db *db, const char *sql)
{
	struct sqlite_db *d = (struct sqlite_db *)db;

	if (tx_control(sql)) {
		struct cached *slot;
		sqlite3_stmt *st = prepare(d, sql, &slot);
		int rc;

		if (!st)
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
			set_err(d);
		release_stmt(st, slot);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	if (sqlite3_exec(d->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		set_err(d);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *prepare(struct sqlite_db *d, const char *sql,
			     struct cached **slot_out)
{
	sqlite3_stmt *st = NULL;
	struct cached *free_slot = NULL;

	*slot_out = NULL;
	/*
	 * Query text lives in string constants, so the pointer identifies
	 * it; the text is compared too in case a caller built it.
	 */
	for (int i = 0; i < STMT_CACHE; i++) {
		struct cached *c = &d->cache[i];
		if (!c->st) {
			if (!free_slot)
				free_slot = c;
			continue;
		}
		if (c->sql == sql && !c->in_use &&
		    !strcmp(sqlite3_sql(c->st), sql)) {
			c->in_use = true;
			*slot_out = c;
			return c->st;
		}
	}
	if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		set_err(d);
		return NULL;
	}
	if (!free_slot) {
		struct cached *victim = &d->cache[d->next_evict++ % STMT_CACHE];
		if (!victim->in_use) {
			sqlite3_finalize(victim->st);
			victim->st = NULL;
			free_slot = victim;
		}
	}
	if (free_slot) {
		free_slot->sql = sql;
		free_slot->st = st;
		free_slot->in_use = true;
		*slot_out = free_slot;
	}
	return st;
}

static int bind(struct sqlite_db *d, sqlite3_stmt *st, int nparams,
		const struct db_param *params)
{
	int count = sqlite3_bind_parameter_count(st);

	/*
	 * SQLite numbers "$n" parameters by first appearance, so each one is
	 * bound by its name; a name past nparams is a programming error.
	 */
	for (int i = 1; i <= count; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		long k = 0;
		int rc;
		const struct db_param *p;

		if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
			goto bad;
		for (const char *c = name + 1; *c; c++) {
			if (*c < '0' || *c > '9' || k > 1000)
				goto bad;
			k = k * 10 + (*c - '0');
		}
		if (k > nparams)
			goto bad;
		p = &params[k - 1];
		switch (p->type) {
		case DB_NULL:
			rc = sqlite3_bind_null(st, i);
			break;
		case DB_INT:
			rc = sqlite3_bind_int64(st, i, p->i);
			break;
		default:
			rc = sqlite3_bind_text64(st, i, p->text, p->len,
						 SQLITE_TRANSIENT, SQLITE_UTF8);
			break;
		}
		if (rc != SQLITE_OK) {
			set_err(d);
			return -1;
		}
		continue;
bad:
		snprintf(d->err, sizeof(d->err),
			 "statement parameter '%s' has no value",
			 name ? name : "?");
		d->last_ext = SQLITE_RANGE;
		return -1;
	}
	return 0;
}

static void release_stmt(sqlite3_stmt *st, struct cached *slot)
{
	if (slot) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		slot->in_use = false;
	} else {
		sqlite3_finalize(st);
	}
}

static struct db_rows *sq_query(struct db *db, const char *sql, int nparams,
				const struct db_param *params)
{
	struct sqlite_db *d = (struct sqlite_db *)db;
	struct cached *slot;
	sqlite3_stmt *st = prepare(d, sql, &slot);
	struct sqlite_rows *r;

	if (!st)
		return NULL;
	if (bind(d, st, nparams, params) < 0) {
		release_stmt(st, slot);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		release_stmt(st, slot);
		snprintf(d->err, sizeof(d->err), "out of memory");
		return NULL;
	}
	r->drv = &db_sqlite_driver;
	r->db = d;
	r->st = st;
	r->slot = slot;
	return (struct db_rows *)r;
}

static int sq_next(struct db_rows *rows)
{
	struct sqlite_rows *r = (struct sqlite_rows *)rows;
	int rc;

	if (r->done)
		return 0;
	rc = sqlite3_step(r->st);
	if (rc == SQLITE_ROW)
		return 1;
	r->done = true;
	if (rc == SQLITE_DONE)
		return 0;
	set_err(r->db);
	return -1;
}

static const char *sq_col_text(struct db_rows *rows, int col, size_t *len)
{
	struct sqlite_rows *r = (struct sqlite_rows *)rows;
	const char *s = (const char *)sqlite3_column_text(r->st, col);
	if (len)
		*len = s ? (size_t)sqlite3_column_bytes(r->st, col) : 0;
	return s;
}

static bool sq_col_null(struct db_rows *rows, int col)
{
	struct sqlite_rows *r = (struct sqlite_rows *)rows;
	return sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

static void sq_rows_free(struct db_rows *rows)
{
	struct sqlite_rows *r = (struct sqlite_rows *)rows;
	release_stmt(r->st, r->slot);
	free(r);
}

static bool sq_in_tx(struct db *db)
{
	return !sqlite3_get_autocommit(((struct sqlite_db *)db)->h);
}

static const char *sq_errmsg(struct db *db)
{
	return ((struct sqlite_db *)db)->err;
}

static bool sq_is_unique(struct db *db)
{
	int e = ((struct sqlite_db *)db)->last_ext;
	return e == SQLITE_CONSTRAINT_UNIQUE ||
	       e == SQLITE_CONSTRAINT_PRIMARYKEY;
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.query = sq_query,
	.next = sq_next,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.rows_free = sq_rows_free,
	.errmsg = sq_errmsg,
	.in_tx = sq_in_tx,
	.is_unique_violation = sq_is_unique,
	.begin_write_sql = "BEGIN IMMEDIATE",
	/* BEGIN IMMEDIATE already serialises SQLite's migrators. */
	.migration_lock_sql = NULL,
	.migration_unlock_sql = NULL,
	.id_type = "INTEGER PRIMARY KEY AUTOINCREMENT",
	.blob_type = "BLOB",
};
