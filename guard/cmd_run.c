/* cmd_run.c - placeholder until issue 2 lands. */
#include "cli.h"

int cmd_run(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "run");
	return EXIT_USAGE;
}
