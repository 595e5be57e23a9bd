/*
 * awards.c: the ranking of a scoring stage per track, the award round
 * (quotas, proposal from the ranking, manual levels and special awards,
 * lock, unlock, publish with the applicants' notices) and the public
 * results. The ranking is computed on each request from the submitted
 * score sheets, so it is never stale; the rules are domain/ranking.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "catalog_cache.h"
#include "console.h"
#include "errors.h"
#include "input.h"
#include "notices.h"
#include "../app.h"
#include "../domain/ranking.h"
#include "../domain/rubric.h"
#include "../store/applications.h"
#include "../store/awards.h"
#include "../store/judging.h"
#include "../store/messages.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

#define QUOTA_MAX 50
#define QUOTA_TRACKS_MAX 200

struct rk_judge {
	int64_t user_id;
	const char *name;
	double total; /* when submitted with a complete sheet */
	bool has_total;
	bool submitted;
	bool outlier;
};

struct rk_entry {
	int64_t id, user_id, track_id, first_submitted_at;
	const char *project_name, *team_name, *lead_unit_name;
	struct rk_judge *judges;
	size_t n_judges, n_submitted;
	double *totals; /* the complete submitted sheets' totals */
	size_t n_totals;
	double *crit; /* mean weighted points per criterion */
	enum dom_rank_method method;
	double aggregate, mean;
	struct dom_spread spread;
	struct dom_rank_key key;
	int64_t rank; /* 0: unranked */
	bool top20;
};

struct rk_track {
	int64_t id;
	const char *name;
	bool retired;
	struct rk_entry **items; /* rank order, unranked last */
	size_t n, ranked, top20;
};

struct ranking {
	json_t *entries, *sheets, *tracks, *criteria; /* owned */
	size_t n_crit;
	struct rk_entry *e;
	size_t n;
	struct rk_track *t;
	size_t n_tracks;
};

static void ranking_release(struct ranking *rk)
{
	json_decref(rk->entries);
	json_decref(rk->sheets);
	json_decref(rk->tracks);
	json_decref(rk->criteria);
	memset(rk, 0, sizeof(*rk));
}

static int oom(struct req *r)
{
	return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
}

static const char *stage_label(const char *stage)
{
	return !strcmp(stage, "final") ? "决赛" : "初赛";
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct rk_entry *a = *(const struct rk_entry *const *)pa;
	const struct rk_entry *b = *(const struct rk_entry *const *)pb;

	return dom_rank_cmp(&a->key, &b->key);
}

/* strcmp that takes NULL for "" (a missing JSON string). */
static bool same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static struct rk_entry *entry_find(struct ranking *rk, int64_t id)
{
	for (size_t i = 0; i < rk->n; i++)
		if (rk->e[i].id == id)
			return &rk->e[i];
	return NULL;
}

/* The scores of the sheet and the judges of one entry. */
static int add_sheets(struct req *r, struct ranking *rk, struct rk_entry *e,
		      const json_t **sheets, size_t n)
{
	double *sum = arena_alloc(&r->arena, sizeof(double) * (rk->n_crit + 1));
	size_t *cnt = arena_alloc(&r->arena, sizeof(size_t) * (rk->n_crit + 1));
	double median;

	e->judges = arena_alloc(&r->arena, sizeof(*e->judges) * (n + 1));
	e->totals = arena_alloc(&r->arena, sizeof(double) * (n + 1));
	e->crit = arena_alloc(&r->arena, sizeof(double) * (rk->n_crit + 1));
	if (!sum || !cnt || !e->judges || !e->totals || !e->crit)
		return -1;
	memset(sum, 0, sizeof(double) * (rk->n_crit + 1));
	memset(cnt, 0, sizeof(size_t) * (rk->n_crit + 1));
	for (size_t i = 0; i < n; i++) {
		const json_t *s = sheets[i];
		struct rk_judge *j = &e->judges[e->n_judges++];
		json_t *scores = NULL;
		const char *text =
			json_string_value(json_object_get(s, "scores"));
		double total;

		j->user_id = json_integer_value(json_object_get(s, "user_id"));
		j->name = json_string_value(json_object_get(s, "name"));
		j->submitted =
			json_integer_value(json_object_get(s, "submitted_at"));
		if (!j->submitted)
			continue;
		e->n_submitted++;
		scores = text ? json_loads(text, 0, NULL) : NULL;
		total = scores ? rubric_total(rk->criteria, scores) : -1;
		if (total >= 0) {
			j->total = total;
			j->has_total = true;
			e->totals[e->n_totals++] = total;
			for (size_t c = 0; c < rk->n_crit; c++) {
				double p = rubric_points(
					json_array_get(rk->criteria, c),
					scores);
				if (p >= 0) {
					sum[c] += p;
					cnt[c]++;
				}
			}
		}
		json_decref(scores);
	}
	for (size_t c = 0; c < rk->n_crit; c++)
		e->crit[c] = cnt[c] ? sum[c] / (double)cnt[c] : 0;
	e->aggregate = dom_rank_aggregate(e->totals, e->n_totals, &e->method);
	e->mean = dom_rank_mean(e->totals, e->n_totals);
	dom_rank_spread(e->totals, e->n_totals, &e->spread);
	median = dom_rank_median(e->totals, e->n_totals);
	for (size_t i = 0; i < e->n_judges; i++)
		if (e->judges[i].has_total)
			e->judges[i].outlier = dom_rank_outlier(
				e->judges[i].total, median, e->n_totals);
	e->key = (struct dom_rank_key){
		.ranked = e->method != DOM_RANK_NONE,
		.aggregate = e->aggregate,
		.mean = e->mean,
		.criteria = e->crit,
		.n_criteria = rk->n_crit,
		.first_submitted_at = e->first_submitted_at,
		.application_id = e->id,
	};
	return 0;
}

/*
 * Computes the stage's ranking of the sub-contest into rk (release it
 * with ranking_release()). Returns 0, or -1 with the error recorded.
 */
static int ranking_load(struct req *r, int64_t comp, const char *stage,
			struct ranking *rk)
{
	char *crit_text = NULL;
	int64_t opens, closes, updated_at;
	const json_t **sheets;
	size_t ns, k = 0;
	int rc;

	memset(rk, 0, sizeof(*rk));
	rc = store_rubric_get(r->db, comp, stage, &crit_text, &opens, &closes,
			      &updated_at);
	if (rc < 0)
		return api_db_failed(r, r->db);
	rk->criteria = rc == 1 ? json_loads(crit_text, 0, NULL)
			       : rubric_default_criteria();
	free(crit_text);
	if (!json_is_array(rk->criteria))
		return req_fail(r, E_INTERNAL, "rubric",
				"competition %lld: rubric %s unreadable",
				(long long)comp, stage);
	rk->n_crit = json_array_size(rk->criteria);
	rk->entries = store_ranking_entries(r->db, comp, stage);
	rk->sheets = rk->entries ? store_ranking_sheets(r->db, comp, stage)
				 : NULL;
	rk->tracks = rk->sheets ? store_award_tracks(r->db, comp) : NULL;
	if (!rk->tracks)
		return api_db_failed(r, r->db);
	rk->n = json_array_size(rk->entries);
	rk->n_tracks = json_array_size(rk->tracks);
	ns = json_array_size(rk->sheets);
	rk->e = arena_alloc(&r->arena, sizeof(*rk->e) * (rk->n + 1));
	rk->t = arena_alloc(&r->arena, sizeof(*rk->t) * (rk->n_tracks + 1));
	sheets = arena_alloc(&r->arena, sizeof(*sheets) * (ns + 1));
	if (!rk->e || !rk->t || !sheets)
		return oom(r);
	memset(rk->e, 0, sizeof(*rk->e) * (rk->n + 1));
	memset(rk->t, 0, sizeof(*rk->t) * (rk->n_tracks + 1));
	/* Both lists are ordered by application id: one merge pass. */
	for (size_t i = 0; i < rk->n; i++) {
		const json_t *o = json_array_get(rk->entries, i);
		struct rk_entry *e = &rk->e[i];
		size_t from;

		e->id = json_integer_value(json_object_get(o, "id"));
		e->user_id = json_integer_value(json_object_get(o, "user_id"));
		e->track_id =
			json_integer_value(json_object_get(o, "track_id"));
		e->first_submitted_at = json_integer_value(
			json_object_get(o, "first_submitted_at"));
		e->project_name =
			json_string_value(json_object_get(o, "project_name"));
		e->team_name =
			json_string_value(json_object_get(o, "team_name"));
		e->lead_unit_name =
			json_string_value(json_object_get(o, "lead_unit_name"));
		while (k < ns && json_integer_value(json_object_get(
					 json_array_get(rk->sheets, k),
					 "application_id")) < e->id)
			k++;
		from = k;
		while (k < ns && json_integer_value(json_object_get(
					 json_array_get(rk->sheets, k),
					 "application_id")) == e->id) {
			sheets[k - from] = json_array_get(rk->sheets, k);
			k++;
		}
		if (add_sheets(r, rk, e, sheets, k - from) < 0)
			return oom(r);
	}
	for (size_t t = 0; t < rk->n_tracks; t++) {
		const json_t *o = json_array_get(rk->tracks, t);
		struct rk_track *tr = &rk->t[t];
		size_t n = 0;

		tr->id = json_integer_value(json_object_get(o, "id"));
		tr->name = json_string_value(json_object_get(o, "name"));
		tr->retired = json_is_true(json_object_get(o, "retired"));
		for (size_t i = 0; i < rk->n; i++)
			n += rk->e[i].track_id == tr->id;
		tr->items =
			arena_alloc(&r->arena, sizeof(*tr->items) * (n + 1));
		if (!tr->items)
			return oom(r);
		for (size_t i = 0; i < rk->n; i++)
			if (rk->e[i].track_id == tr->id)
				tr->items[tr->n++] = &rk->e[i];
		qsort(tr->items, tr->n, sizeof(*tr->items), entry_cmp);
		for (size_t i = 0; i < tr->n; i++)
			if (tr->items[i]->key.ranked)
				tr->items[i]->rank = (int64_t)++tr->ranked;
		tr->top20 = dom_top20_count(tr->ranked);
		for (size_t i = 0; i < tr->top20; i++)
			tr->items[i]->top20 = true;
	}
	return 0;
}

static struct rk_track *track_find(struct ranking *rk, int64_t id)
{
	for (size_t t = 0; t < rk->n_tracks; t++)
		if (rk->t[t].id == id)
			return &rk->t[t];
	return NULL;
}

/* Numbers go out rounded to two decimals. */
static json_t *num2(double v)
{
	return json_real(round(v * 100) / 100);
}

static json_t *entry_json(const struct ranking *rk, const struct rk_entry *e)
{
	json_t *judges = json_array(), *crit = json_array(), *o;

	for (size_t i = 0; judges && i < e->n_judges; i++) {
		const struct rk_judge *j = &e->judges[i];
		json_array_append_new(
			judges,
			json_pack("{s:I, s:s?, s:o, s:b, s:b}", "user_id",
				  (json_int_t)j->user_id, "name", j->name,
				  "total",
				  j->has_total ? num2(j->total) : json_null(),
				  "submitted", j->submitted, "outlier",
				  j->outlier));
	}
	for (size_t c = 0; crit && c < rk->n_crit; c++)
		json_array_append_new(
			crit,
			json_pack(
				"{s:O, s:o}", "key",
				json_object_get(json_array_get(rk->criteria, c),
						"key"),
				"mean",
				e->n_totals ? num2(e->crit[c]) : json_null()));
	o = json_pack(
		"{s:o, s:I, s:s?, s:s?, s:I, s:I, s:o, s:o, s:o, s:o, s:o, "
		"s:b}",
		"rank", e->rank ? json_integer(e->rank) : json_null(),
		"application_id", (json_int_t)e->id, "project_name",
		e->project_name, "lead_unit_name", e->lead_unit_name,
		"assigned", (json_int_t)e->n_judges, "submitted",
		(json_int_t)e->n_submitted, "aggregate",
		e->n_totals ? num2(e->aggregate) : json_null(), "method",
		dom_rank_method_name(e->method)
			? json_string(dom_rank_method_name(e->method))
			: json_null(),
		"spread",
		e->n_totals ? json_pack("{s:o, s:o, s:o, s:o}", "min",
					num2(e->spread.min), "max",
					num2(e->spread.max), "range",
					num2(e->spread.range), "stddev",
					num2(e->spread.stddev))
			    : json_null(),
		"judges", judges, "criteria", crit, "top20", e->top20);
	return o;
}

/* Reads the {stage} path parameter; 404 for anything but the two stages. */
static const char *path_stage(struct req *r)
{
	struct str s = req_param(r, "stage");

	if (s.len == 5 && !memcmp(s.p, "final", 5))
		return "final";
	if (s.len == 11 && !memcmp(s.p, "preliminary", 11))
		return "preliminary";
	req_fail(r, E_NOT_FOUND, "not_found", "评审阶段不存在");
	return NULL;
}

/* The sub-contest of {slug} for its admin; sets *comp. */
static int admin_gate(struct req *r, int64_t *comp)
{
	if (!req_db(r))
		return -1;
	if (console_competition(r, comp) < 0 ||
	    console_gate(r, *comp, STAFF_ADMIN, false) < 0)
		return -1;
	return 0;
}

int api_ranking_get(struct req *r)
{
	const char *stage, *tq;
	bool bad = false;
	int64_t comp = 0, only = 0;
	struct ranking rk;
	json_t *tracks, *body;

	if (admin_gate(r, &comp) < 0 || !(stage = path_stage(r)))
		return -1;
	tq = req_query(r, "track", &bad);
	if (bad || (tq && *tq && str_to_i64z(tq, 1, INT64_MAX, &only) < 0))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"track 应为赛道编号");
	if (ranking_load(r, comp, stage, &rk) < 0) {
		ranking_release(&rk);
		return -1;
	}
	tracks = json_array();
	for (size_t t = 0; tracks && t < rk.n_tracks; t++) {
		const struct rk_track *tr = &rk.t[t];
		json_t *items;

		if ((only && tr->id != only) || (tr->retired && !tr->n))
			continue;
		items = json_array();
		for (size_t i = 0; items && i < tr->n; i++)
			json_array_append_new(items,
					      entry_json(&rk, tr->items[i]));
		json_array_append_new(
			tracks,
			json_pack("{s:I, s:s?, s:I, s:I, s:I, s:o}", "track_id",
				  (json_int_t)tr->id, "track_name", tr->name,
				  "entries", (json_int_t)tr->n, "ranked",
				  (json_int_t)tr->ranked, "top20",
				  (json_int_t)tr->top20, "items", items));
	}
	body = json_pack("{s:s, s:s, s:O, s:o}", "stage", stage, "stage_label",
			 stage_label(stage), "criteria", rk.criteria, "tracks",
			 tracks);
	ranking_release(&rk);
	return api_send(r, 200, body);
}

/* ---- the award round ----------------------------------------------- */

/* The quota of a track: stored, or the default 1 / 2 / 5. */
static struct dom_quota quota_of(const json_t *quotas, int64_t track_id)
{
	char key[24];
	const json_t *q;

	snprintf(key, sizeof(key), "%lld", (long long)track_id);
	q = json_object_get(quotas, key);
	if (!json_is_array(q))
		return DOM_QUOTA_DEFAULT;
	return (struct dom_quota){
		(int)json_integer_value(json_array_get(q, 0)),
		(int)json_integer_value(json_array_get(q, 1)),
		(int)json_integer_value(json_array_get(q, 2)),
	};
}

static json_t *quota_json(struct dom_quota q)
{
	return json_pack("{s:i, s:i, s:i}", "first", q.first, "second",
			 q.second, "third", q.third);
}

static const json_t *award_find(const json_t *awards, int64_t id)
{
	const json_t *a;
	size_t i;

	json_array_foreach (awards, i, a)
		if (json_integer_value(json_object_get(a, "application_id")) ==
		    id)
			return a;
	return NULL;
}

static json_t *award_item(const struct rk_entry *e, int64_t id,
			  const char *project, const char *lead,
			  const json_t *award)
{
	enum dom_award_level l = DOM_LEVEL_NONE;
	const json_t *sp = json_object_get(award, "specials");

	dom_award_level_parse(
		json_string_value(json_object_get(award, "level")), &l);
	return json_pack(
		"{s:I, s:s?, s:s?, s:o, s:o, s:b, s:o, s:o, s:o}",
		"application_id", (json_int_t)id, "project_name", project,
		"lead_unit_name", lead, "rank",
		e && e->rank ? json_integer(e->rank) : json_null(), "aggregate",
		e && e->n_totals ? num2(e->aggregate) : json_null(), "top20",
		e && e->top20, "level",
		l ? json_string(dom_award_level_name(l)) : json_null(),
		"level_label",
		l ? json_string(dom_award_level_label(l)) : json_null(),
		"specials",
		json_is_array(sp) ? json_deep_copy(sp) : json_array());
}

/* The round as GET /awards answers it, from the stage's ranking. */
static int awards_answer(struct req *r, int64_t comp)
{
	struct award_round round;
	struct ranking rk;
	json_t *quotas = NULL, *awards = NULL, *tracks = NULL, *body;
	const json_t *a;
	size_t i;

	if (store_award_round_get(r->db, comp, &round) < 0)
		return api_db_failed(r, r->db);
	if (ranking_load(r, comp, round.stage, &rk) < 0) {
		ranking_release(&rk);
		return -1;
	}
	quotas = store_award_quotas(r->db, comp);
	awards = quotas ? store_awards_list(r->db, comp) : NULL;
	if (!awards) {
		json_decref(quotas);
		ranking_release(&rk);
		return api_db_failed(r, r->db);
	}
	tracks = json_array();
	for (size_t t = 0; tracks && t < rk.n_tracks; t++) {
		const struct rk_track *tr = &rk.t[t];
		json_t *items = json_array();
		bool extra = false;

		for (size_t k = 0; items && k < tr->n; k++) {
			const struct rk_entry *e = tr->items[k];
			json_array_append_new(
				items, award_item(e, e->id, e->project_name,
						  e->lead_unit_name,
						  award_find(awards, e->id)));
		}
		/* An award whose application left the stage stays visible. */
		json_array_foreach (awards, i, a) {
			int64_t id = json_integer_value(
				json_object_get(a, "application_id"));
			struct rk_entry *e = entry_find(&rk, id);
			if (json_integer_value(
				    json_object_get(a, "track_id")) != tr->id ||
			    (e && e->track_id == tr->id))
				continue;
			extra = true;
			json_array_append_new(items, award_item(NULL, id, NULL,
								NULL, a));
		}
		if (tr->retired && !tr->n && !extra) {
			json_decref(items);
			continue;
		}
		json_array_append_new(
			tracks,
			json_pack("{s:I, s:s?, s:I, s:o, s:o, s:I, s:o}",
				  "track_id", (json_int_t)tr->id, "track_name",
				  tr->name, "ranked", (json_int_t)tr->ranked,
				  "quota", quota_json(quota_of(quotas, tr->id)),
				  "suggested",
				  quota_json(dom_quota_suggest(tr->ranked)),
				  "top20", (json_int_t)tr->top20, "items",
				  items));
	}
	body = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "state", round.state,
			 "stage", round.stage, "stage_label",
			 stage_label(round.stage), "locked_at",
			 round.locked_at ? json_integer(round.locked_at)
					 : json_null(),
			 "published_at",
			 round.published_at ? json_integer(round.published_at)
					    : json_null(),
			 "tracks", tracks);
	json_decref(quotas);
	json_decref(awards);
	ranking_release(&rk);
	return api_send(r, 200, body);
}

int api_awards_get(struct req *r)
{
	int64_t comp = 0;

	if (admin_gate(r, &comp) < 0)
		return -1;
	return awards_answer(r, comp);
}

/*
 * Reads the round inside a write transaction and checks it is open.
 * Returns 0, or -1 with 409 awards_locked / awards_published (or a
 * database error) recorded and the transaction rolled back.
 */
static int begin_open(struct req *r, int64_t comp, struct award_round *round)
{
	if (db_begin_write(r->db) < 0 ||
	    store_award_round_get(r->db, comp, round) < 0)
		return api_db_failed(r, r->db);
	if (!strcmp(round->state, "open"))
		return 0;
	db_rollback(r->db);
	if (!strcmp(round->state, "published"))
		return req_fail(r, E_CONFLICT, "awards_published",
				"评审结果已公布，奖项不能再修改");
	return req_fail(r, E_CONFLICT, "awards_locked", "奖项已锁定，请先解锁");
}

int api_award_quotas_put(struct req *r)
{
	static const char *const keys[] = { "tracks", NULL };
	static const char *const names[] = { "first", "second", "third" };
	const json_t *list = json_object_get(r->json, "tracks"), *it;
	struct award_round round;
	int64_t comp = 0;
	json_t *known, *before, *after;
	size_t i;

	if (admin_gate(r, &comp) < 0)
		return -1;
	in_only(r, keys);
	if (!json_is_array(list) || json_array_size(list) > QUOTA_TRACKS_MAX)
		req_field_error(r, "tracks", "invalid",
				"请提供各赛道的奖项名额");
	known = store_award_tracks(r->db, comp);
	if (!known)
		return api_db_failed(r, r->db);
	json_array_foreach (list, i, it) {
		json_int_t tid =
			json_integer_value(json_object_get(it, "track_id"));
		bool found = false;
		const json_t *k;
		size_t j;

		json_array_foreach (known, j, k)
			found |= json_integer_value(json_object_get(k, "id")) ==
					 tid &&
				 json_is_integer(
					 json_object_get(it, "track_id"));
		if (!json_is_object(it) || !found)
			req_field_error(r,
					arena_printf(&r->arena,
						     "tracks[%zu].track_id", i),
					"unknown", "赛道不存在");
		for (int n = 0; n < 3; n++) {
			const json_t *v = json_object_get(it, names[n]);
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > QUOTA_MAX)
				req_field_error(r,
						arena_printf(&r->arena,
							     "tracks[%zu].%s",
							     i, names[n]),
						"range",
						"名额应为 0–50 的整数");
		}
	}
	json_decref(known);
	if (input_has_errors(r))
		return input_failed(r);
	if (begin_open(r, comp, &round) < 0)
		return -1;
	before = store_award_quotas(r->db, comp);
	if (!before)
		return api_db_failed(r, r->db);
	json_array_foreach (list, i, it) {
		if (store_award_quota_set(
			    r->db, comp,
			    json_integer_value(json_object_get(it, "track_id")),
			    (int)json_integer_value(
				    json_object_get(it, "first")),
			    (int)json_integer_value(
				    json_object_get(it, "second")),
			    (int)json_integer_value(
				    json_object_get(it, "third")),
			    r->user_id, clock_now()) < 0) {
			json_decref(before);
			return api_db_failed(r, r->db);
		}
	}
	after = store_award_quotas(r->db, comp);
	if (!after ||
	    console_audit(r, "award_quotas_set", "competition", comp, comp,
			  json_pack("{s:o, s:o}", "before", before, "after",
				    after)) < 0 ||
	    db_commit(r->db) < 0)
		return api_db_failed(r, r->db);
	return awards_answer(r, comp);
}

/* A specials array kept to the codes that are still allowed, as text. */
static char *specials_text(struct req *r, const json_t *specials, bool keep)
{
	json_t *a = json_array(), *v;
	char *s, *out;
	size_t i;

	if (keep)
		json_array_foreach (specials, i, v)
			if (dom_special_find(json_string_value(v)) >= 0)
				json_array_append_new(a, json_copy(v));
	s = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	out = s ? arena_strdup(&r->arena, s) : NULL;
	free(s);
	return out;
}

int api_awards_propose(struct req *r)
{
	static const char *const keys[] = { "stage", NULL };
	const char *stage = in_str(r, "stage", "评审阶段", false, 20);
	struct award_round round;
	struct ranking rk;
	int64_t comp = 0;
	json_t *quotas = NULL, *before = NULL;
	bool done = false;

	if (admin_gate(r, &comp) < 0)
		return -1;
	in_only(r, keys);
	if (stage && !rubric_stage_known(stage))
		req_field_error(r, "stage", "invalid",
				"评审阶段应为 preliminary 或 final");
	if (input_has_errors(r))
		return input_failed(r);
	if (begin_open(r, comp, &round) < 0)
		return -1;
	if (stage)
		snprintf(round.stage, sizeof(round.stage), "%s", stage);
	if (ranking_load(r, comp, round.stage, &rk) < 0)
		goto fail;
	quotas = store_award_quotas(r->db, comp);
	before = quotas ? store_awards_list(r->db, comp) : NULL;
	if (!before || store_awards_clear(r->db, comp) < 0)
		goto dbfail;
	for (size_t t = 0; t < rk.n_tracks; t++) {
		const struct rk_track *tr = &rk.t[t];
		struct dom_quota q = quota_of(quotas, tr->id);
		int given[4] = { 0 };

		for (size_t k = 0; k < tr->n; k++) {
			const struct rk_entry *e = tr->items[k];
			const json_t *old = award_find(before, e->id);
			enum dom_award_level l = DOM_LEVEL_NONE;
			char *sp;

			for (int lv = DOM_LEVEL_FIRST;
			     e->rank && lv <= DOM_LEVEL_THIRD; lv++)
				if (given[lv] <
				    dom_quota_places(
					    &q, (enum dom_award_level)lv)) {
					l = (enum dom_award_level)lv;
					given[lv]++;
					break;
				}
			sp = specials_text(r, json_object_get(old, "specials"),
					   e->top20);
			if (!sp)
				goto oomfail;
			if (store_award_set(r->db, comp, e->id, tr->id,
					    dom_award_level_name(l), sp,
					    e->rank, r->user_id,
					    clock_now()) < 0)
				goto dbfail;
		}
	}
	if (store_award_round_set(r->db, comp, &round, r->user_id,
				  clock_now()) < 0)
		goto dbfail;
	{
		json_t *after = store_awards_list(r->db, comp);
		if (!after ||
		    console_audit(
			    r, "awards_propose", "competition", comp, comp,
			    json_pack("{s:s, s:O, s:o}", "stage", round.stage,
				      "before", before, "after", after)) < 0 ||
		    db_commit(r->db) < 0)
			goto dbfail;
	}
	done = true;
	goto out;
oomfail:
	oom(r);
	goto fail;
dbfail:
	api_db_failed(r, r->db);
fail:
	db_rollback(r->db);
out:
	json_decref(quotas);
	json_decref(before);
	ranking_release(&rk);
	return done ? awards_answer(r, comp) : -1;
}

/* Reads and checks the specials of the body; field errors on r. */
static json_t *read_specials(struct req *r, const json_t *v)
{
	json_t *out = json_array();
	bool seen[DOM_SPECIAL_COUNT] = { false };
	const json_t *s;
	size_t i;

	if (!out)
		return NULL;
	if (!json_is_array(v) || json_array_size(v) > DOM_SPECIAL_COUNT) {
		req_field_error(r, "specials", "invalid",
				"特色奖项应为奖项代码的列表");
		return out;
	}
	json_array_foreach (v, i, s) {
		int k = dom_special_find(json_string_value(s));
		if (k < 0 || seen[k]) {
			req_field_error(
				r, arena_printf(&r->arena, "specials[%zu]", i),
				k < 0 ? "invalid" : "duplicate",
				k < 0 ? "未知的特色奖项" : "特色奖项重复");
			continue;
		}
		seen[k] = true;
	}
	/* Stored in the display order, whatever order they came in. */
	for (unsigned k = 0; k < DOM_SPECIAL_COUNT; k++)
		if (seen[k])
			json_array_append_new(out,
					      json_string(dom_special_code(k)));
	return out;
}

int api_award_put(struct req *r)
{
	static const char *const keys[] = { "level", "specials", NULL };
	const json_t *lv = json_object_get(r->json, "level");
	const json_t *spv = json_object_get(r->json, "specials");
	enum dom_award_level level = DOM_LEVEL_NONE;
	struct award_round round;
	struct ranking rk;
	struct rk_entry *e;
	struct rk_track *tr;
	struct app_row a;
	int64_t comp = 0, id = 0;
	json_t *awards = NULL, *specials = NULL, *quotas = NULL;
	const json_t *old, *it;
	char *sp;
	int taken = 0, rc;
	bool done = false;
	size_t i;

	if (admin_gate(r, &comp) < 0)
		return -1;
	if (str_to_i64(req_param(r, "application_id"), 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	in_only(r, keys);
	if (lv && !json_is_null(lv) &&
	    dom_award_level_parse(json_string_value(lv), &level) < 0)
		req_field_error(r, "level", "invalid",
				"奖项等级应为 first、second、third 或 null");
	if (spv)
		specials = read_specials(r, spv);
	if (input_has_errors(r)) {
		json_decref(specials);
		return input_failed(r);
	}
	rc = store_app_get(r->db, id, 0, &a);
	if (rc < 0) {
		json_decref(specials);
		return api_db_failed(r, r->db);
	}
	if (rc == 1) {
		if (a.competition_id != comp)
			rc = 0;
		app_row_release(&a);
	}
	if (rc == 0) {
		json_decref(specials);
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	}
	if (begin_open(r, comp, &round) < 0) {
		json_decref(specials);
		return -1;
	}
	if (ranking_load(r, comp, round.stage, &rk) < 0)
		goto fail;
	e = entry_find(&rk, id);
	if (!e) {
		req_fail(r, E_CONFLICT, "not_in_stage",
			 "该项目不在本轮评奖的%s阶段",
			 stage_label(round.stage));
		goto fail;
	}
	tr = track_find(&rk, e->track_id);
	awards = store_awards_list(r->db, comp);
	quotas = awards ? store_award_quotas(r->db, comp) : NULL;
	if (!quotas)
		goto dbfail;
	old = award_find(awards, id);
	/* What the body leaves out stays as it was. */
	if (!lv)
		dom_award_level_parse(
			json_string_value(json_object_get(old, "level")),
			&level);
	if (!specials) {
		const json_t *o = json_object_get(old, "specials");
		specials = json_is_array(o) ? json_deep_copy(o) : json_array();
	}
	json_array_foreach (awards, i, it)
		if (json_integer_value(json_object_get(it, "application_id")) !=
			    id &&
		    json_integer_value(json_object_get(it, "track_id")) ==
			    e->track_id &&
		    level &&
		    same_text(json_string_value(json_object_get(it, "level")),
			      dom_award_level_name(level)))
			taken++;
	{
		struct dom_quota q = quota_of(quotas, e->track_id);
		switch (dom_award_check(&q, level, taken,
					json_array_size(specials), e->top20)) {
		case DOM_AWARD_NOT_TOP20:
			req_field_error(
				r, "specials", "not_top20",
				"特色奖项只能授予本赛道排名前 20% 的项目");
			input_failed(r);
			goto fail;
		case DOM_AWARD_QUOTA_FULL:
			req_fail(r, E_CONFLICT, "quota_full",
				 "本赛道%s名额已满（%d 名）",
				 dom_award_level_label(level),
				 dom_quota_places(&q, level));
			goto fail;
		default:
			break;
		}
	}
	sp = specials_text(r, specials, true);
	if (!sp) {
		oom(r);
		goto fail;
	}
	if (store_award_set(r->db, comp, id, tr ? tr->id : e->track_id,
			    dom_award_level_name(level), sp, e->rank,
			    r->user_id, clock_now()) < 0 ||
	    console_audit(
		    r, "award_set", "application", id, comp,
		    json_pack("{s:O?, s:{s:o, s:O}}", "before", old, "after",
			      "level",
			      level ? json_string(dom_award_level_name(level))
				    : json_null(),
			      "specials", specials)) < 0 ||
	    db_commit(r->db) < 0)
		goto dbfail;
	done = true;
	goto out;
dbfail:
	api_db_failed(r, r->db);
fail:
	db_rollback(r->db);
out:
	json_decref(awards);
	json_decref(quotas);
	json_decref(specials);
	ranking_release(&rk);
	return done ? awards_answer(r, comp) : -1;
}

/* ---- lock, unlock, publish ---------------------------------------- */

/* "一等奖、最具价值奖" for an award row, in the arena ("" for none). */
static const char *award_names(struct req *r, const json_t *award)
{
	enum dom_award_level l = DOM_LEVEL_NONE;
	const char *out = "";
	const json_t *v;
	size_t i;

	if (dom_award_level_parse(
		    json_string_value(json_object_get(award, "level")), &l) ==
	    0)
		out = dom_award_level_label(l);
	for (unsigned k = 0; k < DOM_SPECIAL_COUNT; k++)
		json_array_foreach (json_object_get(award, "specials"), i, v)
			if (same_text(json_string_value(v),
				      dom_special_code(k)))
				out = arena_printf(&r->arena, "%s%s%s", out,
						   *out ? "、" : "",
						   dom_special_label(k));
	return out ? out : "";
}

/*
 * Tells every ranked or awarded application's owner, inside the publish
 * transaction: an award is a 获奖通知 with its SMS; the others get a
 * message that the results are out. Returns 0 or -1 (db error on r->db).
 */
static int publish_notices(struct req *r, int64_t comp, struct ranking *rk,
			   const json_t *awards, int64_t now)
{
	const json_t *a;
	size_t i;

	for (size_t k = 0; k < rk->n; k++) {
		const struct rk_entry *e = &rk->e[k];
		const json_t *aw = award_find(awards, e->id);
		const char *project = e->project_name && *e->project_name
					      ? e->project_name
					      : "未命名项目";

		const char *body;

		if (aw || !e->rank)
			continue;
		body = arena_printf(
			&r->arena,
			"您的项目《%s》的评审结果已公布，感谢您的参与。",
			project);
		if (store_message_add(r->db, e->user_id, e->id, "results",
				      "评审结果已公布",
				      body ? body : "评审结果已公布。",
				      now) < 0)
			return -1;
	}
	json_array_foreach (awards, i, a) {
		struct notice_facts f = { 0 };
		struct app_row row;
		int rc = store_app_get(r->db,
				       json_integer_value(json_object_get(
					       a, "application_id")),
				       0, &row);

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue; /* deleted since */
		f.award = award_names(r, a);
		rc = api_notice_record(r, &row, NOTICE_AWARD, &f);
		app_row_release(&row);
		if (rc < 0)
			return -1;
	}
	return 0;
}

enum round_step { STEP_LOCK, STEP_UNLOCK, STEP_PUBLISH };

static int round_step(struct req *r, enum round_step step)
{
	static const char *const actions[] = { "awards_lock", "awards_unlock",
					       "awards_publish" };
	struct award_round round;
	struct ranking rk = { 0 };
	json_t *awards = NULL;
	int64_t comp = 0, now = clock_now();
	char before[16];

	if (admin_gate(r, &comp) < 0)
		return -1;
	if (db_begin_write(r->db) < 0 ||
	    store_award_round_get(r->db, comp, &round) < 0)
		goto dbfail;
	snprintf(before, sizeof(before), "%s", round.state);
	if (!strcmp(round.state, "published")) {
		req_fail(r, E_CONFLICT, "awards_published",
			 "评审结果已公布，奖项不能再修改");
		goto fail;
	}
	if (step == STEP_LOCK && strcmp(round.state, "open")) {
		req_fail(r, E_CONFLICT, "awards_locked", "奖项已锁定");
		goto fail;
	}
	if (step != STEP_LOCK && strcmp(round.state, "locked")) {
		req_fail(r, E_CONFLICT, "not_locked",
			 step == STEP_PUBLISH ? "请先锁定奖项再发布"
					      : "奖项未锁定");
		goto fail;
	}
	switch (step) {
	case STEP_LOCK:
		snprintf(round.state, sizeof(round.state), "locked");
		round.locked_at = now;
		break;
	case STEP_UNLOCK:
		snprintf(round.state, sizeof(round.state), "open");
		round.locked_at = 0;
		break;
	case STEP_PUBLISH:
		snprintf(round.state, sizeof(round.state), "published");
		round.published_at = now;
		if (ranking_load(r, comp, round.stage, &rk) < 0)
			goto fail;
		awards = store_awards_list(r->db, comp);
		if (!awards)
			goto dbfail;
		/* The public list keeps the ranks of the moment of publishing. */
		for (size_t k = 0; k < rk.n; k++) {
			const json_t *aw = award_find(awards, rk.e[k].id);
			char *sp;
			if (!aw)
				continue;
			sp = specials_text(r, json_object_get(aw, "specials"),
					   true);
			if (!sp) {
				oom(r);
				goto fail;
			}
			if (store_award_set(
				    r->db, comp, rk.e[k].id,
				    json_integer_value(
					    json_object_get(aw, "track_id")),
				    json_string_value(
					    json_object_get(aw, "level")),
				    sp, rk.e[k].rank, r->user_id, now) < 0)
				goto dbfail;
		}
		if (publish_notices(r, comp, &rk, awards, now) < 0)
			goto dbfail;
		break;
	}
	if (store_award_round_set(r->db, comp, &round, r->user_id, now) < 0 ||
	    console_audit(r, actions[step], "competition", comp, comp,
			  json_pack("{s:{s:s}, s:{s:s, s:s}}", "before",
				    "state", before, "after", "state",
				    round.state, "stage", round.stage)) < 0 ||
	    db_commit(r->db) < 0)
		goto dbfail;
	json_decref(awards);
	ranking_release(&rk);
	if (step == STEP_PUBLISH) {
		api_notices_kick(r);
		log_info("competition %lld: awards published by user %lld",
			 (long long)comp, (long long)r->user_id);
	}
	return awards_answer(r, comp);
dbfail:
	api_db_failed(r, r->db);
fail:
	db_rollback(r->db);
	json_decref(awards);
	ranking_release(&rk);
	return -1;
}

int api_awards_lock(struct req *r)
{
	return round_step(r, STEP_LOCK);
}

int api_awards_unlock(struct req *r)
{
	return round_step(r, STEP_UNLOCK);
}

int api_awards_publish(struct req *r)
{
	return round_step(r, STEP_PUBLISH);
}

/* ---- public results ------------------------------------------------ */

int api_results_get(struct req *r)
{
	struct str slug = req_param(r, "slug");
	struct catalog_snapshot *snap;
	const json_t *c;
	struct award_round round;
	int64_t comp = 0;
	json_t *rows, *tracks, *body, *name, *row, *v;
	size_t i, j;

	if (!req_db(r) || console_competition(r, &comp) < 0)
		return -1;
	if (store_award_round_get(r->db, comp, &round) < 0)
		return api_db_failed(r, r->db);
	if (strcmp(round.state, "published"))
		return req_fail(r, E_NOT_FOUND, "results_not_published",
				"评审结果尚未公布");
	rows = store_award_results(r->db, comp);
	if (!rows)
		return api_db_failed(r, r->db);
	snap = catalog_cache_get(r->app->catalog);
	c = snap ? catalog_snapshot_competition(
			   snap, arena_strndup(&r->arena, slug.p, slug.len))
		 : NULL;
	name = json_incref(json_object_get(c, "name"));
	catalog_snapshot_unref(snap);
	tracks = json_array();
	json_array_foreach (rows, i, row) {
		json_int_t tid =
			json_integer_value(json_object_get(row, "track_id"));
		json_t *t = json_array_get(tracks, json_array_size(tracks) - 1);
		enum dom_award_level l;
		json_t *who;

		if (!t ||
		    json_integer_value(json_object_get(t, "track_id")) != tid) {
			t = json_pack("{s:I, s:O, s:[], s:[]}", "track_id", tid,
				      "track_name",
				      json_object_get(row, "track_name"),
				      "awards", "specials");
			if (!t || json_array_append_new(tracks, t) < 0)
				break;
		}
		who = json_pack("{s:O, s:O, s:O}", "project_name",
				json_object_get(row, "project_name"),
				"team_name", json_object_get(row, "team_name"),
				"lead_unit_name",
				json_object_get(row, "lead_unit_name"));
		if (who &&
		    dom_award_level_parse(
			    json_string_value(json_object_get(row, "level")),
			    &l) == 0) {
			json_t *o = json_deep_copy(who);
			json_object_set_new(
				o, "level",
				json_string(dom_award_level_name(l)));
			json_object_set_new(
				o, "level_label",
				json_string(dom_award_level_label(l)));
			json_array_append_new(json_object_get(t, "awards"), o);
		}
		json_array_foreach (json_object_get(row, "specials"), j, v) {
			int k = dom_special_find(json_string_value(v));
			json_t *o;
			if (k < 0 || !who)
				continue;
			o = json_deep_copy(who);
			json_object_set_new(o, "code",
					    json_string(dom_special_code(k)));
			json_object_set_new(o, "label",
					    json_string(dom_special_label(k)));
			json_array_append_new(json_object_get(t, "specials"),
					      o);
		}
		json_decref(who);
	}
	/* Specials in their display order, each in rank order. */
	json_array_foreach (tracks, i, row) {
		json_t *sp = json_object_get(row, "specials"), *sorted;
		sorted = json_array();
		for (unsigned k = 0; sorted && k < DOM_SPECIAL_COUNT; k++)
			json_array_foreach (sp, j, v)
				if (!strcmp(json_string_value(
						    json_object_get(v, "code")),
					    dom_special_code(k)))
					json_array_append(sorted, v);
		json_object_set_new(row, "specials", sorted);
	}
	json_decref(rows);
	body = json_pack("{s:s%, s:o, s:I, s:o}", "competition", slug.p,
			 slug.len, "competition_name",
			 name ? name : json_null(), "published_at",
			 (json_int_t)round.published_at, "tracks", tracks);
	return api_send(r, 200, body);
}
