/* values.c: a document's values as the text people read, after its schema */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "values.h"
#include "text.h"
#include "../util/banned.h"

/* Lists with more options than this show only what was chosen. */
#define CHECKBOX_MAX_OPTIONS 12

static const char *str_of(const json_t *field, const char *key)
{
	const char *s = json_string_value(json_object_get(field, key));
	return s ? s : "";
}

const char *xp_kind(const json_t *field)
{
	return str_of(field, "kind");
}

const char *xp_key(const json_t *field)
{
	return str_of(field, "key");
}

const char *xp_label(const json_t *field)
{
	return str_of(field, "label");
}

const char *xp_number_of(const json_t *field)
{
	return str_of(field, "number");
}

const char *xp_unit(const json_t *field)
{
	return str_of(field, "unit");
}

bool xp_scalar(const json_t *field)
{
	const char *k = xp_kind(field);
	return *k && strcmp(k, "group") && strcmp(k, "table");
}

bool xp_filled(const json_t *v)
{
	if (!v || json_is_null(v))
		return false;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		return *s != '\0';
	}
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	return true;
}

bool xp_when_holds(const json_t *field, const json_t *obj)
{
	const json_t *w = json_object_get(field, "when"), *x, *v;
	size_t i;

	if (!json_is_object(w))
		return true;
	v = json_object_get(obj, str_of(w, "field"));
	if ((x = json_object_get(w, "equals")))
		return v && json_equal(v, x);
	if ((x = json_object_get(w, "in"))) {
		const json_t *o;
		json_array_foreach (x, i, o)
			if (v && json_equal(v, o))
				return true;
		return false;
	}
	if ((x = json_object_get(w, "is_true")))
		return json_is_true(x) ? json_is_true(v) : !json_is_true(v);
	return true;
}

bool xp_is_other_text(const json_t *fields, const json_t *field)
{
	const json_t *f;
	size_t i;

	json_array_foreach (fields, i, f) {
		const char *ok =
			json_string_value(json_object_get(f, "other_key"));
		if (ok && !strcmp(ok, xp_key(field)))
			return true;
	}
	return false;
}

static const json_t *sibling_of_kind(const json_t *fields, const char *kind)
{
	const json_t *f;
	size_t i;

	json_array_foreach (fields, i, f)
		if (!strcmp(xp_kind(f), kind))
			return f;
	return NULL;
}

static int add_number(struct buf *b, const json_t *v)
{
	char n[64];

	if (json_is_integer(v))
		return buf_printf(b, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return buf_adds(b, xp_number(json_real_value(v), n, sizeof(n)));
	if (json_is_string(v))
		return buf_adds(b, json_string_value(v));
	return 0;
}

/* Every option of a choice, groups flattened, in order. */
static void options_of(const json_t *field, const json_t **list, size_t *n,
		       size_t max)
{
	const json_t *opts = json_object_get(field, "options"), *g, *o;
	size_t i, k;

	*n = 0;
	if (json_is_array(opts)) {
		json_array_foreach (opts, i, o)
			if (*n < max)
				list[(*n)++] = o;
		return;
	}
	json_array_foreach (json_object_get(field, "groups"), i, g)
		json_array_foreach (json_object_get(g, "options"), k, o)
			if (*n < max)
				list[(*n)++] = o;
}

static bool in_array(const json_t *arr, const char *s)
{
	const json_t *o;
	size_t i;

	json_array_foreach (arr, i, o)
		if (json_is_string(o) && !strcmp(json_string_value(o), s))
			return true;
	return false;
}

/* Appends one chosen option, with its "其他" text when it is the other one. */
static int add_choice(struct buf *b, const json_t *field, const json_t *obj,
		      const char *opt)
{
	const char *other = json_string_value(json_object_get(field, "other"));
	const char *key =
		json_string_value(json_object_get(field, "other_key"));
	const char *text = key ? json_string_value(json_object_get(obj, key))
			       : NULL;

	if (buf_adds(b, opt) < 0)
		return -1;
	if (other && key && !strcmp(opt, other) && text && *text)
		return buf_printf(b, "（%s）", text);
	return 0;
}

static int add_multi(const struct xp_vctx *c, struct buf *b,
		     const json_t *field, const json_t *obj, const json_t *v)
{
	const json_t *opts[256], *o;
	size_t n, i;
	bool first = true;

	options_of(field, opts, &n, sizeof(opts) / sizeof(opts[0]));
	if (c->checkboxes && n > 0 && n <= CHECKBOX_MAX_OPTIONS) {
		for (i = 0; i < n; i++) {
			const char *s = json_string_value(opts[i]);
			bool on = s && in_array(v, s);
			if (!s)
				continue;
			if (buf_adds(b, first ? "" : "　") < 0 ||
			    buf_adds(b, on ? "■ " : "□ ") < 0 ||
			    (on ? add_choice(b, field, obj, s)
				: buf_adds(b, s)) < 0)
				return -1;
			first = false;
		}
		return 0;
	}
	json_array_foreach (v, i, o) {
		if (!json_is_string(o))
			continue;
		if (buf_adds(b, first ? "" : "、") < 0 ||
		    add_choice(b, field, obj, json_string_value(o)) < 0)
			return -1;
		first = false;
	}
	return 0;
}

/* Item i of an industries list: its code and, when known, its name. */
static int add_industry(const struct xp_vctx *c, struct buf *b, size_t i,
			const char *code)
{
	const char *name = code && c->industry_names
				   ? json_string_value(json_object_get(
					     c->industry_names, code))
				   : NULL;

	if (!code)
		return 0;
	/* Names hold "、" themselves: "；" separates them. */
	return buf_printf(b, "%s%s%s%s", i ? "；" : "", code, name ? " " : "",
			  name ? name : "");
}

static const json_t *track_of(const json_t *comp, const char *key)
{
	const json_t *t;
	size_t i;

	json_array_foreach (json_object_get(comp, "tracks"), i, t)
		if (key && !strcmp(str_of(t, "key"), key))
			return t;
	return NULL;
}

int xp_value(const struct xp_vctx *c, const json_t *fields, const json_t *field,
	     const json_t *obj, struct buf *b)
{
	const char *kind = xp_kind(field), *unit = xp_unit(field);
	const json_t *v = json_object_get(obj, xp_key(field)), *o;
	size_t i;

	if (!xp_filled(v))
		return 0;
	if (!strcmp(kind, "integer") || !strcmp(kind, "decimal")) {
		if (add_number(b, v) < 0)
			return -1;
		return *unit ? buf_printf(b, " %s", unit) : 0;
	}
	if (!strcmp(kind, "percent"))
		return add_number(b, v) < 0 ? -1 : buf_adds(b, "%");
	if (!strcmp(kind, "boolean"))
		return buf_adds(b, json_is_true(v) ? "是" : "否");
	if (!strcmp(kind, "select") && json_is_string(v))
		return add_choice(b, field, obj, json_string_value(v));
	if (!strcmp(kind, "multiselect") && json_is_array(v))
		return add_multi(c, b, field, obj, v);
	if (!strcmp(kind, "year_month_range")) {
		const char *s = json_string_value(json_object_get(v, "start"));
		const char *e = json_string_value(json_object_get(v, "end"));
		return buf_printf(b, "%s 至 %s", s ? s : "—", e ? e : "—");
	}
	if (!strcmp(kind, "region") && json_is_array(v)) {
		const char *first = json_string_value(json_array_get(v, 0));
		const char *last = json_string_value(
			json_array_get(v, json_array_size(v) - 1));
		const char *prov = xp_province(first);
		/* Only provinces have names here; the code says the rest. */
		return buf_printf(b, "%s（行政区划代码 %s）", prov ? prov : "—",
				  last ? last : "");
	}
	if (!strcmp(kind, "industries") && json_is_array(v)) {
		json_array_foreach (v, i, o)
			if (add_industry(c, b, i, json_string_value(o)) < 0)
				return -1;
		return 0;
	}
	if (!strcmp(kind, "competition") && c->competition &&
	    json_is_string(v) &&
	    !strcmp(json_string_value(v), str_of(c->competition, "slug")))
		return buf_adds(b, str_of(c->competition, "name"));
	if (!strcmp(kind, "track") && json_is_string(v)) {
		const json_t *t =
			track_of(c->competition, json_string_value(v));
		if (t)
			return buf_adds(b, *str_of(t, "heading")
						   ? str_of(t, "heading")
						   : str_of(t, "name"));
		return buf_adds(b, json_string_value(v));
	}
	if (!strcmp(kind, "topic") && json_is_integer(v)) {
		const json_t *tf = sibling_of_kind(fields, "track");
		const json_t *t =
			tf ? track_of(c->competition,
				      json_string_value(
					      json_object_get(obj, xp_key(tf))))
			   : NULL;
		json_array_foreach (json_object_get(t, "topics"), i, o)
			if (json_integer_value(json_object_get(o, "no")) ==
			    json_integer_value(v))
				return buf_printf(
					b, "赛题%lld：%s",
					(long long)json_integer_value(v),
					str_of(o, "title"));
		return buf_printf(b, "赛题%lld",
				  (long long)json_integer_value(v));
	}
	if (json_is_string(v))
		return buf_adds(b, json_string_value(v));
	if (json_is_number(v))
		return add_number(b, v);
	/* A value of an unexpected type is shown as it is stored. */
	{
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		int rc = s ? buf_adds(b, s) : -1;
		free(s);
		return rc;
	}
}

/* A number the document holds as text: all of it a finite number. */
static bool number_text(const char *s, double *out)
{
	char *end;
	double d;

	if (!*s)
		return false;
	d = strtod(s, &end);
	if (*end || !isfinite(d))
		return false;
	*out = d;
	return true;
}

bool xp_value_number(const json_t *field, const json_t *value, double *out)
{
	const char *kind = xp_kind(field);

	if (strcmp(kind, "integer") && strcmp(kind, "decimal") &&
	    strcmp(kind, "percent"))
		return false;
	if (json_is_number(value)) {
		*out = json_number_value(value);
		return true;
	}
	if (json_is_string(value))
		return number_text(json_string_value(value), out);
	return false;
}

/*
 * ---- the same for documents parsed by jscan.h ----------------------------
 *
 * Each function below mirrors the jansson one above it for the exports,
 * which read the documents as struct xj: a change to one is made to both
 * (tests/unit/test_docs.c compares them on the same values).
 */

void xp_xfield_init(struct xp_xfield *f, const json_t *fields,
		    const json_t *field)
{
	static const struct {
		const char *name;
		enum xp_xkind kind;
	} kinds[] = {
		{ "integer", XK_INTEGER },
		{ "decimal", XK_DECIMAL },
		{ "percent", XK_PERCENT },
		{ "boolean", XK_BOOLEAN },
		{ "select", XK_SELECT },
		{ "multiselect", XK_MULTISELECT },
		{ "year_month_range", XK_YEAR_MONTH_RANGE },
		{ "region", XK_REGION },
		{ "industries", XK_INDUSTRIES },
		{ "competition", XK_COMPETITION },
		{ "track", XK_TRACK },
		{ "topic", XK_TOPIC },
	};
	const char *kind = xp_kind(field);
	const json_t *w = json_object_get(field, "when");
	const json_t *tf = sibling_of_kind(fields, "track");

	memset(f, 0, sizeof(*f));
	f->field = field;
	f->fields = fields;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].name))
			f->kind = kinds[i].kind;
	f->key = xp_key(field);
	f->keylen = strlen(f->key);
	f->unit = xp_unit(field);
	f->other = json_string_value(json_object_get(field, "other"));
	f->other_key = json_string_value(json_object_get(field, "other_key"));
	f->track_key = tf ? xp_key(tf) : NULL;
	f->when = json_is_object(w);
	if (f->when) {
		f->when_field = str_of(w, "field");
		f->when_equals = json_object_get(w, "equals");
		f->when_in = json_object_get(w, "in");
		f->when_is_true = json_object_get(w, "is_true");
	}
}

bool xp_xfilled(const struct xj *v)
{
	if (!v || v->type == XJ_NULL)
		return false;
	if (v->type == XJ_STRING) {
		const char *s = v->u.s;
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		return *s != '\0';
	}
	if (v->type == XJ_ARRAY || v->type == XJ_OBJECT)
		return v->n > 0;
	return true;
}

bool xp_xwhen_holds(const struct xp_xfield *f, const struct xj *obj)
{
	const struct xj *v;
	const json_t *o;
	size_t i;

	if (!f->when)
		return true;
	v = xj_get(obj, f->when_field);
	if (f->when_equals)
		return v && xj_equal_json(v, f->when_equals);
	if (f->when_in) {
		json_array_foreach (f->when_in, i, o)
			if (v && xj_equal_json(v, o))
				return true;
		return false;
	}
	if (f->when_is_true)
		return json_is_true(f->when_is_true) ? xj_is(v, XJ_TRUE)
						     : !xj_is(v, XJ_TRUE);
	return true;
}

static int xadd_number(struct buf *b, const struct xj *v)
{
	char n[64];

	if (xj_is(v, XJ_INT))
		return buf_printf(b, "%lld", v->u.i);
	if (xj_is(v, XJ_REAL))
		return buf_adds(b, xp_number(v->u.d, n, sizeof(n)));
	if (xj_is(v, XJ_STRING))
		return buf_adds(b, v->u.s);
	return 0;
}

static bool xin_array(const struct xj *arr, const char *s)
{
	for (uint32_t i = 0; xj_is(arr, XJ_ARRAY) && i < arr->n; i++)
		if (xj_str(&arr->u.kids[i]) && !strcmp(arr->u.kids[i].u.s, s))
			return true;
	return false;
}

static int xadd_choice(struct buf *b, const struct xp_xfield *f,
		       const struct xj *obj, const char *opt)
{
	const char *text = f->other_key ? xj_str(xj_get(obj, f->other_key))
					: NULL;

	if (buf_adds(b, opt) < 0)
		return -1;
	if (f->other && f->other_key && !strcmp(opt, f->other) && text && *text)
		return buf_printf(b, "（%s）", text);
	return 0;
}

static int xadd_multi(const struct xp_vctx *c, struct buf *b,
		      const struct xp_xfield *f, const struct xj *obj,
		      const struct xj *v)
{
	const json_t *opts[256];
	size_t n, i;
	bool first = true;

	options_of(f->field, opts, &n, sizeof(opts) / sizeof(opts[0]));
	if (c->checkboxes && n > 0 && n <= CHECKBOX_MAX_OPTIONS) {
		for (i = 0; i < n; i++) {
			const char *s = json_string_value(opts[i]);
			bool on = s && xin_array(v, s);
			if (!s)
				continue;
			if (buf_adds(b, first ? "" : "　") < 0 ||
			    buf_adds(b, on ? "■ " : "□ ") < 0 ||
			    (on ? xadd_choice(b, f, obj, s) : buf_adds(b, s)) <
				    0)
				return -1;
			first = false;
		}
		return 0;
	}
	for (i = 0; i < v->n; i++) {
		const char *s = xj_str(&v->u.kids[i]);
		if (!s)
			continue;
		if (buf_adds(b, first ? "" : "、") < 0 ||
		    xadd_choice(b, f, obj, s) < 0)
			return -1;
		first = false;
	}
	return 0;
}

int xp_xvalue(const struct xp_vctx *c, const struct xp_xfield *f,
	      const struct xj *obj, const struct xj *v, struct buf *b)
{
	enum xp_xkind kind = f->kind;
	const json_t *o;
	size_t i;

	if (!xp_xfilled(v))
		return 0;
	if (kind == XK_INTEGER || kind == XK_DECIMAL) {
		if (xadd_number(b, v) < 0)
			return -1;
		return *f->unit ? buf_printf(b, " %s", f->unit) : 0;
	}
	if (kind == XK_PERCENT)
		return xadd_number(b, v) < 0 ? -1 : buf_adds(b, "%");
	if (kind == XK_BOOLEAN)
		return buf_adds(b, xj_is(v, XJ_TRUE) ? "是" : "否");
	if (kind == XK_SELECT && xj_str(v))
		return xadd_choice(b, f, obj, v->u.s);
	if (kind == XK_MULTISELECT && xj_is(v, XJ_ARRAY))
		return xadd_multi(c, b, f, obj, v);
	if (kind == XK_YEAR_MONTH_RANGE) {
		const char *s = xj_str(xj_get(v, "start"));
		const char *e = xj_str(xj_get(v, "end"));
		return buf_printf(b, "%s 至 %s", s ? s : "—", e ? e : "—");
	}
	if (kind == XK_REGION && xj_is(v, XJ_ARRAY)) {
		/* Filled: at least one item. */
		const char *first = xj_str(&v->u.kids[0]);
		const char *last = xj_str(&v->u.kids[v->n - 1]);
		const char *prov = xp_province(first);
		return buf_printf(b, "%s（行政区划代码 %s）", prov ? prov : "—",
				  last ? last : "");
	}
	if (kind == XK_INDUSTRIES && xj_is(v, XJ_ARRAY)) {
		for (i = 0; i < v->n; i++)
			if (add_industry(c, b, i, xj_str(&v->u.kids[i])) < 0)
				return -1;
		return 0;
	}
	if (kind == XK_COMPETITION && c->competition && xj_str(v) &&
	    !strcmp(v->u.s, str_of(c->competition, "slug")))
		return buf_adds(b, str_of(c->competition, "name"));
	if (kind == XK_TRACK && xj_str(v)) {
		const json_t *t = track_of(c->competition, v->u.s);
		if (t)
			return buf_adds(b, *str_of(t, "heading")
						   ? str_of(t, "heading")
						   : str_of(t, "name"));
		return buf_adds(b, v->u.s);
	}
	if (kind == XK_TOPIC && xj_is(v, XJ_INT)) {
		const json_t *t =
			f->track_key
				? track_of(c->competition,
					   xj_str(xj_get(obj, f->track_key)))
				: NULL;
		json_array_foreach (json_object_get(t, "topics"), i, o)
			if (json_integer_value(json_object_get(o, "no")) ==
			    v->u.i)
				return buf_printf(b, "赛题%lld：%s", v->u.i,
						  str_of(o, "title"));
		return buf_printf(b, "赛题%lld", v->u.i);
	}
	if (xj_str(v))
		return buf_adds(b, v->u.s);
	if (xj_is_number(v))
		return xadd_number(b, v);
	/* A value of an unexpected type is shown as it is stored. */
	return xj_dump(v, b);
}

bool xp_xvalue_number(const struct xp_xfield *f, const struct xj *value,
		      double *out)
{
	if (f->kind != XK_INTEGER && f->kind != XK_DECIMAL &&
	    f->kind != XK_PERCENT)
		return false;
	if (xj_is(value, XJ_INT)) {
		*out = (double)value->u.i;
		return true;
	}
	if (xj_is(value, XJ_REAL)) {
		*out = value->u.d;
		return true;
	}
	if (xj_str(value))
		return number_text(value->u.s, out);
	return false;
}

json_t *xp_industry_names(const json_t *gbt)
{
	json_t *out = json_object();
	const json_t *s, *d, *g;
	size_t i, j, k;

	if (!out)
		return NULL;
	json_array_foreach (json_object_get(gbt, "sections"), i, s)
		json_array_foreach (json_object_get(s, "divisions"), j, d)
			json_array_foreach (json_object_get(d, "groups"), k,
					    g) {
				const char *code = str_of(g, "code");
				if (*code)
					json_object_set_new(
						out, code,
						json_string(str_of(g, "name")));
			}
	return out;
}

const json_t *xp_schema_field(const json_t *schema, const char *path)
{
	const json_t *list = json_object_get(schema, "sections"), *f = NULL;
	bool section = true;
	char key[64];

	while (*path) {
		size_t n = strcspn(path, ".");
		const json_t *x, *found = NULL;
		size_t i;

		if (n == 0 || n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		json_array_foreach (list, i, x)
			if (!strcmp(xp_key(x), key))
				found = x;
		if (!found)
			return NULL;
		f = found;
		path += n + (path[n] == '.');
		if (section && json_is_object(json_object_get(f, "table"))) {
			/* The section itself stands for its table. */
			list = json_object_get(json_object_get(f, "table"),
					       "columns");
		} else {
			list = json_object_get(f, json_object_get(f, "columns")
							  ? "columns"
							  : "fields");
		}
		section = false;
	}
	return f;
}
