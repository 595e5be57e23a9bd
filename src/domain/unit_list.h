/* unit_list.h: reading an exclusion or dishonesty list from CSV */
#ifndef DOMAIN_UNIT_LIST_H
#define DOMAIN_UNIT_LIST_H

#include <stddef.h>
#include <jansson.h>

#define UNIT_LIST_MAX_ROWS 100000

/*
 * Parses CSV with columns 统一社会信用代码, 单位名称, 备注 (a header line
 * is recognised and skipped). Returns {"rows":[{line, uscc, name, note,
 * checksum_ok}], "errors":[{line, message}]} — a code that fails its check
 * character is kept (legal codes that fail exist) and flagged; a malformed
 * line is an error. NULL when out of memory.
 */
json_t *unit_list_parse(const char *text, size_t len);

/* Returns true for "exclusion" or "dishonest". */
int unit_list_kind_ok(const char *kind);

#endif
