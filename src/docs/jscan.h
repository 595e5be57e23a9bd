/*
 * jscan.h: a small read-only JSON tree for the exports, parsed in one
 * pass into an arena.
 *
 * jansson builds a document node by node (a malloc() and a hash table
 * per object) and was half of a full export's CPU; the exports only read
 * the documents, so they parse them into this instead: a node is 32
 * bytes, a container's children one array, every string a NUL-terminated
 * copy, all of it in an arena dropped at once. The parser accepts exactly
 * RFC 8259 JSON with valid UTF-8 (as jansson does by default: no "\u0000",
 * no lone surrogates, nothing after the value, integers that fit in 64
 * bits, finite reals), nesting at most XJ_MAX_DEPTH deep.
 */
#ifndef DOCS_JSCAN_H
#define DOCS_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "../util/buf.h"

#define XJ_MAX_DEPTH 512

enum xj_type {
	XJ_NULL,
	XJ_FALSE,
	XJ_TRUE,
	XJ_INT,
	XJ_REAL,
	XJ_STRING,
	XJ_ARRAY,
	XJ_OBJECT
};

struct xj {
	uint32_t type;
	uint32_t n; /* a string's bytes, a container's children */
	union {
		const char *s; /* NUL-terminated */
		long long i;
		double d;
		struct xj *kids; /* in order; an object's carry their keys */
	} u;
	const char *key; /* a member's key (NUL-terminated), or NULL */
	uint32_t keylen;
	uint32_t unique; /* an object whose keys are known all different */
};

/* Bump allocation in chunks; reset keeps one chunk for the next use. */
struct xj_arena {
	struct xj_chunk *head;
};

void *xj_alloc(struct xj_arena *a, size_t n);
void xj_arena_reset(struct xj_arena *a);
void xj_arena_free(struct xj_arena *a);

/*
 * Parses len bytes at text into a (a tree valid until a is reset).
 * Returns the root, or NULL with a reason in err (may be NULL) when the
 * text is not JSON as above or memory ran out.
 */
struct xj *xj_parse(struct xj_arena *a, const char *text, size_t len, char *err,
		    size_t errlen);

/* True when the n bytes at s are UTF-8 as the parser accepts it. */
bool xj_utf8_valid(const char *s, size_t n);

/* The member named key of an object (the last one if repeated), or NULL. */
const struct xj *xj_get(const struct xj *obj, const char *key);
const struct xj *xj_getn(const struct xj *obj, const char *key, size_t n);

/*
 * The same, looking first where the last lookup in obj ended (*at, 0 to
 * start): reading an object's members in the order they were written
 * takes one comparison each.
 */
const struct xj *xj_getn_at(const struct xj *obj, const char *key, size_t n,
			    uint32_t *at);

/* The string's text, or NULL for anything else (v may be NULL). */
static inline const char *xj_str(const struct xj *v)
{
	return v && v->type == XJ_STRING ? v->u.s : NULL;
}

static inline bool xj_is(const struct xj *v, enum xj_type t)
{
	return v && v->type == t;
}

static inline bool xj_is_number(const struct xj *v)
{
	return v && (v->type == XJ_INT || v->type == XJ_REAL);
}

/* As json_equal(): same type and value, objects regardless of order. */
bool xj_equal_json(const struct xj *a, const json_t *b);

/*
 * Appends v as json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) would.
 * Returns 0, or -1 when b is full.
 */
int xj_dump(const struct xj *v, struct buf *b);

#endif
