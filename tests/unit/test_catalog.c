/* test_catalog.c: the shipped catalog passes the checks; broken ones do not */
#include <stdlib.h>
#include <jansson.h>
#include "harness.h"
#include "domain/catalog.h"

static json_t *load(const char *name)
{
	char path[256];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s",
		 getenv("SAIWU_CATALOG_DIR_FOR_TESTS")
			 ? getenv("SAIWU_CATALOG_DIR_FOR_TESTS")
			 : "catalog",
		 name);
	j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		printf("# cannot load %s: %s\n", path, e.text);
	return j;
}

static size_t topics(json_t *doc)
{
	size_t i, n = 0;
	json_t *t;
	json_array_foreach (json_object_get(doc, "tracks"), i, t)
		n += json_array_size(json_object_get(t, "topics"));
	return n;
}

static int check(json_t *doc, char *err)
{
	return dom_catalog_check(doc, err, 256);
}

int main(void)
{
	json_t *gd = load("guangdong-2026.json"),
	       *fj = load("fujian-2026.json");
	json_t *bad, *t;
	char err[256];

	ok(gd && fj, "catalog files load");
	if (!gd || !fj)
		return done_testing("test_catalog");
	ok(check(gd, err) == 0, "guangdong passes: %s", err);
	ok(check(fj, err) == 0, "fujian passes: %s", err);
	is_int(json_array_size(json_object_get(gd, "tracks")), 17, "gd tracks");
	is_int(topics(gd), 121, "gd topics");
	is_int(json_array_size(json_object_get(fj, "tracks")), 17, "fj tracks");
	is_int(topics(fj), 120, "fj topics");

	bad = json_deep_copy(gd);
	json_object_del(bad, "slug");
	ok(check(bad, err) < 0 && strstr(err, "slug"), "missing slug: %s", err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	json_object_set_new(bad, "slug", json_string("Bad Slug"));
	ok(check(bad, err) < 0 && strstr(err, "slug"), "bad slug: %s", err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	t = json_array_get(json_object_get(bad, "tracks"), 3);
	json_object_set_new(json_array_get(json_object_get(t, "topics"), 0),
			    "title", json_string(""));
	ok(check(bad, err) < 0 && strstr(err, "tracks[3].topics[0].title"),
	   "empty title "
	   "named by path: %s",
	   err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	t = json_array_get(json_object_get(bad, "tracks"), 1);
	json_object_set_new(t, "key", json_string("industrial-manufacturing"));
	ok(check(bad, err) < 0 && strstr(err, "appears twice"),
	   "duplicate track key: %s", err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	t = json_array_get(json_object_get(bad, "tracks"), 0);
	json_object_set_new(json_array_get(json_object_get(t, "topics"), 1),
			    "no", json_integer(1));
	ok(check(bad, err) < 0 && strstr(err, "topic 1 appears twice"),
	   "duplicate topic number: %s", err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	t = json_array_get(json_object_get(bad, "tracks"), 0);
	json_object_set_new(t, "venue", json_string("mars"));
	ok(check(bad, err) < 0 && strstr(err, "no venue 'mars'"),
	   "unknown venue: %s", err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	json_object_set_new(json_object_get(bad, "registration"), "closes",
			    json_string("2026-07-15"));
	ok(check(bad, err) < 0 && strstr(err, "registration.closes"),
	   "time without zone refused: %s", err);
	json_decref(bad);

	bad = json_deep_copy(gd);
	json_object_set_new(bad, "tracks", json_array());
	ok(check(bad, err) < 0 && strstr(err, "tracks"), "no tracks: %s", err);
	json_decref(bad);

	ok(check(json_array_get(json_object_get(gd, "tracks"), 0), err) < 0,
	   "a track is not a catalog");
	json_decref(gd);
	json_decref(fj);
	return done_testing("test_catalog");
}
