/*
 * cmd_git.c - `guard derive ...`: runs build/guard-git, the only program that
 * links libgit2, so that guard itself never pays libgit2's start-up.
 *
 * guard-git is looked for next to this executable (/proc/self/exe: the build
 * tree, or an install that keeps both in one directory), else in
 * GUARD_LIBEXECDIR.  Never from an environment variable or PATH: a guarded
 * user must not be able to substitute it.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static char *find_guard_git(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		char *sl = strrchr(self, '/');
		if (sl) {
			*sl = 0;
			char *p = xasprintf("%s/guard-git", self);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	if (access(GUARD_LIBEXECDIR "/guard-git", X_OK) == 0)
		return xstrdup(GUARD_LIBEXECDIR "/guard-git");
	return NULL;
}

int cmd_git(struct gopts *g, int argc, char **argv)
{
	char *prog = find_guard_git();
	if (!prog) {
		warnx_("%s: guard-git not found next to guard nor in %s (is guard installed "
		       "completely?)",
		       argc > 0 ? argv[0] : "derive", GUARD_LIBEXECDIR);
		return 2;
	}
	/* guard-git SUBCOMMAND [--policy P] ARGS... */
	char **av = xcalloc((size_t)argc + 4, sizeof *av);
	int k = 0;
	av[k++] = "guard-git";
	av[k++] = argv[0];
	if (g->policy) {
		av[k++] = "--policy";
		av[k++] = (char *)g->policy;
	}
	for (int i = 1; i < argc; i++)
		av[k++] = argv[i];
	av[k] = NULL;
	execv(prog, av);
	warnx_("%s: %s", prog, strerror(errno));
	free(av);
	free(prog);
	return 2;
}
