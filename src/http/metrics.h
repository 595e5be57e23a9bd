/* metrics.h: request counters and latency histograms for /metrics */
#ifndef HTTP_METRICS_H
#define HTTP_METRICS_H

#include <stdint.h>
#include "router.h"
#include "../util/buf.h"

struct metrics;

/* Creates counters for nroutes routes plus "static" and "unmatched". */
struct metrics *metrics_new(size_t nroutes);
void metrics_free(struct metrics *m);

/* Records a finished request; route_index -1 is static, -2 unmatched. */
void metrics_observe(struct metrics *m, int route_index, int status,
		     int64_t duration_ns);

/* Counts a request refused by the per-address limit (route_index >= 0). */
void metrics_limited(struct metrics *m, int route_index);

/* Adds delta (+1 or -1) to the in-flight gauge; returns the new value. */
long metrics_in_flight(struct metrics *m, int delta);

/*
 * Appends the Prometheus text exposition of every counter to out.
 * Returns 0 or -1 when out is full.
 */
int metrics_render(struct metrics *m, const struct route *routes,
		   size_t nroutes, unsigned long db_errors, struct buf *out);

#endif
