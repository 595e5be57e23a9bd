/* catalog_cache.c: render on import, not on every request */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <jansson.h>
#include "catalog_cache.h"
#include "../http/request.h"
#include "../store/catalog.h"
#include "../store/pool.h"
#include "../util/log.h"
#include "../util/str.h"
#include "../util/banned.h"

#define CHECK_INTERVAL_NS 1000000000LL

struct catalog_cache {
	struct db_pool *pool;
	pthread_mutex_t mu;
	struct catalog_snapshot *cur;
	_Atomic int64_t next_check;
};

static int render(json_t *v, struct rendered *out)
{
	unsigned char h[16];

	out->body = json_dumps(v, JSON_COMPACT);
	if (!out->body)
		return -1;
	out->len = strlen(out->body);
	crypto_generichash(h, sizeof(h), (const unsigned char *)out->body,
			   out->len, NULL, 0);
	out->etag[0] = '"';
	hex_encode(h, sizeof(h), out->etag + 1);
	out->etag[33] = '"';
	out->etag[34] = '\0';
	return 0;
}

static void snapshot_free(struct catalog_snapshot *s)
{
	if (!s)
		return;
	free(s->list.body);
	for (size_t i = 0; i < s->n; i++) {
		free(s->entries[i].detail.body);
		free(s->entries[i].tracks.body);
	}
	free(s->entries);
	json_decref(s->all);
	free(s);
}

static json_t *summary_of(json_t *comp)
{
	json_t *tracks = json_object_get(comp, "tracks"), *t;
	size_t i, topics = 0;

	json_array_foreach (tracks, i, t)
		topics += json_array_size(json_object_get(t, "topics"));
	/* Optional keys come out as null rather than failing the rendering. */
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O?, s:O?, s:I, s:I}",
			 "id", json_object_get(comp, "id"), "slug",
			 json_object_get(comp, "slug"), "name",
			 json_object_get(comp, "name"), "short_name",
			 json_object_get(comp, "short_name"), "year",
			 json_object_get(comp, "year"), "sort_order",
			 json_object_get(comp, "sort_order"), "theme",
			 json_object_get(comp, "theme"), "registration",
			 json_object_get(comp, "registration"), "track_count",
			 (json_int_t)json_array_size(tracks), "topic_count",
			 (json_int_t)topics);
}

static struct catalog_snapshot *build(struct db_pool *pool)
{
	struct db *db = db_pool_get(pool, 5000);
	struct catalog_snapshot *s = NULL;
	json_t *all = NULL, *items = NULL, *wrap = NULL, *comp;
	int64_t rev = 0;
	size_t i;

	if (!db)
		return NULL;
	all = store_catalog_load(db, &rev);
	if (!all) {
		log_error("catalog: cannot load: %s", db_errmsg(db));
		db_pool_count_error(pool);
	}
	db_pool_put(pool, db);
	if (!all)
		return NULL;
	s = calloc(1, sizeof(*s));
	items = json_array();
	if (!s || !items)
		goto fail;
	s->revision = rev;
	s->n = json_array_size(all);
	s->entries = calloc(s->n ? s->n : 1, sizeof(*s->entries));
	if (!s->entries)
		goto fail;
	json_array_foreach (all, i, comp) {
		struct catalog_entry *e = &s->entries[i];
		json_t *tw;
		int rc;

		snprintf(e->slug, sizeof(e->slug), "%s",
			 json_string_value(json_object_get(comp, "slug")));
		if (render(comp, &e->detail) < 0)
			goto fail;
		tw = json_pack("{s:O}", "items",
			       json_object_get(comp, "tracks"));
		rc = tw ? render(tw, &e->tracks) : -1;
		json_decref(tw);
		if (rc < 0 ||
		    json_array_append_new(items, summary_of(comp)) < 0)
			goto fail;
	}
	wrap = json_pack("{s:O}", "items", items);
	if (!wrap || render(wrap, &s->list) < 0)
		goto fail;
	json_decref(wrap);
	json_decref(items);
	s->all = all;
	atomic_init(&s->refs, 1);
	return s;
fail:
	log_error("catalog: cannot render revision %lld", (long long)rev);
	json_decref(wrap);
	json_decref(items);
	json_decref(all);
	snapshot_free(s);
	return NULL;
}

struct catalog_cache *catalog_cache_new(struct db_pool *pool)
{
	struct catalog_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->pool = pool;
	pthread_mutex_init(&c->mu, NULL);
	c->cur = build(pool);
	if (!c->cur) {
		pthread_mutex_destroy(&c->mu);
		free(c);
		return NULL;
	}
	c->next_check = now_ns() + CHECK_INTERVAL_NS;
	return c;
}

void catalog_cache_free(struct catalog_cache *c)
{
	if (!c)
		return;
	catalog_snapshot_unref(c->cur);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void catalog_snapshot_unref(void *p)
{
	struct catalog_snapshot *s = p;
	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		snapshot_free(s);
}

static struct catalog_snapshot *current(struct catalog_cache *c)
{
	struct catalog_snapshot *s;
	pthread_mutex_lock(&c->mu);
	s = c->cur;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&c->mu);
	return s;
}

static void refresh_if_changed(struct catalog_cache *c)
{
	int64_t now = now_ns(), due = atomic_load(&c->next_check), rev = 0;
	struct db *db;
	struct catalog_snapshot *fresh, *old;
	bool same;
	int rc;

	/* One caller a second wins the check; the others serve what is there. */
	if (now < due || !atomic_compare_exchange_strong(
				 &c->next_check, &due, now + CHECK_INTERVAL_NS))
		return;
	db = db_pool_get(c->pool, 1000);
	if (!db)
		return;
	rc = store_catalog_revision(db, &rev);
	if (rc < 0) {
		log_error("catalog: cannot read the revision: %s",
			  db_errmsg(db));
		db_pool_count_error(c->pool);
	}
	db_pool_put(c->pool, db);
	if (rc < 0)
		return;
	/*
	 * Under the lock: a refresh that waited long on the pool may overlap
	 * the next second's, which can swap c->cur and free the old one.
	 */
	pthread_mutex_lock(&c->mu);
	same = rev == c->cur->revision;
	pthread_mutex_unlock(&c->mu);
	if (same)
		return;
	fresh = build(c->pool);
	if (!fresh)
		return;
	pthread_mutex_lock(&c->mu);
	old = c->cur;
	c->cur = fresh;
	pthread_mutex_unlock(&c->mu);
	catalog_snapshot_unref(old);
	log_info("catalog: serving revision %lld", (long long)fresh->revision);
}

struct catalog_snapshot *catalog_cache_get(struct catalog_cache *c)
{
	refresh_if_changed(c);
	return current(c);
}

const struct catalog_entry *
catalog_snapshot_find(const struct catalog_snapshot *s, const char *slug,
		      size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->entries[i].slug) == len &&
		    !memcmp(s->entries[i].slug, slug, len))
			return &s->entries[i];
	return NULL;
}

const json_t *catalog_snapshot_competition(const struct catalog_snapshot *s,
					   const char *slug)
{
	size_t i;
	const json_t *c;

	json_array_foreach (s->all, i, c) {
		const char *v = json_string_value(json_object_get(c, "slug"));
		if (v && !strcmp(v, slug))
			return c;
	}
	return NULL;
}

const json_t *catalog_track(const json_t *competition, const char *key)
{
	size_t i;
	const json_t *t;

	json_array_foreach (json_object_get(competition, "tracks"), i, t) {
		const char *v = json_string_value(json_object_get(t, "key"));
		if (v && !strcmp(v, key))
			return t;
	}
	return NULL;
}

const json_t *catalog_topic(const json_t *track, json_int_t no)
{
	size_t i;
	const json_t *t;

	json_array_foreach (json_object_get(track, "topics"), i, t)
		if (json_integer_value(json_object_get(t, "no")) == no)
			return t;
	return NULL;
}
