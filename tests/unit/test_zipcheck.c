/* test_zipcheck.c: zip files written by hand, good and hostile */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "files/zipcheck.h"

#define MiB (1024ull * 1024)

/* One entry; data NULL means csize zero bytes (fake deflate data). */
struct tent {
	const char *name;
	unsigned method, flags;
	uint64_t csize, usize;
	const char *data;
	bool z64;	    /* sizes in ZIP64 extra fields */
	bool local_differs; /* local header says usize + 1 */
};

struct topts {
	bool zip64_eocd;      /* ZIP64 record and locator, markers in EOCD */
	int64_t cd_off_delta; /* added to the recorded directory offset */
	const char *comment;
	bool dup_first; /* a second directory entry for entry 0 */
};

static char dir[] = "/tmp/saiwu-test-zip-XXXXXX";
static char path[256];

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void put16(FILE *f, unsigned v)
{
	fputc((int)(v & 0xFF), f);
	fputc((int)((v >> 8) & 0xFF), f);
}

static void put32(FILE *f, uint32_t v)
{
	put16(f, v & 0xFFFF);
	put16(f, v >> 16);
}

static void put64(FILE *f, uint64_t v)
{
	put32(f, (uint32_t)v);
	put32(f, (uint32_t)(v >> 32));
}

static void put_header(FILE *f, const struct tent *e, uint32_t crc,
		       uint64_t usize, bool central, uint64_t offset)
{
	size_t nl = strlen(e->name);

	put32(f, central ? 0x02014b50u : 0x04034b50u);
	if (central)
		put16(f, 45);
	put16(f, e->z64 ? 45 : 20);
	put16(f, e->flags);
	put16(f, e->method);
	put32(f, 0); /* time, date */
	put32(f, crc);
	put32(f, e->z64 ? 0xFFFFFFFFu : (uint32_t)e->csize);
	put32(f, e->z64 ? 0xFFFFFFFFu : (uint32_t)usize);
	put16(f, (unsigned)nl);
	put16(f, e->z64 ? 20 : 0);
	if (central) {
		put16(f, 0); /* comment */
		put16(f, 0); /* disk */
		put16(f, 0); /* internal attributes */
		put32(f, 0); /* external attributes */
		put32(f, (uint32_t)offset);
	}
	fwrite(e->name, 1, nl, f);
	if (e->z64) {
		put16(f, 1);
		put16(f, 16);
		put64(f, usize);
		put64(f, e->csize);
	}
}

/* Writes the entries to path as a zip; returns its size. */
static long write_zip(const struct tent *ents, size_t n, const struct topts *o)
{
	FILE *f = fopen(path, "wb");
	uint64_t offs[64], crcs[64], cd_off, cd_size, rec_off;
	size_t count = n + (o->dup_first ? 1 : 0);
	long size;

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct tent *e = &ents[i];
		uint32_t crc = e->data ? crc32((const unsigned char *)e->data,
					       e->csize)
				       : 0x12345678u;

		offs[i] = (uint64_t)ftell(f);
		crcs[i] = crc;
		put_header(f, e, crc, e->usize + (e->local_differs ? 1 : 0),
			   false, 0);
		if (e->data) {
			fwrite(e->data, 1, e->csize, f);
		} else {
			for (uint64_t k = 0; k < e->csize; k++)
				fputc(0, f);
		}
	}
	cd_off = (uint64_t)ftell(f);
	for (size_t i = 0; i < count; i++) {
		size_t k = i < n ? i : 0;
		put_header(f, &ents[k], (uint32_t)crcs[k], ents[k].usize, true,
			   offs[k]);
	}
	cd_size = (uint64_t)ftell(f) - cd_off;
	cd_off += (uint64_t)o->cd_off_delta;
	if (o->zip64_eocd) {
		rec_off = (uint64_t)ftell(f);
		put32(f, 0x06064b50u);
		put64(f, 44);
		put16(f, 45);
		put16(f, 45);
		put32(f, 0);
		put32(f, 0);
		put64(f, count);
		put64(f, count);
		put64(f, cd_size);
		put64(f, cd_off);
		put32(f, 0x07064b50u);
		put32(f, 0);
		put64(f, rec_off);
		put32(f, 1);
	}
	put32(f, 0x06054b50u);
	put16(f, 0);
	put16(f, 0);
	put16(f, o->zip64_eocd ? 0xFFFF : (unsigned)count);
	put16(f, o->zip64_eocd ? 0xFFFF : (unsigned)count);
	put32(f, o->zip64_eocd ? 0xFFFFFFFFu : (uint32_t)cd_size);
	put32(f, o->zip64_eocd ? 0xFFFFFFFFu : (uint32_t)cd_off);
	put16(f, o->comment ? (unsigned)strlen(o->comment) : 0);
	if (o->comment)
		fputs(o->comment, f);
	size = ftell(f);
	fclose(f);
	return size;
}

#define CT                                                                     \
	"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."                \
	"openxmlformats.org/package/2006/content-types\"/>"
#define RELS "<?xml version=\"1.0\"?><Relationships/>"
#define DOC "<?xml version=\"1.0\"?><w:document/>"

#define STORED(n, d)                                                           \
	{                                                                      \
		n, 0, 0, sizeof(d) - 1, sizeof(d) - 1, d, false, false         \
	}

static const struct tent docx[] = {
	STORED("[Content_Types].xml", CT),
	STORED("_rels/.rels", RELS),
	STORED("word/document.xml", DOC),
};

static int check(const struct tent *ents, size_t n, const struct topts *o,
		 char *msg, size_t msglen)
{
	if (write_zip(ents, n, o) < 0)
		return -2;
	return zipcheck_file(path, ZIPCHECK_MAX_ENTRIES, ZIPCHECK_MAX_EXPANDED,
			     msg, msglen);
}

static void test_good(void)
{
	struct topts o = { 0 };
	struct tent deflated[] = {
		STORED("[Content_Types].xml", CT),
		{ "word/document.xml", 8, 0, 1000, 50000, NULL, false, false },
		{ "word/media/image1.png", 8, 0, 1 * MiB, 2 * MiB, NULL, false,
		  false },
		/* 300:1, but small: no bomb */
		{ "word/settings.xml", 8, 0, 3000, 900000, NULL, false, false },
		{ "a..b/c.xml", 8, 0, 10, 20, NULL, false, false },
		{ "word/", 0, 0, 0, 0, "", false, false },
	};
	char msg[256], kind[16];

	is_int(check(docx, 3, &o, msg, sizeof(msg)), 0, "small docx passes");
	ok(zipcheck_ooxml_kind(path, kind) == 0, "docx names read");
	is_str(kind, "docx", "docx by its names");
	o.comment = "a comment at the end";
	is_int(check(docx, 3, &o, msg, sizeof(msg)), 0, "zip comment");
	o.comment = NULL;
	is_int(check(deflated, sizeof(deflated) / sizeof(deflated[0]), &o, msg,
		     sizeof(msg)),
	       0, "deflated entries with sane ratios");
	if (msg[0])
		printf("# %s\n", msg);
	o.zip64_eocd = true;
	is_int(check(docx, 3, &o, msg, sizeof(msg)), 0,
	       "ZIP64 end of central directory record");
	if (msg[0])
		printf("# %s\n", msg);
}

static void test_kinds(void)
{
	struct topts o = { 0 };
	struct tent pptx[] = {
		STORED("[Content_Types].xml", CT),
		STORED("ppt/presentation.xml", DOC),
	};
	struct tent plain[] = { STORED("hello.txt", "hi") };
	char kind[16];

	write_zip(pptx, 2, &o);
	ok(zipcheck_ooxml_kind(path, kind) == 0 && !strcmp(kind, "pptx"),
	   "pptx by its names: '%s'", kind);
	write_zip(plain, 1, &o);
	ok(zipcheck_ooxml_kind(path, kind) == 0 && kind[0] == '\0',
	   "plain zip is no OOXML");
	write_zip(docx + 1, 2, &o);
	ok(zipcheck_ooxml_kind(path, kind) == 0 && kind[0] == '\0',
	   "no [Content_Types].xml, no OOXML");
}

static void test_bombs(void)
{
	struct topts o = { 0 };
	struct tent bomb[] = {
		STORED("[Content_Types].xml", CT),
		/* 10 GB from 10 KB */
		{ "word/document.xml", 8, 0, 10240, 10000000000ull, NULL, true,
		  false },
	};
	struct tent ratio[] = {
		{ "word/document.xml", 8, 0, 10240, 3 * MiB, NULL, false,
		  false },
	};
	struct tent big[] = {
		{ "word/a.xml", 8, 0, 100000, 4 * MiB, NULL, false, false },
		{ "word/b.xml", 8, 0, 100000, 4 * MiB, NULL, false, false },
		{ "word/c.xml", 8, 0, 100000, 4 * MiB, NULL, false, false },
	};
	struct tent many[20];
	char names[20][16], msg[256];

	is_int(check(bomb, 2, &o, msg, sizeof(msg)), -1, "10 GB bomb");
	ok(strstr(msg, "压缩炸弹") != NULL, "bomb message: %s", msg);
	o.zip64_eocd = true;
	is_int(check(bomb, 2, &o, msg, sizeof(msg)), -1,
	       "10 GB bomb with ZIP64 EOCD");
	o.zip64_eocd = false;
	is_int(check(ratio, 1, &o, msg, sizeof(msg)), -1, "300:1 above 1 MiB");
	ok(strstr(msg, "压缩比") != NULL, "ratio message: %s", msg);

	write_zip(big, 3, &o);
	is_int(zipcheck_file(path, 100, 10 * MiB, msg, sizeof(msg)), -1,
	       "12 MiB expanded over a 10 MiB limit");
	ok(strstr(msg, "总大小") != NULL, "total message: %s", msg);
	is_int(zipcheck_file(path, 100, 12 * MiB, msg, sizeof(msg)), 0,
	       "12 MiB expanded at a 12 MiB limit");

	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "word/f%d.xml", i);
		many[i] = (struct tent){
			names[i], 0, 0, 1, 1, "x", false, false
		};
	}
	write_zip(many, 20, &o);
	is_int(zipcheck_file(path, 10, ZIPCHECK_MAX_EXPANDED, msg, sizeof(msg)),
	       -1, "20 entries over a limit of 10");
	ok(strstr(msg, "过多") != NULL, "count message: %s", msg);
	is_int(zipcheck_file(path, 20, ZIPCHECK_MAX_EXPANDED, msg, sizeof(msg)),
	       0, "20 entries at a limit of 20");
	o.zip64_eocd = true;
	write_zip(many, 20, &o);
	is_int(zipcheck_file(path, 10, ZIPCHECK_MAX_EXPANDED, msg, sizeof(msg)),
	       -1, "count read from the ZIP64 record");
	is_int(zipcheck_file(path, 20, ZIPCHECK_MAX_EXPANDED, msg, sizeof(msg)),
	       0, "20 entries via ZIP64 record");

	o = (struct topts){ .dup_first = true };
	is_int(check(docx, 3, &o, msg, sizeof(msg)), -1,
	       "two directory entries for one local entry");
	ok(strstr(msg, "重叠") != NULL, "overlap message: %s", msg);
}

static void test_structure(void)
{
	struct topts o = { 0 };
	char msg[256];
	long size;
	FILE *f;

	size = write_zip(docx, 3, &o);
	ok(truncate(path, size / 2) == 0, "truncate");
	is_int(zipcheck_file(path, 100, MiB, msg, sizeof(msg)), -1,
	       "half a zip");
	write_zip(docx, 3, &o);
	ok(truncate(path, size - 5) == 0, "truncate");
	is_int(zipcheck_file(path, 100, MiB, msg, sizeof(msg)), -1,
	       "EOCD cut short");

	o.cd_off_delta = size + 100;
	is_int(check(docx, 3, &o, msg, sizeof(msg)), -1,
	       "directory past the end of the file");
	o.cd_off_delta = -5;
	is_int(check(docx, 3, &o, msg, sizeof(msg)), -1,
	       "directory at a wrong offset");
	o.cd_off_delta = 0;
	o.zip64_eocd = true;
	o.cd_off_delta = 1000000;
	is_int(check(docx, 3, &o, msg, sizeof(msg)), -1,
	       "ZIP64 directory past the end of the file");

	f = fopen(path, "wb");
	fputs("%PDF-1.4 not a zip at all, no end of central directory", f);
	fclose(f);
	is_int(zipcheck_file(path, 100, MiB, msg, sizeof(msg)), -1,
	       "not a zip");
	ok(msg[0] != '\0', "not a zip has a message");
	f = fopen(path, "wb");
	fclose(f);
	is_int(zipcheck_file(path, 100, MiB, msg, sizeof(msg)), -1,
	       "empty file");
	is_int(zipcheck_file("/nonexistent/x.docx", 100, MiB, msg, sizeof(msg)),
	       -1, "missing file");
}

static void test_entries(void)
{
	static const char *const bad_names[] = {
		"../evil.xml", "/etc/passwd",	  "word/../../x.xml",
		"C:\\x.xml",   "word\\..\\x.xml", "\\server\\x",
		"word/..",
	};
	struct topts o = { 0 };
	struct tent e[2] = { STORED("[Content_Types].xml", CT),
			     STORED("x", DOC) };
	char msg[256];

	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		e[1].name = bad_names[i];
		is_int(check(e, 2, &o, msg, sizeof(msg)), -1, bad_names[i]);
		ok(strstr(msg, "不安全") != NULL, "name message: %s", msg);
	}
	e[1].name = "word/document.xml";
	e[1].flags = 1;
	is_int(check(e, 2, &o, msg, sizeof(msg)), -1, "encrypted entry");
	ok(strstr(msg, "加密") != NULL, "encrypted message: %s", msg);
	e[1].flags = 0;
	e[1].method = 12;
	is_int(check(e, 2, &o, msg, sizeof(msg)), -1, "bzip2 entry");
	e[1].method = 0;
	e[1].local_differs = true;
	is_int(check(e, 2, &o, msg, sizeof(msg)), -1,
	       "local size differs from the directory");
	e[1].local_differs = false;
	e[1].usize = e[1].csize + 1;
	is_int(check(e, 2, &o, msg, sizeof(msg)), -1,
	       "stored entry with two sizes");
	e[1].usize = e[1].csize;
	/* sizes left to a data descriptor: zero in the local header */
	e[1].flags = 8;
	is_int(check(e, 2, &o, msg, sizeof(msg)), -1,
	       "descriptor flag without a descriptor");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/t.zip", dir);
	test_good();
	test_kinds();
	test_bombs();
	test_structure();
	test_entries();
	unlink(path);
	rmdir(dir);
	return done_testing("test_zipcheck");
}
