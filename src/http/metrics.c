/* metrics.c: lock-free counters, one row per route */
#include <stdatomic.h>
#include <stdlib.h>
#include "metrics.h"
#include "../util/banned.h"

static const int statuses[] = { 200, 201, 204, 206, 304, 400, 401,
				403, 404, 405, 409, 410, 413, 415,
				416, 422, 429, 500, 502, 503 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)

static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				 0.1,	0.25,	0.5,   1,    2.5,   5 };
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct route_metrics {
	atomic_ulong by_status[NSTATUS];
	atomic_ulong buckets[NBOUNDS + 1];
	atomic_ullong sum_us;
	atomic_ulong count;
	atomic_ulong limited; /* refused by the per-address bucket */
};

struct metrics {
	size_t nrows;
	atomic_long in_flight;
	struct route_metrics rows[];
};

struct metrics *metrics_new(size_t nroutes)
{
	size_t rows = nroutes + 2;
	struct metrics *m = calloc(1, sizeof(*m) + rows * sizeof(m->rows[0]));
	if (m)
		m->nrows = rows;
	return m;
}

void metrics_free(struct metrics *m)
{
	free(m);
}

static size_t row_of(struct metrics *m, int route_index)
{
	if (route_index >= 0 && (size_t)route_index < m->nrows - 2)
		return (size_t)route_index;
	return route_index == -1 ? m->nrows - 2 : m->nrows - 1;
}

void metrics_observe(struct metrics *m, int route_index, int status,
		     int64_t duration_ns)
{
	struct route_metrics *rm = &m->rows[row_of(m, route_index)];
	double secs = (double)duration_ns / 1e9;
	size_t s = NSTATUS - 1, b = NBOUNDS;

	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			s = i;
	for (size_t i = 0; i < NBOUNDS; i++)
		if (secs <= bounds[i]) {
			b = i;
			break;
		}
	atomic_fetch_add(&rm->by_status[s], 1);
	atomic_fetch_add(&rm->buckets[b], 1);
	atomic_fetch_add(&rm->sum_us, (unsigned long long)(duration_ns / 1000));
	atomic_fetch_add(&rm->count, 1);
}

void metrics_limited(struct metrics *m, int route_index)
{
	atomic_fetch_add(&m->rows[row_of(m, route_index)].limited, 1);
}

long metrics_in_flight(struct metrics *m, int delta)
{
	return atomic_fetch_add(&m->in_flight, delta) + delta;
}

int metrics_render(struct metrics *m, const struct route *routes,
		   size_t nroutes, unsigned long db_errors, struct buf *out)
{
	int rc = 0;

	rc |= buf_adds(
		out,
		"# HELP saiwu_http_requests_total HTTP requests by route and status.\n"
		"# TYPE saiwu_http_requests_total counter\n");
	for (size_t r = 0; r < m->nrows; r++) {
		const char *name = r < nroutes	       ? routes[r].name
				   : r == m->nrows - 2 ? "static"
						       : "unmatched";
		for (size_t s = 0; s < NSTATUS; s++) {
			unsigned long v = atomic_load(&m->rows[r].by_status[s]);
			if (!v)
				continue;
			if (s < NSTATUS - 1)
				rc |= buf_printf(
					out,
					"saiwu_http_requests_total{route=\"%s\",status=\"%d\"} %lu\n",
					name, statuses[s], v);
			else
				rc |= buf_printf(
					out,
					"saiwu_http_requests_total{route=\"%s\",status=\"other\"} %lu\n",
					name, v);
		}
	}
	rc |= buf_adds(
		out,
		"# HELP saiwu_http_request_duration_seconds Time from the request line to the response's completion.\n"
		"# TYPE saiwu_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r < m->nrows; r++) {
		const char *name = r < nroutes	       ? routes[r].name
				   : r == m->nrows - 2 ? "static"
						       : "unmatched";
		struct route_metrics *rm = &m->rows[r];
		unsigned long cum = 0, count = atomic_load(&rm->count);
		if (!count)
			continue;
		for (size_t b = 0; b < NBOUNDS; b++) {
			cum += atomic_load(&rm->buckets[b]);
			rc |= buf_printf(
				out,
				"saiwu_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
				name, bounds[b], cum);
		}
		rc |= buf_printf(
			out,
			"saiwu_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n"
			"saiwu_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
			"saiwu_http_request_duration_seconds_count{route=\"%s\"} %lu\n",
			name, count, name,
			(double)atomic_load(&rm->sum_us) / 1e6, name, count);
	}
	rc |= buf_adds(
		out,
		"# HELP saiwu_http_rate_limited_total Requests refused on their headers by the per-address limit (auth_rate_limit), also counted as 429 above.\n"
		"# TYPE saiwu_http_rate_limited_total counter\n");
	for (size_t r = 0; r < nroutes && r < m->nrows; r++) {
		unsigned long v = atomic_load(&m->rows[r].limited);
		if (v)
			rc |= buf_printf(
				out,
				"saiwu_http_rate_limited_total{route=\"%s\"} %lu\n",
				routes[r].name, v);
	}
	rc |= buf_printf(
		out,
		"# HELP saiwu_http_requests_in_flight Requests being handled now.\n"
		"# TYPE saiwu_http_requests_in_flight gauge\n"
		"saiwu_http_requests_in_flight %ld\n"
		"# HELP saiwu_db_errors_total Database errors seen by the server.\n"
		"# TYPE saiwu_db_errors_total counter\n"
		"saiwu_db_errors_total %lu\n",
		atomic_load(&m->in_flight), db_errors);
	return rc ? -1 : 0;
}
