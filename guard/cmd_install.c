/* cmd_install.c - placeholder until issue 5 lands. */
#include "cli.h"

int cmd_install(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "install");
	return EXIT_USAGE;
}

int cmd_uninstall(struct gopts *g, int argc, char **argv)
{
	return cmd_install(g, argc, argv);
}
