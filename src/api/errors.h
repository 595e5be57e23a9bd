/* errors.h: error kinds to HTTP statuses and the one error body shape */
#ifndef API_ERRORS_H
#define API_ERRORS_H

#include "../http/request.h"

/* Returns the HTTP status for an error kind. */
int api_error_status(enum err_kind kind);

/*
 * Fills r->resp with
 * {"error":{"code","message","fields":[…],"request_id"}} for r->err; a
 * missing message gets the kind's default. Internal errors never carry
 * their detail to the client: that goes to the log with the request id.
 */
void api_render_error(struct req *r);

/* Fails the request as a database error (500; the detail goes to the log). */
struct db;
int api_db_failed(struct req *r, struct db *db);

/*
 * Sends body as JSON with status and drops the caller's reference; a NULL
 * body (an allocation that failed) becomes a 503. Returns 0 or -1.
 */
int api_send(struct req *r, int status, json_t *body);

/*
 * Sends 200 with one page of a list, {"items", "total", "page",
 * "per_page"}, taking the reference to items (NULL: 503). Returns 0 or
 * -1.
 */
int api_send_page(struct req *r, json_t *items, int64_t total, int64_t page,
		  int64_t per_page);

#endif
