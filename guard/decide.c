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
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "match.h"

/* scrub_env: a name of the policy's lists (glob words), of every file of a
   merged policy: each can only add names. */
static int scrub_listed(const struct policy *p, const char *name, size_t len)
{
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

int decide_startup_var(const struct policy *p, const char *name, size_t len)
{
	static const char *const startup[] = {"BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", NULL};
	if ((len >= 10 && memcmp(name, "BASH_FUNC_", 10) == 0) ||
	    (len >= 3 && memcmp(name, "LD_", 3) == 0))
		return 1;
	for (const char *const *e = startup; *e; e++)
		if (strlen(*e) == len && memcmp(*e, name, len) == 0)
			return 1;
	return scrub_listed(p, name, len);
}

/* The shell's own variables that are refused when they reach another
   program's environment or text the shell evaluates with them, but that a
   script may set for itself: PS4 and PROMPT_COMMAND (their values are
   analysed, analyze.c), GLOBIGNORE, IFS. */
static int shell_var(const char *name, size_t len)
{
	static const char *const vars[] = {"PS4", "PROMPT_COMMAND", "GLOBIGNORE", "IFS", NULL};
	for (const char *const *e = vars; *e; e++)
		if (strlen(*e) == len && memcmp(*e, name, len) == 0)
			return 1;
	return 0;
}

int decide_env_refused(const struct policy *p, const char *name, size_t len)
{
	return decide_startup_var(p, name, len) || shell_var(name, len);
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

/* The words of the decoded line for the "named anywhere" check: split at
   blanks, shell metacharacters, quotes, '$', '=' and '/' (so pm2 counts in
   x=pm2 and in /usr/bin/pm2), lowercased. */
static int word_sep(char ch)
{
	return strchr(" \t\n\r;&|()<>=/'\"`${}[],:", ch) != NULL || ch == 0;
}

static int has_glob(const char *w)
{
	return strpbrk(w, "*?[") != NULL;
}

/* A rule word (other than the first) appears in the line as a word. */
static int word_in(const char *lower, const char *pat)
{
	char lp[256];
	size_t n = strlen(pat);
	if (n >= sizeof lp)
		return 0;
	for (size_t i = 0; i <= n; i++)
		lp[i] = (char)((pat[i] >= 'A' && pat[i] <= 'Z') ? pat[i] + 32 : pat[i]);
	for (const char *s = lower; *s;) {
		while (*s && word_sep(*s))
			s++;
		const char *b = s;
		while (*s && !word_sep(*s))
			s++;
		if (s == b)
			continue;
		char w[256];
		size_t wl = (size_t)(s - b);
		if (wl >= sizeof w)
			continue;
		memcpy(w, b, wl);
		w[wl] = 0;
		if (has_glob(lp) ? fnmatch(lp, w, FNM_CASEFOLD) == 0 : strcmp(lp, w) == 0)
			return 1;
	}
	return 0;
}

/*
 * [guard] unknown = auto: the first deny rule (in file order) the line
 * names, or NULL.  A rule is named when its first word appears in the
 * decoded line (quotes removed, $'...' and printf escapes decoded, the
 * defaults of ${x-word} and the values guard worked out included) as a
 * case-insensitive substring (PM2, ${PM-pm2}, x=pm3 and ${x/3/2}); a first
 * word shorter than three characters, or a glob, must be a whole word.  A
 * rule of several words is named only when its other words appear as words
 * too (git push --force, not every line that mentions git).  Only lines
 * with a command guard cannot see come here.
 */
static const struct rule *named_in_line(const struct policy *p, const char *text, char **word)
{
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *lower = xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)((text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i]);
	const struct rule *found = NULL;
	for (size_t i = 0; i < p->nrule && !found; i++) {
		const struct rule *r = &p->rule[i];
		if (r->action != V_DENY || r->nmatch == 0)
			continue;
		const char *w0 = r->match[0];
		char lw[256];
		size_t l0 = strlen(w0);
		if (l0 == 0 || l0 >= sizeof lw)
			continue;
		for (size_t k = 0; k <= l0; k++)
			lw[k] = (char)((w0[k] >= 'A' && w0[k] <= 'Z') ? w0[k] + 32 : w0[k]);
		int hit = has_glob(lw) || l0 < 3 ? word_in(lower, lw) : strstr(lower, lw) != NULL;
		for (int k = 1; hit && k < r->nmatch; k++)
			hit = word_in(lower, r->match[k]);
		if (hit) {
			found = r;
			*word = xstrdup(w0);
		}
	}
	free(lower);
	return found;
}

static int is_declaring_builtin(const char *s)
{
	return strcmp(s, "export") == 0 || strcmp(s, "declare") == 0 || strcmp(s, "typeset") == 0 ||
	       strcmp(s, "local") == 0 || strcmp(s, "readonly") == 0;
}

/* A refused variable the command assigns, or NULL:
   - a startup variable (decide_startup_var) in any form: a prefix or env
     assignment, an argument of export/declare/local/typeset/readonly, or a
     plain assignment the analysis reports (CMD_ASSIGN);
   - PS4, PROMPT_COMMAND, GLOBIGNORE as a prefix or env assignment (they
     reach the program's environment) or exported; IFS only where it applies
     to text a shell evaluates with it (eval, source, a function: the command
     came through a wrapper) or when exported, so `IFS=: read -r a b` and
     `local IFS=,` stay allowed. */
static char *refused_assignment(const struct policy *p, const struct ecmd *c)
{
	for (int i = 0; i < c->nassign; i++) {
		const char *a = c->assign[i];
		size_t n = strcspn(a, "+=");
		if (decide_startup_var(p, a, n))
			return xstrndup(a, n);
		if (c->flags & CMD_ASSIGN)
			continue;
		if (shell_var(a, n) && (strncmp(a, "IFS", n) != 0 || c->via))
			return xstrndup(a, n);
	}
	/* Defence in depth for unwrapped commands: the assignments of a wrapper
	   (`BASH_ENV=x bash -c ...`, `env LD_PRELOAD=x sudo ...`) apply to the
	   process that runs this command, so any NAME=... word of the source
	   text counts. */
	if (c->via && c->text && !(c->argc > 0 && is_declaring_builtin(c->argv[0]))) {
		const char *t = c->text;
		while (*t) {
			while (*t && strchr(" \t\n'\";&|()", *t))
				t++;
			const char *w = t;
			while (*t && !strchr(" \t\n'\";&|()", *t))
				t++;
			size_t n = strcspn(w, "=");
			if (w + n < t && n > 0 &&
			    (decide_startup_var(p, w, n) ||
			     (shell_var(w, n) && strncmp(w, "IFS=", 4))))
				return xstrndup(w, n);
		}
	}
	if (c->argc > 0 && is_declaring_builtin(c->argv[0])) {
		int exports = strcmp(c->argv[0], "export") == 0;
		for (int i = 1; i < c->argc; i++) {
			const char *a = c->argv[i];
			if (a[0] == '-' || a[0] == '+') {
				if (a[0] == '-' && strchr(a, 'x'))
					exports = 1;
				if (strchr(a, 'n') && strcmp(c->argv[0], "export") == 0)
					exports = 0; /* export -n: un-exports */
				continue;
			}
			size_t n = strcspn(a, "+=[");
			if (decide_startup_var(p, a, n) || (exports && shell_var(a, n)))
				return xstrndup(a, n);
		}
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
	int unknown_var = (c->flags & CMD_ASSIGN) && (c->flags & CMD_DYNAMIC_NAME);
	if (c->argc == 0 && !unknown_var) {
		cv->v = V_ALLOW;
		cv->why = WHY_DEFAULT;
		return;
	}
	if (c->flags & (CMD_DYNAMIC_NAME | CMD_OPAQUE)) {
		const struct rule *r = unknown_var ? NULL : best_rule(p, c, 1);
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
			/* the decoded line and the words guard worked out (a=p;
			   b=m2; $cmd $a$b names pm2) */
			struct sbuf t;
			sb_init(&t);
			sb_adds(&t, d->an.decoded ? d->an.decoded : "");
			for (size_t i = 0; i < d->an.ncmd; i++)
				for (int k = 0; k < d->an.cmd[i].argc; k++) {
					sb_addc(&t, ' ');
					sb_adds(&t, d->an.cmd[i].argv[k]);
				}
			u->rule = named_in_line(p, t.s ? t.s : "", &u->word);
			sb_free(&t);
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

static int startup_cb(void *ctx, const char *name)
{
	return decide_startup_var(ctx, name, strlen(name));
}

int decide_line(const struct policy *p, const char *text, size_t len, const struct decide_opts *o,
                struct decision *d)
{
	memset(d, 0, sizeof *d);
	struct analyze_opts ao = {0};
	ao.refused_var = startup_cb;
	ao.refused_ctx = (void *)p;
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
