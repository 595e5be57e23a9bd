/* unit_lists.c: the SQL that pages through and exports the unit lists */
#include <stdlib.h>
#include <string.h>
#include "unit_lists.h"
#include "../util/banned.h"

/*
 * "%q%" with q's own %, _ and \ escaped: the search is for the text as
 * typed. Both databases take LIKE … ESCAPE '\'; LOWER() on both sides
 * makes ASCII letters match either case in both.
 */
static char *like_pattern(const char *q)
{
	size_t n = strlen(q), k = 0;
	char *p = malloc(2 * n + 3);

	if (!p)
		return NULL;
	p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			p[k++] = '\\';
		p[k++] = q[i];
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

#define MATCH                                                                  \
	"WHERE kind = $1 AND competition_id = $2 AND ($3 = '' OR "             \
	"LOWER(uscc) LIKE LOWER($4) ESCAPE '\\' OR "                           \
	"LOWER(name) LIKE LOWER($4) ESCAPE '\\') "

json_t *store_unit_list_page(struct db *db, const char *kind,
			     int64_t competition_id, const char *q,
			     int64_t offset, int64_t limit, int64_t *total)
{
	char *pat = like_pattern(q ? q : "");
	struct db_param p[6] = {
		DB_P_TEXT(kind),       DB_P_INT(competition_id),
		DB_P_TEXT(q ? q : ""), DB_P_TEXT(pat ? pat : "%"),
		DB_P_INT(limit),       DB_P_INT(offset),
	};
	json_t *items = NULL;
	struct db_rows *r;
	int rc;

	*total = 0;
	if (!pat)
		return NULL;
	if (db_query_int(db, "SELECT COUNT(*) FROM unit_lists " MATCH, 4, p,
			 total) < 0)
		goto out;
	r = db_query(
		db,
		"SELECT uscc, name, note, created_at FROM unit_lists " MATCH
		"ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6",
		6, p);
	if (!r)
		goto out;
	items = json_array();
	while (items && (rc = db_next(r)) == 1) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "uscc",
				      db_col_text(r, 0, NULL), "name",
				      db_col_text(r, 1, NULL), "note",
				      db_col_text(r, 2, NULL), "added_at",
				      (json_int_t)db_col_int(r, 3));
		if (!o || json_array_append_new(items, o) < 0) {
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	if (!items || rc < 0) {
		json_decref(items);
		items = NULL;
	}
out:
	free(pat);
	return items;
}

int64_t store_unit_list_each(
	struct db *db, const char *kind, int64_t competition_id, int page,
	int (*fn)(const struct unit_list_entry *e, void *cls), void *cls)
{
	int64_t after = 0, count = 0;
	int n;

	do {
		struct db_param p[4] = { DB_P_TEXT(kind),
					 DB_P_INT(competition_id),
					 DB_P_INT(after), DB_P_INT(page) };
		struct db_rows *r = db_query(
			db,
			"SELECT id, uscc, name, note, created_at FROM "
			"unit_lists WHERE kind = $1 AND competition_id = $2 "
			"AND id > $3 ORDER BY id LIMIT $4",
			4, p);
		int rc;

		if (!r)
			return -1;
		n = 0;
		while ((rc = db_next(r)) == 1) {
			struct unit_list_entry e = {
				.id = db_col_int(r, 0),
				.uscc = db_col_text(r, 1, NULL),
				.name = db_col_text(r, 2, NULL),
				.note = db_col_text(r, 3, NULL),
				.added_at = db_col_int(r, 4),
			};
			n++;
			after = e.id;
			if (fn(&e, cls) < 0) {
				rc = -1;
				break;
			}
		}
		db_rows_free(r);
		if (rc < 0)
			return -1;
		count += n;
	} while (n == page);
	return count;
}
