/*
 * test_docs.c: the document renderers — cell neutralisation, masking,
 * number and code formats, the schema's values as text, the page engine
 * (wrapping, page counts, the page cap), the 申报书, the letters and the
 * XLSX/CSV exports, the XLSX writer, and the stored zips of batch PDFs.
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "harness.h"
#include "docs/appdoc.h"
#include "docs/letters.h"
#include "docs/pdf.h"
#include "docs/sheet.h"
#include "docs/text.h"
#include "docs/values.h"
#include "docs/xlsx.h"
#include "docs/zip.h"
#include "files/zipcheck.h"

static char dir[] = "/tmp/saiwu-test-docs-XXXXXX";

/* The documents below write ' for " to stay readable. */
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

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	if (p)
		p[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return p;
}

/* Counts the page objects of a PDF cairo wrote ("/Type /Page" not "/Pages"). */
static int pdf_pages(const char *path)
{
	size_t len = 0;
	char *p = slurp(path, &len), *q;
	int n = 0;

	if (!p)
		return -1;
	for (q = p; (q = memmem(q, len - (size_t)(q - p), "/Type /Page", 11));
	     q += 11)
		if (q[11] != 's')
			n++;
	free(p);
	return n;
}

static void test_neutral(void)
{
	char out[64];

	ok(xp_cell_dangerous("=1+1"), "= is a formula");
	ok(xp_cell_dangerous("+86 138"), "+ is a formula");
	ok(xp_cell_dangerous("-2+3"), "- is a formula");
	ok(xp_cell_dangerous("@SUM(A1)"), "@ is a formula");
	ok(xp_cell_dangerous("\tx"), "a leading tab");
	ok(xp_cell_dangerous("\rx"), "a leading CR");
	ok(!xp_cell_dangerous("数据 = 价值"), "= inside is text");
	ok(!xp_cell_dangerous(""), "empty");
	ok(!xp_cell_dangerous(NULL), "NULL");
	is_str(xp_cell_neutral("=HYPERLINK(\"x\")", out, sizeof(out)),
	       "'=HYPERLINK(\"x\")", "neutralised");
	is_str(xp_cell_neutral("平台", out, sizeof(out)), "平台", "kept");
	is_str(xp_cell_neutral(NULL, out, sizeof(out)), "", "NULL is empty");
	/* 5 bytes of room: "'", "=" and not half of a 3-byte character. */
	is_str(xp_cell_neutral("=数据", out, 5), "'=", "cut at a character");
	is_str(xp_cell_neutral("=数据", out, 6), "'=数", "a whole one fits");
	is_str(xp_cell_neutral("数据要素", out, 8), "数据", "cut whole");
}

static void test_mask(void)
{
	char out[64];

	is_str(xp_mask("44030519900101123X", out, sizeof(out)),
	       "4403**********123X", "ID number");
	is_str(xp_mask("13800138000", out, sizeof(out)), "138****8000",
	       "mobile");
	is_str(xp_mask("0755-86001234", out, sizeof(out)), "075******1234",
	       "landline");
	is_str(xp_mask("1234567", out, sizeof(out)), "****", "short");
	is_str(xp_mask("", out, sizeof(out)), "****", "empty");
	is_str(xp_mask("44030519900101123X", out, 8), "****", "no room");
}

static void test_formats(void)
{
	char out[64];
	char code[XP_CODE_MAX], mac[XP_CODE_MAC_HEX + 1];
	int64_t id = 0;

	is_str(xp_number(12.5, out, sizeof(out)), "12.5", "12.5");
	is_str(xp_number(3000, out, sizeof(out)), "3000", "3000");
	is_str(xp_number(-0.25, out, sizeof(out)), "-0.25", "-0.25");
	is_str(xp_number(0.1 + 0.2, out, sizeof(out)), "0.3", "0.1 + 0.2");
	is_str(xp_number(-0.0000001, out, sizeof(out)), "0", "no -0");
	is_str(xp_number(1e15, out, sizeof(out)), "1000000000000000",
	       "no exponent");
	is_str(xp_size(512, out, sizeof(out)), "512 B", "bytes");
	is_str(xp_size(1536, out, sizeof(out)), "1.50 KB", "KB");
	is_str(xp_size(20971520, out, sizeof(out)), "20.0 MB", "MB");
	is_str(xp_time_cn(1781308800, out, sizeof(out)), "2026-06-13 08:00",
	       "China time");
	is_str(xp_time_cn(0, out, sizeof(out)), "", "no time");
	is_str(xp_page_label(3, 12, out, sizeof(out)), "第 3 页 共 12 页",
	       "page label");
	is_str(xp_province("440305"), "广东省", "广东");
	is_str(xp_province("350102"), "福建省", "福建");
	ok(xp_province("990000") == NULL, "unknown province");
	ok(xp_province("4") == NULL, "short code");

	xp_code_format(123, "9f3a1c7b2d4e6f80a1b2c3d4", code);
	is_str(code, "123-9F3A-1C7B-2D4E-6F80-A1B2", "code format");
	ok(xp_code_parse(code, &id, mac) == 0 && id == 123, "code parses");
	is_str(mac, "9F3A1C7B2D4E6F80A1B2", "code mac");
	ok(xp_code_parse("123-9f3a1c7b2d4e6f80a1b2", &id, mac) == 0,
	   "lower case, no groups");
	ok(xp_code_parse("123-9F3A-1C7B-2D4E-6F80-A1B", &id, mac) < 0,
	   "too short");
	ok(xp_code_parse("123-9F3A-1C7B-2D4E-6F80-A1B2C", &id, mac) < 0,
	   "too long");
	ok(xp_code_parse("123-9G3A-1C7B-2D4E-6F80-A1B2", &id, mac) < 0,
	   "not hex");
	ok(xp_code_parse("0-9F3A-1C7B-2D4E-6F80-A1B2", &id, mac) < 0,
	   "record 0");
	ok(xp_code_parse("9F3A-1C7B-2D4E-6F80-A1B2", &id, mac) < 0,
	   "no record");
	ok(xp_code_parse("1234567890123456789-9F3A1C7B2D4E6F80A1B2", &id, mac) <
		   0,
	   "record number too long");
	ok(xp_code_parse("", &id, mac) < 0, "empty");
}

static void test_csv(void)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	xp_csv_field(f, "plain");
	putc(',', f);
	xp_csv_field(f, "a,b");
	putc(',', f);
	xp_csv_field(f, "say \"hi\"");
	putc(',', f);
	xp_csv_field(f, "two\nlines");
	putc(',', f);
	xp_csv_field(f, NULL);
	fclose(f);
	is_str(p, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",",
	       "RFC 4180 fields");
	free(p);
}

static const char schema_text[] =
	"{ 'id': 't', 'title': '测试申报书', 'version': 1,"
	"  'sections': ["
	"  { 'key': 'basic', 'title': '基础信息', 'page': 'basic', 'fields': ["
	"    { 'key': 'competition', 'label': '赛事', 'kind': 'competition' },"
	"    { 'key': 'track', 'label': '赛道', 'kind': 'track' },"
	"    { 'key': 'topic', 'label': '赛题', 'kind': 'topic' },"
	"    { 'key': 'lead_unit_name', 'label': '牵头单位名称', 'kind': 'text' },"
	"    { 'key': 'contact_mobile', 'label': '手机', 'kind': 'mobile' },"
	"    { 'key': 'region', 'label': '所在地区', 'kind': 'region' } ] },"
	"  { 'key': 'project', 'title': '（一）项目基本信息', 'page': 'declaration',"
	"    'fields': ["
	"    { 'key': 'name', 'label': '项目名称', 'kind': 'text' },"
	"    { 'key': 'summary', 'label': '项目简述', 'kind': 'textarea', 'max': 1000 },"
	"    { 'key': 'share', 'label': '占比', 'kind': 'percent', 'number': '1.' },"
	"    { 'key': 'cost', 'label': '成本', 'kind': 'decimal', 'unit': '万元' },"
	"    { 'key': 'listed', 'label': '是否上市', 'kind': 'boolean' },"
	"    { 'key': 'nature', 'label': '性质', 'kind': 'select',"
	"      'options': ['民营', '其他'], 'other': '其他', 'other_key': 'nature_other' },"
	"    { 'key': 'nature_other', 'label': '其他', 'kind': 'text',"
	"      'when': { 'field': 'nature', 'equals': '其他' } },"
	"    { 'key': 'targets', 'label': '服务对象', 'kind': 'multiselect',"
	"      'options': ['政府', '企业', '消费者'] },"
	"    { 'key': 'industries', 'label': '行业', 'kind': 'industries' },"
	"    { 'key': 'period', 'label': '起止', 'kind': 'year_month_range' },"
	"    { 'key': 'own', 'label': '自有数据', 'kind': 'group', 'fields': ["
	"      { 'key': 'volume_gb', 'label': '数据量', 'kind': 'decimal', 'unit': 'GB' },"
	"      { 'key': 'growth', 'label': '增速', 'kind': 'percent' } ] },"
	"    { 'key': 'cases', 'label': '案例', 'kind': 'table', 'row_label': '案例',"
	"      'columns': ["
	"      { 'key': 'unit_name', 'label': '应用单位名称', 'kind': 'text' },"
	"      { 'key': 'amount', 'label': '合同额', 'kind': 'decimal', 'unit': '万元' } ] } ] },"
	"  { 'key': 'members', 'title': '团队成员', 'page': 'declaration',"
	"    'table': { 'min_rows': 1, 'max_rows': 5, 'row_label': '团队成员',"
	"    'columns': ["
	"    { 'key': 'name', 'label': '姓名', 'kind': 'text' },"
	"    { 'key': 'id_type', 'label': '证件类型', 'kind': 'id_type' },"
	"    { 'key': 'id_number', 'label': '证件号码', 'kind': 'id_number',"
	"      'type_key': 'id_type' } ] } } ],"
	"  'attachments': [ { 'key': 'ppt', 'label': '项目PPT', 'types': ['pdf'],"
	"    'max_bytes': 100, 'max_files': 1 } ] }";

static const char comp_text[] =
	"{ 'id': 1, 'slug': 'guangdong-2026', 'name': '2026年“数据要素×”大赛广东分赛',"
	"  'short_name': '广东分赛', 'year': 2026, 'tracks': ["
	"  { 'no': 4, 'key': 'transportation', 'name': '交通运输',"
	"    'heading': '赛道四：交通运输赛道', 'topics': ["
	"    { 'no': 2, 'title': '高速公路数据“上图上车”' } ] } ] }";

static const char doc_text[] =
	"{ 'basic': { 'competition': 'guangdong-2026', 'track': 'transportation',"
	"    'topic': 2, 'lead_unit_name': '=深圳市智联数据科技有限公司',"
	"    'contact_mobile': '13800138000', 'region': ['440000','440300','440305'] },"
	"  'project': { 'name': '枢纽数据智能调度平台', 'summary': '项目简述',"
	"    'share': 12.5, 'cost': '35.50', 'listed': false, 'nature': '其他',"
	"    'nature_other': '社会组织', 'targets': ['政府', '企业'],"
	"    'industries': ['541', '999'], 'period': { 'start': '2024-03', 'end': '2025-06' },"
	"    'own': { 'volume_gb': 5200, 'growth': 35 },"
	"    'cases': [ { 'unit_name': '+广州市交通运输局', 'amount': 386.5 },"
	"               { 'unit_name': '深圳枢纽' } ] },"
	"  'members': [ { 'name': '张三', 'id_type': '居民身份证',"
	"    'id_number': '44030519900101123X' },"
	"    { 'name': '@李四', 'id_type': '护照', 'id_number': 'E12345678' } ] }";

static const char *value_of(json_t *schema, json_t *comp, json_t *names,
			    const char *path, const json_t *obj, bool boxes,
			    struct buf *b)
{
	const json_t *f = xp_schema_field(schema, path);
	const char *dot = strchr(path, '.');
	char sec[32];
	const json_t *fields;
	struct xp_vctx c = { comp, names, boxes };

	snprintf(sec, sizeof(sec), "%.*s", (int)(dot - path), path);
	fields = json_object_get(xp_schema_field(schema, sec), "fields");
	buf_reset(b);
	if (f)
		xp_value(&c, fields, f, obj, b);
	return b->p ? b->p : "";
}

static void test_values(void)
{
	json_t *schema = J(schema_text), *comp = J(comp_text);
	json_t *doc = J(doc_text);
	json_t *names = J("{ '541': '城市公共交通运输' }");
	const json_t *basic = json_object_get(doc, "basic");
	const json_t *project = json_object_get(doc, "project");
	struct buf b;
	double d = 0;

	buf_init(&b, 4096);
	is_str(value_of(schema, comp, names, "basic.competition", basic, false,
			&b),
	       "2026年“数据要素×”大赛广东分赛", "competition by name");
	is_str(value_of(schema, comp, names, "basic.track", basic, false, &b),
	       "赛道四：交通运输赛道", "track heading");
	is_str(value_of(schema, comp, names, "basic.topic", basic, false, &b),
	       "赛题2：高速公路数据“上图上车”", "topic title");
	is_str(value_of(schema, comp, names, "basic.region", basic, false, &b),
	       "广东省（行政区划代码 440305）", "region");
	is_str(value_of(schema, comp, names, "project.share", project, false,
			&b),
	       "12.5%", "percent");
	is_str(value_of(schema, comp, names, "project.cost", project, false,
			&b),
	       "35.50 万元", "decimal string with unit");
	is_str(value_of(schema, comp, names, "project.listed", project, false,
			&b),
	       "否", "boolean");
	is_str(value_of(schema, comp, names, "project.nature", project, false,
			&b),
	       "其他（社会组织）", "other text joins its choice");
	is_str(value_of(schema, comp, names, "project.targets", project, false,
			&b),
	       "政府、企业", "chosen options");
	is_str(value_of(schema, comp, names, "project.targets", project, true,
			&b),
	       "■ 政府　■ 企业　□ 消费者", "check boxes");
	is_str(value_of(schema, comp, names, "project.industries", project,
			false, &b),
	       "541 城市公共交通运输；999", "industries with names");
	is_str(value_of(schema, comp, names, "project.period", project, false,
			&b),
	       "2024-03 至 2025-06", "year-month range");
	is_str(value_of(schema, comp, names, "project.name", basic, false, &b),
	       "", "unfilled is empty");
	ok(xp_value_number(xp_schema_field(schema, "project.cost"),
			   json_object_get(project, "cost"), &d) &&
		   d == 35.5,
	   "a decimal string is a number");
	ok(!xp_value_number(xp_schema_field(schema, "project.name"),
			    json_object_get(project, "name"), &d),
	   "text is not");
	ok(xp_when_holds(xp_schema_field(schema, "project.nature_other"),
			 project),
	   "when holds");
	ok(xp_is_other_text(json_object_get(xp_schema_field(schema, "project"),
					    "fields"),
			    xp_schema_field(schema, "project.nature_other")),
	   "other text is known");
	ok(xp_schema_field(schema, "members") != NULL, "table section");
	is_str(xp_label(xp_schema_field(schema, "members.id_number")),
	       "证件号码", "column of a table section");
	is_str(xp_label(xp_schema_field(schema, "project.own.growth")), "增速",
	       "field of a group");
	ok(xp_schema_field(schema, "project.nothing") == NULL, "no such field");
	{
		json_t *v[5] = { J("' x '"), J("'  '"), J("[]"), J("null"),
				 J("0") };
		ok(xp_filled(v[0]) && !xp_filled(v[1]) && !xp_filled(v[2]) &&
			   !xp_filled(v[3]) && xp_filled(v[4]),
		   "filled");
		for (int i = 0; i < 5; i++)
			json_decref(v[i]);
	}
	buf_release(&b);
	json_decref(schema);
	json_decref(comp);
	json_decref(doc);
	json_decref(names);
}

/* ---- the page engine -------------------------------------------------- */

struct body_args {
	int paragraphs;
	const char *text;
	int rows;
	const char *cell;
};

static void body(struct xp_pdf *p, void *cls)
{
	const struct body_args *a = cls;
	struct xp_table t = { .ncols = 2,
			      .width = { 1, 2 },
			      .header = { "项目", "内容" } };

	xp_pdf_title(p, "测试文档", 20);
	xp_pdf_heading(p, 1, "第一部分");
	for (int i = 0; i < a->paragraphs; i++)
		xp_pdf_text(p, a->text, XP_INDENT);
	if (a->rows) {
		xp_pdf_table_begin(p, &t);
		for (int i = 0; i < a->rows; i++) {
			const char *cells[2] = { "名称", a->cell };
			xp_pdf_table_row(p, cells, XP_ROW_LABEL);
		}
		xp_pdf_table_end(p);
	}
	xp_pdf_qr_block(p, "https://saiwu.example.cn/verify/1-AAAA", 100,
			"验证码：1-AAAA", 0);
}

static int render(const char *name, struct body_args *a, int max_pages,
		  const char *watermark, int *pages)
{
	char path[256], err[256];
	struct xp_pdf_opts o = { .header = "页眉",
				 .watermark = watermark,
				 .footer_note = "编号 1",
				 .max_pages = max_pages };
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	rc = xp_pdf_render(fd, &o, body, a, pages, err, sizeof(err));
	close(fd);
	if (rc < 0)
		printf("# render %s: %s\n", name, err);
	return rc;
}

static void test_engine(void)
{
	char path[256], long_text[30000], huge[60000];
	struct body_args a = { 1, "短段落。", 0, NULL };
	int pages = 0, short_pages;
	char *pdf;
	size_t len = 0;

	/* 一 is one character, three bytes: 9,000 of them wrap over pages. */
	long_text[0] = '\0';
	for (int i = 0; i < 9000; i++)
		strcat(long_text, "一");
	ok(render("short.pdf", &a, 0, NULL, &pages) == 0, "short renders");
	short_pages = pages;
	is_int(pages, 1, "a short document is one page");
	snprintf(path, sizeof(path), "%s/short.pdf", dir);
	is_int(pdf_pages(path), 1, "one page object");
	pdf = slurp(path, &len);
	ok(pdf && len > 1000 && !memcmp(pdf, "%PDF-", 5), "a PDF");
	free(pdf);

	a.text = long_text;
	ok(render("long.pdf", &a, 0, NULL, &pages) == 0, "long renders");
	ok(pages > short_pages + 1, "a long paragraph wraps over pages (%d)",
	   pages);
	snprintf(path, sizeof(path), "%s/long.pdf", dir);
	is_int(pdf_pages(path), pages, "the count matches the file");

	/* The cap: the rest is left out, the count stays true. */
	a.paragraphs = 10;
	ok(render("capped.pdf", &a, 3, NULL, &pages) == 0, "capped renders");
	is_int(pages, 3, "three pages at most");
	snprintf(path, sizeof(path), "%s/capped.pdf", dir);
	is_int(pdf_pages(path), 3, "three page objects");

	/* Rows break across pages; a cell taller than a page is cut. */
	a.paragraphs = 0;
	a.rows = 120;
	a.cell = "内容";
	ok(render("rows.pdf", &a, 0, NULL, &pages) == 0, "rows render");
	ok(pages >= 3, "120 rows take several pages (%d)", pages);
	huge[0] = '\0';
	for (int i = 0; i < 15000; i++)
		strcat(huge, "二");
	a.rows = 2;
	a.cell = huge;
	ok(render("huge.pdf", &a, 0, "草稿", &pages) == 0, "huge cells render");
	ok(pages >= 2 && pages <= 4,
	   "a cell taller than a page is cut, not spread (%d pages)", pages);
}

static void test_app_pdf(void)
{
	json_t *schema = J(schema_text), *comp = J(comp_text);
	json_t *doc = J(doc_text);
	json_t *files = J("[{ 'slot': 'ppt', 'row': null, 'file_name': 'a.pdf',"
			  "  'size': 1024, 'sha256': 'ab' }]");
	struct xp_app_input in = {
		.schema = schema,
		.doc = doc,
		.competition = comp,
		.files = files,
		.id = 7,
		.status = "submitted",
		.status_label = "已提交",
		.stage_label = "未审核",
		.updated_at = 1781308800,
		.submitted_at = 1781308800,
		.generated_at = 1781308800,
		.verify_code = "7-AAAA-BBBB-CCCC-DDDD-EEEE",
		.verify_url =
			"https://saiwu.example.cn/verify/7-AAAA-BBBB-CCCC-DDDD-EEEE",
		.content_sha256 = "00",
		.max_pages = 50,
	};
	char path[256], err[256];
	int fd, pages = 0;

	snprintf(path, sizeof(path), "%s/app.pdf", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ok(xp_app_pdf(fd, &in, &pages, err, sizeof(err)) == 0,
	   "the 申报书 renders: %s", err);
	close(fd);
	ok(pages >= 2, "cover and content (%d pages)", pages);
	is_int(pdf_pages(path), pages, "pages as counted");
	in.status = "draft";
	in.submitted_at = 0;
	in.verify_code = NULL;
	in.max_pages = 1;
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ok(xp_app_pdf(fd, &in, &pages, err, sizeof(err)) == 0,
	   "a capped draft renders");
	close(fd);
	is_int(pages, 1, "the cap holds");
	json_decref(schema);
	json_decref(comp);
	json_decref(doc);
	json_decref(files);
}

static void test_letters(void)
{
	struct xp_letter_input in = {
		.year = 2026,
		.contest = "广东分赛",
		.team_name = "枢纽<创新>团队 & 伙伴",
		.project_name = "",
		.lead_unit = "深圳市智联数据科技有限公司",
		.other_units = { "广州数海科技有限公司" },
		.n_other = 1,
		.members = { "张三", "李四" },
		.n_members = 2,
		.leader_name = "张三",
		.leader_id = "44030519900101123X",
	};
	char path[256], err[256];
	int fd, pages = 0;

	snprintf(path, sizeof(path), "%s/declaration.pdf", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	/* Markup characters in names are escaped, not interpreted. */
	ok(xp_letter_pdf(fd, XP_DECLARATION, &in, &pages, err, sizeof(err)) ==
		   0,
	   "declaration renders: %s", err);
	close(fd);
	is_int(pages, 1, "the declaration is one page");
	snprintf(path, sizeof(path), "%s/authorization.pdf", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ok(xp_letter_pdf(fd, XP_AUTHORIZATION, &in, &pages, err, sizeof(err)) ==
		   0,
	   "authorization renders: %s", err);
	close(fd);
	is_int(pages, 1, "the authorization is one page");
}

static int export_to(const char *name, enum xp_format format, const char *sheet,
		     bool unmask)
{
	json_t *schema = J(schema_text), *comp = J(comp_text);
	/* The exports read documents as jscan.h parses them. */
	json_t *jdoc = J(doc_text);
	char *dtext = json_dumps(jdoc, JSON_COMPACT);
	struct xj_arena arena = { 0 };
	const struct xj *doc =
		dtext ? xj_parse(&arena, dtext, strlen(dtext), NULL, 0) : NULL;
	char path[256], err[256];
	struct xp_export_opts o = {
		.format = format,
		.path = path,
		.tmpdir = dir,
		.schema = schema,
		.competition = comp,
		.slots = json_object_get(schema, "attachments"),
		.unmask = unmask,
		.sheet = sheet,
		.note = "测试",
	};
	struct xp_app_meta m = { .id = 7,
				 .status_label = "已提交",
				 .stage_label = "未审核",
				 .tech_label = "未开始",
				 .submitted_at = 1781308800 };
	struct xp_file_meta f = { .application_id = 7,
				  .project_name = "=项目",
				  .slot = "ppt",
				  .row = "project.cases[1]",
				  .file_name = "-a.pdf",
				  .size = 1024,
				  .kind = "pdf",
				  .sha256 = "ab",
				  .uploaded_at = 1781308800 };
	struct xp_export *x;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	x = xp_export_open(&o, err, sizeof(err));
	if (x && doc && xp_export_app(x, &m, doc) == 0 &&
	    xp_export_file(x, &f) == 0)
		rc = 0;
	if (x && xp_export_close(x, err, sizeof(err)) < 0)
		rc = -1;
	if (rc < 0)
		printf("# export %s: %s\n", name, err);
	json_decref(schema);
	json_decref(comp);
	json_decref(jdoc);
	free(dtext);
	xj_arena_free(&arena);
	return rc;
}

static void test_exports(void)
{
	json_t *schema = J(schema_text);
	char path[256], *csv;

	ok(xp_export_has_sheet(schema, "applications"), "applications sheet");
	ok(xp_export_has_sheet(schema, "members"), "members sheet");
	ok(xp_export_has_sheet(schema, "cases"), "a table field's sheet");
	ok(xp_export_has_sheet(schema, "attachments"), "attachments sheet");
	ok(!xp_export_has_sheet(schema, "nothing"), "no such sheet");
	ok(!xp_export_has_sheet(schema, NULL), "NULL");
	json_decref(schema);

	ok(export_to("apps.csv", XP_CSV, "applications", false) == 0,
	   "applications as CSV");
	snprintf(path, sizeof(path), "%s/apps.csv", dir);
	csv = slurp(path, NULL);
	ok(csv && !strncmp(csv, "\xEF\xBB\xBF报名编号,报名状态", 21),
	   "BOM and header");
	ok(csv && strstr(csv, "基础信息/牵头单位名称"), "column header path");
	ok(csv && strstr(csv, "项目基本信息/自有数据/数据量（GB）"),
	   "group columns with units");
	ok(csv && strstr(csv, ",'=深圳市智联数据科技有限公司,"),
	   "a formula is neutralised");
	ok(csv && strstr(csv, ",138****8000,"), "mobile masked");
	ok(csv && strstr(csv, ",12.5,"), "numbers without units");
	ok(csv && strstr(csv, "\r\n7,已提交,"), "one row per application");
	free(csv);

	ok(export_to("members.csv", XP_CSV, "members", false) == 0,
	   "members as CSV");
	snprintf(path, sizeof(path), "%s/members.csv", dir);
	csv = slurp(path, NULL);
	ok(csv && strstr(csv, "4403**********123X"), "ID number masked");
	ok(csv && !strstr(csv, "44030519900101123X"), "never in the clear");
	ok(csv && strstr(csv, ",'@李四,"), "@ neutralised");
	ok(csv && strstr(csv, "E123***5678") == NULL && strstr(csv, "****"),
	   "short passports are masked whole");
	free(csv);

	ok(export_to("members-full.csv", XP_CSV, "members", true) == 0,
	   "members unmasked");
	snprintf(path, sizeof(path), "%s/members-full.csv", dir);
	csv = slurp(path, NULL);
	ok(csv && strstr(csv, "44030519900101123X"), "unmasked on request");
	free(csv);

	ok(export_to("files.csv", XP_CSV, "attachments", false) == 0,
	   "attachments as CSV");
	snprintf(path, sizeof(path), "%s/files.csv", dir);
	csv = slurp(path, NULL);
	ok(csv && strstr(csv, "7,'=项目,项目PPT,案例 第 2 项,'-a.pdf,1024,pdf"),
	   "file row: slot label, row name, neutralised");
	free(csv);

	ok(export_to("all.xlsx", XP_XLSX, NULL, false) == 0, "XLSX");
	snprintf(path, sizeof(path), "%s/all.xlsx", dir);
	csv = slurp(path, NULL);
	ok(csv && !strncmp(csv, "PK", 2), "a zip container");
	free(csv);
}

static int write_file(const char *name, const void *p, size_t n)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_zip(void)
{
	static const char pdf[] = "%PDF-1.5\n% not much of one\n%%EOF\n";
	char path[256], err[256] = "", msg[256] = "", cmd[1024];
	unsigned char head[8];
	uint64_t size = 0;
	size_t names;
	int a = write_file("a.bin", pdf, sizeof(pdf) - 1);
	int b = write_file("b.bin", "", 0);
	int out = write_file("batch.zip", "", 0);
	struct xp_zip *z = xp_zip_new(out);

	ok(a >= 0 && b >= 0 && out >= 0 && z, "zip: files and writer");
	is_int(xp_zip_add_fd(z, "12-粤港澳枢纽平台.pdf", a, 1781308800, err,
			     sizeof(err)),
	       0, "zip: a UTF-8 name");
	is_int(xp_zip_add_fd(z, "13-empty.pdf", b, 1781308800, err,
			     sizeof(err)),
	       0, "zip: an empty entry");
	is_int(xp_zip_add_fd(z, "", a, 0, err, sizeof(err)), -1,
	       "zip: no empty names");
	/* A failed add leaves the archive unusable: a new one for the rest. */
	is_int(xp_zip_finish(z, &size, err, sizeof(err)), -1,
	       "zip: unusable after a failure");
	ok(lseek(out, 0, SEEK_SET) == 0 && ftruncate(out, 0) == 0,
	   "zip: start again");
	z = xp_zip_new(out);
	xp_zip_add_fd(z, "12-粤港澳枢纽平台.pdf", a, 1781308800, err,
		      sizeof(err));
	xp_zip_add_fd(z, "13-empty.pdf", b, 1781308800, err, sizeof(err));
	is_int(xp_zip_finish(z, &size, err, sizeof(err)), 0, "zip: finished");
	names = strlen("12-粤港澳枢纽平台.pdf") + strlen("13-empty.pdf");
	is_int((long long)size,
	       (long long)(2 * 30 + 2 * 46 + 22 + 2 * names + sizeof(pdf) - 1),
	       "zip: headers, names and data, nothing else");
	ok(pread(out, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
		   head[0] == 'P' && head[1] == 'K' && head[2] == 3 &&
		   head[3] == 4 && (head[7] & 0x08),
	   "zip: a local header with the UTF-8 flag");
	snprintf(path, sizeof(path), "%s/batch.zip", dir);
	is_int(zipcheck_file(path, 10, 1 << 20, msg, sizeof(msg)), 0,
	       "zip: the upload checker reads it");
	snprintf(cmd, sizeof(cmd),
		 "unzip -tq '%s' >/dev/null 2>&1 && "
		 "unzip -p '%s' '12-*.pdf' | cmp -s - '%s/a.bin'",
		 path, path, dir);
	is_int(system(cmd), 0, "zip: unzip tests it and gets the bytes back");
	close(a);
	close(b);
	close(out);
}

/* The output of a shell command, or NULL. */
static char *run_out(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0, cap = 0, k;
	char chunk[65536];

	if (!p)
		return NULL;
	while ((k = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		if (len + k + 1 > cap) {
			char *grown;
			cap = 2 * (len + k + 1);
			grown = realloc(out, cap);
			if (!grown)
				break;
			out = grown;
		}
		memcpy(out + len, chunk, k);
		len += k;
		out[len] = '\0';
	}
	pclose(p);
	return out;
}

#define NUMS 20000
static double nums_v[NUMS];

static void test_xlsx(void)
{
	char err[256] = "", path[256], cmd[600], *xml, *long_cell;
	struct xp_wb_sheet *nums;
	struct xp_wb *b =
		xp_wb_open("/nonexistent-dir/x.xlsx", dir, err, sizeof(err));
	struct xp_wb_sheet *s, *big;
	size_t n;

	/* A file that cannot be created fails at close, with a message. */
	ok(b && xp_wb_add_sheet(b, "S", err, sizeof(err)), "xlsx: opened");
	is_int(xp_wb_close(b, err, sizeof(err)), -1, "xlsx: no such directory");
	ok(strstr(err, "cannot create") != NULL, "xlsx: says why");

	snprintf(path, sizeof(path), "%s/w.xlsx", dir);
	b = xp_wb_open(path, dir, err, sizeof(err));
	ok(b != NULL, "xlsx: a workbook");
	ok(xp_wb_set_props(b, "报名数据导出", "导出 <1> & 2") == 0,
	   "xlsx: props");
	s = xp_wb_add_sheet(b, "报名表", err, sizeof(err));
	ok(s != NULL, "xlsx: a sheet");
	ok(!xp_wb_add_sheet(b, "a/b", err, sizeof(err)), "xlsx: '/' refused");
	ok(!xp_wb_add_sheet(b, "'q", err, sizeof(err)),
	   "xlsx: ' first refused");
	ok(!xp_wb_add_sheet(b,
			    "一二三四五六七八九十一二三四五六七八九十一二三四五"
			    "六七八九十一二",
			    err, sizeof(err)),
	   "xlsx: 32 characters refused");
	ok(!xp_wb_add_sheet(b, "报名表", err, sizeof(err)) &&
		   strstr(err, "twice"),
	   "xlsx: a name used twice refused");
	big = xp_wb_add_sheet(b, "Rows", err, sizeof(err));
	ok(big && !xp_wb_add_sheet(b, "rows", err, sizeof(err)),
	   "xlsx: names compared ignoring case");
	is_int(xp_wb_set_cols(s, 0, 2, 14), 0, "xlsx: widths");
	is_int(xp_wb_set_cols(s, 3, 3, 40), 0, "xlsx: a wide column");
	xp_wb_freeze_top_row(s);
	is_int(xp_wb_set_header(s, "R&D 导出"), 0, "xlsx: page header");
	is_int(xp_wb_string(s, 0, 0, "报名编号", XP_WB_HEAD), 0,
	       "xlsx: head cell");
	is_int(xp_wb_string(s, 0, 1, "a & b <c> \"d\"", XP_WB_PLAIN), 0,
	       "xlsx: markup characters");
	is_int(xp_wb_string(s, 0, 2, "bell\x01 cr\r tab\t end", XP_WB_PLAIN), 0,
	       "xlsx: control characters");
	is_int(xp_wb_string(s, 0, 3, "_x0041_ and \xEF\xBF\xBF", XP_WB_PLAIN),
	       0, "xlsx: an escape look-alike and U+FFFF");
	is_int(xp_wb_string(s, 0, 4, " padded ", XP_WB_PLAIN), 0,
	       "xlsx: blanks");
	is_int(xp_wb_set_cols(s, 5, 5, 10), -1,
	       "xlsx: widths after cells refused");
	xp_wb_abort(b);

	/* Again, without the refused call that failed the book. */
	b = xp_wb_open(path, dir, err, sizeof(err));
	xp_wb_set_props(b, "报名数据导出", "导出 <1> & 2");
	s = xp_wb_add_sheet(b, "报名表", err, sizeof(err));
	big = xp_wb_add_sheet(b, "Rows", err, sizeof(err));
	xp_wb_add_sheet(b, "Empty", err, sizeof(err));
	nums = xp_wb_add_sheet(b, "Numbers", err, sizeof(err));
	xp_wb_set_cols(s, 0, 2, 14);
	xp_wb_set_cols(s, 3, 3, 40);
	xp_wb_freeze_top_row(s);
	xp_wb_set_header(s, "R&D 导出");
	xp_wb_string(s, 0, 0, "报名编号", XP_WB_HEAD);
	xp_wb_string(s, 0, 1, "a & b <c> \"d\"", XP_WB_PLAIN);
	xp_wb_string(s, 0, 2, "bell\x01 cr\r tab\t end", XP_WB_PLAIN);
	xp_wb_string(s, 0, 3, "_x0041_ and \xEF\xBF\xBF", XP_WB_PLAIN);
	xp_wb_string(s, 0, 4, " padded ", XP_WB_PLAIN);
	is_int(xp_wb_number(s, 1, 0, 5200), 0, "xlsx: a whole number");
	is_int(xp_wb_number(s, 1, 1, -3), 0, "xlsx: a negative one");
	is_int(xp_wb_number(s, 1, 2, 0.1), 0, "xlsx: a fraction");
	is_int(xp_wb_number(s, 1, 3, 1e20), 0, "xlsx: a large one");
	is_int(xp_wb_number(s, 1, 27, 2.5), 0, "xlsx: column AB");
	n = 40000;
	long_cell = malloc(3 * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(long_cell + 3 * i, "中", 3);
	long_cell[3 * n] = '\0';
	is_int(xp_wb_string(s, 2, 0, long_cell, XP_WB_PLAIN), 0,
	       "xlsx: a long cell");
	memset(long_cell, '&', n);
	long_cell[n] = '\0';
	is_int(xp_wb_string(s, 3, 0, long_cell, XP_WB_PLAIN), 0,
	       "xlsx: a long cell, all escaped");
	/* Many rows: several chunks through the deflating thread. */
	for (uint32_t r = 0; r < 30000; r++) {
		char t[64];
		snprintf(t, sizeof(t), "row %u <%u>", r, r * 7);
		if (xp_wb_number(big, r, 0, r) < 0 ||
		    xp_wb_string(big, r, 1, t, XP_WB_PLAIN) < 0)
			break;
	}
	/* Fractions: decimals of every length, and doubles of any bits. */
	for (uint32_t r = 0; r < NUMS; r++) {
		double v;
		if (r < 2) {
			v = r ? 0.000123 : 9.95;
		} else if (r < NUMS / 2) {
			static const double p10[] = { 1,   10,	100, 1e3, 1e4,
						      1e5, 1e6, 1e7, 1e8 };
			v = (double)((r * 2654435761u) % 100000000u) /
			    p10[r % 9];
		} else {
			/* 53 bits of mantissa, 2^-30 to 2^30. */
			uint64_t bits = ((uint64_t)r * 0x9E3779B97F4A7C15ull) >>
					11;
			v = ldexp((double)(bits | (1ull << 52)),
				  -52 + (int)(r % 61) - 30);
		}
		nums_v[r] = r % 3 ? v : -v;
		if (xp_wb_number(nums, r, 0, nums_v[r]) < 0)
			break;
	}
	is_int(xp_wb_close(b, err, sizeof(err)), 0, "xlsx: closed");
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet4.xml",
		 path);
	xml = run_out(cmd);
	{
		/*
		 * Each number as "%.16g" writes it, or in no more characters
		 * that read back as the very same double.
		 */
		const char *p = xml;
		uint32_t r = 0, good = 0, shorter = 0;
		while (p && (p = strstr(p, "<v>")) && r < NUMS) {
			char *end;
			double got = strtod(p + 3, &end);
			char t[40];
			size_t len = (size_t)(end - p - 3);
			snprintf(t, sizeof(t), "%.16g", nums_v[r]);
			if (strncmp(end, "</v>", 4))
				printf("# %s written %.*s\n", t, (int)len,
				       p + 3);
			else if (len == strlen(t) && !strncmp(p + 3, t, len))
				good++;
			else if (got == nums_v[r] && len <= strlen(t))
				good++, shorter++;
			else
				printf("# %s written %.*s\n", t, (int)len,
				       p + 3);
			r++;
			p = end;
		}
		is_int(r, NUMS, "xlsx: every number written");
		is_int(good, NUMS, "xlsx: every number as %.16g or exact");
		ok(shorter > 0, "xlsx: %u numbers without the noise of %%.16g",
		   shorter);
	}
	ok(xml && strstr(xml, "<v>-9.95</v>") && strstr(xml, "<v>0.000123</v>"),
	   "xlsx: a fraction as it was written");
	free(xml);
	snprintf(cmd, sizeof(cmd), "unzip -tq '%s' >/dev/null 2>&1", path);
	is_int(system(cmd), 0, "xlsx: unzip tests every CRC");
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet1.xml",
		 path);
	xml = run_out(cmd);
	ok(xml && strstr(xml, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>"
			      "报名编号</t></is></c>"),
	   "xlsx: a header cell, styled");
	ok(xml && strstr(xml, "<t>a &amp; b &lt;c&gt; \"d\"</t>"),
	   "xlsx: & < > escaped");
	ok(xml && strstr(xml, "<t>bell_x0001_ cr_x000D_ tab\t end</t>"),
	   "xlsx: control characters as _xHHHH_");
	ok(xml && strstr(xml, "<t>_x005F_x0041_ and _xFFFF_</t>"),
	   "xlsx: the look-alike and U+FFFF escaped");
	ok(xml && strstr(xml, "<t xml:space=\"preserve\"> padded </t>"),
	   "xlsx: blanks kept");
	ok(xml && strstr(xml, "<c r=\"A2\"><v>5200</v></c>"), "xlsx: 5200");
	ok(xml && strstr(xml, "<c r=\"B2\"><v>-3</v></c>"), "xlsx: -3");
	ok(xml && strstr(xml, "<c r=\"C2\"><v>0.1</v></c>"), "xlsx: 0.1");
	ok(xml && strstr(xml, "<c r=\"D2\"><v>1e+20</v></c>"), "xlsx: 1e20");
	ok(xml && strstr(xml, "<c r=\"AB2\"><v>2.5</v></c>"), "xlsx: AB2");
	ok(xml && strstr(xml, "state=\"frozen\""), "xlsx: top row frozen");
	ok(xml && strstr(xml, "<col min=\"1\" max=\"3\" width=\"14.7109375\""),
	   "xlsx: widths of columns 1-3");
	ok(xml && strstr(xml, "<oddHeader>&amp;LR&amp;&amp;D 导出</oddHeader>"),
	   "xlsx: page header, & doubled");
	if (xml) {
		char *a3 = strstr(xml, "<c r=\"A3\"");
		char *t = a3 ? strstr(a3, "<t>") : NULL;
		char *e = t ? strstr(t, "</t>") : NULL;
		is_int(e ? (long long)(e - t - 3) : -1, 3 * XP_WB_CELL_MAX,
		       "xlsx: a long cell cut at 32767 characters");
		a3 = strstr(xml, "<c r=\"A4\"");
		t = a3 ? strstr(a3, "<t>") : NULL;
		e = t ? strstr(t, "</t>") : NULL;
		is_int(e ? (long long)(e - t - 3) : -1, 5 * XP_WB_CELL_MAX,
		       "xlsx: escaping after the cut");
	}
	free(xml);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet2.xml",
		 path);
	xml = run_out(cmd);
	ok(xml && strstr(xml, "<row r=\"30000\"><c r=\"A30000\"><v>29999</v>"
			      "</c><c r=\"B30000\" t=\"inlineStr\"><is><t>row "
			      "29999 &lt;209993&gt;</t></is></c></row>"
			      "</sheetData>"),
	   "xlsx: the last of 30000 rows");
	free(xml);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' docProps/core.xml", path);
	xml = run_out(cmd);
	ok(xml && strstr(xml, "<dc:title>报名数据导出</dc:title>") &&
		   strstr(xml, "<dc:description>导出 &lt;1&gt; &amp; 2<"),
	   "xlsx: title and comments");
	free(xml);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/workbook.xml", path);
	xml = run_out(cmd);
	ok(xml && strstr(xml,
			 "<sheet name=\"Empty\" sheetId=\"3\" r:id=\"rId3\"/>"),
	   "xlsx: the third sheet");
	free(xml);

	/* Out of order: refused, and the book fails without a file. */
	snprintf(path, sizeof(path), "%s/bad.xlsx", dir);
	b = xp_wb_open(path, dir, err, sizeof(err));
	s = xp_wb_add_sheet(b, "S", err, sizeof(err));
	is_int(xp_wb_string(s, 1, 1, "x", XP_WB_PLAIN), 0, "xlsx: B2");
	is_int(xp_wb_string(s, 1, 0, "x", XP_WB_PLAIN), -1,
	       "xlsx: A2 after B2");
	is_int(xp_wb_number(s, 2, 0, 1), -1, "xlsx: failed stays failed");
	is_int(xp_wb_close(b, err, sizeof(err)), -1, "xlsx: close fails");
	ok(strstr(err, "out of order") != NULL, "xlsx: says why");
	ok(access(path, F_OK) != 0, "xlsx: no broken file left");
	free(long_cell);
}

static void cleanup(void)
{
	static const char *const names[] = {
		"short.pdf",
		"long.pdf",
		"capped.pdf",
		"rows.pdf",
		"huge.pdf",
		"app.pdf",
		"declaration.pdf",
		"authorization.pdf",
		"apps.csv",
		"members.csv",
		"members-full.csv",
		"files.csv",
		"all.xlsx",
		"a.bin",
		"b.bin",
		"batch.zip",
		"w.xlsx",
	};
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		printf("not ok - cannot make %s\n", dir);
		return 1;
	}
	test_neutral();
	test_mask();
	test_formats();
	test_csv();
	test_values();
	test_engine();
	test_app_pdf();
	test_letters();
	test_exports();
	test_zip();
	test_xlsx();
	cleanup();
	xp_pdf_shutdown();
	return done_testing("docs");
}
