/* csv.h: reading RFC 4180 CSV, one record at a time */
#ifndef UTIL_CSV_H
#define UTIL_CSV_H

#include <stddef.h>

#define CSV_MAX_FIELDS 16
#define CSV_MAX_FIELD 1024

struct csv {
	const char *p;
	const char *end;
	int line; /* line where the record last read starts, from 1 */
	int next_line;
};

struct csv_record {
	int n;
	char fields[CSV_MAX_FIELDS][CSV_MAX_FIELD];
};

/* Starts reading len bytes; a UTF-8 byte order mark is skipped. */
void csv_init(struct csv *c, const char *p, size_t len);

/*
 * Reads the next record into rec (fields trimmed of spaces). Returns 1
 * for a record, 0 at the end, -1 for a malformed one (unterminated
 * quote, too many or too long fields) — reading may go on after it.
 */
int csv_next(struct csv *c, struct csv_record *rec);

#endif
