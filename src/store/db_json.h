/* db_json.h: JSON answers built from result rows */
#ifndef STORE_DB_JSON_H
#define STORE_DB_JSON_H

#include <jansson.h>
#include "db.h"

/* Returns column col as a new JSON string, or JSON null for SQL NULL. */
json_t *db_col_json_text(struct db_rows *r, int col);

/* Returns column col as a new JSON integer, or JSON null for SQL NULL. */
json_t *db_col_json_int(struct db_rows *r, int col);

/*
 * Returns column col, stored JSON array text, as a new JSON array; NULL,
 * unparsable text or anything but an array reads as [].
 */
json_t *db_col_json_array(struct db_rows *r, int col);

/*
 * Runs one statement and returns a new JSON array of what row() makes
 * of each result row, in order; cls is passed through to row(). Returns
 * NULL on a database error, when row() returns NULL, or when out of
 * memory.
 */
json_t *db_json_rows(struct db *db, const char *sql, int nparams,
		     const struct db_param *params,
		     json_t *(*row)(struct db_rows *r, void *cls), void *cls);

/*
 * Runs a statement whose rows are (name, count) and sets each in out as
 * a JSON integer, keeping out's other members (the zeros of names no row
 * counts). Returns 0, or -1 on a database error.
 */
int db_json_counts(struct db *db, const char *sql, int nparams,
		   const struct db_param *params, json_t *out);

#endif
