/* catalog.h: storing and reading the contest catalog */
#ifndef STORE_CATALOG_H
#define STORE_CATALOG_H

#include <jansson.h>
#include "db.h"

struct catalog_import_stats {
	int competitions; /* inserted or changed */
	int tracks;
	int topics;
	int retired; /* tracks or topics no longer in the files */
};

/*
 * Stores the n checked catalog documents in one write transaction. Rows
 * are matched by slug, track key and topic number, so ids (and whatever
 * refers to them) survive edits; rows that are unchanged are not written,
 * so a second import of the same files changes nothing. Bumps the catalog
 * revision when anything changed. Returns 0, or -1 with err filled.
 */
int store_catalog_import(struct db *db, json_t *const *docs, int n,
			 struct catalog_import_stats *st, char *err,
			 size_t errlen);

/* Reads the catalog revision into *rev. Returns 0 or -1. */
int store_catalog_revision(struct db *db, int64_t *rev);

/* Returns the number of sub-contests stored, or -1 on error. */
int store_catalog_count(struct db *db);

/*
 * Reads the whole catalog, in one read transaction, as an array of
 * sub-contest objects (the stored document with "id" and its live
 * "tracks", each with "id" and "topics"). Caller json_decref()s it.
 * Returns NULL on error.
 */
json_t *store_catalog_load(struct db *db, int64_t *rev_out);

#endif
