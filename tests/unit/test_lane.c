/* test_lane.c: the password lane's queue bound, its threads' priority, and its stop */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "http/lane.h"

static atomic_int ran;
static atomic_int nice_seen;
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static bool gate_open;

static void note(void *arg)
{
	(void)arg;
	atomic_store(&nice_seen,
		     getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid)));
	atomic_fetch_add(&ran, 1);
}

/* Waits until the test opens the gate: a job that occupies its thread. */
static void blocked(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&gate_mu);
	while (!gate_open)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	atomic_fetch_add(&ran, 1);
}

static void open_gate(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_open = true;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

static void *stopper(void *arg)
{
	lane_stop(arg);
	return NULL;
}

static void wait_ran(int n)
{
	struct timespec ts = { 0, 1000000L };
	for (int i = 0; i < 5000 && atomic_load(&ran) < n; i++)
		nanosleep(&ts, NULL);
}

int main(void)
{
	struct lane *l = lane_start(2, 4, 7);
	int mine = getpriority(PRIO_PROCESS, 0);

	ok(l != NULL, "lane starts");
	if (!l)
		return done_testing("test_lane");
	ok(lane_reserve(l), "a place");
	lane_push(l, note, NULL);
	wait_ran(1);
	is_int(atomic_load(&ran), 1, "the job ran on a lane thread");
	is_int(atomic_load(&nice_seen), mine + 7,
	       "at the lane's nice above the process's");
	is_int(getpriority(PRIO_PROCESS, 0), mine,
	       "the calling thread keeps its priority");

	/* Two threads held by blocked jobs, two more queued: full at 4. */
	atomic_store(&ran, 0);
	for (int i = 0; i < 4; i++) {
		ok(lane_reserve(l), "place %d of 4", i + 1);
		lane_push(l, blocked, NULL);
	}
	ok(!lane_reserve(l), "a fifth waits for nothing: refused");
	open_gate();
	wait_ran(4);
	is_int(atomic_load(&ran), 4, "all four ran once the gate opened");
	ok(lane_reserve(l), "room again");
	lane_push(l, note, NULL);
	wait_ran(5);

	/* Stopping runs what was queued or promised, then refuses. */
	atomic_store(&ran, 0);
	ok(lane_reserve(l), "a place promised before the stop");
	{
		pthread_t t;
		struct lane *lp = l;
		/* The promised job is pushed while lane_stop waits for it. */
		pthread_create(&t, NULL, stopper, lp);
		struct timespec ts = { 0, 20000000L };
		nanosleep(&ts, NULL);
		lane_push(l, note, NULL);
		pthread_join(t, NULL);
	}
	ok(atomic_load(&ran) >= 1,
	   "the promised job ran before the stop ended");
	ok(!lane_reserve(l), "a stopped lane takes nothing");
	lane_free(l);
	lane_stop(NULL);
	lane_free(NULL);
	ok(lane_start(0, 4, 0) == NULL && lane_start(1, 0, 0) == NULL,
	   "no threads or no room: refused");
	return done_testing("test_lane");
}
