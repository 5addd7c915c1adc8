/* cmd_doctor.c - placeholder until issue 5 lands. */
#include "cli.h"

int cmd_doctor(struct gopts *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	warnx_("'%s' is not implemented yet", argc > 0 ? argv[0] : "doctor");
	return EXIT_USAGE;
}
