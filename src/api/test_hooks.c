/* test_hooks.c: the test-only window onto captcha answers and SMS codes */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "api.h"
#include "test_hooks.h"
#include "../app.h"
#include "../util/clock.h"
#include "../util/banned.h"

#define KEEP 64

struct seen {
	char key[72];
	char value[16];
	char purpose[16];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct seen captchas[KEEP], codes[KEEP];
static unsigned ncaptchas, ncodes;

static void remember(struct seen *ring, unsigned *n, const char *key,
		     const char *value, const char *purpose)
{
	struct seen *s;
	pthread_mutex_lock(&mu);
	s = &ring[(*n)++ % KEEP];
	snprintf(s->key, sizeof(s->key), "%s", key);
	snprintf(s->value, sizeof(s->value), "%s", value);
	snprintf(s->purpose, sizeof(s->purpose), "%s", purpose ? purpose : "");
	pthread_mutex_unlock(&mu);
}

/* Newest first, so a resent code wins over the one before. */
static bool find(struct seen *ring, unsigned n, const char *key, size_t klen,
		 char *out, char *purpose_out)
{
	bool found = false;
	pthread_mutex_lock(&mu);
	for (unsigned i = 0; i < KEEP && i < n; i++) {
		struct seen *s = &ring[(n - 1 - i) % KEEP];
		if (strlen(s->key) == klen && !memcmp(s->key, key, klen)) {
			snprintf(out, 16, "%s", s->value);
			if (purpose_out)
				snprintf(purpose_out, 16, "%s", s->purpose);
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return found;
}

void test_hooks_captcha(const char *id, const char *answer)
{
	remember(captchas, &ncaptchas, id, answer, NULL);
}

void test_hooks_sms(const char *phone, const char *purpose, const char *code)
{
	remember(codes, &ncodes, phone, code, purpose);
}

int api_test_captcha_get(struct req *r)
{
	struct str id = req_param(r, "id");
	char answer[16];
	json_t *body;
	int rc;

	if (!find(captchas, ncaptchas, id.p, id.len, answer, NULL))
		return req_fail(r, E_NOT_FOUND, "not_found", "没有该验证码");
	body = json_pack("{s:s}", "answer", answer);
	rc = resp_json(r, 200, body);
	json_decref(body);
	return rc;
}

int api_test_sms_get(struct req *r)
{
	struct str phone = req_param(r, "phone");
	char code[16], purpose[16];
	json_t *body;
	int rc;

	if (!find(codes, ncodes, phone.p, phone.len, code, purpose))
		return req_fail(r, E_NOT_FOUND, "not_found",
				"没有发给该号码的短信");
	body = json_pack("{s:s, s:s}", "code", code, "purpose", purpose);
	rc = resp_json(r, 200, body);
	json_decref(body);
	return rc;
}

int api_test_clock_advance(struct req *r)
{
	json_t *v = json_object_get(r->json, "seconds"), *body;
	int rc;

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 400 * 86400)
		return req_fail(r, E_BAD_REQUEST, "bad_seconds",
				"seconds 应为 0 到 34560000 的整数");
	clock_advance(json_integer_value(v));
	body = json_pack("{s:I}", "now", (json_int_t)clock_now());
	rc = resp_json(r, 200, body);
	json_decref(body);
	return rc;
}
