/* test_blob.c: the local blob driver: round trip, temp files, memory */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>
#include "harness.h"
#include "config.h"
#include "files/blob.h"

#define ABC_SHA256                                                             \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_SHA256                                                           \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char top[64], data_dir[128], tmp_dir[160], files_dir[160];

static int load(struct config *c, const char *storage, char *err, size_t errlen)
{
	char a1[200], a2[64];
	char *argv[] = { "test", a1, a2, NULL };
	int argc = 3;

	snprintf(a1, sizeof(a1), "--data-dir=%s", data_dir);
	snprintf(a2, sizeof(a2), "--storage=%s", storage);
	return config_load(c, NULL, &argc, argv, err, errlen);
}

/* Entries in dir other than . and .. */
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

static int mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	return (int)(st.st_mode & 0777);
}

/* Reads fd to the end into out (at most cap bytes). Returns the count. */
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

/* A fixed, cheap byte stream (xorshift), so no test data is stored. */
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
	struct config c;
	char err[512];

	ok(load(&c, "local", err, sizeof(err)) == 0, "settings load: %s", err);
	is_str(c.storage, "local", "storage");
	is_str(c.s3_region, "us-east-1", "default s3_region");
	ok(c.s3_path_style, "s3_path_style defaults to true");
	is_str(c.s3_endpoint, "", "no default endpoint");
	ok(load(&c, "ftp", err, sizeof(err)) < 0 && strstr(err, "'storage'"),
	   "unknown driver refused: %s", err);
}

static void test_round_trip(struct blob_store *s)
{
	struct blob_writer *w;
	char err[512], key[BLOB_KEY_MAX], key2[BLOB_KEY_MAX], path[300];
	char sha[BLOB_SHA256_HEX], buf[16];
	const unsigned char *head;
	size_t hlen;
	uint64_t size = 99;
	int fd;

	w = blob_write_begin(s, err, sizeof(err));
	ok(w != NULL, "writer begins: %s", err);
	if (!w)
		return;
	ok(!strncmp(blob_writer_path(w), tmp_dir, strlen(tmp_dir)) &&
		   strstr(blob_writer_path(w), "/blob-"),
	   "temp file in DATA_DIR/tmp: %s", blob_writer_path(w));
	is_int(mode_of(blob_writer_path(w)), 0600, "temp file is 0600");
	ok(blob_write(w, "a", 1) == 0 && blob_write(w, "bc", 2) == 0 &&
		   blob_write(w, "", 0) == 0,
	   "writes");
	is_int(blob_writer_size(w), 3, "size");
	head = blob_writer_head(w, &hlen);
	ok(hlen == 3 && !memcmp(head, "abc", 3), "head holds the bytes");
	blob_writer_sha256(w, sha);
	is_str(sha, ABC_SHA256, "sha-256 of abc");
	ok(blob_write(w, "d", 1) < 0 && errno == EINVAL,
	   "no write after the hash is final");
	blob_writer_sha256(w, sha);
	is_str(sha, ABC_SHA256, "hash asked again");
	ok(blob_write_commit(w, key, err, sizeof(err)) == 0, "commit: %s", err);
	ok(blob_key_valid(key) && strlen(key) == 44 && key[2] == '/',
	   "key has the form ab/cdef…: %s", key);
	is_int(count_entries(tmp_dir), 0, "temp file gone after commit");
	snprintf(path, sizeof(path), "%s/%s", files_dir, key);
	is_int(mode_of(path), 0600, "stored file at DATA_DIR/files/KEY");

	fd = blob_open(s, key, &size, err, sizeof(err));
	ok(fd >= 0, "opens: %s", err);
	is_int(size, 3, "opened size");
	if (fd >= 0) {
		ok(read_all(fd, buf, sizeof(buf)) == 3 &&
			   !memcmp(buf, "abc", 3),
		   "reads back abc from offset 0");
		close(fd);
	}
	is_int(blob_delete(s, key), 0, "delete");
	errno = 0;
	ok(blob_open(s, key, &size, err, sizeof(err)) < 0 && errno == ENOENT,
	   "gone after delete: %s", err);
	is_int(blob_delete(s, key), 0, "deleting a missing blob is fine");

	/* An empty upload is a blob too. */
	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write_commit(w, key, err, sizeof(err)) == 0,
	   "empty blob commits: %s", err);
	fd = blob_open(s, key, &size, err, sizeof(err));
	ok(fd >= 0 && size == 0, "empty blob opens with size 0");
	if (fd >= 0)
		close(fd);
	w = blob_write_begin(s, err, sizeof(err));
	blob_writer_sha256(w, sha);
	is_str(sha, EMPTY_SHA256, "sha-256 of nothing");
	ok(blob_write_commit(w, key2, err, sizeof(err)) == 0 &&
		   strcmp(key, key2),
	   "each commit gets a new key");
	blob_delete(s, key);
	blob_delete(s, key2);
}

static void test_keys(struct blob_store *s)
{
	char err[512];
	uint64_t size;

	ok(!blob_key_valid("../../etc/passwd"), "traversal is not a key");
	ok(!blob_key_valid("ab/../../../../../../../etc/passwd0000000000"),
	   "dots are not in keys");
	ok(!blob_key_valid(NULL) && !blob_key_valid(""), "empty is not a key");
	ok(!blob_key_valid("abc/defghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"),
	   "slash must be third");
	ok(blob_key_valid("ab/cdefghijklmnopqrstuvwxyzABCDEFGHIJKLM-_09"),
	   "a well-formed key");
	errno = 0;
	ok(blob_open(s, "../secret.key", &size, err, sizeof(err)) < 0 &&
		   errno == ENOENT,
	   "open refuses a non-key: %s", err);
	ok(blob_delete(s, "../secret.key") < 0, "delete refuses a non-key");
}

static void test_abort(struct blob_store *s)
{
	struct blob_writer *w;
	char err[512], path[300];

	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write(w, "data", 4) == 0, "writer for abort");
	if (!w)
		return;
	snprintf(path, sizeof(path), "%s", blob_writer_path(w));
	ok(access(path, F_OK) == 0, "temp file exists while writing");
	blob_write_abort(w);
	ok(access(path, F_OK) < 0 && errno == ENOENT,
	   "abort removes the temp file");
	is_int(count_entries(tmp_dir), 0, "no temp file left");
	blob_write_abort(NULL);
	ok(1, "abort(NULL) is fine");
}

/* The claim a published writer keeps until it is freed. */
static void test_publish(struct blob_store *s)
{
	struct blob_writer *w;
	char err[512], key[BLOB_KEY_MAX], path[900], tmp[300];
	uint64_t size = 0;
	int fd;

	blob_new_key(key);
	ok(blob_key_valid(key), "blob_new_key makes a key: %s", key);
	is_int(blob_claim_state(s, key), BLOB_MISSING, "not stored yet");
	is_int(blob_claim_state(s, "../x"), -1, "a non-key has no state");
	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write(w, "published", 9) == 0, "writer to publish");
	if (!w)
		return;
	snprintf(tmp, sizeof(tmp), "%s", blob_writer_path(w));
	ok(blob_write_publish(w, key, err, sizeof(err)) == 0, "publish: %s",
	   err);
	ok(access(tmp, F_OK) < 0, "the temp name is gone");
	snprintf(path, sizeof(path), "%s/%s", files_dir, key);
	ok(access(path, F_OK) == 0, "stored under the chosen key");
	is_int(blob_claim_state(s, key), BLOB_CLAIMED,
	       "held while the writer lives");
	ok(blob_write_publish(w, key, err, sizeof(err)) < 0,
	   "a writer publishes once");
	blob_write_abort(w);
	is_int(blob_claim_state(s, key), BLOB_UNCLAIMED,
	       "free once the writer is gone");
	fd = blob_open(s, key, &size, err, sizeof(err));
	ok(fd >= 0 && size == 9, "freeing a published writer keeps the file");
	if (fd >= 0)
		close(fd);
	/* A key taken already is refused, and the temp file goes. */
	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write(w, "x", 1) == 0, "second writer");
	if (w) {
		snprintf(tmp, sizeof(tmp), "%s", blob_writer_path(w));
		ok(blob_write_publish(w, key, err, sizeof(err)) < 0,
		   "publish refuses a used key: %s", err);
		ok(access(tmp, F_OK) < 0, "its temp file is removed");
		blob_write_abort(w);
	}
	ok(blob_delete(s, key) == 0, "delete");
	is_int(blob_claim_state(s, key), BLOB_MISSING, "gone");
}

static void make_old(const char *path, int64_t age)
{
	struct timespec ts[2];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd >= 0) {
		(void)!write(fd, "x", 1);
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= age;
	ts[1] = ts[0];
	utimensat(AT_FDCWD, path, ts, 0);
}

/*
 * A writer in a child process, as another saiwu sharing DATA_DIR would
 * have: it sends its temp file's path and waits to be killed. Returns the
 * child's pid, or -1.
 */
static pid_t writer_child(struct blob_store *s, char *path, size_t n)
{
	int p[2];
	pid_t pid;
	ssize_t k;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char err[512];
		struct blob_writer *w = blob_write_begin(s, err, sizeof(err));
		const char *wp = w ? blob_writer_path(w) : "";

		if (w)
			blob_write(w, "child", 5);
		(void)!write(p[1], wp, strlen(wp) + 1);
		for (;;)
			pause();
	}
	close(p[1]);
	k = pid > 0 ? read(p[0], path, n - 1) : -1;
	close(p[0]);
	path[k > 0 ? k : 0] = '\0';
	return pid;
}

static void test_sweep(struct blob_store *s)
{
	struct blob_writer *w;
	char err[512], old[300], fresh[300], foreign[300], live[300];
	char other[300], key[BLOB_KEY_MAX];
	pid_t child;
	int status = 0;

	snprintf(old, sizeof(old), "%s/blob-crashed.tmp", tmp_dir);
	snprintf(fresh, sizeof(fresh), "%s/blob-just-crashed.tmp", tmp_dir);
	snprintf(foreign, sizeof(foreign), "%s/someone-else.tmp", tmp_dir);
	make_old(old, 3600);
	make_old(fresh, 0);
	make_old(foreign, 3600);
	w = blob_write_begin(s, err, sizeof(err));
	ok(w && blob_write(w, "live", 4) == 0, "a live writer");
	if (!w)
		return;
	snprintf(live, sizeof(live), "%s", blob_writer_path(w));
	child = writer_child(s, other, sizeof(other));
	ok(child > 0 && other[0], "a live writer in another process");
	is_int(blob_sweep_tmp(s), 2, "sweep removes the two unheld files");
	ok(access(old, F_OK) < 0, "the crashed upload's file is gone");
	ok(access(fresh, F_OK) < 0,
	   "so is one left a moment ago (a restart right after a kill)");
	ok(access(live, F_OK) == 0, "the live writer's file stays");
	ok(other[0] && access(other, F_OK) == 0,
	   "the other process's live file stays");
	ok(access(foreign, F_OK) == 0, "files not ours stay");
	is_int(blob_sweep_tmp(s), 0, "nothing more to sweep");
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	ok(WIFSIGNALED(status), "the other process is killed");
	is_int(blob_sweep_tmp(s), 1, "its file is swept once it is dead");
	ok(other[0] && access(other, F_OK) < 0,
	   "the dead writer's file is gone");
	ok(blob_write(w, "more", 4) == 0 &&
		   blob_write_commit(w, key, err, sizeof(err)) == 0,
	   "the live writer commits after the sweeps: %s", err);
	unlink(foreign);
}

static void test_head(struct blob_store *s)
{
	static unsigned char data[100 * 1024];
	struct blob_writer *w;
	const unsigned char *head;
	char err[512];
	size_t hlen, off;
	uint64_t st = 42;

	fill(data, sizeof(data), &st);
	w = blob_write_begin(s, err, sizeof(err));
	ok(w != NULL, "writer for head");
	if (!w)
		return;
	/* Odd-sized pieces, so one of them straddles the 64 KiB mark. */
	for (off = 0; off < sizeof(data); off += 999) {
		size_t n = sizeof(data) - off < 999 ? sizeof(data) - off : 999;
		if (blob_write(w, data + off, n) < 0)
			break;
	}
	is_int(blob_writer_size(w), sizeof(data), "100 KiB written");
	head = blob_writer_head(w, &hlen);
	is_int(hlen, BLOB_HEAD_MAX, "head stops at 64 KiB");
	ok(!memcmp(head, data, BLOB_HEAD_MAX), "head is the first 64 KiB");
	blob_write_abort(w);
}

static void test_big(struct blob_store *s)
{
	enum { CHUNK = 65536, TOTAL = 20 * 1024 * 1024 };
	static unsigned char chunk[CHUNK], back[CHUNK];
	crypto_hash_sha256_state h;
	unsigned char dig[32];
	char want[65], got[BLOB_SHA256_HEX], err[512], key[BLOB_KEY_MAX];
	struct blob_writer *w;
	long before, peak = 0, now;
	uint64_t st = 7, size = 0, total = 0;
	ssize_t k;
	int fd;

	crypto_hash_sha256_init(&h);
	before = rss_kib();
	w = blob_write_begin(s, err, sizeof(err));
	ok(w != NULL, "writer for 20 MB");
	if (!w)
		return;
	for (int i = 0; i < TOTAL / CHUNK; i++) {
		fill(chunk, CHUNK, &st);
		crypto_hash_sha256_update(&h, chunk, CHUNK);
		if (blob_write(w, chunk, CHUNK) < 0)
			break;
		if ((now = rss_kib()) > peak)
			peak = now;
	}
	crypto_hash_sha256_final(&h, dig);
	sodium_bin2hex(want, sizeof(want), dig, sizeof(dig));
	is_int(blob_writer_size(w), TOTAL, "20 MB written");
	blob_writer_sha256(w, got);
	is_str(got, want, "sha-256 of 20 MB");
	ok(blob_write_commit(w, key, err, sizeof(err)) == 0, "20 MB commits");
	/* The data is 20 MB; what the process holds must not follow it. */
	ok(before > 0 && peak - before < 4096,
	   "RSS flat while writing: %ld KiB before, %ld KiB peak", before,
	   peak);

	fd = blob_open(s, key, &size, err, sizeof(err));
	ok(fd >= 0 && size == TOTAL, "20 MB opens: %s", err);
	if (fd < 0)
		return;
	crypto_hash_sha256_init(&h);
	while ((k = read(fd, back, CHUNK)) > 0) {
		crypto_hash_sha256_update(&h, back, (size_t)k);
		total += (uint64_t)k;
		if ((now = rss_kib()) > peak)
			peak = now;
	}
	close(fd);
	crypto_hash_sha256_final(&h, dig);
	sodium_bin2hex(got, sizeof(got), dig, sizeof(dig));
	ok(total == TOTAL && !strcmp(got, want), "20 MB read back intact");
	ok(peak - before < 4096, "RSS flat while reading: %ld KiB peak", peak);
	printf("# 20 MB through the local driver: RSS %ld KiB before, %ld KiB "
	       "at most\n",
	       before, peak);
	blob_delete(s, key);
}

struct job {
	struct blob_store *s;
	int id, failed;
	char keys[10][BLOB_KEY_MAX];
};

static void *writer_thread(void *arg)
{
	struct job *j = arg;
	char err[512], want[32], got[32];
	uint64_t size;

	for (int i = 0; i < 10; i++) {
		struct blob_writer *w =
			blob_write_begin(j->s, err, sizeof(err));
		int n = snprintf(want, sizeof(want), "thread %d blob %d", j->id,
				 i);
		int fd;

		if (!w || blob_write(w, want, (size_t)n) < 0 ||
		    blob_write_commit(w, j->keys[i], err, sizeof(err)) < 0) {
			j->failed++;
			continue;
		}
		fd = blob_open(j->s, j->keys[i], &size, err, sizeof(err));
		if (fd < 0 || size != (uint64_t)n ||
		    read_all(fd, got, sizeof(got)) != n || memcmp(got, want, n))
			j->failed++;
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static void test_threads(struct blob_store *s)
{
	struct job jobs[4];
	pthread_t t[4];
	int failed = 0, dup = 0;

	for (int i = 0; i < 4; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].s = s;
		jobs[i].id = i;
		pthread_create(&t[i], NULL, writer_thread, &jobs[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		failed += jobs[i].failed;
	}
	is_int(failed, 0, "4 threads × 10 blobs written and read back");
	for (int a = 0; a < 40; a++)
		for (int b = a + 1; b < 40; b++)
			if (!strcmp(jobs[a / 10].keys[a % 10],
				    jobs[b / 10].keys[b % 10]))
				dup++;
	is_int(dup, 0, "every key distinct");
	for (int a = 0; a < 40; a++)
		blob_delete(s, jobs[a / 10].keys[a % 10]);
}

static void test_bad_dir(void)
{
	struct config c;
	struct blob_store *s;
	char err[512], file[128];

	snprintf(file, sizeof(file), "%s/a-file", top);
	make_old(file, 0);
	snprintf(data_dir, sizeof(data_dir), "%s", file);
	ok(load(&c, "local", err, sizeof(err)) == 0, "settings load");
	s = blob_store_new(&c, err, sizeof(err));
	ok(!s && strstr(err, "cannot create directory"),
	   "data_dir that is a file: %s", err);
	blob_store_free(s);
	unlink(file);
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
	struct config c;
	struct blob_store *s;
	char err[512];

	unsetenv("SAIWU_CONFIG");
	snprintf(top, sizeof(top), "/tmp/saiwu-blob-XXXXXX");
	if (!mkdtemp(top))
		return 1;
	snprintf(data_dir, sizeof(data_dir), "%s/var", top);
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", data_dir);
	snprintf(files_dir, sizeof(files_dir), "%s/files", data_dir);

	test_settings();
	ok(load(&c, "local", err, sizeof(err)) == 0, "load: %s", err);
	s = blob_store_new(&c, err, sizeof(err));
	ok(s != NULL, "local store: %s", err);
	if (!s)
		return done_testing("test_blob");
	is_str(blob_store_driver(s), "local", "driver name");
	is_int(mode_of(tmp_dir), 0700, "DATA_DIR/tmp made 0700");
	is_int(mode_of(files_dir), 0700, "DATA_DIR/files made 0700");

	test_round_trip(s);
	test_keys(s);
	test_abort(s);
	test_publish(s);
	test_sweep(s);
	test_head(s);
	test_big(s);
	test_threads(s);
	is_int(count_entries(tmp_dir), 0, "no temp file left at the end");
	blob_store_free(s);
	blob_store_free(NULL);
	test_bad_dir();
	rm_rf(top);
	return done_testing("test_blob");
}
