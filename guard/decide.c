/*
 * decide.c - the decision: which rule governs each effective command, and
 * the verdict of the line.  The sentence in guard.ini(5) is implemented here:
 *
 *   The most specific matching rule wins (more matched words beat fewer; on
 *   a tie the stricter action); a line's verdict is the strictest over all
 *   its commands.
 *
 * Matching a rule's words against an argv: the first word must match argv[0].
 * For deny and warn rules (fail closed), each later word matches the first
 * following argument it matches, wherever it is, so `git push --force` also
 * matches `git -C dir push -v --force`.  For allow rules each later word is
 * matched against the next argument, except that a word not starting with
 * '-' first skips arguments that start with '-' (options), so `systemctl
 * status` matches `systemctl --no-pager status` but not `systemctl -H host
 * status`.  A word known only at run time matches any word of a deny or warn
 * rule and no word of an allow rule.
 */
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "match.h"

/* Variables that change what bash or the dynamic loader runs. */
static const char *const refused_env[] = {
    "BASH_ENV", "ENV",       "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "PROMPT_COMMAND",
    "PS4",      "SHELLOPTS", "BASHOPTS",   "GLOBIGNORE",      "IFS",      NULL,
};

int decide_env_refused(const struct policy *p, const char *name, size_t len)
{
	if (len >= 10 && memcmp(name, "BASH_FUNC_", 10) == 0)
		return 1;
	for (const char *const *e = refused_env; *e; e++)
		if (strlen(*e) == len && memcmp(*e, name, len) == 0)
			return 1;
	for (size_t k = 0; p && k < p->nset; k++) {
		const struct setting *st = &p->set[k];
		if (st->key[0] != 's' || strcmp(st->key, "scrub_env") != 0 ||
		    strcmp(st->section, "guard") != 0)
			continue;
		char buf[256];
		if (len >= sizeof buf)
			return 0;
		memcpy(buf, name, len);
		buf[len] = 0;
		const char *s = st->value;
		while (*s) {
			s += strspn(s, " \t");
			size_t n = strcspn(s, " \t");
			if (!n)
				break;
			char pat[256];
			if (n < sizeof pat) {
				memcpy(pat, s, n);
				pat[n] = 0;
				if (match_glob(pat, buf))
					return 1;
			}
			s += n;
		}
	}
	return 0;
}

static int is_option(const char *w, unsigned wf)
{
	return !(wf & WORD_DYNAMIC) && w[0] == '-' && w[1] != 0;
}

static int word_matches(const char *pat, const char *w, unsigned wf, int fail_closed)
{
	if (wf & WORD_DYNAMIC)
		return fail_closed;
	if (match_glob(pat, w))
		return 1;
	/* an unquoted glob may expand to anything it matches, even pat */
	return (wf & WORD_GLOB) ? fail_closed : 0;
}

/* name_literal: argv[0] is matched by its text only (dynamic or opaque
   commands, whose argv[0] stands for something guard cannot see). */
static int rule_match(const struct rule *r, const struct ecmd *c, int name_literal)
{
	if (r->nmatch == 0 || c->argc == 0)
		return -1;
	int fc = r->action != V_ALLOW;
	unsigned wf0 = c->wflags ? c->wflags[0] : 0;
	/* a glob in the program's name (/usr/bin/pm*) matches a rule word it
	   could expand to */
	int glob_hit = (wf0 & WORD_GLOB) && fc && match_glob(c->argv[0], r->match[0]);
	if (name_literal ? !(match_glob(r->match[0], c->argv[0]) || glob_hit)
	                 : !word_matches(r->match[0], c->argv[0], wf0, fc))
		return -1;
	int j = 1;
	for (int i = 1; i < r->nmatch; i++) {
		const char *pat = r->match[i];
		if (fc) {
			/* deny and warn: the next argument it matches, wherever it is
			   (`git -C dir push --force` is still `git push --force`) */
			while (j < c->argc &&
			       !word_matches(pat, c->argv[j], c->wflags ? c->wflags[j] : 0, fc))
				j++;
			if (j >= c->argc)
				return -1;
			j++;
			continue;
		}
		if (pat[0] != '-')
			while (j < c->argc && is_option(c->argv[j], c->wflags ? c->wflags[j] : 0))
				j++;
		if (j >= c->argc)
			return -1;
		if (!word_matches(pat, c->argv[j], c->wflags ? c->wflags[j] : 0, fc))
			return -1;
		j++;
	}
	return r->nmatch;
}

int decide_rule_match(const struct rule *r, const struct ecmd *c)
{
	return rule_match(r, c, (c->flags & (CMD_DYNAMIC_NAME | CMD_OPAQUE)) != 0);
}

/* Whether rule i beats the best so far (n words, ties: the stricter, then
   the one first in the file). */
static int better(const struct policy *p, size_t i, int n, const struct rule *best, int best_n)
{
	const struct rule *r = &p->rule[i];
	if (n != best_n)
		return n > best_n;
	if (r->action != best->action)
		return r->action > best->action;
	return r < best;
}

static void consider(const struct policy *p, const struct ecmd *c, size_t i, int deny_only,
                     int literal, const struct rule **best, int *best_n)
{
	const struct rule *r = &p->rule[i];
	if (deny_only && r->action != V_DENY)
		return;
	int n = rule_match(r, c, literal);
	if (n >= 0 && better(p, i, n, *best, *best_n)) {
		*best = r;
		*best_n = n;
	}
}

/*
 * The most specific matching rule (ties: the stricter, then the first).
 * Each file of a merged policy (the host's, then every .guard/policy.ini from
 * / down to the working directory) is a scope: each picks its rule this way,
 * and the strictest of those wins, so an inner file can tighten the outer
 * ones but never loosen them.  best[s] is scope s's pick; with one scope the
 * array has one slot.
 */
struct picks {
	const struct rule **best;
	int *n;
	int nscope;
};

static void consider_scoped(const struct policy *p, const struct ecmd *c, size_t i, int deny_only,
                            int literal, struct picks *k)
{
	int s = k->nscope > 1 ? p->rule[i].scope : 0;
	if (s < 0 || s >= k->nscope)
		s = 0;
	consider(p, c, i, deny_only, literal, &k->best[s], &k->n[s]);
}

static const struct rule *best_rule(const struct policy *p, const struct ecmd *c, int deny_only)
{
	if (c->argc == 0)
		return NULL;
	const struct rule *best1[1] = {NULL}, **bestv = best1;
	int n1[1] = {-1}, *nv = n1;
	struct picks k = {best1, n1, 1};
	if (p->nscope > 1) {
		bestv = xcalloc((size_t)p->nscope, sizeof *bestv);
		nv = xcalloc((size_t)p->nscope, sizeof *nv);
		for (int s = 0; s < p->nscope; s++)
			nv[s] = -1;
		k.best = bestv;
		k.n = nv;
		k.nscope = p->nscope;
	}
	int literal = (c->flags & (CMD_DYNAMIC_NAME | CMD_OPAQUE)) != 0;
	unsigned wf0 = c->wflags ? c->wflags[0] : 0;
	if ((wf0 & WORD_GLOB) || (!literal && (wf0 & WORD_DYNAMIC))) {
		/* a name known only at run time, or a glob (/usr/bin/pm*), may be
		   any rule's first word: the index by first word cannot help */
		for (size_t i = 0; i < p->nrule; i++)
			consider_scoped(p, c, i, deny_only, literal, &k);
	} else {
		const size_t *lit, *glob;
		size_t nlit, nglob;
		policy_rules_for(p, c->argv[0], &lit, &nlit, &glob, &nglob);
		for (size_t i = 0; i < nlit; i++)
			consider_scoped(p, c, lit[i], deny_only, literal, &k);
		for (size_t i = 0; i < nglob; i++)
			consider_scoped(p, c, glob[i], deny_only, literal, &k);
	}
	/* the strictest pick; among equally strict ones the most specific, then
	   the first (what one scope alone would pick) */
	const struct rule *b = NULL;
	int bn = -1;
	for (int s = 0; s < k.nscope; s++) {
		const struct rule *r = k.best[s];
		if (!r)
			continue;
		if (!b || r->action > b->action ||
		    (r->action == b->action && better(p, (size_t)(r - p->rule), k.n[s], b, bn))) {
			b = r;
			bn = k.n[s];
		}
	}
	if (bestv != best1) {
		free(bestv);
		free(nv);
	}
	return b;
}

static int name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '_' || ch == '-' || ch == '+';
}

/*
 * [guard] unknown = auto: the deny rule whose first word names a program
 * that appears anywhere in the (decoded) line as a whole word, or NULL.
 */
static const struct rule *named_in_line(const struct policy *p, const char *text, char **word)
{
	if (!text)
		return NULL;
	const char *s = text;
	char buf[256];
	while (*s) {
		while (*s && (!name_char(*s) || *s == '-' || *s == '+'))
			s++; /* ${x:-pm2}: the word is pm2 */
		const char *b = s;
		while (*s && name_char(*s))
			s++;
		size_t n = (size_t)(s - b);
		if (n == 0 || n >= sizeof buf)
			continue;
		memcpy(buf, b, n);
		buf[n] = 0;
		/* the first deny rule in the file whose first word names buf */
		const size_t *lit, *glob;
		size_t nlit, nglob, first = (size_t)-1;
		policy_rules_for(p, buf, &lit, &nlit, &glob, &nglob);
		for (size_t k = 0; k < nlit; k++)
			if (p->rule[lit[k]].action == V_DENY && lit[k] < first)
				first = lit[k];
		for (size_t k = 0; k < nglob; k++) {
			const struct rule *r = &p->rule[glob[k]];
			if (r->action == V_DENY && glob[k] < first && match_glob(r->match[0], buf))
				first = glob[k];
		}
		if (first != (size_t)-1) {
			*word = xstrdup(buf);
			return &p->rule[first];
		}
	}
	return NULL;
}

static int is_declaring_builtin(const char *s)
{
	return strcmp(s, "export") == 0 || strcmp(s, "declare") == 0 || strcmp(s, "typeset") == 0 ||
	       strcmp(s, "local") == 0 || strcmp(s, "readonly") == 0;
}

/* A refused variable the command assigns (prefix, env, or export NAME=), or 0. */
static char *refused_assignment(const struct policy *p, const struct ecmd *c)
{
	for (int i = 0; i < c->nassign; i++) {
		const char *a = c->assign[i];
		size_t n = strcspn(a, "+=");
		if (decide_env_refused(p, a, n))
			return xstrndup(a, n);
	}
	/* Defence in depth for unwrapped commands: the assignments of a wrapper
	   (`BASH_ENV=x bash -c ...`, `env LD_PRELOAD=x sudo ...`) apply to the
	   process that runs this command, so any NAME=... word of the source
	   text counts. */
	if (c->via && c->text) {
		const char *t = c->text;
		while (*t) {
			while (*t && strchr(" \t\n'\";&|()", *t))
				t++;
			const char *w = t;
			while (*t && !strchr(" \t\n'\";&|()", *t))
				t++;
			size_t n = strcspn(w, "=");
			if (w + n < t && n > 0 && decide_env_refused(p, w, n))
				return xstrndup(w, n);
		}
	}
	if (c->argc > 0 && is_declaring_builtin(c->argv[0]))
		for (int i = 1; i < c->argc; i++) {
			const char *a = c->argv[i];
			if (a[0] == '-')
				continue;
			size_t n = strcspn(a, "+=");
			if (decide_env_refused(p, a, n))
				return xstrndup(a, n);
		}
	return NULL;
}

struct unknown_state {
	int done;
	const struct rule *rule;
	char *word;
};

static void decide_cmd(const struct policy *p, const struct decision *d,
                       const struct decide_opts *o, struct cmd_verdict *cv, struct unknown_state *u)
{
	const struct ecmd *c = cv->cmd;
	char *var = refused_assignment(p, c);
	if (var) {
		cv->v = V_DENY;
		cv->why = WHY_ENV;
		cv->note = var;
		return;
	}
	if (c->argc == 0) {
		cv->v = V_ALLOW;
		cv->why = WHY_DEFAULT;
		return;
	}
	if (c->flags & (CMD_DYNAMIC_NAME | CMD_OPAQUE)) {
		const struct rule *r = best_rule(p, c, 1);
		if (r) {
			cv->rule = r;
			cv->v = V_DENY;
			cv->why = WHY_RULE;
			return;
		}
		cv->why = WHY_UNKNOWN;
		if (p->unknown != UNKNOWN_AUTO) {
			cv->v = (enum verdict)p->unknown;
			return;
		}
		if (!u->done) {
			u->rule = named_in_line(p, d->an.decoded, &u->word);
			u->done = 1;
		}
		if (u->rule) {
			cv->v = V_DENY;
			cv->rule = u->rule;
			cv->note = xstrdup(u->word);
		} else {
			cv->v = V_WARN;
		}
		return;
	}
	const struct rule *r = best_rule(p, c, 0);
	if (!r) {
		cv->v = p->def;
		cv->why = WHY_DEFAULT;
		return;
	}
	cv->rule = r;
	cv->v = r->action;
	cv->why = WHY_RULE;
	if (r->ack && r->action != V_DENY &&
	    !(o && o->ack_ok && o->ack_ok(p, r, o->ack_ctx) == 1)) {
		cv->v = V_DENY;
		cv->why = WHY_ACK;
	}
}

int decide_line(const struct policy *p, const char *text, size_t len, const struct decide_opts *o,
                struct decision *d)
{
	memset(d, 0, sizeof *d);
	struct analyze_opts ao = {0};
	if (o) {
		ao.origin = o->origin;
		ao.want_trace = o->want_trace;
		/* enforcement, check and explain all follow scripts; a policy's
		   examples are decided on their text alone, whatever the working
		   directory holds (no path under /dev/null exists: package.json
		   and Makefiles are not found either) */
		ao.read_scripts = o->read_scripts >= 0;
		ao.cwd = o->read_scripts < 0 ? "/dev/null" : o->cwd;
	}
	if (analyze(text, len, &ao, &d->an) < 0) {
		d->v = V_DENY;
		d->error = xstrdup("internal error: the line could not be analysed");
		return -1;
	}
	d->ncv = d->an.ncmd;
	d->cv = xcalloc(d->ncv ? d->ncv : 1, sizeof *d->cv);
	struct unknown_state u = {0};
	enum verdict v = V_ALLOW;
	for (size_t i = 0; i < d->ncv; i++) {
		d->cv[i].cmd = &d->an.cmd[i];
		decide_cmd(p, d, o, &d->cv[i], &u);
		v = verdict_max(v, d->cv[i].v);
	}
	free(u.word);
	for (size_t i = 0; i < d->ncv; i++)
		if (d->cv[i].v == v && v != V_ALLOW) {
			d->deciding = &d->cv[i];
			break;
		}
	d->v = v;
	if (p->errors.n) {
		d->v = V_DENY;
		d->error = xasprintf("the policy cannot be used (%zu error%s); every command is "
		                     "denied until %s fixed",
		                     p->errors.n, p->errors.n == 1 ? "" : "s",
		                     p->errors.n == 1 ? "it is" : "they are");
		d->deciding = NULL;
	} else if (d->an.error) {
		d->v = V_DENY;
		if (d->an.err_line > 0)
			d->error = xasprintf("cannot analyse the line: %s (line %d, column %d)",
			                     d->an.error, d->an.err_line, d->an.err_col);
		else
			d->error = xasprintf("cannot analyse the line: %s", d->an.error);
		d->deciding = NULL;
	}
	return 0;
}

void decision_free(struct decision *d)
{
	for (size_t i = 0; i < d->ncv; i++)
		free(d->cv[i].note);
	free(d->cv);
	free(d->error);
	analysis_free(&d->an);
	memset(d, 0, sizeof *d);
}
