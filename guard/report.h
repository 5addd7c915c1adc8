/*
 * report.h - what guard says about a decision: the teaching block people and
 * models read on stderr, and the JSON object of `guard check --json`.
 * Everything returns an allocated string and prints nothing, so hooks can
 * put the same text into their own protocol.
 */
#ifndef GUARD_REPORT_H
#define GUARD_REPORT_H

#include "decide.h"

/* 1 when messages written to fd may be coloured: fd is a terminal and
   NO_COLOR is unset or empty (https://no-color.org). */
int report_want_colour(int fd);

/* The command for people: argv joined, words quoted for the shell when they
   need it, e.g. "pm2 restart 'my app'"; past REPORT_MAX_WORDS words the
   rest is counted ("... (226 more words)"), not shown. */
#define REPORT_MAX_WORDS 32
char *report_argv(const struct ecmd *c);

/*
 * The block for a line that is denied or warned about, one paragraph per
 * command with the line's verdict, e.g.
 *
 *   guard: denied: pm2 restart all
 *     rule:    no-pm2 (policies/massage-shop.ini:9)
 *     reason:  The app is managed by systemd ...
 *     see:     00-project-docs/.../production-deployment-guide.md:14
 *     instead: sudo systemctl restart massage-shop
 *     Do not run another spelling of this command; use the one above.
 *
 * Each line ends in '\n'.  "" for an allowed line.
 */
char *report_block(const struct policy *p, const struct decision *d, int colour);

/* The paragraph for one command (any verdict), as in report_block. */
char *report_cmd(const struct policy *p, const struct cmd_verdict *cv, int colour);

/* Why a command got its verdict, in one line ("rule no-pm2", "no rule
   matches: [guard] default = allow", ...). */
char *report_why(const struct policy *p, const struct cmd_verdict *cv);

/* The JSON object of `guard check --json` on one line (no newline):
   {"verdict", "commands": [{"argv", "verdict", "why", "line", "col",
   "origin", "via", "rule": {...}}], "error"?, "message"?, "policy": [...],
   "policy_errors"?}. */
char *report_json(const struct policy *p, const struct decision *d);

#endif
