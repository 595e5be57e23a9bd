/* attachments.h: rows of uploaded files */
#ifndef STORE_ATTACHMENTS_H
#define STORE_ATTACHMENTS_H

#include <stdint.h>
#include <jansson.h>
#include "db.h"

struct att_new {
	int64_t application_id;
	const char *slot;
	const char *row_path; /* NULL: the slot as a whole */
	const char *file_name;
	int64_t size;
	const char *kind;
	const char *mime;
	const char *sha256;
	const char *storage_key;
	int64_t uploaded_by;
	int64_t now;
	int64_t replaces; /* 0, or the live file this one replaces */
};

/* Inserts the row (and retires the replaced one). Returns 0 with *id, or -1. */
int store_att_add(struct db *db, const struct att_new *a, int64_t *id);

struct att_row {
	int64_t id;
	int64_t application_id;
	char slot[32];
	char file_name[640];
	char kind[16];
	char mime[128];
	char sha256[65];
	char storage_key[96];
	int64_t size;
	int64_t created_at;
	int64_t deleted_at;
};

/* Reads one attachment of the application (live or not): 1, 0 or -1. */
int store_att_get(struct db *db, int64_t application_id, int64_t id,
		  struct att_row *a);

/*
 * The application's files as JSON, oldest first: live ones only, or with
 * with_history also deleted and replaced ones (for organisers).
 */
json_t *store_att_list(struct db *db, int64_t application_id,
		       bool with_history);

/* Live files in a slot (optionally only those of one row), and all live bytes. */
int store_att_counts(struct db *db, int64_t application_id, const char *slot,
		     int64_t *in_slot, int64_t *total_bytes);

/* Marks a live file deleted. Returns 1, 0 (none) or -1. */
int store_att_delete(struct db *db, int64_t application_id, int64_t id,
		     int64_t now);

/* Records (commits, outside a transaction) a key a file is about to be
 * stored under (table blob_intents). Returns 0 or -1. */
int store_blob_intent_add(struct db *db, const char *key, int64_t now);

/* Forgets the key. Returns 0 or -1. */
int store_blob_intent_del(struct db *db, const char *key);

/*
 * The recorded keys, oldest first, at most max: a JSON array of
 * {storage_key, created_at, referenced} where referenced tells whether an
 * attachments or export_jobs row names the key. NULL on error.
 */
json_t *store_blob_intents(struct db *db, int max);

#endif
