/*
 * shell_complete.c - tab completion (tech-notes 3.1).
 *
 * In command position: guard's builtins and the programs on PATH (file names
 * when the word has a '/').  After a command: words the policy knows for it
 * (from its rules' `match` and `instead` lines: `systemctl restart <TAB>`
 * offers the units the policy names), else file names.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>

#include "shell.h"

static struct shell *csh;
static struct strv cands;
static size_t cand_i;

static void cand_add(const char *w, const char *text)
{
	if (strncmp(w, text, strlen(text)) != 0)
		return;
	for (size_t i = 0; i < cands.n; i++)
		if (strcmp(cands.v[i], w) == 0)
			return;
	sv_push(&cands, xstrdup(w));
}

static char *gen(const char *text, int state)
{
	(void)text;
	if (!state)
		cand_i = 0;
	if (cand_i < cands.n)
		return xstrdup(cands.v[cand_i++]); /* readline frees it */
	return NULL;
}

static void add_path_programs(const char *text)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *p = xstrdup(path), *save, *dir;
	size_t tl = strlen(text);
	for (dir = strtok_r(p, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || strncmp(de->d_name, text, tl) != 0)
				continue;
			char *f = xasprintf("%s/%s", dir, de->d_name);
			struct stat st;
			if (stat(f, &st) == 0 && S_ISREG(st.st_mode) && access(f, X_OK) == 0)
				cand_add(de->d_name, text);
			free(f);
		}
		closedir(d);
	}
	free(p);
}

static int has_glob(const char *w)
{
	return strpbrk(w, "*?[") != NULL;
}

/* Words of rule r's match and instead lines that can follow typed[0..k). */
static void add_policy_words(char **typed, int k, const char *text)
{
	const struct policy *p = &csh->pol;
	int systemctl_unit = k >= 2 && strcmp(typed[0], "systemctl") == 0;
	for (size_t i = 0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		if (r->nmatch > k) {
			int m = 1;
			for (int j = 0; j < k && m; j++)
				m = fnmatch(r->match[j], typed[j], 0) == 0;
			if (m && !has_glob(r->match[k]))
				cand_add(r->match[k], text);
		}
		if (systemctl_unit && r->nmatch > 2 && strcmp(r->match[0], "systemctl") == 0)
			for (int j = 2; j < r->nmatch; j++)
				if (!has_glob(r->match[j]) && r->match[j][0] != '-')
					cand_add(r->match[j], text);
		if (!r->instead)
			continue;
		struct strv w = {0};
		if (shell_split_plain(r->instead, &w) == 0) {
			size_t off = 0;
			if (w.n && strcmp(w.v[0], "sudo") == 0)
				off = 1;
			int m = w.n - off > (size_t)k;
			for (int j = 0; j < k && m; j++)
				m = strcmp(w.v[off + (size_t)j], typed[j]) == 0;
			if (m)
				cand_add(w.v[off + (size_t)k], text);
			if (systemctl_unit && w.n - off > 2 && strcmp(w.v[off], "systemctl") == 0)
				for (size_t j = off + 2; j < w.n; j++)
					if (w.v[j][0] != '-')
						cand_add(w.v[j], text);
		}
		sv_free(&w);
	}
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	sv_free(&cands);
	memset(&cands, 0, sizeof cands);
	/* The command's words so far: back to the last operator. */
	int cs = start;
	while (cs > 0 && !strchr(";|&(\n", rl_line_buffer[cs - 1]))
		cs--;
	char *before = xstrndup(rl_line_buffer + cs, (size_t)(start - cs));
	struct strv typed = {0};
	char *save, *tok;
	for (tok = strtok_r(before, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		sv_push(&typed, xstrdup(tok));
	free(before);
	/* sudo [-u USER] CMD ...: complete for CMD */
	size_t off = 0;
	if (typed.n && strcmp(typed.v[0], "sudo") == 0) {
		off = 1;
		while (off < typed.n && typed.v[off][0] == '-')
			off += strcmp(typed.v[off], "-u") == 0 ? 2 : 1;
	}
	int k = off <= typed.n ? (int)(typed.n - off) : 0;
	char **res = NULL;
	rl_attempted_completion_over = 0;
	if (k == 0) {
		if (!strchr(text, '/')) {
			for (int i = 0; shell_builtin_names[i]; i++)
				cand_add(shell_builtin_names[i], text);
			add_path_programs(text);
			rl_attempted_completion_over = 1;
		}
	} else if (csh->have_pol) {
		add_policy_words(typed.v + off, k, text);
	}
	sv_free(&typed);
	if (cands.n)
		res = rl_completion_matches(text, gen);
	return res; /* NULL and not over: readline completes file names */
}

void shell_complete_init(struct shell *sh)
{
	csh = sh;
	rl_attempted_completion_function = complete;
	rl_completer_quote_characters = "\"'";
}
