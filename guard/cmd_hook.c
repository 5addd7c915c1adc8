/* cmd_hook.c - placeholder until issue 5 lands. */
#include "cli.h"

int cmd_hook(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "hook");
	return EXIT_USAGE;
}
