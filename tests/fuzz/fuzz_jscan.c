/*
 * fuzz_jscan: any text through the exports' JSON parser (docs/jscan.c)
 * and through jansson, the parser it stands in for: both accept or both
 * refuse (but for nesting past XJ_MAX_DEPTH, which only jscan refuses),
 * and an accepted text without repeated keys gives an equal tree that
 * dumps as jansson dumps it. Every key of every object is found.
 */
#include <jansson.h>
#include "fuzz.h"
#include "docs/jscan.h"

static struct xj_arena arena;

static void lookups(const struct xj *v)
{
	if (v->type != XJ_ARRAY && v->type != XJ_OBJECT)
		return;
	for (uint32_t i = 0; i < v->n; i++) {
		const struct xj *k = &v->u.kids[i];
		if (v->type == XJ_OBJECT)
			FUZZ_CHECK(xj_getn(v, k->key, k->keylen) != NULL);
		lookups(k);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/*
	 * Cut at the first NUL, as the stored documents (C strings) reach
	 * the parser: jansson takes some NUL bytes as blanks, jscan none.
	 */
	char *text = fuzz_strndup(data, size);
	size_t len = strlen(text);
	char err[128] = "";
	const struct xj *v = xj_parse(&arena, text, len, err, sizeof(err));
	json_t *j = json_loadb(text, len, JSON_DECODE_ANY, NULL);

	if (!v && j)
		FUZZ_CHECK(strstr(err, "nested too deep") != NULL);
	if (v)
		FUZZ_CHECK(j != NULL);
	if (v && j) {
		json_t *unique = json_loadb(
			(const char *)data, size,
			JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
		lookups(v);
		if (unique) {
			char *want =
				json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
			struct buf b;
			buf_init(&b, 64u << 20);
			FUZZ_CHECK(xj_equal_json(v, j));
			FUZZ_CHECK(xj_dump(v, &b) == 0);
			FUZZ_CHECK(want && b.p && !strcmp(b.p, want));
			buf_release(&b);
			free(want);
		}
		json_decref(unique);
	}
	json_decref(j);
	xj_arena_reset(&arena);
	free(text);
	return 0;
}
