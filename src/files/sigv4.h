/* sigv4.h: AWS Signature Version 4 (header form), as a pure function */
#ifndef FILES_SIGV4_H
#define FILES_SIGV4_H

#include <stddef.h>

struct buf;

#define SIGV4_HEX 65	   /* 32 bytes as lowercase hex + NUL */
#define SIGV4_AUTH_MAX 512 /* the Authorization value + NUL */
#define SIGV4_MAX_HEADERS 16

/* SHA-256 of no bytes: the payload hash of a GET, HEAD or DELETE. */
#define SIGV4_EMPTY_SHA256                                                     \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct sigv4_header {
	const char *name;  /* any case; lowercased when signed */
	const char *value; /* trimmed, inner runs of spaces collapsed */
};

/*
 * One request to sign. Every string is borrowed and NUL-terminated.
 * Every header given is signed, so give exactly the ones sent. AWS wants
 * at least host and x-amz-date, and S3 also wants x-amz-content-sha256.
 * The signer never adds a header itself.
 */
struct sigv4_req {
	const char *method; /* "GET", "PUT", … */
	const char *uri;    /* canonical URI, already encoded: "/bucket/key" */
	const char *query;  /* canonical query (sorted, encoded), or "" */
	const struct sigv4_header *headers;
	size_t nheaders;
	const char *payload_hash; /* hex SHA-256 of the body, or
				     "UNSIGNED-PAYLOAD" */
	const char *amz_date;	  /* the x-amz-date value, YYYYMMDDTHHMMSSZ */
	const char *region;	  /* "us-east-1" */
	const char *service;	  /* "s3" */
	const char *access_key;
	const char *secret_key;
};

/*
 * Appends the canonical request of req to out:
 *   method \n uri \n query \n name:value \n … \n signed;names \n payload
 * with the headers sorted by lowercased name. Returns 0, or -1 when req
 * is malformed (a NULL field, no headers, more than SIGV4_MAX_HEADERS,
 * a name twice, a bad amz_date) or the buffer's ceiling is reached.
 */
int sigv4_canonical_request(const struct sigv4_req *req, struct buf *out);

/*
 * Derives the signing key HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date),
 * region), service), "aws4_request") for date YYYYMMDD into key_out.
 */
void sigv4_signing_key(const char *secret_key, const char *date,
		       const char *region, const char *service,
		       unsigned char key_out[32]);

/*
 * Signs req. Writes the value of the Authorization header into
 * authorization_out:
 *   AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request,
 *   SignedHeaders=a;b;c,Signature=hex
 * (without the line break). When they are not NULL, also writes
 * hex(SHA-256(canonical request)) into canon_hash_out and the signature
 * alone into signature_out. Returns 0, or -1 as
 * sigv4_canonical_request(), or when an access key, region or service
 * holds '/', ',' or a space, or when the result passes SIGV4_AUTH_MAX.
 */
int sigv4_sign(const struct sigv4_req *req,
	       char authorization_out[SIGV4_AUTH_MAX],
	       char canon_hash_out[SIGV4_HEX], char signature_out[SIGV4_HEX]);

/*
 * Appends s percent-encoded as S3 canonicalises a URI path: A-Z a-z 0-9
 * - _ . ~ and '/' stay as they are, every other byte becomes %XX
 * (uppercase hex). Returns 0, or -1 at the buffer's ceiling.
 */
int sigv4_uri_encode(struct buf *out, const char *s);

/* Writes hex(SHA-256(p[0..n))) into out. */
void sigv4_sha256_hex(const void *p, size_t n, char out[SIGV4_HEX]);

#endif
