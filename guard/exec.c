/* exec.c - running an approved line (see exec.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decide.h"
#include "exec.h"

extern char **environ;

void exec_scrub_env(const struct policy *p)
{
	/* Rebuild environ in place: unsetenv while walking it would skip entries. */
	size_t j = 0;
	for (size_t i = 0; environ && environ[i]; i++) {
		const char *e = environ[i];
		const char *eq = strchr(e, '=');
		size_t n = eq ? (size_t)(eq - e) : strlen(e);
		if (!decide_env_refused(p, e, n))
			environ[j++] = environ[i];
	}
	if (environ)
		environ[j] = NULL;
}

void exec_reset_process(void)
{
	closefrom(3);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &sa, NULL); /* fails harmlessly for reserved numbers */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

const char *exec_shell_path(const struct policy *p)
{
	return p && p->shell ? p->shell : "/bin/bash";
}

int exec_is_self(const char *path)
{
	struct stat a, b;
	if (stat(path, &a) < 0 || stat("/proc/self/exe", &b) < 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int exec_line(const struct policy *p, const char *line, int nargs, char **args)
{
	const char *sh = exec_shell_path(p);
	const char *name = base_name(sh);
	char **argv = xcalloc((size_t)nargs + 6, sizeof *argv);
	int k = 0;
	argv[k++] = (char *)name;
	if (strcmp(name, "bash") == 0) {
		argv[k++] = "--norc";
		argv[k++] = "--noprofile";
	}
	argv[k++] = "-c";
	argv[k++] = (char *)line;
	for (int i = 0; i < nargs; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	exec_scrub_env(p);
	exec_reset_process();
	execv(sh, argv);
	int e = errno;
	free(argv);
	return -e;
}
