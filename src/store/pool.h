/* pool.h: a bounded pool of database connections shared by worker threads */
#ifndef STORE_POOL_H
#define STORE_POOL_H

#include "db.h"

struct db_pool;

/*
 * Creates a pool of at most max connections to url, opening one now so a
 * bad URL is reported at start-up. Returns NULL with err filled.
 */
struct db_pool *db_pool_new(const char *url, int max, char *err, size_t errlen);

/* Closes every connection; no connection may be out. */
void db_pool_free(struct db_pool *p);

/*
 * Takes a connection, opening one when none is idle and waiting up to
 * wait_ms when max are out. Returns NULL when none could be had.
 */
struct db *db_pool_get(struct db_pool *p, int wait_ms);

/* Gives a connection back; one left inside a transaction is rolled back. */
void db_pool_put(struct db_pool *p, struct db *db);

/* Counts database errors for /metrics. */
void db_pool_count_error(struct db_pool *p);
unsigned long db_pool_errors(struct db_pool *p);

/* Returns the driver name ("sqlite" or "postgresql"). */
const char *db_pool_driver(struct db_pool *p);

#endif
