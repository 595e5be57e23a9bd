/* tarpit.c: a FIFO of suspended connections and one thread resuming them */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <microhttpd.h>
#include "tarpit.h"
#include "request.h"
#include "../util/banned.h"

struct held {
	struct MHD_Connection *c;
	int64_t due; /* CLOCK_MONOTONIC ns */
};

/*
 * One delay for all, so the queue is already in due order: a ring
 * buffer, no heap, and one thread that sleeps until the head is due.
 */
struct tarpit {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int64_t delay;
	int max, head, n;
	bool stopping, joined;
	struct held q[];
};

static void *run(void *arg)
{
	struct tarpit *t = arg;

	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		int64_t now = now_ns();
		if (t->n == 0) {
			pthread_cond_wait(&t->wake, &t->lock);
		} else if (t->q[t->head].due > now) {
			int64_t due = t->q[t->head].due;
			struct timespec ts = { (time_t)(due / 1000000000),
					       (long)(due % 1000000000) };
			pthread_cond_timedwait(&t->wake, &t->lock, &ts);
		} else {
			struct MHD_Connection *c = t->q[t->head].c;
			t->head = (t->head + 1) % t->max;
			t->n--;
			/*
			 * Resumed outside the lock: MHD takes its own lock
			 * there, and a worker suspends while holding ours.
			 */
			pthread_mutex_unlock(&t->lock);
			MHD_resume_connection(c);
			pthread_mutex_lock(&t->lock);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct tarpit *tarpit_start(int delay_ms, int max)
{
	struct tarpit *t;
	pthread_condattr_t ca;

	if (delay_ms < 1 || max < 1)
		return NULL;
	t = calloc(1, sizeof(*t) + (size_t)max * sizeof(t->q[0]));
	if (!t)
		return NULL;
	t->delay = (int64_t)delay_ms * 1000000;
	t->max = max;
	/* now_ns() is CLOCK_MONOTONIC: the waits must be too. */
	if (pthread_condattr_init(&ca)) {
		free(t);
		return NULL;
	}
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_mutex_init(&t->lock, NULL)) {
		pthread_condattr_destroy(&ca);
		free(t);
		return NULL;
	}
	if (pthread_cond_init(&t->wake, &ca)) {
		pthread_condattr_destroy(&ca);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, run, t)) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

bool tarpit_hold(struct tarpit *t, struct MHD_Connection *c, int64_t now_ns)
{
	bool held = false;

	pthread_mutex_lock(&t->lock);
	if (!t->stopping && t->n < t->max) {
		/*
		 * Suspended before it is queued and under the lock, so the
		 * thread can never resume a connection not yet suspended.
		 */
		MHD_suspend_connection(c);
		t->q[(t->head + t->n) % t->max] =
			(struct held){ c, now_ns + t->delay };
		if (t->n++ == 0)
			pthread_cond_signal(&t->wake);
		held = true;
	}
	pthread_mutex_unlock(&t->lock);
	return held;
}

void tarpit_stop(struct tarpit *t)
{
	if (!t || t->joined)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	t->joined = true;
	/* Nothing new is queued once stopping is set. */
	for (;;) {
		struct MHD_Connection *c = NULL;
		pthread_mutex_lock(&t->lock);
		if (t->n > 0) {
			c = t->q[t->head].c;
			t->head = (t->head + 1) % t->max;
			t->n--;
		}
		pthread_mutex_unlock(&t->lock);
		if (!c)
			break;
		MHD_resume_connection(c);
	}
}

void tarpit_free(struct tarpit *t)
{
	if (!t)
		return;
	tarpit_stop(t);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
