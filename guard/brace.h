/*
 * brace.h - bash's brace expansion, on a word's source text.
 */
#ifndef GUARD_BRACE_H
#define GUARD_BRACE_H
#include <stddef.h>

#define BRACE_MAX_RESULTS 256     /* results kept; the rest is "truncated" */
#define BRACE_MAX_LEN 4096        /* bytes of a word with a group */
#define BRACE_MAX_GROUPS 32       /* opening braces of a word with a group */
#define BRACE_MAX_WORK (1u << 20) /* bytes of all the strings one word makes */

struct brace_result {
	char **v;      /* results, source text (quotes kept), in bash's order */
	size_t n;      /* at most BRACE_MAX_RESULTS */
	int truncated; /* bash makes more words than v holds */
	size_t work;   /* bytes made, for the caller's budget */
};

enum brace_status {
	BRACE_NONE = 0,     /* no group: bash leaves the word as it is */
	BRACE_EXPANDED = 1, /* r holds the results */
	BRACE_LIMIT = -1,   /* past a limit (*why names it); r is empty */
};

/*
 * Expands src[0..len) as bash's brace expansion does, before any other
 * expansion: quoted text, backslash escapes, ${...}, $(...), `...` and
 * <(...) are opaque, so their braces and commas are not syntax.  Each
 * result is source text to be parsed and expanded as a word of its own, but
 * not brace-expanded again (bash does not rescan).  On BRACE_EXPANDED the
 * caller frees r with brace_result_free.
 */
enum brace_status brace_expand_src(const char *src, size_t len, struct brace_result *r,
                                   const char **why);
void brace_result_free(struct brace_result *r);

#endif
