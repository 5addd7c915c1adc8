/* cmd_policy.c - placeholder until issue 2 lands. */
#include "cli.h"

int cmd_policy(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "policy");
	return EXIT_USAGE;
}
