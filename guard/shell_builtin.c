/*
 * shell_builtin.c - the builtins guard runs itself because their effect must
 * outlive the line: cd, pwd, export, unset, umask, exit, history, help, why,
 * policy, ack, jobs, fg, bg.
 *
 * Only *plain* lines are run here: a builtin's name followed by words made
 * of ordinary characters and quotes (no operators, expansions, redirections
 * or globs).  Any other line, including `cd /tmp && ls`, runs as a whole in
 * the configured shell with bash's semantics; a `cd` inside it changes that
 * shell's directory, not guard's.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

extern char **environ;

const char *const shell_builtin_names[] = {
    "cd",   "pwd", "export", "unset", "umask", "exit", "logout", "history",
    "help", "why", "policy", "ack",   "jobs",  "fg",   "bg",     NULL,
};

int shell_is_builtin(const char *name)
{
	for (int i = 0; shell_builtin_names[i]; i++)
		if (strcmp(name, shell_builtin_names[i]) == 0)
			return 1;
	return 0;
}

static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	if (h && *h)
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_dir : "/";
}

int shell_split_plain(const char *t, struct strv *out)
{
	struct sbuf w;
	sb_init(&w);
	int inword = 0, r = -1;
	const char *p = t;
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '\t') {
			if (inword) {
				sv_push(out, sb_take(&w));
				inword = 0;
			}
			continue;
		}
		if (c == '\'') {
			const char *e = strchr(p + 1, '\'');
			if (!e)
				goto out;
			sb_addn(&w, p + 1, (size_t)(e - p - 1));
			p = e;
			inword = 1;
			continue;
		}
		if (c == '"') {
			const char *e = p + 1;
			while (*e && *e != '"') {
				if (strchr("$`\\!", *e))
					goto out;
				e++;
			}
			if (!*e)
				goto out;
			sb_addn(&w, p + 1, (size_t)(e - p - 1));
			p = e;
			inword = 1;
			continue;
		}
		if (c == '\\') {
			if (!p[1] || p[1] == '\n')
				goto out;
			sb_addc(&w, *++p);
			inword = 1;
			continue;
		}
		if (strchr("|&;<>()$`*?[]{}#!\n", c))
			goto out;
		if (c == '~' && !inword) {
			/* ~ and ~/...: the home directory; ~user is left to the shell */
			if (p[1] && p[1] != '/' && p[1] != ' ' && p[1] != '\t')
				goto out;
			sb_adds(&w, home_dir());
			inword = 1;
			continue;
		}
		sb_addc(&w, c);
		inword = 1;
	}
	if (inword)
		sv_push(out, sb_take(&w));
	r = 0;
out:
	sb_free(&w);
	if (r < 0) {
		sv_free(out);
		memset(out, 0, sizeof *out);
	}
	return r;
}

/* Joins base and rel and removes ".", ".." and repeated slashes (bash's
   logical directory names: symlinks are kept). */
static char *logical_path(const char *base, const char *rel)
{
	char *joined = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", base, rel);
	struct strv parts = {0};
	char *save, *tok;
	for (tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (parts.n) {
				free(parts.v[--parts.n]);
				parts.v[parts.n] = NULL;
			}
			continue;
		}
		sv_push(&parts, xstrdup(tok));
	}
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < parts.n; i++)
		sb_addf(&b, "/%s", parts.v[i]);
	if (!b.len)
		sb_addc(&b, '/');
	sv_free(&parts);
	free(joined);
	return sb_take(&b);
}

static const char *current_pwd(char *buf, size_t n)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return pwd;
	return getcwd(buf, n) ? buf : "/";
}

void shell_fix_pwd(void)
{
	char buf[PATH_MAX];
	const char *pwd = current_pwd(buf, sizeof buf);
	if (pwd == buf)
		setenv("PWD", buf, 1);
}

static int try_chdir(const char *base, const char *dir, char **newpwd)
{
	char *lp = logical_path(base, dir);
	if (chdir(lp) == 0) {
		*newpwd = lp;
		return 0;
	}
	int e = errno;
	free(lp);
	/* a logical path through a symlink's ".." may not exist: try the physical one */
	if (chdir(dir) == 0) {
		char buf[PATH_MAX];
		*newpwd = xstrdup(getcwd(buf, sizeof buf) ? buf : dir);
		return 0;
	}
	errno = e;
	return -1;
}

static int b_cd(int argc, char **argv)
{
	char buf[PATH_MAX];
	const char *pwd = current_pwd(buf, sizeof buf);
	char *oldpwd = xstrdup(pwd);
	const char *dir;
	int print = 0;
	if (argc > 2) {
		fputs("cd: too many arguments\n", stderr);
		free(oldpwd);
		return 1;
	}
	if (argc < 2) {
		dir = home_dir();
	} else if (strcmp(argv[1], "-") == 0) {
		dir = getenv("OLDPWD");
		if (!dir) {
			fputs("cd: OLDPWD not set\n", stderr);
			free(oldpwd);
			return 1;
		}
		print = 1;
	} else {
		dir = argv[1];
	}
	char *newpwd = NULL;
	int r = -1;
	const char *cdpath = getenv("CDPATH");
	if (dir[0] != '/' && strncmp(dir, "./", 2) != 0 && strncmp(dir, "../", 3) != 0 &&
	    strcmp(dir, ".") != 0 && strcmp(dir, "..") != 0 && cdpath && *cdpath) {
		char *cp = xstrdup(cdpath), *save, *ent;
		for (ent = strtok_r(cp, ":", &save); ent && r < 0;
		     ent = strtok_r(NULL, ":", &save)) {
			char *cand = xasprintf("%s/%s", ent, dir);
			struct stat st;
			if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode) &&
			    try_chdir(ent[0] == '/' ? "/" : pwd, cand, &newpwd) == 0) {
				r = 0;
				print = 1;
			}
			free(cand);
		}
		free(cp);
	}
	if (r < 0 && try_chdir(pwd, dir, &newpwd) < 0) {
		fprintf(stderr, "cd: %s: %s\n", dir, strerror(errno));
		free(oldpwd);
		return 1;
	}
	setenv("OLDPWD", oldpwd, 1);
	setenv("PWD", newpwd, 1);
	if (print)
		puts(newpwd);
	free(oldpwd);
	free(newpwd);
	return 0;
}

static int b_pwd(int argc, char **argv)
{
	char buf[PATH_MAX];
	if (argc > 1 && strcmp(argv[1], "-P") == 0)
		puts(getcwd(buf, sizeof buf) ? buf : "/");
	else
		puts(current_pwd(buf, sizeof buf));
	return 0;
}

static int valid_name(const char *s, size_t n)
{
	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

static int b_export(int argc, char **argv)
{
	int st = 0;
	if (argc < 2 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
		for (char **e = environ; *e; e++) {
			const char *eq = strchr(*e, '=');
			if (!eq)
				continue;
			printf("declare -x %.*s=\"", (int)(eq - *e), *e);
			for (const char *v = eq + 1; *v; v++) {
				if (strchr("\"\\$`", *v))
					putchar('\\');
				putchar(*v);
			}
			puts("\"");
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!valid_name(argv[i], n)) {
			fprintf(stderr, "export: `%s': not a valid identifier\n", argv[i]);
			st = 1;
			continue;
		}
		if (eq) {
			char *name = xstrndup(argv[i], n);
			setenv(name, eq + 1, 1);
			free(name);
		}
		/* `export NAME` without a value: guard has no unexported variables */
	}
	return st;
}

static int b_unset(int argc, char **argv)
{
	int st = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			continue;
		if (!valid_name(argv[i], strlen(argv[i]))) {
			fprintf(stderr, "unset: `%s': not a valid identifier\n", argv[i]);
			st = 1;
			continue;
		}
		unsetenv(argv[i]);
	}
	return st;
}

static int b_umask(int argc, char **argv)
{
	mode_t m = umask(0);
	umask(m);
	if (argc < 2) {
		printf("%04o\n", (unsigned)m);
		return 0;
	}
	if (strcmp(argv[1], "-S") == 0) {
		mode_t a = ~m & 0777;
		const char *who = "ugo";
		for (int i = 0; i < 3; i++) {
			unsigned bits = (a >> (6 - 3 * i)) & 7;
			printf("%c=%s%s%s%s", who[i], bits & 4 ? "r" : "", bits & 2 ? "w" : "",
			       bits & 1 ? "x" : "", i < 2 ? "," : "\n");
		}
		return 0;
	}
	char *end;
	errno = 0;
	long v = strtol(argv[1], &end, 8);
	if (errno || *end || v < 0 || v > 0777) {
		fprintf(stderr, "umask: %s: an octal mode is expected\n", argv[1]);
		return 1;
	}
	umask((mode_t)v);
	return 0;
}

static int b_help(void)
{
	puts("guard checks every line against its policy before any of it runs.\n"
	     "Builtins run by guard itself (on a line of their own):\n"
	     "  cd [DIR|-]       change directory (CDPATH is used)\n"
	     "  pwd [-P]         print the working directory\n"
	     "  export [N=V ...] set environment variables; unset N ... removes them\n"
	     "  umask [-S] [MODE]\n"
	     "  exit [N], logout leave guard\n"
	     "  history [N|-c]   show or clear the history\n"
	     "  jobs, fg [%N], bg [%N]  stopped commands (Ctrl-Z)\n"
	     "  why              explain the decision on the last line\n"
	     "  policy           show the policy that governs this shell\n"
	     "  ack [...]        the acknowledgement gate (guard ack)\n"
	     "Everything else, and any line that mixes builtins with other commands,\n"
	     "runs in the configured shell ([guard] shell) with guard's directory,\n"
	     "environment and umask.");
	return 0;
}

static int b_policy(struct shell *sh)
{
	const struct policy *p = &sh->pol;
	char *name = shell_policy_name(sh);
	printf("governs: %s\n", name);
	free(name);
	for (size_t i = 0; i < p->files.n; i++)
		printf("file:    %s\n", p->files.v[i]);
	for (size_t i = 0; i < p->errors.n; i++)
		printf("error:   %s\n", p->errors.v[i]);
	printf("shell:   %s\n", p->shell ? p->shell : "/bin/bash");
	printf("default: %s\n", verdict_name(p->def));
	for (size_t i = 0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		printf("rule %-16s %-5s", r->name, verdict_name(r->action));
		for (int k = 0; k < r->nmatch; k++)
			printf(" %s", r->match[k]);
		if (r->instead)
			printf("  -> instead: %s", r->instead);
		putchar('\n');
	}
	return p->errors.n ? 1 : 0;
}

static int job_arg(int argc, char **argv)
{
	if (argc < 2)
		return -1;
	const char *a = argv[1][0] == '%' ? argv[1] + 1 : argv[1];
	return atoi(a) - 1;
}

int shell_try_builtin(struct shell *sh, const char *text, int *status)
{
	struct strv w = {0};
	size_t eqn;
	if (shell_split_plain(text, &w) < 0 || w.n == 0) {
		sv_free(&w);
		return 0;
	}
	int argc = (int)w.n;
	char **argv = w.v;
	const char *n = argv[0];
	int st = 0;
	fflush(stdout);
	if (strcmp(n, "cd") == 0) {
		st = b_cd(argc, argv);
	} else if (strcmp(n, "pwd") == 0) {
		st = b_pwd(argc, argv);
	} else if (strcmp(n, "export") == 0) {
		st = b_export(argc, argv);
	} else if (strcmp(n, "unset") == 0) {
		st = b_unset(argc, argv);
	} else if (strcmp(n, "umask") == 0) {
		st = b_umask(argc, argv);
	} else if (strcmp(n, "exit") == 0 || strcmp(n, "logout") == 0) {
		sh->exiting = 1;
		sh->exit_status = argc > 1 ? atoi(argv[1]) & 255 : sh->last_status;
		st = sh->exit_status;
	} else if (strcmp(n, "history") == 0) {
		st = shell_hist_builtin(sh, argc, argv);
	} else if (strcmp(n, "help") == 0) {
		st = b_help();
	} else if (strcmp(n, "why") == 0) {
		st = shell_why(sh);
	} else if (strcmp(n, "policy") == 0) {
		st = b_policy(sh);
	} else if (strcmp(n, "ack") == 0) {
		st = cmd_ack(sh->g, argc, argv);
	} else if (strcmp(n, "jobs") == 0) {
		shell_jobs_list(sh);
	} else if (strcmp(n, "fg") == 0) {
		st = shell_fg(sh, job_arg(argc, argv));
	} else if (strcmp(n, "bg") == 0) {
		st = shell_bg(sh, job_arg(argc, argv));
	} else if (argc == 1 && (eqn = strcspn(n, "=")) < strlen(n) && valid_name(n, eqn)) {
		/* NAME=value alone: guard keeps no unexported variables, so this sets
		   an environment variable (as `export NAME=value`). */
		char *name = xstrndup(n, eqn);
		setenv(name, n + eqn + 1, 1);
		free(name);
	} else {
		sv_free(&w);
		return 0;
	}
	fflush(stdout);
	sv_free(&w);
	*status = st;
	return 1;
}
