/* static.h: serving the built front end */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H

#include "request.h"

/*
 * Serves r->path from web_dir: hashed files under /assets/ cached for a
 * year, index.html revalidated every time, other paths without a file
 * extension fall back to index.html (the SPA's router takes them), a
 * precompressed .gz sibling sent when the client accepts gzip, ETag and
 * 304. Paths with "." or ".." segments, backslashes or empty segments are
 * refused. When web_dir has no index.html a small built-in page says
 * what the server is. Returns 0 with r->resp filled, or -1 with r->err.
 */
int static_serve(struct req *r, const char *web_dir);

#endif
