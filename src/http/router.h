/* router.h: the route table's shape and the matcher */
#ifndef HTTP_ROUTER_H
#define HTTP_ROUTER_H

#include <stddef.h>
#include "request.h"

typedef int (*route_handler)(struct req *r);

/*
 * A route that takes its body as a stream (file uploads): begin() runs
 * after the access checks and before any body byte, and may refuse (e.g.
 * 413 from Content-Length); chunk() gets the body as it arrives; the
 * route's handler runs after the last byte; abort() runs when the
 * request ends without the handler having succeeded (client gone, error)
 * and must leave nothing behind.
 */
struct route_stream {
	int (*begin)(struct req *r);
	int (*chunk)(struct req *r, const char *p, size_t n);
	void (*abort)(struct req *r);
};

#define ROUTE_JSON (1u << 0) /* body must be a JSON object, parsed strictly */
#define ROUTE_USER (1u << 1) /* reads the session when there is one */
#define ROUTE_CSP_REPORT (1u << 2) /* also accepts application/csp-report */
#define ROUTE_SESSION (1u << 3)	   /* signed-in users only: 401 otherwise */
#define ROUTE_NO_CSRF (1u << 4)	   /* unsafe method without X-CSRF-Token */
#define ROUTE_TEST_ONLY (1u << 5)  /* exists only when test_mode is on */
#define ROUTE_JSON_OPTIONAL                                                    \
	(1u << 6) /* a JSON body is parsed when one is sent */
/*
 * Sign-in, registration, captcha and SMS codes: each client address has a
 * token bucket (auth_rate_limit), checked on the headers, before anything
 * else is looked at; an empty bucket is 429 rate_limited.
 */
#define ROUTE_AUTH_LIMIT (1u << 7)
/*
 * The handler may compute a password hash: it runs on the password lane
 * (lane.h), not on the HTTP worker, whose other connections go on.
 */
#define ROUTE_HASHES (1u << 8)

struct route {
	unsigned methods;    /* HTTP_GET | ... */
	const char *pattern; /* "/api/v1/competitions/{slug}" */
	route_handler handler;
	unsigned flags;
	size_t body_cap;  /* 0: no body allowed; SIZE_MAX: config limit */
	const char *name; /* metrics label */
	const struct route_stream *stream; /* NULL: body buffered (capped) */
};

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_WRONG_METHOD };

/*
 * Finds the route for path and method in table (n entries). On
 * ROUTE_FOUND sets *index and fills r->params; on ROUTE_WRONG_METHOD sets
 * *allowed to the methods the path does accept. HEAD matches GET routes.
 */
enum route_result route_match(const struct route *table, size_t n,
			      const char *path, size_t path_len,
			      enum http_method method, struct req *r,
			      int *index, unsigned *allowed);

/* Writes "GET, HEAD, POST" for a method mask into out. */
void route_allow_header(unsigned methods, char *out, size_t n);

#endif
