/*
 * statistics.c: the numbers of the admins' dashboard — records per
 * track, region and unit type, registrations and submissions per day
 * with the deadline, and the review and scoring progress per track.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api.h"
#include "console.h"
#include "errors.h"
#include "../store/statistics.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

/* Days are filled in between the first and the last only up to this span. */
#define DAILY_SPAN_MAX 731

/* Region codes cut to the city: "440106" → "440100"; "44" → "440000". */
static json_t *by_region(const json_t *rows)
{
	json_t *counts = json_object(), *out = json_array(), *v;
	const json_t *row;
	const char *key;
	size_t i;

	json_array_foreach (rows, i, row) {
		const char *code = json_string_value(json_array_get(row, 0));
		char city[8];
		size_t n = code ? strlen(code) : 0;

		if (n < 2 || n > 12)
			continue;
		snprintf(city, sizeof(city), "%.*s%s", n >= 4 ? 4 : 2, code,
			 n >= 4 ? "00" : "0000");
		json_object_set_new(
			counts, city,
			json_integer(
				json_integer_value(
					json_object_get(counts, city)) +
				json_integer_value(json_array_get(row, 1))));
	}
	json_object_foreach (counts, key, v)
		json_array_append_new(out, json_pack("{s:s, s:O}", "code", key,
						     "count", v));
	json_decref(counts);
	return out;
}

static void day_text(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int64_t count_on(const json_t *rows, int64_t day)
{
	const json_t *row;
	size_t i;

	json_array_foreach (rows, i, row)
		if (json_integer_value(json_array_get(row, 0)) == day)
			return json_integer_value(json_array_get(row, 1));
	return 0;
}

static int64_t day_at(const json_t *rows, size_t i, int64_t fallback)
{
	const json_t *row = json_array_get(rows, i);
	return row ? json_integer_value(json_array_get(row, 0)) : fallback;
}

/* Every China day from the first record to the last, gaps as zeros. */
static json_t *daily(const json_t *created, const json_t *submitted)
{
	size_t nc = json_array_size(created), ns = json_array_size(submitted);
	int64_t first, last;
	json_t *out = json_array();
	char date[11];

	if (!nc && !ns)
		return out;
	first = day_at(created, 0, INT64_MAX);
	if (day_at(submitted, 0, INT64_MAX) < first)
		first = day_at(submitted, 0, INT64_MAX);
	last = day_at(created, nc - 1, INT64_MIN);
	if (ns && day_at(submitted, ns - 1, INT64_MIN) > last)
		last = day_at(submitted, ns - 1, INT64_MIN);
	for (int64_t d = first; out && d <= last; d++) {
		int64_t c = count_on(created, d), s = count_on(submitted, d);
		/* A span too long to fill lists the days that have records. */
		if (last - first > DAILY_SPAN_MAX && !c && !s)
			continue;
		day_text(d, date);
		json_array_append_new(out,
				      json_pack("{s:s, s:I, s:I}", "date", date,
						"created", (json_int_t)c,
						"submitted", (json_int_t)s));
	}
	return out;
}

int api_statistics_get(struct req *r)
{
	int64_t comp = 0, deadline = 0;
	json_t *tracks = NULL, *regions = NULL, *natures = NULL,
	       *created = NULL, *submitted = NULL, *scoring = NULL,
	       *review = NULL, *body = NULL;
	const json_t *t;
	char *closes = NULL;
	size_t i;
	int rc = -1;

	if (!req_db(r))
		return -1;
	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_REVIEWER, true) < 0)
		return -1;
	/* One snapshot, so the charts agree with each other. */
	if (db_begin_snapshot(r->db) < 0 ||
	    !(tracks = store_stats_by_track(r->db, comp)) ||
	    !(regions = store_stats_regions(r->db, comp)) ||
	    !(natures = store_stats_unit_types(r->db, comp)) ||
	    !(created = store_stats_days(r->db, comp, 0)) ||
	    !(submitted = store_stats_days(r->db, comp, 1)) ||
	    !(scoring = store_stats_scoring(r->db, comp)) ||
	    store_stats_deadline(r->db, comp, &closes) < 0 ||
	    db_commit(r->db) < 0) {
		api_db_failed(r, r->db);
		goto out;
	}
	if (closes && time_parse_iso(closes, &deadline) < 0)
		deadline = 0;
	review = json_array();
	json_array_foreach (tracks, i, t)
		json_array_append_new(
			review,
			json_pack("{s:O, s:O, s:O, s:O}", "track_id",
				  json_object_get(t, "track_id"), "unreviewed",
				  json_object_get(t, "submitted"), "approved",
				  json_object_get(t, "approved"), "returned",
				  json_object_get(t, "returned")));
	body = json_pack("{s:o, s:O, s:o, s:O, s:o, s:o, s:O}", "deadline",
			 deadline ? json_integer(deadline) : json_null(),
			 "by_track", tracks, "by_region", by_region(regions),
			 "by_unit_type", natures, "daily",
			 daily(created, submitted), "review", review, "scoring",
			 scoring);
	review = NULL;
	rc = api_send(r, 200, body);
out:
	free(closes);
	json_decref(tracks);
	json_decref(regions);
	json_decref(natures);
	json_decref(created);
	json_decref(submitted);
	json_decref(scoring);
	json_decref(review);
	return rc;
}
