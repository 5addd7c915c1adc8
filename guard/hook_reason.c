/*
 * hook_reason.c - the reason texts of hook answers.
 *
 * Written for the model first: it reads the deny reason and decides its next
 * step, so the text says what was blocked, why (the doc's sentence and
 * path:line), what to run instead, and not to look for another spelling.
 */
#include <string.h>

#include "decide.h"
#include "hook.h"
#include "util.h"

#define ECHO_MAX 400 /* bytes of a command echoed back */

static void add_clipped(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n <= ECHO_MAX) {
		sb_addn(b, s, n);
		return;
	}
	size_t k = ECHO_MAX;
	while (k && ((unsigned char)s[k] & 0xC0) == 0x80) /* keep UTF-8 whole */
		k--;
	sb_addn(b, s, k);
	sb_addf(b, "... (%zu bytes)", n);
}

static void add_why(struct sbuf *b, const struct cmd_verdict *cv, const char *verdict)
{
	const struct rule *r = cv ? cv->rule : NULL;
	if (r) {
		sb_addf(b, "Rule: %s", r->name ? r->name : "(unnamed)");
		if (r->file)
			sb_addf(b, " (%s:%d)", r->file, r->line);
		sb_addc(b, '\n');
		if (cv->why == WHY_ACK && r->ack)
			sb_addf(
			    b,
			    "Why: this command needs the acknowledgement '%s', which is "
			    "missing: the user must read the documentation and run `guard ack`.\n",
			    r->ack);
		if (r->reason)
			sb_addf(b, "Why: %s\n", r->reason);
		if (r->see)
			sb_addf(b, "Documented in: %s\n", r->see);
		return;
	}
	if (cv && cv->why == WHY_UNKNOWN)
		sb_addf(b,
		        "Why: the program to run is known only at run time, and the policy "
		        "([guard] unknown) says %s for that. Write the command with a literal "
		        "program name.\n",
		        verdict);
	else
		sb_addf(b,
		        "Why: no rule matched and the policy's default ([guard] default) is %s.\n",
		        verdict);
}

void hook_reason(const struct decision *d, const char *line, enum hook_answer a, char **model,
                 char **user)
{
	struct sbuf m, u;
	sb_init(&m);
	sb_init(&u);
	const struct cmd_verdict *cv = d->deciding;
	const struct rule *r = cv ? cv->rule : NULL;
	const char *what = cv && cv->cmd && cv->cmd->text ? cv->cmd->text : line;
	const char *vname = verdict_name(d->v);

	if (d->error) {
		hook_reason_error(d->error, model, user);
		return;
	}
	switch (a) {
	case HA_DENY:
		sb_adds(&m, "guard blocked this command; nothing was run.\nBlocked: ");
		break;
	case HA_ASK:
		sb_adds(&m, "guard asks the user to confirm this command before it runs.\n"
		            "Command: ");
		break;
	default:
		sb_adds(&m, "guard warning (the command was allowed): read this before going on.\n"
		            "Command: ");
		break;
	}
	add_clipped(&m, what);
	sb_addc(&m, '\n');
	if (what != line && strcmp(what, line) != 0) {
		sb_adds(&m, "Part of: ");
		add_clipped(&m, line);
		sb_addc(&m, '\n');
	}
	if (cv && cv->cmd && cv->cmd->via)
		sb_addf(&m, "Unwrapped as: %s\n", cv->cmd->via);
	add_why(&m, cv, vname);
	if (a == HA_DENY) {
		if (r && r->instead)
			sb_addf(&m, "Instead, run: %s\n", r->instead);
		sb_adds(&m, "Do not retry this command in another spelling, through a wrapper "
		            "(sudo, env, bash -c, xargs), a script, an alias or an absolute path: "
		            "guard checks what would actually run and will block it again. ");
		sb_adds(&m, r && r->instead ? "Use the command above, or stop and ask the user."
		                            : "Stop and ask the user how to proceed.");
	} else {
		if (r && r->instead)
			sb_addf(&m, "Suggested instead: %s", r->instead);
		else
			sb_adds(&m, "Make sure the user wants this.");
	}

	sb_addf(&u, "guard: %s `",
	        a == HA_DENY  ? "blocked"
	        : a == HA_ASK ? "asks about"
	                      : "warns about");
	add_clipped(&u, what);
	sb_addc(&u, '`');
	if (r) {
		sb_addf(&u, " (rule %s", r->name ? r->name : "?");
		if (r->see)
			sb_addf(&u, ", see %s", r->see);
		sb_addc(&u, ')');
		if (r->instead)
			sb_addf(&u, "; instead: %s", r->instead);
	}
	*model = sb_take(&m);
	*user = sb_take(&u);
}

void hook_reason_error(const char *what, char **model, char **user)
{
	*model = xasprintf("guard blocked this command because it could not check it: %s. Nothing "
	                   "was run. guard fails closed. Do not retry the command in another form; "
	                   "tell the user that guard refused it and why.",
	                   what);
	*user = xasprintf("guard: blocked (could not check the command: %s)", what);
}
