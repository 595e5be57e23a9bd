/*
 * test_jscan: the exports' JSON parser (docs/jscan.c) against jansson,
 * the parser it stands in for: fixed cases, random documents (equal
 * trees, equal compact dumps), random mutations of them (accepted and
 * refused alike), and the xp_x* value functions of docs/values.c against
 * the jansson ones on the same values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "harness.h"
#include "docs/jscan.h"
#include "docs/values.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static struct xj_arena arena;

static const struct xj *P(const char *text)
{
	return xj_parse(&arena, text, strlen(text), NULL, 0);
}

static bool accepts(const char *text, size_t len)
{
	return xj_parse(&arena, text, len, NULL, 0) != NULL;
}

static bool jansson_accepts(const char *text, size_t len)
{
	json_t *j = json_loadb(text, len, JSON_DECODE_ANY, NULL);

	json_decref(j);
	return j != NULL;
}

static void test_fixed(void)
{
	static const char *const good[] = {
		"{}",
		"[]",
		"0",
		"-0",
		"1.5e3",
		"-12.25E-2",
		"true",
		"false",
		"null",
		"\"\"",
		" \t\r\n{ \"a\" : [ 1 , 2 ] } \n",
		"\"\\u00e9\\u4e2d\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
		"9223372036854775807",
		"-9223372036854775808",
		"1e-400",
		"\"中文 ✓ 😀\"",
		"{\"a\":1,\"a\":2}",
	};
	static const char *const bad[] = {
		"",
		" ",
		"{",
		"[1,]",
		"{\"a\":1,}",
		"{a:1}",
		"[01]",
		"01",
		"1.",
		".5",
		"1e",
		"+1",
		"-",
		"--1",
		"tru",
		"nul",
		"[1 2]",
		"{\"a\" 1}",
		"\"abc",
		"\"\\x\"",
		"\"\\u12\"",
		"\"\\u0000\"",
		"\"\\ud800\"",
		"\"\\udc00\"",
		"\"\\ud800\\u0041\"",
		"\"a\tb\"",
		"\"\xC0\xAF\"",
		"\"\xED\xA0\x80\"",
		"\"\xF4\x90\x80\x80\"",
		"\"\xE4\xB8\"",
		"\"\x80\"",
		"9223372036854775808",
		"1e400",
		"[1] 2",
		"{} x",
		"'a'",
		"NaN",
		"Infinity",
		"[-]",
	};
	const struct xj *v;
	char deep[2 * (XJ_MAX_DEPTH + 10) + 1];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ok(accepts(good[i], strlen(good[i])), "accepts %s", good[i]);
		ok(jansson_accepts(good[i], strlen(good[i])),
		   "jansson accepts %s", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(!accepts(bad[i], strlen(bad[i])), "refuses %s", bad[i]);
		ok(!jansson_accepts(bad[i], strlen(bad[i])),
		   "jansson refuses %s", bad[i]);
	}
	ok(!accepts("[1]\0", 4), "a NUL after the value is refused");
	ok(!accepts("\"a\0b\"", 5), "a NUL in a string is refused");
	ok(accepts("[1]x", 3), "only len bytes are read");
	ok(accepts("12", 1) && P("12") && P("12")->u.i == 12,
	   "a number at the very end of the text");

	v = P("\"\\u00e9\\ud83d\\ude00a\\n\"");
	is_str(xj_str(v), "é😀a\n", "escapes decoded to UTF-8");
	is_int(v ? v->n : 0, 8, "decoded length");
	v = P("{\"a\":1,\"b\":{\"c\":[true,null,2.5]},\"a\":3}");
	is_int(xj_get(v, "a") ? xj_get(v, "a")->u.i : 0, 3,
	       "a repeated key: the last value, as jansson");
	ok(xj_is(xj_get(v, "b"), XJ_OBJECT), "nested object");
	ok(!xj_get(v, "c") && !xj_get(NULL, "a") && !xj_get(v, NULL),
	   "missing keys");
	{
		/* A large object: every key, repeated ones, missing ones. */
		char big[512];
		const struct xj *o;
		int n = snprintf(big, sizeof(big), "{");
		for (int i = 0; i < 40; i++)
			n += snprintf(big + n, sizeof(big) - (size_t)n,
				      "\"k%d\":%d,", i % 30, i);
		snprintf(big + n, sizeof(big) - (size_t)n, "\"\":-1}");
		o = P(big);
		ok(o && o->n == 41, "a large object");
		for (int i = 0; i < 30; i++) {
			char key[8];
			snprintf(key, sizeof(key), "k%d", i);
			ok(xj_get(o, key) &&
				   xj_get(o, key)->u.i == (i < 10 ? i + 30 : i),
			   "indexed %s: the last value", key);
		}
		ok(xj_get(o, "") && xj_get(o, "")->u.i == -1, "the empty key");
		ok(!xj_get(o, "k30") && !xj_get(o, "k") && !xj_get(o, "k10x"),
		   "missing keys of a large object");
		{
			uint32_t at = 0;
			const struct xj *k = xj_getn_at(o, "k5", 2, &at);
			ok(o && !o->unique && k && k->u.i == 35,
			   "repeated keys: the last value from any start");
		}
	}
	v = xj_get(xj_get(v, "b"), "c");
	ok(xj_is(v, XJ_ARRAY) && v->n == 3 && xj_is(&v->u.kids[0], XJ_TRUE) &&
		   xj_is(&v->u.kids[1], XJ_NULL) &&
		   xj_is(&v->u.kids[2], XJ_REAL) && v->u.kids[2].u.d == 2.5,
	   "array items");

	/* Nesting is bounded: deeper than XJ_MAX_DEPTH is refused. */
	for (int depth = XJ_MAX_DEPTH - 1; depth <= XJ_MAX_DEPTH + 5;
	     depth += 6) {
		size_t n = 0;
		for (int i = 0; i < depth; i++)
			deep[n++] = '[';
		for (int i = 0; i < depth; i++)
			deep[n++] = ']';
		deep[n] = '\0';
		ok(accepts(deep, n) == (depth <= XJ_MAX_DEPTH), "depth %d",
		   depth);
	}
	{
		char err[128] = "";
		ok(!xj_parse(&arena, "[1,", 3, err, sizeof(err)) && *err,
		   "a reason: %s", err);
	}
	ok(xj_utf8_valid("中a", strlen("中a")) && !xj_utf8_valid("\xE4\xB8", 2),
	   "xj_utf8_valid");
	xj_arena_reset(&arena);
}

static const char *const words[] = {
	"",
	"a",
	"中文",
	"=1+2",
	"_x0041_",
	"tab\there",
	"nl\nx",
	"q\"uo\\te",
	"ctl\x01\x1f",
	"😀",
	"é",
	"  ",
	"44030519900101123X",
};

static json_t *gen(int depth)
{
	unsigned k = depth > 4 ? rnd(6) : rnd(8);

	switch (k) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rnd(2));
	case 2:
		return json_integer((json_int_t)rnd(2000000) - 1000000 +
				    (rnd(10) ? 0 : (json_int_t)1 << 60));
	case 3: {
		static const double reals[] = { 0.5,  -2.25,   1e-7,
						1e21, 3.14159, 1e300,
						12.5, -0.0,    123456.75 };
		return json_real(reals[rnd(sizeof(reals) / sizeof(reals[0]))]);
	}
	case 4:
	case 5:
		return json_string(
			words[rnd(sizeof(words) / sizeof(words[0]))]);
	case 6: {
		json_t *a = json_array();
		for (unsigned i = rnd(5); i > 0; i--)
			json_array_append_new(a, gen(depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (unsigned i = rnd(rnd(4) ? 6 : 20); i > 0; i--) {
			char key[32];
			snprintf(key, sizeof(key), "%s%u",
				 words[rnd(sizeof(words) / sizeof(words[0]))],
				 rnd(8));
			json_object_set_new(o, key, gen(depth + 1));
		}
		return o;
	}
	}
}

/* Every key of every object of j is found in v by xj_get(), no other. */
static bool lookups_agree(const struct xj *v, json_t *j)
{
	const char *key;
	json_t *val;
	size_t i;

	if (json_is_array(j)) {
		json_array_foreach (j, i, val)
			if (!lookups_agree(&v->u.kids[i], val))
				return false;
		return true;
	}
	if (!json_is_object(j))
		return true;
	uint32_t at = 0, back = 0;

	json_object_foreach (j, key, val) {
		const struct xj *k = xj_get(v, key);
		char other[80];
		if (!k || !xj_equal_json(k, val) || !lookups_agree(k, val))
			return false;
		/* From where the last lookup ended, in order or not. */
		if (xj_getn_at(v, key, strlen(key), &at) != k)
			return false;
		back = (back + 7) % (v->n + 1);
		if (xj_getn_at(v, key, strlen(key), &back) != k)
			return false;
		snprintf(other, sizeof(other), "%s~", key);
		if (!json_object_get(j, other) &&
		    (xj_get(v, other) ||
		     xj_getn_at(v, other, strlen(other), &at)))
			return false;
	}
	return true;
}

static void test_random(void)
{
	int same = 0, dumps = 0, agree = 0, total = 0;
	struct buf b;

	buf_init(&b, 1u << 20);
	for (int round = 0; round < 3000; round++) {
		json_t *j = gen(0);
		size_t flags = JSON_ENCODE_ANY |
			       (round % 3 == 0	 ? JSON_COMPACT
				: round % 3 == 1 ? JSON_INDENT(2)
						 : JSON_ENSURE_ASCII);
		char *text = json_dumps(j, flags), *compact;
		const struct xj *v = text ? P(text) : NULL;

		compact = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_reset(&b);
		if (v && xj_equal_json(v, j) && lookups_agree(v, j))
			same++;
		else
			printf("# differs: %s\n", text ? text : "(null)");
		if (v && xj_dump(v, &b) == 0 && compact && b.p &&
		    !strcmp(b.p, compact))
			dumps++;
		else
			printf("# dump differs: %s / %s\n", compact,
			       b.p ? b.p : "");
		/* Mutations: both parsers accept or refuse each. */
		for (int m = 0; text && m < 20; m++) {
			size_t n = strlen(text), at;
			char *t = malloc(n + 2);
			static const char bytes[] =
				"{}[],:\"\\ 0-1.eE+ntfu\x80\xE4";
			memcpy(t, text, n + 1);
			at = n ? rnd((unsigned)n) : 0;
			switch (rnd(3)) {
			case 0:
				t[at] = bytes[rnd(sizeof(bytes) - 1)];
				break;
			case 1:
				memmove(t + at, t + at + 1, n - at);
				n = n ? n - 1 : 0;
				break;
			default:
				memmove(t + at + 1, t + at, n - at + 1);
				t[at] = bytes[rnd(sizeof(bytes) - 1)];
				n++;
			}
			total++;
			if (accepts(t, n) == jansson_accepts(t, n))
				agree++;
			else
				printf("# accept differs (jscan %d): %.*s\n",
				       accepts(t, n), (int)n, t);
			free(t);
		}
		free(text);
		free(compact);
		json_decref(j);
		xj_arena_reset(&arena);
	}
	is_int(same, 3000, "random documents parse to equal trees");
	is_int(dumps, 3000, "and dump as jansson dumps them");
	is_int(agree, total, "mutated texts accepted or refused as by jansson");
	buf_release(&b);
}

/* The xp_x* functions give what the jansson ones give, on every value. */
static void test_values(void)
{
	static const char *const kinds[] = {
		"text",	   "integer",	 "decimal",	"percent",
		"boolean", "select",	 "multiselect", "year_month_range",
		"region",  "industries", "competition", "track",
		"topic",   "id_number",
	};
	json_t *comp = json_loads(
		"{\"slug\":\"gd\",\"name\":\"广东分赛\",\"tracks\":[{\"key\":"
		"\"t\",\"name\":\"交通\",\"heading\":\"赛道四\",\"topics\":[{"
		"\"no\":2,\"title\":\"上图\"}]}]}",
		0, NULL);
	json_t *names = json_loads("{\"541\":\"城市公共交通运输\"}", 0, NULL);
	const char *doc_text =
		"{\"t\":\"t\",\"tp\":2,\"tp9\":9,\"s\":\"其他\",\"so\":\"社会组织\","
		"\"m\":[\"甲\",\"其他\",3],\"n\":12.5,\"ns\":\"35.50\","
		"\"nb\":\"x1\",\"i\":-7,\"b\":true,\"f\":false,\"z\":null,"
		"\"e\":\"  \",\"ea\":[],\"eo\":{},\"r\":[\"440000\",\"440305\"],"
		"\"r1\":[\"110000\"],\"ind\":[\"541\",7,\"999\"],\"c\":\"gd\","
		"\"p\":{\"start\":\"2024-03\"},\"o\":{\"k\":[1,\"a\\\"\"]},"
		"\"big\":1e21,\"neg\":-0.0,\"g\":\"guangdong\"}";
	json_t *doc = json_loads(doc_text, 0, NULL);
	const struct xj *xdoc = P(doc_text);
	struct buf a, b;
	int cases = 0, agree = 0;
	const char *key;
	json_t *val;

	buf_init(&a, 65536);
	buf_init(&b, 65536);
	ok(doc && xdoc, "the value document parses");
	json_object_foreach (doc, key, val) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			for (int boxes = 0; boxes < 2; boxes++) {
				json_t *field = json_pack(
					"{s:s, s:s, s:s, s:s, s:s, s:[s,s,s], "
					"s:{s:s, s:o}}",
					"key", key, "kind", kinds[k], "unit",
					k == 1 ? "万元" : "", "other", "其他",
					"other_key", "so", "options", "甲",
					"乙", "其他", "when", "field", key,
					k % 3 == 0   ? "equals"
					: k % 3 == 1 ? "in"
						     : "is_true",
					k % 3 == 2 ? json_boolean(boxes)
					: rnd(2)   ? json_deep_copy(val)
						 : json_pack("[O,i]", val, 1));
				json_t *fields = json_pack("[O,{s:s,s:s}]",
							   field, "key", "t",
							   "kind", "track");
				struct xp_vctx c = { comp, names, boxes };
				struct xp_xfield xf;
				double d1 = 0, d2 = 0;
				bool n1, n2;
				xp_xfield_init(&xf, fields, field);
				buf_reset(&a);
				buf_reset(&b);
				xp_value(&c, fields, field, doc, &a);
				xp_xvalue(&c, &xf, xdoc,
					  xj_getn(xdoc, xf.key, xf.keylen), &b);
				n1 = xp_value_number(field, val, &d1);
				n2 = xp_xvalue_number(&xf, xj_get(xdoc, key),
						      &d2);
				cases++;
				if (!strcmp(a.p ? a.p : "", b.p ? b.p : "") &&
				    n1 == n2 && d1 == d2 &&
				    xp_filled(val) ==
					    xp_xfilled(xj_get(xdoc, key)) &&
				    xp_when_holds(field, doc) ==
					    xp_xwhen_holds(&xf, xdoc))
					agree++;
				else
					printf("# %s as %s: '%s' / '%s'\n", key,
					       kinds[k], a.p ? a.p : "",
					       b.p ? b.p : "");
				json_decref(fields);
				json_decref(field);
			}
	}
	ok(cases > 500, "%d cases", cases);
	is_int(agree, cases, "xp_xvalue() and friends agree with xp_value()");
	buf_release(&a);
	buf_release(&b);
	json_decref(doc);
	json_decref(comp);
	json_decref(names);
	xj_arena_reset(&arena);
}

int main(void)
{
	test_fixed();
	test_random();
	test_values();
	xj_arena_free(&arena);
	return done_testing("jscan");
}
