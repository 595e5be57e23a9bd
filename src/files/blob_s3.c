/* blob_s3.c: blobs as objects in an S3 bucket, over libcurl with SigV4 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "blob_impl.h"
#include "sigv4.h"
#include "../config.h"
#include "../util/buf.h"
#include "../util/log.h"
#include "../util/banned.h"

/* S3 error replies are a short XML document; only its start is kept. */
#define ERR_BODY_CAP 4096
#define CONNECT_TIMEOUT 10L
/*
 * No total timeout: a 500 MB upload may rightly take many minutes. A
 * transfer that moves nothing for this long is given up instead.
 */
#define STALL_SECONDS 60L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init_once(void)
{
	/* Not thread-safe itself, so it runs once before any request. */
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int need(const char *value, const char *key, char *err, size_t errlen)
{
	if (value[0])
		return 0;
	snprintf(err, errlen, "storage=s3 needs the setting '%s' (empty now)",
		 key);
	return -1;
}

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* AWS's bucket naming rules; they also keep the name safe in a URL. */
static bool bucket_ok(const char *b)
{
	size_t n = strlen(b);

	if (n < 3 || n > 63 || !is_lower_alnum(b[0]) ||
	    !is_lower_alnum(b[n - 1]) || strstr(b, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_lower_alnum(b[i]) && b[i] != '.' && b[i] != '-')
			return false;
	return true;
}

static bool region_ok(const char *r)
{
	if (!*r)
		return false;
	for (; *r; r++)
		if (!is_lower_alnum(*r) && *r != '-')
			return false;
	return true;
}

/* The access key goes into the Credential of every Authorization. */
static bool access_key_ok(const char *k)
{
	for (; *k; k++)
		if ((unsigned char)*k <= ' ' || (unsigned char)*k >= 0x7f ||
		    *k == '/' || *k == ',' || *k == '=')
			return false;
	return true;
}

/*
 * Splits "http(s)://host[:port][/]" and fills the URL base, the Host
 * header and the canonical URI prefix for the addressing style.
 */
static int parse_endpoint(struct blob_store *s, const char *url,
			  const char *bucket, bool path_style, char *err,
			  size_t errlen)
{
	const char *auth, *end;
	char host[256];
	size_t n, slen;

	if (!strncmp(url, "https://", 8))
		slen = 8;
	else if (!strncmp(url, "http://", 7))
		slen = 7;
	else
		goto bad;
	auth = url + slen;
	end = strchr(auth, '/');
	n = end ? (size_t)(end - auth) : strlen(auth);
	if (n == 0 || n >= sizeof(host) || (end && strcmp(end, "/")))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		char c = auth[i];
		/* Host, port and IPv6 brackets; no user-info, no spaces. */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == ':' || c == '[' || c == ']'))
			goto bad;
		host[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	host[n] = '\0';
	if (path_style) {
		snprintf(s->s3_host, sizeof(s->s3_host), "%s", host);
		snprintf(s->s3_base, sizeof(s->s3_base), "%.*s%s/%s/",
			 (int)slen, url, host, bucket);
		snprintf(s->s3_uri_prefix, sizeof(s->s3_uri_prefix), "/%s/",
			 bucket);
	} else {
		if (snprintf(s->s3_host, sizeof(s->s3_host), "%s.%s", bucket,
			     host) >= (int)sizeof(s->s3_host))
			goto bad;
		snprintf(s->s3_base, sizeof(s->s3_base), "%.*s%s/", (int)slen,
			 url, s->s3_host);
		snprintf(s->s3_uri_prefix, sizeof(s->s3_uri_prefix), "/");
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "bad value '%s' for 's3_endpoint': expected "
		 "http(s)://host[:port] with no path",
		 url);
	return -1;
}

int blob_s3_init(struct blob_store *s, const struct config *cfg, char *err,
		 size_t errlen)
{
	char def[128];
	const char *url = cfg->s3_endpoint;

	if (need(cfg->s3_bucket, "s3_bucket", err, errlen) < 0 ||
	    need(cfg->s3_access_key, "s3_access_key", err, errlen) < 0 ||
	    need(cfg->s3_secret_key, "s3_secret_key", err, errlen) < 0 ||
	    need(cfg->s3_region, "s3_region", err, errlen) < 0)
		return -1;
	if (!bucket_ok(cfg->s3_bucket)) {
		snprintf(err, errlen,
			 "bad value '%s' for 's3_bucket': expected 3 to 63 "
			 "lowercase letters, digits, dots or hyphens",
			 cfg->s3_bucket);
		return -1;
	}
	if (!region_ok(cfg->s3_region) ||
	    strlen(cfg->s3_region) >= sizeof(s->s3_region)) {
		snprintf(err, errlen,
			 "bad value '%s' for 's3_region': expected lowercase "
			 "letters, digits and hyphens, e.g. us-east-1",
			 cfg->s3_region);
		return -1;
	}
	if (!access_key_ok(cfg->s3_access_key) ||
	    strlen(cfg->s3_access_key) >= sizeof(s->s3_access_key)) {
		snprintf(err, errlen,
			 "bad value for 's3_access_key': spaces, '/', ',' and "
			 "'=' are not allowed");
		return -1;
	}
	if (strlen(cfg->s3_secret_key) >= sizeof(s->s3_secret_key)) {
		snprintf(err, errlen, "'s3_secret_key' is too long");
		return -1;
	}
	if (!url[0]) {
		snprintf(def, sizeof(def), "https://s3.%s.amazonaws.com",
			 cfg->s3_region);
		url = def;
	}
	if (parse_endpoint(s, url, cfg->s3_bucket, cfg->s3_path_style, err,
			   errlen) < 0)
		return -1;
	snprintf(s->s3_region, sizeof(s->s3_region), "%s", cfg->s3_region);
	snprintf(s->s3_access_key, sizeof(s->s3_access_key), "%s",
		 cfg->s3_access_key);
	snprintf(s->s3_secret_key, sizeof(s->s3_secret_key), "%s",
		 cfg->s3_secret_key);
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK) {
		snprintf(err, errlen, "libcurl failed to initialise: %s",
			 curl_easy_strerror(curl_init_rc));
		return -1;
	}
	return 0;
}

/* One request's state, on the caller's stack: nothing is shared. */
struct xfer {
	CURL *c;
	int in_fd;  /* the PUT body, read from offset 0; or -1 */
	int out_fd; /* a 200 reply's body goes here; or -1 */
	uint64_t out_len;
	int in_errno, out_errno;
	struct buf errbody; /* the start of any other reply */
	long status;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	long status = 0;

	curl_easy_getinfo(x->c, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200 && x->out_fd >= 0) {
		if (blob_write_all(x->out_fd, p, n) < 0) {
			x->out_errno = errno;
			return 0;
		}
		x->out_len += n;
		return n;
	}
	if (x->errbody.len + 1 < ERR_BODY_CAP) {
		size_t room = ERR_BODY_CAP - 1 - x->errbody.len;
		buf_add(&x->errbody, p, n < room ? n : room);
	}
	return n;
}

static size_t on_read(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;

	for (;;) {
		ssize_t k = read(x->in_fd, p, size * nmemb);
		if (k >= 0)
			return (size_t)k;
		if (errno != EINTR) {
			x->in_errno = errno;
			return CURL_READFUNC_ABORT;
		}
	}
}

/* curl rewinds the body when it must send it again (a 100-continue 417). */
static int on_seek(void *ud, curl_off_t offset, int origin)
{
	struct xfer *x = ud;

	if (lseek(x->in_fd, (off_t)offset, origin) < 0)
		return CURL_SEEKFUNC_CANTSEEK;
	return CURL_SEEKFUNC_OK;
}

static int add_header(struct curl_slist **list, const char *name,
		      const char *value)
{
	char line[SIGV4_AUTH_MAX + 64];
	struct curl_slist *n;

	if (snprintf(line, sizeof(line), "%s: %s", name, value) >=
	    (int)sizeof(line))
		return -1;
	n = curl_slist_append(*list, line);
	if (!n)
		return -1;
	*list = n;
	return 0;
}

/* Copies the text of <tag>…</tag> in xml, printable ASCII only. */
static void xml_text(const char *xml, const char *tag, char *out, size_t n)
{
	char otag[32], ctag[32];
	const char *a, *b;
	size_t k = 0;

	out[0] = '\0';
	if (!xml)
		return;
	snprintf(otag, sizeof(otag), "<%s>", tag);
	snprintf(ctag, sizeof(ctag), "</%s>", tag);
	a = strstr(xml, otag);
	if (!a)
		return;
	a += strlen(otag);
	b = strstr(a, ctag);
	if (!b)
		return;
	for (; a < b && k + 1 < n; a++)
		out[k++] = (*a >= ' ' && *a < 0x7f) ? *a : '?';
	out[k] = '\0';
}

/* Sets err to "s3 GET 'key': HTTP 403 AccessDenied: …" from the reply. */
static void http_error(const struct xfer *x, const char *method,
		       const char *key, char *err, size_t errlen)
{
	char code[64], msg[160];

	xml_text(x->errbody.p, "Code", code, sizeof(code));
	xml_text(x->errbody.p, "Message", msg, sizeof(msg));
	snprintf(err, errlen, "s3 %s '%s': HTTP %ld%s%s%s%s", method, key,
		 x->status, code[0] ? " " : "", code, msg[0] ? ": " : "", msg);
}

static void amz_date(char out[17])
{
	/* The real clock: S3 refuses a request more than 15 min off. */
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm))
		snprintf(out, 17, "19700101T000000Z");
}

/*
 * Sends one signed request for key. Returns 0 when a reply came (its
 * status in x->status), or -1 with err filled when none did.
 */
static int s3_call(const struct blob_store *s, const char *method,
		   const char *key, struct xfer *x, uint64_t in_size,
		   const char *payload_hash, char *err, size_t errlen)
{
	struct buf url, uri;
	struct curl_slist *hl = NULL;
	char date[17], auth[SIGV4_AUTH_MAX], errbuf[CURL_ERROR_SIZE];
	struct sigv4_header h[3];
	struct sigv4_req r;
	CURLcode cc;
	int rc = -1;

	buf_init(&url, 2048);
	buf_init(&uri, 1024);
	x->c = NULL;
	x->status = 0;
	if (buf_adds(&url, s->s3_base) < 0 || sigv4_uri_encode(&url, key) < 0 ||
	    buf_adds(&uri, s->s3_uri_prefix) < 0 ||
	    sigv4_uri_encode(&uri, key) < 0) {
		snprintf(err, errlen, "s3 %s '%s': URL too long", method, key);
		goto out;
	}
	amz_date(date);
	h[0] = (struct sigv4_header){ "host", s->s3_host };
	h[1] = (struct sigv4_header){ "x-amz-content-sha256", payload_hash };
	h[2] = (struct sigv4_header){ "x-amz-date", date };
	r = (struct sigv4_req){ .method = method,
				.uri = uri.p,
				.query = "",
				.headers = h,
				.nheaders = 3,
				.payload_hash = payload_hash,
				.amz_date = date,
				.region = s->s3_region,
				.service = "s3",
				.access_key = s->s3_access_key,
				.secret_key = s->s3_secret_key };
	if (sigv4_sign(&r, auth, NULL, NULL) < 0) {
		snprintf(err, errlen, "s3 %s '%s': cannot sign the request",
			 method, key);
		goto out;
	}
	/* Host is set here so that what is sent is what was signed. */
	if (add_header(&hl, "Host", s->s3_host) < 0 ||
	    add_header(&hl, "x-amz-content-sha256", payload_hash) < 0 ||
	    add_header(&hl, "x-amz-date", date) < 0 ||
	    add_header(&hl, "Authorization", auth) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* One handle per call: nothing is shared between worker threads. */
	x->c = curl_easy_init();
	if (!x->c) {
		snprintf(err, errlen, "libcurl: cannot make a handle");
		goto out;
	}
	errbuf[0] = '\0';
	curl_easy_setopt(x->c, CURLOPT_URL, url.p);
	curl_easy_setopt(x->c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(x->c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(x->c, CURLOPT_LOW_SPEED_TIME, STALL_SECONDS);
	curl_easy_setopt(x->c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(x->c, CURLOPT_USERAGENT, "saiwu");
	curl_easy_setopt(x->c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(x->c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->c, CURLOPT_WRITEDATA, x);
	if (x->in_fd >= 0) {
		curl_easy_setopt(x->c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(x->c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(x->c, CURLOPT_READDATA, x);
		curl_easy_setopt(x->c, CURLOPT_SEEKFUNCTION, on_seek);
		curl_easy_setopt(x->c, CURLOPT_SEEKDATA, x);
		curl_easy_setopt(x->c, CURLOPT_INFILESIZE_LARGE,
				 (curl_off_t)in_size);
	} else if (strcmp(method, "GET")) {
		curl_easy_setopt(x->c, CURLOPT_CUSTOMREQUEST, method);
	}
	cc = curl_easy_perform(x->c);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(x->c, CURLINFO_RESPONSE_CODE, &x->status);
		rc = 0;
	} else if (x->out_errno) {
		snprintf(err, errlen, "s3 %s '%s': cannot write to '%s': %s",
			 method, key, s->tmp_dir, strerror(x->out_errno));
	} else if (x->in_errno) {
		snprintf(err, errlen, "s3 %s '%s': cannot read the file: %s",
			 method, key, strerror(x->in_errno));
	} else {
		snprintf(err, errlen, "s3 %s '%s' at %s: %s", method, key,
			 s->s3_base,
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
	}
out:
	if (x->c)
		curl_easy_cleanup(x->c);
	x->c = NULL;
	curl_slist_free_all(hl);
	buf_release(&url);
	buf_release(&uri);
	return rc;
}

static void xfer_init(struct xfer *x, int in_fd, int out_fd)
{
	memset(x, 0, sizeof(*x));
	x->in_fd = in_fd;
	x->out_fd = out_fd;
	buf_init(&x->errbody, ERR_BODY_CAP);
}

int blob_s3_put(struct blob_store *s, const char *key, int fd, uint64_t size,
		const char *sha256_hex, char *err, size_t errlen)
{
	struct xfer x;
	int rc = -1;

	if (lseek(fd, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "s3 PUT '%s': cannot rewind: %s", key,
			 strerror(errno));
		return -1;
	}
	xfer_init(&x, fd, -1);
	if (s3_call(s, "PUT", key, &x, size, sha256_hex, err, errlen) < 0)
		goto out;
	if (x.status != 200) {
		http_error(&x, "PUT", key, err, errlen);
		goto out;
	}
	rc = 0;
out:
	buf_release(&x.errbody);
	return rc;
}

int blob_s3_open(struct blob_store *s, const char *key, uint64_t *size,
		 char *err, size_t errlen)
{
	struct xfer x;
	int fd, e = EIO;

	fd = blob_tmp_anon(s, err, errlen);
	if (fd < 0)
		return -1;
	xfer_init(&x, -1, fd);
	if (s3_call(s, "GET", key, &x, 0, SIGV4_EMPTY_SHA256, err, errlen) < 0)
		goto fail;
	if (x.status == 404) {
		snprintf(err, errlen, "no blob '%s' at %s", key, s->s3_base);
		e = ENOENT;
		goto fail;
	}
	if (x.status != 200) {
		http_error(&x, "GET", key, err, errlen);
		goto fail;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		e = errno;
		snprintf(err, errlen, "s3 GET '%s': cannot rewind: %s", key,
			 strerror(e));
		goto fail;
	}
	buf_release(&x.errbody);
	*size = x.out_len;
	return fd;
fail:
	buf_release(&x.errbody);
	close(fd);
	errno = e;
	return -1;
}

int blob_s3_delete(struct blob_store *s, const char *key)
{
	struct xfer x;
	char err[512];
	int rc = -1;

	xfer_init(&x, -1, -1);
	if (s3_call(s, "DELETE", key, &x, 0, SIGV4_EMPTY_SHA256, err,
		    sizeof(err)) < 0) {
		log_warn("cannot remove blob: %s", err);
		goto out;
	}
	/* S3 answers 204 whether or not the key was there. */
	if (x.status != 204 && x.status != 200 && x.status != 404) {
		http_error(&x, "DELETE", key, err, sizeof(err));
		log_warn("cannot remove blob: %s", err);
		goto out;
	}
	rc = 0;
out:
	buf_release(&x.errbody);
	return rc;
}
