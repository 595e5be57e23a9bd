/* test_timefmt.c: ISO times with offsets and China's calendar day */
#include <stdint.h>
#include "harness.h"
#include "util/timefmt.h"

int main(void)
{
	int64_t t = 0;
	char s[26];

	ok(time_parse_iso("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "epoch");
	ok(time_parse_iso("1970-01-01T08:00:00+08:00", &t) == 0 && t == 0,
	   "offset");
	ok(time_parse_iso("2026-06-13T00:00:00+08:00", &t) == 0 &&
		   t == 1781280000,
	   "registration opens (got %lld)", (long long)t);
	ok(time_parse_iso("2026-07-15T23:59:59+08:00", &t) == 0 &&
		   t == 1784131199,
	   "registration closes (got %lld)", (long long)t);
	ok(time_parse_iso("2024-02-29T12:00:00Z", &t) == 0, "leap day");
	ok(time_parse_iso("2026-02-29T12:00:00Z", &t) < 0, "not a leap year");
	ok(time_parse_iso("2026-06-13", &t) < 0, "date only refused");
	ok(time_parse_iso("2026-06-13T00:00:00", &t) < 0, "zone required");
	ok(time_parse_iso("2026-13-01T00:00:00Z", &t) < 0, "month 13");
	ok(time_parse_iso("2026-06-13T24:00:00Z", &t) < 0, "hour 24");
	ok(time_parse_iso("2026-06-13 00:00:00Z", &t) < 0, "space refused");
	time_format_cn(1781280000, s);
	is_str(s, "2026-06-13T00:00:00+08:00", "format");
	time_format_cn(0, s);
	is_str(s, "1970-01-01T08:00:00+08:00", "format epoch");
	is_int(time_cn_yyyymmdd(1781280000), 20260613, "day in China");
	is_int(time_cn_yyyymmdd(1781280000 - 1), 20260612, "a second before");
	/* 2026-06-12T16:00:00Z is midnight in China: already the 13th. */
	is_int(time_cn_yyyymmdd(1781280000), 20260613, "midnight in China");
	is_int(time_cn_yyyymmdd(1781280000 - 8 * 3600), 20260612,
	       "16:00 China time on the 12th");
	ok(time_valid_date(2000, 2, 29) && !time_valid_date(1900, 2, 29),
	   "century leap rules");
	return done_testing("test_timefmt");
}
