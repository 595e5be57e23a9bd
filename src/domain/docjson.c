/* docjson.c: the compact JSON text of a document, written quickly */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "docjson.h"
#include "../util/banned.h"

/* Nesting json_dumps would refuse anyway (its JSON_PARSER_MAX_DEPTH). */
#define MAX_DEPTH 2048

struct out {
	char *p;
	size_t len, cap;
	bool failed;
};

static bool grow(struct out *o, size_t more)
{
	size_t cap;
	char *p;

	if (o->failed)
		return false;
	if (o->len + more < o->cap)
		return true;
	cap = o->cap ? o->cap : 4096;
	while (o->len + more >= cap) {
		if (cap > SIZE_MAX / 2) {
			o->failed = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(o->p, cap);
	if (!p) {
		o->failed = true;
		return false;
	}
	o->p = p;
	o->cap = cap;
	return true;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (grow(o, n)) {
		memcpy(o->p + o->len, s, n);
		o->len += n;
	}
}

static void put_c(struct out *o, char c)
{
	if (grow(o, 1))
		o->p[o->len++] = c;
}

/*
 * The length of the UTF-8 sequence at s (n bytes left, s[0] >= 0x80) as
 * jansson accepts it (no overlong forms, no surrogates, at most
 * U+10FFFF), or 0.
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	uint32_t cp;

	if (c >= 0xC2 && c <= 0xDF)
		k = 1, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 2, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 3, cp = c & 0x07;
	else
		return 0;
	if (n <= k)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[j] & 0x3F);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k + 1;
}

/*
 * As jansson's dump_string without flags, in one pass: runs of plain
 * bytes are copied at once, and what is not UTF-8 fails as it does there.
 */
static void put_string(struct out *o, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0, i = 0;

	put_c(o, '"');
	while (i < n) {
		unsigned char c = s[i];
		char esc[6];
		size_t en = 2;

		if (c >= 0x80) {
			size_t k = utf8_seq(s + i, n - i);
			if (!k) {
				o->failed = true;
				return;
			}
			i += k;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		put(o, str + run, i - run);
		run = ++i;
		esc[0] = '\\';
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			en = 6;
			break;
		}
		put(o, esc, en);
	}
	put(o, str + run, n - run);
	put_c(o, '"');
}

/* jansson's object iterator takes a json_t * but does not change it. */
static json_t *mut(const json_t *v)
{
	return (json_t *)(uintptr_t)v;
}

static void put_value(struct out *o, const json_t *v, int depth)
{
	char num[24];

	if (o->failed)
		return;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		bool first = true;

		if (depth > MAX_DEPTH) {
			o->failed = true;
			return;
		}
		put_c(o, '{');
		for (void *it = json_object_iter(mut(v)); it;
		     it = json_object_iter_next(mut(v), it)) {
			if (!first)
				put_c(o, ',');
			first = false;
			put_string(o, json_object_iter_key(it),
				   json_object_iter_key_len(it));
			put_c(o, ':');
			put_value(o, json_object_iter_value(it), depth + 1);
		}
		put_c(o, '}');
		break;
	}
	case JSON_ARRAY:
		if (depth > MAX_DEPTH) {
			o->failed = true;
			return;
		}
		put_c(o, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				put_c(o, ',');
			put_value(o, json_array_get(v, i), depth + 1);
		}
		put_c(o, ']');
		break;
	case JSON_STRING:
		put_string(o, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER: {
		/* "%lld" by hand: a 申报书 has a hundred-odd of them. */
		json_int_t x = json_integer_value(v);
		uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
		size_t at = sizeof(num);

		do {
			num[--at] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (x < 0)
			num[--at] = '-';
		put(o, num + at, sizeof(num) - at);
		break;
	}
	case JSON_REAL: {
		/*
		 * Rare in a 申报书 and subtle (precision, exponent form,
		 * the ".0"): jansson writes them, so they are the same.
		 */
		char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		if (t)
			put(o, t, strlen(t));
		else
			o->failed = true;
		free(t);
		break;
	}
	case JSON_TRUE:
		put(o, "true", 4);
		break;
	case JSON_FALSE:
		put(o, "false", 5);
		break;
	default:
		put(o, "null", 4);
		break;
	}
}

char *dom_json_dump(const json_t *v, size_t *len)
{
	struct out o = { NULL, 0, 0, false };

	if (!json_is_object(v) && !json_is_array(v))
		return NULL;
	put_value(&o, v, 1);
	if (!o.failed && grow(&o, 1))
		o.p[o.len] = '\0';
	if (o.failed) {
		free(o.p);
		return NULL;
	}
	if (len)
		*len = o.len;
	return o.p;
}
