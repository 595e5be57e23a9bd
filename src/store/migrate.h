/* migrate.h: versioned schema migrations for both databases */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H

#include "db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* Generated from src/store/migrations/NNNN_name.sql, in version order. */
extern const struct migration migrations[];
extern const int migrations_count;

/*
 * Applies every migration not yet recorded in schema_migrations, each in
 * its own transaction, and reports how many ran in *applied. Returns 0,
 * or -1 with the reason in err (the failed migration is rolled back).
 */
int store_migrate(struct db *db, int *applied, char *err, size_t errlen);

/* Returns the highest applied version (0 when none), or -1 on error. */
int store_schema_version(struct db *db);

#endif
