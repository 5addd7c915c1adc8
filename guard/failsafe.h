/*
 * failsafe.h - failing closed when guard itself fails while checking.
 *
 * A crash (SIGSEGV from a stack overflow on a pathological line, SIGABRT from
 * glibc's heap checks, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGXCPU, SIGXFSZ) or
 * running past the time limit would otherwise end guard with a status its
 * caller may read as "carry on": an assistant's hook client runs the command
 * when the hook dies (exit 139) or times out.  failsafe_arm() installs
 * handlers, on an alternate stack so that a stack overflow is caught too,
 * that write a precomputed answer with write(2) and _exit(2) with a blocking
 * status.  They are async-signal-safe: no allocation, no stdio.
 *
 * An answer is a form: text for stdout and for stderr, and an exit status.
 * "@WHY@" in either text is replaced by what went wrong:
 *   "internal error (signal 11: SIGSEGV) while checking"
 *   "checking took longer than 10 s"
 * Texts are borrowed: they must stay valid while the form is in use.
 *
 * Tests only: a build with -DGUARD_TEST_SEAMS (build/test-seams/, never
 * installed) honours GUARD_TEST_FAULT and GUARD_TEST_TIME_LIMIT at
 * failsafe_fault_point() (failsafe.c).  The release build reads no
 * environment here: guard never takes its own settings from it.
 */
#ifndef GUARD_FAILSAFE_H
#define GUARD_FAILSAFE_H

/* Seconds a hook, `guard -c` or the shell may spend checking a line before
   it is denied; well under the hook clients' timeouts (guard install sets
   30 s).  Documented in guard(1), "Failing closed". */
#define FAILSAFE_TIME_LIMIT 10

struct failsafe_form {
	const char *out; /* for stdout, or NULL */
	const char *err; /* for stderr, or NULL */
	int status;      /* exit status */
};

/* Installs the handlers with answer *f and, when seconds > 0, starts the
   time limit (SIGALRM).  f must stay valid until failsafe_disarm(). */
void failsafe_arm(const struct failsafe_form *f, unsigned seconds);
/* Replaces the answer (e.g. once the real answer is being written, a fault
   must not add a second one). */
void failsafe_set(const struct failsafe_form *f);
/* Stops the time limit (before a human is asked, or before exec: an alarm
   survives execve). */
void failsafe_stop_timer(void);
/* Stops the time limit and restores the default handlers. */
void failsafe_disarm(void);
/* Disarms, and gives the handled signals their default action (not what
   was there before, e.g. a sanitizer's): for a child whose parent must see
   the signal that ended it. */
void failsafe_default_signals(void);
/* The time limit in force for this build (FAILSAFE_TIME_LIMIT). */
unsigned failsafe_time_limit(void);
/* Writes "@WHY@" for sig into buf (at least 96 bytes); returns its length.
   SIGALRM is the time limit.  Async-signal-safe. */
unsigned failsafe_why(int sig, char *buf);

/* A point where the test build injects a fault: GUARD_TEST_FAULT=KIND or
   KIND@WHERE (WHERE defaults to "check"), KIND one of segv, stack (a real
   stack overflow), abort, bus, ill, fpe, hang; with GUARD_TEST_FAULT_MATCH
   only when text (the line being checked, may be NULL) contains it.  Does
   nothing in the release build. */
void failsafe_fault_point(const char *where, const char *text);

#endif
