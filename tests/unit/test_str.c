/* test_str.c: bounded parsers, UTF-8 validation, URL decoding */
#include <stdint.h>
#include "harness.h"
#include "util/str.h"

static void test_i64(void)
{
	int64_t v = 7;
	ok(str_to_i64z("0", 0, 10, &v) == 0 && v == 0, "zero");
	ok(str_to_i64z("42", 0, 100, &v) == 0 && v == 42, "42");
	ok(str_to_i64z("-5", -10, 10, &v) == 0 && v == -5, "negative");
	ok(str_to_i64z("9223372036854775807", INT64_MIN, INT64_MAX, &v) == 0 &&
		   v == INT64_MAX,
	   "max");
	ok(str_to_i64z("-9223372036854775808", INT64_MIN, INT64_MAX, &v) == 0 &&
		   v == INT64_MIN,
	   "min");
	v = 7;
	ok(str_to_i64z("9223372036854775808", INT64_MIN, INT64_MAX, &v) < 0,
	   "overflow refused");
	ok(str_to_i64z("", 0, 10, &v) < 0, "empty refused");
	ok(str_to_i64z("-", -10, 10, &v) < 0, "lone minus refused");
	ok(str_to_i64z("+1", 0, 10, &v) < 0, "plus refused");
	ok(str_to_i64z(" 1", 0, 10, &v) < 0, "space refused");
	ok(str_to_i64z("1 ", 0, 10, &v) < 0, "trailing space refused");
	ok(str_to_i64z("0x10", 0, 100, &v) < 0, "hex refused");
	ok(str_to_i64z("11", 0, 10, &v) < 0, "above max refused");
	ok(str_to_i64z("-1", 0, 10, &v) < 0, "below min refused");
	ok(str_to_i64z("12345678901234567890", INT64_MIN, INT64_MAX, &v) < 0,
	   "20 digits refused");
	is_int(v, 7, "untouched on failure");
	ok(str_to_i64((struct str){ "123", 2 }, 0, 100, &v) == 0 && v == 12,
	   "slice length respected");
}

static void test_utf8(void)
{
	ok(utf8_valid("", 0), "empty");
	ok(utf8_valid("abc", 3), "ascii");
	ok(utf8_valid("数据要素×", strlen("数据要素×")), "chinese");
	ok(utf8_valid("\xF0\x9F\x98\x80", 4), "emoji");
	ok(!utf8_valid("\xC0\xAF", 2), "overlong slash");
	ok(!utf8_valid("\xE0\x80\xAF", 3), "overlong 3-byte");
	ok(!utf8_valid("\xED\xA0\x80", 3), "surrogate");
	ok(!utf8_valid("\xF4\x90\x80\x80", 4), "above U+10FFFF");
	ok(!utf8_valid("\xE6\x95", 2), "truncated");
	ok(!utf8_valid("\x80", 1), "lone continuation");
	ok(!utf8_valid("a\0b", 3), "NUL refused");
	ok(!utf8_valid("\xFF", 1), "0xFF");
}

static void test_path_decode(void)
{
	char s[64];
	size_t n = 0;

	memcpy(s, "/a%20b", 7);
	ok(url_path_decode(s, 6, &n) == 0 && n == 4 && !memcmp(s, "/a b", 4),
	   "space decoded");
	memcpy(s, "/%E6%95%B0", 11);
	ok(url_path_decode(s, 10, &n) == 0 && n == 4 && !memcmp(s, "/数", 4),
	   "utf-8 decoded");
	memcpy(s, "/%2e%2e/x", 10);
	ok(url_path_decode(s, 9, &n) == 0 && !memcmp(s, "/../x", 5),
	   "dots decoded (static.c refuses them)");
	memcpy(s, "/a%00b", 7);
	ok(url_path_decode(s, 6, &n) < 0, "encoded NUL refused");
	memcpy(s, "/a%zz", 6);
	ok(url_path_decode(s, 5, &n) < 0, "bad escape refused");
	memcpy(s, "/a%4", 5);
	ok(url_path_decode(s, 4, &n) < 0, "short escape refused");
	memcpy(s, "/a%", 4);
	ok(url_path_decode(s, 3, &n) < 0, "lone percent refused");
	memcpy(s, "/%FF", 5);
	ok(url_path_decode(s, 4, &n) < 0, "invalid utf-8 refused");
	memcpy(s, "/a+b", 5);
	ok(url_path_decode(s, 4, &n) == 0 && !memcmp(s, "/a+b", 4),
	   "plus kept in paths");
}

static void test_query_decode(void)
{
	char out[32];
	ok(url_query_decode(STR_LIT("a+b%21"), out) == 4 &&
		   !strcmp(out, "a b!"),
	   "plus is space in queries");
	ok(url_query_decode(STR_LIT("%00"), out) < 0, "NUL refused");
}

static void test_hex(void)
{
	char out[9];
	unsigned char in[4] = { 0x00, 0xab, 0x10, 0xff };
	hex_encode(in, 4, out);
	is_str(out, "00ab10ff", "hex");
}

int main(void)
{
	test_i64();
	test_utf8();
	test_path_decode();
	test_query_decode();
	test_hex();
	return done_testing("test_str");
}
