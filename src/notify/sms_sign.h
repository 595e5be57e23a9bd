/* sms_sign.h: the request signatures of the SMS providers, as pure functions */
#ifndef NOTIFY_SMS_SIGN_H
#define NOTIFY_SMS_SIGN_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define SMS_SHA256_HEX 65 /* 32 bytes as lowercase hex + NUL */
#define ACS3_MAX_HEADERS 16

/* Writes hex(SHA-256(p[0..n))) into out. */
void sms_sha256_hex(const void *p, size_t n, char out[SMS_SHA256_HEX]);

/* Writes HMAC-SHA256 (any key length) of msg into out. */
void sms_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
		     unsigned char out[32]);

/*
 * Appends s[0..n) percent-encoded after RFC 3986, as both providers
 * canonicalise: only A-Z a-z 0-9 - _ . ~ stay bare, every other byte
 * becomes %XX with uppercase hex (space is %20, never '+'). Returns 0,
 * or -1 when the buffer's ceiling is reached.
 */
int sms_rfc3986(struct buf *out, const char *s, size_t n);

/*
 * Aliyun signature V3: hex(HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" +
 * hex(SHA-256(CanonicalRequest)))) where CanonicalRequest is
 *   method \n "/" \n canonical_query \n
 *   name:value \n ... (lowercased names, sorted, values trimmed) \n
 *   name;name... \n body_sha256_hex
 * canonical_query must already be sorted and RFC 3986-encoded. The
 * canonical URI is always "/": the RPC-style APIs are served at the root.
 * Returns 0, or -1 for more than ACS3_MAX_HEADERS headers or a request
 * too long to sign.
 */
int acs3_signature(const char *method, const char *canonical_query,
		   const char *const *header_names,
		   const char *const *header_values, size_t nheaders,
		   const char *body_sha256_hex, const char *secret,
		   char out_hex[SMS_SHA256_HEX]);

/* Writes the UTC date YYYY-MM-DD of a Unix time into out. */
void tc3_date(int64_t timestamp, char out[11]);

/*
 * Tencent Cloud TC3-HMAC-SHA256 of a POST to "/" signing the headers
 * content-type;host (values lowercased), as the official SDKs do:
 *   kDate = HMAC("TC3" + secret_key, date), kService = HMAC(kDate,
 *   service), kSigning = HMAC(kService, "tc3_request"),
 *   signature = hex(HMAC(kSigning, StringToSign)).
 * Returns 0, or -1 when the input is too long to sign.
 */
int tc3_signature(const char *secret_key, const char *service,
		  const char *content_type, const char *host, int64_t timestamp,
		  const char *body_sha256_hex, char out_hex[SMS_SHA256_HEX]);

#endif
