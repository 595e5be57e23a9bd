/* writer.h: group commit — one writer thread commits small writes in batches */
#ifndef STORE_WRITER_H
#define STORE_WRITER_H

#include <stdbool.h>
#include "db.h"

/*
 * A write the writer runs: it issues its statements on db, inside a
 * transaction it must neither begin nor end, and returns a value >= 0 to
 * keep them or < 0 to undo them (an error; db_errmsg(db) says why). Its
 * cls stays the caller's: db_write() does not return before it ran.
 */
typedef int (*db_write_fn)(struct db *db, void *cls);

/* What became of one write. */
struct db_write_result {
	int rc;		       /* fn's value once committed; -1 on error */
	bool unique_violation; /* the error was a uniqueness conflict */
	char err[256];	       /* the database's message when rc < 0 */
};

struct db_writer;

/*
 * Opens a connection of its own to url and starts the writer thread,
 * which takes whatever writes are waiting (at most max_batch), runs each
 * inside a savepoint of one BEGIN IMMEDIATE transaction, commits them
 * together and only then answers each. Meant for SQLite, where commits
 * are serialised anyway and one fsync can cover many writes. Returns
 * NULL with err filled.
 */
struct db_writer *db_writer_start(const char *url, int max_batch, char *err,
				  size_t errlen);

/* Runs the writes still queued, stops the thread, closes (NULL is fine). */
void db_writer_stop(struct db_writer *w);

/*
 * Runs fn(db, cls) as one durable write and returns its value (also in
 * res->rc) once it is committed, or -1 with res->err filled when it or
 * its commit failed. With a writer, fn runs on the writer's connection
 * in a batch: a write that fails is rolled back to its savepoint alone
 * and the others commit. Without one (w NULL: PostgreSQL, or group
 * commit switched off), fn runs on db in a write transaction of its own.
 * Either way nothing is acknowledged before its COMMIT returned.
 *
 * The caller must not hold a write transaction (nor, on SQLite, an open
 * read transaction it expects to see the write in) on db meanwhile: the
 * writer would wait for the lock the caller holds while it waits.
 */
int db_write(struct db_writer *w, struct db *db, db_write_fn fn, void *cls,
	     struct db_write_result *res);

/* Counts for /metrics: batches committed and writes in them. */
void db_writer_counts(struct db_writer *w, unsigned long *batches,
		      unsigned long *writes);

#endif
