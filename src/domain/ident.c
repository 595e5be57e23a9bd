/* ident.c: check characters and formats of the identifiers a form holds */
#include <string.h>
#include "ident.h"
#include "account.h"
#include "../util/banned.h"

/* GB 32100-2015 leaves out I, O, S, V and Z; a value is its index here. */
static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const char *const ident_id_types[IDENT_ID_TYPES] = {
	"居民身份证",
	"护照",
	"港澳居民来往内地通行证",
	"台湾居民来往大陆通行证",
	"外国人永久居留身份证",
};

static const char pr_format[] =
	"外国人永久居留身份证号码应为 3 位字母加 12 位数字，"
	"或以 9 开头的 18 位数字";
static const char id_format[] = "居民身份证号码应为 18 位，前 17 位为数字，"
				"末位为数字或 X";

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static int uscc_value(char c)
{
	const char *p;

	if (!c)
		return -1;
	p = strchr(uscc_set, c);
	return p ? (int)(p - uscc_set) : -1;
}

void ident_uscc_normalize(const char *in, char out[USCC_LEN + 1])
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		if (n == USCC_LEN) {
			out[0] = '\0';
			return;
		}
		out[n++] = upper(*in);
	}
	out[n] = '\0';
}

const char *ident_uscc_check(const char *s, bool *checksum_out)
{
	char c[USCC_LEN + 1];
	int sum = 0, w = 1;

	if (checksum_out)
		*checksum_out = false;
	ident_uscc_normalize(s, c);
	if (strlen(c) != USCC_LEN)
		return "统一社会信用代码应为 18 位数字或大写字母";
	for (size_t i = 0; i < USCC_LEN - 1; i++)
		if (uscc_value(c[i]) < 0)
			return "统一社会信用代码应为 18 位数字或大写字母";
	if (!is_digit(c[USCC_LEN - 1]) && !is_upper(c[USCC_LEN - 1]))
		return "统一社会信用代码应为 18 位数字或大写字母";
	/*
	 * Positions 3-8 are the registering office's division code. Codes
	 * beginning with N, Y or A exist, so the first two are not digits.
	 */
	if (!all_digits(c + 2, 6))
		return "统一社会信用代码第 3 至 8 位应为数字";
	for (size_t i = 0; i < USCC_LEN - 1; i++) {
		sum += uscc_value(c[i]) * w;
		w = w * 3 % 31;
	}
	/*
	 * A check letter outside the set (the standard's own sample ends in
	 * Z) is still a wrong check character, which is what the user fixes.
	 */
	if (uscc_set[(31 - sum % 31) % 31] != c[USCC_LEN - 1]) {
		if (checksum_out)
			*checksum_out = true;
		return "统一社会信用代码校验位不正确";
	}
	return NULL;
}

bool ident_date_valid(int y, int m, int d)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	int max;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

bool ident_id_type_ok(const char *type)
{
	for (size_t i = 0; i < IDENT_ID_TYPES; i++)
		if (!strcmp(type, ident_id_types[i]))
			return true;
	return false;
}

void ident_id_normalize(const char *in, char out[ID_NUMBER_MAX + 1])
{
	size_t n = 0;

	/* The same spelling rule as the one-person-one-team hash in api/. */
	for (; *in; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		if (n == ID_NUMBER_MAX) {
			out[0] = '\0';
			return;
		}
		out[n++] = upper(*in);
	}
	out[n] = '\0';
}

/* ISO 7064 MOD 11-2 over 17 digits, as GB 11643-1999 uses it. */
static char mod11_2(const char *s)
{
	static const int w[17] = { 7, 9, 10, 5,	 8, 4, 2, 1, 6,
				   3, 7, 9,  10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static const char *resident_id(const char *s, int today, bool *checksum_out)
{
	size_t n = strlen(s);
	int y, m, d;

	if (n == 15 && all_digits(s, 15))
		return "居民身份证号码应为 18 位（15 位的一代证号码已停用）";
	if (n != 18 || !all_digits(s, 17) || (!is_digit(s[17]) && s[17] != 'X'))
		return id_format;
	/* 1-8: provinces and 港澳台; 9: the 2023 permanent-residence card. */
	if (s[0] < '1' || s[0] > '8')
		return "居民身份证号码的地址码不正确";
	y = digits_value(s + 6, 4);
	m = digits_value(s + 10, 2);
	d = digits_value(s + 12, 2);
	/*
	 * GB 11643's own examples include a birth in 1880, so the floor only
	 * keeps out the absurd.
	 */
	if (y < 1800 || !ident_date_valid(y, m, d) ||
	    y * 10000 + m * 100 + d > today)
		return "居民身份证号码中的出生日期不正确";
	if (mod11_2(s) != s[17]) {
		*checksum_out = true;
		return "居民身份证号码校验位不正确";
	}
	return NULL;
}

static const char *passport(const char *s)
{
	size_t n = strlen(s);
	bool digit = false;

	if (n < 5 || n > 17)
		return "护照号码应为 5 到 17 位字母或数字";
	for (size_t i = 0; i < n; i++) {
		if (is_digit(s[i]))
			digit = true;
		else if (!is_upper(s[i]))
			return "护照号码应为 5 到 17 位字母或数字";
	}
	if (!digit)
		return "护照号码应包含数字";
	return NULL;
}

static const char *hk_macao(const char *s)
{
	size_t n = strlen(s);

	if ((s[0] != 'H' && s[0] != 'M') || (n != 9 && n != 11) ||
	    !all_digits(s + 1, n - 1))
		return "港澳居民来往内地通行证号码应为 H 或 M 加 8 位或 10 "
		       "位数字";
	return NULL;
}

static const char *taiwan(const char *s)
{
	size_t n = strlen(s);

	if ((n != 8 && n != 10) || !all_digits(s, n))
		return "台湾居民来往大陆通行证号码应为 8 位或 10 位数字";
	return NULL;
}

static const char *permanent_residence(const char *s, bool *checksum_out)
{
	size_t n = strlen(s);

	/* Before 2023: nationality (3 letters), office, birth date, serial. */
	if (n == 15) {
		if (!is_upper(s[0]) || !is_upper(s[1]) || !is_upper(s[2]) ||
		    !all_digits(s + 3, 12))
			return pr_format;
		return NULL;
	}
	if (n != 18 || s[0] != '9' || !all_digits(s, 17) ||
	    (!is_digit(s[17]) && s[17] != 'X'))
		return pr_format;
	if (mod11_2(s) != s[17]) {
		*checksum_out = true;
		return "外国人永久居留身份证号码校验位不正确";
	}
	return NULL;
}

const char *ident_id_check(const char *type, const char *number, int today,
			   bool *checksum_out)
{
	char s[ID_NUMBER_MAX + 1];
	bool dummy;

	if (!checksum_out)
		checksum_out = &dummy;
	*checksum_out = false;
	if (!type || !ident_id_type_ok(type))
		return "证件类型不正确";
	ident_id_normalize(number, s);
	if (!*s)
		return "证件号码不正确";
	if (!strcmp(type, "居民身份证"))
		return resident_id(s, today, checksum_out);
	if (!strcmp(type, "护照"))
		return passport(s);
	if (!strcmp(type, "港澳居民来往内地通行证"))
		return hk_macao(s);
	if (!strcmp(type, "台湾居民来往大陆通行证"))
		return taiwan(s);
	return permanent_residence(s, checksum_out);
}

int ident_mobile_normalize(const char *in, char out[12])
{
	return dom_phone_normalize(in, out) ? -1 : 0;
}

bool ident_mobile_ok(const char *s)
{
	char tmp[12];
	return ident_mobile_normalize(s, tmp) == 0;
}

static bool local_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_upper(c) || is_digit(c) ||
	       (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_upper(c) || is_digit(c) || c == '-';
}

bool ident_email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *p, *label;
	size_t n = strlen(s), local;
	bool tld_digits = true;

	if (!at || n > 254 || strchr(at + 1, '@'))
		return false;
	local = (size_t)(at - s);
	if (local < 1 || local > 64 || s[0] == '.' || at[-1] == '.')
		return false;
	for (p = s; p < at; p++)
		if (!local_char(*p) || (*p == '.' && p[1] == '.'))
			return false;
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || !*p) {
			size_t len = (size_t)(p - label);
			if (len < 1 || len > 63 || label[0] == '-' ||
			    p[-1] == '-')
				return false;
			if (!*p)
				break;
			label = p + 1;
			tld_digits = true;
			continue;
		}
		if (!label_char(*p))
			return false;
		if (!is_digit(*p))
			tld_digits = false;
	}
	/* One label is a host, not a mail domain; an all-digit TLD is an IP. */
	return label != at + 1 && !tld_digits;
}
