/* arena.h: a per-request bump allocator */
#ifndef UTIL_ARENA_H
#define UTIL_ARENA_H

#include <stddef.h>

/*
 * Everything a request allocates for its own use comes from its arena and
 * is freed at once when the request completes. The arena has a ceiling so
 * one request cannot take the process's memory.
 */
struct arena {
	struct arena_block *head;
	size_t used;
	size_t cap;
};

/* Prepares an empty arena that hands out at most cap bytes in all. */
void arena_init(struct arena *a, size_t cap);

/* Frees every allocation. */
void arena_release(struct arena *a);

/* Returns n zeroed bytes aligned for any type, or NULL at the ceiling. */
void *arena_alloc(struct arena *a, size_t n);

/* Returns an arena copy of the n bytes at p with a NUL added, or NULL. */
char *arena_strndup(struct arena *a, const char *p, size_t n);

/* Returns an arena copy of a NUL-terminated string, or NULL. */
char *arena_strdup(struct arena *a, const char *s);

/* Returns printf-style output in the arena, or NULL. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
