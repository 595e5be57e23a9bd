/* sms_impl.h: what the SMS providers share; not for use outside notify/ */
#ifndef NOTIFY_SMS_IMPL_H
#define NOTIFY_SMS_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "sms.h"

struct buf;
struct curl_slist;

enum sms_kind { SMS_OUTBOX, SMS_ALIYUN, SMS_TENCENT };

/* Filled once by sms_provider_new(); read-only afterwards. */
struct sms_provider {
	enum sms_kind kind;
	char url[256];	/* the endpoint, as curl is given it */
	char host[256]; /* its authority: Host header, signed */
	char key_id[128];
	char secret[256];
	char sign_name[128];
	char templates[3][64];	  /* indexed by enum sms_purpose */
	char notice_template[64]; /* decision notices; "" when not set */
	char region[64];
	char app_id[64];
	long timeout; /* seconds */
};

/* The per-provider senders; m is checked already, res is zeroed. */
int sms_outbox_send(const struct sms_provider *p, struct db *db,
		    const struct sms_message *m, struct sms_result *res);
int sms_aliyun_send(const struct sms_provider *p, const struct sms_message *m,
		    struct sms_result *res);
int sms_tencent_send(const struct sms_provider *p, const struct sms_message *m,
		     struct sms_result *res);

/* Notices: the text goes as the template's one parameter ("content"). */
int sms_outbox_send_notice(const struct sms_provider *p, struct db *db,
			   const char *phone, const char *text,
			   struct sms_result *res);
int sms_aliyun_send_notice(const struct sms_provider *p, const char *phone,
			   const char *text, struct sms_result *res);
int sms_tencent_send_notice(const struct sms_provider *p, const char *phone,
			    const char *text, struct sms_result *res);

/* Sets res to a failure with the code and printf-style message. */
void sms_fail(struct sms_result *res, bool retryable, const char *code,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * POSTs body to url (p->url, perhaps with a query) with the headers, within p->timeout seconds,
 * following no redirect. On a reply returns 0 with the status in *status
 * and the body (capped) in resp; on a transport failure or timeout
 * returns -1 with res set as a retryable failure.
 */
int sms_http_post(const struct sms_provider *p, const char *url,
		  struct curl_slist *headers, const char *body, size_t len,
		  long *status, struct buf *resp, struct sms_result *res);

/* Appends one "Name: value" line built printf-style. Returns 0 or -1. */
int sms_add_header(struct curl_slist **list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copies a JSON string member of obj into out (empty when absent). */
void sms_json_copy(const json_t *obj, const char *key, char *out,
		   size_t outlen);

#endif
