/* test_csv.c: the list files admins upload */
#include <stdlib.h>
#include "harness.h"
#include "util/csv.h"

int main(void)
{
	const char text[] =
		"\xEF\xBB\xBF"
		"统一社会信用代码,单位名称,备注\r\n"
		"91350100M000100Y43, \"某某公司, 深圳\" ,\"说\"\"明\"\n"
		"\n"
		"\"多\n行\",x\n"
		"\"unterminated,y\n";
	struct csv c;
	struct csv_record *rec = malloc(sizeof(*rec));

	csv_init(&c, text, sizeof(text) - 1);
	ok(csv_next(&c, rec) == 1 && rec->n == 3, "header");
	is_str(rec->fields[0], "统一社会信用代码", "bom skipped");
	ok(csv_next(&c, rec) == 1 && rec->n == 3, "record");
	is_str(rec->fields[0], "91350100M000100Y43", "plain field");
	is_str(rec->fields[1], "某某公司, 深圳", "quoted comma, trimmed");
	is_str(rec->fields[2], "说\"明", "doubled quote");
	is_int(c.line, 2, "line number");
	ok(csv_next(&c, rec) == 1 && rec->n == 1 && rec->fields[0][0] == '\0',
	   "empty line is one empty field");
	ok(csv_next(&c, rec) == 1 && rec->n == 2, "multi-line field");
	is_str(rec->fields[0], "多\n行", "newline kept inside quotes");
	ok(csv_next(&c, rec) == -1, "unterminated quote is malformed");
	ok(csv_next(&c, rec) == 0, "end");
	free(rec);
	return done_testing("test_csv");
}
