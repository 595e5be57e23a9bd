/* harness.h: a tiny TAP-style test harness ending with "N passed, N failed" */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stdio.h>
#include <string.h>

static int t_passed, t_failed;

#define ok(cond, ...)                                                          \
	do {                                                                   \
		if (cond) {                                                    \
			t_passed++;                                            \
		} else {                                                       \
			t_failed++;                                            \
			printf("not ok - %s:%d: ", __FILE__, __LINE__);        \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
		}                                                              \
	} while (0)

#define is_int(got, want, name)                                                \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		ok(g_ == w_, "%s: got %lld, want %lld", name, g_, w_);         \
	} while (0)

#define is_str(got, want, name)                                                \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		ok(g_ &&w_ && !strcmp(g_, w_), "%s: got '%s', want '%s'",      \
		   name, g_ ? g_ : "(null)", w_ ? w_ : "(null)");              \
	} while (0)

static inline int done_testing(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, t_passed, t_failed);
	return t_failed ? 1 : 0;
}

#endif
