/* git_extract.c - the shell commands a file would run (see git_extract.h). */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "git_extract.h"
#include "util.h"

/* ---- helpers ---------------------------------------------------------- */

struct lines {
	const char **p; /* start of each line */
	size_t *n;      /* length without the newline (and without a trailing CR) */
	size_t count;
};

static void lines_split(const char *buf, size_t len, struct lines *L)
{
	memset(L, 0, sizeof *L);
	size_t cap = 0, i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && buf[j] != '\n')
			j++;
		if (L->count == cap) {
			cap = cap ? cap * 2 : 64;
			L->p = xreallocarray(L->p, cap, sizeof *L->p);
			L->n = xreallocarray(L->n, cap, sizeof *L->n);
		}
		size_t n = j - i;
		if (n && buf[i + n - 1] == '\r')
			n--;
		L->p[L->count] = buf + i;
		L->n[L->count] = n;
		L->count++;
		i = j + 1;
	}
}

static void lines_free(struct lines *L)
{
	free(L->p);
	free(L->n);
	memset(L, 0, sizeof *L);
}

static void add_snip(struct xsnips *out, char *text, int line, int folded, const char *what)
{
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	struct xsnip *s = &out->v[out->n++];
	s->text = text;
	s->len = strlen(text);
	s->line = line;
	s->folded = folded;
	s->what = xstrdup(what);
}

void xsnips_free(struct xsnips *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].text);
		free(s->v[i].what);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

int xsnip_file_line(const struct xsnip *s, int rel)
{
	if (s->folded || rel < 1)
		return s->line;
	return s->line + rel - 1;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static size_t indent_of(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] == ' ')
		i++;
	return i;
}

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i]))
			return 0;
	return 1;
}

/* Appends s quoted for the shell, in single quotes. */
static void sb_add_shquoted(struct sbuf *b, const char *s)
{
	sb_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_adds(b, "'\\''");
		else
			sb_addc(b, *s);
	}
	sb_addc(b, '\'');
}

/* ---- classification --------------------------------------------------- */

enum xkind extract_kind_by_path(const char *path)
{
	const char *b = base_name(path);
	if (has_suffix(b, ".sh") || has_suffix(b, ".bash"))
		return XK_SHELL;
	if (strcmp(b, "package.json") == 0)
		return XK_PACKAGE_JSON;
	if (strcmp(b, "Makefile") == 0 || strcmp(b, "makefile") == 0 ||
	    strcmp(b, "GNUmakefile") == 0 || has_suffix(b, ".mk"))
		return XK_MAKEFILE;
	if (has_suffix(b, ".service") || has_suffix(b, ".socket"))
		return XK_SYSTEMD;
	if (strcmp(b, "Dockerfile") == 0 || strcmp(b, "Containerfile") == 0 ||
	    strncmp(b, "Dockerfile.", 11) == 0 || strncmp(b, "Containerfile.", 14) == 0 ||
	    has_suffix(b, ".dockerfile"))
		return XK_DOCKERFILE;
	int yml = has_suffix(b, ".yml") || has_suffix(b, ".yaml");
	if (yml &&
	    (strncmp(path, ".github/workflows/", 18) == 0 || strcmp(b, "action.yml") == 0 ||
	     strcmp(b, "action.yaml") == 0 || strcmp(path, ".gitlab-ci.yml") == 0 ||
	     strcmp(path, ".travis.yml") == 0 || strcmp(path, ".circleci/config.yml") == 0 ||
	     strcmp(path, "bitbucket-pipelines.yml") == 0 || strncmp(path, ".gitlab/ci/", 11) == 0))
		return XK_CI;
	return XK_NONE;
}

enum xkind extract_kind_by_shebang(const char *head, size_t len)
{
	if (len < 3 || head[0] != '#' || head[1] != '!')
		return XK_NONE;
	size_t e = 2;
	while (e < len && head[e] != '\n' && e < 256)
		e++;
	char *l = xstrndup(head + 2, e - 2);
	enum xkind k = XK_NONE;
	char *save = NULL, *w = strtok_r(l, " \t\r", &save);
	if (w && strcmp(base_name(w), "env") == 0) {
		w = strtok_r(NULL, " \t\r", &save);
		while (w && w[0] == '-') /* env -S, env -i ... */
			w = strtok_r(NULL, " \t\r", &save);
	}
	if (w) {
		const char *n = base_name(w);
		if (!strcmp(n, "sh") || !strcmp(n, "bash") || !strcmp(n, "dash") ||
		    !strcmp(n, "ksh") || !strcmp(n, "zsh") || !strcmp(n, "ash"))
			k = XK_SHELL;
	}
	free(l);
	return k;
}

const char *extract_kind_name(enum xkind k)
{
	switch (k) {
	case XK_SHELL:
		return "shell script";
	case XK_PACKAGE_JSON:
		return "package.json";
	case XK_MAKEFILE:
		return "Makefile";
	case XK_SYSTEMD:
		return "systemd unit";
	case XK_DOCKERFILE:
		return "Dockerfile";
	case XK_CI:
		return "CI workflow";
	case XK_NONE:
		break;
	}
	return "file";
}

/* ---- package.json ----------------------------------------------------- */

static int line_at(const char *buf, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/* Offset of the JSON key `"key"` (as JSON writes it) followed by ':' at or
   after from, or -1. */
static long find_json_key(const char *buf, size_t len, size_t from, const char *key)
{
	json_t *js = json_string(key);
	char *enc = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;
	json_decref(js);
	long r = -1;
	size_t kl = enc ? strlen(enc) : 0;
	for (size_t i = from; enc && i + kl <= len; i++) {
		if (memcmp(buf + i, enc, kl) != 0)
			continue;
		size_t j = i + kl;
		while (j < len && isspace((unsigned char)buf[j]))
			j++;
		if (j < len && buf[j] == ':') {
			r = (long)i;
			break;
		}
	}
	free(enc);
	return r;
}

static int extract_package_json(const char *buf, size_t len, struct xsnips *out, char **err)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);
	if (!root) {
		*err = xasprintf("line %d: not valid JSON: %s", je.line, je.text);
		return -1;
	}
	int r = 0;
	json_t *scripts = json_is_object(root) ? json_object_get(root, "scripts") : NULL;
	if (scripts && !json_is_object(scripts)) {
		long o = find_json_key(buf, len, 0, "scripts");
		*err = xasprintf("line %d: \"scripts\" is not an object",
		                 o < 0 ? 1 : line_at(buf, (size_t)o));
		r = -1;
	} else if (scripts) {
		long base = find_json_key(buf, len, 0, "scripts");
		size_t from = base < 0 ? 0 : (size_t)base;
		size_t at = 0; /* line_at, kept incrementally: keys come in file order */
		int atline = 1;
		const char *key;
		json_t *val;
		json_object_foreach(scripts, key, val)
		{
			long o = find_json_key(buf, len, from, key);
			size_t off = o < 0 ? from : (size_t)o;
			if (off < at) {
				at = 0;
				atline = 1;
			}
			atline += line_at(buf + at, off - at) - 1;
			at = off;
			int line = atline;
			if (o >= 0)
				from = (size_t)o + 1;
			char *what = xasprintf("scripts.%s", key);
			if (!json_is_string(val)) {
				*err = xasprintf("line %d: %s is not a string", line, what);
				free(what);
				r = -1;
				break;
			}
			/* npm runs each script with sh -c: one line, even if it has newlines. */
			add_snip(out, xstrdup(json_string_value(val)), line, 1, what);
			free(what);
		}
	}
	json_decref(root);
	return r;
}

/* ---- Makefile --------------------------------------------------------- */

struct mvar {
	char *name, *value;
};

struct mvars {
	struct mvar *v;
	size_t n;
};

static struct mvar *mvar_find(struct mvars *M, const char *name, size_t nl)
{
	for (size_t i = 0; i < M->n; i++)
		if (strlen(M->v[i].name) == nl && memcmp(M->v[i].name, name, nl) == 0)
			return &M->v[i];
	return NULL;
}

static void mvar_set(struct mvars *M, const char *name, size_t nl, const char *val, int append)
{
	struct mvar *v = mvar_find(M, name, nl);
	if (!v) {
		M->v = xreallocarray(M->v, M->n + 1, sizeof *M->v);
		v = &M->v[M->n++];
		v->name = xstrndup(name, nl);
		v->value = xstrdup(val);
		return;
	}
	char *nv = append ? xasprintf("%s %s", v->value, val) : xstrdup(val);
	free(v->value);
	v->value = nv;
}

static int mname_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/*
 * Expands make references in s into shell text: $$ -> $, $(VAR) -> its value
 * when the Makefile defines it, $(shell X) -> $(X), anything else ->
 * ${MAKEVAR} (a word known only at run time).
 */
#define MEXPAND_BUDGET 4096     /* variable expansions per recipe line */
#define MEXPAND_MAX (64u << 10) /* bytes of one expanded recipe line */

static void mexpand(struct mvars *M, const char *s, size_t n, struct sbuf *b, int depth,
                    int *budget)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '$' || i + 1 >= n) {
			sb_addc(b, s[i]);
			continue;
		}
		char c = s[i + 1];
		if (c == '$') {
			sb_addc(b, '$');
			i++;
			continue;
		}
		if (c != '(' && c != '{') {
			sb_adds(b, "${MAKEVAR}");
			i++;
			continue;
		}
		char close = c == '(' ? ')' : '}';
		size_t j = i + 2;
		int lvl = 1;
		while (j < n) {
			if (s[j] == c)
				lvl++;
			else if (s[j] == close && --lvl == 0)
				break;
			j++;
		}
		if (j >= n) { /* unterminated: leave it to the shell */
			sb_addn(b, s + i, n - i);
			return;
		}
		const char *in = s + i + 2;
		size_t inl = j - (i + 2);
		size_t k = 0;
		while (k < inl && mname_char(in[k]))
			k++;
		struct mvar *v;
		if (k == inl && depth < 10 && *budget > 0 && b->len < MEXPAND_MAX &&
		    (v = mvar_find(M, in, k)) != NULL) {
			--*budget; /* A = $(A)$(A) must not grow without end */
			mexpand(M, v->value, strlen(v->value), b, depth + 1, budget);
		} else if (k == inl && k == 4 && memcmp(in, "MAKE", 4) == 0) {
			sb_adds(b, "make");
		} else if (k == 5 && k < inl && memcmp(in, "shell", 5) == 0 &&
		           isspace((unsigned char)in[5])) {
			sb_adds(b, "$(");
			mexpand(M, in + 6, inl - 6, b, depth + 1, budget);
			sb_addc(b, ')');
		} else {
			sb_adds(b, "${MAKEVAR}");
		}
		i = j;
	}
}

/* NAME [:+?!:]= VALUE, with optional export/override; returns 1 if it is one. */
static int make_assignment(struct mvars *M, const char *p, size_t n)
{
	size_t i = 0;
	for (;;) {
		if (n - i > 7 && memcmp(p + i, "export ", 7) == 0)
			i += 7;
		else if (n - i > 9 && memcmp(p + i, "override ", 9) == 0)
			i += 9;
		else
			break;
		while (i < n && p[i] == ' ')
			i++;
	}
	size_t ns = i;
	while (i < n && mname_char(p[i]))
		i++;
	size_t ne = i;
	if (ne == ns)
		return 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	int append = 0, cond = 0;
	if (i < n && (p[i] == ':' || p[i] == '+' || p[i] == '?' || p[i] == '!')) {
		append = p[i] == '+';
		cond = p[i] == '?';
		i++;
		while (i < n && p[i] == ':') /* ::= and :::= */
			i++;
	}
	if (i >= n || p[i] != '=')
		return 0;
	i++;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (cond && mvar_find(M, p + ns, ne - ns))
		return 1;
	char *val = xstrndup(p + i, n - i);
	mvar_set(M, p + ns, ne - ns, val, append);
	free(val);
	return 1;
}

/* A rule line "targets: prereqs [; recipe]" (not an assignment).  Returns the
   offset of the inline recipe after ';', 0 for none, -1 when not a rule. */
static long make_rule(const char *p, size_t n)
{
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '(' || p[i] == '{')
			depth++;
		else if ((p[i] == ')' || p[i] == '}') && depth)
			depth--;
		else if (p[i] == '#' && !depth)
			return -1;
		else if (p[i] == ':' && !depth) {
			if (i + 1 < n && p[i + 1] == '=')
				return -1;
			for (size_t j = i + 1; j < n; j++)
				if (p[j] == ';')
					return (long)j + 1;
				else if (p[j] == '#')
					break;
			return 0;
		}
	}
	return -1;
}

/* ifeq, ifneq, ifdef, ifndef, else or endif, as a whole word. */
static int make_conditional(const char *p, size_t n)
{
	static const char *const w[] = {"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", NULL};
	for (const char *const *k = w; *k; k++) {
		size_t l = strlen(*k);
		if (n >= l && memcmp(p, *k, l) == 0 &&
		    (n == l || p[l] == ' ' || p[l] == '\t' || p[l] == '('))
			return 1;
	}
	return 0;
}

static int extract_makefile(const char *buf, size_t len, struct xsnips *out, char **err)
{
	(void)err;
	struct lines L;
	lines_split(buf, len, &L);
	struct mvars M = {0};
	/* Pass 1: variables (so recipes see values defined after them, as make does). */
	for (size_t i = 0; i < L.count; i++) {
		const char *p = L.p[i];
		size_t n = L.n[i];
		if (n && p[0] == '\t')
			continue;
		/* join continuations */
		struct sbuf j;
		sb_init(&j);
		sb_addn(&j, p, n);
		while (j.len && j.s[j.len - 1] == '\\' && i + 1 < L.count) {
			j.s[--j.len] = 0;
			sb_addc(&j, ' ');
			i++;
			sb_addn(&j, L.p[i], L.n[i]);
		}
		if (strncmp(j.s, "define ", 7) == 0) {
			while (i + 1 < L.count &&
			       !(L.n[i + 1] >= 6 && memcmp(L.p[i + 1], "endef", 5) == 0))
				i++;
		} else {
			make_assignment(&M, j.s, j.len);
		}
		sb_free(&j);
	}
	/* Pass 2: recipes.  Each logical recipe line is one shell invocation. */
	int in_rule = 0;
	for (size_t i = 0; i < L.count; i++) {
		const char *p = L.p[i];
		size_t n = L.n[i];
		int start = (int)i + 1;
		if (n && p[0] == '\t' && in_rule) {
			struct sbuf raw;
			sb_init(&raw);
			size_t k = 1;
			while (k < n && (p[k] == '@' || p[k] == '-' || p[k] == '+' || p[k] == ' ' ||
			                 p[k] == '\t'))
				k++;
			sb_addn(&raw, p + k, n - k);
			while (raw.len && raw.s[raw.len - 1] == '\\' && i + 1 < L.count) {
				i++;
				sb_addc(&raw, '\n');
				const char *q = L.p[i];
				size_t qn = L.n[i];
				if (qn && q[0] == '\t') { /* make strips one recipe prefix */
					q++;
					qn--;
				}
				sb_addn(&raw, q, qn);
			}
			struct sbuf x;
			sb_init(&x);
			int budget = MEXPAND_BUDGET;
			mexpand(&M, raw.s, raw.len, &x, 0, &budget);
			sb_free(&raw);
			if (!blank(x.s, x.len))
				add_snip(out, sb_take(&x), start, 0, "recipe");
			sb_free(&x);
			continue;
		}
		if (blank(p, n) || (n && p[0] == '#'))
			continue;
		size_t ind = 0;
		while (ind < n && (p[ind] == ' ' || p[ind] == '\t'))
			ind++;
		if (make_conditional(p + ind, n - ind))
			continue; /* conditionals do not end a rule */
		long r = make_rule(p, n);
		in_rule = r >= 0;
		if (r > 0) {
			struct sbuf x;
			sb_init(&x);
			int budget = MEXPAND_BUDGET;
			mexpand(&M, p + r, n - (size_t)r, &x, 0, &budget);
			if (!blank(x.s, x.len))
				add_snip(out, sb_take(&x), start, 0, "recipe");
			sb_free(&x);
		}
		while (n && p[n - 1] == '\\' && i + 1 < L.count) { /* skip continued lines */
			i++;
			p = L.p[i];
			n = L.n[i];
		}
	}
	for (size_t i = 0; i < M.n; i++) {
		free(M.v[i].name);
		free(M.v[i].value);
	}
	free(M.v);
	lines_free(&L);
	return 0;
}

/* ---- systemd units ---------------------------------------------------- */

static const char *const exec_keys[] = {
    "ExecStart",     "ExecStartPre", "ExecStartPost",
    "ExecCondition", "ExecReload",   "ExecStop",
    "ExecStopPost",  "ExecStopPre",  NULL,
};

static int extract_systemd(const char *buf, size_t len, struct xsnips *out, char **err)
{
	(void)err;
	struct lines L;
	lines_split(buf, len, &L);
	for (size_t i = 0; i < L.count; i++) {
		int start = (int)i + 1;
		struct sbuf j;
		sb_init(&j);
		sb_addn(&j, L.p[i], L.n[i]);
		while (j.len && j.s[j.len - 1] == '\\' && i + 1 < L.count) {
			j.s[--j.len] = 0;
			sb_addc(&j, ' ');
			i++;
			sb_addn(&j, L.p[i], L.n[i]);
		}
		char *s = j.s;
		while (*s == ' ' || *s == '\t')
			s++;
		char *eq = strchr(s, '=');
		if (!eq || *s == '#' || *s == ';') {
			sb_free(&j);
			continue;
		}
		char *ke = eq;
		while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		int hit = 0;
		for (const char *const *k = exec_keys; *k; k++)
			if ((size_t)(ke - s) == strlen(*k) && memcmp(s, *k, (size_t)(ke - s)) == 0)
				hit = 1;
		if (hit) {
			*ke = 0;
			char *v = eq + 1;
			int at = 0;
			while (*v == ' ' || *v == '\t' || *v == '-' || *v == ':' || *v == '+' ||
			       *v == '!' || *v == '@') {
				if (*v == '@')
					at = 1;
				v++;
			}
			struct sbuf t;
			sb_init(&t);
			char *sp = at ? strpbrk(v, " \t") : NULL;
			if (sp) { /* "@path argv0 args": the second word is only argv[0] */
				sb_addn(&t, v, (size_t)(sp - v));
				char *a = sp + strspn(sp, " \t");
				char *b = strpbrk(a, " \t");
				if (b)
					sb_adds(&t, b);
			} else {
				sb_adds(&t, v);
			}
			if (!blank(t.s, t.len))
				add_snip(out, sb_take(&t), start, 1, s);
			sb_free(&t);
		}
		sb_free(&j);
	}
	lines_free(&L);
	return 0;
}

/* ---- Dockerfile ------------------------------------------------------- */

/* The exec form ["a", "b"] as a shell line; NULL if s is not a JSON array. */
static char *exec_form(const char *s)
{
	json_t *a = json_loads(s, JSON_DECODE_ANY, NULL);
	if (!a || !json_is_array(a)) {
		json_decref(a);
		return NULL;
	}
	struct sbuf b;
	sb_init(&b);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (i)
			sb_addc(&b, ' ');
		sb_add_shquoted(&b, json_is_string(v) ? json_string_value(v) : "");
	}
	json_decref(a);
	return sb_take(&b);
}

static int ci_word(const char *p, size_t n, const char *w)
{
	size_t l = strlen(w);
	return n >= l && strncasecmp(p, w, l) == 0 && (n == l || isspace((unsigned char)p[l]));
}

static int extract_dockerfile(const char *buf, size_t len, struct xsnips *out, char **err)
{
	(void)err;
	struct lines L;
	lines_split(buf, len, &L);
	for (size_t i = 0; i < L.count; i++) {
		const char *p = L.p[i];
		size_t n = L.n[i];
		size_t k = indent_of(p, n);
		while (k < n && p[k] == '\t')
			k++;
		p += k;
		n -= k;
		if (!n || p[0] == '#')
			continue;
		int start = (int)i + 1;
		if (ci_word(p, n, "ONBUILD")) {
			p += 7;
			n -= 7;
			while (n && isspace((unsigned char)*p))
				p++, n--;
		}
		const char *what = ci_word(p, n, "RUN")          ? "RUN"
		                   : ci_word(p, n, "CMD")        ? "CMD"
		                   : ci_word(p, n, "ENTRYPOINT") ? "ENTRYPOINT"
		                                                 : NULL;
		/* Logical line: keep "\\\n" so the shell sees the same line breaks;
		   comment and empty lines inside become a lone "\\" (Docker drops them). */
		struct sbuf t;
		sb_init(&t);
		sb_addn(&t, p, n);
		while (t.len && t.s[t.len - 1] == '\\' && i + 1 < L.count) {
			i++;
			sb_addc(&t, '\n');
			size_t qi = indent_of(L.p[i], L.n[i]);
			if (blank(L.p[i], L.n[i]) || (qi < L.n[i] && L.p[i][qi] == '#'))
				sb_addc(&t, '\\');
			else
				sb_addn(&t, L.p[i], L.n[i]);
		}
		if (!what) {
			sb_free(&t);
			continue;
		}
		char *v = t.s + strlen(what);
		while (*v == ' ' || *v == '\t')
			v++;
		while (strcmp(what, "RUN") == 0 && strncmp(v, "--", 2) == 0) { /* --mount=... */
			v += strcspn(v, " \t\n");
			v += strspn(v, " \t");
		}
		char *ef = *v == '[' ? exec_form(v) : NULL;
		if (ef) {
			add_snip(out, ef, start, 1, what);
		} else if (strncmp(v, "<<", 2) == 0) {
			/* RUN <<EOF ... EOF: the here-document is the script. */
			const char *d = v + 2;
			if (*d == '-')
				d++;
			d += strspn(d, "\"'");
			size_t dl = strspn(
			    d, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
			char *delim = xstrndup(d, dl);
			struct sbuf body;
			sb_init(&body);
			int bstart = (int)i + 2;
			while (i + 1 < L.count) {
				i++;
				size_t qi = indent_of(L.p[i], L.n[i]);
				while (qi < L.n[i] && L.p[i][qi] == '\t')
					qi++;
				if (dl && L.n[i] - qi == dl && memcmp(L.p[i] + qi, delim, dl) == 0)
					break;
				sb_addn(&body, L.p[i], L.n[i]);
				sb_addc(&body, '\n');
			}
			free(delim);
			add_snip(out, sb_take(&body), bstart, 0, what);
			sb_free(&body);
		} else if (!blank(v, strlen(v))) {
			/* Lines before v's line were the instruction's own. */
			add_snip(out, xstrdup(v), start, 0, what);
		}
		sb_free(&t);
	}
	lines_free(&L);
	return 0;
}

/* ---- CI workflows (a small YAML subset) -------------------------------- */

static int ci_key(const char *k, size_t n)
{
	static const char *const keys[] = {"run",          "script",  "before_script",
	                                   "after_script", "command", NULL};
	for (const char *const *x = keys; *x; x++)
		if (strlen(*x) == n && memcmp(*x, k, n) == 0)
			return 1;
	return 0;
}

/* Replaces GitHub/GitLab expressions ${{ ... }} by a run-time word. */
static char *ci_clean(char *s)
{
	struct sbuf b;
	sb_init(&b);
	for (char *p = s; *p;) {
		char *e;
		if (p[0] == '$' && p[1] == '{' && p[2] == '{' && (e = strstr(p, "}}")) != NULL) {
			sb_adds(&b, "${CI_EXPR}");
			p = e + 2;
		} else {
			sb_addc(&b, *p++);
		}
	}
	free(s);
	return sb_take(&b);
}

/* An inline YAML scalar as text: 'single', "double", or plain (comment cut). */
static char *yaml_inline(const char *p, size_t n)
{
	struct sbuf b;
	sb_init(&b);
	if (n && p[0] == '\'') {
		for (size_t i = 1; i < n; i++) {
			if (p[i] == '\'' && i + 1 < n && p[i + 1] == '\'')
				sb_addc(&b, '\''), i++;
			else if (p[i] == '\'')
				break;
			else
				sb_addc(&b, p[i]);
		}
	} else if (n && p[0] == '"') {
		for (size_t i = 1; i < n; i++) {
			if (p[i] == '\\' && i + 1 < n) {
				char c = p[++i];
				sb_addc(&b, c == 'n' ? '\n' : c == 't' ? '\t' : c);
			} else if (p[i] == '"') {
				break;
			} else {
				sb_addc(&b, p[i]);
			}
		}
	} else {
		size_t e = n;
		for (size_t i = 0; i < n; i++)
			if (p[i] == '#' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t')) {
				e = i;
				break;
			}
		while (e && isspace((unsigned char)p[e - 1]))
			e--;
		sb_addn(&b, p, e);
	}
	return sb_take(&b);
}

/*
 * A scalar value starting at (line i, text p/n) whose key sits at column kcol.
 * Adds a snippet and returns the last line index it used.
 */
static size_t ci_value(struct lines *L, size_t i, const char *p, size_t n, size_t kcol,
                       const char *what, struct xsnips *out)
{
	if (n && (p[0] == '|' || p[0] == '>')) {
		int fold = p[0] == '>';
		size_t explicit_ind = 0;
		for (size_t k = 1; k < n && p[k] != ' ' && p[k] != '#'; k++)
			if (isdigit((unsigned char)p[k]))
				explicit_ind = (size_t)(p[k] - '0');
		size_t ci = 0, last = i;
		struct sbuf b;
		sb_init(&b);
		for (size_t j = i + 1; j < L->count; j++) {
			size_t ind = indent_of(L->p[j], L->n[j]);
			int bl = blank(L->p[j], L->n[j]);
			if (!bl && ind <= kcol)
				break;
			if (!ci && !bl)
				ci = explicit_ind ? kcol + explicit_ind : ind;
			if (!bl && ind < ci)
				break;
			last = j;
		}
		for (size_t j = i + 1; j <= last; j++) {
			if (blank(L->p[j], L->n[j]) || L->n[j] < ci) {
				sb_addc(&b, '\n');
				continue;
			}
			sb_addn(&b, L->p[j] + ci, L->n[j] - ci);
			sb_addc(&b, fold && !(j + 1 <= last && blank(L->p[j + 1], L->n[j + 1]))
			                ? ' '
			                : '\n');
		}
		add_snip(out, ci_clean(sb_take(&b)), (int)i + 2, fold, what);
		sb_free(&b);
		return last;
	}
	char *v = yaml_inline(p, n);
	size_t last = i;
	if (n && p[0] != '"' && p[0] != '\'') { /* plain scalars continue on deeper lines */
		for (size_t j = i + 1; j < L->count; j++) {
			size_t ind = indent_of(L->p[j], L->n[j]);
			if (blank(L->p[j], L->n[j]) || ind <= kcol || L->p[j][ind] == '-' ||
			    L->p[j][ind] == '#')
				break;
			char *more = yaml_inline(L->p[j] + ind, L->n[j] - ind);
			char *nv = xasprintf("%s %s", v, more);
			free(more);
			free(v);
			v = nv;
			last = j;
		}
	}
	if (!blank(v, strlen(v)))
		add_snip(out, ci_clean(v), (int)i + 1, last != i, what);
	else
		free(v);
	return last;
}

/* The shell a GitHub step runs with (`shell:` next to `run:`), or NULL. */
static int ci_foreign_shell(struct lines *L, size_t i, size_t kcol)
{
	size_t a = i, b = i;
	/* Within the step (bounded: a step is never hundreds of lines of keys). */
	while (a > 0 && i - a < 200) { /* up to the list item that starts this step */
		size_t ind = indent_of(L->p[a], L->n[a]);
		if (!blank(L->p[a], L->n[a]) && ind < kcol)
			break;
		a--;
	}
	while (b + 1 < L->count && b - i < 200) {
		size_t ind = indent_of(L->p[b + 1], L->n[b + 1]);
		if (!blank(L->p[b + 1], L->n[b + 1]) && ind < kcol)
			break;
		b++;
	}
	for (size_t j = a; j <= b && j < L->count; j++) {
		const char *p = L->p[j];
		size_t n = L->n[j], k = indent_of(p, n);
		if (k + 2 <= n && p[k] == '-' && p[k + 1] == ' ')
			k = indent_of(p, n) + 2 + indent_of(p + k + 2, n - k - 2);
		if (k != kcol || n - k < 6 || memcmp(p + k, "shell:", 6) != 0)
			continue;
		char *v = yaml_inline(p + k + 6 + indent_of(p + k + 6, n - k - 6),
		                      n - k - 6 - indent_of(p + k + 6, n - k - 6));
		int foreign = !(strcmp(v, "bash") == 0 || strcmp(v, "sh") == 0 ||
		                strncmp(v, "bash ", 5) == 0 || strncmp(v, "sh ", 3) == 0);
		free(v);
		return foreign;
	}
	return 0;
}

static int extract_ci(const char *buf, size_t len, struct xsnips *out, char **err)
{
	(void)err;
	struct lines L;
	lines_split(buf, len, &L);
	for (size_t i = 0; i < L.count; i++) {
		const char *p = L.p[i];
		size_t n = L.n[i];
		size_t k = indent_of(p, n);
		while (k + 1 < n && p[k] == '-' && p[k + 1] == ' ')
			k += 2 + indent_of(p + k + 2, n - k - 2);
		size_t ks = k;
		while (k < n && (isalnum((unsigned char)p[k]) || p[k] == '_' || p[k] == '-'))
			k++;
		if (k == ks || k >= n || p[k] != ':' || (k + 1 < n && p[k + 1] != ' '))
			continue;
		if (!ci_key(p + ks, k - ks))
			continue;
		char *what = xstrndup(p + ks, k - ks);
		size_t kcol = ks;
		size_t v = k + 1 + indent_of(p + k + 1, n - k - 1);
		if (strcmp(what, "run") == 0 && ci_foreign_shell(&L, i, kcol)) {
			free(what);
			continue;
		}
		if (v < n && p[v] == '[') { /* flow sequence: [a, b] */
			char *s = xstrndup(p + v + 1, n - v - 1);
			char *e = strrchr(s, ']');
			if (e)
				*e = 0;
			char *save = NULL;
			for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				t += strspn(t, " ");
				char *iv = yaml_inline(t, strlen(t));
				if (!blank(iv, strlen(iv)))
					add_snip(out, ci_clean(iv), (int)i + 1, 1, what);
				else
					free(iv);
			}
			free(s);
		} else if (v < n && p[v] != '#') {
			i = ci_value(&L, i, p + v, n - v, kcol, what, out);
		} else {
			/* A sequence of commands on the following lines. */
			for (size_t j = i + 1; j < L.count; j++) {
				size_t ind = indent_of(L.p[j], L.n[j]);
				if (blank(L.p[j], L.n[j]) || L.p[j][ind] == '#')
					continue;
				if (ind < kcol || (ind == kcol && L.p[j][ind] != '-'))
					break;
				if (L.p[j][ind] != '-' || ind + 1 >= L.n[j] ||
				    L.p[j][ind + 1] != ' ')
					break;
				size_t s = ind + 2 + indent_of(L.p[j] + ind + 2, L.n[j] - ind - 2);
				j = ci_value(&L, j, L.p[j] + s, L.n[j] - s, ind, what, out);
				i = j;
			}
		}
		free(what);
	}
	lines_free(&L);
	return 0;
}

/* ---- dispatch --------------------------------------------------------- */

int extract_commands(enum xkind k, const char *buf, size_t len, struct xsnips *out, char **err)
{
	*err = NULL;
	switch (k) {
	case XK_SHELL:
		add_snip(out, xstrndup(buf, len), 1, 0, "script");
		return 0;
	case XK_PACKAGE_JSON:
		return extract_package_json(buf, len, out, err);
	case XK_MAKEFILE:
		return extract_makefile(buf, len, out, err);
	case XK_SYSTEMD:
		return extract_systemd(buf, len, out, err);
	case XK_DOCKERFILE:
		return extract_dockerfile(buf, len, out, err);
	case XK_CI:
		return extract_ci(buf, len, out, err);
	case XK_NONE:
		break;
	}
	return 0;
}
