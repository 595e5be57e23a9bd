/* errors.c: THE table from error kind to status and default message */
#include <stdio.h>
#include <string.h>
#include "errors.h"
#include "../store/db.h"
#include "../util/log.h"
#include "../util/banned.h"

static const struct {
	int status;
	const char *code;
	const char *message;
} kinds[E_KIND_COUNT] = {
	[E_NONE] = { 500, "internal", "服务器内部错误" },
	[E_BAD_REQUEST] = { 400, "bad_request", "请求格式不正确" },
	[E_UNAUTHORIZED] = { 401, "unauthorized", "请先登录" },
	[E_FORBIDDEN] = { 403, "forbidden", "没有权限执行此操作" },
	[E_NOT_FOUND] = { 404, "not_found", "请求的资源不存在" },
	[E_METHOD] = { 405, "method_not_allowed", "不支持该请求方法" },
	[E_CONFLICT] = { 409, "conflict", "数据已被修改，请刷新后重试" },
	[E_GONE] = { 410, "gone", "该资源已被删除" },
	[E_TOO_LARGE] = { 413, "body_too_large", "请求内容过大" },
	[E_MEDIA_TYPE] = { 415, "unsupported_media_type", "不支持的内容类型" },
	[E_RANGE] = { 416, "bad_range", "请求的范围无效" },
	[E_INVALID] = { 422, "invalid", "提交的内容未通过校验" },
	[E_TOO_MANY] = { 429, "too_many_requests", "请求过于频繁，请稍后再试" },
	[E_INTERNAL] = { 500, "internal", "服务器内部错误，请稍后再试" },
	[E_BAD_GATEWAY] = { 502, "upstream_failed",
			    "外部服务暂时不可用，请稍后再试" },
	[E_UNAVAILABLE] = { 503, "unavailable", "服务暂时不可用，请稍后再试" },
};

int api_db_failed(struct req *r, struct db *db)
{
	return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
}

int api_send(struct req *r, int status, json_t *body)
{
	int rc;

	if (!body)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	rc = resp_json(r, status, body);
	json_decref(body);
	return rc;
}

int api_send_page(struct req *r, json_t *items, int64_t total, int64_t page,
		  int64_t per_page)
{
	return api_send(r, 200,
			json_pack("{s:o, s:I, s:I, s:I}", "items", items,
				  "total", (json_int_t)total, "page",
				  (json_int_t)page, "per_page",
				  (json_int_t)per_page));
}

int api_error_status(enum err_kind kind)
{
	if (kind <= E_NONE || kind >= E_KIND_COUNT)
		return 500;
	return kinds[kind].status;
}

void api_render_error(struct req *r)
{
	enum err_kind k = r->err.kind;
	const char *code, *message;
	json_t *body, *fields;

	if (k <= E_NONE || k >= E_KIND_COUNT)
		k = E_INTERNAL;
	code = r->err.code ? r->err.code : kinds[k].code;
	message = r->err.message[0] ? r->err.message : kinds[k].message;
	if (k == E_INTERNAL || k == E_UNAVAILABLE) {
		log_error("request %s failed: %s: %s", r->id, code, message);
		message = kinds[k].message;
	}
	fields = r->err.fields ? json_incref(r->err.fields) : json_array();
	body = json_pack("{s:{s:s, s:s, s:o, s:s}}", "error", "code", code,
			 "message", message, "fields", fields, "request_id",
			 r->id);
	if (!body || resp_json(r, kinds[k].status, body) < 0) {
		/* Not const: MHD takes a mutable pointer, and never writes. */
		static char fallback[] =
			"{\"error\":{\"code\":\"internal\",\"message\":\"\","
			"\"fields\":[],\"request_id\":\"\"}}";
		r->resp.status = kinds[k].status;
		r->resp.content_type = "application/json; charset=utf-8";
		r->resp.body = fallback;
		r->resp.len = sizeof(fallback) - 1;
		r->resp.owned = false;
	}
	json_decref(body);
	r->resp.cache_control = "no-store";
}
