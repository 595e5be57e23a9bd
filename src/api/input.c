/* input.c: strict readers over the parsed JSON body */
#include <string.h>
#include "input.h"
#include "../util/banned.h"

static size_t chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

const char *in_str(struct req *r, const char *key, const char *label,
		   bool required, size_t max_chars)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	const char *s;
	size_t len;
	char *msg;

	if (!v || json_is_null(v) ||
	    (json_is_string(v) && json_string_length(v) == 0)) {
		if (required) {
			msg = arena_printf(&r->arena, "请输入%s", label);
			req_field_error(r, key, "required", msg ? msg : label);
		}
		return NULL;
	}
	if (!json_is_string(v)) {
		msg = arena_printf(&r->arena, "%s应为文本", label);
		req_field_error(r, key, "type", msg ? msg : label);
		return NULL;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	/* jansson allows \u0000 only with a flag we do not pass. */
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		if (required) {
			msg = arena_printf(&r->arena, "请输入%s", label);
			req_field_error(r, key, "required", msg ? msg : label);
		}
		return NULL;
	}
	if (chars(s, len) > max_chars) {
		msg = arena_printf(&r->arena, "%s不能超过 %zu 个字符", label,
				   max_chars);
		req_field_error(r, key, "too_long", msg ? msg : label);
		return NULL;
	}
	return arena_strndup(&r->arena, s, len);
}

bool in_bool(struct req *r, const char *key, const char *label)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	char *msg;

	if (!v || json_is_null(v))
		return false;
	if (!json_is_boolean(v)) {
		msg = arena_printf(&r->arena, "%s应为 true 或 false", label);
		req_field_error(r, key, "type", msg ? msg : label);
		return false;
	}
	return json_is_true(v);
}

void in_only(struct req *r, const char *const *keys)
{
	const char *key;
	json_t *v;

	json_object_foreach (r->json, key, v) {
		bool known = false;
		for (const char *const *k = keys; *k; k++)
			if (!strcmp(*k, key))
				known = true;
		if (!known)
			req_field_error(r, key, "unknown_field",
					"不认识的字段");
	}
}

bool input_has_errors(struct req *r)
{
	return r->err.fields && json_array_size(r->err.fields) > 0;
}

int input_failed(struct req *r)
{
	return req_fail(r, E_INVALID, "invalid",
			"提交的内容有误，请按提示修改");
}
