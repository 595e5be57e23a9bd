/*
 * messages.c: 站内消息 — the signed-in user's messages (each review
 * decision writes one), the unread count for the site's header, and
 * marking them read. A user only ever sees their own.
 */
#include <string.h>
#include "api.h"
#include "errors.h"
#include "input.h"
#include "../store/messages.h"
#include "../util/clock.h"
#include "../util/banned.h"

int api_messages_list(struct req *r)
{
	bool b1 = false, b2 = false;
	const char *page = req_query(r, "page", &b1);
	const char *per = req_query(r, "per_page", &b2);
	int64_t pg = 1, pp = 20, total = 0, unread = 0;
	json_t *items;

	if (b1 || b2 || (page && str_to_i64z(page, 1, 100000, &pg) < 0) ||
	    (per && str_to_i64z(per, 1, 100, &pp) < 0))
		return req_fail(r, E_BAD_REQUEST, "bad_page",
				"page 应为正整数，per_page 为 1 到 100");
	if (!req_db(r))
		return -1;
	items = store_message_list(r->db, r->user_id, pp, (pg - 1) * pp,
				   &total);
	if (!items || store_message_unread(r->db, r->user_id, &unread) < 0) {
		json_decref(items);
		return api_db_failed(r, r->db);
	}
	return api_send(r, 200,
			json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items,
				  "total", (json_int_t)total, "unread",
				  (json_int_t)unread, "page", (json_int_t)pg,
				  "per_page", (json_int_t)pp));
}

int api_messages_unread(struct req *r)
{
	int64_t n = 0;

	if (!req_db(r))
		return -1;
	if (store_message_unread(r->db, r->user_id, &n) < 0)
		return api_db_failed(r, r->db);
	return api_send(r, 200, json_pack("{s:I}", "unread", (json_int_t)n));
}

/* The read routes take no input; a JSON body, if any, must be {}. */
static int no_input(struct req *r)
{
	static const char *const none[] = { NULL };

	if (r->json)
		in_only(r, none);
	return input_has_errors(r) ? input_failed(r) : 0;
}

int api_message_read(struct req *r)
{
	int64_t id = 0, n = 0;
	int rc;

	if (no_input(r) < 0)
		return -1;
	/* Someone else's message is as absent as a missing one. */
	if (str_to_i64(req_param(r, "id"), 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "消息不存在");
	if (!req_db(r))
		return -1;
	rc = store_message_read(r->db, r->user_id, id, clock_now());
	if (rc < 0 ||
	    (rc == 1 && store_message_unread(r->db, r->user_id, &n) < 0))
		return api_db_failed(r, r->db);
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "消息不存在");
	return api_send(r, 200,
			json_pack("{s:I, s:b, s:I}", "id", (json_int_t)id,
				  "read", 1, "unread", (json_int_t)n));
}

int api_messages_read_all(struct req *r)
{
	int64_t n = 0;

	if (no_input(r) < 0)
		return -1;
	if (!req_db(r))
		return -1;
	if (store_message_read_all(r->db, r->user_id, clock_now(), &n) < 0)
		return api_db_failed(r, r->db);
	return api_send(r, 200,
			json_pack("{s:I, s:I}", "marked", (json_int_t)n,
				  "unread", 0));
}
