/*
 * console.c: the organisers' console — the review queue of a sub-contest
 * with its filters, counts and flags, and the return-reason templates.
 * Also the checks every console handler shares (console.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "catalog_cache.h"
#include "console.h"
#include "errors.h"
#include "input.h"
#include "../app.h"
#include "../domain/ident.h"
#include "../domain/lifecycle.h"
#include "../store/audit.h"
#include "../store/console.h"
#include "../util/clock.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

#define REASONS_MAX 30
#define REASON_CHARS 200

int console_competition(struct req *r, int64_t *id)
{
	struct str slug = req_param(r, "slug");
	struct catalog_snapshot *s = catalog_cache_get(r->app->catalog);
	const json_t *c = NULL;
	char name[80];

	*id = 0;
	if (slug.len && slug.len < 70) {
		snprintf(name, sizeof(name), "%.*s", (int)slug.len, slug.p);
		c = s ? catalog_snapshot_competition(s, name) : NULL;
	}
	if (c)
		*id = json_integer_value(json_object_get(c, "id"));
	catalog_snapshot_unref(s);
	if (!*id)
		return req_fail(r, E_NOT_FOUND, "competition_not_found",
				"赛事不存在");
	return 0;
}

int console_gate(struct req *r, int64_t competition_id, enum staff_level need,
		 bool hide)
{
	enum staff_level level;

	if (api_staff_level(r, competition_id, &level, NULL) < 0)
		return -1;
	if (level >= need)
		return 0;
	if (level == STAFF_NONE && (need == STAFF_REVIEWER || hide))
		return req_fail(r, E_NOT_FOUND, "not_found",
				"赛事不存在或没有访问权限");
	return req_fail(r, E_FORBIDDEN, "forbidden", "需要该分赛的管理员权限");
}

int console_audit(struct req *r, const char *action, const char *object_type,
		  int64_t object_id, int64_t competition_id, json_t *detail)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	struct audit_entry e = { r->user_id, action,	     object_type,
				 object_id,  competition_id, req_client_ip(r),
				 text,	     clock_now() };
	int rc;

	json_decref(detail);
	rc = store_audit_write(r->db, &e);
	free(text);
	return rc;
}

/* One optional query parameter; a malformed one is a field error. */
static const char *param(struct req *r, const char *name, size_t max_bytes)
{
	bool bad = false;
	const char *v = req_query(r, name, &bad);

	if (bad || (v && strlen(v) > max_bytes)) {
		req_field_error(r, name, "invalid",
				bad ? "参数格式不正确" : "参数过长");
		return NULL;
	}
	return v && *v ? v : NULL;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Reads and checks the queue's query; field errors on r. */
static void read_filter(struct req *r, const json_t *comp,
			struct queue_filter *f, int64_t *page, int64_t *per)
{
	const char *v;
	const json_t *track = NULL;

	f->track = param(r, "track", 64);
	if (f->track && !(track = catalog_track(comp, f->track)))
		req_field_error(r, "track", "invalid", "所选赛道不属于本分赛");
	if ((v = param(r, "topic", 8))) {
		if (str_to_i64z(v, 1, 64, &f->topic) < 0)
			req_field_error(r, "topic", "invalid",
					"赛题应为 1 到 64 的编号");
		else if (!f->track)
			req_field_error(r, "topic", "track_first",
					"按赛题筛选时请先选择赛道");
		else if (track && !catalog_topic(track, f->topic))
			req_field_error(r, "topic", "invalid",
					"所选赛题不属于该赛道");
	}
	f->status = param(r, "status", 16);
	if (f->status &&
	    (!lc_status_known(f->status) || !strcmp(f->status, "draft")))
		req_field_error(r, "status", "invalid",
				"报名状态应为 submitted、approved 或 returned");
	f->stage = param(r, "stage", 16);
	if (f->stage && !lc_stage_known(f->stage))
		req_field_error(
			r, "stage", "invalid",
			"项目阶段应为 unreviewed、preliminary、final 或 "
			"national");
	f->tech = param(r, "tech_status", 16);
	if (f->tech && !lc_tech_known(f->tech))
		req_field_error(r, "tech_status", "invalid",
				"技术验证状态应为 not_started、pending、"
				"verifying、passed 或 failed");
	/* 440000 → 44, 440300 → 4403: a province or city takes its children. */
	if ((v = param(r, "region", 12))) {
		size_t n = strlen(v);
		char *p;
		if (n < 2 || n > 6 || n % 2 || !all_digits(v)) {
			req_field_error(r, "region", "invalid",
					"地区应为 2 到 6 位的行政区划代码");
		} else if ((p = arena_strdup(&r->arena, v))) {
			while (n > 2 && !strcmp(p + n - 2, "00"))
				p[n -= 2] = '\0';
			f->region = p;
		}
	}
	f->nature = param(r, "unit_type", 64 * 4);
	if ((v = param(r, "submitted_from", 10)) &&
	    (f->submitted_from = time_cn_day_start(v)) < 0)
		req_field_error(r, "submitted_from", "invalid",
				"日期格式应为 2026-07-01");
	if ((v = param(r, "submitted_to", 10))) {
		int64_t t = time_cn_day_start(v);
		if (t < 0)
			req_field_error(r, "submitted_to", "invalid",
					"日期格式应为 2026-07-15");
		else
			f->submitted_to = t + 86400; /* the whole day */
	}
	if (f->submitted_from > 0 && f->submitted_to > 0 &&
	    f->submitted_to <= f->submitted_from)
		req_field_error(r, "submitted_to", "invalid",
				"结束日期不能早于开始日期");
	if (f->submitted_from < 0)
		f->submitted_from = 0;
	f->keyword = param(r, "q", 200);
	f->sort = param(r, "sort", 16);
	if (f->sort && strcmp(f->sort, "submitted_at") &&
	    strcmp(f->sort, "saved_at") && strcmp(f->sort, "project_name"))
		req_field_error(r, "sort", "invalid",
				"排序应为 submitted_at、saved_at 或 "
				"project_name");
	if ((v = param(r, "order", 8))) {
		if (!strcmp(v, "asc"))
			f->asc = true;
		else if (strcmp(v, "desc"))
			req_field_error(r, "order", "invalid",
					"顺序应为 asc 或 desc");
	}
	if ((v = param(r, "page", 8)) && str_to_i64z(v, 1, 100000, page) < 0)
		req_field_error(r, "page", "invalid", "page 应为正整数");
	if ((v = param(r, "per_page", 8)) && str_to_i64z(v, 1, 100, per) < 0)
		req_field_error(r, "per_page", "invalid",
				"per_page 应为 1 到 100");
}

/* Labels and flags a reviewer reads beside each row. */
static void decorate(json_t *it)
{
	const char *st = json_string_value(json_object_get(it, "status"));
	const char *sg = json_string_value(json_object_get(it, "stage"));
	const char *tc = json_string_value(json_object_get(it, "tech_status"));
	const char *code = json_string_value(json_object_get(it, "lead_uscc"));
	bool verified = json_is_true(json_object_get(it, "uscc_verified"));
	bool checksum_only = false;
	bool bad_check = code && *code &&
			 ident_uscc_check(code, &checksum_only) &&
			 checksum_only;

	json_object_set_new(it, "status_label",
			    json_string(lc_status_label(st)));
	json_object_set_new(it, "stage_label", json_string(lc_stage_label(sg)));
	json_object_set_new(it, "tech_status_label",
			    json_string(lc_tech_label(tc)));
	json_object_set_new(
		it, "flags",
		json_pack("{s:b, s:b, s:b, s:I}", "needs_manual_uscc",
			  bad_check && !verified, "uscc_manually_verified",
			  bad_check && verified, "possible_duplicate",
			  json_is_true(json_object_get(it, "duplicate")),
			  "eligibility_warnings",
			  json_integer_value(json_object_get(it, "listed"))));
	json_object_del(it, "duplicate");
	json_object_del(it, "uscc_verified");
	json_object_del(it, "listed");
}

int api_review_queue(struct req *r)
{
	struct queue_filter f = { 0 };
	struct catalog_snapshot *snap;
	const json_t *comp;
	int64_t comp_id = 0, page = 1, per = 20, total = 0;
	json_t *items, *counts, *it;
	size_t i;

	if (console_competition(r, &comp_id) < 0 ||
	    console_gate(r, comp_id, STAFF_REVIEWER, true) < 0)
		return -1;
	snap = catalog_cache_get(r->app->catalog);
	comp = NULL;
	if (snap)
		json_array_foreach (snap->all, i, it)
			if (json_integer_value(json_object_get(it, "id")) ==
			    comp_id)
				comp = it;
	read_filter(r, comp, &f, &page, &per);
	catalog_snapshot_unref(snap);
	if (input_has_errors(r))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询条件有误，请按提示修改");
	f.competition_id = comp_id;
	f.limit = per;
	f.offset = (page - 1) * per;
	items = store_queue_list(r->db, &f, &total);
	counts = items ? store_queue_counts(r->db, &f) : NULL;
	if (!items || !counts) {
		json_decref(items);
		return api_db_failed(r, r->db);
	}
	json_array_foreach (items, i, it)
		decorate(it);
	{
		json_int_t all =
			json_integer_value(
				json_object_get(counts, "submitted")) +
			json_integer_value(
				json_object_get(counts, "approved")) +
			json_integer_value(json_object_get(counts, "returned"));
		json_object_set_new(counts, "all", json_integer(all));
	}
	return api_send(r, 200,
			json_pack("{s:o, s:I, s:I, s:I, s:o}", "items", items,
				  "total", (json_int_t)total, "page",
				  (json_int_t)page, "per_page", (json_int_t)per,
				  "counts", counts));
}

/* Built in; a sub-contest's admins may replace them. */
static const char *const default_reasons[] = {
	"申报材料不完整，请补充后重新提交。",
	"附件不清晰或无法打开，请重新上传清晰的扫描件。",
	"单位信息与营业执照不一致，请核对单位名称和统一社会信用代码。",
	"申报主体责任声明或参赛单位授权书未盖章，请盖章后扫描上传。",
	"团队成员信息有误，请核对姓名、证件号码和联系方式。",
	"所选赛道或赛题与项目内容不符，请核实项目方向。",
	"项目简介与申报内容不一致，请修改完善。",
	NULL,
};

static json_t *reasons_json(struct req *r, int64_t comp, bool *custom)
{
	char *text = NULL;
	json_t *out;

	*custom = false;
	if (store_return_reasons_get(r->db, comp, &text) < 0)
		return NULL;
	if (text) {
		out = json_loads(text, 0, NULL);
		free(text);
		if (json_is_array(out)) {
			*custom = true;
			return out;
		}
		json_decref(out);
	}
	out = json_array();
	for (const char *const *p = default_reasons; out && *p; p++)
		json_array_append_new(out, json_string(*p));
	return out;
}

int api_return_reasons_get(struct req *r)
{
	int64_t comp = 0;
	bool custom;
	json_t *reasons;

	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_REVIEWER, true) < 0)
		return -1;
	reasons = reasons_json(r, comp, &custom);
	if (!reasons)
		return api_db_failed(r, r->db);
	return api_send(r, 200,
			json_pack("{s:o, s:b}", "reasons", reasons, "custom",
				  custom));
}

int api_return_reasons_put(struct req *r)
{
	static const char *const keys[] = { "reasons", NULL };
	json_t *arr = json_object_get(r->json, "reasons"), *v, *clean;
	int64_t comp = 0;
	bool custom;
	size_t i;

	in_only(r, keys);
	clean = json_array();
	if (!clean)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	if (!json_is_array(arr)) {
		req_field_error(r, "reasons", arr ? "type" : "required",
				"reasons 应为退回原因模板的数组");
	} else if (json_array_size(arr) > REASONS_MAX) {
		req_field_error(r, "reasons", "too_many",
				"退回原因模板最多 30 条");
	} else {
		json_array_foreach (arr, i, v) {
			char field[32], *msg;
			const char *s = json_string_value(v);
			size_t n = 0, k;
			bool dup = false;

			snprintf(field, sizeof(field), "reasons[%zu]", i);
			/* Trim spaces, count characters, refuse controls. */
			while (s && (*s == ' ' || *s == '\t'))
				s++;
			k = s ? strlen(s) : 0;
			while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
				k--;
			for (size_t b = 0; s && b < k; b++) {
				if ((unsigned char)s[b] < 0x20)
					n = REASON_CHARS + 1;
				if (((unsigned char)s[b] & 0xC0) != 0x80)
					n++;
			}
			if (!s || !k) {
				req_field_error(r, field, "required",
						"退回原因不能为空");
				continue;
			}
			if (n > REASON_CHARS) {
				msg = arena_printf(
					&r->arena,
					"第 %zu 条退回原因不能超过 %d 个字，且不能含有换行",
					i + 1, REASON_CHARS);
				req_field_error(r, field, "too_long",
						msg ? msg : "退回原因过长");
				continue;
			}
			for (size_t j = 0; j < json_array_size(clean); j++) {
				const char *c = json_string_value(
					json_array_get(clean, j));
				if (strlen(c) == k && !memcmp(c, s, k))
					dup = true;
			}
			if (dup) {
				req_field_error(r, field, "duplicate",
						"退回原因重复");
				continue;
			}
			json_array_append_new(clean, json_stringn(s, k));
		}
	}
	if (input_has_errors(r)) {
		json_decref(clean);
		return input_failed(r);
	}
	if (console_competition(r, &comp) < 0 ||
	    console_gate(r, comp, STAFF_ADMIN, true) < 0) {
		json_decref(clean);
		return -1;
	}
	{
		json_t *before = reasons_json(r, comp, &custom);
		char *text = json_dumps(clean, JSON_COMPACT);
		int rc = -1;

		if (before && text && db_begin_write(r->db) == 0 &&
		    store_return_reasons_set(r->db, comp, text, r->user_id,
					     clock_now()) == 0 &&
		    console_audit(r, "return_reasons_set", "competition", comp,
				  comp,
				  json_pack("{s:O, s:O}", "before", before,
					    "after", clean)) == 0 &&
		    db_commit(r->db) == 0)
			rc = 0;
		free(text);
		json_decref(before);
		if (rc < 0) {
			json_decref(clean);
			return api_db_failed(r, r->db);
		}
	}
	return api_send(r, 200,
			json_pack("{s:o, s:b}", "reasons", clean, "custom", 1));
}
