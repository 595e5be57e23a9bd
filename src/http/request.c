/* request.c: accessors over the MHD connection and response builders */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <microhttpd.h>
#include "request.h"
#include "router.h"
#include "../app.h"
#include "../store/pool.h"
#include "../util/banned.h"

int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int req_fail(struct req *r, enum err_kind kind, const char *code,
	     const char *fmt, ...)
{
	r->err.kind = kind;
	r->err.code = code;
	r->err.message[0] = '\0';
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err.message, sizeof(r->err.message), fmt, ap);
		va_end(ap);
	}
	return -1;
}

void req_field_error(struct req *r, const char *field, const char *code,
		     const char *message)
{
	json_t *e;

	if (!r->err.fields)
		r->err.fields = json_array();
	if (!r->err.fields)
		return;
	/*
	 * Bounded, but above what one document can produce (the form engine
	 * stops at 500, plus attachments and eligibility), so a submit lists
	 * every problem.
	 */
	if (json_array_size(r->err.fields) >= 1000)
		return;
	e = json_pack("{s:s, s:s, s:s}", "field", field, "code", code,
		      "message", message);
	if (e)
		json_array_append_new(r->err.fields, e);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_query(struct req *r, const char *name, bool *bad)
{
	const char *p = r->query.p, *end;
	size_t nlen = strlen(name);

	*bad = false;
	/* No '?' leaves query.p NULL, and NULL + 0 is undefined behaviour. */
	if (!p)
		return NULL;
	end = p + r->query.len;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		const char *kend = eq ? eq : stop;

		if ((size_t)(kend - p) == nlen && !memcmp(p, name, nlen)) {
			struct str v = { eq ? eq + 1 : stop,
					 eq ? (size_t)(stop - eq - 1) : 0 };
			char *out = arena_alloc(&r->arena, v.len + 1);
			long n;
			if (!out) {
				*bad = true;
				return NULL;
			}
			n = url_query_decode(v, out);
			if (n < 0) {
				*bad = true;
				return NULL;
			}
			return out;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

struct str req_param(struct req *r, const char *name)
{
	const char *pat = r->route ? r->route->pattern : "";
	size_t nlen = strlen(name);
	int idx = 0;

	for (const char *p = strchr(pat, '{'); p; p = strchr(p + 1, '{')) {
		if (!strncmp(p + 1, name, nlen) && p[1 + nlen] == '}') {
			if (idx < r->nparams)
				return r->params[idx];
			break;
		}
		idx++;
	}
	return (struct str){ "", 0 };
}

const char *req_client_ip(struct req *r)
{
	const union MHD_ConnectionInfo *ci;
	char buf[INET6_ADDRSTRLEN] = "unknown";

	if (r->client_ip[0])
		return r->client_ip;
	/* Only a request that never reached its headers gets here. */
	ci = MHD_get_connection_info(r->conn,
				     MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(
				AF_INET,
				&((const struct sockaddr_in *)(const void *)sa)
					 ->sin_addr,
				buf, sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(
				AF_INET6,
				&((const struct sockaddr_in6 *)(const void *)sa)
					 ->sin6_addr,
				buf, sizeof(buf));
	}
	return arena_strdup(&r->arena, buf);
}

int resp_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	if (!text)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	r->resp.status = status;
	r->resp.content_type = "application/json; charset=utf-8";
	r->resp.body = text;
	r->resp.len = strlen(text);
	r->resp.owned = true;
	return 0;
}

int resp_bytes(struct req *r, int status, const char *type, const char *p,
	       size_t len)
{
	char *copy = arena_strndup(&r->arena, p, len);

	if (!copy)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	r->resp.status = status;
	r->resp.content_type = type;
	r->resp.body = copy;
	r->resp.len = len;
	r->resp.owned = false;
	return 0;
}

void resp_header(struct req *r, const char *name, const char *value)
{
	if (r->resp.nheaders >= REQ_MAX_HEADERS)
		return;
	r->resp.headers[r->resp.nheaders].name = name;
	r->resp.headers[r->resp.nheaders].value = value;
	r->resp.nheaders++;
}

struct db *req_db(struct req *r)
{
	if (!r->db) {
		r->db = db_pool_get(r->app->pool, 5000);
		if (!r->db)
			req_fail(r, E_UNAVAILABLE, "database_busy",
				 "服务繁忙，请稍后再试");
	}
	return r->db;
}

void req_db_release(struct req *r)
{
	if (r->db) {
		db_pool_put(r->app->pool, r->db);
		r->db = NULL;
	}
}

void resp_retry_after(struct req *r, int64_t seconds)
{
	char *v = arena_printf(&r->arena, "%lld",
			       (long long)(seconds < 1 ? 1 : seconds));
	if (v)
		resp_header(r, "Retry-After", v);
}
