/* migrate.c: one file per schema version, dialect words filled in here */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "migrate.h"
#include "../util/buf.h"
#include "../util/log.h"
#include "../util/banned.h"

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at BIGINT NOT NULL)";

/*
 * The few words that differ between SQLite and PostgreSQL are written as
 * @ID@ and @BLOB@ in the files, so each migration stays one file.
 */
static int expand(const struct db_driver *drv, const char *sql, struct buf *out)
{
	const char *p = sql;

	while (*p) {
		if (!strncmp(p, "@ID@", 4)) {
			if (buf_adds(out, drv->id_type) < 0)
				return -1;
			p += 4;
		} else if (!strncmp(p, "@BLOB@", 6)) {
			if (buf_adds(out, drv->blob_type) < 0)
				return -1;
			p += 6;
		} else {
			if (buf_add(out, p, 1) < 0)
				return -1;
			p++;
		}
	}
	return 0;
}

int store_schema_version(struct db *db)
{
	int64_t v = 0;
	if (db_exec(db, create_table) < 0)
		return -1;
	if (db_query_int(
		    db,
		    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
		    0, NULL, &v) < 0)
		return -1;
	return (int)v;
}

static int migrate_all(struct db *db, int *applied, char *err, size_t errlen);

int store_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
	int rc;

	*applied = 0;
	/*
	 * Two servers starting at once on a fresh PostgreSQL database would
	 * otherwise race from CREATE TABLE schema_migrations on.
	 */
	if (db->drv->migration_lock_sql &&
	    db_run(db, db->drv->migration_lock_sql, 0, NULL) < 0) {
		snprintf(err, errlen, "cannot lock for migration: %s",
			 db_errmsg(db));
		return -1;
	}
	rc = migrate_all(db, applied, err, errlen);
	if (db->drv->migration_unlock_sql)
		db_run(db, db->drv->migration_unlock_sql, 0, NULL);
	return rc;
}

static int migrate_all(struct db *db, int *applied, char *err, size_t errlen)
{
	if (db_exec(db, create_table) < 0) {
		snprintf(err, errlen, "cannot create schema_migrations: %s",
			 db_errmsg(db));
		return -1;
	}
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		struct db_param p[3];
		int64_t seen = 0;
		struct buf sql;
		int rc;

		if (db_begin_write(db) < 0) {
			snprintf(err, errlen, "cannot begin migration: %s",
				 db_errmsg(db));
			return -1;
		}
		p[0] = DB_P_INT(m->version);
		rc = db_query_int(db,
				  "SELECT COUNT(*) FROM schema_migrations "
				  "WHERE version = $1",
				  1, p, &seen);
		if (rc < 0)
			goto fail;
		if (seen) {
			db_rollback(db);
			continue;
		}
		buf_init(&sql, 1 << 20);
		if (expand(db->drv, m->sql, &sql) < 0) {
			buf_release(&sql);
			snprintf(err, errlen, "migration %s is too large",
				 m->name);
			db_rollback(db);
			return -1;
		}
		rc = db_exec(db, sql.p);
		buf_release(&sql);
		if (rc < 0)
			goto fail;
		p[1] = DB_P_TEXT(m->name);
		p[2] = DB_P_INT((int64_t)time(NULL));
		if (db_run(db,
			   "INSERT INTO schema_migrations (version, name, "
			   "applied_at) VALUES ($1, $2, $3)",
			   3, p) < 0)
			goto fail;
		if (db_commit(db) < 0)
			goto fail;
		log_info("applied migration %s", m->name);
		(*applied)++;
		continue;
fail:
		snprintf(err, errlen, "migration %s failed: %s", m->name,
			 db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	return 0;
}
