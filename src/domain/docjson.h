/* docjson.h: the compact JSON text of a document, written quickly */
#ifndef DOMAIN_DOCJSON_H
#define DOMAIN_DOCJSON_H

#include <stddef.h>
#include <jansson.h>

/*
 * Returns the text json_dumps(v, JSON_COMPACT) returns, byte for byte (the
 * keys in the object's order, non-ASCII as UTF-8, the same escapes and
 * numbers), in a malloc()ed string the caller frees; *len (when not NULL)
 * is its length. NULL when out of memory or when v is not an object or
 * array (as json_dumps without JSON_ENCODE_ANY), or holds a string that is
 * not UTF-8 (which json_dumps refuses too). Every draft save writes its
 * whole 申报书 this way; jansson's writer costs several times more.
 */
char *dom_json_dump(const json_t *v, size_t *len);

#endif
