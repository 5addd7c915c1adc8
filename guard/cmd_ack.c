/* cmd_ack.c - placeholder until issue 4 lands. */
#include "cli.h"

int cmd_ack(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "ack");
	return EXIT_USAGE;
}
