/*
 * cmd_log.c - guard log [--since T] [--verdict V] [--rule R] [--client C]
 *                       [--mode M] [--json] [--file PATH]
 *
 * Reads the audit log back, oldest first and newest last.  T is a time
 * (2026-11-27, 2026-11-27T23:40, "2026-11-27 23:40:05", in UTC as logged)
 * or an age: 90s, 30m, 2h, 7d.  --json prints the selected records as they
 * are stored (one JSON object per line); otherwise one line each:
 *   TIME  VERDICT  MODE[/CLIENT]  RULE  CWD  COMMAND
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "cli.h"
#include "util.h"

static int usage(void)
{
	warnx_("usage: guard log [--since TIME|AGE] [--verdict V] [--rule NAME] "
	       "[--client NAME] [--mode MODE] [--json] [--file PATH]");
	return EXIT_USAGE;
}

/* The lower bound as a string comparable with the records' "time". */
static char *since_key(const char *s)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (end != s && !errno && n >= 0 && end[0] && !end[1] && strchr("smhd", end[0])) {
		long mult = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : 86400;
		time_t t = time(NULL) - (time_t)(n * mult);
		struct tm tm;
		gmtime_r(&t, &tm);
		char b[32];
		strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
		return xstrdup(b);
	}
	/* an absolute time: digits and - : T or a blank, at least YYYY-MM-DD */
	if (strlen(s) < 10 || !isdigit((unsigned char)s[0]))
		return NULL;
	char *k = xstrdup(s);
	for (char *p = k; *p; p++) {
		if (*p == ' ')
			*p = 'T';
		else if (!isdigit((unsigned char)*p) && !strchr("-:T.Z", *p)) {
			free(k);
			return NULL;
		}
	}
	return k;
}

static const char *jget(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int cmd_log(struct gopts *g, int argc, char **argv)
{
	(void)g;
	const char *verdict = NULL, *rule = NULL, *client = NULL, *mode = NULL, *file = NULL;
	char *since = NULL, *path = NULL;
	int json = 0, r = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--json") == 0) {
			json = 1;
			continue;
		}
		if (!v) {
			free(since);
			return usage();
		}
		i++;
		if (strcmp(a, "--since") == 0) {
			free(since);
			if (!(since = since_key(v))) {
				warnx_(
				    "log: --since %s: expected a time (2026-11-27T23:40) or an age "
				    "(30m, 2h, 7d)",
				    v);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--verdict") == 0) {
			verdict = v;
		} else if (strcmp(a, "--rule") == 0) {
			rule = v;
		} else if (strcmp(a, "--client") == 0) {
			client = v;
		} else if (strcmp(a, "--mode") == 0) {
			mode = v;
		} else if (strcmp(a, "--file") == 0) {
			file = v;
		} else {
			free(since);
			return usage();
		}
	}
	path = file ? xstrdup(file) : audit_path();
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f) {
		if (path && errno == ENOENT) {
			warnx_("no audit log at %s yet", path);
			r = 0;
		} else {
			warnx_("%s: %s", path ? path : "audit log", strerror(errno));
		}
		goto out;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long ln = 0, bad = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		ln++;
		json_error_t je;
		json_t *o = json_loadb(line, (size_t)n, 0, &je);
		const char *t = o ? jget(o, "time") : NULL;
		if (!o || !json_is_object(o) || !t) {
			if (bad++ < 5)
				warnx_("%s:%ld: not an audit record; skipped", path, ln);
			json_decref(o);
			continue;
		}
		const char *vv = jget(o, "verdict"), *rr = jget(o, "rule"), *cc = jget(o, "client"),
		           *mm = jget(o, "mode");
		int keep = (!since || strcmp(t, since) >= 0) &&
		           (!verdict || (vv && !strcmp(vv, verdict))) &&
		           (!rule || (rr && !strcmp(rr, rule))) &&
		           (!client || (cc && !strcmp(cc, client))) &&
		           (!mode || (mm && !strcmp(mm, mode)));
		if (keep) {
			if (json) {
				fwrite(line, 1, (size_t)n, stdout);
				if (line[n - 1] != '\n')
					putchar('\n');
			} else {
				char ts[20];
				snprintf(ts, sizeof ts, "%.19s", t);
				if (strlen(ts) > 10)
					ts[10] = ' ';
				printf("%s  %-5s  %s%s%s  %s  %s  %s\n", ts, vv ? vv : "?",
				       mm ? mm : "?", cc ? "/" : "", cc ? cc : "", rr ? rr : "-",
				       jget(o, "cwd") ? jget(o, "cwd") : "?",
				       jget(o, "command") ? jget(o, "command") : "");
			}
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	if (bad > 5)
		warnx_("%s: %ld lines were not audit records", path, bad);
	r = 0;
out:
	free(since);
	free(path);
	return r;
}
