/*
 * review.c: the formal review decisions a reviewer takes on a submitted
 * application — 已通过 or 已退回 with a reason. (The organisers' console
 * builds on these.)
 */
#include <stdio.h>
#include <string.h>
#include "api.h"
#include "input.h"
#include "roles.h"
#include "../app.h"
#include "../store/applications.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

static int decide(struct req *r, const char *to, bool need_reason)
{
	static const char *const keys[] = { "reason", NULL };
	struct str sid = req_param(r, "id");
	const char *reason = in_str(r, "reason", "退回原因", need_reason, 1000);
	struct app_row a;
	int64_t id = 0;
	int rc;

	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	if (str_to_i64(sid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (!req_db(r))
		return -1;
	rc = store_app_get(r->db, id, 0, &a);
	if (rc < 0)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (api_require_reviewer(r, a.competition_id) < 0) {
		app_row_release(&a);
		return -1;
	}
	if (strcmp(a.status, "submitted")) {
		app_row_release(&a);
		return req_fail(r, E_CONFLICT, "not_submitted",
				"只有已提交的报名可以审核（当前状态：%s）",
				a.status);
	}
	if (db_begin_write(r->db) < 0)
		goto dbfail;
	rc = store_app_set_status(r->db, a.id, a.version, to,
				  need_reason ? reason : NULL, false,
				  clock_now());
	if (rc == 0) {
		db_rollback(r->db);
		app_row_release(&a);
		return req_fail(r, E_CONFLICT, "stale_version",
				"报名刚被修改，请刷新后再审核");
	}
	if (rc < 0 ||
	    store_app_history_add(r->db, a.id, r->user_id,
				  need_reason ? "return" : "approve", a.status,
				  to, reason, clock_now()) < 0 ||
	    store_audit_add(r->db, r->user_id,
			    need_reason ? "return" : "approve", "application",
			    a.id, req_client_ip(r), NULL, clock_now()) < 0 ||
	    db_commit(r->db) < 0)
		goto dbfail;
	log_info("application %lld %s by user %lld", (long long)a.id, to,
		 (long long)r->user_id);
	app_row_release(&a);
	{
		json_t *b = json_pack("{s:I, s:s}", "id", (json_int_t)id,
				      "status", to);
		rc = resp_json(r, 200, b);
		json_decref(b);
	}
	return rc;
dbfail:
	app_row_release(&a);
	return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(r->db));
}

int api_review_approve(struct req *r)
{
	return decide(r, "approved", false);
}

int api_review_return(struct req *r)
{
	return decide(r, "returned", true);
}
