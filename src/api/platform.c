/* platform.c: what the web app needs to know about this deployment */
#include <string.h>
#include "api.h"
#include "applications.h"
#include "catalog_cache.h"
#include "../app.h"
#include "../util/clock.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

static json_t *iso_or_null(int64_t t)
{
	char s[26];
	if (!t)
		return json_null();
	time_format_cn(t, s);
	return json_string(s);
}

/*
 * The registration windows as this server applies them (in 演示 mode they
 * differ from the catalog's), and whether each is open now.
 */
int api_platform_get(struct req *r)
{
	struct catalog_snapshot *s = catalog_cache_get(r->app->catalog);
	json_t *list = json_array(), *body;
	const json_t *c;
	size_t i;
	int64_t now = clock_now();
	int rc;

	if (!s || !list) {
		catalog_snapshot_unref(s);
		json_decref(list);
		return req_fail(r, E_UNAVAILABLE, "catalog_unavailable", NULL);
	}
	req_db(r);
	json_array_foreach (s->all, i, c) {
		struct lc_window w;
		app_window(r, c, json_integer_value(json_object_get(c, "id")),
			   &w);
		json_array_append_new(
			list,
			json_pack("{s:O, s:o, s:o, s:o, s:b}", "slug",
				  json_object_get(c, "slug"), "opens",
				  iso_or_null(w.opens), "closes",
				  iso_or_null(w.closes), "resubmit_closes",
				  iso_or_null(w.resubmit_closes), "open",
				  lc_create_refusal(&w, now) == NULL));
	}
	catalog_snapshot_unref(s);
	body = json_pack("{s:s, s:b, s:s, s:o, s:o}", "name", "赛务", "demo",
			 r->app->cfg.demo, "env", r->app->cfg.env, "now",
			 iso_or_null(now), "registration", list);
	rc = body ? resp_json(r, 200, body)
		  : req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	json_decref(body);
	return rc;
}
