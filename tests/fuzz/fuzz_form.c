/*
 * fuzz_form: an application document, as an applicant's browser sends it,
 * checked against the real form (catalog/forms/2026.json with the GB/T
 * 4754 industry codes) in draft and submit mode, then walked by kind
 * (form_each) and read back by every reported path (form_get). Run from
 * the top of the tree: the schema is read from catalog/ at start.
 */
#include <stdbool.h>
#include <jansson.h>
#include "fuzz.h"
#include "domain/form.h"

#define TODAY 20260601

static struct form_schema *schema;

static const char *const kinds[] = { "id_number",   "mobile",	    "uscc",
				     "competition", "email",	    "date",
				     "text",	    "no_such_kind", NULL };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	json_error_t e;
	json_t *s, *ind;
	char err[512];

	(void)argc, (void)argv;
	s = json_load_file("catalog/forms/2026.json", JSON_REJECT_DUPLICATES,
			   &e);
	ind = json_load_file("catalog/data/gbt4754-2017.json",
			     JSON_REJECT_DUPLICATES, &e);
	if (!s || !ind) {
		fprintf(stderr, "fuzz_form: run from the top of the tree "
				"(catalog/forms/2026.json)\n");
		exit(1);
	}
	schema = form_schema_load(s, ind, err, sizeof(err));
	if (!schema) {
		fprintf(stderr, "fuzz_form: the form does not load: %s\n", err);
		exit(1);
	}
	json_decref(s);
	json_decref(ind);
	return 0;
}

struct walk {
	const json_t *doc;
	int calls;
};

static void each(const char *path, const json_t *value, void *cls)
{
	struct walk *w = cls;
	/* The path a value is reported under leads back to that value. */
	FUZZ_CHECK(form_get(w->doc, path) == value);
	w->calls++;
}

static int check(const json_t *doc, enum form_mode mode)
{
	json_t *errors = json_array();
	size_t i;
	json_t *e;
	int n;

	FUZZ_CHECK(errors != NULL);
	n = form_validate(schema, doc, mode, TODAY, errors);
	FUZZ_CHECK(n >= 0 && (size_t)n == json_array_size(errors));
	FUZZ_CHECK(n <= FORM_MAX_ERRORS);
	json_array_foreach (errors, i, e) {
		const char *field =
			json_string_value(json_object_get(e, "field"));
		const char *code =
			json_string_value(json_object_get(e, "code"));
		const char *msg =
			json_string_value(json_object_get(e, "message"));
		FUZZ_CHECK(field && code && *code && msg && *msg);
		(void)form_get(doc, field);
	}
	json_decref(errors);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size,
				 JSON_REJECT_DUPLICATES, &jerr);
	int draft, submit;

	if (!doc)
		return 0;
	draft = check(doc, FORM_DRAFT);
	submit = check(doc, FORM_SUBMIT);
	/* Submit checks everything a draft save does, and more. */
	if (json_is_object(doc) && draft > 0 && draft < FORM_MAX_ERRORS)
		FUZZ_CHECK(submit > 0);
	for (const char *const *k = kinds; *k; k++) {
		struct walk w = { doc, 0 };
		int n = form_each(schema, doc, *k, each, &w);
		FUZZ_CHECK(n < 0 || n == w.calls);
	}
	json_decref(doc);
	return 0;
}
