/*
 * admin_console.c: what admins change in the console — the SMS templates
 * of the decision notices (platform admins), the audit log viewer, the
 * staff (reviewers, judges) of a sub-contest, and its schedule. Every
 * change is written to the audit log with what it was before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "console.h"
#include "errors.h"
#include "input.h"
#include "roles.h"
#include "../app.h"
#include "../crypto/crypto.h"
#include "../domain/account.h"
#include "../domain/notice.h"
#include "../notify/sms.h"
#include "../store/audit.h"
#include "../store/console.h"
#include "../store/messages.h"
#include "../store/users.h"
#include "../util/clock.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

/* Platform admins only: 403 for anyone else. */
static int require_platform(struct req *r)
{
	enum staff_level level;
	bool platform = false;

	if (api_staff_level(r, 0, &level, &platform) < 0)
		return -1;
	if (!platform)
		return req_fail(r, E_FORBIDDEN, "forbidden",
				"需要平台管理员权限");
	return 0;
}

/* ---- SMS templates ------------------------------------------------ */

static json_t *templates_json(struct req *r)
{
	json_t *arr = json_array(), *o, *vars;
	char *text;
	int64_t at = 0, by = 0;

	if (!arr)
		return NULL;
	for (unsigned e = 0; e < NOTICE_COUNT; e++) {
		if (store_sms_template_get(r->db, notice_event_name(e), &text,
					   &at, &by) < 0) {
			json_decref(arr);
			return NULL;
		}
		vars = json_array();
		for (const char *const *v = notice_placeholders(e); *v; v++)
			json_array_append_new(
				vars, json_string(arena_printf(&r->arena,
							       "{%s}", *v)));
		o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}",
			      "event", notice_event_name(e), "label",
			      notice_event_label(e), "text",
			      text ? text : notice_default_sms(e),
			      "default_text", notice_default_sms(e), "custom",
			      text != NULL, "placeholders", vars, "updated_at",
			      at ? json_integer(at) : json_null(), "updated_by",
			      by ? json_integer(by) : json_null());
		free(text);
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int templates_answer(struct req *r)
{
	json_t *items = templates_json(r);
	json_t *queue = items ? store_sms_notice_counts(r->db) : NULL;

	if (!items || !queue) {
		json_decref(items);
		return api_db_failed(r, r->db);
	}
	return api_send(r, 200,
			json_pack("{s:o, s:i, s:s, s:o}", "templates", items,
				  "max_chars", NOTICE_SMS_MAX_CHARS, "provider",
				  sms_provider_name(r->app->sms), "queue",
				  queue));
}

int api_sms_templates_get(struct req *r)
{
	if (require_platform(r) < 0)
		return -1;
	return templates_answer(r);
}

int api_sms_templates_put(struct req *r)
{
	json_t *t = json_object_get(r->json, "templates"), *v;
	const char *key;
	char why[300];

	if (json_object_size(r->json) != 1 || !json_is_object(t)) {
		const char *k;
		json_object_foreach (r->json, k, v)
			if (strcmp(k, "templates"))
				req_field_error(r, k, "unknown_field",
						"不认识的字段");
		if (!json_is_object(t))
			req_field_error(
				r, "templates", t ? "type" : "required",
				"templates 应为 {事件: 模板文字} 的对象");
		return input_failed(r);
	}
	json_object_foreach (t, key, v) {
		enum notice_event e;
		char field[64];
		snprintf(field, sizeof(field), "templates.%.40s", key);
		if (notice_event_parse(key, &e) < 0) {
			req_field_error(r, field, "unknown_field",
					"未知的通知类型，应为 approve、return、"
					"stage、tech_open 或 tech_result");
			continue;
		}
		/* null puts the built-in text back. */
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			req_field_error(r, field, "type", "模板应为文本");
			continue;
		}
		if (notice_template_check(e, json_string_value(v), why,
					  sizeof(why)))
			req_field_error(r, field, "invalid", why);
	}
	if (input_has_errors(r))
		return input_failed(r);
	if (require_platform(r) < 0)
		return -1;
	if (db_begin_write(r->db) < 0)
		return api_db_failed(r, r->db);
	json_object_foreach (t, key, v) {
		char *before = NULL;
		if (store_sms_template_get(r->db, key, &before, NULL, NULL) <
			    0 ||
		    store_sms_template_set(r->db, key, json_string_value(v),
					   r->user_id, clock_now()) < 0 ||
		    console_audit(r, "sms_template_set", "sms_template", 0, 0,
				  json_pack("{s:s, s:s?, s:s?}", "event", key,
					    "before", before, "after",
					    json_string_value(v))) < 0) {
			free(before);
			return api_db_failed(r, r->db);
		}
		free(before);
	}
	if (db_commit(r->db) < 0)
		return api_db_failed(r, r->db);
	return templates_answer(r);
}

/* ---- audit log ---------------------------------------------------- */

/* A date "2026-07-01" (China) or Unix seconds; -1 when malformed. */
static int64_t when(const char *s, bool end_of_day)
{
	int64_t t = 0;

	if (strlen(s) == 10 && s[4] == '-') {
		t = time_cn_day_start(s);
		if (t < 0)
			return -1;
		return end_of_day ? t + 86400 : t;
	}
	if (str_to_i64z(s, 0, 253402300799, &t) < 0)
		return -1;
	return t;
}

static const char *query(struct req *r, const char *name, size_t max)
{
	bool bad = false;
	const char *v = req_query(r, name, &bad);

	if (bad || (v && strlen(v) > max)) {
		req_field_error(r, name, "invalid",
				bad ? "参数格式不正确" : "参数过长");
		return NULL;
	}
	return v && *v ? v : NULL;
}

int api_audit_list(struct req *r)
{
	struct audit_filter f = { .competition_id = -1 };
	enum staff_level level;
	bool platform = false;
	int64_t page = 1, per = 50, total = 0;
	const char *v;
	json_t *items;

	if ((v = query(r, "actor", 40))) {
		if (str_to_i64z(v, 1, INT64_MAX, &f.actor) < 0) {
			/* An account name: nobody by that name matches nothing. */
			struct user_row u;
			char lower[21];
			int rc;
			dom_account_lower(v, lower);
			if (!req_db(r))
				return -1;
			rc = strlen(v) > 20
				     ? 0
				     : store_user_by_account(r->db, lower, &u);
			if (rc < 0)
				return api_db_failed(r, r->db);
			f.actor = rc == 1 ? u.id : -1;
		}
	}
	f.action = query(r, "action", 40);
	f.object_type = query(r, "object_type", 40);
	if ((v = query(r, "object_id", 20)) &&
	    str_to_i64z(v, 1, INT64_MAX, &f.object_id) < 0)
		req_field_error(r, "object_id", "invalid",
				"object_id 应为正整数");
	if ((v = query(r, "from", 20)) && (f.from = when(v, false)) < 0)
		req_field_error(r, "from", "invalid",
				"from 应为日期（2026-07-01）或 Unix 秒");
	if ((v = query(r, "to", 20)) && (f.to = when(v, true)) < 0)
		req_field_error(r, "to", "invalid",
				"to 应为日期（2026-07-15）或 Unix 秒");
	if ((v = query(r, "page", 8)) && str_to_i64z(v, 1, 100000, &page) < 0)
		req_field_error(r, "page", "invalid", "page 应为正整数");
	if ((v = query(r, "per_page", 8)) && str_to_i64z(v, 1, 200, &per) < 0)
		req_field_error(r, "per_page", "invalid",
				"per_page 应为 1 到 200");
	v = query(r, "competition", 64);
	if (input_has_errors(r))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询条件有误，请按提示修改");
	if (f.from < 0)
		f.from = 0;
	if (v) {
		int64_t comp = 0;
		if (!req_db(r))
			return -1;
		if (store_competition_id(r->db, v, &comp) < 0)
			return api_db_failed(r, r->db);
		if (!comp)
			return req_fail(r, E_BAD_REQUEST, "bad_competition",
					"competition 参数不是已知的分赛");
		f.competition_id = comp;
		if (api_staff_level(r, comp, &level, &platform) < 0)
			return -1;
		if (level < STAFF_ADMIN)
			return req_fail(r, E_FORBIDDEN, "forbidden",
					"需要该分赛的管理员权限");
	} else {
		/* Without a sub-contest: everything, or the caller's own. */
		json_t *roles, *role;
		size_t i;
		bool admin_somewhere = false;

		if (api_staff_level(r, 0, &level, &platform) < 0)
			return -1;
		roles = platform ? NULL : store_user_roles(r->db, r->user_id);
		json_array_foreach (roles, i, role)
			if (!strcmp(json_string_value(
					    json_object_get(role, "role")),
				    "competition_admin"))
				admin_somewhere = true;
		json_decref(roles);
		if (!platform && !admin_somewhere)
			return req_fail(r, E_FORBIDDEN, "forbidden",
					"需要管理员权限");
		if (!platform)
			f.admin_of = r->user_id;
	}
	f.limit = per;
	f.offset = (page - 1) * per;
	items = store_audit_list(r->db, &f, &total);
	if (!items)
		return api_db_failed(r, r->db);
	return api_send_page(r, items, total, page, per);
}

/* ---- staff -------------------------------------------------------- */

int api_staff_list(struct req *r)
{
	int64_t comp = 0;
	json_t *items;

	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_ADMIN, false) < 0)
		return -1;
	items = store_staff_list(r->db, comp);
	if (!items)
		return api_db_failed(r, r->db);
	return api_send(r, 200, json_pack("{s:o}", "items", items));
}

static bool staff_role_ok(const char *role)
{
	return !strcmp(role, "reviewer") || !strcmp(role, "judge") ||
	       !strcmp(role, "competition_admin");
}

/* The staff entry of one user, or null when they have no role left. */
static json_t *staff_entry(struct req *r, int64_t comp, int64_t user_id)
{
	json_t *all = store_staff_list(r->db, comp), *it, *out = NULL;
	size_t i;

	if (!all)
		return NULL;
	json_array_foreach (all, i, it)
		if (json_integer_value(json_object_get(it, "user_id")) ==
		    user_id)
			out = json_incref(it);
	json_decref(all);
	return out ? out : json_null();
}

int api_staff_add(struct req *r)
{
	static const char *const keys[] = { "role", "phone", "account", NULL };
	const char *role = in_str(r, "role", "角色", true, 32);
	const char *phone = in_str(r, "phone", "手机号", false, 32);
	const char *account = in_str(r, "account", "账号", false, 40);
	struct user_row u;
	char norm[PHONE_LEN + 1], hash[CR_HASH_HEX], lower[21];
	int64_t comp = 0;
	bool platform = false;
	enum staff_level level;
	json_t *before, *after;
	int rc;

	in_only(r, keys);
	if (role && !staff_role_ok(role))
		req_field_error(r, "role", "invalid",
				"角色应为 reviewer（审核员）、judge（评审专家）"
				"或 competition_admin（分赛管理员）");
	if (!phone && !account && !input_has_errors(r))
		req_field_error(r, "phone", "required", "请输入手机号或账号");
	if (phone && account)
		req_field_error(r, "account", "not_allowed",
				"手机号和账号只需填写一个");
	if (phone && dom_phone_normalize(phone, norm))
		req_field_error(r, "phone", "phone_format", "手机号格式不正确");
	if (input_has_errors(r))
		return input_failed(r);
	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_ADMIN, false) < 0)
		return -1;
	if (api_staff_level(r, comp, &level, &platform) < 0)
		return -1;
	/* A sub-contest's admins are named by the platform's. */
	if (!strcmp(role, "competition_admin") && !platform)
		return req_fail(r, E_FORBIDDEN, "forbidden",
				"只有平台管理员可以任命分赛管理员");
	if (phone) {
		cr_keyed_hash("phone", norm, strlen(norm), hash);
		rc = store_user_by_phone(r->db, hash, &u);
	} else {
		dom_account_lower(account, lower);
		rc = strlen(account) > 20
			     ? 0
			     : store_user_by_account(r->db, lower, &u);
	}
	if (rc < 0)
		return api_db_failed(r, r->db);
	if (rc == 0) {
		req_field_error(
			r, phone ? "phone" : "account", "not_found",
			phone ? "该手机号尚未注册，请先请对方在平台注册账号"
			      : "该账号不存在");
		return input_failed(r);
	}
	if (u.disabled) {
		req_field_error(r, phone ? "phone" : "account", "disabled",
				"该账号已停用");
		return input_failed(r);
	}
	before = staff_entry(r, comp, u.id);
	if (!before)
		return api_db_failed(r, r->db);
	if (db_begin_write(r->db) < 0 ||
	    store_user_add_role(r->db, u.id, role, comp, clock_now()) < 0 ||
	    console_audit(r, "staff_add", "user", u.id, comp,
			  json_pack("{s:s, s:O}", "role", role, "before",
				    before)) < 0 ||
	    db_commit(r->db) < 0) {
		json_decref(before);
		return api_db_failed(r, r->db);
	}
	after = staff_entry(r, comp, u.id);
	if (!after) {
		json_decref(before);
		return api_db_failed(r, r->db);
	}
	rc = json_is_null(before) ||
	     !json_array_size(json_object_get(before, "roles")) ||
	     json_array_size(json_object_get(after, "roles")) >
		     json_array_size(json_object_get(before, "roles"));
	json_decref(before);
	json_object_set_new(after, "added", json_boolean(rc));
	return api_send(r, rc ? 201 : 200, after);
}

int api_staff_remove(struct req *r)
{
	static const char *const roles[] = { "reviewer", "judge",
					     "competition_admin", NULL };
	bool bad = false, platform = false;
	const char *role = req_query(r, "role", &bad);
	int64_t comp = 0, user_id = 0;
	enum staff_level level;
	json_t *removed, *before;
	int n;

	if (bad || (role && *role && !staff_role_ok(role))) {
		req_field_error(
			r, "role", "invalid",
			"角色应为 reviewer、judge 或 competition_admin");
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询条件有误，请按提示修改");
	}
	if (role && !*role)
		role = NULL;
	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_ADMIN, false) < 0)
		return -1;
	if (api_staff_level(r, comp, &level, &platform) < 0)
		return -1;
	if (str_to_i64(req_param(r, "user_id"), 1, INT64_MAX, &user_id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found",
				"该用户不是本分赛的工作人员");
	if (role && !strcmp(role, "competition_admin") && !platform)
		return req_fail(r, E_FORBIDDEN, "forbidden",
				"只有平台管理员可以撤销分赛管理员");
	before = staff_entry(r, comp, user_id);
	if (!before)
		return api_db_failed(r, r->db);
	removed = json_array();
	if (!removed || db_begin_write(r->db) < 0) {
		json_decref(before);
		json_decref(removed);
		return api_db_failed(r, r->db);
	}
	for (const char *const *k = roles; *k; k++) {
		/* Without ?role=: reviewer and judge, and admin for the platform's. */
		if (role ? strcmp(role, *k)
			 : (!strcmp(*k, "competition_admin") && !platform))
			continue;
		n = store_user_remove_role(r->db, user_id, *k, comp);
		if (n < 0) {
			json_decref(before);
			json_decref(removed);
			return api_db_failed(r, r->db);
		}
		if (n > 0)
			json_array_append_new(removed, json_string(*k));
	}
	if (!json_array_size(removed)) {
		db_rollback(r->db);
		json_decref(before);
		json_decref(removed);
		return req_fail(r, E_NOT_FOUND, "not_found",
				role ? "该用户在本分赛没有这个角色"
				     : "该用户不是本分赛的工作人员");
	}
	if (console_audit(r, "staff_remove", "user", user_id, comp,
			  json_pack("{s:O, s:O}", "removed", removed, "before",
				    before)) < 0 ||
	    db_commit(r->db) < 0) {
		json_decref(before);
		json_decref(removed);
		return api_db_failed(r, r->db);
	}
	json_decref(before);
	return api_send(r, 200,
			json_pack("{s:I, s:o}", "user_id", (json_int_t)user_id,
				  "removed", removed));
}

/* ---- schedule ----------------------------------------------------- */

static json_t *iso_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/*
 * Reads the sub-contest's stored schedule (free both). Returns 0, or -1
 * with 404 competition_not_found or the database error recorded.
 */
static int schedule_get(struct req *r, int64_t comp, char **doc,
			char **resubmit)
{
	int rc = store_competition_schedule(r->db, comp, doc, resubmit);

	if (rc <= 0)
		return rc < 0 ? api_db_failed(r, r->db)
			      : req_fail(r, E_NOT_FOUND,
					 "competition_not_found", "赛事不存在");
	return 0;
}

static int schedule_answer(struct req *r, int64_t comp)
{
	char *doc = NULL, *resubmit = NULL;
	json_t *d, *reg;
	int rc;

	if (schedule_get(r, comp, &doc, &resubmit) < 0)
		return -1;
	d = json_loads(doc, 0, NULL);
	free(doc);
	reg = json_object_get(d, "registration");
	rc = api_send(r, 200,
		      json_pack("{s:o, s:o, s:o, s:b}", "registration_opens",
				iso_or_null(json_string_value(
					json_object_get(reg, "opens"))),
				"registration_closes",
				iso_or_null(json_string_value(
					json_object_get(reg, "closes"))),
				"resubmit_closes", iso_or_null(resubmit),
				"demo", r->app->cfg.demo));
	json_decref(d);
	free(resubmit);
	return rc;
}

int api_schedule_get(struct req *r)
{
	int64_t comp = 0;

	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_ADMIN, false) < 0)
		return -1;
	return schedule_answer(r, comp);
}

/*
 * Reads a time: "2026-06-13T00:00:00+08:00", or a day "2026-06-13" (its
 * start, or with end_of_day its last second, China time). Writes the
 * canonical China-time text into out. 1 read, 0 absent or null, -1 bad.
 */
static int read_time(struct req *r, const char *key, const char *label,
		     bool end_of_day, int64_t *t, char out[26])
{
	json_t *v = json_object_get(r->json, key);
	const char *s = json_string_value(v);
	char iso[40], *msg;

	if (!v || json_is_null(v))
		return 0;
	if (s && strlen(s) == 10) {
		snprintf(iso, sizeof(iso), "%sT%s+08:00", s,
			 end_of_day ? "23:59:59" : "00:00:00");
		s = iso;
	}
	if (!s || strlen(s) > 32 || time_parse_iso(s, t) < 0) {
		msg = arena_printf(&r->arena,
				   "%s的格式应为 2026-06-13 或 "
				   "2026-06-13T00:00:00+08:00",
				   label);
		req_field_error(r, key, "format", msg ? msg : label);
		return -1;
	}
	time_format_cn(*t, out);
	return 1;
}

int api_schedule_put(struct req *r)
{
	static const char *const keys[] = { "registration_opens",
					    "registration_closes",
					    "resubmit_closes", NULL };
	char opens[26] = "", closes[26] = "", resub[26] = "";
	char *doc = NULL, *old_resubmit = NULL, *text = NULL;
	int64_t comp = 0, to = 0, tc = 0, tr = 0;
	int ho, hc, hr;
	json_t *d = NULL, *reg, *before = NULL;

	in_only(r, keys);
	ho = read_time(r, "registration_opens", "报名开始时间", false, &to,
		       opens);
	hc = read_time(r, "registration_closes", "报名截止时间", true, &tc,
		       closes);
	hr = read_time(r, "resubmit_closes", "退回修改截止时间", true, &tr,
		       resub);
	if (json_is_null(json_object_get(r->json, "registration_opens")))
		req_field_error(r, "registration_opens", "required",
				"请输入报名开始时间");
	if (json_is_null(json_object_get(r->json, "registration_closes")))
		req_field_error(r, "registration_closes", "required",
				"请输入报名截止时间");
	if (input_has_errors(r))
		return input_failed(r);
	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_ADMIN, false) < 0)
		return -1;
	if (schedule_get(r, comp, &doc, &old_resubmit) < 0)
		return -1;
	d = json_loads(doc, 0, NULL);
	free(doc);
	if (!json_is_object(d)) {
		free(old_resubmit);
		json_decref(d);
		return req_fail(r, E_INTERNAL, "catalog",
				"competition %lld: document unreadable",
				(long long)comp);
	}
	reg = json_object_get(d, "registration");
	if (!json_is_object(reg)) {
		reg = json_object();
		json_object_set_new(d, "registration", reg);
	}
	before = json_pack("{s:O?, s:O?, s:o}", "registration_opens",
			   json_object_get(reg, "opens"), "registration_closes",
			   json_object_get(reg, "closes"), "resubmit_closes",
			   iso_or_null(old_resubmit));
	/* What was not sent stays as it is. */
	if (ho == 0 && json_string_value(json_object_get(reg, "opens")) &&
	    time_parse_iso(json_string_value(json_object_get(reg, "opens")),
			   &to) == 0)
		snprintf(opens, sizeof(opens), "%s",
			 json_string_value(json_object_get(reg, "opens")));
	if (hc == 0 && json_string_value(json_object_get(reg, "closes")) &&
	    time_parse_iso(json_string_value(json_object_get(reg, "closes")),
			   &tc) == 0)
		snprintf(closes, sizeof(closes), "%s",
			 json_string_value(json_object_get(reg, "closes")));
	if (hr == 0 && !json_object_get(r->json, "resubmit_closes") &&
	    old_resubmit && time_parse_iso(old_resubmit, &tr) == 0)
		snprintf(resub, sizeof(resub), "%s", old_resubmit);
	free(old_resubmit);
	if (to && tc && tc <= to)
		req_field_error(r, "registration_closes", "order",
				"报名截止时间应晚于报名开始时间");
	if (resub[0] && to && tr <= to)
		req_field_error(r, "resubmit_closes", "order",
				"退回修改截止时间应晚于报名开始时间");
	if (input_has_errors(r)) {
		json_decref(d);
		json_decref(before);
		return input_failed(r);
	}
	json_object_set_new(reg, "opens", iso_or_null(opens));
	json_object_set_new(reg, "closes", iso_or_null(closes));
	text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(d);
	if (!text || db_begin_write(r->db) < 0 ||
	    store_competition_set_schedule(
		    r->db, comp, text, opens[0] ? opens : NULL,
		    closes[0] ? closes : NULL, resub[0] ? resub : NULL,
		    clock_now()) < 0 ||
	    console_audit(r, "schedule_set", "competition", comp, comp,
			  json_pack("{s:O, s:{s:o, s:o, s:o}}", "before",
				    before, "after", "registration_opens",
				    iso_or_null(opens), "registration_closes",
				    iso_or_null(closes), "resubmit_closes",
				    iso_or_null(resub))) < 0 ||
	    db_commit(r->db) < 0) {
		free(text);
		json_decref(before);
		return api_db_failed(r, r->db);
	}
	free(text);
	json_decref(before);
	return schedule_answer(r, comp);
}
