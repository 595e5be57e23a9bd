/* db_json.c: JSON answers built from result rows */
#include "db_json.h"
#include "../util/banned.h"

json_t *db_col_json_text(struct db_rows *r, int col)
{
	const char *s = db_col_text(r, col, NULL);
	return s ? json_string(s) : json_null();
}

json_t *db_col_json_int(struct db_rows *r, int col)
{
	return db_col_null(r, col) ? json_null()
				   : json_integer(db_col_int(r, col));
}

json_t *db_col_json_array(struct db_rows *r, int col)
{
	const char *s = db_col_text(r, col, NULL);
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;

	if (json_is_array(v))
		return v;
	json_decref(v);
	return json_array();
}

json_t *db_json_rows(struct db *db, const char *sql, int nparams,
		     const struct db_param *params,
		     json_t *(*row)(struct db_rows *r, void *cls), void *cls)
{
	struct db_rows *r = db_query(db, sql, nparams, params);
	json_t *arr = json_array();
	int rc;

	if (!r || !arr)
		goto fail;
	while ((rc = db_next(r)) == 1) {
		json_t *o = row(r, cls);
		if (!o || json_array_append_new(arr, o) < 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	db_rows_free(r);
	return arr;
fail:
	db_rows_free(r);
	json_decref(arr);
	return NULL;
}

int db_json_counts(struct db *db, const char *sql, int nparams,
		   const struct db_param *params, json_t *out)
{
	struct db_rows *r = db_query(db, sql, nparams, params);
	int rc;

	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1)
		json_object_set_new(out, db_col_text(r, 0, NULL),
				    json_integer(db_col_int(r, 1)));
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}
