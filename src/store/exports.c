/* exports.c: the SQL of exports — applications and files page by page, jobs */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exports.h"
#include "../util/banned.h"

/*
 * $1 sub-contest, $2 track key, $3 topic number, $4 status, $5 stage, $6
 * technical verification, $7 region prefix pattern, $8 单位性质, $9 and
 * $10 the submission window, $11 and $12 the keyword as a pattern (as
 * typed, and upper case for the credit code): the review queue's
 * filters, where '' and 0 mean any. Drafts are the applicant's own and
 * never exported.
 */
#define JOINS                                                                  \
	"LEFT JOIN tracks t ON t.id = a.track_id "                             \
	"LEFT JOIN topics tp ON tp.id = a.topic_id "
#define WHERE                                                                  \
	"WHERE a.competition_id = $1 AND a.deleted_at IS NULL "                \
	"AND a.status <> 'draft' "                                             \
	"AND ($2 = '' OR t.track_key = $2) "                                   \
	"AND ($3 = 0 OR tp.num = $3) "                                         \
	"AND ($4 = '' OR a.status = $4) "                                      \
	"AND ($5 = '' OR a.stage = $5) "                                       \
	"AND ($6 = '' OR a.tech_status = $6) "                                 \
	"AND ($7 = '' OR a.region LIKE $7 ESCAPE '\\') "                       \
	"AND ($8 = '' OR a.lead_nature = $8) "                                 \
	"AND ($9 = 0 OR a.submitted_at >= $9) "                                \
	"AND ($10 = 0 OR a.submitted_at < $10) "                               \
	"AND ($11 = '' OR a.project_name LIKE $11 ESCAPE '\\' "                \
	"OR a.team_name LIKE $11 ESCAPE '\\' "                                 \
	"OR a.lead_unit_name LIKE $11 ESCAPE '\\' "                            \
	"OR a.lead_uscc LIKE $12 ESCAPE '\\') "
#define FILTER "FROM applications a " JOINS WHERE
#define NFILTER 12

/* The bound filter: its parameters and the patterns they point into. */
struct filter_bind {
	struct db_param p[NFILTER + 4];
	char region[16];
	char kw[2 * 256 + 3];
	char kwu[2 * 256 + 3];
};

/* "%s%" with LIKE's own characters escaped; upper-cased on request. */
static void like(char *out, size_t n, const char *s, bool lead, bool upper)
{
	size_t k = 0;

	if (lead && k + 1 < n)
		out[k++] = '%';
	for (; s && *s && k + 3 < n; s++) {
		char c = *s;
		if (c == '%' || c == '_' || c == '\\')
			out[k++] = '\\';
		out[k++] = upper && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
	}
	out[k++] = '%';
	out[k] = '\0';
}

static void filter_params(const struct export_filter *f, struct filter_bind *b)
{
	bool kw = f->keyword && *f->keyword;

	b->region[0] = b->kw[0] = b->kwu[0] = '\0';
	if (f->region && *f->region)
		like(b->region, sizeof(b->region), f->region, false, false);
	if (kw) {
		like(b->kw, sizeof(b->kw), f->keyword, true, false);
		like(b->kwu, sizeof(b->kwu), f->keyword, true, true);
	}
	b->p[0] = DB_P_INT(f->competition_id);
	b->p[1] = DB_P_TEXT(f->track_key ? f->track_key : "");
	b->p[2] = DB_P_INT(f->topic_no);
	b->p[3] = DB_P_TEXT(f->status ? f->status : "");
	b->p[4] = DB_P_TEXT(f->stage ? f->stage : "");
	b->p[5] = DB_P_TEXT(f->tech ? f->tech : "");
	b->p[6] = DB_P_TEXT(b->region);
	b->p[7] = DB_P_TEXT(f->nature ? f->nature : "");
	b->p[8] = DB_P_INT(f->submitted_from);
	b->p[9] = DB_P_INT(f->submitted_to);
	b->p[10] = DB_P_TEXT(b->kw);
	b->p[11] = DB_P_TEXT(b->kwu);
}

int store_export_count(struct db *db, const struct export_filter *f,
		       int64_t *count)
{
	struct filter_bind b;

	filter_params(f, &b);
	*count = 0;
	return db_query_int(db, "SELECT COUNT(*) " FILTER, NFILTER, b.p,
			    count) < 0
		       ? -1
		       : 0;
}

/*
 * The columns every page of applications reads first, in struct
 * export_app's order; a page's own columns follow from column 8.
 */
#define APP_COLS                                                               \
	"SELECT a.id, a.status, a.stage, a.tech_status, a.return_reason, "     \
	"a.created_at, a.updated_at, COALESCE(a.submitted_at, 0), "
#define APP_PAGE FILTER "AND a.id > $13 ORDER BY a.id LIMIT $14"

/*
 * Documents and summaries page through the same filtered applications
 * and differ only in the columns after APP_COLS, so one loop reads both:
 * the sealed document alone, or the summary columns without it.
 */
static int app_page(struct db *db, const struct export_filter *f, int64_t after,
		    int limit, bool summary,
		    int (*fn)(const struct export_app *a, void *cls), void *cls)
{
	struct filter_bind b;
	struct db_rows *r;
	int n = 0, rc;

	filter_params(f, &b);
	b.p[NFILTER] = DB_P_INT(after);
	b.p[NFILTER + 1] = DB_P_INT(limit);
	r = db_query(
		db,
		summary ? APP_COLS
			"a.project_name, a.team_name, a.lead_unit_name, "
			"a.lead_uscc, t.name, COALESCE(tp.num, 0), tp.title, "
			"a.region, a.lead_nature " APP_PAGE
			: APP_COLS "a.doc " APP_PAGE,
		NFILTER + 2, b.p);
	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1) {
		struct export_app a = {
			.id = db_col_int(r, 0),
			.status = db_col_text(r, 1, NULL),
			.stage = db_col_text(r, 2, NULL),
			.tech_status = db_col_text(r, 3, NULL),
			.return_reason = db_col_text(r, 4, NULL),
			.created_at = db_col_int(r, 5),
			.updated_at = db_col_int(r, 6),
			.submitted_at = db_col_int(r, 7),
		};
		if (summary) {
			a.project_name = db_col_text(r, 8, NULL);
			a.team_name = db_col_text(r, 9, NULL);
			a.lead_unit_name = db_col_text(r, 10, NULL);
			a.lead_uscc = db_col_text(r, 11, NULL);
			a.track_name = db_col_text(r, 12, NULL);
			a.topic_no = db_col_int(r, 13);
			a.topic_title = db_col_text(r, 14, NULL);
			a.region = db_col_text(r, 15, NULL);
			a.lead_nature = db_col_text(r, 16, NULL);
		} else {
			a.doc = db_col_text(r, 8, NULL);
		}
		n++;
		if (fn(&a, cls) < 0) {
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	return rc < 0 ? -1 : n;
}

int store_export_apps(struct db *db, const struct export_filter *f,
		      int64_t after, int limit,
		      int (*fn)(const struct export_app *a, void *cls),
		      void *cls)
{
	return app_page(db, f, after, limit, false, fn, cls);
}

int store_export_files(struct db *db, const struct export_filter *f,
		       int64_t after_app, int64_t after_file, int64_t last_app,
		       int limit,
		       int (*fn)(const struct export_file *e, void *cls),
		       void *cls)
{
	struct filter_bind b;
	struct db_rows *r;
	int n = 0, rc;

	filter_params(f, &b);
	b.p[NFILTER] = DB_P_INT(after_app);
	b.p[NFILTER + 1] = DB_P_INT(after_file);
	b.p[NFILTER + 2] = DB_P_INT(limit);
	b.p[NFILTER + 3] = DB_P_INT(last_app);
	r = db_query(
		db,
		"SELECT x.id, x.application_id, a.project_name, x.slot, "
		"x.row_path, x.file_name, x.size, x.kind, x.sha256, "
		"x.created_at FROM attachments x "
		"JOIN applications a ON a.id = x.application_id " JOINS WHERE
		"AND x.deleted_at IS NULL "
		/*
		      * The range on application_id bounds the index scan to
		      * one page of applications; the OR alone would not. The
		      * same range on a.id bounds the other side of the join:
		      * PostgreSQL does not carry it over the equality, and
		      * with statistics from before a bulk load it merge-joins
		      * from the first application on (36 ms a page at 50,000
		      * records, 3 ms with it; bench G8).
		      */
		"AND x.application_id >= $13 AND x.application_id <= $16 "
		"AND a.id >= $13 AND a.id <= $16 "
		"AND (x.application_id > $13 OR x.id > $14) "
		"ORDER BY x.application_id, x.id LIMIT $15",
		NFILTER + 4, b.p);
	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1) {
		struct export_file e = {
			.id = db_col_int(r, 0),
			.application_id = db_col_int(r, 1),
			.project_name = db_col_text(r, 2, NULL),
			.slot = db_col_text(r, 3, NULL),
			.row = db_col_text(r, 4, NULL),
			.file_name = db_col_text(r, 5, NULL),
			.size = db_col_int(r, 6),
			.kind = db_col_text(r, 7, NULL),
			.sha256 = db_col_text(r, 8, NULL),
			.uploaded_at = db_col_int(r, 9),
		};
		n++;
		if (fn(&e, cls) < 0) {
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	return rc < 0 ? -1 : n;
}

int store_export_summaries(struct db *db, const struct export_filter *f,
			   int64_t after, int limit,
			   int (*fn)(const struct export_app *a, void *cls),
			   void *cls)
{
	return app_page(db, f, after, limit, true, fn, cls);
}

void export_job_release(struct export_job *j)
{
	free(j->params);
	free(j->file_name);
	free(j->error);
	j->params = j->file_name = j->error = NULL;
}

int store_export_job_add(struct db *db, int64_t competition_id, int64_t user_id,
			 const char *format, const char *params, int64_t now,
			 int64_t *id)
{
	struct db_param p[5] = { DB_P_INT(competition_id), DB_P_INT(user_id),
				 DB_P_TEXT(format), DB_P_TEXT(params),
				 DB_P_INT(now) };

	return db_query_int(db,
			    "INSERT INTO export_jobs (competition_id, user_id, "
			    "format, params, status, created_at, updated_at) "
			    "VALUES ($1, $2, $3, $4, 'queued', $5, $5) "
			    "RETURNING id",
			    5, p, id) == 1
		       ? 0
		       : -1;
}

int store_export_job_get(struct db *db, int64_t id, struct export_job *j)
{
	struct db_param p[1] = { DB_P_INT(id) };
	struct db_rows *r = db_query(
		db,
		"SELECT id, competition_id, user_id, format, params, status, "
		"done_rows, total_rows, storage_key, file_name, "
		"COALESCE(size, 0), error, created_at, updated_at, "
		"COALESCE(finished_at, 0) FROM export_jobs WHERE id = $1",
		1, p);
	int rc;

	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		memset(j, 0, sizeof(*j));
		j->id = db_col_int(r, 0);
		j->competition_id = db_col_int(r, 1);
		j->user_id = db_col_int(r, 2);
		db_col_copy(r, 3, j->format, sizeof(j->format));
		j->params = db_col_dup(r, 4);
		db_col_copy(r, 5, j->status, sizeof(j->status));
		j->done_rows = db_col_int(r, 6);
		j->total_rows = db_col_int(r, 7);
		db_col_copy(r, 8, j->storage_key, sizeof(j->storage_key));
		j->file_name = db_col_dup(r, 9);
		j->size = db_col_int(r, 10);
		j->error = db_col_dup(r, 11);
		j->created_at = db_col_int(r, 12);
		j->updated_at = db_col_int(r, 13);
		j->finished_at = db_col_int(r, 14);
	}
	db_rows_free(r);
	return rc;
}

int store_export_job_progress(struct db *db, int64_t id, int64_t done,
			      int64_t total, int64_t now)
{
	struct db_param p[4] = { DB_P_INT(id), DB_P_INT(done), DB_P_INT(total),
				 DB_P_INT(now) };

	return db_run(db,
		      "UPDATE export_jobs SET status = 'running', "
		      "done_rows = $2, total_rows = $3, updated_at = $4 "
		      "WHERE id = $1 AND status IN ('queued', 'running')",
		      4, p);
}

int store_export_job_finish(struct db *db, int64_t id, const char *status,
			    const char *storage_key, const char *file_name,
			    int64_t size, const char *error, int64_t now)
{
	struct db_param p[7] = {
		DB_P_INT(id),
		DB_P_TEXT(status),
		storage_key ? DB_P_TEXT(storage_key) : DB_P_NULL,
		file_name ? DB_P_TEXT(file_name) : DB_P_NULL,
		DB_P_INT(size),
		error ? DB_P_TEXT(error) : DB_P_NULL,
		DB_P_INT(now),
	};

	return db_run(db,
		      "UPDATE export_jobs SET status = $2, storage_key = $3, "
		      "file_name = $4, size = $5, error = $6, "
		      "done_rows = CASE WHEN $2 = 'done' THEN total_rows "
		      "ELSE done_rows END, "
		      "updated_at = $7, finished_at = $7 WHERE id = $1",
		      7, p);
}

int store_export_jobs_active(struct db *db, int64_t user_id, int64_t since,
			     int64_t *count)
{
	struct db_param p[2] = { DB_P_INT(user_id), DB_P_INT(since) };

	*count = 0;
	return db_query_int(
		       db,
		       "SELECT COUNT(*) FROM export_jobs WHERE user_id = $1 "
		       "AND status IN ('queued', 'running') "
		       "AND updated_at >= $2",
		       2, p, count) < 0
		       ? -1
		       : 0;
}

int store_export_ids_check(struct db *db, int64_t competition_id,
			   const int64_t *ids, int n, int64_t *ok, int *nok)
{
	/* ",12,7,31," : one parameter for any number of ids. */
	size_t cap = (size_t)n * 21 + 2, k = 0;
	char *list = malloc(cap);
	struct db_param p[2];
	struct db_rows *r;
	int rc;

	*nok = 0;
	if (!list)
		return -1;
	list[k++] = ',';
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(list + k, cap - k, "%lld,",
				      (long long)ids[i]);
	p[0] = DB_P_INT(competition_id);
	p[1] = DB_P_TEXT(list);
	r = db_query(db,
		     "SELECT id FROM applications WHERE competition_id = $1 "
		     "AND deleted_at IS NULL AND status <> 'draft' "
		     "AND $2 LIKE '%,' || CAST(id AS TEXT) || ',%' "
		     "ORDER BY id",
		     2, p);
	if (!r) {
		free(list);
		return -1;
	}
	while ((rc = db_next(r)) == 1)
		if (*nok < n)
			ok[(*nok)++] = db_col_int(r, 0);
	db_rows_free(r);
	free(list);
	return rc < 0 ? -1 : 0;
}

int store_export_job_expire(struct db *db, int64_t id, int64_t before,
			    char key[96])
{
	struct db_param p[2] = { DB_P_INT(id), DB_P_INT(before) };
	struct db_rows *r = db_query(
		db,
		"UPDATE export_jobs SET status = 'expired' WHERE id = $1 "
		"AND status = 'done' AND finished_at < $2 "
		"RETURNING COALESCE(storage_key, '')",
		2, p);
	int rc;

	key[0] = '\0';
	if (!r)
		return -1;
	rc = db_next(r);
	if (rc == 1)
		db_col_copy(r, 0, key, 96);
	db_rows_free(r);
	return rc;
}

int store_export_jobs_due(struct db *db, int64_t before, int64_t *ids, int n)
{
	struct db_param p[2] = { DB_P_INT(before), DB_P_INT(n) };
	struct db_rows *r = db_query(
		db,
		"SELECT id FROM export_jobs WHERE status = 'done' "
		"AND finished_at < $1 ORDER BY finished_at, id LIMIT $2",
		2, p);
	int k = 0, rc;

	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1)
		if (k < n)
			ids[k++] = db_col_int(r, 0);
	db_rows_free(r);
	return rc < 0 ? -1 : k;
}
