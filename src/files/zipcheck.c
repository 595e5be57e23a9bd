/* zipcheck.c: zip bomb and path checks from the central directory alone */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "zipcheck.h"
#include "../util/str.h"
#include "../util/banned.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOCATOR64 0x07064b50u

#define EOCD_LEN 22
#define LOCATOR64_LEN 20
#define EOCD64_LEN 56
#define CENTRAL_LEN 46
#define LOCAL_LEN 30
#define MAX_COMMENT 65535u

/*
 * The window must hold one whole central directory header with the
 * longest name, extra field and comment, and the EOCD search area.
 */
#define WINDOW (256u * 1024)
#define LOCAL_BUF (LOCAL_LEN + 2u * 65535)

#define FLAG_ENCRYPTED (1u << 0)      /* traditional PKWARE encryption */
#define FLAG_DESCRIPTOR (1u << 3)     /* sizes follow the data */
#define FLAG_STRONG (1u << 6)	      /* strong encryption */
#define FLAG_MASKED_HEADER (1u << 13) /* central directory encrypted */

#define METHOD_STORED 0
#define METHOD_DEFLATE 8

#define MSG_BROKEN "压缩包结构损坏或文件不完整"
#define MSG_OUTSIDE "压缩包结构损坏：记录的位置超出文件范围"
#define MSG_ENCRYPTED "压缩包中含有加密的文件，无法检查，请去掉密码后重新上传"
#define MSG_SIZES "压缩包中条目的大小前后不一致，文件可能被篡改"
#define MSG_METHOD "压缩包使用了不支持的压缩方式（仅支持存储和 Deflate）"
#define MSG_OVERLAP "压缩包中的条目相互重叠，疑似压缩炸弹"
#define MSG_READ "无法读取上传的文件"
#define MSG_SPLIT "不支持分卷压缩包"

struct entry {
	const unsigned char *name;
	size_t name_len;
	unsigned flags, method;
	uint64_t csize, usize, offset;
};

struct span {
	uint64_t start, end;
};

struct zip {
	int fd;
	uint64_t size;
	char *msg;
	size_t msglen;

	unsigned char *win;
	uint64_t win_off;
	size_t win_len;

	uint64_t cd_off, cd_size, entries;

	/* zipcheck_file() */
	bool policy;
	uint64_t max_expanded, total;
	unsigned char *local;
	struct span *spans;
	size_t nspans;

	/* zipcheck_ooxml_kind() */
	bool has_types, has_word, has_ppt;
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

__attribute__((format(printf, 2, 3))) static int refuse(struct zip *z,
							const char *fmt, ...)
{
	va_list ap;

	if (z->msg && z->msglen) {
		va_start(ap, fmt);
		vsnprintf(z->msg, z->msglen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Reads exactly len bytes at off; a short file is an error like any other. */
static int read_at(struct zip *z, unsigned char *dst, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r =
			pread(z->fd, dst + got, len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/*
 * Returns len bytes of the file at off, from the window or after moving
 * it; NULL when they are not all inside the file. The pointer is good
 * until the next call.
 */
static const unsigned char *at(struct zip *z, uint64_t off, size_t len)
{
	size_t want;

	if (len > WINDOW || off > z->size || len > z->size - off) {
		refuse(z, MSG_OUTSIDE);
		return NULL;
	}
	if (off >= z->win_off && off - z->win_off <= z->win_len &&
	    len <= z->win_len - (off - z->win_off))
		return z->win + (off - z->win_off);
	want = z->size - off < WINDOW ? (size_t)(z->size - off) : WINDOW;
	if (read_at(z, z->win, want, off) < 0) {
		z->win_len = 0;
		refuse(z, MSG_READ);
		return NULL;
	}
	z->win_off = off;
	z->win_len = want;
	return z->win;
}

/* Reads the ZIP64 end of central directory via its locator at loc. */
static int read_zip64(struct zip *z, uint64_t loc, uint64_t *cd_end_out)
{
	const unsigned char *p = at(z, loc, LOCATOR64_LEN);
	uint64_t rec, rec_len;

	if (!p)
		return -1;
	if (le32(p + 4) != 0 || le32(p + 16) > 1)
		return refuse(z, MSG_SPLIT);
	rec = le64(p + 8);
	if (rec > loc || loc - rec < EOCD64_LEN)
		return refuse(z, MSG_OUTSIDE);
	p = at(z, rec, EOCD64_LEN);
	if (!p)
		return -1;
	rec_len = le64(p + 4);
	if (le32(p) != SIG_EOCD64 || rec_len < EOCD64_LEN - 12 ||
	    rec_len > loc - rec - 12)
		return refuse(z, MSG_BROKEN);
	if (le32(p + 16) != 0 || le32(p + 20) != 0 ||
	    le64(p + 24) != le64(p + 32))
		return refuse(z, MSG_SPLIT);
	z->entries = le64(p + 32);
	z->cd_size = le64(p + 40);
	z->cd_off = le64(p + 48);
	*cd_end_out = rec;
	return 0;
}

/*
 * Finds the End of Central Directory record: the last one in the final
 * 64 KiB + 22 bytes whose comment runs exactly to the end of the file.
 * Sets the central directory's place and size and checks that it lies
 * before the records that follow it.
 */
static int find_directory(struct zip *z)
{
	size_t tail = z->size < MAX_COMMENT + EOCD_LEN ? (size_t)z->size
						       : MAX_COMMENT + EOCD_LEN;
	uint64_t base = z->size - tail, eocd = 0, cd_limit;
	const unsigned char *p;
	bool found = false, zip64 = false;
	unsigned disk, cd_disk, n_disk, n_total;
	uint32_t cd_size, cd_off;

	if (z->size < EOCD_LEN)
		return refuse(z, "不是有效的 ZIP 文件");
	p = at(z, base, tail);
	if (!p)
		return -1;
	for (size_t i = tail - EOCD_LEN + 1; i-- > 0;) {
		if (le32(p + i) == SIG_EOCD &&
		    i + EOCD_LEN + le16(p + i + 20) == tail) {
			eocd = base + i;
			p += i;
			found = true;
			break;
		}
	}
	if (!found)
		return refuse(z, "不是有效的 ZIP 文件，或文件不完整");
	disk = le16(p + 4);
	cd_disk = le16(p + 6);
	n_disk = le16(p + 8);
	n_total = le16(p + 10);
	cd_size = le32(p + 12);
	cd_off = le32(p + 16);
	cd_limit = eocd;
	if (eocd >= LOCATOR64_LEN) {
		const unsigned char *l = at(z, eocd - LOCATOR64_LEN, 4);
		if (!l)
			return -1;
		zip64 = le32(l) == SIG_LOCATOR64;
	}
	if (zip64) {
		if (read_zip64(z, eocd - LOCATOR64_LEN, &cd_limit) < 0)
			return -1;
	} else {
		/* Without a locator a marker value cannot be resolved. */
		if (n_total == 0xFFFF || n_disk == 0xFFFF ||
		    cd_size == 0xFFFFFFFF || cd_off == 0xFFFFFFFF)
			return refuse(z, MSG_BROKEN);
		if (disk != 0 || cd_disk != 0 || n_disk != n_total)
			return refuse(z, MSG_SPLIT);
		z->entries = n_total;
		z->cd_size = cd_size;
		z->cd_off = cd_off;
	}
	if (z->cd_off > cd_limit || z->cd_size > cd_limit - z->cd_off)
		return refuse(z, MSG_OUTSIDE);
	return 0;
}

/*
 * Takes the 64-bit values from a ZIP64 extended information field for
 * each of *usize, *csize and *offset that holds the 32-bit marker, in the
 * order the format lays them out. want_offset is false in local headers.
 */
static int zip64_extra(struct zip *z, const unsigned char *x, size_t len,
		       uint64_t *usize, uint64_t *csize, uint64_t *offset)
{
	size_t pos = 0;

	while (len - pos >= 4) {
		unsigned id = le16(x + pos), sz = le16(x + pos + 2);
		const unsigned char *d = x + pos + 4;
		size_t used = 0;

		if (sz > len - pos - 4)
			return refuse(z, MSG_BROKEN);
		if (id == 0x0001) {
			uint64_t *f[3] = { usize, csize, offset };
			for (int k = 0; k < 3; k++) {
				if (!f[k] || *f[k] != 0xFFFFFFFFu)
					continue;
				if (sz - used < 8)
					return refuse(z, MSG_BROKEN);
				*f[k] = le64(d + used);
				used += 8;
			}
			return 0;
		}
		pos += 4 + (size_t)sz;
	}
	return 0;
}

static bool unsafe_name(const unsigned char *s, size_t len)
{
	size_t start = 0;

	if (!len || memchr(s, '\0', len))
		return true;
	if (s[0] == '/' || s[0] == '\\')
		return true;
	if (len >= 2 && s[1] == ':' &&
	    ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return true;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '/' && s[i] != '\\')
			continue;
		if (i - start == 2 && s[start] == '.' && s[start + 1] == '.')
			return true;
		start = i + 1;
	}
	return false;
}

/* The entry's name for a message, or a stand-in when it is not text. */
static void show_name(const struct entry *e, char *out, size_t n)
{
	if (e->name_len <= 120 &&
	    utf8_valid((const char *)e->name, e->name_len))
		snprintf(out, n, "“%.*s”", (int)e->name_len,
			 (const char *)e->name);
	else
		snprintf(out, n, "中的某个条目");
}

/*
 * Reads the local header the entry points to and checks that it agrees
 * with the central directory: the same name and method, the same sizes
 * unless they were deferred to a data descriptor, and data that ends
 * before the central directory starts. Records the bytes it covers.
 */
static int check_local(struct zip *z, const struct entry *e)
{
	const unsigned char *p = z->local;
	unsigned flags, nl, el;
	uint64_t lc, lu, end;

	if (e->offset > z->cd_off || z->cd_off - e->offset < LOCAL_LEN)
		return refuse(z, MSG_OUTSIDE);
	if (read_at(z, z->local, LOCAL_LEN, e->offset) < 0)
		return refuse(z, MSG_READ);
	if (le32(p) != SIG_LOCAL)
		return refuse(z, MSG_BROKEN);
	flags = le16(p + 6);
	lc = le32(p + 18);
	lu = le32(p + 22);
	nl = le16(p + 26);
	el = le16(p + 28);
	if (z->cd_off - e->offset - LOCAL_LEN < (uint64_t)nl + el)
		return refuse(z, MSG_OUTSIDE);
	if (read_at(z, z->local + LOCAL_LEN, (size_t)nl + el,
		    e->offset + LOCAL_LEN) < 0)
		return refuse(z, MSG_READ);
	if (flags & (FLAG_ENCRYPTED | FLAG_STRONG | FLAG_MASKED_HEADER))
		return refuse(z, MSG_ENCRYPTED);
	if (le16(p + 8) != e->method || nl != e->name_len ||
	    memcmp(p + LOCAL_LEN, e->name, nl))
		return refuse(z, MSG_BROKEN);
	if (zip64_extra(z, p + LOCAL_LEN + nl, el, &lu, &lc, NULL) < 0)
		return -1;
	/* With a data descriptor the local sizes may be left as zero. */
	if (!((flags & FLAG_DESCRIPTOR) && lc == 0 && lu == 0) &&
	    (lc != e->csize || lu != e->usize))
		return refuse(z, MSG_SIZES);
	end = e->offset + LOCAL_LEN + nl + el;
	if (e->csize > z->cd_off - end)
		return refuse(z, MSG_OUTSIDE);
	end += e->csize;
	/* A descriptor is at least 12 bytes; more only tightens the check. */
	if (flags & FLAG_DESCRIPTOR) {
		if (z->cd_off - end < 12)
			return refuse(z, MSG_OUTSIDE);
		end += 12;
	}
	z->spans[z->nspans].start = e->offset;
	z->spans[z->nspans].end = end;
	z->nspans++;
	return 0;
}

static int check_entry(struct zip *z, const struct entry *e)
{
	char name[400];

	if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG | FLAG_MASKED_HEADER) ||
	    e->method == 99)
		return refuse(z, MSG_ENCRYPTED);
	if (unsafe_name(e->name, e->name_len)) {
		show_name(e, name, sizeof(name));
		return refuse(z,
			      "压缩包中的文件名%s不安全（绝对路径或含有 ..）",
			      name);
	}
	if (e->method != METHOD_STORED && e->method != METHOD_DEFLATE)
		return refuse(z, MSG_METHOD);
	if (e->method == METHOD_STORED && e->csize != e->usize)
		return refuse(z, MSG_SIZES);
	/*
	 * Deflate tops out near 1032:1, and real documents stay far below
	 * 200:1; above that a large entry is a bomb, not a text.
	 */
	if (e->usize > ZIPCHECK_RATIO_FLOOR &&
	    (e->csize == 0 || e->usize / e->csize > ZIPCHECK_MAX_RATIO ||
	     (e->usize / e->csize == ZIPCHECK_MAX_RATIO &&
	      e->usize % e->csize))) {
		unsigned long long ratio = e->csize ? e->usize / e->csize
						    : e->usize;

		show_name(e, name, sizeof(name));
		return refuse(z,
			      "压缩包%s的压缩比异常（约 %llu:1），疑似压缩炸弹",
			      name, ratio);
	}
	if (e->usize > UINT64_MAX - z->total ||
	    z->total + e->usize > z->max_expanded)
		return refuse(z, "压缩包解压后的总大小超过上限（%llu MiB）",
			      (unsigned long long)(z->max_expanded >> 20));
	z->total += e->usize;
	return check_local(z, e);
}

static void note_name(struct zip *z, const struct entry *e)
{
	static const char types[] = "[Content_Types].xml";

	if (e->name_len == sizeof(types) - 1 &&
	    !memcmp(e->name, types, sizeof(types) - 1))
		z->has_types = true;
	else if (e->name_len > 5 && !memcmp(e->name, "word/", 5))
		z->has_word = true;
	else if (e->name_len > 4 && !memcmp(e->name, "ppt/", 4))
		z->has_ppt = true;
}

static int walk_directory(struct zip *z)
{
	uint64_t pos = z->cd_off, end = z->cd_off + z->cd_size;

	for (uint64_t i = 0; i < z->entries; i++) {
		const unsigned char *p;
		struct entry e;
		size_t nl, el, cl, len;
		unsigned disk;

		if (end - pos < CENTRAL_LEN)
			return refuse(z, MSG_BROKEN);
		p = at(z, pos, CENTRAL_LEN);
		if (!p)
			return -1;
		if (le32(p) != SIG_CENTRAL)
			return refuse(z, MSG_BROKEN);
		nl = le16(p + 28);
		el = le16(p + 30);
		cl = le16(p + 32);
		len = CENTRAL_LEN + nl + el + cl;
		if (end - pos < len)
			return refuse(z, MSG_BROKEN);
		p = at(z, pos, len);
		if (!p)
			return -1;
		e.flags = le16(p + 8);
		e.method = le16(p + 10);
		e.csize = le32(p + 20);
		e.usize = le32(p + 24);
		disk = le16(p + 34);
		e.offset = le32(p + 42);
		e.name = p + CENTRAL_LEN;
		e.name_len = nl;
		if (zip64_extra(z, p + CENTRAL_LEN + nl, el, &e.usize, &e.csize,
				&e.offset) < 0)
			return -1;
		/* A marker no ZIP64 field replaced is a lie about the size. */
		if (e.usize == 0xFFFFFFFFu || e.csize == 0xFFFFFFFFu ||
		    e.offset == 0xFFFFFFFFu) {
			if (!z->policy)
				goto next;
			return refuse(z, MSG_BROKEN);
		}
		if (disk != 0 && disk != 0xFFFF)
			return refuse(z, MSG_SPLIT);
		if (z->policy) {
			if (check_entry(z, &e) < 0)
				return -1;
		} else {
			note_name(z, &e);
		}
next:
		pos += len;
	}
	if (pos != end)
		return refuse(z, MSG_BROKEN);
	return 0;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/*
 * Entries that share bytes are how the smallest zip bombs get their
 * ratio (one compressed kernel referenced by many headers), and no
 * honest writer produces them.
 */
static int check_overlap(struct zip *z)
{
	qsort(z->spans, z->nspans, sizeof(*z->spans), cmp_span);
	for (size_t i = 1; i < z->nspans; i++)
		if (z->spans[i].start < z->spans[i - 1].end)
			return refuse(z, MSG_OVERLAP);
	return 0;
}

static int open_zip(struct zip *z, const char *path)
{
	struct stat st;

	z->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (z->fd < 0)
		return refuse(z, MSG_READ);
	if (fstat(z->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return refuse(z, MSG_READ);
	z->size = (uint64_t)st.st_size;
	z->win = malloc(WINDOW);
	if (!z->win)
		return refuse(z, "服务器内存不足，请稍后再试");
	return 0;
}

static void close_zip(struct zip *z)
{
	if (z->fd >= 0)
		close(z->fd);
	free(z->win);
	free(z->local);
	free(z->spans);
}

int zipcheck_file(const char *path, uint64_t max_entries, uint64_t max_expanded,
		  char *msg, size_t n)
{
	struct zip z = { .fd = -1,
			 .msg = msg,
			 .msglen = n,
			 .policy = true,
			 .max_expanded = max_expanded };
	int rc = -1;

	if (msg && n)
		msg[0] = '\0';
	if (open_zip(&z, path) < 0 || find_directory(&z) < 0)
		goto out;
	if (z.entries > max_entries) {
		refuse(&z, "压缩包中的文件过多（%llu 个，最多 %llu 个）",
		       (unsigned long long)z.entries,
		       (unsigned long long)max_entries);
		goto out;
	}
	/* Every header takes 46 bytes, so the count is bounded by the file. */
	if (z.entries > z.cd_size / CENTRAL_LEN) {
		refuse(&z, MSG_BROKEN);
		goto out;
	}
	z.local = malloc(LOCAL_BUF);
	z.spans = calloc(z.entries ? (size_t)z.entries : 1, sizeof(*z.spans));
	if (!z.local || !z.spans) {
		refuse(&z, "服务器内存不足，请稍后再试");
		goto out;
	}
	if (walk_directory(&z) < 0 || check_overlap(&z) < 0)
		goto out;
	rc = 0;
out:
	close_zip(&z);
	return rc;
}

int zipcheck_ooxml_kind(const char *path, char kind_out[16])
{
	struct zip z = { .fd = -1 };
	int rc = -1;

	kind_out[0] = '\0';
	if (open_zip(&z, path) < 0 || find_directory(&z) < 0 ||
	    z.entries > z.cd_size / CENTRAL_LEN || walk_directory(&z) < 0)
		goto out;
	if (z.has_types && z.has_word != z.has_ppt)
		snprintf(kind_out, 16, "%s", z.has_word ? "docx" : "pptx");
	rc = 0;
out:
	close_zip(&z);
	return rc;
}
