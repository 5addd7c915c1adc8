/* git_heur.c - rules from ordinary prose (see git_heur.h). */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"
#include "git_heur.h"

/* ------------------------------------------------------------------ words */

/* Splits a command into words: quotes removed, stops at an operator
 * (| & ; < > and a word starting with #). */
static void split_words(const char *cmd, struct strv *w)
{
	const char *p = cmd;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || strchr("|&;<>#", *p) || (isdigit((unsigned char)*p) && p[1] == '>'))
			return;
		struct sbuf b;
		sb_init(&b);
		char q = 0;
		for (; *p; p++) {
			if (q) {
				if (*p == q)
					q = 0;
				else
					sb_addc(&b, *p);
			} else if (*p == '\'' || *p == '"') {
				q = *p;
			} else if (*p == '\\' && p[1]) {
				sb_addc(&b, *++p);
			} else if (*p == ' ' || *p == '\t' || strchr("|&;<>", *p)) {
				break;
			} else {
				sb_addc(&b, *p);
			}
		}
		sv_push(w, sb_take(&b));
	}
}

static int is_assign(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	return *s == '=';
}

/* Index of the first effective word: wrappers (sudo, env, nohup, npx ...)
 * and assignments are skipped, as the analyser unwraps them. */
static size_t effective(const struct strv *w)
{
	size_t i = 0;
	while (i < w->n) {
		const char *a = base_name(w->v[i]);
		if (is_assign(a)) {
			i++;
		} else if (strcmp(a, "sudo") == 0 || strcmp(a, "doas") == 0) {
			i++;
			while (i < w->n && w->v[i][0] == '-') {
				const char *o = w->v[i++];
				if ((strcmp(o, "-u") == 0 || strcmp(o, "-g") == 0 ||
				     strcmp(o, "-C") == 0 || strcmp(o, "-D") == 0 ||
				     strcmp(o, "-h") == 0) &&
				    i < w->n)
					i++;
			}
		} else if (strcmp(a, "env") == 0) {
			i++;
			while (i < w->n && (w->v[i][0] == '-' || is_assign(w->v[i])))
				i++;
		} else if (strcmp(a, "nohup") == 0 || strcmp(a, "exec") == 0 ||
		           strcmp(a, "command") == 0 || strcmp(a, "time") == 0 ||
		           strcmp(a, "npx") == 0 || strcmp(a, "nice") == 0) {
			i++;
			while (i < w->n && w->v[i][0] == '-')
				i++;
		} else {
			break;
		}
	}
	return i;
}

/*
 * The effective argv of cmd's first command, as guard check will see it: the
 * same bash parser and unwrapper (analyze.h), so a documented
 * `sudo -u postgres dropdb shop` becomes `dropdb shop` exactly as it will be
 * matched.  Falls back to a plain word split when the text does not parse
 * (docs contain sketches, not always valid shell).
 */
static void eff_words(const char *cmd, struct strv *out)
{
	struct analysis a;
	struct analyze_opts o = {0};
	memset(&a, 0, sizeof a);
	int rc = analyze(cmd, strlen(cmd), &o, &a);
	int ok = rc == 0 && !a.error && a.ncmd > 0 &&
	         !(a.cmd[0].flags & (CMD_DYNAMIC_NAME | CMD_OPAQUE));
	for (int i = 0; ok && i < a.cmd[0].argc; i++)
		sv_push(out, xstrdup(a.cmd[0].argv[i]));
	if (rc == 0)
		analysis_free(&a);
	if (ok)
		return;
	struct strv w = {0};
	split_words(cmd, &w);
	for (size_t i = effective(&w); i < w.n; i++)
		sv_push(out, xstrdup(w.v[i]));
	sv_free(&w);
}

static int script_like(const char *a)
{
	static const char *ext[] = {".js",  ".mjs", ".cjs", ".ts", ".py", ".rb",
	                            ".php", ".jar", ".sh",  ".pl", NULL};
	if (strchr(a, '/'))
		return 1;
	const char *dot = strrchr(a, '.');
	for (int i = 0; dot && ext[i]; i++)
		if (strcmp(dot, ext[i]) == 0)
			return 1;
	return 0;
}

/* Effective words of cmd as match globs (paths become *basename), or NULL. */
static char *match_from(const char *cmd, size_t maxw)
{
	struct strv w = {0};
	eff_words(cmd, &w);
	size_t i = 0;
	struct sbuf b;
	sb_init(&b);
	for (size_t k = 0; i < w.n && k < maxw; i++, k++) {
		const char *a = k == 0 ? base_name(w.v[i]) : w.v[i];
		if (b.len)
			sb_addc(&b, ' ');
		if (k > 0 && script_like(a) && a[0] != '-') {
			sb_addc(&b, '*');
			sb_adds(&b, base_name(a));
		} else {
			sb_adds(&b, a);
		}
	}
	sv_free(&w);
	if (!b.len) {
		sb_free(&b);
		return NULL;
	}
	return sb_take(&b);
}

/* Does the glob-word match m match the start of command cmd (unwrapped)? */
/* Like guard's decision (decide.c): -1 when the glob words m do not match the
 * start of cmd's effective argv, else the number of words (specificity).  A
 * pattern word that is not an option skips the command's options. */
static int rule_matches(const char *m, const char *cmd)
{
	struct strv mw = {0}, cw = {0};
	split_words(m, &mw);
	eff_words(cmd, &cw);
	int ok = mw.n > 0 && cw.n > 0 && fnmatch(mw.v[0], base_name(cw.v[0]), 0) == 0;
	size_t j = 1;
	for (size_t k = 1; ok && k < mw.n; k++) {
		if (mw.v[k][0] != '-')
			while (j < cw.n && cw.v[j][0] == '-' && cw.v[j][1])
				j++;
		if (j >= cw.n || fnmatch(mw.v[k], cw.v[j], 0) != 0)
			ok = 0;
		j++;
	}
	int n = ok ? (int)mw.n : -1;
	sv_free(&mw);
	sv_free(&cw);
	return n;
}

char *slugify(const char *s, size_t max)
{
	struct sbuf b;
	sb_init(&b);
	for (; *s && b.len < max; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c))
			sb_addc(&b, (char)tolower(c));
		else if (b.len && b.s[b.len - 1] != '-')
			sb_addc(&b, '-');
	}
	while (b.len && b.s[b.len - 1] == '-')
		b.s[--b.len] = 0;
	return sb_take(&b);
}

/* ------------------------------------------------------------- managers */

enum mgr { M_NONE, M_SYSTEMD, M_SUPERVISOR, M_PM2, M_COMPOSE, M_FOREVER, M_NODEMON, M_K8S };

static const struct {
	const char *word; /* as written in prose (lower case) */
	enum mgr m;
} mgr_words[] = {
    {"systemd", M_SYSTEMD},
    {"systemctl", M_SYSTEMD},
    {"supervisord", M_SUPERVISOR},
    {"supervisorctl", M_SUPERVISOR},
    {"supervisor", M_SUPERVISOR},
    {"pm2", M_PM2},
    {"docker compose", M_COMPOSE},
    {"docker-compose", M_COMPOSE},
    {"compose", M_COMPOSE},
    {"forever", M_FOREVER},
    {"nodemon", M_NODEMON},
    {"kubernetes", M_K8S},
    {"kubectl", M_K8S},
    {NULL, M_NONE},
};

static const char *mgr_name(enum mgr m)
{
	static const char *n[] = {"",        "systemd", "supervisord", "PM2", "Docker Compose",
	                          "forever", "nodemon", "Kubernetes"};
	return n[m];
}

/* The command of a manager as the analyser sees it. */
static const char *mgr_tool(enum mgr m)
{
	static const char *n[] = {"",        "systemctl", "supervisorctl", "pm2", "docker compose",
	                          "forever", "nodemon",   "kubectl"};
	return n[m];
}

static enum mgr mgr_of_cmd(const char *cmd)
{
	char *m = match_from(cmd, 2);
	enum mgr r = M_NONE;
	if (!m)
		return r;
	if (strncmp(m, "systemctl", 9) == 0 || strncmp(m, "journalctl", 10) == 0)
		r = M_SYSTEMD;
	else if (strncmp(m, "supervisorctl", 13) == 0)
		r = M_SUPERVISOR;
	else if (strcmp(m, "pm2") == 0 || strncmp(m, "pm2 ", 4) == 0)
		r = M_PM2;
	else if (strncmp(m, "docker compose", 14) == 0 || strncmp(m, "docker-compose", 14) == 0)
		r = M_COMPOSE;
	else if (strncmp(m, "kubectl", 7) == 0)
		r = M_K8S;
	free(m);
	return r;
}

/* Tools recognised in prose without backticks: word, match, example. */
static const struct {
	const char *word, *match, *example;
	int ambiguous; /* also an English word: needs a tool context */
} bare_tools[] = {
    {"pm2", "pm2", "pm2 restart all", 0},
    {"forever", "forever", "forever start server.js", 1},
    {"nodemon", "nodemon", "nodemon server.js", 0},
    {"supervisorctl", "supervisorctl", "supervisorctl restart all", 0},
    {"supervisord", "supervisorctl", "supervisorctl restart all", 0},
    {"docker-compose", "docker-compose", "docker-compose up -d", 0},
    {"kubectl", "kubectl", "kubectl get pods", 0},
    {"helm", "helm", "helm list", 1},
    {"podman", "podman", "podman ps", 0},
    {"docker", "docker", "docker ps", 0},
    {NULL, NULL, NULL, 0},
};

/* --------------------------------------------------------- text search */

static int wordch(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Position of word w (lower case, may contain a space) in s at word
 * boundaries, searching from `from`; -1 if absent. */
static long find_word(const char *s, const char *w, size_t from)
{
	size_t n = strlen(w);
	for (const char *p = s + from; (p = strstr(p, w)); p++) {
		if ((p == s || !wordch(p[-1])) && !wordch(p[n]))
			return p - s;
	}
	return -1;
}

/* A phrase (lower case) anywhere, at a word start; -1 if absent. */
static long find_phrase(const char *s, const char *ph)
{
	for (const char *p = s; (p = strstr(p, ph)); p++)
		if (p == s || !isalnum((unsigned char)p[-1]))
			return p - s;
	return -1;
}

/* The sentence in lower case, and a copy with `code spans` blanked. */
struct sview {
	char *low;        /* lower case */
	char *prose;      /* lower case, code spans replaced by spaces */
	struct strv code; /* code spans' text */
	size_t *code_at;  /* their offsets in the sentence */
};

static void sview_init(struct sview *v, const char *s)
{
	memset(v, 0, sizeof *v);
	v->low = xstrdup(s);
	for (char *p = v->low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	v->prose = xstrdup(v->low);
	size_t n = 0;
	for (const char *p = s; (p = strchr(p, '`'));) {
		/* `code` (Markdown) or ``code`` (reStructuredText, Markdown) */
		size_t k = 0;
		while (p[k] == '`')
			k++;
		char delim[8];
		if (k >= sizeof delim) {
			p += k;
			continue;
		}
		memset(delim, '`', k);
		delim[k] = 0;
		const char *e = strstr(p + k, delim);
		if (!e)
			break;
		sv_push(&v->code, xstrndup(p + k, (size_t)(e - p - k)));
		v->code_at = xreallocarray(v->code_at, n + 1, sizeof *v->code_at);
		v->code_at[n++] = (size_t)(p - s);
		memset(v->prose + (p - s), ' ', (size_t)(e + k - p));
		p = e + k;
	}
}

static void sview_free(struct sview *v)
{
	free(v->low);
	free(v->prose);
	sv_free(&v->code);
	free(v->code_at);
}

static const char *known_cmds[] = {
    "systemctl", "journalctl",
    "pm2",       "forever",
    "nodemon",   "supervisorctl",
    "docker",    "docker-compose",
    "kubectl",   "helm",
    "podman",    "node",
    "npm",       "yarn",
    "pnpm",      "python",
    "python3",   "pip",
    "git",       "rm",
    "service",   "kill",
    "pkill",     "killall",
    "apt",       "apt-get",
    "psql",      "mysql",
    "dropdb",    "createdb",
    "redis-cli", "nginx",
    "certbot",   "rsync",
    "make",      "gunicorn",
    "uvicorn",   "ruby",
    "bundle",    "rails",
    "php",       "java",
    "deno",      "bun",
    "reboot",    "shutdown",
    "truncate",  "mysqladmin",
    "pg_dump",   "pg_restore",
    "chmod",     "chown",
    "ln",        NULL,
};

/* Is a code span a command (as opposed to a file, unit or user name)? */
static int is_command(const char *span)
{
	char *m = match_from(span, 8);
	if (!m)
		return 0;
	int r = 0;
	char *sp = strchr(m, ' ');
	size_t l0 = sp ? (size_t)(sp - m) : strlen(m);
	for (int i = 0; known_cmds[i]; i++)
		if (strlen(known_cmds[i]) == l0 && strncmp(m, known_cmds[i], l0) == 0)
			r = 1;
	if (!r && sp) {
		r = 1;
		for (size_t i = 0; i < l0; i++)
			if (!(islower((unsigned char)m[i]) || isdigit((unsigned char)m[i]) ||
			      m[i] == '-' || m[i] == '_'))
				r = 0;
	}
	free(m);
	return r;
}

/* For untyped and indented code blocks, which in plain text are often
 * indented prose: only a known command or a path counts. */
static int is_command_strict(const char *text)
{
	struct strv w = {0};
	eff_words(text, &w);
	int r = 0;
	if (w.n) {
		if (strchr(w.v[0], '/'))
			r = 1;
		for (int i = 0; !r && known_cmds[i]; i++)
			if (strcmp(base_name(w.v[0]), known_cmds[i]) == 0)
				r = 1;
	}
	sv_free(&w);
	return r;
}

/* Is line k of the doc's code commands a command? */
static int block_cmd_ok(const struct ddoc *d, size_t k)
{
	const struct dcmd *c = &d->c[k];
	if (c->block >= 0 && d->b[c->block].info[0] == 0)
		return is_command_strict(c->text);
	return is_command(c->text);
}

/* --------------------------------------------------------------- markers */

static const char *neg_markers[] = {
    "never ",           "do not ",       "don't ",       "dont ",         "must not ",
    "mustn't ",         "should not ",   "shouldn't ",   "shall not ",    "is not allowed",
    "are not allowed",  "not permitted", "is forbidden", "are forbidden", "prohibited",
    "avoid ",           "no longer use", "stop using",   "must never",    "should never",
    "not be installed", "not be used",   NULL,
};

static const char *neg_exclusions[] = {
    "forget", "skip", "omit", "hesitate", "need", "have to", "has to", "necessary",
    "worry",  "only", "mind", "panic",    "miss", "wait",    NULL,
};

static const char *caution_markers[] = {
    "take the site down",
    "takes the site down",
    "take the app down",
    "takes the app down",
    "takes down",
    "take down",
    "downtime",
    "outage",
    "maintenance window",
    "destructive",
    "deletes",
    "delete all",
    "removes all",
    "data loss",
    "lose data",
    "loses data",
    "irreversible",
    "cannot be undone",
    "can't be undone",
    "wipes",
    "wipe ",
    "drops ",
    "permanently",
    "be careful",
    "caution",
    "warning",
    "dangerous",
    "business hours",
    "erases",
    "destroys",
    NULL,
};

static const char *conditional_markers[] = {
    "outside", "during", "unless", "except", "without", "before", "until", "first", NULL,
};

static const char *own_phrases[] = {
    "managed by",
    "is run by",
    "are run by",
    "run by",
    "runs under",
    "run under",
    "running under",
    "supervised by",
    "controlled by",
    "handled by",
    "started by",
    "owned by",
    "managed with",
    "managed using",
    "managed through",
    "runs as a",
    "run as a",
    "is a systemd",
    "as a systemd",
    "a systemd service",
    "a systemd unit",
    "single source of truth",
    "in charge of",
    "responsible for",
    NULL,
};

static long first_marker(const char *low, const char **list, const char **which)
{
	long best = -1;
	for (int i = 0; list[i]; i++) {
		long p = find_phrase(low, list[i]);
		if (p >= 0 && (best < 0 || p < best)) {
			best = p;
			if (which)
				*which = list[i];
		}
	}
	return best;
}

static int has_marker(const char *low, const char **list)
{
	return first_marker(low, list, NULL) >= 0;
}

/* Negation at position p is not a prohibition ("don't forget to ..."). */
static int excluded_negation(const char *low, long p, const char *marker)
{
	const char *q = low + p + strlen(marker);
	for (int i = 0; neg_exclusions[i]; i++) {
		const char *x = strstr(q, neg_exclusions[i]);
		if (x && x - q < 12)
			return 1;
	}
	return 0;
}

/* Clause boundaries: [*a, *b) around position p. */
static void clause_around(const char *low, long p, size_t *a, size_t *b)
{
	static const char *bound[] = {
	    "; ",       ": ",       " - ",         " -- ",      " \xe2\x80\x94 ", " \xe2\x80\x93 ",
	    ", use ",   ", run ",   ", instead",   " instead",  ", because",      " because ",
	    ", since ", ", but ",   ", so ",       " so that ", ", as ",          " (",
	    ") ",       ", which ", ", otherwise", NULL};
	size_t n = strlen(low);
	*a = 0;
	*b = n;
	for (int i = 0; bound[i]; i++) {
		size_t bl = strlen(bound[i]);
		for (const char *q = low; (q = strstr(q, bound[i])); q++) {
			size_t at = (size_t)(q - low);
			if (at + bl <= (size_t)p && at + bl > *a)
				*a = at + bl;
			if (at > (size_t)p && at < *b)
				*b = at;
		}
	}
}

/* ----------------------------------------------------------------- rules */

static void rule_add(struct drules *rs, struct drule *r)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].match, r->match) == 0 && rs->v[i].action == r->action) {
			drule_free(r);
			return; /* the first sentence that said it wins */
		}
	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof *rs->v);
	rs->v[rs->n++] = *r;
	memset(r, 0, sizeof *r);
}

static char *see_of(const struct ddoc *d, int line)
{
	return xasprintf("%s:%d", d->path, line);
}

static char *name_of(const char *prefix, const char *match)
{
	char *s = slugify(match, 36);
	char *n = xasprintf("%s%s", prefix, s);
	free(s);
	return n;
}

void drule_free(struct drule *r)
{
	free(r->name);
	free(r->match);
	free(r->reason);
	free(r->instead);
	free(r->see);
	free(r->ack);
	free(r->why);
	sv_free(&r->ex_allow);
	sv_free(&r->ex_warn);
	sv_free(&r->ex_deny);
	memset(r, 0, sizeof *r);
}

void drules_free(struct drules *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		drule_free(&rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = 0;
}

void dack_free(struct dack *a)
{
	free(a->name);
	free(a->doc);
	free(a->section);
	memset(a, 0, sizeof *a);
}

void facts_free(struct dfacts *f)
{
	sv_free(&f->start);
	sv_free(&f->start_see);
}

/* ----------------------------------------------------------------- facts */

static void fact_start(struct dfacts *f, const char *cmd, const char *path, int line)
{
	char *m = match_from(cmd, 2);
	if (!m)
		return;
	for (size_t i = 0; i < f->start.n; i++)
		if (strcmp(f->start.v[i], m) == 0) {
			free(m);
			return;
		}
	if (strncmp(m, "node ", 5) == 0)
		f->node = 1;
	/* only interpreters and servers with a script: "node *server.js" */
	if (!strchr(m, ' ')) {
		free(m);
		return;
	}
	sv_push(&f->start, m);
	sv_push(&f->start_see, xasprintf("%s:%d", path, line));
}

void heur_facts(struct dfacts *f, const char *path, const char *text, size_t len)
{
	const char *b = base_name(path);
	if (strcmp(b, "package.json") == 0)
		f->node = 1;
	int line = 1;
	for (const char *p = text; p < text + len; line++) {
		const char *e = memchr(p, '\n', (size_t)(text + len - p));
		if (!e)
			e = text + len;
		char *l = xstrndup(p, (size_t)(e - p));
		char *s = l;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "ExecStart=", 10) == 0) {
			const char *c = s + 10;
			while (*c == '-' || *c == '@' || *c == '+' || *c == '!' || *c == ':')
				c++;
			fact_start(f, c, path, line);
		} else if (strncmp(s, "command=", 8) == 0 || strncmp(s, "command =", 9) == 0) {
			fact_start(f, strchr(s, '=') + 1, path, line);
		} else if (strcmp(b, "package.json") == 0 && strstr(s, "\"start\"")) {
			/* "start": "node server.js" (anywhere on the line) */
			char *q = strstr(s, "\"start\"") + 7;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == ':') {
				q++;
				while (*q == ' ' || *q == '\t')
					q++;
				char *qe = *q == '"' ? strchr(q + 1, '"') : NULL;
				if (qe) {
					*qe = 0;
					fact_start(f, q + 1, path, line);
				}
			}
		}
		free(l);
		p = e + 1;
	}
}

/* ------------------------------------------------------------ heuristics */

struct ctx {
	const struct ddoc *d;
	const struct dfacts *f;
	struct drules *out;
	enum mgr owner;
	int own_sent;           /* index of the ownership sentence, or -1 */
	struct strv owner_cmds; /* documented commands of the owner, as written */
	struct strv units;      /* systemd units / supervisor programs */
	struct strv journal;    /* units with documented journalctl */
	int node;
};

/* All documented commands of the doc: code blocks, then code spans. */
static void each_cmd(const struct ddoc *d, void (*fn)(void *, const char *, int), void *arg)
{
	for (size_t i = 0; i < d->nc; i++)
		if (block_cmd_ok(d, i))
			fn(arg, d->c[i].text, d->c[i].line);
	for (size_t i = 0; i < d->ns; i++) {
		struct sview v;
		sview_init(&v, d->s[i].text);
		for (size_t k = 0; k < v.code.n; k++)
			if (is_command(v.code.v[k]))
				fn(arg, v.code.v[k], d->s[i].line);
		sview_free(&v);
	}
}

static void sv_push_uniq(struct strv *a, const char *s)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], s) == 0)
			return;
	sv_push(a, xstrdup(s));
}

static void strip_service(char *u)
{
	size_t n = strlen(u);
	if (n > 8 && strcmp(u + n - 8, ".service") == 0)
		u[n - 8] = 0;
}

static void collect_owner_cmd(void *arg, const char *cmd, int line)
{
	struct ctx *c = arg;
	(void)line;
	struct strv w = {0};
	eff_words(cmd, &w);
	size_t i = 0;
	if (i < w.n) {
		const char *t = base_name(w.v[i]);
		if (strcmp(t, "node") == 0 || strcmp(t, "npm") == 0)
			c->node = 1;
	}
	if (mgr_of_cmd(cmd) != c->owner || c->owner == M_NONE)
		goto out;
	sv_push_uniq(&c->owner_cmds, cmd);
	if (c->owner == M_SYSTEMD && i < w.n && strcmp(base_name(w.v[i]), "systemctl") == 0) {
		static const char *verbs[] = {
		    "start",  "stop",    "restart",   "reload",      "status",
		    "enable", "disable", "is-active", "try-restart", "reload-or-restart",
		    "kill",   "show",    "cat",       NULL};
		size_t k = i + 1;
		while (k < w.n && w.v[k][0] == '-')
			k++;
		int verb = 0;
		for (int j = 0; k < w.n && verbs[j]; j++)
			if (strcmp(w.v[k], verbs[j]) == 0)
				verb = 1;
		for (k++; verb && k < w.n; k++) {
			if (w.v[k][0] == '-' || strchr(w.v[k], '*') || strchr(w.v[k], '$'))
				continue;
			char *u = xstrdup(w.v[k]);
			strip_service(u);
			sv_push_uniq(&c->units, u);
			free(u);
		}
	} else if (c->owner == M_SYSTEMD && i < w.n &&
	           strcmp(base_name(w.v[i]), "journalctl") == 0) {
		for (size_t k = i + 1; k < w.n; k++) {
			const char *u = NULL;
			if ((strcmp(w.v[k], "-u") == 0 || strcmp(w.v[k], "--unit") == 0) &&
			    k + 1 < w.n)
				u = w.v[++k];
			else if (strncmp(w.v[k], "--unit=", 7) == 0)
				u = w.v[k] + 7;
			else if (strncmp(w.v[k], "-u", 2) == 0 && w.v[k][2])
				u = w.v[k] + 2;
			if (u) {
				char *x = xstrdup(u);
				strip_service(x);
				sv_push_uniq(&c->journal, x);
				sv_push_uniq(&c->units, x);
				free(x);
			}
		}
	} else if (c->owner == M_SUPERVISOR && i < w.n) {
		size_t k = i + 1;
		while (k < w.n && w.v[k][0] == '-')
			k++;
		for (k++; k < w.n; k++)
			if (w.v[k][0] != '-' && strcmp(w.v[k], "all") != 0 && !strchr(w.v[k], '*'))
				sv_push_uniq(&c->units, w.v[k]);
	}
out:
	sv_free(&w);
}

/* The owner's documented command to suggest: one with verb, else the first. */
static const char *owner_cmd(const struct ctx *c, const char *verb, const char *unit)
{
	for (size_t i = 0; i < c->owner_cmds.n; i++) {
		const char *x = c->owner_cmds.v[i];
		if (verb && find_word(x, verb, 0) < 0)
			continue;
		if (unit && !strstr(x, unit))
			continue;
		return x;
	}
	return NULL;
}

static const char *suggestion(const struct ctx *c)
{
	static const char *verbs[] = {"restart", "reload", "up", "start", NULL};
	for (int i = 0; verbs[i]; i++) {
		const char *s = owner_cmd(c, verbs[i], NULL);
		if (s)
			return s;
	}
	return c->owner_cmds.n ? c->owner_cmds.v[0] : NULL;
}

/* The owner's command for what match starts ("python3 *worker.py" ->
 * "supervisorctl restart shop-worker"), else suggestion(). */
static const char *suggestion_for(const struct ctx *c, const char *match)
{
	struct strv w = {0};
	const char *best = NULL;
	split_words(match, &w);
	for (size_t i = 1; i < w.n && !best; i++) {
		char *stem = xstrdup(base_name(w.v[i][0] == '*' ? w.v[i] + 1 : w.v[i]));
		char *dot = strrchr(stem, '.');
		if (dot)
			*dot = 0;
		static const char *verbs[] = {"restart", "reload", "up", "start", NULL};
		for (int k = 0; strlen(stem) >= 3 && verbs[k] && !best; k++)
			best = owner_cmd(c, verbs[k], stem);
		free(stem);
	}
	sv_free(&w);
	return best ? best : suggestion(c);
}

/* A negation earlier in the same clause ("is not managed by", "never run
 * it as a systemd service"): not an ownership statement. */
static int negated_before(const char *low, long p)
{
	size_t a, b;
	clause_around(low, p, &a, &b);
	if (p >= 4 && strncmp(low + p - 4, "not ", 4) == 0)
		return 1;
	for (int i = 0; neg_markers[i]; i++) {
		long q = find_phrase(low + a, neg_markers[i]);
		if (q >= 0 && (size_t)q + a < (size_t)p)
			return 1;
	}
	return 0;
}

/* Finds the ownership sentence. */
static void find_owner(struct ctx *c)
{
	const struct ddoc *d = c->d;
	for (size_t i = 0; i < d->ns; i++) {
		struct sview v;
		sview_init(&v, d->s[i].text);
		const char *which = NULL;
		long p = first_marker(v.low, own_phrases, &which);
		long only = find_phrase(v.low, "only ");
		enum mgr m = M_NONE;
		if (p >= 0 && !negated_before(v.low, p)) {
			long best = -1;
			/* the manager named after the phrase, else anywhere in the sentence */
			for (int pass = 0; pass < 2 && m == M_NONE; pass++)
				for (int k = 0; mgr_words[k].word; k++) {
					long q = find_word(v.low, mgr_words[k].word,
					                   pass == 0 ? (size_t)p : 0);
					if (q >= 0 && (best < 0 || q < best)) {
						best = q;
						m = mgr_words[k].m;
					}
				}
		} else if (only >= 0) {
			for (int k = 0; mgr_words[k].word; k++)
				if (find_word(v.low, mgr_words[k].word, 0) == only + 5)
					m = mgr_words[k].m;
		}
		/* "docker compose" beats the bare word compose; docker alone is not a manager */
		if (m == M_FOREVER || m == M_NODEMON)
			m = M_NONE; /* never assume these as the intended owner from prose */
		sview_free(&v);
		if (m != M_NONE) {
			c->owner = m;
			c->own_sent = (int)i;
			return;
		}
	}
}

static void add_examples(struct drule *r, const char *ex)
{
	if (r->action == V_DENY)
		sv_push(&r->ex_deny, xstrdup(ex));
	else if (r->action == V_WARN)
		sv_push(&r->ex_warn, xstrdup(ex));
	else
		sv_push(&r->ex_allow, xstrdup(ex));
}

static void make_rule(struct ctx *c, const char *prefix, const char *match, enum verdict v,
                      const struct dsent *s, const char *instead, const char *example,
                      const char *why)
{
	struct drule r = {0};
	r.match = xstrdup(match);
	r.name = name_of(prefix, match);
	r.action = v;
	r.reason = xstrdup(s->text);
	r.see = see_of(c->d, s->line);
	r.instead = instead ? xstrdup(instead) : NULL;
	r.why = xstrdup(why);
	add_examples(&r, example ? example : match);
	rule_add(c->out, &r);
}

/* Does the sentence say it only under a condition ("outside a maintenance window")? */
static int conditional(const char *low)
{
	return has_marker(low, conditional_markers) && has_marker(low, caution_markers);
}

static const char *bare_example(const char *match)
{
	for (int i = 0; bare_tools[i].word; i++)
		if (strcmp(bare_tools[i].match, match) == 0)
			return bare_tools[i].example;
	return match;
}

/* Instead: a command in the sentence outside [a, b), or in the next sentence
 * when it starts with Use/Run/Instead. */
static const char *instead_in(const struct ctx *c, size_t si, const struct sview *v, size_t a,
                              size_t b, struct strv *keep)
{
	for (size_t k = 0; k < v->code.n; k++)
		if ((v->code_at[k] < a || v->code_at[k] >= b) && is_command(v->code.v[k])) {
			sv_push(keep, xstrdup(v->code.v[k]));
			return keep->v[keep->n - 1];
		}
	if (si + 1 < c->d->ns) {
		const char *n = c->d->s[si + 1].text;
		if (strncasecmp(n, "use ", 4) == 0 || strncasecmp(n, "run ", 4) == 0 ||
		    strncasecmp(n, "instead", 7) == 0) {
			struct sview w;
			sview_init(&w, n);
			for (size_t k = 0; k < w.code.n; k++)
				if (is_command(w.code.v[k])) {
					sv_push(keep, xstrdup(w.code.v[k]));
					sview_free(&w);
					return keep->v[keep->n - 1];
				}
			sview_free(&w);
		}
	}
	return NULL;
}

static int is_owner_tool(const struct ctx *c, const char *match)
{
	if (c->owner == M_NONE)
		return 0;
	const char *t = mgr_tool(c->owner);
	if (strcmp(match, t) == 0)
		return 1;
	if (c->owner == M_COMPOSE && strcmp(match, "docker-compose") == 0)
		return 1;
	return 0;
}

static void rename_rule(struct drules *rs, const char *match, const char *prefix, const char *tool)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].match, match) == 0) {
			free(rs->v[i].name);
			rs->v[i].name = xasprintf("%s%s", prefix, tool);
		}
}

/* Is match a way of starting the app (or a competing manager) by hand? */
static int hand_start(const struct ctx *c, const char *m)
{
	static const char *starters[] = {"node ",      "python ",   "python3 ",      "ruby ",
	                                 "php ",       "deno ",     "bun ",          "docker run",
	                                 "podman run", "npm start", "npm run start", "yarn start",
	                                 "gunicorn ",  "uvicorn ",  "rails server",  "java -jar",
	                                 NULL};
	for (int i = 0; starters[i]; i++)
		if (strncmp(m, starters[i], strlen(starters[i])) == 0)
			return 1;
	static const char *managers[] = {"pm2", "forever", "nodemon", "supervisorctl", NULL};
	for (int i = 0; managers[i]; i++) {
		size_t n = strlen(managers[i]);
		if (strncmp(m, managers[i], n) == 0 && (m[n] == 0 || m[n] == ' '))
			return 1;
	}
	for (size_t i = 0; c->f && i < c->f->start.n; i++)
		if (strcmp(c->f->start.v[i], m) == 0)
			return 1;
	return 0;
}

/* Prohibitions and cautions of one sentence. */
static void sentence_rules(struct ctx *c, size_t si)
{
	const struct dsent *s = &c->d->s[si];
	struct sview v;
	struct strv keep = {0};
	sview_init(&v, s->text);
	const char *mk = NULL;
	long p = first_marker(v.low, neg_markers, &mk);
	long io = find_phrase(v.low, "instead of ");
	if (io < 0)
		io = find_phrase(v.low, "rather than ");
	int caution = has_marker(v.low, caution_markers);
	if (p >= 0 && excluded_negation(v.low, p, mk))
		p = -1;
	if (p >= 0 || io >= 0) {
		size_t a, b;
		const char *instead;
		if (p >= 0) {
			clause_around(v.low, p, &a, &b);
		} else {
			a = (size_t)io;
			clause_around(v.low, io + 11, &a, &b);
			a = (size_t)io;
		}
		instead = instead_in(c, si, &v, a, b, &keep);
		if (p < 0 && !instead)
			goto cautions;
		enum verdict act = conditional(v.low) ? V_WARN : V_DENY;
		int found = 0;
		const char *inst_hand = instead;
		for (size_t k = 0; k < v.code.n; k++) {
			if (v.code_at[k] < a || v.code_at[k] >= b || !is_command(v.code.v[k]))
				continue;
			char *m = match_from(v.code.v[k], 8);
			if (m && (!instead || strcmp(v.code.v[k], instead) != 0)) {
				/* starting the app by hand: the owner's way instead */
				make_rule(c, act == V_DENY ? "no-" : "caution-", m, act, s,
				          hand_start(c, m) && !inst_hand ? suggestion_for(c, m)
				                                         : instead,
				          v.code.v[k], "prohibition in prose");
				found = 1;
			}
			free(m);
		}
		for (int k = 0; bare_tools[k].word; k++) {
			long q = find_word(v.prose, bare_tools[k].word, a);
			if (q < 0 || (size_t)q >= b)
				continue;
			if (bare_tools[k].ambiguous &&
			    !(find_phrase(v.low, "process manager") >= 0 ||
			      find_word(v.prose, "pm2", 0) >= 0 ||
			      find_word(v.prose, "nodemon", 0) >= 0 ||
			      find_word(v.prose, "install", 0) >= 0 ||
			      (q >= 4 && strncmp(v.prose + q - 4, "use ", 4) == 0)))
				continue;
			if (strcmp(bare_tools[k].match, "docker") == 0 &&
			    (c->owner == M_COMPOSE ||
			     strncmp(v.prose + q, "docker compose", 14) == 0))
				continue; /* Compose's own docker, not docker itself */
			if (is_owner_tool(c, bare_tools[k].match))
				continue; /* a guide never forbids its own manager wholesale */
			/* a competing manager: suggest the owner's documented command */
			make_rule(c, act == V_DENY ? "no-" : "caution-", bare_tools[k].match, act,
			          s,
			          instead                              ? instead
			          : hand_start(c, bare_tools[k].match) ? suggestion(c)
			                                               : NULL,
			          bare_example(bare_tools[k].match), "tool named in a prohibition");
			found = 1;
			/* "should not be installed": installing it with npm too */
			if (act == V_DENY && find_word(v.prose, "installed", a) >= 0 &&
			    (strcmp(bare_tools[k].match, "pm2") == 0 ||
			     strcmp(bare_tools[k].match, "forever") == 0 ||
			     strcmp(bare_tools[k].match, "nodemon") == 0)) {
				/* the analyser's options are skipped by the matcher:
				   this also matches "npm install -g pm2" */
				char *m1 = xasprintf("npm i* %s*", bare_tools[k].match);
				char *e1 = xasprintf("npm install -g %s", bare_tools[k].match);
				make_rule(c, "no-install-", m1, V_DENY, s, instead, e1,
				          "installing a tool the doc says must not be installed");
				rename_rule(c->out, m1, "no-npm-install-", bare_tools[k].match);
				free(m1);
				free(e1);
			}
		}
		if (found)
			goto out;
	}
cautions:
	if (caution) {
		int found = 0;
		for (size_t k = 0; k < v.code.n; k++) {
			if (!is_command(v.code.v[k]))
				continue;
			char *m = match_from(v.code.v[k], 8);
			if (m)
				make_rule(c, "caution-", m, V_WARN, s, NULL, v.code.v[k],
				          "caution in prose");
			free(m);
			found = 1;
		}
		/* the code block the sentence introduces, or follows */
		int blk = -1;
		if (!found) {
			size_t tl = strlen(s->text);
			if (s->block_after >= 0 && tl &&
			    (s->text[tl - 1] == ':' || s->block_before < 0))
				blk = s->block_after;
			else if (s->block_before >= 0)
				blk = s->block_before;
		}
		for (size_t k = 0; blk >= 0 && k < c->d->nc; k++) {
			if (c->d->c[k].block != blk || !block_cmd_ok(c->d, k))
				continue;
			char *m = match_from(c->d->c[k].text, 8);
			if (m)
				make_rule(c, "caution-", m, V_WARN, s, NULL, c->d->c[k].text,
				          "caution about a documented command");
			free(m);
		}
	}
out:
	sv_free(&keep);
	sview_free(&v);
}

static const char *tool_example(const char *tool, const struct dfacts *f)
{
	(void)f;
	return bare_example(tool);
}

static void owner_rules(struct ctx *c, struct dack *ack)
{
	if (c->owner == M_NONE || c->own_sent < 0)
		return;
	const struct dsent *s = &c->d->s[c->own_sent];
	const char *inst = suggestion(c);
	char *ackname = NULL;
	{
		char *b = xstrdup(base_name(c->d->path));
		char *dot = strrchr(b, '.');
		if (dot && dot != b)
			*dot = 0;
		ackname = slugify(b, 40);
		free(b);
		if (!ackname[0]) {
			free(ackname);
			ackname = xstrdup("doc");
		}
	}
	ack->name = xstrdup(ackname);
	ack->doc = xstrdup(c->d->path);
	ack->section = xstrdup(s->heading >= 0 ? c->d->h[s->heading].text : "");

	/* the owner's own commands: allowed once the section has been read */
	struct strv ms = {0}, ex = {0};
	if (c->owner == M_SYSTEMD) {
		for (size_t i = 0; i < c->units.n; i++) {
			sv_push(&ms, xasprintf("systemctl * %s*", c->units.v[i]));
			const char *e = owner_cmd(c, "status", c->units.v[i]);
			if (!e || find_word(e, "systemctl", 0) < 0)
				e = owner_cmd(c, "restart", c->units.v[i]);
			sv_push(&ex, e && find_word(e, "systemctl", 0) >= 0
			                 ? xstrdup(e)
			                 : xasprintf("systemctl status %s", c->units.v[i]));
		}
		for (size_t i = 0; i < c->journal.n; i++) {
			sv_push(&ms, xasprintf("journalctl -u %s*", c->journal.v[i]));
			sv_push(&ex, xasprintf("journalctl -u %s", c->journal.v[i]));
		}
	} else if (c->owner == M_SUPERVISOR) {
		for (size_t i = 0; i < c->units.n; i++) {
			sv_push(&ms, xasprintf("supervisorctl * %s*", c->units.v[i]));
			sv_push(&ex, xasprintf("supervisorctl status %s", c->units.v[i]));
		}
	} else if (c->owner == M_PM2) {
		sv_push(&ms, xstrdup("pm2"));
		const char *e = owner_cmd(c, "status", NULL);
		if (!e)
			e = owner_cmd(c, "list", NULL);
		sv_push(&ex, xstrdup(e ? e : "pm2 list"));
	} else if (c->owner == M_COMPOSE) {
		sv_push(&ms, xstrdup("docker compose"));
		sv_push(&ex, xstrdup("docker compose ps"));
		sv_push(&ms, xstrdup("docker-compose"));
		sv_push(&ex, xstrdup("docker-compose ps"));
	}
	for (size_t i = 0; i < ms.n; i++) {
		struct drule r = {0};
		r.match = xstrdup(ms.v[i]);
		char *sl = slugify(ms.v[i], 40);
		r.name = xasprintf("use-%s", sl);
		free(sl);
		r.action = V_ALLOW;
		r.reason = xstrdup(s->text);
		r.see = see_of(c->d, s->line);
		r.ack = xstrdup(ackname);
		r.why =
		    xasprintf("documented %s command: read the section first", mgr_name(c->owner));
		sv_push(&r.ex_allow, xstrdup(ex.v[i]));
		rule_add(c->out, &r);
	}
	sv_free(&ms);
	sv_free(&ex);

	/* competing managers of a Node app */
	if (c->node || c->f->node) {
		static const char *comp[] = {"pm2", "forever", "nodemon", NULL};
		for (int i = 0; comp[i]; i++) {
			if (is_owner_tool(c, comp[i]))
				continue;
			char *why = xasprintf("competing process manager: %s runs the app",
			                      mgr_name(c->owner));
			make_rule(c, "no-", comp[i], V_DENY, s, inst, tool_example(comp[i], c->f),
			          why);
			free(why);
		}
	}
	/* hand-started copies of the app */
	for (size_t i = 0; i < c->f->start.n; i++) {
		const char *m = c->f->start.v[i];
		if (is_owner_tool(c, m) || rule_matches(mgr_tool(c->owner), m) >= 0)
			continue;
		char *why = xasprintf("hand-started copy of the app (started by %s, see %s)",
		                      mgr_name(c->owner), c->f->start_see.v[i]);
		/* example: the words with the * of *basename dropped */
		struct sbuf e;
		sb_init(&e);
		for (const char *q = m; *q; q++)
			if (*q != '*')
				sb_addc(&e, *q);
		make_rule(c, "no-hand-started-", m, V_DENY, s, suggestion_for(c, m), e.s, why);
		sb_free(&e);
		free(why);
	}
	free(ackname);
}

/* Start commands named in the doc itself ("runs `node server.js` directly"). */
static void doc_start_cmds(struct ctx *c, struct dfacts *f)
{
	static const char *interp[] = {"node", "python", "python3", "ruby",
	                               "php",  "deno",   "bun",     NULL};
	for (size_t i = 0; i < c->d->ns; i++) {
		struct sview v;
		sview_init(&v, c->d->s[i].text);
		for (size_t k = 0; k < v.code.n; k++) {
			char *m = match_from(v.code.v[k], 2);
			if (m && strchr(m, '*'))
				for (int j = 0; interp[j]; j++)
					if (strncmp(m, interp[j], strlen(interp[j])) == 0 &&
					    m[strlen(interp[j])] == ' ')
						fact_start(f, v.code.v[k], c->d->path,
						           c->d->s[i].line);
			free(m);
		}
		sview_free(&v);
	}
}

/* Examples must agree with the whole rule set: drop the ones that do not
 * (the strictest matching rule decides, as in guard.ini(5)). */
static void fix_examples(struct drules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct strv *sets[3] = {&rs->v[i].ex_allow, &rs->v[i].ex_warn, &rs->v[i].ex_deny};
		for (int v = 0; v < 3; v++) {
			struct strv keep = {0};
			for (size_t k = 0; k < sets[v]->n; k++) {
				/* the most specific rule decides, ties: the stricter;
				   none: [guard] default = allow; acks assumed given */
				int best_n = -1, verdict = V_ALLOW;
				for (size_t j = 0; j < rs->n; j++) {
					int n = rule_matches(rs->v[j].match, sets[v]->v[k]);
					if (n > best_n || (n >= 0 && n == best_n &&
					                   (int)rs->v[j].action > verdict)) {
						best_n = n;
						verdict = (int)rs->v[j].action;
					}
				}
				if (verdict == v)
					sv_push(&keep, xstrdup(sets[v]->v[k]));
			}
			sv_free(sets[v]);
			*sets[v] = keep;
		}
	}
}

void heur_doc(const struct ddoc *d, const struct dfacts *f, struct drules *out, struct dack *ack)
{
	struct ctx c = {0};
	struct dfacts local = {0};
	c.d = d;
	c.out = out;
	c.own_sent = -1;
	memset(ack, 0, sizeof *ack);
	find_owner(&c);
	each_cmd(d, collect_owner_cmd, &c);
	/* facts: the tree's plus start commands named in this doc */
	for (size_t i = 0; i < f->start.n; i++) {
		sv_push(&local.start, xstrdup(f->start.v[i]));
		sv_push(&local.start_see, xstrdup(f->start_see.v[i]));
	}
	local.node = f->node;
	doc_start_cmds(&c, &local);
	c.f = &local;
	for (size_t i = 0; i < d->ns; i++)
		sentence_rules(&c, i);
	owner_rules(&c, ack);
	fix_examples(out);
	facts_free(&local);
	sv_free(&c.owner_cmds);
	sv_free(&c.units);
	sv_free(&c.journal);
}
