/* report.c - messages and JSON about a decision (see report.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ack.h"
#include "report.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define GREEN "\033[1;32m"
#define RESET "\033[0m"

int report_want_colour(int fd)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return isatty(fd);
}

char *report_argv(const struct ecmd *c)
{
	struct sbuf b;
	sb_init(&b);
	for (int i = 0; i < c->nassign; i++) {
		sb_adds(&b, c->assign[i]);
		sb_addc(&b, ' ');
	}
	for (int i = 0; i < c->argc; i++) {
		if (i == REPORT_MAX_WORDS && c->argc > REPORT_MAX_WORDS + 1) {
			/* pm{2..300}: the first words say what runs */
			sb_addf(&b, " ... (%d more words)", c->argc - i);
			break;
		}
		if (i)
			sb_addc(&b, ' ');
		if (c->wflags && (c->wflags[i] & WORD_DYNAMIC))
			sb_adds(&b, c->argv[i]); /* shown as written, e.g. $x */
		else
			sb_add_shword(&b, c->argv[i]);
	}
	if (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = 0;
	return sb_take(&b);
}

static const char *unknown_name(int u)
{
	return u == UNKNOWN_AUTO ? "auto" : verdict_name((enum verdict)u);
}

char *report_why(const struct policy *p, const struct cmd_verdict *cv)
{
	const struct rule *r = cv->rule;
	switch (cv->why) {
	case WHY_RULE:
		return xasprintf("rule %s (%s:%d)", r->name, r->file, r->line);
	case WHY_DEFAULT:
		return xasprintf("no rule matches: [guard] default = %s", verdict_name(p->def));
	case WHY_UNKNOWN:
		if (r)
			return xasprintf("unknown program, and '%s' (rule %s) appears in the line: "
			                 "[guard] unknown = auto",
			                 cv->note, r->name);
		if (cv->cmd && (cv->cmd->flags & CMD_ASSIGN))
			return xasprintf(
			    "exported variable known only at run time: [guard] unknown = %s",
			    unknown_name(p->unknown));
		return xasprintf("unknown program: [guard] unknown = %s", unknown_name(p->unknown));
	case WHY_ACK:
		return xasprintf("rule %s needs the acknowledgement '%s'", r->name, r->ack);
	case WHY_ENV:
		return xasprintf("assignment to %s", cv->note);
	}
	return xstrdup("internal error");
}

static void field(struct sbuf *b, const char *label, const char *value)
{
	if (value)
		sb_addf(b, "  %-8s %s\n", label, value);
}

static void rule_fields(struct sbuf *b, const struct rule *r)
{
	sb_addf(b, "  %-8s %s (%s:%d)\n", "rule:", r->name, r->file, r->line);
	field(b, "reason:", r->reason);
	field(b, "see:", r->see);
	field(b, "instead:", r->instead);
}

char *report_cmd(const struct policy *p, const struct cmd_verdict *cv, int colour)
{
	struct sbuf b;
	sb_init(&b);
	const struct ecmd *c = cv->cmd;
	const struct rule *r = cv->rule;
	const char *what = cv->v == V_DENY ? "denied" : cv->v == V_WARN ? "warning" : "allowed";
	const char *col = cv->v == V_DENY ? RED : cv->v == V_WARN ? YELLOW : GREEN;
	char *cmd = report_argv(c);
	sb_addf(&b, "guard: %s%s:%s %s\n", colour ? col : "", what, colour ? RESET : "", cmd);
	free(cmd);
	switch (cv->why) {
	case WHY_RULE:
		rule_fields(&b, r);
		break;
	case WHY_DEFAULT:
		sb_addf(&b, "  %-8s none matches; [guard] default = %s\n",
		        "rule:", verdict_name(p->def));
		break;
	case WHY_UNKNOWN:
		if (c->flags & CMD_ASSIGN)
			sb_addf(&b,
			        "  %-8s exports a variable whose name is known only when the line "
			        "runs (it may be BASH_ENV)\n",
			        "why:");
		else if (c->flags & CMD_OPAQUE)
			sb_addf(&b, "  %-8s %s runs code guard cannot see\n",
			        "why:", c->argc ? c->argv[0] : "the line");
		else
			sb_addf(&b, "  %-8s the program's name is known only when the line runs\n",
			        "why:");
		if (r) {
			sb_addf(&b,
			        "  %-8s '%s' appears in the line and rule %s denies it "
			        "([guard] unknown = auto)\n",
			        "", cv->note, r->name);
			rule_fields(&b, r);
		} else {
			sb_addf(&b, "  %-8s [guard] unknown = %s\n", "", unknown_name(p->unknown));
		}
		break;
	case WHY_ACK:
		rule_fields(&b, r);
		{
			/* the section itself and the code to acknowledge it */
			char *m = ack_message(p, r);
			sb_adds(&b, m);
			free(m);
		}
		break;
	case WHY_ENV:
		sb_addf(&b,
		        "  %-8s assigning %s changes what the shell or the loader runs; guard "
		        "refuses it\n",
		        "why:", cv->note);
		break;
	}
	if (c->via)
		field(&b, "via:", c->via);
	if (c->origin)
		sb_addf(&b, "  %-8s %s:%d\n", "where:", c->origin, c->line);
	if (cv->v == V_DENY)
		sb_adds(&b,
		        r && r->instead && cv->why != WHY_ACK
		            ? "  Do not run another spelling of this command; use the one above.\n"
		            : "  Do not run another spelling of this command.\n");
	return sb_take(&b);
}

char *report_block(const struct policy *p, const struct decision *d, int colour)
{
	struct sbuf b;
	sb_init(&b);
	if (d->error) {
		/* policy errors first, in the one format: "guard: FILE:LINE: message" */
		for (size_t i = 0; i < p->errors.n && i < 50; i++)
			sb_addf(&b, "guard: %s\n", p->errors.v[i]);
		if (p->errors.n > 50)
			sb_addf(&b, "guard: (%zu more errors)\n", p->errors.n - 50);
		sb_addf(&b, "guard: %sdenied:%s %s\n", colour ? RED : "", colour ? RESET : "",
		        d->error);
		if (p->errors.n)
			sb_adds(&b,
			        "  Fix the policy, then check it with: guard policy check FILE\n");
		else
			sb_adds(&b, "  guard runs only lines it can read completely.\n");
		return sb_take(&b);
	}
	if (d->v == V_ALLOW)
		return sb_take(&b);
	struct strv seen = {0}; /* a function called three times is told once */
	size_t more = 0;
	for (size_t i = 0; i < d->ncv; i++) {
		if (d->cv[i].v != d->v)
			continue;
		if (seen.n == 20) { /* enough to act on */
			more++;
			continue;
		}
		char *s = report_cmd(p, &d->cv[i], colour);
		int dup = 0;
		for (size_t k = 0; k < seen.n && !dup; k++)
			dup = strcmp(seen.v[k], s) == 0;
		if (dup) {
			free(s);
			continue;
		}
		sb_adds(&b, s);
		sv_push(&seen, s);
	}
	sv_free(&seen);
	if (more)
		sb_addf(&b, "guard: (and %zu more command%s with this verdict)\n", more,
		        more == 1 ? "" : "s");
	return sb_take(&b);
}

/* ---- JSON ---------------------------------------------------------------- */

/* A JSON string; bytes that are not UTF-8 become '?' (jansson refuses them). */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *c = xstrdup(s);
	for (char *q = c; *q; q++)
		if ((unsigned char)*q >= 0x80)
			*q = '?';
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

static json_t *str_or_null(const char *s)
{
	return s ? jstr(s) : json_null();
}

static const char *why_name(enum why w)
{
	switch (w) {
	case WHY_RULE:
		return "rule";
	case WHY_DEFAULT:
		return "default";
	case WHY_UNKNOWN:
		return "unknown";
	case WHY_ACK:
		return "ack";
	case WHY_ENV:
		return "env";
	}
	return "rule";
}

static json_t *rule_json(const struct rule *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", jstr(r->name));
	json_object_set_new(o, "action", json_string(verdict_name(r->action)));
	json_object_set_new(o, "reason", str_or_null(r->reason));
	json_object_set_new(o, "see", str_or_null(r->see));
	json_object_set_new(o, "instead", str_or_null(r->instead));
	json_object_set_new(o, "file", jstr(r->file));
	json_object_set_new(o, "line", json_integer(r->line));
	if (r->ack)
		json_object_set_new(o, "ack", jstr(r->ack));
	return o;
}

char *report_json(const struct policy *p, const struct decision *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "verdict", json_string(verdict_name(d->v)));
	json_t *cmds = json_array();
	for (size_t i = 0; i < d->ncv; i++) {
		const struct cmd_verdict *cv = &d->cv[i];
		const struct ecmd *c = cv->cmd;
		json_t *co = json_object();
		json_t *argv = json_array();
		for (int k = 0; k < c->argc; k++)
			json_array_append_new(argv, jstr(c->argv[k]));
		json_object_set_new(co, "argv", argv);
		if (c->nassign) {
			json_t *as = json_array();
			for (int k = 0; k < c->nassign; k++)
				json_array_append_new(as, jstr(c->assign[k]));
			json_object_set_new(co, "assign", as);
		}
		json_object_set_new(co, "verdict", json_string(verdict_name(cv->v)));
		json_object_set_new(co, "why", json_string(why_name(cv->why)));
		char *why = report_why(p, cv);
		json_object_set_new(co, "explanation", jstr(why));
		free(why);
		json_object_set_new(co, "line", json_integer(c->line));
		json_object_set_new(co, "col", json_integer(c->col));
		json_object_set_new(co, "origin", str_or_null(c->origin));
		json_object_set_new(co, "via", str_or_null(c->via));
		json_object_set_new(co, "rule", cv->rule ? rule_json(cv->rule) : json_null());
		if (cv->note)
			json_object_set_new(co, cv->why == WHY_ENV ? "variable" : "named",
			                    jstr(cv->note));
		json_array_append_new(cmds, co);
	}
	json_object_set_new(o, "commands", cmds);
	if (d->error)
		json_object_set_new(o, "error", jstr(d->error));
	if (d->v != V_ALLOW) {
		char *m = report_block(p, d, 0);
		json_object_set_new(o, "message", jstr(m));
		free(m);
	}
	json_t *files = json_array();
	for (size_t i = 0; i < p->files.n; i++)
		json_array_append_new(files, jstr(p->files.v[i]));
	json_object_set_new(o, "policy", files);
	if (p->errors.n) {
		json_t *errs = json_array();
		for (size_t i = 0; i < p->errors.n; i++)
			json_array_append_new(errs, jstr(p->errors.v[i]));
		json_object_set_new(o, "policy_errors", errs);
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return xstrdup("{\"verdict\":\"deny\",\"error\":\"out of memory\"}");
	char *r = xstrdup(s);
	free(s);
	return r;
}
