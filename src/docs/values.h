/*
 * values.h: reading the form schema (docs/FORM-SCHEMA.md) for documents:
 * field kinds, `when` conditions, and a document's values as the text
 * people read ("12.5 %", "是", "广东省（440305）", "541 城市公共交通运输").
 */
#ifndef DOCS_VALUES_H
#define DOCS_VALUES_H

#include <stdbool.h>
#include <jansson.h>
#include "jscan.h"
#include "../util/buf.h"

struct xp_vctx {
	const json_t *competition; /* catalog object: tracks, topics */
	const json_t *industry_names; /* {"541": "城市公共交通运输", …} or NULL */
	bool checkboxes; /* multiple choice as "■ 甲　□ 乙" (short lists) */
};

/* The field's `kind`, `key`, `label`, `number` and `unit` ("" if none). */
const char *xp_kind(const json_t *field);
const char *xp_key(const json_t *field);
const char *xp_label(const json_t *field);
const char *xp_number_of(const json_t *field);
const char *xp_unit(const json_t *field);

/* True for kinds that hold one value (not group or table). */
bool xp_scalar(const json_t *field);

/* True when the value counts as filled (FORM-SCHEMA.md "filled"). */
bool xp_filled(const json_t *v);

/*
 * True when the field's `when` condition holds against its siblings'
 * values in obj (or it has none).
 */
bool xp_when_holds(const json_t *field, const json_t *obj);

/*
 * True when field is the `other_key` text of a choice among fields: it is
 * shown together with that choice, not on its own.
 */
bool xp_is_other_text(const json_t *fields, const json_t *field);

/*
 * Appends the value of a scalar field as text to b: obj holds the
 * field's siblings (for `other_key` texts and a topic's track) and
 * fields their schema. Nothing is appended for an unfilled value.
 * Returns 0, or -1 when b is full.
 */
int xp_value(const struct xp_vctx *c, const json_t *fields, const json_t *field,
	     const json_t *obj, struct buf *b);

/*
 * For number kinds (integer, decimal, percent) with a numeric value:
 * stores it in *out and returns true.
 */
bool xp_value_number(const json_t *field, const json_t *value, double *out);

/*
 * The same for a document parsed by jscan.h (the exports), with what a
 * field's schema says read once per column (xp_xfield_init()) rather
 * than once per cell. The schema stays jansson's.
 */
enum xp_xkind {
	XK_OTHER,
	XK_INTEGER,
	XK_DECIMAL,
	XK_PERCENT,
	XK_BOOLEAN,
	XK_SELECT,
	XK_MULTISELECT,
	XK_YEAR_MONTH_RANGE,
	XK_REGION,
	XK_INDUSTRIES,
	XK_COMPETITION,
	XK_TRACK,
	XK_TOPIC
};

struct xp_xfield {
	const json_t *field;  /* its schema */
	const json_t *fields; /* its siblings' */
	enum xp_xkind kind;
	const char *key; /* xp_key() */
	size_t keylen;
	const char *unit;      /* xp_unit() */
	const char *other;     /* the option that takes a text, or NULL */
	const char *other_key; /* where that text is, or NULL */
	const char *track_key; /* a topic: its sibling track's key, or NULL */
	/* Its `when`, if any: the sibling it reads and the test. */
	bool when;
	const char *when_field;
	const json_t *when_equals, *when_in, *when_is_true;
};

/* Reads field (one of fields) into f; f points into the schema. */
void xp_xfield_init(struct xp_xfield *f, const json_t *fields,
		    const json_t *field);

bool xp_xfilled(const struct xj *v);
bool xp_xwhen_holds(const struct xp_xfield *f, const struct xj *obj);
/* v: obj's value of f (xj_getn(obj, f->key, f->keylen)). */
int xp_xvalue(const struct xp_vctx *c, const struct xp_xfield *f,
	      const struct xj *obj, const struct xj *v, struct buf *b);
bool xp_xvalue_number(const struct xp_xfield *f, const struct xj *value,
		      double *out);

/*
 * Builds {"code": "name"} for the 中类 of catalog/data/gbt4754-2017.json.
 * Returns a new reference, or NULL.
 */
json_t *xp_industry_names(const json_t *gbt4754);

/*
 * The schema field at a dotted path of keys ("value.cases",
 * "ip.property.patents"), the first key naming a section (a table
 * section, "members", is returned as the section). NULL when none.
 */
const json_t *xp_schema_field(const json_t *schema, const char *path);

#endif
