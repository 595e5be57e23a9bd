/* test_arena.c: the request arena hands out aligned memory up to its cap */
#include <stdint.h>
#include "harness.h"
#include "util/arena.h"

int main(void)
{
	struct arena a;
	char *s;
	void *p;

	arena_init(&a, 1 << 16);
	p = arena_alloc(&a, 3);
	ok(p && ((uintptr_t)p % 16) == 0, "aligned");
	p = arena_alloc(&a, 5000);
	ok(p && ((uintptr_t)p % 16) == 0, "large block aligned");
	s = arena_strndup(&a, "abcdef", 3);
	is_str(s, "abc", "strndup");
	s = arena_printf(&a, "%s-%d", "x", 7);
	is_str(s, "x-7", "printf");
	ok(arena_alloc(&a, 1 << 17) == NULL, "over cap refused");
	ok(arena_alloc(&a, SIZE_MAX) == NULL, "huge refused");
	ok(arena_alloc(&a, 10) != NULL, "still usable after refusal");
	arena_release(&a);
	ok(a.used == 0 && a.head == NULL, "released");
	return done_testing("test_arena");
}
