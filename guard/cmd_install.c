/* cmd_install.c - placeholder until issue 5 lands. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "gitexec.h"

int cmd_install(struct gopts *g, int argc, char **argv)
{
	(void)g;
	if (argc > 1 && strcmp(argv[1], "pre-push") == 0) {
		/* guard install|uninstall pre-push ARGS -> guard-git install-hook (issue 7) */
		static const char *const ins[] = {"install-hook", NULL};
		static const char *const unins[] = {"install-hook", "--uninstall", NULL};
		gitexec(strcmp(argv[0], "uninstall") == 0 ? unins : ins, argc - 2, argv + 2);
		warnx_("cannot run guard-git: %s", strerror(errno));
		return EXIT_BLOCKED;
	}
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "install");
	return EXIT_USAGE;
}

int cmd_uninstall(struct gopts *g, int argc, char **argv)
{
	return cmd_install(g, argc, argv);
}
