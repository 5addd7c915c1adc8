/*
 * test_match.c - match_glob() against fnmatch(3) on generated cases (the
 * OpenSSH way of testing match.c), and its time on pathological patterns.
 */
#include "match.h"
#include "tap.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void gen(char *buf, size_t max, const char *const *atoms, size_t natoms)
{
	size_t len = 0;
	unsigned n = rnd(8);
	buf[0] = 0;
	for (unsigned i = 0; i < n; i++) {
		const char *a = atoms[rnd((unsigned)natoms)];
		size_t al = strlen(a);
		if (len + al + 1 > max)
			break;
		memcpy(buf + len, a, al + 1);
		len += al;
	}
}

int main(void)
{
	/* Hand-picked cases. */
	static const struct {
		const char *p, *w;
		int want;
	} fixed[] = {
	    {"pm2", "pm2", 1},
	    {"pm*", "pm2", 1},
	    {"pm?", "pm2", 1},
	    {"pm?", "pm", 0},
	    {"*", "", 1},
	    {"*", "/a/b", 1},
	    {"[pmx]m2", "pm2", 1},
	    {"[!p]m2", "pm2", 0},
	    {"[a-z]*", "pm2", 1},
	    {"\\*", "*", 1},
	    {"\\*", "a", 0},
	    {"[", "[", 1},
	    {"a[b", "a[b", 1},
	    {"[]]", "]", 1},
	    {"[!]]", "a", 1},
	    {"[[:digit:]]*", "2x", 1},
	    {"[[:alpha:]]", "2", 0},
	    {"*.service", "x.service", 1},
	    {"-*f*", "-rf", 1},
	    {"-*f*", "-r", 0},
	    {"*a*b", "aaab", 1},
	    {"a*", "b", 0},
	    {"", "", 1},
	    {"", "a", 0},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		is_int(match_glob(fixed[i].p, fixed[i].w), fixed[i].want, "'%s' ~ '%s'", fixed[i].p,
		       fixed[i].w);

	/* Generated cases against fnmatch(p, w, 0). */
	static const char *const patoms[] = {
	    "a",   "b",   "-",    "*",    "*",     "?",    "[",    "]",           "!",
	    "^",   "\\",  "[ab]", "[!a]", "[a-b]", "[]a]", "[^b]", "[[:alpha:]]", "[[:digit:]]",
	    "\\*", "\\[", "1",    "[-a]", "[a-]",  "/",    ".",
	};
	static const char *const watoms[] = {"a",  "b", "-", "[", "]",  "!", "*",
	                                     "\\", "1", "/", ".", "ab", "ba"};
	long n = 0, bad = 0;
	char p[64], w[64];
	for (int i = 0; i < 300000; i++) {
		gen(p, sizeof p, patoms, sizeof patoms / sizeof patoms[0]);
		gen(w, sizeof w, watoms, sizeof watoms / sizeof watoms[0]);
		int want = fnmatch(p, w, 0) == 0;
		int got = match_glob(p, w);
		n++;
		if (got != want && bad++ < 10)
			printf("# differs from fnmatch: pattern '%s' word '%s': got %d want %d\n",
			       p, w, got, want);
	}
	is_int(bad, 0, "%ld generated cases agree with fnmatch(3)", n);

	/* Pathological: 64 stars against a 200 kB word that almost matches. */
	{
		char *pat = malloc(200), *word = malloc(200001);
		size_t k = 0;
		for (int i = 0; i < 64; i++) {
			pat[k++] = '*';
			pat[k++] = 'a';
		}
		pat[k++] = 'b';
		pat[k] = 0;
		memset(word, 'a', 200000);
		word[200000] = 0;
		clock_t t0 = clock();
		int m = match_glob(pat, word);
		double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
		is_int(m, 0, "(*a)^64 b does not match a^200000");
		ok(s < 1.0, "and takes %.3f s (< 1 s: no backtracking blow-up)", s);
		free(pat);
		free(word);
	}

	const char *why = NULL;
	is_int(match_glob_check("pm[2", &why), -1, "unterminated '[' is refused");
	is_str(why, "an unterminated '['", "with a reason");
	is_int(match_glob_check("pm\\", &why), -1, "trailing backslash is refused");
	is_int(match_glob_check("pm[23]*", &why), 0, "a good glob passes");
	ok(match_is_literal("pm2") && !match_is_literal("pm*"), "match_is_literal");
	return done_testing();
}
