/* test_filetype.c: sniffing headers built here, accepting and refusing */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "files/filetype.h"

static char dir[] = "/tmp/saiwu-test-filetype-XXXXXX";

/* The kinds the 作品 upload of a typical contest accepts. */
static const char *const docs_and_images[] = { "pdf", "doc", "docx",
					       "jpg", "png", NULL };
static const char *const office[] = { "doc", "docx", "ppt", "pptx", NULL };
static const char *const video[] = { "mp4", NULL };

struct sample {
	unsigned char b[600];
	size_t len;
};

static void add(struct sample *s, const void *p, size_t n)
{
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

static void be32(struct sample *s, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24),
			       (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	add(s, b, 4);
}

static void le16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
	le16(p, v & 0xFFFF);
	le16(p + 2, v >> 16);
}

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

static struct sample pdf(void)
{
	static const char text[] =
		"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
		"trailer\n<< /Root 1 0 R >>\n%%EOF\n";
	struct sample s = { .len = 0 };

	add(&s, text, sizeof(text) - 1);
	return s;
}

static struct sample png(void)
{
	static const unsigned char sig[] = { 0x89, 'P',	 'N',  'G',
					     '\r', '\n', 0x1A, '\n' };
	unsigned char ihdr[17] = { 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0,
				   0,	0,   1,	  8,   2, 0, 0, 0 };
	struct sample s = { .len = 0 };

	add(&s, sig, sizeof(sig));
	be32(&s, 13);
	add(&s, ihdr, sizeof(ihdr));
	be32(&s, crc32(ihdr, sizeof(ihdr)));
	return s;
}

static struct sample jpeg(void)
{
	static const unsigned char app0[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00,
					      0x10, 'J',  'F',	'I',  'F',
					      0x00, 0x01, 0x01, 0x00, 0x00,
					      0x01, 0x00, 0x01, 0x00, 0x00,
					      0xFF, 0xD9 };
	struct sample s = { .len = 0 };

	add(&s, app0, sizeof(app0));
	return s;
}

static struct sample elf(void)
{
	struct sample s = { .len = 64 };

	memset(s.b, 0, 64);
	memcpy(s.b,
	       "\x7f"
	       "ELF",
	       4);
	s.b[4] = 2;	    /* 64-bit */
	s.b[5] = 1;	    /* little-endian */
	s.b[6] = 1;	    /* version */
	le16(s.b + 16, 2);  /* ET_EXEC */
	le16(s.b + 18, 62); /* x86-64 */
	le32(s.b + 20, 1);
	le16(s.b + 52, 64); /* header size */
	return s;
}

static struct sample pe(void)
{
	struct sample s = { .len = 0x80 + 24 + 224 };

	memset(s.b, 0, s.len);
	s.b[0] = 'M';
	s.b[1] = 'Z';
	le32(s.b + 0x3C, 0x80);
	memcpy(s.b + 0x80, "PE\0\0", 4);
	le16(s.b + 0x84, 0x14C); /* i386 */
	le16(s.b + 0x86, 1);	 /* sections */
	le16(s.b + 0x94, 224);	 /* optional header size */
	le16(s.b + 0x96, 0x102); /* executable, 32-bit */
	le16(s.b + 0x98, 0x10B); /* PE32 */
	return s;
}

static struct sample mp4(void)
{
	struct sample s = { .len = 0 };

	be32(&s, 24);
	add(&s, "ftypisom", 8);
	be32(&s, 512);
	add(&s, "isomiso2", 8);
	be32(&s, 8);
	add(&s, "free", 4);
	return s;
}

static struct sample ole(void)
{
	static const unsigned char sig[] = { 0xD0, 0xCF, 0x11, 0xE0,
					     0xA1, 0xB1, 0x1A, 0xE1 };
	struct sample s = { .len = 512 };

	memset(s.b, 0, s.len);
	memcpy(s.b, sig, sizeof(sig));
	le16(s.b + 24, 0x3E);	/* minor version */
	le16(s.b + 26, 3);	/* major version */
	le16(s.b + 28, 0xFFFE); /* little-endian */
	le16(s.b + 30, 9);	/* 512-byte sectors */
	le16(s.b + 32, 6);	/* 64-byte mini sectors */
	le32(s.b + 44, 1);	/* FAT sectors */
	le32(s.b + 48, 0);	/* first directory sector */
	le32(s.b + 56, 0x1000); /* mini stream cutoff */
	le32(s.b + 60, 0xFFFFFFFEu);
	le32(s.b + 68, 0xFFFFFFFEu);
	for (int i = 76; i < 512; i += 4)
		le32(s.b + i, 0xFFFFFFFFu);
	return s;
}

static void put16(FILE *f, unsigned v)
{
	fputc((int)(v & 0xFF), f);
	fputc((int)(v >> 8), f);
}

static void put32(FILE *f, uint32_t v)
{
	put16(f, v & 0xFFFF);
	put16(f, v >> 16);
}

/* Writes a zip of stored entries, each holding its own name as data. */
static void write_zip(const char *path, const char *const *names, size_t n)
{
	FILE *f = fopen(path, "wb");
	uint32_t offs[8], cd = 0;

	for (size_t pass = 0; pass < 2; pass++) {
		if (pass)
			cd = (uint32_t)ftell(f);
		for (size_t i = 0; i < n; i++) {
			uint32_t len = (uint32_t)strlen(names[i]);
			uint32_t crc =
				crc32((const unsigned char *)names[i], len);
			if (!pass)
				offs[i] = (uint32_t)ftell(f);
			put32(f, pass ? 0x02014b50u : 0x04034b50u);
			if (pass)
				put16(f, 20);
			put16(f, 20);
			put16(f, 0);
			put16(f, 0);
			put32(f, 0);
			put32(f, crc);
			put32(f, len);
			put32(f, len);
			put16(f, (unsigned)len);
			put16(f, 0);
			if (pass) {
				put16(f, 0);
				put16(f, 0);
				put16(f, 0);
				put32(f, 0);
				put32(f, offs[i]);
			}
			fwrite(names[i], 1, len, f);
			if (!pass)
				fwrite(names[i], 1, len, f);
		}
	}
	{
		uint32_t end = (uint32_t)ftell(f);
		put32(f, 0x06054b50u);
		put32(f, 0);
		put16(f, (unsigned)n);
		put16(f, (unsigned)n);
		put32(f, end - cd);
		put32(f, cd);
		put16(f, 0);
	}
	fclose(f);
}

static int sniff(const struct sample *s, const char *path, char *kind,
		 char *mime)
{
	char err[256];
	int rc = filetype_sniff(s ? s->b : NULL, s ? s->len : 0, path, kind,
				mime, err, sizeof(err));
	if (rc)
		printf("# sniff: %s\n", err);
	return rc;
}

static void sniffs_as(const struct sample *s, const char *want_kind,
		      const char *want_mime, const char *name)
{
	char kind[FILETYPE_KIND_MAX], mime[FILETYPE_MIME_MAX];

	ok(sniff(s, NULL, kind, mime) == 0 && !strcmp(kind, want_kind) &&
		   (!want_mime || !strcmp(mime, want_mime)),
	   "%s: got %s (%s), want %s", name, kind, mime, want_kind);
}

static void test_sniff(void)
{
	struct sample s;

	s = pdf();
	sniffs_as(&s, "pdf", "application/pdf", "pdf");
	s = png();
	sniffs_as(&s, "png", "image/png", "png");
	s = jpeg();
	sniffs_as(&s, "jpg", "image/jpeg", "jpeg");
	s = mp4();
	sniffs_as(&s, "mp4", "video/mp4", "mp4");
	s = elf();
	sniffs_as(&s, FILETYPE_EXE, NULL, "elf");
	s = pe();
	sniffs_as(&s, FILETYPE_EXE, NULL, "pe");
	s = ole();
	sniffs_as(&s, FILETYPE_CDF, NULL, "ole2");
	s.len = 0;
	sniffs_as(&s, FILETYPE_OTHER, NULL, "empty");
	add(&s, "just some text\n", 15);
	sniffs_as(&s, FILETYPE_OTHER, NULL, "text");
}

static void test_sniff_files(void)
{
	static const char *const docx[] = { "[Content_Types].xml",
					    "_rels/.rels",
					    "word/document.xml" };
	/* libmagic only looks at the third entry; this one has two */
	static const char *const pptx[] = { "[Content_Types].xml",
					    "ppt/presentation.xml" };
	static const char *const plain[] = { "hello.txt", "world.txt",
					     "again.txt" };
	char path[300], kind[FILETYPE_KIND_MAX], mime[FILETYPE_MIME_MAX];
	unsigned char head[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/upload.tmp", dir);
	write_zip(path, docx, 3);
	f = fopen(path, "rb");
	ok(f && fread(head, 1, sizeof(head), f) == sizeof(head), "read head");
	if (f)
		fclose(f);
	ok(sniff(&(struct sample){ .len = 0 }, path, kind, mime) == 0 &&
		   !strcmp(kind, "docx"),
	   "docx from the file: %s (%s)", kind, mime);
	{
		char err[128];
		ok(filetype_sniff(head, sizeof(head), path, kind, mime, err,
				  sizeof(err)) == 0 &&
			   !strcmp(kind, "docx") &&
			   !strcmp(mime, filetype_find("docx")->mime),
		   "docx from head and file: %s (%s)", kind, mime);
		ok(filetype_sniff(head, sizeof(head), NULL, kind, mime, err,
				  sizeof(err)) == 0 &&
			   strcmp(kind, "docx"),
		   "a 64-byte head alone is not enough: %s", kind);
	}
	write_zip(path, pptx, 2);
	ok(sniff(NULL, path, kind, mime) == 0 && !strcmp(kind, "pptx") &&
		   !strcmp(mime, filetype_find("pptx")->mime),
	   "pptx from its entry names: %s (%s)", kind, mime);
	write_zip(path, plain, 3);
	ok(sniff(NULL, path, kind, mime) == 0 && !strcmp(kind, FILETYPE_ZIP),
	   "plain zip: %s (%s)", kind, mime);
	is_int(filetype_accept("作品.docx", office, kind, NULL, 0) == 0 ? 0
									: -1,
	       -1, "plain zip named .docx");
	unlink(path);
}

static int try_accept(const char *name, const char *const *allowed,
		      const char *kind, char *msg, size_t n)
{
	msg[0] = '\0';
	return filetype_accept(name, allowed, kind, msg, n);
}

static void test_accept(void)
{
	char msg[512];
	struct sample s;
	char kind[FILETYPE_KIND_MAX], mime[FILETYPE_MIME_MAX];

	is_int(try_accept("报告.pdf", docs_and_images, "pdf", msg, sizeof(msg)),
	       0, "pdf");
	is_int(try_accept("REPORT.PDF", docs_and_images, "pdf", msg,
			  sizeof(msg)),
	       0, "upper-case extension");
	is_int(try_accept("photo.JPEG", docs_and_images, "jpg", msg,
			  sizeof(msg)),
	       0, ".jpeg is jpg");
	is_int(try_accept("a.b.png", docs_and_images, "png", msg, sizeof(msg)),
	       0, "last dot counts");
	is_int(try_accept("旧版.doc", docs_and_images, FILETYPE_CDF, msg,
			  sizeof(msg)),
	       0, "OLE2 file named .doc");
	is_int(try_accept("旧版.ppt", office, FILETYPE_CDF, msg, sizeof(msg)),
	       0, "OLE2 file named .ppt");
	is_int(try_accept("clip.mp4", video, "mp4", msg, sizeof(msg)), 0,
	       "mp4");

	s = png();
	ok(sniff(&s, NULL, kind, mime) == 0, "sniff png");
	is_int(try_accept("论文.pdf", docs_and_images, kind, msg, sizeof(msg)),
	       -1, "png named .pdf");
	is_str(msg,
	       "文件类型不符：仅接受 PDF、Word、JPG、PNG 文件（该文件实际为 PNG "
	       "图片，扩展名却是 .pdf）",
	       "png named .pdf message");

	s = elf();
	ok(sniff(&s, NULL, kind, mime) == 0, "sniff elf");
	is_int(try_accept("论文.pdf", docs_and_images, kind, msg, sizeof(msg)),
	       -1, "ELF renamed .pdf");
	ok(strstr(msg, "可执行程序") != NULL, "elf message: %s", msg);
	s = pe();
	ok(sniff(&s, NULL, kind, mime) == 0, "sniff pe");
	is_int(try_accept("论文.pdf", docs_and_images, kind, msg, sizeof(msg)),
	       -1, "PE renamed .pdf");
	is_int(try_accept("setup.exe", docs_and_images, kind, msg, sizeof(msg)),
	       -1, ".exe");
	is_str(msg,
	       "文件类型不符：仅接受 PDF、Word、JPG、PNG 文件（不接受扩展名 "
	       ".exe）",
	       ".exe message");

	is_int(try_accept("旧版.pdf", docs_and_images, FILETYPE_CDF, msg,
			  sizeof(msg)),
	       -1, "OLE2 named .pdf");
	is_int(try_accept("旧版.docx", office, FILETYPE_CDF, msg, sizeof(msg)),
	       -1, "OLE2 named .docx");
	is_int(try_accept("新版.doc", office, "docx", msg, sizeof(msg)), -1,
	       "docx named .doc");
	is_int(try_accept("clip.mp4", docs_and_images, "mp4", msg, sizeof(msg)),
	       -1, "mp4 where it is not allowed");
	is_int(try_accept("论文", docs_and_images, "pdf", msg, sizeof(msg)), -1,
	       "no extension");
	ok(strstr(msg, "缺少扩展名") != NULL, "no extension message: %s", msg);
	is_int(try_accept("论文.", docs_and_images, "pdf", msg, sizeof(msg)),
	       -1, "empty extension");
	is_int(try_accept("论文.pdf", docs_and_images, FILETYPE_OTHER, msg,
			  sizeof(msg)),
	       -1, "unknown content");
	ok(strstr(msg, "不符") != NULL, "unknown content message: %s", msg);
	is_int(try_accept("论文.pdf", docs_and_images, NULL, msg, sizeof(msg)),
	       0, "name only: allowed extension");
	is_int(try_accept("论文.exe", docs_and_images, NULL, msg, sizeof(msg)),
	       -1, "name only: extension not allowed");
	is_int(try_accept("论文.pdf", (const char *const[]){ "exe", NULL },
			  "pdf", msg, sizeof(msg)),
	       -1, "nothing allowed");
	is_int(try_accept("论文.pdf", docs_and_images, "pdf", msg, 8), 0,
	       "short buffer is fine when accepted");
	is_int(try_accept("论文.png", docs_and_images, "pdf", msg, 8), -1,
	       "short message buffer");
	ok(strlen(msg) < 8, "message truncated to its buffer");
}

static void test_table(void)
{
	is_int(filetype_count, 8, "eight kinds");
	is_str(filetype_label("pdf"), "PDF", "pdf label");
	is_str(filetype_label("docx"), "Word", "docx label");
	is_str(filetype_label("doc"), "Word", "doc label");
	is_str(filetype_label("ppt"), "PPT", "ppt label");
	is_str(filetype_label("pptx"), "PPT", "pptx label");
	is_str(filetype_label("jpg"), "JPG", "jpg label");
	is_str(filetype_label("png"), "PNG", "png label");
	is_str(filetype_label("mp4"), "MP4", "mp4 label");
	ok(filetype_label("exe") == NULL, "no label for exe");
	is_str(filetype_find("pptx")->mime,
	       "application/vnd.openxmlformats-officedocument.presentationml."
	       "presentation",
	       "pptx mime");
	is_str(filetype_by_ext("JPEG")->kind, "jpg", "jpeg extension");
	ok(filetype_by_ext("exe") == NULL, "no exe extension");
}

static void test_names(void)
{
	char msg[256], name[1024];
	size_t len = 0;

	is_int(filetype_name_ok("参赛作品-最终版 (2).pdf", msg, sizeof(msg)), 0,
	       "ordinary name");
	is_int(filetype_name_ok(".hidden", msg, sizeof(msg)), 0, "leading dot");
	is_int(filetype_name_ok("", msg, sizeof(msg)), -1, "empty");
	is_int(filetype_name_ok(NULL, msg, sizeof(msg)), -1, "NULL");
	is_int(filetype_name_ok(".", msg, sizeof(msg)), -1, ".");
	is_int(filetype_name_ok("..", msg, sizeof(msg)), -1, "..");
	is_int(filetype_name_ok("a/b.pdf", msg, sizeof(msg)), -1, "slash");
	is_int(filetype_name_ok("..\\b.pdf", msg, sizeof(msg)), -1,
	       "backslash");
	is_int(filetype_name_ok("a\tb.pdf", msg, sizeof(msg)), -1, "tab");
	is_int(filetype_name_ok("a\x7f.pdf", msg, sizeof(msg)), -1, "DEL");
	is_int(filetype_name_ok("a\xc2\x85.pdf", msg, sizeof(msg)), -1,
	       "C1 control");
	is_int(filetype_name_ok("a\xff.pdf", msg, sizeof(msg)), -1,
	       "not UTF-8");
	is_int(filetype_name_ok("a\xc0\xaf.pdf", msg, sizeof(msg)), -1,
	       "overlong slash");
	is_int(filetype_name_ok("作品\xe2\x80\xae"
				"fdp.exe",
				msg, sizeof(msg)),
	       -1, "right-to-left override");
	ok(strstr(msg, "不可见") != NULL, "override message: %s", msg);

	for (int i = 0; i < 200; i++) {
		memcpy(name + len, "作", 3);
		len += 3;
	}
	name[len] = '\0';
	is_int(filetype_name_ok(name, msg, sizeof(msg)), 0, "200 characters");
	memcpy(name + len, "a", 2);
	is_int(filetype_name_ok(name, msg, sizeof(msg)), -1, "201 characters");
	ok(strstr(msg, "200") != NULL, "length message: %s", msg);
	memset(name, 'a', 1000);
	name[1000] = '\0';
	is_int(filetype_name_ok(name, msg, sizeof(msg)), -1, "1000 bytes");
}

static void *sniff_loop(void *arg)
{
	struct sample s[3] = { pdf(), png(), jpeg() };
	static const char *const want[3] = { "pdf", "png", "jpg" };
	long bad = 0;

	for (int i = 0; i < 60; i++) {
		char kind[FILETYPE_KIND_MAX], mime[FILETYPE_MIME_MAX], err[128];
		if (filetype_sniff(s[i % 3].b, s[i % 3].len, NULL, kind, mime,
				   err, sizeof(err)) ||
		    strcmp(kind, want[i % 3]))
			bad++;
	}
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	long bad = 0;

	for (int i = 0; i < 4; i++)
		ok(pthread_create(&t[i], NULL, sniff_loop, NULL) == 0,
		   "thread");
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	is_int(bad, 0, "sniffs on four threads at once");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_table();
	test_sniff();
	test_sniff_files();
	test_accept();
	test_names();
	test_threads();
	filetype_thread_release();
	rmdir(dir);
	return done_testing("test_filetype");
}
