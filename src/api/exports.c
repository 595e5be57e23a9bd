/*
 * exports.c: a sub-contest's applications for the organisers, as XLSX or
 * CSV, read from one consistent snapshot; at once (GET export.xlsx) or
 * as a background job with progress and a download (POST exports), which
 * can also be a zip of the organisers' 申报书 PDFs. Finished files are
 * kept export_retention_hours, then deleted by a sweeper.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"
#include "applications.h"
#include "catalog_cache.h"
#include "documents.h"
#include "errors.h"
#include "exports.h"
#include "input.h"
#include "roles.h"
#include "../app.h"
#include "../crypto/crypto.h"
#include "../domain/form.h"
#include "../docs/jscan.h"
#include "../docs/sheet.h"
#include "../docs/text.h"
#include "../docs/zip.h"
#include "../domain/lifecycle.h"
#include "../files/blob.h"
#include "../store/applications.h"
#include "../store/attachments.h"
#include "../store/exports.h"
#include "../store/pool.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/str.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

/*
 * Rows per query: PostgreSQL hands a whole result over at once, so a
 * page bounds the memory (a stored document is some tens of KB).
 */
#define PAGE_ROWS 200
#define PROGRESS_EVERY 500
#define JOBS_PER_PROCESS 2
#define JOBS_PER_USER 3
#define JOB_STALE_SECONDS 120 /* a running job silent this long has died */
/*
 * A batch of PDFs takes about 0.1–0.3 s a record and is one snapshot
 * held open: 500 keeps a job within a few minutes and a zip far below
 * the 4 GiB of a zip without Zip64.
 */
#define PDF_ZIP_MAX 500
#define SWEEP_SECONDS 600 /* how often finished files past retention go */
#define SWEEP_BATCH 100

enum export_kind { EK_XLSX, EK_CSV, EK_PDF_ZIP };

struct export_req {
	struct export_filter f;
	enum export_kind kind;
	char track[72];
	char status[16];
	char stage[16];
	char tech[16];
	char region[8];
	char nature[260];
	char keyword[204];
	char sheet[64];
	bool unmask;
	bool summary; /* ?columns=summary: no document decoded */
	int64_t competition_id;
	char slug[72];
	char short_name[80];
	int64_t *ids; /* pdf_zip: these records (malloc()ed), or NULL */
	int nids;
};

/* The filter's pointers into e's own buffers (after a copy too). */
static void bind_filter(struct export_req *e)
{
	e->f.track_key = e->track;
	e->f.status = e->status;
	e->f.stage = e->stage;
	e->f.tech = e->tech;
	e->f.region = e->region;
	e->f.nature = e->nature;
	e->f.keyword = e->keyword;
}

static const char *kind_name(enum export_kind k)
{
	return k == EK_XLSX ? "xlsx" : k == EK_CSV ? "csv" : "pdf_zip";
}

/* ---- the export itself ------------------------------------------------ */

struct run {
	struct xp_export *x;
	int64_t after_app;  /* the last application written */
	int64_t files_app;  /* the last file written: its application */
	int64_t files_file; /* … and its id */
	int64_t done;
	int64_t total;
	/* Called every PROGRESS_EVERY rows; non-zero stops the export. */
	int (*progress)(void *cls, int64_t done, int64_t total);
	void *cls;
	struct pending *page; /* a page of documents (PAGE_ROWS) */
	int npage;
	/* Where batches' documents are decoded. */
	struct xj_arena *arenas; /* 4: [2 * batch parity + half] */
	char err[256];
};

/*
 * Writes one application, with its document or (doc NULL) as a summary,
 * and reports progress: the summary columns are NULL in a page of
 * documents, so one meta serves both.
 */
static int write_app(struct run *run, const struct export_app *a,
		     const struct xj *doc)
{
	struct xp_app_meta m = {
		.id = a->id,
		.status_label = lc_status_label(a->status),
		.stage_label = lc_stage_label(a->stage),
		.tech_label = lc_tech_label(a->tech_status),
		.created_at = a->created_at,
		.updated_at = a->updated_at,
		.submitted_at = a->submitted_at,
		.return_reason = a->return_reason,
		.project_name = a->project_name,
		.team_name = a->team_name,
		.lead_unit_name = a->lead_unit_name,
		.lead_uscc = a->lead_uscc,
		.track_name = a->track_name,
		.topic_no = a->topic_no,
		.topic_title = a->topic_title,
		.region = a->region,
		.lead_nature = a->lead_nature,
	};

	if (xp_export_app(run->x, &m, doc) < 0) {
		snprintf(run->err, sizeof(run->err), "cannot write the export");
		return -1;
	}
	run->done++;
	if (run->progress && run->done % PROGRESS_EVERY == 0 &&
	    run->progress(run->cls, run->done, run->total)) {
		snprintf(run->err, sizeof(run->err), "stopped");
		return -1;
	}
	return 0;
}

/*
 * Parsing and unsealing the documents is most of a full export's work:
 * a page's documents are kept, then decoded DECODE_BATCH at a time by a
 * helper thread, a batch ahead of the one being written (write_page()).
 * They are parsed by docs/jscan.h, not jansson: a read-only tree in an
 * arena per batch and thread half, reset once the batch is written.
 */
#define DECODE_BATCH 40

/* As api/applications.c seals identifiers in the stored documents. */

struct pending {
	struct export_app a;  /* its strings owned */
	const struct xj *doc; /* decoded; NULL when unreadable */
};

struct decode {
	struct pending *p;
	int n;
	struct xj_arena *arena; /* where the documents' trees go */
};

/* Opens every sealed string of v in place (the text into the arena). */
static int unseal_x(struct xj *v, struct xj_arena *a)
{
	if (v->type == XJ_STRING) {
		size_t len = 0;
		char *plain, *copy;
		if (strncmp(v->u.s, FORM_SEAL_PREFIX,
			    sizeof(FORM_SEAL_PREFIX) - 1))
			return 0;
		plain = cr_open(v->u.s + sizeof(FORM_SEAL_PREFIX) - 1, &len);
		if (!plain)
			return -1;
		/* jansson refused such text in doc_unseal(): so does this. */
		copy = len < UINT32_MAX && xj_utf8_valid(plain, len)
			       ? xj_alloc(a, len + 1)
			       : NULL;
		if (copy) {
			memcpy(copy, plain, len);
			copy[len] = '\0';
			v->u.s = copy;
			v->n = (uint32_t)len;
		}
		free(plain);
		return copy ? 0 : -1;
	}
	if (v->type == XJ_ARRAY || v->type == XJ_OBJECT)
		for (uint32_t i = 0; i < v->n; i++)
			if (unseal_x(&v->u.kids[i], a) < 0)
				return -1;
	return 0;
}

static void *decode_part(void *arg)
{
	struct decode *d = arg;

	for (int i = 0; i < d->n; i++) {
		const char *text = d->p[i].a.doc;
		struct xj *doc =
			xj_parse(d->arena, text, strlen(text), NULL, 0);
		if (doc &&
		    (doc->type != XJ_OBJECT || unseal_x(doc, d->arena) < 0))
			doc = NULL;
		d->p[i].doc = doc;
	}
	return NULL;
}

static char *dup_opt(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static void pending_free(struct pending *p)
{
	free((char *)(uintptr_t)p->a.status);
	free((char *)(uintptr_t)p->a.stage);
	free((char *)(uintptr_t)p->a.tech_status);
	free((char *)(uintptr_t)p->a.doc);
	free((char *)(uintptr_t)p->a.project_name);
	free((char *)(uintptr_t)p->a.team_name);
	free((char *)(uintptr_t)p->a.lead_unit_name);
	free((char *)(uintptr_t)p->a.lead_uscc);
	free((char *)(uintptr_t)p->a.track_name);
	free((char *)(uintptr_t)p->a.topic_title);
	free((char *)(uintptr_t)p->a.region);
	free((char *)(uintptr_t)p->a.lead_nature);
	free((char *)(uintptr_t)p->a.return_reason);
	/* p->doc is in an arena of the run's (struct run): not freed here. */
	memset(p, 0, sizeof(*p));
}

/* Decodes n documents at p, half of them on a helper thread. */
static void decode_split(struct pending *p, int n, struct xj_arena *two)
{
	struct decode mine = { p, n / 2, &two[0] },
		      theirs = { p + n / 2, n - n / 2, &two[1] };
	pthread_t t;
	bool helper = n > 1 && !pthread_create(&t, NULL, decode_part, &theirs);

	/* Without a helper thread this thread does it all. */
	if (!helper)
		mine.n = n;
	decode_part(&mine);
	if (helper)
		pthread_join(t, NULL);
}

/*
 * Decodes and writes the page kept by one_app(), then frees it. The
 * first batch is decoded by two threads; then a helper decodes the next
 * batch while this thread writes the current one.
 */
static int write_page(struct run *run)
{
	int rc = 0, n = run->npage;

	/* Batches two apart share arenas: the older one is written by then. */
	xj_arena_reset(&run->arenas[0]);
	xj_arena_reset(&run->arenas[1]);
	decode_split(run->page, n < DECODE_BATCH ? n : DECODE_BATCH,
		     &run->arenas[0]);
	for (int at = 0; at < n && rc == 0; at += DECODE_BATCH) {
		int cnt = n - at < DECODE_BATCH ? n - at : DECODE_BATCH;
		int rest = n - at - cnt;
		struct xj_arena *two =
			&run->arenas[2 * ((at / DECODE_BATCH + 1) % 2)];
		struct decode next = { run->page + at + cnt,
				       rest < DECODE_BATCH ? rest
							   : DECODE_BATCH,
				       &two[0] };
		pthread_t t;
		bool helper;

		xj_arena_reset(&two[0]);
		xj_arena_reset(&two[1]);
		helper = next.n > 0 &&
			 !pthread_create(&t, NULL, decode_part, &next);

		for (int i = at; i < at + cnt && rc == 0; i++) {
			struct pending *p = &run->page[i];
			if (!p->doc) {
				snprintf(run->err, sizeof(run->err),
					 "application %lld: stored document "
					 "unreadable",
					 (long long)p->a.id);
				rc = -1;
				break;
			}
			rc = write_app(run, &p->a, p->doc);
		}
		if (helper)
			pthread_join(t, NULL);
		else if (next.n > 0 && rc == 0)
			decode_part(&next);
	}
	for (int i = 0; i < run->npage; i++)
		pending_free(&run->page[i]);
	run->npage = 0;
	return rc;
}

static void free_arenas(struct run *run)
{
	for (int i = 0; run->arenas && i < 4; i++)
		xj_arena_free(&run->arenas[i]);
	free(run->arenas);
	run->arenas = NULL;
}

/* Keeps one application of a page (its strings copied) for write_page(). */
static int one_app(const struct export_app *a, void *cls)
{
	struct run *run = cls;
	struct pending *p;
	bool oom = false;

	run->after_app = a->id;
	if (run->npage >= PAGE_ROWS) {
		snprintf(run->err, sizeof(run->err), "a page too long");
		return -1;
	}
	p = &run->page[run->npage++];
	memset(p, 0, sizeof(*p));
	p->a = *a;
	p->a.status = dup_opt(a->status, &oom);
	p->a.stage = dup_opt(a->stage, &oom);
	p->a.tech_status = dup_opt(a->tech_status, &oom);
	p->a.doc = dup_opt(a->doc, &oom);
	p->a.project_name = dup_opt(a->project_name, &oom);
	p->a.team_name = dup_opt(a->team_name, &oom);
	p->a.lead_unit_name = dup_opt(a->lead_unit_name, &oom);
	p->a.lead_uscc = dup_opt(a->lead_uscc, &oom);
	p->a.track_name = dup_opt(a->track_name, &oom);
	p->a.topic_title = dup_opt(a->topic_title, &oom);
	p->a.region = dup_opt(a->region, &oom);
	p->a.lead_nature = dup_opt(a->lead_nature, &oom);
	p->a.return_reason = dup_opt(a->return_reason, &oom);
	if (oom || !a->doc) {
		snprintf(run->err, sizeof(run->err),
			 oom ? "out of memory"
			     : "application %lld: no stored document",
			 (long long)a->id);
		return -1;
	}
	return 0;
}

static int one_summary(const struct export_app *a, void *cls)
{
	struct run *run = cls;

	run->after_app = a->id;
	return write_app(run, a, NULL);
}

static int one_file(const struct export_file *e, void *cls)
{
	struct run *run = cls;
	struct xp_file_meta m = {
		.application_id = e->application_id,
		.project_name = e->project_name,
		.slot = e->slot,
		.row = e->row,
		.file_name = e->file_name,
		.size = e->size,
		.kind = e->kind,
		.sha256 = e->sha256,
		.uploaded_at = e->uploaded_at,
	};

	run->files_app = e->application_id;
	run->files_file = e->id;
	if (xp_export_file(run->x, &m) < 0) {
		snprintf(run->err, sizeof(run->err), "cannot write the export");
		return -1;
	}
	return 0;
}

/*
 * Writes the export of f to opts->path from one snapshot of the
 * database (db's connection holds a read transaction throughout, given
 * back committed). Returns 0, or -1 with run->err filled.
 */
static int run_export(struct db *db, const struct export_filter *f,
		      const struct xp_export_opts *opts, struct run *run)
{
	char err[256];
	int n;

	run->x = xp_export_open(opts, err, sizeof(err));
	if (!run->x) {
		snprintf(run->err, sizeof(run->err), "%s", err);
		return -1;
	}
	if (!opts->summary &&
	    (!(run->page = calloc(PAGE_ROWS, sizeof(*run->page))) ||
	     !(run->arenas = calloc(4, sizeof(*run->arenas))))) {
		free(run->page);
		run->page = NULL;
		snprintf(run->err, sizeof(run->err), "out of memory");
		xp_export_close(run->x, NULL, 0);
		run->x = NULL;
		return -1;
	}
	if (db_begin_snapshot(db) < 0 ||
	    store_export_count(db, f, &run->total) < 0)
		goto dbfail;
	if (run->progress)
		run->progress(run->cls, 0, run->total);
	do {
		int64_t first = run->after_app, m;
		if (opts->summary) {
			n = store_export_summaries(db, f, run->after_app,
						   PAGE_ROWS, one_summary, run);
			if (n < 0)
				goto fail;
			continue;
		}
		n = store_export_apps(db, f, run->after_app, PAGE_ROWS, one_app,
				      run);
		if (n < 0 || write_page(run) < 0)
			goto fail;
		/* This page's files: applications (first, after_app]. */
		run->files_app = first;
		run->files_file = INT64_MAX; /* none of `first`'s: written */
		do {
			m = store_export_files(db, f, run->files_app,
					       run->files_file, run->after_app,
					       PAGE_ROWS, one_file, run);
			if (m < 0)
				goto fail;
		} while (m == PAGE_ROWS);
	} while (n == PAGE_ROWS);
	free(run->page);
	run->page = NULL;
	free_arenas(run);
	if (db_commit(db) < 0)
		goto dbfail;
	if (xp_export_close(run->x, err, sizeof(err)) < 0) {
		run->x = NULL;
		snprintf(run->err, sizeof(run->err), "%s", err);
		return -1;
	}
	run->x = NULL;
	return 0;
dbfail:
	snprintf(run->err, sizeof(run->err), "database: %s", db_errmsg(db));
fail:
	if (!run->err[0])
		snprintf(run->err, sizeof(run->err), "database: %s",
			 db_errmsg(db));
	db_rollback(db);
	for (int i = 0; run->page && i < run->npage; i++)
		pending_free(&run->page[i]);
	free(run->page);
	run->page = NULL;
	run->npage = 0;
	free_arenas(run);
	xp_export_close(run->x, NULL, 0);
	run->x = NULL;
	return -1;
}

/* ---- reading the request ---------------------------------------------- */

static bool track_key_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

/* The options as text, from the query or from a job's body. */
struct opt_in {
	const char *track, *topic, *status, *stage, *tech, *region, *unit_type,
		*from, *to, *q, *sheet, *unmask, *columns;
};

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool set(const char *s)
{
	return s && *s;
}

/*
 * Checks the filters (the review queue's) and options into e; records a
 * field error for each bad one and then 400 bad_query.
 */
static int check_options(struct req *r, const json_t *schema,
			 const struct opt_in *in, struct export_req *e)
{
	int64_t no = 0;

	if (set(in->columns) && strcmp(in->columns, "all") &&
	    strcmp(in->columns, "summary"))
		req_field_error(
			r, "columns", "invalid",
			"columns 应为 all（全部字段）或 summary（概要）");
	e->summary = set(in->columns) && !strcmp(in->columns, "summary");
	if (set(in->track)) {
		if (!track_key_ok(in->track))
			req_field_error(r, "track", "invalid",
					"赛道参数 track 不正确");
		else
			snprintf(e->track, sizeof(e->track), "%s", in->track);
	}
	if (set(in->topic) && str_to_i64z(in->topic, 1, 1000, &no) < 0)
		req_field_error(r, "topic", "invalid",
				"赛题参数 topic 应为赛题编号");
	if (set(in->status)) {
		/* Drafts are the applicants' own: never exported. */
		if (!lc_status_known(in->status) ||
		    !strcmp(in->status, "draft"))
			req_field_error(r, "status", "invalid",
					"状态参数 status 应为 submitted、"
					"approved 或 returned");
		else
			snprintf(e->status, sizeof(e->status), "%s",
				 in->status);
	}
	if (set(in->stage)) {
		if (!lc_stage_known(in->stage))
			req_field_error(r, "stage", "invalid",
					"阶段参数 stage 不正确");
		else
			snprintf(e->stage, sizeof(e->stage), "%s", in->stage);
	}
	if (set(in->tech)) {
		if (!lc_tech_known(in->tech))
			req_field_error(
				r, "tech_status", "invalid",
				"技术验证状态应为 not_started、pending、"
				"verifying、passed 或 failed");
		else
			snprintf(e->tech, sizeof(e->tech), "%s", in->tech);
	}
	/* 440000 → 44, 440300 → 4403: a province or city takes its children. */
	if (set(in->region)) {
		size_t n = strlen(in->region);
		if (n < 2 || n > 6 || n % 2 || !all_digits(in->region)) {
			req_field_error(r, "region", "invalid",
					"地区应为 2 到 6 位的行政区划代码");
		} else {
			snprintf(e->region, sizeof(e->region), "%s",
				 in->region);
			while (n > 2 && !strcmp(e->region + n - 2, "00"))
				e->region[n -= 2] = '\0';
		}
	}
	if (set(in->unit_type)) {
		if (strlen(in->unit_type) >= sizeof(e->nature))
			req_field_error(r, "unit_type", "invalid",
					"单位性质参数过长");
		else
			snprintf(e->nature, sizeof(e->nature), "%s",
				 in->unit_type);
	}
	if (set(in->from) &&
	    (e->f.submitted_from = time_cn_day_start(in->from)) < 0)
		req_field_error(r, "submitted_from", "invalid",
				"日期格式应为 2026-07-01");
	if (set(in->to)) {
		int64_t t = time_cn_day_start(in->to);
		if (t < 0)
			req_field_error(r, "submitted_to", "invalid",
					"日期格式应为 2026-07-15");
		else
			e->f.submitted_to = t + 86400; /* the whole day */
	}
	if (e->f.submitted_from > 0 && e->f.submitted_to > 0 &&
	    e->f.submitted_to <= e->f.submitted_from)
		req_field_error(r, "submitted_to", "invalid",
				"结束日期不能早于开始日期");
	if (e->f.submitted_from < 0)
		e->f.submitted_from = 0;
	if (set(in->q)) {
		if (strlen(in->q) >= sizeof(e->keyword))
			req_field_error(r, "q", "invalid",
					"关键词不能超过 200 字节");
		else
			snprintf(e->keyword, sizeof(e->keyword), "%s", in->q);
	}
	snprintf(e->sheet, sizeof(e->sheet), "%s",
		 set(in->sheet) ? in->sheet : "applications");
	if (e->kind != EK_PDF_ZIP &&
	    (!xp_export_has_sheet(schema, e->sheet) ||
	     (e->summary && strcmp(e->sheet, "applications"))))
		req_field_error(r, "sheet", "invalid",
				"sheet 应为 applications、members、units、"
				"cases、attachments 等表名");
	if (set(in->unmask) && strcmp(in->unmask, "0") &&
	    strcmp(in->unmask, "1"))
		req_field_error(r, "unmask", "invalid", "unmask 应为 0 或 1");
	e->unmask = set(in->unmask) && !strcmp(in->unmask, "1");
	if (input_has_errors(r))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"导出条件有误，请按提示修改");
	e->f.topic_no = no;
	bind_filter(e);
	return 0;
}

/*
 * Finds the sub-contest of the path and checks the caller may export it:
 * its reviewers and admins (404 for anyone else, as for its records), and
 * for ?unmask=1 its admins only (403), which is audited.
 */
static int load_competition(struct req *r, struct export_req *e)
{
	struct str slug = req_param(r, "slug");
	struct catalog_snapshot *snap = catalog_cache_get(r->app->catalog);
	const struct catalog_entry *ce =
		snap ? catalog_snapshot_find(snap, slug.p, slug.len) : NULL;
	const json_t *comp = ce ? catalog_snapshot_competition(snap, ce->slug)
				: NULL;

	if (comp) {
		const char *sn =
			json_string_value(json_object_get(comp, "short_name"));
		snprintf(e->slug, sizeof(e->slug), "%s", ce->slug);
		e->competition_id =
			json_integer_value(json_object_get(comp, "id"));
		snprintf(e->short_name, sizeof(e->short_name), "%s",
			 sn ? sn : ce->slug);
	}
	catalog_snapshot_unref(snap);
	if (!comp)
		return req_fail(r, E_NOT_FOUND, "competition_not_found",
				"赛事不存在");
	e->f.competition_id = e->competition_id;
	if (api_require_reviewer(r, e->competition_id) < 0)
		return -1;
	if (e->unmask && api_require_admin(r, e->competition_id) < 0)
		return -1;
	return 0;
}

static int audit_unmask(struct req *r, const struct export_req *e,
			const char *via)
{
	char detail[256];

	if (!e->unmask)
		return 0;
	snprintf(detail, sizeof(detail),
		 "{\"via\":\"%s\",\"format\":\"%s\",\"sheet\":\"%s\"}", via,
		 kind_name(e->kind), e->sheet);
	return doc_audit(r, "export_personal_data", "competition",
			 e->competition_id, e->competition_id, detail);
}

static const char *sheet_label(const char *sheet)
{
	static const struct {
		const char *key, *label;
	} names[] = {
		{ "applications", "报名表" }, { "members", "团队成员" },
		{ "units", "参赛单位" },      { "cases", "应用案例" },
		{ "attachments", "附件" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].key, sheet))
			return names[i].label;
	return sheet;
}

/* "广东分赛-报名数据-20260720-1035.xlsx" */
static char *export_name(struct req *r, const struct export_req *e, int64_t now)
{
	char t[XP_TIME_MAX], stamp[20];
	size_t k = 0;

	xp_time_cn(now, t, sizeof(t));
	for (const char *p = t; *p && k + 1 < sizeof(stamp); p++)
		if (*p != ':' && *p != '-')
			stamp[k++] = *p == ' ' ? '-' : *p;
	stamp[k] = '\0';
	if (e->kind == EK_XLSX)
		return arena_printf(&r->arena, "%s-报名数据-%s.xlsx",
				    e->short_name, stamp);
	return arena_printf(&r->arena, "%s-%s-%s.csv", e->short_name,
			    sheet_label(e->sheet), stamp);
}

static void fill_opts(struct req *r, const struct export_req *e,
		      const json_t *schema, const json_t *comp,
		      const char *path, const char *tmpdir, const char *note,
		      struct xp_export_opts *o)
{
	*o = (struct xp_export_opts){
		.format = e->kind == EK_XLSX ? XP_XLSX : XP_CSV,
		.path = path,
		.tmpdir = tmpdir,
		.schema = schema,
		.competition = comp,
		.industry_names = doc_industry_names(r),
		.slots = json_object_get(schema, "attachments"),
		.unmask = e->unmask,
		.summary = e->summary,
		.sheet = e->sheet,
		.note = note,
	};
}

/* ---- GET export.xlsx / export.csv ------------------------------------- */

static int export_now(struct req *r, enum export_kind kind)
{
	struct export_req e = { .kind = kind };
	const json_t *schema = doc_schema(r), *comp;
	struct catalog_snapshot *snap = NULL;
	struct xp_export_opts o;
	struct run run = { 0 };
	char path[1100], tmpdir[1100];
	const char *note = NULL;
	bool bad = false;
	struct opt_in in = {
		.track = req_query(r, "track", &bad),
		.topic = req_query(r, "topic", &bad),
		.status = req_query(r, "status", &bad),
		.stage = req_query(r, "stage", &bad),
		.tech = req_query(r, "tech_status", &bad),
		.region = req_query(r, "region", &bad),
		.unit_type = req_query(r, "unit_type", &bad),
		.from = req_query(r, "submitted_from", &bad),
		.to = req_query(r, "submitted_to", &bad),
		.q = req_query(r, "q", &bad),
		.sheet = req_query(r, "sheet", &bad),
		.unmask = req_query(r, "unmask", &bad),
		.columns = req_query(r, "columns", &bad),
	};
	int fd, rc = -1;
	int64_t t0 = now_ns();

	if (!schema)
		return -1;
	if (bad)
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询参数格式错误");
	if (check_options(r, schema, &in, &e) < 0)
		return -1;
	if (load_competition(r, &e) < 0)
		return -1;
	if (audit_unmask(r, &e, "download") < 0)
		return api_db_failed(r, r->db);
	if (e.unmask)
		note = arena_printf(
			&r->arena,
			"含未脱敏个人信息，请妥善保管；导出人 ID %lld，"
			"导出请求 %s",
			(long long)r->user_id, r->id);
	snap = catalog_cache_get(r->app->catalog);
	comp = doc_competition(snap, e.competition_id);
	fd = doc_tmpfile(r, "export", kind == EK_XLSX ? ".xlsx" : ".csv", path,
			 sizeof(path));
	if (fd < 0)
		goto out;
	/* The writer reopens the path by name. */
	close(fd);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", r->app->cfg.data_dir);
	fill_opts(r, &e, schema, comp, path, tmpdir, note, &o);
	if (run_export(r->db, &e.f, &o, &run) < 0) {
		unlink(path);
		req_fail(r, E_INTERNAL, "export", "%s", run.err);
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (fd < 0) {
		req_fail(r, E_INTERNAL, "export", "cannot reopen '%s'", path);
		goto out;
	}
	log_info("export of %s: %lld applications in %.0f ms (request %s)",
		 e.short_name, (long long)run.done, (now_ns() - t0) / 1e6,
		 r->id);
	resp_header(r, "X-Export-Rows",
		    arena_printf(&r->arena, "%lld", (long long)run.done));
	rc = doc_send_fd(
		r, fd,
		kind == EK_XLSX
			? "application/vnd.openxmlformats-officedocument."
			  "spreadsheetml.sheet"
			: "text/csv; charset=utf-8",
		export_name(r, &e, clock_now()));
out:
	catalog_snapshot_unref(snap);
	return rc;
}

int api_export_xlsx(struct req *r)
{
	return export_now(r, EK_XLSX);
}

int api_export_csv(struct req *r)
{
	return export_now(r, EK_CSV);
}

/* ---- background jobs -------------------------------------------------- */

static atomic_int jobs_running;
static atomic_bool jobs_stopping;
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_done = PTHREAD_COND_INITIALIZER;

struct job {
	struct app *app;
	int64_t id;
	struct export_req e;
	const json_t *schema;	      /* the process's parsed schema */
	const json_t *industry_names; /* likewise, or NULL */
	char public_base[300];	      /* pdf_zip: the QR codes' link */
	struct db *meta; /* a second connection: progress outside the snapshot */
};

static int job_progress(void *cls, int64_t done, int64_t total)
{
	struct job *j = cls;

	if (store_export_job_progress(j->meta, j->id, done, total,
				      clock_now()) < 0)
		log_warn("export job %lld: cannot record progress: %s",
			 (long long)j->id, db_errmsg(j->meta));
	return atomic_load(&jobs_stopping) ? 1 : 0;
}

/* Copies the finished file into the blob store, so any server can send it. */
/*
 * Stores the finished export under a new key, as an upload is stored
 * (attachments.c): the key is committed to blob_intents before the file is
 * stored under it and forgotten with the job's end, so that a kill -9 in
 * between leaves the key for the next start-up's sweep, not a file no row
 * names. *wp keeps the writer's claim on the stored file until then.
 */
static int store_file(struct job *j, int fd, struct blob_writer **wp,
		      char key[BLOB_KEY_MAX], int64_t *size, char *err,
		      size_t errlen)
{
	struct blob_writer *w = blob_write_begin(j->app->blobs, err, errlen);
	char chunk[65536];
	ssize_t n;

	if (!w)
		return -1;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "cannot read the export: %s",
			 strerror(errno));
		goto fail;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (blob_write(w, chunk, (size_t)n) < 0) {
			n = -1;
			break;
		}
	if (n < 0) {
		snprintf(err, errlen, "cannot copy the export");
		goto fail;
	}
	*size = (int64_t)blob_writer_size(w);
	blob_new_key(key);
	if (store_blob_intent_add(j->meta, key, clock_now()) < 0) {
		snprintf(err, errlen, "cannot record the storage key: %s",
			 db_errmsg(j->meta));
		goto fail;
	}
	if (blob_write_publish(w, key, err, errlen) < 0) {
		store_blob_intent_del(j->meta, key);
		goto fail;
	}
	*wp = w;
	return 0;
fail:
	blob_write_abort(w);
	return -1;
}

/* An unlinked temp file in DATA_DIR/tmp: gone with its last descriptor. */
static int job_tmpfile(struct job *j, const char *what, const char *ext,
		       char *err, size_t errlen)
{
	char path[1100];
	int fd;

	snprintf(path, sizeof(path), "%s/tmp/%s-%lld-XXXXXX.%s",
		 j->app->cfg.data_dir, what, (long long)j->id, ext);
	fd = mkostemps(path, (int)strlen(ext) + 1, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create '%.160s': %s", path,
			 strerror(errno));
		return -1;
	}
	unlink(path);
	return fd;
}

/* The spreadsheet of the job's filters into fd. 0, or -1 with err. */
static int job_sheet(struct job *j, struct db *db,
		     const struct catalog_snapshot *snap, int fd, char *err,
		     size_t errlen)
{
	struct run run = { .progress = job_progress, .cls = j };
	const char *ext = j->e.kind == EK_XLSX ? "xlsx" : "csv";
	char path[1100], tmpdir[1100];
	struct xp_export_opts o;
	int out = -1, rc = -1;

	/* The writer opens the file by name: a named temp file, then copied. */
	snprintf(path, sizeof(path), "%s/tmp/export-job-%lld-XXXXXX.%s",
		 j->app->cfg.data_dir, (long long)j->id, ext);
	out = mkostemps(path, (int)strlen(ext) + 1, O_CLOEXEC);
	if (out < 0) {
		snprintf(err, errlen, "cannot create '%.160s': %s", path,
			 strerror(errno));
		return -1;
	}
	close(out);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", j->app->cfg.data_dir);
	o = (struct xp_export_opts){
		.format = j->e.kind == EK_XLSX ? XP_XLSX : XP_CSV,
		.path = path,
		.tmpdir = tmpdir,
		.schema = j->schema,
		.competition = doc_competition(snap, j->e.competition_id),
		.industry_names = j->industry_names,
		.slots = json_object_get(j->schema, "attachments"),
		.unmask = j->e.unmask,
		.summary = j->e.summary,
		.sheet = j->e.sheet,
		.note = j->e.unmask ? "含未脱敏个人信息，请妥善保管" : NULL,
	};
	if (run_export(db, &j->e.f, &o, &run) < 0) {
		snprintf(err, errlen, "%s", run.err);
		goto out;
	}
	out = open(path, O_RDONLY | O_CLOEXEC);
	if (out < 0 || dup2(out, fd) < 0) {
		snprintf(err, errlen, "cannot reopen '%.160s'", path);
		goto out;
	}
	rc = 0;
out:
	if (out >= 0)
		close(out);
	unlink(path);
	return rc;
}

/* Collects the ids of a filter's records (at most PDF_ZIP_MAX + 1). */
struct id_list {
	int64_t ids[PDF_ZIP_MAX + 1];
	int n;
};

static int collect_id(const struct export_app *a, void *cls)
{
	struct id_list *l = cls;

	if (l->n > PDF_ZIP_MAX)
		return -1;
	l->ids[l->n++] = a->id;
	return 0;
}

/* "12-粤港澳…平台.pdf": a name every unzip tool and file system takes. */
static void entry_name(int64_t id, const char *project, char *out, size_t n)
{
	size_t k = (size_t)snprintf(out, n, "%lld-", (long long)id);

	for (const char *p = project ? project : ""; *p && k < n;) {
		unsigned char c = (unsigned char)*p;
		size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		/* Whole characters only, and at most about 40 of them. */
		if (k + len + 5 > n || k + len > 130 || strnlen(p, len) < len)
			break;
		if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c))
			out[k++] = '_';
		else {
			memcpy(out + k, p, len);
			k += len;
		}
		p += len;
	}
	if (out[k - 1] == '-')
		k--;
	snprintf(out + k, n - k, ".pdf");
}

/*
 * The 申报书 of the job's records, one stored entry each, into fd, all
 * from one snapshot. 0, or -1 with err.
 */
static int job_pdf_zip(struct job *j, struct db *db,
		       const struct catalog_snapshot *snap, int fd, char *err,
		       size_t errlen)
{
	struct id_list *l = calloc(1, sizeof(*l));
	struct xp_zip *z = xp_zip_new(fd);
	struct doc_pdf_env env = {
		.form = j->app->form,
		.db = db,
		.schema = j->schema,
		.industry_names = j->industry_names,
		.competition = doc_competition(snap, j->e.competition_id),
		.public_base = j->public_base,
	};
	const char *note =
		j->e.unmask ? "本文件含未脱敏的个人信息，查看已记录审计日志，"
			      "请妥善保管。"
			    : "评审视图：证件号码、手机号等个人信息已脱敏。";
	int rc = -1, n;
	int64_t after = 0;

	if (!l || !z) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (db_begin_snapshot(db) < 0)
		goto dbfail;
	if (j->e.ids) {
		memcpy(l->ids, j->e.ids, (size_t)j->e.nids * sizeof(l->ids[0]));
		l->n = j->e.nids;
	} else {
		do {
			n = store_export_summaries(db, &j->e.f, after,
						   PAGE_ROWS, collect_id, l);
			if (n < 0 && l->n > PDF_ZIP_MAX) {
				snprintf(err, errlen,
					 "more than %d records now match",
					 PDF_ZIP_MAX);
				db_rollback(db);
				goto out;
			}
			if (n < 0)
				goto dbfail;
			if (l->n)
				after = l->ids[l->n - 1];
		} while (n == PAGE_ROWS);
	}
	job_progress(j, 0, l->n);
	for (int i = 0; i < l->n; i++) {
		struct app_row a;
		char name[200];
		int pdf, pages = 0, got = store_app_get(db, l->ids[i], 0, &a);

		if (got < 0)
			goto dbfail;
		/* Gone (or made a draft) since the job was asked for. */
		if (got == 0 || a.competition_id != j->e.competition_id ||
		    !strcmp(a.status, "draft")) {
			if (got)
				app_row_release(&a);
			log_warn("export job %lld: application %lld left out: "
				 "no longer there",
				 (long long)j->id, (long long)l->ids[i]);
			continue;
		}
		pdf = job_tmpfile(j, "pdf", "pdf", err, errlen);
		if (pdf < 0) {
			app_row_release(&a);
			db_rollback(db);
			goto out;
		}
		entry_name(a.id, a.project_name, name, sizeof(name));
		rc = doc_pdf_write(&env, &a, !j->e.unmask, note, pdf, &pages,
				   err, errlen);
		if (rc == 0)
			rc = xp_zip_add_fd(z, name, pdf, clock_now(), err,
					   errlen);
		close(pdf);
		app_row_release(&a);
		if (rc < 0) {
			db_rollback(db);
			goto out;
		}
		rc = -1;
		if (job_progress(j, i + 1, l->n)) {
			snprintf(err, errlen, "stopped");
			db_rollback(db);
			goto out;
		}
	}
	if (db_commit(db) < 0)
		goto dbfail;
	rc = xp_zip_finish(z, NULL, err, errlen);
	z = NULL;
	goto out;
dbfail:
	snprintf(err, errlen, "database: %s", db_errmsg(db));
	db_rollback(db);
out:
	if (z)
		xp_zip_finish(z, NULL, err[0] ? NULL : err,
			      err[0] ? 0 : errlen);
	free(l);
	return rc;
}

/* What the job's file is called when it is downloaded. */
static void job_file_name(const struct job *j, char *out, size_t n)
{
	char day[XP_TIME_MAX];

	xp_time_cn(clock_now(), day, sizeof(day));
	if (j->e.kind == EK_PDF_ZIP)
		/* "申报书-guangdong-2026-20260720.zip" */
		snprintf(out, n, "申报书-%s-%.4s%.2s%.2s.zip", j->e.slug, day,
			 day + 5, day + 8);
	else
		snprintf(out, n, "%s-%s-%lld.%s", j->e.short_name,
			 j->e.kind == EK_XLSX ? "报名数据"
					      : sheet_label(j->e.sheet),
			 (long long)j->id, kind_name(j->e.kind));
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct db *db = db_pool_get(j->app->pool, 30000);
	struct catalog_snapshot *snap = catalog_cache_get(j->app->catalog);
	char key[BLOB_KEY_MAX] = "", err[256] = "";
	struct blob_writer *w = NULL;
	int64_t size = 0;
	int fd = -1, rc = -1;

	j->meta = db_pool_get(j->app->pool, 30000);
	if (!db || !j->meta || !j->schema) {
		snprintf(err, sizeof(err), "no database connection");
		goto out;
	}
	fd = job_tmpfile(j, "export-job",
			 j->e.kind == EK_PDF_ZIP ? "zip" : kind_name(j->e.kind),
			 err, sizeof(err));
	if (fd < 0)
		goto out;
	rc = j->e.kind == EK_PDF_ZIP
		     ? job_pdf_zip(j, db, snap, fd, err, sizeof(err))
		     : job_sheet(j, db, snap, fd, err, sizeof(err));
	if (rc == 0 && store_file(j, fd, &w, key, &size, err, sizeof(err)) < 0)
		key[0] = '\0';
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		key[0] = '\0';
	if (j->meta) {
		char name[200];
		job_file_name(j, name, sizeof(name));
		if (err[0] && !key[0])
			log_warn("export job %lld failed: %s", (long long)j->id,
				 err);
		if (db_begin_write(j->meta) < 0 ||
		    store_export_job_finish(
			    j->meta, j->id, key[0] ? "done" : "failed",
			    key[0] ? key : NULL, key[0] ? name : NULL, size,
			    key[0] ? NULL
			    : atomic_load(&jobs_stopping)
				    ? "服务重启，导出已中断，请重新导出"
			    : strstr(err, "4 GiB")
				    ? "文件超过 4 GB，请缩小范围后重新导出"
				    : "导出失败，请重试",
			    clock_now()) < 0 ||
		    (key[0] && store_blob_intent_del(j->meta, key) < 0) ||
		    db_commit(j->meta) < 0) {
			log_warn("export job %lld: cannot record its end: %s",
				 (long long)j->id, db_errmsg(j->meta));
			db_rollback(j->meta);
			/* No row names the file: it goes, then its key. */
			if (key[0] && blob_delete(j->app->blobs, key) == 0)
				store_blob_intent_del(j->meta, key);
		}
		db_pool_put(j->app->pool, j->meta);
	}
	/* Named by the job's row now (or deleted): the claim can go. */
	blob_write_abort(w);
	if (db)
		db_pool_put(j->app->pool, db);
	catalog_snapshot_unref(snap);
	free(j->e.ids);
	free(j);
	pthread_mutex_lock(&jobs_lock);
	atomic_fetch_sub(&jobs_running, 1);
	pthread_cond_broadcast(&jobs_done);
	pthread_mutex_unlock(&jobs_lock);
	return NULL;
}

/* ---- retention -------------------------------------------------------- */

static int64_t retention_seconds(const struct app *app)
{
	return app->cfg.export_retention_hours * 3600;
}

/*
 * Expires job id if its file is past retention: the row first (only one
 * server wins it), then the file. Returns 1 when it expired now, 0, or -1.
 */
static int expire_job(struct app *app, struct db *db, int64_t id)
{
	char key[96];
	int rc = store_export_job_expire(
		db, id, clock_now() - retention_seconds(app) + 1, key);

	if (rc == 1) {
		/* A file left behind by a failed delete is logged by blob/. */
		if (key[0] && blob_delete(app->blobs, key) < 0)
			log_warn("export job %lld: its file '%s' may remain",
				 (long long)id, key);
		log_info("export job %lld: file deleted after %lld hours",
			 (long long)id,
			 (long long)app->cfg.export_retention_hours);
	}
	return rc;
}

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started;
	bool stop;
	struct app *app;
} sweeper = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void sweep(struct app *app)
{
	struct db *db = db_pool_get(app->pool, 5000);
	int64_t ids[SWEEP_BATCH];
	int n, expired;

	if (!db)
		return;
	do {
		/* Another batch only while this one made progress. */
		expired = 0;
		n = store_export_jobs_due(
			db, clock_now() - retention_seconds(app) + 1, ids,
			SWEEP_BATCH);
		if (n < 0)
			log_warn("export sweeper: %s", db_errmsg(db));
		for (int i = 0; i < n; i++)
			if (expire_job(app, db, ids[i]) == 1)
				expired++;
	} while (n == SWEEP_BATCH && expired > 0);
	db_pool_put(app->pool, db);
}

static void *sweeper_main(void *arg)
{
	struct app *app = arg;

	for (;;) {
		struct timespec until;
		bool stop;

		sweep(app);
		pthread_mutex_lock(&sweeper.mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += SWEEP_SECONDS;
		while (!sweeper.stop)
			if (pthread_cond_timedwait(&sweeper.cv, &sweeper.mu,
						   &until) == ETIMEDOUT)
				break;
		stop = sweeper.stop;
		pthread_mutex_unlock(&sweeper.mu);
		if (stop)
			return NULL;
	}
}

int export_jobs_start(struct app *app)
{
	sweeper.app = app;
	sweeper.stop = false;
	if (pthread_create(&sweeper.thread, NULL, sweeper_main, app))
		return -1;
	sweeper.started = true;
	return 0;
}

void export_jobs_stop(void)
{
	struct timespec until;

	if (sweeper.started) {
		pthread_mutex_lock(&sweeper.mu);
		sweeper.stop = true;
		pthread_cond_signal(&sweeper.cv);
		pthread_mutex_unlock(&sweeper.mu);
		pthread_join(sweeper.thread, NULL);
		sweeper.started = false;
	}
	atomic_store(&jobs_stopping, true);
	clock_gettime(CLOCK_REALTIME, &until);
	/* A job may be compressing its workbook, which it cannot leave. */
	until.tv_sec += 30;
	pthread_mutex_lock(&jobs_lock);
	/* The jobs see the flag at their next progress step and end. */
	while (atomic_load(&jobs_running) > 0)
		if (pthread_cond_timedwait(&jobs_done, &jobs_lock, &until) ==
		    ETIMEDOUT) {
			log_warn("%d export jobs still running at shutdown",
				 atomic_load(&jobs_running));
			break;
		}
	pthread_mutex_unlock(&jobs_lock);
}

/* ---- the endpoints ---------------------------------------------------- */

/* A job as its owner sees it. */
static json_t *job_json(struct req *r, const struct export_job *j,
			const char *slug)
{
	const char *status = j->status;
	const char *error = j->error;
	int64_t now = clock_now();
	bool done = !strcmp(status, "done"), expired;
	json_t *o;

	/* A job whose worker stopped beating died with its process. */
	if ((!strcmp(status, "running") || !strcmp(status, "queued")) &&
	    j->updated_at < now - JOB_STALE_SECONDS) {
		status = "failed";
		error = "导出进程已中断，请重新导出";
	}
	expired = !strcmp(status, "expired");
	o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "id",
		      (json_int_t)j->id, "status", status, "format", j->format,
		      "done", (json_int_t)j->done_rows, "total",
		      (json_int_t)j->total_rows, "progress",
		      (json_int_t)(done || expired ? 100
				   : j->total_rows > 0
					   ? j->done_rows * 100 / j->total_rows
					   : 0),
		      "created_at", (json_int_t)j->created_at, "finished_at",
		      j->finished_at ? json_integer(j->finished_at)
				     : json_null(),
		      "error",
		      expired ? json_string("导出文件已超过保留期限并已删除，"
					    "请重新导出")
		      : error ? json_string(error)
			      : json_null());
	if (o && (done || expired))
		json_object_set_new(o, "expires_at",
				    json_integer(j->finished_at +
						 retention_seconds(r->app)));
	if (o && done) {
		json_object_set_new(o, "file_name", json_string(j->file_name));
		json_object_set_new(o, "size", json_integer(j->size));
		json_object_set_new(
			o, "download_url",
			json_string(arena_printf(
				&r->arena,
				"/api/v1/review/competitions/%s/exports/%lld/file",
				slug, (long long)j->id)));
	}
	return o;
}

/* A text option of the body, or NULL; a wrong type is a field error. */
static const char *body_str(struct req *r, const char *key, const char *label,
			    size_t max)
{
	return in_str(r, key, label, false, max);
}

/* Reads `ids` (1 to PDF_ZIP_MAX record numbers) into e, sorted, unique. */
static void read_ids(struct req *r, const json_t *ids, struct export_req *e)
{
	const json_t *v;
	size_t i, n = json_array_size(ids);

	if (!json_is_array(ids) || n == 0 || n > PDF_ZIP_MAX) {
		req_field_error(r, "ids", "invalid",
				"ids 应为 1 到 500 个报名编号");
		return;
	}
	e->ids = calloc(n, sizeof(*e->ids));
	if (!e->ids) {
		req_field_error(r, "ids", "invalid", "ids 过多");
		return;
	}
	json_array_foreach (ids, i, v) {
		json_int_t id = json_integer_value(v);
		int k = e->nids;
		if (!json_is_integer(v) || id < 1) {
			req_field_error(r,
					arena_printf(&r->arena, "ids[%zu]", i),
					"type", "报名编号应为正整数");
			continue;
		}
		/* Insertion keeps them sorted and drops repeats. */
		while (k > 0 && e->ids[k - 1] > id)
			k--;
		if (k > 0 && e->ids[k - 1] == id)
			continue;
		memmove(e->ids + k + 1, e->ids + k,
			(size_t)(e->nids - k) * sizeof(*e->ids));
		e->ids[k] = id;
		e->nids++;
	}
}

static bool in_sorted(const int64_t *a, int n, int64_t v)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == v;
}

/*
 * For pdf_zip: checks that the records exist here (each missing one named
 * by its place in the body's `ids`) and are not too many.
 */
static int check_pdf_set(struct req *r, struct export_req *e, const json_t *ids,
			 int64_t *total)
{
	if (e->ids) {
		int64_t *ok = calloc((size_t)e->nids, sizeof(*ok));
		int nok = 0;
		if (!ok)
			return req_fail(r, E_UNAVAILABLE, "out_of_memory",
					NULL);
		if (store_export_ids_check(r->db, e->competition_id, e->ids,
					   e->nids, ok, &nok) < 0) {
			free(ok);
			return api_db_failed(r, r->db);
		}
		{
			const json_t *v;
			size_t i;
			json_array_foreach (ids, i, v) {
				json_int_t id = json_integer_value(v);
				if (in_sorted(ok, nok, id))
					continue;
				req_field_error(
					r,
					arena_printf(&r->arena, "ids[%zu]", i),
					"not_found",
					arena_printf(&r->arena,
						     "报名 %lld 不存在或不属于"
						     "本分赛（草稿不能导出）",
						     (long long)id));
			}
		}
		free(ok);
		if (input_has_errors(r))
			return input_failed(r);
		*total = e->nids;
		return 0;
	}
	if (store_export_count(r->db, &e->f, total) < 0)
		return api_db_failed(r, r->db);
	if (*total == 0)
		return req_fail(r, E_INVALID, "no_records",
				"没有符合筛选条件的报名");
	if (*total > PDF_ZIP_MAX)
		return req_fail(r, E_INVALID, "too_many_records",
				"符合条件的报名有 %lld 份，批量下载申报书每次"
				"最多 %d 份：请缩小筛选范围或勾选报名",
				(long long)*total, PDF_ZIP_MAX);
	return 0;
}

int api_export_job_create(struct req *r)
{
	static const char *const keys[] = {
		"format",	  "track",	  "topic",  "status",
		"stage",	  "tech_status",  "region", "unit_type",
		"submitted_from", "submitted_to", "q",	    "sheet",
		"unmask",	  "columns",	  "ids",    NULL
	};
	struct export_req e = { 0 };
	const json_t *schema = doc_schema(r);
	const char *format = in_str(r, "format", "导出格式", true, 8);
	struct opt_in in = {
		.track = body_str(r, "track", "赛道", 64),
		.status = body_str(r, "status", "报名状态", 16),
		.stage = body_str(r, "stage", "项目阶段", 16),
		.tech = body_str(r, "tech_status", "技术验证状态", 16),
		.region = body_str(r, "region", "地区", 12),
		.unit_type = body_str(r, "unit_type", "单位性质", 64),
		.from = body_str(r, "submitted_from", "提交日期起", 10),
		.to = body_str(r, "submitted_to", "提交日期止", 10),
		.q = body_str(r, "q", "关键词", 200),
		.sheet = body_str(r, "sheet", "表", 60),
		.columns = body_str(r, "columns", "字段范围", 16),
	};
	bool unmask = in_bool(r, "unmask", "显示完整个人信息");
	const json_t *topic = json_object_get(r->json, "topic");
	const json_t *ids = json_object_get(r->json, "ids");
	char topic_s[24] = "";
	struct export_job j;
	struct job *job = NULL;
	pthread_t t;
	pthread_attr_t attr;
	int64_t id = 0, active = 0, total = 0;
	char *params = NULL;
	int rc = -1;

	in_only(r, keys);
	if (topic && !json_is_null(topic)) {
		if (!json_is_integer(topic))
			req_field_error(r, "topic", "type",
					"赛题 topic 应为赛题编号");
		else
			snprintf(topic_s, sizeof(topic_s), "%lld",
				 (long long)json_integer_value(topic));
	}
	in.topic = topic_s;
	in.unmask = unmask ? "1" : "0";
	if (format && strcmp(format, "xlsx") && strcmp(format, "csv") &&
	    strcmp(format, "pdf_zip"))
		req_field_error(r, "format", "not_an_option",
				"导出格式应为 xlsx、csv 或 pdf_zip");
	e.kind = !format		      ? EK_XLSX
		 : !strcmp(format, "csv")     ? EK_CSV
		 : !strcmp(format, "pdf_zip") ? EK_PDF_ZIP
					      : EK_XLSX;
	if (ids && !json_is_null(ids)) {
		if (e.kind != EK_PDF_ZIP)
			req_field_error(r, "ids", "not_an_option",
					"按编号选择只用于 pdf_zip");
		else
			read_ids(r, ids, &e);
	}
	if (input_has_errors(r)) {
		input_failed(r);
		goto out;
	}
	if (!schema)
		goto out;
	if (check_options(r, schema, &in, &e) < 0 ||
	    load_competition(r, &e) < 0)
		goto out;
	if (e.kind == EK_PDF_ZIP && check_pdf_set(r, &e, ids, &total) < 0)
		goto out;
	if (store_export_jobs_active(r->db, r->user_id,
				     clock_now() - JOB_STALE_SECONDS,
				     &active) < 0) {
		api_db_failed(r, r->db);
		goto out;
	}
	if (active >= JOBS_PER_USER ||
	    atomic_load(&jobs_running) >= JOBS_PER_PROCESS) {
		resp_retry_after(r, 10);
		req_fail(r, E_TOO_MANY, "export_busy",
			 "导出任务较多，请稍后再试");
		goto out;
	}
	if (atomic_load(&jobs_stopping)) {
		req_fail(r, E_UNAVAILABLE, "stopping",
			 "服务正在重启，请稍后再试");
		goto out;
	}
	{
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, "
			"s:s, s:b, s:s}",
			"track", e.track, "topic", topic_s, "status", e.status,
			"stage", e.stage, "tech_status", e.tech, "region",
			e.region, "unit_type", e.nature, "submitted_from",
			(json_int_t)e.f.submitted_from, "submitted_to",
			(json_int_t)e.f.submitted_to, "q", e.keyword, "sheet",
			e.sheet, "unmask", e.unmask, "columns",
			e.summary ? "summary" : "all");
		if (o && e.ids) {
			json_t *a = json_array();
			for (int i = 0; a && i < e.nids; i++)
				json_array_append_new(a,
						      json_integer(e.ids[i]));
			json_object_set_new(o, "ids", a);
		}
		params = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
	}
	if (!params) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto out;
	}
	if (store_export_job_add(r->db, e.competition_id, r->user_id,
				 kind_name(e.kind), params, clock_now(),
				 &id) < 0 ||
	    (total &&
	     store_export_job_progress(r->db, id, 0, total, clock_now()) < 0) ||
	    audit_unmask(r, &e, "job") < 0) {
		api_db_failed(r, r->db);
		goto out;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
		goto out;
	}
	job->app = r->app;
	job->id = id;
	job->e = e;
	e.ids = NULL; /* the job's now */
	bind_filter(&job->e);
	job->schema = schema;
	job->industry_names = doc_industry_names(r);
	if (e.kind == EK_PDF_ZIP)
		snprintf(job->public_base, sizeof(job->public_base), "%s",
			 doc_public_base(r));
	atomic_fetch_add(&jobs_running, 1);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, job_main, job);
	pthread_attr_destroy(&attr);
	if (rc) {
		atomic_fetch_sub(&jobs_running, 1);
		free(job->e.ids);
		free(job);
		job = NULL;
		store_export_job_finish(r->db, id, "failed", NULL, NULL, 0,
					"导出任务无法启动", clock_now());
		rc = req_fail(r, E_UNAVAILABLE, "export_busy",
			      "导出任务无法启动，请稍后再试");
		goto out;
	}
	rc = -1;
	if (store_export_job_get(r->db, id, &j) != 1) {
		api_db_failed(r, r->db);
		goto out;
	}
	{
		json_t *body = job_json(r, &j, e.slug);
		export_job_release(&j);
		rc = api_send(r, 202, body);
	}
out:
	free(params);
	free(e.ids);
	return rc;
}

/*
 * The caller's own job of this sub-contest; anything else is not found.
 * A done job past retention is expired here, so nobody waits for the
 * sweeper.
 */
static int load_job(struct req *r, struct export_job *j)
{
	struct export_req e = { 0 };
	int64_t id = 0;
	int rc;

	if (str_to_i64(req_param(r, "job"), 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "导出任务不存在");
	if (load_competition(r, &e) < 0)
		return -1;
	rc = store_export_job_get(r->db, id, j);
	if (rc < 0)
		return api_db_failed(r, r->db);
	if (rc == 0 || j->user_id != r->user_id ||
	    j->competition_id != e.competition_id) {
		if (rc == 1)
			export_job_release(j);
		return req_fail(r, E_NOT_FOUND, "not_found", "导出任务不存在");
	}
	if (!strcmp(j->status, "done") &&
	    j->finished_at + retention_seconds(r->app) <= clock_now()) {
		rc = expire_job(r->app, r->db, id);
		if (rc < 0) {
			export_job_release(j);
			return api_db_failed(r, r->db);
		}
		/* Expired now, or by another server a moment ago. */
		snprintf(j->status, sizeof(j->status), "expired");
	}
	return 0;
}

int api_export_job_get(struct req *r)
{
	struct export_job j;
	struct str slug = req_param(r, "slug");
	char *s;
	json_t *body;

	if (load_job(r, &j) < 0)
		return -1;
	s = arena_strndup(&r->arena, slug.p, slug.len);
	body = job_json(r, &j, s ? s : "");
	export_job_release(&j);
	return api_send(r, 200, body);
}

int api_export_job_file(struct req *r)
{
	struct export_job j;
	uint64_t size = 0;
	char err[256];
	const char *name, *type;
	int fd;

	if (load_job(r, &j) < 0)
		return -1;
	if (!strcmp(j.status, "expired")) {
		export_job_release(&j);
		return req_fail(r, E_GONE, "export_expired",
				"导出文件已超过保留期限（%lld 小时）并已删除，"
				"请重新导出",
				(long long)r->app->cfg.export_retention_hours);
	}
	if (strcmp(j.status, "done") || !j.storage_key[0]) {
		export_job_release(&j);
		return req_fail(r, E_CONFLICT, "not_ready",
				"导出尚未完成，请稍后再下载");
	}
	fd = blob_open(r->app->blobs, j.storage_key, &size, err, sizeof(err));
	name = arena_strdup(&r->arena, j.file_name ? j.file_name : "export");
	type = !strcmp(j.format, "xlsx")
		       ? "application/vnd.openxmlformats-officedocument."
			 "spreadsheetml.sheet"
	       : !strcmp(j.format, "pdf_zip") ? "application/zip"
					      : "text/csv; charset=utf-8";
	export_job_release(&j);
	if (fd < 0)
		return req_fail(r, E_INTERNAL, "storage", "%s", err);
	return doc_send_fd(r, fd, type, name ? name : "export");
}
