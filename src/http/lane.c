/* lane.c: a few low-priority threads for the handlers that hash passwords */
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lane.h"
#include "../util/log.h"
#include "../util/banned.h"

struct job {
	void (*fn)(void *arg);
	void *arg;
};

struct lane {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *ring; /* queue_max slots */
	int cap, head, count;
	int reserved; /* places promised to lane_reserve() callers */
	int running;  /* jobs being run */
	bool stopping;
	int nice;
	int nthreads;
	pthread_t *threads;
};

static void *lane_main(void *arg)
{
	struct lane *l = arg;

	/*
	 * Nice applies per thread on Linux: reads and saves on the workers
	 * win the CPU over hashing. Raising one's own nice needs no
	 * privilege; failing to is not worth stopping for.
	 */
	if (l->nice > 0 &&
	    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), l->nice) < 0)
		log_warn("lane: cannot lower the hashing threads' priority");
	pthread_mutex_lock(&l->mu);
	for (;;) {
		struct job j;

		while (!l->count && !(l->stopping && !l->reserved))
			pthread_cond_wait(&l->cv, &l->mu);
		if (!l->count)
			break; /* stopping, nothing queued or promised */
		j = l->ring[l->head];
		l->head = (l->head + 1) % l->cap;
		l->count--;
		l->running++;
		pthread_mutex_unlock(&l->mu);
		j.fn(j.arg);
		pthread_mutex_lock(&l->mu);
		l->running--;
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

struct lane *lane_start(int threads, int queue_max, int nice)
{
	struct lane *l = calloc(1, sizeof(*l));

	if (!l || threads < 1 || queue_max < 1)
		goto fail;
	l->ring = calloc((size_t)queue_max, sizeof(*l->ring));
	l->threads = calloc((size_t)threads, sizeof(*l->threads));
	if (!l->ring || !l->threads)
		goto fail;
	l->cap = queue_max;
	l->nice = nice;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	for (; l->nthreads < threads; l->nthreads++)
		if (pthread_create(&l->threads[l->nthreads], NULL, lane_main,
				   l)) {
			lane_stop(l);
			lane_free(l);
			return NULL;
		}
	return l;
fail:
	if (l) {
		free(l->ring);
		free(l->threads);
		free(l);
	}
	return NULL;
}

bool lane_reserve(struct lane *l)
{
	bool ok;

	pthread_mutex_lock(&l->mu);
	ok = !l->stopping && l->count + l->reserved + l->running < l->cap;
	if (ok)
		l->reserved++;
	pthread_mutex_unlock(&l->mu);
	return ok;
}

void lane_push(struct lane *l, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&l->mu);
	l->reserved--;
	l->ring[(l->head + l->count) % l->cap] = (struct job){ fn, arg };
	l->count++;
	/* While stopping, idle threads wait for the promised jobs too. */
	if (l->stopping)
		pthread_cond_broadcast(&l->cv);
	else
		pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

void lane_stop(struct lane *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = true;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	for (int i = 0; i < l->nthreads; i++)
		pthread_join(l->threads[i], NULL);
	l->nthreads = 0;
}

void lane_free(struct lane *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l->ring);
	free(l->threads);
	free(l);
}
