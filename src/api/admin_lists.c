/*
 * admin_lists.c: admins upload the exclusion and dishonesty lists as CSV
 * (preview with dry_run=1 first), and accept legal credit codes that
 * fail the checksum.
 */
#include <stdio.h>
#include <string.h>
#include "api.h"
#include "catalog_cache.h"
#include "console.h"
#include "input.h"
#include "roles.h"
#include "../app.h"
#include "../domain/ident.h"
#include "../domain/unit_list.h"
#include "../store/applications.h"
#include "../util/clock.h"
#include "../util/banned.h"

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

int api_unit_list_import(struct req *r)
{
	struct str kind_s = req_param(r, "kind");
	char kind[16];
	bool bad = false, dry = false, qbad = false;
	const char *dry_q = req_query(r, "dry_run", &qbad);
	int64_t comp = competition_by_query(r, &bad), now = clock_now();
	json_t *parsed, *rows, *row;
	size_t i;
	int rc;

	snprintf(kind, sizeof(kind), "%.*s",
		 (int)(kind_s.len < 15 ? kind_s.len : 15), kind_s.p);
	if (!unit_list_kind_ok(kind))
		return req_fail(r, E_NOT_FOUND, "not_found",
				"名单类型应为 exclusion 或 dishonest");
	if (bad || qbad)
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
