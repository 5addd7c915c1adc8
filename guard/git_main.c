/* git_main.c - guard-git: the subcommands that read git repositories (placeholder). */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("guard-git: not implemented yet\n", stderr);
	return 64;
}
