/* appdoc.c: the 申报书 of one application as a PDF, laid out from its schema */
#include <stdio.h>
#include <string.h>
#include "appdoc.h"
#include "pdf.h"
#include "text.h"
#include "values.h"
#include "../domain/form.h"
#include "../util/buf.h"
#include "../util/banned.h"

#define VAL_CAP (256u << 10) /* one value as text; long texts are 5,000 字 */
#define LONG_TEXT 500	     /* textareas this long get a paragraph */
#define CELL_TEXT 600	     /* … except in a table's rows, up to this */
#define GRID_MAX_COLS 8	     /* wider tables are laid out row by row */
#define QR_SIZE 108.0

struct rctx {
	struct xp_pdf *p;
	const struct xp_app_input *in;
	struct xp_vctx v;
	bool kv;     /* a label/value table is open */
	int in_rows; /* laying out a table's rows one by one */
	char part[32];
	const json_t *section;
	struct buf a, b;
	struct buf cell[XP_PDF_MAX_COLS];
};

static const char *bstr(const struct buf *b)
{
	return b->p && b->len ? b->p : "";
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* "1." + "项目服务对象" → "1. 项目服务对象"; "（1）" + "自有数据" → "（1）自有数据". */
static void add_label(struct buf *b, const json_t *f, int depth)
{
	const char *num = xp_number_of(f);
	size_t n = strlen(num);

	/* Two steps of indent at most: deeper ones would eat the label. */
	for (int i = 0; i < depth && i < 2; i++)
		buf_adds(b, "　");
	if (n) {
		char last = num[n - 1];
		buf_adds(b, num);
		if ((last >= '0' && last <= '9') || last == '.')
			buf_adds(b, " ");
	}
	buf_adds(b, xp_label(f));
}

static void kv_open(struct rctx *r)
{
	struct xp_table t = { .ncols = 2, .width = { 0.36, 0.64 } };

	if (r->kv)
		return;
	xp_pdf_table_begin(r->p, &t);
	r->kv = true;
}

static void kv_close(struct rctx *r)
{
	if (!r->kv)
		return;
	xp_pdf_table_end(r->p);
	r->kv = false;
}

static void kv_row(struct rctx *r, const char *label, const char *value)
{
	const char *cells[2] = { label, value && *value ? value : "—" };

	kv_open(r);
	xp_pdf_table_row(r->p, cells, XP_ROW_LABEL);
}

static void kv_caption(struct rctx *r, const char *text)
{
	const char *cells[1] = { text };

	kv_open(r);
	xp_pdf_table_row(r->p, cells, XP_ROW_SPAN | XP_ROW_SHADE | XP_ROW_BOLD);
}

/*
 * Long texts get a heading and paragraphs; in a table's rows (a unit's
 * 核心能力, 600 字) they stay in their cell, kept beside their row.
 */
static bool is_long(const struct rctx *r, const json_t *f)
{
	json_int_t max = json_integer_value(json_object_get(f, "max"));

	return !strcmp(xp_kind(f), "textarea") &&
	       (max > CELL_TEXT || (!r->in_rows && max >= LONG_TEXT));
}

/* A boolean child labelled like its group is the group's check box. */
static const json_t *check_box(const json_t *group)
{
	const json_t *f = json_array_get(json_object_get(group, "fields"), 0);

	if (f && !strcmp(xp_kind(f), "boolean") &&
	    !strcmp(xp_label(f), xp_label(group)))
		return f;
	return NULL;
}

/* Small groups of plain values ("2025 年 … 增速 …") fit on one row. */
static bool compact_group(const json_t *group)
{
	const json_t *fields = json_object_get(group, "fields"), *f;
	size_t i, n = 0;

	json_array_foreach (fields, i, f) {
		const char *k = xp_kind(f);
		/* Lists and texts need a row of their own. */
		if (!xp_scalar(f) || !strcmp(k, "textarea") ||
		    !strcmp(k, "multiselect") || !strcmp(k, "industries"))
			return false;
		n++;
	}
	return n > 0 && n <= 4 + (check_box(group) ? 1 : 0);
}

/* True when nothing under the group needs more than label/value rows. */
static bool flat_group(const struct rctx *r, const json_t *group)
{
	const json_t *f;
	size_t i;

	json_array_foreach (json_object_get(group, "fields"), i, f) {
		if (!strcmp(xp_kind(f), "table") || is_long(r, f))
			return false;
		if (!strcmp(xp_kind(f), "group") && !flat_group(r, f))
			return false;
	}
	return true;
}

static void fields(struct rctx *r, const json_t *list, const json_t *obj,
		   int depth);

static void group_row(struct rctx *r, const json_t *g, const json_t *parent,
		      int depth)
{
	const json_t *obj = json_object_get(parent, xp_key(g));
	const json_t *list = json_object_get(g, "fields"), *f;
	const json_t *box = check_box(g);
	size_t i;
	bool any = false, first = true;

	buf_reset(&r->a);
	add_label(&r->a, g, depth);
	if (*xp_unit(g))
		buf_printf(&r->a, "（%s）", xp_unit(g));
	buf_reset(&r->b);
	if (box) {
		bool on = json_is_true(json_object_get(obj, xp_key(box)));
		if (!on) {
			kv_row(r, bstr(&r->a), "□ 未选");
			return;
		}
		buf_adds(&r->b, "■ ");
	}
	json_array_foreach (list, i, f) {
		if (f == box || !xp_when_holds(f, obj) ||
		    xp_is_other_text(list, f))
			continue;
		buf_printf(&r->b, "%s%s：", first ? "" : "；", xp_label(f));
		first = false;
		if (!xp_filled(json_object_get(obj, xp_key(f)))) {
			buf_adds(&r->b, "—");
			continue;
		}
		xp_value(&r->v, list, f, obj, &r->b);
		any = true;
	}
	kv_row(r, bstr(&r->a), any || box ? bstr(&r->b) : "—");
}

/* "（已填 123 字，限 500 字）" */
static void add_count(struct buf *b, const json_t *f, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = s ? form_count_chars(s, strlen(s)) : 0;
	json_int_t max = json_integer_value(json_object_get(f, "max"));

	if (max > 0)
		buf_printf(b, "（限 %lld 字，已填 %zu 字）", (long long)max, n);
	else
		buf_printf(b, "（已填 %zu 字）", n);
}

/*
 * The part headings of the long texts: a number "二、（一）" opens part
 * 二、, titled by the section's help ("一、项目概述；二、解决方案…").
 */
static void part_heading(struct rctx *r, const json_t *f, const json_t *v,
			 bool *counted)
{
	const char *num = xp_number_of(f), *mark = strstr(num, "、");
	const char *help = str_of(r->section, "help"), *p;
	size_t plen;

	*counted = false;
	if (!mark)
		return;
	plen = (size_t)(mark - num) + strlen("、");
	if (plen >= sizeof(r->part) ||
	    (strlen(r->part) == plen && !strncmp(r->part, num, plen)))
		return;
	memcpy(r->part, num, plen);
	r->part[plen] = '\0';
	buf_reset(&r->a);
	p = help;
	while (*p) {
		/* strstr, not strcspn: "；" is three bytes, not a set of them. */
		const char *semi = strstr(p, "；");
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		if (n >= plen && !strncmp(p, num, plen)) {
			buf_add(&r->a, p, n);
			break;
		}
		if (!semi)
			break;
		p = semi + strlen("；");
	}
	if (!r->a.len) {
		buf_add(&r->a, num, plen);
		buf_adds(&r->a, xp_label(f));
	}
	/* "三、" alone: the part is the text; its heading carries the count. */
	if (!num[plen]) {
		add_count(&r->a, f, v);
		*counted = true;
	}
	xp_pdf_heading(r->p, 2, bstr(&r->a));
}

static void long_text(struct rctx *r, const json_t *f, const json_t *obj)
{
	const json_t *v = json_object_get(obj, xp_key(f));
	bool counted = false;

	kv_close(r);
	part_heading(r, f, v, &counted);
	if (!counted) {
		const char *num = xp_number_of(f), *mark = strstr(num, "、");
		buf_reset(&r->a);
		/* Inside a part the number goes on from "（一）". */
		buf_adds(&r->a, mark ? mark + strlen("、") : num);
		if (!mark && *num)
			buf_adds(&r->a, " ");
		buf_adds(&r->a, xp_label(f));
		add_count(&r->a, f, v);
		xp_pdf_heading(r->p, 3, bstr(&r->a));
	}
	if (xp_filled(v))
		xp_pdf_text(r->p, json_string_value(v), XP_INDENT);
	else
		xp_pdf_text(r->p, "（未填写）", XP_GRAY);
	xp_pdf_space(r->p, 4);
}

static double col_weight(const json_t *f)
{
	const char *k = xp_kind(f);

	/* Identifiers must not wrap: they are read digit by digit. */
	if (!strcmp(k, "id_number") || !strcmp(k, "uscc"))
		return 1.9;
	if (!strcmp(k, "mobile"))
		return 1.4;
	if (!strcmp(k, "textarea"))
		return 1.5;
	if (!strcmp(k, "boolean"))
		return 0.6;
	if (!strcmp(k, "integer") || !strcmp(k, "decimal") ||
	    !strcmp(k, "percent") || !strcmp(k, "date"))
		return 0.9;
	if (!strcmp(k, "text"))
		return 1.2;
	return 1.0;
}

static bool grid_fits(const json_t *cols)
{
	const json_t *f;
	size_t i;

	if (json_array_size(cols) > GRID_MAX_COLS)
		return false;
	json_array_foreach (cols, i, f) {
		const char *k = xp_kind(f);
		if (!xp_scalar(f) || !strcmp(k, "industries") ||
		    (!strcmp(k, "textarea") &&
		     json_integer_value(json_object_get(f, "max")) > 60))
			return false;
	}
	return true;
}

static void grid(struct rctx *r, const json_t *cols, const json_t *rows)
{
	struct xp_table t = { .ncols = (int)json_array_size(cols) + 1 };
	const char *cells[XP_PDF_MAX_COLS];
	const json_t *f, *row;
	size_t i, k;

	t.width[0] = 0.45;
	t.header[0] = "序号";
	t.flags[0] = XP_CENTER;
	json_array_foreach (cols, i, f) {
		t.width[i + 1] = col_weight(f);
		t.header[i + 1] = xp_label(f);
		if (!strcmp(xp_kind(f), "id_number") ||
		    !strcmp(xp_kind(f), "mobile"))
			t.flags[i + 1] = XP_SMALL;
	}
	if (t.ncols > 5)
		t.font_size = 8;
	xp_pdf_table_begin(r->p, &t);
	json_array_foreach (rows, k, row) {
		buf_reset(&r->cell[0]);
		buf_printf(&r->cell[0], "%zu", k + 1);
		cells[0] = bstr(&r->cell[0]);
		json_array_foreach (cols, i, f) {
			buf_reset(&r->cell[i + 1]);
			if (xp_when_holds(f, row))
				xp_value(&r->v, cols, f, row, &r->cell[i + 1]);
			cells[i + 1] = bstr(&r->cell[i + 1]);
		}
		xp_pdf_table_row(r->p, cells, 0);
	}
	xp_pdf_table_end(r->p);
}

/*
 * A table: a grid when its columns are few and short (members, patents),
 * otherwise one label/value block per row (units, cases).
 */
static void table(struct rctx *r, const json_t *cols, const json_t *rows,
		  const char *row_label, int depth)
{
	const json_t *row;
	size_t k;

	kv_close(r);
	if (!json_array_size(rows)) {
		xp_pdf_text(r->p, "（未填写）", XP_GRAY);
		return;
	}
	if (grid_fits(cols)) {
		grid(r, cols, rows);
		return;
	}
	r->in_rows++;
	json_array_foreach (rows, k, row) {
		char h[256];
		snprintf(h, sizeof(h), "%s %zu", row_label, k + 1);
		xp_pdf_heading(r->p, 3, h);
		fields(r, cols, row, depth + 1);
		kv_close(r);
	}
	r->in_rows--;
}

static void table_field(struct rctx *r, const json_t *f, const json_t *obj,
			int depth)
{
	const json_t *rows = json_object_get(obj, xp_key(f));
	size_t n = json_array_size(rows);
	const char *rl = str_of(f, "row_label");

	kv_close(r);
	buf_reset(&r->a);
	add_label(&r->a, f, 0);
	if (*xp_unit(f))
		buf_printf(&r->a, "：%zu %s", n, xp_unit(f));
	else
		buf_printf(&r->a, "（共 %zu 项）", n);
	xp_pdf_heading(r->p, 3, bstr(&r->a));
	table(r, json_object_get(f, "columns"), rows, *rl ? rl : xp_label(f),
	      depth);
}

static void fields(struct rctx *r, const json_t *list, const json_t *obj,
		   int depth)
{
	const json_t *f;
	size_t i;

	json_array_foreach (list, i, f) {
		const char *kind = xp_kind(f);
		if (!xp_when_holds(f, obj) || xp_is_other_text(list, f))
			continue;
		if (!strcmp(kind, "table")) {
			table_field(r, f, obj, depth);
		} else if (!strcmp(kind, "group")) {
			const json_t *v = json_object_get(obj, xp_key(f));
			const json_t *box = check_box(f);
			if (compact_group(f)) {
				group_row(r, f, obj, depth);
				continue;
			}
			buf_reset(&r->a);
			add_label(&r->a, f, flat_group(r, f) ? depth : 0);
			if (flat_group(r, f)) {
				kv_caption(r, bstr(&r->a));
			} else {
				kv_close(r);
				xp_pdf_heading(r->p, 3, bstr(&r->a));
			}
			if (box &&
			    !json_is_true(json_object_get(v, xp_key(box)))) {
				kv_row(r, "　", "□ 未选");
				continue;
			}
			fields(r, json_object_get(f, "fields"), v,
			       flat_group(r, f) ? depth + 1 : 0);
		} else if (is_long(r, f)) {
			long_text(r, f, obj);
		} else {
			buf_reset(&r->a);
			add_label(&r->a, f, depth);
			if (!strcmp(kind, "textarea"))
				add_count(&r->a, f,
					  json_object_get(obj, xp_key(f)));
			buf_reset(&r->b);
			xp_value(&r->v, list, f, obj, &r->b);
			kv_row(r, bstr(&r->a), bstr(&r->b));
		}
	}
}

static void cover(struct rctx *r)
{
	const struct xp_app_input *in = r->in;
	const json_t *doc = in->doc, *basic = json_object_get(doc, "basic");
	const json_t *bfields = json_object_get(
		json_array_get(json_object_get(in->schema, "sections"), 0),
		"fields");
	char t[XP_TIME_MAX], id[32];
	const json_t *f;
	size_t i;

	xp_pdf_space(r->p, 0);
	xp_pdf_title(r->p, str_of(in->schema, "title"), 20);
	xp_pdf_space(r->p, 6);
	xp_pdf_text(r->p, str_of(in->competition, "name"),
		    XP_CENTER | XP_LARGE);
	xp_pdf_space(r->p, 24);

	snprintf(id, sizeof(id), "%lld", (long long)in->id);
	buf_reset(&r->b);
	buf_adds(&r->b, str_of(json_object_get(doc, "project"), "name"));
	kv_row(r, "项目名称", bstr(&r->b));
	kv_row(r, "团队名称", str_of(json_object_get(doc, "team"), "name"));
	kv_row(r, "所属分赛", str_of(in->competition, "name"));
	/* 赛道 and 赛题 as 基础信息 names them, through the catalog. */
	json_array_foreach (bfields, i, f) {
		const char *k = xp_kind(f);
		if (strcmp(k, "track") && strcmp(k, "topic"))
			continue;
		buf_reset(&r->b);
		xp_value(&r->v, bfields, f, basic, &r->b);
		kv_row(r, !strcmp(k, "track") ? "赛道" : "赛题", bstr(&r->b));
	}
	kv_row(r, "牵头单位", str_of(basic, "lead_unit_name"));
	kv_row(r, "报名编号", id);
	kv_row(r, "报名状态", in->status_label);
	kv_row(r, "项目阶段", in->stage_label);
	if (in->return_reason && *in->return_reason)
		kv_row(r, "退回原因", in->return_reason);
	kv_row(r, "提交时间",
	       in->submitted_at ? xp_time_cn(in->submitted_at, t, sizeof(t))
				: "未提交");
	kv_row(r, "最后保存", xp_time_cn(in->updated_at, t, sizeof(t)));
	kv_row(r, "生成时间", xp_time_cn(in->generated_at, t, sizeof(t)));
	kv_close(r);
	xp_pdf_space(r->p, 12);
	if (in->verify_code && in->submitted_at) {
		buf_reset(&r->b);
		buf_printf(&r->b,
			   "提交时间：%s（北京时间）\n验证码：%s\n"
			   "内容摘要（SHA-256）：\n%s\n"
			   "核验方式：扫描右侧二维码，或访问\n%s",
			   xp_time_cn(in->submitted_at, t, sizeof(t)),
			   in->verify_code, in->content_sha256, in->verify_url);
		xp_pdf_qr_block(r->p, in->verify_url, QR_SIZE, bstr(&r->b), 0);
		xp_pdf_space(r->p, 6);
		xp_pdf_text(
			r->p,
			"核验结果显示本申报书对应的报名记录、内容摘要与报名状态；"
			"内容摘要与上方一致，说明本文件与平台中的记录一致。",
			XP_SMALL | XP_GRAY);
	} else if (!strcmp(in->status, "draft")) {
		xp_pdf_text(
			r->p,
			"本文件为草稿，内容可能尚未填写完整，"
			"不能作为正式申报材料。提交后可下载带验证码的正式版本。",
			XP_GRAY);
	}
	if (in->viewer_note && *in->viewer_note) {
		xp_pdf_space(r->p, 6);
		xp_pdf_text(r->p, in->viewer_note, XP_SMALL | XP_GRAY);
	}
}

/* "value.cases[0]" → "已实现落地应用的代表性案例 第 1 项". */
static void row_name(struct rctx *r, const char *path, struct buf *out)
{
	char table[128];
	const char *br = strchr(path, '[');
	const json_t *f;
	size_t n = br ? (size_t)(br - path) : strlen(path);
	long long idx = -1;

	if (n >= sizeof(table))
		return;
	memcpy(table, path, n);
	table[n] = '\0';
	if (br) {
		idx = 0;
		for (const char *p = br + 1; *p >= '0' && *p <= '9'; p++)
			if (idx < 100000)
				idx = idx * 10 + (*p - '0');
	}
	f = xp_schema_field(r->in->schema, table);
	buf_adds(out,
		 f ? (*xp_label(f) ? xp_label(f) : str_of(f, "title")) : table);
	if (idx >= 0)
		buf_printf(out, " 第 %lld 项", idx + 1);
}

static void files_list(struct rctx *r)
{
	struct xp_table t = {
		.ncols = 5,
		.width = { 0.45, 1.7, 2.2, 0.9, 2.6 },
		.flags = { XP_CENTER, 0, 0, 0, XP_MONO | XP_SMALL },
		.header = { "序号", "材料类别", "文件名", "大小", "SHA-256" },
		.font_size = 8.5,
	};
	const json_t *slots = json_object_get(r->in->schema, "attachments");
	const json_t *f, *s;
	const char *cells[5];
	int64_t total = 0;
	size_t i, k;
	char size[32];

	xp_pdf_heading(r->p, 1, "附件清单");
	if (!json_array_size(r->in->files)) {
		xp_pdf_text(r->p, "（尚未上传附件）", XP_GRAY);
		return;
	}
	xp_pdf_table_begin(r->p, &t);
	json_array_foreach (r->in->files, i, f) {
		const char *slot = str_of(f, "slot");
		const char *row = str_of(f, "row");
		for (k = 0; k < 5; k++)
			buf_reset(&r->cell[k]);
		buf_printf(&r->cell[0], "%zu", i + 1);
		json_array_foreach (slots, k, s)
			if (!strcmp(str_of(s, "key"), slot))
				buf_adds(&r->cell[1], str_of(s, "label"));
		if (!r->cell[1].len)
			buf_adds(&r->cell[1], slot);
		if (*row) {
			buf_adds(&r->cell[1], "\n");
			row_name(r, row, &r->cell[1]);
		}
		buf_adds(&r->cell[2], str_of(f, "file_name"));
		total += json_integer_value(json_object_get(f, "size"));
		buf_adds(&r->cell[3],
			 xp_size(json_integer_value(json_object_get(f, "size")),
				 size, sizeof(size)));
		buf_adds(&r->cell[4], str_of(f, "sha256"));
		for (k = 0; k < 5; k++)
			cells[k] = bstr(&r->cell[k]);
		xp_pdf_table_row(r->p, cells, 0);
	}
	xp_pdf_table_end(r->p);
	buf_reset(&r->b);
	buf_printf(&r->b, "共 %zu 个文件，合计 %s。",
		   json_array_size(r->in->files),
		   xp_size(total, size, sizeof(size)));
	xp_pdf_text(r->p, bstr(&r->b), XP_SMALL | XP_GRAY);
}

static void body(struct xp_pdf *p, void *cls)
{
	struct rctx *r = cls;
	const json_t *sec;
	size_t i;

	r->p = p;
	r->kv = false;
	r->part[0] = '\0';
	cover(r);
	xp_pdf_new_page(p);
	json_array_foreach (json_object_get(r->in->schema, "sections"), i,
			    sec) {
		const json_t *v =
			json_object_get(r->in->doc, str_of(sec, "key"));
		const json_t *tab = json_object_get(sec, "table");
		r->section = sec;
		r->part[0] = '\0';
		xp_pdf_heading(p, 1, str_of(sec, "title"));
		if (json_is_object(tab)) {
			const char *rl = str_of(tab, "row_label");
			char n[64];
			snprintf(n, sizeof(n), "共 %zu %s", json_array_size(v),
				 json_integer_value(
					 json_object_get(tab, "max_rows")) <= 5
					 ? "项（最多 5 项）"
					 : "项");
			xp_pdf_text(p, n, XP_SMALL | XP_GRAY);
			table(r, json_object_get(tab, "columns"), v,
			      *rl ? rl : str_of(sec, "title"), 0);
		} else {
			fields(r, json_object_get(sec, "fields"), v, 0);
			kv_close(r);
		}
	}
	files_list(r);
}

int xp_app_pdf(int fd, const struct xp_app_input *in, int *pages_out, char *err,
	       size_t errlen)
{
	struct rctx r = { 0 };
	struct xp_pdf_opts o = { 0 };
	char header[256], footer[64];
	bool draft = !strcmp(in->status, "draft");
	int rc;

	r.in = in;
	r.v.competition = in->competition;
	r.v.industry_names = in->industry_names;
	r.v.checkboxes = true;
	buf_init(&r.a, VAL_CAP);
	buf_init(&r.b, VAL_CAP);
	for (int i = 0; i < XP_PDF_MAX_COLS; i++)
		buf_init(&r.cell[i], VAL_CAP);
	snprintf(header, sizeof(header), "%s · %s%s",
		 str_of(in->schema, "title"),
		 str_of(in->competition, "short_name"), draft ? " · 草稿" : "");
	snprintf(footer, sizeof(footer), "报名编号 %lld", (long long)in->id);
	o.header = header;
	o.footer_note = footer;
	o.watermark = draft ? "草稿" : NULL;
	o.max_pages = in->max_pages;
	o.meta_title = str_of(in->schema, "title");
	rc = xp_pdf_render(fd, &o, body, &r, pages_out, err, errlen);
	buf_release(&r.a);
	buf_release(&r.b);
	for (int i = 0; i < XP_PDF_MAX_COLS; i++)
		buf_release(&r.cell[i]);
	return rc;
}
