/*
 * policy.h - the INI policy: settings, rules, where policies are found.
 *
 * Format: share/man/guard.ini.5.  Files are read line by line by guard (so
 * every error has a line number, and lines Debian's libinih would silently
 * split or join are refused) and parsed with inih's ini_parse_stream.
 */
#ifndef GUARD_POLICY_H
#define GUARD_POLICY_H

#include <stddef.h>

#include "util.h"
#include "verdict.h"

#define UNKNOWN_AUTO (-1) /* policy.unknown: deny if a guarded name appears, else warn */

/* One example.allow/warn/deny line of a rule, checked when its file is
   parsed (against that file's rules and settings alone). */
struct example {
	char *text;
	enum verdict want;
	int line;
};

struct rule {
	char *name;   /* from [rule NAME] */
	char **match; /* glob words matched against the effective argv */
	int nmatch;
	enum verdict action;
	char *reason;  /* why, for people and models (may be NULL) */
	char *instead; /* the command to use instead (may be NULL) */
	char *see;     /* doc path:line (may be NULL) */
	char *ack;     /* name of an [ack NAME] section that must be acknowledged */
	char *confirm; /* interactive warn: text the operator must type */
	struct strv ex_allow, ex_warn, ex_deny; /* example.* lines, checked at load */
	struct example *ex; /* the same examples in file order, with their lines */
	size_t nex;
	int scope;        /* which policy file of a merged policy (0: the outermost,
	                     the host's): an inner one may tighten the outer ones
	                     but never loosen them (decide.c) */
	const char *file; /* points into policy.files */
	int line;         /* line of the [rule] header */
};

/* A key of any section other than [rule ...], e.g. [guard] shell. */
struct setting {
	char *section, *key, *value;
	const char *file;
	int line;
	int scope; /* as rule.scope */
};

struct policy {
	struct rule *rule;
	size_t nrule;
	enum verdict def; /* [guard] default (allow) */
	int unknown;      /* [guard] unknown: a verdict or UNKNOWN_AUTO (default) */
	char *shell;      /* [guard] shell (/bin/bash) */
	struct setting *set;
	size_t nset;
	int scope;          /* the scope the file being loaded gets (rule.scope) */
	int nscope;         /* scopes loaded: 2 or more when files were merged */
	struct strv files;  /* files loaded, in order */
	struct strv errors; /* "file:line: message"; any error means deny everything */
	void *mem;          /* policy.c's own: an arena for the strings of rules and
	                       settings, and the index of rules by first word */
};

void policy_init(struct policy *p);
void policy_free(struct policy *p);

/*
 * Loads one file into p (rules are added; settings of later files override).
 * Errors go to p->errors; returns the number of errors added (0 = fine).
 */
int policy_load_file(struct policy *p, const char *path);
/* The same for text in memory; name is used in messages. */
int policy_load_string(struct policy *p, const char *name, const char *text, size_t len);

/*
 * Finds and loads the policy for a command run in cwd:
 *   explicit (from --policy) if given; otherwise /etc/guard/policy.ini (the
 *   host's) and every .guard/policy.ini from / down to cwd, outermost first,
 *   each a scope of its own that can only tighten the ones before it.  With
 *   none found, an error is recorded (fail closed).
 */
int policy_find_and_load(struct policy *p, const char *explicit_path, const char *cwd);

/*
 * The rules that can match a program called name: *lit are the rules whose
 * first match word is exactly name, *glob those whose first word is a glob;
 * both lists hold indices into p->rule in file order.  (Rules whose first
 * word is a literal other than name cannot match.)
 */
void policy_rules_for(const struct policy *p, const char *name, const size_t **lit, size_t *nlit,
                      const size_t **glob, size_t *nglob);

/*
 * A setting's effective value, or NULL for the built-in default.  With
 * several files merged (guard.ini(5), "Several policy files"), a setting that
 * loosens ([guard] shell, [hooks] *_warn = allow, [log] ... = no, a longer
 * [shell] idle_timeout) counts only from the outermost file; the cosmetic
 * [shell] keys come from the innermost file that sets them; other sections
 * give the last value loaded.
 */
const char *policy_get(const struct policy *p, const char *section, const char *key);

/*
 * Decides every example.* line of every rule against the whole of p, as
 * merged, and appends to notes each one that gets another verdict (the
 * examples were already checked against their own file at load; merging can
 * only make a verdict stricter).  Returns the number of notes added.
 */
int policy_merged_examples(const struct policy *p, struct strv *notes);

#endif
