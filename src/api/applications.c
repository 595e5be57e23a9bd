/*
 * applications.c: 参赛报名 records — create, list (我的赛事), read, save
 * (PUT whole / PATCH one section), validate, submit, delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "api.h"
#include "errors.h"
#include "applications.h"
#include "attachments.h"
#include "catalog_cache.h"
#include "console.h"
#include "eligibility.h"
#include "input.h"
#include "notices.h"
#include "roles.h"
#include "../app.h"
#include "../crypto/crypto.h"
#include "../domain/docjson.h"
#include "../domain/form.h"
#include "../domain/ident.h"
#include "../store/applications.h"
#include "../store/audit.h"
#include "../store/awards.h"
#include "../store/attachments.h"
#include "../store/console.h"
#include "../store/writer.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

#define DEMO_BEFORE (30 * 86400)
#define DEMO_AFTER (60 * 86400)
#define MAX_PEOPLE 16

static int64_t iso_or_zero(const json_t *v)
{
	int64_t t = 0;
	const char *s = json_string_value(v);
	if (!s || time_parse_iso(s, &t) < 0)
		return 0;
	return t;
}

void app_window(struct req *r, const json_t *competition,
		int64_t competition_id, struct lc_window *w)
{
	const json_t *reg = json_object_get(competition, "registration");
	char *resubmit = NULL;

	memset(w, 0, sizeof(*w));
	if (r->app->cfg.demo) {
		/*
		 * 演示: the 2026 dates are past; let a visitor walk the journey.
		 * The window sits around the real today, time() and not
		 * clock_now(): placed by the clock it judges, it moved with the
		 * test clock and no test could ever get past its close.
		 */
		int64_t today = (int64_t)time(NULL);
		w->opens = today - DEMO_BEFORE;
		w->closes = today + DEMO_AFTER;
		return;
	}
	w->opens = iso_or_zero(json_object_get(reg, "opens"));
	w->closes = iso_or_zero(json_object_get(reg, "closes"));
	if (r->db && competition_id)
		resubmit = store_competition_resubmit_closes(r->db,
							     competition_id);
	if (resubmit) {
		if (time_parse_iso(resubmit, &w->resubmit_closes) < 0)
			w->resubmit_closes = 0;
		free(resubmit);
	}
}

/* Walks every string of a document, sealing or unsealing in place. */
static int walk_strings(json_t *v, int (*fn)(json_t *holder, const char *key,
					     size_t index, json_t *value))
{
	if (json_is_object(v)) {
		const char *key;
		json_t *child;
		json_object_foreach (v, key, child) {
			if (json_is_string(child)) {
				if (fn(v, key, 0, child) < 0)
					return -1;
			} else if (walk_strings(child, fn) < 0) {
				return -1;
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *child;
		json_array_foreach (v, i, child) {
			if (json_is_string(child)) {
				if (fn(v, NULL, i, child) < 0)
					return -1;
			} else if (walk_strings(child, fn) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

static int unseal_one(json_t *holder, const char *key, size_t index,
		      json_t *value)
{
	const char *s = json_string_value(value);
	size_t len = 0;
	char *plain;
	int rc;

	if (strncmp(s, FORM_SEAL_PREFIX, sizeof(FORM_SEAL_PREFIX) - 1))
		return 0;
	plain = cr_open(s + sizeof(FORM_SEAL_PREFIX) - 1, &len);
	if (!plain)
		return -1;
	rc = key ? json_object_set_new(holder, key, json_stringn(plain, len))
		 : json_array_set_new(holder, index, json_stringn(plain, len));
	free(plain);
	return rc;
}

int doc_unseal(json_t *doc)
{
	return walk_strings(doc, unseal_one);
}

json_t *doc_parent_of(json_t *doc, const char *path, char *last, size_t lastn)
{
	json_t *v = doc;
	const char *p = path, *dot = strrchr(path, '.');

	if (!dot || strlen(dot + 1) >= lastn)
		return NULL;
	snprintf(last, lastn, "%s", dot + 1);
	while (p < dot && v) {
		char key[64];
		size_t n = strcspn(p, ".[");
		if (n == 0 || n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		p += n;
		while (*p == '[' && v) {
			int64_t idx;
			size_t m = strcspn(p + 1, "]");
			if (p[1 + m] != ']' ||
			    str_to_i64((struct str){ p + 1, m }, 0, 100000,
				       &idx) < 0)
				return NULL;
			v = json_array_get(v, (size_t)idx);
			p += m + 2;
		}
		if (*p == '.')
			p++;
	}
	return json_is_object(v) ? v : NULL;
}

/* The paths of a document's ID numbers ([0]) and mobile numbers ([1]). */
struct seal_ctx {
	char paths[2][64][128];
	int n[2];
};

/* One value doc_seal() replaced: the clear one, to be put back. */
struct sealed_value {
	json_t *parent;
	char *key;     /* in the request's arena */
	json_t *plain; /* a reference of our own */
};

struct seal_log {
	struct sealed_value *v;
	size_t n, cap;
};

/* Replaces parent[key] (a non-empty string) by its sealed form. */
static int seal_value(struct req *r, struct seal_log *log, json_t *parent,
		      const char *key)
{
	json_t *plain = json_object_get(parent, key);
	const char *v = json_string_value(plain);
	char *sealed, *text, *k;

	if (!v || !*v ||
	    !strncmp(v, FORM_SEAL_PREFIX, sizeof(FORM_SEAL_PREFIX) - 1))
		return 0;
	if (log->n == log->cap)
		return -1;
	sealed = cr_seal(v, strlen(v));
	text = sealed ? arena_printf(&r->arena, "%s%s", FORM_SEAL_PREFIX,
				     sealed)
		      : NULL;
	free(sealed);
	k = arena_strdup(&r->arena, key);
	if (!text || !k)
		return -1;
	json_incref(plain);
	if (json_object_set_new(parent, key, json_string(text)) < 0) {
		json_decref(plain);
		return -1;
	}
	log->v[log->n++] = (struct sealed_value){ parent, k, plain };
	return 0;
}

/*
 * Puts the clear values doc_seal() replaced back where they were (an
 * object keeps a key's place when its value is replaced), so the one
 * document serves the stored text, the rules and the answer.
 */
static void doc_unseal_log(struct seal_log *log)
{
	while (log->n > 0) {
		struct sealed_value *v = &log->v[--log->n];
		json_object_set_new(v->parent, v->key, v->plain);
	}
}

/*
 * Seals every ID number and mobile number of the document in place (the
 * stored text never holds them in the clear: PIPL; DESIGN §6) at the
 * paths idents_walk() found, noting each in log for doc_unseal_log(),
 * which the caller runs whatever this returns.
 */
static int doc_seal(struct req *r, json_t *doc, const struct seal_ctx *c,
		    struct seal_log *log)
{
	json_t *units = json_object_get(doc, "units"), *u;
	size_t i;

	log->n = 0;
	log->cap = json_array_size(units) + 2 * 64;
	log->v = arena_alloc(&r->arena, log->cap * sizeof(*log->v));
	if (!log->v) {
		log->cap = 0;
		return -1;
	}
	/*
	 * 参赛单位的联系方式 is free text (it may be a landline) but is a
	 * phone number all the same: it is sealed like the mobile fields.
	 */
	json_array_foreach (units, i, u)
		if (json_is_object(u) &&
		    seal_value(r, log, u, "contact_phone") < 0)
			return -1;
	for (size_t k = 0; k < 2; k++) {
		for (int j = 0; j < c->n[k]; j++) {
			char last[64];
			json_t *parent = doc_parent_of(doc, c->paths[k][j],
						       last, sizeof(last));
			if (parent && seal_value(r, log, parent, last) < 0)
				return -1;
		}
	}
	return 0;
}

struct people_ctx {
	struct req *r;
	const json_t *doc;
	const char *hashes[MAX_PEOPLE];
	int n;
};

struct idents_ctx {
	struct seal_ctx *seal;
	struct people_ctx *people;
};

/*
 * One walk of the form for what a save needs of the identifiers: the
 * keyed hash of each member's ID number (one person, one team) and the
 * paths to seal.
 */
static void ident(const char *path, const char *kind, const json_t *value,
		  void *cls)
{
	struct idents_ctx *x = cls;
	struct seal_ctx *c = x->seal;
	struct people_ctx *p = x->people;
	int k = strcmp(kind, "id_number") ? 1 : 0;
	char *h;

	if (!json_is_string(value))
		return;
	if (json_string_length(value) && c->n[k] < 64)
		snprintf(c->paths[k][c->n[k]++], sizeof(c->paths[0][0]), "%s",
			 path);
	if (k || p->n >= MAX_PEOPLE)
		return;
	h = arena_alloc(&p->r->arena, CR_HASH_HEX);
	if (h && elig_person_hash(json_string_value(value), h) == 0)
		p->hashes[p->n++] = h;
}

static int idents_walk(struct req *r, const json_t *doc, struct seal_ctx *seal,
		       struct people_ctx *people)
{
	static const char *const kinds[] = { "id_number", "mobile", NULL };
	struct idents_ctx x = { seal, people };

	seal->n[0] = seal->n[1] = 0;
	return form_each_of(r->app->form, doc, kinds, ident, &x) < 0 ? -1 : 0;
}

static const char *doc_str(const json_t *doc, const char *path)
{
	const char *s = json_string_value(form_get(doc, path));
	return s ? s : "";
}

/* Looks the document's track and topic up; records field errors. */
static void resolve_refs(struct req *r, const json_t *comp, const json_t *doc,
			 struct app_summary *s)
{
	const char *slug = json_string_value(json_object_get(comp, "slug"));
	const json_t *c = form_get(doc, "basic.competition");
	const json_t *tk = form_get(doc, "basic.track");
	const json_t *tp = form_get(doc, "basic.topic");
	const json_t *track = NULL, *topic;

	if (c && !json_is_null(c) &&
	    (!json_is_string(c) || strcmp(json_string_value(c), slug)))
		req_field_error(r, "basic.competition", "competition_fixed",
				"报名所属赛事在创建时已确定，不能更改");
	if (json_is_string(tk) && json_string_length(tk)) {
		track = catalog_track(comp, json_string_value(tk));
		if (!track)
			req_field_error(r, "basic.track", "not_an_option",
					"所选赛道不属于本分赛");
		else
			s->track_id = json_integer_value(
				json_object_get(track, "id"));
	}
	/* (一) 赛道及参赛方向 repeats page 01's track in the spec's words. */
	{
		const char *dir = json_string_value(
			form_get(doc, "project.track_direction"));
		const char *name = track ? json_string_value(json_object_get(
						   track, "name"))
					 : NULL;
		size_t dl = dir ? strlen(dir) : 0;
		static const char suffix[] = "赛道";

		if (dl > sizeof(suffix) - 1 &&
		    !strcmp(dir + dl - (sizeof(suffix) - 1), suffix))
			dl -= sizeof(suffix) - 1;
		if (dir && *dir && name &&
		    (strlen(name) != dl || strncmp(dir, name, dl)))
			req_field_error(
				r, "project.track_direction", "track_mismatch",
				"赛道及参赛方向须与基础信息中选择的赛道一致");
	}
	if (json_is_integer(tp)) {
		if (!track) {
			req_field_error(r, "basic.topic", "track_first",
					"请先选择赛道");
		} else if (!(topic = catalog_topic(track,
						   json_integer_value(tp)))) {
			req_field_error(r, "basic.topic", "not_an_option",
					"所选赛题不属于该赛道");
		} else {
			s->topic_id = json_integer_value(
				json_object_get(topic, "id"));
		}
	}
}

/*
 * The organisers' queue filters on 所在地区 and the lead unit's 单位性质,
 * which live deep in the document: keep them beside it.
 */
static void summary_extra(const json_t *doc, struct app_summary *s)
{
	const json_t *region = form_get(doc, "basic.region"), *v, *u;
	size_t i;

	s->region = "";
	json_array_foreach (region, i, v)
		if (json_is_string(v) && json_string_length(v) &&
		    json_string_length(v) <= 12)
			s->region = json_string_value(v);
	s->lead_nature = "";
	json_array_foreach (form_get(doc, "units"), i, u) {
		const char *nature =
			json_string_value(json_object_get(u, "nature"));
		if (json_is_true(json_object_get(u, "is_lead")) && nature &&
		    strlen(nature) <= 64) {
			s->lead_nature = nature;
			break;
		}
	}
}

/* Validation errors go on the request; checksum failures of verified codes are dropped. */
static void validate_doc(struct req *r, const json_t *doc, enum form_mode mode)
{
	json_t *errors = json_array(), *e;
	size_t i;

	if (!errors)
		return;
	form_validate(r->app->form, doc, mode, time_cn_yyyymmdd(clock_now()),
		      errors);
	json_array_foreach (errors, i, e) {
		const char *field =
			json_string_value(json_object_get(e, "field"));
		const char *code =
			json_string_value(json_object_get(e, "code"));
		size_t flen = field ? strlen(field) : 0;
		/* Only credit codes can be accepted by hand, not ID numbers. */
		if (code && field && !strcmp(code, "checksum") && r->db &&
		    flen >= 4 && !strcmp(field + flen - 4, "uscc")) {
			const char *v = json_string_value(form_get(doc, field));
			char norm[19];
			if (v) {
				ident_uscc_normalize(v, norm);
				if (norm[0] &&
				    store_uscc_is_verified(r->db, norm) == 1)
					continue;
			}
		}
		req_field_error(
			r, field ? field : "", code ? code : "invalid",
			json_string_value(json_object_get(e, "message")));
	}
	json_decref(errors);
}

/*
 * 技术验证 as the applicant sees it: null until a reviewer opens it, then
 * the instructions, the due time, when the materials were submitted, the
 * reviewer's comment, and whether a submit is possible now.
 */
static json_t *tech_object(const struct app_row *a)
{
	bool open = !strcmp(a->tech_status, "pending");

	if (!strcmp(a->tech_status, "not_started") && !a->tech_instructions)
		return json_null();
	return json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:b}", "status",
		a->tech_status, "status_label", lc_tech_label(a->tech_status),
		"instructions",
		a->tech_instructions ? json_string(a->tech_instructions)
				     : json_null(),
		"due_at",
		a->tech_due_at ? json_integer(a->tech_due_at) : json_null(),
		"submitted_at",
		a->tech_submitted_at ? json_integer(a->tech_submitted_at)
				     : json_null(),
		"comment",
		a->tech_comment ? json_string(a->tech_comment) : json_null(),
		"overdue",
		open && a->tech_due_at && clock_now() > a->tech_due_at,
		"can_submit",
		open && (!a->tech_due_at || clock_now() <= a->tech_due_at));
}

/*
 * The record as its owner sees it. minimal leaves out its document and
 * history (the answer to a save or submit that did not ask for them).
 * clear, when not NULL, is the stored document already in the clear (the
 * one just saved or checked), and a->doc is not read: parsing and
 * unsealing it again would only give the same document back.
 */
static json_t *render(struct req *r, const struct app_row *a,
		      const json_t *comp, const struct lc_window *w,
		      bool minimal, json_t *clear)
{
	json_error_t jerr;
	json_t *doc = NULL, *out, *actions, *tech, *award;
	unsigned act = lc_actions(a->status, w, clock_now());
	const char *why_not = lc_edit_refusal(a->status, w, clock_now());

	if (!minimal) {
		doc = clear ? json_incref(clear)
			    : json_loads(a->doc, JSON_REJECT_DUPLICATES, &jerr);
		if (!doc || (!clear && doc_unseal(doc) < 0)) {
			json_decref(doc);
			return NULL;
		}
	}
	actions = json_pack("{s:b, s:b, s:b, s:b}", "view", 1, "edit",
			    (act & LC_EDIT) != 0, "submit",
			    (act & LC_SUBMIT) != 0, "delete",
			    (act & LC_DELETE) != 0);
	tech = tech_object(a);
	out = json_pack(
		"{s:I, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:o, s:o, s:I, s:o, s:I, s:o, s:b, s:o}",
		"id", (json_int_t)a->id, "competition", "slug",
		json_string_value(json_object_get(comp, "slug")), "name",
		json_string_value(json_object_get(comp, "name")), "status",
		a->status, "status_label", lc_status_label(a->status), "stage",
		a->stage, "stage_label", lc_stage_label(a->stage),
		"tech_status", a->tech_status, "tech_status_label",
		lc_tech_label(a->tech_status), "tech_verification", tech,
		"return_reason",
		a->return_reason ? json_string(a->return_reason) : json_null(),
		"version", (json_int_t)a->version, "submitted_at",
		a->submitted_at ? json_integer(a->submitted_at) : json_null(),
		"saved_at", (json_int_t)a->updated_at, "read_only_reason",
		why_not ? json_string(why_not) : json_null(), "topic_locked",
		a->first_submitted_at != 0, "actions", actions);
	if (!out) {
		json_decref(doc);
		return NULL;
	}
	if (!minimal) {
		json_t *history = store_app_history(r->db, a->id);
		json_object_set_new(out, "history",
				    history ? history : json_array());
		json_object_set_new(out, "doc", doc);
	}
	/* The published award (issue 10); null until then. */
	award = store_award_public(r->db, a->id);
	json_object_set_new(out, "award", award ? award : json_null());
	return out;
}

/*
 * Whether the client asked for the whole record in the answer to a save
 * or submit (RFC 7240 "Prefer: return=representation"); without it the
 * answer leaves out the document and history, which the client has or
 * does not need, and which cost more to send than the save itself.
 * Preference-Applied tells a client that asked what it got.
 */
static bool wants_representation(struct req *r)
{
	const char *p = req_header(r, "Prefer");
	int got = 0; /* 1 minimal, 2 representation */

	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *e = p + n, *v;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(e - p) > 6 && !strncasecmp(p, "return", 6)) {
			v = p + 6;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			if (v < e && *v == '=') {
				size_t vn;
				v++;
				while (v < e && (*v == ' ' || *v == '\t'))
					v++;
				if (v < e && *v == '"')
					v++;
				vn = strcspn(v, "\" \t;,");
				if (vn == 14 &&
				    !strncasecmp(v, "representation", vn))
					got = 2;
				else if (vn == 7 &&
					 !strncasecmp(v, "minimal", vn))
					got = 1;
			}
		}
		p = *e ? e + 1 : e;
	}
	if (got)
		resp_header(r, "Preference-Applied",
			    got == 2 ? "return=representation"
				     : "return=minimal");
	return got == 2;
}

int api_app_own(struct req *r, struct app_row *a)
{
	struct str sid = req_param(r, "id");
	int64_t id = 0;
	int rc;

	if (str_to_i64(sid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (!req_db(r))
		return -1;
	rc = store_app_get(r->db, id, r->user_id, a);
	if (rc < 0)
		return api_db_failed(r, r->db);
	/* Someone else's record is as absent as a missing one (no IDOR). */
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	return 0;
}

int api_app_reviewed(struct req *r, bool unmask, struct app_row *a)
{
	struct str sid = req_param(r, "id");
	int64_t id = 0;
	int rc;

	if (str_to_i64(sid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (!req_db(r))
		return -1;
	rc = store_app_get(r->db, id, 0, a);
	if (rc < 0)
		return api_db_failed(r, r->db);
	/* A draft is the applicant's own until it is submitted. */
	if (rc == 1 && !strcmp(a->status, "draft")) {
		app_row_release(a);
		rc = 0;
	}
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (api_require_reviewer(r, a->competition_id) < 0 ||
	    (unmask && api_require_admin(r, a->competition_id) < 0)) {
		app_row_release(a);
		return -1;
	}
	return 0;
}

/* Loads the caller's application and its sub-contest. */
static int load(struct req *r, struct app_row *a,
		struct catalog_snapshot **snap, const json_t **comp)
{
	size_t i;
	const json_t *c;

	memset(a, 0, sizeof(*a));
	if (api_app_own(r, a) < 0)
		return -1;
	*snap = catalog_cache_get(r->app->catalog);
	*comp = NULL;
	if (*snap)
		json_array_foreach ((*snap)->all, i, c)
			if (json_integer_value(json_object_get(c, "id")) ==
			    a->competition_id)
				*comp = c;
	if (!*comp) {
		app_row_release(a);
		catalog_snapshot_unref(*snap);
		return req_fail(r, E_INTERNAL, "catalog",
				"application %lld has no sub-contest",
				(long long)a->id);
	}
	return 0;
}

int api_form_get(struct req *r)
{
	struct catalog_snapshot *s = catalog_cache_get(r->app->catalog);
	struct str slug = req_param(r, "slug");
	char name[80];
	const char *inm;
	bool found;

	snprintf(name, sizeof(name), "%.*s",
		 (int)(slug.len < 70 ? slug.len : 70), slug.p);
	found = s && catalog_snapshot_competition(s, name);
	catalog_snapshot_unref(s);
	if (!found)
		return req_fail(r, E_NOT_FOUND, "competition_not_found",
				"赛事不存在");
	memcpy(r->resp.etag, r->app->form_etag, sizeof(r->app->form_etag));
	r->resp.cache_control = "public, max-age=60, must-revalidate";
	inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, r->app->form_etag)) {
		r->resp.status = 304;
		r->resp.content_type = "application/json; charset=utf-8";
		return 0;
	}
	r->resp.status = 200;
	r->resp.content_type = "application/json; charset=utf-8";
	r->resp.body = r->app->form_text;
	r->resp.len = strlen(r->app->form_text);
	return 0;
}

static json_t *empty_doc(const char *slug)
{
	return json_pack("{s:{s:s}}", "basic", "competition", slug);
}

int api_application_create(struct req *r)
{
	static const char *const keys[] = { "competition", NULL };
	const char *slug = in_str(r, "competition", "所属赛事", true, 64);
	struct catalog_snapshot *snap;
	const json_t *comp;
	struct lc_window w;
	struct app_summary s = { 0, 0, "", "", "", "", "", "" };
	struct app_row a;
	const char *why;
	char *text;
	json_t *doc, *body;
	int64_t id = 0, comp_id;
	struct db *db;
	int rc;

	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	snap = catalog_cache_get(r->app->catalog);
	comp = snap ? catalog_snapshot_competition(snap, slug) : NULL;
	if (!comp) {
		catalog_snapshot_unref(snap);
		req_field_error(r, "competition", "not_found",
				"所选赛事不存在");
		return input_failed(r);
	}
	db = req_db(r);
	if (!db) {
		catalog_snapshot_unref(snap);
		return -1;
	}
	comp_id = json_integer_value(json_object_get(comp, "id"));
	app_window(r, comp, comp_id, &w);
	why = lc_create_refusal(&w, clock_now());
	if (why) {
		catalog_snapshot_unref(snap);
		return req_fail(r, E_CONFLICT, "registration_closed", "%s",
				why);
	}
	doc = empty_doc(slug);
	text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!text) {
		catalog_snapshot_unref(snap);
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	}
	if (db_begin_write(db) < 0 ||
	    store_app_create(db, r->user_id, comp_id, &s, text, clock_now(),
			     &id) < 0 ||
	    store_app_history_add(db, id, r->user_id, "create", NULL, "draft",
				  NULL, clock_now()) < 0 ||
	    console_audit(r, "create", "application", id, comp_id,
			  json_pack("{s:n, s:{s:s, s:I}}", "before", "after",
				    "status", "draft", "version", 1)) < 0 ||
	    db_commit(db) < 0) {
		free(text);
		catalog_snapshot_unref(snap);
		return api_db_failed(r, db);
	}
	free(text);
	rc = store_app_get(db, id, r->user_id, &a);
	body = rc == 1 ? render(r, &a, comp, &w, false, NULL) : NULL;
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	if (rc != 1)
		return api_db_failed(r, db);
	return api_send(r, 201, body);
}

int api_applications_list(struct req *r)
{
	struct app_filter f = { .user_id = r->user_id, .limit = 20 };
	bool bad = false, b2 = false, b3 = false;
	const char *status = req_query(r, "status", &bad);
	const char *q = req_query(r, "q", &b2);
	const char *page = req_query(r, "page", &b3);
	const char *per = NULL;
	int64_t pg = 1, pp = 20, total = 0;
	struct db *db;
	json_t *items, *it;
	size_t i;

	if (!bad && !b2 && !b3)
		per = req_query(r, "per_page", &bad);
	if (bad || b2 || b3)
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询参数格式不正确");
	if (status && *status && !lc_status_known(status))
		return req_fail(
			r, E_BAD_REQUEST, "bad_status",
			"报名状态应为 draft、submitted、approved 或 returned");
	if ((page && str_to_i64z(page, 1, 100000, &pg) < 0) ||
	    (per && str_to_i64z(per, 1, 100, &pp) < 0))
		return req_fail(r, E_BAD_REQUEST, "bad_page",
				"page 应为正整数，per_page 为 1 到 100");
	if (q && strlen(q) > 200)
		return req_fail(r, E_BAD_REQUEST, "bad_query", "关键词过长");
	f.status = status && *status ? status : NULL;
	f.keyword = q && *q ? q : NULL;
	f.limit = pp;
	f.offset = (pg - 1) * pp;
	db = req_db(r);
	if (!db)
		return -1;
	items = store_app_list(db, &f, &total);
	if (!items)
		return api_db_failed(r, db);
	/* Labels and the actions allowed now are the server's to decide. */
	{
		struct catalog_snapshot *snap =
			catalog_cache_get(r->app->catalog);
		json_array_foreach (items, i, it) {
			const char *st = json_string_value(
				json_object_get(it, "status"));
			const char *slug = json_string_value(json_object_get(
				json_object_get(it, "competition"), "slug"));
			const json_t *comp =
				snap ? catalog_snapshot_competition(snap, slug)
				     : NULL;
			struct lc_window w;
			unsigned act;

			app_window(r, comp,
				   comp ? json_integer_value(
						  json_object_get(comp, "id"))
					: 0,
				   &w);
			act = lc_actions(st, &w, clock_now());
			json_object_set_new(it, "status_label",
					    json_string(lc_status_label(st)));
			json_object_set_new(
				it, "stage_label",
				json_string(lc_stage_label(json_string_value(
					json_object_get(it, "stage")))));
			json_object_set_new(
				it, "tech_status_label",
				json_string(lc_tech_label(json_string_value(
					json_object_get(it, "tech_status")))));
			json_object_set_new(
				it, "actions",
				json_pack("{s:b, s:b, s:b, s:b}", "view", 1,
					  "edit", (act & LC_EDIT) != 0,
					  "submit", (act & LC_SUBMIT) != 0,
					  "delete", (act & LC_DELETE) != 0));
		}
		catalog_snapshot_unref(snap);
	}
	return api_send_page(r, items, total, pg, pp);
}

int api_application_get(struct req *r)
{
	struct app_row a;
	struct catalog_snapshot *snap;
	const json_t *comp;
	struct lc_window w;
	json_t *body;

	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	app_window(r, comp, a.competition_id, &w);
	body = render(r, &a, comp, &w, false, NULL);
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	if (!body)
		return req_fail(r, E_INTERNAL, "render",
				"cannot render application");
	return api_send(r, 200, body);
}

/* One draft save as the writer runs it (store/writer.h). */
struct save_job {
	int64_t id, version, now;
	const struct app_summary *s;
	const char *doc;
	const struct people_ctx *people;
	struct app_row *fresh; /* the row as saved, for the answer */
	bool have_fresh;       /* *fresh holds memory (even if not committed) */
};

/* 1 saved, 0 stale version (nothing written), -1 error. */
static int save_job_run(struct db *db, void *cls)
{
	struct save_job *j = cls;
	int rc = store_app_save(db, j->id, j->version, j->s, j->doc, j->now,
				j->fresh);

	if (rc != 1)
		return rc;
	j->have_fresh = true;
	if (store_app_people_set(db, j->id, j->people->hashes, j->people->n) <
	    0)
		return -1;
	return 1;
}

/*
 * Checks and stores a new document for the record (PUT and PATCH).
 * doc is the caller's; it is validated in draft mode, the topic lock and
 * catalog references are enforced, then it is sealed and saved. doc is
 * changed (basic.competition is set) but holds the clear values again
 * when this returns.
 */
static int save_doc(struct req *r, struct app_row *a, const json_t *comp,
		    json_t *doc, int64_t version)
{
	struct app_summary s = { 0, 0, "", "", "", "", "", "" };
	struct people_ctx people = { .r = r, .doc = doc };
	struct lc_window w;
	struct seal_log log = { 0 };
	struct seal_ctx *seal;
	const char *why;
	char *text, norm[19];
	json_t *body, *warnings;
	struct app_row fresh;
	struct save_job job;
	struct db_write_result res;
	bool read_tx;
	int rc;

	app_window(r, comp, a->competition_id, &w);
	why = lc_edit_refusal(a->status, &w, clock_now());
	if (why)
		return req_fail(r, E_CONFLICT, "not_editable", "%s", why);
	if (!json_is_object(json_object_get(doc, "basic")))
		json_object_set_new(doc, "basic", json_object());
	json_object_set_new(
		json_object_get(doc, "basic"), "competition",
		json_string(json_string_value(json_object_get(comp, "slug"))));
	validate_doc(r, doc, FORM_DRAFT);
	resolve_refs(r, comp, doc, &s);
	/* 赛题一经选定不得更改. */
	if (a->first_submitted_at &&
	    (s.track_id != a->track_id || s.topic_id != a->topic_id))
		req_field_error(r, "basic.topic", "topic_locked",
				"赛题一经选定不得更改（报名已提交过）");
	if (input_has_errors(r))
		return input_failed(r);
	s.team_name = doc_str(doc, "team.name");
	s.project_name = doc_str(doc, "project.name");
	s.lead_unit_name = doc_str(doc, "basic.lead_unit_name");
	ident_uscc_normalize(doc_str(doc, "basic.lead_uscc"), norm);
	s.lead_uscc = norm;
	summary_extra(doc, &s);
	seal = arena_alloc(&r->arena, sizeof(*seal));
	if (!seal || idents_walk(r, doc, seal, &people) < 0)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	/*
	 * The summary's strings point into doc; the log holds a reference to
	 * every clear value sealing takes out, so none of them is freed.
	 */
	text = doc_seal(r, doc, seal, &log) < 0 ? NULL
						: dom_json_dump(doc, NULL);
	doc_unseal_log(&log);
	if (!text)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	/*
	 * On SQLite the writer thread commits this save with the others that
	 * wait (group commit); the answer comes after that COMMIT, which
	 * synchronous=FULL makes durable. The version check is in the UPDATE,
	 * which also returns the row as saved for the answer.
	 */
	job = (struct save_job){ .id = a->id,
				 .version = version,
				 .now = clock_now(),
				 .s = &s,
				 .doc = text,
				 .people = &people,
				 .fresh = &fresh };
	rc = db_write(r->app->writer, r->db, save_job_run, &job, &res);
	free(text);
	if (rc < 0 && job.have_fresh)
		app_row_release(&fresh);
	if (rc < 0)
		return req_fail(r, E_INTERNAL, "database", "%s", res.err);
	if (rc == 0)
		return req_fail(
			r, E_CONFLICT, "stale_version",
			"报名内容已在其他页面修改（当前版本 %lld），请刷新后再保存",
			(long long)a->version);
	/*
	 * The rules' queries and the history read in one transaction: on
	 * SQLite each statement on its own takes and drops the WAL read lock.
	 */
	read_tx = db_begin_read(r->db) == 0;
	warnings = elig_check(r, &fresh, comp, doc, false);
	body = render(r, &fresh, comp, &w, !wants_representation(r), doc);
	if (read_tx && db_in_tx(r->db))
		db_rollback(r->db);
	app_row_release(&fresh);
	if (!body) {
		json_decref(warnings);
		return req_fail(r, E_INTERNAL, "render", "cannot render");
	}
	json_object_set_new(body, "warnings",
			    warnings ? warnings : json_array());
	return api_send(r, 200, body);
}

static int read_version(struct req *r, int64_t *version)
{
	json_t *v = json_object_get(r->json, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		req_field_error(r, "version", "required",
				"缺少版本号 version（用于防止覆盖他人修改）");
		return -1;
	}
	*version = json_integer_value(v);
	return 0;
}

int api_application_put(struct req *r)
{
	static const char *const keys[] = { "version", "doc", NULL };
	struct app_row a;
	struct catalog_snapshot *snap;
	const json_t *comp;
	json_t *doc = json_object_get(r->json, "doc");
	int64_t version = 0;
	int rc;

	in_only(r, keys);
	read_version(r, &version);
	if (!json_is_object(doc))
		req_field_error(r, "doc", "type", "doc 应为报名内容对象");
	if (input_has_errors(r))
		return input_failed(r);
	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	/* The request's own document: nothing reads it after this handler. */
	rc = save_doc(r, &a, comp, doc, version);
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	return rc;
}

int api_application_patch(struct req *r)
{
	static const char *const keys[] = { "version", "section", "value",
					    NULL };
	struct app_row a;
	struct catalog_snapshot *snap;
	const json_t *comp;
	const char *section = in_str(r, "section", "分区", true, 64);
	json_t *value = json_object_get(r->json, "value"), *doc;
	int64_t version = 0;
	int rc;

	in_only(r, keys);
	read_version(r, &version);
	if (!value)
		req_field_error(r, "value", "required", "缺少分区内容 value");
	if (input_has_errors(r))
		return input_failed(r);
	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	doc = json_loads(a.doc, 0, NULL);
	if (!doc || doc_unseal(doc) < 0) {
		rc = req_fail(r, E_INTERNAL, "doc",
			      "stored document unreadable");
	} else {
		json_object_set(doc, section, value);
		rc = save_doc(r, &a, comp, doc, version);
	}
	json_decref(doc);
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	return rc;
}

/* Loads the stored document in the clear; NULL after recording an error. */
static json_t *stored_doc(struct req *r, const struct app_row *a)
{
	json_t *doc = json_loads(a->doc, 0, NULL);
	if (!doc || doc_unseal(doc) < 0) {
		json_decref(doc);
		req_fail(r, E_INTERNAL, "doc", "stored document unreadable");
		return NULL;
	}
	return doc;
}

/* Full check of a stored record: form in submit mode, references, rules. */
static void full_check(struct req *r, struct app_row *a, const json_t *comp,
		       json_t *doc)
{
	struct app_summary s = { 0, 0, "", "", "", "", "", "" };
	json_t *problems;
	size_t i;
	json_t *p;

	/*
	 * Attachments first: they are reported with req_field_error(), which
	 * drops everything past the hundredth problem, and an incomplete
	 * document alone has more than that.
	 */
	if (attachments_check_required(r, a->id) < 0)
		return;
	validate_doc(r, doc, FORM_SUBMIT);
	resolve_refs(r, comp, doc, &s);
	problems = elig_check(r, a, comp, doc, true);
	json_array_foreach (problems, i, p)
		req_field_error(
			r, json_string_value(json_object_get(p, "field")),
			json_string_value(json_object_get(p, "code")),
			json_string_value(json_object_get(p, "message")));
	json_decref(problems);
}

int api_application_validate(struct req *r)
{
	struct app_row a;
	struct catalog_snapshot *snap;
	const json_t *comp;
	json_t *doc, *errors;

	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	doc = stored_doc(r, &a);
	if (doc)
		full_check(r, &a, comp, doc);
	json_decref(doc);
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	if (r->err.kind)
		return -1;
	errors = r->err.fields ? json_incref(r->err.fields) : json_array();
	json_decref(r->err.fields);
	r->err.fields = NULL;
	return api_send(r, 200,
			json_pack("{s:b, s:o}", "valid",
				  json_array_size(errors) == 0, "errors",
				  errors));
}

/* A submit as the writer runs it: status, history and audit together. */
struct submit_job {
	int64_t id, version, user_id, now;
	const char *action, *from;
	const struct audit_entry *audit;
	struct app_row *fresh;
	bool have_fresh; /* *fresh holds memory (even if not committed) */
};

/* 1 submitted, 0 stale version (nothing written), -1 error. */
static int submit_job_run(struct db *db, void *cls)
{
	struct submit_job *j = cls;
	int rc = store_app_set_status_row(db, j->id, j->version, "submitted",
					  NULL, true, j->now, j->fresh);

	if (rc != 1)
		return rc;
	j->have_fresh = true;
	if (store_app_history_add(db, j->id, j->user_id, j->action, j->from,
				  "submitted", NULL, j->now) < 0 ||
	    store_audit_write(db, j->audit) < 0)
		return -1;
	return 1;
}

int api_application_submit(struct req *r)
{
	struct app_row a, fresh;
	struct catalog_snapshot *snap;
	const json_t *comp;
	struct lc_window w;
	const char *why;
	json_t *doc = NULL, *body = NULL, *detail;
	char *detail_text;
	int64_t version = 0, now;
	int rc = -1;
	bool resubmit;
	struct audit_entry audit;
	struct submit_job job;
	struct db_write_result res;

	/* ROUTE_JSON_OPTIONAL parsed a JSON body; anything else is ignored. */
	if (r->json && json_object_get(r->json, "version"))
		read_version(r, &version);
	if (input_has_errors(r))
		return input_failed(r);
	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	app_window(r, comp, a.competition_id, &w);
	why = lc_submit_refusal(a.status, &w, clock_now());
	if (why) {
		rc = req_fail(r, E_CONFLICT, "not_submittable", "%s", why);
		goto out;
	}
	if (version && version != a.version) {
		rc = req_fail(
			r, E_CONFLICT, "stale_version",
			"报名内容已在其他页面修改（当前版本 %lld），请刷新后再提交",
			(long long)a.version);
		goto out;
	}
	doc = stored_doc(r, &a);
	if (!doc)
		goto out;
	full_check(r, &a, comp, doc);
	if (r->err.kind)
		goto out;
	if (input_has_errors(r)) {
		rc = req_fail(
			r, E_INVALID, "incomplete",
			"报名信息不完整或有误，共 %zu 处，请按提示修改后再提交",
			json_array_size(r->err.fields));
		goto out;
	}
	resubmit = !strcmp(a.status, "returned");
	now = clock_now();
	detail = json_pack("{s:{s:s, s:I}, s:{s:s, s:I}}", "before", "status",
			   a.status, "version", (json_int_t)a.version, "after",
			   "status", "submitted", "version",
			   (json_int_t)a.version + 1);
	detail_text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	audit = (struct audit_entry){
		r->user_id,	  resubmit ? "resubmit" : "submit",
		"application",	  a.id,
		a.competition_id, req_client_ip(r),
		detail_text,	  now
	};
	/*
	 * On SQLite the writer commits this with the saves and submits that
	 * wait (group commit), as it does draft saves; the stored document
	 * was checked above at a.version, and the UPDATE only changes that
	 * version, so what is submitted is what was checked.
	 */
	job = (struct submit_job){ .id = a.id,
				   .version = a.version,
				   .user_id = r->user_id,
				   .now = now,
				   .action = resubmit ? "resubmit" : "submit",
				   .from = a.status,
				   .audit = &audit,
				   .fresh = &fresh };
	rc = db_write(r->app->writer, r->db, submit_job_run, &job, &res);
	free(detail_text);
	if (rc < 0) {
		if (job.have_fresh)
			app_row_release(&fresh);
		rc = req_fail(r, E_INTERNAL, "database", "%s", res.err);
		goto out;
	}
	if (rc == 0) {
		rc = req_fail(r, E_CONFLICT, "stale_version",
			      "报名内容已在其他页面修改，请刷新后再提交");
		goto out;
	}
	log_info("application %lld submitted (request %s)", (long long)a.id,
		 r->id);
	/* Submitting changes no document: the one checked is the answer's. */
	body = render(r, &fresh, comp, &w, !wants_representation(r), doc);
	app_row_release(&fresh);
	rc = body ? api_send(r, 200, body)
		  : req_fail(r, E_INTERNAL, "render", "cannot render");
out:
	json_decref(doc);
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	return rc;
}

/*
 * 技术验证: the applicant submits the materials uploaded into the tech
 * slot (待提交 → 验证中), before the due time the reviewer set.
 */
int api_application_tech_submit(struct req *r)
{
	struct app_row a, fresh;
	struct catalog_snapshot *snap;
	const json_t *comp;
	struct lc_window w;
	const char *why, *code = NULL;
	json_t *body;
	int64_t version = 0, files = 0, bytes = 0, now = clock_now();
	int rc;

	if (r->json && json_object_get(r->json, "version"))
		read_version(r, &version);
	if (input_has_errors(r))
		return input_failed(r);
	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	why = lc_tech_refusal(a.status, a.tech_status, LC_TECH_SUBMIT, &code);
	if (why) {
		rc = req_fail(r, E_CONFLICT, code, "%s", why);
		goto out;
	}
	if (a.tech_due_at && now > a.tech_due_at) {
		char due[20];
		api_format_due(a.tech_due_at, due);
		rc = req_fail(r, E_CONFLICT, "tech_overdue",
			      "技术验证材料的提交时间已截止（%s）", due);
		goto out;
	}
	if (version && version != a.version) {
		rc = req_fail(
			r, E_CONFLICT, "stale_version",
			"报名内容已在其他页面修改（当前版本 %lld），请刷新后再提交",
			(long long)a.version);
		goto out;
	}
	if (store_att_counts(r->db, a.id, "tech", &files, &bytes) < 0)
		goto dbfail;
	if (!files) {
		req_field_error(r, "attachments.tech", "required",
				"请先上传技术验证材料");
		rc = req_fail(r, E_INVALID, "incomplete",
			      "请先上传技术验证材料再提交");
		goto out;
	}
	if (db_begin_write(r->db) < 0)
		goto dbfail;
	rc = store_app_set_tech(r->db, a.id, a.version,
				lc_tech_target(LC_TECH_SUBMIT),
				TECH_WRITE_SUBMIT, NULL, 0, now);
	if (rc == 0) {
		db_rollback(r->db);
		rc = req_fail(r, E_CONFLICT, "stale_version",
			      "报名内容已在其他页面修改，请刷新后再提交");
		goto out;
	}
	if (rc < 0 ||
	    store_app_history_add2(r->db, a.id, r->user_id, "tech_submit",
				   a.status, a.tech_status,
				   lc_tech_target(LC_TECH_SUBMIT), NULL,
				   now) < 0 ||
	    console_audit(
		    r, "tech_submit", "application", a.id, a.competition_id,
		    json_pack("{s:{s:s, s:I}, s:{s:s, s:I}, s:I}", "before",
			      "tech_status", a.tech_status, "version",
			      (json_int_t)a.version, "after", "tech_status",
			      lc_tech_target(LC_TECH_SUBMIT), "version",
			      (json_int_t)a.version + 1, "files",
			      (json_int_t)files)) < 0 ||
	    db_commit(r->db) < 0)
		goto dbfail;
	log_info("application %lld: technical verification submitted",
		 (long long)a.id);
	if (store_app_get(r->db, a.id, r->user_id, &fresh) != 1)
		goto dbfail;
	app_window(r, comp, a.competition_id, &w);
	body = render(r, &fresh, comp, &w, false, NULL);
	app_row_release(&fresh);
	rc = body ? api_send(r, 200, body)
		  : req_fail(r, E_INTERNAL, "render", "cannot render");
	goto out;
dbfail:
	rc = api_db_failed(r, r->db);
out:
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	return rc;
}

int api_application_delete(struct req *r)
{
	struct app_row a;
	struct catalog_snapshot *snap;
	const json_t *comp;
	int rc;

	if (load(r, &a, &snap, &comp) < 0)
		return -1;
	if (strcmp(a.status, "draft")) {
		rc = req_fail(r, E_CONFLICT, "not_deletable",
			      "只有草稿可以删除");
	} else if (db_begin_write(r->db) < 0 ||
		   store_app_delete(r->db, a.id, clock_now()) < 0 ||
		   store_app_history_add(r->db, a.id, r->user_id, "delete",
					 "draft", NULL, NULL,
					 clock_now()) < 0 ||
		   console_audit(
			   r, "delete", "application", a.id, a.competition_id,
			   json_pack("{s:{s:s, s:I}, s:n}", "before", "status",
				     "draft", "version", (json_int_t)a.version,
				     "after")) < 0 ||
		   db_commit(r->db) < 0) {
		rc = api_db_failed(r, r->db);
	} else {
		r->resp.status = 204;
		rc = 0;
	}
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	return rc;
}

/* 4401**********123X, 138****8000: enough to recognise, not to use. */
static char *masked(struct req *r, const char *s)
{
	size_t n = strlen(s), keep_head = n >= 15 ? 4 : 3, keep_tail = 4;
	char *out;

	if (n <= keep_head + keep_tail)
		return arena_strdup(&r->arena, "****");
	out = arena_strdup(&r->arena, s);
	if (out)
		memset(out + keep_head, '*', n - keep_head - keep_tail);
	return out;
}

struct mask_ctx {
	struct req *r;
	json_t *doc;
};

static void mask_one(const char *path, const json_t *value, void *cls)
{
	struct mask_ctx *m = cls;
	char last[64];
	json_t *parent = doc_parent_of(m->doc, path, last, sizeof(last));
	const char *v = json_string_value(value);
	char *x = v ? masked(m->r, v) : NULL;

	if (parent && x)
		json_object_set_new(parent, last, json_string(x));
}

/*
 * What a reviewer should look at twice: credit codes that fail the
 * GB 32100 check character (accepted by an admin, or not), other records
 * of the sub-contest with the same project name or lead credit code, and
 * the eligibility rules' warnings. NULL on a database error.
 */
static json_t *review_flags(struct req *r, const struct app_row *a,
			    const json_t *comp, const json_t *doc)
{
	json_t *codes = json_array(), *dups, *warnings, *u;
	const char *project = json_string_value(form_get(doc, "project.name"));
	char lead[19];
	size_t i;
	bool needs = false;

	if (!codes)
		return NULL;
	for (i = 0;; i++) {
		const char *v;
		char field[48], norm[19];
		bool checksum = false;
		int verified;

		if (i == 0) {
			snprintf(field, sizeof(field), "basic.lead_uscc");
		} else {
			u = json_array_get(form_get(doc, "units"), i - 1);
			if (!u)
				break;
			snprintf(field, sizeof(field), "units[%zu].uscc",
				 i - 1);
		}
		v = json_string_value(form_get(doc, field));
		if (!v || !*v)
			continue;
		ident_uscc_normalize(v, norm);
		if (!norm[0] || !ident_uscc_check(norm, &checksum) || !checksum)
			continue;
		verified = store_uscc_is_verified(r->db, norm);
		if (verified < 0) {
			json_decref(codes);
			return NULL;
		}
		needs = needs || !verified;
		json_array_append_new(codes,
				      json_pack("{s:s, s:s, s:b}", "field",
						field, "uscc", norm, "verified",
						verified == 1));
	}
	ident_uscc_normalize(doc_str(doc, "basic.lead_uscc"), lead);
	dups = store_app_duplicates(r->db, a->id, a->competition_id,
				    project ? project : "", lead);
	warnings = dups ? elig_check(r, a, comp, doc, false) : NULL;
	if (!dups || !warnings) {
		json_decref(codes);
		json_decref(dups);
		return NULL;
	}
	return json_pack("{s:b, s:o, s:b, s:o, s:I, s:o}", "needs_manual_uscc",
			 needs, "uscc_checks", codes, "possible_duplicate",
			 json_array_size(dups) > 0, "duplicates", dups,
			 "eligibility_warnings",
			 (json_int_t)json_array_size(warnings), "warnings",
			 warnings);
}

/*
 * A reviewer's or admin's view of an application: identifiers and phone
 * numbers masked; with ?unmask=1 an admin of the sub-contest sees them in
 * full, and that view is written to the audit log (DESIGN §6, PIPL).
 */
int api_review_application_get(struct req *r)
{
	struct catalog_snapshot *snap = NULL;
	const json_t *comp = NULL, *c;
	struct app_row a;
	struct lc_window w;
	bool bad = false, unmask;
	const char *q = req_query(r, "unmask", &bad);
	json_t *body, *doc;
	size_t i;

	unmask = q && !strcmp(q, "1");
	if (api_app_reviewed(r, unmask, &a) < 0)
		return -1;
	snap = catalog_cache_get(r->app->catalog);
	if (snap)
		json_array_foreach (snap->all, i, c)
			if (json_integer_value(json_object_get(c, "id")) ==
			    a.competition_id)
				comp = c;
	app_window(r, comp, a.competition_id, &w);
	body = comp ? render(r, &a, comp, &w, false, NULL) : NULL;
	catalog_snapshot_unref(snap);
	if (!body) {
		app_row_release(&a);
		return req_fail(r, E_INTERNAL, "render", "cannot render");
	}
	doc = json_object_get(body, "doc");
	/* Before masking: the rules compare identifiers in the clear. */
	if (comp) {
		json_t *flags = review_flags(r, &a, comp, doc);
		if (!flags) {
			json_decref(body);
			app_row_release(&a);
			return r->err.kind ? -1 : api_db_failed(r, r->db);
		}
		json_object_set_new(body, "flags", flags);
	}
	if (!unmask) {
		struct mask_ctx m = { r, doc };
		json_t *units = json_object_get(doc, "units"), *u;
		form_each(r->app->form, doc, "id_number", mask_one, &m);
		form_each(r->app->form, doc, "mobile", mask_one, &m);
		json_array_foreach (units, i, u) {
			const char *v = json_string_value(
				json_object_get(u, "contact_phone"));
			char *x = v ? masked(r, v) : NULL;
			if (x)
				json_object_set_new(u, "contact_phone",
						    json_string(x));
		}
	} else if (console_audit(r, "view_personal_data", "application", a.id,
				 a.competition_id, NULL) < 0) {
		json_decref(body);
		app_row_release(&a);
		return api_db_failed(r, r->db);
	}
	json_object_set_new(body, "masked", json_boolean(!unmask));
	json_object_set_new(body, "owner_id", json_integer(a.user_id));
	/* Owner actions mean nothing to a reviewer. */
	json_object_del(body, "actions");
	app_row_release(&a);
	return api_send(r, 200, body);
}
