/*
 * cmd_ack.c - guard ack: read a governing doc section and acknowledge it.
 *
 *   guard ack NAME         show the section of [ack NAME] and its code (on a
 *                          terminal: through the pager, then ask for the code)
 *   guard ack NAME CODE    record the acknowledgement (CODE is printed only
 *                          with the section's text)
 *   guard ack --list       the policy's [ack] sections and their state, then
 *                          the stored acknowledgements
 *
 * Exit: 0 done, 1 wrong code / not acknowledged / doc unavailable,
 * 3 no policy, 64 usage.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ack.h"
#include "cli.h"
#include "policy.h"

/* The policy a command in cwd would use: .guard/policy.ini in cwd or the
 * nearest parent, else the system policy. */
static void when(long epoch, char out[32])
{
	time_t t = (time_t)epoch;
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M", &tm))
		snprintf(out, 32, "%ld", epoch);
}

/* The stored line for a (name, blob), or NULL. */
static const char *stored(const struct strv *lines, const char *name, const char *blob, long *epoch)
{
	for (size_t i = 0; i < lines->n; i++) {
		char n[128], b[41], ep[32];
		if (sscanf(lines->v[i], "%127s %40s %31s", n, b, ep) != 3)
			continue;
		if (strcmp(n, name) == 0 && strcmp(b, blob) == 0) {
			*epoch = strtol(ep, NULL, 10);
			return lines->v[i];
		}
	}
	return NULL;
}

static int list(const struct policy *policy)
{
	struct strv lines = {0}, names = {0};
	int r = ack_store_lines(&lines);
	if (r < 0) {
		warnx_("cannot read the acknowledgements: %s", strerror(-r));
		return 1;
	}
	time_t now = time(NULL);
	if (policy) {
		ack_names(policy, &names);
		for (size_t i = 0; i < names.n; i++) {
			struct ack_info a;
			ack_lookup(policy, names.v[i], &a);
			long ep = 0;
			char w[32] = "";
			const char *state;
			if (!a.text)
				state = "unavailable";
			else if (!stored(&lines, a.name, a.blob, &ep))
				state = "needed";
			else if (!ack_recorded(&a, now))
				state = "expired";
			else
				state = "acknowledged";
			if (ep)
				when(ep, w);
			printf("%-28s %-12s %s%s%s%s%s%s\n", a.name, state, a.doc ? a.doc : "?",
			       a.section ? ", section \"" : "", a.section ? a.section : "",
			       a.section ? "\"" : "", *w ? ", on " : "", w);
			if (!a.text && a.error)
				printf("%-28s %-12s (%s)\n", "", "", a.error);
			ack_info_free(&a);
		}
	}
	char *sp = ack_store_path();
	if (lines.n)
		printf("stored in %s:\n", sp ? sp : "?");
	free(sp);
	for (size_t i = 0; i < lines.n; i++) {
		char n[128], b[41], ep[32], w[32];
		if (sscanf(lines.v[i], "%127s %40s %31s", n, b, ep) != 3)
			continue;
		when(strtol(ep, NULL, 10), w);
		const char *doc = strchr(lines.v[i], ' ');
		for (int k = 0; doc && k < 2; k++)
			doc = strchr(doc + 1, ' ');
		printf("  %-26s blob %.12s  %s  %s\n", n, b, w, doc ? doc + 1 : "");
	}
	sv_free(&lines);
	sv_free(&names);
	return 0;
}

int cmd_ack(struct gopts *g, int argc, char **argv)
{
	const char *pol = g->policy;
	int i = 1, listing = 0;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
			pol = argv[++i];
		else if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "-l") == 0)
			listing = 1;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-') {
			warnx_("ack: unknown option '%s'", argv[i]);
			goto usage;
		} else
			break;
	}
	/* the same policy the check would use, read by the one policy reader */
	struct policy P;
	policy_init(&P);
	policy_find_and_load(&P, pol, NULL);
	const struct policy *policy = P.files.n && !P.errors.n ? &P : NULL;
	if (P.files.n && P.errors.n)
		for (size_t k = 0; k < P.errors.n; k++)
			warnx_("%s", P.errors.v[k]);
	int ret = 1;
	if (listing) {
		if (i != argc)
			goto usage_free;
		ret = list(policy);
		policy_free(&P);
		return ret;
	}
	if (argc - i < 1 || argc - i > 2)
		goto usage_free;
	if (!policy) {
		if (!P.errors.n || !P.files.n)
			warnx_("no policy: no .guard/policy.ini here or above, and no "
			       "%s/guard/policy.ini",
			       GUARD_SYSCONFDIR);
		policy_free(&P);
		return EXIT_POLICY;
	}
	struct ack_info a;
	if (ack_lookup(policy, argv[i], &a) < 0) {
		warnx_("%s", a.error);
		ack_info_free(&a);
		policy_free(&P);
		return EXIT_POLICY;
	}
	if (!a.text) {
		warnx_("%s", a.error);
		goto out;
	}
	if (argc - i == 1 && isatty(0) && isatty(1)) {
		/* on a terminal: the pager, then the question */
		if (ack_interactive(&a, time(NULL))) {
			printf("guard: acknowledged %s (%s, blob %.12s)\n", a.name, a.doc, a.blob);
			ret = 0;
		} else {
			warnx_("%s: not acknowledged", a.name);
		}
		goto out;
	}
	if (argc - i == 1) {
		printf("----- %s%s%s%s -----\n%s\n----- end of %s -----\n\n"
		       "When you have read it, acknowledge it with:\n    guard ack %s %s\n",
		       a.doc, a.section ? ", section \"" : "", a.section ? a.section : "",
		       a.section ? "\"" : "", a.text, a.doc, a.name, a.token);
		ret = 0;
		goto out;
	}
	if (strcasecmp(argv[i + 1], a.token) != 0) {
		warnx_("%s: wrong code; run `guard ack %s` and read the section: the code is "
		       "printed with it",
		       a.name, a.name);
		goto out;
	}
	int r = ack_record(&a, time(NULL));
	if (r < 0) {
		char *sp = ack_store_path();
		warnx_("cannot record the acknowledgement in %s: %s", sp ? sp : "$XDG_STATE_HOME",
		       strerror(-r));
		free(sp);
		goto out;
	}
	printf("guard: acknowledged %s (%s, blob %.12s)", a.name, a.doc, a.blob);
	if (a.expires)
		printf(" for %ld days", a.expires / 86400 ? a.expires / 86400 : 1);
	printf("\n");
	ret = 0;
out:
	ack_info_free(&a);
	policy_free(&P);
	return ret;
usage_free:
	policy_free(&P);
usage:
	fputs("usage: guard ack [--policy FILE] [-l | --list] [--] [NAME [CODE]]\n", stderr);
	return EXIT_USAGE;
}
