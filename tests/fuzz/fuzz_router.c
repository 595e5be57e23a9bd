/*
 * fuzz_router: a request line's target as the server treats it — split at
 * '?', the path percent-decoded strictly, matched against the real route
 * table (api_routes), its parameters read back, and query parameters
 * decoded. The first byte picks the method; the rest is the raw target.
 */
#include <stdbool.h>
#include "fuzz.h"
#include "api/api.h"
#include "http/router.h"
#include "http/request.h"
#include "util/str.h"

static const enum http_method methods[8] = {
	HTTP_GET,   HTTP_HEAD,	 HTTP_POST,    HTTP_PUT,
	HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS, HTTP_OTHER,
};

/* Query names the handlers read. */
static const char *const query_names[] = {
	"name", "row",	 "replace", "page",   "page_size", "status",
	"q",	"track", "sort",    "format", "download",  NULL,
};

/* Every {name} of the matched pattern reads back a non-empty segment. */
static void check_params(struct req *r, const char *path, size_t path_len)
{
	const char *pat = r->route->pattern;
	int n = 0;

	for (const char *p = strchr(pat, '{'); p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		char name[64];
		struct str v;

		FUZZ_CHECK(close && (size_t)(close - p - 1) < sizeof(name));
		memcpy(name, p + 1, (size_t)(close - p - 1));
		name[close - p - 1] = '\0';
		v = req_param(r, name);
		FUZZ_CHECK(v.len > 0);
		FUZZ_CHECK(v.p >= path && v.p + v.len <= path + path_len);
		FUZZ_CHECK(!memchr(v.p, '/', v.len));
		n++;
	}
	FUZZ_CHECK(n == r->nparams);
}

static void check_query(struct req *r)
{
	char *dst = malloc(r->query.len + 1);
	long n;

	if (!dst)
		abort();
	n = url_query_decode(r->query, dst);
	if (n >= 0) {
		FUZZ_CHECK((size_t)n <= r->query.len);
		FUZZ_CHECK(utf8_valid(dst, (size_t)n));
	}
	free(dst);
	for (const char *const *q = query_names; *q; q++) {
		bool bad = true;
		const char *v = req_query(r, *q, &bad);
		FUZZ_CHECK(!(v && bad));
		if (v)
			FUZZ_CHECK(utf8_valid(v, strlen(v)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r;
	char *uri, *q;
	size_t plen, path_len = 0;
	unsigned allowed = 0;
	int index = -1;
	enum route_result res;

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof(r));
	arena_init(&r.arena, 1u << 20);
	r.method = methods[data[0] & 7];
	uri = fuzz_strndup(data + 1, size - 1);
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	if (q)
		r.query = (struct str){ q + 1, strlen(q + 1) };
	r.path = arena_strndup(&r.arena, uri, plen);
	FUZZ_CHECK(r.path != NULL);
	check_query(&r);
	if (r.path[0] != '/' || url_path_decode(r.path, plen, &path_len) < 0)
		goto out;
	FUZZ_CHECK(path_len <= plen);
	FUZZ_CHECK(strlen(r.path) == path_len);
	FUZZ_CHECK(utf8_valid(r.path, path_len));
	r.path_len = path_len;
	res = route_match(api_routes, api_routes_count, r.path, path_len,
			  r.method, &r, &index, &allowed);
	if (res == ROUTE_FOUND) {
		unsigned m = api_routes[index].methods;
		FUZZ_CHECK(index >= 0 && (size_t)index < api_routes_count);
		FUZZ_CHECK((m & r.method) ||
			   (r.method == HTTP_HEAD && (m & HTTP_GET)));
		r.route = &api_routes[index];
		check_params(&r, r.path, path_len);
	} else if (res == ROUTE_WRONG_METHOD) {
		char allow[64];
		FUZZ_CHECK(allowed != 0 && !(allowed & r.method));
		route_allow_header(allowed, allow, sizeof(allow));
		FUZZ_CHECK(strlen(allow) > 0);
	}
out:
	arena_release(&r.arena);
	free(uri);
	return 0;
}
