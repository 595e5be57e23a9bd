/*
 * fuzz_json_input: a request body through the server's strict JSON parse
 * (json_loadb with JSON_REJECT_DUPLICATES, an object required, as
 * parse_json_body() in src/http/server.c does) and then through the field
 * readers of src/api/input.c with the keys, labels and limits the
 * handlers use; every recorded field error is well formed.
 */
#include <stdbool.h>
#include <jansson.h>
#include "fuzz.h"
#include "api/input.h"
#include "http/request.h"
#include "util/str.h"

static const struct {
	const char *key, *label;
	bool required;
	size_t max;
} strs[] = {
	{ "account", "账号", true, 64 },
	{ "login", "账号或手机号", true, 64 },
	{ "phone", "手机号", false, 32 },
	{ "sms_code", "短信验证码", true, 6 },
	{ "captcha_id", "图形验证码编号", false, 64 },
	{ "competition", "所属赛事", true, 64 },
	{ "reason", "退回原因", true, 500 },
	{ "note", "备注", false, 200 },
	{ "section", "分区", true, 64 },
	{ "uscc", "统一社会信用代码", true, 40 },
	{ "a", "甲", false, 1 },
	{ "", "空", false, 0 },
};

static const char *const known[] = { "account",	 "login",    "phone",
				     "sms_code", "remember", "competition",
				     NULL };

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r;
	json_error_t jerr;
	size_t i;
	json_t *e;

	memset(&r, 0, sizeof(r));
	arena_init(&r.arena, 1u << 20);
	r.json = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			    &jerr);
	if (!r.json || !json_is_object(r.json))
		goto out;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *v = in_str(&r, strs[i].key, strs[i].label,
				       strs[i].required, strs[i].max);
		if (!v)
			continue;
		FUZZ_CHECK(*v && !blank(v[0]) && !blank(v[strlen(v) - 1]));
		FUZZ_CHECK(utf8_chars(v) <= strs[i].max);
		FUZZ_CHECK(utf8_valid(v, strlen(v)));
	}
	(void)in_bool(&r, "remember", "记住我");
	(void)in_bool(&r, "agree", "同意");
	in_only(&r, known);
	if (input_has_errors(&r)) {
		FUZZ_CHECK(input_failed(&r) == -1);
		FUZZ_CHECK(r.err.kind == E_INVALID);
	}
	json_array_foreach (r.err.fields, i, e) {
		FUZZ_CHECK(json_is_string(json_object_get(e, "field")));
		FUZZ_CHECK(json_is_string(json_object_get(e, "code")));
		FUZZ_CHECK(json_is_string(json_object_get(e, "message")));
	}
	{
		/* What was accepted is what is written back out and re-read. */
		char *text = json_dumps(r.json, JSON_COMPACT);
		json_t *again;
		FUZZ_CHECK(text != NULL);
		again = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
		FUZZ_CHECK(again && json_equal(again, r.json));
		json_decref(again);
		free(text);
	}
out:
	json_decref(r.json);
	json_decref(r.err.fields);
	arena_release(&r.arena);
	return 0;
}
