/* catalog.c: a catalog file is checked whole before any of it is stored */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "catalog.h"
#include "../util/banned.h"

#define MAX_TRACKS 64
#define MAX_TOPICS 64

static bool is_key(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

static int need_string(const json_t *o, const char *key, bool nullable,
		       const char *path, char *err, size_t errlen)
{
	const json_t *v = json_object_get(o, key);
	if (!v) {
		snprintf(err, errlen, "%s%s: missing", path, key);
		return -1;
	}
	if (json_is_null(v) && nullable)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0) {
		snprintf(err, errlen, "%s%s: expected a non-empty string%s",
			 path, key, nullable ? " or null" : "");
		return -1;
	}
	return 0;
}

static int need_int(const json_t *o, const char *key, long long min,
		    long long max, const char *path, char *err, size_t errlen)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		snprintf(err, errlen,
			 "%s%s: expected an integer from %lld to %lld", path,
			 key, min, max);
		return -1;
	}
	return 0;
}

static int need_iso_time(const json_t *o, const char *key, const char *path,
			 char *err, size_t errlen)
{
	const json_t *v = json_object_get(o, key);
	const char *s;

	if (json_is_null(v))
		return 0;
	s = json_string_value(v);
	/* 2026-06-13T00:00:00+08:00: the zone is required, never guessed. */
	if (!s || strlen(s) != 25 || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    (s[19] != '+' && s[19] != '-') || s[22] != ':') {
		snprintf(err, errlen,
			 "%s%s: expected a time like 2026-06-13T00:00:00+08:00 "
			 "or null",
			 path, key);
		return -1;
	}
	return 0;
}

static int check_topics(const json_t *topics, const char *path, char *err,
			size_t errlen)
{
	size_t i, n;
	const json_t *t;
	bool seen[MAX_TOPICS + 1] = { false };
	char p[96];

	n = json_array_size(topics);
	if (!json_is_array(topics) || n == 0 || n > MAX_TOPICS) {
		snprintf(err, errlen, "%stopics: expected 1 to %d topics", path,
			 MAX_TOPICS);
		return -1;
	}
	json_array_foreach (topics, i, t) {
		long long no;
		snprintf(p, sizeof(p), "%stopics[%zu].", path, i);
		if (!json_is_object(t)) {
			snprintf(err, errlen, "%s: expected an object", p);
			return -1;
		}
		if (need_int(t, "no", 1, MAX_TOPICS, p, err, errlen) < 0 ||
		    need_string(t, "title", false, p, err, errlen) < 0 ||
		    need_string(t, "description", false, p, err, errlen) < 0)
			return -1;
		no = json_integer_value(json_object_get(t, "no"));
		if (seen[no]) {
			snprintf(err, errlen, "%sno: topic %lld appears twice",
				 p, no);
			return -1;
		}
		seen[no] = true;
	}
	return 0;
}

static bool venue_exists(const json_t *venues, const char *key)
{
	size_t i;
	const json_t *v;
	json_array_foreach (venues, i, v) {
		const char *k = json_string_value(json_object_get(v, "key"));
		if (k && !strcmp(k, key))
			return true;
	}
	return false;
}

int dom_catalog_check(const json_t *doc, char *err, size_t errlen)
{
	const json_t *tracks, *venues, *reg, *t;
	bool seen_no[MAX_TRACKS + 1] = { false };
	size_t i, n;
	char p[64];

	if (!json_is_object(doc)) {
		snprintf(err, errlen, "expected a JSON object");
		return -1;
	}
	if (need_string(doc, "slug", false, "", err, errlen) < 0)
		return -1;
	if (!is_key(json_string_value(json_object_get(doc, "slug")), 64)) {
		snprintf(err, errlen,
			 "slug: expected 1 to 64 of a-z, 0-9 and '-'");
		return -1;
	}
	if (need_string(doc, "name", false, "", err, errlen) < 0 ||
	    need_string(doc, "short_name", false, "", err, errlen) < 0 ||
	    need_int(doc, "year", 2000, 2100, "", err, errlen) < 0 ||
	    need_int(doc, "sort_order", 0, 1000000, "", err, errlen) < 0)
		return -1;
	reg = json_object_get(doc, "registration");
	if (!json_is_object(reg)) {
		snprintf(err, errlen, "registration: expected an object");
		return -1;
	}
	if (need_iso_time(reg, "opens", "registration.", err, errlen) < 0 ||
	    need_iso_time(reg, "closes", "registration.", err, errlen) < 0)
		return -1;
	venues = json_object_get(doc, "venues");
	if (venues && !json_is_array(venues)) {
		snprintf(err, errlen, "venues: expected an array");
		return -1;
	}
	tracks = json_object_get(doc, "tracks");
	n = json_array_size(tracks);
	if (!json_is_array(tracks) || n == 0 || n > MAX_TRACKS) {
		snprintf(err, errlen, "tracks: expected 1 to %d tracks",
			 MAX_TRACKS);
		return -1;
	}
	json_array_foreach (tracks, i, t) {
		const char *key, *venue;
		long long no;

		snprintf(p, sizeof(p), "tracks[%zu].", i);
		if (!json_is_object(t)) {
			snprintf(err, errlen, "tracks[%zu]: expected an object",
				 i);
			return -1;
		}
		if (need_int(t, "no", 1, MAX_TRACKS, p, err, errlen) < 0 ||
		    need_string(t, "key", false, p, err, errlen) < 0 ||
		    need_string(t, "name", false, p, err, errlen) < 0 ||
		    need_string(t, "title", false, p, err, errlen) < 0 ||
		    need_string(t, "heading", false, p, err, errlen) < 0 ||
		    need_string(t, "venue", true, p, err, errlen) < 0)
			return -1;
		key = json_string_value(json_object_get(t, "key"));
		if (!is_key(key, 64)) {
			snprintf(err, errlen,
				 "%skey: expected 1 to 64 of a-z, 0-9 and '-'",
				 p);
			return -1;
		}
		for (size_t k = 0; k < i; k++) {
			const char *other = json_string_value(json_object_get(
				json_array_get(tracks, k), "key"));
			if (other && !strcmp(other, key)) {
				snprintf(err, errlen,
					 "%skey: '%s' appears twice", p, key);
				return -1;
			}
		}
		no = json_integer_value(json_object_get(t, "no"));
		if (seen_no[no]) {
			snprintf(err, errlen, "%sno: track %lld appears twice",
				 p, no);
			return -1;
		}
		seen_no[no] = true;
		venue = json_string_value(json_object_get(t, "venue"));
		if (venue && !venue_exists(venues, venue)) {
			snprintf(err, errlen,
				 "%svenue: no venue '%s' in venues", p, venue);
			return -1;
		}
		if (check_topics(json_object_get(t, "topics"), p, err, errlen) <
		    0)
			return -1;
	}
	return 0;
}
