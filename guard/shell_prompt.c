/*
 * shell_prompt.c - the prompt and the login banner.
 *
 * [shell] prompt is a format with these escapes (guard.ini(5)):
 *   \u user   \h host (up to the first '.')   \H host   \w directory (~ for home)
 *   \W last part of the directory   \p the policy governing this shell
 *   \? the last exit status and a space, when it is not 0
 *   \$ '#' for root, else '$'   \n newline   \\ backslash
 *   \[ \] around invisible sequences (terminal colours)
 * Default: "\u@\h:\w [guard:\p] \?\$ ".  A space is added at the end when
 * the prompt does not end in one (INI values lose trailing blanks).
 */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>

#include "shell.h"

#define DEFAULT_PROMPT "\\u@\\h:\\w [guard:\\p] \\?\\$ "

char *shell_policy_name(struct shell *sh)
{
	const struct policy *p = &sh->pol;
	if (!sh->have_pol || p->errors.n)
		return xstrdup(p->files.n ? "policy errors" : "no policy");
	const char *n = policy_get(p, "shell", "name");
	if (n)
		return xstrdup(n);
	if (!p->files.n)
		return xstrdup("no policy");
	char real[PATH_MAX];
	const char *f = p->files.v[p->files.n - 1];
	if (realpath(f, real))
		f = real;
	const char *b = base_name(f);
	/* DIR/.guard/policy.ini: the repository's name */
	if (strcmp(b, "policy.ini") == 0) {
		char *d = xstrdup(f);
		char *s = strrchr(d, '/');
		if (s)
			*s = '\0';
		s = strrchr(d, '/');
		if (s && strcmp(s + 1, ".guard") == 0) {
			*s = '\0';
			char *r = xstrdup(*d ? base_name(d) : "/");
			free(d);
			return r;
		}
		free(d);
	}
	size_t len = strlen(b);
	if (len > 4 && strcmp(b + len - 4, ".ini") == 0)
		len -= 4;
	return xstrndup(b, len);
}

static const char *user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw)
		return pw->pw_name;
	const char *u = getenv("USER");
	return u ? u : "?";
}

static void add_dir(struct sbuf *b, int last_only)
{
	char buf[PATH_MAX];
	const char *pwd = getenv("PWD");
	if (!pwd || pwd[0] != '/')
		pwd = getcwd(buf, sizeof buf) ? buf : "?";
	const char *home = getenv("HOME");
	size_t hl = home ? strlen(home) : 0;
	if (hl > 1 && strncmp(pwd, home, hl) == 0 && (pwd[hl] == '/' || !pwd[hl])) {
		if (last_only && pwd[hl]) {
			sb_adds(b, base_name(pwd));
		} else {
			sb_addc(b, '~');
			if (!last_only)
				sb_adds(b, pwd + hl);
		}
		return;
	}
	sb_adds(b, last_only && strcmp(pwd, "/") != 0 ? base_name(pwd) : pwd);
}

char *shell_prompt(struct shell *sh)
{
	const char *fmt = sh->have_pol ? policy_get(&sh->pol, "shell", "prompt") : NULL;
	if (!fmt)
		fmt = DEFAULT_PROMPT;
	shell_jobs_reap(sh);
	shell_fix_pwd();
	struct sbuf b;
	sb_init(&b);
	char host[256];
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	for (const char *p = fmt; *p; p++) {
		if (*p != '\\' || !p[1]) {
			sb_addc(&b, *p);
			continue;
		}
		switch (*++p) {
		case 'u':
			sb_adds(&b, user_name());
			break;
		case 'h':
			sb_addn(&b, host, strcspn(host, "."));
			break;
		case 'H':
			sb_adds(&b, host);
			break;
		case 'w':
			add_dir(&b, 0);
			break;
		case 'W':
			add_dir(&b, 1);
			break;
		case 'p': {
			char *n = shell_policy_name(sh);
			sb_adds(&b, n);
			free(n);
			break;
		}
		case '?':
			if (sh->last_status)
				sb_addf(&b, "%d ", sh->last_status);
			break;
		case '$':
			sb_addc(&b, geteuid() == 0 ? '#' : '$');
			break;
		case 'n':
			sb_addc(&b, '\n');
			break;
		case '[':
			sb_addc(&b, RL_PROMPT_START_IGNORE);
			break;
		case ']':
			sb_addc(&b, RL_PROMPT_END_IGNORE);
			break;
		case '\\':
			sb_addc(&b, '\\');
			break;
		default:
			sb_addc(&b, '\\');
			sb_addc(&b, *p);
		}
	}
	/* INI values lose trailing blanks: a prompt always ends in one */
	if (b.len && b.s[b.len - 1] != ' ' && b.s[b.len - 1] != '\n')
		sb_addc(&b, ' ');
	return sb_take(&b);
}

void shell_banner(struct shell *sh)
{
	int any = 0;
	for (size_t i = 0; sh->have_pol && i < sh->pol.nset; i++) {
		const struct setting *s = &sh->pol.set[i];
		if (strcmp(s->section, "shell") == 0 && strcmp(s->key, "banner") == 0) {
			fprintf(stderr, "%s\n", s->value);
			any = 1;
		}
	}
	if (any)
		return;
	char *n = shell_policy_name(sh);
	fprintf(stderr,
	        "guard: every line is checked against the policy for %s before it runs.\n"
	        "guard: `policy` shows the rules and the docs they come from, `why` explains a\n"
	        "guard: refusal, `help` lists the builtins.\n",
	        n);
	free(n);
}
