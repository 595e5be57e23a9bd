/* pdf.c: a small page-layout engine over cairo and pango */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include "pdf.h"
#include "text.h"
#include "../util/banned.h"

/* A4 in points; the body sits between the running header and the footer. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 56.7
#define BODY_W (PAGE_W - 2 * MARGIN_X)
#define BODY_TOP 70.0
#define BODY_BOTTOM (PAGE_H - 66.0)
#define PAD 3.5 /* inside a table cell */
#define PS ((double)PANGO_SCALE)

struct out_stream {
	int fd; /* -1: the measuring pass, nothing is written */
	int err;
};

struct xp_pdf {
	const struct xp_pdf_opts *o;
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoContext *ctx;
	bool draw; /* false while measuring */
	int page;  /* 0 until something is laid out */
	int total; /* pages counted by the measuring pass */
	double y;
	bool page_empty;
	bool overflow;
	const char *font;
	double size;
	double spacing;
	/* the open table */
	bool in_table;
	struct xp_table t;
	double col_x[XP_PDF_MAX_COLS + 1];
	double header_h;
};

static cairo_status_t write_out(void *cls, const unsigned char *data,
				unsigned int len)
{
	struct out_stream *o = cls;

	if (o->fd < 0)
		return CAIRO_STATUS_SUCCESS;
	while (len) {
		ssize_t n = write(o->fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->err = n < 0 ? errno : EIO;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += n;
		len -= (unsigned int)n;
	}
	return CAIRO_STATUS_SUCCESS;
}

static PangoLayout *make_layout(struct xp_pdf *p, const char *text,
				double width, unsigned flags, double size)
{
	PangoLayout *l = pango_layout_new(p->ctx);
	PangoFontDescription *fd = pango_font_description_new();

	if (flags & XP_SMALL)
		size *= 0.85;
	if (flags & XP_LARGE)
		size *= 1.15;
	pango_font_description_set_family(fd, flags & XP_MONO ? XP_FONT_MONO
							      : p->font);
	if (flags & XP_BOLD)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	/*
	 * Absolute sizes are in device units, which are points on a PDF
	 * surface: no screen resolution gets in between.
	 */
	pango_font_description_set_absolute_size(fd, size * PS);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PS));
	/* Chinese has no spaces: break between any two characters. */
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (p->spacing > 0)
		pango_layout_set_line_spacing(l, (float)p->spacing);
	if (flags & XP_CENTER)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	else if (flags & XP_RIGHT)
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	if (flags & XP_INDENT)
		pango_layout_set_indent(l, (int)(2 * size * PS));
	if (flags & XP_MARKUP)
		pango_layout_set_markup(l, text ? text : "", -1);
	else
		pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return h / PS;
}

static void set_color(struct xp_pdf *p, unsigned flags)
{
	if (flags & XP_GRAY)
		cairo_set_source_rgb(p->cr, 0.42, 0.42, 0.42);
	else
		cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void draw_watermark(struct xp_pdf *p)
{
	PangoLayout *l;
	int w, h;

	if (!p->o->watermark || !*p->o->watermark)
		return;
	l = make_layout(p, p->o->watermark, PAGE_H, XP_BOLD, 150);
	pango_layout_get_size(l, &w, &h);
	cairo_save(p->cr);
	cairo_translate(p->cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(p->cr, -M_PI / 5);
	cairo_move_to(p->cr, -w / PS / 2, -h / PS / 2);
	cairo_set_source_rgba(p->cr, 0.55, 0.55, 0.55, 0.16);
	pango_cairo_show_layout(p->cr, l);
	cairo_restore(p->cr);
	g_object_unref(l);
}

static void begin_page(struct xp_pdf *p)
{
	p->page++;
	p->y = BODY_TOP;
	p->page_empty = true;
	if (!p->draw)
		return;
	/* Under everything else: the text stays readable over it. */
	draw_watermark(p);
	if (p->o->header && *p->o->header) {
		PangoLayout *l = make_layout(p, p->o->header, BODY_W,
					     XP_SMALL | XP_GRAY, 9);
		cairo_move_to(p->cr, MARGIN_X, 34);
		set_color(p, XP_GRAY);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN_X, 52);
		cairo_line_to(p->cr, PAGE_W - MARGIN_X, 52);
		cairo_stroke(p->cr);
	}
}

static void end_page(struct xp_pdf *p)
{
	char label[XP_PAGE_LABEL_MAX];
	PangoLayout *l;

	if (!p->draw)
		return;
	xp_page_label(p->page, p->total, label, sizeof(label));
	l = make_layout(p, label, BODY_W, XP_CENTER, 9);
	cairo_move_to(p->cr, MARGIN_X, PAGE_H - 44);
	set_color(p, 0);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	if (p->o->footer_note && *p->o->footer_note) {
		l = make_layout(p, p->o->footer_note, BODY_W / 3,
				XP_GRAY | XP_SMALL, 9);
		cairo_move_to(p->cr, MARGIN_X, PAGE_H - 44);
		set_color(p, XP_GRAY);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
	cairo_show_page(p->cr);
}

static void draw_row(struct xp_pdf *p, const char *const *cells,
		     unsigned flags);

/*
 * Moves to a new page. Returns false once the page cap is reached: the
 * current page then says what was left out, and nothing more is laid out.
 */
static bool next_page(struct xp_pdf *p)
{
	if (p->overflow)
		return false;
	if (p->o->max_pages > 0 && p->page >= p->o->max_pages) {
		p->overflow = true;
		if (p->draw) {
			char note[160];
			PangoLayout *l;
			snprintf(note, sizeof(note),
				 "（内容超过 %d 页上限，以下从略）",
				 p->o->max_pages);
			l = make_layout(p, note, BODY_W, XP_CENTER | XP_SMALL,
					p->size);
			cairo_move_to(p->cr, MARGIN_X, BODY_BOTTOM + 4);
			set_color(p, 0);
			pango_cairo_show_layout(p->cr, l);
			g_object_unref(l);
		}
		return false;
	}
	if (p->page)
		end_page(p);
	begin_page(p);
	if (p->in_table && p->t.header[0])
		draw_row(p, p->t.header, XP_ROW_HEADER);
	return true;
}

/* Makes sure a page is open; false when nothing more may be laid out. */
static bool start(struct xp_pdf *p)
{
	if (p->overflow)
		return false;
	if (!p->page)
		begin_page(p);
	return true;
}

/*
 * Draws a laid-out paragraph line by line from the cursor, continuing on
 * the next page where it does not fit.
 */
static void flow(struct xp_pdf *p, PangoLayout *l, double x, unsigned flags)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double base = p->y, offset = 0, last = 0;

	do {
		PangoRectangle log;
		double top, bottom;

		pango_layout_iter_get_line_extents(it, NULL, &log);
		top = log.y / PS;
		bottom = top + log.height / PS;
		if (base + bottom - offset > BODY_BOTTOM &&
		    !(p->page_empty && top == offset)) {
			if (!next_page(p))
				break;
			offset = top;
			base = p->y;
		}
		if (p->draw) {
			PangoLayoutLine *line =
				pango_layout_iter_get_line_readonly(it);
			double baseline =
				pango_layout_iter_get_baseline(it) / PS;
			set_color(p, flags);
			cairo_move_to(p->cr, x + log.x / PS,
				      base + baseline - offset);
			pango_cairo_show_layout_line(p->cr, line);
		}
		p->page_empty = false;
		last = bottom;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	if (!p->overflow)
		p->y = base + last - offset;
}

void xp_pdf_text(struct xp_pdf *p, const char *text, unsigned flags)
{
	PangoLayout *l;

	if (!start(p))
		return;
	l = make_layout(p, text, BODY_W, flags, p->size);
	flow(p, l, MARGIN_X, flags);
	g_object_unref(l);
}

void xp_pdf_title(struct xp_pdf *p, const char *text, double size)
{
	PangoLayout *l;

	if (!start(p))
		return;
	l = make_layout(p, text, BODY_W, XP_CENTER | XP_BOLD, size);
	flow(p, l, MARGIN_X, 0);
	g_object_unref(l);
}

void xp_pdf_space(struct xp_pdf *p, double points)
{
	if (!start(p) || p->page_empty)
		return;
	p->y += points;
	if (p->y > BODY_BOTTOM)
		p->y = BODY_BOTTOM;
}

void xp_pdf_new_page(struct xp_pdf *p)
{
	if (!start(p) || p->page_empty)
		return;
	next_page(p);
}

void xp_pdf_keep(struct xp_pdf *p, double points)
{
	if (!start(p) || p->page_empty)
		return;
	if (p->y + points > BODY_BOTTOM)
		next_page(p);
}

void xp_pdf_heading(struct xp_pdf *p, int level, const char *text)
{
	static const double scale[] = { 1.45, 1.2, 1.0 };
	static const double before[] = { 12, 9, 6 };
	double size;
	PangoLayout *l;
	double h;

	if (level < 1)
		level = 1;
	if (level > 3)
		level = 3;
	if (!start(p))
		return;
	size = p->size * scale[level - 1];
	l = make_layout(p, text, BODY_W, XP_BOLD, size);
	h = layout_height(l);
	xp_pdf_space(p, before[level - 1]);
	/* A heading never ends a page: keep room for three lines after it. */
	xp_pdf_keep(p, h + 3 * p->size * 1.5);
	flow(p, l, MARGIN_X, 0);
	g_object_unref(l);
	if (level == 1 && p->draw && !p->overflow) {
		cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
		cairo_set_line_width(p->cr, 0.8);
		cairo_move_to(p->cr, MARGIN_X, p->y + 2);
		cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y + 2);
		cairo_stroke(p->cr);
	}
	if (!p->overflow)
		p->y += level == 1 ? 6 : 3;
}

/* The size of text in table cells. */
static double cell_size(const struct xp_pdf *p)
{
	return p->t.font_size > 0 ? p->t.font_size : p->size;
}

/*
 * Lays out the cells of a row; returns the row's height. A cell is cut
 * (with an ellipsis) at what fits on a page under the table header.
 */
static double row_layouts(struct xp_pdf *p, const char *const *cells,
			  unsigned flags, PangoLayout **out, int n)
{
	double max_h = BODY_BOTTOM - BODY_TOP - p->header_h - 2 * PAD - 2;
	double h = 0;

	for (int i = 0; i < n; i++) {
		double w = (flags & XP_ROW_SPAN)
				   ? BODY_W
				   : p->col_x[i + 1] - p->col_x[i];
		unsigned f = (flags & XP_ROW_SPAN) ? 0 : p->t.flags[i];
		if (flags & (XP_ROW_BOLD | XP_ROW_HEADER))
			f |= XP_BOLD;
		if (flags & XP_ROW_HEADER)
			f |= XP_CENTER;
		out[i] = make_layout(p, cells[i], w - 2 * PAD, f, cell_size(p));
		pango_layout_set_height(out[i], (int)(max_h * PS));
		pango_layout_set_ellipsize(out[i], PANGO_ELLIPSIZE_END);
		if (layout_height(out[i]) > h)
			h = layout_height(out[i]);
	}
	return h + 2 * PAD;
}

static void draw_row(struct xp_pdf *p, const char *const *cells, unsigned flags)
{
	PangoLayout *l[XP_PDF_MAX_COLS];
	int n = (flags & XP_ROW_SPAN) ? 1 : p->t.ncols;
	double rh = row_layouts(p, cells, flags, l, n);

	if (p->y + rh > BODY_BOTTOM && !p->page_empty &&
	    !(flags & XP_ROW_HEADER)) {
		if (!next_page(p))
			goto out;
	}
	if (p->draw) {
		cairo_t *cr = p->cr;
		cairo_set_line_width(cr, 0.5);
		for (int i = 0; i < n; i++) {
			double x0 = (flags & XP_ROW_SPAN) ? MARGIN_X
							  : p->col_x[i];
			double x1 = (flags & XP_ROW_SPAN) ? MARGIN_X + BODY_W
							  : p->col_x[i + 1];
			double shade = 1;
			if (flags & (XP_ROW_SHADE | XP_ROW_HEADER))
				shade = 0.88;
			else if ((flags & XP_ROW_LABEL) && i == 0)
				shade = 0.95;
			if (shade < 1) {
				cairo_set_source_rgb(cr, shade, shade, shade);
				cairo_rectangle(cr, x0, p->y, x1 - x0, rh);
				cairo_fill(cr);
			}
			cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
			cairo_rectangle(cr, x0, p->y, x1 - x0, rh);
			cairo_stroke(cr);
			/* The clip makes "never past the cell" a certainty. */
			cairo_save(cr);
			cairo_rectangle(cr, x0, p->y, x1 - x0, rh);
			cairo_clip(cr);
			set_color(p, (flags & XP_ROW_SPAN) ? 0 : p->t.flags[i]);
			cairo_move_to(cr, x0 + PAD, p->y + PAD);
			pango_cairo_show_layout(cr, l[i]);
			cairo_restore(cr);
		}
	}
	p->y += rh;
	p->page_empty = false;
out:
	for (int i = 0; i < n; i++)
		g_object_unref(l[i]);
}

void xp_pdf_table_begin(struct xp_pdf *p, const struct xp_table *t)
{
	double sum = 0, x = MARGIN_X;

	if (!start(p))
		return;
	p->t = *t;
	if (p->t.ncols < 1)
		p->t.ncols = 1;
	if (p->t.ncols > XP_PDF_MAX_COLS)
		p->t.ncols = XP_PDF_MAX_COLS;
	for (int i = 0; i < p->t.ncols; i++)
		sum += p->t.width[i] > 0 ? p->t.width[i] : 1;
	for (int i = 0; i < p->t.ncols; i++) {
		p->col_x[i] = x;
		x += BODY_W * (p->t.width[i] > 0 ? p->t.width[i] : 1) / sum;
	}
	p->col_x[p->t.ncols] = MARGIN_X + BODY_W;
	p->header_h = 0;
	if (p->t.header[0]) {
		PangoLayout *l[XP_PDF_MAX_COLS];
		p->header_h = row_layouts(p, p->t.header, XP_ROW_HEADER, l,
					  p->t.ncols);
		for (int i = 0; i < p->t.ncols; i++)
			g_object_unref(l[i]);
		/* The header and a first row go together. */
		xp_pdf_keep(p, p->header_h + 2 * cell_size(p) * 1.5 + 2 * PAD);
		if (p->overflow)
			return;
		draw_row(p, p->t.header, XP_ROW_HEADER);
	}
	p->in_table = true;
}

void xp_pdf_table_row(struct xp_pdf *p, const char *const *cells,
		      unsigned flags)
{
	if (!p->in_table || !start(p))
		return;
	draw_row(p, cells, flags & ~XP_ROW_HEADER);
}

void xp_pdf_table_end(struct xp_pdf *p)
{
	p->in_table = false;
	p->header_h = 0;
	xp_pdf_space(p, 6);
}

static void draw_qr(struct xp_pdf *p, const char *text, double x, double y,
		    double size)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	double m;

	if (!q)
		return;
	/* Four modules of quiet zone on every side, as scanners expect. */
	m = size / (q->width + 8);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++) {
		int c = 0;
		while (c < q->width) {
			int run = 0;
			while (c + run < q->width &&
			       (q->data[r * q->width + c + run] & 1))
				run++;
			if (run) {
				/* One rectangle per run: no seams in viewers. */
				cairo_rectangle(p->cr, x + (c + 4) * m,
						y + (r + 4) * m, run * m, m);
				c += run;
			} else {
				c++;
			}
		}
	}
	cairo_fill(p->cr);
	QRcode_free(q);
}

void xp_pdf_qr_block(struct xp_pdf *p, const char *qr_text, double size,
		     const char *text, unsigned flags)
{
	PangoLayout *l;
	double h;

	if (!start(p))
		return;
	l = make_layout(p, text, BODY_W - size - 14, flags, p->size);
	h = layout_height(l);
	if (h < size)
		h = size;
	xp_pdf_keep(p, h);
	if (p->overflow) {
		g_object_unref(l);
		return;
	}
	if (p->draw) {
		set_color(p, flags);
		cairo_move_to(p->cr, MARGIN_X, p->y + 4);
		pango_cairo_show_layout(p->cr, l);
		if (qr_text && *qr_text)
			draw_qr(p, qr_text, MARGIN_X + BODY_W - size, p->y,
				size);
	}
	g_object_unref(l);
	p->y += h;
	p->page_empty = false;
}

void xp_pdf_blank(struct xp_pdf *p, const char *label, double points,
		  unsigned flags)
{
	PangoLayout *l;

	if (!start(p))
		return;
	l = make_layout(p, label, BODY_W, flags, p->size);
	xp_pdf_keep(p, layout_height(l) + points);
	flow(p, l, MARGIN_X, flags);
	g_object_unref(l);
	if (!p->overflow) {
		p->y += points;
		if (p->y > BODY_BOTTOM)
			p->y = BODY_BOTTOM;
	}
}

int xp_pdf_page(const struct xp_pdf *p)
{
	return p->page;
}

bool xp_pdf_overflowed(const struct xp_pdf *p)
{
	return p->overflow;
}

double xp_pdf_body_width(const struct xp_pdf *p)
{
	(void)p;
	return BODY_W;
}

/* One pass: measuring (fd < 0) or drawing with the total known. */
static int run(struct xp_pdf *p, const struct xp_pdf_opts *o, int fd, int total,
	       xp_pdf_body body, void *cls, char *err, size_t errlen)
{
	struct out_stream out = { fd, 0 };
	cairo_font_options_t *fo;
	cairo_status_t st;

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->draw = fd >= 0;
	p->total = total;
	p->font = o->font ? o->font : XP_FONT_SANS;
	p->size = o->font_size > 0 ? o->font_size : 10.5;
	p->spacing = o->line_spacing;
	p->surf = cairo_pdf_surface_create_for_stream(write_out, &out, PAGE_W,
						      PAGE_H);
	if (p->draw) {
		cairo_pdf_surface_set_metadata(
			p->surf, CAIRO_PDF_METADATA_CREATOR, "saiwu");
		if (o->meta_title)
			cairo_pdf_surface_set_metadata(p->surf,
						       CAIRO_PDF_METADATA_TITLE,
						       o->meta_title);
	}
	p->cr = cairo_create(p->surf);
	p->ctx = pango_cairo_create_context(p->cr);
	/*
	 * Unhinted metrics, as a PDF has no pixel grid: and both passes use
	 * exactly the same, so they break lines and pages alike.
	 */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p->ctx, fo);
	cairo_font_options_destroy(fo);

	body(p, cls);
	if (!p->page)
		begin_page(p);
	end_page(p);

	g_object_unref(p->ctx);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surf);
	st = cairo_surface_status(p->surf);
	cairo_surface_destroy(p->surf);
	if (out.err) {
		snprintf(err, errlen, "cannot write pdf: %s",
			 strerror(out.err));
		return -1;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "cairo: %s", cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

int xp_pdf_render(int fd, const struct xp_pdf_opts *opts, xp_pdf_body body,
		  void *cls, int *pages_out, char *err, size_t errlen)
{
	struct xp_pdf p;
	int total;

	if (run(&p, opts, -1, 0, body, cls, err, errlen) < 0)
		return -1;
	total = p.page;
	if (run(&p, opts, fd, total, body, cls, err, errlen) < 0)
		return -1;
	if (pages_out)
		*pages_out = p.page;
	return 0;
}

void xp_pdf_shutdown(void)
{
	/* pango keeps one font map per thread, dropped when the thread ends. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

#ifdef __SANITIZE_ADDRESS__
/*
 * cairo 1.16.0 (Debian 12) loses 768 bytes per font per PDF surface when
 * it writes the font subsets in cairo_surface_finish(); nothing a caller
 * can free. The sanitizer builds are told so, that their leak check stays
 * useful for everything else.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif
