/* form.c: a schema is parsed into a tree once; documents are walked along it */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "form.h"
#include "ident.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "../util/banned.h"

#define MAX_KEY 64
#define MAX_LABEL 600	 /* bytes of a label, title or row label */
#define MAX_MESSAGE 1000 /* bytes of a rule's own message */
#define MAX_SECTIONS 64
#define MAX_FIELDS 256 /* in one list */
#define MAX_DEPTH 4    /* groups and tables inside a section */
#define MAX_OPTIONS 500
#define MAX_ROWS 1000
#define DEFAULT_MAX_ROWS 200
#define MAX_RULES 256
#define MAX_RULE_PATHS 64
#define MAX_CHARS 1000000
#define MAX_HITS 4096		     /* values one rule path may name */
#define INT_LIMIT 9007199254740992LL /* 2^53: exact in a JavaScript number */
#define DECIMAL_LIMIT 1e15
#define NONE SIZE_MAX

enum kind {
	K_TEXT,
	K_TEXTAREA,
	K_INTEGER,
	K_DECIMAL,
	K_PERCENT,
	K_DATE,
	K_YM_RANGE,
	K_SELECT,
	K_MULTISELECT,
	K_BOOLEAN,
	K_REGION,
	K_INDUSTRIES,
	K_USCC,
	K_ID_TYPE,
	K_ID_NUMBER,
	K_MOBILE,
	K_EMAIL,
	K_COMPETITION,
	K_TRACK,
	K_TOPIC,
	K_GROUP,
	K_TABLE,
	K_COUNT
};

enum jtype {
	J_STRING,
	J_INTEGER,
	J_NUMBER,
	J_DECIMAL,
	J_OBJECT,
	J_ARRAY,
	J_BOOL
};

static const char *const x_none[] = { NULL };
static const char *const x_min_max[] = { "min", "max", NULL };
static const char *const x_textarea[] = { "min", "max", "guidance", NULL };
static const char *const x_number[] = { "min", "max", "scale", NULL };
static const char *const x_date[] = { "max_today", NULL };
static const char *const x_select[] = { "options", "groups", "other",
					"other_key", NULL };
static const char *const x_multi[] = { "options",   "groups",	 "other",
				       "other_key", "min_items", "max_items",
				       NULL };
static const char *const x_items[] = { "min_items", "max_items", NULL };
static const char *const x_id_number[] = { "type_key", NULL };
static const char *const x_group[] = { "fields", NULL };
static const char *const x_table[] = { "columns", "min_rows", "max_rows",
				       "row_label", NULL };
static const char *const common_keys[] = { "key",      "label",	 "kind",
					   "required", "help",	 "placeholder",
					   "unit",     "number", "when",
					   NULL };

static const struct kind_info {
	const char *name;
	enum jtype type;
	bool choose; /* "请选择…" rather than "请填写…" */
	const char *const *extras;
} kinds[K_COUNT] = {
	[K_TEXT] = { "text", J_STRING, false, x_min_max },
	[K_TEXTAREA] = { "textarea", J_STRING, false, x_textarea },
	[K_INTEGER] = { "integer", J_INTEGER, false, x_min_max },
	[K_DECIMAL] = { "decimal", J_DECIMAL, false, x_number },
	[K_PERCENT] = { "percent", J_NUMBER, false, x_number },
	[K_DATE] = { "date", J_STRING, true, x_date },
	[K_YM_RANGE] = { "year_month_range", J_OBJECT, true, x_none },
	[K_SELECT] = { "select", J_STRING, true, x_select },
	[K_MULTISELECT] = { "multiselect", J_ARRAY, true, x_multi },
	[K_BOOLEAN] = { "boolean", J_BOOL, true, x_none },
	[K_REGION] = { "region", J_ARRAY, true, x_none },
	[K_INDUSTRIES] = { "industries", J_ARRAY, true, x_items },
	[K_USCC] = { "uscc", J_STRING, false, x_none },
	[K_ID_TYPE] = { "id_type", J_STRING, true, x_none },
	[K_ID_NUMBER] = { "id_number", J_STRING, false, x_id_number },
	[K_MOBILE] = { "mobile", J_STRING, false, x_none },
	[K_EMAIL] = { "email", J_STRING, false, x_none },
	[K_COMPETITION] = { "competition", J_STRING, true, x_none },
	[K_TRACK] = { "track", J_STRING, true, x_none },
	[K_TOPIC] = { "topic", J_INTEGER, true, x_none },
	[K_GROUP] = { "group", J_OBJECT, false, x_group },
	[K_TABLE] = { "table", J_ARRAY, false, x_table },
};

enum cond_op { COND_NONE, COND_EQUALS, COND_IN, COND_TRUE, COND_NOT_TRUE };

struct field;

struct list {
	struct field *f;
	size_t n;
};

struct field {
	const char *key;
	size_t klen; /* strlen(key): every save looks each key up */
	const char *label;
	enum kind kind;
	bool required;
	bool max_today;
	bool has_min, has_max;
	enum cond_op when;
	size_t when_sibling;
	const json_t *when_value;
	const json_t *when_json; /* until the siblings are resolved */
	int64_t min, max;	 /* integer value, characters or items */
	double dmin, dmax;	 /* decimal and percent */
	int scale;
	const char **opts;
	size_t nopts;
	const char *other; /* the option that asks for text */
	const char *other_key_name;
	size_t other_key; /* sibling holding that text */
	size_t other_of;  /* sibling select naming this one */
	const char *type_key_name;
	size_t type_key;
	struct list sub; /* group fields or table columns */
	size_t min_rows, max_rows;
	const char *row_label;
};

enum rule_kind { R_MIN_FILLED, R_EXACTLY_ONE, R_SUM_MAX, R_EQUALS };

struct rule {
	enum rule_kind kind;
	const char *paths[MAX_RULE_PATHS];
	size_t npaths;
	char *column_path; /* exactly_one: "table[*].column" */
	int64_t min;
	double max;
	char *field; /* where the error is reported */
	const char *message;
	char *auto_message;
};

struct form_schema {
	json_t *json;
	struct list root;
	struct rule *rules;
	size_t nrules;
	bool have_codes;
	bool codes[1000];
};

/* Schema loading */

struct load {
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int
fail(struct load *l, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(l->err, l->errlen, "%s%s", path, *path ? ": " : "");

	if (n < 0 || (size_t)n >= l->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Names a place in the schema; a path too long to print is cut short. */
__attribute__((format(printf, 3, 4))) static void at(char *out, size_t n,
						     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

/* jansson's object iterator takes a json_t * but does not change it. */
static json_t *mut(const json_t *v)
{
	return (json_t *)(uintptr_t)v;
}

static bool is_key(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > MAX_KEY || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool in_list(const char *const *names, const char *key)
{
	for (; *names; names++)
		if (!strcmp(*names, key))
			return true;
	return false;
}

static int opt_string(struct load *l, const json_t *o, const char *key,
		      const char *path, size_t max, const char **out)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > max ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return fail(l, path, "%s: expected a string of 1 to %zu bytes",
			    key, max);
	if (out)
		*out = json_string_value(v);
	return 0;
}

static int need_string(struct load *l, const json_t *o, const char *key,
		       const char *path, size_t max, const char **out)
{
	if (!json_object_get(o, key))
		return fail(l, path, "%s: missing", key);
	return opt_string(l, o, key, path, max, out);
}

static int opt_bool(struct load *l, const json_t *o, const char *key,
		    const char *path, bool *out)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fail(l, path, "%s: expected true or false", key);
	*out = json_is_true(v);
	return 0;
}

static int opt_int(struct load *l, const json_t *o, const char *key,
		   const char *path, int64_t lo, int64_t hi, int64_t *out,
		   bool *has)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return fail(l, path,
			    "%s: expected an integer from %lld to %lld", key,
			    (long long)lo, (long long)hi);
	*out = json_integer_value(v);
	if (has)
		*has = true;
	return 0;
}

static int opt_number(struct load *l, const json_t *o, const char *key,
		      const char *path, double *out, bool *has)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_number(v) || json_number_value(v) < -DECIMAL_LIMIT ||
	    json_number_value(v) > DECIMAL_LIMIT)
		return fail(l, path, "%s: expected a number from -1e15 to 1e15",
			    key);
	*out = json_number_value(v);
	if (has)
		*has = true;
	return 0;
}

/* Display name of a section: its title without the spec's "（一）". */
static const char *strip_number(const char *title)
{
	static const char open[] = "（", close[] = "）";
	const char *end;

	if (strncmp(title, open, sizeof(open) - 1))
		return title;
	end = strstr(title, close);
	if (!end || end - title > 24 || !end[sizeof(close) - 1])
		return title;
	return end + sizeof(close) - 1;
}

static int add_option(struct load *l, struct field *f, const json_t *v,
		      const char *path, size_t i)
{
	const char *s = json_string_value(v);

	if (!s || !*s || strlen(s) != json_string_length(v) ||
	    strlen(s) > MAX_LABEL)
		return fail(l, path,
			    "options[%zu]: expected a non-empty string", i);
	for (size_t k = 0; k < f->nopts; k++)
		if (!strcmp(f->opts[k], s))
			return fail(l, path, "options[%zu]: '%s' appears twice",
				    i, s);
	if (f->nopts == MAX_OPTIONS)
		return fail(l, path, "more than %d options", MAX_OPTIONS);
	f->opts[f->nopts++] = s;
	return 0;
}

static int load_options(struct load *l, const json_t *o, const char *path,
			struct field *f)
{
	const json_t *opts = json_object_get(o, "options");
	const json_t *groups = json_object_get(o, "groups"), *g, *v;
	char p[512];
	size_t i, k;

	if (!opts == !groups)
		return fail(l, path, "expected either options or groups");
	f->opts = calloc(MAX_OPTIONS, sizeof(*f->opts));
	if (!f->opts)
		return fail(l, path, "out of memory");
	if (opts) {
		if (!json_is_array(opts) || !json_array_size(opts))
			return fail(l, path,
				    "options: expected a non-empty "
				    "array of strings");
		json_array_foreach (opts, i, v)
			if (add_option(l, f, v, path, i) < 0)
				return -1;
	} else {
		if (!json_is_array(groups) || !json_array_size(groups))
			return fail(l, path,
				    "groups: expected a non-empty array");
		json_array_foreach (groups, k, g) {
			const char *key;
			const json_t *gv;

			at(p, sizeof(p), "%s.groups[%zu]", path, k);
			if (!json_is_object(g))
				return fail(l, p, "expected an object");
			json_object_foreach (mut(g), key, gv)
				if (strcmp(key, "label") &&
				    strcmp(key, "options"))
					return fail(l, p, "unknown key '%s'",
						    key);
			if (need_string(l, g, "label", p, MAX_LABEL, NULL) < 0)
				return -1;
			opts = json_object_get(g, "options");
			if (!json_is_array(opts) || !json_array_size(opts))
				return fail(l, p,
					    "options: expected a "
					    "non-empty array of strings");
			json_array_foreach (opts, i, v)
				if (add_option(l, f, v, p, i) < 0)
					return -1;
		}
	}
	if (opt_string(l, o, "other", path, MAX_LABEL, &f->other) < 0 ||
	    opt_string(l, o, "other_key", path, MAX_KEY, &f->other_key_name) <
		    0)
		return -1;
	if (!f->other != !f->other_key_name)
		return fail(l, path, "other and other_key go together");
	if (f->other) {
		for (k = 0; k < f->nopts; k++)
			if (!strcmp(f->opts[k], f->other))
				break;
		if (k == f->nopts)
			return fail(l, path, "other: '%s' is not an option",
				    f->other);
	}
	return 0;
}

static int load_list(struct load *l, const json_t *arr, const char *path,
		     int depth, struct list *out);

static int load_rows(struct load *l, const json_t *o, const char *path,
		     int depth, struct field *f)
{
	int64_t min = 0, max = DEFAULT_MAX_ROWS;
	char p[512];

	if (opt_int(l, o, "min_rows", path, 0, MAX_ROWS, &min, NULL) < 0 ||
	    opt_int(l, o, "max_rows", path, 1, MAX_ROWS, &max, NULL) < 0 ||
	    opt_string(l, o, "row_label", path, MAX_LABEL, &f->row_label) < 0)
		return -1;
	if (min > max)
		return fail(l, path, "min_rows is above max_rows");
	f->min_rows = (size_t)min;
	f->max_rows = (size_t)max;
	if (!json_object_get(o, "columns"))
		return fail(l, path, "columns: missing");
	at(p, sizeof(p), "%s.columns", path);
	return load_list(l, json_object_get(o, "columns"), p, depth + 1,
			 &f->sub);
}

static int load_limits(struct load *l, const json_t *o, const char *path,
		       struct field *f)
{
	int64_t scale = 2;

	switch (f->kind) {
	case K_TEXT:
	case K_TEXTAREA:
		f->max = 200;
		if (f->kind == K_TEXTAREA && !json_object_get(o, "max"))
			return fail(l, path, "max: required for a textarea");
		if (opt_int(l, o, "min", path, 0, MAX_CHARS, &f->min,
			    &f->has_min) < 0 ||
		    opt_int(l, o, "max", path, 1, MAX_CHARS, &f->max, NULL) < 0)
			return -1;
		f->has_max = true;
		break;
	case K_INTEGER:
		f->max = INT_LIMIT;
		if (opt_int(l, o, "min", path, -INT_LIMIT, INT_LIMIT, &f->min,
			    &f->has_min) < 0 ||
		    opt_int(l, o, "max", path, -INT_LIMIT, INT_LIMIT, &f->max,
			    &f->has_max) < 0)
			return -1;
		f->has_min = true;
		break;
	case K_DECIMAL:
	case K_PERCENT:
		f->dmax = f->kind == K_PERCENT ? 100 : DECIMAL_LIMIT;
		f->has_max = f->kind == K_PERCENT;
		if (opt_number(l, o, "min", path, &f->dmin, NULL) < 0 ||
		    opt_number(l, o, "max", path, &f->dmax, &f->has_max) < 0 ||
		    opt_int(l, o, "scale", path, 0, 6, &scale, NULL) < 0)
			return -1;
		f->scale = (int)scale;
		if (f->dmin > f->dmax)
			return fail(l, path, "min is above max");
		return 0;
	case K_MULTISELECT:
	case K_INDUSTRIES:
		f->max = f->kind == K_MULTISELECT ? (int64_t)f->nopts : 1000;
		if (opt_int(l, o, "min_items", path, 0, f->max, &f->min,
			    &f->has_min) < 0 ||
		    opt_int(l, o, "max_items", path, 1, f->max, &f->max,
			    &f->has_max) < 0)
			return -1;
		break;
	default:
		return 0;
	}
	if (f->min > f->max)
		return fail(l, path, "the minimum is above the maximum");
	return 0;
}

static int load_field(struct load *l, const json_t *o, const char *path,
		      int depth, struct field *f)
{
	const char *kind, *key;
	const json_t *v;
	size_t k;
	char p[512];

	if (!json_is_object(o))
		return fail(l, path, "expected an object");
	if (need_string(l, o, "key", path, MAX_KEY, &f->key) < 0 ||
	    need_string(l, o, "label", path, MAX_LABEL, &f->label) < 0 ||
	    need_string(l, o, "kind", path, 32, &kind) < 0)
		return -1;
	f->klen = strlen(f->key);
	if (!is_key(f->key))
		return fail(l, path, "key: '%s' is not [a-z][a-z0-9_]*",
			    f->key);
	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(kinds[k].name, kind))
			break;
	if (k == K_COUNT)
		return fail(l, path, "kind: unknown kind '%s'", kind);
	f->kind = (enum kind)k;
	json_object_foreach (mut(o), key, v)
		if (!in_list(common_keys, key) &&
		    !in_list(kinds[k].extras, key))
			return fail(l, path, "unknown key '%s' for kind '%s'",
				    key, kind);
	if (opt_bool(l, o, "required", path, &f->required) < 0 ||
	    opt_string(l, o, "help", path, 20000, NULL) < 0 ||
	    opt_string(l, o, "placeholder", path, MAX_LABEL, NULL) < 0 ||
	    opt_string(l, o, "unit", path, 32, NULL) < 0 ||
	    opt_string(l, o, "number", path, 32, NULL) < 0 ||
	    opt_bool(l, o, "max_today", path, &f->max_today) < 0)
		return -1;
	v = json_object_get(o, "guidance");
	if (v && !json_is_string(v) && !json_is_array(v))
		return fail(l, path, "guidance: expected a string or an array");
	f->when_json = json_object_get(o, "when");
	if (f->when_json && !json_is_object(f->when_json))
		return fail(l, path, "when: expected an object");
	if (f->kind == K_SELECT || f->kind == K_MULTISELECT)
		if (load_options(l, o, path, f) < 0)
			return -1;
	if (load_limits(l, o, path, f) < 0)
		return -1;
	if (f->kind == K_ID_NUMBER &&
	    need_string(l, o, "type_key", path, MAX_KEY, &f->type_key_name) < 0)
		return -1;
	if (f->kind == K_GROUP || f->kind == K_TABLE) {
		if (depth >= MAX_DEPTH)
			return fail(l, path, "nested more than %d deep",
				    MAX_DEPTH);
		if (f->kind == K_TABLE)
			return load_rows(l, o, path, depth, f);
		if (!json_object_get(o, "fields"))
			return fail(l, path, "fields: missing");
		at(p, sizeof(p), "%s.fields", path);
		return load_list(l, json_object_get(o, "fields"), p, depth + 1,
				 &f->sub);
	}
	return 0;
}

static size_t find(const struct list *l, const char *key, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->f[i].klen == len && !memcmp(l->f[i].key, key, len))
			return i;
	return NONE;
}

static bool has_option(const struct field *f, const char *s)
{
	for (size_t i = 0; i < f->nopts; i++)
		if (!strcmp(f->opts[i], s))
			return true;
	return false;
}

static int check_when_value(struct load *l, const struct field *sib,
			    const json_t *v, const char *path)
{
	if (!json_is_string(v) && !json_is_number(v) && !json_is_boolean(v))
		return fail(l, path,
			    "when: expected a string, number or "
			    "boolean to compare with");
	if (sib->opts && json_is_string(v) &&
	    !has_option(sib, json_string_value(v)))
		return fail(l, path, "when: '%s' is not an option of '%s'",
			    json_string_value(v), sib->key);
	if (sib->kind == K_BOOLEAN && !json_is_boolean(v))
		return fail(l, path, "when: '%s' is a boolean", sib->key);
	return 0;
}

static int load_when(struct load *l, struct list *list, size_t i,
		     const char *path)
{
	struct field *f = &list->f[i];
	const json_t *w = f->when_json, *v;
	const char *key, *name;
	int ops = 0;

	json_object_foreach (mut(w), key, v) {
		if (!strcmp(key, "equals") || !strcmp(key, "in") ||
		    !strcmp(key, "is_true"))
			ops++;
		else if (strcmp(key, "field"))
			return fail(l, path, "when: unknown key '%s'", key);
	}
	if (ops != 1)
		return fail(l, path,
			    "when: expected one of equals, in and "
			    "is_true");
	if (need_string(l, w, "field", path, MAX_KEY, &name) < 0)
		return -1;
	f->when_sibling = find(list, name, strlen(name));
	if (f->when_sibling == NONE || f->when_sibling == i)
		return fail(l, path, "when: '%s' is not a sibling field", name);
	if (list->f[f->when_sibling].kind == K_GROUP ||
	    list->f[f->when_sibling].kind == K_TABLE)
		return fail(l, path, "when: '%s' is a group or table", name);
	if ((v = json_object_get(w, "equals"))) {
		f->when = COND_EQUALS;
		f->when_value = v;
		return check_when_value(l, &list->f[f->when_sibling], v, path);
	}
	if ((v = json_object_get(w, "in"))) {
		const json_t *e;
		size_t k;

		if (!json_is_array(v) || !json_array_size(v))
			return fail(l, path,
				    "when.in: expected a non-empty "
				    "array");
		json_array_foreach (v, k, e)
			if (check_when_value(l, &list->f[f->when_sibling], e,
					     path) < 0)
				return -1;
		f->when = COND_IN;
		f->when_value = v;
		return 0;
	}
	v = json_object_get(w, "is_true");
	if (!json_is_boolean(v))
		return fail(l, path, "when.is_true: expected true or false");
	f->when = json_is_true(v) ? COND_TRUE : COND_NOT_TRUE;
	return 0;
}

/* Siblings are named by key, so they are resolved once the list is read. */
static int link_siblings(struct load *l, struct list *list, const char *path)
{
	char p[512];

	for (size_t i = 0; i < list->n; i++) {
		struct field *f = &list->f[i];
		size_t k;

		at(p, sizeof(p), "%s[%zu]", path, i);
		if (f->when_json && load_when(l, list, i, p) < 0)
			return -1;
		if (f->other_key_name) {
			k = find(list, f->other_key_name,
				 strlen(f->other_key_name));
			if (k == NONE || (list->f[k].kind != K_TEXT &&
					  list->f[k].kind != K_TEXTAREA))
				return fail(l, p,
					    "other_key: '%s' is not a "
					    "sibling text field",
					    f->other_key_name);
			if (list->f[k].other_of != NONE)
				return fail(l, p,
					    "other_key: '%s' is already "
					    "another select's",
					    f->other_key_name);
			f->other_key = k;
			list->f[k].other_of = i;
		}
		if (f->type_key_name) {
			k = find(list, f->type_key_name,
				 strlen(f->type_key_name));
			if (k == NONE || list->f[k].kind != K_ID_TYPE)
				return fail(l, p,
					    "type_key: '%s' is not a "
					    "sibling id_type field",
					    f->type_key_name);
			f->type_key = k;
		}
	}
	/* A chain of conditions longer than the list has a loop in it. */
	for (size_t i = 0; i < list->n; i++) {
		size_t k = i, steps = 0;

		while (list->f[k].when != COND_NONE && steps <= list->n) {
			k = list->f[k].when_sibling;
			steps++;
		}
		if (steps > list->n) {
			at(p, sizeof(p), "%s[%zu]", path, i);
			return fail(l, p, "when: conditions form a loop");
		}
	}
	return 0;
}

static int load_list(struct load *l, const json_t *arr, const char *path,
		     int depth, struct list *out)
{
	const json_t *v;
	size_t i;
	char p[512];

	if (!json_is_array(arr) || !json_array_size(arr) ||
	    json_array_size(arr) > MAX_FIELDS)
		return fail(l, path, "expected 1 to %d fields", MAX_FIELDS);
	out->f = calloc(json_array_size(arr), sizeof(*out->f));
	if (!out->f)
		return fail(l, path, "out of memory");
	json_array_foreach (arr, i, v) {
		struct field *f = &out->f[i];

		f->other_key = f->other_of = f->type_key = NONE;
		out->n = i + 1;
		at(p, sizeof(p), "%s[%zu]", path, i);
		if (load_field(l, v, p, depth, f) < 0)
			return -1;
		if (find(out, f->key, strlen(f->key)) != i)
			return fail(l, p, "key: '%s' appears twice", f->key);
	}
	return link_siblings(l, out, path);
}

static int load_section(struct load *l, const json_t *o, const char *path,
			struct field *f)
{
	static const char *const keys[] = { "key",    "title", "page", "help",
					    "fields", "table", NULL };
	const char *key, *page, *title;
	const json_t *v, *t;
	char p[512];

	if (!json_is_object(o))
		return fail(l, path, "expected an object");
	json_object_foreach (mut(o), key, v)
		if (!in_list(keys, key))
			return fail(l, path, "unknown key '%s'", key);
	if (need_string(l, o, "key", path, MAX_KEY, &f->key) < 0 ||
	    need_string(l, o, "title", path, MAX_LABEL, &title) < 0 ||
	    need_string(l, o, "page", path, 32, &page) < 0 ||
	    opt_string(l, o, "help", path, 20000, NULL) < 0)
		return -1;
	f->klen = strlen(f->key);
	if (!is_key(f->key))
		return fail(l, path, "key: '%s' is not [a-z][a-z0-9_]*",
			    f->key);
	if (strcmp(page, "basic") && strcmp(page, "declaration"))
		return fail(l, path, "page: expected basic or declaration");
	f->label = strip_number(title);
	f->other_key = f->other_of = f->type_key = NONE;
	t = json_object_get(o, "table");
	v = json_object_get(o, "fields");
	if (!t == !v)
		return fail(l, path, "expected either fields or table");
	if (v) {
		f->kind = K_GROUP;
		at(p, sizeof(p), "%s.fields", path);
		return load_list(l, v, p, 1, &f->sub);
	}
	f->kind = K_TABLE;
	at(p, sizeof(p), "%s.table", path);
	if (!json_is_object(t))
		return fail(l, p, "expected an object");
	json_object_foreach (mut(t), key, v)
		if (!in_list(x_table, key))
			return fail(l, p, "unknown key '%s'", key);
	if (!f->row_label && !json_object_get(t, "row_label"))
		f->row_label = f->label;
	return load_rows(l, t, p, 0, f);
}

/* Rule paths */

enum sel { SEL_NONE, SEL_ALL, SEL_INDEX, SEL_WHERE };

struct seg {
	const char *key;
	size_t klen;
	enum sel sel;
	size_t index;
	const char *col;
	size_t clen;
};

/*
 * Reads one "key", "key[*]", "key[3]" or "key[?column]" and the '.' after
 * it. Returns 1 with more to come, 0 at the end, -1 on a syntax error.
 */
static int next_seg(const char **pp, struct seg *s)
{
	const char *p = *pp;

	memset(s, 0, sizeof(*s));
	s->key = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
	       *p == '_')
		p++;
	s->klen = (size_t)(p - s->key);
	if (!s->klen || s->klen > MAX_KEY)
		return -1;
	if (*p == '[') {
		p++;
		if (*p == '*') {
			s->sel = SEL_ALL;
			p++;
		} else if (*p == '?') {
			s->sel = SEL_WHERE;
			s->col = ++p;
			while ((*p >= 'a' && *p <= 'z') ||
			       (*p >= '0' && *p <= '9') || *p == '_')
				p++;
			s->clen = (size_t)(p - s->col);
			if (!s->clen)
				return -1;
		} else {
			int64_t v;
			const char *d = p;

			while (*p >= '0' && *p <= '9')
				p++;
			if (str_to_i64((struct str){ d, (size_t)(p - d) }, 0,
				       MAX_ROWS, &v) < 0)
				return -1;
			s->sel = SEL_INDEX;
			s->index = (size_t)v;
		}
		if (*p++ != ']')
			return -1;
	}
	if (!*p) {
		*pp = p;
		return 0;
	}
	if (*p != '.')
		return -1;
	*pp = p + 1;
	return 1;
}

/*
 * Finds the field a rule path ends at. *multi is set when the path may
 * name several values ([*] or [?column]).
 */
static const struct field *resolve(const struct list *root, const char *path,
				   bool *multi)
{
	const struct list *l = root;
	const char *p = path;
	*multi = false;

	for (;;) {
		struct seg s;
		int more = next_seg(&p, &s);
		size_t i;
		const struct field *f;

		if (more < 0 || (i = find(l, s.key, s.klen)) == NONE)
			return NULL;
		f = &l->f[i];
		if (s.sel != SEL_NONE) {
			if (f->kind != K_TABLE || !more)
				return NULL;
			if (s.sel == SEL_WHERE) {
				size_t c = find(&f->sub, s.col, s.clen);
				if (c == NONE || f->sub.f[c].kind != K_BOOLEAN)
					return NULL;
			}
			if (s.sel != SEL_INDEX)
				*multi = true;
		} else if (more && f->kind != K_GROUP) {
			return NULL;
		}
		if (!more)
			return f;
		l = &f->sub;
	}
}

static int rule_path(struct load *l, struct form_schema *s, const json_t *v,
		     const char *path, const struct field **out)
{
	bool multi;

	if (!json_is_string(v) || json_string_length(v) > 256)
		return fail(l, path, "expected a path");
	*out = resolve(&s->root, json_string_value(v), &multi);
	if (!*out)
		return fail(l, path, "'%s' names no field of the schema",
			    json_string_value(v));
	return 0;
}

static bool is_number_kind(const struct field *f)
{
	return f->kind == K_INTEGER || f->kind == K_DECIMAL ||
	       f->kind == K_PERCENT;
}

/* "units[*].name" reports on "units"; other paths on themselves. */
static char *default_field(const char *path)
{
	const char *b = strstr(path, "[*]");
	const char *w = strstr(path, "[?");
	size_t n = strlen(path);

	if (b && (size_t)(b - path) < n)
		n = (size_t)(b - path);
	if (w && (size_t)(w - path) < n)
		n = (size_t)(w - path);
	return strndup(path, n);
}

static int load_rule(struct load *l, struct form_schema *s, const json_t *o,
		     const char *path, struct rule *r)
{
	static const char *const names[] = { "min_filled", "exactly_one",
					     "sum_max", "equals", NULL };
	static const char *const keys[][6] = {
		{ "kind", "paths", "min", "field", "message", NULL },
		{ "kind", "table", "column", "field", "message", NULL },
		{ "kind", "paths", "max", "field", "message", NULL },
		{ "kind", "a", "b", "field", "message", NULL },
	};
	const char *kind, *key, *field = NULL;
	const struct field *f, *g;
	const json_t *v;
	struct buf b;
	char p[512];
	size_t k, i;
	bool has = false;

	if (!json_is_object(o))
		return fail(l, path, "expected an object");
	if (need_string(l, o, "kind", path, 32, &kind) < 0)
		return -1;
	for (k = 0; names[k]; k++)
		if (!strcmp(names[k], kind))
			break;
	if (!names[k])
		return fail(l, path, "kind: unknown rule kind '%s'", kind);
	r->kind = (enum rule_kind)k;
	json_object_foreach (mut(o), key, v)
		if (!in_list(keys[k], key))
			return fail(l, path, "unknown key '%s' for rule '%s'",
				    key, kind);
	if (opt_string(l, o, "field", path, 256, &field) < 0 ||
	    opt_string(l, o, "message", path, MAX_MESSAGE, &r->message) < 0)
		return -1;
	if (field) {
		bool multi;
		if (!resolve(&s->root, field, &multi) || multi)
			return fail(l, path,
				    "field: '%s' names no single "
				    "field of the schema",
				    field);
	}
	buf_init(&b, 2000);
	switch (r->kind) {
	case R_MIN_FILLED:
	case R_SUM_MAX:
		v = json_object_get(o, "paths");
		if (!json_is_array(v) || !json_array_size(v) ||
		    json_array_size(v) > MAX_RULE_PATHS) {
			buf_release(&b);
			return fail(l, path, "paths: expected 1 to %d paths",
				    MAX_RULE_PATHS);
		}
		for (i = 0; i < json_array_size(v); i++) {
			at(p, sizeof(p), "%s.paths[%zu]", path, i);
			if (rule_path(l, s, json_array_get(v, i), p, &f) < 0)
				goto fail;
			if (f->kind == K_GROUP ||
			    (r->kind == R_SUM_MAX && !is_number_kind(f))) {
				fail(l, p, "'%s' is not a %s field", f->key,
				     r->kind == R_SUM_MAX ? "number" : "value");
				goto fail;
			}
			r->paths[r->npaths++] =
				json_string_value(json_array_get(v, i));
			buf_printf(&b, "%s%s", i ? "、" : "", f->label);
		}
		if (r->kind == R_MIN_FILLED) {
			if (!json_object_get(o, "min")) {
				fail(l, path, "min: missing");
				goto fail;
			}
			if (opt_int(l, o, "min", path, 1, MAX_HITS, &r->min,
				    NULL) < 0)
				goto fail;
			buf_printf(&b, "至少填写 %lld 项", (long long)r->min);
		} else {
			if (!json_object_get(o, "max")) {
				fail(l, path, "max: missing");
				goto fail;
			}
			if (opt_number(l, o, "max", path, &r->max, &has) < 0)
				goto fail;
			buf_adds(&b, "合计不能超过 ");
		}
		break;
	case R_EXACTLY_ONE: {
		const char *table, *column;
		bool multi;

		if (need_string(l, o, "table", path, 256, &table) < 0 ||
		    need_string(l, o, "column", path, MAX_KEY, &column) < 0)
			goto fail;
		f = resolve(&s->root, table, &multi);
		if (!f || multi || f->kind != K_TABLE) {
			fail(l, path, "table: '%s' names no table", table);
			goto fail;
		}
		k = find(&f->sub, column, strlen(column));
		if (k == NONE || f->sub.f[k].kind != K_BOOLEAN) {
			fail(l, path,
			     "column: '%s' is not a boolean column "
			     "of '%s'",
			     column, table);
			goto fail;
		}
		if (asprintf(&r->column_path, "%s[*].%s", table, column) < 0) {
			r->column_path = NULL;
			fail(l, path, "out of memory");
			goto fail;
		}
		r->paths[r->npaths++] = table;
		buf_printf(&b, "%s中应有且只有一行的“%s”为“是”",
			   f->row_label ? f->row_label : f->label,
			   f->sub.f[k].label);
		break;
	}
	case R_EQUALS:
		at(p, sizeof(p), "%s.a", path);
		if (!json_object_get(o, "a") || !json_object_get(o, "b")) {
			fail(l, path, "a and b: missing");
			goto fail;
		}
		if (rule_path(l, s, json_object_get(o, "a"), p, &f) < 0)
			goto fail;
		at(p, sizeof(p), "%s.b", path);
		if (rule_path(l, s, json_object_get(o, "b"), p, &g) < 0)
			goto fail;
		if (f->kind == K_GROUP || f->kind == K_TABLE ||
		    g->kind == K_GROUP || g->kind == K_TABLE) {
			fail(l, path, "a and b must name values");
			goto fail;
		}
		r->paths[r->npaths++] =
			json_string_value(json_object_get(o, "a"));
		r->paths[r->npaths++] =
			json_string_value(json_object_get(o, "b"));
		buf_printf(&b, "%s应与%s一致", f->label, g->label);
		break;
	}
	r->field = default_field(field ? field : r->paths[0]);
	r->auto_message = buf_detach(&b, NULL);
	if (!r->field || !r->auto_message)
		return fail(l, path, "out of memory");
	return 0;
fail:
	buf_release(&b);
	return -1;
}

static void list_release(struct list *l)
{
	if (!l->f)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->f[i].opts);
		list_release(&l->f[i].sub);
	}
	free(l->f);
	l->f = NULL;
	l->n = 0;
}

void form_schema_free(struct form_schema *s)
{
	if (!s)
		return;
	list_release(&s->root);
	for (size_t i = 0; i < s->nrules; i++) {
		free(s->rules[i].column_path);
		free(s->rules[i].field);
		free(s->rules[i].auto_message);
	}
	free(s->rules);
	json_decref(s->json);
	free(s);
}

static int load_industries(struct load *l, struct form_schema *s,
			   const json_t *doc)
{
	const json_t *sec, *div, *grp;
	size_t i, j, k;
	char p[128];
	int64_t code;

	if (!json_is_array(json_object_get(doc, "sections")))
		return fail(l, "industries", "sections: expected an array");
	json_array_foreach (json_object_get(doc, "sections"), i, sec)
		json_array_foreach (json_object_get(sec, "divisions"), j, div)
			json_array_foreach (json_object_get(div, "groups"), k,
					    grp) {
				const char *c = json_string_value(
					json_object_get(grp, "code"));
				if (!c || strlen(c) != 3 ||
				    str_to_i64z(c, 0, 999, &code) < 0) {
					at(p, sizeof(p),
					   "industries: sections[%zu]."
					   "divisions[%zu].groups[%zu]",
					   i, j, k);
					return fail(l, p,
						    "code: expected 3 "
						    "digits");
				}
				s->codes[code] = true;
				s->have_codes = true;
			}
	if (!s->have_codes)
		return fail(l, "industries", "no groups (中类) found");
	return 0;
}

struct form_schema *form_schema_load(json_t *schema, const json_t *industries,
				     char *err, size_t errlen)
{
	/* "notes" is prose for the people who maintain the file. */
	static const char *const keys[] = {
		"id", "title", "version", "sections", "rules", "notes",
		/* read by api/attachments.c */
		"attachments", "attachments_total_max_bytes", NULL
	};
	struct load l = { err, errlen };
	struct form_schema *s = calloc(1, sizeof(*s));
	const json_t *secs, *rules, *v;
	const char *key;
	size_t i;
	char p[64];
	int64_t version;

	if (errlen)
		err[0] = '\0';
	if (!s) {
		fail(&l, "", "out of memory");
		return NULL;
	}
	s->json = json_incref(schema);
	if (!json_is_object(schema)) {
		fail(&l, "", "expected a JSON object");
		goto fail;
	}
	json_object_foreach (schema, key, v)
		if (!in_list(keys, key)) {
			fail(&l, "", "unknown key '%s'", key);
			goto fail;
		}
	if (need_string(&l, schema, "id", "", MAX_KEY, NULL) < 0 ||
	    need_string(&l, schema, "title", "", MAX_LABEL, NULL) < 0)
		goto fail;
	if (!json_object_get(schema, "version")) {
		fail(&l, "", "version: missing");
		goto fail;
	}
	if (opt_int(&l, schema, "version", "", 1, 1000000, &version, NULL) < 0)
		goto fail;
	if (industries && load_industries(&l, s, industries) < 0)
		goto fail;
	secs = json_object_get(schema, "sections");
	if (!json_is_array(secs) || !json_array_size(secs) ||
	    json_array_size(secs) > MAX_SECTIONS) {
		fail(&l, "", "sections: expected 1 to %d sections",
		     MAX_SECTIONS);
		goto fail;
	}
	s->root.f = calloc(json_array_size(secs), sizeof(*s->root.f));
	if (!s->root.f) {
		fail(&l, "", "out of memory");
		goto fail;
	}
	json_array_foreach (secs, i, v) {
		s->root.n = i + 1;
		at(p, sizeof(p), "sections[%zu]", i);
		if (load_section(&l, v, p, &s->root.f[i]) < 0)
			goto fail;
		if (find(&s->root, s->root.f[i].key,
			 strlen(s->root.f[i].key)) != i) {
			fail(&l, p, "key: '%s' appears twice",
			     s->root.f[i].key);
			goto fail;
		}
	}
	rules = json_object_get(schema, "rules");
	if (rules &&
	    (!json_is_array(rules) || json_array_size(rules) > MAX_RULES)) {
		fail(&l, "", "rules: expected an array of at most %d rules",
		     MAX_RULES);
		goto fail;
	}
	if (json_array_size(rules)) {
		s->rules = calloc(json_array_size(rules), sizeof(*s->rules));
		if (!s->rules) {
			fail(&l, "", "out of memory");
			goto fail;
		}
	}
	json_array_foreach (rules, i, v) {
		s->nrules = i + 1;
		at(p, sizeof(p), "rules[%zu]", i);
		if (load_rule(&l, s, v, p, &s->rules[i]) < 0)
			goto fail;
	}
	return s;
fail:
	form_schema_free(s);
	return NULL;
}

/* Counting and reading */

static size_t trim_head(const unsigned char *s, size_t len)
{
	size_t i = 0;

	for (;;) {
		if (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
				s[i] == '\n'))
			i++;
		else if (len - i >= 3 && s[i] == 0xE3 && s[i + 1] == 0x80 &&
			 s[i + 2] == 0x80)
			i += 3;
		else
			return i;
	}
}

static size_t trim_tail(const unsigned char *s, size_t start, size_t len)
{
	for (;;) {
		if (len > start && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
				    s[len - 1] == '\r' || s[len - 1] == '\n'))
			len--;
		else if (len - start >= 3 && s[len - 3] == 0xE3 &&
			 s[len - 2] == 0x80 && s[len - 1] == 0x80)
			len -= 3;
		else
			return len;
	}
}

size_t form_count_chars(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = trim_head(s, len), end = trim_tail(s, i, len), n = 0;

	for (; i < end; i++) {
		if ((s[i] & 0xC0) == 0x80)
			continue;
		/* CRLF is one line break, as a browser's textarea sends it. */
		if (s[i] == '\r' && i + 1 < end && s[i + 1] == '\n')
			continue;
		n++;
	}
	return n;
}

const json_t *form_get(const json_t *doc, const char *path)
{
	const char *p = path;
	const json_t *v = doc;

	if (!path || !*path)
		return NULL;
	for (;;) {
		const char *k = p;

		while (*p && *p != '.' && *p != '[')
			p++;
		if (p == k || !json_is_object(v))
			return NULL;
		v = json_object_getn(v, k, (size_t)(p - k));
		while (v && *p == '[') {
			const char *d = ++p;
			int64_t i;

			while (*p >= '0' && *p <= '9')
				p++;
			if (*p != ']' ||
			    str_to_i64((struct str){ d, (size_t)(p - d) }, 0,
				       INT32_MAX, &i) < 0)
				return NULL;
			p++;
			v = json_array_get(v, (size_t)i);
		}
		if (!v || !*p)
			return v;
		if (*p != '.')
			return NULL;
		p++;
	}
}

/* Validation */

#define PATH_LEN 1024
#define NAME_LEN 4096

struct vctx {
	const struct form_schema *s;
	const json_t *doc;
	enum form_mode mode;
	int today;
	json_t *errors;
	int n;
	bool oom;
	char path[PATH_LEN];
	size_t plen;
	char name[NAME_LEN]; /* rows: "团队成员第 2 行：" */
	size_t nlen;
	char group[NAME_LEN]; /* groups: "营业收入·" */
	size_t glen;
	size_t gbase; /* where the groups since the last row begin */
	char who[2 * NAME_LEN];
};

/* Drops the bytes of a character that a truncation cut in two. */
static size_t utf8_trim(const char *s, size_t len)
{
	size_t k = 0;

	while (k < 4 && k < len && !utf8_valid(s, len - k))
		k++;
	return len - k;
}

__attribute__((format(printf, 4, 5))) static size_t
push(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	size_t old = *len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + old, cap - old, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= cap - old)
		*len = utf8_trim(buf, cap - 1);
	else
		*len = old + (size_t)n;
	buf[*len] = '\0';
	return old;
}

/*
 * push(buf, cap, len, "%s%s", *len ? "." : "", key) without the printf
 * machinery: validation and form_each append a key for every field of
 * the form on every save. Anything that would not fit goes through push()
 * so that truncation stays the same.
 */
static size_t push_key(char *buf, size_t cap, size_t *len, const char *key)
{
	size_t old = *len, klen = strlen(key), at = old;

	if (old + (old ? 1 : 0) + klen >= cap)
		return push(buf, cap, len, "%s%s", old ? "." : "", key);
	if (old)
		buf[at++] = '.';
	memcpy(buf + at, key, klen);
	*len = at + klen;
	buf[*len] = '\0';
	return old;
}

/* push(buf, cap, len, "[%zu]", i), likewise for every table row. */
static size_t push_index(char *buf, size_t cap, size_t *len, size_t i)
{
	char digits[24];
	size_t n = sizeof(digits), old = *len;

	do {
		digits[--n] = (char)('0' + i % 10);
		i /= 10;
	} while (i && n);
	if (old + 2 + (sizeof(digits) - n) >= cap)
		return push(buf, cap, len, "[%.*s]", (int)(sizeof(digits) - n),
			    digits + n);
	buf[old] = '[';
	memcpy(buf + old + 1, digits + n, sizeof(digits) - n);
	*len = old + 1 + (sizeof(digits) - n);
	buf[(*len)++] = ']';
	buf[*len] = '\0';
	return old;
}

static void pop(char *buf, size_t *len, size_t old)
{
	*len = old;
	buf[old] = '\0';
}

static bool full(const struct vctx *c)
{
	return c->oom || c->n >= FORM_MAX_ERRORS;
}

__attribute__((format(printf, 4, 5))) static void
add_error(struct vctx *c, const char *field, const char *code, const char *fmt,
	  ...)
{
	char msg[NAME_LEN + 1024];
	va_list ap;
	json_t *e;
	int n;

	if (full(c))
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = (int)utf8_trim(msg, sizeof(msg) - 1);
	e = json_pack("{s:s, s:s, s:s%}", "field", field, "code", code,
		      "message", msg, (size_t)n);
	if (!e || json_array_append_new(c->errors, e) < 0) {
		c->oom = true;
		return;
	}
	c->n++;
}

/* Quotes user input in a message: at most 40 bytes, cut between characters. */
static void quote(const char *s, char out[48])
{
	size_t n = strlen(s);

	if (n > 40)
		n = utf8_trim(s, 40);
	memcpy(out, s, n);
	out[n] = '\0';
}

static bool str_blank(const json_t *v)
{
	return json_is_string(v) &&
	       form_count_chars(json_string_value(v), json_string_length(v)) ==
		       0;
}

/* Absent, null, blank text and empty arrays are "not filled". */
static bool filled(const struct field *f, const json_t *v)
{
	if (!v || json_is_null(v) || str_blank(v))
		return false;
	if (json_is_array(v) && !json_array_size(v))
		return false;
	if (json_is_object(v) && !json_object_size(v) &&
	    kinds[f->kind].type == J_OBJECT)
		return false;
	return true;
}

static bool type_ok(const struct field *f, const json_t *v)
{
	switch (kinds[f->kind].type) {
	case J_STRING:
		return json_is_string(v);
	case J_INTEGER:
		return json_is_integer(v);
	case J_NUMBER:
		return json_is_number(v);
	case J_DECIMAL:
		return json_is_number(v) || json_is_string(v);
	case J_OBJECT:
		return json_is_object(v);
	case J_ARRAY:
		return json_is_array(v);
	case J_BOOL:
		return json_is_boolean(v);
	}
	return false;
}

static bool matches(const json_t *v, const json_t *want)
{
	const json_t *e;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach (v, i, e)
			if (json_equal(e, want))
				return true;
		return false;
	}
	return v && json_equal(v, want);
}

static bool active(const struct list *l, const json_t *obj, size_t i,
		   size_t depth)
{
	const struct field *f = &l->f[i];
	const json_t *v, *e;
	size_t k;

	if (f->when == COND_NONE)
		return true;
	if (depth > l->n || !active(l, obj, f->when_sibling, depth + 1))
		return false;
	v = json_object_getn(obj, l->f[f->when_sibling].key,
			     l->f[f->when_sibling].klen);
	switch (f->when) {
	case COND_EQUALS:
		return matches(v, f->when_value);
	case COND_IN:
		json_array_foreach (f->when_value, k, e)
			if (matches(v, e))
				return true;
		return false;
	case COND_TRUE:
		return json_is_true(v);
	default:
		return !json_is_true(v);
	}
}

static bool chosen(const struct field *sel, const json_t *v)
{
	const json_t *e;
	size_t i;

	if (json_is_string(v))
		return !strcmp(json_string_value(v), sel->other);
	json_array_foreach (v, i, e)
		if (json_is_string(e) &&
		    !strcmp(json_string_value(e), sel->other))
			return true;
	return false;
}

static bool required(const struct list *l, const json_t *obj, size_t i)
{
	const struct field *f = &l->f[i];
	size_t k = f->other_of;

	if (f->required)
		return true;
	/* Choosing "其他" asks for the text that says what it is. */
	return k != NONE && active(l, obj, k, 0) &&
	       chosen(&l->f[k], json_object_get(obj, l->f[k].key));
}

/* The field as messages name it: its group's label (if any) and its own. */
static const char *who(struct vctx *c, const struct field *f)
{
	size_t n = 0;
	push(c->who, sizeof(c->who), &n, "%s%s", c->group + c->gbase, f->label);
	return c->who;
}

static void format_number(double d, char out[32])
{
	snprintf(out, 32, "%.15g", d);
}

/*
 * Reads a JSON number or a decimal string ("12.50", "-3"). Returns 0, or
 * -1 when it is not a number. *places counts the digits after the point
 * that matter (trailing zeros do not).
 */
static int decimal_value(const json_t *v, double *out, int *places)
{
	const char *s, *p, *d;
	int64_t ip;
	double frac = 0, scale = 1;
	size_t n;

	*places = 0;
	if (json_is_integer(v)) {
		*out = (double)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double x = json_real_value(v);

		*out = x;
		x = x < 0 ? -x : x;
		/* Digits past the 15th are the binary fraction's. */
		while (*places < 10 && x < 1e17) {
			double diff = x - (double)(int64_t)(x + 0.5);
			if ((diff < 0 ? -diff : diff) <=
			    1e-12 * (x > 1 ? x : 1))
				break;
			x *= 10;
			(*places)++;
		}
		return 0;
	}
	s = json_string_value(v);
	if (!s)
		return -1;
	p = s + (*s == '-');
	d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d || p - d > 15 ||
	    str_to_i64((struct str){ d, (size_t)(p - d) }, 0, INT64_MAX, &ip) <
		    0)
		return -1;
	if (*p == '.') {
		d = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		n = (size_t)(p - d);
		if (!n || n > 15)
			return -1;
		while (n && d[n - 1] == '0')
			n--;
		for (size_t i = 0; i < n; i++) {
			scale *= 10;
			frac += (d[i] - '0') / scale;
		}
		*places = (int)n;
	}
	if (*p)
		return -1;
	*out = (double)ip + frac;
	if (*s == '-')
		*out = -*out;
	return 0;
}

static void check_number(struct vctx *c, const struct field *f, const json_t *v)
{
	char lo[32], hi[32];
	double d;
	int places;

	if (decimal_value(v, &d, &places) < 0) {
		add_error(c, c->path, "format", "%s%s应为数字", c->name,
			  who(c, f));
		return;
	}
	if (d < f->dmin || d > f->dmax) {
		format_number(f->dmin, lo);
		format_number(f->dmax, hi);
		if (f->has_max)
			add_error(c, c->path, "out_of_range",
				  "%s%s应在 %s 到 %s 之间", c->name, who(c, f),
				  lo, hi);
		else if (d < f->dmin)
			add_error(c, c->path, "out_of_range", "%s%s不能小于 %s",
				  c->name, who(c, f), lo);
		else
			add_error(c, c->path, "out_of_range", "%s%s超出范围",
				  c->name, who(c, f));
	} else if (places > f->scale) {
		if (f->scale)
			add_error(c, c->path, "out_of_range",
				  "%s%s最多保留 %d 位小数", c->name, who(c, f),
				  f->scale);
		else
			add_error(c, c->path, "out_of_range", "%s%s应为整数",
				  c->name, who(c, f));
	}
}

static void check_text(struct vctx *c, const struct field *f, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), n;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') ||
		    ch == 0x7F) {
			add_error(c, c->path, "format",
				  "%s%s含有不可见的控制字符", c->name,
				  who(c, f));
			return;
		}
	}
	if (!strncmp(s, FORM_SEAL_PREFIX, sizeof(FORM_SEAL_PREFIX) - 1)) {
		add_error(c, c->path, "format",
			  "%s%s不能以“" FORM_SEAL_PREFIX "”开头", c->name,
			  who(c, f));
		return;
	}
	n = form_count_chars(s, len);
	if (n > (size_t)f->max)
		add_error(c, c->path, "too_long",
			  "%s%s不能超过 %lld 个字（当前 %zu 字）", c->name,
			  who(c, f), (long long)f->max, n);
	else if (c->mode == FORM_SUBMIT && f->has_min && n < (size_t)f->min)
		add_error(c, c->path, "too_short",
			  "%s%s不能少于 %lld 个字（当前 %zu 字）", c->name,
			  who(c, f), (long long)f->min, n);
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "YYYY-MM-DD" into YYYYMMDD, or "YYYY-MM" into YYYYMM; -1 if not a date. */
static int parse_date(const char *s, bool with_day)
{
	size_t n = strlen(s);
	int y, m, d = 1;

	if (n != (with_day ? 10u : 7u) || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) ||
	    (with_day && (s[7] != '-' || !digits(s + 8, 2))))
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (with_day)
		d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1000 || !ident_date_valid(y, m, d))
		return -1;
	return with_day ? y * 10000 + m * 100 + d : y * 100 + m;
}

static void check_ym(struct vctx *c, const struct field *f, const json_t *v,
		     bool req)
{
	static const char *const ends[2] = { "start", "end" };
	static const char *const words[2] = { "开始", "结束" };
	int ym[2] = { -1, -1 };
	const char *key;
	const json_t *e;
	size_t old;

	json_object_foreach (mut(v), key, e) {
		char q[48];

		if (!strcmp(key, "start") || !strcmp(key, "end"))
			continue;
		quote(key, q);
		old = push(c->path, PATH_LEN, &c->plen, ".%s", key);
		add_error(c, c->path, "unknown_field", "%s%s不含“%s”", c->name,
			  who(c, f), q);
		pop(c->path, &c->plen, old);
	}
	for (int k = 0; k < 2; k++) {
		e = json_object_get(v, ends[k]);
		old = push(c->path, PATH_LEN, &c->plen, ".%s", ends[k]);
		if (!filled(f, e)) {
			if (req)
				add_error(c, c->path, "required",
					  "%s请填写%s的%s年月", c->name,
					  who(c, f), words[k]);
		} else if (!json_is_string(e)) {
			add_error(c, c->path, "type",
				  "%s%s的%s年月数据类型不正确", c->name,
				  who(c, f), words[k]);
		} else if ((ym[k] = parse_date(json_string_value(e), false)) <
			   0) {
			add_error(c, c->path, "format",
				  "%s%s的%s年月应为“YYYY-MM”格式的有效年月",
				  c->name, who(c, f), words[k]);
		}
		pop(c->path, &c->plen, old);
	}
	if (ym[0] >= 0 && ym[1] >= 0 && ym[0] > ym[1])
		add_error(c, c->path, "out_of_range",
			  "%s%s的开始年月不能晚于结束年月", c->name, who(c, f));
}

static size_t option_index(const struct field *f, const char *s)
{
	for (size_t i = 0; i < f->nopts; i++)
		if (!strcmp(f->opts[i], s))
			return i;
	return NONE;
}

static void check_items(struct vctx *c, const struct field *f, size_t n)
{
	if (n > (size_t)f->max)
		add_error(c, c->path, "out_of_range",
			  "%s%s最多选择 %lld 项（当前 %zu 项）", c->name,
			  who(c, f), (long long)f->max, n);
	else if (c->mode == FORM_SUBMIT && f->has_min && n < (size_t)f->min)
		add_error(c, c->path, "out_of_range",
			  "%s%s至少选择 %lld 项（当前 %zu 项）", c->name,
			  who(c, f), (long long)f->min, n);
}

static void check_multi(struct vctx *c, const struct field *f, const json_t *v)
{
	bool seen[MAX_OPTIONS] = { false };
	const json_t *e;
	size_t i, n = json_array_size(v);

	check_items(c, f, n);
	/* More items than options cannot be distinct; the count says so. */
	if (n > f->nopts)
		return;
	json_array_foreach (v, i, e) {
		size_t k, old = push_index(c->path, PATH_LEN, &c->plen, i);

		if (!json_is_string(e)) {
			add_error(c, c->path, "type",
				  "%s%s的第 %zu 项数据类型不正确", c->name,
				  who(c, f), i + 1);
		} else if ((k = option_index(f, json_string_value(e))) ==
			   NONE) {
			add_error(c, c->path, "not_an_option",
				  "%s%s的第 %zu 项不在可选范围内", c->name,
				  who(c, f), i + 1);
		} else if (seen[k]) {
			add_error(c, c->path, "not_an_option",
				  "%s%s重复选择了“%s”", c->name, who(c, f),
				  f->opts[k]);
		} else {
			seen[k] = true;
		}
		pop(c->path, &c->plen, old);
	}
}

static void check_region(struct vctx *c, const struct field *f, const json_t *v)
{
	const char *code[3];
	size_t n = json_array_size(v);

	if (n > 3) {
		add_error(c, c->path, "format", "%s%s最多为省、市、区县三级",
			  c->name, who(c, f));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		code[i] = json_string_value(json_array_get(v, i));
		if (!code[i] || strlen(code[i]) != 6 || !digits(code[i], 6)) {
			add_error(c, c->path, "format",
				  "%s%s的地区代码应为 6 位数字", c->name,
				  who(c, f));
			return;
		}
	}
	/*
	 * 440000 广东 > 440300 深圳 > 440305 南山: each level keeps its
	 * parent's prefix and adds a non-zero part of its own.
	 */
	if (!strncmp(code[0], "00", 2) || strcmp(code[0] + 2, "0000") ||
	    (n > 1 &&
	     (strncmp(code[1], code[0], 2) || !strncmp(code[1] + 2, "00", 2) ||
	      strcmp(code[1] + 4, "00"))) ||
	    (n > 2 &&
	     (strncmp(code[2], code[1], 4) || !strcmp(code[2] + 4, "00"))))
		add_error(c, c->path, "format", "%s%s的省、市、区县代码不对应",
			  c->name, who(c, f));
}

static void check_industries(struct vctx *c, const struct field *f,
			     const json_t *v)
{
	bool seen[1000] = { false };
	const json_t *e;
	size_t i, n = json_array_size(v);

	check_items(c, f, n);
	if (n > 1000)
		return;
	json_array_foreach (v, i, e) {
		const char *s = json_string_value(e);
		size_t old = push_index(c->path, PATH_LEN, &c->plen, i);
		int k;

		if (!s || strlen(s) != 3 || !digits(s, 3)) {
			add_error(c, c->path, "format",
				  "%s%s的第 %zu 项应为 3 位行业代码", c->name,
				  who(c, f), i + 1);
		} else if (k = (s[0] - '0') * 100 + (s[1] - '0') * 10 +
			       (s[2] - '0'),
			   c->s->have_codes && !c->s->codes[k]) {
			add_error(
				c, c->path, "format",
				"%s%s的代码“%s”不是 GB/T 4754-2017 的行业中类",
				c->name, who(c, f), s);
		} else if (seen[k]) {
			add_error(c, c->path, "format",
				  "%s%s重复选择了行业“%s”", c->name, who(c, f),
				  s);
		} else {
			seen[k] = true;
		}
		pop(c->path, &c->plen, old);
	}
}

static void check_id_number(struct vctx *c, const struct list *l,
			    const json_t *obj, const struct field *f,
			    const char *s)
{
	const char *type = NULL, *why, *rest;
	char norm[ID_NUMBER_MAX + 1];
	bool sum;

	if (f->type_key != NONE && active(l, obj, f->type_key, 0))
		type = json_string_value(
			json_object_get(obj, l->f[f->type_key].key));
	if (!type || !ident_id_type_ok(type)) {
		/* The type's own error says what to fix; keep to the basics. */
		ident_id_normalize(s, norm);
		for (size_t i = 0; norm[i]; i++)
			if (!((norm[i] >= 'A' && norm[i] <= 'Z') ||
			      (norm[i] >= '0' && norm[i] <= '9')))
				norm[0] = '\0';
		if (!norm[0])
			add_error(c, c->path, "format", "%s%s格式不正确",
				  c->name, who(c, f));
		return;
	}
	why = ident_id_check(type, s, c->today, &sum);
	if (!why)
		return;
	if (sum) {
		add_error(c, c->path, "checksum", "%s%s校验位不正确", c->name,
			  who(c, f));
		return;
	}
	rest = strstr(why, "号码");
	add_error(c, c->path, "format", "%s%s（%s）%s", c->name, who(c, f),
		  type, rest ? rest + strlen("号码") : "格式不正确");
}

static void check_value(struct vctx *c, const struct list *l, const json_t *obj,
			size_t i, const json_t *v)
{
	static const char uscc_word[] = "统一社会信用代码";
	const struct field *f = &l->f[i];
	const char *s = json_string_value(v), *why;
	bool req = c->mode == FORM_SUBMIT && required(l, obj, i), sum;
	int ymd;

	if (!filled(f, v)) {
		if (req)
			add_error(c, c->path, "required", "%s请%s%s", c->name,
				  kinds[f->kind].choose ? "选择" : "填写",
				  who(c, f));
		return;
	}
	if (!type_ok(f, v)) {
		add_error(c, c->path, "type", "%s%s的数据类型不正确", c->name,
			  who(c, f));
		return;
	}
	switch (f->kind) {
	case K_TEXT:
	case K_TEXTAREA:
		check_text(c, f, v);
		break;
	case K_INTEGER:
		if (json_integer_value(v) < f->min ||
		    json_integer_value(v) > f->max) {
			if (f->has_max)
				add_error(c, c->path, "out_of_range",
					  "%s%s应在 %lld 到 %lld 之间", c->name,
					  who(c, f), (long long)f->min,
					  (long long)f->max);
			else
				add_error(c, c->path, "out_of_range",
					  "%s%s不能小于 %lld", c->name,
					  who(c, f), (long long)f->min);
		}
		break;
	case K_DECIMAL:
	case K_PERCENT:
		check_number(c, f, v);
		break;
	case K_DATE:
		ymd = parse_date(s, true);
		if (ymd < 0)
			add_error(c, c->path, "format",
				  "%s%s应为“YYYY-MM-DD”格式的有效日期", c->name,
				  who(c, f));
		else if (f->max_today && ymd > c->today)
			add_error(c, c->path, "out_of_range",
				  "%s%s不能晚于今天", c->name, who(c, f));
		break;
	case K_YM_RANGE:
		check_ym(c, f, v, req);
		break;
	case K_SELECT:
		if (option_index(f, s) == NONE)
			add_error(c, c->path, "not_an_option",
				  "%s%s的选项不在可选范围内", c->name,
				  who(c, f));
		break;
	case K_MULTISELECT:
		check_multi(c, f, v);
		break;
	case K_REGION:
		check_region(c, f, v);
		break;
	case K_INDUSTRIES:
		check_industries(c, f, v);
		break;
	case K_USCC:
		why = ident_uscc_check(s, &sum);
		if (why && !strncmp(why, uscc_word, sizeof(uscc_word) - 1))
			why += sizeof(uscc_word) - 1;
		if (why)
			add_error(c, c->path, sum ? "checksum" : "format",
				  "%s%s%s", c->name, who(c, f), why);
		break;
	case K_ID_TYPE:
		if (!ident_id_type_ok(s))
			add_error(c, c->path, "not_an_option",
				  "%s%s的选项不在可选范围内", c->name,
				  who(c, f));
		break;
	case K_ID_NUMBER:
		check_id_number(c, l, obj, f, s);
		break;
	case K_MOBILE:
		if (!ident_mobile_ok(s))
			add_error(c, c->path, "format",
				  "%s%s应为 11 位中国大陆手机号", c->name,
				  who(c, f));
		break;
	case K_EMAIL:
		if (!ident_email_ok(s))
			add_error(c, c->path, "format", "%s%s格式不正确",
				  c->name, who(c, f));
		break;
	default:
		/* competition, track and topic: the API checks the catalog. */
		break;
	}
}

static void check_list(struct vctx *c, const struct list *l, const json_t *obj,
		       bool sections);

static void check_table(struct vctx *c, const struct field *f, const json_t *v)
{
	const char *rl = f->row_label ? f->row_label : f->label;
	size_t rows, nold, gbase = c->gbase;

	if (v && !json_is_null(v) && !json_is_array(v)) {
		add_error(c, c->path, "type", "%s%s的数据类型不正确", c->name,
			  who(c, f));
		return;
	}
	rows = json_array_size(v);
	if (rows > f->max_rows)
		add_error(c, c->path, "rows", "%s%s最多 %zu 行（当前 %zu 行）",
			  c->name, who(c, f), f->max_rows, rows);
	else if (c->mode == FORM_SUBMIT && !rows && f->required)
		add_error(c, c->path, "required", "%s请填写%s", c->name,
			  who(c, f));
	else if (c->mode == FORM_SUBMIT && rows < f->min_rows)
		add_error(c, c->path, "rows", "%s%s至少 %zu 行（当前 %zu 行）",
			  c->name, who(c, f), f->min_rows, rows);
	/* Rows past the maximum are not read: the count is already wrong. */
	for (size_t i = 0; i < rows && i < f->max_rows && !full(c); i++) {
		const json_t *row = json_array_get(v, i);
		size_t pold = push_index(c->path, PATH_LEN, &c->plen, i);

		nold = push(c->name, NAME_LEN, &c->nlen, "%s%s第 %zu 行：",
			    c->group + gbase, rl, i + 1);
		c->gbase = c->glen;
		if (!json_is_object(row))
			add_error(c, c->path, "type", "%s数据类型不正确",
				  c->name);
		else
			check_list(c, &f->sub, row, false);
		c->gbase = gbase;
		pop(c->name, &c->nlen, nold);
		pop(c->path, &c->plen, pold);
	}
}

static void check_field(struct vctx *c, const struct list *l, const json_t *obj,
			size_t i, bool section)
{
	const struct field *f = &l->f[i];
	const json_t *v = json_object_getn(obj, f->key, f->klen);
	size_t pold = push_key(c->path, PATH_LEN, &c->plen, f->key);
	size_t gold = c->glen;

	if (f->kind == K_GROUP) {
		if (v && !json_is_null(v) && !json_is_object(v)) {
			add_error(c, c->path, "type", "%s%s的数据类型不正确",
				  c->name, who(c, f));
		} else {
			if (!section)
				push(c->group, sizeof(c->group), &c->glen,
				     "%s·", f->label);
			check_list(c, &f->sub, json_is_object(v) ? v : NULL,
				   false);
		}
	} else if (f->kind == K_TABLE) {
		check_table(c, f, v);
	} else {
		check_value(c, l, obj, i, v);
	}
	pop(c->group, &c->glen, gold);
	pop(c->path, &c->plen, pold);
}

static void check_list(struct vctx *c, const struct list *l, const json_t *obj,
		       bool sections)
{
	const char *key;
	const json_t *v;

	for (size_t i = 0; i < l->n && !full(c); i++)
		if (active(l, obj, i, 0))
			check_field(c, l, obj, i, sections);
	json_object_foreach (mut(obj), key, v) {
		char q[48];
		size_t old;

		if (full(c))
			return;
		if (find(l, key, strlen(key)) != NONE)
			continue;
		quote(key, q);
		old = push(c->path, PATH_LEN, &c->plen, "%s%s",
			   c->plen ? "." : "", key);
		add_error(c, c->path, "unknown_field",
			  "%s申报书中没有“%s”这一项", c->name, q);
		pop(c->path, &c->plen, old);
	}
}

/* Rules */

struct hits {
	const json_t *v[MAX_HITS];
	size_t n;
	const struct field *f;
};

/* Gathers the values a rule path names, skipping fields hidden by `when`. */
static void collect(const struct list *l, const json_t *obj, const char *p,
		    struct hits *h)
{
	const struct field *f;
	const json_t *v;
	struct seg s;
	int more = next_seg(&p, &s);
	size_t i;

	if (more < 0 || (i = find(l, s.key, s.klen)) == NONE ||
	    !active(l, obj, i, 0))
		return;
	f = &l->f[i];
	v = json_object_getn(obj, f->key, f->klen);
	if (s.sel == SEL_NONE) {
		if (!more) {
			h->f = f;
			if (h->n < MAX_HITS)
				h->v[h->n++] = v;
			return;
		}
		collect(&f->sub, json_is_object(v) ? v : NULL, p, h);
		return;
	}
	for (size_t r = 0; r < json_array_size(v) && r < f->max_rows; r++) {
		const json_t *row = json_array_get(v, r);
		if (s.sel == SEL_INDEX && r != s.index)
			continue;
		if (s.sel == SEL_WHERE &&
		    !json_is_true(json_object_getn(row, s.col, s.clen)))
			continue;
		if (json_is_object(row))
			collect(&f->sub, row, p, h);
	}
}

/* "Filled" as min_filled counts: not empty, not zero, not false. */
static bool nonzero(const json_t *v)
{
	double d;
	int places;

	if (!v || json_is_null(v) || json_is_false(v) || str_blank(v))
		return false;
	if (json_is_array(v) || json_is_object(v))
		return json_is_array(v) ? json_array_size(v) > 0
					: json_object_size(v) > 0;
	if ((json_is_number(v) || json_is_string(v)) &&
	    !decimal_value(v, &d, &places))
		return d != 0;
	return true;
}

static void normalized(const struct field *f, const char *s, char *out,
		       size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), a = trim_head(u, len), b = trim_tail(u, a, len);
	char tmp[ID_NUMBER_MAX + 1];

	if (f && f->kind == K_USCC && n > USCC_LEN) {
		ident_uscc_normalize(s, out);
		return;
	}
	if (f && f->kind == K_ID_NUMBER && n > ID_NUMBER_MAX) {
		ident_id_normalize(s, out);
		return;
	}
	if (f && f->kind == K_MOBILE && n > 11 &&
	    !ident_mobile_normalize(s, tmp)) {
		snprintf(out, n, "%s", tmp);
		return;
	}
	snprintf(out, n, "%.*s", (int)(b - a), s + a);
}

static bool same(const struct field *f, const json_t *x, const json_t *y)
{
	char a[1024], b[1024];

	if (!json_is_string(x) || !json_is_string(y))
		return json_equal(x, y);
	normalized(f, json_string_value(x), a, sizeof(a));
	normalized(f, json_string_value(y), b, sizeof(b));
	return !strcmp(a, b);
}

static void check_rule(struct vctx *c, const struct rule *r, struct hits *h,
		       struct hits *h2)
{
	const char *msg = r->message ? r->message : r->auto_message;
	char lo[32], hi[32];
	size_t n = 0;
	double sum = 0;

	h->n = h2->n = 0;
	switch (r->kind) {
	case R_MIN_FILLED:
		for (size_t i = 0; i < r->npaths; i++)
			collect(&c->s->root, c->doc, r->paths[i], h);
		for (size_t i = 0; i < h->n; i++)
			n += nonzero(h->v[i]);
		if (n < (size_t)r->min)
			add_error(c, r->field, "rule", "%s", msg);
		break;
	case R_EXACTLY_ONE:
		collect(&c->s->root, c->doc, r->column_path, h);
		for (size_t i = 0; i < h->n; i++)
			n += json_is_true(h->v[i]);
		if (n != 1 && r->message)
			add_error(c, r->field, "rule", "%s", msg);
		else if (n != 1)
			add_error(c, r->field, "rule", "%s（当前 %zu 行）", msg,
				  n);
		break;
	case R_SUM_MAX:
		for (size_t i = 0; i < r->npaths; i++)
			collect(&c->s->root, c->doc, r->paths[i], h);
		for (size_t i = 0; i < h->n; i++) {
			double d;
			int places;
			if (json_is_number(h->v[i]) || json_is_string(h->v[i]))
				if (!decimal_value(h->v[i], &d, &places))
					sum += d;
		}
		if (sum <= r->max + 1e-9)
			break;
		format_number(r->max, lo);
		format_number(sum, hi);
		if (r->message)
			add_error(c, r->field, "rule", "%s", msg);
		else
			add_error(c, r->field, "rule", "%s%s（当前 %s）", msg,
				  lo, hi);
		break;
	case R_EQUALS:
		collect(&c->s->root, c->doc, r->paths[0], h);
		collect(&c->s->root, c->doc, r->paths[1], h2);
		/* An empty side is for `required` to report, not this rule. */
		for (size_t i = 0; i < h->n; i++) {
			if (!filled(h->f, h->v[i]))
				continue;
			for (size_t k = 0; k < h2->n; k++) {
				if (!filled(h2->f, h2->v[k]))
					continue;
				n++;
				if (same(h->f, h->v[i], h2->v[k]))
					return;
			}
		}
		if (n)
			add_error(c, r->field, "rule", "%s", msg);
		break;
	}
}

int form_validate(const struct form_schema *s, const json_t *doc,
		  enum form_mode mode, int today, json_t *errors)
{
	struct vctx *c = calloc(1, sizeof(*c));
	struct hits *h = malloc(2 * sizeof(*h));
	int rc;

	if (!c || !h) {
		free(c);
		free(h);
		return -1;
	}
	c->s = s;
	c->doc = doc;
	c->mode = mode;
	c->today = today;
	c->errors = errors;
	if (!json_is_object(doc))
		add_error(c, "", "type", "申报书内容应为 JSON 对象");
	else
		check_list(c, &s->root, doc, true);
	if (json_is_object(doc) && mode == FORM_SUBMIT)
		for (size_t i = 0; i < s->nrules && !full(c); i++)
			check_rule(c, &s->rules[i], &h[0], &h[1]);
	rc = c->oom ? -1 : c->n;
	free(h);
	free(c);
	return rc;
}

/* Walking for the API */

struct each {
	uint32_t kinds; /* bit k: kind k is wanted */
	void (*fn)(const char *path, const json_t *value, void *cls);
	void (*fn_kind)(const char *path, const char *kind, const json_t *value,
			void *cls);
	void *cls;
	int n;
	char path[PATH_LEN];
	size_t plen;
};

static void each_list(struct each *e, const struct list *l, const json_t *obj)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct field *f = &l->f[i];
		const json_t *v = json_object_getn(obj, f->key, f->klen);
		size_t old;

		if (!v || !active(l, obj, i, 0))
			continue;
		old = push_key(e->path, PATH_LEN, &e->plen, f->key);
		if ((e->kinds & (UINT32_C(1) << f->kind)) && filled(f, v) &&
		    type_ok(f, v)) {
			if (e->fn_kind)
				e->fn_kind(e->path, kinds[f->kind].name, v,
					   e->cls);
			else
				e->fn(e->path, v, e->cls);
			e->n++;
		}
		if (f->kind == K_GROUP && json_is_object(v)) {
			each_list(e, &f->sub, v);
		} else if (f->kind == K_TABLE) {
			for (size_t r = 0;
			     r < json_array_size(v) && r < f->max_rows; r++) {
				const json_t *row = json_array_get(v, r);
				size_t rold;

				if (!json_is_object(row))
					continue;
				rold = push_index(e->path, PATH_LEN, &e->plen,
						  r);
				each_list(e, &f->sub, row);
				pop(e->path, &e->plen, rold);
			}
		}
		pop(e->path, &e->plen, old);
	}
}

_Static_assert(K_COUNT <= 32, "struct each keeps the kinds in 32 bits");

static int kind_of(const char *name)
{
	for (int k = 0; k < K_COUNT; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

/* Walks doc for e and frees e; returns the number of calls. */
static int each_run(const struct form_schema *s, const json_t *doc,
		    struct each *e)
{
	int n;

	if (json_is_object(doc))
		each_list(e, &s->root, doc);
	n = e->n;
	free(e);
	return n;
}

int form_each(const struct form_schema *s, const json_t *doc, const char *kind,
	      void (*fn)(const char *path, const json_t *value, void *cls),
	      void *cls)
{
	int k = kind_of(kind);
	struct each *e;

	if (k < 0)
		return -1;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->kinds = UINT32_C(1) << k;
	e->fn = fn;
	e->cls = cls;
	return each_run(s, doc, e);
}

int form_each_of(const struct form_schema *s, const json_t *doc,
		 const char *const *kind_names,
		 void (*fn)(const char *path, const char *kind,
			    const json_t *value, void *cls),
		 void *cls)
{
	struct each *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	for (size_t i = 0; kind_names[i]; i++) {
		int k = kind_of(kind_names[i]);
		if (k < 0) {
			free(e);
			return -1;
		}
		e->kinds |= UINT32_C(1) << k;
	}
	e->fn_kind = fn;
	e->cls = cls;
	return each_run(s, doc, e);
}
