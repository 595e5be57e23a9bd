/* test_sigv4.c: the SigV4 signer against AWS's published examples */
#include <sodium.h>
#include "harness.h"
#include "files/sigv4.h"
#include "util/buf.h"
#include "util/str.h"

#define AK "AKIAIOSFODNN7EXAMPLE"
#define SK "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/*
 * Amazon S3 API Reference, "Authenticating Requests: Using the
 * Authorization Header", example "GET Object": the first ten bytes of
 * examplebucket/test.txt. The headers are given out of order and in mixed
 * case, with stray spaces, to exercise the canonical form.
 */
static const struct sigv4_header get_headers[] = {
	{ "X-Amz-Date", "20130524T000000Z" },
	{ "Range", "  bytes=0-9 " },
	{ "x-amz-content-sha256", SIGV4_EMPTY_SHA256 },
	{ "Host", "examplebucket.s3.amazonaws.com" },
};

static struct sigv4_req get_req(void)
{
	struct sigv4_req r = {
		.method = "GET",
		.uri = "/test.txt",
		.query = "",
		.headers = get_headers,
		.nheaders = 4,
		.payload_hash = SIGV4_EMPTY_SHA256,
		.amz_date = "20130524T000000Z",
		.region = "us-east-1",
		.service = "s3",
		.access_key = AK,
		.secret_key = SK,
	};
	return r;
}

static void test_get_object(void)
{
	struct sigv4_req r = get_req();
	struct buf b;
	char auth[SIGV4_AUTH_MAX], hash[SIGV4_HEX], sig[SIGV4_HEX];

	buf_init(&b, 4096);
	ok(sigv4_canonical_request(&r, &b) == 0, "canonical request built");
	is_str(b.p,
	       "GET\n/test.txt\n\n"
	       "host:examplebucket.s3.amazonaws.com\n"
	       "range:bytes=0-9\n"
	       "x-amz-content-sha256:" SIGV4_EMPTY_SHA256 "\n"
	       "x-amz-date:20130524T000000Z\n\n"
	       "host;range;x-amz-content-sha256;x-amz-date\n" SIGV4_EMPTY_SHA256,
	       "canonical request as published");
	buf_release(&b);

	ok(sigv4_sign(&r, auth, hash, sig) == 0, "get object signs");
	is_str(hash,
	       "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
	       "hash of the canonical request");
	is_str(sig,
	       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
	       "signature");
	is_str(auth,
	       "AWS4-HMAC-SHA256 Credential=" AK
	       "/20130524/us-east-1/s3/aws4_request,"
	       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
	       "Signature="
	       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
	       "authorization header");
	/* The optional outputs may be left out. */
	ok(sigv4_sign(&r, auth, NULL, NULL) == 0, "signs without extras");
}

/*
 * AWS General Reference, "Signature Version 4 signing process": the IAM
 * ListUsers example (GET with a query string and a content-type).
 */
static void test_iam_list_users(void)
{
	static const struct sigv4_header h[] = {
		{ "content-type",
		  "application/x-www-form-urlencoded; charset=utf-8" },
		{ "host", "iam.amazonaws.com" },
		{ "x-amz-date", "20150830T123600Z" },
	};
	struct sigv4_req r = {
		.method = "GET",
		.uri = "/",
		.query = "Action=ListUsers&Version=2010-05-08",
		.headers = h,
		.nheaders = 3,
		.payload_hash = SIGV4_EMPTY_SHA256,
		.amz_date = "20150830T123600Z",
		.region = "us-east-1",
		.service = "iam",
		.access_key = "AKIDEXAMPLE",
		.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	};
	char auth[SIGV4_AUTH_MAX], hash[SIGV4_HEX], sig[SIGV4_HEX];

	ok(sigv4_sign(&r, auth, hash, sig) == 0, "list users signs");
	is_str(hash,
	       "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
	       "iam canonical request hash");
	is_str(sig,
	       "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
	       "iam signature");
}

static void key_hex(const char *secret, const char *date, const char *region,
		    const char *service, char out[SIGV4_HEX])
{
	unsigned char k[32];

	sigv4_signing_key(secret, date, region, service, k);
	hex_encode(k, sizeof(k), out);
}

static void test_signing_key(void)
{
	char hex[SIGV4_HEX];

	/* AWS General Reference, "Examples of how to derive a signing key". */
	key_hex("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
		"us-east-1", "iam", hex);
	is_str(hex,
	       "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
	       "published signing key (2012-02-15, iam)");
	key_hex("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
		"us-east-1", "iam", hex);
	is_str(hex,
	       "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
	       "published signing key (2015-08-30, iam)");
	/* The S3 example's key; computed with Python's hmac module. */
	key_hex(SK, "20130524", "us-east-1", "s3", hex);
	is_str(hex,
	       "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378",
	       "signing key of the s3 example");
}

static void sig_of(const struct sigv4_req *r, char sig[SIGV4_HEX])
{
	char auth[SIGV4_AUTH_MAX];

	if (sigv4_sign(r, auth, NULL, sig) < 0)
		snprintf(sig, SIGV4_HEX, "(failed)");
}

static void test_corrupted(void)
{
	static const char good[] =
		"f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
	struct sigv4_header h[4];
	struct sigv4_req r;
	char sig[SIGV4_HEX];

	r = get_req();
	r.secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ";
	sig_of(&r, sig);
	ok(strcmp(sig, good) && strcmp(sig, "(failed)"),
	   "another secret, another signature: %s", sig);

	r = get_req();
	memcpy(h, get_headers, sizeof(h));
	h[1].value = "bytes=0-8";
	r.headers = h;
	sig_of(&r, sig);
	ok(strcmp(sig, good) != 0, "another range, another signature");

	r = get_req();
	r.payload_hash =
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856";
	sig_of(&r, sig);
	ok(strcmp(sig, good) != 0, "another payload hash, another signature");

	r = get_req();
	r.uri = "/test.txT";
	sig_of(&r, sig);
	ok(strcmp(sig, good) != 0, "another key, another signature");

	r = get_req();
	r.region = "us-east-2";
	sig_of(&r, sig);
	ok(strcmp(sig, good) != 0, "another region, another signature");
}

static int sign_fails(struct sigv4_req r)
{
	char auth[SIGV4_AUTH_MAX];

	return sigv4_sign(&r, auth, NULL, NULL) < 0 && auth[0] == '\0';
}

static void test_malformed(void)
{
	struct sigv4_header h[SIGV4_MAX_HEADERS + 1];
	struct sigv4_req r;
	char big[600];

	r = get_req();
	r.amz_date = "2013-05-24T00:00:00Z";
	ok(sign_fails(r), "iso date with dashes refused");
	r = get_req();
	r.amz_date = "20130524T000000";
	ok(sign_fails(r), "date without Z refused");
	r = get_req();
	r.uri = "test.txt";
	ok(sign_fails(r), "uri must start with a slash");
	r = get_req();
	r.method = NULL;
	ok(sign_fails(r), "no method refused");
	r = get_req();
	r.nheaders = 0;
	ok(sign_fails(r), "no header refused");

	memcpy(h, get_headers, sizeof(get_headers));
	r = get_req();
	r.headers = h;
	h[1].name = "HOST";
	ok(sign_fails(r), "a header named twice refused");
	memcpy(h, get_headers, sizeof(get_headers));
	h[1].value = "bytes=0-9\r\nx-evil: 1";
	ok(sign_fails(r), "a line break in a value refused");
	memcpy(h, get_headers, sizeof(get_headers));
	h[1].name = "ran ge";
	ok(sign_fails(r), "a space in a name refused");
	memcpy(h, get_headers, sizeof(get_headers));
	for (size_t i = 4; i < SIGV4_MAX_HEADERS + 1; i++) {
		h[i].name = "x-amz-meta-a";
		h[i].value = "1";
	}
	r.nheaders = SIGV4_MAX_HEADERS + 1;
	ok(sign_fails(r), "too many headers refused");

	r = get_req();
	r.access_key = "AKIA/EXAMPLE";
	ok(sign_fails(r), "a slash in the access key refused");
	r = get_req();
	r.region = "us east";
	ok(sign_fails(r), "a space in the region refused");
	r = get_req();
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r.access_key = big;
	ok(sign_fails(r), "an authorization past 512 bytes refused");
}

static void test_uri_encode(void)
{
	struct buf b;

	buf_init(&b, 256);
	ok(sigv4_uri_encode(&b, "/bucket/ab/c-d_e.f~g") == 0 &&
		   !strcmp(b.p, "/bucket/ab/c-d_e.f~g"),
	   "unreserved and slashes stay: %s", b.p);
	buf_reset(&b);
	ok(sigv4_uri_encode(&b, "/a b/数+=") == 0 &&
		   !strcmp(b.p, "/a%20b/%E6%95%B0%2B%3D"),
	   "others are escaped: %s", b.p);
	buf_release(&b);
	buf_init(&b, 4);
	ok(sigv4_uri_encode(&b, "/a b") < 0 && b.toobig, "ceiling reported");
	buf_release(&b);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_get_object();
	test_iam_list_users();
	test_signing_key();
	test_corrupted();
	test_malformed();
	test_uri_encode();
	/* run-unit.sh matches suite names with [a-z_]+: no digits. */
	return done_testing("test_sigv4");
}
