/* catalog_cache.h: the public catalog, rendered once, served from memory */
#ifndef API_CATALOG_CACHE_H
#define API_CATALOG_CACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct db_pool;
struct catalog_cache;

/* One rendered JSON body and its ETag. */
struct rendered {
	char *body;
	size_t len;
	char etag[40];
};

struct catalog_entry {
	char slug[65];
	struct rendered detail;
	struct rendered tracks;
};

/* An immutable rendering of one catalog revision, reference-counted. */
struct catalog_snapshot {
	int64_t revision;
	json_t *all; /* the loaded catalog, read-only while shared */
	struct rendered list;
	struct catalog_entry *entries;
	size_t n;
	_Atomic int refs;
};

/* Creates the cache and renders the current catalog. NULL on error. */
struct catalog_cache *catalog_cache_new(struct db_pool *pool);
void catalog_cache_free(struct catalog_cache *c);

/*
 * Returns the current snapshot with a reference the caller drops with
 * catalog_snapshot_unref(). At most once a second a caller checks the
 * database's catalog revision and, when an import changed it, renders a
 * new snapshot. Returns NULL only if no snapshot could ever be rendered.
 */
struct catalog_snapshot *catalog_cache_get(struct catalog_cache *c);

/* Drops a reference; the last one frees the snapshot. */
void catalog_snapshot_unref(void *snapshot);

/* Finds a sub-contest's catalog object by slug, or NULL. */
const json_t *catalog_snapshot_competition(const struct catalog_snapshot *s,
					   const char *slug);

/* Finds a track of a sub-contest by key, or NULL. */
const json_t *catalog_track(const json_t *competition, const char *key);

/* Finds a topic of a track by number, or NULL. */
const json_t *catalog_topic(const json_t *track, json_int_t no);

/* Finds a sub-contest by slug in a snapshot, or NULL. */
const struct catalog_entry *
catalog_snapshot_find(const struct catalog_snapshot *s, const char *slug,
		      size_t len);

#endif
