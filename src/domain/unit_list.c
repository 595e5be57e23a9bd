/* unit_list.c: every row checked, every problem reported with its line */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit_list.h"
#include "ident.h"
#include "../util/csv.h"
#include "../util/str.h"
#include "../util/banned.h"

int unit_list_kind_ok(const char *kind)
{
	return !strcmp(kind, "exclusion") || !strcmp(kind, "dishonest");
}

/*
 * Exports neutralise a cell that a spreadsheet would run as a formula
 * with a leading apostrophe ("'=…"); an exported list imports back to
 * what it was, so that apostrophe is dropped again.
 */
static const char *unneutral(const char *s)
{
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
		return s + 1;
	return s;
}

static void error(json_t *errors, int line, const char *message)
{
	json_array_append_new(errors, json_pack("{s:i, s:s}", "line", line,
						"message", message));
}

json_t *unit_list_parse(const char *text, size_t len)
{
	json_t *rows = json_array(), *errors = json_array(), *out;
	struct csv c;
	struct csv_record *rec = malloc(sizeof(*rec));
	int rc;

	if (!rows || !errors || !rec)
		goto oom;
	csv_init(&c, text, len);
	while ((rc = csv_next(&c, rec)) != 0) {
		char norm[19], msg[160];
		const char *why;
		bool checksum = false;

		if (rc < 0) {
			error(errors, c.line,
			      "这一行格式不正确（引号不成对或字段过长）");
			continue;
		}
		if (rec->n == 1 && rec->fields[0][0] == '\0')
			continue;
		if (c.line == 1 && strstr(rec->fields[0], "代码"))
			continue;
		if (json_array_size(rows) >= UNIT_LIST_MAX_ROWS) {
			error(errors, c.line, "行数超过上限 100000");
			break;
		}
		if (!utf8_valid(rec->fields[0], strlen(rec->fields[0])) ||
		    (rec->n > 1 &&
		     !utf8_valid(rec->fields[1], strlen(rec->fields[1]))) ||
		    (rec->n > 2 &&
		     !utf8_valid(rec->fields[2], strlen(rec->fields[2])))) {
			error(errors, c.line, "文件须为 UTF-8 编码");
			continue;
		}
		ident_uscc_normalize(rec->fields[0], norm);
		why = norm[0] ? ident_uscc_check(norm, &checksum)
			      : "格式不正确";
		if (why && !checksum) {
			snprintf(msg, sizeof(msg),
				 "统一社会信用代码“%.40s”格式不正确",
				 rec->fields[0]);
			error(errors, c.line, msg);
			continue;
		}
		json_array_append_new(
			rows,
			json_pack("{s:i, s:s, s:s, s:s, s:b}", "line", c.line,
				  "uscc", norm, "name",
				  rec->n > 1 ? unneutral(rec->fields[1]) : "",
				  "note",
				  rec->n > 2 ? unneutral(rec->fields[2]) : "",
				  "checksum_ok", why == NULL));
	}
	free(rec);
	out = json_pack("{s:o, s:o}", "rows", rows, "errors", errors);
	return out;
oom:
	free(rec);
	json_decref(rows);
	json_decref(errors);
	return NULL;
}
