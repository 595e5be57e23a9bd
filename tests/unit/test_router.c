/* test_router.c: matching before the body, 404 vs 405, parameters */
#include "harness.h"
#include "http/router.h"

static int h(struct req *r)
{
	(void)r;
	return 0;
}

static const struct route table[] = {
	{ HTTP_GET, "/api/v1/competitions", h, 0, 0, "list", NULL },
	{ HTTP_GET, "/api/v1/competitions/{slug}", h, 0, 0, "get", NULL },
	{ HTTP_GET, "/api/v1/competitions/{slug}/tracks", h, 0, 0, "tracks",
	  NULL },
	{ HTTP_POST | HTTP_PUT, "/api/v1/things/{id}/parts/{part}", h, 0, 0,
	  "parts", NULL },
	{ HTTP_DELETE, "/api/v1/things/{id}/parts/{part}", h, 0, 0, "del",
	  NULL },
};
#define N (sizeof(table) / sizeof(table[0]))

static enum route_result m(const char *path, enum http_method method,
			   struct req *r, int *idx, unsigned *allowed)
{
	memset(r, 0, sizeof(*r));
	return route_match(table, N, path, strlen(path), method, r, idx,
			   allowed);
}

int main(void)
{
	struct req r;
	int idx = -1;
	unsigned allowed = 0;
	char allow[64];

	ok(m("/api/v1/competitions", HTTP_GET, &r, &idx, &allowed) ==
			   ROUTE_FOUND &&
		   idx == 0,
	   "list");
	ok(m("/api/v1/competitions", HTTP_HEAD, &r, &idx, &allowed) ==
			   ROUTE_FOUND &&
		   idx == 0,
	   "HEAD matches GET");
	ok(m("/api/v1/competitions/gd", HTTP_GET, &r, &idx, &allowed) ==
			   ROUTE_FOUND &&
		   idx == 1 && r.nparams == 1 && r.params[0].len == 2 &&
		   !memcmp(r.params[0].p, "gd", 2),
	   "param captured");
	ok(m("/api/v1/competitions/gd/tracks", HTTP_GET, &r, &idx, &allowed) ==
			   ROUTE_FOUND &&
		   idx == 2,
	   "nested");
	ok(m("/api/v1/competitions/", HTTP_GET, &r, &idx, &allowed) ==
		   ROUTE_NOT_FOUND,
	   "empty param does not match");
	ok(m("/api/v1/competitions/gd/", HTTP_GET, &r, &idx, &allowed) ==
		   ROUTE_NOT_FOUND,
	   "trailing slash does not match");
	ok(m("/api/v1/competition", HTTP_GET, &r, &idx, &allowed) ==
		   ROUTE_NOT_FOUND,
	   "prefix does not match");
	ok(m("/api/v1/competitionsX", HTTP_GET, &r, &idx, &allowed) ==
		   ROUTE_NOT_FOUND,
	   "longer does not match");
	ok(m("/api/v1/competitions", HTTP_POST, &r, &idx, &allowed) ==
		   ROUTE_WRONG_METHOD,
	   "wrong method");
	route_allow_header(allowed, allow, sizeof(allow));
	is_str(allow, "GET, HEAD", "Allow for GET route");
	ok(m("/api/v1/things/1/parts/a", HTTP_PATCH, &r, &idx, &allowed) ==
		   ROUTE_WRONG_METHOD,
	   "methods of two rows");
	route_allow_header(allowed, allow, sizeof(allow));
	is_str(allow, "POST, PUT, DELETE", "Allow unions rows");
	ok(m("/api/v1/things/1/parts/a", HTTP_DELETE, &r, &idx, &allowed) ==
			   ROUTE_FOUND &&
		   idx == 4 && r.nparams == 2,
	   "second row");
	r.route = &table[3];
	ok(m("/api/v1/things/17/parts/x", HTTP_PUT, &r, &idx, &allowed) ==
		   ROUTE_FOUND,
	   "two params");
	r.route = &table[idx];
	{
		struct str id = req_param(&r, "id"),
			   part = req_param(&r, "part");
		struct str none = req_param(&r, "nope");
		ok(id.len == 2 && !memcmp(id.p, "17", 2), "param by name");
		ok(part.len == 1 && part.p[0] == 'x', "second param by name");
		ok(none.len == 0, "unknown param empty");
	}
	return done_testing("test_router");
}
