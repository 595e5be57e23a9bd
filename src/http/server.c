/* server.c: the request lifecycle on libmicrohttpd 0.9.75 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include <sodium.h>
#include "server.h"
#include "clientaddr.h"
#include "linger.h"
#include "metrics.h"
#include "ratelimit.h"
#include "request.h"
#include "tarpit.h"
#include "lane.h"
#include "router.h"
#include "session.h"
#include "static.h"
#include "../app.h"
#include "../util/log.h"
#include "../util/banned.h"

/* Per-request memory beyond the body: headers, params, JSON copies. */
#define REQ_ARENA_CAP (8u << 20)

/* Time at shutdown for requests already sent to be read; see stop. */
#define SETTLE_MS 100

/* Client addresses the auth limiter remembers at once (~3 MiB). */
#define LIMIT_ENTRIES 65536

/*
 * The password lane (lane.h): two threads, so that a request that needs
 * no hash (a wrong captcha) is not queued behind one that does, while
 * hash_concurrency still caps the hashes; at most 32 such requests wait
 * or run (more get 429 busy, as the hash cap answers); nice +10.
 */
#define LANE_THREADS 2
#define LANE_QUEUE 32
#define LANE_NICE 10

/* Refused connections held by the tarpit at once (tarpit.h). */
#define TARPIT_MAX 1024

/* Lingering close (linger.h): how many sockets at once, for how long. */
#define LINGER_SOCKETS 256
#define LINGER_MS 5000

struct http_server {
	struct MHD_Daemon *d;
	struct app *app;
	struct lingerer *linger;
	struct rate_limiter *auth_limit; /* NULL: auth_rate_limit = 0 */
	struct proxy_list *proxies;	 /* trusted_proxies */
	struct tarpit *tarpit;		 /* NULL: auth_tarpit_ms = 0 */
	struct lane *lane;		 /* the handlers that hash */
	uint16_t port;
};

enum stage { STAGE_NEW = 0, STAGE_BODY, STAGE_DONE };

struct conn_req {
	struct req r;
	enum stage stage;
	bool early;   /* answered on the headers, body unread */
	bool limited; /* refused by the per-address limit */
	bool held;    /* … and its answer delayed already */
	bool laned;   /* its handler was queued on the password lane */
	_Atomic bool lane_done; /* … and has run: lane_rc is its result */
	int lane_rc;
	struct client_addr client;
};

static const char csp[] =
	"default-src 'self'; script-src 'self'; "
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; "
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
	"report-uri /api/v1/csp-reports";

static enum http_method parse_method(const char *m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} tab[] = {
		{ "GET", HTTP_GET },	     { "HEAD", HTTP_HEAD },
		{ "POST", HTTP_POST },	     { "PUT", HTTP_PUT },
		{ "PATCH", HTTP_PATCH },     { "DELETE", HTTP_DELETE },
		{ "OPTIONS", HTTP_OPTIONS },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(m, tab[i].name))
			return tab[i].m;
	return HTTP_OTHER;
}

/* MHD would percent-decode the path itself; we decode it strictly instead. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* MHD's own format strings; the attribute lets clang check the call. */
__attribute__((format(printf, 2, 0))) static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	log_debug("mhd: %s", line);
}

/*
 * Request ids only tie a response to its log lines; they guard nothing.
 * A random draw each would be a getrandom(2) call a request (5% of a
 * refused request's cost in a flood): each thread instead seeds a
 * counter once and scrambles it (splitmix64, a bijection, so ids within
 * a thread never repeat).
 */
static void request_id(char out[17])
{
	static _Thread_local uint64_t state;
	static _Thread_local bool seeded;
	unsigned char b[8];
	uint64_t z;

	if (!seeded) {
		randombytes_buf(&state, sizeof(state));
		seeded = true;
	}
	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(z >> (8 * i));
	hex_encode(b, sizeof(b), out);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *s = cls;
	struct conn_req *cr = calloc(1, sizeof(*cr));

	if (!cr)
		return NULL;
	arena_init(&cr->r.arena, REQ_ARENA_CAP);
	cr->r.app = s->app;
	cr->r.conn = c;
	cr->r.start_ns = now_ns();
	cr->r.route_index = -2;
	cr->r.resp.fd = -1;
	cr->r.declared_len = UINT64_MAX;
	request_id(cr->r.id);
	cr->r.raw_uri = arena_strdup(&cr->r.arena, uri);
	metrics_in_flight(s->app->metrics, +1);
	return cr;
}

static void add_common_headers(struct MHD_Response *mr, struct req *r)
{
	MHD_add_response_header(mr, "Content-Security-Policy", csp);
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "Referrer-Policy",
				"strict-origin-when-cross-origin");
	MHD_add_response_header(mr, "Cross-Origin-Opener-Policy",
				"same-origin");
	MHD_add_response_header(mr, "Cross-Origin-Resource-Policy",
				"same-origin");
	MHD_add_response_header(mr, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=(), "
				"payment=()");
	MHD_add_response_header(mr, "X-Request-Id", r->id);
	MHD_add_response_header(mr, "Cache-Control",
				r->resp.cache_control ? r->resp.cache_control
						      : "no-store");
	if (r->resp.content_type)
		MHD_add_response_header(mr, "Content-Type",
					r->resp.content_type);
	if (r->resp.etag[0])
		MHD_add_response_header(mr, "ETag", r->resp.etag);
	for (int i = 0; i < r->resp.nheaders; i++)
		MHD_add_response_header(mr, r->resp.headers[i].name,
					r->resp.headers[i].value);
}

static void release_json(void *cls)
{
	free(cls);
}

/* Sends r->resp once; errors become a bare 500 that still has our headers. */
static enum MHD_Result send_resp(struct conn_req *cr)
{
	struct req *r = &cr->r;
	struct MHD_Response *mr;
	enum MHD_Result rc;

	if (r->resp.fd >= 0) {
		mr = MHD_create_response_from_fd_at_offset64(
			r->resp.len, r->resp.fd, r->resp.fd_offset);
		if (!mr)
			close(r->resp.fd);
		r->resp.fd = -1;
	} else if (r->resp.release) {
		mr = MHD_create_response_from_buffer_with_free_callback_cls(
			r->resp.len, r->resp.body, r->resp.release,
			r->resp.release_cls);
		if (mr)
			r->resp.release = NULL;
	} else if (r->resp.owned) {
		mr = MHD_create_response_from_buffer_with_free_callback_cls(
			r->resp.len, r->resp.body, release_json, r->resp.body);
		if (mr)
			r->resp.owned = false;
	} else {
		mr = MHD_create_response_from_buffer(
			r->resp.len, r->resp.body ? r->resp.body : (char *)"",
			MHD_RESPMEM_PERSISTENT);
	}
	if (!mr)
		return MHD_NO;
	add_common_headers(mr, r);
	r->status = r->resp.status;
	r->sent_bytes = r->resp.len;
	rc = MHD_queue_response(r->conn, (unsigned)r->resp.status, mr);
	MHD_destroy_response(mr);
	r->queued = true;
	cr->stage = STAGE_DONE;
	return rc;
}

/*
 * Drops a response's body but keeps its extra headers: those set before a
 * failure (Allow on a 405, Retry-After on a 429, a Set-Cookie clearing a
 * dead session) belong to the error response as well.
 */
static void discard_body(struct req *r)
{
	if (r->resp.fd >= 0)
		close(r->resp.fd);
	if (r->resp.owned)
		free(r->resp.body);
	if (r->resp.release)
		r->resp.release(r->resp.release_cls);
	r->resp.fd = -1;
	r->resp.owned = false;
	r->resp.release = NULL;
	r->resp.body = NULL;
	r->resp.len = 0;
	r->resp.etag[0] = '\0';
	r->resp.content_type = NULL;
	r->resp.cache_control = NULL;
}

static enum MHD_Result send_error(struct conn_req *cr)
{
	struct req *r = &cr->r;

	discard_body(r);
	r->app->render_error(r);
	return send_resp(cr);
}

static bool is_api_path(const char *p)
{
	return !strncmp(p, "/api/", 5) || !strcmp(p, "/api");
}

static bool json_type_ok(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	size_t n;

	if (!ct)
		return false;
	n = strcspn(ct, "; ");
	if (n == 16 && !strncasecmp(ct, "application/json", 16))
		return true;
	if ((r->route->flags & ROUTE_CSP_REPORT) && n == 22 &&
	    !strncasecmp(ct, "application/csp-report", 22))
		return true;
	return false;
}

static size_t body_cap(struct req *r)
{
	if (!r->route)
		return 0;
	if (r->route->body_cap == SIZE_MAX)
		return (size_t)r->app->cfg.body_limit;
	return r->route->body_cap;
}

/*
 * The route's flags, checked in this one place before any body is read:
 * who is signed in, whether they must be, and the CSRF token of every
 * state-changing request.
 */
static int check_access(struct req *r)
{
	unsigned unsafe = HTTP_POST | HTTP_PUT | HTTP_PATCH | HTTP_DELETE;
	int rc;

	/*
	 * Only routes that care about the user look the session up: the
	 * public catalog must not cost a database read per request.
	 */
	if ((r->route->flags & (ROUTE_SESSION | ROUTE_USER)) ||
	    (r->method & unsafe)) {
		rc = session_load(r);
		/* A slow body must not hold a pooled connection meanwhile. */
		req_db_release(r);
		if (rc < 0)
			return -1;
	}
	if ((r->route->flags & ROUTE_SESSION) && !r->user_id)
		return req_fail(r, E_UNAUTHORIZED, "login_required",
				"请先登录");
	if ((r->method & unsafe) && !(r->route->flags & ROUTE_NO_CSRF) &&
	    !session_csrf_ok(r))
		return req_fail(r, E_FORBIDDEN, "csrf_failed",
				"页面已过期，请刷新后重试（CSRF 校验失败）");
	return 0;
}

/*
 * The per-address bucket of the auth routes. It runs before the session,
 * the CSRF token and the body are looked at, so that a flood's refusal
 * costs a hash probe and a small answer: no database, no JSON parsing,
 * no access log line (one summary line an address every 10 seconds).
 * The address is the TCP peer's, or what a trusted proxy says it is:
 * never a header an untrusted client could forge.
 */
static int auth_limit_check(struct http_server *s, struct conn_req *cr)
{
	struct req *r = &cr->r;
	struct rate_key key;
	uint64_t report = 0;
	int64_t wait, secs;

	rate_key_from_bytes(cr->client.b, &key);
	wait = rate_limiter_take(s->auth_limit, &key, r->start_ns, &report);
	if (!wait)
		return 0;
	secs = (wait + 999999999) / 1000000000;
	cr->limited = true;
	metrics_limited(r->app->metrics, r->route_index);
	if (report) {
		char addr[64];
		rate_key_format(&key, addr, sizeof(addr));
		log_warn("ratelimit: %s refused %llu request(s) to sign-in "
			 "routes (auth_rate_limit %lld/min, burst %lld); "
			 "latest %s %s, request %s",
			 addr, (unsigned long long)report,
			 (long long)r->app->cfg.auth_rate_limit,
			 (long long)r->app->cfg.auth_rate_burst, r->method_name,
			 r->path, r->id);
	}
	resp_retry_after(r, secs);
	return req_fail(r, E_TOO_MANY, "rate_limited",
			"操作过于频繁，请 %lld 秒后再试", (long long)secs);
}

struct xff {
	const char *v[8];
	size_t n;
};

static enum MHD_Result collect_xff(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct xff *x = cls;

	(void)kind;
	if (key && value && !strcasecmp(key, "X-Forwarded-For")) {
		/* Past 8 headers only the nearest hops matter: keep those. */
		if (x->n == sizeof(x->v) / sizeof(x->v[0])) {
			memmove(x->v, x->v + 1, sizeof(x->v) - sizeof(x->v[0]));
			x->n--;
		}
		x->v[x->n++] = value;
	}
	return MHD_YES;
}

/* The client's address: the peer, or through the trusted proxies. */
static void resolve_client(struct http_server *s, struct conn_req *cr)
{
	struct req *r = &cr->r;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct client_addr peer;

	if (client_addr_from_sockaddr(ci ? ci->client_addr : NULL, &peer) < 0) {
		memset(&cr->client, 0, sizeof(cr->client));
		snprintf(r->client_ip, sizeof(r->client_ip), "unknown");
		return;
	}
	cr->client = peer;
	if (proxy_list_has(s->proxies, &peer)) {
		struct xff x = { { NULL }, 0 };
		MHD_get_connection_values(r->conn, MHD_HEADER_KIND, collect_xff,
					  &x);
		cr->client = client_addr_resolve(s->proxies, &peer, x.v, x.n);
	}
	client_addr_format(&cr->client, r->client_ip, sizeof(r->client_ip));
}

/* First call: headers are in, the body is not. Every refusal happens here. */
static int on_headers(struct http_server *s, struct conn_req *cr,
		      const char *method)
{
	struct req *r = &cr->r;
	const struct app *app = r->app;
	const char *q, *cl;
	size_t plen = 0;
	unsigned allowed = 0;
	int index = -1;

	resolve_client(s, cr);
	r->method = parse_method(method);
	r->method_name = arena_strdup(&r->arena, method);
	if (!r->raw_uri || !r->method_name)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	q = strchr(r->raw_uri, '?');
	plen = q ? (size_t)(q - r->raw_uri) : strlen(r->raw_uri);
	if (q)
		r->query = (struct str){ q + 1, strlen(q + 1) };
	r->path = arena_strndup(&r->arena, r->raw_uri, plen);
	if (!r->path)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	if (r->path[0] != '/' ||
	    url_path_decode(r->path, plen, &r->path_len) < 0)
		return req_fail(r, E_BAD_REQUEST, "bad_path",
				"请求路径不合法（编码错误或包含不允许的字符）");

	switch (route_match(app->routes, app->nroutes, r->path, r->path_len,
			    r->method, r, &index, &allowed)) {
	case ROUTE_FOUND:
		/* Test hooks do not exist at all outside test mode. */
		if ((app->routes[index].flags & ROUTE_TEST_ONLY) &&
		    !app->cfg.test_mode)
			return req_fail(r, E_NOT_FOUND, "not_found",
					"请求的接口不存在");
		r->route = &app->routes[index];
		r->route_index = index;
		break;
	case ROUTE_WRONG_METHOD: {
		char *allow = arena_alloc(&r->arena, 64);
		if (allow) {
			route_allow_header(allowed, allow, 64);
			resp_header(r, "Allow", allow);
		}
		return req_fail(r, E_METHOD, "method_not_allowed",
				"该地址不支持 %s 请求", r->method_name);
	}
	case ROUTE_NOT_FOUND:
		if (is_api_path(r->path))
			return req_fail(r, E_NOT_FOUND, "not_found",
					"请求的接口不存在");
		r->route_index = -1;
		if (!(r->method & (HTTP_GET | HTTP_HEAD))) {
			resp_header(r, "Allow", "GET, HEAD");
			return req_fail(r, E_METHOD, "method_not_allowed",
					"该地址不支持 %s 请求", r->method_name);
		}
		break;
	}

	cl = req_header(r, "Content-Length");
	if (cl) {
		int64_t n;
		if (str_to_i64z(cl, 0, INT64_MAX, &n) < 0)
			return req_fail(r, E_BAD_REQUEST, "bad_content_length",
					"Content-Length 不合法");
		r->declared_len = (uint64_t)n;
	}
	if (r->route && (r->route->flags & ROUTE_AUTH_LIMIT) && s->auth_limit &&
	    auth_limit_check(s, cr) < 0) {
		/*
		 * A small announced body is read and dropped so the
		 * connection stays open: answering before it would close
		 * it, and a flood that reconnects for every request costs
		 * more (accept, lingering close) than the few bytes.
		 */
		if (r->declared_len <= body_cap(r))
			return 0;
		return -1;
	}
	/*
	 * Who may call comes first: a stranger learns "sign in" (401) or
	 * "CSRF" (403), not the route's body limits.
	 */
	if (r->route && check_access(r) < 0)
		return -1;
	if (r->declared_len != UINT64_MAX && r->declared_len > body_cap(r))
		return req_fail(r, E_TOO_LARGE, "body_too_large",
				"请求内容过大（上限 %zu 字节）", body_cap(r));
	if (r->route && (r->route->flags & ROUTE_JSON) && !json_type_ok(r))
		return req_fail(
			r, E_MEDIA_TYPE, "unsupported_media_type",
			"请求内容须为 JSON（Content-Type: application/json）");
	buf_init(&r->body, body_cap(r));
	if (r->route && r->route->stream) {
		int rc;
		/* Streams need their size up front: caps are announced. */
		if (r->declared_len == UINT64_MAX)
			return req_fail(r, E_BAD_REQUEST, "length_required",
					"上传须带 Content-Length 请求头");
		rc = r->route->stream->begin(r);
		req_db_release(r);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int parse_json_body(struct req *r)
{
	json_error_t jerr;

	if (r->body.len == 0)
		return req_fail(r, E_BAD_REQUEST, "invalid_json",
				"请求内容为空，应为 JSON 对象");
	/*
	 * Duplicate keys are refused: two readers of one document must never
	 * see different values. jansson also refuses invalid UTF-8 and NUL.
	 */
	r->json = json_loadb(r->body.p, r->body.len, JSON_REJECT_DUPLICATES,
			     &jerr);
	if (!r->json)
		return req_fail(
			r, E_BAD_REQUEST, "invalid_json",
			"请求内容不是合法的 JSON（第 %d 行第 %d 列：%s）",
			jerr.line, jerr.column, jerr.text);
	if (!json_is_object(r->json))
		return req_fail(r, E_BAD_REQUEST, "invalid_json",
				"请求内容应为 JSON 对象");
	return 0;
}

static int dispatch(struct req *r)
{
	if (!r->route)
		return static_serve(r, r->app->cfg.web_dir);
	if ((r->route->flags & ROUTE_JSON) && parse_json_body(r) < 0)
		return -1;
	/* An optional body counts only when it says it is JSON. */
	if ((r->route->flags & ROUTE_JSON_OPTIONAL) && r->body.len &&
	    json_type_ok(r) && parse_json_body(r) < 0)
		return -1;
	return r->route->handler(r);
}

/*
 * On a lane thread: the handler runs while its connection is suspended;
 * resuming it makes MHD call on_request again, which sends the answer.
 */
static void run_on_lane(void *arg)
{
	struct conn_req *cr = arg;
	struct req *r = &cr->r;

	cr->lane_rc = dispatch(r);
	req_db_release(r);
	atomic_store(&cr->lane_done, true);
	MHD_resume_connection(r->conn);
}

static bool has_body(struct req *r)
{
	if (r->declared_len != UINT64_MAX)
		return r->declared_len > 0;
	return req_header(r, "Transfer-Encoding") != NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct conn_req *cr = *con_cls;
	struct req *r;
	int rc;

	(void)url;
	(void)version;
	if (!cr)
		return MHD_NO;
	r = &cr->r;
	r->conn = c;
	if (cr->stage == STAGE_NEW) {
		cr->stage = STAGE_BODY;
		/*
		 * Answering now, before the body is read, makes MHD skip the
		 * body and close the connection after the response; a request
		 * without a body waits for the next call and keeps its
		 * connection alive.
		 */
		if (on_headers(cls, cr, method) < 0) {
			if (!has_body(r))
				return MHD_YES;
			cr->early = true;
			return send_error(cr);
		}
		return MHD_YES;
	}
	if (cr->stage == STAGE_DONE) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size && r->route && r->route->stream) {
		/* After a failed chunk the rest is read and dropped. */
		if (!r->err.kind &&
		    r->route->stream->chunk(r, upload, *upload_size) < 0 &&
		    !r->err.kind)
			req_fail(r, E_INTERNAL, "upload", "chunk failed");
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->body.toobig && !r->err.kind &&
		    buf_add(&r->body, upload, *upload_size) < 0 &&
		    !r->body.toobig)
			req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		/*
		 * A body that keeps coming long past its cap is not worth
		 * reading to the end: drop the connection.
		 */
		if (r->body.toobig) {
			r->sent_bytes += *upload_size;
			if (r->sent_bytes >
			    2 * (uint64_t)r->body.cap + (1u << 20))
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	r->sent_bytes = 0;
	if (r->err.kind != E_NONE) {
		struct http_server *s = cls;
		/* Called again when the tarpit resumes the connection. */
		if (cr->limited && !cr->held && s->tarpit &&
		    tarpit_hold(s->tarpit, c, now_ns())) {
			cr->held = true;
			return MHD_YES;
		}
		return send_error(cr);
	}
	if (r->body.toobig) {
		req_fail(r, E_TOO_LARGE, "body_too_large",
			 "请求内容过大（上限 %zu 字节）", r->body.cap);
		return send_error(cr);
	}
	if (cr->laned) {
		/* Called again after run_on_lane resumed the connection. */
		if (!atomic_load(&cr->lane_done))
			return MHD_YES;
		rc = cr->lane_rc;
	} else if (r->route && (r->route->flags & ROUTE_HASHES)) {
		struct http_server *s = cls;
		/*
		 * The place is reserved before the connection is suspended,
		 * and the job queued after: it cannot resume a connection
		 * that is not suspended yet.
		 */
		if (!lane_reserve(s->lane)) {
			req_fail(r, E_TOO_MANY, "busy",
				 "登录人数较多，请稍后重试");
			resp_retry_after(r, 1);
			return send_error(cr);
		}
		cr->laned = true;
		MHD_suspend_connection(c);
		lane_push(s->lane, run_on_lane, cr);
		return MHD_YES;
	} else {
		rc = dispatch(r);
	}
	if (rc == 0 && r->route && r->route->stream)
		r->upload_done = true;
	/* The connection goes back before the response is sent. */
	req_db_release(r);
	if (rc < 0)
		return send_error(cr);
	return send_resp(cr);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct conn_req *cr = *con_cls;
	struct req *r;
	int64_t dur;
	const char *q;
	int plen;

	if (!cr)
		return;
	r = &cr->r;
	if (cr->early && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci)
			linger_add(s->linger, ci->connect_fd);
	}
	dur = now_ns() - r->start_ns;
	if (!r->queued)
		r->status = 0;
	metrics_observe(s->app->metrics, r->route_index, r->status, dur);
	metrics_in_flight(s->app->metrics, -1);
	q = r->raw_uri ? strchr(r->raw_uri, '?') : NULL;
	plen = r->raw_uri ? (int)(q ? q - r->raw_uri : (long)strlen(r->raw_uri))
			  : 0;
	/* The query is left out: it may carry search terms or tokens. */
	if (!cr->limited)
		log_info("access %s %.*s %d %llu %.3fms %s%s",
			 r->method_name ? r->method_name : "-",
			 plen > 512 ? 512 : plen, r->raw_uri ? r->raw_uri : "",
			 r->status, (unsigned long long)r->sent_bytes,
			 (double)dur / 1e6, r->id,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
				 ? ""
				 : " aborted");
	if (r->route && r->route->stream && r->upload && !r->upload_done)
		r->route->stream->abort(r);
	req_db_release(r);
	discard_body(r);
	json_decref(r->json);
	json_decref(r->err.fields);
	buf_release(&r->body);
	arena_release(&r->arena);
	free(cr);
	*con_cls = NULL;
}

static int resolve(const char *host, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!strcmp(host, "localhost"))
		host = "127.0.0.1";
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/*
 * Two per core by default: a handler waits on the database (a group
 * commit's fsync, a PostgreSQL round trip), and a worker that waits serves
 * none of its other connections meanwhile. Measured on 2 cores (bench): 4
 * threads against 2 gave G3 saves +38 %, G4 +56 %, G1/G2 +14–16 %.
 */
unsigned http_worker_threads(int64_t configured)
{
	long n;

	if (configured > 0)
		return (unsigned)configured;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return 2 * (n > 0 ? (unsigned)n : 1);
}

struct http_server *http_server_start(struct app *app, char *err, size_t errlen)
{
	struct http_server *s = calloc(1, sizeof(*s));
	struct sockaddr_in sa;
	unsigned threads = http_worker_threads(app->cfg.threads);
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (resolve(app->cfg.listen_host, &sa) < 0) {
		snprintf(err, errlen,
			 "listen: '%s' is not an IPv4 address or localhost",
			 app->cfg.listen_host);
		free(s);
		return NULL;
	}
	sa.sin_port = htons(app->cfg.listen_port);
	s->app = app;
	s->proxies = proxy_list_parse(app->cfg.trusted_proxies, err, errlen);
	if (!s->proxies) {
		free(s);
		return NULL;
	}
	if (app->cfg.auth_rate_limit > 0) {
		s->auth_limit = rate_limiter_new(app->cfg.auth_rate_limit,
						 app->cfg.auth_rate_burst,
						 LIMIT_ENTRIES);
		if (!s->auth_limit) {
			snprintf(err, errlen, "out of memory");
			proxy_list_free(s->proxies);
			free(s);
			return NULL;
		}
		if (app->cfg.auth_tarpit_ms > 0) {
			s->tarpit = tarpit_start((int)app->cfg.auth_tarpit_ms,
						 TARPIT_MAX);
			if (!s->tarpit) {
				snprintf(err, errlen, "out of resources");
				rate_limiter_free(s->auth_limit);
				proxy_list_free(s->proxies);
				free(s);
				return NULL;
			}
			flags |= MHD_ALLOW_SUSPEND_RESUME;
		}
	}
	s->lane = lane_start(LANE_THREADS, LANE_QUEUE, LANE_NICE);
	if (!s->lane) {
		snprintf(err, errlen, "out of resources");
		tarpit_free(s->tarpit);
		rate_limiter_free(s->auth_limit);
		proxy_list_free(s->proxies);
		free(s);
		return NULL;
	}
	flags |= MHD_ALLOW_SUSPEND_RESUME;
	/* Without it early answers may be lost to a reset; not fatal. */
	s->linger = linger_start(LINGER_SOCKETS, LINGER_MS);
	if (!s->linger)
		log_warn("http: no lingering close (out of resources)");
	/*
	 * The logger goes first: MHD reports through its default stderr
	 * logger whatever happens while it reads the options before it.
	 */
	s->d = MHD_start_daemon(
		flags, app->cfg.listen_port, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)app->cfg.max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)app->cfg.connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)app->cfg.connection_memory, MHD_OPTION_URI_LOG_CALLBACK,
		on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
		MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen,
			 "cannot listen on %s (address in use, or not allowed)",
			 app->cfg.listen);
		linger_stop(s->linger);
		lane_stop(s->lane);
		lane_free(s->lane);
		tarpit_free(s->tarpit);
		rate_limiter_free(s->auth_limit);
		proxy_list_free(s->proxies);
		free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : app->cfg.listen_port;
	return s;
}

uint16_t http_server_port(struct http_server *s)
{
	return s->port;
}

void http_server_stop(struct http_server *s, int grace_ms)
{
	int waited = 0;
	MHD_socket fd = MHD_quiesce_daemon(s->d);
	struct timespec settle = { 0, SETTLE_MS * 1000000L };

	/*
	 * A connection accepted just before the quiesce may hold a request
	 * no worker has read yet, so it is not counted in flight; stopping
	 * at once would run it and then drop its answer. The workers read
	 * such a request within a moment: give them that moment.
	 */
	nanosleep(&settle, NULL);
	waited = SETTLE_MS;
	/*
	 * Held refusals go out now: they count as in flight, and MHD must
	 * not be stopped with a connection suspended.
	 */
	tarpit_stop(s->tarpit);
	/* Requests already read finish and are answered before we stop. */
	while (metrics_in_flight(s->app->metrics, 0) > 0 && waited < grace_ms) {
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
		waited += 20;
	}
	/*
	 * Queued handlers run to their end and resume their connections:
	 * MHD must not be stopped with one suspended.
	 */
	lane_stop(s->lane);
	MHD_stop_daemon(s->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	linger_stop(s->linger);
	lane_free(s->lane);
	tarpit_free(s->tarpit);
	rate_limiter_free(s->auth_limit);
	proxy_list_free(s->proxies);
	free(s);
}
