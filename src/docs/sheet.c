/* sheet.c: XLSX and CSV exports of applications, with columns from the schema */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sheet.h"
#include "text.h"
#include "values.h"
#include "xlsx.h"
#include "../util/buf.h"
#include "../util/banned.h"

#define MAX_DEPTH 8
#define MAX_SHEETS 16
#define CELL_MAX 32767 /* Excel's longest cell text */
#define VAL_CAP (128u << 10)

struct col {
	const json_t *field;
	const char *key;	     /* xp_key(field), looked up once */
	bool when;		     /* the field has a "when" condition */
	bool numeric;		     /* integer, decimal or percent */
	const json_t *siblings;	     /* its fields list, for xp_value() */
	struct xp_xfield xf;	     /* its schema, read once */
	const char *keys[MAX_DEPTH]; /* from the row's object to its parent */
	int nkeys;
	char *header;
	bool mask; /* an ID or phone number */
	double width;
};

enum sheet_type { SH_APPS, SH_TABLE, SH_FILES, SH_SUMMARY };

struct sheet {
	enum sheet_type type;
	char name[96]; /* at most 31 characters */
	char key[64];
	const char *path[MAX_DEPTH]; /* the table in the document */
	int npath;
	struct col *cols;
	int ncols;
	int nmeta; /* fixed columns before the schema's */
	struct xp_wb_sheet *ws;
	uint32_t row;
	bool on;
};

struct xp_export {
	struct xp_export_opts o;
	struct xp_wb *wb;
	FILE *csv;
	bool csv_first; /* no field written on the current CSV line yet */
	struct sheet sheets[MAX_SHEETS];
	int n;
	struct xp_vctx v;
	struct buf b;
	char *cell; /* CELL_MAX + 2 bytes */
	bool failed;
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

/* "（一）项目基本信息" → "项目基本信息": headers name the part by its words. */
static const char *unnumbered(const char *title)
{
	const char *close = strstr(title, "）");

	if (!strncmp(title, "（", strlen("（")) && close)
		return close + strlen("）");
	return title;
}

static int add_col(struct sheet *s, const json_t *f, const json_t *siblings,
		   const char *const *keys, int nkeys, const char *prefix)
{
	struct col *c;
	struct col *grown;
	const char *unit = xp_unit(f), *kind = xp_kind(f);
	size_t len;

	grown = realloc(s->cols, (size_t)(s->ncols + 1) * sizeof(*s->cols));
	if (!grown)
		return -1;
	s->cols = grown;
	c = &s->cols[s->ncols];
	memset(c, 0, sizeof(*c));
	c->field = f;
	c->key = xp_key(f);
	c->when = json_is_object(json_object_get(f, "when"));
	c->numeric = !strcmp(kind, "integer") || !strcmp(kind, "decimal") ||
		     !strcmp(kind, "percent");
	c->siblings = siblings;
	xp_xfield_init(&c->xf, siblings, f);
	c->nkeys = nkeys;
	for (int i = 0; i < nkeys; i++)
		c->keys[i] = keys[i];
	len = strlen(prefix) + strlen(xp_label(f)) + strlen(unit) + 16;
	c->header = malloc(len);
	if (!c->header)
		return -1;
	if (*unit && strcmp(kind, "percent"))
		snprintf(c->header, len, "%s%s（%s）", prefix, xp_label(f),
			 unit);
	else if (!strcmp(kind, "percent"))
		snprintf(c->header, len, "%s%s（%%）", prefix, xp_label(f));
	else
		snprintf(c->header, len, "%s%s", prefix, xp_label(f));
	/* Sealed at rest (api/applications.c), masked in exports alike. */
	c->mask = !strcmp(kind, "id_number") || !strcmp(kind, "mobile") ||
		  !strcmp(xp_key(f), "contact_phone");
	c->width = !strcmp(kind, "textarea") ? 40 : 16;
	s->ncols++;
	return 0;
}

/* The scalar fields under `fields`, groups flattened, tables left out. */
static int add_fields(struct sheet *s, const json_t *fields, const char **keys,
		      int nkeys, const char *prefix)
{
	const json_t *f;
	size_t i;

	json_array_foreach (fields, i, f) {
		const char *kind = xp_kind(f);
		if (xp_is_other_text(fields, f) || !strcmp(kind, "table"))
			continue;
		if (!strcmp(kind, "group")) {
			char *sub;
			size_t len = strlen(prefix) + strlen(xp_label(f)) + 4;
			int rc;
			if (nkeys >= MAX_DEPTH)
				continue;
			sub = malloc(len);
			if (!sub)
				return -1;
			snprintf(sub, len, "%s%s/", prefix, xp_label(f));
			keys[nkeys] = xp_key(f);
			rc = add_fields(s, json_object_get(f, "fields"), keys,
					nkeys + 1, sub);
			free(sub);
			if (rc < 0)
				return -1;
			continue;
		}
		if (add_col(s, f, fields, (const char *const *)keys, nkeys,
			    prefix) < 0)
			return -1;
	}
	return 0;
}

static struct sheet *new_sheet(struct xp_export *x, enum sheet_type type,
			       const char *name, const char *key)
{
	struct sheet *s;

	if (x->n >= MAX_SHEETS)
		return NULL;
	s = &x->sheets[x->n++];
	memset(s, 0, sizeof(*s));
	s->type = type;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->key, sizeof(s->key), "%s", key);
	return s;
}

/* "专利数量" → "专利": a table's sheet is named by what its rows are. */
static void table_name(const json_t *f, char *out, size_t n)
{
	const char *rl = str_of(f, "row_label"), *label = xp_label(f);
	size_t len;

	snprintf(out, n, "%s", *rl ? rl : label);
	len = strlen(out);
	if (len > strlen("数量") && !strcmp(out + len - strlen("数量"), "数量"))
		out[len - strlen("数量")] = '\0';
}

static int table_sheet(struct xp_export *x, const json_t *columns,
		       const char *name, const char *key, const char **path,
		       int npath)
{
	struct sheet *s = new_sheet(x, SH_TABLE, name, key);
	const char *keys[MAX_DEPTH];

	if (!s)
		return 0;
	for (int i = 0; i < npath; i++)
		s->path[i] = path[i];
	s->npath = npath;
	s->nmeta = 3;
	return add_fields(s, columns, keys, 0, "");
}

/* Finds the table fields inside an object section, at any depth. */
static int find_tables(struct xp_export *x, const json_t *fields,
		       const char **path, int npath)
{
	const json_t *f;
	size_t i;

	json_array_foreach (fields, i, f) {
		const char *kind = xp_kind(f);
		if (npath >= MAX_DEPTH)
			return 0;
		path[npath] = xp_key(f);
		if (!strcmp(kind, "table")) {
			char name[96];
			table_name(f, name, sizeof(name));
			if (table_sheet(x, json_object_get(f, "columns"), name,
					xp_key(f), path, npath + 1) < 0)
				return -1;
		} else if (!strcmp(kind, "group") &&
			   find_tables(x, json_object_get(f, "fields"), path,
				       npath + 1) < 0) {
			return -1;
		}
	}
	return 0;
}

static const char *const summary_meta[] = {
	"报名编号",	    "项目名称", "团队名称", "牵头单位",
	"统一社会信用代码", "赛道",	"赛题",	    "所在地区",
	"单位性质",	    "报名状态", "项目阶段", "技术验证",
	"创建时间",	    "提交时间", "最后保存", "退回原因",
};
#define SUMMARY_COLS (int)(sizeof(summary_meta) / sizeof(summary_meta[0]))

static int build(struct xp_export *x)
{
	const json_t *sections = json_object_get(x->o.schema, "sections"), *sec;
	struct sheet *apps;
	const char *keys[MAX_DEPTH];
	size_t i;

	if (x->o.summary) {
		/* No document is read: the columns beside it, fast. */
		apps = new_sheet(x, SH_SUMMARY, "报名表", "applications");
		apps->nmeta = SUMMARY_COLS;
		return 0;
	}
	apps = new_sheet(x, SH_APPS, "报名表", "applications");

	apps->nmeta = 7;
	json_array_foreach (sections, i, sec) {
		const json_t *tab = json_object_get(sec, "table");
		char prefix[256];
		if (json_is_object(tab))
			continue;
		snprintf(prefix, sizeof(prefix), "%s/",
			 unnumbered(str_of(sec, "title")));
		keys[0] = str_of(sec, "key");
		if (add_fields(apps, json_object_get(sec, "fields"), keys, 1,
			       prefix) < 0)
			return -1;
	}
	json_array_foreach (sections, i, sec) {
		const json_t *tab = json_object_get(sec, "table");
		const char *path[MAX_DEPTH];
		path[0] = str_of(sec, "key");
		if (json_is_object(tab)) {
			const char *rl = str_of(tab, "row_label");
			if (table_sheet(x, json_object_get(tab, "columns"),
					*rl ? rl : str_of(sec, "title"),
					path[0], path, 1) < 0)
				return -1;
		} else if (find_tables(x, json_object_get(sec, "fields"), path,
				       1) < 0) {
			return -1;
		}
	}
	new_sheet(x, SH_FILES, "附件", "attachments");
	return 0;
}

bool xp_export_has_sheet(const json_t *schema, const char *name)
{
	struct xp_export x = { .o.schema = schema };
	bool found = false;

	if (!name)
		return false;
	if (build(&x) == 0)
		for (int i = 0; i < x.n; i++)
			if (!strcmp(x.sheets[i].key, name))
				found = true;
	for (int i = 0; i < x.n; i++) {
		for (int k = 0; k < x.sheets[i].ncols; k++)
			free(x.sheets[i].cols[k].header);
		free(x.sheets[i].cols);
	}
	return found;
}

/* ---- writing cells ---------------------------------------------------- */

static void put_text(struct xp_export *x, struct sheet *s, int col,
		     const char *text)
{
	if (!s->on || x->failed)
		return;
	if (!x->csv) {
		size_t len = text ? strlen(text) : 0;
		if (!len)
			return;
		/* Most cells need neither the quote nor the cut: no copy. */
		if (len <= CELL_MAX && !xp_cell_dangerous(text)) {
			if (xp_wb_stringn(s->ws, s->row, (unsigned)col, text,
					  len, XP_WB_PLAIN) < 0)
				x->failed = true;
			return;
		}
	}
	xp_cell_neutral(text ? text : "", x->cell, CELL_MAX + 1);
	if (x->csv) {
		if ((!x->csv_first && putc(',', x->csv) == EOF) ||
		    xp_csv_field(x->csv, x->cell) < 0)
			x->failed = true;
		x->csv_first = false;
		return;
	}
	if (!*x->cell)
		return;
	if (xp_wb_string(s->ws, s->row, (unsigned)col, x->cell, XP_WB_PLAIN) <
	    0)
		x->failed = true;
}

static void put_number(struct xp_export *x, struct sheet *s, int col, double v)
{
	char n[64];

	if (!s->on || x->failed)
		return;
	if (x->csv) {
		put_text(x, s, col, xp_number(v, n, sizeof(n)));
		return;
	}
	if (xp_wb_number(s->ws, s->row, (unsigned)col, v) < 0)
		x->failed = true;
}

static void put_int(struct xp_export *x, struct sheet *s, int col, int64_t v)
{
	put_number(x, s, col, (double)v);
}

static void end_row(struct xp_export *x, struct sheet *s)
{
	if (!s->on || x->failed)
		return;
	if (x->csv) {
		if (fputs("\r\n", x->csv) == EOF)
			x->failed = true;
		x->csv_first = true;
		return;
	}
	s->row++;
}

static void header_row(struct xp_export *x, struct sheet *s)
{
	static const char *const apps_meta[] = { "报名编号", "报名状态",
						 "项目阶段", "技术验证",
						 "创建时间", "提交时间",
						 "退回原因" };
	static const char *const table_meta[] = { "报名编号", "项目名称",
						  "序号" };
	static const char *const files_meta[] = {
		"报名编号",	"项目名称", "材料类别", "关联",	   "文件名",
		"大小（字节）", "类型",	    "SHA-256",	"上传时间"
	};
	const char *const *meta = s->type == SH_APPS	  ? apps_meta
				  : s->type == SH_TABLE	  ? table_meta
				  : s->type == SH_SUMMARY ? summary_meta
							  : files_meta;
	int nmeta = s->type == SH_FILES ? 9 : s->nmeta;

	if (!s->on)
		return;
	if (!x->csv) {
		/* The sheet's set-up goes before its first cell. */
		if (xp_wb_set_cols(s->ws, 0, (unsigned)(nmeta - 1), 14) < 0)
			x->failed = true;
		for (int i = 0; i < s->ncols; i++) {
			unsigned c = (unsigned)(nmeta + i);
			if (xp_wb_set_cols(s->ws, c, c, s->cols[i].width) < 0)
				x->failed = true;
		}
		xp_wb_freeze_top_row(s->ws);
		for (int i = 0; i < nmeta && !x->failed; i++)
			if (xp_wb_string(s->ws, 0, (unsigned)i, meta[i],
					 XP_WB_HEAD) < 0)
				x->failed = true;
		for (int i = 0; i < s->ncols && !x->failed; i++)
			if (xp_wb_string(s->ws, 0, (unsigned)(nmeta + i),
					 s->cols[i].header, XP_WB_HEAD) < 0)
				x->failed = true;
		s->row = 1;
		return;
	}
	for (int i = 0; i < nmeta; i++)
		put_text(x, s, i, meta[i]);
	for (int i = 0; i < s->ncols; i++)
		put_text(x, s, nmeta + i, s->cols[i].header);
	end_row(x, s);
}

struct xp_export *xp_export_open(const struct xp_export_opts *o, char *err,
				 size_t errlen)
{
	struct xp_export *x = calloc(1, sizeof(*x));

	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->o = *o;
	x->v.competition = o->competition;
	x->v.industry_names = o->industry_names;
	x->csv_first = true;
	buf_init(&x->b, VAL_CAP);
	x->cell = malloc(CELL_MAX + 2);
	if (!x->cell || build(x) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (o->format == XP_CSV) {
		int i;
		for (i = 0; i < x->n; i++)
			if (o->sheet && !strcmp(x->sheets[i].key, o->sheet))
				x->sheets[i].on = true;
		x->csv = fopen(o->path, "wb");
		if (!x->csv) {
			snprintf(err, errlen, "cannot create '%s'", o->path);
			goto fail;
		}
		/* The BOM makes Excel read the file as UTF-8. */
		fputs("\xEF\xBB\xBF", x->csv);
	} else {
		x->wb = xp_wb_open(o->path, o->tmpdir, err, errlen);
		if (!x->wb)
			goto fail;
		if (o->note && *o->note &&
		    xp_wb_set_props(x->wb, "报名数据导出", o->note) < 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		for (int i = 0; i < x->n; i++) {
			struct sheet *s = &x->sheets[i];
			char why[128];
			s->on = true;
			s->ws = xp_wb_add_sheet(x->wb, s->name, why,
						sizeof(why));
			if (!s->ws) {
				/* A name Excel refuses: fall back to a plain one. */
				char alt[32];
				snprintf(alt, sizeof(alt), "Sheet%d", i + 1);
				s->ws = xp_wb_add_sheet(x->wb, alt, err,
							errlen);
			}
			if (!s->ws)
				goto fail;
			if (o->note && *o->note) {
				char h[256];
				/* The writer doubles "&", which opens a code. */
				snprintf(h, sizeof(h), "%.200s", o->note);
				if (xp_wb_set_header(s->ws, h) < 0)
					x->failed = true;
			}
		}
	}
	for (int i = 0; i < x->n; i++)
		header_row(x, &x->sheets[i]);
	if (x->failed) {
		snprintf(err, errlen, "cannot write the header rows");
		goto fail;
	}
	return x;
fail:
	xp_export_close(x, NULL, 0);
	return NULL;
}

/* Follows keys from obj; NULL when a step is missing. */
static const struct xj *walk(const struct xj *obj, const char *const *keys,
			     int n)
{
	for (int i = 0; i < n && obj; i++)
		obj = xj_get(obj, keys[i]);
	return obj;
}

static bool same_keys(const struct col *a, const struct col *b)
{
	if (a->nkeys != b->nkeys)
		return false;
	for (int i = 0; i < a->nkeys; i++)
		if (a->keys[i] != b->keys[i])
			return false;
	return true;
}

static void put_fields(struct xp_export *x, struct sheet *s,
		       const struct xj *obj)
{
	const struct col *prev = NULL;
	const struct xj *parent = NULL;
	uint32_t from = 0; /* where the last column was found in parent */

	for (int i = 0; i < s->ncols; i++) {
		const struct col *c = &s->cols[i];
		const struct xj *v;
		int at = s->nmeta + i;
		double d;

		/* Neighbours share their group: its object is looked up once. */
		if (!prev || !same_keys(prev, c)) {
			parent = walk(obj, c->keys, c->nkeys);
			from = 0;
		}
		prev = c;
		v = xj_getn_at(parent, c->xf.key, c->xf.keylen, &from);

		if (!parent || (c->when && !xp_xwhen_holds(&c->xf, parent)) ||
		    !xp_xfilled(v)) {
			put_text(x, s, at, "");
			continue;
		}
		if (c->mask && xj_str(v) && !x->o.unmask) {
			char m[128];
			put_text(x, s, at, xp_mask(v->u.s, m, sizeof(m)));
			continue;
		}
		if (c->numeric && xp_xvalue_number(&c->xf, v, &d)) {
			put_number(x, s, at, d);
			continue;
		}
		buf_reset(&x->b);
		xp_xvalue(&x->v, &c->xf, parent, v, &x->b);
		put_text(x, s, at, bstr(&x->b));
	}
	end_row(x, s);
}

static void summary_row(struct xp_export *x, struct sheet *s,
			const struct xp_app_meta *m)
{
	char t[XP_TIME_MAX], topic[320] = "";
	const char *prov = xp_province(m->region);

	if (m->topic_no)
		snprintf(topic, sizeof(topic), "赛题%lld：%s",
			 (long long)m->topic_no,
			 m->topic_title ? m->topic_title : "");
	put_int(x, s, 0, m->id);
	put_text(x, s, 1, m->project_name);
	put_text(x, s, 2, m->team_name);
	put_text(x, s, 3, m->lead_unit_name);
	put_text(x, s, 4, m->lead_uscc);
	put_text(x, s, 5, m->track_name);
	put_text(x, s, 6, topic);
	if (prov && m->region && strlen(m->region) == 6) {
		char region[96];
		snprintf(region, sizeof(region), "%s（%s）", prov, m->region);
		put_text(x, s, 7, region);
	} else {
		put_text(x, s, 7, m->region);
	}
	put_text(x, s, 8, m->lead_nature);
	put_text(x, s, 9, m->status_label);
	put_text(x, s, 10, m->stage_label);
	put_text(x, s, 11, m->tech_label);
	put_text(x, s, 12, xp_time_cn(m->created_at, t, sizeof(t)));
	put_text(x, s, 13, xp_time_cn(m->submitted_at, t, sizeof(t)));
	put_text(x, s, 14, xp_time_cn(m->updated_at, t, sizeof(t)));
	put_text(x, s, 15, m->return_reason);
	end_row(x, s);
}

int xp_export_app(struct xp_export *x, const struct xp_app_meta *m,
		  const struct xj *doc)
{
	char t[XP_TIME_MAX];
	const char *project = xj_str(xj_get(xj_get(doc, "project"), "name"));

	for (int i = 0; i < x->n && !x->failed; i++) {
		struct sheet *s = &x->sheets[i];
		if (!s->on)
			continue;
		if (s->type == SH_SUMMARY) {
			summary_row(x, s, m);
		} else if (s->type == SH_APPS) {
			put_int(x, s, 0, m->id);
			put_text(x, s, 1, m->status_label);
			put_text(x, s, 2, m->stage_label);
			put_text(x, s, 3, m->tech_label);
			put_text(x, s, 4,
				 xp_time_cn(m->created_at, t, sizeof(t)));
			put_text(x, s, 5,
				 xp_time_cn(m->submitted_at, t, sizeof(t)));
			put_text(x, s, 6, m->return_reason);
			put_fields(x, s, doc);
		} else if (s->type == SH_TABLE) {
			const struct xj *rows = walk(doc, s->path, s->npath);
			for (uint32_t k = 0;
			     xj_is(rows, XJ_ARRAY) && k < rows->n; k++) {
				const struct xj *row = &rows->u.kids[k];
				if (!xj_is(row, XJ_OBJECT))
					continue;
				put_int(x, s, 0, m->id);
				put_text(x, s, 1, project);
				put_int(x, s, 2, (int64_t)k + 1);
				put_fields(x, s, row);
			}
		}
	}
	return x->failed ? -1 : 0;
}

/* "value.cases[0]" → "已实现落地应用的代表性案例 第 1 项". */
static void row_name(struct xp_export *x, const char *row, struct buf *b)
{
	char path[128];
	size_t n = strcspn(row, "[");
	const json_t *f;
	long long idx = -1;

	if (n >= sizeof(path)) {
		buf_adds(b, row);
		return;
	}
	memcpy(path, row, n);
	path[n] = '\0';
	if (row[n] == '[') {
		idx = 0;
		for (const char *p = row + n + 1; *p >= '0' && *p <= '9'; p++)
			if (idx < 100000)
				idx = idx * 10 + (*p - '0');
	}
	f = xp_schema_field(x->o.schema, path);
	buf_adds(b,
		 f ? (*xp_label(f) ? xp_label(f) : str_of(f, "title")) : path);
	if (idx >= 0)
		buf_printf(b, " 第 %lld 项", idx + 1);
}

int xp_export_file(struct xp_export *x, const struct xp_file_meta *f)
{
	struct sheet *s = &x->sheets[x->n - 1];
	const json_t *slot;
	const char *label = f->slot;
	char t[XP_TIME_MAX];
	size_t i;

	if (!s->on || s->type != SH_FILES)
		return x->failed ? -1 : 0;
	json_array_foreach (x->o.slots, i, slot)
		if (!strcmp(str_of(slot, "key"), f->slot))
			label = str_of(slot, "label");
	put_int(x, s, 0, f->application_id);
	put_text(x, s, 1, f->project_name);
	put_text(x, s, 2, label);
	buf_reset(&x->b);
	if (f->row && *f->row)
		row_name(x, f->row, &x->b);
	put_text(x, s, 3, bstr(&x->b));
	put_text(x, s, 4, f->file_name);
	put_int(x, s, 5, f->size);
	put_text(x, s, 6, f->kind);
	put_text(x, s, 7, f->sha256);
	put_text(x, s, 8, xp_time_cn(f->uploaded_at, t, sizeof(t)));
	end_row(x, s);
	return x->failed ? -1 : 0;
}

int xp_export_close(struct xp_export *x, char *err, size_t errlen)
{
	int rc;

	if (!x)
		return -1;
	rc = x->failed ? -1 : 0;
	if (rc < 0 && err)
		snprintf(err, errlen, "cannot write the export");
	if (x->wb) {
		char why[256];
		if (rc < 0) {
			xp_wb_abort(x->wb);
		} else if (xp_wb_close(x->wb, why, sizeof(why)) < 0) {
			rc = -1;
			if (err)
				snprintf(err, errlen, "%s", why);
		}
	}
	if (x->csv && fclose(x->csv) != 0 && rc == 0) {
		rc = -1;
		if (err)
			snprintf(err, errlen, "cannot write the csv file");
	}
	for (int i = 0; i < x->n; i++) {
		for (int k = 0; k < x->sheets[i].ncols; k++)
			free(x->sheets[i].cols[k].header);
		free(x->sheets[i].cols);
	}
	buf_release(&x->b);
	free(x->cell);
	free(x);
	return rc;
}
