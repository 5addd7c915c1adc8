/*
 * test_policy.c - reading policies, matching rules and deciding lines.
 *
 * The decision is tested against a scripted analyser defined below (it
 * replaces analyze() from libguard.a at link time), so these tests pin the
 * engine's rules independently of the bash parser:
 *   words are separated by blanks and commands by ';'; a word starting with
 *   '$' is WORD_DYNAMIC, one with * ? or [ is WORD_GLOB (either as argv[0]:
 *   CMD_DYNAMIC_NAME, as the parser does); "~opaque" before a
 *   command marks it CMD_OPAQUE, "~assign" CMD_ASSIGN (with
 *   CMD_DYNAMIC_NAME when its NAME starts with '$'); leading NAME=value
 *   words are assignments;
 *   "!error" makes the input unparseable, "!internal" fails the analyser.
 */
#include "decide.h"
#include "match.h"
#include "policy.h"
#include "tap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the scripted analyser ------------------------------------------------ */

static void add_cmd(struct analysis *a, struct strv *w, struct strv *as, unsigned flags)
{
	if (w->n == 0 && as->n == 0)
		return;
	a->cmd = xreallocarray(a->cmd, a->ncmd + 1, sizeof *a->cmd);
	struct ecmd *c = &a->cmd[a->ncmd++];
	memset(c, 0, sizeof *c);
	c->argv = w->v ? w->v : xcalloc(1, sizeof *c->argv);
	c->argc = (int)w->n;
	c->wflags = xcalloc(w->n + 1, sizeof *c->wflags);
	for (size_t i = 0; i < w->n; i++)
		if (c->argv[i][0] == '$')
			c->wflags[i] = WORD_DYNAMIC;
		else if (strpbrk(c->argv[i], "*?["))
			c->wflags[i] = WORD_GLOB;
	c->flags = flags;
	if (w->n && c->wflags[0])
		c->flags |= CMD_DYNAMIC_NAME;
	if ((flags & CMD_ASSIGN) && as->n && as->v[0][0] == '$')
		c->flags |= CMD_DYNAMIC_NAME;
	c->assign = as->v;
	c->nassign = (int)as->n;
	c->line = c->col = 1;
	memset(w, 0, sizeof *w);
	memset(as, 0, sizeof *as);
}

int analyze(const char *text, size_t len, const struct analyze_opts *opt, struct analysis *out)
{
	(void)opt;
	memset(out, 0, sizeof *out);
	out->decoded = xstrndup(text, len);
	if (strstr(out->decoded, "!internal"))
		return -1;
	if (strstr(out->decoded, "!error")) {
		out->error = xstrdup("unexpected token");
		out->err_line = 1;
		out->err_col = 3;
		return 0;
	}
	struct strv w = {0}, as = {0};
	unsigned flags = 0;
	char *copy = xstrdup(out->decoded), *save = NULL;
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(t);
		int end = n && t[n - 1] == ';';
		if (end)
			t[--n] = 0;
		if (strcmp(t, "~opaque") == 0)
			flags |= CMD_OPAQUE;
		else if (strcmp(t, "~assign") == 0)
			flags |= CMD_ASSIGN;
		else if (n && w.n == 0 && strchr(t, '=') && t[0] != '=')
			sv_push(&as, xstrdup(t));
		else if (n)
			sv_push(&w, xstrdup(t));
		if (end) {
			add_cmd(out, &w, &as, flags);
			flags = 0;
		}
	}
	add_cmd(out, &w, &as, flags);
	free(copy);
	return 0;
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->ncmd; i++) {
		struct ecmd *c = &a->cmd[i];
		for (int k = 0; k < c->argc; k++)
			free(c->argv[k]);
		free(c->argv);
		free(c->wflags);
		for (int k = 0; k < c->nassign; k++)
			free(c->assign[k]);
		free(c->assign);
	}
	free(a->cmd);
	free(a->decoded);
	free(a->error);
	memset(a, 0, sizeof *a);
}

/* ---- helpers ------------------------------------------------------------- */

static struct policy P;

static int load(const char *text)
{
	policy_free(&P);
	policy_init(&P);
	return policy_load_string(&P, "t.ini", text, strlen(text));
}

static char *errors(void)
{
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < P.errors.n; i++) {
		sb_adds(&b, P.errors.v[i]);
		sb_addc(&b, '\n');
	}
	return sb_take(&b);
}

static int ack_yes(const struct policy *p, const struct rule *r, void *ctx)
{
	(void)p;
	(void)r;
	(void)ctx;
	return 1;
}

/* "deny no-pm2", "allow -", "warn (unknown)", ... */
static char *verdict_of(const char *line, int with_ack)
{
	struct decision d;
	struct decide_opts o = {0};
	if (with_ack)
		o.ack_ok = ack_yes;
	decide_line(&P, line, strlen(line), &o, &d);
	const struct cmd_verdict *cv = d.deciding;
	char *s;
	if (d.error)
		s = xasprintf("%s (error)", verdict_name(d.v));
	else if (!cv)
		s = xasprintf("%s -", verdict_name(d.v));
	else if (cv->why == WHY_RULE)
		s = xasprintf("%s %s", verdict_name(d.v), cv->rule->name);
	else if (cv->why == WHY_DEFAULT)
		s = xasprintf("%s (default)", verdict_name(d.v));
	else if (cv->why == WHY_UNKNOWN)
		s = xasprintf("%s (unknown%s%s)", verdict_name(d.v), cv->note ? " " : "",
		              cv->note ? cv->note : "");
	else if (cv->why == WHY_ACK)
		s = xasprintf("%s (ack %s)", verdict_name(d.v), cv->rule->name);
	else
		s = xasprintf("%s (env %s)", verdict_name(d.v), cv->note);
	decision_free(&d);
	return s;
}

#define VERDICT(line, want)                                                                        \
	do {                                                                                       \
		char *got_ = verdict_of(line, 0);                                                  \
		is_str(got_, want, "'%s' -> %s", line, want);                                      \
		free(got_);                                                                        \
	} while (0)

static const char shop[] = "; comment\n"
                           "[guard]\n"
                           "default = allow\n"
                           "unknown = auto\n"
                           "scrub_env = NODE_OPTIONS PYTHON*\n"
                           "\n"
                           "[rule no-pm2]\n"
                           "match = pm2\n"
                           "action = deny\n"
                           "reason = The app is managed by systemd;\n"
                           "reason += PM2 must not be used.\n"
                           "instead = sudo systemctl restart massage-shop ; an inline comment\n"
                           "see = docs/deploy.md:14\n"
                           "example.deny = pm2 restart all\n"
                           "example.allow = echo pm2\n"
                           "\n"
                           "[rule stop-service]\n"
                           "match = systemctl stop\n"
                           "match += massage-shop*\n"
                           "action = warn\n"
                           "example.warn = systemctl --no-pager stop massage-shop\n"
                           "\n"
                           "[shell]\n"
                           "prompt = ops$ \n";

static void test_reading(void)
{
	is_int(load(shop), 0, "a good policy loads without errors");
	is_int(P.nrule, 2, "two rules");
	const struct rule *r = &P.rule[0];
	is_str(r->name, "no-pm2", "rule name from [rule NAME]");
	is_int(r->line, 7, "rule line is its header");
	is_str(r->file, "t.ini", "rule file");
	is_str(r->reason, "The app is managed by systemd; PM2 must not be used.",
	       "'reason +=' appends with one space");
	is_str(r->instead, "sudo systemctl restart massage-shop", "' ;' starts an inline comment");
	is_int(r->nex, 2, "two examples");
	is_int(r->ex[1].line, 15, "example line kept");
	is_int(r->ex[1].want, V_ALLOW, "example.allow");
	is_int((int)r->ex_deny.n, 1, "ex_deny list");
	is_int(P.rule[1].nmatch, 3, "'match +=' adds words");
	is_str(P.rule[1].match[2], "massage-shop*", "the appended word");
	is_int(P.rule[1].action, V_WARN, "action warn");
	is_int(P.def, V_ALLOW, "[guard] default");
	is_int(P.unknown, UNKNOWN_AUTO, "[guard] unknown = auto");
	is_str(policy_get(&P, "shell", "prompt"), "ops$", "other sections are kept for policy_get");
	is_str(policy_get(&P, "guard", "default"), "allow", "[guard] keys are kept too");
	is_str(policy_get(&P, "shell", "banner"), NULL, "missing key gives NULL");
	is_int((int)P.errors.n, 0, "its examples pass (they are decided as it loads)");

	/* The golden mistakes: exact file:line messages, all in one pass. */
	char big[300];
	memset(big, 'x', sizeof big);
	memcpy(big, "reason = ", 9);
	big[200] = 0;
	char *bad = xasprintf("[rule no-pm2]\n"
	                      "match = pm2\n"
	                      "acton = deny\n"
	                      "action = dney\n"
	                      "%s\n"
	                      "  reason += indented\n"
	                      "see = a.md:1\n"
	                      "see = a.md:2\n"
	                      "[rule x]\n"
	                      "action = deny\n",
	                      big);
	is_int(load(bad), 6, "six mistakes, six errors");
	char *e = errors();
	is_str(e,
	       "t.ini:3: unknown key 'acton' in [rule no-pm2] (did you mean 'action'?)\n"
	       "t.ini:4: bad value for 'action': 'dney' (expected allow, warn or deny)\n"
	       "t.ini:5: line is longer than 190 bytes (200); continue a value on the next line "
	       "with 'key += text'\n"
	       "t.ini:6: line starts with blanks (inih would join it to the key above); continue "
	       "a value with 'key += text'\n"
	       "t.ini:8: duplicate key 'see' (first at line 7)\n"
	       "t.ini:9: rule 'x' has no 'match'\n",
	       "golden errors for a policy with mistakes");
	free(e);
	free(bad);
	VERDICT("ls", "deny (error)");

	/* A 190-byte line is fine, 191 is not. */
	memset(big, 'y', sizeof big);
	memcpy(big, "[guard]\nshell = /", 17);
	big[8 + 190] = '\n';
	big[8 + 191] = 0;
	is_int(load(big), 0, "a line of exactly 190 bytes is accepted");
	big[8 + 190] = 'y';
	big[8 + 191] = '\n';
	big[8 + 192] = 0;
	is_int(load(big), 1, "a line of 191 bytes is refused");

	static const struct {
		const char *text, *err;
	} one[] = {
	    {"default = allow\n", "t.ini:1: 'default' is outside a section; put it under [guard] "
	                          "or [rule NAME]"},
	    {"[guard]\ndefault: deny\n",
	     "t.ini:2: ':' in a key (inih splits 'key: value' at ':'); write 'key = value'"},
	    {"[guard]\njust words\n", "t.ini:2: expected 'key = value', '[section]' or a comment"},
	    {"[gaurd]\ndefault = deny\n", "t.ini:1: unknown section [gaurd]"},
	    {"[guard]\n[guard]\n", "t.ini:2: section [guard] appears twice (first at line 1)"},
	    {"[rule]\n", "t.ini:1: [rule] needs a name: [rule NAME]"},
	    {"[guard x]\n", "t.ini:1: [guard] takes no name"},
	    {"[rule a b]\n",
	     "t.ini:1: bad name in [rule a b]: use letters, digits, '-', '_' and '.'"},
	    {"[rule a]\nmatch = x\n", "t.ini:1: rule 'a' has no 'action'"},
	    {"[guard]\nshell = bash\n",
	     "t.ini:2: bad value for 'shell': 'bash' (expected an absolute path)"},
	    {"[guard]\ndefault =\n", "t.ini:2: 'default' has no value"},
	    {"[guard]\ndefault += deny\n",
	     "t.ini:2: 'default +=' must follow a line that sets 'default'"},
	    {"[log]\nfile = maybe\n",
	     "t.ini:2: bad value for 'file': 'maybe' (expected yes or no)"},
	    {"[shell]\nhistory_size = -1\n",
	     "t.ini:2: bad value for 'history_size': '-1' (expected a number)"},
	    {"[ack a]\nexpires = 3w\n", "t.ini:2: bad value for 'expires': '3w' (expected a "
	                                "duration such as 90s, 30m, 12h or 30d (0 = never))"},
	    {"[derived]\ncommit = xyz\n",
	     "t.ini:2: bad value for 'commit': 'xyz' (expected a hexadecimal object id)"},
	    {"[rule a]\nmatch = pm2\\\naction = deny\n",
	     "t.ini:2: bad value for 'match': 'pm2\\' (expected glob words without a trailing "
	     "backslash)"},
	    {"[rule a]\nmatch = x\naction = deny\nexample.maybe = x\n",
	     "t.ini:4: unknown key 'example.maybe' in [rule a]"},
	    {"[guard]\r\ndefault = deny\r\nbogus = 1\r\n",
	     "t.ini:3: unknown key 'bogus' in [guard]"},
	};
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
		load(one[i].text);
		e = errors();
		char *want = xasprintf("%s\n", one[i].err);
		is_str(e, want, "error %zu: %s", i, one[i].err);
		free(want);
		free(e);
	}
	static const char nul[] = "[guard]\ndefault = al\0low\n";
	policy_free(&P);
	policy_init(&P);
	is_int(policy_load_string(&P, "t.ini", nul, sizeof nul - 1), 1, "a NUL byte is an error");
	is_str(P.errors.v[0], "t.ini:2: NUL byte in the line", "and says where");

	/* Several files: rules add up, the stricter default wins. */
	load("[guard]\ndefault = warn\n[rule a]\nmatch = a\naction = deny\n");
	const char second[] = "[guard]\ndefault = allow\nunknown = deny\n[rule b]\nmatch = b\n"
	                      "action = deny\n";
	is_int(policy_load_string(&P, "u.ini", second, sizeof second - 1), 0,
	       "a second file loads");
	is_int(P.nrule, 2, "rules of both files");
	is_int(P.def, V_WARN, "the stricter default of the two files wins");
	is_int(P.unknown, V_DENY, "the stricter unknown wins");
	is_str(P.rule[1].file, "u.ini", "each rule keeps its file");
}

static struct ecmd mk(char **argv, unsigned *wf, unsigned flags)
{
	struct ecmd c;
	memset(&c, 0, sizeof c);
	c.argv = argv;
	c.wflags = wf;
	while (argv[c.argc])
		c.argc++;
	c.flags = flags;
	return c;
}

static void test_matching(void)
{
	load("[rule stop]\nmatch = systemctl stop massage-*\naction = deny\n"
	     "[rule rf]\nmatch = rm -rf\naction = deny\n"
	     "[rule st]\nmatch = systemctl status\naction = allow\n");
	const struct rule *stop = &P.rule[0], *rf = &P.rule[1], *st = &P.rule[2];
	char *a1[] = {"systemctl", "stop", "massage-shop", NULL};
	char *a2[] = {"systemctl", "--no-pager", "stop", "-q", "massage-shop", NULL};
	char *a3[] = {"systemctl", "-H", "host", "stop", "massage-shop", NULL};
	char *a4[] = {"systemctl", "stop", NULL};
	char *a5[] = {"rm", "-v", "-rf", "/", NULL};
	char *a6[] = {"rm", "-rf", "/", NULL};
	char *a7[] = {"systemctl", "$x", "massage-shop", NULL};
	char *a8[] = {"systemctl", "status", "$x", NULL};
	char *a9[] = {"systemctl", "$x", NULL};
	unsigned none[8] = {0}, dyn1[8] = {0, WORD_DYNAMIC, 0}, dyn2[8] = {0, 0, WORD_DYNAMIC};
	unsigned glob1[8] = {0, WORD_GLOB, 0};
	struct ecmd c;
	c = mk(a1, none, 0);
	is_int(decide_rule_match(stop, &c), 3, "all three words match");
	c = mk(a2, none, 0);
	is_int(decide_rule_match(stop, &c), 3, "options between words are skipped");
	c = mk(a3, none, 0);
	is_int(decide_rule_match(stop, &c), 3, "deny: any words may come between (fail closed)");
	c = mk(a4, none, 0);
	is_int(decide_rule_match(stop, &c), -1, "fewer argv words than pattern words: no match");
	c = mk(a6, none, 0);
	is_int(decide_rule_match(rf, &c), 2, "an option pattern word matches that option");
	c = mk(a5, none, 0);
	is_int(decide_rule_match(rf, &c), 2, "deny: an option word is found after other options");
	{
		char *s1[] = {"systemctl", "--no-pager", "status", "x", NULL};
		char *s2[] = {"systemctl", "-H", "host", "status", NULL};
		char *s3[] = {"systemctl", "stop", "status", NULL};
		c = mk(s1, none, 0);
		is_int(decide_rule_match(st, &c), 2, "allow: options between words are skipped");
		c = mk(s2, none, 0);
		is_int(decide_rule_match(st, &c), -1, "allow: an option's separate value is not");
		c = mk(s3, none, 0);
		is_int(decide_rule_match(st, &c), -1, "allow: nor is any other word");
	}
	c = mk(a7, dyn1, 0);
	is_int(decide_rule_match(stop, &c), 3, "a dynamic word matches any word of a deny rule");
	c = mk(a8, dyn2, 0);
	is_int(decide_rule_match(st, &c), 2, "a dynamic word after the pattern does not matter");
	c = mk(a9, dyn1, 0);
	is_int(decide_rule_match(st, &c), -1, "a dynamic word never matches an allow rule's word");
	c = mk(a9, glob1, 0);
	is_int(decide_rule_match(st, &c), -1, "nor does an unquoted glob that is not the word");
	c = mk(a7, glob1, 0);
	is_int(decide_rule_match(stop, &c), 3,
	       "an unquoted glob matches a deny rule (fail closed)");
	char *b1[] = {"$cmd", "stop", "massage-shop", NULL};
	unsigned dyn0[8] = {WORD_DYNAMIC};
	c = mk(b1, dyn0, CMD_DYNAMIC_NAME);
	is_int(decide_rule_match(stop, &c), -1,
	       "a dynamic program name is not matched by a rule (it gets [guard] unknown)");
	load("[rule ll]\nmatch = ls -l\naction = allow\n"); /* stop, rf, st are gone */
	char *s4[] = {"ls", "-a", "-l", NULL};
	c = mk(s4, none, 0);
	is_int(decide_rule_match(&P.rule[0], &c), -1,
	       "allow: an option word matches only the next argument");
}

static void test_deciding(void)
{
	/* The sentence of guard.ini(5), case by case:
	   "The most specific matching rule wins (more matched words beat fewer; on
	   a tie the stricter action); a line's verdict is the strictest over all
	   its commands." */
	load("[guard]\ndefault = allow\nunknown = auto\n"
	     "[rule sc]\nmatch = systemctl\naction = deny\n"
	     "[rule sc-status]\nmatch = systemctl status\naction = allow\n"
	     "[rule sc-restart]\nmatch = systemctl restart *\naction = warn\n"
	     "[rule git-push]\nmatch = git push\naction = warn\n"
	     "[rule git-pu]\nmatch = git pu*\naction = deny\n"
	     "[rule git-pull]\nmatch = git pull\naction = allow\n"
	     "[rule make]\nmatch = make\naction = allow\n"
	     "[rule make-w]\nmatch = mak?\naction = warn\n"
	     "[rule pm2]\nmatch = pm2\naction = deny\n"
	     "[rule deploy]\nmatch = deploy\naction = allow\nack = deploy-guide\n");
	VERDICT("systemctl stop x", "deny sc");
	VERDICT("systemctl status x", "allow -");
	VERDICT("systemctl restart x", "warn sc-restart");
	VERDICT("systemctl restart", "deny sc");
	VERDICT("git push origin", "deny git-pu");
	VERDICT("git pull", "deny git-pu");
	VERDICT("make all", "warn make-w");
	VERDICT("ls -l", "allow -");
	VERDICT("ls; systemctl status x", "allow -");
	VERDICT("ls; systemctl restart x; systemctl status", "warn sc-restart");
	VERDICT("systemctl restart x; pm2 list; ls", "deny pm2");
	VERDICT("pm2 list; systemctl stop x", "deny pm2");
	VERDICT("", "allow -");

	/* On a remaining tie the first rule in the file wins, whether its first
	   word is a glob or a literal (rules are indexed by their first word). */
	load("[rule glob-first]\nmatch = pm*\naction = deny\n"
	     "[rule literal-second]\nmatch = pm2\naction = deny\n"
	     "[rule lit-a]\nmatch = npm\naction = warn\n"
	     "[rule glob-b]\nmatch = ?pm\naction = warn\n");
	VERDICT("pm2 x", "deny glob-first");
	VERDICT("npm i", "warn lit-a");
	/* A glob as the program's name meets the literal rules it could expand
	   to, although the index files them under their own word. */
	load("[rule lit]\nmatch = pm2\naction = deny\n");
	VERDICT("pm[2] list", "deny lit");
	VERDICT("p?2 list", "deny lit");
	VERDICT("x* list", "warn (unknown)");
	VERDICT("$x i", "warn (unknown)");
	/* a short or glob first word must be a whole word; the other words of
	   a rule must be there as words */
	load("[guard]\nunknown = auto\n[rule rm]\nmatch = rm -rf\naction = deny\n"
	     "[rule push]\nmatch = git push --force*\naction = deny\n"
	     "[rule fv]\nmatch = fore*\naction = deny\n");
	VERDICT("$x format", "warn (unknown)");
	VERDICT("$x rm -rf /", "deny (unknown rm)");
	VERDICT("$x RM -RF /", "deny (unknown rm)");
	VERDICT("$x github.com", "warn (unknown)");
	VERDICT("$x; git push --force-with-lease", "deny (unknown git)");
	VERDICT("$x Forever", "deny (unknown fore*)");
	VERDICT("$x before", "warn (unknown)");
	load("[guard]\ndefault = allow\nunknown = auto\n"
	     "[rule sc]\nmatch = systemctl\naction = deny\n"
	     "[rule sc-status]\nmatch = systemctl status\naction = allow\n"
	     "[rule sc-restart]\nmatch = systemctl restart *\naction = warn\n"
	     "[rule pm2]\nmatch = pm2\naction = deny\n"
	     "[rule deploy]\nmatch = deploy\naction = allow\nack = deploy-guide\n");

	/* Unknown programs. */
	VERDICT("$x list", "warn (unknown)");
	VERDICT("$x list; echo pm2", "deny (unknown pm2)");
	VERDICT("$x list /usr/bin/pm2", "deny (unknown pm2)");
	/* named: a case-insensitive substring of the decoded line */
	VERDICT("$x list pm2x", "deny (unknown pm2)");
	VERDICT("$x list PM2", "deny (unknown pm2)");
	VERDICT("$x ${PM-pm2}", "deny (unknown pm2)");
	VERDICT("$x x=Pm2", "deny (unknown pm2)");
	VERDICT("$x list pm3", "warn (unknown)");
	VERDICT("$x systemctlx", "deny (unknown systemctl)");
	VERDICT("~opaque python3 -c x", "warn (unknown)");
	VERDICT("~opaque pm2 -c x", "deny pm2");
	VERDICT("pm2 $x", "deny pm2");
	VERDICT("systemctl $x", "deny sc");

	/* Acknowledgements. */
	VERDICT("deploy now", "deny (ack deploy)");
	char *s = verdict_of("deploy now", 1);
	is_str(s, "allow -", "with the acknowledgement the rule's action applies");
	free(s);

	/* Assignments that change what the shell runs. */
	VERDICT("BASH_ENV=/tmp/x ls", "deny (env BASH_ENV)");
	VERDICT("LD_PRELOAD=/tmp/x.so ls", "deny (env LD_PRELOAD)");
	VERDICT("BASH_FUNC_ls%%=() ls", "deny (env BASH_FUNC_ls%%)");
	/* IFS for a command of its own is harmless (programs ignore it in their
	   environment); where a shell evaluates text with it (the command came
	   through eval, source, a function: it has a via) or exported, refused */
	VERDICT("IFS=/ ls", "allow -");
	VERDICT("IFS=: read -r a b", "allow -");
	VERDICT("local IFS=,", "allow -");
	VERDICT("export IFS=:", "deny (env IFS)");
	VERDICT("declare -x IFS=:", "deny (env IFS)");
	VERDICT("export -n IFS", "allow -");
	VERDICT("PS4=x bash", "deny (env PS4)");
	VERDICT("declare PS4=x", "allow -");
	VERDICT("typeset -gx PS4=x", "deny (env PS4)");
	/* startup variables: refused in every form, exported or not */
	VERDICT("BASH_ENV=./f", "deny (env BASH_ENV)");
	VERDICT("~assign BASH_ENV=./f", "deny (env BASH_ENV)");
	VERDICT("LD_BIND_NOW=1 ls", "deny (env LD_BIND_NOW)");
	VERDICT("local SHELLOPTS=x", "deny (env SHELLOPTS)");
	/* the analysis reports only startup variables as CMD_ASSIGN; an
	   exported variable whose name is known only at run time is unknown */
	VERDICT("~assign PS4=x", "allow -");
	VERDICT("~assign $v=x", "warn (unknown)");
	VERDICT("FOO=1 ls", "allow -");
	VERDICT("export PROMPT_COMMAND=x", "deny (env PROMPT_COMMAND)");
	VERDICT("export PATH=/bin", "allow -");
	VERDICT("!error", "deny (error)");
	{
		/* The fail-closed table's "internal error" row. */
		struct decision d;
		is_int(decide_line(&P, "!internal", 9, NULL, &d), -1, "an analyser failure: -1");
		is_int(d.v, V_DENY, "an internal error denies");
		is_str(d.error, "internal error: the line could not be analysed", "and says so");
		decision_free(&d);
		decide_line(&P, "!error", 6, NULL, &d);
		is_str(d.error, "cannot analyse the line: unexpected token (line 1, column 3)",
		       "an unparseable line denies with the position");
		decision_free(&d);
	}

	/* [guard] unknown and default. */
	load("[guard]\ndefault = warn\nunknown = allow\nscrub_env = NODE_* PYTHONPATH\n"
	     "[rule pm2]\nmatch = pm2\naction = deny\n");
	VERDICT("ls", "warn (default)");
	VERDICT("$x pm2", "allow -");
	VERDICT("NODE_OPTIONS=--require=x node app", "deny (env NODE_OPTIONS)");
	VERDICT("PYTHONPATH=. python3", "deny (env PYTHONPATH)");
	VERDICT("NODE_OPTIONS=x", "deny (env NODE_OPTIONS)"); /* scrub_env: any form */
	load("[guard]\ndefault = deny\nunknown = deny\n[rule ls]\nmatch = ls\naction = allow\n");
	VERDICT("ls", "allow -");
	VERDICT("cat x", "deny (default)");
	VERDICT("$x", "deny (unknown)");

	/* Examples are decided with the same decision, as the file loads: a
	   failing one is an error of the policy, which then denies everything. */
	is_int(load("[rule pm2]\nmatch = pm2\naction = deny\nexample.deny = pm2 list\n"
	            "example.allow = pm2 ls\nexample.warn = pm2\nexample.deny = ls\n"),
	       3, "three failing examples are three errors of the load");
	{
		/* Examples describe the rules: acknowledgements count as given. */
		struct policy q;
		policy_init(&q);
		const char t[] = "[rule deploy]\nmatch = deploy\naction = allow\nack = guide\n"
		                 "example.allow = deploy now\n";
		is_int(policy_load_string(&q, "a.ini", t, sizeof t - 1), 0,
		       "an example of a rule with ack passes");
		policy_free(&q);
	}
	char *e = errors();
	is_str(e,
	       "t.ini:5: example.allow 'pm2 ls' is denied by the policy (rule pm2, t.ini:1)\n"
	       "t.ini:6: example.warn 'pm2' is denied by the policy (rule pm2, t.ini:1)\n"
	       "t.ini:7: example.deny 'ls' is allowed by the policy (no rule matches; [guard] "
	       "default)\n",
	       "failing examples are reported with file:line");
	free(e);
	VERDICT("ls", "deny (error)");
	{
		/* A file is checked alone: its examples do not see the rules of a
		   file loaded before it, and a bad file does not taint the good. */
		struct policy q;
		policy_init(&q);
		const char a[] = "[rule pm2]\nmatch = pm2\naction = deny\n";
		const char b[] = "[rule pm2-list]\nmatch = pm2 list\naction = allow\n"
		                 "example.allow = pm2 list\n";
		is_int(policy_load_string(&q, "a.ini", a, sizeof a - 1), 0, "a.ini loads");
		is_int(policy_load_string(&q, "b.ini", b, sizeof b - 1), 0,
		       "b.ini's example is decided by b.ini alone");
		policy_free(&q);
	}
}

static void test_files(void)
{
	char dir[] = "/tmp/guard-unit.XXXXXX";
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	char *sub = xasprintf("%s/repo/a/b", dir), *gd = xasprintf("%s/repo/.guard", dir);
	char *f = xasprintf("%s/policy.ini", gd), *cmd = NULL;
	cmd = xasprintf("mkdir -p %s %s", sub, gd);
	is_int(system(cmd), 0, "scratch tree");
	free(cmd);
	int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	const char txt[] = "[rule pm2]\nmatch = pm2\naction = deny\n";
	ok(fd >= 0 && write(fd, txt, sizeof txt - 1) == (ssize_t)(sizeof txt - 1), "write policy");
	close(fd);
	chmod(f, 0644);
	policy_free(&P);
	policy_init(&P);
	struct stat st;
	int host = stat("/etc/guard/policy.ini", &st) == 0;
	is_int(policy_find_and_load(&P, NULL, sub), 0, "found from a subdirectory");
	is_str(P.files.v[0], f, ".guard/policy.ini of the nearest parent");
	is_int(P.nrule, host ? P.nrule : 1, "its rule");

	chmod(f, 0664);
	policy_free(&P);
	policy_init(&P);
	is_int(policy_load_file(&P, f), 1, "a group-writable policy is refused");
	char *want = xasprintf("%s: refusing the policy: it is writable by group or others "
	                       "(chmod go-w)",
	                       f);
	is_str(P.errors.v[0], want, "naming the file");
	free(want);
	chmod(f, 0644);
	chmod(gd, 0777);
	policy_free(&P);
	policy_init(&P);
	is_int(policy_load_file(&P, f), 1, "a policy in a world-writable directory is refused");
	chmod(gd, 0755);
	policy_free(&P);
	policy_init(&P);
	char *missing = xasprintf("%s/nope.ini", dir);
	is_int(policy_load_file(&P, missing), 1, "a missing --policy file is an error");
	want = xasprintf("%s: cannot read the policy: No such file or directory", missing);
	is_str(P.errors.v[0], want, "naming the file");
	free(want);
	free(missing);
	policy_free(&P);
	policy_init(&P);
	if (!host) {
		is_int(policy_find_and_load(&P, NULL, dir), 1, "no policy anywhere is an error");
		want =
		    xasprintf("no policy found: looked for .guard/policy.ini in %s and its parent "
		              "directories, and for /etc/guard/policy.ini (give one with "
		              "--policy FILE)",
		              dir);
		is_str(P.errors.v[0], want, "saying where guard looked");
		free(want);
	}
	cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		ok(0, "cleanup");
	free(cmd);
	free(sub);
	free(gd);
	free(f);
}

/* Loads texts as the scopes 0, 1, ... of one merged policy, as
   policy_find_and_load does with the files it finds (outermost first). */
static void load_scopes(const char *const *texts, int n)
{
	policy_free(&P);
	policy_init(&P);
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof name, "s%d.ini", i);
		P.scope = P.nscope++;
		policy_load_string(&P, name, texts[i], strlen(texts[i]));
	}
	P.scope = 0;
}

static void test_scopes(void)
{
	/* Each file picks its rule; the strictest pick decides. */
	const char *three[] = {
	    "[rule no-pm2]\nmatch = pm2\naction = deny\n"
	    "[rule stop]\nmatch = systemctl stop\naction = warn\n",
	    "[rule pm2-list]\nmatch = pm2 list\naction = allow\n"
	    "[rule stop-app]\nmatch = systemctl stop app\naction = allow\n"
	    "[rule no-forever]\nmatch = forever\naction = deny\n",
	    "[guard]\ndefault = deny\n[rule ls]\nmatch = ls\naction = allow\n"
	    "[rule pm2-all]\nmatch = pm2 *\naction = allow\n",
	};
	load_scopes(three, 3);
	is_int((int)P.errors.n, 0, "three scopes load");
	VERDICT("pm2 list", "deny no-pm2");
	VERDICT("systemctl stop app", "warn stop");
	VERDICT("forever start", "deny no-forever");
	VERDICT("ls", "allow -");
	VERDICT("cat f", "deny (default)");
	/* the same rules in one scope: the most specific wins */
	char one[600];
	snprintf(one, sizeof one, "%s%s", three[0], three[1]);
	load(one);
	VERDICT("pm2 list", "allow -"); /* allowed lines name no rule */

	/* Settings: an inner file only tightens. */
	const char *set[] = {
	    "[guard]\nunknown = warn\nscrub_env = OUTER\n[hooks]\ngemini_warn = allow\n"
	    "[shell]\nidle_timeout = 30m\nprompt = outer$\n",
	    "[guard]\nunknown = allow\nshell = /tmp/evil\nscrub_env = INNER\n"
	    "[hooks]\ncodex_warn = allow\ngemini_warn = allow\n"
	    "[log]\nfile = no\nsyslog = yes\n[shell]\nidle_timeout = 1h\nprompt = inner$\n",
	    "[shell]\nidle_timeout = 10m\n",
	};
	load_scopes(set, 2);
	is_int(P.unknown, V_WARN, "an inner unknown = allow does not loosen warn");
	is_str(P.shell, NULL, "an inner shell is ignored");
	is_str(policy_get(&P, "guard", "shell"), NULL, "policy_get agrees");
	is_str(policy_get(&P, "hooks", "codex_warn"), NULL,
	       "an inner codex_warn = allow does not loosen the default deny");
	is_str(policy_get(&P, "hooks", "gemini_warn"), "allow",
	       "the outermost file's allow stands");
	is_str(policy_get(&P, "log", "file"), NULL, "an inner [log] file = no is ignored");
	is_str(policy_get(&P, "log", "syslog"), "yes", "an inner [log] syslog = yes counts");
	is_str(policy_get(&P, "shell", "idle_timeout"), "30m", "a longer inner timeout is ignored");
	is_str(policy_get(&P, "shell", "prompt"), "inner$", "cosmetic: the innermost file's");
	is_int(decide_env_refused(&P, "OUTER", 5), 1, "the outer scrub_env");
	is_int(decide_env_refused(&P, "INNER", 5), 1, "and the inner one");
	load_scopes(set, 3);
	is_str(policy_get(&P, "shell", "idle_timeout"), "10m", "a shorter inner timeout counts");
	load_scopes(set + 1, 1);
	is_str(P.shell, "/tmp/evil", "alone, a file sets its shell");
	is_str(policy_get(&P, "log", "file"), "no", "and its [log] file");
	is_int(P.unknown, V_ALLOW, "and unknown");

	/* Examples: each file's against itself; merged ones are notes. */
	const char *ex[] = {
	    "[rule no-pm2]\nmatch = pm2\naction = deny\n",
	    "[rule pm2-list]\nmatch = pm2 list\naction = allow\nexample.allow = pm2 list\n",
	};
	load_scopes(ex, 2);
	is_int((int)P.errors.n, 0, "an inner example that passes in its file: no error");
	struct strv notes = {0};
	is_int(policy_merged_examples(&P, &notes), 1, "one note for the merged policy");
	is_str(notes.n ? notes.v[0] : NULL,
	       "s1.ini:4: example.allow 'pm2 list' is denied by the merged policy (rule no-pm2, "
	       "s0.ini:1)",
	       "naming the outer rule");
	sv_free(&notes);
	load_scopes(ex, 1);
	is_int(policy_merged_examples(&P, &notes), 0, "one scope: no notes");
	sv_free(&notes);
}

int main(void)
{
	policy_init(&P);
	test_reading();
	test_matching();
	test_deciding();
	test_scopes();
	test_files();
	policy_free(&P);
	return done_testing();
}
