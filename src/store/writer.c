/* writer.c: group commit — one fsync covers every write that was waiting */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "writer.h"
#include "../util/banned.h"

struct item {
	db_write_fn fn;
	void *cls;
	struct db_write_result *res;
	int rc; /* fn's value, reported only after the commit */
	bool applied;
	bool done;
	struct item *next;
};

struct db_writer {
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work; /* writes queued, or stopping */
	pthread_cond_t done; /* a batch was answered */
	struct item *head, **tail;
	bool stopping;
	int max_batch;
	atomic_ulong batches;
	atomic_ulong writes;
};

static void fail(struct item *it, struct db *db, const char *why)
{
	it->res->rc = -1;
	it->res->unique_violation = db && db_is_unique_violation(db);
	snprintf(it->res->err, sizeof(it->res->err), "%s",
		 why ? why : db_errmsg(db));
	it->applied = false;
}

/*
 * Writes applied so far in a transaction that is gone (an error that
 * SQLite answers by rolling the whole transaction back, a failed
 * commit) were not committed: each of them is answered with an error.
 */
static void fail_applied(struct item *batch, struct item *upto, const char *why)
{
	for (struct item *it = batch; it != upto; it = it->next)
		if (it->applied)
			fail(it, NULL, why);
}

static void run_batch(struct db_writer *w, struct item *batch)
{
	struct db *db = w->db;
	struct item *first = batch; /* first write of the open transaction */
	bool open = false;
	char why[256];
	unsigned long n = 0;

	for (struct item *it = batch; it; it = it->next) {
		if (!open) {
			/*
			 * The lock could not be had within the busy timeout:
			 * the rest would only wait as long again each.
			 */
			if (db_begin_write(db) < 0) {
				for (; it; it = it->next)
					fail(it, db, NULL);
				break;
			}
			open = true;
			first = it;
		}
		if (db_run(db, "SAVEPOINT write", 0, NULL) < 0) {
			fail(it, db, NULL);
		} else {
			it->rc = it->fn(db, it->cls);
			if (it->rc >= 0) {
				it->applied = true;
				if (db_run(db, "RELEASE write", 0, NULL) < 0) {
					fail(it, db, NULL);
					db_rollback(db);
				}
			} else {
				fail(it, db, NULL);
				/* Only this write's statements are undone. */
				if (db_in_tx(db) &&
				    (db_run(db, "ROLLBACK TO write", 0, NULL) <
					     0 ||
				     db_run(db, "RELEASE write", 0, NULL) < 0))
					db_rollback(db);
			}
		}
		if (!db_in_tx(db)) {
			snprintf(why, sizeof(why),
				 "the batch transaction was rolled back: %s",
				 db_errmsg(db));
			fail_applied(first, it->next, why);
			open = false;
		}
	}
	if (open && db_commit(db) < 0) {
		snprintf(why, sizeof(why), "commit failed: %s", db_errmsg(db));
		if (db_in_tx(db))
			db_rollback(db);
		fail_applied(first, NULL, why);
	}
	for (struct item *it = batch; it; it = it->next) {
		if (it->applied)
			it->res->rc = it->rc;
		n++;
	}
	atomic_fetch_add(&w->batches, 1);
	atomic_fetch_add(&w->writes, n);
}

static void *writer_main(void *arg)
{
	struct db_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct item *batch, *last;
		int n = 1;

		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->head)
			break;
		/*
		 * Whatever queued while the last commit was syncing goes into
		 * this one: batches grow with the load and add no wait of
		 * their own when there is none.
		 */
		batch = last = w->head;
		while (last->next && n < w->max_batch) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = &w->head;
		last->next = NULL;
		pthread_mutex_unlock(&w->mu);

		run_batch(w, batch);

		pthread_mutex_lock(&w->mu);
		for (struct item *it = batch; it;) {
			struct item *next = it->next;
			/* The waiter may return (and its item vanish) now. */
			it->done = true;
			it = next;
		}
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct db_writer *db_writer_start(const char *url, int max_batch, char *err,
				  size_t errlen)
{
	struct db_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->db = db_open(url, err, errlen);
	if (!w->db) {
		free(w);
		return NULL;
	}
	w->max_batch = max_batch > 0 ? max_batch : 1;
	w->tail = &w->head;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->done);
		db_close(w->db);
		free(w);
		return NULL;
	}
	return w;
}

void db_writer_stop(struct db_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	db_close(w->db);
	free(w);
}

/* A write of its own on the caller's connection (PostgreSQL). */
static int write_alone(struct db *db, db_write_fn fn, void *cls,
		       struct db_write_result *res)
{
	int rc;

	if (db_begin_write(db) < 0)
		goto failed;
	rc = fn(db, cls);
	if (rc < 0) {
		res->unique_violation = db_is_unique_violation(db);
		snprintf(res->err, sizeof(res->err), "%s", db_errmsg(db));
		db_rollback(db);
		return res->rc = -1;
	}
	if (db_commit(db) < 0)
		goto failed;
	return res->rc = rc;
failed:
	res->unique_violation = db_is_unique_violation(db);
	snprintf(res->err, sizeof(res->err), "%s", db_errmsg(db));
	if (db_in_tx(db))
		db_rollback(db);
	return res->rc = -1;
}

int db_write(struct db_writer *w, struct db *db, db_write_fn fn, void *cls,
	     struct db_write_result *res)
{
	struct item it = { .fn = fn, .cls = cls, .res = res };

	memset(res, 0, sizeof(*res));
	if (!w)
		return write_alone(db, fn, cls, res);
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		snprintf(res->err, sizeof(res->err), "the writer has stopped");
		return res->rc = -1;
	}
	*w->tail = &it;
	w->tail = &it.next;
	pthread_cond_signal(&w->work);
	while (!it.done)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
	return res->rc;
}

void db_writer_counts(struct db_writer *w, unsigned long *batches,
		      unsigned long *writes)
{
	*batches = w ? atomic_load(&w->batches) : 0;
	*writes = w ? atomic_load(&w->writes) : 0;
}
