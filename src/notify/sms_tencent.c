/* sms_tencent.c: Tencent Cloud SendSms (2021-01-11) signed with TC3 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include <jansson.h>
#include "sms_impl.h"
#include "sms_sign.h"
#include "../util/buf.h"
#include "../util/banned.h"

#define CONTENT_TYPE "application/json; charset=utf-8"

/* The body hashed is the body sent, so it is built once, in this order. */
static char *make_body(const struct sms_provider *p, const char *number,
		       const char *template_id, json_t *params)
{
	char phone[16];
	json_t *doc;
	char *text;

	snprintf(phone, sizeof(phone), "+86%s", number);
	doc = json_pack("{s:[s], s:s, s:s, s:s, s:o}", "PhoneNumberSet", phone,
			"SmsSdkAppId", p->app_id, "SignName", p->sign_name,
			"TemplateId", template_id, "TemplateParamSet", params);
	if (!doc)
		return NULL;
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return text;
}

/* Errors the provider may clear by itself; the message was not sent. */
static bool transient(const char *code)
{
	return !strncmp(code, "InternalError", 13) ||
	       !strcmp(code, "RequestLimitExceeded") ||
	       !strcmp(code, "ResourceUnavailable");
}

/*
 * Reads {"Response":{"SendStatusSet":[{"Code":"Ok",…}],"RequestId":…}} or
 * {"Response":{"Error":{"Code":…,"Message":…},"RequestId":…}}.
 */
static int read_reply(const struct sms_provider *p, long status,
		      const struct buf *resp, struct sms_result *res)
{
	json_t *doc = NULL, *r, *e, *first;
	const char *code;
	char msg[200], req[80];
	int rc = -1;

	if (resp->len)
		doc = json_loadb(resp->p, resp->len, 0, NULL);
	r = json_object_get(doc, "Response");
	if (!json_is_object(r)) {
		sms_fail(res, status >= 500 || status == 0, "http-error",
			 "HTTP %ld from %s without a SendSms reply", status,
			 p->host);
		goto out;
	}
	sms_json_copy(r, "RequestId", req, sizeof(req));
	e = json_object_get(r, "Error");
	if (e) {
		code = json_string_value(json_object_get(e, "Code"));
		sms_json_copy(e, "Message", msg, sizeof(msg));
		sms_fail(res, status >= 500 || (code && transient(code)),
			 code ? code : "error", "%s%s%s%s", msg,
			 req[0] ? " (RequestId " : "", req, req[0] ? ")" : "");
		goto out;
	}
	/* One number per call, so the first status is the message's. */
	first = json_array_get(json_object_get(r, "SendStatusSet"), 0);
	code = json_string_value(json_object_get(first, "Code"));
	if (!code) {
		sms_fail(res, false, "bad-reply",
			 "reply from %s has no SendStatusSet", p->host);
		goto out;
	}
	sms_json_copy(first, "Message", msg, sizeof(msg));
	if (!strcmp(code, "Ok") && status == 200) {
		res->ok = true;
		snprintf(res->provider_code, sizeof(res->provider_code), "%s",
			 code);
		snprintf(res->message, sizeof(res->message), "%s", msg);
		sms_json_copy(first, "SerialNo", res->biz_id,
			      sizeof(res->biz_id));
		rc = 0;
		goto out;
	}
	sms_fail(res, transient(code), code, "%s%s%s%s", msg,
		 req[0] ? " (RequestId " : "", req, req[0] ? ")" : "");
out:
	json_decref(doc);
	return rc;
}

/* SendSms with a template and its parameters (taken: a JSON array). */
static int send_template(const struct sms_provider *p, const char *phone,
			 const char *template_id, json_t *params,
			 struct sms_result *res)
{
	char hash[SMS_SHA256_HEX], sig[SMS_SHA256_HEX], date[11];
	struct curl_slist *h = NULL;
	struct buf resp;
	int64_t now = (int64_t)time(NULL);
	long status = 0;
	char *body;
	int rc = -1;

	buf_init(&resp, 0);
	body = params ? make_body(p, phone, template_id, params) : NULL;
	if (!body) {
		sms_fail(res, false, "request",
			 "cannot build the request body");
		return -1;
	}
	sms_sha256_hex(body, strlen(body), hash);
	tc3_date(now, date);
	if (tc3_signature(p->secret, "sms", CONTENT_TYPE, p->host, now, hash,
			  sig) < 0) {
		sms_fail(res, false, "request-too-large",
			 "the request does not fit");
		goto out;
	}
	if (sms_add_header(&h, "Content-Type: " CONTENT_TYPE) < 0 ||
	    sms_add_header(&h, "Host: %s", p->host) < 0 ||
	    sms_add_header(&h, "X-TC-Action: SendSms") < 0 ||
	    sms_add_header(&h, "X-TC-Version: 2021-01-11") < 0 ||
	    sms_add_header(&h, "X-TC-Timestamp: %lld", (long long)now) < 0 ||
	    sms_add_header(&h, "X-TC-Region: %s", p->region) < 0 ||
	    sms_add_header(&h,
			   "Authorization: TC3-HMAC-SHA256 Credential=%s/%s/"
			   "sms/tc3_request, SignedHeaders=content-type;host, "
			   "Signature=%s",
			   p->key_id, date, sig) < 0 ||
	    sms_add_header(&h, "Expect:") < 0) {
		sms_fail(res, true, "transport", "out of memory for headers");
		goto out;
	}
	if (sms_http_post(p, p->url, h, body, strlen(body), &status, &resp,
			  res) < 0)
		goto out;
	rc = read_reply(p, status, &resp, res);
out:
	curl_slist_free_all(h);
	buf_release(&resp);
	free(body);
	return rc;
}

int sms_tencent_send(const struct sms_provider *p, const struct sms_message *m,
		     struct sms_result *res)
{
	return send_template(p, m->phone, p->templates[m->purpose],
			     json_pack("[s, s]", m->code, "5"), res);
}

int sms_tencent_send_notice(const struct sms_provider *p, const char *phone,
			    const char *text, struct sms_result *res)
{
	return send_template(p, phone, p->notice_template,
			     json_pack("[s]", text), res);
}
