/*
 * pdf.h: a small page-layout engine over cairo and pango for A4 documents
 * with Chinese text: headings, flowing paragraphs, tables that break
 * across pages, a QR code, a running header, "第 x 页 共 y 页" and a
 * watermark.
 */
#ifndef DOCS_PDF_H
#define DOCS_PDF_H

#include <stdbool.h>
#include <stddef.h>

struct xp_pdf;

#define XP_PDF_MAX_COLS 12

/*
 * Chinese from fonts-noto-cjk (DESIGN §5); Latin letters and digits from
 * DejaVu (fonts-dejavu-core) first. cairo 1.16's CFF subsetter sometimes
 * embeds most of a Noto CJK font (some 900 KB instead of 60 KB) for
 * certain mixes of glyphs, Latin capitals with Chinese among the most
 * common: taking Latin from DejaVu avoids that case, and the time spent
 * compressing it. Other mixes still do it now and then (a PDF of 0.3 to
 * 1.1 MB); the text is the same.
 */
#define XP_FONT_SANS "DejaVu Sans, Noto Sans CJK SC"
#define XP_FONT_SERIF "DejaVu Serif, Noto Serif CJK SC"
#define XP_FONT_MONO "DejaVu Sans Mono, Noto Sans Mono CJK SC"

struct xp_pdf_opts {
	const char *header;	 /* running header text, NULL for none */
	const char *watermark;	 /* drawn across every page, NULL for none */
	const char *footer_note; /* small text at the left of the footer */
	const char *font;	 /* body family, default XP_FONT_SANS */
	double font_size;	 /* body size in points, default 10.5 */
	double line_spacing;	 /* line height factor, default 1.25 */
	int max_pages;		 /* past it the rest is left out, noted */
	const char *meta_title;	 /* the PDF's Title */
};

/* Paragraph flags. */
#define XP_CENTER (1u << 0) /* centred */
#define XP_RIGHT (1u << 1)  /* right-aligned */
#define XP_INDENT (1u << 2) /* first line indented by two characters */
#define XP_SMALL (1u << 3)  /* 0.85 × the body size */
#define XP_GRAY (1u << 4)   /* gray text */
#define XP_BOLD (1u << 5)   /* bold */
#define XP_MONO (1u << 6)   /* monospaced (hashes, codes) */
#define XP_MARKUP (1u << 7) /* the text is pango markup */
#define XP_LARGE (1u << 8)  /* 1.15 × the body size */

/* Row flags. */
#define XP_ROW_SPAN (1u << 0)	/* one cell across the whole table */
#define XP_ROW_SHADE (1u << 1)	/* the whole row shaded (a caption) */
#define XP_ROW_LABEL (1u << 2)	/* the first cell shaded (a label) */
#define XP_ROW_BOLD (1u << 3)	/* bold text */
#define XP_ROW_HEADER (1u << 4) /* repeated at the top of each new page */

struct xp_table {
	int ncols;
	double width[XP_PDF_MAX_COLS];	 /* shares of the body width */
	unsigned flags[XP_PDF_MAX_COLS]; /* XP_MONO, XP_SMALL, XP_CENTER… */
	double font_size;		 /* 0: the body size */
	const char *header[XP_PDF_MAX_COLS]; /* NULL: no header row */
};

/* The document's content; called twice (measure, then draw). */
typedef void (*xp_pdf_body)(struct xp_pdf *p, void *cls);

/*
 * Lays the document out twice: once to count its pages, then again
 * drawing, so every footer can say "共 y 页". body must draw the same
 * content both times. The PDF is written to fd as it is made; memory
 * stays bounded by one page and the fonts. Returns 0 with the number of
 * pages in *pages_out, or -1 with a message in err (a write error, a
 * cairo failure). Past opts->max_pages the rest is dropped and the last
 * page says so.
 */
int xp_pdf_render(int fd, const struct xp_pdf_opts *opts, xp_pdf_body body,
		  void *cls, int *pages_out, char *err, size_t errlen);

/* The document title: large, bold, centred. */
void xp_pdf_title(struct xp_pdf *p, const char *text, double size);

/*
 * A heading: level 1 (with a rule under it), 2 or 3. It starts a new page
 * when too little room is left for it and a few lines after it.
 */
void xp_pdf_heading(struct xp_pdf *p, int level, const char *text);

/* A paragraph, wrapped and continued on the next pages as needed. */
void xp_pdf_text(struct xp_pdf *p, const char *text, unsigned flags);

/* Vertical space in points (not carried over to a new page). */
void xp_pdf_space(struct xp_pdf *p, double points);

/* Starts a new page (unless the current one is still empty). */
void xp_pdf_new_page(struct xp_pdf *p);

/* Starts a new page when less than `points` are left on this one. */
void xp_pdf_keep(struct xp_pdf *p, double points);

/*
 * Tables: begin, rows, end. A row moves whole to the next page when it
 * does not fit, and the header row is repeated there. A cell taller than
 * a page is cut with an ellipsis, so nothing ever runs off the page.
 * cells has t->ncols entries (NULL is an empty cell); with XP_ROW_SPAN
 * only cells[0] is used.
 */
void xp_pdf_table_begin(struct xp_pdf *p, const struct xp_table *t);
void xp_pdf_table_row(struct xp_pdf *p, const char *const *cells,
		      unsigned flags);
void xp_pdf_table_end(struct xp_pdf *p);

/*
 * Lines of text at the left and a QR code of qr_text (size points
 * square) at the right, kept together on one page.
 */
void xp_pdf_qr_block(struct xp_pdf *p, const char *qr_text, double size,
		     const char *text, unsigned flags);

/*
 * A line for a signature or stamp: label at the left, then `points` of
 * blank room under it.
 */
void xp_pdf_blank(struct xp_pdf *p, const char *label, double points,
		  unsigned flags);

/*
 * Frees the font caches: the calling thread's pango font map, cairo's
 * and fontconfig's. Other threads' font maps go when they exit. Call it
 * once at the end, after every thread that rendered has ended, so a leak
 * checker sees only real leaks.
 */
void xp_pdf_shutdown(void);

/* The page being laid out (1-based), and whether the cap was reached. */
int xp_pdf_page(const struct xp_pdf *p);
bool xp_pdf_overflowed(const struct xp_pdf *p);

/* The body width in points (the page less its margins). */
double xp_pdf_body_width(const struct xp_pdf *p);

#endif
