/* test_buf.c: the capped buffer never passes its ceiling */
#include <stdlib.h>
#include "harness.h"
#include "util/buf.h"

int main(void)
{
	struct buf b;
	char big[300];

	buf_init(&b, 10);
	ok(buf_adds(&b, "hello") == 0 && b.len == 5, "append");
	ok(buf_adds(&b, "world") == 0 && b.len == 10, "exactly at cap");
	ok(buf_adds(&b, "!") < 0 && b.toobig, "over cap refused");
	is_str(b.p, "helloworld", "content kept after refusal");
	buf_reset(&b);
	ok(b.len == 0 && !b.toobig && b.p[0] == '\0', "reset");
	ok(buf_printf(&b, "%d-%s", 42, "x") == 0, "printf");
	is_str(b.p, "42-x", "printf content");
	buf_release(&b);

	buf_init(&b, 1000);
	memset(big, 'a', sizeof(big));
	ok(buf_add(&b, big, sizeof(big)) == 0, "grow");
	ok(buf_printf(&b, "%.*s", 299, big) == 0 && b.len == 599,
	   "long printf");
	ok(buf_printf(&b, "%.*s", 299, big) == 0 && b.len == 898,
	   "long printf again");
	ok(buf_printf(&b, "%.*s", 299, big) < 0 && b.len == 898,
	   "long printf over cap refused");
	{
		size_t n;
		char *p = buf_detach(&b, &n);
		ok(p && n == 898 && b.p == NULL && b.len == 0, "detach");
		free(p);
	}
	buf_release(&b);
	return done_testing("test_buf");
}
