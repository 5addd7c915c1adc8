/*
 * cmd_policy.c - guard policy show [--policy FILE]
 *                guard policy check [--policy FILE] [FILE]
 *
 * show prints the files loaded, the settings and the merged rules; check
 * prints every error (a failing example is one: examples are decided when a
 * file is loaded, against that file) and notes the examples a merged policy
 * decides more strictly.  Both exit 0, or 3 when the policy has errors
 * (which make guard deny everything).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide.h"
#include "policy.h"

static int usage(void)
{
	fputs("usage: guard policy show [--policy FILE]\n"
	      "       guard policy check [--policy FILE] [FILE]\n",
	      stderr);
	return EXIT_USAGE;
}

static void show_field(const char *label, const char *value)
{
	if (value)
		printf("    %-9s %s\n", label, value);
}

static void show(const struct policy *p)
{
	printf("files:\n");
	for (size_t i = 0; i < p->files.n; i++)
		printf("  %s\n", p->files.v[i]);
	printf("settings:\n");
	printf("  default = %s\n", verdict_name(p->def));
	printf("  unknown = %s\n",
	       p->unknown == UNKNOWN_AUTO ? "auto" : verdict_name((enum verdict)p->unknown));
	printf("  shell = %s\n", p->shell ? p->shell : "/bin/bash");
	for (size_t i = 0; i < p->nset; i++) {
		const struct setting *s = &p->set[i];
		if (strcmp(s->section, "guard") == 0 &&
		    (strcmp(s->key, "default") == 0 || strcmp(s->key, "unknown") == 0 ||
		     strcmp(s->key, "shell") == 0))
			continue;
		printf("  [%s] %s = %s  (%s:%d)\n", s->section, s->key, s->value, s->file, s->line);
	}
	printf("rules: %zu\n", p->nrule);
	for (size_t i = 0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		printf("  [rule %s]  %s:%d\n", r->name, r->file, r->line);
		printf("    %-9s", "match:");
		for (int k = 0; k < r->nmatch; k++)
			printf(" %s", r->match[k]);
		printf("\n");
		show_field("action:", verdict_name(r->action));
		show_field("reason:", r->reason);
		show_field("see:", r->see);
		show_field("instead:", r->instead);
		show_field("ack:", r->ack);
		show_field("confirm:", r->confirm);
		for (size_t k = 0; k < r->nex; k++)
			printf("    %-9s %s: %s\n", "example:", verdict_name(r->ex[k].want),
			       r->ex[k].text);
	}
}

int cmd_policy(struct gopts *g, int argc, char **argv)
{
	const char *policy = g->policy, *sub = NULL;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--policy") == 0 && i + 1 < argc)
			policy = argv[++i];
		else if (strncmp(a, "--policy=", 9) == 0)
			policy = a + 9;
		else if (!sub && (strcmp(a, "show") == 0 || strcmp(a, "check") == 0))
			sub = a;
		else if (sub && strcmp(sub, "check") == 0 && a[0] != '-' && policy == g->policy)
			policy = a;
		else
			return usage();
	}
	if (!sub)
		return usage();
	struct policy p;
	policy_init(&p);
	policy_find_and_load(&p, policy, NULL);
	int r = EXIT_ALLOW;
	if (strcmp(sub, "show") == 0) {
		show(&p);
	} else if (!p.errors.n) {
		/* every file's examples passed against the file itself when it was
		   loaded (or they would be errors); merged, an outer file may
		   decide some more strictly, which is its right: a note */
		size_t nex = 0;
		for (size_t k = 0; k < p.nrule; k++)
			nex += p.rule[k].nex;
		for (size_t k = 0; k < p.files.n; k++)
			printf("%s: ok\n", p.files.v[k]);
		printf("%zu rules, %zu examples pass%s\n", p.nrule, nex,
		       p.nscope > 1 ? " (each against its own file)" : "");
		struct strv notes = {0};
		policy_merged_examples(&p, &notes);
		for (size_t k = 0; k < notes.n; k++)
			warnx_("note: %s", notes.v[k]);
		sv_free(&notes);
	}
	for (size_t k = 0; k < p.errors.n; k++)
		warnx_("%s", p.errors.v[k]);
	if (p.errors.n) {
		warnx_("%zu error%s: every command is denied until the policy is fixed", p.errors.n,
		       p.errors.n == 1 ? "" : "s");
		r = EXIT_POLICY;
	}
	policy_free(&p);
	return r;
}
