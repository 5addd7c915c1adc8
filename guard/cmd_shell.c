/*
 * cmd_shell.c - `guard` without -c: the interactive (login) shell, or a
 * script read from standard input or a file.
 *
 * Interactive when standard input and standard error are terminals, or with
 * -i; a login shell when argv[0] starts with '-' or with -l.  Otherwise the
 * whole input is read first and checked and run as one unit, so here-docs
 * and multi-line constructs keep their meaning, and nothing runs when any
 * part of it is refused.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "shell.h"

/* Reads all of fd (at most ANALYZE_MAX_INPUT bytes). */
static int slurp_fd(int fd, char **out, size_t *outlen)
{
	struct sbuf b;
	sb_init(&b);
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			sb_free(&b);
			return -e;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > ANALYZE_MAX_INPUT) {
			sb_free(&b);
			return -EFBIG;
		}
		sb_addn(&b, buf, (size_t)n);
	}
	*outlen = b.len;
	*out = sb_take(&b);
	return 0;
}

/* Non-interactive: the script (stdin or a file) is checked and run as a whole. */
static int run_script(struct shell *sh, const char *path, char **argv)
{
	char *text = NULL;
	size_t len = 0;
	int r;
	if (path)
		r = read_file(path, ANALYZE_MAX_INPUT, &text, &len);
	else
		r = slurp_fd(0, &text, &len);
	if (r == -EFBIG) {
		warnx_("%s: larger than %u bytes; nothing was run", path ? path : "standard input",
		       ANALYZE_MAX_INPUT);
		return EXIT_BLOCKED;
	}
	if (r < 0) {
		warnx_("%s: %s; nothing was run", path ? path : "standard input", strerror(-r));
		return path ? 127 : EXIT_BLOCKED;
	}
	if (memchr(text, '\0', len)) {
		warnx_("%s: contains a NUL byte; nothing was run", path ? path : "standard input");
		free(text);
		return EXIT_BLOCKED;
	}
	/* As `guard -c`: a crash or the time limit while checking is a refusal
	   (failsafe.h); the time limit ends before the script runs. */
	failsafe_arm(&shell_check_fail, failsafe_time_limit());
	shell_load_policy(sh);
	int ok = shell_check(sh, text, len) == CHECK_RUN;
	failsafe_disarm();
	int status = EXIT_BLOCKED;
	if (ok)
		status = shell_run_text(sh, text, len, path ? path : NULL, path ? argv + 1 : NULL);
	free(text);
	return status;
}

/* One line typed at the prompt: decide, then run as a builtin or in the shell. */
static void run_line(struct shell *sh, const char *text)
{
	size_t len = strlen(text);
	if (shell_check(sh, text, len) != CHECK_RUN) {
		sh->last_status = EXIT_BLOCKED;
		return;
	}
	int st;
	if (shell_try_builtin(sh, text, &st)) {
		sh->last_status = st;
		return;
	}
	sh->last_status = shell_run_text(sh, text, len, NULL, NULL);
	if (sh->state_cmd)
		fprintf(stderr,
		        "guard: note: `%s` inside a longer line changes that line's shell only; "
		        "run it on a line of its own to keep the change\n",
		        sh->state_cmd);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			return 0;
	return 1;
}

static int interactive_loop(struct shell *sh)
{
	shell_job_init(sh);
	shell_load_policy(sh);
	shell_read_init(sh);
	shell_hist_init(sh);
	shell_complete_init(sh);
	if (sh->login)
		shell_banner(sh);
	int warned_stopped = 0;
	while (!sh->exiting) {
		failsafe_arm(&shell_check_fail, 0); /* a policy that crashes guard */
		shell_load_policy(sh);
		failsafe_disarm();
		char *text = NULL;
		int r = shell_read_command(sh, &text);
		if (r == READ_INTR) {
			sh->last_status = 130;
			continue;
		}
		if (r == READ_TIMEOUT) {
			fprintf(stderr, "guard: idle for %lds; logging out\n", sh->idle_timeout);
			sh->exit_status = sh->last_status;
			break;
		}
		if (r == READ_EOF) {
			int stopped = 0;
			for (int i = 0; i < SHELL_MAX_JOBS; i++)
				stopped |= sh->jobs[i].pgid && sh->jobs[i].stopped;
			if (stopped && !warned_stopped) {
				fputs(
				    "guard: there are stopped jobs (`jobs`); press Ctrl-D again to "
				    "end them and leave\n",
				    stderr);
				warned_stopped = 1;
				continue;
			}
			fputs("exit\n", stderr);
			sh->exit_status = sh->last_status;
			break;
		}
		warned_stopped = 0;
		if (blank(text)) {
			free(text);
			continue;
		}
		shell_hist_add(sh, text);
		run_line(sh, text);
		free(text);
	}
	shell_jobs_hangup(sh);
	shell_hist_finish(sh);
	return sh->exit_status;
}

int cmd_shell(struct gopts *g, int argc, char **argv)
{
	struct shell sh;
	memset(&sh, 0, sizeof sh);
	sh.g = g;
	sh.tty = -1;
	sh.login = g->login;
	/* Inherited descriptors would leak into every command (tech-notes 3.4). */
	closefrom(3);

	const char *script = NULL;
	if (argc > 0 && strcmp(argv[0], "-") != 0 && strcmp(argv[0], "-s") != 0)
		script = argv[0];
	sh.interactive = g->interactive || (!script && isatty(0) && isatty(2));
	if (g->policy) {
		/* relative to where guard started, also after `cd` */
		char buf[PATH_MAX];
		if (g->policy[0] != '/' && getcwd(buf, sizeof buf))
			sh.policy_path = xasprintf("%s/%s", buf, g->policy);
		else
			sh.policy_path = xstrdup(g->policy);
	}

	int status;
	if (!sh.interactive)
		status = run_script(&sh, script, argv);
	else
		status = interactive_loop(&sh);
	free(sh.last_line);
	free(sh.policy_path);
	free(sh.histfile);
	if (sh.have_pol)
		policy_free(&sh.pol);
	return status;
}
