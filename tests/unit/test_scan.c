/* test_scan.c: virus scanning against a signature made up for the test */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "config.h"
#include "files/scan.h"
#include "util/log.h"

#define SIG_NAME "Saiwu.Test.Sig"

static char dir[] = "/tmp/saiwu-test-scan-XXXXXX";
static char db_dir[200], empty_dir[200], sock_path[100], conf_path[200];
static char infected[200], clean[200], big[200], log_path[200];
static char marker[64];

static int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -1;
	rc = fwrite(text, 1, len, f) == len ? 0 : -1;
	return fclose(f) || rc ? -1 : 0;
}

/*
 * A body signature (.ndb) for a random string: it matches only the file
 * this run writes, whatever signatures the machine has elsewhere.
 */
static int make_fixtures(void)
{
	unsigned char rnd[16];
	char sig[256], body[256], *zeros;
	size_t len = 0;
	int rc;

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -1;
	len = (size_t)snprintf(marker, sizeof(marker), "SAIWU-EICAR-LIKE-");
	for (size_t i = 0; i < sizeof(rnd); i++)
		len += (size_t)snprintf(marker + len, sizeof(marker) - len,
					"%02x", rnd[i]);
	len = (size_t)snprintf(sig, sizeof(sig), SIG_NAME ":0:*:");
	for (size_t i = 0; marker[i]; i++)
		len += (size_t)snprintf(sig + len, sizeof(sig) - len, "%02x",
					(unsigned char)marker[i]);
	sig[len++] = '\n';

	snprintf(db_dir, sizeof(db_dir), "%s/db", dir);
	snprintf(empty_dir, sizeof(empty_dir), "%s/empty", dir);
	if (mkdir(db_dir, 0700) || mkdir(empty_dir, 0700))
		return -1;
	snprintf(body, sizeof(body), "%s/saiwu-test.ndb", db_dir);
	if (write_file(body, sig, len))
		return -1;

	snprintf(infected, sizeof(infected), "%s/infected.pdf", dir);
	len = (size_t)snprintf(body, sizeof(body),
			       "%%PDF-1.4\n%% innocent looking\n%s\n%%%%EOF\n",
			       marker);
	if (write_file(infected, body, len))
		return -1;
	snprintf(clean, sizeof(clean), "%s/clean.pdf", dir);
	len = (size_t)snprintf(body, sizeof(body),
			       "%%PDF-1.4\n%% nothing to see\n%%%%EOF\n");
	if (write_file(clean, body, len))
		return -1;
	/* Over the 100 KiB StreamMaxLength the test's clamd is given. */
	snprintf(big, sizeof(big), "%s/big.bin", dir);
	zeros = calloc(1, 300 * 1024);
	if (!zeros)
		return -1;
	rc = write_file(big, zeros, 300 * 1024);
	free(zeros);
	return rc;
}

static void base_config(struct config *c, const char *mode)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->scan, sizeof(c->scan), "%s", mode);
	snprintf(c->clamd_socket, sizeof(c->clamd_socket), "%s", sock_path);
	snprintf(c->clamav_db_dir, sizeof(c->clamav_db_dir), "%s", db_dir);
}

static void test_off(void)
{
	struct config c;
	struct scanner *s;
	char err[256], out[256];

	base_config(&c, "off");
	s = scanner_new(&c, err, sizeof(err));
	ok(s != NULL, "off: %s", s ? "" : err);
	if (!s)
		return;
	is_str(scanner_mode(s), "off", "off mode");
	is_int(scanner_check(s, infected, out, sizeof(out)), 0,
	       "off passes everything");
	is_str(out, "", "off: no name");
	scanner_free(s);

	base_config(&c, "fast");
	s = scanner_new(&c, err, sizeof(err));
	ok(s == NULL && strstr(err, "'scan'"), "unknown mode: %s", err);
	scanner_free(NULL);
}

struct scan_job {
	struct scanner *s;
	int bad;
};

static void *scan_loop(void *arg)
{
	struct scan_job *j = arg;
	char out[256];

	for (int i = 0; i < 20; i++) {
		if (scanner_check(j->s, infected, out, sizeof(out)) != 1 ||
		    scanner_check(j->s, clean, out, sizeof(out)) != 0)
			j->bad++;
	}
	return NULL;
}

/* The same engine from several threads at once, as the server does. */
static int scan_threads(struct scanner *s)
{
	struct scan_job jobs[3] = { { s, 0 }, { s, 0 }, { s, 0 } };
	pthread_t t[3];
	int bad = 0, started = 0;

	for (int i = 0; i < 3; i++)
		if (!pthread_create(&t[i], NULL, scan_loop, &jobs[i]))
			started++;
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		bad += jobs[i].bad;
	}
	return started == 3 ? bad : -1;
}

static void test_libclamav(void)
{
	struct config c;
	struct scanner *s;
	char err[512], out[256];

	base_config(&c, "libclamav");
	s = scanner_new(&c, err, sizeof(err));
	ok(s != NULL, "libclamav with the test database: %s", s ? "" : err);
	if (!s)
		return;
	is_str(scanner_mode(s), "libclamav", "libclamav mode");
	is_int(scanner_check(s, infected, out, sizeof(out)), 1,
	       "libclamav: infected");
	ok(!strncmp(out, SIG_NAME, strlen(SIG_NAME)), "signature name: %s",
	   out);
	is_int(scanner_check(s, clean, out, sizeof(out)), 0,
	       "libclamav: clean");
	is_str(out, "", "libclamav: clean has no name");
	is_int(scanner_check(s, big, out, sizeof(out)), 0,
	       "libclamav: 300 KiB of zeros");
	is_int(scanner_check(s, "/nonexistent/x.pdf", out, sizeof(out)), -1,
	       "libclamav: missing file fails");
	ok(out[0] != '\0', "libclamav: failure has a reason");
	is_int(scan_threads(s), 0, "libclamav: shared engine on three threads");
	scanner_free(s);

	snprintf(c.clamav_db_dir, sizeof(c.clamav_db_dir), "%s", empty_dir);
	/* libclamav logs its complaint too; the test needs only err. */
	log_set_level((enum log_level)(LOG_ERROR + 1));
	s = scanner_new(&c, err, sizeof(err));
	log_set_level(LOG_INFO);
	ok(s == NULL, "libclamav refuses an empty database");
	ok(strstr(err, empty_dir) != NULL, "empty database message: %s", err);
	scanner_free(s);
}

/* Asks clamd for PONG; returns 0 once it answers. */
static int clamd_ping(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[16] = { 0 };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), rc = -1;
	ssize_t r;

	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    send(fd, "zPING", 6, MSG_NOSIGNAL) == 6) {
		r = recv(fd, buf, sizeof(buf) - 1, 0);
		if (r > 0 && !strncmp(buf, "PONG", 4))
			rc = 0;
	}
	close(fd);
	return rc;
}

static pid_t start_clamd(void)
{
	static const char *const bins[] = { "/usr/sbin/clamd", "/usr/bin/clamd",
					    "/usr/local/sbin/clamd" };
	const char *bin = NULL;
	char conf[1024];
	pid_t pid;
	int len;

	for (size_t i = 0; i < sizeof(bins) / sizeof(bins[0]); i++)
		if (!access(bins[i], X_OK))
			bin = bins[i];
	if (!bin) {
		printf("# clamd is not installed: run scripts/install-deps.sh\n");
		return -1;
	}
	len = snprintf(conf, sizeof(conf),
		       "LocalSocket %s\nDatabaseDirectory %s\n"
		       "TemporaryDirectory %s\nForeground yes\n"
		       "StreamMaxLength 100K\nMaxThreads 4\n"
		       "SelfCheck 0\nBytecode no\n",
		       sock_path, db_dir, dir);
	if (write_file(conf_path, conf, (size_t)len))
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin, "clamd", "-c", conf_path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	/* The one-signature database loads in well under a second. */
	for (int i = 0; i < 200; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		int status;

		if (!clamd_ping())
			return pid;
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		nanosleep(&ts, NULL);
	}
	{
		char line[256];
		FILE *f = fopen(log_path, "r");
		printf("# clamd did not come up; its output:\n");
		while (f && fgets(line, sizeof(line), f))
			printf("#   %s", line);
		if (f)
			fclose(f);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void test_clamd(void)
{
	struct config c;
	struct scanner *s;
	char err[512], out[256];
	pid_t pid;

	base_config(&c, "clamd");
	s = scanner_new(&c, err, sizeof(err));
	ok(s != NULL, "clamd scanner: %s", s ? "" : err);
	if (!s)
		return;
	is_str(scanner_mode(s), "clamd", "clamd mode");
	is_int(scanner_check(s, clean, out, sizeof(out)), -1,
	       "clamd not running: fails closed");
	ok(strstr(out, "cannot connect") != NULL, "unreachable reason: %s",
	   out);

	pid = start_clamd();
	ok(pid > 0, "start clamd on a private socket");
	if (pid > 0) {
		is_int(scanner_check(s, infected, out, sizeof(out)), 1,
		       "clamd: infected");
		ok(!strncmp(out, SIG_NAME, strlen(SIG_NAME)),
		   "clamd: signature name: %s", out);
		is_int(scanner_check(s, clean, out, sizeof(out)), 0,
		       "clamd: clean");
		is_str(out, "", "clamd: clean has no name");
		is_int(scanner_check(s, big, out, sizeof(out)), -1,
		       "clamd: over StreamMaxLength fails closed");
		ok(out[0] != '\0', "stream limit reason: %s", out);
		printf("# clamd over its limit: %s\n", out);
		is_int(scanner_check(s, "/nonexistent/x.pdf", out, sizeof(out)),
		       -1, "clamd: missing file fails");
		is_int(scan_threads(s), 0, "clamd: three threads at once");
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		is_int(scanner_check(s, clean, out, sizeof(out)), -1,
		       "clamd stopped: fails closed");
	}
	scanner_free(s);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/clamd.sock", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/clamd.conf", dir);
	snprintf(log_path, sizeof(log_path), "%s/clamd.log", dir);
	log_set_level(LOG_WARN);
	ok(make_fixtures() == 0, "fixtures");
	test_off();
	test_libclamav();
	test_clamd();
	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		ok(system(cmd) == 0, "clean up");
	}
	return done_testing("test_scan");
}
