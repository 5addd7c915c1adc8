/*
 * policy_keys.h - every section and key a policy may contain.
 *
 * The policy reader validates against this one table (unknown sections and
 * keys are errors).  Each subsystem adds the rows it reads to policy_keys.c.
 */
#ifndef GUARD_POLICY_KEYS_H
#define GUARD_POLICY_KEYS_H

enum key_type {
	KT_STRING,   /* any text */
	KT_VERDICT,  /* allow | warn | deny */
	KT_UNKNOWN,  /* allow | warn | deny | auto */
	KT_BOOL,     /* yes | no | true | false | on | off | 1 | 0 */
	KT_INT,      /* non-negative decimal */
	KT_DURATION, /* N followed by s, m, h or d (e.g. 30d); 0 = never */
	KT_PATH,     /* absolute path */
	KT_GLOBS,    /* glob words */
	KT_HEX,      /* hex object id */
	KT_LIST,     /* space-separated words */
};

struct policy_key {
	const char *section; /* "guard", "rule", "docs", "ack", ...; "rule"/"ack" take a name */
	const char *key;     /* "example.*" matches any key starting with "example." */
	enum key_type type;
	int repeat;       /* 1: the key may appear more than once (a list) */
	const char *help; /* one line, for `guard policy keys` and errors */
};

extern const struct policy_key policy_keys[];
/* Sections that take a name: [rule NAME], [ack NAME]. */
int policy_section_named(const char *section);
/* Looks up a key; NULL if the section or key is unknown. */
const struct policy_key *policy_key_find(const char *section, const char *key);

#endif
