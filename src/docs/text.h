/* text.h: small pure helpers the document renderers and exports share */
#ifndef DOCS_TEXT_H
#define DOCS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XP_TIME_MAX 24	     /* "2026-06-20 14:35:07" + NUL, with room */
#define XP_CODE_MAX 48	     /* a verification code + NUL */
#define XP_CODE_MAC_HEX 20   /* hex digits of the keyed hash in a code */
#define XP_PAGE_LABEL_MAX 48 /* "第 300 页 共 300 页" + NUL, with room */

/*
 * True when a spreadsheet program would read s as a formula or a command
 * if it were typed in: it begins with '=', '+', '-', '@', a tab or a
 * carriage return (OWASP "CSV injection").
 */
bool xp_cell_dangerous(const char *s);

/*
 * Writes s into out (n bytes) with a leading apostrophe when
 * xp_cell_dangerous(s), so the cell shows the text and is never
 * evaluated. Truncates at a character boundary when out is too small.
 * Returns out.
 */
char *xp_cell_neutral(const char *s, char *out, size_t n);

/*
 * Masks an identifier as the review view does: "4401**********123X" for
 * 15 characters or more (the first 4 and the last 4 kept), "138****8000"
 * below (the first 3 and the last 4), "****" for 7 characters or fewer.
 * Works on bytes: identifiers are ASCII. Writes into out (n bytes).
 */
char *xp_mask(const char *s, char *out, size_t n);

/*
 * Formats a number the way the form shows it: no exponent, no trailing
 * zeros after the point ("12.5", "3000", "-0.25"). Returns out.
 */
char *xp_number(double v, char *out, size_t n);

/* "512 B", "1.5 KB", "20.0 MB", "1.25 GB": sizes for people. */
char *xp_size(int64_t bytes, char *out, size_t n);

/* Unix seconds as China time "2026-06-20 14:35"; "" for 0. */
char *xp_time_cn(int64_t t, char *out, size_t n);

/* "第 3 页 共 12 页". */
char *xp_page_label(int page, int total, char *out, size_t n);

/*
 * The province (省级行政区) a six-digit GB/T 2260 region code belongs
 * to, from its first two digits: "广东省". NULL when unknown.
 */
const char *xp_province(const char *code);

/*
 * A verification code: the record's number, then 20 hex digits of a keyed
 * hash grouped by four: "123-9F3A-1C7B-2D4E-6F80-A1B2". mac_hex must hold
 * at least XP_CODE_MAC_HEX hex digits. Writes into out
 * (XP_CODE_MAX bytes).
 */
void xp_code_format(int64_t id, const char *mac_hex, char out[XP_CODE_MAX]);

/*
 * Reads a verification code back, ignoring case, spaces and the hyphens
 * between groups: sets *id and writes the 20 hex digits (upper case) and
 * a NUL into mac_hex. Returns 0, or -1 when it is not a code.
 */
int xp_code_parse(const char *code, int64_t *id,
		  char mac_hex[XP_CODE_MAC_HEX + 1]);

/*
 * Writes one CSV field to f per RFC 4180: quoted when it holds a comma,
 * quote, CR or LF, with quotes doubled. The caller neutralises text
 * first. Returns 0, or -1 on a write error.
 */
int xp_csv_field(FILE *f, const char *s);

#endif
