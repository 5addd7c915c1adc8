/*
 * hook_reason.c - the reason texts of hook answers.
 *
 * Written for the model first: it reads the deny reason and decides its next
 * step.  The body is report_block(), the same teaching block `guard -c`
 * prints (what was blocked, the rule and its file:line, the doc's sentence
 * and path:line, what to run instead), between a headline saying what
 * happened and an instruction not to look for another spelling.
 */
#include <string.h>

#include "decide.h"
#include "hook.h"
#include "report.h"
#include "util.h"

#define ECHO_MAX 400 /* bytes of a command echoed in the user's line */

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

/*
 * The block without the acknowledgement code: a code the model can read is a
 * code it can type (`guard ack NAME CODE`), and only the user may
 * acknowledge a doc.  The lines giving the code are replaced by one telling
 * the model to leave it to the user.
 */
static void add_block_for_model(struct sbuf *m, const char *block)
{
	const char *l = block;
	while (*l) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
		if (strncmp(l, "When you have read it, acknowledge it with:", 43) == 0)
			sb_adds(m,
			        "Only the user can acknowledge this: ask them to read it and run "
			        "`guard ack` for it in a terminal (guard refuses it from you).\n");
		else if (strncmp(l, "    guard ack ", 14) != 0 &&
		         strncmp(l, "then run the command again.", 27) != 0)
			sb_addn(m, l, n);
		l += n;
	}
}

void hook_reason(const struct policy *p, const struct decision *d, const char *line,
                 enum hook_answer a, char **model, char **user)
{
	if (d->error) {
		/* the policy's own errors, so the user learns what to fix (a
		   failing example, a typo'd key) from the client's message */
		struct sbuf w;
		sb_init(&w);
		sb_adds(&w, d->error);
		size_t nerr = p ? p->errors.n : 0;
		for (size_t i = 0; i < nerr && i < 5; i++)
			sb_addf(&w, "%s %s", i ? ";" : " (", p->errors.v[i]);
		if (nerr > 5)
			sb_addf(&w, "; and %zu more", nerr - 5);
		if (nerr)
			sb_addc(&w, ')');
		hook_reason_error(w.s, model, user);
		sb_free(&w);
		return;
	}
	struct sbuf m, u;
	sb_init(&m);
	sb_init(&u);
	const struct cmd_verdict *cv = d->deciding;
	const struct rule *r = cv ? cv->rule : NULL;

	sb_adds(&m, a == HA_DENY ? "guard blocked this command; nothing was run.\n"
	            : a == HA_ASK
	                ? "guard asks the user to confirm this command before it runs.\n"
	                : "guard warning (the command was allowed): read this before going on.\n");
	char *block = report_block(p, d, 0);
	add_block_for_model(&m, block);
	free(block);
	if (a == HA_DENY)
		sb_addf(
		    &m,
		    "Do not retry it in another form either: not through a wrapper (sudo, env, "
		    "bash -c, xargs), a script, an alias or an absolute path. guard checks what "
		    "would actually run and will block it again. %s",
		    r && r->instead ? "Use the command under \"instead\", or stop and ask the user."
		                    : "Stop and ask the user how to proceed.");

	sb_addf(&u, "guard: %s `",
	        a == HA_DENY  ? "blocked"
	        : a == HA_ASK ? "asks about"
	                      : "warns about");
	char *what = cv && cv->cmd ? report_argv(cv->cmd) : NULL;
	add_clipped(&u, what ? what : line);
	free(what);
	sb_addc(&u, '`');
	if (r) {
		sb_addf(&u, " (rule %s", r->name ? r->name : "?");
		if (r->see)
			sb_addf(&u, ", see %s", r->see);
		sb_addc(&u, ')');
		if (r->instead)
			sb_addf(&u, "; instead: %s", r->instead);
	}
	size_t n = m.len;
	while (n && m.s[n - 1] == '\n')
		m.s[--n] = 0;
	m.len = n;
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
