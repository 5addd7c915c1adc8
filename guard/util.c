/* util.c - memory, growable strings and small string helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util.h"

static void (*alloc_failure)(void);

void xalloc_set_failure(void (*fn)(void))
{
	alloc_failure = fn;
}

static void oom(void)
{
	if (alloc_failure)
		alloc_failure();
	static const char msg[] = "guard: out of memory; nothing was run\n";
	if (write(2, msg, sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	_exit(126);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t m)
{
	if (m && n > SIZE_MAX / m)
		oom();
	return xrealloc(p, n * m);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;
	sb_init(&b);
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	return sb_take(&b);
}

void sb_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void sb_grow(struct sbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 32;
	while (cap < b->len + more + 1) {
		if (cap > SIZE_MAX / 2)
			oom();
		cap *= 2;
	}
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sb_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	sb_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(b, fmt, ap);
	va_end(ap);
}

void sb_add_shword(struct sbuf *b, const char *w)
{
	size_t n = strlen(w);
	if (n && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                   "0123456789_./:=@%+,-") == n) {
		sb_addn(b, w, n);
		return;
	}
	sb_addc(b, '\'');
	for (; *w; w++) {
		if (*w == '\'')
			sb_adds(b, "'\\''");
		else
			sb_addc(b, *w);
	}
	sb_addc(b, '\'');
}

char *sb_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	sb_init(b);
	return s;
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	sb_init(b);
}

void sv_push(struct strv *a, char *owned)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
	}
	a->v[a->n++] = owned;
	a->v[a->n] = NULL;
}

void sv_free(struct strv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

static uintptr_t stack_base;
static size_t stack_allowed;
static int stack_depth;

void stack_begin(void)
{
	if (stack_depth++ > 0)
		return;
	char here;
	stack_base = (uintptr_t)&here;
	if (!stack_allowed) {
		struct rlimit rl;
		size_t lim = 8u << 20;
		if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		    rl.rlim_cur < lim)
			lim = (size_t)rl.rlim_cur;
		lim = lim / 4 * 3;
		stack_allowed = lim > (128u << 10) ? lim - (64u << 10) : lim / 2;
	}
}

void stack_end(void)
{
	if (stack_depth > 0)
		stack_depth--;
}

int stack_deep(void)
{
	if (stack_depth == 0)
		return 0;
	char here;
	uintptr_t h = (uintptr_t)&here;
	size_t used = stack_base > h ? stack_base - h : h - stack_base;
	return used > stack_allowed;
}

const char *base_name(const char *s)
{
	const char *p = strrchr(s, '/');
	return p && p[1] ? p + 1 : s;
}

int read_file(const char *path, size_t max, char **out, size_t *outlen)
{
	int r = -EIO;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto out;
	}
	r = read_fd(fd, max, out, outlen);
out:
	close(fd);
	return r;
}

int read_fd(int fd, size_t max, char **out, size_t *outlen)
{
	struct sbuf b;
	sb_init(&b);
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			sb_free(&b);
			return -e;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			sb_free(&b);
			return -EFBIG;
		}
		sb_addn(&b, buf, (size_t)n);
	}
	*outlen = b.len;
	*out = sb_take(&b);
	return 0;
}
