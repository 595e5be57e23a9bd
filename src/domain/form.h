/* form.h: the application form as data, and the checks it drives */
#ifndef DOMAIN_FORM_H
#define DOMAIN_FORM_H

#include <stddef.h>
#include <jansson.h>

/*
 * docs/FORM-SCHEMA.md is the contract: a schema lists sections of fields
 * of known kinds and rules across them; a document is the JSON object an
 * applicant fills in. A loaded schema is read-only and may be shared by
 * threads.
 */
struct form_schema;

/* At most this many errors are reported for one document. */
#define FORM_MAX_ERRORS 500

/*
 * Sealed values (ID and mobile numbers) are stored as this prefix and
 * their ciphertext, and every string with it is opened when a record is
 * read; so no text an applicant types may start with it.
 */
#define FORM_SEAL_PREFIX "enc:v1:"

/*
 * Parses and checks a schema document: known kinds and keys, key syntax
 * and uniqueness, options, limits, `when` conditions, `other_key` and
 * `type_key` siblings, and rules whose paths resolve. industries is the
 * parsed catalog/data/gbt4754-2017.json, whose 中类 codes the `industries`
 * kind accepts; NULL checks the codes' format only. It is not kept.
 * Returns a schema that holds a reference to schema (so its strings stay
 * valid), or NULL with the first problem in err, named by its path in the
 * schema ("sections[2].fields[3].kind: unknown kind 'txt'").
 */
struct form_schema *form_schema_load(json_t *schema, const json_t *industries,
				     char *err, size_t errlen);

/* Frees a schema and drops its reference; NULL is fine. */
void form_schema_free(struct form_schema *s);

enum form_mode {
	FORM_DRAFT, /* types, formats, limits, options, max rows, unknown */
	FORM_SUBMIT /* also required values, min rows and items, the rules */
};

/*
 * Validates doc and appends each problem to errors (a JSON array) as
 * { "field": "members[1].id_number", "code": "checksum", "message": "…" },
 * paths indexing rows from 0 and messages in Chinese naming the field by
 * its label (and a table's row from 1). Codes are those of FORM-SCHEMA.md.
 * today (YYYYMMDD, China time) bounds birth dates and `max_today` dates.
 * A field whose `when` is false is neither required nor checked. Stops
 * after FORM_MAX_ERRORS errors in errors. Returns the number appended, or
 * -1 when out of memory (errors may then hold some).
 */
int form_validate(const struct form_schema *s, const json_t *doc,
		  enum form_mode mode, int today, json_t *errors);

/*
 * Calls fn for each filled value of a field of the given kind ("id_number",
 * "mobile", "uscc", "competition", …) in doc, with the value's path, in
 * document order. Only values of the kind's JSON type in fields whose
 * `when` holds are passed, and only the rows a table allows. path is valid
 * during the call. Returns the number of calls, or -1 for an unknown kind
 * or out of memory.
 */
int form_each(const struct form_schema *s, const json_t *doc, const char *kind,
	      void (*fn)(const char *path, const json_t *value, void *cls),
	      void *cls);

/*
 * As form_each() for several kinds in one walk: kinds is a NULL-terminated
 * list of kind names, and fn is also told the kind of each value (the
 * kind's name, a string that stays valid). Returns the number of calls,
 * or -1 for an unknown kind or out of memory.
 */
int form_each_of(const struct form_schema *s, const json_t *doc,
		 const char *const *kinds,
		 void (*fn)(const char *path, const char *kind,
			    const json_t *value, void *cls),
		 void *cls);

/*
 * Counts the characters (字) of len bytes of UTF-8 as the platform does:
 * Unicode code points, after CRLF becomes LF and leading and trailing
 * whitespace is trimmed (space, tab, CR, LF and U+3000 ideographic space).
 */
size_t form_count_chars(const char *s, size_t len);

/*
 * Returns the value at path ("members[1].id_number", "basic.track") in
 * doc, borrowed from doc, or NULL when absent or the path is malformed.
 */
const json_t *form_get(const json_t *doc, const char *path);

#endif
