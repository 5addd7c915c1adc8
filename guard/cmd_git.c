/*
 * cmd_git.c - `guard derive ...`: runs build/guard-git, the only program that
 * links libgit2, so that guard itself never pays libgit2's start-up.
 *
 * guard-git is found as gitexec.h says (next to this executable, then
 * ../libexec/guard/ from it, then GUARD_LIBEXECDIR), never through an
 * environment variable or PATH.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "gitexec.h"
#include "util.h"

int cmd_git(struct gopts *g, int argc, char **argv)
{
	char *prog = gitexec_find();
	if (!prog) {
		warnx_("%s: guard-git not found next to guard, in ../libexec/guard/ from it, nor "
		       "in %s (is guard installed completely?)",
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
