/* clock.c: time(2) with an offset that only test mode can change */
#include <stdatomic.h>
#include <time.h>
#include "clock.h"
#include "banned.h"

static _Atomic int64_t offset;

int64_t clock_now(void)
{
	return (int64_t)time(NULL) + atomic_load(&offset);
}

void clock_advance(int64_t seconds)
{
	atomic_fetch_add(&offset, seconds);
}
