/*
 * judging.c: rubrics, judges' profiles and the assignment of judges (the
 * sub-contest admin's side), and the judges' own endpoints: their
 * projects, the masked document and files, and the score sheet. Every
 * change is written to the audit log in its transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "applications.h"
#include "attachments.h"
#include "console.h"
#include "documents.h"
#include "errors.h"
#include "input.h"
#include "roles.h"
#include "../domain/ident.h"
#include "../domain/judging.h"
#include "../domain/lifecycle.h"
#include "../domain/rubric.h"
#include "../store/applications.h"
#include "../store/attachments.h"
#include "../store/judging.h"
#include "../util/clock.h"
#include "../util/str.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

#define COMMENT_MAX 2000
#define REASON_MAX 500
#define CONFLICTS_MAX 50
#define TRACKS_MAX 50

static const char *stage_label(const char *stage)
{
	return !strcmp(stage, "final") ? "决赛" : "初赛";
}

/* The {stage} path parameter: a scoring stage, or 404. */
static const char *path_stage(struct req *r)
{
	struct str s = req_param(r, "stage");

	if (str_eq(s, "preliminary"))
		return "preliminary";
	if (str_eq(s, "final"))
		return "final";
	req_fail(r, E_NOT_FOUND, "not_found", "评审阶段不存在");
	return NULL;
}

/* The sub-contest of {slug} and its admin (403 for anyone else). */
static int admin_of(struct req *r, int64_t *comp)
{
	if (console_competition(r, comp) < 0 ||
	    console_gate(r, *comp, STAFF_ADMIN, false) < 0)
		return -1;
	return req_db(r) ? 0 : -1;
}

static json_t *num_or_null(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

/* ---- rubrics ---------------------------------------------------------- */

struct rubric {
	json_t *criteria; /* owned */
	int64_t opens, closes, updated_at;
};

/* Reads the stage's rubric, or the default criteria where it has none. */
static int rubric_load(struct req *r, int64_t comp, const char *stage,
		       struct rubric *out)
{
	char *text = NULL;
	int rc = store_rubric_get(r->db, comp, stage, &text, &out->opens,
				  &out->closes, &out->updated_at);

	out->criteria = NULL;
	if (rc < 0)
		return api_db_failed(r, r->db);
	if (rc == 1)
		out->criteria = json_loads(text, 0, NULL);
	free(text);
	if (!json_is_array(out->criteria)) {
		json_decref(out->criteria);
		out->criteria = rubric_default_criteria();
	}
	if (!out->criteria)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	return 0;
}

static json_t *rubric_json(struct req *r, int64_t comp, const char *stage,
			   const struct rubric *rb)
{
	int started = store_rubric_started(r->db, comp, stage);

	if (started < 0)
		return NULL;
	return json_pack("{s:s, s:s, s:O, s:b, s:o, s:o, s:o}", "stage", stage,
			 "stage_label", stage_label(stage), "criteria",
			 rb->criteria, "locked", started, "scoring_opens",
			 num_or_null(rb->opens), "scoring_closes",
			 num_or_null(rb->closes), "updated_at",
			 num_or_null(rb->updated_at));
}

int api_rubric_get(struct req *r)
{
	const char *stage = path_stage(r);
	struct rubric rb;
	int64_t comp = 0;
	json_t *body;

	if (!stage || admin_of(r, &comp) < 0 ||
	    rubric_load(r, comp, stage, &rb) < 0)
		return -1;
	body = rubric_json(r, comp, stage, &rb);
	json_decref(rb.criteria);
	if (!body)
		return api_db_failed(r, r->db);
	return api_send(r, 200, body);
}

static void report_field(void *ctx, const char *field, const char *code,
			 const char *message)
{
	req_field_error(ctx, field, code, message);
}

/*
 * A window end: absent (keep, returns 0), null (clear: *t = 0, returns
 * 1), Unix seconds or an ISO time with its offset (returns 1), else a
 * field error (-1).
 */
static int read_window(struct req *r, const char *key, const char *label,
		       int64_t *t)
{
	json_t *v = json_object_get(r->json, key);
	const char *s = json_string_value(v);
	char *msg;

	if (!v)
		return 0;
	if (json_is_null(v)) {
		*t = 0;
		return 1;
	}
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) < 32503680000LL) {
		*t = json_integer_value(v);
		return 1;
	}
	if (s && strlen(s) <= 32 && time_parse_iso(s, t) == 0)
		return 1;
	msg = arena_printf(&r->arena, "%s的格式应为 2026-06-13T09:00:00+08:00",
			   label);
	req_field_error(r, key, "format", msg ? msg : label);
	return -1;
}

/* The criteria as stored: the known members only, numbers as integers. */
static json_t *criteria_clean(const json_t *in)
{
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach (in, i, c) {
		const char *d =
			json_string_value(json_object_get(c, "description"));
		json_t *o = json_pack("{s:O, s:O, s:s, s:I, s:I}", "key",
				      json_object_get(c, "key"), "name",
				      json_object_get(c, "name"), "description",
				      d ? d : "", "weight",
				      (json_int_t)json_number_value(
					      json_object_get(c, "weight")),
				      "max",
				      (json_int_t)json_number_value(
					      json_object_get(c, "max")));
		if (!o || json_array_append_new(out, o) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

int api_rubric_put(struct req *r)
{
	static const char *const keys[] = { "criteria", "scoring_opens",
					    "scoring_closes", NULL };
	const char *stage = path_stage(r);
	json_t *sent = json_object_get(r->json, "criteria"), *next = NULL;
	json_t *before = NULL, *body;
	struct rubric rb = { 0 };
	int64_t comp = 0, opens = 0, closes = 0;
	int ho, hc, started, rc;
	char *text = NULL;

	if (!stage)
		return -1;
	in_only(r, keys);
	if (sent)
		rubric_validate(sent, report_field, r);
	ho = read_window(r, "scoring_opens", "评分开始时间", &opens);
	hc = read_window(r, "scoring_closes", "评分截止时间", &closes);
	if (input_has_errors(r))
		return input_failed(r);
	if (admin_of(r, &comp) < 0)
		return -1;
	if (db_begin_write(r->db) < 0)
		return api_db_failed(r, r->db);
	if (rubric_load(r, comp, stage, &rb) < 0)
		goto fail;
	if (ho == 0)
		opens = rb.opens;
	if (hc == 0)
		closes = rb.closes;
	if (opens && closes && closes <= opens) {
		req_field_error(r, "scoring_closes", "order",
				"评分截止时间应晚于评分开始时间");
		db_rollback(r->db);
		json_decref(rb.criteria);
		return input_failed(r);
	}
	next = sent ? criteria_clean(sent) : json_incref(rb.criteria);
	if (!next) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto fail;
	}
	started = store_rubric_started(r->db, comp, stage);
	if (started < 0) {
		api_db_failed(r, r->db);
		goto fail;
	}
	if (started && !json_equal(next, rb.criteria)) {
		req_fail(r, E_CONFLICT, "rubric_locked",
			 "评分已开始，评分标准不能再修改");
		goto fail;
	}
	before = json_pack("{s:s, s:{s:O, s:o, s:o}, s:{s:O, s:o, s:o}}",
			   "stage", stage, "before", "criteria", rb.criteria,
			   "scoring_opens", num_or_null(rb.opens),
			   "scoring_closes", num_or_null(rb.closes), "after",
			   "criteria", next, "scoring_opens",
			   num_or_null(opens), "scoring_closes",
			   num_or_null(closes));
	text = json_dumps(next, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text || store_rubric_put(r->db, comp, stage, text, opens, closes,
				      r->user_id, clock_now()) < 0) {
		api_db_failed(r, r->db);
		goto fail;
	}
	/* console_audit() takes the detail, whatever happens. */
	rc = console_audit(r, "rubric_set", "competition", comp, comp, before);
	before = NULL;
	if (rc < 0 || db_commit(r->db) < 0) {
		api_db_failed(r, r->db);
		goto fail;
	}
	free(text);
	json_decref(rb.criteria);
	rb.criteria = next;
	rb.opens = opens;
	rb.closes = closes;
	rb.updated_at = clock_now();
	body = rubric_json(r, comp, stage, &rb);
	json_decref(rb.criteria);
	if (!body)
		return api_db_failed(r, r->db);
	return api_send(r, 200, body);
fail:
	if (db_in_tx(r->db))
		db_rollback(r->db);
	free(text);
	json_decref(before);
	json_decref(next);
	json_decref(rb.criteria);
	return -1;
}

/* ---- judges ----------------------------------------------------------- */

int api_judges_list(struct req *r)
{
	int64_t comp = 0;
	json_t *items;

	if (admin_of(r, &comp) < 0)
		return -1;
	items = store_judges_list(r->db, comp);
	if (!items)
		return api_db_failed(r, r->db);
	return api_send(r, 200, json_pack("{s:o}", "items", items));
}

/* A 统一社会信用代码 as typed: "" stays "", else it must be valid. */
static const char *read_uscc(struct req *r, const char *field,
			     const char *value)
{
	char norm[USCC_LEN + 1];
	bool checksum = false;

	if (!value || !*value)
		return "";
	ident_uscc_normalize(value, norm);
	if (!norm[0] || ident_uscc_check(norm, &checksum)) {
		req_field_error(r, field, checksum ? "checksum" : "format",
				checksum ? "统一社会信用代码校验位不正确"
					 : "统一社会信用代码应为 18 "
					   "位数字或大写字母");
		return NULL;
	}
	return arena_strdup(&r->arena, norm);
}

static const char *trimmed_str(struct req *r, const json_t *v, size_t max,
			       const char *field, const char *label)
{
	const char *s = json_string_value(v), *e;
	size_t n = 0;
	char *msg;

	if (!v || json_is_null(v))
		return "";
	if (!s || !utf8_valid(s, json_string_length(v))) {
		msg = arena_printf(&r->arena, "%s应为文本", label);
		req_field_error(r, field, "type", msg ? msg : label);
		return NULL;
	}
	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		e--;
	for (const char *p = s; p < e; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			n++;
	if (n > max) {
		msg = arena_printf(&r->arena, "%s不能超过 %zu 个字符", label,
				   max);
		req_field_error(r, field, "too_long", msg ? msg : label);
		return NULL;
	}
	return arena_strndup(&r->arena, s, (size_t)(e - s));
}

/* Whether a COUNT(*) statement counts anything: 1, 0 or -1. */
static int counts_any(struct req *r, const char *sql, int nparams,
		      const struct db_param *params)
{
	int64_t n = 0;

	if (db_query_int(r->db, sql, nparams, params, &n) < 0)
		return -1;
	return n > 0;
}

static int track_in(struct req *r, int64_t comp, int64_t track_id)
{
	struct db_param p[2] = { DB_P_INT(track_id), DB_P_INT(comp) };

	return counts_any(r,
			  "SELECT COUNT(*) FROM tracks WHERE id = $1 "
			  "AND competition_id = $2",
			  2, p);
}

int api_judge_put(struct req *r)
{
	static const char *const keys[] = { "name",   "unit_name", "unit_uscc",
					    "tracks", "conflicts", NULL };
	const char *name, *unit_name, *unit_uscc;
	json_t *tracks_in = json_object_get(r->json, "tracks");
	json_t *conf_in = json_object_get(r->json, "conflicts");
	json_t *tracks = json_array(), *conflicts = json_array(), *v;
	json_t *before = NULL, *after = NULL;
	char *ttext = NULL, *ctext = NULL, field[64];
	int64_t comp = 0, uid = 0;
	bool done = false;
	size_t i;

	if (admin_of(r, &comp) < 0)
		goto out;
	in_only(r, keys);
	name = in_str(r, "name", "姓名", true, 40);
	unit_name = in_str(r, "unit_name", "工作单位", true, 100);
	unit_uscc = read_uscc(r, "unit_uscc",
			      in_str(r, "unit_uscc", "统一社会信用代码", false,
				     40));
	if (tracks_in && !json_is_null(tracks_in) &&
	    (!json_is_array(tracks_in) ||
	     json_array_size(tracks_in) > TRACKS_MAX))
		req_field_error(r, "tracks", "type", "赛道应为赛道编号的列表");
	if (conf_in && !json_is_null(conf_in) &&
	    (!json_is_array(conf_in) ||
	     json_array_size(conf_in) > CONFLICTS_MAX))
		req_field_error(r, "conflicts", "type",
				"利益冲突单位应为列表（最多 50 个）");
	if (str_to_i64(req_param(r, "user_id"), 1, INT64_MAX, &uid) < 0) {
		req_fail(r, E_NOT_FOUND, "not_found", "评审专家不存在");
		goto out;
	}
	json_array_foreach (tracks_in, i, v) {
		int in;
		snprintf(field, sizeof(field), "tracks[%zu]", i);
		if (!json_is_integer(v) ||
		    (in = track_in(r, comp, json_integer_value(v))) == 0) {
			req_field_error(r, field, "unknown", "赛道不存在");
			continue;
		}
		if (in < 0) {
			api_db_failed(r, r->db);
			goto out;
		}
		json_array_append(tracks, v);
	}
	json_array_foreach (conf_in, i, v) {
		const char *cn, *cu;
		snprintf(field, sizeof(field), "conflicts[%zu].name", i);
		cn = json_is_object(v)
			     ? trimmed_str(r, json_object_get(v, "name"), 100,
					   field, "单位名称")
			     : NULL;
		snprintf(field, sizeof(field), "conflicts[%zu].uscc", i);
		cu = json_is_object(v)
			     ? read_uscc(r, field,
					 trimmed_str(
						 r, json_object_get(v, "uscc"),
						 40, field, "统一社会信用代码"))
			     : NULL;
		snprintf(field, sizeof(field), "conflicts[%zu]", i);
		if (!json_is_object(v))
			req_field_error(r, field, "type",
					"利益冲突单位格式不正确");
		else if (cn && cu && !*cn && !*cu)
			req_field_error(r, field, "required",
					"请填写单位名称或统一社会信用代码");
		else if (cn && cu)
			json_array_append_new(conflicts,
					      json_pack("{s:s, s:s}", "name",
							cn, "uscc", cu));
	}
	if (input_has_errors(r))
		goto invalid;
	ttext = json_dumps(tracks, JSON_COMPACT);
	ctext = json_dumps(conflicts, JSON_COMPACT);
	if (!ttext || !ctext) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto out;
	}
	if (db_begin_write(r->db) < 0)
		goto db_fail;
	before = store_judge_get(r->db, comp, uid);
	if (!before)
		goto db_fail;
	if (json_is_null(before)) {
		db_rollback(r->db);
		req_fail(r, E_NOT_FOUND, "not_found", "评审专家不存在");
		goto out;
	}
	if (store_judge_put(r->db, comp, uid, name, unit_name, unit_uscc, ttext,
			    ctext, r->user_id, clock_now()) < 0)
		goto db_fail;
	after = store_judge_get(r->db, comp, uid);
	if (!after ||
	    console_audit(r, "judge_profile_set", "user", uid, comp,
			  json_pack("{s:O, s:O}", "before", before, "after",
				    after)) < 0 ||
	    db_commit(r->db) < 0)
		goto db_fail;
	done = true;
	goto out;
invalid:
	input_failed(r);
	goto out;
db_fail:
	api_db_failed(r, r->db);
out:
	if (r->db && db_in_tx(r->db))
		db_rollback(r->db);
	json_decref(before);
	json_decref(tracks);
	json_decref(conflicts);
	free(ttext);
	free(ctext);
	if (done)
		return api_send(r, 200, after);
	json_decref(after);
	return -1;
}

/* ---- the world the assignment rules see ------------------------------- */

struct world {
	json_t *judges; /* store_judges_list() */
	json_t *apps;	/* store_judging_apps() */
	json_t *docs;	/* each app's unsealed document: the unit strings */
	struct dom_judge *j;
	size_t nj;
	struct dom_project *p;
	size_t np;
	int64_t **pj; /* the writable arrays behind p[i].judges */
	int64_t **pd; /* and p[i].declined */
	void **bag;   /* every other allocation, freed together */
	size_t nbag;
};

static void *world_alloc(struct world *w, size_t n, size_t size)
{
	void *p, **nb;

	if (!n)
		n = 1;
	p = calloc(n, size);
	nb = p ? realloc(w->bag, (w->nbag + 1) * sizeof(*w->bag)) : NULL;
	if (!nb) {
		free(p);
		return NULL;
	}
	w->bag = nb;
	w->bag[w->nbag++] = p;
	return p;
}

static void world_release(struct world *w)
{
	for (size_t i = 0; i < w->nbag; i++)
		free(w->bag[i]);
	free(w->bag);
	free(w->j);
	free(w->p);
	json_decref(w->judges);
	json_decref(w->apps);
	json_decref(w->docs);
	memset(w, 0, sizeof(*w));
}

static const char *sv(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The lead unit and every row of units, from the unsealed document. */
static int project_units(struct world *w, struct dom_project *p,
			 const json_t *doc)
{
	const json_t *basic = json_object_get(doc, "basic");
	json_t *units = json_object_get(doc, "units"), *u;
	struct dom_unit *out;
	size_t i, n = 0;

	out = world_alloc(w, json_array_size(units) + 1, sizeof(*out));
	if (!out)
		return -1;
	out[n].name = sv(basic, "lead_unit_name");
	out[n++].uscc = sv(basic, "lead_uscc");
	json_array_foreach (units, i, u) {
		out[n].name = sv(u, "name");
		out[n++].uscc = sv(u, "uscc");
	}
	p->units = out;
	p->n_units = n;
	return 0;
}

static long project_index(const struct world *w, int64_t app_id)
{
	for (size_t i = 0; i < w->np; i++)
		if (w->p[i].id == app_id)
			return (long)i;
	return -1;
}

static long judge_index(const struct world *w, int64_t user_id)
{
	for (size_t i = 0; i < w->nj; i++)
		if (w->j[i].id == user_id)
			return (long)i;
	return -1;
}

/*
 * Reads the judges, the applications in the stage (track 0: all) and
 * their assignments into w. Returns 0, or -1 with the error recorded.
 */
static int world_load(struct req *r, int64_t comp, const char *stage,
		      int64_t track_id, struct world *w)
{
	json_t *rows = NULL, *declined = NULL, *it;
	size_t i;
	int rc = -1;

	memset(w, 0, sizeof(*w));
	w->judges = store_judges_list(r->db, comp);
	w->apps = w->judges ? store_judging_apps(r->db, comp, stage, track_id)
			    : NULL;
	rows = w->apps ? store_judging_assignments(r->db, comp, stage) : NULL;
	declined = rows ? store_judging_declined(r->db, comp) : NULL;
	if (!declined) {
		api_db_failed(r, r->db);
		goto out;
	}
	w->docs = json_array();
	w->nj = json_array_size(w->judges);
	w->np = json_array_size(w->apps);
	w->j = calloc(w->nj ? w->nj : 1, sizeof(*w->j));
	w->p = calloc(w->np ? w->np : 1, sizeof(*w->p));
	w->pj = world_alloc(w, w->np, sizeof(*w->pj));
	w->pd = world_alloc(w, w->np, sizeof(*w->pd));
	if (!w->docs || !w->j || !w->p || !w->pj || !w->pd)
		goto oom;
	json_array_foreach (w->judges, i, it) {
		struct dom_judge *j = &w->j[i];
		json_t *tr = json_object_get(it, "tracks");
		json_t *cf = json_object_get(it, "conflicts"), *x;
		struct dom_unit *units;
		int64_t *tracks;
		size_t k;

		j->id = json_integer_value(json_object_get(it, "user_id"));
		j->unit_name = sv(it, "unit_name");
		j->unit_uscc = sv(it, "unit_uscc");
		j->load = (int)json_integer_value(
			json_object_get(json_object_get(it, "load"), stage));
		tracks = world_alloc(w, json_array_size(tr), sizeof(*tracks));
		units = world_alloc(w, json_array_size(cf), sizeof(*units));
		if (!tracks || !units)
			goto oom;
		json_array_foreach (tr, k, x)
			tracks[j->n_tracks++] = json_integer_value(x);
		json_array_foreach (cf, k, x) {
			units[j->n_conflicts].name = sv(x, "name");
			units[j->n_conflicts++].uscc = sv(x, "uscc");
		}
		j->tracks = tracks;
		j->conflicts = units;
	}
	json_array_foreach (w->apps, i, it) {
		struct dom_project *p = &w->p[i];
		json_t *doc = json_loads(sv(it, "doc"), 0, NULL);

		if (!doc || doc_unseal(doc) < 0 ||
		    json_array_append_new(w->docs, doc) < 0) {
			json_decref(doc);
			req_fail(r, E_INTERNAL, "document",
				 "application %lld: document unreadable",
				 (long long)json_integer_value(
					 json_object_get(it, "id")));
			goto out;
		}
		p->id = json_integer_value(json_object_get(it, "id"));
		p->track_id =
			json_integer_value(json_object_get(it, "track_id"));
		if (project_units(w, p, doc) < 0)
			goto oom;
		/* Room for every row: the counts are small. */
		w->pj[i] =
			world_alloc(w, json_array_size(rows), sizeof(int64_t));
		w->pd[i] = world_alloc(w, json_array_size(declined),
				       sizeof(int64_t));
		if (!w->pj[i] || !w->pd[i])
			goto oom;
		p->judges = w->pj[i];
		p->declined = w->pd[i];
	}
	json_array_foreach (rows, i, it) {
		long k = project_index(w, json_integer_value(json_object_get(
						  it, "application_id")));
		if (k < 0 || !strcmp(sv(it, "status"), "declined"))
			continue;
		w->pj[k][w->p[k].n_judges++] =
			json_integer_value(json_object_get(it, "judge_id"));
	}
	json_array_foreach (declined, i, it) {
		long k = project_index(w, json_integer_value(json_object_get(
						  it, "application_id")));
		if (k < 0)
			continue;
		w->pd[k][w->p[k].n_declined++] =
			json_integer_value(json_object_get(it, "judge_id"));
	}
	rc = 0;
	goto out;
oom:
	req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
out:
	json_decref(rows);
	json_decref(declined);
	if (rc < 0)
		world_release(w);
	return rc;
}

/* ---- assignments (admin) ---------------------------------------------- */

static json_t *judge_status(const json_t *row)
{
	const char *st = sv(row, "status");

	if (!strcmp(st, "declined"))
		return json_string("declined");
	if (!json_is_null(json_object_get(row, "submitted_at")))
		return json_string("submitted");
	if (!json_is_null(json_object_get(row, "saved_at")))
		return json_string("saved");
	return json_string("assigned");
}

int api_judging_assignments(struct req *r)
{
	const char *stage = path_stage(r);
	bool bad = false;
	const char *q = req_query(r, "track", &bad);
	int64_t comp = 0, track = 0;
	json_t *apps = NULL, *rows = NULL, *judges = NULL, *items, *it, *row;
	json_t *jout;
	size_t i, k;
	int per = DOM_PER_PROJECT_DEFAULT;

	if (!stage)
		return -1;
	if (bad || (q && *q && str_to_i64z(q, 1, INT64_MAX, &track) < 0))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"赛道参数应为赛道编号");
	if (admin_of(r, &comp) < 0)
		return -1;
	if (db_begin_read(r->db) < 0)
		return api_db_failed(r, r->db);
	apps = store_judging_apps(r->db, comp, stage, track);
	rows = apps ? store_judging_assignments(r->db, comp, stage) : NULL;
	judges = rows ? store_judges_list(r->db, comp) : NULL;
	if (!judges ||
	    store_judging_per_project_get(r->db, comp, stage, &per) < 0 ||
	    db_commit(r->db) < 0) {
		db_rollback(r->db);
		json_decref(apps);
		json_decref(rows);
		json_decref(judges);
		return api_db_failed(r, r->db);
	}
	items = json_array();
	json_array_foreach (apps, i, it) {
		int64_t id = json_integer_value(json_object_get(it, "id"));
		json_t *js = json_array();
		json_array_foreach (rows, k, row) {
			if (json_integer_value(json_object_get(
				    row, "application_id")) != id)
				continue;
			json_array_append_new(
				js,
				json_pack("{s:O, s:O, s:O, s:o, s:O}",
					  "assignment_id",
					  json_object_get(row, "id"), "user_id",
					  json_object_get(row, "judge_id"),
					  "name",
					  json_object_get(row, "judge_name"),
					  "status", judge_status(row),
					  "submitted_at",
					  json_object_get(row,
							  "submitted_at")));
		}
		json_array_append_new(
			items,
			json_pack("{s:I, s:O, s:O, s:O, s:O, s:o}",
				  "application_id", (json_int_t)id,
				  "project_name",
				  json_object_get(it, "project_name"),
				  "lead_unit_name",
				  json_object_get(it, "lead_unit_name"),
				  "track_id", json_object_get(it, "track_id"),
				  "track_name",
				  json_object_get(it, "track_name"), "judges",
				  js));
	}
	jout = json_array();
	json_array_foreach (judges, i, it) {
		const char *nm = sv(it, "name");
		json_array_append_new(
			jout,
			json_pack("{s:O, s:s, s:O, s:O, s:O}", "user_id",
				  json_object_get(it, "user_id"), "name",
				  *nm ? nm : sv(it, "account"), "unit_name",
				  json_object_get(it, "unit_name"), "tracks",
				  json_object_get(it, "tracks"), "load",
				  json_object_get(json_object_get(it, "load"),
						  stage)));
	}
	json_decref(apps);
	json_decref(rows);
	json_decref(judges);
	return api_send(r, 200,
			json_pack("{s:o, s:o, s:i}", "items", items, "judges",
				  jout, "per_project", per));
}

static const char *app_name(const struct world *w, size_t i)
{
	return sv(json_array_get(w->apps, i), "project_name");
}

int api_judging_assign(struct req *r)
{
	static const char *const keys[] = { "track_id", "per_project", NULL };
	const char *stage = path_stage(r);
	json_t *tv = json_object_get(r->json, "track_id");
	json_t *pv = json_object_get(r->json, "per_project");
	json_t *shorts = NULL, *pairs = NULL;
	struct dom_pick *picks = NULL;
	int *short_of = NULL;
	struct world w = { 0 };
	int64_t comp = 0, track = 0, per = DOM_PER_PROJECT_DEFAULT;
	int64_t now = clock_now();
	long n;
	size_t cap;

	if (!stage)
		return -1;
	in_only(r, keys);
	if (tv && !json_is_null(tv)) {
		if (!json_is_integer(tv) || json_integer_value(tv) < 1)
			req_field_error(r, "track_id", "type",
					"赛道应为赛道编号");
		else
			track = json_integer_value(tv);
	}
	if (pv && !json_is_null(pv)) {
		if (!json_is_integer(pv) || json_integer_value(pv) < 1 ||
		    json_integer_value(pv) > DOM_PER_PROJECT_MAX)
			req_field_error(r, "per_project", "range",
					"每个项目的评审专家人数应为 1–15");
		else
			per = json_integer_value(pv);
	}
	if (input_has_errors(r))
		return input_failed(r);
	if (admin_of(r, &comp) < 0)
		return -1;
	if (track) {
		int in = track_in(r, comp, track);
		if (in < 0)
			return api_db_failed(r, r->db);
		if (!in) {
			req_field_error(r, "track_id", "unknown", "赛道不存在");
			return input_failed(r);
		}
	}
	if (db_begin_write(r->db) < 0)
		return api_db_failed(r, r->db);
	if (world_load(r, comp, stage, track, &w) < 0)
		goto fail;
	cap = w.np * (size_t)per;
	picks = calloc(cap ? cap : 1, sizeof(*picks));
	short_of = calloc(w.np ? w.np : 1, sizeof(*short_of));
	shorts = json_array();
	pairs = json_array();
	if (!picks || !short_of || !shorts || !pairs) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto fail;
	}
	n = dom_judging_assign(w.j, w.nj, w.p, w.np, (int)per, picks, cap,
			       short_of);
	if (n < 0) {
		req_fail(r, E_INTERNAL, "assign", "assignment out of room");
		goto fail;
	}
	for (long k = 0; k < n; k++) {
		int64_t app = w.p[picks[k].project].id;
		int64_t judge = w.j[picks[k].judge].id, id = 0;
		if (store_assignment_add(r->db, comp, stage, app, judge,
					 r->user_id, now, &id) < 0) {
			/* Another admin's assignment got in first (PostgreSQL). */
			if (db_is_unique_violation(r->db))
				req_fail(
					r, E_CONFLICT, "concurrent_change",
					"评审分配刚被其他操作更改，请刷新后重试");
			else
				api_db_failed(r, r->db);
			goto fail;
		}
		json_array_append_new(
			pairs,
			json_pack("{s:I, s:I, s:I}", "id", (json_int_t)id,
				  "application_id", (json_int_t)app, "judge_id",
				  (json_int_t)judge));
	}
	for (size_t i = 0; i < w.np; i++)
		if (short_of[i] > 0)
			json_array_append_new(shorts,
					      json_pack("{s:I, s:s, s:i, s:i}",
							"application_id",
							(json_int_t)w.p[i].id,
							"project_name",
							app_name(&w, i), "have",
							(int)per - short_of[i],
							"need", (int)per));
	if (console_audit(r, "judging_assign", "competition", comp, comp,
			  json_pack("{s:s, s:o, s:I, s:O}", "stage", stage,
				    "track_id",
				    track ? json_integer(track) : json_null(),
				    "per_project", (json_int_t)per, "created",
				    pairs)) < 0 ||
	    store_judging_per_project_put(r->db, comp, stage, (int)per,
					  r->user_id, now) < 0 ||
	    db_commit(r->db) < 0) {
		api_db_failed(r, r->db);
		goto fail;
	}
	world_release(&w);
	free(picks);
	free(short_of);
	json_decref(pairs);
	return api_send(r, 200,
			json_pack("{s:I, s:o}", "created", (json_int_t)n,
				  "short", shorts));
fail:
	if (db_in_tx(r->db))
		db_rollback(r->db);
	world_release(&w);
	free(picks);
	free(short_of);
	json_decref(shorts);
	json_decref(pairs);
	return -1;
}

/* The stage an application of the sub-contest is at: 1, 0 (none) or -1. */
static int app_of(struct req *r, int64_t comp, int64_t app_id, char *status,
		  char *stage)
{
	struct db_param p[2] = { DB_P_INT(app_id), DB_P_INT(comp) };
	struct db_rows *rows =
		db_query(r->db,
			 "SELECT status, stage FROM applications WHERE id = $1 "
			 "AND competition_id = $2 AND deleted_at IS NULL",
			 2, p);
	int rc;

	if (!rows)
		return -1;
	rc = db_next(rows);
	if (rc == 1) {
		db_col_copy(rows, 0, status, 16);
		db_col_copy(rows, 1, stage, 16);
	}
	db_rows_free(rows);
	return rc;
}

static json_t *int_field(struct req *r, const char *key, const char *label,
			 int64_t *out)
{
	json_t *v = json_object_get(r->json, key);
	char *msg;

	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		msg = arena_printf(&r->arena, "请选择%s", label);
		req_field_error(r, key, v ? "type" : "required",
				msg ? msg : label);
		return NULL;
	}
	*out = json_integer_value(v);
	return v;
}

int api_judging_assignment_add(struct req *r)
{
	static const char *const keys[] = { "application_id", "judge_id",
					    NULL };
	const char *stage = path_stage(r), *unit = NULL;
	struct world w = { 0 };
	char status[16] = "", at[16] = "";
	int64_t comp = 0, app = 0, judge = 0, id = 0;
	long pi, ji;
	int rc;

	if (!stage)
		return -1;
	in_only(r, keys);
	int_field(r, "application_id", "项目", &app);
	int_field(r, "judge_id", "评审专家", &judge);
	if (input_has_errors(r))
		return input_failed(r);
	if (admin_of(r, &comp) < 0)
		return -1;
	if (db_begin_write(r->db) < 0)
		return api_db_failed(r, r->db);
	rc = app_of(r, comp, app, status, at);
	if (rc < 0) {
		api_db_failed(r, r->db);
		goto fail;
	}
	if (rc == 0) {
		req_fail(r, E_NOT_FOUND, "not_found", "项目不存在");
		goto fail;
	}
	if (strcmp(status, "approved") || strcmp(at, stage)) {
		req_fail(r, E_CONFLICT, "not_in_stage", "该项目不在此阶段");
		goto fail;
	}
	if (world_load(r, comp, stage, 0, &w) < 0)
		goto fail;
	pi = project_index(&w, app);
	ji = judge_index(&w, judge);
	if (ji < 0) {
		req_fail(r, E_NOT_FOUND, "judge_not_found", "评审专家不存在");
		goto fail;
	}
	if (pi < 0) { /* moved between the two reads: cannot happen in tx */
		req_fail(r, E_CONFLICT, "not_in_stage", "该项目不在此阶段");
		goto fail;
	}
	if (dom_judging_conflict(&w.j[ji], &w.p[pi], &unit)) {
		if (*unit)
			req_fail(r, E_CONFLICT, "conflict_of_interest",
				 "该评审专家与项目单位“%s”存在利益冲突", unit);
		else
			req_fail(r, E_CONFLICT, "conflict_of_interest",
				 "该评审专家已声明与该项目存在利益冲突");
		goto fail;
	}
	/* The same rule as 自动分配: a judge of named tracks judges those. */
	if (!dom_judging_track_ok(&w.j[ji], w.p[pi].track_id)) {
		req_fail(r, E_CONFLICT, "track_mismatch",
			 "该评审专家不负责此项目所在的赛道");
		goto fail;
	}
	for (size_t k = 0; k < w.p[pi].n_judges; k++)
		if (w.p[pi].judges[k] == judge) {
			req_fail(r, E_CONFLICT, "already_assigned",
				 "该评审专家已分配到此项目");
			goto fail;
		}
	if (store_assignment_add(r->db, comp, stage, app, judge, r->user_id,
				 clock_now(), &id) < 0 &&
	    db_is_unique_violation(r->db)) {
		req_fail(r, E_CONFLICT, "already_assigned",
			 "该评审专家已分配到此项目");
		goto fail;
	}
	if (!id ||
	    console_audit(r, "judging_assignment_add", "application", app, comp,
			  json_pack("{s:s, s:I, s:I}", "stage", stage,
				    "judge_id", (json_int_t)judge,
				    "assignment_id", (json_int_t)id)) < 0 ||
	    db_commit(r->db) < 0) {
		api_db_failed(r, r->db);
		goto fail;
	}
	{
		const json_t *jr = json_array_get(w.judges, (size_t)ji);
		const char *nm = sv(jr, "name");
		json_t *body = json_pack(
			"{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:n}",
			"assignment_id", (json_int_t)id, "application_id",
			(json_int_t)app, "project_name",
			app_name(&w, (size_t)pi), "stage", stage, "user_id",
			(json_int_t)judge, "name", *nm ? nm : sv(jr, "account"),
			"status", "assigned", "submitted_at");
		world_release(&w);
		return api_send(r, 201, body);
	}
fail:
	if (db_in_tx(r->db))
		db_rollback(r->db);
	world_release(&w);
	return -1;
}

int api_judging_assignment_delete(struct req *r)
{
	struct assignment_row a;
	int64_t comp = 0, id = 0;
	int rc;

	if (admin_of(r, &comp) < 0)
		return -1;
	if (str_to_i64(req_param(r, "assignment_id"), 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "评审分配不存在");
	if (db_begin_write(r->db) < 0)
		return api_db_failed(r, r->db);
	rc = store_assignment_get(r->db, id, 0, &a);
	if (rc < 0)
		goto db_fail;
	if (rc == 0 || a.competition_id != comp) {
		assignment_row_release(&a);
		db_rollback(r->db);
		return req_fail(r, E_NOT_FOUND, "not_found", "评审分配不存在");
	}
	if (a.submitted_at) {
		assignment_row_release(&a);
		db_rollback(r->db);
		return req_fail(r, E_CONFLICT, "score_submitted",
				"该专家已提交评分，不能移除");
	}
	if (store_assignment_delete(r->db, id) < 0 ||
	    console_audit(r, "judging_assignment_remove", "application",
			  a.application_id, comp,
			  json_pack("{s:s, s:I, s:s, s:o?}", "stage", a.stage,
				    "judge_id", (json_int_t)a.judge_id,
				    "status", a.status, "scores",
				    a.scores ? json_loads(a.scores, 0, NULL)
					     : NULL)) < 0 ||
	    db_commit(r->db) < 0) {
		assignment_row_release(&a);
		goto db_fail;
	}
	assignment_row_release(&a);
	return api_send(r, 200, json_pack("{s:b}", "removed", 1));
db_fail:
	if (db_in_tx(r->db))
		db_rollback(r->db);
	return api_db_failed(r, r->db);
}

/* ---- the judge's side ------------------------------------------------- */

/* Whether the signed-in user judges anywhere: 1, 0 or -1. */
static int is_judge(struct req *r)
{
	struct db_param p[1] = { DB_P_INT(r->user_id) };

	return counts_any(r,
			  "SELECT COUNT(*) FROM user_roles WHERE user_id = $1 "
			  "AND role = 'judge'",
			  1, p);
}

/* The rubrics the judge's items need, read once per sub-contest and stage. */
struct rubric_cache {
	int64_t comp[8];
	char stage[8][16];
	json_t *criteria[8];
	int n;
};

static const json_t *cached_criteria(struct req *r, struct rubric_cache *c,
				     int64_t comp, const char *stage)
{
	struct rubric rb;

	for (int i = 0; i < c->n; i++)
		if (c->comp[i] == comp && !strcmp(c->stage[i], stage))
			return c->criteria[i];
	if (rubric_load(r, comp, stage, &rb) < 0)
		return NULL;
	if (c->n == 8) { /* a judge of many sub-contests: drop the oldest */
		json_decref(c->criteria[0]);
		memmove(&c->comp[0], &c->comp[1], 7 * sizeof(c->comp[0]));
		memmove(&c->stage[0], &c->stage[1], 7 * sizeof(c->stage[0]));
		memmove(&c->criteria[0], &c->criteria[1],
			7 * sizeof(c->criteria[0]));
		c->n = 7;
	}
	c->comp[c->n] = comp;
	snprintf(c->stage[c->n], sizeof(c->stage[0]), "%s", stage);
	c->criteria[c->n] = rb.criteria;
	return c->criteria[c->n++];
}

static void cache_release(struct rubric_cache *c)
{
	for (int i = 0; i < c->n; i++)
		json_decref(c->criteria[i]);
	c->n = 0;
}

/* 2-decimal rounding for the totals shown. */
static json_t *total_json(const json_t *criteria, const json_t *scores)
{
	double t = scores ? rubric_total(criteria, scores) : -1;

	return t < 0 ? json_null() : json_real(round(t * 100) / 100);
}

static bool window_open(int64_t opens, int64_t closes, int64_t now)
{
	return opens && closes && opens <= now && now < closes;
}

/*
 * Turns a row of store_judge_assignments() into the item the judge sees
 * (the store's helper members removed), with the own total.
 */
static json_t *item_json(struct req *r, struct rubric_cache *c, json_t *row)
{
	const char *stage = sv(row, "stage");
	const json_t *criteria = cached_criteria(
		r, c,
		json_integer_value(json_object_get(row, "competition_id")),
		stage);
	const char *st = sv(row, "scores");
	json_t *scores = *st ? json_loads(st, 0, NULL) : NULL, *item;
	int64_t opens =
		json_integer_value(json_object_get(row, "scoring_opens"));
	int64_t closes =
		json_integer_value(json_object_get(row, "scoring_closes"));
	const char *status = "assigned";

	if (!criteria) {
		json_decref(scores);
		return NULL;
	}
	if (!json_is_null(json_object_get(row, "submitted_at")))
		status = "submitted";
	else if (!json_is_null(json_object_get(row, "saved_at")))
		status = "saved";
	item = json_pack(
		"{s:O, s:O, s:O, s:s, s:s, s:O, s:O, s:O, s:O, s:O, s:s, s:o, "
		"s:O, s:O, s:{s:o, s:o, s:b}}",
		"id", json_object_get(row, "id"), "competition",
		json_object_get(row, "competition"), "competition_name",
		json_object_get(row, "competition_name"), "stage", stage,
		"stage_label", stage_label(stage), "application_id",
		json_object_get(row, "application_id"), "project_name",
		json_object_get(row, "project_name"), "team_name",
		json_object_get(row, "team_name"), "track_name",
		json_object_get(row, "track_name"), "topic_name",
		json_object_get(row, "topic_name"), "status", status, "total",
		total_json(criteria, scores), "saved_at",
		json_object_get(row, "saved_at"), "submitted_at",
		json_object_get(row, "submitted_at"), "window", "opens",
		num_or_null(opens), "closes", num_or_null(closes), "open",
		window_open(opens, closes, clock_now()));
	json_decref(scores);
	return item;
}

int api_judge_assignments(struct req *r)
{
	bool bad = false;
	const char *stage = req_query(r, "stage", &bad);
	struct rubric_cache cache = { .n = 0 };
	json_t *rows, *items, *row;
	int64_t submitted = 0;
	size_t i;
	int jr;

	if (bad || (stage && *stage && !rubric_stage_known(stage)))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"评审阶段应为 preliminary 或 final");
	if (!req_db(r))
		return -1;
	jr = is_judge(r);
	if (jr < 0)
		return api_db_failed(r, r->db);
	if (!jr)
		return req_fail(r, E_FORBIDDEN, "forbidden",
				"需要评审专家权限");
	rows = store_judge_assignments(r->db, r->user_id,
				       stage && *stage ? stage : NULL, 0);
	if (!rows)
		return api_db_failed(r, r->db);
	items = json_array();
	json_array_foreach (rows, i, row) {
		json_t *item = item_json(r, &cache, row);
		if (!item) {
			cache_release(&cache);
			json_decref(rows);
			json_decref(items);
			return r->err.kind ? -1 : api_db_failed(r, r->db);
		}
		if (!strcmp(sv(item, "status"), "submitted"))
			submitted++;
		json_array_append_new(items, item);
	}
	cache_release(&cache);
	json_decref(rows);
	return api_send(r, 200,
			json_pack("{s:o, s:{s:I, s:I}}", "items", items,
				  "progress", "assigned",
				  (json_int_t)json_array_size(items),
				  "submitted", (json_int_t)submitted));
}

/*
 * The judge's assignment of the route's {id}: its row in a (release it)
 * and the list item. Anyone else's, a declined one, or one of a
 * sub-contest the user no longer judges is 404.
 */
static int own_assignment(struct req *r, struct assignment_row *a,
			  json_t **item)
{
	struct rubric_cache cache = { .n = 0 };
	json_t *rows;
	int64_t id = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	if (item)
		*item = NULL;
	if (str_to_i64(req_param(r, "id"), 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "评审任务不存在");
	if (!req_db(r))
		return -1;
	rc = store_assignment_get(r->db, id, r->user_id, a);
	if (rc < 0)
		return api_db_failed(r, r->db);
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "评审任务不存在");
	if (!item)
		return 0;
	rows = store_judge_assignments(r->db, r->user_id, NULL, id);
	if (!rows) {
		assignment_row_release(a);
		return api_db_failed(r, r->db);
	}
	if (!json_array_size(rows)) {
		/* The application was deleted. */
		json_decref(rows);
		assignment_row_release(a);
		return req_fail(r, E_NOT_FOUND, "not_found", "评审任务不存在");
	}
	*item = item_json(r, &cache, json_array_get(rows, 0));
	cache_release(&cache);
	json_decref(rows);
	if (!*item) {
		assignment_row_release(a);
		return r->err.kind ? -1 : api_db_failed(r, r->db);
	}
	return 0;
}

static json_t *score_json(const struct assignment_row *a,
			  const json_t *criteria)
{
	json_t *scores = a->scores ? json_loads(a->scores, 0, NULL) : NULL;

	if (!json_is_object(scores)) {
		json_decref(scores);
		scores = json_object();
	}
	/* "o" takes scores even when the pack fails. */
	return json_pack("{s:o, s:s, s:o, s:o, s:o}", "scores", scores,
			 "comment", a->comment ? a->comment : "", "total",
			 total_json(criteria, scores), "saved_at",
			 num_or_null(a->saved_at), "submitted_at",
			 num_or_null(a->submitted_at));
}

int api_judge_assignment_get(struct req *r)
{
	struct assignment_row a;
	struct app_row app;
	struct rubric rb;
	json_t *item = NULL, *doc = NULL, *files = NULL, *list, *f, *score;
	json_t *body, *track_id;
	size_t i;
	int rc;

	if (own_assignment(r, &a, &item) < 0)
		return -1;
	if (rubric_load(r, a.competition_id, a.stage, &rb) < 0) {
		json_decref(item);
		assignment_row_release(&a);
		return -1;
	}
	rc = store_app_get(r->db, a.application_id, 0, &app);
	if (rc == 1) {
		doc = json_loads(app.doc, 0, NULL);
		/* A judge sees what reviewers see: identifiers masked. */
		if (!doc || doc_unseal(doc) < 0 || doc_mask(r, doc) < 0) {
			json_decref(doc);
			doc = NULL;
		}
		files = store_att_list(r->db, app.id, false);
	}
	if (rc != 1 || !doc || !files) {
		if (rc == 1)
			app_row_release(&app);
		json_decref(doc);
		json_decref(files);
		json_decref(item);
		json_decref(rb.criteria);
		assignment_row_release(&a);
		return rc < 0 || (rc == 1 && !files)
			       ? api_db_failed(r, r->db)
			       : req_fail(r, E_INTERNAL, "document",
					  "application %lld unreadable",
					  (long long)a.application_id);
	}
	list = json_array();
	json_array_foreach (files, i, f)
		json_array_append_new(
			list,
			json_pack("{s:O, s:O, s:O?, s:O, s:O, s:O, s:O}", "id",
				  json_object_get(f, "id"), "slot",
				  json_object_get(f, "slot"), "row",
				  json_object_get(f, "row"), "filename",
				  json_object_get(f, "file_name"), "size",
				  json_object_get(f, "size"), "sha256",
				  json_object_get(f, "sha256"), "content_type",
				  json_object_get(f, "mime")));
	score = score_json(&a, rb.criteria);
	track_id = app.track_id ? json_integer(app.track_id) : json_null();
	body = json_pack(
		"{s:o, s:{s:I, s:{s:o, s:O}, s:{s:O}, s:o}, s:o, s:{s:O}, "
		"s:o}",
		"assignment", item, "application", "id", (json_int_t)app.id,
		"track", "id", track_id, "name",
		json_object_get(item, "track_name"), "topic", "name",
		json_object_get(item, "topic_name"), "document", doc,
		"attachments", list, "rubric", "criteria", rb.criteria, "score",
		score);
	app_row_release(&app);
	json_decref(files);
	json_decref(rb.criteria);
	assignment_row_release(&a);
	return api_send(r, 200, body);
}

int api_judge_attachment_get(struct req *r)
{
	struct assignment_row a;
	int64_t app;

	if (own_assignment(r, &a, NULL) < 0)
		return -1;
	app = a.application_id;
	assignment_row_release(&a);
	/* As the applicant sees them: the current files only. */
	return api_attachment_send(r, app, true);
}

int api_judge_pdf(struct req *r)
{
	struct assignment_row a;
	struct app_row app;
	int rc;

	if (own_assignment(r, &a, NULL) < 0)
		return -1;
	rc = store_app_get(r->db, a.application_id, 0, &app);
	assignment_row_release(&a);
	if (rc < 0)
		return api_db_failed(r, r->db);
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "评审任务不存在");
	rc = doc_send_app_pdf(r, &app, true,
			      "评审视图：证件号码、手机号等个人信息已脱敏。");
	app_row_release(&app);
	return rc;
}

/*
 * Reads "scores" and "comment" of the body over the saved sheet into
 * *scores (new reference) and *comment (arena or the saved one). Records
 * field errors. Returns 0, or -1 when out of memory.
 */
static int read_sheet(struct req *r, const struct assignment_row *a,
		      const json_t *criteria, json_t **scores,
		      const char **comment)
{
	json_t *in = json_object_get(r->json, "scores"), *v, *c;
	json_t *cv = json_object_get(r->json, "comment");
	const char *key;
	char field[80], msg[96];
	size_t i;

	*scores = a->scores ? json_loads(a->scores, 0, NULL) : NULL;
	if (!json_is_object(*scores)) {
		json_decref(*scores);
		*scores = json_object();
	}
	if (!*scores)
		return -1;
	*comment = a->comment ? a->comment : "";
	if (in && !json_is_object(in)) {
		req_field_error(r, "scores", "type", "评分应为对象");
		in = NULL;
	}
	json_object_foreach (in, key, v) {
		const json_t *crit = NULL;
		snprintf(field, sizeof(field), "scores.%.64s", key);
		json_array_foreach (criteria, i, c)
			if (!strcmp(sv(c, "key"), key))
				crit = c;
		if (!crit) {
			req_field_error(r, field, "unknown_field",
					"不是本评分标准的评分项");
			continue;
		}
		if (json_is_null(v)) {
			json_object_del(*scores, key);
			continue;
		}
		{
			int max = (int)json_integer_value(
				json_object_get(crit, "max"));
			if (!json_is_number(v) ||
			    !dom_judging_score_ok(json_number_value(v), max)) {
				snprintf(msg, sizeof(msg),
					 "分值须在 0–%d 之间，最多一位小数",
					 max);
				req_field_error(r, field, "range", msg);
				continue;
			}
		}
		json_object_set(*scores, key, v);
	}
	if (cv && !json_is_null(cv)) {
		if (!json_is_string(cv)) {
			req_field_error(r, "comment", "type", "评语应为文本");
		} else {
			const char *s = json_string_value(cv);
			size_t n = 0;
			for (const char *p = s; *p; p++)
				if (((unsigned char)*p & 0xC0) != 0x80)
					n++;
			if (n > COMMENT_MAX)
				req_field_error(r, "comment", "too_long",
						"评语不能超过 2000 字");
			else
				*comment = s;
		}
	} else if (cv) {
		*comment = "";
	}
	return 0;
}

/* Saves (and with submit, submits) the judge's sheet. */
static int sheet_write(struct req *r, bool submit)
{
	static const char *const keys[] = { "scores", "comment", NULL };
	struct assignment_row a;
	struct rubric rb = { 0 };
	json_t *scores = NULL, *c, *score = NULL;
	const char *comment = NULL, *e;
	char *text = NULL, *dup, field[80], *msg;
	int64_t now = clock_now();
	bool done = false;
	size_t i;
	int rc;

	if (own_assignment(r, &a, NULL) < 0)
		return -1;
	if (r->json)
		in_only(r, keys);
	if (rubric_load(r, a.competition_id, a.stage, &rb) < 0)
		goto out;
	if (a.submitted_at) {
		req_fail(r, E_CONFLICT, "score_submitted",
			 "评分已提交，不能修改");
		goto out;
	}
	if (!rb.opens || !rb.closes || now < rb.opens) {
		req_fail(r, E_CONFLICT, "scoring_not_open", "评分尚未开始");
		goto out;
	}
	if (now >= rb.closes) {
		req_fail(r, E_CONFLICT, "scoring_closed", "评分时间已结束");
		goto out;
	}
	if (read_sheet(r, &a, rb.criteria, &scores, &comment) < 0) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto out;
	}
	if (submit && !input_has_errors(r)) {
		json_array_foreach (rb.criteria, i, c) {
			if (rubric_points(c, scores) >= 0)
				continue;
			snprintf(field, sizeof(field), "scores.%s",
				 sv(c, "key"));
			msg = arena_printf(&r->arena, "请为“%s”打分",
					   sv(c, "name"));
			req_field_error(r, field, "required",
					msg ? msg : "请打分");
		}
		for (e = comment; *e == ' ' || *e == '\n' || *e == '\t'; e++)
			;
		if (!*e)
			req_field_error(r, "comment", "required", "请填写评语");
	}
	if (input_has_errors(r)) {
		input_failed(r);
		goto out;
	}
	text = json_dumps(scores, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto out;
	}
	if (db_begin_write(r->db) < 0)
		goto db_fail;
	rc = store_assignment_save(r->db, a.id, text, comment, submit, now);
	if (rc < 0)
		goto db_fail;
	if (rc == 0) {
		db_rollback(r->db);
		req_fail(r, E_CONFLICT, "score_submitted",
			 "评分已提交，不能修改");
		goto out;
	}
	if (console_audit(r, submit ? "score_submit" : "score_save",
			  "judge_assignment", a.id, a.competition_id,
			  json_pack("{s:I, s:s, s:O, s:o}", "application_id",
				    (json_int_t)a.application_id, "stage",
				    a.stage, "scores", scores, "total",
				    total_json(rb.criteria, scores))) < 0 ||
	    db_commit(r->db) < 0)
		goto db_fail;
	/* comment may be the saved one: copy it before that goes. */
	dup = strdup(comment);
	free(a.scores);
	free(a.comment);
	a.scores = text;
	a.comment = dup;
	text = NULL;
	a.saved_at = now;
	if (submit)
		a.submitted_at = now;
	score = score_json(&a, rb.criteria);
	done = true;
	goto out;
db_fail:
	api_db_failed(r, r->db);
out:
	if (r->db && db_in_tx(r->db))
		db_rollback(r->db);
	free(text);
	json_decref(scores);
	json_decref(rb.criteria);
	assignment_row_release(&a);
	return done ? api_send(r, 200, score) : -1;
}

int api_judge_score_put(struct req *r)
{
	return sheet_write(r, false);
}

int api_judge_submit(struct req *r)
{
	return sheet_write(r, true);
}

int api_judge_conflict(struct req *r)
{
	static const char *const keys[] = { "reason", NULL };
	struct assignment_row a;
	struct world w = { 0 };
	const char *reason;
	int64_t new_id = 0, new_judge = 0;
	long pi, k = -1;
	int rc;

	in_only(r, keys);
	reason = in_str(r, "reason", "回避理由", true, REASON_MAX);
	if (input_has_errors(r))
		return input_failed(r);
	if (own_assignment(r, &a, NULL) < 0)
		return -1;
	if (a.submitted_at) {
		assignment_row_release(&a);
		return req_fail(r, E_CONFLICT, "score_submitted",
				"评分已提交，不能再申报利益冲突");
	}
	if (db_begin_write(r->db) < 0)
		goto db_fail;
	rc = store_assignment_decline(r->db, a.id, reason, clock_now());
	if (rc < 0)
		goto db_fail;
	if (rc == 0) {
		db_rollback(r->db);
		assignment_row_release(&a);
		return req_fail(r, E_CONFLICT, "score_submitted",
				"评分已提交，不能再申报利益冲突");
	}
	/* The replacement: as the automatic assignment would pick. */
	if (world_load(r, a.competition_id, a.stage, 0, &w) < 0)
		goto fail;
	pi = project_index(&w, a.application_id);
	if (pi >= 0)
		k = dom_judging_pick_one(w.j, w.nj, &w.p[pi], NULL, 0);
	if (k >= 0) {
		new_judge = w.j[k].id;
		if (store_assignment_add(r->db, a.competition_id, a.stage,
					 a.application_id, new_judge, 0,
					 clock_now(), &new_id) < 0)
			goto db_fail;
	}
	if (console_audit(r, "judge_conflict_declare", "judge_assignment", a.id,
			  a.competition_id,
			  json_pack("{s:I, s:s, s:s, s:o, s:o}",
				    "application_id",
				    (json_int_t)a.application_id, "stage",
				    a.stage, "reason", reason, "reassigned_to",
				    num_or_null(new_judge), "new_assignment_id",
				    num_or_null(new_id))) < 0 ||
	    db_commit(r->db) < 0)
		goto db_fail;
	world_release(&w);
	assignment_row_release(&a);
	return api_send(r, 200,
			json_pack("{s:b, s:b}", "declined", 1,
				  "reassigned_to_another", k >= 0));
db_fail:
	api_db_failed(r, r->db);
fail:
	if (db_in_tx(r->db))
		db_rollback(r->db);
	world_release(&w);
	assignment_row_release(&a);
	return -1;
}
