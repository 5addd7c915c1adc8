/*
 * unwrap_tools.c - programs that run commands named in their options,
 * operands or standard input, for unwrap.c's table: terminal multiplexers
 * (tmux, screen, dtach), editors (vim, ed), sqlite3, tar, rsync, zip, ssh,
 * socat, nc, gdb, parallel, git, make, at, crontab, and the variables that
 * name a command (PAGER, GIT_SSH_COMMAND, ...).  A command line is analysed
 * as the shell would run it; code guard cannot read is opaque.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unwrap_int.h"

/* make's variables: NAME = value lines and NAME=value words (which the
   makefile cannot change: fixed). */
struct mvars {
	struct strv name, value;
	size_t nfixed; /* the first nfixed names */
};

static const char *mvar_get(const struct mvars *mv, const char *name, size_t n)
{
	for (size_t k = mv->name.n; k-- > 0;)
		if (strlen(mv->name.v[k]) == n && strncmp(mv->name.v[k], name, n) == 0)
			return mv->value.v[k];
	return NULL;
}

static void mvar_set(struct mvars *mv, const char *name, size_t n, const char *value)
{
	for (size_t k = 0; k < mv->nfixed; k++)
		if (strlen(mv->name.v[k]) == n && strncmp(mv->name.v[k], name, n) == 0)
			return;
	sv_push(&mv->name, xstrndup(name, n));
	sv_push(&mv->value, xstrdup(value));
}

/* A recipe with $(NAME) / ${NAME} / $X of known variables replaced and $$
   made $ (unknown references are left, which reads as $(...) to a shell:
   a name known only at run time). */
static void make_expand(const struct mvars *mv, const char *s, struct sbuf *out, int depth)
{
	for (const char *p = s; *p; p++) {
		if (p[0] != '$') {
			sb_addc(out, *p);
			continue;
		}
		if (p[1] == '$') {
			sb_addc(out, '$');
			p++;
			continue;
		}
		if ((p[1] == '(' || p[1] == '{') && depth < 8) {
			char cl = p[1] == '(' ? ')' : '}';
			size_t n = strcspn(p + 2, ")} \t:$");
			const char *v = p[2 + n] == cl ? mvar_get(mv, p + 2, n) : NULL;
			if (v) {
				make_expand(mv, v, out, depth + 1);
				p += 2 + n;
				continue;
			}
		}
		sb_addc(out, *p);
	}
}

/* $(shell CMD) and VAR != CMD run when make reads the line. */
static void make_shell_refs(struct actx *c, const struct cmdsite *site, const char *line,
                            const char *via)
{
	for (const char *p = line; (p = strstr(p, "shell ")) != NULL; p += 6) {
		if (p < line + 2 || (p[-1] != '(' && p[-1] != '{') || p[-2] != '$')
			continue;
		char cl = p[-1] == '(' ? ')' : '}', op = p[-1];
		int depth = 1;
		const char *e = p + 6;
		for (; *e && depth; e++)
			depth += *e == op ? 1 : *e == cl ? -1 : 0;
		char *cmd = xstrndup(p + 6, (size_t)(e - (p + 6)) - (depth ? 0 : 1));
		shell_text(c, site, cmd, "make $(shell)", via);
		free(cmd);
	}
	/* NAME != COMMAND (a variable assignment, not a recipe's test) */
	const char *q = line + strspn(line, " \t");
	size_t nl = strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	q += nl;
	q += strspn(q, " \t");
	if (line[0] != '\t' && nl && q[0] == '!' && q[1] == '=')
		shell_text(c, site, q + 2, "make !=", via);
}

struct mrule {
	struct strv targets, prereqs, recipe;
	int done;
};

/*
 * Makefile text: the recipes of the goals (else of the first target) and,
 * in turn, of their prerequisites, with known variables expanded; $(shell)
 * and != anywhere.
 */
static void make_text(struct actx *c, const struct cmdsite *site, char *text,
                      const struct strv *goals_in, struct mvars *mv, const char *via)
{
	struct mrule *rule = NULL;
	size_t nrule = 0;
	struct mrule *cur = NULL;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* a line ending in \ continues on the next one */
		while (*line && line[strlen(line) - 1] == '\\') {
			char *nl = line + strlen(line);
			char *nx = strtok_r(NULL, "\n", &save);
			if (!nx)
				break;
			nl[-1] = ' ';
			memmove(nl, nx + (nx[0] == '\t'), strlen(nx + (nx[0] == '\t')) + 1);
		}
		if (line[0] == '\t') {
			make_shell_refs(c, site, line, via);
			if (cur)
				sv_push(&cur->recipe, xstrdup(line + 1));
			continue;
		}
		cur = NULL;
		if (line[0] == '#')
			continue;
		make_shell_refs(c, site, line, via);
		char *colon = strchr(line, ':');
		char *eq = strchr(line, '=');
		if (eq && (!colon || eq < colon || colon[1] == '=')) {
			/* NAME = value, NAME := value, NAME ?= value, NAME += value */
			char *ne = eq;
			while (ne > line && strchr(":+?! \t", ne[-1]))
				ne--;
			char *ns = line;
			while (*ns == ' ' || (strncmp(ns, "export ", 7) == 0 && (ns += 6)))
				ns++;
			char *v = eq + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			if (ne > ns && eq[-1] != '!')
				mvar_set(mv, ns, (size_t)(ne - ns), v);
			continue;
		}
		if (!colon || colon[1] == '=')
			continue;
		rule = xreallocarray(rule, nrule + 1, sizeof *rule);
		cur = &rule[nrule++];
		memset(cur, 0, sizeof *cur);
		*colon = 0;
		char *pre = colon + 1 + (colon[1] == ':');
		char *semi = strchr(pre, ';');
		if (semi) {
			*semi = 0;
			sv_push(&cur->recipe, xstrdup(semi + 1));
		}
		char *ts = NULL;
		for (char *t = strtok_r(line, " \t", &ts); t; t = strtok_r(NULL, " \t", &ts))
			sv_push(&cur->targets, xstrdup(t));
		for (char *t = strtok_r(pre, " \t|", &ts); t; t = strtok_r(NULL, " \t|", &ts))
			sv_push(&cur->prereqs, xstrdup(t));
	}
	/* the goals, then what they need */
	struct strv want = {0};
	for (size_t g = 0; g < goals_in->n; g++)
		sv_push(&want, xstrdup(goals_in->v[g]));
	for (size_t r = 0; r < nrule && want.n == 0; r++)
		for (size_t t = 0; t < rule[r].targets.n && want.n == 0; t++) {
			const char *tn = rule[r].targets.v[t];
			if ((tn[0] != '.' || strchr(tn, '/')) && !strchr(tn, '%'))
				sv_push(&want, xstrdup(tn));
		}
	for (size_t w = 0; w < want.n && w < 4096; w++) {
		for (size_t r = 0; r < nrule; r++) {
			if (rule[r].done)
				continue;
			int hit = 0;
			for (size_t t = 0; t < rule[r].targets.n && !hit; t++)
				hit = strcmp(rule[r].targets.v[t], want.v[w]) == 0;
			if (!hit)
				continue;
			rule[r].done = 1;
			for (size_t q = 0; q < rule[r].recipe.n; q++) {
				const char *cmd = rule[r].recipe.v[q];
				while (*cmd == '@' || *cmd == '-' || *cmd == '+' || *cmd == ' ')
					cmd++;
				struct sbuf b;
				sb_init(&b);
				make_expand(mv, cmd, &b, 0);
				shell_text(c, site, b.s ? b.s : "", "make recipe", via);
				sb_free(&b);
			}
			for (size_t p = 0; p < rule[r].prereqs.n; p++)
				sv_push(&want, xstrdup(rule[r].prereqs.v[p]));
		}
	}
	sv_free(&want);
	for (size_t r = 0; r < nrule; r++) {
		sv_free(&rule[r].targets);
		sv_free(&rule[r].prereqs);
		sv_free(&rule[r].recipe);
	}
	free(rule);
}

/*
 * make [-C DIR] [-f FILE|-]... [--eval TEXT] [NAME=VALUE] [TARGET...]: the
 * makefile (GNUmakefile, makefile, Makefile in DIR, or each FILE; - is
 * standard input) with the --eval text before it.
 */
void make_targets(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                  const struct stdin_src *in, const char *via)
{
	static const struct lopt lo[] = {{"file", 'f', A_REQ},
	                                 {"makefile", 'f', A_REQ},
	                                 {"directory", 'C', A_REQ},
	                                 {"eval", 'E', A_REQ},
	                                 {"include-dir", 'I', A_REQ},
	                                 {"jobs", 'j', A_OPT},
	                                 {"load-average", 'l', A_OPT},
	                                 {"old-file", 'o', A_REQ},
	                                 {"assume-old", 'o', A_REQ},
	                                 {"what-if", 'W', A_REQ},
	                                 {"new-file", 'W', A_REQ},
	                                 {"assume-new", 'W', A_REQ},
	                                 {"debug", 1, A_OPT},
	                                 {"output-sync", 'O', A_OPT},
	                                 {"jobserver-auth", 2, A_REQ},
	                                 {"shuffle", 3, A_OPT},
	                                 {NULL, 0, 0}};
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	const struct ospec sp = {"CEfIoW", "jlO", lo, 1, 0};
	getopts(f, i + 1, &sp, &o);
	struct ucall u = {c, site, f, i, i + 1, in, via, NULL, 0, "make", &o};
	struct strv goals = {0};
	struct mvars mv = {0};
	for (size_t q = 0; q < o.nop; q++) {
		const char *a = f->s[o.op[q]];
		const char *eq = strchr(a, '=');
		if (eq && eq > a)
			mvar_set(&mv, a, (size_t)(eq - a) - (eq[-1] == ':'), eq + 1);
		else
			sv_push(&goals, xstrdup(a));
	}
	mv.nfixed = mv.name.n;
	/* the environment: the makefile's own assignments win */
	for (size_t k = 0; k < site->nassign; k++) {
		const char *eq = strchr(site->assign[k], '=');
		if (eq)
			mvar_set(&mv, site->assign[k], (size_t)(eq - site->assign[k]), eq + 1);
	}
	const char *dir = NULL;
	struct sbuf all;
	sb_init(&all);
	int files = 0, opaque = 0;
	for (size_t q = 0; q < o.nocc; q++) {
		const struct occ *x = &o.occ[q];
		if (x->key == 'C' && x->val)
			dir = x->val; /* (the last one; -C a -C b is a/b, rarely used) */
		if (x->key == 'E' && x->val) {
			if (x->fl & WORD_DYNAMIC)
				opaque = 1;
			sb_adds(&all, x->val);
			sb_addc(&all, '\n');
		}
	}
	for (size_t q = 0; q < o.nocc; q++) {
		const struct occ *x = &o.occ[q];
		if (x->key != 'f' || !x->val)
			continue;
		files = 1;
		char *text = NULL;
		int std = strcmp(x->val, "-") == 0 || strcmp(x->val, "/dev/stdin") == 0;
		char *path = dir && !std && x->val[0] != '/' ? xasprintf("%s/%s", dir, x->val)
		                                             : xstrdup(x->val);
		int r = std || project_files(c) ? u_input(&u, path, x->fl, &text) : 0;
		free(path);
		if (r > 0) {
			sb_adds(&all, text);
			sb_addc(&all, '\n');
		} else if (r < 0) {
			opaque = 1;
		}
		free(text);
	}
	if (!files && project_files(c)) {
		const char *names[] = {"GNUmakefile", "makefile", "Makefile"};
		for (int k = 0; k < 3; k++) {
			char *rel = dir ? xasprintf("%s/%s", dir, names[k]) : xstrdup(names[k]);
			char *p = cwd_path(c, rel);
			char *text = NULL;
			size_t len = 0;
			int r = read_file(p, 1u << 20, &text, &len);
			free(p);
			free(rel);
			if (r >= 0) {
				sb_adds(&all, text);
				free(text);
				break;
			}
		}
	}
	if (opaque)
		emit_opaque(c, site, f, i, via, "reads a makefile guard cannot read");
	if (all.s)
		make_text(c, site, all.s, &goals, &mv, via);
	sb_free(&all);
	sv_free(&goals);
	sv_free(&mv.name);
	sv_free(&mv.value);
	optres_free(&o);
}

/* sg [-] GROUP [[-c] COMMAND]: /bin/sh -c COMMAND (only that one word). */
void run_sg(struct ucall *u)
{
	const struct fields *f = u->f;
	size_t k = u->k;
	if (k < f->n && strcmp(f->s[k], "-") == 0)
		k++;
	if (k < f->n)
		k++; /* the group */
	if (k < f->n && strcmp(f->s[k], "-c") == 0)
		k++;
	if (k >= f->n)
		u_emit(u);
	else
		u_shell(u, f->s[k], f->fl[k], "sg");
}

/* runcon CONTEXT COMMAND, or runcon -t TYPE ... COMMAND */
void run_runcon(struct ucall *u)
{
	size_t k = u->k;
	if (!u->o->seen['u'] && !u->o->seen['r'] && !u->o->seen['t'] && !u->o->seen['l'])
		k++;
	if (k >= u->f->n)
		u_emit(u);
	else
		u_exec(u, k);
}

/* at / batch: a shell script, from -f FILE or standard input, for later. */
void run_at(struct ucall *u)
{
	for (const char *q = "lrdcV"; *q; q++)
		if (u->o->seen[(unsigned char)*q])
			return; /* lists, removes or shows jobs */
	const char *file = u->o->val['f'];
	char *text = NULL;
	int r = u_input(u, file, u->o->vfl['f'], &text);
	if (r > 0)
		shell_text(u->c, u->site, text, u->name, u->via);
	else if (r < 0)
		u_opaque(u, "queues a script guard cannot read");
	free(text);
}

/* crontab FILE | crontab - : installs commands cron runs later. */
void run_crontab(struct ucall *u)
{
	struct optres o;
	memset(&o, 0, sizeof o);
	size_t k = parse_opts(u->f, u->k, "uc", NULL, &o);
	u_emit(u);
	if (o.seen['l'] || o.seen['r'] || o.seen['e'] || o.seen['V'] || o.seen['T'])
		return;
	if (k >= u->f->n && !u->in)
		return;
	u_opaque(u, "installs commands guard does not read");
}

/* dtach -A|-c|-n|-N SOCKET [OPTIONS] COMMAND... */
void run_dtach(struct ucall *u)
{
	const struct fields *f = u->f;
	size_t k = u->k;
	if (k >= f->n || k + 1 >= f->n) {
		u_emit(u);
		return;
	}
	const char *mode = f->s[k];
	if (strcmp(mode, "-p") == 0) {
		/* copies standard input to the session: typed into its shell */
		u_emit(u);
		char *text = NULL;
		int r = u_input(u, NULL, 0, &text);
		if (r > 0)
			shell_text(u->c, u->site, text, "dtach -p", u->via);
		else if (r < 0)
			u_opaque(u, "types text guard cannot see into a session");
		free(text);
		return;
	}
	if (strcmp(mode, "-A") && strcmp(mode, "-c") && strcmp(mode, "-n") && strcmp(mode, "-N")) {
		u_emit(u);
		return;
	}
	struct optres o;
	memset(&o, 0, sizeof o);
	k = parse_opts(f, k + 2, "er", NULL, &o);
	if (k >= f->n)
		u_emit(u);
	else
		u_exec(u, k);
}

/* Keys typed into a terminal (tmux send-keys, screen stuff) as the text a
   shell there would read; 0 when a key edits the line (guard cannot know
   the result). */
static int typed_text(const char *k, int literal, struct sbuf *t)
{
	static const char *const nl_keys[] = {"Enter", "C-m", "C-M", "KPEnter", "C-j", "^M", NULL};
	static const char *const edit_keys[] = {
	    "Up",   "Down", "Left",   "Right",  "BSpace", "BTab",      "DC",
	    "End",  "Home", "IC",     "NPage",  "PPage",  "PageUp",    "PageDown",
	    "PgUp", "PgDn", "Escape", "Delete", "Insert", "BackSpace", NULL};
	if (!literal) {
		if (in_list(nl_keys, k)) {
			sb_addc(t, '\n');
			return 1;
		}
		if (strcmp(k, "Space") == 0) {
			sb_addc(t, ' ');
			return 1;
		}
		if (strcmp(k, "Tab") == 0 || strcmp(k, "C-i") == 0) {
			sb_addc(t, '\t');
			return 1;
		}
		if (in_list(edit_keys, k) || (k[0] && strchr("CMS", k[0]) && k[1] == '-' && k[2]) ||
		    (k[0] == 'F' && k[1] >= '0' && k[1] <= '9') || (k[0] == '^' && k[1] && !k[2]))
			return 0;
	}
	sb_adds(t, k);
	return 1;
}

/*
 * tmux [-c SHELL-COMMAND] [OPTIONS] COMMAND [; COMMAND...]: new-session,
 * new-window, split-window, respawn-pane/-window, run-shell, if-shell,
 * pipe-pane and display-popup run a shell command (one argument) or a
 * program (several); send-keys types into a pane's shell; set-option
 * default-command/default-shell changes what new panes run; source-file
 * runs tmux commands from a file guard does not read.
 */
void run_tmux(struct ucall *u)
{
	static const struct {
		const char *name, *alias, *args;
		int kind; /* 1: shell command; 2: typed keys; 3: if-shell; 4: set; 5: opaque */
	} cmds[] = {
	    {"new-session", "new", "cefFnstxy", 1},
	    {"new-window", "neww", "cetFn", 1},
	    {"split-window", "splitw", "celpFt", 1},
	    {"respawn-pane", "respawnp", "cet", 1},
	    {"respawn-window", "respawnw", "cet", 1},
	    {"run-shell", "run", "dct", 1},
	    {"pipe-pane", "pipep", "t", 1},
	    {"display-popup", "popup", "bcdehsStTwxy", 1},
	    {"send-keys", "send", "cNt", 2},
	    {"if-shell", "if", "t", 3},
	    {"set-option", "set", "t", 4},
	    {"set-window-option", "setw", "t", 4},
	    {"source-file", "source", "t", 5},
	    {NULL, NULL, NULL, 0},
	};
	const struct fields *f = u->f;
	struct optres o;
	memset(&o, 0, sizeof o);
	size_t k = parse_opts(f, u->k, "cfLST", NULL, &o);
	u_emit(u);
	if (o.val['c']) {
		u_shell(u, o.val['c'], o.vfl['c'], "tmux -c");
		return;
	}
	while (k < f->n) {
		/* one command, up to a ";" word (\; on the line) */
		size_t e = k;
		while (e < f->n && strcmp(f->s[e], ";") != 0)
			e++;
		const char *cn = f->s[k];
		int kind = 0;
		const char *args = "", *full = cn;
		for (int q = 0; cmds[q].name; q++)
			if (strcmp(cn, cmds[q].name) == 0 || strcmp(cn, cmds[q].alias) == 0) {
				kind = cmds[q].kind;
				args = cmds[q].args;
				full = cmds[q].name;
			}
		struct fields g = {0};
		sub_fields(f, k + 1, e, &g);
		struct optres co;
		memset(&co, 0, sizeof co);
		size_t a = parse_opts(&g, 0, args, NULL, &co);
		if (kind == 1 && strcmp(full, "run-shell") == 0 && co.seen['C'])
			kind = 0; /* -C: a tmux command */
		if (kind == 1 && a + 1 == g.n) {
			u_shell(u, g.s[a], g.fl[a], "tmux");
		} else if (kind == 1 && a < g.n) {
			struct fields h = {0};
			sub_fields(&g, a, g.n, &h);
			u_exec_fields(u, &h);
			fields_free(&h);
		} else if (kind == 3 && a < g.n && !co.seen['F']) {
			u_shell(u, g.s[a], g.fl[a], "tmux if-shell");
		} else if (kind == 2 && !co.seen['X']) {
			struct sbuf t;
			sb_init(&t);
			int ok = !co.seen['H'];
			for (size_t j = a; ok && j < g.n; j++)
				ok = !(g.fl[j] & WORD_DYNAMIC) &&
				     typed_text(g.s[j], co.seen['l'], &t);
			if (!ok)
				u_opaque(u, "types keys guard cannot follow into a pane");
			else if (t.s)
				shell_text(u->c, u->site, t.s, "tmux send-keys", u->via);
			sb_free(&t);
		} else if (kind == 4 && a + 1 < g.n &&
		           (strcmp(g.s[a], "default-command") == 0 ||
		            strcmp(g.s[a], "default-shell") == 0)) {
			u_shell(u, g.s[a + 1], g.fl[a + 1], "tmux default-command");
		} else if (kind == 5) {
			u_opaque(u, "runs tmux commands from a file guard does not read");
		}
		fields_free(&g);
		k = e + 1;
	}
}

/* screen's text for "stuff": ^M / \n / \r end a line */
static void screen_stuff(const char *s, struct sbuf *t)
{
	for (; *s; s++) {
		if ((s[0] == '^' && (s[1] == 'M' || s[1] == 'J')) ||
		    (s[0] == '\\' && (s[1] == 'n' || s[1] == 'r'))) {
			sb_addc(t, '\n');
			s++;
		} else if (s[0] == '\\' && s[1]) {
			sb_addc(t, *++s);
		} else {
			sb_addc(t, *s);
		}
	}
}

/*
 * screen [OPTIONS] [COMMAND [ARGS]]: runs COMMAND (else -s SHELL or $SHELL)
 * in a new session; -r, -x, -ls, -wipe attach or list (the operand is a
 * session); -X COMMAND sends a screen command to a running session (stuff
 * types text, exec and screen run programs).
 */
void run_screen(struct ucall *u)
{
	const struct fields *f = u->f;
	size_t k = u->k, xargs = 0;
	const char *sh = NULL, *xcmd = NULL;
	unsigned shfl = 0;
	int attach = 0, create = 0;
	u_emit(u);
	while (k < f->n && f->s[k][0] == '-' && f->s[k][1] && !xcmd) {
		const char *a = f->s[k++];
		if (!strcmp(a, "-ls") || !strcmp(a, "-list") || !strcmp(a, "-wipe")) {
			attach = 1;
			continue;
		}
		if (!strcmp(a, "-Logfile")) {
			k++;
			continue;
		}
		if (!strcmp(a, "-fn") || !strcmp(a, "-fa") || !strcmp(a, "-ln"))
			continue;
		for (size_t j = 1; a[j]; j++) {
			char ch = a[j];
			if (ch == 'r' || ch == 'x')
				attach = 1;
			if (ch == 'm' || ch == 'R')
				create = 1;
			if (!strchr("cehpsStTXQ", ch))
				continue;
			/* the value: the rest of the word, else the next word */
			const char *v = a + j + 1;
			unsigned vfl = f->fl[k - 1];
			if (!*v) {
				if (k >= f->n)
					break;
				vfl = f->fl[k];
				v = f->s[k++];
			}
			if (ch == 's') {
				sh = v;
				shfl = vfl;
			}
			if (ch == 'X' || ch == 'Q') {
				xcmd = v;
				xargs = k;
			}
			break;
		}
	}
	if (xcmd) {
		/* -X COMMAND [ARGS]: a screen command for a running session */
		if (strcmp(xcmd, "stuff") == 0 && xargs < f->n) {
			struct sbuf t;
			sb_init(&t);
			unsigned dyn;
			char *all = join_range(f, xargs, f->n, &dyn);
			screen_stuff(all, &t);
			free(all);
			if (dyn)
				u_opaque(u, "types text guard cannot see into a session");
			else if (t.s)
				shell_text(u->c, u->site, t.s, "screen stuff", u->via);
			sb_free(&t);
		} else if (strcmp(xcmd, "exec") == 0 || strcmp(xcmd, "screen") == 0) {
			size_t j = xargs;
			while (j < f->n && f->s[j][0] && strchr(".!|-", f->s[j][0]))
				j++; /* exec's fd pattern, screen's options */
			if (j < f->n)
				u_exec(u, j);
		} else if (strcmp(xcmd, "eval") == 0 || strcmp(xcmd, "source") == 0) {
			u_opaque(u, "sends screen commands guard does not follow");
		}
		return;
	}
	if (attach && !create)
		return;
	if (k < f->n) {
		u_exec(u, k);
	} else if (sh) {
		struct fields g = {0};
		fields_push(&g, xstrdup(sh), shfl);
		u_exec_fields(u, &g);
		fields_free(&g);
	}
}

/*
 * GNU parallel [OPTIONS] [COMMAND] ::: ARGS (or :::: FILES, or lines on
 * standard input); moreutils' parallel [OPTIONS] COMMAND -- ARGS.  The
 * command is run by a shell with each argument (replacing {} and its
 * variants, else appended); without a command each argument is a command.
 */
void run_parallel(struct ucall *u)
{
	static const struct lopt lo[] = {{"arg-file", 'a', A_REQ},
	                                 {"arg-sep", 1, A_REQ},
	                                 {"arg-file-sep", 2, A_REQ},
	                                 {"basefile", 3, A_REQ},
	                                 {"bf", 3, A_REQ},
	                                 {"colsep", 'C', A_REQ},
	                                 {"delimiter", 'd', A_REQ},
	                                 {"env", 4, A_REQ},
	                                 {"eof", 'E', A_OPT},
	                                 {"halt", 5, A_REQ},
	                                 {"halt-on-error", 5, A_REQ},
	                                 {"jobs", 'j', A_REQ},
	                                 {"joblog", 6, A_REQ},
	                                 {"load", 7, A_REQ},
	                                 {"memfree", 8, A_REQ},
	                                 {"nice", 9, A_REQ},
	                                 {"max-args", 'n', A_REQ},
	                                 {"max-replace-args", 'N', A_REQ},
	                                 {"max-chars", 's', A_REQ},
	                                 {"max-lines", 'L', A_REQ},
	                                 {"block", 10, A_REQ},
	                                 {"block-size", 10, A_REQ},
	                                 {"recstart", 11, A_REQ},
	                                 {"recend", 12, A_REQ},
	                                 {"results", 13, A_REQ},
	                                 {"res", 13, A_REQ},
	                                 {"retries", 14, A_REQ},
	                                 {"return", 15, A_REQ},
	                                 {"sshlogin", 'S', A_REQ},
	                                 {"sshloginfile", 16, A_REQ},
	                                 {"slf", 16, A_REQ},
	                                 {"tagstring", 17, A_REQ},
	                                 {"tmpdir", 18, A_REQ},
	                                 {"timeout", 19, A_REQ},
	                                 {"transferfile", 20, A_REQ},
	                                 {"tf", 20, A_REQ},
	                                 {"workdir", 'W', A_REQ},
	                                 {"wd", 'W', A_REQ},
	                                 {"ssh", 21, A_REQ},
	                                 {"sqlmaster", 22, A_REQ},
	                                 {"sqlworker", 23, A_REQ},
	                                 {"sqlandworker", 24, A_REQ},
	                                 {"termseq", 25, A_REQ},
	                                 {"delay", 26, A_REQ},
	                                 {"profile", 'J', A_REQ},
	                                 {"replace", 'i', A_OPT},
	                                 {"extensionreplace", 27, A_REQ},
	                                 {"er", 27, A_REQ},
	                                 {"basenamereplace", 28, A_REQ},
	                                 {"bnr", 28, A_REQ},
	                                 {"dirnamereplace", 29, A_REQ},
	                                 {"dnr", 29, A_REQ},
	                                 {"basenameextensionreplace", 30, A_REQ},
	                                 {"bner", 30, A_REQ},
	                                 {"seqreplace", 31, A_REQ},
	                                 {"slotreplace", 32, A_REQ},
	                                 {"header", 33, A_REQ},
	                                 {"limit", 34, A_REQ},
	                                 {"compress-program", 35, A_REQ},
	                                 {"decompress-program", 36, A_REQ},
	                                 {"sshdelay", 37, A_REQ},
	                                 {"semaphorename", 38, A_REQ},
	                                 {"id", 38, A_REQ},
	                                 {"max-procs", 'P', A_REQ},
	                                 {"shebang-wrap", 39, A_NONE},
	                                 {"filter", 40, A_REQ},
	                                 {"group-by", 41, A_REQ},
	                                 {"tee", 42, A_NONE},
	                                 {"shellquote", 43, A_NONE},
	                                 {"null", '0', A_NONE},
	                                 {NULL, 0, 0}};
	static const struct xopt xo[] = {
	    {21, X_CMD}, {34, X_CMD}, {35, X_CMD}, {36, X_CMD}, {0, 0}};
	const struct fields *f = u->f;
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	const struct ospec sp = {"aCdEIjJnNsLSPW", "eil", lo, 0, 0};
	size_t k = getopts(f, u->k, &sp, &o);
	u_emit(u);
	for (size_t q = 0; q < o.nocc; q++)
		for (const struct xopt *x = xo; x->key; x++)
			if (x->key == o.occ[q].key && o.occ[q].val)
				u_shell(u, o.occ[q].val, o.occ[q].fl, "parallel");
	/* the command: up to ::: / :::: (GNU) or -- (moreutils) */
	size_t e = k;
	int moreutils = 0;
	while (e < f->n && strncmp(f->s[e], ":::", 3) != 0 && strcmp(f->s[e], "--") != 0)
		e++;
	if (e < f->n && strcmp(f->s[e], "--") == 0)
		moreutils = 1;
	/* the arguments, when they are all on the line */
	struct fields args = {0};
	int args_known = e < f->n;
	for (size_t j = e; j < f->n; j++) {
		if (!moreutils && strncmp(f->s[j], ":::", 3) == 0) {
			if (strncmp(f->s[j], "::::", 4) == 0)
				args_known = 0; /* arguments from files */
			continue;
		}
		if (moreutils && j == e)
			continue;
		if (f->fl[j] & WORD_DYNAMIC)
			args_known = 0;
		else
			fields_push(&args, xstrdup(f->s[j]), 0);
	}
	if (o.val['a'] || args.n > 64)
		args_known = 0;
	unsigned dyn;
	char *tmpl = join_range(f, k, e, &dyn);
	if (dyn) {
		u_opaque(u, "runs a command known only at run time");
	} else if (k == e) {
		/* no command: each argument is a command line */
		if (args_known) {
			for (size_t j = 0; j < args.n; j++)
				shell_text(u->c, u->site, args.s[j], "parallel", u->via);
		} else {
			char *text = NULL;
			int r = e < f->n ? -1 : u_input(u, NULL, 0, &text);
			if (r > 0)
				shell_text(u->c, u->site, text, "parallel", u->via);
			else if (r < 0)
				u_opaque(u, "runs commands guard cannot see");
			free(text);
		}
	} else {
		int has_rep = strchr(tmpl, '{') != NULL;
		if (args_known && args.n) {
			for (size_t j = 0; j < args.n; j++) {
				struct sbuf t;
				sb_init(&t);
				for (const char *p = tmpl; *p;) {
					const char *cl = *p == '{' ? strchr(p, '}') : NULL;
					if (cl && cl - p < 16) {
						sb_adds(&t, args.s[j]);
						p = cl + 1;
					} else {
						sb_addc(&t, *p++);
					}
				}
				if (!has_rep)
					sb_addf(&t, " %s", args.s[j]);
				shell_text(u->c, u->site, t.s ? t.s : "", "parallel", u->via);
				sb_free(&t);
			}
		} else {
			/* arguments known only at run time: each {...} stands for one */
			struct sbuf t;
			sb_init(&t);
			for (const char *p = tmpl; *p;) {
				const char *cl = *p == '{' ? strchr(p, '}') : NULL;
				if (cl && cl - p < 16) {
					sb_adds(&t, "$__parallel_arg");
					p = cl + 1;
				} else {
					sb_addc(&t, *p++);
				}
			}
			shell_text(u->c, u->site, t.s ? t.s : "", "parallel", u->via);
			sb_free(&t);
		}
	}
	free(tmpl);
	fields_free(&args);
	optres_free(&o);
}

/* A gdb command (-ex): shell, ! and pipe run shell commands; file and
   exec-file name the program; python, guile, source and calls of the
   inferior's functions (call system(...)) run code guard cannot see. */
static void gdb_command(struct ucall *u, const char *cmd, unsigned fl)
{
	static const char *const code[] = {
	    "python", "python-interactive", "guile", "source", "compile", "eval", "define", NULL};
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	size_t n = strcspn(cmd, " \t");
	const char *arg = cmd + n + strspn(cmd + n, " \t");
	int is_code = 0;
	for (int q = 0; code[q]; q++)
		if (n >= 2 && strncmp(code[q], cmd, n) == 0)
			is_code = 1;
	if (fl & WORD_DYNAMIC) {
		u_opaque(u, "runs a gdb command known only at run time");
	} else if (cmd[0] == '!') {
		shell_text(u->c, u->site, cmd + 1, "gdb shell", u->via);
	} else if (n == 5 && strncmp(cmd, "shell", 5) == 0) {
		shell_text(u->c, u->site, arg, "gdb shell", u->via);
	} else if (cmd[0] == '|' || (n == 4 && strncmp(cmd, "pipe", 4) == 0)) {
		const char *bar = strchr(cmd + 1, '|');
		if (bar)
			shell_text(u->c, u->site, bar + 1, "gdb pipe", u->via);
	} else if (((n == 4 && !strncmp(cmd, "file", 4)) ||
	            (n == 9 && !strncmp(cmd, "exec-file", 9))) &&
	           *arg) {
		struct fields g = {0};
		fields_push(&g, xstrndup(arg, strcspn(arg, " \t")), 0);
		u_exec_fields(u, &g);
		fields_free(&g);
	} else if (is_code || (n == 2 && (!strncmp(cmd, "py", 2) || !strncmp(cmd, "pi", 2))) ||
	           strstr(cmd, "system") || strstr(cmd, "exec")) {
		u_opaque(u, "runs gdb code guard cannot see");
	}
}

/*
 * gdb [OPTIONS] [PROGRAM [CORE|PID]] | gdb [OPTIONS] --args PROGRAM ARGS:
 * PROGRAM may be run (-ex run, or at the prompt), so it counts as run; -ex
 * commands are read (shell, !, pipe); -x command files are opaque.
 */
void run_gdb(struct ucall *u)
{
	static const struct lopt lo[] = {{"ex", 1, A_REQ},
	                                 {"eval-command", 1, A_REQ},
	                                 {"iex", 1, A_REQ},
	                                 {"init-eval-command", 1, A_REQ},
	                                 {"x", 2, A_REQ},
	                                 {"command", 2, A_REQ},
	                                 {"ix", 2, A_REQ},
	                                 {"init-command", 2, A_REQ},
	                                 {"p", 3, A_REQ},
	                                 {"pid", 3, A_REQ},
	                                 {"c", 4, A_REQ},
	                                 {"core", 4, A_REQ},
	                                 {"cd", 5, A_REQ},
	                                 {"d", 5, A_REQ},
	                                 {"directory", 5, A_REQ},
	                                 {"s", 6, A_REQ},
	                                 {"symbols", 6, A_REQ},
	                                 {"e", 7, A_REQ},
	                                 {"exec", 7, A_REQ},
	                                 {"se", 7, A_REQ},
	                                 {"b", 8, A_REQ},
	                                 {"baud", 8, A_REQ},
	                                 {"l", 9, A_REQ},
	                                 {"D", 10, A_REQ},
	                                 {"data-directory", 10, A_REQ},
	                                 {"tty", 11, A_REQ},
	                                 {"t", 11, A_REQ},
	                                 {"i", 12, A_REQ},
	                                 {"interpreter", 12, A_REQ},
	                                 {"annotate", 13, A_REQ},
	                                 {"args", 14, A_NONE},
	                                 {"batch", 15, A_NONE},
	                                 {"q", 15, A_NONE},
	                                 {"quiet", 15, A_NONE},
	                                 {"silent", 15, A_NONE},
	                                 {"nx", 15, A_NONE},
	                                 {"n", 15, A_NONE},
	                                 {"nh", 15, A_NONE},
	                                 {"readnow", 15, A_NONE},
	                                 {"readnever", 15, A_NONE},
	                                 {"write", 15, A_NONE},
	                                 {"tui", 15, A_NONE},
	                                 {"return-child-result", 15, A_NONE},
	                                 {"version", 16, A_NONE},
	                                 {"help", 16, A_NONE},
	                                 {"configuration", 16, A_NONE},
	                                 {NULL, 0, 0}};
	const struct fields *f = u->f;
	u_emit(u);
	size_t prog = 0, k = u->k;
	int args = 0;
	while (k < f->n) {
		const char *a = f->s[k];
		if (strcmp(a, "--") == 0) {
			k++;
			break;
		}
		if (a[0] != '-' || !a[1]) {
			if (!prog)
				prog = k + 1;
			k++;
			if (args)
				break;
			continue;
		}
		const char *name = a + 1 + (a[1] == '-');
		const char *eq = strchr(name, '=');
		size_t nl = eq ? (size_t)(eq - name) : strlen(name);
		const struct lopt *l = lopt_find(lo, name, nl);
		k++;
		if (!l)
			continue;
		const char *v = eq ? eq + 1 : NULL;
		unsigned vfl = f->fl[k - 1];
		if (!v && l->arg == A_REQ && k < f->n) {
			v = f->s[k];
			vfl = f->fl[k];
			k++;
		}
		if (l->key == 1 && v)
			gdb_command(u, v, vfl);
		else if (l->key == 2 && v)
			u_opaque(u, "runs a gdb command file guard does not read");
		else if (l->key == 7 && v) {
			/* -e / --exec FILE: the program */
			struct fields g = {0};
			fields_push(&g, xstrdup(v), vfl);
			u_exec_fields(u, &g);
			fields_free(&g);
		} else if (l->key == 14)
			args = 1;
	}
	if (!prog && k < f->n)
		prog = k + 1;
	if (!prog)
		return;
	size_t p = prog - 1;
	if (args) {
		u_exec(u, p);
	} else {
		struct fields g = {0};
		fields_push(&g, xstrdup(f->s[p]), f->fl[p]);
		u_exec_fields(u, &g);
		fields_free(&g);
	}
}

/* Finds the end of a vim/ed pattern delimited by d (backslash escapes). */
static const char *skip_pattern(const char *p, char d)
{
	while (*p && *p != d) {
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
	return *p ? p + 1 : p;
}

/* An Ex command (vim -c, +cmd, --cmd, ex on stdin): :!cmd, :r !cmd,
   :w !cmd, :{range}!filter and :terminal run shell commands; :g/re/cmd
   applies cmd; scripting (:py, :lua, :source, :normal, :execute,
   system()) runs code guard cannot see. */
static void vim_excmd(struct ucall *u, const char *cmd, int depth)
{
	static const char *const opaque[] = {
	    "py",       "python", "py3",     "python3", "pyx",     "pythonx",  "pydo",
	    "py3do",    "pyf",    "pyfile",  "py3f",    "py3file", "lua",      "luado",
	    "luafile",  "perl",   "perldo",  "ruby",    "rubydo",  "rubyfile", "mz",
	    "mzscheme", "tcl",    "tcldo",   "tclfile", "so",      "source",   "ru",
	    "runtime",  "exe",    "execute", "norm",    "normal",  "call",     "cal",
	    "let",      "echo",   "ec",      "if",      "while",   "for",      "eval",
	    "autocmd",  "au",     "cs",      "cscope",  "mak",     "make",     NULL};
	if (depth > 8)
		return;
	const char *p = cmd;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ':' || *p == '|')
			p++;
		/* a range: lines, marks, patterns */
		while (*p && (strchr("0123456789.,;$%+- \t", *p) || *p == '\'' || *p == '/' ||
		              *p == '?' || *p == '\\')) {
			if (*p == '\'' && p[1])
				p += 2;
			else if (*p == '/' || *p == '?')
				p = skip_pattern(p + 1, *p);
			else
				p++;
		}
		if (*p == '!') {
			shell_text(u->c, u->site, p + 1, "vim :!", u->via);
			return; /* ! takes the rest, | included */
		}
		const char *s = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9'))
			p++;
		char *name = xstrndup(s, (size_t)(p - s));
		size_t nl = strlen(name);
		int bang = *p == '!';
		if (bang)
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		int is_read = nl >= 1 && strncmp("read", name, nl) == 0;
		int is_write = nl >= 1 && strncmp("write", name, nl) == 0;
		int is_wq = strcmp(name, "wq") == 0 || strcmp(name, "x") == 0;
		if ((is_read && (bang || *p == '!')) || ((is_write || is_wq) && *p == '!')) {
			free(name);
			shell_text(u->c, u->site, *p == '!' ? p + 1 : p, "vim :r !", u->via);
			return;
		}
		if (nl >= 3 && strncmp("silent", name, nl) == 0) {
			free(name);
			continue; /* :silent[!] {command} */
		}
		if ((nl >= 3 && strncmp("terminal", name, nl) == 0)) {
			free(name);
			while (*p == '+' && p[1] == '+')
				p += strcspn(p, " \t"), p += strspn(p, " \t");
			if (*p)
				shell_text(u->c, u->site, p, "vim :terminal", u->via);
			return;
		}
		if (nl >= 1 &&
		    (strncmp("global", name, nl) == 0 || strncmp("vglobal", name, nl) == 0) && *p &&
		    !(*p >= 'a' && *p <= 'z')) {
			free(name);
			vim_excmd(u, skip_pattern(p + 1, *p), depth + 1);
			return;
		}
		int opq = in_list(opaque, name) || strstr(p, "system(") ||
		          strstr(p, "systemlist(") || strstr(p, "job_start(") ||
		          strstr(p, "jobstart(") || strstr(p, "term_start(") ||
		          strstr(p, "termopen(");
		free(name);
		if (opq) {
			u_opaque(u, "runs editor code guard cannot see");
			return;
		}
		/* the next command after an unquoted | */
		int q = 0;
		while (*p && (q || *p != '|')) {
			if (*p == '"' || *p == '\'')
				q = q == *p ? 0 : q ? q : *p;
			else if (*p == '\\' && p[1])
				p++;
			p++;
		}
	}
}

/*
 * vim, vi, ex, view, nvim ...: -c CMD, +CMD and --cmd CMD are Ex commands;
 * -S FILE, -s SCRIPTIN, -u VIMRC, --remote-send/-expr run code guard does
 * not read; in Ex mode (ex, -e, -E) commands are read from standard input.
 */
void run_vim(struct ucall *u)
{
	const struct fields *f = u->f;
	u_emit(u);
	int exmode = strcmp(u->name, "ex") == 0;
	int files = 0;
	for (size_t k = u->k; k < f->n; k++) {
		const char *a = f->s[k];
		unsigned fl = f->fl[k];
		if (files || a[0] == '+') {
			if (!files && a[1] && strspn(a + 1, "0123456789") != strlen(a + 1)) {
				if (fl & WORD_DYNAMIC)
					u_opaque(u,
					         "runs an editor command known only at run time");
				else if (a[1] != '/' && a[1] != '?')
					vim_excmd(u, a + 1, 0);
			}
			continue;
		}
		if (strcmp(a, "--") == 0) {
			files = 1;
			continue;
		}
		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			const char *v = k + 1 < f->n ? f->s[k + 1] : NULL;
			unsigned vfl = k + 1 < f->n ? f->fl[k + 1] : 0;
			if (strcmp(a, "--cmd") == 0 && v) {
				if (vfl & WORD_DYNAMIC)
					u_opaque(u,
					         "runs an editor command known only at run time");
				else
					vim_excmd(u, v, 0);
				k++;
			} else if (!strncmp(a, "--remote-send", 13) ||
			           !strncmp(a, "--remote-expr", 13)) {
				u_opaque(u, "sends keys or code to an editor guard cannot see");
				k++;
			} else if (!strcmp(a, "--servername") || !strcmp(a, "--startuptime") ||
			           !strcmp(a, "--listen") || !strcmp(a, "--server") ||
			           !strncmp(a, "--remote", 8) || !strcmp(a, "--socketid")) {
				k++;
			}
			continue;
		}
		for (size_t j = 1; a[j]; j++) {
			char ch = a[j];
			if (ch == 'e' || ch == 'E')
				exmode = 1;
			if (ch == 's' && exmode)
				continue; /* -es: silent Ex mode */
			if (!strchr("cSsuUiTwWtqlrV", ch))
				continue;
			if (ch == 'V' || ch == 'r' || (ch == 'q' && !a[j + 1]))
				break; /* optional, attached values */
			const char *v = a[j + 1] ? a + j + 1 : k + 1 < f->n ? f->s[k + 1] : NULL;
			unsigned vfl = a[j + 1] ? fl : k + 1 < f->n ? f->fl[k + 1] : 0;
			if (!a[j + 1] && !(ch == 'S' && v && v[0] == '-'))
				k++;
			if (ch == 'c' && v) {
				if (vfl & WORD_DYNAMIC)
					u_opaque(u,
					         "runs an editor command known only at run time");
				else
					vim_excmd(u, v, 0);
			} else if (ch == 'S' || ch == 's' || ch == 'l' ||
			           (ch == 'u' && v && strcmp(v, "NONE") && strcmp(v, "NORC") &&
			            strcmp(v, "DEFAULTS"))) {
				u_opaque(u, "runs an editor script guard does not read");
			}
			break;
		}
	}
	if (!exmode)
		return;
	char *text = NULL;
	int r = u_input(u, NULL, 0, &text);
	if (r > 0) {
		char *save = NULL;
		for (char *line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			vim_excmd(u, line, 0);
	} else if (r < 0) {
		u_opaque(u, "reads editor commands guard cannot see");
	}
	free(text);
}

/* An ed command line: [ADDR]!cmd, [ADDR]r|w|e|E|W !cmd, g/re/COMMANDS. */
static void ed_line(struct ucall *u, const char *p, int depth)
{
	if (depth > 8)
		return;
	while (*p && (strchr("0123456789.,;$+-^ \t", *p) || *p == '\'' || *p == '/' || *p == '?')) {
		if (*p == '\'' && p[1])
			p += 2;
		else if (*p == '/' || *p == '?')
			p = skip_pattern(p + 1, *p);
		else
			p++;
	}
	char cmd = *p;
	if (cmd == '!') {
		shell_text(u->c, u->site, p + 1, "ed !", u->via);
	} else if (cmd && strchr("gvGV", cmd) && p[1]) {
		ed_line(u, skip_pattern(p + 2, p[1]), depth + 1);
	} else if (cmd && strchr("rweEW", cmd)) {
		p++;
		if (cmd == 'w' && *p == 'q')
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '!')
			shell_text(u->c, u->site, p + 1, "ed !", u->via);
	}
}

/* ed [OPTIONS] [FILE]: commands on standard input; a FILE of !cmd is the
   output of cmd. */
void run_ed(struct ucall *u)
{
	const struct fields *f = u->f;
	struct optres o;
	memset(&o, 0, sizeof o);
	size_t k = parse_opts(f, u->k, "p", NULL, &o);
	u_emit(u);
	if (k < f->n && f->s[k][0] == '!')
		u_shell(u, f->s[k] + 1, f->fl[k], "ed !");
	char *text = NULL;
	int r = u_input(u, NULL, 0, &text);
	if (r > 0) {
		char *save = NULL;
		for (char *line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			ed_line(u, line, 0);
	} else if (r < 0) {
		u_opaque(u, "reads editor commands guard cannot see");
	}
	free(text);
}

/* sqlite3 input: .system / .shell run a shell command; .output, .once,
   .read and .import of "|cmd" run cmd; .load and load_extension() load
   code guard cannot see. */
static void sqlite_text(struct ucall *u, const char *text)
{
	char *dup = xstrdup(text), *save = NULL;
	for (char *line = strtok_r(dup, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (strcasestr(line, "load_extension"))
			u_opaque(u, "loads code guard cannot see");
		if (*line != '.')
			continue;
		/* the dot command's words, as sqlite3 splits them */
		struct fields w = {0};
		for (const char *p = line + 1; *p;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				break;
			struct sbuf b;
			sb_init(&b);
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && p[1])
						p++;
					sb_addc(&b, *p++);
				}
				if (*p)
					p++;
			} else {
				while (*p && *p != ' ' && *p != '\t')
					sb_addc(&b, *p++);
			}
			fields_push(&w, sb_take(&b), 0);
		}
		if (w.n == 0) {
			fields_free(&w);
			continue;
		}
		const char *nm = w.s[0];
		size_t nl = strlen(nm);
		if (nl >= 2 && (!strncmp("system", nm, nl) || !strncmp("shell", nm, nl))) {
			unsigned dyn;
			char *t = join_range(&w, 1, w.n, &dyn);
			shell_text(u->c, u->site, t, "sqlite3 .system", u->via);
			free(t);
		} else if (nl >= 2 && (!strncmp("load", nm, nl) && nl >= 3)) {
			u_opaque(u, "loads code guard cannot see");
		} else if (nl >= 2 && (!strncmp("output", nm, nl) || !strncmp("once", nm, nl) ||
		                       !strncmp("read", nm, nl) || !strncmp("import", nm, nl) ||
		                       !strncmp("excel", nm, nl))) {
			for (size_t j = 1; j < w.n; j++)
				if (w.s[j][0] == '|')
					shell_text(u->c, u->site, w.s[j] + 1, "sqlite3 |", u->via);
		}
		fields_free(&w);
	}
	free(dup);
}

/* sqlite3 [OPTIONS] [DB [SQL...]]: -cmd, the SQL arguments, else standard
   input (and -init FILE) hold SQL and dot commands. */
void run_sqlite(struct ucall *u)
{
	static const char *const one[] = {"cmd",       "init",   "separator", "newline",
	                                  "nullvalue", "vfs",    "mmap",      "maxsize",
	                                  "nonce",     "escape", "sorterref", NULL};
	static const char *const two[] = {"lookaside", "pagecache", "heap", NULL};
	const struct fields *f = u->f;
	u_emit(u);
	int db = 0, sql = 0;
	for (size_t k = u->k; k < f->n; k++) {
		const char *a = f->s[k];
		if (a[0] == '-' && !(f->fl[k] & WORD_DYNAMIC) && a[1]) {
			const char *nm = a + 1 + (a[1] == '-');
			if (nm[0] == 'A')
				break; /* -A: archive arguments */
			if (in_list(two, nm)) {
				k += 2;
			} else if (in_list(one, nm) && k + 1 < f->n) {
				k++;
				if (strcmp(nm, "cmd") == 0) {
					if (f->fl[k] & WORD_DYNAMIC)
						u_opaque(u, "runs SQL known only at run time");
					else
						sqlite_text(u, f->s[k]);
				} else if (strcmp(nm, "init") == 0) {
					char *text = NULL;
					int r = u_input(u, f->s[k], f->fl[k], &text);
					if (r > 0)
						sqlite_text(u, text);
					else if (r < 0)
						u_opaque(u, "reads SQL guard cannot see");
					free(text);
				}
			}
			continue;
		}
		if (!db) {
			db = 1;
			continue;
		}
		sql = 1;
		if (f->fl[k] & WORD_DYNAMIC)
			u_opaque(u, "runs SQL known only at run time");
		else
			sqlite_text(u, a);
	}
	if (sql)
		return;
	char *text = NULL;
	int r = u_input(u, NULL, 0, &text);
	if (r > 0)
		sqlite_text(u, text);
	else if (r < 0)
		u_opaque(u, "reads SQL guard cannot see");
	free(text);
}

/*
 * tar: --to-command, --use-compress-program (-I), --info-script /
 * --new-volume-script (-F), --rsh-command and --checkpoint-action=exec=CMD
 * run commands.  The first word may be old-style options ("cIf PROG FILE").
 */
void run_tar(struct ucall *u)
{
	static const struct lopt lo[] = {{"to-command", 1, A_REQ},
	                                 {"use-compress-program", 'I', A_REQ},
	                                 {"info-script", 'F', A_REQ},
	                                 {"new-volume-script", 'F', A_REQ},
	                                 {"rsh-command", 2, A_REQ},
	                                 {"checkpoint-action", 3, A_REQ},
	                                 {"checkpoint", 4, A_OPT},
	                                 {"file", 'f', A_REQ},
	                                 {"directory", 'C', A_REQ},
	                                 {"exclude", 5, A_REQ},
	                                 {"exclude-from", 'X', A_REQ},
	                                 {"files-from", 'T', A_REQ},
	                                 {"transform", 6, A_REQ},
	                                 {"xform", 6, A_REQ},
	                                 {"format", 'H', A_REQ},
	                                 {"owner", 7, A_REQ},
	                                 {"group", 8, A_REQ},
	                                 {"mode", 9, A_REQ},
	                                 {"mtime", 10, A_REQ},
	                                 {"newer", 'N', A_REQ},
	                                 {"after-date", 'N', A_REQ},
	                                 {"newer-mtime", 11, A_REQ},
	                                 {"label", 'V', A_REQ},
	                                 {"tape-length", 'L', A_REQ},
	                                 {"blocking-factor", 'b', A_REQ},
	                                 {"record-size", 12, A_REQ},
	                                 {"listed-incremental", 'g', A_REQ},
	                                 {"starting-file", 'K', A_REQ},
	                                 {"suffix", 13, A_REQ},
	                                 {"index-file", 14, A_REQ},
	                                 {"volno-file", 15, A_REQ},
	                                 {"strip-components", 16, A_REQ},
	                                 {"warning", 17, A_REQ},
	                                 {"pax-option", 18, A_REQ},
	                                 {"rmt-command", 19, A_REQ},
	                                 {"quoting-style", 20, A_REQ},
	                                 {"exclude-tag", 21, A_REQ},
	                                 {"exclude-tag-all", 22, A_REQ},
	                                 {"exclude-tag-under", 23, A_REQ},
	                                 {"owner-map", 24, A_REQ},
	                                 {"group-map", 25, A_REQ},
	                                 {"sparse-version", 26, A_REQ},
	                                 {"level", 27, A_REQ},
	                                 {"hole-detection", 28, A_REQ},
	                                 {NULL, 0, 0}};
	static const char args[] = "bCfFgHIKLNTVX";
	const struct fields *f = u->f;
	u_emit(u);
	struct fields g = {0};
	size_t k = u->k;
	if (k < f->n && f->s[k][0] != '-' && !(f->fl[k] & WORD_DYNAMIC)) {
		/* old style: each letter an option, their values the next words */
		const char *a = f->s[k++];
		for (; *a; a++) {
			char opt[3] = {'-', *a, 0};
			fields_push(&g, xstrdup(opt), 0);
			if (strchr(args, *a) && k < f->n) {
				fields_push(&g, xstrdup(f->s[k]), f->fl[k]);
				k++;
			}
		}
	}
	sub_fields(f, k, f->n, &g);
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	const struct ospec sp = {args, NULL, lo, 1, 0};
	getopts(&g, 0, &sp, &o);
	for (size_t q = 0; q < o.nocc; q++) {
		const struct occ *x = &o.occ[q];
		if (!x->val)
			continue;
		if (x->key == 1 || x->key == 'I' || x->key == 'F' || x->key == 2)
			u_shell(u, x->val, x->fl, "tar");
		else if (x->key == 3 && strncmp(x->val, "exec=", 5) == 0)
			u_shell(u, x->val + 5, x->fl, "tar --checkpoint-action");
	}
	optres_free(&o);
	fields_free(&g);
}

/* rsync: -e/--rsh runs the remote shell command, --rsync-path the remote
   rsync (a shell command there). */
void run_rsync(struct ucall *u)
{
	static const struct lopt lo[] = {{"rsh", 'e', A_REQ},
	                                 {"rsync-path", 1, A_REQ},
	                                 {"filter", 'f', A_REQ},
	                                 {"exclude", 2, A_REQ},
	                                 {"exclude-from", 3, A_REQ},
	                                 {"include", 4, A_REQ},
	                                 {"include-from", 5, A_REQ},
	                                 {"files-from", 6, A_REQ},
	                                 {"block-size", 'B', A_REQ},
	                                 {"temp-dir", 'T', A_REQ},
	                                 {"compare-dest", 7, A_REQ},
	                                 {"copy-dest", 8, A_REQ},
	                                 {"link-dest", 9, A_REQ},
	                                 {"partial-dir", 10, A_REQ},
	                                 {"backup-dir", 11, A_REQ},
	                                 {"suffix", 12, A_REQ},
	                                 {"chmod", 13, A_REQ},
	                                 {"chown", 14, A_REQ},
	                                 {"usermap", 15, A_REQ},
	                                 {"groupmap", 16, A_REQ},
	                                 {"timeout", 17, A_REQ},
	                                 {"contimeout", 18, A_REQ},
	                                 {"port", 19, A_REQ},
	                                 {"sockopts", 20, A_REQ},
	                                 {"bwlimit", 21, A_REQ},
	                                 {"log-file", 22, A_REQ},
	                                 {"log-file-format", 23, A_REQ},
	                                 {"out-format", 24, A_REQ},
	                                 {"password-file", 25, A_REQ},
	                                 {"compress-level", 26, A_REQ},
	                                 {"compress-choice", 27, A_REQ},
	                                 {"zc", 27, A_REQ},
	                                 {"checksum-choice", 28, A_REQ},
	                                 {"cc", 28, A_REQ},
	                                 {"max-size", 29, A_REQ},
	                                 {"min-size", 30, A_REQ},
	                                 {"max-delete", 31, A_REQ},
	                                 {"modify-window", 32, A_REQ},
	                                 {"write-batch", 33, A_REQ},
	                                 {"read-batch", 34, A_REQ},
	                                 {"only-write-batch", 35, A_REQ},
	                                 {"protocol", 36, A_REQ},
	                                 {"iconv", 37, A_REQ},
	                                 {"remote-option", 'M', A_REQ},
	                                 {"address", 38, A_REQ},
	                                 {"max-alloc", 39, A_REQ},
	                                 {"stop-after", 40, A_REQ},
	                                 {"stop-at", 41, A_REQ},
	                                 {"info", 42, A_REQ},
	                                 {"debug", 43, A_REQ},
	                                 {"outbuf", 44, A_REQ},
	                                 {"skip-compress", 45, A_REQ},
	                                 {"config", 46, A_REQ},
	                                 {"dparam", 47, A_REQ},
	                                 {NULL, 0, 0}};
	const struct fields *f = u->f;
	u_emit(u);
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	const struct ospec sp = {"eBfMT", NULL, lo, 1, 0};
	getopts(f, u->k, &sp, &o);
	for (size_t q = 0; q < o.nocc; q++) {
		const struct occ *x = &o.occ[q];
		if (x->val && x->key == 'e')
			u_shell(u, x->val, x->fl, "rsync -e");
		else if (x->val && x->key == 1)
			u_shell(u, x->val, x->fl, "rsync --rsync-path");
		else if (x->val && x->key == 'M' && strstr(x->val, "rsync-path"))
			u_opaque(u, "passes a command to the remote rsync");
	}
	optres_free(&o);
}

/* zip -TT CMD / --unzip-command CMD: the test command, run by a shell. */
void run_zip(struct ucall *u)
{
	const struct fields *f = u->f;
	u_emit(u);
	for (size_t k = u->k; k < f->n; k++) {
		const char *a = f->s[k];
		size_t n = strlen(a);
		if (strcmp(a, "--") == 0)
			break;
		if (!strncmp(a, "--unzip-command=", 16) || !strncmp(a, "-TT=", 4)) {
			u_shell(u, strchr(a, '=') + 1, f->fl[k], "zip -TT");
		} else if ((!strcmp(a, "--unzip-command") ||
		            (a[0] == '-' && a[1] != '-' && n >= 3 && !strcmp(a + n - 2, "TT"))) &&
		           k + 1 < f->n) {
			k++;
			u_shell(u, f->s[k], f->fl[k], "zip -TT");
		} else if (a[0] == '-' && a[1] == 'T' && a[2] == 'T' && a[3]) {
			u_shell(u, a + 3, f->fl[k], "zip -TT");
		}
	}
}

/* socat ADDRESS ADDRESS: EXEC:cmd, SYSTEM:cmd (and SHELL:) run cmd. */
void run_socat(struct ucall *u)
{
	const struct fields *f = u->f;
	u_emit(u);
	for (size_t k = u->k; k < f->n; k++) {
		const char *a = f->s[k];
		for (const char *p = a; p && *p;) {
			const char *colon = strchr(p, ':');
			size_t tl = colon ? (size_t)(colon - p) : 0;
			int runs = colon && ((tl == 4 && !strncasecmp(p, "exec", 4)) ||
			                     (tl == 6 && !strncasecmp(p, "system", 6)) ||
			                     (tl == 5 && !strncasecmp(p, "shell", 5)));
			const char *next = strstr(p, "!!");
			if (runs) {
				/* the command: up to an unquoted ',' (options) or "!!" */
				struct sbuf b;
				sb_init(&b);
				char q = 0;
				const char *s = colon + 1;
				for (; *s && (q || (*s != ',' && strncmp(s, "!!", 2) != 0)); s++) {
					if (*s == '\\' && s[1]) {
						sb_addc(&b, *++s);
						continue;
					}
					if ((*s == '\'' || *s == '"') && (!q || q == *s)) {
						q = q ? 0 : *s;
						continue;
					}
					sb_addc(&b, *s);
				}
				u_shell(u, b.s ? b.s : "", f->fl[k], "socat EXEC");
				sb_free(&b);
			}
			p = next ? next + 2 : NULL;
		}
	}
}

/* nc / netcat / ncat: -e PROG, -c CMD, --exec, --sh-exec run them;
   --lua-exec runs code guard cannot see. */
void run_nc(struct ucall *u)
{
	static const struct lopt lo[] = {
	    {"exec", 'e', A_REQ}, {"sh-exec", 'c', A_REQ}, {"lua-exec", 1, A_REQ},
	    {"proxy", 2, A_REQ},  {"source", 's', A_REQ},  {"wait", 'w', A_REQ},
	    {NULL, 0, 0}};
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	const struct ospec sp = {"cegGiIMmOPpqsTVwXx", NULL, lo, 1, 0};
	getopts(u->f, u->k, &sp, &o);
	u_emit(u);
	for (size_t q = 0; q < o.nocc; q++) {
		const struct occ *x = &o.occ[q];
		if (x->val && (x->key == 'e' || x->key == 'c'))
			u_shell(u, x->val, x->fl, x->key == 'e' ? "nc -e" : "nc -c");
		else if (x->val && x->key == 1)
			u_opaque(u, "runs code guard cannot see");
	}
	optres_free(&o);
}

/* emacs --eval / -l / -f / --script (and emacsclient -e) run Lisp. */
void run_emacs(struct ucall *u)
{
	static const char *const code[] = {"eval", "execute", "load", "l", "funcall",
	                                   "f",    "script",  "x",    "e", NULL};
	const struct fields *f = u->f;
	u_emit(u);
	for (size_t k = u->k; k < f->n; k++) {
		const char *a = f->s[k];
		if (a[0] != '-' || !a[1])
			continue;
		const char *nm = a + 1 + (a[1] == '-');
		char *n = xstrndup(nm, strcspn(nm, "="));
		int hit = in_list(code, n);
		free(n);
		if (hit) {
			u_opaque(u, "runs Lisp code guard cannot see");
			return;
		}
	}
}

/* less +CMD: less commands (!cmd runs a shell command, |m cmd pipes). */
void run_less(struct ucall *u)
{
	const struct fields *f = u->f;
	u_emit(u);
	for (size_t k = u->k; k < f->n; k++) {
		const char *a = f->s[k];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] == '+' &&
		    (strchr(a, '!') || strchr(a, '|') || (f->fl[k] & WORD_DYNAMIC))) {
			u_opaque(u, "runs less commands guard cannot see");
			return;
		}
	}
}

/* A git configuration value KEY=VALUE (-c, GIT_CONFIG_KEY_n, --config-env)
   that names a command git runs. */
static void git_config(struct ucall *u, const char *kv, unsigned fl)
{
	static const char *const shell_keys[] = {"pager",
	                                         "editor",
	                                         "sshcommand",
	                                         "fsmonitor",
	                                         "external",
	                                         "command",
	                                         "cmd",
	                                         "textconv",
	                                         "driver",
	                                         "clean",
	                                         "smudge",
	                                         "process",
	                                         "helper",
	                                         "program",
	                                         "askpass",
	                                         "packobjectshook",
	                                         "difffilter",
	                                         "gitproxy",
	                                         "uploadpack",
	                                         "receivepack",
	                                         "alternaterefscommand",
	                                         "sendmailcmd",
	                                         "tocmd",
	                                         "cccmd",
	                                         "smtpserver",
	                                         "proxycommand",
	                                         "trustexitcode",
	                                         NULL};
	const char *eq = strchr(kv, '=');
	if (!eq)
		return;
	const char *v = eq + 1;
	size_t kl = (size_t)(eq - kv);
	const char *key = kv;
	for (const char *p = kv; p < eq; p++)
		if (*p == '.')
			key = p + 1;
	char *k = xstrndup(key, (size_t)(eq - key));
	for (char *p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (kl > 6 && strncasecmp(kv, "pager.", 6) == 0) {
		free(k);
		k = xstrdup("pager"); /* pager.<command> */
	}
	int bool_v = !strcasecmp(v, "true") || !strcasecmp(v, "false") || !strcmp(v, "") ||
	             !strcasecmp(v, "yes") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
	             !strcmp(v, "1");
	if (kl > 6 && strncasecmp(kv, "alias.", 6) == 0) {
		if (v[0] == '!')
			u_shell(u, v + 1, fl, "git alias");
	} else if (strncasecmp(kv, "include", 7) == 0 || strcmp(k, "hookspath") == 0) {
		u_opaque(u, "uses git configuration guard does not read");
	} else if (strcmp(k, "helper") == 0 && v[0] && v[0] != '!' && !strchr(v, '/')) {
		/* credential.helper=NAME runs git-credential-NAME */
		char *t = xasprintf("git-credential-%s", v);
		u_shell(u, t, fl, "git -c credential.helper");
		free(t);
	} else if (in_list(shell_keys, k) &&
	           !(bool_v && (strcmp(k, "pager") == 0 || strcmp(k, "fsmonitor") == 0 ||
	                        strcmp(k, "trustexitcode") == 0))) {
		char *how = xasprintf("git -c %.*s", (int)kl, kv);
		u_shell(u, v[0] == '!' ? v + 1 : v, fl, how);
		free(how);
	}
	free(k);
}

/*
 * git: configuration that names commands (-c, --config-env), ext:: URLs,
 * --upload-pack / --receive-pack / --exec, and the subcommands that run
 * commands: rebase --exec, bisect run, submodule foreach, filter-branch
 * filters, difftool/mergetool --extcmd, grep --open-files-in-pager.
 */
void run_git(struct ucall *u)
{
	static const char *const filters[] = {
	    "--env-filter", "--tree-filter",   "--index-filter",    "--parent-filter",
	    "--msg-filter", "--commit-filter", "--tag-name-filter", NULL};
	const struct fields *f = u->f;
	u_emit(u);
	size_t k = u->k;
	/* global options */
	for (; k < f->n && f->s[k][0] == '-'; k++) {
		const char *a = f->s[k];
		if (strcmp(a, "-c") == 0 && k + 1 < f->n) {
			k++;
			git_config(u, f->s[k], f->fl[k]);
		} else if (strncmp(a, "--config-env", 12) == 0) {
			const char *kv = a[12] == '=' ? a + 13 : k + 1 < f->n ? f->s[++k] : "";
			const char *eq = strchr(kv, '=');
			if (eq) {
				const char *val = var_value(u->c, eq + 1);
				char *full =
				    xasprintf("%.*s=%s", (int)(eq - kv), kv, val ? val : "$x");
				git_config(u, full, val ? 0 : WORD_DYNAMIC);
				free(full);
			}
		} else if (strncmp(a, "--exec-path=", 12) == 0) {
			u_opaque(u, "runs git commands from a directory guard does not read");
		} else if (!strcmp(a, "-C") || !strcmp(a, "--git-dir") ||
		           !strcmp(a, "--work-tree") || !strcmp(a, "--namespace") ||
		           !strcmp(a, "--super-prefix") || !strcmp(a, "--attr-source")) {
			k++;
		}
	}
	if (k >= f->n)
		return;
	const char *sub = f->s[k];
	int fetchy = !strcmp(sub, "clone") || !strcmp(sub, "fetch") || !strcmp(sub, "pull") ||
	             !strcmp(sub, "ls-remote") || !strcmp(sub, "archive");
	for (size_t j = k + 1; j < f->n; j++) {
		const char *a = f->s[j];
		unsigned fl = f->fl[j];
		const char *nx = j + 1 < f->n ? f->s[j + 1] : NULL;
		unsigned nfl = j + 1 < f->n ? f->fl[j + 1] : 0;
		if (strncmp(a, "ext::", 5) == 0) {
			u_shell(u, a + 5, fl, "git ext::");
		} else if (!strncmp(a, "--upload-pack=", 14) ||
		           !strncmp(a, "--receive-pack=", 15) || !strncmp(a, "--exec=", 7)) {
			u_shell(u, strchr(a, '=') + 1, fl, "git --upload-pack");
		} else if ((!strcmp(a, "--upload-pack") || !strcmp(a, "--receive-pack") ||
		            (!strcmp(a, "-u") && fetchy) ||
		            (!strcmp(a, "--exec") && strcmp(sub, "rebase") != 0)) &&
		           nx) {
			u_shell(u, nx, nfl, "git --upload-pack");
			j++;
		} else if (!strcmp(sub, "rebase") && (!strcmp(a, "-x") || !strcmp(a, "--exec")) &&
		           nx) {
			u_shell(u, nx, nfl, "git rebase --exec");
			j++;
		} else if (!strcmp(sub, "rebase") &&
		           (!strncmp(a, "--exec=", 7) || !strncmp(a, "-x", 2))) {
			u_shell(u, a + (a[1] == 'x' ? 2 : 7), fl, "git rebase --exec");
		} else if ((!strcmp(sub, "difftool") || !strcmp(sub, "mergetool")) &&
		           (!strcmp(a, "-x") || !strcmp(a, "--extcmd")) && nx) {
			u_shell(u, nx, nfl, "git difftool --extcmd");
			j++;
		} else if ((!strcmp(sub, "difftool") || !strcmp(sub, "mergetool")) &&
		           !strncmp(a, "--extcmd=", 9)) {
			u_shell(u, a + 9, fl, "git difftool --extcmd");
		} else if (!strcmp(sub, "grep") && ((!strncmp(a, "-O", 2) && a[2]) ||
		                                    !strncmp(a, "--open-files-in-pager=", 22))) {
			u_shell(u, a[1] == 'O' ? a + 2 : a + 22, fl, "git grep -O");
		} else if (!strcmp(sub, "filter-branch") && in_list(filters, a) && nx) {
			u_shell(u, nx, nfl, "git filter-branch");
			j++;
		} else if (!strcmp(sub, "bisect") && j == k + 1 && !strcmp(a, "run") && nx) {
			u_exec(u, j + 1);
			break;
		} else if (!strcmp(sub, "submodule") && !strcmp(a, "foreach")) {
			size_t q = j + 1;
			while (q < f->n && f->s[q][0] == '-')
				q++;
			unsigned dyn;
			char *t = join_range(f, q, f->n, &dyn);
			u_shell(u, t, dyn, "git submodule foreach");
			free(t);
			break;
		}
	}
}

/* ---- variables that name commands -------------------------------------- */

/*
 * An assignment that applies to a program (PAGER=... man, env
 * GIT_SSH_COMMAND=... git, export EDITOR=...) names a command that program
 * (or one it starts: git, man, npm fetching a git dependency) may run.  It
 * counts as run: the value is analysed as a command line.
 */
enum { V_CMD = 1, V_LESSOPEN, V_OPAQUE, V_GITKEY };
static const struct {
	const char *name;
	unsigned char kind;
} cmdvars[] = {
    {"GIT_SSH_COMMAND", V_CMD},
    {"GIT_SSH", V_CMD},
    {"GIT_PAGER", V_CMD},
    {"PAGER", V_CMD},
    {"MANPAGER", V_CMD},
    {"SYSTEMD_PAGER", V_CMD},
    {"GIT_EDITOR", V_CMD},
    {"GIT_SEQUENCE_EDITOR", V_CMD},
    {"EDITOR", V_CMD},
    {"VISUAL", V_CMD},
    {"SUDO_EDITOR", V_CMD},
    {"SYSTEMD_EDITOR", V_CMD},
    {"FCEDIT", V_CMD},
    {"GIT_EXTERNAL_DIFF", V_CMD},
    {"GIT_ASKPASS", V_CMD},
    {"SSH_ASKPASS", V_CMD},
    {"SUDO_ASKPASS", V_CMD},
    {"GIT_PROXY_COMMAND", V_CMD},
    {"RSYNC_RSH", V_CMD},
    {"BROWSER", V_CMD},
    {"FZF_DEFAULT_COMMAND", V_CMD},
    {"LESSOPEN", V_LESSOPEN},
    {"LESSCLOSE", V_LESSOPEN},
    {"GIT_CONFIG_PARAMETERS", V_OPAQUE},
    {"GIT_CONFIG", V_OPAQUE},
    {"GIT_CONFIG_GLOBAL", V_OPAQUE},
    {"GIT_CONFIG_SYSTEM", V_OPAQUE},
    {"GIT_EXEC_PATH", V_OPAQUE},
    {"GIT_CONFIG_KEY_", V_GITKEY},
};

void cmdvars_run(struct actx *c, const struct cmdsite *site, char **assign, size_t n,
                 const char *via)
{
	for (size_t a = 0; a < n; a++) {
		const char *s = assign[a];
		const char *eq = strchr(s, '=');
		if (!eq || s[0] < 'A' || s[0] > 'Z')
			continue; /* (cheap: every name below is upper case) */
		size_t nl = (size_t)(eq - s);
		int kind = 0;
		for (size_t q = 0; q < sizeof cmdvars / sizeof cmdvars[0] && !kind; q++) {
			size_t ql = strlen(cmdvars[q].name);
			if (cmdvars[q].kind == V_GITKEY
			        ? nl > ql && strncmp(s, cmdvars[q].name, ql) == 0
			        : nl == ql && strncmp(s, cmdvars[q].name, ql) == 0)
				kind = cmdvars[q].kind;
		}
		if (!kind)
			continue;
		const char *v = eq + 1;
		struct fields g = {0};
		fields_push(&g, xstrndup(s, nl), 0);
		struct ucall u = {c, site, &g, 0, 1, NULL, via, NULL, 0, g.s[0], NULL};
		char *how = xasprintf("%s=", g.s[0]);
		if (kind == V_CMD) {
			if (*v)
				shell_text(c, site, v, how, via);
		} else if (kind == V_LESSOPEN) {
			v += strspn(v, "|-");
			if (*v)
				shell_text(c, site, v, how, via);
		} else if (kind == V_OPAQUE) {
			if (*v && strcmp(v, "/dev/null") != 0)
				u_opaque(&u, "git reads configuration guard does not see");
		} else {
			/* GIT_CONFIG_KEY_n=key with GIT_CONFIG_VALUE_n=value */
			char *vn = xasprintf("GIT_CONFIG_VALUE_%.*s=", (int)(nl - 15), s + 15);
			for (size_t b = 0; b < n; b++)
				if (strncmp(assign[b], vn, strlen(vn)) == 0) {
					char *kv = xasprintf("%s=%s", v, assign[b] + strlen(vn));
					git_config(&u, kv, 0);
					free(kv);
				}
			free(vn);
		}
		free(how);
		fields_free(&g);
	}
}

/* ssh -o Keyword=Value / "Keyword Value": ProxyCommand, LocalCommand,
   KnownHostsCommand and RemoteCommand run commands. */
static void ssh_option(struct ucall *u, const char *kv, unsigned fl)
{
	size_t kl = strcspn(kv, "= \t");
	const char *v = kv + kl;
	v += strspn(v, " \t");
	if (*v == '=')
		v++;
	v += strspn(v, " \t");
	int runs = (kl == 12 && !strncasecmp(kv, "proxycommand", 12)) ||
	           (kl == 12 && !strncasecmp(kv, "localcommand", 12)) ||
	           (kl == 17 && !strncasecmp(kv, "knownhostscommand", 17)) ||
	           (kl == 13 && !strncasecmp(kv, "remotecommand", 13));
	if (runs && strcasecmp(v, "none") != 0)
		u_shell(u, v, fl, "ssh -o");
}

/*
 * ssh [OPTIONS] HOST [OPTIONS] [COMMAND...]: the remote command is a shell
 * command (on the host); -o options may run local commands.  scp/sftp:
 * -S PROGRAM is run instead of ssh, sftp -D PROGRAM instead of the remote
 * sftp server, and an sftp batch (-b) runs !commands locally.
 */
void run_ssh(struct ucall *u)
{
	const struct fields *f = u->f;
	int is_ssh = strcmp(u->name, "ssh") == 0, is_sftp = strcmp(u->name, "sftp") == 0;
	const char *args = is_ssh    ? "bceilmopBDEFIJLOQRSwW"
	                   : is_sftp ? "bBcDFiJlosPRSX"
	                             : "cDFiJloPSX";
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	size_t k = parse_opts(f, u->k, args, NULL, &o);
	size_t host = k;
	if (is_ssh && k < f->n)
		k = parse_opts(f, k + 1, args, NULL, &o); /* ssh reads options after HOST too */
	u_emit(u);
	for (size_t q = 0; q < o.nocc; q++) {
		const struct occ *x = &o.occ[q];
		if (!x->val)
			continue;
		if (x->key == 'o')
			ssh_option(u, x->val, x->fl);
		else if (x->key == 'S' && !is_ssh)
			u_shell(u, x->val, x->fl, is_sftp ? "sftp -S" : "scp -S");
		else if (x->key == 'D' && is_sftp)
			u_shell(u, x->val, x->fl, "sftp -D");
		else if (x->key == 'b' && is_sftp) {
			char *text = NULL;
			int r = u_input(u, x->val, x->fl, &text);
			if (r < 0)
				u_opaque(u, "runs an sftp batch guard cannot read");
			char *save = NULL;
			for (char *line = r > 0 ? strtok_r(text, "\n", &save) : NULL; line;
			     line = strtok_r(NULL, "\n", &save)) {
				line += strspn(line, " \t-@");
				if (*line == '!')
					shell_text(u->c, u->site, line + 1, "sftp !", u->via);
			}
			free(text);
		}
	}
	if (is_ssh && host < f->n && k < f->n && !o.seen['N'] && !o.seen['s']) {
		unsigned dyn;
		char *t = join_range(f, k, f->n, &dyn);
		char *how = xasprintf("ssh %s", f->s[host]);
		if (!dyn)
			shell_text(u->c, u->site, t, how, u->via);
		free(how);
		free(t);
	}
	optres_free(&o);
}
