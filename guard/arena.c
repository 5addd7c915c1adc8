/* arena.c - a bump allocator (see arena.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

static void *aalloc_raw(struct arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > 65536 ? n : 65536;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *aalloc(struct arena *a, size_t n)
{
	void *p = aalloc_raw(a, n);
	memset(p, 0, n);
	return p;
}

char *astrndup(struct arena *a, const char *s, size_t n)
{
	char *p = aalloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *astrdup(struct arena *a, const char *s)
{
	return astrndup(a, s, strlen(s));
}

void apush(struct arena *a, void *v, size_t *n, size_t *cap, const void *item, size_t sz)
{
	char **arr = v;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 2;
		if (ncap > SIZE_MAX / sz / 2)
			abort();
		char *na = aalloc_raw(a, ncap * sz);
		if (*n)
			memcpy(na, *arr, *n * sz);
		*arr = na;
		*cap = ncap;
	}
	memcpy(*arr + *n * sz, item, sz);
	(*n)++;
}

struct amark arena_mark(struct arena *a)
{
	struct amark m = {a->head, a->head ? a->head->used : 0};
	return m;
}

void arena_release(struct arena *a, struct amark m)
{
	while (a->head && a->head != (struct chunk *)m.chunk) {
		struct chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
	if (a->head)
		a->head->used = m.used;
}
