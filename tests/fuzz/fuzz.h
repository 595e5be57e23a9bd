/* fuzz.h: what every libFuzzer target in tests/fuzz/ shares */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry points (declared here for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A broken invariant is a finding: abort() so libFuzzer saves the input,
 * with the condition printed (assert() would vanish under NDEBUG).
 */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",       \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * A NUL-terminated heap copy of n bytes of data, cut at the first NUL as
 * any C string the server receives would be; free() it.
 */
static inline char *fuzz_strndup(const uint8_t *data, size_t n)
{
	size_t len = strnlen((const char *)data, n);
	char *s = malloc(len + 1);
	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

#endif
