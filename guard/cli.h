/*
 * cli.h - the subcommands.  Each lives in its own cmd_*.c, parses its own
 * options, prints its own messages and returns the process exit status.
 * Only this layer (and main.c) prints and exits.
 */
#ifndef GUARD_CLI_H
#define GUARD_CLI_H

/* Exit statuses of check/explain/policy (documented in guard(1)). */
enum {
	EXIT_ALLOW = 0,
	EXIT_WARN = 1,
	EXIT_DENY = 2,
	EXIT_POLICY = 3,    /* the policy could not be loaded or has errors (all denied) */
	EXIT_USAGE = 64,    /* bad command line */
	EXIT_BLOCKED = 126, /* -c / shell: the line was denied and nothing ran */
};

/* Options given before the subcommand, e.g. `guard --policy P -c 'cmd'`. */
struct gopts {
	const char *policy; /* --policy FILE, or NULL */
	int login;          /* argv[0] starts with '-' or -l/--login */
	int interactive;    /* -i */
	const char *argv0;
};

int cmd_check(struct gopts *g, int argc, char **argv);   /* guard check */
int cmd_explain(struct gopts *g, int argc, char **argv); /* guard explain */
int cmd_policy(struct gopts *g, int argc, char **argv);  /* guard policy show|check */
int cmd_run(struct gopts *g, int argc, char **argv);     /* guard -c CMDLINE, guard --ssh */
int cmd_shell(struct gopts *g, int argc, char **argv);   /* guard [-i] [-l] [script] */
int cmd_hook(struct gopts *g, int argc, char **argv);    /* guard hook CLIENT|pre-push */
int cmd_install(struct gopts *g, int argc, char **argv); /* guard install CLIENT */
int cmd_uninstall(struct gopts *g, int argc, char **argv);
int cmd_log(struct gopts *g, int argc, char **argv);    /* guard log */
int cmd_ack(struct gopts *g, int argc, char **argv);    /* guard ack */
int cmd_doctor(struct gopts *g, int argc, char **argv); /* guard doctor */
int cmd_git(struct gopts *g, int argc, char **argv);    /* guard derive: runs guard-git */

/* Prints "guard: " + message to stderr. */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
