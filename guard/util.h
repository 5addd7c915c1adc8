/* util.h - memory, growable strings and small string helpers. */
#ifndef GUARD_UTIL_H
#define GUARD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/*
 * Allocation.  guard fails closed on out-of-memory: x*() print
 * "guard: out of memory" and exit with status 126 (nothing ran).  Hook modes
 * install their own handler with xalloc_set_failure() so the client still gets
 * a deny in its own format.
 */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t m);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xalloc_set_failure(void (*fn)(void));

/* A growable, always NUL-terminated byte string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sb_init(struct sbuf *b);
/* Makes room for more bytes and the NUL (the slow path of the adders). */
void sb_grow(struct sbuf *b, size_t more);
/* The adders are inline: the parser adds most text a character at a time. */
static inline void sb_addc(struct sbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		sb_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}
static inline void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}
static inline void sb_adds(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}
void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct sbuf *b, const char *fmt, va_list ap);
/* Appends w as one bash word: as it is when it holds only characters that
 * need no quoting, else in single quotes. */
void sb_add_shword(struct sbuf *b, const char *w);
/* Hands the string to the caller (never NULL) and resets the buffer. */
char *sb_take(struct sbuf *b);
void sb_free(struct sbuf *b);

/* A growable array of owned strings, NULL-terminated. */
struct strv {
	char **v;
	size_t n, cap;
};
void sv_push(struct strv *a, char *owned);
void sv_free(struct strv *a);

/*
 * A guard on the stack for the recursive parts of the parser and the
 * analyser.  stack_begin() at an entry point (nested entries keep the
 * outermost mark) and stack_end() when it returns; stack_deep() is 1 when the
 * stack has grown since the mark by more than the process's stack limit
 * allows (three quarters of RLIMIT_STACK, at most 6 MiB, less 64 KiB), so
 * deep input is refused by a limit instead of crashing guard (in hook mode a
 * crash lets the command run).
 */
void stack_begin(void);
void stack_end(void);
int stack_deep(void);

/* Basename without modifying s ("/usr/bin/pm2" -> "pm2"). */
const char *base_name(const char *s);
/* Reads a whole regular file (at most max bytes); returns 0, or -errno / -EFBIG. */
int read_file(const char *path, size_t max, char **out, size_t *outlen);
/* Reads fd to its end (at most max bytes); returns 0, or -errno / -EFBIG. */
int read_fd(int fd, size_t max, char **out, size_t *outlen);

#endif
