/* test_form.c: the schema-driven validator, on a small schema of every kind */
#include <stdint.h>
#include <stdlib.h>
#include <jansson.h>
#include "harness.h"
#include "domain/form.h"

#define TODAY 20260315

/* The schemas and documents below write ' for " to stay readable. */
static json_t *J(const char *text)
{
	char *s = strdup(text);
	json_error_t e;
	json_t *j;

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = json_loads(s, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (!j)
		printf("# bad test json: %s (line %d column %d)\n", e.text,
		       e.line, e.column);
	free(s);
	return j;
}

static const char schema_text[] =
	"{ 'id': 't', 'title': '测试申报书', 'version': 1,"
	"  'sections': ["
	"  { 'key': 'basic', 'title': '（一）基本信息', 'page': 'basic',"
	"    'help': '说明', 'fields': ["
	"    { 'key': 'competition', 'label': '分赛', 'kind': 'competition',"
	"      'required': true },"
	"    { 'key': 'track', 'label': '赛道', 'kind': 'track',"
	"      'required': true },"
	"    { 'key': 'topic', 'label': '赛题', 'kind': 'topic',"
	"      'required': true },"
	"    { 'key': 'lead_unit_name', 'label': '牵头单位名称', 'kind': 'text',"
	"      'required': true, 'max': 50, 'placeholder': '请输入' },"
	"    { 'key': 'lead_uscc', 'label': '统一社会信用代码', 'kind': 'uscc',"
	"      'required': true },"
	"    { 'key': 'contact_mobile', 'label': '联系电话', 'kind': 'mobile',"
	"      'required': true },"
	"    { 'key': 'contact_email', 'label': '电子邮箱', 'kind': 'email' },"
	"    { 'key': 'founded', 'label': '成立日期', 'kind': 'date',"
	"      'max_today': true },"
	"    { 'key': 'region', 'label': '所在地区', 'kind': 'region',"
	"      'required': true },"
	"    { 'key': 'industries', 'label': '所属行业', 'kind': 'industries',"
	"      'min_items': 1, 'max_items': 3 },"
	"    { 'key': 'unit_type', 'label': '单位类型', 'kind': 'select',"
	"      'required': true, 'options': ['企业', '高校', '其他'],"
	"      'other': '其他', 'other_key': 'unit_type_other' },"
	"    { 'key': 'unit_type_other', 'label': '其他单位类型',"
	"      'kind': 'text', 'max': 20 },"
	"    { 'key': 'listed', 'label': '是否上市', 'kind': 'boolean',"
	"      'required': true },"
	"    { 'key': 'stock_code', 'label': '股票代码', 'kind': 'text',"
	"      'required': true, 'max': 10,"
	"      'when': { 'field': 'listed', 'is_true': true } } ] },"
	"  { 'key': 'project', 'title': '（二）项目信息', 'page': 'declaration',"
	"    'fields': ["
	"    { 'key': 'name', 'label': '项目名称', 'kind': 'text',"
	"      'required': true, 'min': 2, 'max': 30, 'number': '1.' },"
	"    { 'key': 'summary', 'label': '项目简述', 'kind': 'textarea',"
	"      'required': true, 'max': 1000, 'guidance': ['背景', '目标'],"
	"      'help': '(不超过1000字)' },"
	"    { 'key': 'scenarios', 'label': '应用场景', 'kind': 'multiselect',"
	"      'required': true, 'min_items': 2, 'max_items': 2,"
	"      'groups': [ { 'label': '甲', 'options': ['研发设计', '公共服务'] },"
	"                  { 'label': '乙', 'options': ['其他场景'] } ] },"
	"    { 'key': 'period', 'label': '建设周期',"
	"      'kind': 'year_month_range', 'required': true },"
	"    { 'key': 'stage', 'label': '所处阶段', 'kind': 'select',"
	"      'options': ['规划', '建设', '运营'] },"
	"    { 'key': 'users', 'label': '服务用户数', 'kind': 'integer',"
	"      'max': 1000000, 'unit': '人',"
	"      'when': { 'field': 'stage', 'in': ['建设', '运营'] } },"
	"    { 'key': 'investment', 'label': '总投资', 'kind': 'decimal',"
	"      'unit': '万元', 'required': true },"
	"    { 'key': 'growth', 'label': '增长率', 'kind': 'percent',"
	"      'min': -100, 'max': 100000 },"
	"    { 'key': 'share_public', 'label': '公共数据占比',"
	"      'kind': 'percent' },"
	"    { 'key': 'share_enterprise', 'label': '企业数据占比',"
	"      'kind': 'percent' },"
	"    { 'key': 'revenue', 'label': '营业收入', 'kind': 'group',"
	"      'fields': ["
	"      { 'key': 'amount', 'label': '金额', 'kind': 'decimal',"
	"        'required': true, 'scale': 1 },"
	"      { 'key': 'year', 'label': '年度', 'kind': 'integer',"
	"        'min': 2000, 'max': 2100 } ] },"
	"    { 'key': 'sources', 'label': '数据来源', 'kind': 'table',"
	"      'max_rows': 3, 'row_label': '数据来源', 'columns': ["
	"      { 'key': 'name', 'label': '来源名称', 'kind': 'text',"
	"        'required': true },"
	"      { 'key': 'volume_gb', 'label': '数据量', 'kind': 'decimal',"
	"        'unit': 'GB' } ] } ] },"
	"  { 'key': 'members', 'title': '（三）团队成员信息', 'page': 'basic',"
	"    'table': { 'min_rows': 1, 'max_rows': 3, 'row_label': '团队成员',"
	"    'columns': ["
	"    { 'key': 'name', 'label': '姓名', 'kind': 'text', 'required': true,"
	"      'max': 20 },"
	"    { 'key': 'id_type', 'label': '证件类型', 'kind': 'id_type',"
	"      'required': true },"
	"    { 'key': 'id_number', 'label': '证件号码', 'kind': 'id_number',"
	"      'required': true, 'type_key': 'id_type' },"
	"    { 'key': 'mobile', 'label': '手机号', 'kind': 'mobile' },"
	"    { 'key': 'is_contact', 'label': '联络人', 'kind': 'boolean' } ] } },"
	"  { 'key': 'units', 'title': '（四）参赛单位', 'page': 'basic',"
	"    'table': { 'max_rows': 5, 'row_label': '参赛单位', 'columns': ["
	"    { 'key': 'name', 'label': '单位名称', 'kind': 'text',"
	"      'required': true },"
	"    { 'key': 'uscc', 'label': '统一社会信用代码', 'kind': 'uscc',"
	"      'required': true },"
	"    { 'key': 'is_lead', 'label': '牵头单位', 'kind': 'boolean' } ] } } ],"
	"  'rules': ["
	"  { 'kind': 'min_filled', 'min': 2, 'field': 'basic.contact_email',"
	"    'paths': ['basic.contact_email', 'basic.contact_mobile'] },"
	"  { 'kind': 'exactly_one', 'table': 'members', 'column': 'is_contact',"
	"    'message': '团队成员中应有且只有一位联络人' },"
	"  { 'kind': 'exactly_one', 'table': 'units', 'column': 'is_lead' },"
	"  { 'kind': 'sum_max', 'max': 100, 'field': 'project.share_public',"
	"    'paths': ['project.share_public', 'project.share_enterprise'] },"
	"  { 'kind': 'equals', 'a': 'basic.lead_unit_name',"
	"    'b': 'units[?is_lead].name' },"
	"  { 'kind': 'min_filled', 'paths': ['project.sources[*].volume_gb'],"
	"    'min': 1 } ] }";

static const char valid_text[] =
	"{ 'basic': { 'competition': 'guangdong-2026', 'track': 'transport',"
	"    'topic': 2, 'lead_unit_name': '某某科技有限公司',"
	"    'lead_uscc': '91350100M000100Y43', 'contact_mobile': '13812345678',"
	"    'contact_email': 'a@b.cn', 'founded': '2020-02-29',"
	"    'region': ['440000', '440300', '440305'], 'industries': ['131'],"
	"    'unit_type': '企业', 'listed': false },"
	"  'project': { 'name': '数据平台', 'summary': '简述',"
	"    'scenarios': ['研发设计', '公共服务'],"
	"    'period': { 'start': '2025-01', 'end': '2026-06' },"
	"    'stage': '运营', 'users': 100, 'investment': '12.50',"
	"    'growth': -20.5, 'share_public': 60, 'share_enterprise': 40,"
	"    'revenue': { 'amount': 100.5, 'year': 2025 },"
	"    'sources': [ { 'name': '公开数据', 'volume_gb': 10 } ] },"
	"  'members': ["
	"    { 'name': '张三', 'id_type': '居民身份证',"
	"      'id_number': '11010519491231002X', 'mobile': '13812345678',"
	"      'is_contact': true },"
	"    { 'name': '李四', 'id_type': '护照', 'id_number': 'E12345678',"
	"      'is_contact': false } ],"
	"  'units': ["
	"    { 'name': '某某科技有限公司', 'uscc': '91350100M000100Y43',"
	"      'is_lead': true },"
	"    { 'name': '乙公司', 'uscc': '91110000600037341L',"
	"      'is_lead': false } ] }";

static const char industries_text[] =
	"{ 'sections': [ { 'code': 'A', 'divisions': ["
	"  { 'code': '01', 'groups': [ { 'code': '011' }, { 'code': '012' },"
	"    { 'code': '019' } ] },"
	"  { 'code': '13', 'groups': [ { 'code': '131' } ] } ] } ] }";

static struct form_schema *schema;

static json_t *run(const json_t *doc, enum form_mode mode)
{
	json_t *errors = json_array();
	int n = form_validate(schema, doc, mode, TODAY, errors);

	ok(n == (int)json_array_size(errors), "return value is the count");
	return errors;
}

static void dump(const json_t *errors)
{
	const json_t *e;
	size_t i;

	json_array_foreach (errors, i, e)
		printf("#   %s %s %s\n",
		       json_string_value(json_object_get(e, "field")),
		       json_string_value(json_object_get(e, "code")),
		       json_string_value(json_object_get(e, "message")));
}

static const json_t *find_error(const json_t *errors, const char *field,
				const char *code)
{
	const json_t *e;
	size_t i;

	json_array_foreach (errors, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "field")),
			    field) &&
		    !strcmp(json_string_value(json_object_get(e, "code")),
			    code))
			return e;
	return NULL;
}

static const char *message(const json_t *errors, const char *field,
			   const char *code)
{
	return json_string_value(
		json_object_get(find_error(errors, field, code), "message"));
}

/* Sets the value at path, creating nothing: the parent must exist. */
static void set(json_t *doc, const char *path, json_t *v)
{
	const char *dot = strrchr(path, '.');
	char head[128];
	json_t *parent = doc;

	if (dot) {
		snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
		parent = (json_t *)(uintptr_t)form_get(doc, head);
		path = dot + 1;
	}
	if (!parent || json_object_set_new(parent, path, v) < 0)
		printf("# cannot set %s\n", path);
}

/*
 * Validates a copy of the valid document with one change; expects exactly
 * one error, at field with code, in mode.
 */
static json_t *one(const char *path, json_t *v, enum form_mode mode,
		   const char *field, const char *code)
{
	json_t *doc = J(valid_text), *errors;

	set(doc, path, v);
	errors = run(doc, mode);
	ok(json_array_size(errors) == 1 && find_error(errors, field, code),
	   "%s: one %s at %s (got %zu)", path, code, field,
	   json_array_size(errors));
	if (json_array_size(errors) != 1 || !find_error(errors, field, code))
		dump(errors);
	json_decref(doc);
	return errors;
}

/* Same as one() for a change that must pass. */
static void none(const char *path, json_t *v, enum form_mode mode)
{
	json_t *doc = J(valid_text), *errors;

	set(doc, path, v);
	errors = run(doc, mode);
	ok(json_array_size(errors) == 0, "%s: no errors (got %zu)", path,
	   json_array_size(errors));
	if (json_array_size(errors))
		dump(errors);
	json_decref(errors);
	json_decref(doc);
}

static void check_one(const char *path, json_t *v, enum form_mode mode,
		      const char *field, const char *code, const char *msg)
{
	json_t *errors = one(path, v, mode, field, code);
	if (msg)
		is_str(message(errors, field, code), msg, path);
	json_decref(errors);
}

static void test_count_chars(void)
{
	static const struct {
		const char *s;
		size_t n;
	} cases[] = {
		{ "", 0 },
		{ "   \t\r\n", 0 },
		{ "数据要素大赛", 6 },
		{ "数据要素大赛 AI平台，2026年。", 18 },
		{ "a\r\nb", 3 },
		{ "a\nb", 3 },
		{ "a\rb", 3 },
		{ "ab  \n\n", 2 },
		{ "\r\n\r\nab", 2 },
		{ "　数据　", 2 },
		{ "数　据", 3 },
		{ "😀", 1 },
		{ "👨‍👩‍👧", 5 },
		{ "𠮷野家", 3 },
		{ " x ", 1 },
		{ "\t中文\t", 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(form_count_chars(cases[i].s, strlen(cases[i].s)),
		       cases[i].n, cases[i].s);
	is_int(form_count_chars("abc", 2), 2, "length respected");
	is_int(form_count_chars("\xE3\x80", 2), 1,
	       "a cut U+3000 is not trimmed");
}

static void test_get(void)
{
	json_t *doc = J(valid_text);

	is_str(json_string_value(form_get(doc, "basic.track")), "transport",
	       "object path");
	is_str(json_string_value(form_get(doc, "members[1].id_number")),
	       "E12345678", "row path");
	is_str(json_string_value(form_get(doc, "basic.region[2]")), "440305",
	       "array element");
	is_str(json_string_value(form_get(doc, "project.period.end")),
	       "2026-06", "nested object");
	ok(json_is_array(form_get(doc, "units")), "section");
	ok(!form_get(doc, "members[2].name"), "row out of range");
	ok(!form_get(doc, "basic.nothing"), "absent key");
	ok(!form_get(doc, "basic."), "trailing dot");
	ok(!form_get(doc, "members[x].name"), "bad index");
	ok(!form_get(doc, "members[-1].name"), "negative index");
	ok(!form_get(doc, "members[1"), "unclosed bracket");
	ok(!form_get(doc, ""), "empty path");
	ok(!form_get(doc, "basic.track.x"), "below a string");
	ok(!form_get(doc, "members.name"), "object step on an array");
	json_decref(doc);
}

static void test_modes(void)
{
	json_t *doc = J(valid_text), *empty = json_object(), *errors;
	static const char *const required[] = {
		"basic.competition",
		"basic.track",
		"basic.topic",
		"basic.lead_unit_name",
		"basic.lead_uscc",
		"basic.contact_mobile",
		"basic.region",
		"basic.unit_type",
		"basic.listed",
		"project.name",
		"project.summary",
		"project.scenarios",
		"project.period",
		"project.investment",
		"project.revenue.amount",
	};
	size_t n = sizeof(required) / sizeof(required[0]);

	errors = run(doc, FORM_SUBMIT);
	is_int(json_array_size(errors), 0, "the valid document passes submit");
	if (json_array_size(errors))
		dump(errors);
	json_decref(errors);
	errors = run(doc, FORM_DRAFT);
	is_int(json_array_size(errors), 0, "and draft");
	json_decref(errors);

	errors = run(empty, FORM_DRAFT);
	is_int(json_array_size(errors), 0,
	       "an empty document is a valid draft");
	json_decref(errors);

	errors = run(empty, FORM_SUBMIT);
	for (size_t i = 0; i < n; i++)
		ok(find_error(errors, required[i], "required"),
		   "empty submit: %s required", required[i]);
	ok(!find_error(errors, "basic.stock_code", "required"),
	   "a field whose condition is false is not required");
	ok(!find_error(errors, "basic.contact_email", "required"),
	   "an optional field is not required");
	ok(find_error(errors, "members", "rows"), "members has too few rows");
	is_str(message(errors, "members", "rows"),
	       "团队成员信息至少 1 行（当前 0 行）", "rows message");
	is_str(message(errors, "basic.unit_type", "required"), "请选择单位类型",
	       "a select asks to choose");
	is_str(message(errors, "project.revenue.amount", "required"),
	       "请填写营业收入·金额", "a group field names its group");
	is_str(message(errors, "project.period", "required"), "请选择建设周期",
	       "year_month_range");
	ok(find_error(errors, "basic.contact_email", "rule"), "min_filled");
	ok(find_error(errors, "members", "rule"), "exactly_one members");
	ok(find_error(errors, "units", "rule"), "exactly_one units");
	ok(find_error(errors, "project.sources", "rule"),
	   "min_filled over rows");
	is_int(json_array_size(errors), n + 5, "nothing else");
	if (json_array_size(errors) != n + 5)
		dump(errors);
	json_decref(errors);

	/* Empty strings, nulls and empty arrays are not filled. */
	json_object_set_new(empty, "basic",
			    J("{ 'lead_unit_name': '  ', 'track': null,"
			      "  'region': [], 'topic': '' }"));
	errors = run(empty, FORM_DRAFT);
	is_int(json_array_size(errors), 0, "blank values are a valid draft");
	json_decref(errors);
	errors = run(empty, FORM_SUBMIT);
	ok(find_error(errors, "basic.lead_unit_name", "required") &&
		   find_error(errors, "basic.track", "required") &&
		   find_error(errors, "basic.region", "required") &&
		   find_error(errors, "basic.topic", "required"),
	   "blank values are missing at submit");
	json_decref(errors);

	errors = json_array();
	is_int(form_validate(schema, json_array_get(errors, 0), FORM_DRAFT,
			     TODAY, errors),
	       1, "a missing document");
	json_decref(errors);
	json_decref(empty);
	json_decref(doc);
}

static void test_codes(void)
{
	char long_text[4200];

	/* type */
	check_one("basic.topic", json_string("2"), FORM_DRAFT, "basic.topic",
		  "type", "赛题的数据类型不正确");
	check_one("basic.track", json_integer(3), FORM_DRAFT, "basic.track",
		  "type", NULL);
	check_one("basic.listed", json_string("是"), FORM_DRAFT, "basic.listed",
		  "type", NULL);
	check_one("project.users", json_real(1.5), FORM_DRAFT, "project.users",
		  "type", NULL);
	check_one("project.growth", json_string("5"), FORM_DRAFT,
		  "project.growth", "type", NULL);
	check_one("project.revenue", json_string("x"), FORM_DRAFT,
		  "project.revenue", "type", NULL);
	check_one("project.name", J("{ 'deeper': 'x' }"), FORM_DRAFT,
		  "project.name", "type", NULL);
	check_one("members", json_object(), FORM_DRAFT, "members", "type",
		  NULL);

	/* too_long / too_short */
	long_text[0] = '\0';
	for (int i = 0; i < 1024; i++)
		memcpy(long_text + 3 * i, "字", 4);
	check_one("project.summary", json_string(long_text), FORM_DRAFT,
		  "project.summary", "too_long",
		  "项目简述不能超过 1000 个字（当前 1024 字）");
	long_text[3 * 1000] = '\0';
	none("project.summary", json_string(long_text), FORM_SUBMIT);
	memcpy(long_text + 3 * 1000, "\r\n  \n\t　", sizeof("\r\n  \n\t　"));
	none("project.summary", json_string(long_text), FORM_SUBMIT);
	check_one("project.name", json_string("平"), FORM_SUBMIT,
		  "project.name", "too_short",
		  "项目名称不能少于 2 个字（当前 1 字）");
	none("project.name", json_string("平"), FORM_DRAFT);
	check_one("project.name", json_string("a\x01z"), FORM_DRAFT,
		  "project.name", "format", NULL);

	/* out_of_range */
	check_one("project.users", json_integer(-1), FORM_DRAFT,
		  "project.users", "out_of_range",
		  "服务用户数应在 0 到 1000000 之间");
	check_one("project.users", json_integer(1000001), FORM_DRAFT,
		  "project.users", "out_of_range", NULL);
	none("project.users", json_integer(1000000), FORM_DRAFT);
	check_one("project.investment", json_string("12.345"), FORM_DRAFT,
		  "project.investment", "out_of_range",
		  "总投资最多保留 2 位小数");
	check_one("project.investment", json_real(0.125), FORM_DRAFT,
		  "project.investment", "out_of_range", NULL);
	none("project.investment", json_real(0.1 + 0.2), FORM_DRAFT);
	none("project.investment", json_string("12.500"), FORM_DRAFT);
	none("project.investment", json_string("0"), FORM_DRAFT);
	none("project.investment", json_integer(999999), FORM_DRAFT);
	check_one("project.investment", json_string("-1"), FORM_DRAFT,
		  "project.investment", "out_of_range", "总投资不能小于 0");
	check_one("project.investment", json_string("1e5"), FORM_DRAFT,
		  "project.investment", "format", "总投资应为数字");
	check_one("project.investment", json_string("12."), FORM_DRAFT,
		  "project.investment", "format", NULL);
	check_one("project.investment", json_string(" 12"), FORM_DRAFT,
		  "project.investment", "format", NULL);
	check_one("project.investment", json_string("NaN"), FORM_DRAFT,
		  "project.investment", "format", NULL);
	check_one("project.investment", json_string("12345678901234567"),
		  FORM_DRAFT, "project.investment", "format", NULL);
	check_one("project.revenue.amount", json_real(1.25), FORM_DRAFT,
		  "project.revenue.amount", "out_of_range",
		  "营业收入·金额最多保留 1 位小数");
	check_one("project.revenue.year", json_integer(1999), FORM_DRAFT,
		  "project.revenue.year", "out_of_range", NULL);
	check_one("project.growth", json_real(-100.5), FORM_DRAFT,
		  "project.growth", "out_of_range",
		  "增长率应在 -100 到 100000 之间");
	none("project.growth", json_integer(5000), FORM_DRAFT);
	check_one("project.share_public", json_integer(101), FORM_DRAFT,
		  "project.share_public", "out_of_range",
		  "公共数据占比应在 0 到 100 之间");
	none("project.share_public", json_real(33.33), FORM_DRAFT);
	check_one("project.share_public", json_real(33.333), FORM_DRAFT,
		  "project.share_public", "out_of_range", NULL);
	check_one("basic.founded", json_string("2026-03-16"), FORM_DRAFT,
		  "basic.founded", "out_of_range", "成立日期不能晚于今天");
	none("basic.founded", json_string("2026-03-15"), FORM_DRAFT);

	/* not_an_option */
	check_one("basic.unit_type", json_string("个体"), FORM_DRAFT,
		  "basic.unit_type", "not_an_option",
		  "单位类型的选项不在可选范围内");
	check_one("project.scenarios", J("['研发设计', '研发设计']"),
		  FORM_DRAFT, "project.scenarios[1]", "not_an_option", NULL);
	check_one("project.scenarios", J("['研发设计', '游戏']"), FORM_DRAFT,
		  "project.scenarios[1]", "not_an_option", NULL);
	check_one("project.scenarios", J("['研发设计', 3]"), FORM_DRAFT,
		  "project.scenarios[1]", "type", NULL);
	none("project.scenarios", J("['其他场景', '研发设计']"), FORM_SUBMIT);
	check_one("project.scenarios",
		  J("['研发设计', '公共服务', '其他场景']"), FORM_DRAFT,
		  "project.scenarios", "out_of_range",
		  "应用场景最多选择 2 项（当前 3 项）");
	check_one("project.scenarios", J("['研发设计']"), FORM_SUBMIT,
		  "project.scenarios", "out_of_range", NULL);
	none("project.scenarios", J("['研发设计']"), FORM_DRAFT);
	check_one("members[0].id_type", json_string("身份证"), FORM_DRAFT,
		  "members[0].id_type", "not_an_option", NULL);

	/* format */
	check_one("basic.founded", json_string("2023-02-29"), FORM_DRAFT,
		  "basic.founded", "format", NULL);
	check_one("basic.founded", json_string("2023-2-28"), FORM_DRAFT,
		  "basic.founded", "format", NULL);
	check_one("basic.founded", json_string("2023/02/28"), FORM_DRAFT,
		  "basic.founded", "format", NULL);
	check_one("basic.region", J("['440000', '450300']"), FORM_DRAFT,
		  "basic.region", "format", NULL);
	check_one("basic.region", J("['440300']"), FORM_DRAFT, "basic.region",
		  "format", NULL);
	check_one("basic.region", J("['440000', '440000']"), FORM_DRAFT,
		  "basic.region", "format", NULL);
	check_one("basic.region", J("['440000', '440300', '440400']"),
		  FORM_DRAFT, "basic.region", "format", NULL);
	check_one("basic.region", J("['440000', '440300', '440300']"),
		  FORM_DRAFT, "basic.region", "format", NULL);
	check_one("basic.region", J("['440000', '440300', '440305', '440305']"),
		  FORM_DRAFT, "basic.region", "format", NULL);
	check_one("basic.region", J("['44000']"), FORM_DRAFT, "basic.region",
		  "format", NULL);
	check_one("basic.region", J("[440000]"), FORM_DRAFT, "basic.region",
		  "format", NULL);
	none("basic.region", J("['110000', '110100', '110105']"), FORM_DRAFT);
	none("basic.region", J("['440000']"), FORM_DRAFT);
	none("basic.region", J("['420000', '429000', '429004']"), FORM_DRAFT);
	check_one("basic.industries", J("['999']"), FORM_DRAFT,
		  "basic.industries[0]", "format", NULL);
	check_one("basic.industries", J("['131', '011', '131']"), FORM_DRAFT,
		  "basic.industries[2]", "format", NULL);
	check_one("basic.industries", J("['13']"), FORM_DRAFT,
		  "basic.industries[0]", "format", NULL);
	check_one("basic.industries", J("['131', '011', '019', '012']"),
		  FORM_DRAFT, "basic.industries", "out_of_range", NULL);
	none("basic.industries", J("['131', '011', '019']"), FORM_SUBMIT);
	check_one("basic.contact_mobile", json_string("12345678901"),
		  FORM_DRAFT, "basic.contact_mobile", "format",
		  "联系电话应为 11 位中国大陆手机号");
	none("basic.contact_mobile", json_string("+86 138-1234-5678"),
	     FORM_SUBMIT);
	check_one("basic.contact_email", json_string("a@b"), FORM_DRAFT,
		  "basic.contact_email", "format", "电子邮箱格式不正确");
	check_one("basic.lead_uscc", json_string("91350100M00010"), FORM_DRAFT,
		  "basic.lead_uscc", "format",
		  "统一社会信用代码应为 18 位数字或大写字母");
	check_one("members[1].id_number", json_string("E123"), FORM_DRAFT,
		  "members[1].id_number", "format", NULL);
}

static void test_codes2(void)
{
	json_t *doc, *errors;

	/* checksum, and the row in the message */
	check_one("units[1].uscc", json_string("91110000600037341M"),
		  FORM_DRAFT, "units[1].uscc", "checksum",
		  "参赛单位第 2 行：统一社会信用代码校验位不正确");
	check_one("members[0].id_number", json_string("110105194912310021"),
		  FORM_DRAFT, "members[0].id_number", "checksum",
		  "团队成员第 1 行：证件号码校验位不正确");
	check_one("members[0].id_number", json_string("11010520300101002X"),
		  FORM_DRAFT, "members[0].id_number", "format",
		  "团队成员第 1 行：证件号码（居民身份证）中的出生日期不正确");
	none("members[0].id_number", json_string("11010519491231002x"),
	     FORM_SUBMIT);
	check_one("members[1].id_number", json_string("ABCDEFG"), FORM_DRAFT,
		  "members[1].id_number", "format",
		  "团队成员第 2 行：证件号码（护照）应包含数字");

	/* An unknown type leaves the number to a basic check. */
	doc = J(valid_text);
	set(doc, "members[1].id_type", json_string("驾驶证"));
	errors = run(doc, FORM_DRAFT);
	ok(json_array_size(errors) == 1 &&
		   find_error(errors, "members[1].id_type", "not_an_option"),
	   "unknown id type: only the type is reported");
	json_decref(errors);
	set(doc, "members[1].id_number", json_string("E-1234 5678"));
	errors = run(doc, FORM_DRAFT);
	is_int(json_array_size(errors), 1, "hyphens and spaces are fine");
	json_decref(errors);
	set(doc, "members[1].id_number", json_string("E#1"));
	errors = run(doc, FORM_DRAFT);
	ok(find_error(errors, "members[1].id_number", "format"),
	   "symbols are not");
	json_decref(errors);
	json_decref(doc);

	/* rows */
	doc = J(valid_text);
	json_array_append_new(json_object_get(doc, "members"),
			      J("{ 'name': '王五' }"));
	json_array_append_new(json_object_get(doc, "members"), json_object());
	errors = run(doc, FORM_DRAFT);
	ok(json_array_size(errors) == 1 &&
		   find_error(errors, "members", "rows"),
	   "four members in a draft: only the row count");
	is_str(message(errors, "members", "rows"),
	       "团队成员信息最多 3 行（当前 4 行）", "max rows message");
	json_decref(errors);
	json_array_remove(json_object_get(doc, "members"), 3);
	errors = run(doc, FORM_DRAFT);
	is_int(json_array_size(errors), 0,
	       "an incomplete row is a valid draft");
	json_decref(errors);
	errors = run(doc, FORM_SUBMIT);
	ok(find_error(errors, "members[2].id_type", "required") &&
		   find_error(errors, "members[2].id_number", "required"),
	   "an incomplete row at submit");
	is_str(message(errors, "members[2].id_number", "required"),
	       "团队成员第 3 行：请填写证件号码", "row required message");
	json_decref(errors);
	set(doc, "members", J("[ 'x' ]"));
	errors = run(doc, FORM_DRAFT);
	ok(find_error(errors, "members[0]", "type"), "a row that is no object");
	json_decref(errors);
	json_decref(doc);
	check_one("project.sources",
		  J("[ { 'name': 'a', 'volume_gb': 1 }, { 'name': 'b' },"
		    "  { 'name': 'c' }, { 'name': 'd' } ]"),
		  FORM_DRAFT, "project.sources", "rows",
		  "数据来源最多 3 行（当前 4 行）");
	check_one("project.sources",
		  J("[ { 'name': 'a', 'volume_gb': 1 },"
		    "  { 'name': 'b', 'volume_gb': 0.001 } ]"),
		  FORM_DRAFT, "project.sources[1].volume_gb", "out_of_range",
		  "数据来源第 2 行：数据量最多保留 2 位小数");

	/* unknown_field */
	check_one("extra", json_string("x"), FORM_DRAFT, "extra",
		  "unknown_field", NULL);
	check_one("basic.extra", json_true(), FORM_DRAFT, "basic.extra",
		  "unknown_field", NULL);
	check_one("project.revenue.extra", json_true(), FORM_DRAFT,
		  "project.revenue.extra", "unknown_field", NULL);
	check_one("members[1].extra", json_true(), FORM_DRAFT,
		  "members[1].extra", "unknown_field", NULL);
	check_one("project.period.middle", json_string("2025-06"), FORM_DRAFT,
		  "project.period.middle", "unknown_field", NULL);

	/* year_month_range */
	check_one("project.period",
		  J("{ 'start': '2026-07', 'end': '2026-06' }"), FORM_DRAFT,
		  "project.period", "out_of_range",
		  "建设周期的开始年月不能晚于结束年月");
	check_one("project.period",
		  J("{ 'start': '2026-13', 'end': '2026-06' }"), FORM_DRAFT,
		  "project.period.start", "format", NULL);
	check_one("project.period", J("{ 'start': 202601 }"), FORM_DRAFT,
		  "project.period.start", "type", NULL);
	none("project.period", J("{ 'start': '2026-01' }"), FORM_DRAFT);
	check_one("project.period", J("{ 'start': '2026-01' }"), FORM_SUBMIT,
		  "project.period.end", "required", "请填写建设周期的结束年月");
	none("project.period", J("{ 'start': '2026-06', 'end': '2026-06' }"),
	     FORM_SUBMIT);
}

static void test_when(void)
{
	json_t *doc = J(valid_text), *errors;

	/* listed is false: stock_code is neither required nor read. */
	set(doc, "basic.stock_code",
	    json_string("这个值太长了而且不会被检查的"));
	errors = run(doc, FORM_SUBMIT);
	is_int(json_array_size(errors), 0, "a hidden field's value is ignored");
	json_decref(errors);
	set(doc, "basic.listed", json_true());
	errors = run(doc, FORM_SUBMIT);
	ok(json_array_size(errors) == 1 &&
		   find_error(errors, "basic.stock_code", "too_long"),
	   "a shown field is checked");
	json_decref(errors);
	json_object_del(json_object_get(doc, "basic"), "stock_code");
	errors = run(doc, FORM_SUBMIT);
	ok(json_array_size(errors) == 1 &&
		   find_error(errors, "basic.stock_code", "required"),
	   "and required");
	json_decref(errors);
	errors = run(doc, FORM_DRAFT);
	is_int(json_array_size(errors), 0, "but not in a draft");
	json_decref(errors);

	/* `in` */
	set(doc, "basic.listed", json_false());
	set(doc, "project.users", json_integer(-5));
	errors = run(doc, FORM_DRAFT);
	ok(find_error(errors, "project.users", "out_of_range"),
	   "stage 运营 shows users");
	json_decref(errors);
	set(doc, "project.stage", json_string("规划"));
	errors = run(doc, FORM_DRAFT);
	is_int(json_array_size(errors), 0, "stage 规划 hides users");
	json_decref(errors);
	json_object_del(json_object_get(doc, "project"), "stage");
	errors = run(doc, FORM_DRAFT);
	is_int(json_array_size(errors), 0, "no stage hides users");
	json_decref(errors);

	/* other_key */
	set(doc, "basic.unit_type", json_string("其他"));
	errors = run(doc, FORM_SUBMIT);
	ok(json_array_size(errors) == 1 &&
		   find_error(errors, "basic.unit_type_other", "required"),
	   "其他 asks for its text");
	is_str(message(errors, "basic.unit_type_other", "required"),
	       "请填写其他单位类型", "other message");
	json_decref(errors);
	set(doc, "basic.unit_type_other", json_string("社会组织"));
	errors = run(doc, FORM_SUBMIT);
	is_int(json_array_size(errors), 0, "其他 with its text");
	json_decref(errors);
	json_decref(doc);
}

static void test_rules(void)
{
	json_t *doc, *errors;

	/* min_filled */
	check_one("basic.contact_email", json_string(""), FORM_SUBMIT,
		  "basic.contact_email", "rule",
		  "电子邮箱、联系电话至少填写 2 项");
	none("basic.contact_email", json_string(""), FORM_DRAFT);
	check_one("project.sources",
		  J("[ { 'name': 'a', 'volume_gb': 0 }, { 'name': 'b' } ]"),
		  FORM_SUBMIT, "project.sources", "rule",
		  "数据量至少填写 1 项");
	none("project.sources",
	     J("[ { 'name': 'a', 'volume_gb': '0.00' },"
	       "  { 'name': 'b', 'volume_gb': '0.5' } ]"),
	     FORM_SUBMIT);

	/* exactly_one, with its own message and with the default */
	check_one("members[1].is_contact", json_true(), FORM_SUBMIT, "members",
		  "rule", "团队成员中应有且只有一位联络人");
	check_one("units[0].is_lead", json_false(), FORM_SUBMIT, "units",
		  "rule",
		  "参赛单位中应有且只有一行的“牵头单位”为“是”（当前 0 行）");

	/* sum_max */
	check_one("project.share_enterprise", json_real(40.5), FORM_SUBMIT,
		  "project.share_public", "rule",
		  "公共数据占比、企业数据占比合计不能超过 100（当前 100.5）");
	none("project.share_enterprise", json_real(40.5), FORM_DRAFT);

	/* equals, through the [?column] selector */
	check_one("units[0].name", json_string("别的公司"), FORM_SUBMIT,
		  "basic.lead_unit_name", "rule",
		  "牵头单位名称应与单位名称一致");
	none("units[0].name", json_string(" 某某科技有限公司 "), FORM_SUBMIT);
	doc = J(valid_text);
	set(doc, "units[0].is_lead", json_false());
	set(doc, "units[1].is_lead", json_true());
	errors = run(doc, FORM_SUBMIT);
	ok(json_array_size(errors) == 1 &&
		   find_error(errors, "basic.lead_unit_name", "rule"),
	   "the lead row is the one compared");
	json_decref(errors);
	set(doc, "basic.lead_unit_name", json_string("乙公司"));
	errors = run(doc, FORM_SUBMIT);
	is_int(json_array_size(errors), 0, "moved lead matches");
	json_decref(errors);
	json_decref(doc);
}

static void each_cb(const char *path, const json_t *value, void *cls)
{
	struct buf_ {
		char s[512];
	} *b = cls;
	size_t n = strlen(b->s);
	snprintf(b->s + n, sizeof(b->s) - n, "%s=%s;", path,
		 json_is_string(value) ? json_string_value(value) : "?");
}

static void each_of_cb(const char *path, const char *kind, const json_t *value,
		       void *cls)
{
	struct buf_ {
		char s[512];
	} *b = cls;
	size_t n = strlen(b->s);
	snprintf(b->s + n, sizeof(b->s) - n, "%s:%s=%s;", kind, path,
		 json_is_string(value) ? json_string_value(value) : "?");
}

/* Several kinds in one walk: the same values, in document order. */
static void test_each_of(void)
{
	static const char *const both[] = { "id_number", "mobile", NULL };
	static const char *const bad[] = { "mobile", "nonsense", NULL };
	json_t *doc = J(valid_text);
	struct {
		char s[512];
	} b = { "" };

	is_int(form_each_of(schema, doc, both, each_of_cb, &b), 4,
	       "two id numbers and two mobiles");
	is_str(b.s,
	       "mobile:basic.contact_mobile=13812345678;"
	       "id_number:members[0].id_number=11010519491231002X;"
	       "mobile:members[0].mobile=13812345678;"
	       "id_number:members[1].id_number=E12345678;",
	       "kinds and paths in document order");
	b.s[0] = '\0';
	is_int(form_each_of(schema, doc, bad, each_of_cb, &b), -1,
	       "an unknown kind");
	is_str(b.s, "", "nothing called for an unknown kind");
	json_decref(doc);
}

static void test_each(void)
{
	json_t *doc = J(valid_text);
	struct {
		char s[512];
	} b = { "" };

	is_int(form_each(schema, doc, "id_number", each_cb, &b), 2,
	       "two id numbers");
	is_str(b.s,
	       "members[0].id_number=11010519491231002X;"
	       "members[1].id_number=E12345678;",
	       "their paths");
	b.s[0] = '\0';
	is_int(form_each(schema, doc, "mobile", each_cb, &b), 2, "mobiles");
	is_str(b.s,
	       "basic.contact_mobile=13812345678;"
	       "members[0].mobile=13812345678;",
	       "mobile paths");
	b.s[0] = '\0';
	set(doc, "basic.stock_code", json_string("600000"));
	is_int(form_each(schema, doc, "text", each_cb, &b), 7,
	       "hidden text is skipped");
	ok(!strstr(b.s, "stock_code"), "no stock_code: %s", b.s);
	b.s[0] = '\0';
	is_int(form_each(schema, doc, "competition", each_cb, &b), 1,
	       "competition");
	is_int(form_each(schema, doc, "topic", each_cb, &b), 1, "topic");
	is_int(form_each(schema, doc, "nonsense", each_cb, &b), -1,
	       "unknown kind");
	set(doc, "members[0].id_number", json_integer(5));
	set(doc, "members[1].id_number", json_string(""));
	is_int(form_each(schema, doc, "id_number", each_cb, &b), 0,
	       "wrong types and blanks are skipped");
	is_int(form_each(schema, json_array_get(doc, 0), "id_number", each_cb,
			 &b),
	       0, "no document");
	json_decref(doc);
}

static void test_cap(void)
{
	json_t *s = J("{ 'id': 'c', 'title': 'c', 'version': 1, 'sections': ["
		      "  { 'key': 'rows', 'title': 'r', 'page': 'basic',"
		      "    'table': { 'max_rows': 1000, 'columns': ["
		      "    { 'key': 'a', 'label': 'A', 'kind': 'text',"
		      "      'required': true } ] } } ] }");
	json_t *doc = json_object(), *rows = json_array(),
	       *errors = json_array();
	char err[256];
	struct form_schema *cap = form_schema_load(s, NULL, err, sizeof(err));

	ok(cap != NULL, "cap schema: %s", err);
	for (int i = 0; i < 700; i++)
		json_array_append_new(rows, json_object());
	json_object_set_new(doc, "rows", rows);
	is_int(form_validate(cap, doc, FORM_SUBMIT, TODAY, errors),
	       FORM_MAX_ERRORS, "errors are capped");
	is_int(json_array_size(errors), FORM_MAX_ERRORS, "array capped");
	is_str(json_string_value(
		       json_object_get(json_array_get(errors, 499), "field")),
	       "rows[499].a", "the first 500 in order");
	form_schema_free(cap);
	json_decref(s);
	json_decref(errors);
	json_decref(doc);
}

/* Applies one edit to the good schema and expects a load error naming where. */
static void bad(const char *path, const char *value, const char *want)
{
	json_t *s = J(schema_text), *v = J(value);
	char err[512] = "";
	struct form_schema *fs;

	if (!v) {
		ok(0, "bad test value %s", value);
		json_decref(s);
		return;
	}
	set(s, path, v);
	fs = form_schema_load(s, NULL, err, sizeof(err));
	ok(!fs && strstr(err, want), "%s: want '%s', got '%s'", path, want,
	   err);
	form_schema_free(fs);
	json_decref(s);
}

static void test_bad_schemas(void)
{
	json_t *ind = J(industries_text), *s;
	char err[512] = "";
	struct form_schema *fs;

	bad("sections[0].fields[3].kind", "'txt'",
	    "sections[0].fields[3]: kind: unknown kind 'txt'");
	bad("sections[0].fields[3].colour", "'red'",
	    "sections[0].fields[3]: unknown key 'colour' for kind 'text'");
	bad("sections[0].fields[3].options", "['a']",
	    "unknown key 'options' for kind 'text'");
	bad("sections[0].fields[3].key", "'Lead'",
	    "sections[0].fields[3]: key");
	bad("sections[0].fields[3].key", "'track'",
	    "sections[0].fields[3]: key: 'track' appears twice");
	bad("sections[0].fields[3].max", "0", "sections[0].fields[3]: max");
	bad("sections[0].fields[3].min", "60",
	    "sections[0].fields[3]: the minimum is above the maximum");
	bad("sections[1].fields[1].max", "'1000'",
	    "sections[1].fields[1]: max");
	bad("sections[0].fields[3].required", "'yes'", "required");
	bad("sections[0].fields[10].options", "['企业', '企业']", "twice");
	bad("sections[0].fields[10].options", "[]",
	    "sections[0].fields[10]: options");
	bad("sections[0].fields[10].groups",
	    "[ { 'label': 'x', 'options': ['a'] } ]",
	    "either options or groups");
	bad("sections[0].fields[10].other", "'别的'",
	    "other: '别的' is not an option");
	bad("sections[0].fields[10].other_key", "'listed'",
	    "other_key: 'listed' is not a sibling text field");
	bad("sections[0].fields[13].when",
	    "{ 'field': 'nope', 'is_true': true }",
	    "sections[0].fields[13]: when: 'nope' is not a sibling field");
	bad("sections[0].fields[13].when", "{ 'field': 'listed' }",
	    "when: expected one of");
	bad("sections[0].fields[13].when",
	    "{ 'field': 'unit_type', 'equals': '公司' }",
	    "when: '公司' is not an option of 'unit_type'");
	bad("sections[0].fields[13].when",
	    "{ 'field': 'listed', 'equals': '是' }", "'listed' is a boolean");
	bad("sections[0].fields[13].when",
	    "{ 'field': 'stock_code', 'is_true': true }",
	    "'stock_code' is not a sibling field");
	bad("sections[0].fields[12].when",
	    "{ 'field': 'stock_code', 'equals': 'x' }",
	    "when: conditions form a loop");
	bad("sections[1].fields[10].fields", "[]",
	    "sections[1].fields[10].fields: expected 1 to");
	bad("sections[1].fields[11].min_rows", "5",
	    "sections[1].fields[11]: min_rows is above max_rows");
	bad("sections[1].fields[11].max_rows", "100000",
	    "sections[1].fields[11]: max_rows");
	bad("sections[2].table.columns[2].type_key", "'name'",
	    "sections[2].table.columns[2]: type_key: 'name' is not a sibling "
	    "id_type field");
	bad("sections[2].table.columns[0].kind", "'picture'",
	    "sections[2].table.columns[0]: kind: unknown kind 'picture'");
	bad("sections[2].table.rows", "1", "sections[2].table: unknown key");
	bad("sections[2].page", "'other'", "sections[2]: page");
	bad("sections[2].fields", "[]", "sections[2]: expected either fields");
	bad("sections[3].key", "'members'",
	    "sections[3]: key: 'members' appears");
	bad("sections[1].fields[1].guidance", "5", "guidance");
	bad("version", "0", "version");
	bad("extra", "1", "unknown key 'extra'");
	bad("rules[0].paths", "['basic.nope']",
	    "rules[0].paths[0]: 'basic.nope' names no field");
	bad("rules[0].paths", "['members.name']",
	    "rules[0].paths[0]: 'members.name' names no field");
	bad("rules[0].paths", "['members[*]']", "names no field");
	bad("rules[0].paths", "['basic.track[*].x']", "names no field");
	bad("rules[0].paths", "['project.revenue']", "is not a value field");
	bad("rules[0].min", "0", "rules[0]: min");
	bad("rules[0].kind", "'at_least'", "rules[0]: kind: unknown rule kind");
	bad("rules[0].max", "1", "rules[0]: unknown key 'max'");
	bad("rules[0].field", "'basic.nope'", "rules[0]: field");
	bad("rules[1].column", "'name'",
	    "rules[1]: column: 'name' is not a boolean column");
	bad("rules[1].table", "'project'", "rules[1]: table: 'project'");
	bad("rules[3].paths", "['basic.lead_unit_name']",
	    "rules[3].paths[0]: 'lead_unit_name' is not a number field");
	bad("rules[4].b", "'units[?name].name'",
	    "rules[4].b: 'units[?name].name'");
	bad("rules[4].b", "'units[*]'", "rules[4].b");
	bad("rules[4].a", "'members'", "rules[4]: a and b must name values");

	s = J(schema_text);
	fs = form_schema_load(s, ind, err, sizeof(err));
	ok(fs != NULL, "the good schema loads with industries: %s", err);
	form_schema_free(fs);
	json_decref(s);

	s = J(schema_text);
	set(ind, "sections[0].divisions[0].groups[0].code", json_string("1a1"));
	fs = form_schema_load(s, ind, err, sizeof(err));
	ok(!fs && strstr(err, "industries: sections[0].divisions[0].groups[0]"),
	   "bad industry code: %s", err);
	json_decref(s);
	json_decref(ind);

	s = json_array();
	fs = form_schema_load(s, NULL, err, sizeof(err));
	ok(!fs && strstr(err, "expected a JSON object"), "not an object");
	json_decref(s);
}

static void test_depth(void)
{
	static const char deep[] =
		"{ 'id': 'd', 'title': 'd', 'version': 1, 'sections': ["
		"  { 'key': 's', 'title': 's', 'page': 'basic', 'fields': ["
		"  { 'key': 'g1', 'label': 'g1', 'kind': 'group', 'fields': ["
		"  { 'key': 'g2', 'label': 'g2', 'kind': 'table', 'columns': ["
		"  { 'key': 'g3', 'label': 'g3', 'kind': 'group', 'fields': ["
		"  { 'key': 'x', 'label': 'X', 'kind': 'text',"
		"    'required': true }%s ] } ] } ] } ] } ] }";
	char text[2048];
	json_t *s, *doc, *errors;
	char err[256] = "";
	struct form_schema *fs;

	snprintf(text, sizeof(text), deep, "");
	s = J(text);
	fs = form_schema_load(s, NULL, err, sizeof(err));
	ok(fs != NULL, "three levels inside a section: %s", err);
	doc = J("{ 's': { 'g1': { 'g2': [ { 'g3': {} } ] } } }");
	errors = json_array();
	form_validate(fs, doc, FORM_SUBMIT, TODAY, errors);
	is_str(json_string_value(
		       json_object_get(json_array_get(errors, 0), "field")),
	       "s.g1.g2[0].g3.x", "deep path");
	is_str(json_string_value(
		       json_object_get(json_array_get(errors, 0), "message")),
	       "g1·g2第 1 行：请填写g3·X", "deep message");
	form_schema_free(fs);
	json_decref(errors);
	json_decref(doc);
	json_decref(s);

	snprintf(text, sizeof(text), deep,
		 ", { 'key': 'g4', 'label': 'g4', 'kind': 'group', 'fields': ["
		 "  { 'key': 'g5', 'label': 'g5', 'kind': 'group', 'fields': ["
		 "  { 'key': 'y', 'label': 'y', 'kind': 'text' } ] } ] }");
	s = J(text);
	fs = form_schema_load(s, NULL, err, sizeof(err));
	ok(!fs && strstr(err, "nested more than 4 deep"), "too deep: %s", err);
	json_decref(s);
}

/* The real form, when the other half of the work has landed. */
static void test_shipped(void)
{
	json_error_t e;
	json_t *s = json_load_file("catalog/forms/2026.json",
				   JSON_REJECT_DUPLICATES, &e);
	json_t *ind, *doc, *errors;
	char err[512] = "";
	struct form_schema *fs;
	size_t req = 0, i;
	const json_t *x;

	if (!s) {
		printf("# catalog/forms/2026.json not loaded: %s\n", e.text);
		return;
	}
	ind = json_load_file("catalog/data/gbt4754-2017.json",
			     JSON_REJECT_DUPLICATES, &e);
	ok(ind != NULL, "industries file loads");
	fs = form_schema_load(s, ind, err, sizeof(err));
	ok(fs != NULL, "catalog/forms/2026.json loads: %s", err);
	if (fs) {
		doc = json_object();
		errors = json_array();
		is_int(form_validate(fs, doc, FORM_DRAFT, TODAY, errors), 0,
		       "2026: an empty draft is valid");
		json_decref(errors);
		errors = json_array();
		ok(form_validate(fs, doc, FORM_SUBMIT, TODAY, errors) > 0,
		   "2026: an empty submit is not");
		json_array_foreach (errors, i, x)
			req += !strcmp(
				json_string_value(json_object_get(x, "code")),
				"required");
		printf("2026.json: %zu required fields reported on an empty "
		       "submit (%zu errors in all)\n",
		       req, json_array_size(errors));
		json_decref(errors);
		json_decref(doc);
	}
	form_schema_free(fs);
	json_decref(ind);
	json_decref(s);
}

int main(void)
{
	json_t *s = J(schema_text), *ind = J(industries_text);
	char err[512] = "";

	test_count_chars();
	test_get();
	schema = form_schema_load(s, ind, err, sizeof(err));
	ok(schema != NULL, "test schema loads: %s", err);
	json_decref(s);
	json_decref(ind);
	if (!schema)
		return done_testing("test_form");
	test_modes();
	test_codes();
	test_codes2();
	test_when();
	test_rules();
	test_each();
	test_each_of();
	test_cap();
	test_bad_schemas();
	test_depth();
	test_shipped();
	form_schema_free(schema);
	return done_testing("test_form");
}
