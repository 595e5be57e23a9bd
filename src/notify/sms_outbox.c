/* sms_outbox.c: the development provider seals each message into a table */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sms_impl.h"
#include "../crypto/crypto.h"
#include "../store/db.h"
#include "../store/sms_outbox.h"
#include "../util/banned.h"

#define DEFAULT_SIGN "数据要素×大赛"

static const char *const purpose_words[] = { "注册", "登录", "重置密码" };

int sms_outbox_send(const struct sms_provider *p, struct db *db,
		    const struct sms_message *m, struct sms_result *res)
{
	char text[512], masked[16], hash[CR_HASH_HEX];
	char *sealed;
	int n, rc;

	/* The text a real provider's template would produce, word for word. */
	n = snprintf(text, sizeof(text),
		     "【%s】您的%s验证码为%s，5分钟内有效。",
		     p->sign_name[0] ? p->sign_name : DEFAULT_SIGN,
		     purpose_words[m->purpose], m->code);
	if (n < 0 || n >= (int)sizeof(text)) {
		sms_fail(res, false, "request-too-large",
			 "the text does not fit");
		return -1;
	}
	/*
	 * The database may be copied around in development; it keeps no code
	 * and no number in the clear. The hash lets a test or a rate check
	 * find a number's messages without revealing it.
	 */
	cr_keyed_hash("phone", m->phone, strlen(m->phone), hash);
	sms_mask_phone(m->phone, masked, sizeof(masked));
	sealed = cr_seal(text, (size_t)n);
	if (!sealed) {
		sms_fail(res, false, "seal", "cannot seal the text (cr_init?)");
		return -1;
	}
	rc = store_sms_outbox_add(db, hash, masked,
				  sms_purpose_name(m->purpose), sealed,
				  (int64_t)time(NULL));
	free(sealed);
	if (rc < 0) {
		sms_fail(res, true, "database", "outbox: %s", db_errmsg(db));
		return -1;
	}
	res->ok = true;
	snprintf(res->provider_code, sizeof(res->provider_code), "OK");
	snprintf(res->message, sizeof(res->message), "stored in the outbox");
	return 0;
}

int sms_outbox_send_notice(const struct sms_provider *p, struct db *db,
			   const char *phone, const char *text,
			   struct sms_result *res)
{
	char masked[16], hash[CR_HASH_HEX];
	char *full, *sealed;
	size_t len;
	int rc;

	len = strlen(text) + sizeof(DEFAULT_SIGN) + sizeof(p->sign_name) + 8;
	full = malloc(len);
	if (!full) {
		sms_fail(res, true, "memory", "out of memory");
		return -1;
	}
	snprintf(full, len, "【%s】%s",
		 p->sign_name[0] ? p->sign_name : DEFAULT_SIGN, text);
	cr_keyed_hash("phone", phone, strlen(phone), hash);
	sms_mask_phone(phone, masked, sizeof(masked));
	sealed = cr_seal(full, strlen(full));
	free(full);
	if (!sealed) {
		sms_fail(res, false, "seal", "cannot seal the text (cr_init?)");
		return -1;
	}
	rc = store_sms_outbox_add(db, hash, masked, "notice", sealed,
				  (int64_t)time(NULL));
	free(sealed);
	if (rc < 0) {
		sms_fail(res, true, "database", "outbox: %s", db_errmsg(db));
		return -1;
	}
	res->ok = true;
	snprintf(res->provider_code, sizeof(res->provider_code), "OK");
	snprintf(res->message, sizeof(res->message), "stored in the outbox");
	return 0;
}
