/* xlsx.c: streaming XLSX workbooks, deflated by a second thread */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "xlsx.h"
#include "zip.h"
#include "../util/banned.h"

/*
 * A chunk of sheet XML. The writer fills one per sheet; a full one goes
 * to the deflating thread through a queue of at most QUEUE_MAX, and its
 * buffer comes back for reuse, so memory is bounded by the chunks alive:
 * one per sheet, the queue and the one being deflated.
 */
#define CHUNK_CAP (512u << 10)
#define QUEUE_MAX 4
/* The most one cell can take: every byte escaped as _xHHHH_ (7 bytes). */
#define CELL_ROOM (7u * XP_WB_CELL_MAX + 256u)
#define ZOUT_CAP (256u << 10)
#define LEVEL 1 /* fast: the XML is very repetitive, level 6 saves little */
#define NAME_MAX_CHARS 31

struct chunk {
	struct xp_wb_sheet *s;
	char *p;
	size_t len;
	bool last; /* the sheet's end: finish its stream */
	struct chunk *next;
};

struct xp_wb_sheet {
	struct xp_wb *b;
	int index; /* 1-based: xl/worksheets/sheetN.xml */
	char *name;
	double *widths; /* by column, 0: the default */
	unsigned nwidths;
	bool freeze;
	char *header;
	/* The writer's side. */
	bool started, ended;
	bool row_open;
	uint32_t row;
	long last_col;
	char rowdigits[12]; /* the open row's number, 1-based, for put_ref() */
	size_t nrowdigits;
	struct chunk *cur;
	uint64_t raw; /* XML bytes handed over */
	/* The deflating thread's side. */
	int fd;
	z_stream z;
	bool z_on, z_done;
	uLong crc;
	uint64_t zraw; /* XML bytes deflated */
};

struct xp_wb {
	char *path;
	char *tmpdir;
	char *title, *comments;
	struct xp_wb_sheet **sheets;
	int n;
	bool thread_on;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, space;
	struct chunk *head, *tail;
	int queued;
	bool stop;
	struct chunk *spare; /* buffers to reuse */
	atomic_bool failed;  /* set under mu, read without */
	char err[256];	     /* the first failure, under mu */
	unsigned char *zout; /* the thread's */
};

/* ---- failures --------------------------------------------------------- */

static void fail_locked(struct xp_wb *b, const char *msg)
{
	if (!atomic_load(&b->failed))
		snprintf(b->err, sizeof(b->err), "%s", msg);
	atomic_store(&b->failed, true);
}

static int fail(struct xp_wb *b, const char *msg)
{
	pthread_mutex_lock(&b->mu);
	fail_locked(b, msg);
	pthread_mutex_unlock(&b->mu);
	return -1;
}

/* Read for every cell: an atomic load, no lock. */
static bool failed(struct xp_wb *b)
{
	return atomic_load_explicit(&b->failed, memory_order_relaxed);
}

/* ---- the deflating thread --------------------------------------------- */

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

/* Deflates one chunk into its sheet's stream. Returns 0 or -1. */
static int deflate_chunk(struct xp_wb *b, struct chunk *c)
{
	struct xp_wb_sheet *s = c->s;
	int flush = c->last ? Z_FINISH : Z_NO_FLUSH, rc;

	if (!s->z_on) {
		memset(&s->z, 0, sizeof(s->z));
		/* Raw deflate (negative window bits): zip has its own frame. */
		if (deflateInit2(&s->z, LEVEL, Z_DEFLATED, -15, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			return fail(b, "xlsx: cannot start zlib");
		s->z_on = true;
		s->crc = crc32(0L, Z_NULL, 0);
	}
	s->crc = crc32(s->crc, (const Bytef *)c->p, (uInt)c->len);
	s->zraw += c->len;
	s->z.next_in = (Bytef *)c->p;
	s->z.avail_in = (uInt)c->len;
	do {
		size_t have;
		s->z.next_out = b->zout;
		s->z.avail_out = ZOUT_CAP;
		rc = deflate(&s->z, flush);
		if (rc == Z_STREAM_ERROR)
			return fail(b, "xlsx: zlib failed");
		have = ZOUT_CAP - s->z.avail_out;
		if (have && write_all(s->fd, b->zout, have) < 0) {
			char m[200];
			snprintf(m, sizeof(m),
				 "xlsx: cannot write a temporary file: %s",
				 strerror(errno));
			return fail(b, m);
		}
	} while (s->z.avail_out == 0 || (c->last && rc != Z_STREAM_END));
	if (c->last) {
		deflateEnd(&s->z);
		s->z_on = false;
		s->z_done = true;
	}
	return 0;
}

static void *deflater(void *arg)
{
	struct xp_wb *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		struct chunk *c;
		bool skip;
		while (!b->head && !b->stop)
			pthread_cond_wait(&b->work, &b->mu);
		if (!b->head)
			break;
		c = b->head;
		b->head = c->next;
		if (!b->head)
			b->tail = NULL;
		b->queued--;
		skip = b->failed;
		pthread_cond_signal(&b->space);
		pthread_mutex_unlock(&b->mu);
		if (!skip)
			deflate_chunk(b, c);
		pthread_mutex_lock(&b->mu);
		c->next = b->spare;
		b->spare = c;
		pthread_cond_signal(&b->space);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* ---- chunks ----------------------------------------------------------- */

static struct chunk *take_chunk(struct xp_wb *b)
{
	struct chunk *c;

	pthread_mutex_lock(&b->mu);
	c = b->spare;
	if (c)
		b->spare = c->next;
	pthread_mutex_unlock(&b->mu);
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (c && !(c->p = malloc(CHUNK_CAP))) {
			free(c);
			c = NULL;
		}
		if (!c) {
			fail(b, "out of memory");
			return NULL;
		}
	}
	c->len = 0;
	c->last = false;
	c->next = NULL;
	return c;
}

/* Hands s's current chunk to the deflating thread. */
static int hand_over(struct xp_wb_sheet *s, bool last)
{
	struct xp_wb *b = s->b;
	struct chunk *c = s->cur;

	s->cur = NULL;
	c->s = s;
	c->last = last;
	s->raw += c->len;
	pthread_mutex_lock(&b->mu);
	while (b->queued >= QUEUE_MAX && !b->failed)
		pthread_cond_wait(&b->space, &b->mu);
	if (b->failed) {
		c->next = b->spare;
		b->spare = c;
		pthread_mutex_unlock(&b->mu);
		return -1;
	}
	if (b->tail)
		b->tail->next = c;
	else
		b->head = c;
	b->tail = c;
	b->queued++;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	return 0;
}

/*
 * Room for n more bytes in s's chunk. The zip has no Zip64 here: a sheet
 * whose XML would pass 4 GiB is refused before it is written.
 */
static int room(struct xp_wb_sheet *s, size_t n)
{
	if (n > CHUNK_CAP)
		return fail(s->b, "xlsx: a piece of XML larger than a chunk");
	if (s->cur && s->cur->len + n > CHUNK_CAP && hand_over(s, false) < 0)
		return -1;
	if (s->raw + (s->cur ? s->cur->len : 0) + n >
	    (uint64_t)XP_ZIP_MAX_BYTES) {
		char m[200];
		snprintf(m, sizeof(m),
			 "xlsx: sheet '%.60s' would pass 4 GiB of XML; "
			 "export fewer applications at a time",
			 s->name);
		return fail(s->b, m);
	}
	if (!s->cur && !(s->cur = take_chunk(s->b)))
		return -1;
	return 0;
}

static inline void put(struct xp_wb_sheet *s, const char *p, size_t n)
{
	memcpy(s->cur->p + s->cur->len, p, n);
	s->cur->len += n;
}

#define PUTS(s, lit) put((s), (lit), sizeof(lit) - 1)

/* ---- escaping --------------------------------------------------------- */

/* 1: a byte that needs a look in text; 2: in an attribute too ("). */
static unsigned char special[256];
static pthread_once_t special_once = PTHREAD_ONCE_INIT;

static void special_init(void)
{
	for (int c = 0; c < 0x20; c++)
		if (c != '\t' && c != '\n')
			special[c] = 1;
	special['&'] = special['<'] = special['>'] = special['_'] = 1;
	special[0xEF] = 1; /* U+FFFE and U+FFFF start with it */
	special['"'] = 2;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
	       (c >= 'a' && c <= 'f');
}

static size_t put_hex_escape(char *o, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";

	o[0] = '_';
	o[1] = 'x';
	o[2] = hex[(v >> 12) & 15];
	o[3] = hex[(v >> 8) & 15];
	o[4] = hex[(v >> 4) & 15];
	o[5] = hex[v & 15];
	o[6] = '_';
	return 7;
}

/*
 * Writes n bytes of text escaped for XML into o (room for 7 * n), and
 * returns the bytes written. Characters XML 1.0 forbids (controls but
 * tab and line feed, U+FFFE, U+FFFF) become _xHHHH_, which Excel reads
 * back as the character; an underscore that would read as such an
 * escape is itself escaped (_x005F_). Carriage returns are escaped too,
 * since an XML parser turns them into line feeds. attr: for an attribute
 * value, quotes escaped too.
 */
static size_t escape(char *o, const char *t, size_t n, bool attr)
{
	const unsigned char *p = (const unsigned char *)t, *end = p + n;
	char *start = o;

	while (p < end) {
		const unsigned char *run = p;
		while (p < end && (!special[*p] || (special[*p] == 2 && !attr)))
			p++;
		memcpy(o, run, (size_t)(p - run));
		o += p - run;
		if (p == end)
			break;
		switch (*p) {
		case '&':
			memcpy(o, "&amp;", 5);
			o += 5;
			break;
		case '<':
			memcpy(o, "&lt;", 4);
			o += 4;
			break;
		case '>':
			memcpy(o, "&gt;", 4);
			o += 4;
			break;
		case '"':
			memcpy(o, "&quot;", 6);
			o += 6;
			break;
		case '_':
			if (end - p >= 7 && p[1] == 'x' && is_hex((char)p[2]) &&
			    is_hex((char)p[3]) && is_hex((char)p[4]) &&
			    is_hex((char)p[5]) && p[6] == '_')
				o += put_hex_escape(o, '_');
			else
				*o++ = '_';
			break;
		case 0xEF:
			if (end - p >= 3 && p[1] == 0xBF &&
			    (p[2] == 0xBE || p[2] == 0xBF)) {
				o += put_hex_escape(o,
						    0xFFFEu + (p[2] - 0xBEu));
				p += 3;
				continue;
			}
			*o++ = (char)*p;
			break;
		default: /* a control character */
			o += put_hex_escape(o, *p);
			break;
		}
		p++;
	}
	return (size_t)(o - start);
}

/* The bytes of the first XP_WB_CELL_MAX characters of t (n bytes). */
static size_t cell_cut(const char *t, size_t n)
{
	size_t chars = 0, i;

	if (n <= XP_WB_CELL_MAX)
		return n;
	for (i = 0; i < n; i++) {
		if (((unsigned char)t[i] & 0xC0) != 0x80) {
			if (chars == XP_WB_CELL_MAX)
				return i;
			chars++;
		}
	}
	return n;
}

/* Escaped into a fresh string (for the small parts). NULL: no memory. */
static char *escaped(const char *t, bool attr)
{
	size_t n = strlen(t);
	char *o = malloc(7 * n + 1);

	if (o)
		o[escape(o, t, n, attr)] = '\0';
	return o;
}

/* ---- cells ------------------------------------------------------------ */

static size_t put_uint(char *o, uint64_t v)
{
	char t[24];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		o[i] = t[n - 1 - i];
	return n;
}

/* "AB12": column letters then the open row's number (begin_cell()). */
static size_t put_ref(char *o, const struct xp_wb_sheet *s, unsigned col)
{
	char t[4];
	size_t n = 0, i;

	col++;
	while (col) {
		col--;
		t[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (i = 0; i < n; i++)
		o[i] = t[n - 1 - i];
	memcpy(o + n, s->rowdigits, s->nrowdigits);
	return n + s->nrowdigits;
}

/* Excel's stored width for a width in characters (Calibri 11). */
static double stored_width(double w)
{
	double px = w < 1 ? w * 12 : (double)(int)(w * 7 + 0.5) + 5;

	return (double)(int)(px / 7 * 256) / 256;
}

static int start_sheet(struct xp_wb_sheet *s)
{
	bool any = false;

	if (room(s, 1024) < 0)
		return -1;
	s->started = true;
	PUTS(s,
	     "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	     "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
	     "spreadsheetml/2006/main\" xmlns:r=\"http://schemas."
	     "openxmlformats.org/officeDocument/2006/relationships\">"
	     "<sheetViews><sheetView ");
	if (s->index == 1)
		PUTS(s, "tabSelected=\"1\" ");
	PUTS(s, "workbookViewId=\"0\">");
	if (s->freeze)
		PUTS(s, "<pane ySplit=\"1\" topLeftCell=\"A2\" "
			"activePane=\"bottomLeft\" state=\"frozen\"/>"
			"<selection pane=\"bottomLeft\" activeCell=\"A2\" "
			"sqref=\"A2\"/>");
	PUTS(s, "</sheetView></sheetViews>"
		"<sheetFormatPr defaultRowHeight=\"15\"/>");
	/* Runs of equal widths, ascending and apart, as <cols> asks. */
	for (unsigned i = 0, next; i < s->nwidths; i = next) {
		char t[160];
		int n;
		next = i + 1;
		if (s->widths[i] <= 0)
			continue;
		while (next < s->nwidths && s->widths[next] == s->widths[i])
			next++;
		n = snprintf(t, sizeof(t),
			     "%s<col min=\"%u\" max=\"%u\" width=\"%.10g\" "
			     "customWidth=\"1\"/>",
			     any ? "" : "<cols>", i + 1, next,
			     stored_width(s->widths[i]));
		any = true;
		if (room(s, (size_t)n) < 0)
			return -1;
		put(s, t, (size_t)n);
	}
	if (any) {
		if (room(s, 16) < 0)
			return -1;
		PUTS(s, "</cols>");
	}
	if (room(s, 16) < 0)
		return -1;
	PUTS(s, "<sheetData>");
	return 0;
}

/* Checks the order, opens the sheet and the row, and makes room. */
static int begin_cell(struct xp_wb_sheet *s, uint32_t row, unsigned col,
		      size_t need)
{
	char t[40];

	if (s->ended || failed(s->b))
		return -1;
	if (row >= XP_WB_MAX_ROWS || col >= XP_WB_MAX_COLS)
		return fail(s->b, "xlsx: a cell past Excel's grid");
	if (!s->started && start_sheet(s) < 0)
		return -1;
	if (s->row_open &&
	    (row < s->row || (row == s->row && (long)col <= s->last_col)))
		return fail(s->b, "xlsx: cells out of order");
	if (room(s, need + 64) < 0)
		return -1;
	if (!s->row_open || row != s->row) {
		size_t n = 0;
		if (s->row_open)
			PUTS(s, "</row>");
		s->nrowdigits = put_uint(s->rowdigits, (uint64_t)row + 1);
		memcpy(t, "<row r=\"", 8);
		memcpy(t + 8, s->rowdigits, s->nrowdigits);
		n = 8 + s->nrowdigits;
		memcpy(t + n, "\">", 2);
		put(s, t, n + 2);
		s->row_open = true;
		s->row = row;
	}
	s->last_col = (long)col;
	return 0;
}

static bool blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int xp_wb_string(struct xp_wb_sheet *s, uint32_t row, unsigned col,
		 const char *text, enum xp_wb_style style)
{
	return xp_wb_stringn(s, row, col, text, strlen(text), style);
}

int xp_wb_stringn(struct xp_wb_sheet *s, uint32_t row, unsigned col,
		  const char *text, size_t len, enum xp_wb_style style)
{
	size_t n = cell_cut(text, len);
	struct chunk *c;

	/* At most 7 bytes a character, as many characters as bytes. */
	if (begin_cell(s, row, col,
		       n < XP_WB_CELL_MAX ? 7 * n + 256 : CELL_ROOM) < 0)
		return -1;
	c = s->cur;
	memcpy(c->p + c->len, "<c r=\"", 6);
	c->len += 6;
	c->len += put_ref(c->p + c->len, s, col);
	if (style == XP_WB_HEAD)
		PUTS(s, "\" s=\"1\" t=\"inlineStr\"><is><t");
	else
		PUTS(s, "\" t=\"inlineStr\"><is><t");
	/* Leading or trailing blanks are kept only when asked to. */
	if (n && (blank((unsigned char)text[0]) ||
		  blank((unsigned char)text[n - 1])))
		PUTS(s, " xml:space=\"preserve\"");
	PUTS(s, ">");
	c->len += escape(c->p + c->len, text, n, false);
	PUTS(s, "</t></is></c>");
	return 0;
}

/*
 * A number with a fraction, as the decimal it was most likely written
 * as: the fewest decimals (up to 6) whose value reads back as v exactly
 * ("9.95", where "%.16g" wrote "9.949999999999999"). m / 10^k is rounded
 * once (IEEE division), so m / 10^k == v proves the text reads back as
 * v. Anything else (and what "%.16g" would write with an exponent) is
 * written with "%.16g" as before. printf was a fifth of writing a row.
 */
static size_t put_real(char *o, double v)
{
	static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	double a = fabs(v);

	if (a >= 1e-4 && a < 1e9) {
		for (int k = 1; k <= 6; k++) {
			double t = a * p10[k];
			uint64_t m;
			char d[24];
			size_t n, w = 0;
			if (t >= 1e15)
				break;
			m = (uint64_t)(t + 0.5);
			if ((double)m / p10[k] != a)
				continue;
			/* The digits of m, at least k + 1 of them. */
			n = put_uint(d, m);
			if (v < 0)
				o[w++] = '-';
			if (n <= (size_t)k) {
				o[w++] = '0';
				o[w++] = '.';
				for (size_t z = n; z < (size_t)k; z++)
					o[w++] = '0';
				memcpy(o + w, d, n);
				return w + n;
			}
			memcpy(o + w, d, n - (size_t)k);
			w += n - (size_t)k;
			o[w++] = '.';
			memcpy(o + w, d + n - k, (size_t)k);
			return w + (size_t)k;
		}
	}
	return (size_t)snprintf(o, 40, "%.16g", v);
}

int xp_wb_number(struct xp_wb_sheet *s, uint32_t row, unsigned col, double v)
{
	struct chunk *c;

	if (!isfinite(v)) {
		char t[32];
		snprintf(t, sizeof(t), "%g", v);
		return xp_wb_string(s, row, col, t, XP_WB_PLAIN);
	}
	if (begin_cell(s, row, col, 128) < 0)
		return -1;
	c = s->cur;
	memcpy(c->p + c->len, "<c r=\"", 6);
	c->len += 6;
	c->len += put_ref(c->p + c->len, s, col);
	PUTS(s, "\"><v>");
	/* Whole numbers, the most of them, without printf. */
	if (v == floor(v) && fabs(v) < 1e15) {
		if (v < 0) {
			c->p[c->len++] = '-';
			c->len += put_uint(c->p + c->len, (uint64_t)-v);
		} else {
			c->len += put_uint(c->p + c->len, (uint64_t)v);
		}
	} else {
		c->len += put_real(c->p + c->len, v);
	}
	PUTS(s, "</v></c>");
	return 0;
}

/* ---- set-up ----------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct xp_wb *xp_wb_open(const char *path, const char *tmpdir, char *err,
			 size_t errlen)
{
	struct xp_wb *b = calloc(1, sizeof(*b));

	pthread_once(&special_once, special_init);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	atomic_init(&b->failed, false);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->space, NULL);
	b->path = strdup(path);
	b->tmpdir = strdup(tmpdir && *tmpdir ? tmpdir : "/tmp");
	b->zout = malloc(ZOUT_CAP);
	if (!b->path || !b->tmpdir || !b->zout) {
		snprintf(err, errlen, "out of memory");
		xp_wb_abort(b);
		return NULL;
	}
	if (pthread_create(&b->thread, NULL, deflater, b)) {
		snprintf(err, errlen, "xlsx: cannot start a thread");
		xp_wb_abort(b);
		return NULL;
	}
	b->thread_on = true;
	return b;
}

int xp_wb_set_props(struct xp_wb *b, const char *title, const char *comments)
{
	free(b->title);
	free(b->comments);
	b->title = dup_or_null(title);
	b->comments = dup_or_null(comments);
	if ((title && !b->title) || (comments && !b->comments))
		return fail(b, "out of memory");
	return 0;
}

static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* Why Excel would refuse name as a sheet's, or NULL. */
static const char *bad_name(struct xp_wb *b, const char *name)
{
	size_t chars = 0, n = strlen(name);

	for (const char *p = name; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
	if (!chars)
		return "an empty sheet name";
	if (chars > NAME_MAX_CHARS)
		return "a sheet name longer than 31 characters";
	if (strpbrk(name, "[]:*?/\\"))
		return "a sheet name with one of []:*?/\\";
	if (name[0] == '\'' || name[n - 1] == '\'')
		return "a sheet name starting or ending with '";
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20)
			return "a sheet name with a control character";
	for (int i = 0; i < b->n; i++)
		if (same_name(b->sheets[i]->name, name))
			return "a sheet name used twice";
	return NULL;
}

struct xp_wb_sheet *xp_wb_add_sheet(struct xp_wb *b, const char *name,
				    char *err, size_t errlen)
{
	struct xp_wb_sheet *s, **grown;
	const char *why = bad_name(b, name);
	char path[1200];

	if (why) {
		snprintf(err, errlen, "xlsx: %s", why);
		return NULL;
	}
	grown = realloc(b->sheets, (size_t)(b->n + 1) * sizeof(*grown));
	if (!grown)
		goto oom;
	b->sheets = grown;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto oom;
	s->b = b;
	s->fd = -1;
	s->last_col = -1;
	s->name = strdup(name);
	if (!s->name) {
		free(s);
		goto oom;
	}
	/* Deflated XML waits here, unlinked: gone however the run ends. */
	snprintf(path, sizeof(path), "%s/xlsx-XXXXXX", b->tmpdir);
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		snprintf(err, errlen, "xlsx: cannot create a file in '%s': %s",
			 b->tmpdir, strerror(errno));
		free(s->name);
		free(s);
		return NULL;
	}
	unlink(path);
	b->sheets[b->n++] = s;
	s->index = b->n;
	return s;
oom:
	snprintf(err, errlen, "out of memory");
	return NULL;
}

int xp_wb_set_cols(struct xp_wb_sheet *s, unsigned first, unsigned last,
		   double width)
{
	if (s->started || first > last || last >= XP_WB_MAX_COLS)
		return fail(s->b, "xlsx: column widths set too late");
	if (last >= s->nwidths) {
		double *grown = realloc(s->widths, (last + 1) * sizeof(*grown));
		if (!grown)
			return fail(s->b, "out of memory");
		for (unsigned i = s->nwidths; i <= last; i++)
			grown[i] = 0;
		s->widths = grown;
		s->nwidths = last + 1;
	}
	for (unsigned i = first; i <= last; i++)
		s->widths[i] = width;
	return 0;
}

void xp_wb_freeze_top_row(struct xp_wb_sheet *s)
{
	s->freeze = true;
}

int xp_wb_set_header(struct xp_wb_sheet *s, const char *text)
{
	free(s->header);
	s->header = dup_or_null(text);
	if (text && !s->header)
		return fail(s->b, "out of memory");
	return 0;
}

/* ---- closing ---------------------------------------------------------- */

/* The sheet's last XML, then its stream's end. */
static int end_sheet(struct xp_wb_sheet *s)
{
	char *h = NULL;

	if (!s->started && start_sheet(s) < 0)
		return -1;
	if (s->header && !(h = escaped(s->header, false)))
		return fail(s->b, "out of memory");
	if (room(s, 256 + (h ? strlen(h) : 0)) < 0) {
		free(h);
		return -1;
	}
	if (s->row_open)
		PUTS(s, "</row>");
	PUTS(s, "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" "
		"top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>");
	if (h) {
		/* "&L": the left part; "&" opens a code, so it is doubled. */
		PUTS(s, "<headerFooter><oddHeader>&amp;L");
		for (const char *p = h; *p; p++) {
			if (!strncmp(p, "&amp;", 5)) {
				PUTS(s, "&amp;&amp;");
				p += 4;
			} else {
				put(s, p, 1);
			}
		}
		PUTS(s, "</oddHeader></headerFooter>");
		free(h);
	}
	PUTS(s, "</worksheet>");
	s->ended = true;
	return hand_over(s, true);
}

struct text {
	char *p;
	size_t len, cap;
	bool oom;
};

static void add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *grown = realloc(t->p, cap);
		if (!grown) {
			t->oom = true;
			return;
		}
		t->p = grown;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n + 1);
	t->len += n;
}

static void add_escaped(struct text *t, const char *s, bool attr)
{
	char *e = escaped(s, attr);

	if (!e)
		t->oom = true;
	else
		add(t, e);
	free(e);
}

static void add_int(struct text *t, int v)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", v);
	add(t, n);
}

#define XML_HEAD                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL                                                                 \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL                                                             \
	"http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_OOXML "application/vnd.openxmlformats-officedocument."

static void content_types(struct xp_wb *b, struct text *t)
{
	add(t, XML_HEAD
	    "<Types xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/content-types\">"
	    "<Default Extension=\"rels\" ContentType=\"application/"
	    "vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" "
	    "ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT_OOXML
	    "spreadsheetml.sheet.main+xml\"/>");
	for (int i = 0; i < b->n; i++) {
		add(t, "<Override PartName=\"/xl/worksheets/sheet");
		add_int(t, i + 1);
		add(t, ".xml\" ContentType=\"" CT_OOXML
		       "spreadsheetml.worksheet+xml\"/>");
	}
	add(t,
	    "<Override PartName=\"/xl/styles.xml\" ContentType=\"" CT_OOXML
	    "spreadsheetml.styles+xml\"/>"
	    "<Override PartName=\"/docProps/core.xml\" "
	    "ContentType=\"application/vnd.openxmlformats-package."
	    "core-properties+xml\"/>"
	    "<Override PartName=\"/docProps/app.xml\" ContentType=\"" CT_OOXML
	    "extended-properties+xml\"/></Types>");
}

static void root_rels(struct text *t)
{
	add(t,
	    XML_HEAD "<Relationships xmlns=\"" NS_PKG_REL "\">"
		     "<Relationship Id=\"rId1\" Type=\"" NS_REL
		     "/officeDocument\" Target=\"xl/workbook.xml\"/>"
		     "<Relationship Id=\"rId2\" Type=\"http://schemas."
		     "openxmlformats.org/package/2006/relationships/metadata/"
		     "core-properties\" Target=\"docProps/core.xml\"/>"
		     "<Relationship Id=\"rId3\" Type=\"" NS_REL
		     "/extended-properties\" Target=\"docProps/app.xml\"/>"
		     "</Relationships>");
}

static void app_props(struct xp_wb *b, struct text *t)
{
	add(t, XML_HEAD "<Properties xmlns=\"http://schemas.openxmlformats.org/"
			"officeDocument/2006/extended-properties\" "
			"xmlns:vt=\"http://schemas.openxmlformats.org/"
			"officeDocument/2006/docPropsVTypes\">"
			"<Application>saiwu</Application>"
			"<TitlesOfParts><vt:vector size=\"");
	add_int(t, b->n);
	add(t, "\" baseType=\"lpstr\">");
	for (int i = 0; i < b->n; i++) {
		add(t, "<vt:lpstr>");
		add_escaped(t, b->sheets[i]->name, false);
		add(t, "</vt:lpstr>");
	}
	add(t, "</vt:vector></TitlesOfParts></Properties>");
}

static void core_props(struct xp_wb *b, struct text *t)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof(when), "1980-01-01T00:00:00Z");
	add(t, XML_HEAD
	    "<cp:coreProperties xmlns:cp=\"http://schemas."
	    "openxmlformats.org/package/2006/metadata/"
	    "core-properties\" xmlns:dc=\"http://purl.org/dc/"
	    "elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/"
	    "terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
	if (b->title) {
		add(t, "<dc:title>");
		add_escaped(t, b->title, false);
		add(t, "</dc:title>");
	}
	if (b->comments) {
		add(t, "<dc:description>");
		add_escaped(t, b->comments, false);
		add(t, "</dc:description>");
	}
	add(t, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
	add(t, when);
	add(t, "</dcterms:created><dcterms:modified "
	       "xsi:type=\"dcterms:W3CDTF\">");
	add(t, when);
	add(t, "</dcterms:modified></cp:coreProperties>");
}

static void workbook(struct xp_wb *b, struct text *t)
{
	add(t, XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
			"\"><bookViews><workbookView/></bookViews><sheets>");
	for (int i = 0; i < b->n; i++) {
		add(t, "<sheet name=\"");
		add_escaped(t, b->sheets[i]->name, true);
		add(t, "\" sheetId=\"");
		add_int(t, i + 1);
		add(t, "\" r:id=\"rId");
		add_int(t, i + 1);
		add(t, "\"/>");
	}
	add(t, "</sheets></workbook>");
}

static void workbook_rels(struct xp_wb *b, struct text *t)
{
	add(t, XML_HEAD "<Relationships xmlns=\"" NS_PKG_REL "\">");
	for (int i = 0; i < b->n; i++) {
		add(t, "<Relationship Id=\"rId");
		add_int(t, i + 1);
		add(t, "\" Type=\"" NS_REL "/worksheet\" "
		       "Target=\"worksheets/sheet");
		add_int(t, i + 1);
		add(t, ".xml\"/>");
	}
	add(t, "<Relationship Id=\"rId");
	add_int(t, b->n + 1);
	add(t, "\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
	       "</Relationships>");
}

static void styles(struct text *t)
{
	add(t, XML_HEAD
	    "<styleSheet xmlns=\"" NS_MAIN "\">"
	    "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/>"
	    "<family val=\"2\"/></font><font><b/><sz val=\"11\"/>"
	    "<name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
	    "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill>"
	    "<fill><patternFill patternType=\"gray125\"/></fill>"
	    "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/>"
	    "<bgColor indexed=\"64\"/></patternFill></fill></fills>"
	    "<borders count=\"1\"><border><left/><right/><top/><bottom/>"
	    "<diagonal/></border></borders>"
	    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" "
	    "fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
	    "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
	    "borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" "
	    "fillId=\"2\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" "
	    "applyFill=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\"/>"
	    "</xf></cellXfs>"
	    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" "
	    "builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/>"
	    "<tableStyles count=\"0\"/></styleSheet>");
}

/* Stops the thread after the queue is through. */
static void stop_thread(struct xp_wb *b)
{
	if (!b->thread_on)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	b->thread_on = false;
}

static int add_part(struct xp_zip *z, const char *name, struct text *t,
		    int64_t now, char *err, size_t errlen)
{
	int rc;

	if (t->oom) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else {
		rc = xp_zip_add_mem(z, name, t->p, t->len, now, err, errlen);
	}
	free(t->p);
	*t = (struct text){ 0 };
	return rc;
}

static int assemble(struct xp_wb *b, int fd, char *err, size_t errlen)
{
	struct xp_zip *z = xp_zip_new(fd);
	struct text t = { 0 };
	int64_t now = (int64_t)time(NULL);
	char name[64];

	if (!z) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	content_types(b, &t);
	if (add_part(z, "[Content_Types].xml", &t, now, err, errlen) < 0)
		goto fail;
	root_rels(&t);
	if (add_part(z, "_rels/.rels", &t, now, err, errlen) < 0)
		goto fail;
	app_props(b, &t);
	if (add_part(z, "docProps/app.xml", &t, now, err, errlen) < 0)
		goto fail;
	core_props(b, &t);
	if (add_part(z, "docProps/core.xml", &t, now, err, errlen) < 0)
		goto fail;
	workbook(b, &t);
	if (add_part(z, "xl/workbook.xml", &t, now, err, errlen) < 0)
		goto fail;
	workbook_rels(b, &t);
	if (add_part(z, "xl/_rels/workbook.xml.rels", &t, now, err, errlen) < 0)
		goto fail;
	styles(&t);
	if (add_part(z, "xl/styles.xml", &t, now, err, errlen) < 0)
		goto fail;
	for (int i = 0; i < b->n; i++) {
		struct xp_wb_sheet *s = b->sheets[i];
		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml",
			 i + 1);
		if (xp_zip_add_deflated_fd(z, name, s->fd, (uint32_t)s->crc,
					   s->zraw, now, err, errlen) < 0)
			goto fail;
	}
	return xp_zip_finish(z, NULL, err, errlen);
fail:
	xp_zip_finish(z, NULL, NULL, 0);
	return -1;
}

static void free_book(struct xp_wb *b)
{
	stop_thread(b);
	for (int i = 0; i < b->n; i++) {
		struct xp_wb_sheet *s = b->sheets[i];
		if (s->z_on)
			deflateEnd(&s->z);
		if (s->fd >= 0)
			close(s->fd);
		if (s->cur) {
			free(s->cur->p);
			free(s->cur);
		}
		free(s->widths);
		free(s->header);
		free(s->name);
		free(s);
	}
	while (b->head) {
		struct chunk *c = b->head;
		b->head = c->next;
		free(c->p);
		free(c);
	}
	while (b->spare) {
		struct chunk *c = b->spare;
		b->spare = c->next;
		free(c->p);
		free(c);
	}
	free(b->sheets);
	free(b->path);
	free(b->tmpdir);
	free(b->title);
	free(b->comments);
	free(b->zout);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->space);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

void xp_wb_abort(struct xp_wb *b)
{
	if (b)
		free_book(b);
}

int xp_wb_close(struct xp_wb *b, char *err, size_t errlen)
{
	int fd, rc = 0;

	if (!b)
		return -1;
	for (int i = 0; i < b->n; i++)
		if (!b->sheets[i]->ended && end_sheet(b->sheets[i]) < 0)
			break;
	stop_thread(b);
	if (b->failed) {
		snprintf(err, errlen, "%s", b->err);
		free_book(b);
		return -1;
	}
	fd = open(b->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create '%s': %s", b->path,
			 strerror(errno));
		free_book(b);
		return -1;
	}
	if (assemble(b, fd, err, errlen) < 0)
		rc = -1;
	if (close(fd) < 0 && rc == 0) {
		snprintf(err, errlen, "cannot write '%s': %s", b->path,
			 strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(b->path);
	free_book(b);
	return rc;
}
