/* git_main.c - guard-git: the subcommands that read git repositories (placeholder). */
#include <stdio.h>
#include <string.h>

#include "git_prepush.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "prepush") == 0)
		return prepush_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "install-hook") == 0)
		return prepush_install(argc - 1, argv + 1);
	fputs("guard-git: not implemented yet\n", stderr);
	return 64;
}
