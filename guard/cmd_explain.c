/* cmd_explain.c - placeholder until issue 2 lands. */
#include "cli.h"

int cmd_explain(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "explain");
	return EXIT_USAGE;
}
