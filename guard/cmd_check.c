/* cmd_check.c - placeholder until issue 2 lands. */
#include "cli.h"

int cmd_check(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "check");
	return EXIT_USAGE;
}
