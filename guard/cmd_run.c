/*
 * cmd_run.c - guard -c CMDLINE [ARG0 ARGS...], guard --prefix CMDLINE...,
 *             guard --ssh
 *
 * The forms sshd, su and assistants use.  The line is decided first; on deny
 * the block goes to stderr and guard exits 126 without running any of it; on
 * warn the block is printed and the line runs; on allow (and warn) guard
 * replaces itself with the configured shell (`bash --norc --noprofile -c
 * LINE`), so exit status and signals pass through unchanged.
 *
 * --ssh takes the line from SSH_ORIGINAL_COMMAND (sshd's ForceCommand) and,
 * when that is unset, starts the interactive shell.  When the line is guard's
 * own `--ssh` invocation (sshd runs ForceCommand through the login shell,
 * which may be guard: `guard -c 'guard --ssh'`), it is handled here rather
 * than by running guard again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "audit.h"
#include "cli.h"
#include "decide.h"
#include "exec.h"
#include "failsafe.h"
#include "policy.h"
#include "report.h"

static int usage(void)
{
	fputs("usage: guard [--policy FILE] -c CMDLINE [ARG0 [ARG...]]\n"
	      "       guard [--policy FILE] --prefix CMDLINE...\n"
	      "       guard [--policy FILE] --ssh\n",
	      stderr);
	return EXIT_USAGE;
}

/* 1 when line is `guard --ssh` (guard by name or path, blanks around). */
static int is_self_ssh(const char *line)
{
	const char *s = line + strspn(line, " \t");
	size_t n = strcspn(s, " \t\n");
	if (n == 0)
		return 0;
	char *prog = xstrndup(s, n);
	int self = strcmp(base_name(prog), "guard") == 0 || exec_is_self(prog);
	free(prog);
	if (!self)
		return 0;
	s += n;
	s += strspn(s, " \t");
	if (strncmp(s, "--ssh", 5) != 0)
		return 0;
	s += 5;
	return s[strspn(s, " \t\n")] == 0;
}

/* A crash or the time limit while checking: nothing has run (failsafe.h). */
static const struct failsafe_form run_fail = {NULL, "guard: @WHY@; nothing was run\n",
                                              EXIT_BLOCKED};

static int run_line(struct gopts *g, const char *line, int nargs, char **args, int from_ssh)
{
	int r = EXIT_BLOCKED;
	struct policy p;
	struct decision d;
	policy_init(&p);
	memset(&d, 0, sizeof d);

	if (is_self_ssh(line)) {
		const char *cmd = from_ssh ? NULL : getenv("SSH_ORIGINAL_COMMAND");
		if (!cmd) {
			g->login = 1; /* an ssh login without a command: banner and all */
			return cmd_shell(g, 0, args + nargs);
		}
		return run_line(g, cmd, 0, args + nargs, 1);
	}
	failsafe_arm(&run_fail, failsafe_time_limit());
	policy_find_and_load(&p, g->policy, NULL);
	struct ack_ctx ac = {0};
	struct decide_opts o = {0};
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	failsafe_fault_point("check", line);
	decide_line(&p, line, strlen(line), &o, &d);
	struct audit_rec rec = {0};
	rec.mode = from_ssh ? "ssh" : "-c";
	rec.command = line;
	rec.policy = &p;
	audit_from_decision(&rec, &d);
	audit_decision(&rec);
	int colour = report_want_colour(2);
	char *msg = report_block(&p, &d, colour);
	fputs(msg, stderr);
	free(msg);
	if (d.v == V_DENY)
		goto out;
	const char *sh = exec_shell_path(&p);
	if (exec_is_self(sh)) {
		warnx_("[guard] shell is guard itself (%s); refusing to run the line", sh);
		goto out;
	}
	/* the handlers stay until exec replaces them; an alarm would survive it */
	failsafe_stop_timer();
	fflush(stdout);
	fflush(stderr);
	if (d.v == V_ALLOW)
		exec_direct(&p, line, nargs);
	int e = exec_line(&p, line, nargs, args);
	warnx_("cannot run %s: %s; nothing was run", sh, strerror(-e));
	r = e == -ENOENT ? 127 : EXIT_BLOCKED;
out:
	decision_free(&d);
	policy_free(&p);
	return r;
}

int cmd_run(struct gopts *g, int argc, char **argv)
{
	const char *mode = argv[0];
	if (strcmp(mode, "-c") == 0) {
		if (argc < 2)
			return usage();
		return run_line(g, argv[1], argc - 2, argv + 2, 0);
	}
	if (strcmp(mode, "--prefix") == 0) {
		if (argc < 2)
			return usage();
		struct sbuf b;
		sb_init(&b);
		for (int i = 1; i < argc; i++) {
			if (i > 1)
				sb_addc(&b, ' ');
			sb_adds(&b, argv[i]);
		}
		char *line = sb_take(&b);
		int r = run_line(g, line, 0, argv + argc, 0);
		free(line);
		return r;
	}
	if (strcmp(mode, "--ssh") == 0) {
		if (argc > 1)
			return usage();
		const char *cmd = getenv("SSH_ORIGINAL_COMMAND");
		if (!cmd)
			return cmd_shell(g, 0, argv + argc);
		return run_line(g, cmd, 0, argv + argc, 1);
	}
	return usage();
}
