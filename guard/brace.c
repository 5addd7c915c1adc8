/*
 * brace.c - bash's brace expansion, on a word's source text.
 *
 * Bash expands braces first, on the word as written, so guard does the
 * same: the group syntax is only unquoted '{', ',' and '}' (and the '..' of a
 * sequence), outside quotes, backslash escapes, ${...}, $(...), `...` and
 * <(...).  pm{2,"x"}, "pm"{2,3}, p\m{2,3} and pm{2,$x} all run pm2.
 *
 * A group is a '{' with its matching '}' (nesting counted) that holds a
 * comma at its own level, or a sequence x..y[..incr] of integers
 * (zero-padded when either end starts with 0) or of letters.  Any other '{'
 * is literal and the scan goes on after it: a{b{c,d}e is a{bce a{bde.  The
 * results are preamble x alternatives x postamble, alternatives and
 * postamble expanded in turn, in bash's order.
 *
 * Bounded: at most BRACE_MAX_RESULTS results are made and the rest is only
 * reported (a sequence {1..1000000} costs that many values, not a million),
 * and every string made counts against BRACE_MAX_WORK.  The recursion is at
 * most one level per group, and a word with a group is at most
 * BRACE_MAX_LEN bytes and BRACE_MAX_GROUPS braces; past a limit the caller
 * denies the line, naming it (a word guard cannot expand is one bash can).
 */
#include "brace.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define UNIT_DEPTH 128 /* nesting of quotes and expansions followed */

struct blist {
	char **v;
	size_t n, cap;
	int trunc; /* bash makes more than v holds */
};

struct bx {
	size_t work;
	int over; /* BRACE_MAX_WORK passed */
};

static void bl_free(struct blist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Adds s (owned) unless the list is full, which marks it truncated. */
static void bl_push(struct bx *x, struct blist *l, char *s, size_t len)
{
	if (l->n >= BRACE_MAX_RESULTS) {
		l->trunc = 1;
		free(s);
		return;
	}
	x->work += len + 1;
	if (x->work > BRACE_MAX_WORK)
		x->over = 1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static int bl_full(const struct blist *l)
{
	return l->trunc;
}

static size_t unit_end(const char *s, size_t i, size_t n, int depth);

/* Does a quoted or expansion unit start at s[i]? */
static int unit_start(const char *s, size_t i, size_t n)
{
	char c = s[i], d = i + 1 < n ? s[i + 1] : 0;
	switch (c) {
	case '\\':
	case '\'':
	case '"':
	case '`':
		return 1;
	case '$':
		return d == '\'' || d == '"' || d == '{' || d == '(';
	case '<':
	case '>':
		return d == '(';
	}
	return 0;
}

/* After the close matching an open already passed, from s[j]. */
static size_t match_end(const char *s, size_t j, size_t n, char open, char close, int depth)
{
	int level = 1;
	while (j < n) {
		char c = s[j];
		if (c == '\\') {
			j += 2;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`' || (c == '$' && unit_start(s, j, n))) {
			j = unit_end(s, j, n, depth + 1);
			continue;
		}
		if (c == open)
			level++;
		else if (c == close && --level == 0)
			return j + 1;
		j++;
	}
	return n;
}

/* After the '"' that closes a "..." whose text starts at s[j]. */
static size_t dq_end(const char *s, size_t j, size_t n, int depth)
{
	while (j < n) {
		char c = s[j];
		if (c == '\\') {
			j += 2;
			continue;
		}
		if (c == '"')
			return j + 1;
		if (c == '`' || (c == '$' && j + 1 < n && (s[j + 1] == '(' || s[j + 1] == '{'))) {
			j = unit_end(s, j, n, depth + 1);
			continue;
		}
		j++;
	}
	return n;
}

/* After the closing quote of '...', `...` or $'...' from s[j]. */
static size_t quote_end(const char *s, size_t j, size_t n, char q, int escapes)
{
	while (j < n && s[j] != q)
		j += escapes && s[j] == '\\' ? 2 : 1;
	return j < n ? j + 1 : n;
}

/* The end of the unit that starts at s[i] (unit_start), at most n. */
static size_t unit_end(const char *s, size_t i, size_t n, int depth)
{
	if (depth > UNIT_DEPTH)
		return n; /* deeper than guard follows: the rest is opaque */
	size_t e = i + 1;
	switch (s[i]) {
	case '\\':
		e = i + 2;
		break;
	case '\'':
		e = quote_end(s, i + 1, n, '\'', 0);
		break;
	case '"':
		e = dq_end(s, i + 1, n, depth);
		break;
	case '`':
		e = quote_end(s, i + 1, n, '`', 1);
		break;
	case '$':
		if (s[i + 1] == '\'')
			e = quote_end(s, i + 2, n, '\'', 1);
		else if (s[i + 1] == '"')
			e = dq_end(s, i + 2, n, depth);
		else if (s[i + 1] == '{')
			e = match_end(s, i + 2, n, '{', '}', depth);
		else
			e = match_end(s, i + 2, n, '(', ')', depth);
		break;
	default: /* <( >( */
		e = match_end(s, i + 2, n, '(', ')', depth);
	}
	return e < n ? e : n;
}

/* The '}' matching the '{' at s[i], or n; *comma: a ',' at its level. */
static size_t group_end(const char *s, size_t i, size_t n, int *comma)
{
	int level = 0;
	*comma = 0;
	for (size_t j = i; j < n;) {
		if (unit_start(s, j, n)) {
			j = unit_end(s, j, n, 0);
			continue;
		}
		if (s[j] == '{')
			level++;
		else if (s[j] == '}' && --level == 0)
			return j;
		else if (s[j] == ',' && level == 1)
			*comma = 1;
		j++;
	}
	return n;
}

/* The alternatives of the body s[0..n) of a group with a comma. */
static void split_alts(const char *s, size_t n, struct strv *alts)
{
	int level = 0;
	size_t st = 0;
	for (size_t j = 0; j <= n;) {
		if (j < n && unit_start(s, j, n)) {
			j = unit_end(s, j, n, 0);
			continue;
		}
		if (j == n || (s[j] == ',' && level == 0)) {
			sv_push(alts, xstrndup(s + st, j - st));
			st = j + 1;
		} else if (s[j] == '{') {
			level++;
		} else if (s[j] == '}') {
			level--;
		}
		j++;
	}
}

/* An integer as bash's sequences take it: [+-]digits, in range. */
static int seq_int(const char *s, long long *v, int *zero)
{
	const char *d = s + (*s == '+' || *s == '-');
	if (!isdigit((unsigned char)*d))
		return 0;
	for (const char *q = d; *q; q++)
		if (!isdigit((unsigned char)*q))
			return 0;
	errno = 0;
	char *e;
	*v = strtoll(s, &e, 10);
	if (errno || *e)
		return 0;
	if (zero)
		*zero = d[0] == '0' && d[1];
	return 1;
}

/* The values of a sequence body s[0..n) (x..y or x..y..incr) as source
   text; 0 when it is not one (the '{' is literal). */
static int seq_values(struct bx *x, const char *s, size_t n, struct blist *out)
{
	for (size_t i = 0; i < n; i++)
		if (unit_start(s, i, n))
			return 0;
	char *b = xstrndup(s, n);
	char *y = strstr(b, ".."), *inc = NULL;
	int ok = 0;
	if (!y)
		goto out;
	*y = 0;
	y += 2;
	inc = strstr(y, "..");
	if (inc) {
		*inc = 0;
		inc += 2;
	}
	long long step = 1;
	if (inc) {
		/* bash takes the size of the step, and 0 as 1 */
		if (!seq_int(inc, &step, NULL))
			goto out;
		if (step == LLONG_MIN)
			step = LLONG_MAX;
		if (step < 0)
			step = -step;
		if (step == 0)
			step = 1;
	}
	long long a, z;
	int za = 0, zz = 0;
	if (seq_int(b, &a, &za) && seq_int(y, &z, &zz)) {
		int width = za || zz ? (int)(strlen(b) > strlen(y) ? strlen(b) : strlen(y)) : 0;
		unsigned long long ustep = (unsigned long long)step;
		long long v = a;
		for (;;) {
			char *t = xasprintf("%0*lld", width, v);
			bl_push(x, out, t, strlen(t));
			if (v == z || bl_full(out) || x->over)
				break;
			/* the distance left, as bash counts it, without overflow */
			unsigned long long left =
			    a <= z ? (unsigned long long)z - (unsigned long long)v
			           : (unsigned long long)v - (unsigned long long)z;
			if (left < ustep)
				break;
			v = a <= z ? (long long)((unsigned long long)v + ustep)
			           : (long long)((unsigned long long)v - ustep);
		}
		ok = 1;
	} else if (strlen(b) == 1 && strlen(y) == 1 && isalpha((unsigned char)b[0]) &&
	           isalpha((unsigned char)y[0])) {
		int c0 = (unsigned char)b[0], c1 = (unsigned char)y[0];
		long long st = step > 256 ? 256 : step;
		for (int c = c0;;) {
			/* as source text: letters as they are, the rest escaped
			   ({Z..a} makes [ \ ] ^ _ `) */
			char *t = isalnum(c) ? xasprintf("%c", c) : xasprintf("\\%c", c);
			bl_push(x, out, t, strlen(t));
			if (c == c1 || bl_full(out) || x->over)
				break;
			int left = c0 <= c1 ? c1 - c : c - c1;
			if (left < st)
				break;
			c = c0 <= c1 ? c + (int)st : c - (int)st;
		}
		ok = 1;
	}
out:
	free(b);
	return ok;
}

/* Appends the brace expansion of s[0..n) to out; returns 1 when a group
   was expanded, 0 when s has none (it is appended as it is). */
static int expand(struct bx *x, const char *s, size_t n, struct blist *out)
{
	for (size_t i = 0; i < n && !x->over;) {
		if (unit_start(s, i, n)) {
			i = unit_end(s, i, n, 0);
			continue;
		}
		if (s[i] != '{') {
			i++;
			continue;
		}
		int comma;
		size_t j = group_end(s, i, n, &comma);
		if (j >= n) {
			i++;
			continue;
		}
		struct strv alts = {0};
		struct blist seq = {0};
		if (comma)
			split_alts(s + i + 1, j - i - 1, &alts);
		else if (!seq_values(x, s + i + 1, j - i - 1, &seq)) {
			bl_free(&seq);
			i++;
			continue;
		}
		struct blist post = {0};
		expand(x, s + j + 1, n - j - 1, &post);
		size_t nalt = comma ? alts.n : seq.n;
		for (size_t k = 0; k < nalt && !bl_full(out) && !x->over; k++) {
			struct blist a = {0};
			if (comma)
				expand(x, alts.v[k], strlen(alts.v[k]), &a);
			else
				bl_push(x, &a, xstrdup(seq.v[k]), strlen(seq.v[k]));
			for (size_t p = 0; p < a.n && !bl_full(out) && !x->over; p++)
				for (size_t q = 0; q < post.n && !bl_full(out) && !x->over; q++) {
					size_t al = strlen(a.v[p]), pl = strlen(post.v[q]);
					char *w = xmalloc(i + al + pl + 1);
					memcpy(w, s, i);
					memcpy(w + i, a.v[p], al);
					memcpy(w + i + al, post.v[q], pl + 1);
					bl_push(x, out, w, i + al + pl);
				}
			out->trunc |= a.trunc;
			bl_free(&a);
		}
		out->trunc |= post.trunc | seq.trunc;
		bl_free(&post);
		bl_free(&seq);
		sv_free(&alts);
		return 1;
	}
	if (!x->over)
		bl_push(x, out, xstrndup(s, n), n);
	return 0;
}

/* One linear pass: the number of unquoted '{', and whether some '{' is
   followed by a ',' or '..' and then a '}' (a group may be there). */
static size_t count_braces(const char *s, size_t n, int *maybe)
{
	size_t groups = 0;
	int open = 0, sep = 0;
	*maybe = 0;
	for (size_t i = 0; i < n;) {
		if (unit_start(s, i, n)) {
			i = unit_end(s, i, n, 0);
			continue;
		}
		if (s[i] == '{') {
			groups++;
			open = 1;
		} else if (open && (s[i] == ',' || (s[i] == '.' && i + 1 < n && s[i + 1] == '.'))) {
			sep = 1;
		} else if (sep && s[i] == '}') {
			*maybe = 1;
		}
		i++;
	}
	return groups;
}

enum brace_status brace_expand_src(const char *src, size_t len, struct brace_result *r,
                                   const char **why)
{
	memset(r, 0, sizeof *r);
	*why = NULL;
	int maybe;
	size_t groups = count_braces(src, len, &maybe);
	if (!groups || !maybe)
		return BRACE_NONE;
	if (len > BRACE_MAX_LEN || groups > BRACE_MAX_GROUPS) {
		*why = len > BRACE_MAX_LEN ? "a word with braces longer than 4096 bytes"
		                           : "a word with more than 32 braces";
		return BRACE_LIMIT;
	}
	struct bx x = {0};
	struct blist out = {0};
	int found = expand(&x, src, len, &out);
	r->work = x.work;
	if (x.over) {
		bl_free(&out);
		*why = "brace expansion making more than 1 MiB of words";
		return BRACE_LIMIT;
	}
	if (!found) {
		bl_free(&out);
		return BRACE_NONE;
	}
	r->v = out.v;
	r->n = out.n;
	r->truncated = out.trunc;
	return BRACE_EXPANDED;
}

void brace_result_free(struct brace_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}
