/* router.c: segment-by-segment matching, before any body is read */
#include <stdio.h>
#include <string.h>
#include "router.h"
#include "../util/banned.h"

/* Matches one pattern; fills params on success. */
static bool match_one(const char *pat, const char *path, size_t len,
		      struct req *r)
{
	size_t i = 0;
	int np = 0;

	while (*pat) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			size_t start = i;
			if (!close)
				return false;
			while (i < len && path[i] != '/')
				i++;
			/* A parameter never matches an empty segment. */
			if (i == start || np >= REQ_MAX_PARAMS)
				return false;
			r->params[np].p = path + start;
			r->params[np].len = i - start;
			np++;
			pat = close + 1;
			continue;
		}
		if (i >= len || path[i] != *pat)
			return false;
		i++;
		pat++;
	}
	if (i != len)
		return false;
	r->nparams = np;
	return true;
}

enum route_result route_match(const struct route *table, size_t n,
			      const char *path, size_t path_len,
			      enum http_method method, struct req *r,
			      int *index, unsigned *allowed)
{
	unsigned seen = 0;
	unsigned want = method == HTTP_HEAD ? (HTTP_HEAD | HTTP_GET) : method;

	for (size_t k = 0; k < n; k++) {
		if (!match_one(table[k].pattern, path, path_len, r))
			continue;
		seen |= table[k].methods;
		if (table[k].methods & want) {
			*index = (int)k;
			return ROUTE_FOUND;
		}
	}
	r->nparams = 0;
	if (!seen)
		return ROUTE_NOT_FOUND;
	if (seen & HTTP_GET)
		seen |= HTTP_HEAD;
	*allowed = seen;
	return ROUTE_WRONG_METHOD;
}

void route_allow_header(unsigned methods, char *out, size_t n)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ HTTP_GET, "GET" },	     { HTTP_HEAD, "HEAD" },
		{ HTTP_POST, "POST" },	     { HTTP_PUT, "PUT" },
		{ HTTP_PATCH, "PATCH" },     { HTTP_DELETE, "DELETE" },
		{ HTTP_OPTIONS, "OPTIONS" },
	};
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int w;
		if (!(methods & names[i].bit))
			continue;
		w = snprintf(out + used, n - used, "%s%s", used ? ", " : "",
			     names[i].name);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}
