/* text.c: small pure helpers the document renderers and exports share */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "text.h"
#include "../util/banned.h"

bool xp_cell_dangerous(const char *s)
{
	return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
		     *s == '\t' || *s == '\r');
}

/* Cuts n bytes of UTF-8 back to the start of a character. */
static size_t utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *xp_cell_neutral(const char *s, char *out, size_t n)
{
	size_t pre, len;

	if (!n)
		return out;
	if (!s)
		s = "";
	pre = xp_cell_dangerous(s) ? 1 : 0;
	if (pre >= n) {
		out[0] = '\0';
		return out;
	}
	len = strlen(s);
	if (len > n - 1 - pre)
		len = utf8_cut(s, n - 1 - pre);
	if (pre)
		out[0] = '\'';
	memcpy(out + pre, s, len);
	out[pre + len] = '\0';
	return out;
}

char *xp_mask(const char *s, char *out, size_t n)
{
	size_t len = s ? strlen(s) : 0, head = len >= 15 ? 4 : 3, tail = 4;

	if (!n)
		return out;
	if (len <= head + tail || len >= n) {
		snprintf(out, n, "****");
		return out;
	}
	memcpy(out, s, len + 1);
	memset(out + head, '*', len - head - tail);
	return out;
}

char *xp_number(double v, char *out, size_t n)
{
	char *dot, *end;

	if (!n)
		return out;
	if (!isfinite(v)) {
		snprintf(out, n, "—");
		return out;
	}
	snprintf(out, n, "%.6f", v);
	dot = strchr(out, '.');
	if (dot) {
		end = out + strlen(out) - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
	}
	/* -0.0000001 printed as "-0" reads as a sign error. */
	if (!strcmp(out, "-0"))
		snprintf(out, n, "0");
	return out;
}

char *xp_size(int64_t bytes, char *out, size_t n)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(out, n, "%lld B", (long long)(bytes < 0 ? 0 : bytes));
		return out;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(out, n, v < 10 ? "%.2f %s" : "%.1f %s", v, units[u]);
	return out;
}

char *xp_time_cn(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;

	if (!n)
		return out;
	out[0] = '\0';
	if (t <= 0 || !gmtime_r(&tt, &tm))
		return out;
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	return out;
}

char *xp_page_label(int page, int total, char *out, size_t n)
{
	snprintf(out, n, "第 %d 页 共 %d 页", page, total);
	return out;
}

const char *xp_province(const char *code)
{
	static const struct {
		char prefix[3];
		const char *name;
	} table[] = {
		{ "11", "北京市" },	      { "12", "天津市" },
		{ "13", "河北省" },	      { "14", "山西省" },
		{ "15", "内蒙古自治区" },     { "21", "辽宁省" },
		{ "22", "吉林省" },	      { "23", "黑龙江省" },
		{ "31", "上海市" },	      { "32", "江苏省" },
		{ "33", "浙江省" },	      { "34", "安徽省" },
		{ "35", "福建省" },	      { "36", "江西省" },
		{ "37", "山东省" },	      { "41", "河南省" },
		{ "42", "湖北省" },	      { "43", "湖南省" },
		{ "44", "广东省" },	      { "45", "广西壮族自治区" },
		{ "46", "海南省" },	      { "50", "重庆市" },
		{ "51", "四川省" },	      { "52", "贵州省" },
		{ "53", "云南省" },	      { "54", "西藏自治区" },
		{ "61", "陕西省" },	      { "62", "甘肃省" },
		{ "63", "青海省" },	      { "64", "宁夏回族自治区" },
		{ "65", "新疆维吾尔自治区" }, { "71", "台湾省" },
		{ "81", "香港特别行政区" },   { "82", "澳门特别行政区" },
	};

	if (!code || strlen(code) < 2)
		return NULL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strncmp(code, table[i].prefix, 2))
			return table[i].name;
	return NULL;
}

void xp_code_format(int64_t id, const char *mac_hex, char out[XP_CODE_MAX])
{
	char m[XP_CODE_MAC_HEX + 1];

	for (int i = 0; i < XP_CODE_MAC_HEX; i++)
		m[i] = (char)toupper((unsigned char)mac_hex[i]);
	m[XP_CODE_MAC_HEX] = '\0';
	snprintf(out, XP_CODE_MAX, "%lld-%.4s-%.4s-%.4s-%.4s-%.4s",
		 (long long)id, m, m + 4, m + 8, m + 12, m + 16);
}

int xp_code_parse(const char *code, int64_t *id,
		  char mac_hex[XP_CODE_MAC_HEX + 1])
{
	int64_t v = 0;
	int digits = 0, hex = 0;
	const char *p = code;

	if (!code || strlen(code) > XP_CODE_MAX)
		return -1;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9') {
		/* 18 digits stay far from INT64_MAX. */
		if (++digits > 18)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	if (!digits || v < 1 || *p != '-')
		return -1;
	for (; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (!isxdigit((unsigned char)*p) || hex >= XP_CODE_MAC_HEX)
			return -1;
		mac_hex[hex++] = (char)toupper((unsigned char)*p);
	}
	if (hex != XP_CODE_MAC_HEX)
		return -1;
	mac_hex[hex] = '\0';
	*id = v;
	return 0;
}

int xp_csv_field(FILE *f, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n"))
		return fputs(s, f) < 0 ? -1 : 0;
	if (putc('"', f) == EOF)
		return -1;
	for (; *s; s++) {
		if (*s == '"' && putc('"', f) == EOF)
			return -1;
		if (putc(*s, f) == EOF)
			return -1;
	}
	return putc('"', f) == EOF ? -1 : 0;
}
