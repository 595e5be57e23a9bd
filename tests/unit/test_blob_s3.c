/* test_blob_s3.c: the s3 blob driver; the round trip needs a fake S3 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "harness.h"
#include "config.h"
#include "files/blob.h"

/*
 * Without SAIWU_TEST_S3_ENDPOINT only the checks that need no server run.
 * tests/s3/run-s3-test.sh starts s3rver and sets:
 *   SAIWU_TEST_S3_ENDPOINT    http://127.0.0.1:PORT
 *   SAIWU_TEST_S3_BUCKET      an existing bucket (default saiwu-test)
 *   SAIWU_TEST_S3_ACCESS_KEY  (default S3RVER)
 *   SAIWU_TEST_S3_SECRET_KEY  (default S3RVER)
 */

#define ABC_SHA256                                                             \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static char top[64], data_dir[128], tmp_dir[160];

/* Loads the settings from flags: "--key=value" strings, NULL-ended. */
static int load(struct config *c, const char *const *flags, char *err,
		size_t errlen)
{
	static char copies[16][320];
	char *argv[16];
	int argc = 0;

	/* config_load() reorders argv, so it gets copies it may change. */
	snprintf(copies[0], sizeof(copies[0]), "test");
	snprintf(copies[1], sizeof(copies[1]), "--data-dir=%s", data_dir);
	argv[argc] = copies[argc];
	argc++;
	argv[argc] = copies[argc];
	argc++;
	for (; *flags && argc < 15; flags++, argc++) {
		snprintf(copies[argc], sizeof(copies[argc]), "%s", *flags);
		argv[argc] = copies[argc];
	}
	argv[argc] = NULL;
	return config_load(c, NULL, &argc, argv, err, errlen);
}

/* Makes a store from flags; NULL with err when it cannot be made. */
static struct blob_store *store(const char *const *flags, char *err,
				size_t errlen)
{
	struct config c;

	if (load(&c, flags, err, errlen) < 0)
		return NULL;
	return blob_store_new(&c, err, errlen);
}

static int refused(const char *const *flags, const char *needle, char *err,
		   size_t errlen)
{
	struct blob_store *s = store(flags, err, errlen);

	if (s) {
		blob_store_free(s);
		snprintf(err, errlen, "(accepted)");
		return 0;
	}
	return strstr(err, needle) != NULL;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int count_fds(void)
{
	return count_entries("/proc/self/fd");
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res < 0 ? -1 : res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void fill(unsigned char *p, size_t n, uint64_t *state)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t x = *state;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*state = x;
		p[i] = (unsigned char)(x >> 24);
	}
}

static void test_settings(void)
{
	char err[512];
	struct stat st;

	{
		const char *f[] = { "--storage=s3", NULL };
		ok(refused(f, "'s3_bucket'", err, sizeof(err)), "no bucket: %s",
		   err);
	}
	{
		const char *f[] = { "--storage=s3", "--s3-bucket=b1b", NULL };
		ok(refused(f, "'s3_access_key'", err, sizeof(err)),
		   "no access key: %s", err);
	}
	{
		const char *f[] = { "--storage=s3", "--s3-bucket=b1b",
				    "--s3-access-key=AK", NULL };
		ok(refused(f, "'s3_secret_key'", err, sizeof(err)),
		   "no secret key: %s", err);
	}
	{
		const char *f[] = { "--storage=s3", "--s3-bucket=My_Bucket",
				    "--s3-access-key=AK", "--s3-secret-key=SK",
				    NULL };
		ok(refused(f, "'s3_bucket'", err, sizeof(err)),
		   "bad bucket name: %s", err);
	}
	{
		const char *f[] = { "--storage=s3", "--s3-bucket=b1b",
				    "--s3-access-key=A/K", "--s3-secret-key=SK",
				    NULL };
		ok(refused(f, "'s3_access_key'", err, sizeof(err)),
		   "slash in access key: %s", err);
	}
	{
		const char *f[] = { "--storage=s3",	   "--s3-bucket=b1b",
				    "--s3-access-key=AK",  "--s3-secret-key=SK",
				    "--s3-region=US East", NULL };
		ok(refused(f, "'s3_region'", err, sizeof(err)),
		   "bad region: %s", err);
	}
	{
		const char *f[] = { "--storage=s3",
				    "--s3-bucket=b1b",
				    "--s3-access-key=AK",
				    "--s3-secret-key=SK",
				    "--s3-endpoint=ftp://127.0.0.1:9",
				    NULL };
		ok(refused(f, "'s3_endpoint'", err, sizeof(err)),
		   "ftp endpoint: %s", err);
	}
	{
		const char *f[] = { "--storage=s3",
				    "--s3-bucket=b1b",
				    "--s3-access-key=AK",
				    "--s3-secret-key=SK",
				    "--s3-endpoint=http://127.0.0.1:9/path",
				    NULL };
		ok(refused(f, "'s3_endpoint'", err, sizeof(err)),
		   "endpoint with a path: %s", err);
	}
	{
		const char *f[] = { "--storage=s3",
				    "--s3-bucket=b1b",
				    "--s3-access-key=AK",
				    "--s3-secret-key=SK",
				    "--s3-endpoint=http://u@h:9",
				    NULL };
		ok(refused(f, "'s3_endpoint'", err, sizeof(err)),
		   "endpoint with user-info: %s", err);
	}
	{
		const char *f[] = {
			"--storage=s3",		 "--s3-bucket=b1b",
			"--s3-access-key=AK",	 "--s3-secret-key=SK",
			"--s3-path-style=false", NULL
		};
		struct blob_store *s = store(f, err, sizeof(err));
		ok(s != NULL, "defaults to the AWS endpoint: %s", err);
		if (s)
			is_str(blob_store_driver(s), "s3", "driver name");
		blob_store_free(s);
	}
	ok(stat(tmp_dir, &st) == 0 && S_ISDIR(st.st_mode),
	   "DATA_DIR/tmp made for s3 too");
}

/*
 * A port bound but not listening refuses every connection, so each
 * request fails at once. The failures must come back as errors and leave
 * no temp file and no descriptor behind.
 */
static void test_unreachable(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	char ep[64], err[512], key[BLOB_KEY_MAX] = "x";
	const char *f[] = { "--storage=s3",
			    "--s3-bucket=b1b",
			    "--s3-access-key=AK",
			    "--s3-secret-key=SK",
			    ep,
			    NULL };
	struct blob_store *s;
	struct blob_writer *w;
	uint64_t size = 5;
	int fds, sock;

	sock = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (sock < 0 || bind(sock, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(sock, (struct sockaddr *)&a, &alen) < 0) {
		ok(0, "cannot reserve a port: %s", strerror(errno));
		return;
	}
	snprintf(ep, sizeof(ep), "--s3-endpoint=http://127.0.0.1:%d",
		 ntohs(a.sin_port));
	s = store(f, err, sizeof(err));
	ok(s != NULL, "store for a closed port: %s", err);
	if (!s) {
		close(sock);
		return;
	}
	fds = count_fds();
	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write(w, "abc", 3) == 0, "writer");
	if (w) {
		err[0] = '\0';
		ok(blob_write_commit(w, key, err, sizeof(err)) < 0 &&
			   key[0] == '\0' && strstr(err, ep + 14),
		   "commit fails, naming the endpoint: %s", err);
	}
	is_int(count_entries(tmp_dir), 0, "failed commit leaves no temp file");
	errno = 0;
	ok(blob_open(s, "ab/cdefghijklmnopqrstuvwxyzABCDEFGHIJKLM-_09", &size,
		     err, sizeof(err)) < 0 &&
		   errno != ENOENT,
	   "open fails, not as missing: %s", err);
	is_int(count_fds(), fds, "no descriptor left behind");
	is_int(count_entries(tmp_dir), 0, "failed open leaves no temp file");
	ok(blob_delete(s, "ab/cdefghijklmnopqrstuvwxyzABCDEFGHIJKLM-_09") < 0,
	   "delete fails");
	blob_store_free(s);
	close(sock);
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

static struct blob_store *server_store(const char *bucket, const char *ak,
				       char *err, size_t errlen)
{
	char f1[300], f2[100], f3[200], f4[300];
	const char *f[] = { "--storage=s3", f1, f2, f3, f4, NULL };

	snprintf(f1, sizeof(f1), "--s3-endpoint=%s",
		 getenv("SAIWU_TEST_S3_ENDPOINT"));
	snprintf(f2, sizeof(f2), "--s3-bucket=%s", bucket);
	snprintf(f3, sizeof(f3), "--s3-access-key=%s", ak);
	snprintf(f4, sizeof(f4), "--s3-secret-key=%s",
		 env_or("SAIWU_TEST_S3_SECRET_KEY", "S3RVER"));
	return store(f, err, errlen);
}

static ssize_t read_all(int fd, char *out, size_t cap)
{
	size_t got = 0;

	for (;;) {
		ssize_t k = read(fd, out + got, cap - got);
		if (k <= 0)
			return k < 0 ? -1 : (ssize_t)got;
		got += (size_t)k;
		if (got == cap)
			return (ssize_t)got;
	}
}

static void test_round_trip(struct blob_store *s)
{
	struct blob_writer *w;
	char err[512], key[BLOB_KEY_MAX], sha[BLOB_SHA256_HEX], buf[16];
	uint64_t size = 0;
	int fd, fds = count_fds();

	w = blob_write_begin(s, err, sizeof(err));
	ok(w != NULL, "writer: %s", err);
	if (!w)
		return;
	ok(blob_write(w, "ab", 2) == 0 && blob_write(w, "c", 1) == 0, "writes");
	blob_writer_sha256(w, sha);
	is_str(sha, ABC_SHA256, "sha-256 of abc");
	ok(blob_write_commit(w, key, err, sizeof(err)) == 0, "PUT: %s", err);
	ok(blob_key_valid(key), "key %s", key);
	is_int(count_entries(tmp_dir), 0, "temp file gone after the PUT");

	fd = blob_open(s, key, &size, err, sizeof(err));
	ok(fd >= 0 && size == 3, "GET: %s", err);
	if (fd >= 0) {
		ok(read_all(fd, buf, sizeof(buf)) == 3 &&
			   !memcmp(buf, "abc", 3),
		   "reads back abc");
		close(fd);
	}
	is_int(count_entries(tmp_dir), 0, "the GET's temp file has no name");
	is_int(blob_delete(s, key), 0, "DELETE");
	errno = 0;
	ok(blob_open(s, key, &size, err, sizeof(err)) < 0 && errno == ENOENT,
	   "missing after DELETE: %s", err);
	is_int(blob_delete(s, key), 0, "DELETE of a missing key is fine");
	is_int(count_fds(), fds, "no descriptor left behind");

	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write_commit(w, key, err, sizeof(err)) == 0,
	   "empty PUT: %s", err);
	fd = blob_open(s, key, &size, err, sizeof(err));
	ok(fd >= 0 && size == 0, "empty GET: %s", err);
	if (fd >= 0)
		close(fd);
	blob_delete(s, key);

	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write(w, "x", 1) == 0, "writer for abort");
	blob_write_abort(w);
	is_int(count_entries(tmp_dir), 0, "abort leaves no temp file");
}

static void test_big(struct blob_store *s)
{
	enum { CHUNK = 65536, TOTAL = 16 * 1024 * 1024 };
	static unsigned char chunk[CHUNK];
	crypto_hash_sha256_state h;
	unsigned char dig[32];
	char want[65], got[65], err[512], key[BLOB_KEY_MAX];
	struct blob_writer *w;
	long before, peak;
	uint64_t st = 11, size = 0, total = 0;
	ssize_t k;
	int fd;

	w = blob_write_begin(s, err, sizeof(err));
	ok(w != NULL, "writer for 16 MB");
	if (!w)
		return;
	crypto_hash_sha256_init(&h);
	for (int i = 0; i < TOTAL / CHUNK; i++) {
		fill(chunk, CHUNK, &st);
		crypto_hash_sha256_update(&h, chunk, CHUNK);
		if (blob_write(w, chunk, CHUNK) < 0)
			break;
	}
	crypto_hash_sha256_final(&h, dig);
	sodium_bin2hex(want, sizeof(want), dig, sizeof(dig));
	before = rss_kib();
	ok(blob_write_commit(w, key, err, sizeof(err)) == 0, "16 MB PUT: %s",
	   err);
	fd = blob_open(s, key, &size, err, sizeof(err));
	peak = rss_kib();
	ok(fd >= 0 && size == TOTAL, "16 MB GET: %s", err);
	if (fd < 0)
		return;
	crypto_hash_sha256_init(&h);
	while ((k = read(fd, chunk, CHUNK)) > 0) {
		crypto_hash_sha256_update(&h, chunk, (size_t)k);
		total += (uint64_t)k;
	}
	close(fd);
	crypto_hash_sha256_final(&h, dig);
	sodium_bin2hex(got, sizeof(got), dig, sizeof(dig));
	ok(total == TOTAL && !strcmp(got, want), "16 MB came back intact");
	/* Streamed both ways: 16 MB must not show in the process. */
	ok(peak - before < 8192, "RSS flat over PUT and GET: %ld → %ld KiB",
	   before, peak);
	printf("# 16 MB through s3: RSS %ld KiB before, %ld KiB after\n",
	       before, peak);
	is_int(blob_delete(s, key), 0, "16 MB deleted");
}

static void test_server_errors(void)
{
	struct blob_store *s;
	struct blob_writer *w;
	char err[512], key[BLOB_KEY_MAX];

	s = server_store("saiwu-no-such-bucket", "S3RVER", err, sizeof(err));
	ok(s != NULL, "store for a missing bucket: %s", err);
	if (s) {
		w = blob_write_begin(s, err, sizeof(err));
		ok(w && blob_write(w, "abc", 3) == 0, "writer");
		ok(w && blob_write_commit(w, key, err, sizeof(err)) < 0 &&
			   strstr(err, "NoSuchBucket"),
		   "PUT to a missing bucket says so: %s", err);
		blob_store_free(s);
	}
	s = server_store(env_or("SAIWU_TEST_S3_BUCKET", "saiwu-test"),
			 "NOSUCHKEY", err, sizeof(err));
	ok(s != NULL, "store with an unknown key: %s", err);
	if (s) {
		w = blob_write_begin(s, err, sizeof(err));
		ok(w && blob_write(w, "abc", 3) == 0, "writer");
		ok(w && blob_write_commit(w, key, err, sizeof(err)) < 0 &&
			   strstr(err, "InvalidAccessKeyId"),
		   "unknown access key says so: %s", err);
		blob_store_free(s);
	}
	is_int(count_entries(tmp_dir), 0, "refused PUTs leave no temp file");
}

static void rm_rf(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

int main(void)
{
	const char *endpoint = getenv("SAIWU_TEST_S3_ENDPOINT");

	unsetenv("SAIWU_CONFIG");
	snprintf(top, sizeof(top), "/tmp/saiwu-blob-s3-XXXXXX");
	if (!mkdtemp(top))
		return 1;
	snprintf(data_dir, sizeof(data_dir), "%s/var", top);
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", data_dir);

	test_settings();
	test_unreachable();
	if (!endpoint || !*endpoint) {
		printf("# s3: SAIWU_TEST_S3_ENDPOINT not set; the round trip "
		       "through S3 was skipped (tests/s3/run-s3-test.sh runs "
		       "it)\n");
	} else {
		char err[512];
		struct blob_store *s = server_store(
			env_or("SAIWU_TEST_S3_BUCKET", "saiwu-test"),
			env_or("SAIWU_TEST_S3_ACCESS_KEY", "S3RVER"), err,
			sizeof(err));

		printf("# s3: %s\n", endpoint);
		ok(s != NULL, "store for %s: %s", endpoint, err);
		if (s) {
			test_round_trip(s);
			test_big(s);
			blob_store_free(s);
		}
		test_server_errors();
	}
	rm_rf(top);
	/* run-unit.sh matches suite names with [a-z_]+: no digits. */
	return done_testing("test_blob_s3");
}
