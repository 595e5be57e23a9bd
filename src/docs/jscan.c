/* jscan.c: a read-only JSON tree in an arena, for the exports (jscan.h) */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jscan.h"
#include "../util/banned.h"

#define CHUNK (1u << 20)
struct xj_chunk {
	struct xj_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void *xj_alloc(struct xj_arena *a, size_t n)
{
	struct xj_chunk *c = a->head;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK ? n : CHUNK;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

void xj_arena_reset(struct xj_arena *a)
{
	struct xj_chunk *c = a->head, *keep = NULL;

	/* One chunk of the usual size stays for the next documents. */
	while (c) {
		struct xj_chunk *next = c->next;
		if (!keep && c->size == CHUNK) {
			keep = c;
			keep->used = 0;
			keep->next = NULL;
		} else {
			free(c);
		}
		c = next;
	}
	a->head = keep;
}

void xj_arena_free(struct xj_arena *a)
{
	while (a->head) {
		struct xj_chunk *c = a->head;
		a->head = c->next;
		free(c);
	}
}

/* ---- parsing ------------------------------------------------------------ */

struct parser {
	const unsigned char *p, *end;
	struct xj_arena *a;
	/* Children of the containers being read, moved out when one closes. */
	struct xj *stack;
	size_t top, cap;
	const char *why;
};

static bool fail(struct parser *ps, const char *why)
{
	if (!ps->why)
		ps->why = why;
	return false;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' ||
				   *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

static struct xj *push(struct parser *ps)
{
	if (ps->top == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 256;
		struct xj *grown = realloc(ps->stack, cap * sizeof(*grown));
		if (!grown) {
			fail(ps, "out of memory");
			return NULL;
		}
		ps->stack = grown;
		ps->cap = cap;
	}
	memset(&ps->stack[ps->top], 0, sizeof(ps->stack[0]));
	return &ps->stack[ps->top++];
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n, avail = (size_t)(end - p);
	unsigned lo = 0x80, hi = 0xBF;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	/* Overlong forms, surrogates and past U+10FFFF are refused. */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

bool xj_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		size_t k = *p < 0x80 ? 1 : utf8_len(p, end);
		if (!k)
			return false;
		p += k;
	}
	return true;
}

static int hex4(const unsigned char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Reads the string whose opening quote is at ps->p into a NUL-terminated
 * copy. The first pass checks it and finds its end; only a string with
 * escapes is decoded byte by byte.
 */
static bool read_string(struct parser *ps, const char **out, uint32_t *outlen)
{
	const unsigned char *s = ++ps->p, *q = s;
	bool escapes = false;
	unsigned char *o;
	size_t n;

	for (;;) {
		unsigned c;
		if (q >= ps->end)
			return fail(ps, "unterminated string");
		c = *q;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(ps, "control character in a string");
		if (c == '\\') {
			escapes = true;
			if (q + 1 >= ps->end)
				return fail(ps, "unterminated string");
			q += 2;
		} else if (c < 0x80) {
			q++;
		} else {
			size_t k = utf8_len(q, ps->end);
			if (!k)
				return fail(ps, "invalid UTF-8");
			q += k;
		}
	}
	n = (size_t)(q - s);
	if (n > UINT32_MAX - 1)
		return fail(ps, "string too long");
	o = xj_alloc(ps->a, n + 1);
	if (!o)
		return fail(ps, "out of memory");
	if (!escapes) {
		memcpy(o, s, n);
		o[n] = '\0';
		*out = (const char *)o;
		*outlen = (uint32_t)n;
		ps->p = q + 1;
		return true;
	}
	*out = (const char *)o;
	{
		unsigned char *w = o;
		const unsigned char *r = s;
		while (r < q) {
			int cp, lo;
			if (*r != '\\') {
				*w++ = *r++;
				continue;
			}
			switch (r[1]) {
			case '"':
			case '\\':
			case '/':
				*w++ = r[1];
				r += 2;
				continue;
			case 'b':
				*w++ = '\b';
				r += 2;
				continue;
			case 'f':
				*w++ = '\f';
				r += 2;
				continue;
			case 'n':
				*w++ = '\n';
				r += 2;
				continue;
			case 'r':
				*w++ = '\r';
				r += 2;
				continue;
			case 't':
				*w++ = '\t';
				r += 2;
				continue;
			case 'u':
				break;
			default:
				return fail(ps, "invalid escape");
			}
			if (q - r < 6 || (cp = hex4(r + 2)) < 0)
				return fail(ps, "invalid \\u escape");
			r += 6;
			if (cp == 0)
				return fail(ps, "\\u0000 is not allowed");
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return fail(ps, "lone low surrogate");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (q - r < 6 || r[0] != '\\' || r[1] != 'u' ||
				    (lo = hex4(r + 2)) < 0 || lo < 0xDC00 ||
				    lo > 0xDFFF)
					return fail(ps, "lone high surrogate");
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				r += 6;
			}
			w += put_utf8(w, (unsigned)cp);
		}
		*w = '\0';
		*outlen = (uint32_t)(w - o);
	}
	ps->p = q + 1;
	return true;
}

static bool digit(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static bool read_number(struct parser *ps, struct xj *v)
{
	const unsigned char *s = ps->p, *p = s;
	bool real = false;
	char small[64], *tok, *endp;
	size_t n;

	if (p < ps->end && *p == '-')
		p++;
	if (!digit(p, ps->end))
		return fail(ps, "invalid number");
	if (*p == '0') {
		p++;
		if (digit(p, ps->end))
			return fail(ps, "leading zero");
	} else {
		while (digit(p, ps->end))
			p++;
	}
	if (p < ps->end && *p == '.') {
		real = true;
		p++;
		if (!digit(p, ps->end))
			return fail(ps, "invalid number");
		while (digit(p, ps->end))
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		real = true;
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (!digit(p, ps->end))
			return fail(ps, "invalid number");
		while (digit(p, ps->end))
			p++;
	}
	/* The text need not end here: the token is copied, terminated. */
	n = (size_t)(p - s);
	tok = n < sizeof(small) ? small : xj_alloc(ps->a, n + 1);
	if (!tok)
		return fail(ps, "out of memory");
	memcpy(tok, s, n);
	tok[n] = '\0';
	errno = 0;
	if (!real) {
		long long i = strtoll(tok, &endp, 10);
		if (errno == ERANGE || *endp)
			return fail(ps, "integer out of range");
		v->type = XJ_INT;
		v->u.i = i;
	} else {
		double d = strtod(tok, &endp);
		if ((errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL)) ||
		    *endp || !isfinite(d))
			return fail(ps, "real number out of range");
		v->type = XJ_REAL;
		v->u.d = d;
	}
	ps->p = p;
	return true;
}

static bool word(struct parser *ps, const char *w, size_t n)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n))
		return fail(ps, "invalid literal");
	ps->p += n;
	return true;
}

static bool read_value(struct parser *ps, struct xj *v, int depth);

/*
 * Objects of this many members or fewer are checked for repeated keys
 * (their pairs compared), so that xj_getn_at() may take the first match.
 */
#define UNIQUE_MAX 64

static uint32_t keys_unique(const struct xj *kids, uint32_t n)
{
	if (n > UNIQUE_MAX)
		return 0;
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t k = 0; k < i; k++)
			if (kids[i].keylen == kids[k].keylen &&
			    !memcmp(kids[i].key, kids[k].key, kids[i].keylen))
				return 0;
	return 1;
}

/* Moves the children above mark into the arena as v's. */
static bool close_container(struct parser *ps, struct xj *v, size_t mark)
{
	size_t n = ps->top - mark;

	if (n > UINT32_MAX)
		return fail(ps, "too many items");
	v->n = (uint32_t)n;
	v->u.kids = NULL;
	if (n) {
		v->u.kids = xj_alloc(ps->a, n * sizeof(*v->u.kids));
		if (!v->u.kids)
			return fail(ps, "out of memory");
		memcpy(v->u.kids, ps->stack + mark, n * sizeof(*v->u.kids));
	}
	v->unique = v->type == XJ_OBJECT && keys_unique(v->u.kids, v->n);
	ps->top = mark;
	return true;
}

/*
 * A container's children are read into the stack, which may move while
 * they are: v is where the container goes once closed, so it is a copy
 * written back by the caller, never a pointer into the stack.
 */
static bool read_container(struct parser *ps, struct xj *v, int depth)
{
	bool obj = *ps->p == '{';
	unsigned char close = obj ? '}' : ']';
	size_t mark = ps->top;

	if (depth >= XJ_MAX_DEPTH)
		return fail(ps, "nested too deep");
	v->type = obj ? XJ_OBJECT : XJ_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return close_container(ps, v, mark);
	}
	for (;;) {
		struct xj kid = { 0 }, *slot;
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a key");
			if (!read_string(ps, &kid.key, &kid.keylen))
				return false;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail(ps, "expected ':'");
			ps->p++;
			skip_ws(ps);
		}
		if (!read_value(ps, &kid, depth + 1))
			return false;
		slot = push(ps);
		if (!slot)
			return false;
		*slot = kid;
		skip_ws(ps);
		if (ps->p >= ps->end)
			return fail(ps, "unterminated container");
		if (*ps->p == close) {
			ps->p++;
			return close_container(ps, v, mark);
		}
		if (*ps->p != ',')
			return fail(ps, "expected ',' or the end");
		ps->p++;
		skip_ws(ps);
	}
}

/* Reads a value at ps->p (no space before it) into v, keeping v->key. */
static bool read_value(struct parser *ps, struct xj *v, int depth)
{
	if (ps->p >= ps->end)
		return fail(ps, "expected a value");
	switch (*ps->p) {
	case '{':
	case '[':
		return read_container(ps, v, depth);
	case '"':
		v->type = XJ_STRING;
		return read_string(ps, &v->u.s, &v->n);
	case 't':
		v->type = XJ_TRUE;
		return word(ps, "true", 4);
	case 'f':
		v->type = XJ_FALSE;
		return word(ps, "false", 5);
	case 'n':
		v->type = XJ_NULL;
		return word(ps, "null", 4);
	default:
		return read_number(ps, v);
	}
}

struct xj *xj_parse(struct xj_arena *a, const char *text, size_t len, char *err,
		    size_t errlen)
{
	struct parser ps = { .p = (const unsigned char *)text,
			     .end = (const unsigned char *)text + len,
			     .a = a };
	struct xj *root = xj_alloc(a, sizeof(*root));
	bool ok;

	if (!root) {
		ps.why = "out of memory";
		ok = false;
	} else {
		memset(root, 0, sizeof(*root));
		skip_ws(&ps);
		ok = read_value(&ps, root, 0);
		if (ok) {
			skip_ws(&ps);
			if (ps.p != ps.end)
				ok = fail(&ps, "text after the value");
		}
	}
	free(ps.stack);
	if (!ok) {
		if (err && errlen)
			snprintf(err, errlen, "%s at byte %zu", ps.why,
				 (size_t)(ps.p - (const unsigned char *)text));
		return NULL;
	}
	return root;
}

/* ---- reading -------------------------------------------------------------- */

const struct xj *xj_getn(const struct xj *obj, const char *key, size_t n)
{
	if (!obj || obj->type != XJ_OBJECT)
		return NULL;
	/*
	 * A scan from the end, so that a repeated key's last value wins as
	 * in jansson: a document's objects have a few dozen members at most
	 * (a hash index measured no faster on the exports' documents).
	 */
	for (uint32_t i = obj->n; i-- > 0;) {
		const struct xj *k = &obj->u.kids[i];
		if (k->keylen == n && (!n || k->key[0] == key[0]) &&
		    !memcmp(k->key, key, n))
			return k;
	}
	return NULL;
}

const struct xj *xj_getn_at(const struct xj *obj, const char *key, size_t n,
			    uint32_t *at)
{
	uint32_t start;

	if (!obj || obj->type != XJ_OBJECT || !obj->unique)
		return xj_getn(obj, key, n);
	/* One match at most: the first found is the one. */
	start = *at < obj->n ? *at : 0;
	for (uint32_t step = 0, i = start; step < obj->n; step++) {
		const struct xj *k = &obj->u.kids[i];
		if (k->keylen == n && !memcmp(k->key, key, n)) {
			*at = i + 1;
			return k;
		}
		if (++i == obj->n)
			i = 0;
	}
	return NULL;
}

const struct xj *xj_get(const struct xj *obj, const char *key)
{
	return key ? xj_getn(obj, key, strlen(key)) : NULL;
}

bool xj_equal_json(const struct xj *a, const json_t *b)
{
	if (!a || !b)
		return false;
	switch (a->type) {
	case XJ_NULL:
		return json_is_null(b);
	case XJ_TRUE:
		return json_is_true(b);
	case XJ_FALSE:
		return json_is_false(b);
	case XJ_INT:
		return json_is_integer(b) && json_integer_value(b) == a->u.i;
	case XJ_REAL:
		return json_is_real(b) && json_real_value(b) == a->u.d;
	case XJ_STRING:
		return json_is_string(b) && json_string_length(b) == a->n &&
		       !memcmp(json_string_value(b), a->u.s, a->n);
	case XJ_ARRAY:
		if (!json_is_array(b) || json_array_size(b) != a->n)
			return false;
		for (uint32_t i = 0; i < a->n; i++)
			if (!xj_equal_json(&a->u.kids[i], json_array_get(b, i)))
				return false;
		return true;
	case XJ_OBJECT:
		if (!json_is_object(b) || json_object_size(b) != a->n)
			return false;
		for (uint32_t i = 0; i < a->n; i++)
			if (!xj_equal_json(
				    &a->u.kids[i],
				    json_object_getn(b, a->u.kids[i].key,
						     a->u.kids[i].keylen)))
				return false;
		return true;
	default:
		return false;
	}
}

static int dump_string(const char *s, size_t n, struct buf *b)
{
	size_t run = 0;

	if (buf_add(b, "\"", 1) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		const char *e = NULL;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (buf_add(b, s + run, i - run) < 0)
			return -1;
		run = i + 1;
		switch (c) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			e = esc;
		}
		if (buf_adds(b, e) < 0)
			return -1;
	}
	if (buf_add(b, s + run, n - run) < 0)
		return -1;
	return buf_add(b, "\"", 1);
}

/* As jansson's jsonp_dtostr(): "%.17g", a ".0" if it reads as an integer. */
static int dump_real(double d, struct buf *b)
{
	char t[64], o[64];
	size_t w = 0;
	const char *e;

	snprintf(t, sizeof(t), "%.17g", d);
	if (!strchr(t, '.') && !strchr(t, 'e'))
		snprintf(t + strlen(t), sizeof(t) - strlen(t), ".0");
	/* Its exponent without "+" or leading zeros: "1e+05" → "1e5". */
	e = strchr(t, 'e');
	if (!e)
		return buf_adds(b, t);
	memcpy(o, t, (size_t)(e - t) + 1);
	w = (size_t)(e - t) + 1;
	e++;
	if (*e == '-')
		o[w++] = *e++;
	else if (*e == '+')
		e++;
	while (*e == '0' && e[1])
		e++;
	snprintf(o + w, sizeof(o) - w, "%s", e);
	return buf_adds(b, o);
}

int xj_dump(const struct xj *v, struct buf *b)
{
	if (!v)
		return 0;
	switch (v->type) {
	case XJ_NULL:
		return buf_adds(b, "null");
	case XJ_TRUE:
		return buf_adds(b, "true");
	case XJ_FALSE:
		return buf_adds(b, "false");
	case XJ_INT:
		return buf_printf(b, "%lld", v->u.i);
	case XJ_REAL:
		return dump_real(v->u.d, b);
	case XJ_STRING:
		return dump_string(v->u.s, v->n, b);
	case XJ_ARRAY:
	case XJ_OBJECT: {
		bool obj = v->type == XJ_OBJECT;
		if (buf_adds(b, obj ? "{" : "[") < 0)
			return -1;
		for (uint32_t i = 0; i < v->n; i++) {
			const struct xj *k = &v->u.kids[i];
			if ((i && buf_add(b, ",", 1) < 0) ||
			    (obj && (dump_string(k->key, k->keylen, b) < 0 ||
				     buf_add(b, ":", 1) < 0)) ||
			    xj_dump(k, b) < 0)
				return -1;
		}
		return buf_adds(b, obj ? "}" : "]");
	}
	default:
		return 0;
	}
}
