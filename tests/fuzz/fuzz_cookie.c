/*
 * fuzz_cookie: Cookie and X-CSRF-Token headers as the server reads them.
 * A real libmicrohttpd daemon (the version the server links) parses a
 * request carrying the fuzzed headers over a socketpair, and the access
 * handler runs what the server runs on them: every cookie read back, then
 * session_csrf_token() and session_csrf_ok() (src/http/session.c) with the
 * anonymous CSRF cookie, under both cookie names (plain and __Host-).
 *
 * Input: one flag byte (bit 0: Secure cookie names), then the Cookie
 * header values separated by '\n' (several Cookie headers), then an
 * optional NUL and the X-CSRF-Token value. CR becomes a space so the
 * input stays inside the headers it is meant for.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include <sodium.h>
#include "fuzz.h"
#include "app.h"
#include "crypto/crypto.h"
#include "http/request.h"
#include "http/session.h"

static struct MHD_Daemon *daemon_;
static struct app app_;
static const char *want_csrf; /* the header as sent, or NULL */

static enum MHD_Result each_cookie(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	size_t *n = cls;
	(void)kind;
	FUZZ_CHECK(key != NULL);
	/* Read the whole value: ASan checks it is a real C string. */
	if (value)
		(void)strlen(value);
	(*n)++;
	return MHD_YES;
}

static bool token_chars(const char *t)
{
	for (; *t; t++)
		if (!((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') ||
		      (*t >= '0' && *t <= '9') || *t == '-' || *t == '_'))
			return false;
	return true;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct req r;
	struct MHD_Response *resp;
	char token[72];
	size_t n = 0;
	const char *anon, *given;
	enum MHD_Result ret;

	(void)cls, (void)url, (void)method, (void)version, (void)upload,
		(void)upload_size, (void)con_cls;
	memset(&r, 0, sizeof(r));
	arena_init(&r.arena, 1u << 20);
	r.app = &app_;
	r.conn = c;
	MHD_get_connection_values(c, MHD_COOKIE_KIND, each_cookie, &n);
	anon = req_cookie(&r, app_.cfg.cookie_secure ? "__Host-saiwu_csrf"
						     : "saiwu_csrf");
	given = req_header(&r, "X-CSRF-Token");
	FUZZ_CHECK(!want_csrf == !given);

	session_csrf_token(&r, token);
	FUZZ_CHECK(strlen(token) == CR_TOKEN_CHARS - 1 && token_chars(token));
	/* A fresh token is set as a cookie; a good one is kept as it is. */
	if (r.resp.nheaders == 0)
		FUZZ_CHECK(anon && !strcmp(anon, token));
	else
		FUZZ_CHECK(r.resp.nheaders == 1 &&
			   !strcmp(r.resp.headers[0].name, "Set-Cookie"));

	if (session_csrf_ok(&r))
		FUZZ_CHECK(anon && given && !strcmp(anon, given) &&
			   !strcmp(anon, token));
	arena_release(&r.arena);

	resp = MHD_create_response_from_buffer(0, (void *)(uintptr_t) "",
					       MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, resp);
	MHD_destroy_response(resp);
	return ret;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (sodium_init() < 0)
		abort();
	daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
				   handler, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
				   (unsigned)5, MHD_OPTION_END);
	if (!daemon_)
		abort();
	return 0;
}

static void append(char **p, const char *end, const char *s, size_t n)
{
	if ((size_t)(end - *p) < n)
		n = (size_t)(end - *p);
	memcpy(*p, s, n);
	*p += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char req[16384];
	char *p = req, *end = req + sizeof(req) - 8;
	const uint8_t *cookie, *csrf = NULL;
	size_t cookie_len, csrf_len = 0;
	struct sockaddr_in sa;
	char reply[1024];
	int sv[2];

	if (size < 1 || size > 8192)
		return 0;
	app_.cfg.cookie_secure = data[0] & 1;
	cookie = data + 1;
	cookie_len = size - 1;
	{
		const uint8_t *nul = memchr(cookie, 0, cookie_len);
		if (nul) {
			csrf = nul + 1;
			csrf_len = cookie_len - (size_t)(csrf - cookie);
			cookie_len = (size_t)(nul - cookie);
			/* Nothing after the header's value. */
			if (memchr(csrf, 0, csrf_len))
				csrf_len =
					strnlen((const char *)csrf, csrf_len);
		}
	}

	append(&p, end, "GET / HTTP/1.1\r\nHost: x\r\n", 25);
	for (size_t i = 0, start = 0; i <= cookie_len; i++) {
		if (i < cookie_len && cookie[i] != '\n')
			continue;
		append(&p, end, "Cookie: ", 8);
		for (size_t k = start; k < i; k++) {
			char ch = cookie[k] == '\r' ? ' ' : (char)cookie[k];
			append(&p, end, &ch, 1);
		}
		append(&p, end, "\r\n", 2);
		start = i + 1;
	}
	want_csrf = NULL;
	if (csrf) {
		char *v;
		append(&p, end, "X-CSRF-Token: ", 14);
		v = p;
		for (size_t k = 0; k < csrf_len; k++) {
			char ch = csrf[k] == '\r' || csrf[k] == '\n'
					  ? ' '
					  : (char)csrf[k];
			append(&p, end, &ch, 1);
		}
		append(&p, end, "\r\n", 2);
		want_csrf = v;
	}
	append(&p, end, "Connection: close\r\n\r\n", 21);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(daemon_, sv[0], (struct sockaddr *)&sa,
			       sizeof(sa)) != MHD_YES)
		abort();
	if (write(sv[1], req, (size_t)(p - req)) != p - req)
		abort();
	/* Until MHD has answered and closed its end. */
	for (int i = 0; i < 1000; i++) {
		ssize_t got;
		MHD_run(daemon_);
		got = read(sv[1], reply, sizeof(reply));
		if (got == 0)
			break;
	}
	close(sv[1]);
	for (int i = 0; i < 100; i++) {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(
			daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections == 0)
			break;
		MHD_run(daemon_);
	}
	return 0;
}
