/*
 * shell.h - the interactive shell (cmd_shell.c and shell_*.c).
 *
 * These files are the presentation layer of `guard` without -c: like the
 * cmd_*.c files they print to the terminal and choose exit statuses.  They
 * are split by concern:
 *   cmd_shell.c      options, modes (interactive, login, script), main loop
 *   shell_read.c     reading lines with readline; continuation of incomplete input
 *   shell_check.c    deciding a line, block/warn messages, warn confirmation
 *   shell_builtin.c  guard's own builtins (cd, export, exit, why, ...)
 *   shell_job.c      job control and running approved lines with the shell
 *   shell_hist.c     the persistent history file
 *   shell_complete.c tab completion (builtins, PATH, files, policy words)
 *   shell_prompt.c   the prompt and the login banner
 */
#ifndef GUARD_SHELL_H
#define GUARD_SHELL_H

#include <stddef.h>
#include <sys/types.h>
#include <termios.h>

#include "cli.h"
#include "decide.h"
#include "failsafe.h"
#include "policy.h"

#define SHELL_MAX_JOBS 32

struct job {
	pid_t pgid; /* 0: free slot */
	char *text; /* the line, for `jobs` */
	int stopped;
};

struct shell {
	struct gopts *g;
	int interactive, login;
	int tty;               /* terminal fd (0) when interactive, else -1 */
	pid_t pgid;            /* guard's own process group */
	struct termios tmodes; /* terminal modes to restore after each command */
	int have_tmodes;

	char *policy_path; /* --policy, made absolute (the shell changes directory) */
	struct policy pol; /* loaded before each prompt (follows cwd) */
	int have_pol;

	int last_status;       /* $? of the last line */
	const char *state_cmd; /* cd, export, ... ran inside a longer line (a note is shown) */
	char *last_line;       /* the last line decided, for `why` */
	int prechecked;        /* shell_precheck() result for the line just read, or 0 */
	char precheck_why[96]; /* PRE_FAILED: what went wrong (failsafe_why) */
	char last_fail[96];    /* why last_line could not be checked, or "" */
	long pre_rule;         /* PRE_ALLOWED: the deciding rule's index, or -1 */
	int pre_state;         /* PRE_ALLOWED: the state command's index, or -1 */
	pid_t pre_pid;         /* the last checking child, not yet waited for */
	int exiting;           /* `exit` was run */
	int exit_status;

	char *histfile; /* NULL: no persistent history */
	int hist_size;
	long idle_timeout; /* seconds, 0 = none */

	struct job jobs[SHELL_MAX_JOBS];
};

/* shell_read.c */
enum { READ_LINE = 0, READ_EOF = 1, READ_INTR = 2, READ_TIMEOUT = 3 };
/* Reads one line with readline (interactive only).  *out is malloc'd. */
int shell_readline(struct shell *sh, const char *prompt, char **out);
/* Reads a complete command (continuation lines joined with '\n'). */
int shell_read_command(struct shell *sh, char **out);
/* 1 if text is incomplete input (open quote, here-doc, if without fi, ...). */
int shell_incomplete(const char *text);
void shell_read_init(struct shell *sh);

/* shell_check.c */
enum { CHECK_RUN = 0, CHECK_BLOCKED = 1 };
/* Decides text with the policy; prints why it is refused or warned about
   and asks for confirmation of a warn at the terminal.  Returns CHECK_RUN or
   CHECK_BLOCKED.  exit, logout, help, why and policy on a plain line run even
   when the policy cannot be loaded, so the operator can read why and leave. */
int shell_check(struct shell *sh, const char *text, size_t len);
/* A fault while guard itself checks (failsafe.h): "nothing was run", 126. */
extern const struct failsafe_form shell_check_fail;
/* Interactive: the line is first analysed and decided in a child process, so
   that a crash or a hang on a pathological line ends the child and not the
   login shell (guard(1), "Failing closed").  Returns PRE_INCOMPLETE (more
   lines are needed; found without a child for a trailing backslash),
   PRE_ALLOWED (the child allowed it: shell_check() runs it without deciding
   again, from sh->pre_rule and sh->pre_state), PRE_OK (checked safely:
   shell_check() decides it itself, to print, ask and log), or PRE_FAILED
   with sh->precheck_why set.  A failed fork is PRE_OK: the line is then
   checked in guard itself, as before. */
enum { PRE_NONE = 0, PRE_OK = 1, PRE_INCOMPLETE = 2, PRE_FAILED = 3, PRE_ALLOWED = 4 };
int shell_precheck(struct shell *sh, const char *text, size_t len);
/* Prints the explanation of the last decision (builtin `why`). */
int shell_why(struct shell *sh);
/* Loads the policy for the current directory into sh->pol. */
void shell_load_policy(struct shell *sh);

/* shell_builtin.c */
/* If text is a plain builtin-only line, runs it, sets *status and returns 1;
   returns 0 when the line must run in the shell. */
int shell_try_builtin(struct shell *sh, const char *text, int *status);
/* Sets $PWD to the working directory unless it already names it (a
   logical name through symlinks is kept, as bash does). */
void shell_fix_pwd(void);
/* 1 if name is one of guard's builtins. */
int shell_is_builtin(const char *name);
/* Names of the builtins, NULL-terminated (for completion and help). */
extern const char *const shell_builtin_names[];
/* Splits a plain line into words (quotes removed).  Returns -1 if the line
   is not plain (operators, expansions, redirections). */
int shell_split_plain(const char *text, struct strv *out);

/* shell_job.c */
void shell_job_init(struct shell *sh);
/* Runs text with the configured shell in guard's cwd, environment and umask;
   returns the exit status (128+N for a signal, 148 when stopped). */
int shell_run_text(struct shell *sh, const char *text, size_t len, const char *argv0,
                   char *const *args);
int shell_fg(struct shell *sh, int idx);
int shell_bg(struct shell *sh, int idx);
void shell_jobs_list(struct shell *sh);
/* Reports and forgets jobs that ended in the background. */
void shell_jobs_reap(struct shell *sh);
/* On exit: stopped jobs get SIGHUP and SIGCONT (they would be orphaned). */
void shell_jobs_hangup(struct shell *sh);

/* shell_hist.c */
void shell_hist_init(struct shell *sh);
void shell_hist_add(struct shell *sh, const char *line);
void shell_hist_finish(struct shell *sh);
int shell_hist_builtin(struct shell *sh, int argc, char **argv);

/* shell_complete.c */
void shell_complete_init(struct shell *sh);

/* shell_prompt.c */
/* The prompt for the next line (malloc'd). */
char *shell_prompt(struct shell *sh);
void shell_banner(struct shell *sh);
/* Short name of the governing policy ("massage-shop", or "no policy"). */
char *shell_policy_name(struct shell *sh);

#endif
