/*
 * git_extract.h - the shell commands a file in a repository would run.
 *
 * The pre-push hook looks only at what would execute: shell scripts (by
 * extension or shebang), package.json "scripts", Makefile recipes, systemd
 * unit Exec*= lines, Dockerfile RUN/CMD/ENTRYPOINT and CI workflow steps
 * (run:, script:, before_script:, after_script:, command:).  Each piece is
 * returned as shell text with the file line its first line came from, ready
 * for decide_line().  Nothing here prints, and nothing touches git.
 */
#ifndef GUARD_GIT_EXTRACT_H
#define GUARD_GIT_EXTRACT_H

#include <stddef.h>

enum xkind {
	XK_NONE = 0,     /* nothing in it runs (as far as guard knows) */
	XK_SHELL,        /* *.sh, *.bash, or a #! line naming a POSIX shell */
	XK_PACKAGE_JSON, /* package.json */
	XK_MAKEFILE,     /* Makefile, makefile, GNUmakefile, *.mk */
	XK_SYSTEMD,      /* *.service, *.socket */
	XK_DOCKERFILE,   /* Dockerfile, Containerfile, Dockerfile.*, *.dockerfile */
	XK_CI,           /* GitHub workflows and actions, .gitlab-ci.yml, ... */
};

/* The kind a path implies, or XK_NONE (then look for a shebang). */
enum xkind extract_kind_by_path(const char *path);
/* XK_SHELL when head starts with a #! line naming sh, bash, dash, ksh or zsh. */
enum xkind extract_kind_by_shebang(const char *head, size_t len);
const char *extract_kind_name(enum xkind k);

struct xsnip {
	char *text; /* shell text to analyse, NUL-terminated */
	size_t len;
	int line;   /* file line of text's first line */
	int folded; /* 1: text joins several file lines; every command maps to `line` */
	char *what; /* where it runs, e.g. "scripts.deploy", "RUN", "ExecStart", "run" */
};

struct xsnips {
	struct xsnip *v;
	size_t n;
};

/*
 * Extracts the commands of a file of kind k.  Returns 0, or -1 when the file
 * cannot be read as that kind; then *err holds "line N: what is wrong"
 * (allocated).  Snippets found before the error stay in out.
 */
int extract_commands(enum xkind k, const char *buf, size_t len, struct xsnips *out, char **err);
void xsnips_free(struct xsnips *s);

/* The file line of line `rel` (1-based) of a snippet. */
int xsnip_file_line(const struct xsnip *s, int rel);

#endif
