/* clock.h: the server's wall clock, which tests may move forward */
#ifndef UTIL_CLOCK_H
#define UTIL_CLOCK_H

#include <stdint.h>

/* Returns Unix time in seconds, plus the offset set by clock_advance(). */
int64_t clock_now(void);

/*
 * Moves the clock forward by seconds. Only the test-mode endpoint calls
 * this, so expiry and rate-limit windows can be tested without waiting.
 */
void clock_advance(int64_t seconds);

#endif
