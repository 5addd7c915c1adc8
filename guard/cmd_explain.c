/*
 * cmd_explain.c - guard explain [--policy FILE] [--] CMDLINE...
 *
 * Prints, for people, the parse (every unwrapping step the analyser took),
 * each effective command with the rules that match it, and the decision, all
 * from the same decide_line() that enforcement uses.  Exits like check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "cli.h"
#include "decide.h"
#include "policy.h"
#include "report.h"

static int usage(void)
{
	fputs("usage: guard explain [--policy FILE] [--] CMDLINE...\n", stderr);
	return EXIT_USAGE;
}

static void flags_line(const struct ecmd *c)
{
	static const struct {
		unsigned f;
		const char *name;
	} names[] = {
	    {CMD_DYNAMIC_NAME, "name known only at run time"},
	    {CMD_OPAQUE, "runs code guard cannot see"},
	    {CMD_BUILTIN, "bash builtin"},
	    {CMD_FUNCTION, "function defined on the line"},
	    {CMD_ASSIGN, "an assignment, no program"},
	};
	const char *sep = "";
	if (!c->flags)
		return;
	printf("  %-9s", "kind:");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (c->flags & names[i].f) {
			printf("%s %s", sep, names[i].name);
			sep = ",";
		}
	printf("\n");
}

static void explain_cmd(const struct policy *p, const struct cmd_verdict *cv, size_t n)
{
	const struct ecmd *c = cv->cmd;
	char *argv = report_argv(c);
	printf("command %zu: %s\n", n, argv);
	free(argv);
	if (c->origin)
		printf("  %-9s %s:%d, column %d\n", "at:", c->origin, c->line, c->col);
	else
		printf("  %-9s line %d, column %d\n", "at:", c->line, c->col);
	if (c->text)
		printf("  %-9s %s\n", "source:", c->text);
	if (c->via)
		printf("  %-9s %s\n", "via:", c->via);
	for (int i = 0; i < c->nassign; i++)
		printf("  %-9s %s\n", "assigns:", c->assign[i]);
	for (int i = 0; i < c->argc; i++)
		if (c->wflags && c->wflags[i])
			printf("  %-9s word %d '%s' is %s\n", "word:", i, c->argv[i],
			       (c->wflags[i] & WORD_DYNAMIC) ? "known only at run time"
			                                     : "an unquoted glob");
	flags_line(c);
	int any = 0;
	for (size_t i = 0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		int m = decide_rule_match(r, c);
		if (m < 0)
			continue;
		printf("  %-9s %s (%d word%s, %s)%s\n", any ? "" : "matches:", r->name, m,
		       m == 1 ? "" : "s", verdict_name(r->action), r == cv->rule ? " <- wins" : "");
		any = 1;
	}
	if (!any)
		printf("  %-9s no rule\n", "matches:");
	char *why = report_why(p, cv);
	printf("  %-9s %s: %s\n", "verdict:", verdict_name(cv->v), why);
	free(why);
}

int cmd_explain(struct gopts *g, int argc, char **argv)
{
	const char *policy = g->policy;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
			policy = argv[++i];
		} else if (strncmp(a, "--policy=", 9) == 0) {
			policy = a + 9;
		} else if (a[0] == '-' && a[1]) {
			warnx_("explain: unknown option '%s'", a);
			return usage();
		} else {
			break;
		}
	}
	if (i >= argc)
		return usage();
	struct sbuf b;
	sb_init(&b);
	for (int k = i; k < argc; k++) {
		if (k > i)
			sb_addc(&b, ' ');
		sb_adds(&b, argv[k]);
	}
	size_t len = b.len;
	char *text = sb_take(&b);
	struct policy p;
	policy_init(&p);
	policy_find_and_load(&p, policy, NULL);
	struct decision d;
	struct decide_opts o = {0};
	struct ack_ctx ac = {0}; /* as check: recorded acknowledgements, never asks */
	o.want_trace = 1;
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	int dr = decide_line(&p, text, len, &o, &d);
	printf("input: %s\n", text);
	printf("policy:");
	for (size_t k = 0; k < p.files.n; k++)
		printf(" %s", p.files.v[k]);
	printf("\n");
	if (d.an.ntrace) {
		printf("parse:\n");
		for (size_t k = 0; k < d.an.ntrace; k++)
			printf("  %s\n", d.an.trace[k]);
	}
	if (d.an.error)
		printf("syntax error: %s (line %d, column %d)\n", d.an.error, d.an.err_line,
		       d.an.err_col);
	printf("commands: %zu\n", d.ncv);
	for (size_t k = 0; k < d.ncv; k++)
		explain_cmd(&p, &d.cv[k], k + 1);
	for (size_t k = 0; k < p.errors.n; k++)
		printf("policy error: %s\n", p.errors.v[k]);
	printf("verdict: %s", verdict_name(d.v));
	if (d.error)
		printf(" (%s)", d.error);
	else if (d.deciding)
		printf(" (command %zu)", (size_t)(d.deciding - d.cv) + 1);
	else if (d.ncv > 1)
		printf(" (the strictest of its commands)");
	printf("\n");
	int r = p.errors.n       ? EXIT_POLICY
	        : dr < 0         ? EXIT_DENY
	        : d.v == V_ALLOW ? EXIT_ALLOW
	        : d.v == V_WARN  ? EXIT_WARN
	                         : EXIT_DENY;
	decision_free(&d);
	policy_free(&p);
	free(text);
	return r;
}
