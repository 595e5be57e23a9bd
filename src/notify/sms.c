/* sms.c: choosing the provider from the settings; the HTTP they share */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <sodium.h>
#include "sms_impl.h"
#include "../util/buf.h"
#include "../util/banned.h"

/* Provider replies are a few hundred bytes; more is not a provider. */
#define REPLY_CAP 65536

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init_once(void)
{
	/* Not thread-safe itself, so it runs once before any sender. */
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static const char *const purpose_names[] = { "register", "login", "reset" };

const char *sms_purpose_name(enum sms_purpose purpose)
{
	if ((unsigned)purpose >=
	    sizeof(purpose_names) / sizeof(purpose_names[0]))
		return "unknown";
	return purpose_names[purpose];
}

int sms_purpose_parse(const char *s, enum sms_purpose *out)
{
	for (size_t i = 0; i < sizeof(purpose_names) / sizeof(purpose_names[0]);
	     i++)
		if (s && !strcmp(s, purpose_names[i])) {
			*out = (enum sms_purpose)i;
			return 0;
		}
	return -1;
}

static bool all_digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void sms_mask_phone(const char *phone, char *out, size_t outlen)
{
	if (all_digits(phone, 11))
		snprintf(out, outlen, "%.3s****%.4s", phone, phone + 7);
	else
		snprintf(out, outlen, "***");
}

/*
 * Splits an http(s) URL into the authority the request is signed for and
 * checks that its path is the root, which both signatures assume.
 */
static int parse_endpoint(struct sms_provider *p, const char *url, char *err,
			  size_t errlen)
{
	const char *auth, *end;
	size_t n;

	if (!strncmp(url, "https://", 8))
		auth = url + 8;
	else if (!strncmp(url, "http://", 7))
		auth = url + 7;
	else
		goto bad;
	end = strchr(auth, '/');
	n = end ? (size_t)(end - auth) : strlen(auth);
	if (n == 0 || n >= sizeof(p->host) || (end && strcmp(end, "/")))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		char c = auth[i];
		/* Host, port and IPv6 brackets; no user-info, no spaces. */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == ':' || c == '[' || c == ']'))
			goto bad;
		p->host[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	p->host[n] = '\0';
	if (snprintf(p->url, sizeof(p->url), "%.*s/", (int)(auth - url + n),
		     url) >= (int)sizeof(p->url))
		goto bad;
	return 0;
bad:
	snprintf(err, errlen,
		 "bad value '%s' for 'sms_endpoint': expected "
		 "http(s)://host[:port]/ with no other path",
		 url);
	return -1;
}

static int need(const char *value, const char *key, const char *provider,
		char *err, size_t errlen)
{
	if (value[0])
		return 0;
	snprintf(err, errlen,
		 "sms_provider=%s needs the setting '%s' (empty now)", provider,
		 key);
	return -1;
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

struct sms_provider *sms_provider_new(const struct config *cfg, char *err,
				      size_t errlen)
{
	struct sms_provider *p;
	const char *name = cfg->sms_provider, *url;

	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->timeout = cfg->sms_timeout > 0 ? (long)cfg->sms_timeout : 5;
	if (!strcmp(name, "outbox") || !name[0]) {
		p->kind = SMS_OUTBOX;
		COPY(p->sign_name, cfg->sms_sign_name);
		return p;
	}
	if (!strcmp(name, "aliyun")) {
		p->kind = SMS_ALIYUN;
		url = "https://dysmsapi.aliyuncs.com/";
	} else if (!strcmp(name, "tencent")) {
		p->kind = SMS_TENCENT;
		url = "https://sms.tencentcloudapi.com/";
	} else {
		snprintf(err, errlen,
			 "bad value '%s' for 'sms_provider': expected outbox, "
			 "aliyun or tencent",
			 name);
		goto fail;
	}
	if (need(cfg->sms_access_key_id, "sms_access_key_id", name, err,
		 errlen) < 0 ||
	    need(cfg->sms_access_key_secret, "sms_access_key_secret", name, err,
		 errlen) < 0 ||
	    need(cfg->sms_sign_name, "sms_sign_name", name, err, errlen) < 0 ||
	    need(cfg->sms_template_register, "sms_template_register", name, err,
		 errlen) < 0 ||
	    need(cfg->sms_template_login, "sms_template_login", name, err,
		 errlen) < 0 ||
	    need(cfg->sms_template_reset, "sms_template_reset", name, err,
		 errlen) < 0)
		goto fail;
	if (p->kind == SMS_TENCENT &&
	    need(cfg->sms_sdk_app_id, "sms_sdk_app_id", name, err, errlen) < 0)
		goto fail;
	if (p->kind == SMS_TENCENT &&
	    need(cfg->sms_region, "sms_region", name, err, errlen) < 0)
		goto fail;
	if (parse_endpoint(p, cfg->sms_endpoint[0] ? cfg->sms_endpoint : url,
			   err, errlen) < 0)
		goto fail;
	COPY(p->key_id, cfg->sms_access_key_id);
	COPY(p->secret, cfg->sms_access_key_secret);
	COPY(p->sign_name, cfg->sms_sign_name);
	COPY(p->templates[SMS_REGISTER], cfg->sms_template_register);
	COPY(p->templates[SMS_LOGIN], cfg->sms_template_login);
	COPY(p->templates[SMS_RESET], cfg->sms_template_reset);
	COPY(p->notice_template, cfg->sms_template_notice);
	COPY(p->region, cfg->sms_region);
	COPY(p->app_id, cfg->sms_sdk_app_id);
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK) {
		snprintf(err, errlen, "libcurl failed to initialise: %s",
			 curl_easy_strerror(curl_init_rc));
		goto fail;
	}
	return p;
fail:
	sms_provider_free(p);
	return NULL;
}

const char *sms_provider_name(const struct sms_provider *p)
{
	switch (p->kind) {
	case SMS_ALIYUN:
		return "aliyun";
	case SMS_TENCENT:
		return "tencent";
	case SMS_OUTBOX:
		break;
	}
	return "outbox";
}

void sms_provider_free(struct sms_provider *p)
{
	if (!p)
		return;
	sodium_memzero(p, sizeof(*p));
	free(p);
}

void sms_fail(struct sms_result *res, bool retryable, const char *code,
	      const char *fmt, ...)
{
	va_list ap;

	res->ok = false;
	res->retryable = retryable;
	snprintf(res->provider_code, sizeof(res->provider_code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
}

void sms_json_copy(const json_t *obj, const char *key, char *out, size_t outlen)
{
	const char *s = json_string_value(json_object_get(obj, key));
	snprintf(out, outlen, "%s", s ? s : "");
}

int sms_send(struct sms_provider *p, struct db *db, const struct sms_message *m,
	     struct sms_result *res)
{
	memset(res, 0, sizeof(*res));
	/* A bad message is our bug, never worth sending or retrying. */
	if (!all_digits(m->phone, 11) || m->phone[0] != '1') {
		sms_fail(res, false, "invalid-phone",
			 "not an 11-digit mainland mobile number");
		return -1;
	}
	if (!all_digits(m->code, 6)) {
		sms_fail(res, false, "invalid-code",
			 "the code is not 6 digits");
		return -1;
	}
	if ((unsigned)m->purpose > SMS_RESET) {
		sms_fail(res, false, "invalid-purpose", "unknown purpose");
		return -1;
	}
	switch (p->kind) {
	case SMS_ALIYUN:
		return sms_aliyun_send(p, m, res);
	case SMS_TENCENT:
		return sms_tencent_send(p, m, res);
	case SMS_OUTBOX:
		break;
	}
	if (!db) {
		sms_fail(res, false, "no-database",
			 "the outbox needs a database");
		return -1;
	}
	return sms_outbox_send(p, db, m, res);
}

int sms_send_notice(struct sms_provider *p, struct db *db, const char *phone,
		    const char *text, struct sms_result *res)
{
	memset(res, 0, sizeof(*res));
	if (!all_digits(phone, 11) || phone[0] != '1') {
		sms_fail(res, false, "invalid-phone",
			 "not an 11-digit mainland mobile number");
		return -1;
	}
	if (!text || !*text || strlen(text) > 1000) {
		sms_fail(res, false, "invalid-text", "empty or too long");
		return -1;
	}
	switch (p->kind) {
	case SMS_ALIYUN:
	case SMS_TENCENT:
		/* Providers send only texts of a template they approved. */
		if (!p->notice_template[0]) {
			sms_fail(res, false, "no-notice-template",
				 "sms_template_notice is not set");
			return -1;
		}
		return p->kind == SMS_ALIYUN
			       ? sms_aliyun_send_notice(p, phone, text, res)
			       : sms_tencent_send_notice(p, phone, text, res);
	case SMS_OUTBOX:
		break;
	}
	if (!db) {
		sms_fail(res, false, "no-database",
			 "the outbox needs a database");
		return -1;
	}
	return sms_outbox_send_notice(p, db, phone, text, res);
}

int sms_add_header(struct curl_slist **list, const char *fmt, ...)
{
	char line[1024];
	struct curl_slist *n;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len < 0 || len >= (int)sizeof(line))
		return -1;
	n = curl_slist_append(*list, line);
	if (!n)
		return -1;
	*list = n;
	return 0;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct buf *b = userdata;
	size_t n = size * nmemb;

	/* Returning less than n makes curl stop with CURLE_WRITE_ERROR. */
	if (buf_add(b, ptr, n) < 0)
		return 0;
	return n;
}

int sms_http_post(const struct sms_provider *p, const char *url,
		  struct curl_slist *headers, const char *body, size_t len,
		  long *status, struct buf *resp, struct sms_result *res)
{
	char errbuf[CURL_ERROR_SIZE];
	CURL *c;
	CURLcode rc;

	buf_init(resp, REPLY_CAP);
	*status = 0;
	/* One handle per call: nothing is shared between worker threads. */
	c = curl_easy_init();
	if (!c) {
		sms_fail(res, true, "transport",
			 "libcurl: cannot make a handle");
		return -1;
	}
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, p->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, p->timeout);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "saiwu");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	if (rc == CURLE_OPERATION_TIMEDOUT)
		sms_fail(res, true, "timeout", "no reply from %s within %ld s",
			 p->host, p->timeout);
	else if (rc == CURLE_WRITE_ERROR && resp->toobig)
		sms_fail(res, false, "reply-too-large",
			 "the reply from %s passed %d bytes", p->host,
			 REPLY_CAP);
	else
		sms_fail(res, true, "transport", "%s: %s", p->host,
			 errbuf[0] ? errbuf : curl_easy_strerror(rc));
	return -1;
}
