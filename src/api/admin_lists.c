/*
 * admin_lists.c: admins upload the exclusion and dishonesty lists as CSV
 * (preview with dry_run=1 first), page through them, download them as
 * CSV that imports again, and accept legal credit codes that fail the
 * checksum.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "api.h"
#include "catalog_cache.h"
#include "console.h"
#include "documents.h"
#include "errors.h"
#include "input.h"
#include "roles.h"
#include "../app.h"
#include "../docs/text.h"
#include "../domain/ident.h"
#include "../domain/unit_list.h"
#include "../store/applications.h"
#include "../store/unit_lists.h"
#include "../util/clock.h"
#include "../util/csv.h"
#include "../util/str.h"
#include "../util/banned.h"

/* Rows per query while a list is written out. */
#define EXPORT_PAGE 1000
/* Imported fields are at most CSV_MAX_FIELD bytes; one more for the quote. */
#define CELL_BYTES (CSV_MAX_FIELD + 8)

static int64_t competition_by_query(struct req *r, bool *bad)
{
	bool qbad = false;
	const char *slug = req_query(r, "competition", &qbad);
	struct catalog_snapshot *s;
	const json_t *c;
	int64_t id = 0;

	*bad = qbad;
	if (!slug || !*slug)
		return 0;
	s = catalog_cache_get(r->app->catalog);
	c = s ? catalog_snapshot_competition(s, slug) : NULL;
	if (c)
		id = json_integer_value(json_object_get(c, "id"));
	else
		*bad = true;
	catalog_snapshot_unref(s);
	return id;
}

/*
 * Reads {kind} and ?competition= and checks the caller may work on that
 * list: the exclusion list of a sub-contest needs its competition_admin
 * (or a platform admin), the dishonesty list (competition_id 0) a
 * platform admin. kind receives the list's name. Returns 0, or -1 with
 * the error recorded.
 */
static int list_target(struct req *r, char kind[16], int64_t *comp_out,
		       char *short_name, size_t short_len)
{
	struct str kind_s = req_param(r, "kind");
	bool bad = false;
	int64_t comp = competition_by_query(r, &bad);

	snprintf(kind, 16, "%.*s", (int)(kind_s.len < 15 ? kind_s.len : 15),
		 kind_s.p);
	if (!unit_list_kind_ok(kind))
		return req_fail(r, E_NOT_FOUND, "not_found",
				"名单类型应为 exclusion 或 dishonest");
	if (bad)
		return req_fail(r, E_BAD_REQUEST, "bad_competition",
				"competition 参数不是已知的分赛");
	/* The exclusion list belongs to one sub-contest; dishonesty to all. */
	if (!strcmp(kind, "exclusion") && !comp)
		return req_fail(r, E_BAD_REQUEST, "competition_required",
				"组织单位名单须指定分赛（competition 参数）");
	if (!strcmp(kind, "dishonest"))
		comp = 0;
	if (api_require_admin(r, comp) < 0)
		return -1;
	*comp_out = comp;
	if (short_name) {
		struct catalog_snapshot *s = catalog_cache_get(r->app->catalog);
		const json_t *c = comp ? doc_competition(s, comp) : NULL;
		const char *sn =
			json_string_value(json_object_get(c, "short_name"));
		snprintf(short_name, short_len, "%s", sn ? sn : "");
		catalog_snapshot_unref(s);
	}
	return 0;
}

int api_unit_list_import(struct req *r)
{
	char kind[16];
	bool dry = false, qbad = false;
	const char *dry_q = req_query(r, "dry_run", &qbad);
	int64_t comp = 0, now = clock_now();
	json_t *parsed, *rows, *row;
	size_t i;
	int rc;

	if (list_target(r, kind, &comp, NULL, 0) < 0)
		return -1;
	if (qbad)
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"dry_run 参数格式不正确");
	dry = dry_q && !strcmp(dry_q, "1");
	parsed = unit_list_parse(r->body.p ? r->body.p : "", r->body.len);
	if (!parsed)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	rows = json_object_get(parsed, "rows");
	if (!dry && json_array_size(json_object_get(parsed, "errors")) == 0) {
		if (db_begin_write(r->db) < 0)
			goto dbfail;
		json_array_foreach (rows, i, row)
			if (store_unit_list_add(
				    r->db, kind, comp,
				    json_string_value(
					    json_object_get(row, "uscc")),
				    json_string_value(
					    json_object_get(row, "name")),
				    json_string_value(
					    json_object_get(row, "note")),
				    now) < 0)
				goto dbfail;
		/* Under its sub-contest, so that sub-contest's admins see it. */
		if (console_audit(
			    r, "unit_list_import", kind, comp, comp,
			    json_pack("{s:I}", "rows",
				      (json_int_t)json_array_size(rows))) < 0 ||
		    db_commit(r->db) < 0)
			goto dbfail;
	}
	/* With row errors nothing is applied: fix the file and send it again. */
	json_object_set_new(parsed, "applied",
			    json_boolean(!dry &&
					 json_array_size(json_object_get(
						 parsed, "errors")) == 0));
	rc = resp_json(r, 200, parsed);
	json_decref(parsed);
	return rc;
dbfail:
	json_decref(parsed);
	return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(r->db));
}

int api_uscc_verify(struct req *r)
{
	static const char *const keys[] = { "uscc", "note", NULL };
	const char *code = in_str(r, "uscc", "统一社会信用代码", true, 40);
	const char *note = in_str(r, "note", "备注", false, 200);
	char norm[19], detail[120];
	bool checksum = false;
	int rc;

	in_only(r, keys);
	if (code) {
		ident_uscc_normalize(code, norm);
		if (!norm[0] ||
		    (ident_uscc_check(norm, &checksum) && !checksum))
			req_field_error(
				r, "uscc", "format",
				"统一社会信用代码应为 18 位数字或大写字母");
	}
	if (input_has_errors(r))
		return input_failed(r);
	if (api_require_admin(r, 0) < 0)
		return -1;
	snprintf(detail, sizeof(detail), "{\"uscc\":\"%s\"}", norm);
	if (db_begin_write(r->db) < 0 ||
	    store_uscc_verify(r->db, norm, note ? note : "", r->user_id,
			      clock_now()) < 0 ||
	    store_audit_add(r->db, r->user_id, "uscc_verify", "uscc", 0,
			    req_client_ip(r), detail, clock_now()) < 0 ||
	    db_commit(r->db) < 0)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	{
		json_t *b =
			json_pack("{s:s, s:b}", "uscc", norm, "verified", 1);
		rc = resp_json(r, 200, b);
		json_decref(b);
	}
	return rc;
}

/* One optional query parameter; a malformed or long one is a field error. */
static const char *list_param(struct req *r, const char *name, size_t max)
{
	bool bad = false;
	const char *v = req_query(r, name, &bad);

	if (bad || (v && (strlen(v) > max || !utf8_valid(v, strlen(v))))) {
		req_field_error(r, name, "invalid",
				bad ? "参数格式不正确"
				    : "参数过长或不是 UTF-8");
		return NULL;
	}
	return v && *v ? v : NULL;
}

int api_unit_list_get(struct req *r)
{
	char kind[16];
	const char *q, *v;
	int64_t comp = 0, page = 1, per = 20, total = 0;
	json_t *items;

	if (list_target(r, kind, &comp, NULL, 0) < 0)
		return -1;
	q = list_param(r, "q", 200);
	if ((v = list_param(r, "page", 8)) &&
	    str_to_i64z(v, 1, 100000, &page) < 0)
		req_field_error(r, "page", "invalid", "page 应为正整数");
	if ((v = list_param(r, "per_page", 8)) &&
	    str_to_i64z(v, 1, 100, &per) < 0)
		req_field_error(r, "per_page", "invalid",
				"per_page 应为 1 到 100");
	if (input_has_errors(r))
		return req_fail(r, E_BAD_REQUEST, "bad_query",
				"查询条件有误，请按提示修改");
	items = store_unit_list_page(r->db, kind, comp, q ? q : "",
				     (page - 1) * per, per, &total);
	if (!items)
		return api_db_failed(r, r->db);
	return api_send_page(r, items, total, page, per);
}

struct csv_out {
	FILE *f;
	char cell[CELL_BYTES];
};

static int csv_cell(struct csv_out *o, const char *s, bool last)
{
	/* As the spreadsheet exports: no cell may start a formula. */
	xp_cell_neutral(s ? s : "", o->cell, sizeof(o->cell));
	if (xp_csv_field(o->f, o->cell) < 0 ||
	    fputs(last ? "\r\n" : ",", o->f) == EOF)
		return -1;
	return 0;
}

static int csv_entry(const struct unit_list_entry *e, void *cls)
{
	struct csv_out *o = cls;

	return csv_cell(o, e->uscc, false) < 0 ||
			       csv_cell(o, e->name, false) < 0 ||
			       csv_cell(o, e->note, true) < 0
		       ? -1
		       : 0;
}

/*
 * The list as the CSV the import reads: BOM, the import's header, one
 * unit a line. Written to an unlinked temp file, so a list of 100,000
 * units costs no memory, and read in one transaction.
 */
int api_unit_list_export(struct req *r)
{
	char kind[16], short_name[80], path[1100], day[XP_TIME_MAX], ymd[9];
	struct csv_out *o;
	int64_t comp = 0, n;
	int fd, fd2;
	const char *name;

	if (list_target(r, kind, &comp, short_name, sizeof(short_name)) < 0)
		return -1;
	o = arena_alloc(&r->arena, sizeof(*o));
	if (!o)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	fd = doc_tmpfile(r, "unit-list", ".csv", path, sizeof(path));
	if (fd < 0)
		return -1;
	unlink(path);
	fd2 = dup(fd);
	o->f = fd2 >= 0 ? fdopen(fd2, "w") : NULL;
	if (!o->f) {
		if (fd2 >= 0)
			close(fd2);
		close(fd);
		return req_fail(r, E_INTERNAL, "tmpfile", "cannot write '%s'",
				path);
	}
	fputs("\xEF\xBB\xBF", o->f);
	csv_cell(o, "统一社会信用代码", false);
	csv_cell(o, "单位名称", false);
	csv_cell(o, "备注", true);
	if (db_begin_read(r->db) < 0) {
		fclose(o->f);
		close(fd);
		return api_db_failed(r, r->db);
	}
	n = store_unit_list_each(r->db, kind, comp, EXPORT_PAGE, csv_entry, o);
	if (n < 0 || db_commit(r->db) < 0) {
		fclose(o->f);
		close(fd);
		return api_db_failed(r, r->db);
	}
	if (fclose(o->f) != 0) {
		close(fd);
		return req_fail(r, E_INTERNAL, "tmpfile", "cannot write '%s'",
				path);
	}
	xp_time_cn(clock_now(), day, sizeof(day));
	/* "2026-07-20 10:35" → "20260720" */
	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", day, day + 5, day + 8);
	if (!strcmp(kind, "dishonest"))
		name = arena_printf(&r->arena, "失信名单-%s.csv", ymd);
	else
		name = arena_printf(&r->arena, "组织单位名单-%s-%s.csv",
				    short_name, ymd);
	resp_header(r, "X-List-Rows",
		    arena_printf(&r->arena, "%lld", (long long)n));
	return doc_send_fd(r, fd, "text/csv; charset=utf-8",
			   name ? name : "unit-list.csv");
}
