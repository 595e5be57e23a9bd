/*
 * fuzz_chars: the character counter that enforces every 字数 limit
 * (form_count_chars in src/domain/form.c), on any bytes, against a model
 * written from its contract: decode UTF-8 into code points, CRLF becomes
 * LF, leading and trailing space, tab, CR, LF and U+3000 are trimmed, the
 * rest are counted. For valid UTF-8 the two agree; for any bytes the
 * count never exceeds the length and reads nothing outside the input.
 */
#include <stdbool.h>
#include "fuzz.h"
#include "domain/form.h"
#include "util/str.h"

static bool is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000;
}

/* Code points of valid UTF-8 (utf8_valid has been checked). */
static size_t decode(const uint8_t *s, size_t len, uint32_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		uint32_t c = s[i];
		int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (extra)
			c &= 0x3Fu >> extra;
		for (int k = 1; k <= extra; k++)
			c = c << 6 | (s[i + (size_t)k] & 0x3Fu);
		out[n++] = c;
		i += 1 + (size_t)extra;
	}
	return n;
}

static size_t model(const uint8_t *s, size_t len)
{
	uint32_t *cp = malloc((len + 1) * sizeof(*cp));
	size_t n, w = 0, a = 0, b;

	if (!cp)
		abort();
	n = decode(s, len, cp);
	for (size_t i = 0; i < n; i++) {
		if (cp[i] == '\r' && i + 1 < n && cp[i + 1] == '\n')
			continue;
		cp[w++] = cp[i];
	}
	b = w;
	while (a < b && is_space(cp[a]))
		a++;
	while (b > a && is_space(cp[b - 1]))
		b--;
	free(cp);
	return b - a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so ASan sees any read past the end. */
	char *s = malloc(size ? size : 1);
	size_t n;

	if (!s)
		abort();
	memcpy(s, data, size);
	n = form_count_chars(s, size);
	FUZZ_CHECK(n <= size);
	if (utf8_valid(s, size))
		FUZZ_CHECK(n == model(data, size));
	free(s);
	return 0;
}
