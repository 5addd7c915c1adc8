/* cmd_log.c - placeholder until issue 5 lands. */
#include "cli.h"

int cmd_log(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "log");
	return EXIT_USAGE;
}
