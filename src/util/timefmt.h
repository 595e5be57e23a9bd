/* timefmt.h: ISO 8601 times with an explicit offset, and China's calendar day */
#ifndef UTIL_TIMEFMT_H
#define UTIL_TIMEFMT_H

#include <stdint.h>

/*
 * Parses "2026-06-13T00:00:00+08:00" (or "…Z") into Unix seconds.
 * Returns 0, or -1 for anything else (including impossible dates).
 */
int time_parse_iso(const char *s, int64_t *out);

/*
 * Returns the start of the day "2026-06-13" in China (UTC+8) as Unix
 * seconds, or -1 for anything else.
 */
int64_t time_cn_day_start(const char *day);

/* Formats Unix seconds as "2026-06-13T00:00:00+08:00" (China time). */
void time_format_cn(int64_t t, char out[26]);

/* Returns the calendar day in China (UTC+8) as YYYYMMDD. */
int time_cn_yyyymmdd(int64_t t);

/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Returns 1 when y-m-d is a real calendar date. */
int time_valid_date(int64_t y, unsigned m, unsigned d);

#endif
