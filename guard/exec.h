/*
 * exec.h - running an approved line: the configured shell with -c, in a
 * scrubbed environment, without inherited descriptors above 2, with default
 * signal dispositions and an empty signal mask.
 */
#ifndef GUARD_EXEC_H
#define GUARD_EXEC_H

#include "policy.h"

/* Removes from the environment every variable whose assignment decide.c
   refuses (BASH_ENV, ENV, BASH_FUNC_*, LD_PRELOAD, ..., [guard] scrub_env). */
void exec_scrub_env(const struct policy *p);

/* Closes descriptors above 2 and resets signal dispositions and the mask. */
void exec_reset_process(void);

/* The shell that runs approved lines: [guard] shell, else /bin/bash. */
const char *exec_shell_path(const struct policy *p);

/* 1 when path is this very guard binary (running it would loop). */
int exec_is_self(const char *path);

/*
 * Replaces the process with `SHELL [--norc --noprofile] -c LINE [ARGS...]`
 * (the bash options only for bash) after exec_scrub_env and
 * exec_reset_process.  Returns only on failure, with -errno.
 */
int exec_line(const struct policy *p, const char *line, int nargs, char **args);

/*
 * The one-shot path: when bash would simply exec one program, do it without
 * starting bash.  Applies only when the shell is bash, there are no extra
 * arguments, and the line is one simple command of plain words (letters,
 * digits and _./:+,=- separated by blanks: no quoting, expansion,
 * redirection, operator, assignment, reserved word or builtin other than
 * true, false and ':', which are answered directly).  The program is looked
 * up in PATH as bash does, and the environment gets what bash would give it
 * (PWD, SHLVL, _).  Returns 1 when the line does not qualify (then run
 * exec_line); does not return when it ran; returns 0 when the exec failed
 * (then exec_line lets bash report the error exactly as it would).
 */
int exec_direct(const struct policy *p, const char *line, int nargs);

#endif
