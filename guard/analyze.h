/*
 * analyze.h - what a command line would run, as bash would run it.
 *
 * analyze() parses a line (or a script) in the language of GNU bash and lists
 * every *effective command* it can run: the program bash would execute, after
 * assignments and redirections are set aside, wrappers (sudo, env, nohup,
 * timeout, xargs, find -exec, npx, ...) are unwrapped, and strings handed to
 * `bash -c`, eval, su -c, or piped into a shell are analysed recursively.
 * Commands inside $(...), `...`, <(...), here-docs and function bodies are
 * included.  Nothing is executed.
 */
#ifndef GUARD_ANALYZE_H
#define GUARD_ANALYZE_H

#include <stddef.h>

/* Per-word flags of an effective command's argv. */
enum {
	WORD_DYNAMIC = 1 << 0, /* value known only at run time ($x, $(...), ...) */
	WORD_GLOB = 1 << 1,    /* unquoted glob or brace expansion */
};

/* Flags of an effective command. */
enum {
	CMD_DYNAMIC_NAME = 1 << 0, /* the program's name is known only at run time */
	CMD_OPAQUE = 1 << 1,       /* runs code guard cannot see (dynamic eval, unreadable
	                              script, interpreter code, a shell reading a pipe whose
	                              text is unknown); argv[0] names the runner */
	CMD_BUILTIN = 1 << 2,      /* a bash builtin or keyword, run inside the shell */
	CMD_FUNCTION = 1 << 3,     /* a call to a function defined on the line */
	CMD_ASSIGN = 1 << 4,       /* no command: the shell assigns assign[0] (argc is 0);
	                              only for variables analyze_opts.refused_var names, and
	                              with CMD_DYNAMIC_NAME for an exported variable whose
	                              name is known only at run time */
};

struct ecmd {
	char **argv;      /* effective argv, NULL-terminated; argv[0] is a basename */
	unsigned *wflags; /* WORD_* for each argv element */
	int argc;
	unsigned flags; /* CMD_* */
	char *origin;   /* NULL for the line itself, else a script path */
	int line, col;  /* 1-based position of the simple command in origin */
	char *via;      /* unwrapping chain for people, e.g. "sudo -u deploy > env > pm2",
	                   or NULL when nothing was unwrapped */
	char *text;     /* source text of the simple command it came from */
	char **assign;  /* NAME=value assignments that apply to it (prefix
	                   assignments and env's), NULL-terminated */
	int nassign;
};

struct analysis {
	struct ecmd *cmd; /* in source order */
	size_t ncmd;
	char **trace; /* explain: one line per parse/unwrap step */
	size_t ntrace;
	char *decoded; /* the input with quotes removed and $'...' decoded, for
	                  the "named anywhere" check of unknown commands */
	char *error;   /* non-NULL: the input cannot be analysed (syntax error or a
	                  limit); the verdict must be deny */
	int err_line, err_col;
	int incomplete; /* the input ended inside a construct: more input could
	                   complete it (the interactive shell's continuation) */
};

struct analyze_opts {
	const char *origin; /* NULL for a command line, else the script's path */
	int want_trace;     /* fill analysis.trace */
	int read_scripts;   /* follow ./x.sh, bash x.sh, source x (issue: hardening) */
	const char *cwd;    /* for relative script paths; NULL = getcwd */
	/* Variables whose assignment matters in any form (BASH_ENV, LD_*, ...):
	   each assignment of one is reported as a CMD_ASSIGN command.  NULL:
	   none. */
	int (*refused_var)(void *ctx, const char *name);
	void *refused_ctx;
};

/* Limits; exceeding one is an error naming it. */
#define ANALYZE_MAX_INPUT (4u << 20) /* bytes of one line or script */
#define ANALYZE_MAX_DEPTH 64         /* syntactic nesting */
#define ANALYZE_MAX_RECURSION 8      /* bash -c / eval / scripts inside each other */
#define ANALYZE_MAX_WRAPPERS 64      /* sudo env nohup ... around one command */
#define ANALYZE_MAX_WORDS 200000
#define ANALYZE_MAX_HEREDOCS 1000
#define ANALYZE_MAX_NESTED                                                                         \
	(4u << 20) /* bytes of shell strings and scripts analysed for one input */
#define ANALYZE_MAX_VALUES                                                                         \
	(64u << 20) /* bytes of variable values, alias texts and                                   \
	               expansions guard builds for one input */

/*
 * Analyses len bytes of text.  Returns 0 and fills *out (which the caller
 * frees with analysis_free), also when the text has a syntax error: that is
 * reported in out->error.  Returns -1 only on an internal error.
 */
int analyze(const char *text, size_t len, const struct analyze_opts *opt, struct analysis *out);
/* Only parses text, with analyze()'s limits, as bash -n does (guard check
   -n): strings bash would parse later (bash -c, eval, scripts) are not read.
   Sets out->error, err_line, err_col and incomplete as analyze() does; no
   commands.  Free with analysis_free(). */
void analyze_syntax(const char *text, size_t len, struct analysis *out);
void analysis_free(struct analysis *a);

#endif
