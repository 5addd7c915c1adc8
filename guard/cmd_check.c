/*
 * cmd_check.c - guard check [--policy FILE] [--json] [--] CMDLINE...
 *               guard check [--policy FILE] [--json] -f FILE|-
 *               guard check -n [--json] [--] CMDLINE... | -f FILE|-
 *
 * Decides without running anything.  Prints the verdict word on stdout (or
 * one JSON object with --json, whatever the outcome) and the block on stderr;
 * exits 0 allow, 1 warn, 2 deny (also for input that cannot be read), 3 when
 * the policy could not be loaded or has errors, 64 on usage.
 * With -n it only parses, as bash -n does: no policy is read; exit 0 when the
 * text parses, 2 (what check would decide) when it does not.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "ack.h"
#include "cli.h"
#include "decide.h"
#include "failsafe.h"
#include "policy.h"
#include "report.h"

static const char usage_text[] = "usage: guard check [--policy FILE] [--json] [--] CMDLINE...\n"
                                 "       guard check [--policy FILE] [--json] -f FILE|-\n"
                                 "       guard check -n [--json] [--] CMDLINE... | -f FILE|-\n";

/* One JSON object on stdout for an outcome that has no decision (a usage
   error, input that cannot be read): a consumer that reads only the verdict
   still sees deny.  -n objects carry "syntax" instead. */
static void json_failure(int syntax, const char *error, int denied)
{
	json_t *o = json_object();
	if (syntax) {
		json_object_set_new(o, "syntax", json_string("error"));
	} else {
		json_object_set_new(o, "verdict", json_string("deny"));
		json_object_set_new(o, "commands", json_array());
	}
	json_object_set_new(o, "error", json_string(error));
	if (!syntax && denied) {
		char *m = xasprintf("guard: denied: %s\n", error);
		json_object_set_new(o, "message", json_string(m));
		free(m);
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(o);
	puts(s ? s : "{\"verdict\":\"deny\",\"error\":\"out of memory\"}");
	free(s);
}

static int usage(int json, int syntax)
{
	fputs(usage_text, stderr);
	if (json)
		json_failure(syntax, "bad command line (see guard check --help)", 0);
	return EXIT_USAGE;
}

/* A crash while checking is a deny (failsafe.h): the verdict and the
   message, or after the output has begun, the status alone with a message. */
static const struct failsafe_form fail_plain = {"deny\n", "guard: denied: @WHY@\n", EXIT_DENY};
/* the same object as json_failure(0, WHY, 1) */
static const struct failsafe_form fail_json = {
    "{\"verdict\":\"deny\",\"commands\":[],\"error\":\"@WHY@\",\"message\":\"guard: denied: "
    "@WHY@\\n\"}\n",
    "guard: denied: @WHY@\n", EXIT_DENY};
static const struct failsafe_form fail_syntax = {NULL, "guard: denied: @WHY@\n", EXIT_DENY};
static const struct failsafe_form fail_syntax_json = {
    "{\"syntax\":\"error\",\"error\":\"@WHY@\"}\n", "guard: denied: @WHY@\n", EXIT_DENY};
static const struct failsafe_form fail_late = {NULL, "guard: denied: @WHY@\n", EXIT_DENY};

/* guard check -n: syntax only, like bash -n. */
static int syntax_only(const char *name, const char *text, size_t len, int json)
{
	struct analysis a;
	failsafe_fault_point("check", text);
	analyze_syntax(text, len, &a);
	int r = a.error ? EXIT_DENY : EXIT_ALLOW;
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "syntax", json_string(a.error ? "error" : "ok"));
		if (a.error) {
			json_object_set_new(o, "error", json_string(a.error));
			json_object_set_new(o, "line", json_integer(a.err_line));
			json_object_set_new(o, "col", json_integer(a.err_col));
			json_object_set_new(o, "incomplete", json_boolean(a.incomplete));
		}
		char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		json_decref(o);
		failsafe_set(&fail_late);
		if (!s) {
			warnx_("check: out of memory");
			r = EXIT_DENY;
		} else {
			puts(s);
			free(s);
		}
	} else if (a.error) {
		warnx_("%s:%d:%d: %s (guard denies what it cannot parse)", name, a.err_line,
		       a.err_col, a.error);
	}
	analysis_free(&a);
	return r;
}

/* Global, and not freed on the way out: freeing a 200-rule policy costs more
   than the rest of a check, and memory reachable from a global is not a
   leak for valgrind or LeakSanitizer. */
static struct policy pol;

int cmd_check(struct gopts *g, int argc, char **argv)
{
	const char *policy = g->policy, *file = NULL;
	int json = 0, syntax = 0, i = 1, r = EXIT_DENY;
	char *text = NULL;
	size_t len = 0;
	struct policy *pp = &pol;
	struct decision d;
	policy_init(pp);
	memset(&d, 0, sizeof d);
	/* --json anywhere among the options: even a usage error answers in JSON */
	for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else if (strcmp(argv[k], "-n") == 0)
			syntax = 1;
		else if ((strcmp(argv[k], "-f") == 0 || strcmp(argv[k], "--policy") == 0) &&
		         k + 1 < argc)
			k++;
		else if (argv[k][0] != '-' || !argv[k][1])
			break;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
			policy = argv[++i];
		} else if (strncmp(a, "--policy=", 9) == 0) {
			policy = a + 9;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "-n") == 0) {
			syntax = 1;
		} else if (strcmp(a, "-f") == 0 && i + 1 < argc) {
			file = argv[++i];
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return EXIT_ALLOW;
		} else if (a[0] == '-' && a[1]) {
			warnx_("check: unknown option '%s'", a);
			return usage(json, syntax);
		} else {
			break;
		}
	}
	if (file ? i < argc : i >= argc)
		return usage(json, syntax);
	/* No time limit: check runs nothing, so a slow check cannot let anything
	   run (the hooks, -c and the shell have one). */
	failsafe_arm(syntax ? (json ? &fail_syntax_json : &fail_syntax)
	                    : (json ? &fail_json : &fail_plain),
	             0);
	if (file) {
		if (strcmp(file, "/dev/stdin") == 0)
			file = "-";
		int e = strcmp(file, "-") == 0 ? read_fd(0, ANALYZE_MAX_INPUT, &text, &len)
		                               : read_file(file, ANALYZE_MAX_INPUT, &text, &len);
		if (e < 0) {
			/* input that cannot be read cannot be analysed: deny (the
			   limit is named when it is too big) */
			const char *fn = strcmp(file, "-") == 0 ? "stdin" : file;
			char *msg =
			    e == -EFBIG
			        ? xasprintf("%s: input longer than %u bytes (limit)", fn,
			                    ANALYZE_MAX_INPUT)
			        : xasprintf("cannot read %s: %s", fn,
			                    e == -EINVAL ? "not a regular file" : strerror(-e));
			if (json)
				json_failure(syntax, msg, 1);
			else if (!syntax)
				puts("deny");
			warnx_("denied: %s", msg);
			free(msg);
			return EXIT_DENY;
		}
	} else {
		struct sbuf b;
		sb_init(&b);
		for (int k = i; k < argc; k++) {
			if (k > i)
				sb_addc(&b, ' ');
			sb_adds(&b, argv[k]);
		}
		len = b.len;
		text = sb_take(&b);
	}
	if (syntax) {
		const char *name = !file ? "line" : strcmp(file, "-") == 0 ? "stdin" : file;
		r = syntax_only(name, text, len, json);
		free(text);
		return r;
	}
	policy_find_and_load(pp, policy, NULL);
	struct decide_opts o = {0};
	struct ack_ctx ac = {0};
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	o.origin = file && strcmp(file, "-") != 0 ? file : NULL;
	failsafe_fault_point("check", text);
	int dr = decide_line(pp, text, len, &o, &d);
	if (json) {
		char *s = report_json(pp, &d);
		failsafe_set(&fail_late); /* stdout has begun */
		puts(s);
		free(s);
	} else {
		char *s = report_block(pp, &d, report_want_colour(2));
		failsafe_set(&fail_late); /* stdout has begun */
		puts(verdict_name(d.v));  /* the block lists policy errors */
		fputs(s, stderr);
		free(s);
	}
	if (pp->errors.n)
		r = EXIT_POLICY;
	else if (dr < 0)
		r = EXIT_DENY;
	else
		r = d.v == V_ALLOW ? EXIT_ALLOW : d.v == V_WARN ? EXIT_WARN : EXIT_DENY;
	decision_free(&d);
	free(text);
	return r;
}
