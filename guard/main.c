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

/* In step with guard(1)'s SYNOPSIS: tests/t/29-usage-docs.t checks that
   every option the parsers accept is in both. */
static const char usage_text[] =
    "usage: guard [--policy=FILE | --policy FILE] [-i] [-l | --login]\n"
    "             [-c CMDLINE [ARG0 [ARG...]] | -s | SCRIPT [ARG...]]\n"
    "       guard [--policy FILE] --prefix CMDLINE...\n"
    "       guard [--policy FILE] --ssh\n"
    "       guard --version | -h | --help\n"
    "       guard check [--policy FILE] [--json] [--] CMDLINE... | -f FILE | -f -\n"
    "       guard check -n [--json] [--] CMDLINE... | -f FILE | -f -\n"
    "       guard explain [--policy FILE] [--] CMDLINE...\n"
    "       guard policy show [--policy FILE]\n"
    "       guard policy check [--policy FILE] [FILE]\n"
    "       guard derive [--repo DIR] [--ref REF] [-o | --output FILE|-] [--include GLOB]\n"
    "                    [--exclude GLOB] [--validate-owner] [--force]\n"
    "       guard derive --check [--repo DIR] [--ref REF] [--policy FILE]\n"
    "       guard hook [--policy FILE] claude|codex|gemini|cursor|copilot\n"
    "       guard hook pre-push [--repo DIR] [--max-commits N] [--chain HOOK] [--] REMOTE URL\n"
    "       guard hook pre-push --extract FILE...\n"
    "       guard install|uninstall CLIENT...|all [--project | --user] [--prefix]\n"
    "                    [--dir DIR] [--guard PATH]\n"
    "       guard install|uninstall pre-push [--repo DIR]\n"
    "       guard ack [--policy FILE] [-l | --list] [--] [NAME [CODE]]\n"
    "       guard log [--since TIME|AGE] [--verdict V] [--rule NAME] [--client NAME]\n"
    "                 [--mode MODE] [--json] [--file PATH]\n"
    "       guard doctor [--dir DIR]\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Does the synopsis line l ("guard [--policy FILE] install|uninstall ...")
   describe subcommand sub? */
static int synopsis_of(const char *l, const char *sub)
{
	if (strncmp(l, "guard ", 6) != 0)
		return 0;
	l += 6;
	if (strncmp(l, "[--policy FILE] ", 16) == 0)
		l += 16;
	size_t n = strlen(sub);
	for (;;) { /* the alternatives of the first word: install|uninstall */
		if (strncmp(l, sub, n) == 0 && (l[n] == ' ' || l[n] == '|' || l[n] == '\n'))
			return 1;
		l += strcspn(l, "| \n");
		if (*l != '|')
			return 0;
		l++;
	}
}

/* `guard SUB --help`: the synopsis lines of SUB (with their continuation
   lines) on stdout.  Each line of usage_text starts with a 7-byte margin
   ("usage: " or blanks). */
static int usage_of(const char *sub)
{
	int first = 1, in = 0;
	for (const char *l = usage_text; *l;) {
		size_t len = strcspn(l, "\n") + 1;
		const char *t = l + 7 + strspn(l + 7, " ");
		if (strncmp(t, "guard ", 6) == 0)
			in = synopsis_of(t, sub);
		if (in) {
			printf("%s%.*s", first ? "usage: " : "       ", (int)len - 7, l + 7);
			first = 0;
		}
		l += len;
	}
	return 0;
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
			fputs(usage_text, stdout);
			return 0;
		} else {
			break;
		}
	}
	if (i < argc) {
		const char *a = argv[i];
		if (strcmp(a, "-c") == 0 || strcmp(a, "--ssh") == 0 || strcmp(a, "--prefix") == 0)
			return cmd_run(&g, argc - i, argv + i);
		for (size_t k = 0; k < sizeof subcommands / sizeof subcommands[0]; k++) {
			if (strcmp(a, subcommands[k].name) != 0)
				continue;
			if (i + 1 < argc &&
			    (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0))
				return usage_of(a);
			return subcommands[k].fn(&g, argc - i, argv + i);
		}
		if (a[0] == '-' && strcmp(a, "-") != 0 && strcmp(a, "-s") != 0)
			return usage();
	}
	return cmd_shell(&g, argc - i, argv + i);
}
