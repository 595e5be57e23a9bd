/* messages.h: in-app messages, the SMS notice queue and its templates */
#ifndef STORE_MESSAGES_H
#define STORE_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "db.h"

/* Adds a message for a user (application_id 0: none). Returns 0 or -1. */
int store_message_add(struct db *db, int64_t user_id, int64_t application_id,
		      const char *event, const char *title, const char *body,
		      int64_t now);

/*
 * One page of the user's messages, newest first, as [{id, event, title,
 * body, application_id (or null), created_at, read_at (or null), read}];
 * *total counts them all. NULL on error.
 */
json_t *store_message_list(struct db *db, int64_t user_id, int64_t limit,
			   int64_t offset, int64_t *total);

/* Counts the user's unread messages into *n. Returns 0 or -1. */
int store_message_unread(struct db *db, int64_t user_id, int64_t *n);

/*
 * Marks one of the user's messages read (a read one stays as it was).
 * Returns 1, 0 when the user has no such message, or -1.
 */
int store_message_read(struct db *db, int64_t user_id, int64_t id, int64_t now);

/* Marks every unread message of the user read; *n says how many. 0 or -1. */
int store_message_read_all(struct db *db, int64_t user_id, int64_t now,
			   int64_t *n);

/* Queues an SMS notice (text already sealed). Returns 0 or -1. */
int store_sms_notice_add(struct db *db, int64_t user_id, int64_t application_id,
			 const char *event, const char *sealed_text,
			 int64_t now);

struct sms_notice_row {
	int64_t id;
	int64_t user_id;
	int64_t attempts;
	char event[32];
	char *sealed_text;  /* malloc()ed */
	char *phone_sealed; /* malloc()ed: the account's number, sealed */
};

void sms_notice_row_release(struct sms_notice_row *n);

/*
 * Claims the oldest notice that is due (queued with next_at <= now, or
 * left "sending" for more than 10 minutes by a process that died) by
 * marking it "sending". Safe when several processes claim at once: a
 * notice goes to one of them. Returns 1 with *n filled, 0 when none is
 * due, -1 on error.
 */
int store_sms_notice_claim(struct db *db, int64_t now,
			   struct sms_notice_row *n);

/*
 * Records the outcome of a claimed notice: sent, or failed with the
 * error; retry_at > 0 puts it back in the queue until then.
 */
int store_sms_notice_done(struct db *db, int64_t id, bool sent,
			  const char *error, int64_t retry_at, int64_t now);

/* Counts notices by status: {"queued":N,"sending":N,"sent":N,"failed":N}. */
json_t *store_sms_notice_counts(struct db *db);

/*
 * The admin's text of an event (malloc()ed) into *text, or NULL when the
 * built-in text applies; *updated_at and *updated_by when stored.
 * Returns 0 or -1.
 */
int store_sms_template_get(struct db *db, const char *event, char **text,
			   int64_t *updated_at, int64_t *updated_by);

/* Stores (text) or removes (NULL: back to the built-in) a template. */
int store_sms_template_set(struct db *db, const char *event, const char *text,
			   int64_t actor, int64_t now);

#endif
