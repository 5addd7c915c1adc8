/*
 * decide.h - the one decision function.
 *
 * Enforcement (-c, the shell, hooks), `guard check` and `guard explain` all
 * call decide_line(): the rule sentence in guard.ini(5) is implemented here
 * and nowhere else.
 */
#ifndef GUARD_DECIDE_H
#define GUARD_DECIDE_H

#include <stddef.h>

#include "analyze.h"
#include "policy.h"
#include "verdict.h"

enum why {
	WHY_RULE,    /* a rule matched */
	WHY_DEFAULT, /* no rule matched: [guard] default */
	WHY_UNKNOWN, /* the program is known only at run time: [guard] unknown */
	WHY_ACK,     /* the rule needs an acknowledgement that is missing */
	WHY_ENV,     /* the command assigns a variable that changes what the shell
	                runs (BASH_ENV=, LD_PRELOAD=, ...): note names it */
};

struct cmd_verdict {
	const struct ecmd *cmd;
	const struct rule *rule; /* the winning rule, or NULL */
	enum verdict v;
	enum why why;
	char *note; /* WHY_ENV: the variable; WHY_UNKNOWN: the program
	               name found in the line (auto), else NULL */
};

struct decision {
	enum verdict v;
	struct cmd_verdict *cv; /* one per effective command */
	size_t ncv;
	const struct cmd_verdict *deciding; /* first command with the strictest verdict */
	char *error;                        /* the line could not be analysed, or the policy has
	                                       errors: v is V_DENY */
	struct analysis an;                 /* owned: cv[i].cmd points into it */
};

struct decide_opts {
	const char *origin; /* as analyze_opts.origin */
	int want_trace;
	int read_scripts; /* 0: follow scripts, package.json and Makefiles (as
	                     enforcement does); -1: decide the text alone, reading
	                     nothing from the disk (policy examples) */
	const char *cwd;
	/* Acknowledgement gate: returns 1 when rule->ack is satisfied.  NULL
	   means no acknowledgement is ever recorded (the rule denies). */
	int (*ack_ok)(const struct policy *p, const struct rule *r, void *ctx);
	void *ack_ctx;
};

/* Decides a line.  Returns 0 (also for deny), -1 on internal error (then
   d->v is V_DENY and d->error says why). */
int decide_line(const struct policy *p, const char *text, size_t len, const struct decide_opts *o,
                struct decision *d);
void decision_free(struct decision *d);

/* How many words of c rule r matches (r->nmatch), or -1 when it does not
   match.  For explain; decide_line uses the same function. */
int decide_rule_match(const struct rule *r, const struct ecmd *c);

/* 1 for the variables guard removes from the environment before a line runs
   (and refuses as a prefix or exported assignment): BASH_ENV, ENV,
   BASH_FUNC_*, LD_*, SHELLOPTS, BASHOPTS, PS4, PROMPT_COMMAND, GLOBIGNORE,
   IFS, and [guard] scrub_env (of every file of a merged policy: each can
   only add names). */
int decide_env_refused(const struct policy *p, const char *name, size_t len);
/* 1 for the variables that change what a shell or the loader runs at
   start-up, refused in every form of assignment, exported or not: BASH_ENV,
   ENV, BASH_FUNC_*, LD_*, SHELLOPTS, BASHOPTS and [guard] scrub_env. */
int decide_startup_var(const struct policy *p, const char *name, size_t len);

#endif
