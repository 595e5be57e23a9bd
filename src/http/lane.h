/* lane.h: a few low-priority threads for the handlers that hash passwords */
#ifndef HTTP_LANE_H
#define HTTP_LANE_H

#include <stdbool.h>

struct lane;

/*
 * Password hashing (Argon2id, about 64 MiB and tens of milliseconds a
 * hash) on an HTTP worker would stall every other connection that worker
 * serves, and a sign-in flood would keep both workers of a 2-core box
 * hashing. Handlers that may hash run here instead, on threads threads at
 * a nice value nice higher than the server's, while the worker goes on
 * with other connections (the request's connection is suspended).
 * Returns NULL when out of resources.
 */
struct lane *lane_start(int threads, int queue_max, int nice);

/*
 * Reserves a place for one job. Returns false, having reserved nothing,
 * when queue_max jobs wait or run already, or the lane is stopping; the
 * caller then refuses the request. A reservation must be followed by
 * lane_push().
 */
bool lane_reserve(struct lane *l);

/* Queues fn(arg) in a reserved place; fn runs on a lane thread. */
void lane_push(struct lane *l, void (*fn)(void *arg), void *arg);

/*
 * Stops taking jobs, runs the ones queued and joins the threads. NULL is
 * ignored.
 */
void lane_stop(struct lane *l);

/* Frees a stopped lane (NULL is ignored). */
void lane_free(struct lane *l);

#endif
