/*
 * review.c: the decisions reviewers take on an application — 已通过, or
 * 已退回 with a reason; its stage (初赛, 决赛, 国赛推送); opening technical
 * verification and recording its result — one at a time or in batch.
 * Each decision is one transaction: the record (version + 1), its
 * history (which the applicant reads), the applicant's message, the SMS
 * notice queued, and the audit log.
 */
#include <stdio.h>
#include <string.h>
#include "api.h"
#include "console.h"
#include "errors.h"
#include "input.h"
#include "notices.h"
#include "roles.h"
#include "../app.h"
#include "../domain/lifecycle.h"
#include "../store/applications.h"
#include "../store/console.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

#define BATCH_MAX 200
#define REASON_MAX 1000
#define INSTRUCTIONS_MAX 2000
#define DUE_MAX_AHEAD (366 * 86400)

enum dec_kind {
	DEC_APPROVE,
	DEC_RETURN,
	DEC_STAGE,
	DEC_TECH_OPEN,
	DEC_TECH_RESULT
};

struct decision {
	enum dec_kind kind;
	const char *reason; /* approve: note; return: reason; tech: comment */
	const char *stage;
	const char *instructions;
	int64_t due_at;
	bool passed;
};

/* How one decision ended: done, or refused with an error. */
struct outcome {
	enum err_kind kind; /* E_NONE: done */
	const char *code;
	char message[300];
	char status[16], stage[16], tech[16];
	int64_t version;
};

static int refuse(struct outcome *o, enum err_kind kind, const char *code,
		  const char *msg)
{
	o->kind = kind;
	o->code = code;
	snprintf(o->message, sizeof(o->message), "%s", msg);
	return -1;
}

static const char *action_of(const struct decision *d)
{
	switch (d->kind) {
	case DEC_APPROVE:
		return "approve";
	case DEC_RETURN:
		return "return";
	case DEC_STAGE:
		return "stage";
	case DEC_TECH_OPEN:
		return "tech_open";
	case DEC_TECH_RESULT:
		break;
	}
	return "tech_result";
}

/* The record's state before and after, for the audit log. */
static json_t *state(const char *status, const char *stage, const char *tech,
		     int64_t version)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "status", status, "stage",
			 stage, "tech_status", tech, "version",
			 (json_int_t)version);
}

/* Checks the rules of the decision against the record; fills o on refusal. */
static int check(const struct app_row *a, const struct decision *d,
		 struct outcome *o)
{
	const char *code = NULL, *why = NULL;

	switch (d->kind) {
	case DEC_APPROVE:
	case DEC_RETURN:
		if (strcmp(a->status, "submitted")) {
			char msg[200];
			snprintf(msg, sizeof(msg),
				 "只有已提交的报名可以审核（当前状态：%s）",
				 lc_status_label(a->status));
			return refuse(o, E_CONFLICT, "not_submitted", msg);
		}
		return 0;
	case DEC_STAGE:
		why = lc_stage_refusal(a->status, a->stage, d->stage, &code);
		break;
	case DEC_TECH_OPEN:
		why = lc_tech_refusal(a->status, a->tech_status, LC_TECH_OPEN,
				      &code);
		if (!why && d->due_at <= clock_now()) {
			code = "bad_due";
			why = "截止时间应晚于现在";
		}
		break;
	case DEC_TECH_RESULT:
		why = lc_tech_refusal(a->status, a->tech_status,
				      d->passed ? LC_TECH_PASS : LC_TECH_FAIL,
				      &code);
		break;
	}
	if (why)
		return refuse(o,
			      !strcmp(code, "bad_due") ? E_INVALID : E_CONFLICT,
			      code, why);
	return 0;
}

/* Writes the decision; 1 done, 0 stale version, -1 database error. */
static int write_decision(struct req *r, const struct app_row *a,
			  const struct decision *d, struct outcome *o)
{
	int64_t now = clock_now();
	struct notice_facts f = { 0 };
	enum notice_event ev;
	json_t *detail;
	int rc;

	snprintf(o->status, sizeof(o->status), "%s", a->status);
	snprintf(o->stage, sizeof(o->stage), "%s", a->stage);
	snprintf(o->tech, sizeof(o->tech), "%s", a->tech_status);
	switch (d->kind) {
	case DEC_APPROVE:
	case DEC_RETURN:
		snprintf(o->status, sizeof(o->status), "%s",
			 d->kind == DEC_APPROVE ? "approved" : "returned");
		rc = store_app_set_status(
			r->db, a->id, a->version, o->status,
			d->kind == DEC_RETURN ? d->reason : NULL, false, now);
		if (rc == 1)
			rc = store_app_history_add(r->db, a->id, r->user_id,
						   action_of(d), a->status,
						   o->status, d->reason,
						   now) < 0
				     ? -1
				     : 1;
		ev = d->kind == DEC_APPROVE ? NOTICE_APPROVE : NOTICE_RETURN;
		f.reason = d->reason;
		break;
	case DEC_STAGE:
		snprintf(o->stage, sizeof(o->stage), "%s", d->stage);
		rc = store_app_set_stage(r->db, a->id, a->version, d->stage,
					 now);
		if (rc == 1)
			rc = store_app_history_add2(r->db, a->id, r->user_id,
						    "stage", a->status,
						    a->stage, d->stage, NULL,
						    now) < 0
				     ? -1
				     : 1;
		ev = NOTICE_STAGE;
		f.stage = d->stage;
		break;
	case DEC_TECH_OPEN:
		snprintf(o->tech, sizeof(o->tech), "%s",
			 lc_tech_target(LC_TECH_OPEN));
		rc = store_app_set_tech(r->db, a->id, a->version, o->tech,
					TECH_WRITE_OPEN, d->instructions,
					d->due_at, now);
		if (rc == 1)
			rc = store_app_history_add2(r->db, a->id, r->user_id,
						    "tech_open", a->status,
						    a->tech_status, o->tech,
						    NULL, now) < 0
				     ? -1
				     : 1;
		ev = NOTICE_TECH_OPEN;
		f.instructions = d->instructions;
		f.due_at = d->due_at;
		break;
	default:
		snprintf(o->tech, sizeof(o->tech), "%s",
			 lc_tech_target(d->passed ? LC_TECH_PASS
						  : LC_TECH_FAIL));
		rc = store_app_set_tech(r->db, a->id, a->version, o->tech,
					TECH_WRITE_RESULT, d->reason, 0, now);
		if (rc == 1)
			rc = store_app_history_add2(r->db, a->id, r->user_id,
						    "tech_result", a->status,
						    a->tech_status, o->tech,
						    d->reason, now) < 0
				     ? -1
				     : 1;
		ev = NOTICE_TECH_RESULT;
		f.reason = d->reason;
		f.passed = d->passed;
		break;
	}
	if (rc != 1)
		return rc;
	o->version = a->version + 1;
	detail = json_pack(
		"{s:o, s:o}", "before",
		state(a->status, a->stage, a->tech_status, a->version), "after",
		state(o->status, o->stage, o->tech, o->version));
	if (detail && d->reason)
		json_object_set_new(detail, "reason", json_string(d->reason));
	if (detail && d->kind == DEC_TECH_OPEN) {
		json_object_set_new(detail, "due_at", json_integer(d->due_at));
		json_object_set_new(detail, "instructions",
				    json_string(d->instructions));
	}
	if (api_notice_record(r, a, ev, &f) < 0 ||
	    console_audit(r, action_of(d), "application", a->id,
			  a->competition_id, detail) < 0)
		return -1;
	return 1;
}

/*
 * Takes one decision on application id. With competition_id > 0 (a
 * batch, whose sub-contest was checked once) the record must belong to
 * it; otherwise the caller must be a reviewer of its sub-contest. A
 * refusal is described in o and returns -1 without touching r's error,
 * except a database failure, which is both in o and recorded on r.
 */
static int apply(struct req *r, int64_t id, int64_t competition_id,
		 const struct decision *d, struct outcome *o)
{
	struct app_row a;
	int rc;

	memset(o, 0, sizeof(*o));
	rc = store_app_get(r->db, id, 0, &a);
	if (rc < 0)
		goto dbfail;
	if (rc == 1 && competition_id && a.competition_id != competition_id) {
		app_row_release(&a);
		rc = 0;
	}
	if (rc == 1 && !competition_id) {
		enum staff_level level;
		if (api_staff_level(r, a.competition_id, &level, NULL) < 0) {
			app_row_release(&a);
			return refuse(o, E_INTERNAL, "database",
				      "database error");
		}
		if (level < STAFF_REVIEWER) {
			app_row_release(&a);
			rc = 0;
		}
	}
	if (rc == 0)
		return refuse(o, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (check(&a, d, o) < 0) {
		app_row_release(&a);
		return -1;
	}
	if (db_begin_write(r->db) < 0) {
		app_row_release(&a);
		goto dbfail;
	}
	rc = write_decision(r, &a, d, o);
	if (rc == 1 && db_commit(r->db) < 0)
		rc = -1;
	if (rc != 1) {
		db_rollback(r->db);
		app_row_release(&a);
		if (rc == 0)
			return refuse(o, E_CONFLICT, "stale_version",
				      "报名刚被修改，请刷新后再操作");
		goto dbfail;
	}
	log_info("application %lld: %s by user %lld", (long long)a.id,
		 action_of(d), (long long)r->user_id);
	app_row_release(&a);
	return 0;
dbfail:
	log_error("request %s: decision on %lld: %s", r->id, (long long)id,
		  db_errmsg(r->db));
	return refuse(o, E_INTERNAL, "database", "database error");
}

/* One decision named by the {id} path parameter, answered on its own. */
static int single(struct req *r, const struct decision *d, bool full)
{
	struct str sid = req_param(r, "id");
	struct outcome o;
	int64_t id = 0;

	if (str_to_i64(sid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (!req_db(r))
		return -1;
	if (apply(r, id, 0, d, &o) < 0) {
		if (r->err.kind)
			return -1;
		if (o.kind == E_INTERNAL)
			return api_db_failed(r, r->db);
		return req_fail(r, o.kind, o.code, "%s", o.message);
	}
	api_notices_kick(r);
	/* approve and return keep their first, smaller answer. */
	if (!full)
		return api_send(r, 200,
				json_pack("{s:I, s:s}", "id", (json_int_t)id,
					  "status", o.status));
	return api_send(
		r, 200,
		json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
			  (json_int_t)id, "status", o.status, "status_label",
			  lc_status_label(o.status), "stage", o.stage,
			  "stage_label", lc_stage_label(o.stage), "tech_status",
			  o.tech, "tech_status_label", lc_tech_label(o.tech),
			  "version", (json_int_t)o.version));
}

int api_review_approve(struct req *r)
{
	static const char *const keys[] = { "reason", NULL };
	struct decision d = { .kind = DEC_APPROVE };

	d.reason = in_str(r, "reason", "审核意见", false, REASON_MAX);
	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	return single(r, &d, false);
}

int api_review_return(struct req *r)
{
	static const char *const keys[] = { "reason", NULL };
	struct decision d = { .kind = DEC_RETURN };

	d.reason = in_str(r, "reason", "退回原因", true, REASON_MAX);
	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	return single(r, &d, false);
}

/* Reads a stage code; records a field error for anything else. */
static const char *read_stage(struct req *r)
{
	const char *s = in_str(r, "stage", "项目阶段", true, 16);
	if (s && (!lc_stage_known(s) || !strcmp(s, "unreviewed"))) {
		req_field_error(
			r, "stage", "invalid",
			"项目阶段应为 preliminary（初赛）、final（决赛）"
			"或 national（国赛推送）");
		return NULL;
	}
	return s;
}

int api_review_stage(struct req *r)
{
	static const char *const keys[] = { "stage", NULL };
	struct decision d = { .kind = DEC_STAGE };

	d.stage = read_stage(r);
	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	return single(r, &d, true);
}

/*
 * due_at: Unix seconds, or "2026-08-01T18:00:00+08:00", or a day
 * "2026-08-01" meaning the end of that day in China (23:59:59).
 */
static int64_t read_due(struct req *r)
{
	json_t *v = json_object_get(r->json, "due_at");
	const char *s = json_string_value(v);
	int64_t t = 0;

	if (!v || json_is_null(v)) {
		req_field_error(r, "due_at", "required", "请选择截止时间");
		return 0;
	}
	if (json_is_integer(v)) {
		t = json_integer_value(v);
	} else if (s && strlen(s) == 10) {
		char iso[32];
		snprintf(iso, sizeof(iso), "%sT23:59:59+08:00", s);
		if (time_parse_iso(iso, &t) < 0)
			t = 0;
	} else if (!s || time_parse_iso(s, &t) < 0) {
		t = 0;
	}
	if (t <= 0) {
		req_field_error(r, "due_at", "format",
				"截止时间格式应为 2026-08-01 或 "
				"2026-08-01T18:00:00+08:00");
		return 0;
	}
	if (t <= clock_now()) {
		req_field_error(r, "due_at", "past", "截止时间应晚于现在");
		return 0;
	}
	if (t > clock_now() + DUE_MAX_AHEAD) {
		req_field_error(r, "due_at", "too_far",
				"截止时间不能晚于一年以后");
		return 0;
	}
	return t;
}

int api_review_tech_open(struct req *r)
{
	static const char *const keys[] = { "instructions", "due_at", NULL };
	struct decision d = { .kind = DEC_TECH_OPEN };

	d.instructions = in_str(r, "instructions", "技术验证要求", true,
				INSTRUCTIONS_MAX);
	d.due_at = read_due(r);
	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	return single(r, &d, true);
}

int api_review_tech_result(struct req *r)
{
	static const char *const keys[] = { "result", "comment", NULL };
	struct decision d = { .kind = DEC_TECH_RESULT };
	const char *result = in_str(r, "result", "验证结果", true, 16);

	if (result && strcmp(result, "passed") && strcmp(result, "failed")) {
		req_field_error(
			r, "result", "invalid",
			"验证结果应为 passed（已通过）或 failed（未通过）");
		result = NULL;
	}
	d.passed = result && !strcmp(result, "passed");
	/* 未通过 must say why: the applicant reads it. */
	d.reason = in_str(r, "comment", "验证意见",
			  result && !strcmp(result, "failed"), REASON_MAX);
	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	return single(r, &d, true);
}

/* Reads "ids": 1 to BATCH_MAX distinct positive integers. */
static size_t read_ids(struct req *r, int64_t *ids)
{
	json_t *arr = json_object_get(r->json, "ids"), *v;
	size_t i, n = 0;

	if (!arr || json_is_null(arr)) {
		req_field_error(r, "ids", "required", "请选择要处理的报名");
		return 0;
	}
	if (!json_is_array(arr)) {
		req_field_error(r, "ids", "type", "ids 应为报名编号的数组");
		return 0;
	}
	if (json_array_size(arr) == 0) {
		req_field_error(r, "ids", "required", "请选择要处理的报名");
		return 0;
	}
	if (json_array_size(arr) > BATCH_MAX) {
		req_field_error(r, "ids", "too_many",
				"一次最多处理 200 条报名");
		return 0;
	}
	json_array_foreach (arr, i, v) {
		int64_t id = json_integer_value(v);
		if (!json_is_integer(v) || id < 1) {
			req_field_error(r, "ids", "type", "报名编号应为正整数");
			return 0;
		}
		for (size_t k = 0; k < n; k++)
			if (ids[k] == id) {
				req_field_error(r, "ids", "duplicate",
						"报名编号重复");
				return 0;
			}
		ids[n++] = id;
	}
	return n;
}

int api_review_batch(struct req *r)
{
	static const char *const keys[] = { "action", "ids", "reason", "stage",
					    NULL };
	int64_t ids[BATCH_MAX], comp = 0, done = 0;
	struct decision d = { .kind = DEC_APPROVE };
	const char *action = in_str(r, "action", "批量操作", true, 16);
	json_t *results;
	size_t n;

	n = read_ids(r, ids);
	if (action && !strcmp(action, "approve")) {
		d.kind = DEC_APPROVE;
		d.reason = in_str(r, "reason", "审核意见", false, REASON_MAX);
	} else if (action && !strcmp(action, "return")) {
		d.kind = DEC_RETURN;
		d.reason = in_str(r, "reason", "退回原因", true, REASON_MAX);
	} else if (action && !strcmp(action, "stage")) {
		d.kind = DEC_STAGE;
		d.stage = read_stage(r);
	} else if (action) {
		req_field_error(
			r, "action", "invalid",
			"批量操作应为 approve（通过）、return（退回）或 "
			"stage（调整阶段）");
	}
	if (action && strcmp(action, "stage") &&
	    json_object_get(r->json, "stage"))
		req_field_error(r, "stage", "not_allowed",
				"只有调整阶段时需要 stage");
	if (action && !strcmp(action, "stage") &&
	    json_object_get(r->json, "reason"))
		req_field_error(r, "reason", "not_allowed",
				"调整阶段不需要填写原因");
	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_REVIEWER, true) < 0)
		return -1;
	results = json_array();
	if (!results)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	/* Each its own transaction: one refusal never undoes the others. */
	for (size_t i = 0; i < n; i++) {
		struct outcome o;
		json_t *item;

		if (apply(r, ids[i], comp, &d, &o) == 0) {
			done++;
			item = json_pack("{s:I, s:b, s:s, s:s, s:s, s:I}", "id",
					 (json_int_t)ids[i], "ok", 1, "status",
					 o.status, "stage", o.stage,
					 "tech_status", o.tech, "version",
					 (json_int_t)o.version);
		} else {
			/* A database failure is the request's, not one item's. */
			if (o.kind == E_INTERNAL) {
				json_decref(results);
				if (done)
					api_notices_kick(r);
				return api_db_failed(r, r->db);
			}
			item = json_pack("{s:I, s:b, s:{s:s, s:s}}", "id",
					 (json_int_t)ids[i], "ok", 0, "error",
					 "code", o.code, "message", o.message);
		}
		json_array_append_new(results, item);
	}
	if (done)
		api_notices_kick(r);
	return api_send(r, 200,
			json_pack("{s:s, s:I, s:I, s:o}", "action", action,
				  "succeeded", (json_int_t)done, "failed",
				  (json_int_t)(n - (size_t)done), "results",
				  results));
}
