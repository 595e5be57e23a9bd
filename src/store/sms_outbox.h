/* sms_outbox.h: the development SMS provider's table */
#ifndef STORE_SMS_OUTBOX_H
#define STORE_SMS_OUTBOX_H

#include <stdint.h>
#include <jansson.h>
#include "db.h"

/*
 * Records one message the outbox provider "sent". The caller passes the
 * keyed hash and masked form of the number and the sealed text, never
 * the plain ones. Returns 0, or -1 (db_errmsg() says why).
 */
int store_sms_outbox_add(struct db *db, const char *phone_hash,
			 const char *phone_masked, const char *purpose,
			 const char *sealed_text, int64_t now);

/*
 * Returns the newest `limit` messages, newest first, as an array of
 * {id, phone_masked, purpose, sealed_text, created_at}; the caller
 * json_decref()s it. Returns NULL on error.
 */
json_t *store_sms_outbox_latest(struct db *db, int limit);

#endif
