/* cmd_git.c - placeholder until issue 4 lands. */
#include "cli.h"

int cmd_git(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "git");
	return EXIT_USAGE;
}
