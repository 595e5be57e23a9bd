/* scan.c: clamd INSTREAM client and a shared libclamav engine */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <clamav.h>
#include "scan.h"
#include "../config.h"
#include "../util/log.h"
#include "../util/banned.h"

enum scan_mode { SCAN_OFF, SCAN_CLAMD, SCAN_LIBCLAMAV };

struct scanner {
	enum scan_mode mode;
	char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct cl_engine *engine;
	uint64_t max_file; /* libclamav skips larger files as clean */
};

/* clamd answers after the whole stream is scanned, which takes a while. */
#define CLAMD_TIMEOUT 120
#define CHUNK (64u * 1024)

/*
 * libclamav's own defaults (100 MB a file, 400 MB a scan) would let a
 * larger upload through unscanned, reported as clean. Raise them to what
 * an attachment may plausibly be; scanner_check() refuses anything above.
 */
#define CLAMAV_MAX_FILE (1024ll * 1024 * 1024)

static pthread_once_t clamav_once = PTHREAD_ONCE_INIT;
static cl_error_t clamav_init_rc;

static void clamav_log(enum cl_msg severity, const char *fullmsg,
		       const char *msg, void *context)
{
	size_t len = strlen(msg);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	if (severity == CL_MSG_ERROR)
		log_error("libclamav: %.*s", (int)len, msg);
	else if (severity == CL_MSG_WARN)
		log_warn("libclamav: %.*s", (int)len, msg);
	else
		log_debug("libclamav: %.*s", (int)len, msg);
}

/* cl_init() sets up process-wide state and must run exactly once. */
static void clamav_init(void)
{
	cl_set_clcb_msg(clamav_log);
	clamav_init_rc = cl_init(CL_INIT_DEFAULT);
}

static int load_engine(struct scanner *s, const char *dir, char *err, size_t n)
{
	unsigned sigs = 0;
	cl_error_t rc;

	pthread_once(&clamav_once, clamav_init);
	if (clamav_init_rc != CL_SUCCESS) {
		snprintf(err, n, "cannot initialise libclamav: %s",
			 cl_strerror(clamav_init_rc));
		return -1;
	}
	s->engine = cl_engine_new();
	if (!s->engine) {
		snprintf(err, n, "cannot create libclamav engine");
		return -1;
	}
	rc = cl_load(dir, s->engine, &sigs, CL_DB_STDOPT);
	if (rc != CL_SUCCESS) {
		snprintf(err, n, "cannot load clamav database '%s': %s", dir,
			 cl_strerror(rc));
		return -1;
	}
	/* An empty database would pass every file: refuse to start. */
	if (!sigs) {
		snprintf(err, n,
			 "no clamav signatures in '%s' (run freshclam, or set "
			 "clamav_db_dir)",
			 dir);
		return -1;
	}
	if (cl_engine_set_num(s->engine, CL_ENGINE_MAX_FILESIZE,
			      CLAMAV_MAX_FILE) != CL_SUCCESS ||
	    cl_engine_set_num(s->engine, CL_ENGINE_MAX_SCANSIZE,
			      CLAMAV_MAX_FILE) != CL_SUCCESS) {
		snprintf(err, n, "cannot set libclamav size limits");
		return -1;
	}
	{
		int e = 0;
		long long max = cl_engine_get_num(s->engine,
						  CL_ENGINE_MAX_FILESIZE, &e);
		s->max_file = e || max <= 0 ? 0 : (uint64_t)max;
	}
	rc = cl_engine_compile(s->engine);
	if (rc != CL_SUCCESS) {
		snprintf(err, n, "cannot compile clamav database '%s': %s", dir,
			 cl_strerror(rc));
		return -1;
	}
	log_info("libclamav: %u signatures loaded from '%s'", sigs, dir);
	return 0;
}

struct scanner *scanner_new(const struct config *cfg, char *err, size_t n)
{
	struct scanner *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	if (!strcmp(cfg->scan, "off")) {
		s->mode = SCAN_OFF;
	} else if (!strcmp(cfg->scan, "clamd")) {
		s->mode = SCAN_CLAMD;
		if (!cfg->clamd_socket[0] ||
		    strlen(cfg->clamd_socket) >= sizeof(s->socket_path)) {
			snprintf(err, n, "bad value '%s' for 'clamd_socket'",
				 cfg->clamd_socket);
			goto fail;
		}
		memcpy(s->socket_path, cfg->clamd_socket,
		       strlen(cfg->clamd_socket) + 1);
	} else if (!strcmp(cfg->scan, "libclamav")) {
		s->mode = SCAN_LIBCLAMAV;
		if (load_engine(s,
				cfg->clamav_db_dir[0] ? cfg->clamav_db_dir
						      : cl_retdbdir(),
				err, n) < 0)
			goto fail;
	} else {
		snprintf(err, n,
			 "bad value '%s' for 'scan': expected off, clamd or "
			 "libclamav",
			 cfg->scan);
		goto fail;
	}
	return s;
fail:
	scanner_free(s);
	return NULL;
}

void scanner_free(struct scanner *s)
{
	if (!s)
		return;
	if (s->engine)
		cl_engine_free(s->engine);
	free(s);
}

const char *scanner_mode(const struct scanner *s)
{
	switch (s->mode) {
	case SCAN_CLAMD:
		return "clamd";
	case SCAN_LIBCLAMAV:
		return "libclamav";
	case SCAN_OFF:
		break;
	}
	return "off";
}

static int send_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		/* clamd hangs up on an over-long stream; that is no signal. */
		ssize_t w = send(fd, c, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * Reads clamd's reply, which the "z" form of the command ends with a NUL,
 * into buf. Returns its length, or -1 when nothing arrived.
 */
static long read_reply(int fd, char *buf, size_t n)
{
	size_t len = 0;

	while (len + 1 < n) {
		ssize_t r = recv(fd, buf + len, n - 1 - len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (memchr(buf, '\0', len))
			break;
	}
	buf[len] = '\0';
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return len ? (long)len : -1;
}

static int clamd_connect(const struct scanner *s, char *out, size_t n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CLAMD_TIMEOUT };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(out, n, "cannot create socket: %s", strerror(errno));
		return -1;
	}
	memcpy(sa.sun_path, s->socket_path, strlen(s->socket_path) + 1);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(out, n, "cannot connect to clamd at '%s': %s",
			 s->socket_path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int clamd_scan(const struct scanner *s, const char *path, char *out,
		      size_t n)
{
	static const char cmd[] = "zINSTREAM";
	unsigned char *chunk = NULL;
	char reply[512];
	int fd = -1, sock = -1, rc = -1;
	bool sent = false;
	size_t len;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(out, n, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	chunk = malloc(4 + CHUNK);
	if (!chunk) {
		snprintf(out, n, "out of memory");
		goto out;
	}
	sock = clamd_connect(s, out, n);
	if (sock < 0)
		goto out;
	/* sizeof(cmd) sends the NUL that ends a "z" command. */
	if (send_all(sock, cmd, sizeof(cmd)) < 0)
		goto hangup;
	for (;;) {
		ssize_t r = read(fd, chunk + 4, CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(out, n, "cannot read '%s': %s", path,
				 strerror(errno));
			goto out;
		}
		/* Each chunk is prefixed by its length in network order. */
		chunk[0] = (unsigned char)((uint32_t)r >> 24);
		chunk[1] = (unsigned char)((uint32_t)r >> 16);
		chunk[2] = (unsigned char)((uint32_t)r >> 8);
		chunk[3] = (unsigned char)r;
		/* A zero-length chunk ends the stream. */
		if (send_all(sock, chunk, 4 + (size_t)r) < 0)
			goto hangup;
		if (!r)
			break;
	}
	sent = true;
hangup:
	/*
	 * When clamd stops reading early (StreamMaxLength) it has written
	 * why before closing; read that rather than report a broken pipe.
	 */
	if (read_reply(sock, reply, sizeof(reply)) < 0) {
		snprintf(out, n, "clamd at '%s' %s", s->socket_path,
			 sent ? "closed the connection without an answer"
			      : "stopped reading the stream");
		goto out;
	}
	len = strlen(reply);
	if (!strcmp(reply, "stream: OK")) {
		out[0] = '\0';
		rc = 0;
	} else if (!strncmp(reply, "stream: ", 8) && len > 8 + 6 &&
		   !strcmp(reply + len - 6, " FOUND")) {
		snprintf(out, n, "%.*s", (int)(len - 8 - 6), reply + 8);
		rc = 1;
	} else {
		snprintf(out, n, "clamd could not scan the file: %s", reply);
	}
out:
	if (sock >= 0)
		close(sock);
	if (fd >= 0)
		close(fd);
	free(chunk);
	return rc;
}

static int clamav_scan(const struct scanner *s, const char *path, char *out,
		       size_t n)
{
	struct cl_scan_options opts;
	const char *virname = NULL;
	unsigned long scanned = 0;
	struct stat st;
	cl_error_t rc;

	if (stat(path, &st) < 0) {
		snprintf(out, n, "cannot stat '%s': %s", path, strerror(errno));
		return -1;
	}
	if (s->max_file && (uint64_t)st.st_size > s->max_file) {
		snprintf(out, n,
			 "'%s' is larger than libclamav's limit of %llu bytes",
			 path, (unsigned long long)s->max_file);
		return -1;
	}
	memset(&opts, 0, sizeof(opts));
	opts.parse = ~0u;
	opts.general = CL_SCAN_GENERAL_HEURISTICS;
	rc = cl_scanfile(path, &virname, &scanned, s->engine, &opts);
	if (rc == CL_CLEAN) {
		out[0] = '\0';
		return 0;
	}
	if (rc == CL_VIRUS) {
		snprintf(out, n, "%s", virname ? virname : "unknown");
		return 1;
	}
	snprintf(out, n, "libclamav could not scan '%s': %s", path,
		 cl_strerror(rc));
	return -1;
}

int scanner_check(struct scanner *s, const char *path, char *virus_out,
		  size_t n)
{
	if (n)
		virus_out[0] = '\0';
	switch (s->mode) {
	case SCAN_OFF:
		return 0;
	case SCAN_CLAMD:
		return clamd_scan(s, path, virus_out, n);
	case SCAN_LIBCLAMAV:
		return clamav_scan(s, path, virus_out, n);
	}
	snprintf(virus_out, n, "unknown scan mode");
	return -1;
}
