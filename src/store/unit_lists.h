/* unit_lists.h: reading the exclusion and dishonesty lists back */
#ifndef STORE_UNIT_LISTS_H
#define STORE_UNIT_LISTS_H

#include <stdint.h>
#include <jansson.h>
#include "db.h"

/* One entry of a list, as read; the strings live during the callback. */
struct unit_list_entry {
	int64_t id;
	const char *uscc;
	const char *name;
	const char *note;
	int64_t added_at;
};

/*
 * Returns one page of list `kind` of sub-contest competition_id (0 for
 * the dishonesty list), newest first, as a JSON array of
 * {"uscc","name","note","added_at"} the caller json_decref()s, with the
 * number of entries matching in *total. q, when not empty, keeps the
 * entries whose code or name holds it (case-insensitively for ASCII;
 * LIKE wildcards in q are taken literally). Returns NULL on a database
 * error (db_errmsg() says why).
 */
json_t *store_unit_list_page(struct db *db, const char *kind,
			     int64_t competition_id, const char *q,
			     int64_t offset, int64_t limit, int64_t *total);

/*
 * Calls fn for every entry of the list in the order they were first
 * added, reading `page` rows per query. fn returns 0 to go on or -1 to
 * stop. Returns the number of entries, or -1 on a database error or when
 * fn stopped. Run it inside db_begin_read() for one consistent list.
 */
int64_t store_unit_list_each(
	struct db *db, const char *kind, int64_t competition_id, int page,
	int (*fn)(const struct unit_list_entry *e, void *cls), void *cls);

#endif
