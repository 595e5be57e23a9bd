/* str.c: slices, bounded parsers and the UTF-8 checks every input goes through */
#include <string.h>
#include "str.h"
#include "banned.h"

struct str str_from(const char *s)
{
	struct str r = { s ? s : "", s ? strlen(s) : 0 };
	return r;
}

bool str_eq(struct str a, const char *b)
{
	size_t n = strlen(b);
	return a.len == n && (n == 0 || memcmp(a.p, b, n) == 0);
}

bool str_starts_with(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

int str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0, limit;

	if (s.len == 0)
		return -1;
	if (s.p[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == s.len || s.len - i > 19)
		return -1;
	/* Accumulate in unsigned so INT64_MIN is reachable without overflow. */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < s.len; i++) {
		unsigned d;
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		d = (unsigned)(s.p[i] - '0');
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	{
		int64_t r;
		if (neg)
			r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN
							 : -(int64_t)v;
		else
			r = (int64_t)v;
		if (r < min || r > max)
			return -1;
		*out = r;
	}
	return 0;
}

int str_to_i64z(const char *s, int64_t min, int64_t max, int64_t *out)
{
	return str_to_i64(str_from(s), min, max, out);
}

bool utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Reject overlongs, surrogates and code points past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += n + 1;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long decode(const char *src, size_t len, char *dst, bool plus_space)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = src[i];
		if (c == '%') {
			int hi, lo;
			if (len - i < 3)
				return -1;
			hi = hexval(src[i + 1]);
			lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (c == '\0')
			return -1;
		dst[o++] = c;
	}
	dst[o] = '\0';
	if (!utf8_valid(dst, o))
		return -1;
	return (long)o;
}

int url_path_decode(char *s, size_t len, size_t *len_out)
{
	/* In place is safe: the output never runs ahead of the input. */
	long n = decode(s, len, s, false);
	if (n < 0)
		return -1;
	*len_out = (size_t)n;
	return 0;
}

long url_query_decode(struct str src, char *dst)
{
	return decode(src.p, src.len, dst, true);
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}
