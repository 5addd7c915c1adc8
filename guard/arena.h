/* arena.h - a bump allocator: a syntax tree is freed in one call. */
#ifndef GUARD_ARENA_H
#define GUARD_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
void *aalloc(struct arena *a, size_t n); /* zeroed */
char *astrndup(struct arena *a, const char *s, size_t n);
char *astrdup(struct arena *a, const char *s);
/* Appends item (of size sz) to the array *v holding *n items with room for
 *cap; the array lives in the arena. */
/* A point to free back to: everything allocated after the mark goes. */
struct amark {
	void *chunk;
	size_t used;
};
struct amark arena_mark(struct arena *a);
void arena_release(struct arena *a, struct amark m);
void apush(struct arena *a, void *v, size_t *n, size_t *cap, const void *item, size_t sz);

#endif
