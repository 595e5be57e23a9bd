/* sigv4.c: AWS Signature Version 4 over libsodium's SHA-256 and HMAC */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "sigv4.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "../util/banned.h"

/* A canonical request is a few hundred bytes; a ceiling bounds bad input. */
#define CANON_CAP 16384

void sigv4_sha256_hex(const void *p, size_t n, char out[SIGV4_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(
		h, n ? (const unsigned char *)p : (const unsigned char *)"", n);
	hex_encode(h, sizeof(h), out);
}

static void hmac(const void *key, size_t keylen, const char *msg, size_t n,
		 unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	/* The _init form takes a key of any length, as HMAC allows. */
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, n);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

void sigv4_signing_key(const char *secret_key, const char *date,
		       const char *region, const char *service,
		       unsigned char key_out[32])
{
	struct buf k;
	unsigned char a[32], b[32];

	buf_init(&k, 4096);
	/* On the ceiling the key is wrong and the server will say so. */
	buf_adds(&k, "AWS4");
	buf_adds(&k, secret_key);
	hmac(k.p, k.len, date, strlen(date), a);
	hmac(a, sizeof(a), region, strlen(region), b);
	hmac(b, sizeof(b), service, strlen(service), a);
	hmac(a, sizeof(a), "aws4_request", 12, key_out);
	if (k.p)
		sodium_memzero(k.p, k.len);
	buf_release(&k);
	sodium_memzero(a, sizeof(a));
	sodium_memzero(b, sizeof(b));
}

int sigv4_uri_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[3];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/') {
			if (buf_add(out, s, 1) < 0)
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

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Compares two header names as AWS sorts them: by their lowercase bytes. */
static int name_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)lower(*a);
		unsigned char y = (unsigned char)lower(*b);
		if (x != y || !x)
			return (int)x - (int)y;
	}
}

static bool name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == ':' || *s == 0x7f)
			return false;
	return true;
}

static bool value_ok(const char *s)
{
	if (!s)
		return false;
	/* A line break would let a value smuggle in a header of its own. */
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

static bool amz_date_ok(const char *s)
{
	if (!s || strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return false;
	for (int i = 0; i < 15; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

/* A credential-scope part must not break the Authorization syntax. */
static bool scope_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '/' || *s == ',' ||
		    *s == '=' || *s == 0x7f)
			return false;
	return true;
}

/* Appends value trimmed, with runs of spaces inside made one space. */
static int add_value(struct buf *b, const char *v)
{
	bool space = false;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = true;
			continue;
		}
		if (space && buf_add(b, " ", 1) < 0)
			return -1;
		space = false;
		if (buf_add(b, v, 1) < 0)
			return -1;
	}
	return 0;
}

static int add_lower(struct buf *b, const char *s)
{
	for (; *s; s++) {
		char c = lower(*s);
		if (buf_add(b, &c, 1) < 0)
			return -1;
	}
	return 0;
}

/* Fills order with the header indices in canonical order. */
static int sort_headers(const struct sigv4_req *req, size_t *order)
{
	size_t n = req->nheaders;

	if (!req->headers || n == 0 || n > SIGV4_MAX_HEADERS)
		return -1;
	/* A handful of headers: insertion sort of indices. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		if (!name_ok(req->headers[i].name) ||
		    !value_ok(req->headers[i].value))
			return -1;
		while (j > 0 && name_cmp(req->headers[order[j - 1]].name,
					 req->headers[i].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	/* Repeated names must be joined by the caller, as AWS expects. */
	for (size_t i = 1; i < n; i++)
		if (!name_cmp(req->headers[order[i - 1]].name,
			      req->headers[order[i]].name))
			return -1;
	return 0;
}

static int add_signed_names(struct buf *b, const struct sigv4_req *req,
			    const size_t *order)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if ((i && buf_add(b, ";", 1) < 0) ||
		    add_lower(b, req->headers[order[i]].name) < 0)
			return -1;
	return 0;
}

int sigv4_canonical_request(const struct sigv4_req *req, struct buf *out)
{
	size_t order[SIGV4_MAX_HEADERS];

	if (!req->method || !*req->method || !req->uri || *req->uri != '/' ||
	    !req->query || !req->payload_hash || !*req->payload_hash ||
	    !amz_date_ok(req->amz_date) || sort_headers(req, order) < 0)
		return -1;
	if (buf_printf(out, "%s\n%s\n", req->method, req->uri) < 0 ||
	    buf_printf(out, "%s\n", req->query) < 0)
		return -1;
	for (size_t i = 0; i < req->nheaders; i++) {
		const struct sigv4_header *h = &req->headers[order[i]];
		if (add_lower(out, h->name) < 0 || buf_add(out, ":", 1) < 0 ||
		    add_value(out, h->value) < 0 || buf_add(out, "\n", 1) < 0)
			return -1;
	}
	if (buf_add(out, "\n", 1) < 0 ||
	    add_signed_names(out, req, order) < 0 ||
	    buf_printf(out, "\n%s", req->payload_hash) < 0)
		return -1;
	return 0;
}

int sigv4_sign(const struct sigv4_req *req,
	       char authorization_out[SIGV4_AUTH_MAX],
	       char canon_hash_out[SIGV4_HEX], char signature_out[SIGV4_HEX])
{
	size_t order[SIGV4_MAX_HEADERS];
	struct buf b;
	char hash[SIGV4_HEX], sig[SIGV4_HEX], date[9];
	unsigned char key[32], mac[32];
	int rc = -1;

	authorization_out[0] = '\0';
	if (!scope_ok(req->access_key) || !scope_ok(req->region) ||
	    !scope_ok(req->service) || !req->secret_key)
		return -1;
	buf_init(&b, CANON_CAP);
	if (sigv4_canonical_request(req, &b) < 0 ||
	    sort_headers(req, order) < 0)
		goto out;
	sigv4_sha256_hex(b.p, b.len, hash);
	memcpy(date, req->amz_date, 8);
	date[8] = '\0';
	buf_reset(&b);
	if (buf_printf(&b, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
		       req->amz_date, date, req->region, req->service,
		       hash) < 0)
		goto out;
	sigv4_signing_key(req->secret_key, date, req->region, req->service,
			  key);
	hmac(key, sizeof(key), b.p, b.len, mac);
	sodium_memzero(key, sizeof(key));
	hex_encode(mac, sizeof(mac), sig);
	buf_reset(&b);
	if (buf_printf(&b,
		       "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request,"
		       "SignedHeaders=",
		       req->access_key, date, req->region, req->service) < 0 ||
	    add_signed_names(&b, req, order) < 0 ||
	    buf_printf(&b, ",Signature=%s", sig) < 0 || b.len >= SIGV4_AUTH_MAX)
		goto out;
	memcpy(authorization_out, b.p, b.len + 1);
	if (canon_hash_out)
		memcpy(canon_hash_out, hash, SIGV4_HEX);
	if (signature_out)
		memcpy(signature_out, sig, SIGV4_HEX);
	rc = 0;
out:
	buf_release(&b);
	return rc;
}
