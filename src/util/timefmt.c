/* timefmt.c: calendar arithmetic without the C library's time zone state */
#include <stdio.h>
#include <string.h>
#include "timefmt.h"
#include "str.h"
#include "banned.h"

#define CN_OFFSET (8 * 3600)

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

int time_valid_date(int64_t y, unsigned m, unsigned d)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	unsigned max;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static int num(const char *s, size_t n, int64_t max, int64_t *out)
{
	return str_to_i64((struct str){ s, n }, 0, max, out);
}

int time_parse_iso(const char *s, int64_t *out)
{
	int64_t y, mo, d, h, mi, se, oh = 0, om = 0;
	size_t n = strlen(s);
	int sign = 1;

	if (n != 20 && n != 25)
		return -1;
	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	if (num(s, 4, 9999, &y) || num(s + 5, 2, 12, &mo) ||
	    num(s + 8, 2, 31, &d) || num(s + 11, 2, 23, &h) ||
	    num(s + 14, 2, 59, &mi) || num(s + 17, 2, 59, &se))
		return -1;
	if (!time_valid_date(y, (unsigned)mo, (unsigned)d))
		return -1;
	if (n == 20) {
		if (s[19] != 'Z')
			return -1;
	} else {
		if ((s[19] != '+' && s[19] != '-') || s[22] != ':' ||
		    num(s + 20, 2, 14, &oh) || num(s + 23, 2, 59, &om))
			return -1;
		sign = s[19] == '-' ? -1 : 1;
	}
	*out = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
	return 0;
}

void time_format_cn(int64_t t, char out[26])
{
	int64_t local = t + CN_OFFSET, days, secs, y;
	unsigned m, d;
	unsigned hh, mm, ss;
	char tmp[80];

	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	civil_from_days(days, &y, &m, &d);
	hh = (unsigned)(secs / 3600) % 24;
	mm = (unsigned)(secs / 60 % 60);
	ss = (unsigned)(secs % 60);
	if (y < 0 || y > 9999)
		y = 9999;
	snprintf(tmp, sizeof(tmp), "%04u-%02u-%02uT%02u:%02u:%02u+08:00",
		 (unsigned)y % 10000, m % 100, d % 100, hh, mm, ss);
	memcpy(out, tmp, 25);
	out[25] = '\0';
}

int time_cn_yyyymmdd(int64_t t)
{
	int64_t local = t + CN_OFFSET, y;
	unsigned m, d;

	civil_from_days(local >= 0 ? local / 86400
				   : -((-local + 86399) / 86400),
			&y, &m, &d);
	return (int)(y * 10000 + m * 100 + d);
}

int64_t time_cn_day_start(const char *day)
{
	char iso[32];
	int64_t t;

	if (strlen(day) != 10)
		return -1;
	snprintf(iso, sizeof(iso), "%sT00:00:00+08:00", day);
	return time_parse_iso(iso, &t) < 0 ? -1 : t;
}
