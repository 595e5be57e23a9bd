/*
 * exports.c: a sub-contest's applications for the organisers, as XLSX or
 * CSV, read from one consistent snapshot; at once (GET export.xlsx) or
 * as a background job with progress and a download (POST exports).
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
#include "../docs/sheet.h"
#include "../docs/text.h"
#include "../domain/lifecycle.h"
#include "../files/blob.h"
#include "../store/exports.h"
#include "../store/pool.h"
#include "../util/clock.h"
#include "../util/log.h"
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

struct export_req {
	struct export_filter f;
	enum xp_format format;
	char track[72];
	char status[16];
	char stage[16];
	char sheet[64];
	bool unmask;
	bool summary; /* ?columns=summary: no document decoded */
	int64_t competition_id;
	char short_name[80];
};

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
	char err[256];
};

static int one_app(const struct export_app *a, void *cls)
{
	struct run *run = cls;
	struct xp_app_meta m = {
		.id = a->id,
		.status_label = lc_status_label(a->status),
		.stage_label = lc_stage_label(a->stage),
		.tech_label = lc_tech_label(a->tech_status),
		.created_at = a->created_at,
		.updated_at = a->updated_at,
		.submitted_at = a->submitted_at,
		.return_reason = a->return_reason,
	};
	json_t *doc = json_loads(a->doc, 0, NULL);
	int rc;

	run->after_app = a->id;
	if (!doc || doc_unseal(doc) < 0) {
		json_decref(doc);
		snprintf(run->err, sizeof(run->err),
			 "application %lld: stored document unreadable",
			 (long long)a->id);
		return -1;
	}
	rc = xp_export_app(run->x, &m, doc);
	json_decref(doc);
	if (rc < 0) {
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

static int one_summary(const struct export_app *a, void *cls)
{
	struct run *run = cls;
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

	run->after_app = a->id;
	if (xp_export_app(run->x, &m, NULL) < 0) {
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
		if (n < 0)
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

/*
 * Checks the filters and options (from the query or a job's body) into
 * e; records a 400 naming the first bad one.
 */
static int check_options(struct req *r, const json_t *schema, const char *track,
			 const char *topic, const char *status,
			 const char *stage, const char *sheet,
			 const char *unmask, const char *columns,
			 struct export_req *e)
{
	int64_t no = 0;

	if (columns && *columns && strcmp(columns, "all") &&
	    strcmp(columns, "summary"))
		return req_fail(
			r, E_BAD_REQUEST, "bad_query",
			"columns 应为 all（全部字段）或 summary（概要）");
	e->summary = columns && !strcmp(columns, "summary");

	if (track && *track) {
		if (!track_key_ok(track))
			return req_fail(r, E_BAD_REQUEST, "bad_query",
					"赛道参数 track 不正确");
		snprintf(e->track, sizeof(e->track), "%s", track);
	}
	if (topic && *topic && str_to_i64z(topic, 1, 1000, &no) < 0)
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"赛题参数 topic 应为赛题编号");
	if (status && *status) {
		/* Drafts are the applicants' own: never exported. */
		if (!lc_status_known(status) || !strcmp(status, "draft"))
			return req_fail(r, E_BAD_REQUEST, "bad_query",
					"状态参数 status 应为 submitted、"
					"approved 或 returned");
		snprintf(e->status, sizeof(e->status), "%s", status);
	}
	if (stage && *stage) {
		if (!lc_stage_known(stage))
			return req_fail(r, E_BAD_REQUEST, "bad_query",
					"阶段参数 stage 不正确");
		snprintf(e->stage, sizeof(e->stage), "%s", stage);
	}
	snprintf(e->sheet, sizeof(e->sheet), "%s",
		 sheet && *sheet ? sheet : "applications");
	if (!xp_export_has_sheet(schema, e->sheet) ||
	    (e->summary && strcmp(e->sheet, "applications")))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"sheet 应为 applications、members、units、"
				"cases、attachments 等表名");
	if (unmask && *unmask && strcmp(unmask, "0") && strcmp(unmask, "1"))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"unmask 应为 0 或 1");
	e->unmask = unmask && !strcmp(unmask, "1");
	e->f.track_key = e->track;
	e->f.topic_no = no;
	e->f.status = e->status;
	e->f.stage = e->stage;
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
		 e->format == XP_XLSX ? "xlsx" : "csv", e->sheet);
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
	if (e->format == XP_XLSX)
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
		.format = e->format,
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

static int export_now(struct req *r, enum xp_format format)
{
	struct export_req e = { .format = format };
	const json_t *schema = doc_schema(r), *comp;
	struct catalog_snapshot *snap = NULL;
	struct xp_export_opts o;
	struct run run = { 0 };
	char path[1100], tmpdir[1100];
	const char *note = NULL;
	bool bad = false;
	int fd, rc = -1;
	int64_t t0 = now_ns();

	if (!schema)
		return -1;
	if (check_options(
		    r, schema, req_query(r, "track", &bad),
		    req_query(r, "topic", &bad), req_query(r, "status", &bad),
		    req_query(r, "stage", &bad), req_query(r, "sheet", &bad),
		    req_query(r, "unmask", &bad), req_query(r, "columns", &bad),
		    &e) < 0)
		return -1;
	if (bad)
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询参数格式错误");
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
	fd = doc_tmpfile(r, "export", format == XP_XLSX ? ".xlsx" : ".csv",
			 path, sizeof(path));
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
		format == XP_XLSX
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
	return export_now(r, XP_XLSX);
}

int api_export_csv(struct req *r)
{
	return export_now(r, XP_CSV);
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
static int store_file(struct job *j, const char *path, char key[BLOB_KEY_MAX],
		      int64_t *size, char *err, size_t errlen)
{
	struct blob_writer *w = blob_write_begin(j->app->blobs, err, errlen);
	char chunk[65536];
	int fd;
	ssize_t n;

	if (!w)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%.160s': %s", path,
			 strerror(errno));
		blob_write_abort(w);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (blob_write(w, chunk, (size_t)n) < 0) {
			n = -1;
			break;
		}
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "cannot copy the export");
		blob_write_abort(w);
		return -1;
	}
	*size = (int64_t)blob_writer_size(w);
	return blob_write_commit(w, key, err, errlen);
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct db *db = db_pool_get(j->app->pool, 30000);
	const json_t *schema = j->schema;
	struct catalog_snapshot *snap = catalog_cache_get(j->app->catalog);
	struct xp_export_opts o;
	struct run run = { .progress = job_progress, .cls = j };
	char path[1100], tmpdir[1100], key[BLOB_KEY_MAX] = "", err[256] = "";
	const char *ext = j->e.format == XP_XLSX ? "xlsx" : "csv";
	int64_t size = 0;
	int fd = -1;

	j->meta = db_pool_get(j->app->pool, 30000);
	if (!db || !j->meta || !schema) {
		snprintf(err, sizeof(err), "no database connection");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/tmp/export-job-%lld-XXXXXX.%s",
		 j->app->cfg.data_dir, (long long)j->id, ext);
	fd = mkostemps(path, (int)strlen(ext) + 1, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, sizeof(err), "cannot create '%.160s': %s", path,
			 strerror(errno));
		goto out;
	}
	close(fd);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", j->app->cfg.data_dir);
	o = (struct xp_export_opts){
		.format = j->e.format,
		.path = path,
		.tmpdir = tmpdir,
		.schema = schema,
		.competition = doc_competition(snap, j->e.competition_id),
		.industry_names = j->industry_names,
		.slots = json_object_get(schema, "attachments"),
		.unmask = j->e.unmask,
		.summary = j->e.summary,
		.sheet = j->e.sheet,
		.note = j->e.unmask ? "含未脱敏个人信息，请妥善保管" : NULL,
	};
	if (run_export(db, &j->e.f, &o, &run) < 0) {
		snprintf(err, sizeof(err), "%s", run.err);
		unlink(path);
		goto out;
	}
	if (store_file(j, path, key, &size, err, sizeof(err)) < 0)
		key[0] = '\0';
	unlink(path);
out:
	if (j->meta) {
		char name[200];
		snprintf(name, sizeof(name), "%s-%s-%lld.%s", j->e.short_name,
			 j->e.format == XP_XLSX ? "报名数据"
						: sheet_label(j->e.sheet),
			 (long long)j->id, ext);
		if (err[0])
			log_warn("export job %lld failed: %s", (long long)j->id,
				 err);
		if (store_export_job_finish(
			    j->meta, j->id, key[0] ? "done" : "failed",
			    key[0] ? key : NULL, key[0] ? name : NULL, size,
			    key[0] ? NULL
			    : atomic_load(&jobs_stopping)
				    ? "服务重启，导出已中断，请重新导出"
				    : "导出失败，请重试",
			    clock_now()) < 0)
			log_warn("export job %lld: cannot record its end: %s",
				 (long long)j->id, db_errmsg(j->meta));
		db_pool_put(j->app->pool, j->meta);
	}
	if (db)
		db_pool_put(j->app->pool, db);
	catalog_snapshot_unref(snap);
	free(j);
	pthread_mutex_lock(&jobs_lock);
	atomic_fetch_sub(&jobs_running, 1);
	pthread_cond_broadcast(&jobs_done);
	pthread_mutex_unlock(&jobs_lock);
	return NULL;
}

void export_jobs_stop(void)
{
	struct timespec until;

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

/* A job as its owner sees it. */
static json_t *job_json(struct req *r, const struct export_job *j,
			const char *slug)
{
	const char *status = j->status;
	const char *error = j->error;
	int64_t now = clock_now();
	json_t *o;

	/* A job whose worker stopped beating died with its process. */
	if ((!strcmp(status, "running") || !strcmp(status, "queued")) &&
	    j->updated_at < now - JOB_STALE_SECONDS) {
		status = "failed";
		error = "导出进程已中断，请重新导出";
	}
	o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "id",
		      (json_int_t)j->id, "status", status, "format", j->format,
		      "done", (json_int_t)j->done_rows, "total",
		      (json_int_t)j->total_rows, "progress",
		      (json_int_t)(!strcmp(status, "done") ? 100
				   : j->total_rows > 0
					   ? j->done_rows * 100 / j->total_rows
					   : 0),
		      "created_at", (json_int_t)j->created_at, "finished_at",
		      j->finished_at ? json_integer(j->finished_at)
				     : json_null(),
		      "error", error ? json_string(error) : json_null());
	if (o && !strcmp(status, "done")) {
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

int api_export_job_create(struct req *r)
{
	static const char *const keys[] = { "format", "track",	 "topic",
					    "status", "stage",	 "sheet",
					    "unmask", "columns", NULL };
	struct export_req e = { 0 };
	const json_t *schema = doc_schema(r);
	const char *format = in_str(r, "format", "导出格式", true, 8);
	const char *track = in_str(r, "track", "赛道", false, 64);
	const char *status = in_str(r, "status", "报名状态", false, 16);
	const char *stage = in_str(r, "stage", "项目阶段", false, 16);
	const char *sheet = in_str(r, "sheet", "表", false, 60);
	const char *columns = in_str(r, "columns", "字段范围", false, 16);
	bool unmask = in_bool(r, "unmask", "显示完整个人信息");
	const json_t *topic = json_object_get(r->json, "topic");
	char topic_s[24] = "";
	struct export_job j;
	struct job *job;
	pthread_t t;
	pthread_attr_t attr;
	int64_t id = 0, active = 0;
	char *params;
	int rc;

	in_only(r, keys);
	if (topic && !json_is_null(topic)) {
		if (!json_is_integer(topic))
			req_field_error(r, "topic", "type",
					"赛题 topic 应为赛题编号");
		else
			snprintf(topic_s, sizeof(topic_s), "%lld",
				 (long long)json_integer_value(topic));
	}
	if (format && strcmp(format, "xlsx") && strcmp(format, "csv"))
		req_field_error(r, "format", "not_an_option",
				"导出格式应为 xlsx 或 csv");
	if (input_has_errors(r))
		return input_failed(r);
	if (!schema)
		return -1;
	e.format = !strcmp(format, "csv") ? XP_CSV : XP_XLSX;
	if (check_options(r, schema, track, topic_s, status, stage, sheet,
			  unmask ? "1" : "0", columns, &e) < 0)
		return -1;
	if (load_competition(r, &e) < 0)
		return -1;
	if (store_export_jobs_active(r->db, r->user_id,
				     clock_now() - JOB_STALE_SECONDS,
				     &active) < 0)
		return api_db_failed(r, r->db);
	if (active >= JOBS_PER_USER ||
	    atomic_load(&jobs_running) >= JOBS_PER_PROCESS) {
		resp_retry_after(r, 10);
		return req_fail(r, E_TOO_MANY, "export_busy",
				"导出任务较多，请稍后再试");
	}
	if (atomic_load(&jobs_stopping))
		return req_fail(r, E_UNAVAILABLE, "stopping",
				"服务正在重启，请稍后再试");
	{
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
				      "track", e.track, "topic", topic_s,
				      "status", e.status, "stage", e.stage,
				      "sheet", e.sheet, "unmask", e.unmask,
				      "columns", e.summary ? "summary" : "all");
		params = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
	}
	if (!params)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	rc = store_export_job_add(r->db, e.competition_id, r->user_id,
				  e.format == XP_XLSX ? "xlsx" : "csv", params,
				  clock_now(), &id);
	free(params);
	if (rc < 0 || audit_unmask(r, &e, "job") < 0)
		return api_db_failed(r, r->db);
	job = calloc(1, sizeof(*job));
	if (!job)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	job->app = r->app;
	job->id = id;
	job->e = e;
	job->e.f.track_key = job->e.track;
	job->e.f.status = job->e.status;
	job->e.f.stage = job->e.stage;
	job->schema = schema;
	job->industry_names = doc_industry_names(r);
	atomic_fetch_add(&jobs_running, 1);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, job_main, job);
	pthread_attr_destroy(&attr);
	if (rc) {
		atomic_fetch_sub(&jobs_running, 1);
		free(job);
		store_export_job_finish(r->db, id, "failed", NULL, NULL, 0,
					"导出任务无法启动", clock_now());
		return req_fail(r, E_UNAVAILABLE, "export_busy",
				"导出任务无法启动，请稍后再试");
	}
	if (store_export_job_get(r->db, id, &j) != 1)
		return api_db_failed(r, r->db);
	{
		struct str slug = req_param(r, "slug");
		char *s = arena_strndup(&r->arena, slug.p, slug.len);
		json_t *body = job_json(r, &j, s ? s : "");
		export_job_release(&j);
		return api_send(r, 202, body);
	}
}

/* The caller's own job of this sub-contest; anything else is not found. */
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
		       : "text/csv; charset=utf-8";
	export_job_release(&j);
	if (fd < 0)
		return req_fail(r, E_INTERNAL, "storage", "%s", err);
	return doc_send_fd(r, fd, type, name ? name : "export");
}
