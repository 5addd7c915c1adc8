/* exec.c - running an approved line (see exec.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
			sigaction(s, &sa, NULL); /* glibc refuses its reserved ones */
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
	/* glibc's reserved real-time signals (32, 33) can be inherited as
	   ignored too (make(1) does that); reset them with the system call. */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} ksa = {0};
	for (int s = 32; s < SIGRTMIN; s++)
		syscall(SYS_rt_sigaction, s, &ksa, NULL, sizeof ksa.mask);
#endif
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

static const char *const bash_words[] = {
    /* compgen -b */
    ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen",
    "complete", "compopt", "continue", "declare", "dirs", "disown", "echo", "enable", "eval",
    "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash", "help", "history", "jobs",
    "kill", "let", "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd", "read",
    "readarray", "readonly", "return", "set", "shift", "shopt", "source", "suspend", "test",
    "times", "trap", "true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait",
    /* compgen -k */
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc", NULL};

static int plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '/' || c == ':' || c == '+' || c == ',' || c == '=' ||
	       c == '-';
}

/* bash's PATH search: the first executable regular file. */
static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL; /* bash would use its default: let it */
	struct sbuf b;
	sb_init(&b);
	for (const char *d = path;;) {
		size_t n = strcspn(d, ":");
		b.len = 0;
		if (n)
			sb_addn(&b, d, n);
		else
			sb_adds(&b, ".");
		sb_addc(&b, '/');
		sb_adds(&b, name);
		struct stat st;
		if (stat(b.s, &st) == 0 && S_ISREG(st.st_mode) && access(b.s, X_OK) == 0)
			return sb_take(&b);
		if (!d[n])
			break;
		d += n + 1;
	}
	sb_free(&b);
	return NULL;
}

int exec_direct(const struct policy *p, const char *line, int nargs)
{
	int r = 1;
	char *copy = NULL, *path = NULL, *under = NULL, *pwdv = NULL;
	char *argv[64];
	int argc = 0;
	if (nargs || strcmp(base_name(exec_shell_path(p)), "bash") != 0)
		return 1;
	for (const char *s = line; *s; s++)
		if (!plain(*s) && *s != ' ' && *s != '\t')
			return 1;
	copy = xstrdup(line);
	for (char *s = copy; *s;) {
		while (*s == ' ' || *s == '\t')
			*s++ = 0;
		if (!*s)
			break;
		if (argc == 63)
			goto out;
		argv[argc++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	argv[argc] = NULL;
	if (argc == 0 || strchr(argv[0], '='))
		goto out;
	for (const char *const *w = bash_words; *w; w++)
		if (strcmp(argv[0], *w) == 0) {
			if (strcmp(*w, "true") == 0 || strcmp(*w, ":") == 0)
				exit(0);
			if (strcmp(*w, "false") == 0)
				exit(1);
			goto out;
		}
	path = strchr(argv[0], '/') ? xstrdup(argv[0]) : find_in_path(argv[0]);
	if (!path)
		goto out;
	/* what bash puts into a program's environment */
	exec_scrub_env(p);
	under = xasprintf("_=%s", path);
	putenv(under);
	if (!getenv("SHLVL"))
		putenv("SHLVL=0");
	const char *pwd = getenv("PWD");
	struct stat a, b;
	if (!pwd || pwd[0] != '/' || stat(pwd, &a) < 0 || stat(".", &b) < 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		char *cwd = getcwd(NULL, 0);
		if (cwd) {
			pwdv = xasprintf("PWD=%s", cwd);
			putenv(pwdv);
			free(cwd);
		}
	}
	exec_reset_process();
	execv(path, argv);
	r = 0; /* failed: bash will say why */
out:
	free(path);
	free(copy);
	return r;
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
