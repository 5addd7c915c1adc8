/* git_derive.c - a policy from the committed docs, and staleness (see git_derive.h). */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "decide.h"
#include "git_derive.h"
#include "git_heur.h"
#include "git_repo.h"
#include "git_text.h"
#include "policy.h"

#define DOC_MAX (1u << 20) /* bytes of one doc */
#define FACT_MAX (256u << 10)
#define MAX_DOCS 200
#define LINE_MAX_POLICY 180 /* the loader refuses lines of 190 bytes and more */

static const char *default_include[] = {"README*",   "DEPLOY*", "*deploy*", "*operations*",
                                        "*runbook*", "docs/**", NULL};
static const char *default_exclude[] = {"node_modules/**", "*/node_modules/**", "vendor/**",
                                        ".git/**",         ".guard/**",         NULL};

/* ----------------------------------------------- reading an existing policy */

struct oldpol {
	struct strv include, exclude;
	struct strv doc;     /* "PATH BLOB" */
	struct strv expires; /* "NAME VALUE" */
	char *commit;
};

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* Reads the few sections derive needs; the full reader is policy.c's. */
static void oldpol_read(struct oldpol *o, const char *text, size_t len)
{
	memset(o, 0, sizeof *o);
	if (!text)
		return;
	char *sec = xstrdup("");
	char *copy = xstrndup(text, len);
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		char *s = trim(line);
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');
			free(sec);
			sec = xstrndup(s + 1, e ? (size_t)(e - s - 1) : strlen(s + 1));
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			continue;
		*eq = 0;
		char *k = trim(s), *v = trim(eq + 1);
		char *c = strstr(v, " ;");
		if (c)
			*c = 0;
		v = trim(v);
		if (strcmp(sec, "docs") == 0 && strcmp(k, "include") == 0)
			sv_push(&o->include, xstrdup(v));
		else if (strcmp(sec, "docs") == 0 && strcmp(k, "exclude") == 0)
			sv_push(&o->exclude, xstrdup(v));
		else if (strcmp(sec, "derived") == 0 && strcmp(k, "doc") == 0)
			sv_push(&o->doc, xstrdup(v));
		else if (strcmp(sec, "derived") == 0 && strcmp(k, "commit") == 0) {
			free(o->commit);
			o->commit = xstrdup(v);
		} else if (strncmp(sec, "ack ", 4) == 0 && strcmp(k, "expires") == 0)
			sv_push(&o->expires, xasprintf("%s %s", trim(sec + 4), v));
	}
	free(copy);
	free(sec);
}

static void oldpol_free(struct oldpol *o)
{
	sv_free(&o->include);
	sv_free(&o->exclude);
	sv_free(&o->doc);
	sv_free(&o->expires);
	free(o->commit);
}

/* --------------------------------------------------------- doc selection */

/* A glob without '/' matches the file name in any directory; with '/', the
 * whole path ('*' crosses '/', so docs/ followed by two stars is everything under docs). */
static int glob_match(const char *g, const char *path)
{
	if (!strchr(g, '/'))
		return fnmatch(g, base_name(path), FNM_CASEFOLD) == 0;
	return fnmatch(g, path, FNM_CASEFOLD) == 0;
}

static int any_match(const char **defaults, const struct strv *a, const struct strv *b,
                     const char *path)
{
	for (int i = 0; defaults && defaults[i]; i++)
		if (glob_match(defaults[i], path))
			return 1;
	for (size_t i = 0; a && i < a->n; i++)
		if (glob_match(a->v[i], path))
			return 1;
	for (size_t i = 0; b && i < b->n; i++)
		if (glob_match(b->v[i], path))
			return 1;
	return 0;
}

static int text_name(const char *path)
{
	static const char *ext[] = {".md",  ".markdown", ".mdown", ".rst",
	                            ".txt", ".text",     ".adoc",  NULL};
	const char *b = base_name(path);
	const char *dot = strrchr(b, '.');
	if (!dot || dot == b)
		return 1;
	for (int i = 0; ext[i]; i++)
		if (strcasecmp(dot, ext[i]) == 0)
			return 1;
	return 0;
}

static int fact_name(const char *path)
{
	const char *b = base_name(path);
	size_t n = strlen(b);
	if (strstr(path, "node_modules/"))
		return 0;
	return strcmp(b, "package.json") == 0 || (n > 8 && strcmp(b + n - 8, ".service") == 0) ||
	       (n > 3 && strcmp(b + n - 3, ".sh") == 0) ||
	       (n > 5 && strcmp(b + n - 5, ".conf") == 0 && strstr(path, "supervisor"));
}

/* Markdown first, then the rest; each by path. */
static int doc_rank(const char *path)
{
	return doc_kind_of(path) == DOC_MARKDOWN ? 0 : 1;
}

struct docref {
	const struct grepo_entry *e;
	int rank;
};

static int docref_cmp(const void *a, const void *b)
{
	const struct docref *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->e->path, y->e->path);
}

/* ------------------------------------------------------------- emitting */

/* One INI value: no newlines, no " ;" (an inline comment to the reader). */
static char *ini_value(const char *s)
{
	struct sbuf b;
	sb_init(&b);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && b.len && b.s[b.len - 1] == ' ')
			continue;
		if (c == ';' && b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = 0;
		sb_addc(&b, (char)c);
	}
	char *r = sb_take(&b);
	char *t = trim(r);
	memmove(r, t, strlen(t) + 1);
	return r;
}

/* key = value, continued with `key += more` lines to stay short. */
static void emit_long(struct sbuf *o, const char *key, const char *value)
{
	char *v = ini_value(value);
	const char *p = v;
	int first = 1;
	while (*p) {
		size_t room = LINE_MAX_POLICY - strlen(key) - 4;
		size_t n = strlen(p);
		if (n > room) {
			n = room;
			while (n > room / 2 && p[n] != ' ')
				n--;
			if (p[n] != ' ')
				n = room;
		}
		sb_addf(o, "%s %s %.*s\n", key, first ? "=" : "+=", (int)n, p);
		first = 0;
		p += n;
		while (*p == ' ')
			p++;
	}
	free(v);
}

/* key = value if it fits on one line; returns 0 if it did not. */
static int emit_short(struct sbuf *o, const char *key, const char *value)
{
	char *v = ini_value(value);
	int ok = strlen(key) + 3 + strlen(v) <= LINE_MAX_POLICY && *v;
	if (ok)
		sb_addf(o, "%s = %s\n", key, v);
	free(v);
	return ok;
}

static int rule_cmp(const void *a, const void *b)
{
	return strcmp(((const struct drule *)a)->name, ((const struct drule *)b)->name);
}

/* Rule names from ```guard blocks, so generated names never collide. */
static void block_rule_names(const char *body, struct strv *names, int *has_guard)
{
	char *copy = xstrdup(body);
	for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n")) {
		char *s = trim(l);
		if (strncmp(s, "[rule ", 6) == 0) {
			char *e = strchr(s, ']');
			if (e)
				*e = 0;
			sv_push(names, xstrdup(trim(s + 6)));
		} else if (strncmp(s, "[guard]", 7) == 0) {
			*has_guard = 1;
		}
	}
	free(copy);
}

static int name_taken(const struct strv *names, const struct drules *rs, size_t upto, const char *n)
{
	for (size_t i = 0; i < names->n; i++)
		if (strcmp(names->v[i], n) == 0)
			return 1;
	for (size_t i = 0; i < upto; i++)
		if (strcmp(rs->v[i].name, n) == 0)
			return 1;
	return 0;
}

struct srcdoc {
	char *path;
	char hex[41];
	char *text;
	size_t len;
};

struct gblock {
	char *where; /* path:line */
	char *path;
	int body_line; /* the doc's line of the first body line */
	char *body;
	int out_line; /* the output's line of the first body line (set by emit) */
};

static int line_of(const struct sbuf *o)
{
	int n = 1;
	for (size_t i = 0; i < o->len; i++)
		n += o->s[i] == '\n';
	return n;
}

static void emit(struct sbuf *o, const char *commit_hex, const struct derive_opts *opt,
                 const struct oldpol *old, struct srcdoc *docs, size_t ndocs, struct drules *rs,
                 struct dack *acks, size_t nacks, struct gblock *gb, size_t ngb,
                 const struct dfacts *facts)
{
	struct strv names = {0};
	int has_guard = 0;
	for (size_t i = 0; i < ngb; i++)
		block_rule_names(gb[i].body, &names, &has_guard);

	sb_adds(o, "; guard policy derived from this repository's docs by `guard derive`.\n"
	           "; Do not edit it: change the docs (a ```guard block in a doc states rules\n"
	           "; exactly) and run `guard derive` again.  `guard derive --check` fails when\n"
	           "; this file is stale.  Format: guard.ini(5).\n\n");
	if (!has_guard)
		sb_adds(o, "[guard]\ndefault = allow\nunknown = auto\n\n");
	sb_adds(o, "[derived]\n");
	sb_addf(o, "commit = %s\n", commit_hex);
	if (opt->ref)
		emit_short(o, "ref", opt->ref);
	for (size_t i = 0; i < ndocs; i++) {
		char *v = xasprintf("%s %s", docs[i].path, docs[i].hex);
		emit_short(o, "doc", v);
		free(v);
	}
	for (size_t i = 0; i < facts->start.n; i++)
		sb_addf(o, "; starts the app: %.80s (%.80s)\n", facts->start.v[i],
		        facts->start_see.v[i]);
	sb_adds(o, "\n");

	struct strv inc = {0}, exc = {0};
	for (size_t i = 0; i < old->include.n; i++)
		sv_push(&inc, xstrdup(old->include.v[i]));
	for (size_t i = 0; i < opt->include.n; i++)
		sv_push(&inc, xstrdup(opt->include.v[i]));
	for (size_t i = 0; i < old->exclude.n; i++)
		sv_push(&exc, xstrdup(old->exclude.v[i]));
	for (size_t i = 0; i < opt->exclude.n; i++)
		sv_push(&exc, xstrdup(opt->exclude.v[i]));
	if (inc.n || exc.n) {
		sb_adds(o, "[docs]\n");
		for (size_t i = 0; i < inc.n; i++)
			emit_short(o, "include", inc.v[i]);
		for (size_t i = 0; i < exc.n; i++)
			emit_short(o, "exclude", exc.v[i]);
		sb_adds(o, "\n");
	}
	sv_free(&inc);
	sv_free(&exc);

	for (size_t i = 0; i < nacks; i++) {
		const char *blob = "";
		for (size_t k = 0; k < ndocs; k++)
			if (strcmp(docs[k].path, acks[i].doc) == 0)
				blob = docs[k].hex;
		sb_addf(o, "; read this before the commands whose rules say ack = %.80s\n",
		        acks[i].name);
		sb_addf(o, "[ack %s]\n", acks[i].name);
		emit_short(o, "doc", acks[i].doc);
		if (acks[i].section[0])
			emit_short(o, "section", acks[i].section);
		sb_addf(o, "blob = %s\n", blob);
		for (size_t k = 0; k < old->expires.n; k++) {
			size_t nl = strlen(acks[i].name);
			if (strncmp(old->expires.v[k], acks[i].name, nl) == 0 &&
			    old->expires.v[k][nl] == ' ')
				emit_short(o, "expires", old->expires.v[k] + nl + 1);
		}
		sb_adds(o, "\n");
	}

	/* names: at most 40 bytes ([rule NAME] must stay under inih's 50), unique */
	for (size_t i = 0; i < rs->n; i++)
		if (strlen(rs->v[i].name) > 40)
			rs->v[i].name[40] = 0;
	if (rs->n)
		qsort(rs->v, rs->n, sizeof *rs->v, rule_cmp);
	for (size_t i = 0; i < rs->n; i++) {
		if (!name_taken(&names, rs, i, rs->v[i].name))
			continue;
		for (int k = 2;; k++) {
			char *n = xasprintf("%.36s-%d", rs->v[i].name, k);
			if (!name_taken(&names, rs, i, n)) {
				free(rs->v[i].name);
				rs->v[i].name = n;
				break;
			}
			free(n);
		}
	}
	if (rs->n)
		qsort(rs->v, rs->n, sizeof *rs->v, rule_cmp);
	for (size_t i = 0; i < rs->n; i++) {
		struct drule *r = &rs->v[i];
		char *m = ini_value(r->match);
		if (strlen(m) + 8 > LINE_MAX_POLICY) {
			free(m);
			continue;
		}
		sb_addf(o, "; %.170s\n", r->why);
		sb_addf(o, "[rule %s]\n", r->name);
		sb_addf(o, "match = %s\n", m);
		free(m);
		sb_addf(o, "action = %s\n", verdict_name(r->action));
		emit_long(o, "reason", r->reason);
		if (r->instead)
			emit_short(o, "instead", r->instead);
		emit_short(o, "see", r->see);
		if (r->ack)
			emit_short(o, "ack", r->ack);
		for (size_t k = 0; k < r->ex_allow.n; k++)
			emit_short(o, "example.allow", r->ex_allow.v[k]);
		for (size_t k = 0; k < r->ex_warn.n; k++)
			emit_short(o, "example.warn", r->ex_warn.v[k]);
		for (size_t k = 0; k < r->ex_deny.n; k++)
			emit_short(o, "example.deny", r->ex_deny.v[k]);
		sb_adds(o, "\n");
	}
	for (size_t i = 0; i < ngb; i++) {
		sb_addf(o, "; ```guard block at %.150s, copied verbatim\n", gb[i].where);
		gb[i].out_line = line_of(o);
		sb_adds(o, gb[i].body);
		sb_adds(o, "\n");
	}
	while (o->len >= 2 && o->s[o->len - 1] == '\n' && o->s[o->len - 2] == '\n')
		o->s[--o->len] = 0;
	sv_free(&names);
}

/* ------------------------------------------------------------ checking */

/*
 * Loads the policy as guard will, which also decides every example with
 * guard's own decision (acknowledgements taken as given: they are per-user
 * state; a failing example is an error of the policy).  A derived policy
 * that guard would refuse is never written.
 */
static int validate(const char *text, const struct gblock *gb, size_t ngb, char **err)
{
	struct policy p;
	struct sbuf b;
	int bad = 0;
	policy_init(&p);
	sb_init(&b);
	policy_load_string(&p, "derived policy", text, strlen(text));
	for (size_t i = 0; i < p.errors.n && i < 5; i++, bad++) {
		/* an error inside a ```guard block: name the doc's own line */
		const char *e = p.errors.v[i];
		int ln = 0;
		const char *q = strstr(e, "derived policy:");
		if (q)
			ln = atoi(q + 15);
		const struct gblock *hit = NULL;
		for (size_t k = 0; k < ngb; k++)
			if (ln >= gb[k].out_line) {
				int nl = 0;
				for (const char *t = gb[k].body; *t; t++)
					nl += *t == '\n';
				if (ln < gb[k].out_line + nl)
					hit = &gb[k];
			}
		if (hit) {
			const char *msg = strchr(q + 15, ':');
			sb_addf(&b, "\n  %s:%d:%s", hit->path, hit->body_line + ln - hit->out_line,
			        msg ? msg + 1 : e);
		} else {
			sb_addf(&b, "\n  %s", e);
		}
	}
	if (bad)
		*err = xasprintf("the derived policy does not pass guard's checks; nothing was "
		                 "written:%s",
		                 b.s ? b.s : "");
	sb_free(&b);
	policy_free(&p);
	return bad ? -1 : 0;
}

/* ------------------------------------------------------------ deriving */

int derive_policy(git_repository *r, const git_oid *commit, const struct derive_opts *opt,
                  char **out, struct strv *docnames, char **err)
{
	int rc = -1;
	struct grepo_entry *ents = NULL;
	size_t nents = 0, ndocs = 0, nacks = 0, ngb = 0;
	struct srcdoc *docs = NULL;
	struct dack *acks = NULL;
	struct gblock *gb = NULL;
	struct docref *refs = NULL;
	struct drules rs = {0};
	struct dfacts facts = {0};
	struct oldpol old;
	struct sbuf o;
	char hex[41];
	sb_init(&o);
	oldpol_read(&old, opt->policy, opt->policy_len);

	if ((rc = grepo_list_tree(r, commit, &ents, &nents, err)) < 0)
		goto out;
	rc = -1;
	refs = xcalloc(nents ? nents : 1, sizeof *refs);
	size_t nrefs = 0;
	for (size_t i = 0; i < nents; i++) {
		const char *p = ents[i].path;
		if (ents[i].mode == 0120000)
			continue; /* a symlink's target is not a doc */
		if (fact_name(p)) {
			char *t = NULL;
			size_t tl = 0;
			char *e2 = NULL;
			if (grepo_read_path(r, commit, p, FACT_MAX, &t, &tl, NULL, &e2) == 0)
				heur_facts(&facts, p, t, tl);
			free(t);
			free(e2);
		}
		if (!text_name(p))
			continue;
		if (!any_match(default_include, &old.include, &opt->include, p))
			continue;
		if (any_match(default_exclude, &old.exclude, &opt->exclude, p))
			continue;
		refs[nrefs].e = &ents[i];
		refs[nrefs].rank = doc_rank(p);
		nrefs++;
	}
	if (nrefs > MAX_DOCS) {
		*err = xasprintf("%zu docs match; at most %d are read (narrow [docs] include)",
		                 nrefs, MAX_DOCS);
		goto out;
	}
	qsort(refs, nrefs, sizeof *refs, docref_cmp);
	docs = xcalloc(nrefs ? nrefs : 1, sizeof *docs);
	for (size_t i = 0; i < nrefs; i++) {
		struct srcdoc *d = &docs[ndocs];
		git_oid blob;
		if (grepo_read_path(r, commit, refs[i].e->path, DOC_MAX, &d->text, &d->len, &blob,
		                    err) < 0)
			goto out;
		if (memchr(d->text, 0, d->len)) {
			free(d->text);
			d->text = NULL;
			continue; /* binary */
		}
		d->path = xstrdup(refs[i].e->path);
		grepo_oid_hex(&blob, d->hex);
		ndocs++;
	}
	for (size_t i = 0; i < ndocs; i++) {
		struct ddoc d;
		doc_parse(&d, docs[i].path, docs[i].text, docs[i].len);
		int has_block = 0;
		for (size_t k = 0; k < d.nb; k++) {
			if (strcmp(d.b[k].info, "guard") != 0)
				continue;
			has_block = 1;
			/* every line must fit the policy reader */
			int ln = d.b[k].body_line;
			for (const char *p = d.b[k].body; *p; ln++) {
				const char *e = strchr(p, '\n');
				size_t n = e ? (size_t)(e - p) : strlen(p);
				if (n >= 190) {
					*err = xasprintf(
					    "%s:%d: line of a ```guard block is %zu bytes "
					    "(policy lines must be under 190)",
					    docs[i].path, ln, n);
					doc_free(&d);
					goto out;
				}
				p += n + (e ? 1 : 0);
			}
			gb = xreallocarray(gb, ngb + 1, sizeof *gb);
			gb[ngb].where = xasprintf("%s:%d", docs[i].path, d.b[k].line);
			gb[ngb].path = xstrdup(docs[i].path);
			gb[ngb].body_line = d.b[k].body_line;
			gb[ngb].body = xstrdup(d.b[k].body);
			ngb++;
		}
		/* A doc with ```guard blocks states its policy exactly: its prose is
		   not second-guessed. */
		if (!has_block) {
			struct dack a;
			heur_doc(&d, &facts, &rs, &a);
			if (a.name) {
				acks = xreallocarray(acks, nacks + 1, sizeof *acks);
				acks[nacks++] = a;
			}
		}
		doc_free(&d);
	}
	/* ack names unique */
	for (size_t i = 1; i < nacks; i++)
		for (size_t k = 0; k < i; k++)
			if (strcmp(acks[i].name, acks[k].name) == 0) {
				char *n = xasprintf("%s-%zu", acks[i].name, i + 1);
				for (size_t j = 0; j < rs.n; j++)
					if (rs.v[j].ack && strcmp(rs.v[j].ack, acks[i].name) == 0 &&
					    strncmp(rs.v[j].see, acks[i].doc,
					            strlen(acks[i].doc)) == 0) {
						free(rs.v[j].ack);
						rs.v[j].ack = xstrdup(n);
					}
				free(acks[i].name);
				acks[i].name = n;
			}

	emit(&o, grepo_oid_hex(commit, hex), opt, &old, docs, ndocs, &rs, acks, nacks, gb, ngb,
	     &facts);
	if (validate(o.s ? o.s : "", gb, ngb, err) < 0)
		goto out;
	*out = sb_take(&o);
	if (docnames)
		for (size_t i = 0; i < ndocs; i++)
			sv_push(docnames, xstrdup(docs[i].path));
	rc = 0;
out:
	for (size_t i = 0; i < ndocs; i++) {
		free(docs[i].path);
		free(docs[i].text);
	}
	free(docs);
	for (size_t i = 0; i < nacks; i++)
		dack_free(&acks[i]);
	free(acks);
	for (size_t i = 0; i < ngb; i++) {
		free(gb[i].where);
		free(gb[i].path);
		free(gb[i].body);
	}
	free(gb);
	free(refs);
	drules_free(&rs);
	facts_free(&facts);
	grepo_entries_free(ents, nents);
	oldpol_free(&old);
	sb_free(&o);
	return rc;
}

/* ---------------------------------------------------------- staleness */

/* The text without the lines that name the commit and ref. */
static char *body_of(const char *t, size_t len)
{
	struct sbuf b;
	sb_init(&b);
	const char *p = t, *end = t + len;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
		if (!(n >= 6 && (strncmp(p, "commit", 6) == 0 || strncmp(p, "ref ", 4) == 0 ||
		                 strncmp(p, "ref=", 4) == 0)))
			sb_addn(&b, p, n), sb_addc(&b, '\n');
		p += n + 1;
	}
	return sb_take(&b);
}

static const char *doc_blob(const struct strv *docs, const char *path, size_t plen)
{
	for (size_t i = 0; i < docs->n; i++)
		if (strncmp(docs->v[i], path, plen) == 0 && docs->v[i][plen] == ' ')
			return docs->v[i] + plen + 1;
	return NULL;
}

int derive_check(git_repository *r, const git_oid *commit, const char *policy, size_t len,
                 struct strv *why, char **err)
{
	struct oldpol old, now;
	struct derive_opts o = {0};
	char *fresh = NULL;
	int rc = -1;
	oldpol_read(&old, policy, len);
	memset(&now, 0, sizeof now);
	if (!old.commit) {
		*err = xstrdup("not a derived policy (it has no [derived] commit)");
		goto out;
	}
	o.policy = policy;
	o.policy_len = len;
	if (derive_policy(r, commit, &o, &fresh, NULL, err) < 0)
		goto out;
	oldpol_read(&now, fresh, strlen(fresh));
	size_t before = why->n;
	for (size_t i = 0; i < now.doc.n; i++) {
		const char *sp = strrchr(now.doc.v[i], ' ');
		size_t pl = (size_t)(sp - now.doc.v[i]);
		const char *ob = doc_blob(&old.doc, now.doc.v[i], pl);
		if (!ob)
			sv_push(why, xasprintf("%.*s: new doc, not in the policy", (int)pl,
			                       now.doc.v[i]));
		else if (strcmp(ob, sp + 1) != 0)
			sv_push(why,
			        xasprintf("%.*s: changed since the policy was derived (blob %.12s, "
			                  "now %.12s)",
			                  (int)pl, now.doc.v[i], ob, sp + 1));
	}
	for (size_t i = 0; i < old.doc.n; i++) {
		const char *sp = strrchr(old.doc.v[i], ' ');
		if (!sp)
			continue;
		size_t pl = (size_t)(sp - old.doc.v[i]);
		if (!doc_blob(&now.doc, old.doc.v[i], pl))
			sv_push(why,
			        xasprintf("%.*s: no longer read at this commit (removed, renamed "
			                  "or excluded)",
			                  (int)pl, old.doc.v[i]));
	}
	if (why->n == before) {
		char *a = body_of(policy, len), *b = body_of(fresh, strlen(fresh));
		if (strcmp(a, b) != 0)
			sv_push(why,
			        xstrdup("the rules differ from what guard derive writes now "
			                "(edited by hand, or written by another guard version)"));
		free(a);
		free(b);
	}
	rc = why->n > before ? 1 : 0;
out:
	free(fresh);
	oldpol_free(&old);
	oldpol_free(&now);
	return rc;
}
