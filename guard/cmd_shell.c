/* cmd_shell.c - placeholder until issue 6 lands. */
#include "cli.h"

int cmd_shell(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "shell");
	return EXIT_USAGE;
}
