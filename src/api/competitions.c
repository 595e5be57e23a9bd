/* competitions.c: the public catalog API, served from the snapshot */
#include <string.h>
#include "api.h"
#include "catalog_cache.h"
#include "../app.h"
#include "../util/banned.h"

/* Public data: browsers and proxies may keep it briefly, then revalidate. */
#define CATALOG_CACHE_CONTROL "public, max-age=60, must-revalidate"

static bool not_modified(struct req *r, const char *etag)
{
	const char *inm = req_header(r, "If-None-Match");
	return inm && (strstr(inm, etag) || !strcmp(inm, "*"));
}

/* Hands a rendered body to the response, holding a snapshot reference. */
static int send_rendered(struct req *r, struct catalog_snapshot *s,
			 const struct rendered *body)
{
	memcpy(r->resp.etag, body->etag, sizeof(body->etag));
	r->resp.cache_control = CATALOG_CACHE_CONTROL;
	r->resp.content_type = "application/json; charset=utf-8";
	if (not_modified(r, body->etag)) {
		catalog_snapshot_unref(s);
		r->resp.status = 304;
		r->resp.len = 0;
		return 0;
	}
	r->resp.status = 200;
	r->resp.body = body->body;
	r->resp.len = body->len;
	r->resp.release = catalog_snapshot_unref;
	r->resp.release_cls = s;
	return 0;
}

static struct catalog_snapshot *snapshot(struct req *r)
{
	struct catalog_snapshot *s = catalog_cache_get(r->app->catalog);
	if (!s)
		req_fail(r, E_UNAVAILABLE, "catalog_unavailable",
			 "赛事信息暂时不可用");
	return s;
}

int api_competitions_list(struct req *r)
{
	struct catalog_snapshot *s = snapshot(r);
	if (!s)
		return -1;
	return send_rendered(r, s, &s->list);
}

static const struct catalog_entry *entry(struct req *r,
					 struct catalog_snapshot *s)
{
	struct str slug = req_param(r, "slug");
	const struct catalog_entry *e =
		catalog_snapshot_find(s, slug.p, slug.len);
	if (!e) {
		catalog_snapshot_unref(s);
		req_fail(r, E_NOT_FOUND, "competition_not_found", "赛事不存在");
	}
	return e;
}

int api_competition_get(struct req *r)
{
	struct catalog_snapshot *s = snapshot(r);
	const struct catalog_entry *e;

	if (!s || !(e = entry(r, s)))
		return -1;
	return send_rendered(r, s, &e->detail);
}

int api_competition_tracks(struct req *r)
{
	struct catalog_snapshot *s = snapshot(r);
	const struct catalog_entry *e;

	if (!s || !(e = entry(r, s)))
		return -1;
	return send_rendered(r, s, &e->tracks);
}
