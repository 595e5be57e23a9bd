/* sms_sign.c: ACS3 and TC3 request signatures over libsodium's SHA-256 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sodium.h>
#include "sms_sign.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "../util/banned.h"

/* Both canonical requests are small; a ceiling keeps a bad input bounded. */
#define CANON_CAP 65536

void sms_sha256_hex(const void *p, size_t n, char out[SMS_SHA256_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(
		h, n ? (const unsigned char *)p : (const unsigned char *)"", n);
	hex_encode(h, sizeof(h), out);
}

void sms_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
		     unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	/* The _init form takes a key of any length, as HMAC allows. */
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, msg, n);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

int sms_rfc3986(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			if (buf_add(out, &s[i], 1) < 0)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		if (buf_add(out, esc, 3) < 0)
			return -1;
	}
	return 0;
}

static void trimmed(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*start = s;
	*len = n;
}

static int add_lower(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (buf_add(b, &c, 1) < 0)
			return -1;
	}
	return 0;
}

int acs3_signature(const char *method, const char *canonical_query,
		   const char *const *header_names,
		   const char *const *header_values, size_t nheaders,
		   const char *body_sha256_hex, const char *secret,
		   char out_hex[SMS_SHA256_HEX])
{
	size_t order[ACS3_MAX_HEADERS];
	struct buf canon;
	char hash[SMS_SHA256_HEX], sts[128];
	unsigned char mac[32];
	int rc = -1;

	if (nheaders > ACS3_MAX_HEADERS)
		return -1;
	/*
	 * The canonical headers go in name order; sorting indices leaves the
	 * caller's arrays alone. A handful of headers: insertion sort.
	 */
	for (size_t i = 0; i < nheaders; i++) {
		size_t j = i;
		while (j > 0 && strcasecmp(header_names[order[j - 1]],
					   header_names[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	buf_init(&canon, CANON_CAP);
	if (buf_printf(&canon, "%s\n/\n%s\n", method, canonical_query) < 0)
		goto out;
	for (size_t i = 0; i < nheaders; i++) {
		const char *v;
		size_t vlen;

		trimmed(header_values[order[i]], &v, &vlen);
		if (add_lower(&canon, header_names[order[i]],
			      strlen(header_names[order[i]])) < 0 ||
		    buf_add(&canon, ":", 1) < 0 ||
		    buf_add(&canon, v, vlen) < 0 ||
		    buf_add(&canon, "\n", 1) < 0)
			goto out;
	}
	if (buf_add(&canon, "\n", 1) < 0)
		goto out;
	for (size_t i = 0; i < nheaders; i++) {
		const char *name = header_names[order[i]];
		if ((i && buf_add(&canon, ";", 1) < 0) ||
		    add_lower(&canon, name, strlen(name)) < 0)
			goto out;
	}
	if (buf_printf(&canon, "\n%s", body_sha256_hex) < 0)
		goto out;
	sms_sha256_hex(canon.p, canon.len, hash);
	snprintf(sts, sizeof(sts), "ACS3-HMAC-SHA256\n%s", hash);
	sms_hmac_sha256(secret, strlen(secret), sts, strlen(sts), mac);
	hex_encode(mac, sizeof(mac), out_hex);
	rc = 0;
out:
	buf_release(&canon);
	return rc;
}

void tc3_date(int64_t timestamp, char out[11])
{
	time_t t = (time_t)timestamp;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		snprintf(out, 11, "1970-01-01");
}

int tc3_signature(const char *secret_key, const char *service,
		  const char *content_type, const char *host, int64_t timestamp,
		  const char *body_sha256_hex, char out_hex[SMS_SHA256_HEX])
{
	struct buf b;
	char date[11], hash[SMS_SHA256_HEX];
	unsigned char k[32], k2[32];
	int rc = -1;

	tc3_date(timestamp, date);
	buf_init(&b, CANON_CAP);
	/* Header values are lowercased: that is what Tencent canonicalises. */
	if (buf_adds(&b, "POST\n/\n\ncontent-type:") < 0 ||
	    add_lower(&b, content_type, strlen(content_type)) < 0 ||
	    buf_adds(&b, "\nhost:") < 0 ||
	    add_lower(&b, host, strlen(host)) < 0 ||
	    buf_printf(&b, "\n\ncontent-type;host\n%s", body_sha256_hex) < 0)
		goto out;
	sms_sha256_hex(b.p, b.len, hash);
	buf_reset(&b);
	if (buf_printf(&b, "TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s",
		       (long long)timestamp, date, service, hash) < 0)
		goto out;
	{
		struct buf key;
		buf_init(&key, 1024);
		if (buf_printf(&key, "TC3%s", secret_key) < 0) {
			buf_release(&key);
			goto out;
		}
		sms_hmac_sha256(key.p, key.len, date, strlen(date), k);
		sodium_memzero(key.p, key.len);
		buf_release(&key);
	}
	sms_hmac_sha256(k, sizeof(k), service, strlen(service), k2);
	sms_hmac_sha256(k2, sizeof(k2), "tc3_request", 11, k);
	sms_hmac_sha256(k, sizeof(k), b.p, b.len, k2);
	hex_encode(k2, sizeof(k2), out_hex);
	sodium_memzero(k, sizeof(k));
	sodium_memzero(k2, sizeof(k2));
	rc = 0;
out:
	buf_release(&b);
	return rc;
}
