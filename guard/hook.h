/*
 * hook.h - assistant hook adapters (guard hook CLIENT).
 *
 * One adapter per client (hook_claude.c, hook_codex.c, hook_gemini.c,
 * hook_cursor.c, hook_copilot.c) turns the client's JSON payload into a
 * hook_req and a hook_out into the client's own answer.  cmd_hook.c does the
 * rest (reading stdin, the policy, the decision, the audit record) and is the
 * only one that prints.  Protocols: share/man/guard.1, "Assistant hooks".
 */
#ifndef GUARD_HOOK_H
#define GUARD_HOOK_H

#include <jansson.h>
#include <stddef.h>

/* Payloads larger than this are refused (deny) without being parsed. */
#define HOOK_MAX_INPUT (8u << 20)

enum hook_answer {
	HA_PASS,       /* not a shell tool: no objection, untouched */
	HA_ALLOW,      /* the policy allows it: no objection */
	HA_ASK,        /* warn on a client that can ask the human */
	HA_WARN_ALLOW, /* warn on a client that cannot ask: allowed, with a visible warning */
	HA_DENY,       /* blocked */
};

struct hook_req {
	char *command;       /* the shell command, or NULL when the payload names none */
	char *cwd;           /* the directory it runs in, or NULL */
	const char *tool;    /* tool name (borrowed from the payload), or NULL */
	const char *event;   /* hook event name (borrowed), or NULL */
	const char *session; /* session / conversation id (borrowed), or NULL */
	const char *project; /* the session's project directory (borrowed), or NULL */
	int shell;           /* 1: a shell tool, check it; 0: pass through */
};

struct hook_out {
	enum hook_answer a;
	const char *model; /* text for the model (deny, ask, warn) */
	const char *user;  /* one line for the human */
	const char *event; /* event name to echo, or NULL for the client's default */
};

struct hook_client {
	const char *name;
	int can_ask;          /* the client has a native "ask the human" answer */
	const char *warn_key; /* [hooks] key choosing deny|allow for a warn, when !can_ask */
	/* For a deny that cannot be rendered (out of memory, stdout unwritable):
	   exit status and a constant deny answer for stdout (or NULL). */
	int emergency_status;
	const char *emergency_json;
	/* Fills rq from the payload (an object).  Returns 0, or -1 with *err set
	   (owned) when the payload is not what this client sends. */
	int (*parse)(json_t *root, struct hook_req *rq, char **err);
	/* Returns the text for stdout (owned; "" for none) and sets *status. */
	char *(*render)(const struct hook_out *o, int *status);
};

extern const struct hook_client hook_claude, hook_codex, hook_gemini, hook_cursor, hook_copilot;
/* The table of clients, NULL-terminated (also used by install and doctor). */
extern const struct hook_client *const hook_clients[];
const struct hook_client *hook_client_find(const char *name);

/* Shared helpers (hook_json.c). */
/* The string member key of obj, or NULL when absent or not a string. */
const char *hook_jstr(const json_t *obj, const char *key);
/* 1 if s is one of the NULL-terminated names. */
int hook_name_in(const char *s, const char *const *names);
/* The command of a tool_input object: a string, or an argv array (for
   ["bash","-lc",SCRIPT] the script).  Returns 0 (*out owned or NULL when
   absent) or -1 when it has another type or holds a NUL byte. */
int hook_command_of(const json_t *input, const char *key, char **out);
/* Dumps a JSON value compactly followed by a newline; consumes v. */
char *hook_dump(json_t *v);
/* Parses a Claude-shaped payload (Claude Code and Codex). */
int hook_parse_claude_shape(json_t *root, struct hook_req *rq, char **err,
                            const char *const *shell_tools);
/* Renders a Claude-shaped hookSpecificOutput answer. */
char *hook_render_claude_shape(const struct hook_out *o, int *status);

/* Texts (hook_reason.c).  *model is for the model (what was blocked, why with
   the doc path:line, what to run instead, not to retry another spelling);
   *user is one line for the human.  Both owned by the caller. */
struct decision;
struct policy;
void hook_reason(const struct policy *p, const struct decision *d, const char *line,
                 enum hook_answer a, char **model, char **user);
/* The same for a command guard could not check (what: why not). */
void hook_reason_error(const char *what, char **model, char **user);

#endif
