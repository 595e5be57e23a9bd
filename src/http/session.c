/* session.c: tokens live in cookies; only their keyed hashes in the database */
#include <stdio.h>
#include <string.h>
#include "session.h"
#include "../app.h"
#include "../crypto/crypto.h"
#include "../store/auth.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

/* Touching a session on every request would make every read a write. */
#define TOUCH_EVERY 60

static const char *cookie_name(struct req *r, bool csrf)
{
	/* __Host- needs Secure, which needs TLS in front of us. */
	if (r->app->cfg.cookie_secure)
		return csrf ? "__Host-saiwu_csrf" : "__Host-saiwu_session";
	return csrf ? "saiwu_csrf" : "saiwu_session";
}

static void set_cookie(struct req *r, const char *name, const char *value,
		       long max_age)
{
	char *v;

	if (max_age > 0)
		v = arena_printf(&r->arena,
				 "%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
				 "SameSite=Lax%s",
				 name, value, max_age,
				 r->app->cfg.cookie_secure ? "; Secure" : "");
	else if (max_age < 0)
		v = arena_printf(&r->arena,
				 "%s=; Path=/; Max-Age=0; HttpOnly; "
				 "SameSite=Lax%s",
				 name,
				 r->app->cfg.cookie_secure ? "; Secure" : "");
	else
		v = arena_printf(&r->arena,
				 "%s=%s; Path=/; HttpOnly; "
				 "SameSite=Lax%s",
				 name, value,
				 r->app->cfg.cookie_secure ? "; Secure" : "");
	if (v)
		resp_header(r, "Set-Cookie", v);
}

static bool token_shape_ok(const char *t)
{
	size_t n = strlen(t);
	if (n != CR_TOKEN_CHARS - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

int session_load(struct req *r)
{
	const char *token = req_cookie(r, cookie_name(r, false));
	char hash[CR_HASH_HEX];
	struct session_row s;
	struct db *db;
	int64_t now = clock_now();
	int rc;

	if (!token || !token_shape_ok(token))
		return 0;
	db = req_db(r);
	if (!db)
		return -1;
	cr_keyed_hash("session", token, strlen(token), hash);
	rc = store_session_lookup(db, hash, now, &s);
	if (rc < 0)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	if (rc == 0) {
		/* A dead cookie is cleared so the browser stops sending it. */
		set_cookie(r, cookie_name(r, false), "", -1);
		return 0;
	}
	if (!s.remember && now - s.last_seen_at > SESSION_IDLE_SECONDS) {
		store_session_revoke(db, s.id, now);
		set_cookie(r, cookie_name(r, false), "", -1);
		return 0;
	}
	if (now - s.last_seen_at >= TOUCH_EVERY)
		store_session_touch(db, s.id, now);
	r->user_id = s.user_id;
	r->session_id = s.id;
	r->session_token = arena_strdup(&r->arena, token);
	return 0;
}

void session_csrf_token(struct req *r, char out[72])
{
	const char *anon;

	if (r->session_token) {
		cr_keyed_hash("csrf", r->session_token,
			      strlen(r->session_token), out);
		return;
	}
	anon = req_cookie(r, cookie_name(r, true));
	if (anon && token_shape_ok(anon)) {
		snprintf(out, 72, "%s", anon);
		return;
	}
	cr_random_token(out);
	set_cookie(r, cookie_name(r, true), out, 0);
}

bool session_csrf_ok(struct req *r)
{
	const char *given = req_header(r, "X-CSRF-Token");
	char want[CR_HASH_HEX];
	const char *anon;

	if (!given || !*given)
		return false;
	if (r->session_token) {
		cr_keyed_hash("csrf", r->session_token,
			      strlen(r->session_token), want);
		return cr_equal(given, want);
	}
	/*
	 * Signed out: the header must repeat the CSRF cookie, which another
	 * site can neither read nor set (SameSite, HttpOnly).
	 */
	anon = req_cookie(r, cookie_name(r, true));
	return anon && token_shape_ok(anon) && cr_equal(given, anon);
}

int session_start(struct req *r, int64_t user_id, bool remember)
{
	char token[CR_TOKEN_CHARS], hash[CR_HASH_HEX];
	int64_t now = clock_now(), id = 0;
	struct db *db = req_db(r);
	const char *ua = req_header(r, "User-Agent");
	char ua_short[200];

	if (!db)
		return -1;
	/* A new sign-in replaces the session the browser had (no fixation). */
	if (r->session_id && store_session_revoke(db, r->session_id, now) < 0)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	cr_random_token(token);
	cr_keyed_hash("session", token, strlen(token), hash);
	snprintf(ua_short, sizeof(ua_short), "%s", ua ? ua : "");
	if (store_session_create(db, hash, user_id, remember, now,
				 now + (remember ? SESSION_REMEMBER_SECONDS
						 : SESSION_MAX_SECONDS),
				 req_client_ip(r), ua_short, &id) < 0)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	set_cookie(r, cookie_name(r, false), token,
		   remember ? SESSION_REMEMBER_SECONDS : 0);
	r->user_id = user_id;
	r->session_id = id;
	r->session_token = arena_strdup(&r->arena, token);
	return 0;
}

int session_end(struct req *r)
{
	int64_t id = r->session_id;
	struct db *db;

	set_cookie(r, cookie_name(r, false), "", -1);
	/*
	 * Forgotten before anything else: a caller that revoked the session
	 * itself (logout-all, reset) passes session_id 0, and the response
	 * must still describe a signed-out browser with an anonymous token.
	 */
	r->user_id = 0;
	r->session_id = 0;
	r->session_token = NULL;
	if (!id)
		return 0;
	db = req_db(r);
	if (!db)
		return -1;
	if (store_session_revoke(db, id, clock_now()) < 0)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	return 0;
}
