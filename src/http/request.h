/* request.h: one HTTP request as the layers above http/ see it */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/str.h"

struct app;
struct route;

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_PATCH = 1 << 4,
	HTTP_DELETE = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
	HTTP_OTHER = 1 << 7,
};

/* Error kinds; api/errors.c maps each to a status and a default message. */
enum err_kind {
	E_NONE = 0,
	E_BAD_REQUEST,	/* 400 malformed input */
	E_UNAUTHORIZED, /* 401 */
	E_FORBIDDEN,	/* 403 */
	E_NOT_FOUND,	/* 404 */
	E_METHOD,	/* 405 */
	E_CONFLICT,	/* 409 */
	E_GONE,		/* 410 existed, removed for good */
	E_TOO_LARGE,	/* 413 */
	E_MEDIA_TYPE,	/* 415 */
	E_RANGE,	/* 416 */
	E_INVALID,	/* 422 well-formed but breaks a rule */
	E_TOO_MANY,	/* 429 */
	E_INTERNAL,	/* 500 */
	E_BAD_GATEWAY,	/* 502 a provider we depend on failed */
	E_UNAVAILABLE,	/* 503 */
	E_KIND_COUNT
};

struct req_err {
	enum err_kind kind;
	const char *code;  /* stable machine code, e.g. "invalid_json" */
	char message[512]; /* shown to the user, Chinese */
	json_t *fields;	   /* array of {field, code, message}, or NULL */
};

#define REQ_MAX_PARAMS 8
#define REQ_MAX_HEADERS 16

struct resp_header {
	const char *name;
	const char *value;
};

/* The response a handler fills; http/ sends it once. */
struct resp {
	int status;
	const char *content_type;
	char *body; /* owned by the arena or `owned` */
	size_t len;
	bool owned;	    /* body is malloc()ed and freed with the request */
	int fd;		    /* >= 0: send this file (len bytes) instead */
	uint64_t fd_offset; /* … starting at this offset */
	const char *cache_control; /* NULL: "no-store" */
	char etag[72];
	struct resp_header headers[REQ_MAX_HEADERS];
	int nheaders;
	/* Called when the response memory is released (e.g. a snapshot ref). */
	void (*release)(void *cls);
	void *release_cls;
};

struct req {
	struct arena arena;
	struct app *app;
	void *conn; /* struct MHD_Connection *, opaque here */
	enum http_method method;
	const char *method_name;
	char *raw_uri; /* as received, with the query */
	char *path;    /* percent-decoded, NUL-free, UTF-8 */
	size_t path_len;
	struct str query;	   /* raw query string without '?' */
	const struct route *route; /* NULL when none matched */
	int route_index;	   /* for metrics; -1 static, -2 unmatched */
	struct str params[REQ_MAX_PARAMS];
	int nparams;
	struct buf body;
	uint64_t declared_len; /* Content-Length, or UINT64_MAX */
	json_t *json;	       /* parsed body of ROUTE_JSON routes */
	struct req_err err;
	char id[17]; /* request id, 16 hex digits */
	int64_t start_ns;
	int status; /* sent status, for the access log */
	uint64_t sent_bytes;
	bool queued;
	bool body_started;
	struct resp resp;
	struct db *db;	 /* taken from the pool by req_db() */
	int64_t user_id; /* 0: anonymous */
	int64_t session_id;
	const char *session_token; /* the cookie's token, when signed in */
	char client_ip[48]; /* set on the headers: peer or trusted X-F-F */
	void *upload;	    /* a streaming route's state */
	bool upload_done;   /* its handler succeeded: no abort */
};

/*
 * Records an error on the request; returns -1 so handlers can
 * `return req_fail(...)`. code is a static string; message is printf-style
 * and may be NULL for the kind's default message.
 */
int req_fail(struct req *r, enum err_kind kind, const char *code,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Adds {field, code, message} to the error's field list. */
void req_field_error(struct req *r, const char *field, const char *code,
		     const char *message);

/* Returns a request header's value (NULL when absent). */
const char *req_header(struct req *r, const char *name);

/* Returns a cookie's value (NULL when absent). */
const char *req_cookie(struct req *r, const char *name);

/*
 * Looks up a query parameter and decodes it into the arena. Returns NULL
 * when absent; sets *bad when present but malformed.
 */
const char *req_query(struct req *r, const char *name, bool *bad);

/* Returns the route parameter named `name` (e.g. "slug"), or an empty slice. */
struct str req_param(struct req *r, const char *name);

/*
 * Returns the client's address as text, valid for the request: the TCP
 * peer's, or behind a proxy listed in trusted_proxies the address that
 * proxy put in X-Forwarded-For (see clientaddr.h).
 */
const char *req_client_ip(struct req *r);

/* Response helpers: the body is copied into the arena. */
int resp_json(struct req *r, int status, json_t *body);
int resp_bytes(struct req *r, int status, const char *type, const char *p,
	       size_t len);
void resp_header(struct req *r, const char *name, const char *value);

/*
 * Returns a database connection for this request, taken from the pool on
 * first use and given back when the handler is done. NULL (with r->err
 * set to 503) when none could be had.
 */
struct db *req_db(struct req *r);

/* Gives the request's connection back to the pool (done by http/). */
void req_db_release(struct req *r);

/* Sets the Retry-After header to seconds (at least 1). */
void resp_retry_after(struct req *r, int64_t seconds);

/* Monotonic clock in nanoseconds. */
int64_t now_ns(void);

#endif
