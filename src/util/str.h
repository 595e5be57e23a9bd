/* str.h: (pointer, length) slices, bounded number parsers, UTF-8 checks */
#ifndef UTIL_STR_H
#define UTIL_STR_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* A view into bytes owned by someone else; not NUL-terminated. */
struct str {
	const char *p;
	size_t len;
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })

/* Returns a slice over the NUL-terminated string s (NULL gives an empty one). */
struct str str_from(const char *s);

/* Returns true when a and b hold the same bytes. */
bool str_eq(struct str a, const char *b);

/* Returns true when s begins with prefix. */
bool str_starts_with(struct str s, const char *prefix);

/*
 * Parses the whole of s as a decimal integer in [min, max] into *out.
 * No sign other than a leading '-', no spaces, no leading '+', at most
 * 19 digits. Returns 0, or -1 leaving *out untouched.
 */
int str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out);

/* Same as str_to_i64 for a NUL-terminated string. */
int str_to_i64z(const char *s, int64_t min, int64_t max, int64_t *out);

/*
 * Returns true when the len bytes at p are well-formed UTF-8 (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF) without NUL bytes.
 */
bool utf8_valid(const char *p, size_t len);

/*
 * Decodes the percent escapes of a URL path segment sequence in place.
 * Fails (-1) on a malformed escape, an encoded or literal NUL, or a result
 * that is not valid UTF-8; on success returns 0 and sets *len_out.
 */
int url_path_decode(char *s, size_t len, size_t *len_out);

/*
 * Decodes a query-string component (percent escapes and '+' for space)
 * from src into dst, which must hold at least src.len + 1 bytes. Same
 * failures as url_path_decode. Returns the decoded length or -1.
 */
long url_query_decode(struct str src, char *dst);

/* Writes 2*n lowercase hex digits and a NUL into out (2*n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
