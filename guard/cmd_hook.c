/* cmd_hook.c - placeholder until issue 5 lands. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "gitexec.h"

int cmd_hook(struct gopts *g, int argc, char **argv)
{
	(void)g;
	if (argc > 1 && strcmp(argv[1], "pre-push") == 0) {
		/* guard hook pre-push ARGS -> guard-git prepush ARGS (issue 7) */
		static const char *const pre[] = {"prepush", NULL};
		gitexec(pre, argc - 2, argv + 2);
		warnx_("cannot run guard-git: %s; push refused", strerror(errno));
		return EXIT_BLOCKED;
	}
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "hook");
	return EXIT_USAGE;
}
