/* test_docjson.c: dom_json_dump writes what json_dumps(JSON_COMPACT) writes */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "domain/docjson.h"

static uint64_t seed = 20260801;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005u + 1442695040888963407u;
	return (unsigned)(seed >> 33) % n;
}

/* Pieces of strings: plain, escaped, control, multi-byte, NUL. */
static const char *const pieces[] = {
	"a",  "项目", "数据要素×", "\"",     "\\",	"/",	      "\n",
	"\r", "\t",   "\b",	   "\f",     "\x01",	"\x1f",	      "\x7f",
	"é",  "𝄞",    " ",	   "{}[],:", "enc:v1:", "0123456789",
};

static json_t *random_string(void)
{
	char s[256];
	size_t n = 0;
	unsigned k = rnd(8);

	for (unsigned i = 0; i < k; i++) {
		const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = strlen(p);
		if (n + l + 1 >= sizeof(s))
			break;
		memcpy(s + n, p, l);
		n += l;
	}
	if (rnd(10) == 0 && n + 1 < sizeof(s))
		s[n++] = '\0'; /* an embedded NUL, as "\u0000" parses */
	return json_stringn(s, n);
}

static json_t *random_value(int depth)
{
	static const double reals[] = { 0.1,  -3.5,   12.5,    1e300,
					-0.0, 100.0,  1.0 / 3, 5e-324,
					1e21, 123e-7, 2.5e15,  -1e-300 };
	unsigned t = depth > 4 ? rnd(6) : rnd(8);
	json_t *v;

	switch (t) {
	case 0:
		return random_string();
	case 1:
		return json_integer((json_int_t)rnd(2000000) - 1000000);
	case 2:
		return json_real(reals[rnd(sizeof(reals) / sizeof(reals[0]))]);
	case 3:
		return rnd(2) ? json_true() : json_false();
	case 4:
		return json_null();
	case 5:
		return json_integer(rnd(2) ? INT64_MAX : INT64_MIN);
	case 6:
		v = json_array();
		for (unsigned i = rnd(5); i > 0; i--)
			json_array_append_new(v, random_value(depth + 1));
		return v;
	default:
		v = json_object();
		for (unsigned i = rnd(6); i > 0; i--) {
			json_t *k = random_string();
			json_object_setn_new(v, json_string_value(k),
					     json_string_length(k),
					     random_value(depth + 1));
			json_decref(k);
		}
		return v;
	}
}

static void same(const json_t *v, const char *name)
{
	char *want = json_dumps(v, JSON_COMPACT);
	size_t len = 0;
	char *got = dom_json_dump(v, &len);

	ok(want && got && !strcmp(got, want) && len == strlen(want),
	   "%s: %s / %s", name, got ? got : "(null)", want ? want : "(null)");
	free(want);
	free(got);
}

int main(void)
{
	json_error_t e;
	json_t *doc = json_loads(
		"{\"basic\":{\"competition\":\"guangdong-2026\",\"region\":"
		"[\"440000\",\"440300\"],\"topic\":5},\"project\":{\"name\":"
		"\"城市轨道交通客流数据产品\",\"summary\":\"先写一半。\\n第二段。"
		"\\t\\\"引号\\\" \\\\ / \\u0001\\u001f\\u007f\\u0000尾\"},"
		"\"market\":{\"sources\":{\"own\":{\"volume_gb\":\"12.50\","
		"\"growth\":-3.5,\"ratio\":0.1,\"big\":1e300,\"one\":1.0}}},"
		"\"members\":[],\"units\":[{\"is_lead\":true,\"x\":null,"
		"\"f\":false}],\"e\":{},\"k\\u0001ey\":\"control in a key\","
		"\"n\":[9223372036854775807,-9223372036854775808,0]}",
		JSON_ALLOW_NUL, &e);
	json_t *bad;

	ok(doc != NULL, "fixture parses: %s", e.text);
	same(doc, "a 申报书-like document");
	same(json_object_get(doc, "n"), "an array");
	json_decref(doc);

	for (int i = 0; i < 2000; i++) {
		json_t *v = rnd(2) ? random_value(0) : NULL;
		char name[32];

		if (!json_is_object(v) && !json_is_array(v)) {
			json_decref(v);
			v = json_object();
			json_object_set_new(v, "v", random_value(0));
		}
		snprintf(name, sizeof(name), "random %d", i);
		same(v, name);
		json_decref(v);
	}

	/* What json_dumps refuses, this refuses. */
	doc = json_string("x");
	ok(dom_json_dump(doc, NULL) == NULL,
	   "a string alone is not a document");
	json_decref(doc);
	ok(dom_json_dump(NULL, NULL) == NULL, "NULL");
	{
		/* bad bytes, overlong, surrogate, past U+10FFFF, cut short */
		static const char *const not_utf8[] = {
			"\xff\xfe",	    "\xc0\x80",	  "\xed\xa0\x80",
			"\xf4\x90\x80\x80", "ab\xe4\xb8", "\x80",
		};
		for (size_t i = 0; i < sizeof(not_utf8) / sizeof(not_utf8[0]);
		     i++) {
			char *j;
			bad = json_object();
			json_object_set_new(
				bad, "s",
				json_stringn_nocheck(not_utf8[i],
						     strlen(not_utf8[i])));
			j = json_dumps(bad, JSON_COMPACT);
			ok(j == NULL && dom_json_dump(bad, NULL) == NULL,
			   "not UTF-8 (%zu) is refused by both", i);
			free(j);
			json_decref(bad);
		}
	}
	return done_testing("test_docjson");
}
