/*
 * xlsx.h: a streaming writer of XLSX workbooks (SpreadsheetML) for the
 * exports: inline strings, numbers, one bold header style, column
 * widths, a frozen top row, a page header and the title and comments of
 * the document properties. Cells go out as XML the moment they are
 * written, row by row, into a raw deflate stream per sheet kept in an
 * unlinked temporary file; a second thread does the deflating, fed by a
 * bounded queue of XML chunks, so memory stays flat whatever the number
 * of rows. xp_wb_close() assembles the zip from those streams.
 *
 * Limits (no Zip64): each sheet's XML and the whole file stay under
 * 4 GiB; past them a write fails with a message instead of a broken
 * file.
 */
#ifndef DOCS_XLSX_H
#define DOCS_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XP_WB_CELL_MAX 32767 /* Excel's longest cell text, in characters */
#define XP_WB_MAX_ROWS 1048576u
#define XP_WB_MAX_COLS 16384u

enum xp_wb_style {
	XP_WB_PLAIN = 0,
	XP_WB_HEAD = 1 /* bold, filled, wrapped */
};

struct xp_wb;
struct xp_wb_sheet;

/*
 * Starts a workbook to be written to path (created at close); its
 * temporary files go to tmpdir. Returns it, or NULL with a message in
 * err.
 */
struct xp_wb *xp_wb_open(const char *path, const char *tmpdir, char *err,
			 size_t errlen);

/* The document properties' title and comments (copied; NULL: none). */
int xp_wb_set_props(struct xp_wb *b, const char *title, const char *comments);

/*
 * Adds a sheet named name: at most 31 characters, none of []:*?/\, not
 * starting or ending with an apostrophe, unique ignoring ASCII case, as
 * Excel asks. Returns NULL when the name is refused (err says why) or on
 * a failure.
 */
struct xp_wb_sheet *xp_wb_add_sheet(struct xp_wb *b, const char *name,
				    char *err, size_t errlen);

/*
 * Set-up of a sheet, before its first cell: the width of columns
 * first..last (0-based, in characters), the top row frozen, and the
 * text of the printed page header's left part (copied).
 */
int xp_wb_set_cols(struct xp_wb_sheet *s, unsigned first, unsigned last,
		   double width);
void xp_wb_freeze_top_row(struct xp_wb_sheet *s);
int xp_wb_set_header(struct xp_wb_sheet *s, const char *text);

/*
 * Writes a cell (0-based row and column). Cells go in order: rows
 * ascending, columns ascending within a row. Text is UTF-8, cut to
 * XP_WB_CELL_MAX characters; characters XML forbids are written as _xHHHH_
 * as Excel reads them. A non-finite number is written as text. Returns
 * 0, or -1 (out of order, past Excel's grid, a write failure or the
 * 4 GiB limit) and the workbook is then failed.
 */
int xp_wb_string(struct xp_wb_sheet *s, uint32_t row, unsigned col,
		 const char *text, enum xp_wb_style style);
/* The same for len bytes at text (no NUL among them). */
int xp_wb_stringn(struct xp_wb_sheet *s, uint32_t row, unsigned col,
		  const char *text, size_t len, enum xp_wb_style style);
int xp_wb_number(struct xp_wb_sheet *s, uint32_t row, unsigned col, double v);

/*
 * Finishes the sheets and writes the file, then frees b (also after a
 * failure; NULL is accepted). Returns 0, or -1 with a message in err (the
 * file is then removed).
 */
int xp_wb_close(struct xp_wb *b, char *err, size_t errlen);

/* Frees b without writing the file. */
void xp_wb_abort(struct xp_wb *b);

#endif
