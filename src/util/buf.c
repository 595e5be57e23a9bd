/* buf.c: capped growable buffer */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "banned.h"

void buf_init(struct buf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

void buf_release(struct buf *b)
{
	free(b->p);
	buf_init(b, b->cap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->toobig = false;
	if (b->p)
		b->p[0] = '\0';
}

static int grow(struct buf *b, size_t need)
{
	size_t want;
	char *p;

	if (need <= b->alloc)
		return 0;
	want = b->alloc ? b->alloc : 64;
	while (want < need)
		want = want > SIZE_MAX / 2 ? need : want * 2;
	/* Never allocate far beyond what the ceiling lets us use. */
	if (want > b->cap + 1)
		want = b->cap + 1;
	p = realloc(b->p, want);
	if (!p)
		return -1;
	b->p = p;
	b->alloc = want;
	return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
	if (n > b->cap - b->len) {
		b->toobig = true;
		return -1;
	}
	if (grow(b, b->len + n + 1) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	if ((size_t)n > b->cap - b->len) {
		b->toobig = true;
		return -1;
	}
	if (grow(b, b->len + (size_t)n + 1) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p = b->p;

	if (!p)
		p = calloc(1, 1);
	if (len_out)
		*len_out = b->len;
	b->p = NULL;
	b->len = b->alloc = 0;
	return p;
}
