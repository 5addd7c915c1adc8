/* verdict.h - the three answers guard can give, ordered by strictness. */
#ifndef GUARD_VERDICT_H
#define GUARD_VERDICT_H

enum verdict {
	V_ALLOW = 0,
	V_WARN = 1,
	V_DENY = 2,
};

/* "allow", "warn" or "deny". */
const char *verdict_name(enum verdict v);
/* Parses "allow"/"warn"/"deny"; returns 0 and sets *v, or -1. */
int verdict_parse(const char *s, enum verdict *v);
/* The stricter of two verdicts. */
static inline enum verdict verdict_max(enum verdict a, enum verdict b)
{
	return a > b ? a : b;
}

#endif
