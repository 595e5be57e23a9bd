/* buf.h: a growable byte buffer with a hard ceiling */
#ifndef UTIL_BUF_H
#define UTIL_BUF_H

#include <stddef.h>
#include <stdbool.h>

/*
 * After curl's dynbuf: every buffer that grows is given a ceiling when it
 * is created. An append that would pass it fails, sets `toobig` and leaves
 * the content as it was. The content is always NUL-terminated.
 */
struct buf {
	char *p;
	size_t len;
	size_t alloc;
	size_t cap;
	bool toobig;
};

/* Prepares an empty buffer that may hold at most cap bytes. */
void buf_init(struct buf *b, size_t cap);

/* Frees the memory; the buffer can be used again after buf_init(). */
void buf_release(struct buf *b);

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* Appends n bytes. Returns 0, or -1 on the ceiling or out of memory. */
int buf_add(struct buf *b, const void *p, size_t n);

/* Appends a NUL-terminated string. */
int buf_adds(struct buf *b, const char *s);

/* Appends printf-style output. Returns 0 or -1 as buf_add. */
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Hands the content over: the caller frees it; the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len_out);

#endif
