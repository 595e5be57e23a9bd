/* sms.h: sending verification codes by SMS through a pluggable provider */
#ifndef NOTIFY_SMS_H
#define NOTIFY_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include "../config.h"

struct db;

enum sms_purpose { SMS_REGISTER, SMS_LOGIN, SMS_RESET };

struct sms_message {
	const char *phone; /* 11-digit mainland number, normalised */
	enum sms_purpose purpose;
	const char *code; /* 6 digits */
};

struct sms_result {
	bool ok;
	bool retryable; /* transport error, timeout or provider fault */
	char provider_code[64];
	char message[256]; /* provider's words, for the log */
	char biz_id[128];  /* provider's message id on success */
};

struct sms_provider;

/*
 * Makes the provider cfg->sms_provider names: "outbox" (development: the
 * message is sealed into the sms_outbox table), "aliyun" (SendSms
 * 2017-05-25, ACS3-HMAC-SHA256) or "tencent" (SendSms 2021-01-11,
 * TC3-HMAC-SHA256). The real providers need sms_access_key_id,
 * sms_access_key_secret, sms_sign_name and the three sms_template_*
 * settings, tencent also sms_sdk_app_id and sms_region; sms_endpoint
 * (default: the provider's public one) must be an http(s) URL whose path
 * is "/". Returns NULL with err naming the missing or bad setting.
 */
struct sms_provider *sms_provider_new(const struct config *cfg, char *err,
				      size_t errlen);

/*
 * Sends one verification code. db is used by the outbox provider only
 * (the others accept NULL); the outbox also needs cr_init() done. Blocks
 * for at most sms_timeout seconds. Safe to call from several threads at
 * once on the same provider. Returns 0 when the provider accepted the
 * message, or -1 with res saying why; res is filled in either case.
 *
 * A retryable failure may still have been delivered (a timeout after the
 * provider accepted it), and providers are not idempotent: callers limit
 * retries rather than loop.
 */
int sms_send(struct sms_provider *p, struct db *db, const struct sms_message *m,
	     struct sms_result *res);

/*
 * Sends a decision notice (审核结果 and the like) to an 11-digit number:
 * the outbox stores it sealed with purpose "notice"; Aliyun and Tencent
 * send it through the template sms_template_notice, whose one parameter
 * (Aliyun: ${content}; Tencent: {1}) is the text. Without that setting a
 * real provider fails with provider_code "no-notice-template" (not
 * retryable). Blocks for at most sms_timeout seconds; returns 0 or -1
 * with res saying why, as sms_send().
 */
int sms_send_notice(struct sms_provider *p, struct db *db, const char *phone,
		    const char *text, struct sms_result *res);

/* Returns "outbox", "aliyun" or "tencent". */
const char *sms_provider_name(const struct sms_provider *p);

/* Frees the provider, wiping its secret (NULL is fine). */
void sms_provider_free(struct sms_provider *p);

/* Returns "register", "login" or "reset". */
const char *sms_purpose_name(enum sms_purpose purpose);

/* Parses "register", "login" or "reset". Returns 0 or -1. */
int sms_purpose_parse(const char *s, enum sms_purpose *out);

/*
 * Writes the display form 138****8000 of an 11-digit number into out
 * (at least 12 bytes); anything else gives "***".
 */
void sms_mask_phone(const char *phone, char *out, size_t outlen);

#endif
