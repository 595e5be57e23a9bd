/* sms_aliyun.c: Aliyun SendSms (2017-05-25) signed with ACS3-HMAC-SHA256 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include "sms_impl.h"
#include "sms_sign.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "../util/banned.h"

/* The body is empty: the business parameters travel in the query. */
#define EMPTY_SHA256                                                           \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SIGNED_HEADERS                                                         \
	"host;x-acs-action;x-acs-content-sha256;x-acs-date;"                   \
	"x-acs-signature-nonce;x-acs-version"

static int add_param(struct buf *q, const char *key, const char *value)
{
	if ((q->len && buf_add(q, "&", 1) < 0) || buf_adds(q, key) < 0 ||
	    buf_add(q, "=", 1) < 0)
		return -1;
	return sms_rfc3986(q, value, strlen(value));
}

/* Reads the reply: {"Code":"OK","Message":"OK","BizId":…,"RequestId":…}. */
static int read_reply(const struct sms_provider *p, long status,
		      const struct buf *resp, struct sms_result *res)
{
	json_t *doc = NULL;
	const char *code;
	char msg[200], req[80];
	int rc = -1;

	if (resp->len)
		doc = json_loadb(resp->p, resp->len, 0, NULL);
	code = json_string_value(json_object_get(doc, "Code"));
	if (!code) {
		/* A gateway's error page: the provider itself may be fine. */
		sms_fail(res, status >= 500 || status == 0, "http-error",
			 "HTTP %ld from %s without a SendSms reply", status,
			 p->host);
		goto out;
	}
	sms_json_copy(doc, "Message", msg, sizeof(msg));
	sms_json_copy(doc, "RequestId", req, sizeof(req));
	if (!strcmp(code, "OK") && status == 200) {
		res->ok = true;
		snprintf(res->provider_code, sizeof(res->provider_code), "%s",
			 code);
		snprintf(res->message, sizeof(res->message), "%s", msg);
		sms_json_copy(doc, "BizId", res->biz_id, sizeof(res->biz_id));
		rc = 0;
		goto out;
	}
	/* isp.* are the provider's own faults; isv.* are ours to fix. */
	sms_fail(res, status >= 500 || !strncmp(code, "isp.", 4), code,
		 "%s%s%s%s", msg, req[0] ? " (RequestId " : "", req,
		 req[0] ? ")" : "");
out:
	json_decref(doc);
	return rc;
}

/* SendSms with a template and its parameters (a JSON object's text). */
static int send_template(const struct sms_provider *p, const char *phone,
			 const char *template_code, const char *param,
			 struct sms_result *res)
{
	unsigned char nonce_raw[16];
	char date[32], nonce[33], sig[SMS_SHA256_HEX];
	struct buf q, url, resp;
	struct curl_slist *h = NULL;
	time_t now = time(NULL);
	struct tm tm;
	long status = 0;
	int rc = -1;

	buf_init(&q, 4096);
	buf_init(&url, 8192);
	buf_init(&resp, 0);
	if (!gmtime_r(&now, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		sms_fail(res, true, "clock", "cannot read the clock");
		goto out;
	}
	/* A fresh nonce per request: Aliyun refuses a replayed one. */
	randombytes_buf(nonce_raw, sizeof(nonce_raw));
	hex_encode(nonce_raw, sizeof(nonce_raw), nonce);
	/* Already in key order, as the canonical query must be. */
	if (add_param(&q, "PhoneNumbers", phone) < 0 ||
	    add_param(&q, "SignName", p->sign_name) < 0 ||
	    add_param(&q, "TemplateCode", template_code) < 0 ||
	    add_param(&q, "TemplateParam", param) < 0 ||
	    buf_printf(&url, "%s?%s", p->url, q.p) < 0) {
		sms_fail(res, false, "request-too-large",
			 "the request does not fit");
		goto out;
	}
	{
		const char *names[] = { "host",
					"x-acs-action",
					"x-acs-content-sha256",
					"x-acs-date",
					"x-acs-signature-nonce",
					"x-acs-version" };
		const char *values[] = { p->host, "SendSms", EMPTY_SHA256,
					 date,	  nonce,     "2017-05-25" };
		if (acs3_signature("POST", q.p, names, values, 6, EMPTY_SHA256,
				   p->secret, sig) < 0) {
			sms_fail(res, false, "request-too-large",
				 "the request does not fit");
			goto out;
		}
	}
	/*
	 * "Content-Type:" with no value stops curl from adding its form type
	 * to the empty POST; "Expect:" stops a 100-continue round trip.
	 */
	if (sms_add_header(&h, "Host: %s", p->host) < 0 ||
	    sms_add_header(&h, "x-acs-action: SendSms") < 0 ||
	    sms_add_header(&h, "x-acs-version: 2017-05-25") < 0 ||
	    sms_add_header(&h, "x-acs-date: %s", date) < 0 ||
	    sms_add_header(&h, "x-acs-signature-nonce: %s", nonce) < 0 ||
	    sms_add_header(&h, "x-acs-content-sha256: %s", EMPTY_SHA256) < 0 ||
	    sms_add_header(&h,
			   "Authorization: ACS3-HMAC-SHA256 Credential=%s,"
			   "SignedHeaders=" SIGNED_HEADERS ",Signature=%s",
			   p->key_id, sig) < 0 ||
	    sms_add_header(&h, "Accept: application/json") < 0 ||
	    sms_add_header(&h, "Content-Type:") < 0 ||
	    sms_add_header(&h, "Expect:") < 0) {
		sms_fail(res, true, "transport", "out of memory for headers");
		goto out;
	}
	if (sms_http_post(p, url.p, h, "", 0, &status, &resp, res) < 0)
		goto out;
	rc = read_reply(p, status, &resp, res);
out:
	curl_slist_free_all(h);
	buf_release(&q);
	buf_release(&url);
	buf_release(&resp);
	return rc;
}

int sms_aliyun_send(const struct sms_provider *p, const struct sms_message *m,
		    struct sms_result *res)
{
	char param[64];

	snprintf(param, sizeof(param), "{\"code\":\"%s\"}", m->code);
	return send_template(p, m->phone, p->templates[m->purpose], param, res);
}

int sms_aliyun_send_notice(const struct sms_provider *p, const char *phone,
			   const char *text, struct sms_result *res)
{
	json_t *o = json_pack("{s:s}", "content", text);
	char *param = o ? json_dumps(o, JSON_COMPACT) : NULL;
	int rc;

	json_decref(o);
	if (!param) {
		sms_fail(res, false, "request", "cannot build the parameters");
		return -1;
	}
	rc = send_template(p, phone, p->notice_template, param, res);
	free(param);
	return rc;
}
