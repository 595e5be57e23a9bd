/* input.h: reading JSON request fields, each problem named by its field */
#ifndef API_INPUT_H
#define API_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include "../http/request.h"

/*
 * Each reader records a field error on r (with a Chinese message naming
 * the field by its label) and returns NULL/false when the value is
 * missing or malformed; the handler reads everything, then fails once
 * with every problem listed (input_failed()).
 */

/*
 * Returns the string at key, trimmed of surrounding spaces, copied into
 * the arena; NULL when absent (an error only if required) or when it is
 * not a string, or longer than max_chars characters.
 */
const char *in_str(struct req *r, const char *key, const char *label,
		   bool required, size_t max_chars);

/* Returns the boolean at key; absent is false; non-booleans are errors. */
bool in_bool(struct req *r, const char *key, const char *label);

/* Records an error for every key of the body not in the NULL-ended list. */
void in_only(struct req *r, const char *const *keys);

/* True when some field error has been recorded. */
bool input_has_errors(struct req *r);

/* Fails the request with E_INVALID and the recorded fields; returns -1. */
int input_failed(struct req *r);

#endif
