/* session.h: the session cookie and the CSRF token */
#ifndef HTTP_SESSION_H
#define HTTP_SESSION_H

#include <stdbool.h>
#include "request.h"

#define SESSION_IDLE_SECONDS (12 * 3600)
#define SESSION_REMEMBER_SECONDS (30 * 86400)
/* A browser session without 记住我 still ends within a week. */
#define SESSION_MAX_SECONDS (7 * 86400)

/*
 * Reads the session cookie and, when it names a live session, sets
 * r->user_id, r->session_id and r->session_token. A session idle past 12
 * hours (without 记住我) is revoked. Returns 0, or -1 on a database error.
 */
int session_load(struct req *r);

/*
 * Checks X-CSRF-Token: for a signed-in request it must equal the token
 * derived from the session; otherwise the anonymous CSRF cookie's value
 * (double submit). Returns true when it matches.
 */
bool session_csrf_ok(struct req *r);

/*
 * Writes the CSRF token for this request into out (a session's derived
 * token, or the anonymous cookie's value, created and set as a cookie
 * when missing).
 */
void session_csrf_token(struct req *r, char out[72]);

/*
 * Creates a session for user_id, sets the cookie (persistent for 30 days
 * when remember, else a browser-session cookie) and fills r->session_*.
 * The request's previous session, if any, is revoked.
 * Runs inside the caller's transaction. Returns 0 or -1.
 */
int session_start(struct req *r, int64_t user_id, bool remember);

/* Revokes the current session and clears the cookie. Returns 0 or -1. */
int session_end(struct req *r);

#endif
