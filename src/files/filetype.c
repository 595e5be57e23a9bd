/* filetype.c: the attachment type table and libmagic sniffing */
#include <errno.h>
#include <magic.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "filetype.h"
#include "zipcheck.h"
#include "../util/str.h"
#include "../util/banned.h"

#define MIME_DOCX                                                              \
	"application/vnd.openxmlformats-officedocument.wordprocessingml."      \
	"document"
#define MIME_PPTX                                                              \
	"application/vnd.openxmlformats-officedocument.presentationml."        \
	"presentation"

const struct filetype filetype_table[] = {
	{ "pdf", "application/pdf", "PDF", { "pdf", NULL } },
	{ "doc", "application/msword", "Word", { "doc", NULL } },
	{ "docx", MIME_DOCX, "Word", { "docx", NULL } },
	{ "ppt", "application/vnd.ms-powerpoint", "PPT", { "ppt", NULL } },
	{ "pptx", MIME_PPTX, "PPT", { "pptx", NULL } },
	{ "jpg", "image/jpeg", "JPG", { "jpg", "jpeg", NULL } },
	{ "png", "image/png", "PNG", { "png", NULL } },
	{ "mp4", "video/mp4", "MP4", { "mp4", NULL } },
};
const size_t filetype_count =
	sizeof(filetype_table) / sizeof(filetype_table[0]);

/* What a sniffed kind is called when telling the user what the file is. */
static const struct {
	const char *kind;
	const char *what;
} descriptions[] = {
	{ "pdf", "PDF 文档" },
	{ "doc", "Word 文档（.doc）" },
	{ "docx", "Word 文档（.docx）" },
	{ "ppt", "PPT 演示文稿（.ppt）" },
	{ "pptx", "PPT 演示文稿（.pptx）" },
	{ "jpg", "JPG 图片" },
	{ "png", "PNG 图片" },
	{ "mp4", "MP4 视频" },
	{ FILETYPE_CDF, "Office 97-2003 复合文档" },
	{ FILETYPE_ZIP, "ZIP 压缩包" },
	{ FILETYPE_EXE, "可执行程序" },
};

/*
 * MIME types libmagic gives programs and libraries. Renaming one to .pdf
 * is the oldest trick there is, so they get a name of their own in the
 * message.
 */
static const char *const exe_mimes[] = {
	"application/x-executable",
	"application/x-pie-executable",
	"application/x-sharedlib",
	"application/x-object",
	"application/x-coredump",
	"application/x-mach-binary",
	"application/x-dosexec",
	"application/x-msdownload",
	"application/vnd.microsoft.portable-executable",
	"application/x-ms-installer",
	"application/x-msi",
	"application/x-elf",
	"application/java-archive",
	"application/x-java-applet",
	"text/x-shellscript",
};

/*
 * Decompressing inside files, tar, JSON, CSV and text-encoding checks
 * tell us nothing about the types we accept, and each is more parser code
 * that hostile uploads could reach; so they are off. CDF stays on: it is
 * how libmagic tells an old Word file from an old PowerPoint one.
 */
#define MAGIC_FLAGS                                                            \
	(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |             \
	 MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_JSON | MAGIC_NO_CHECK_CSV |       \
	 MAGIC_NO_CHECK_ENCODING)

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t magic_key;
static int key_err;

static void close_magic(void *p)
{
	magic_close(p);
}

static void make_key(void)
{
	key_err = pthread_key_create(&magic_key, close_magic);
}

const struct filetype *filetype_find(const char *kind)
{
	if (!kind)
		return NULL;
	for (size_t i = 0; i < filetype_count; i++)
		if (!strcmp(filetype_table[i].kind, kind))
			return &filetype_table[i];
	return NULL;
}

const struct filetype *filetype_by_ext(const char *ext)
{
	if (!ext)
		return NULL;
	for (size_t i = 0; i < filetype_count; i++)
		for (size_t k = 0; filetype_table[i].exts[k]; k++)
			if (!strcasecmp(filetype_table[i].exts[k], ext))
				return &filetype_table[i];
	return NULL;
}

const char *filetype_label(const char *kind)
{
	const struct filetype *t = filetype_find(kind);
	return t ? t->label : NULL;
}

/*
 * libmagic handles keep per-call state (the result buffer among it), so
 * each thread gets its own, opened on first use. Loading the compiled
 * database maps a file and takes a few milliseconds; the server's worker
 * threads live as long as it does, so that happens once per thread.
 */
static magic_t thread_magic(char *err, size_t errlen)
{
	magic_t m;

	if (pthread_once(&key_once, make_key) || key_err) {
		snprintf(err, errlen, "cannot create libmagic thread key: %s",
			 strerror(key_err ? key_err : EAGAIN));
		return NULL;
	}
	m = pthread_getspecific(magic_key);
	if (m)
		return m;
	m = magic_open(MAGIC_FLAGS);
	if (!m) {
		snprintf(err, errlen, "cannot open libmagic: %s",
			 strerror(errno));
		return NULL;
	}
	if (magic_load(m, NULL) < 0) {
		const char *e = magic_error(m);
		snprintf(err, errlen, "cannot load libmagic database: %s",
			 e ? e : "unknown error");
		magic_close(m);
		return NULL;
	}
	if (pthread_setspecific(magic_key, m)) {
		snprintf(err, errlen, "cannot store libmagic handle");
		magic_close(m);
		return NULL;
	}
	return m;
}

void filetype_thread_release(void)
{
	magic_t m;

	if (pthread_once(&key_once, make_key) || key_err)
		return;
	m = pthread_getspecific(magic_key);
	if (m) {
		pthread_setspecific(magic_key, NULL);
		magic_close(m);
	}
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

static bool is_cdf_mime(const char *mime)
{
	return !strcmp(mime, "application/x-ole-storage") ||
	       !strncmp(mime, "application/CDFV2", 17);
}

/* Types the head alone may get wrong, where the whole file can do better. */
static bool needs_file(const char *mime)
{
	return !strcmp(mime, "application/zip") ||
	       !strcmp(mime, "application/octet-stream") || is_cdf_mime(mime);
}

static const char *kind_of_mime(const char *mime)
{
	for (size_t i = 0; i < filetype_count; i++)
		if (!strcmp(filetype_table[i].mime, mime))
			return filetype_table[i].kind;
	if (is_cdf_mime(mime))
		return FILETYPE_CDF;
	if (!strcmp(mime, "application/zip"))
		return FILETYPE_ZIP;
	for (size_t i = 0; i < sizeof(exe_mimes) / sizeof(exe_mimes[0]); i++)
		if (!strcmp(exe_mimes[i], mime))
			return FILETYPE_EXE;
	return FILETYPE_OTHER;
}

int filetype_sniff(const unsigned char *head, size_t len, const char *path,
		   char kind_out[FILETYPE_KIND_MAX],
		   char mime_out[FILETYPE_MIME_MAX], char *err, size_t errlen)
{
	magic_t m = thread_magic(err, errlen);
	const char *r = NULL, *kind, *e;

	kind_out[0] = '\0';
	mime_out[0] = '\0';
	if (!m)
		return -1;
	if (head && len) {
		r = magic_buffer(m, head, len);
		if (!r)
			goto fail;
		copy_str(mime_out, FILETYPE_MIME_MAX, r);
	}
	if (path && (!r || needs_file(mime_out))) {
		r = magic_file(m, path);
		if (!r)
			goto fail;
		copy_str(mime_out, FILETYPE_MIME_MAX, r);
	}
	if (!r)
		copy_str(mime_out, FILETYPE_MIME_MAX, "application/x-empty");
	kind = kind_of_mime(mime_out);
	/*
	 * libmagic names an OOXML document only when its third local header
	 * is a "word/" or "ppt/" part; other writers order the parts
	 * differently, so a zip gets a look at all its names. Its generic
	 * "Microsoft OOXML" answer has no MIME type of its own.
	 */
	if (path && (!strcmp(kind, FILETYPE_ZIP) ||
		     (!strcmp(mime_out, "application/octet-stream") &&
		      len >= 4 && !memcmp(head, "PK\3\4", 4)))) {
		char ooxml[16];
		if (!zipcheck_ooxml_kind(path, ooxml) && ooxml[0]) {
			const struct filetype *t = filetype_find(ooxml);
			kind = t->kind;
			copy_str(mime_out, FILETYPE_MIME_MAX, t->mime);
		}
	}
	copy_str(kind_out, FILETYPE_KIND_MAX, kind);
	return 0;
fail:
	e = magic_error(m);
	snprintf(err, errlen, "libmagic cannot identify '%s': %s",
		 path ? path : "upload", e ? e : "unknown error");
	return -1;
}

static const char *describe(const char *kind)
{
	for (size_t i = 0; i < sizeof(descriptions) / sizeof(descriptions[0]);
	     i++)
		if (!strcmp(descriptions[i].kind, kind))
			return descriptions[i].what;
	return NULL;
}

/*
 * Writes "PDF、Word、JPG" for the allowed kinds, each label once, in the
 * order given. Returns false when no allowed kind is in the table.
 */
static bool list_labels(const char *const *allowed, char *out, size_t n)
{
	const char *seen[16];
	size_t nseen = 0, used = 0;

	out[0] = '\0';
	for (size_t i = 0; allowed && allowed[i]; i++) {
		const char *label = filetype_label(allowed[i]);
		bool dup = false;
		int w;

		if (!label)
			continue;
		for (size_t k = 0; k < nseen; k++)
			if (!strcmp(seen[k], label))
				dup = true;
		if (dup || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = label;
		w = snprintf(out + used, n - used, "%s%s",
			     nseen > 1 ? "、" : "", label);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return nseen > 0;
}

static bool kind_allowed(const char *const *allowed, const char *kind)
{
	for (size_t i = 0; allowed && allowed[i]; i++)
		if (!strcmp(allowed[i], kind))
			return true;
	return false;
}

static int mismatch(char *msg, size_t n, const char *labels, const char *why)
{
	snprintf(msg, n, "文件类型不符：仅接受 %s 文件（%s）", labels, why);
	return -1;
}

int filetype_accept(const char *filename, const char *const *allowed_kinds,
		    const char *sniffed_kind, char *msg, size_t msglen)
{
	char labels[256], why[256];
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	const char *ext = dot ? dot + 1 : NULL;
	const struct filetype *t;
	const char *what;
	size_t extlen = ext ? strlen(ext) : 0;

	if (!list_labels(allowed_kinds, labels, sizeof(labels))) {
		snprintf(msg, msglen, "此处不接受上传文件");
		return -1;
	}
	if (!extlen)
		return mismatch(msg, msglen, labels, "文件名缺少扩展名");
	t = filetype_by_ext(ext);
	if (!t || !kind_allowed(allowed_kinds, t->kind)) {
		/* The extension is the user's own text: quote it only if tame. */
		if (extlen <= 16 && utf8_valid(ext, extlen))
			snprintf(why, sizeof(why), "不接受扩展名 .%s", ext);
		else
			snprintf(why, sizeof(why), "不接受该扩展名");
		return mismatch(msg, msglen, labels, why);
	}
	/* Without content yet (before the body arrives) the name decides. */
	if (!sniffed_kind)
		return 0;
	if (!strcmp(sniffed_kind, t->kind))
		return 0;
	/*
	 * libmagic cannot always tell what an OLE2 container holds; the
	 * caller asked for Word or PowerPoint and the name says which.
	 */
	if (!strcmp(sniffed_kind, FILETYPE_CDF) &&
	    (!strcmp(t->kind, "doc") || !strcmp(t->kind, "ppt")))
		return 0;
	what = describe(sniffed_kind);
	if (what)
		snprintf(why, sizeof(why), "该文件实际为 %s，扩展名却是 .%s",
			 what, ext);
	else
		snprintf(why, sizeof(why), "该文件的内容与扩展名 .%s 不符",
			 ext);
	return mismatch(msg, msglen, labels, why);
}

/* Decodes one code point of already validated UTF-8 at *p. */
static unsigned long next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long c = s[0];

	if (c < 0x80) {
		*p += 1;
	} else if (c < 0xE0) {
		c = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		*p += 2;
	} else if (c < 0xF0) {
		c = ((c & 0x0F) << 12) | ((s[1] & 0x3FUL) << 6) | (s[2] & 0x3F);
		*p += 3;
	} else {
		c = ((c & 0x07) << 18) | ((s[1] & 0x3FUL) << 12) |
		    ((s[2] & 0x3FUL) << 6) | (s[3] & 0x3F);
		*p += 4;
	}
	return c;
}

/*
 * Invisible characters that change how a name reads: the bidi overrides
 * make "文件\u202Efdp.exe" display as "文件exe.pdf".
 */
static bool is_invisible(unsigned long c)
{
	return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

int filetype_name_ok(const char *name, char *msg, size_t n)
{
	size_t len = name ? strlen(name) : 0;
	const unsigned char *p, *end;
	size_t count = 0;

	if (!len) {
		snprintf(msg, n, "文件名不能为空");
		return -1;
	}
	/* 200 characters are at most 800 bytes; don't decode a novel. */
	if (len > 800 || !utf8_valid(name, len)) {
		if (len > 800)
			snprintf(msg, n, "文件名过长：最多 200 个字符");
		else
			snprintf(msg, n, "文件名不是有效的 UTF-8 文本");
		return -1;
	}
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		snprintf(msg, n, "文件名无效");
		return -1;
	}
	p = (const unsigned char *)name;
	end = p + len;
	while (p < end) {
		unsigned long c = next_cp(&p);

		count++;
		if (c == '/' || c == '\\') {
			snprintf(msg, n, "文件名不能包含 / 或 \\");
			return -1;
		}
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) ||
		    is_invisible(c)) {
			snprintf(msg, n, "文件名不能包含控制字符或不可见字符");
			return -1;
		}
	}
	if (count > 200) {
		snprintf(msg, n, "文件名过长：最多 200 个字符");
		return -1;
	}
	return 0;
}
