/*
 * match.c - linear-time glob matching (see match.h).
 *
 * The classic two-cursor algorithm: on a mismatch after a `*`, the pattern
 * restarts just after the most recent `*` and the word one byte later than
 * last time.  Only the most recent star matters (an earlier star can absorb
 * anything a later one could), so there is no recursion and no exponential
 * blow-up.  tests/unit/test_match.c checks it against fnmatch(3).
 */
#include <ctype.h>
#include <string.h>

#include "match.h"

static int class_match(const char *name, size_t len, unsigned char c)
{
	static const struct {
		const char *name;
		int (*fn)(int);
	} classes[] = {
	    {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
	    {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
	    {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
	};
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
			return classes[i].fn(c) != 0;
	return -1; /* unknown class */
}

/*
 * Matches c against the bracket expression starting at p (just after '[').
 * Returns the length consumed including the closing ']' and sets *hit, or 0
 * when the bracket is not terminated (then '[' is an ordinary character, as
 * in fnmatch).
 */
static size_t bracket(const char *p, unsigned char c, int *hit)
{
	const char *s = p;
	int neg = 0, found = 0;
	if (*s == '!' || *s == '^') {
		neg = 1;
		s++;
	}
	int first = 1;
	for (;;) {
		unsigned char lo;
		if (*s == 0)
			return 0;
		if (*s == ']' && !first)
			break;
		first = 0;
		if (*s == '[' && s[1] == ':') {
			const char *e = strstr(s + 2, ":]");
			if (e) {
				int m = class_match(s + 2, (size_t)(e - s - 2), c);
				if (m < 0)
					return 0;
				if (m)
					found = 1;
				s = e + 2;
				continue;
			}
		}
		if (*s == '\\') {
			s++;
			if (*s == 0)
				return 0;
		}
		lo = (unsigned char)*s++;
		if (*s == '-' && s[1] && s[1] != ']') {
			s++;
			if (*s == '\\') {
				s++;
				if (*s == 0)
					return 0;
			}
			unsigned char hi = (unsigned char)*s++;
			if (lo <= c && c <= hi)
				found = 1;
		} else if (lo == c) {
			found = 1;
		}
	}
	*hit = found != neg;
	return (size_t)(s + 1 - p);
}

/* Matches one pattern element at *pp against c; advances *pp.  Returns 1 on a
   match.  Never called on '*'. */
static int one(const char **pp, unsigned char c)
{
	const char *p = *pp;
	if (*p == '?') {
		*pp = p + 1;
		return 1;
	}
	if (*p == '[') {
		int hit = 0;
		size_t n = bracket(p + 1, c, &hit);
		if (n) {
			*pp = p + 1 + n;
			return hit;
		}
		*pp = p + 1;
		return c == '[';
	}
	if (*p == '\\') {
		/* A trailing backslash matches nothing (fnmatch reports an error). */
		if (p[1] == 0)
			return 0;
		*pp = p + 2;
		return (unsigned char)p[1] == c;
	}
	*pp = p + 1;
	return (unsigned char)*p == c;
}

int match_glob(const char *pattern, const char *word)
{
	const char *p = pattern, *w = word;
	const char *star_p = NULL, *star_w = NULL;
	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_w = w;
			continue;
		}
		if (*w == 0) {
			if (*p == 0)
				return 1;
		} else if (*p != 0) {
			const char *q = p;
			if (one(&q, (unsigned char)*w)) {
				p = q;
				w++;
				continue;
			}
		}
		if (!star_p || *star_w == 0)
			return 0;
		p = star_p;
		w = ++star_w;
	}
}

int match_glob_check(const char *pattern, const char **why)
{
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\') {
			if (p[1] == 0) {
				*why = "a trailing backslash";
				return -1;
			}
			p++;
		} else if (*p == '[') {
			int hit;
			size_t n = bracket(p + 1, 0, &hit);
			if (n == 0) {
				*why = "an unterminated '['";
				return -1;
			}
			p += n;
		}
	}
	return 0;
}

int match_is_literal(const char *pattern)
{
	return strpbrk(pattern, "*?[\\") == NULL;
}
