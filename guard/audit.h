/*
 * audit.h - the audit log: one JSON object per line for every decision.
 *
 * Every enforcement point (the -c runner, the interactive shell, the
 * assistant hooks, pre-push) calls audit_decision() once per decision.  The
 * policy's [log] section says where records go:
 *   [log] file = yes    append to $XDG_STATE_HOME/guard/audit.log (default on;
 *                       ~/.local/state/guard/audit.log without XDG_STATE_HOME)
 *   [log] syslog = no   also send one structured message to syslog, LOG_AUTHPRIV
 *   [log] allow = yes   log allowed commands too (deny and warn are always logged)
 * $GUARD_AUDIT_LOG overrides the file's path (tests, or a system-wide log).
 *
 * Writing never changes a verdict: a log that cannot be written is reported
 * once per process on stderr ("guard: audit log ...: ...") and ignored.
 * Records are written with one write(2) on an O_APPEND descriptor under an
 * flock(2), so concurrent processes never interleave lines.  Secrets in the
 * command (--password=..., TOKEN=..., credentials in URLs, Authorization
 * headers) are redacted before anything is written.
 */
#ifndef GUARD_AUDIT_H
#define GUARD_AUDIT_H

#include <stddef.h>

#include "verdict.h"

struct policy;
struct decision;

struct audit_rec {
	const char *mode;            /* "shell", "-c", "hook", "pre-push", "check" */
	const char *client;          /* hook: "claude", "codex", ...; NULL otherwise */
	const char *session;         /* the client's session id, or NULL */
	const char *cwd;             /* the command's directory; NULL = getcwd() */
	const char *command;         /* the line as given (redacted before writing) */
	enum verdict v;              /* what guard answered */
	const char *rule;            /* deciding rule's name, or NULL */
	const char *reason;          /* the rule's reason or the error, or NULL */
	const char *see;             /* doc path:line, or NULL */
	const char *note;            /* extra, e.g. "codex_warn=deny", "malformed input", or NULL */
	const struct policy *policy; /* for [log] settings, files and hashes; may be NULL */
};

/*
 * Fills r->v, r->rule, r->reason and r->see from a decision (the deciding
 * command's rule, or d->error).  Other fields are left alone.
 */
void audit_from_decision(struct audit_rec *r, const struct decision *d);

/* Appends one record according to r->policy's [log] settings.  Never fails:
   problems are reported once on stderr. */
void audit_decision(const struct audit_rec *r);

/* The file audit_decision() appends to (owned by the caller), or NULL when
   neither $GUARD_AUDIT_LOG, $XDG_STATE_HOME nor $HOME is set. */
char *audit_path(void);

/*
 * Returns a copy of a command line with secrets replaced by "***":
 * values of --password/--token/--secret/...=V and the word after
 * --password etc., NAME=V where NAME looks like a secret (TOKEN, SECRET,
 * PASSWORD, API_KEY, ...), user:password@ in URLs, and the value of
 * "Authorization: ..." headers.
 */
char *audit_redact(const char *s);

/* Renders a record as one JSON line ending in '\n' (for tests). */
char *audit_format(const struct audit_rec *r);

#endif
