/* pool.c: connections are reused, never shared by two threads at once */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pool.h"
#include "../util/log.h"
#include "../util/banned.h"

struct db_pool {
	char *url;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct db **idle;
	int nidle;
	int total;
	int max;
	atomic_ulong errors;
	const char *driver;
};

struct db_pool *db_pool_new(const char *url, int max, char *err, size_t errlen)
{
	struct db_pool *p = calloc(1, sizeof(*p));
	struct db *first;

	if (!p || max < 1)
		goto oom;
	p->url = strdup(url);
	p->idle = calloc((size_t)max, sizeof(*p->idle));
	if (!p->url || !p->idle)
		goto oom;
	p->max = max;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	first = db_open(url, err, errlen);
	if (!first) {
		db_pool_free(p);
		return NULL;
	}
	p->driver = first->drv->name;
	p->idle[p->nidle++] = first;
	p->total = 1;
	return p;
oom:
	snprintf(err, errlen, "out of memory");
	if (p) {
		free(p->url);
		free(p->idle);
		free(p);
	}
	return NULL;
}

void db_pool_free(struct db_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nidle; i++)
		db_close(p->idle[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->idle);
	free(p->url);
	free(p);
}

struct db *db_pool_get(struct db_pool *p, int wait_ms)
{
	struct db *db = NULL;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->nidle > 0) {
			db = p->idle[--p->nidle];
			break;
		}
		if (p->total < p->max) {
			char err[512];
			p->total++;
			/* Open outside the lock: a connect can take a while. */
			pthread_mutex_unlock(&p->mu);
			db = db_open(p->url, err, sizeof(err));
			pthread_mutex_lock(&p->mu);
			if (!db) {
				p->total--;
				atomic_fetch_add(&p->errors, 1);
				log_error("database connection failed: %s",
					  err);
				pthread_cond_signal(&p->cv);
			}
			break;
		}
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&p->mu);
	return db;
}

void db_pool_put(struct db_pool *p, struct db *db)
{
	if (!db)
		return;
	/* A handler that failed half-way may leave a transaction open. */
	if (db_in_tx(db))
		db_exec(db, "ROLLBACK");
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void db_pool_count_error(struct db_pool *p)
{
	atomic_fetch_add(&p->errors, 1);
}

unsigned long db_pool_errors(struct db_pool *p)
{
	return atomic_load(&p->errors);
}

const char *db_pool_driver(struct db_pool *p)
{
	return p->driver;
}
