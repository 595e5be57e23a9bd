/* auth.h: captchas, SMS codes, sessions and sign-in failures */
#ifndef STORE_AUTH_H
#define STORE_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include "db.h"

/* Captchas: the id is public, the answer is kept sealed (cr_seal). */
int store_captcha_add(struct db *db, const char *id, const char *answer_sealed,
		      int64_t now, int64_t expires_at);

/*
 * Uses up the captcha (whatever the answer turns out to be) and copies
 * its sealed answer. Returns 1 when it existed, was unused and unexpired;
 * 0 otherwise; -1 on error.
 */
int store_captcha_take(struct db *db, const char *id, int64_t now,
		       char sealed_out[256]);

struct sms_counts {
	int64_t last_at; /* newest code for the phone, 0 when none */
	int64_t hour;	 /* codes for the phone in the last hour */
	int64_t day;	 /* … in the last 24 hours */
	int64_t ip_hour; /* codes requested from the address in the last hour */
	int64_t first_in_hour; /* oldest of those in the last hour */
	int64_t first_in_day;
	int64_t ip_first_in_hour;
};

/* Counts what the send limits need. Returns 0 or -1. */
int store_sms_counts(struct db *db, const char *phone_hash, const char *ip,
		     int64_t now, struct sms_counts *c);

/* Stores a new code; earlier unused codes for the phone and purpose die. */
int store_sms_code_add(struct db *db, const char *phone_hash,
		       const char *purpose, const char *code_hash,
		       const char *ip, int64_t now, int64_t expires_at,
		       int64_t *id);

/* Returns 1 when a live code exists for the phone and purpose, 0 if not, -1 on error. */
int store_sms_code_live(struct db *db, const char *phone_hash,
			const char *purpose, int64_t now);

/* Removes a code whose message could not be sent. */
int store_sms_code_delete(struct db *db, int64_t id);

enum sms_check {
	SMS_CODE_OK,
	SMS_CODE_WRONG,	   /* attempts left */
	SMS_CODE_TOO_MANY, /* this was the fifth wrong try: the code died */
	SMS_CODE_NONE,	   /* no live code: never sent, used or expired */
	SMS_CODE_ERROR,
};

/*
 * Checks a code against the newest live one for the phone and purpose:
 * a match uses it up; a miss counts a try and kills it at the fifth.
 * *left receives the tries left after a miss.
 */
enum sms_check store_sms_code_check(struct db *db, const char *phone_hash,
				    const char *purpose, const char *code_hash,
				    int64_t now, int *left);

struct session_row {
	int64_t id;
	int64_t user_id;
	bool remember;
	int64_t last_seen_at;
	int64_t expires_at;
};

int store_session_create(struct db *db, const char *token_hash, int64_t user_id,
			 bool remember, int64_t now, int64_t expires_at,
			 const char *ip, const char *ua, int64_t *id);

/*
 * Finds a live (not revoked, not expired) session by token hash: 1 found,
 * 0 none, -1 error. The idle rule is the caller's.
 */
int store_session_lookup(struct db *db, const char *token_hash, int64_t now,
			 struct session_row *s);

int store_session_touch(struct db *db, int64_t id, int64_t now);
int store_session_revoke(struct db *db, int64_t id, int64_t now);

/* Revokes every live session of the user but except_id (0: all). */
int store_session_revoke_user(struct db *db, int64_t user_id, int64_t except_id,
			      int64_t now);

/* Sign-in failures, by scope ("account" or "ip") and keyed hash. */
int store_auth_failure_add(struct db *db, const char *scope,
			   const char *key_hash, int64_t now);
int store_auth_failure_stats(struct db *db, const char *scope,
			     const char *key_hash, int64_t since,
			     int64_t *count, int64_t *last_at);
int store_auth_failure_clear(struct db *db, const char *scope,
			     const char *key_hash);

#endif
