/* main.c - global options and dispatch to a subcommand. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cli.h"

void warnx_(const char *fmt, ...)
{
	va_list ap;
	fputs("guard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct {
	const char *name;
	int (*fn)(struct gopts *, int, char **);
} subcommands[] = {
    {"check", cmd_check}, {"explain", cmd_explain}, {"policy", cmd_policy},
    {"hook", cmd_hook},   {"install", cmd_install}, {"uninstall", cmd_uninstall},
    {"log", cmd_log},     {"ack", cmd_ack},         {"doctor", cmd_doctor},
    {"derive", cmd_git},
};

static int usage(void)
{
	fputs("usage: guard [--policy FILE] [-i] [-l] [-c CMDLINE | SCRIPT]\n"
	      "       guard check [--policy FILE] [--json] [--] CMDLINE | -f FILE|-\n"
	      "       guard explain [--policy FILE] [--] CMDLINE\n"
	      "       guard policy show|check [--policy FILE] [FILE]\n"
	      "       guard derive [--repo DIR] [--ref REF] [-o FILE] [--check]\n"
	      "       guard hook claude|codex|gemini|cursor|copilot|pre-push\n"
	      "       guard install|uninstall CLIENT [--project|--user]\n"
	      "       guard ack [--list] | guard log [...] | guard doctor | guard --version\n",
	      stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct gopts g = {0};
	g.argv0 = argc > 0 ? argv[0] : "guard";
	if (g.argv0[0] == '-')
		g.login = 1;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--policy") == 0) {
			if (i + 1 >= argc)
				return usage();
			g.policy = argv[++i];
		} else if (strncmp(a, "--policy=", 9) == 0) {
			g.policy = a + 9;
		} else if (strcmp(a, "-l") == 0 || strcmp(a, "--login") == 0) {
			g.login = 1;
		} else if (strcmp(a, "-i") == 0) {
			g.interactive = 1;
		} else if (strcmp(a, "--version") == 0) {
			puts("guard " GUARD_VERSION);
			return 0;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage();
			return 0;
		} else {
			break;
		}
	}
	if (i < argc) {
		const char *a = argv[i];
		if (strcmp(a, "-c") == 0 || strcmp(a, "--ssh") == 0 || strcmp(a, "--prefix") == 0)
			return cmd_run(&g, argc - i, argv + i);
		for (size_t k = 0; k < sizeof subcommands / sizeof subcommands[0]; k++)
			if (strcmp(a, subcommands[k].name) == 0)
				return subcommands[k].fn(&g, argc - i, argv + i);
		if (a[0] == '-' && strcmp(a, "-") != 0 && strcmp(a, "-s") != 0)
			return usage();
	}
	return cmd_shell(&g, argc - i, argv + i);
}
