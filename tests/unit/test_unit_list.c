/* test_unit_list.c: exclusion and dishonesty lists from CSV */
#include <string.h>
#include "harness.h"
#include "domain/unit_list.h"

int main(void)
{
	const char good[] = "统一社会信用代码,单位名称,备注\n"
			    "91350100M000100Y43,某某公司,组织单位\n"
			    "9135 0100-m000 100y4z,校验位错误的公司,\n"
			    "\n"
			    "91110000600037341L,\"北京, 某单位\",\n";
	const char bad[] = "91350100M000100Y43,a\nnot-a-code,b\n\"open,c\n";
	json_t *p = unit_list_parse(good, sizeof(good) - 1), *rows, *errors;

	ok(unit_list_kind_ok("exclusion") && unit_list_kind_ok("dishonest") &&
		   !unit_list_kind_ok("other"),
	   "kinds");
	ok(p != NULL, "parsed");
	rows = json_object_get(p, "rows");
	errors = json_object_get(p, "errors");
	is_int(json_array_size(rows), 3,
	       "three rows, header and blank skipped");
	is_int(json_array_size(errors), 0, "no errors");
	is_str(json_string_value(
		       json_object_get(json_array_get(rows, 1), "uscc")),
	       "91350100M000100Y4Z", "normalised");
	ok(!json_is_true(
		   json_object_get(json_array_get(rows, 1), "checksum_ok")),
	   "checksum failure flagged, row kept");
	ok(json_is_true(
		   json_object_get(json_array_get(rows, 0), "checksum_ok")),
	   "valid code");
	is_str(json_string_value(
		       json_object_get(json_array_get(rows, 2), "name")),
	       "北京, 某单位", "quoted name");
	is_int(json_integer_value(
		       json_object_get(json_array_get(rows, 2), "line")),
	       5, "line numbers count the header");
	json_decref(p);

	p = unit_list_parse(bad, sizeof(bad) - 1);
	errors = json_object_get(p, "errors");
	is_int(json_array_size(json_object_get(p, "rows")), 1, "good row kept");
	is_int(json_array_size(errors), 2, "two bad lines");
	is_int(json_integer_value(
		       json_object_get(json_array_get(errors, 0), "line")),
	       2, "bad code on line 2");
	is_int(json_integer_value(
		       json_object_get(json_array_get(errors, 1), "line")),
	       3, "unterminated quote on line 3");
	json_decref(p);
	return done_testing("test_unit_list");
}
