/* zip.c: zip archives, written entry by entry */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "zip.h"
#include "../util/banned.h"

#define FLAG_UTF8 0x0800u    /* general purpose bit 11: names are UTF-8 */
#define VERSION_NEEDED 20u   /* 2.0: folders, deflate */
#define VERSION_MADE 0x0314u /* Unix (3), spec 2.0 */
#define LOCAL_SIZE 30u
#define CENTRAL_SIZE 46u
#define END_SIZE 22u
#define COPY_CHUNK 65536

struct entry {
	char *name;
	uint16_t name_len;
	uint16_t time, date;
	uint16_t method; /* 0 stored, 8 deflated */
	uint32_t crc;
	uint32_t size;	/* as read back */
	uint32_t csize; /* as in the archive */
	uint32_t offset;
};

struct xp_zip {
	int fd;
	uint64_t pos;
	struct entry *e;
	size_t n, cap;
	bool failed;
	unsigned char buf[COPY_CHUNK];
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xFF);
	p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, (v >> 16) & 0xFFFF);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static int pwrite_all(int fd, const void *p, size_t n, off_t at)
{
	const char *c = p;

	while (n) {
		ssize_t k = pwrite(fd, c, n, at);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
		at += k;
	}
	return 0;
}

/* MS-DOS date and time, in China time (zip has no time zones). */
static void dos_time(int64_t t, uint16_t *time_out, uint16_t *date_out)
{
	time_t s = (time_t)(t + 8 * 3600);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || tm.tm_year < 80) {
		*time_out = 0;
		*date_out = (1 << 5) | 1; /* 1980-01-01 */
		return;
	}
	*time_out = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) |
			       (tm.tm_sec / 2));
	*date_out = (uint16_t)(((tm.tm_year - 80) << 9) |
			       ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static void header(unsigned char *h, const struct entry *e)
{
	put32(h, 0x04034b50);
	put16(h + 4, VERSION_NEEDED);
	put16(h + 6, FLAG_UTF8);
	put16(h + 8, e->method);
	put16(h + 10, e->time);
	put16(h + 12, e->date);
	put32(h + 14, e->crc);
	put32(h + 18, e->csize);
	put32(h + 22, e->size);
	put16(h + 26, e->name_len);
	put16(h + 28, 0);
}

struct xp_zip *xp_zip_new(int fd)
{
	struct xp_zip *z = calloc(1, sizeof(*z));

	if (z)
		z->fd = fd;
	return z;
}

static int fail(struct xp_zip *z, char *err, size_t errlen, const char *msg)
{
	z->failed = true;
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* A write or read failed with errno while e was being added. */
static int io_fail(struct xp_zip *z, struct entry *e, char *err, size_t errlen)
{
	free(e->name);
	e->name = NULL;
	snprintf(err, errlen, "cannot write the archive: %s", strerror(errno));
	z->failed = true;
	return -1;
}

/* A new entry at the end of the table, its local header written. */
static struct entry *begin(struct xp_zip *z, const char *name, int64_t mtime,
			   char *err, size_t errlen)
{
	unsigned char h[LOCAL_SIZE];
	struct entry *e;
	size_t name_len = strlen(name);

	if (z->failed) {
		fail(z, err, errlen, "the archive failed before");
		return NULL;
	}
	if (!name_len || name_len > 0xFFFF) {
		fail(z, err, errlen, "bad entry name");
		return NULL;
	}
	if (z->n >= XP_ZIP_MAX_ENTRIES) {
		fail(z, err, errlen, "too many entries for a zip");
		return NULL;
	}
	if (z->n == z->cap) {
		size_t cap = z->cap ? 2 * z->cap : 64;
		struct entry *grown = realloc(z->e, cap * sizeof(*grown));
		if (!grown) {
			fail(z, err, errlen, "out of memory");
			return NULL;
		}
		z->e = grown;
		z->cap = cap;
	}
	e = &z->e[z->n];
	memset(e, 0, sizeof(*e));
	if (z->pos + LOCAL_SIZE + name_len > XP_ZIP_MAX_BYTES) {
		fail(z, err, errlen, "the archive would pass 4 GiB");
		return NULL;
	}
	e->name = strdup(name);
	if (!e->name) {
		fail(z, err, errlen, "out of memory");
		return NULL;
	}
	e->name_len = (uint16_t)name_len;
	dos_time(mtime, &e->time, &e->date);
	e->offset = (uint32_t)z->pos;
	/*
	 * The sizes and the CRC may be known once the data is through only:
	 * the header goes first with zeros and is written again after.
	 */
	header(h, e);
	if (write_all(z->fd, h, sizeof(h)) < 0 ||
	    write_all(z->fd, name, name_len) < 0) {
		io_fail(z, e, err, errlen);
		return NULL;
	}
	z->pos += LOCAL_SIZE + name_len;
	return e;
}

/* Rewrites e's local header with its sizes and CRC, and keeps e. */
static int commit(struct xp_zip *z, struct entry *e, char *err, size_t errlen)
{
	unsigned char h[LOCAL_SIZE];

	header(h, e);
	if (pwrite_all(z->fd, h, sizeof(h), (off_t)e->offset) < 0)
		return io_fail(z, e, err, errlen);
	z->n++;
	return 0;
}

/*
 * Copies src_fd from its start into the archive; with crc non-NULL its
 * CRC-32 is taken on the way. Returns the bytes copied, or -1.
 */
static int64_t copy(struct xp_zip *z, struct entry *e, int src_fd, uLong *crc,
		    char *err, size_t errlen)
{
	uint64_t size = 0;

	if (lseek(src_fd, 0, SEEK_SET) < 0)
		return io_fail(z, e, err, errlen);
	for (;;) {
		ssize_t k = read(src_fd, z->buf, sizeof(z->buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return io_fail(z, e, err, errlen);
		if (k == 0)
			break;
		if (z->pos + (uint64_t)k + CENTRAL_SIZE + END_SIZE >
		    XP_ZIP_MAX_BYTES) {
			free(e->name);
			return fail(z, err, errlen,
				    "the archive would pass 4 GiB");
		}
		if (crc)
			*crc = crc32(*crc, z->buf, (uInt)k);
		if (write_all(z->fd, z->buf, (size_t)k) < 0)
			return io_fail(z, e, err, errlen);
		z->pos += (uint64_t)k;
		size += (uint64_t)k;
	}
	return (int64_t)size;
}

int xp_zip_add_fd(struct xp_zip *z, const char *name, int src_fd, int64_t mtime,
		  char *err, size_t errlen)
{
	struct entry *e = begin(z, name, mtime, err, errlen);
	uLong crc = crc32(0L, Z_NULL, 0);
	int64_t size;

	if (!e)
		return -1;
	size = copy(z, e, src_fd, &crc, err, errlen);
	if (size < 0)
		return -1;
	e->crc = (uint32_t)crc;
	e->size = e->csize = (uint32_t)size;
	return commit(z, e, err, errlen);
}

int xp_zip_add_deflated_fd(struct xp_zip *z, const char *name, int src_fd,
			   uint32_t crc, uint64_t size, int64_t mtime,
			   char *err, size_t errlen)
{
	struct entry *e;
	int64_t csize;

	if (size > XP_ZIP_MAX_BYTES)
		return fail(z, err, errlen,
			    "an entry would pass 4 GiB uncompressed");
	e = begin(z, name, mtime, err, errlen);
	if (!e)
		return -1;
	csize = copy(z, e, src_fd, NULL, err, errlen);
	if (csize < 0)
		return -1;
	e->method = 8;
	e->crc = crc;
	e->size = (uint32_t)size;
	e->csize = (uint32_t)csize;
	return commit(z, e, err, errlen);
}

int xp_zip_add_mem(struct xp_zip *z, const char *name, const void *data,
		   size_t len, int64_t mtime, char *err, size_t errlen)
{
	struct entry *e;

	if (len > XP_ZIP_MAX_BYTES)
		return fail(z, err, errlen, "the archive would pass 4 GiB");
	e = begin(z, name, mtime, err, errlen);
	if (!e)
		return -1;
	if (z->pos + len + CENTRAL_SIZE + END_SIZE > XP_ZIP_MAX_BYTES) {
		free(e->name);
		return fail(z, err, errlen, "the archive would pass 4 GiB");
	}
	if (len && write_all(z->fd, data, len) < 0)
		return io_fail(z, e, err, errlen);
	z->pos += len;
	e->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
	e->size = e->csize = (uint32_t)len;
	return commit(z, e, err, errlen);
}

int xp_zip_finish(struct xp_zip *z, uint64_t *size_out, char *err,
		  size_t errlen)
{
	unsigned char c[CENTRAL_SIZE], end[END_SIZE];
	uint64_t cd_start;
	int rc = -1;

	if (!z)
		return -1;
	if (z->failed) {
		snprintf(err, errlen, "the archive failed before");
		goto out;
	}
	cd_start = z->pos;
	for (size_t i = 0; i < z->n; i++) {
		const struct entry *e = &z->e[i];
		put32(c, 0x02014b50);
		put16(c + 4, VERSION_MADE);
		put16(c + 6, VERSION_NEEDED);
		put16(c + 8, FLAG_UTF8);
		put16(c + 10, e->method);
		put16(c + 12, e->time);
		put16(c + 14, e->date);
		put32(c + 16, e->crc);
		put32(c + 20, e->csize);
		put32(c + 24, e->size);
		put16(c + 28, e->name_len);
		put16(c + 30, 0);	       /* extra */
		put16(c + 32, 0);	       /* comment */
		put16(c + 34, 0);	       /* disk */
		put16(c + 36, 0);	       /* internal attributes */
		put32(c + 38, 0100644u << 16); /* a regular file, rw-r--r-- */
		put32(c + 42, e->offset);
		if (write_all(z->fd, c, sizeof(c)) < 0 ||
		    write_all(z->fd, e->name, e->name_len) < 0)
			goto io;
		z->pos += CENTRAL_SIZE + e->name_len;
	}
	if (z->pos + END_SIZE > XP_ZIP_MAX_BYTES) {
		snprintf(err, errlen, "the archive would pass 4 GiB");
		goto out;
	}
	put32(end, 0x06054b50);
	put16(end + 4, 0);
	put16(end + 6, 0);
	put16(end + 8, (unsigned)z->n);
	put16(end + 10, (unsigned)z->n);
	put32(end + 12, (uint32_t)(z->pos - cd_start));
	put32(end + 16, (uint32_t)cd_start);
	put16(end + 20, 0);
	if (write_all(z->fd, end, sizeof(end)) < 0)
		goto io;
	z->pos += END_SIZE;
	if (size_out)
		*size_out = z->pos;
	rc = 0;
	goto out;
io:
	snprintf(err, errlen, "cannot write the archive: %s", strerror(errno));
out:
	for (size_t i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	free(z);
	return rc;
}
