/*
 * analyze.c - from a syntax tree to the effective commands bash would run.
 *
 * Walks the tree in execution order, keeping what a static reader can know
 * (simple assignments, functions and aliases defined on the line), expands
 * words into fields, and hands each simple command to the unwrapper
 * (unwrap.c), which peels wrappers and recurses into shell strings.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "analyze_int.h"
#include "arena.h"
#include "parse.h"
#include "util.h"

static const struct parse_limits limits = {
    .max_depth = ANALYZE_MAX_DEPTH,
    .max_words = ANALYZE_MAX_WORDS,
    .max_heredocs = ANALYZE_MAX_HEREDOCS,
};

void actx_trace(struct actx *c, const char *fmt, ...)
{
	if (!c->opt->want_trace)
		return;
	struct sbuf b;
	sb_init(&b);
	for (int i = 0; i < c->recursion; i++)
		sb_adds(&b, "  ");
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	if (c->out->ntrace == c->tracecap) {
		c->tracecap = c->tracecap ? c->tracecap * 2 : 16;
		c->out->trace = xreallocarray(c->out->trace, c->tracecap, sizeof(char *));
	}
	c->out->trace[c->out->ntrace++] = sb_take(&b);
}

void actx_error(struct actx *c, int line, int col, const char *fmt, ...)
{
	if (c->out->error)
		return;
	struct sbuf b;
	sb_init(&b);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	c->out->error = sb_take(&b);
	c->out->err_line = line;
	c->out->err_col = col;
}

/* ---- variables, functions, aliases ---------------------------------- */

static struct avar *var_find(struct actx *c, const char *name)
{
	for (size_t i = 0; i < c->nvar; i++)
		if (strcmp(c->var[i].name, name) == 0)
			return &c->var[i];
	return NULL;
}

void var_set(struct actx *c, const char *name, const char *value)
{
	struct avar *v = var_find(c, name);
	if (!v) {
		c->var = xreallocarray(c->var, c->nvar + 1, sizeof *c->var);
		v = &c->var[c->nvar++];
		v->name = xstrdup(name);
		v->value = NULL;
	}
	free(v->value);
	v->value = value ? xstrdup(value) : NULL;
}

static const char *var_get(struct actx *c, const char *name)
{
	struct avar *v = var_find(c, name);
	if (v)
		return v->value;
	if (strcmp(name, "IFS") == 0)
		return " \t\n";
	return NULL;
}

static struct afunc *func_find(struct actx *c, const char *name)
{
	for (size_t i = c->nfunc; i-- > 0;)
		if (strcmp(c->func[i].name, name) == 0)
			return &c->func[i];
	return NULL;
}

void alias_set(struct actx *c, const char *name, const char *value, int line)
{
	c->alias = xreallocarray(c->alias, c->nalias + 1, sizeof *c->alias);
	c->alias[c->nalias].name = xstrdup(name);
	c->alias[c->nalias].value = xstrdup(value);
	c->alias[c->nalias].line = line;
	c->alias[c->nalias].tree = c->tree_id;
	c->alias[c->nalias].active = 0;
	c->nalias++;
}

static struct aalias *alias_find(struct actx *c, const char *name, int line)
{
	/* bash expands an alias only with expand_aliases on, and only in
	   commands it parses after the alias command ran: on a later line of
	   the same text, or in other text (bash -c, eval, a script) */
	if (!c->expand_aliases)
		return NULL;
	for (size_t i = c->nalias; i-- > 0;)
		if (strcmp(c->alias[i].name, name) == 0 &&
		    (c->alias[i].tree != c->tree_id || c->alias[i].line < line))
			return &c->alias[i];
	return NULL;
}

static int static_output(struct actx *c, const struct node *n, struct sbuf *out);

/* ---- fields ------------------------------------------------------------ */

void fields_push(struct fields *f, char *s, unsigned flags)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->s = xreallocarray(f->s, f->cap, sizeof *f->s);
		f->fl = xreallocarray(f->fl, f->cap, sizeof *f->fl);
	}
	f->s[f->n] = s;
	f->fl[f->n] = flags;
	f->n++;
}

void fields_free(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->s[i]);
	free(f->s);
	free(f->fl);
	memset(f, 0, sizeof *f);
}

/*
 * ${name OP word} on a variable whose value is known: :- - :+ + := = % %% #
 * ##, and ${#name}.  Returns the value, or NULL when it is not known.
 */
static char *param_op(struct actx *c, const char *src)
{
	size_t n = strlen(src);
	if (n < 4 || src[n - 1] != '}')
		return NULL;
	char *in = xstrndup(src + 2, n - 3);
	char *res = NULL;
	size_t nl = 0;
	int len_op = in[0] == '#';
	const char *nm = in + len_op;
	while ((nm[nl] >= 'a' && nm[nl] <= 'z') || (nm[nl] >= 'A' && nm[nl] <= 'Z') ||
	       nm[nl] == '_' || (nl && nm[nl] >= '0' && nm[nl] <= '9'))
		nl++;
	if (nl == 0)
		goto out;
	char *name = xstrndup(nm, nl);
	const char *val = var_get(c, name);
	free(name);
	const char *op = nm + nl;
	if (!val)
		goto out;
	if (len_op) {
		if (!*op)
			res = xasprintf("%zu", strlen(val));
		goto out;
	}
	if (!*op) {
		res = xstrdup(val);
	} else if (!strncmp(op, ":-", 2) || !strncmp(op, ":=", 2)) {
		res = xstrdup(*val ? val : op + 2);
	} else if (!strncmp(op, ":+", 2)) {
		res = xstrdup(*val ? op + 2 : "");
	} else if (op[0] == '-' || op[0] == '=') {
		res = xstrdup(val);
	} else if (op[0] == '+') {
		res = xstrdup(op + 1);
	} else if (op[0] == '%' || op[0] == '#') {
		int longest = op[1] == op[0];
		const char *pat = op + 1 + longest;
		size_t vl = strlen(val);
		res = xstrdup(val);
		if (op[0] == '%') {
			for (size_t k = 0; k <= vl; k++) {
				size_t i = longest ? k : vl - k;
				if (fnmatch(pat, val + i, 0) == 0) {
					res[i] = 0;
					break;
				}
			}
		} else {
			for (size_t k = 0; k <= vl; k++) {
				size_t i = longest ? vl - k : k;
				char *pre = xstrndup(val, i);
				int m = fnmatch(pat, pre, 0) == 0;
				free(pre);
				if (m) {
					free(res);
					res = xstrdup(val + i);
					break;
				}
			}
		}
	}
out:
	free(in);
	return res;
}

/* printf FORMAT ARGS... with the escapes and %s/%b/%d/%% of bash's printf;
   returns -1 for a conversion it does not know. */
static int escape_char(const char **pp, struct sbuf *out)
{
	const char *p = *pp;
	char e = p[1];
	int r = 2;
	switch (e) {
	case 'n':
		sb_addc(out, '\n');
		break;
	case 't':
		sb_addc(out, '\t');
		break;
	case 'r':
		sb_addc(out, '\r');
		break;
	case 'a':
		sb_addc(out, '\a');
		break;
	case 'b':
		sb_addc(out, '\b');
		break;
	case 'f':
		sb_addc(out, '\f');
		break;
	case 'v':
		sb_addc(out, '\v');
		break;
	case 'e':
		sb_addc(out, 27);
		break;
	case '\\':
		sb_addc(out, '\\');
		break;
	case 'x': {
		unsigned v = 0;
		int k = 0;
		while (k < 2 && p[2 + k] && strchr("0123456789abcdefABCDEF", p[2 + k])) {
			char h = p[2 + k];
			v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
			k++;
		}
		if (!k)
			return -1;
		sb_addc(out, (char)v);
		r = 2 + k;
		break;
	}
	default:
		if (e >= '0' && e <= '7') {
			unsigned v = 0;
			int k = 0;
			const char *q = p + 1;
			if (*q == '0')
				q++, r++;
			while (k < 3 && q[k] >= '0' && q[k] <= '7')
				v = v * 8 + (unsigned)(q[k] - '0'), k++;
			sb_addc(out, (char)v);
			r = (int)(q - p) + k;
			break;
		}
		sb_addc(out, '\\');
		if (e)
			sb_addc(out, e);
		else
			r = 1;
	}
	*pp = p + r;
	return 0;
}

static int printf_format(const char *fmt, char **args, size_t nargs, struct sbuf *out)
{
	size_t ai = 0;
	do {
		for (const char *p = fmt; *p;) {
			if (*p == '\\') {
				if (escape_char(&p, out) < 0)
					return -1;
			} else if (*p == '%') {
				char conv = p[1];
				if (conv == '%') {
					sb_addc(out, '%');
				} else if (conv == 's' || conv == 'b' || conv == 'd') {
					const char *a = ai < nargs ? args[ai++] : "";
					if (conv == 'b') {
						for (const char *q = a; *q;)
							if (*q == '\\') {
								if (escape_char(&q, out) < 0)
									return -1;
							} else {
								sb_addc(out, *q++);
							}
					} else {
						sb_adds(out, a);
					}
				} else {
					return -1;
				}
				p += 2;
			} else {
				sb_addc(out, *p++);
			}
		}
	} while (ai > 0 && ai < nargs);
	return 0;
}

/*
 * Brace expansion of static text: a{b,c}d -> abd acd, {1..3}.  Returns 0,
 * or -1 when there is nothing to expand or more than max results.
 */
static int brace_expand(const char *s, struct strv *out, size_t max)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '{' || (i > 0 && s[i - 1] == '$'))
			continue;
		int depth = 0, comma = 0;
		size_t j = i;
		for (; j < n; j++) {
			if (s[j] == '{')
				depth++;
			else if (s[j] == '}' && --depth == 0)
				break;
			else if (s[j] == ',' && depth == 1)
				comma = 1;
		}
		if (j >= n)
			return -1;
		const char *body = s + i + 1;
		size_t bl = j - i - 1;
		struct strv alts = {0};
		if (comma) {
			size_t st = 0;
			depth = 0;
			for (size_t k = 0; k <= bl; k++) {
				if (k < bl && body[k] == '{')
					depth++;
				else if (k < bl && body[k] == '}')
					depth--;
				if (k == bl || (body[k] == ',' && depth == 0)) {
					sv_push(&alts, xstrndup(body + st, k - st));
					st = k + 1;
				}
			}
		} else {
			char *b = xstrndup(body, bl);
			char *dots = strstr(b, "..");
			if (dots && dots[2]) {
				*dots = 0;
				char *e1, *e2;
				long a = strtol(b, &e1, 10), z = strtol(dots + 2, &e2, 10);
				if (*b && !*e1 && !*e2 && labs(z - a) < 256) {
					for (long v = a;; v += a <= z ? 1 : -1) {
						sv_push(&alts, xasprintf("%ld", v));
						if (v == z)
							break;
					}
				} else if (strlen(b) == 1 && strlen(dots + 2) == 1) {
					char x = b[0], y = dots[2];
					for (char ch = x;; ch = (char)(ch + (x <= y ? 1 : -1))) {
						sv_push(&alts, xasprintf("%c", ch));
						if (ch == y)
							break;
					}
				}
			}
			free(b);
		}
		if (alts.n == 0) {
			sv_free(&alts);
			continue;
		}
		for (size_t k = 0; k < alts.n; k++) {
			char *whole = xasprintf("%.*s%s%s", (int)i, s, alts.v[k], s + j + 1);
			if (brace_expand(whole, out, max) < 0)
				sv_push(out, whole);
			else
				free(whole);
			if (out->n > max) {
				sv_free(&alts);
				return -1;
			}
		}
		sv_free(&alts);
		return 0;
	}
	return -1;
}

/* Expands a word into fields the way bash would, as far as it is known:
   literal text, known variables (field-split when unquoted), and dynamic
   parts kept as written with WORD_DYNAMIC. */
void expand_word(struct actx *c, const struct word *w, struct fields *out)
{
	struct sbuf cur;
	sb_init(&cur);
	unsigned fl = (w->flags & W_GLOB) ? WORD_GLOB : 0;
	int have = (w->flags & W_QUOTED) != 0; /* "" is one empty field */
	for (size_t i = 0; i < w->npart; i++) {
		const struct wpart *p = &w->part[i];
		if (p->kind == P_LIT) {
			sb_adds(&cur, p->s);
			have = 1;
			continue;
		}
		const char *val = p->kind == P_PARAM ? var_get(c, p->s) : NULL;
		char *computed = NULL;
		if (p->kind == P_DYN && p->cmd && !p->procsub) {
			/* $(echo pm2): the output of a static echo/printf is known */
			struct sbuf o;
			sb_init(&o);
			if (static_output(c, p->cmd, &o)) {
				while (o.len && o.s[o.len - 1] == '\n')
					o.s[--o.len] = 0;
				computed = sb_take(&o);
			}
			sb_free(&o);
		} else if (p->kind == P_DYN && strncmp(p->s, "${", 2) == 0) {
			computed = param_op(c, p->s);
		}
		if (computed)
			val = computed;
		if (!val) {
			if (p->kind == P_PARAM) {
				sb_addc(&cur, '$');
				sb_adds(&cur, p->s);
			} else {
				sb_adds(&cur, p->s);
			}
			fl |= WORD_DYNAMIC;
			have = 1;
			continue;
		}
		if (p->quoted) {
			sb_adds(&cur, val);
			have = 1;
			free(computed);
			continue;
		}
		const char *ifs = var_get(c, "IFS");
		if (!ifs) {
			/* IFS unknown: so is the splitting */
			sb_adds(&cur, val);
			fl |= WORD_DYNAMIC;
			have = 1;
			free(computed);
			continue;
		}
		for (const char *q = val; *q; q++) {
			if (strchr(ifs, *q)) {
				if (have) {
					fields_push(out, sb_take(&cur), fl);
					have = 0;
				}
			} else {
				sb_addc(&cur, *q);
				have = 1;
			}
		}
		free(computed);
	}
	if (have) {
		char *last = sb_take(&cur);
		struct strv br = {0};
		if ((w->flags & W_GLOB) && !(w->flags & W_QUOTED) && !(fl & WORD_DYNAMIC) &&
		    strchr(last, '{') && brace_expand(last, &br, 256) == 0) {
			for (size_t k = 0; k < br.n; k++) {
				unsigned bf = strpbrk(br.v[k], "*?[") ? WORD_GLOB : 0;
				fields_push(out, br.v[k], bf);
				br.v[k] = NULL;
			}
			free(br.v);
			free(last);
		} else {
			sv_free(&br);
			fields_push(out, last, fl);
		}
	}
	sb_free(&cur);
}

/* The static value of a word, or NULL when any part is dynamic. */
char *word_value(struct actx *c, const struct word *w)
{
	struct fields f = {0};
	expand_word(c, w, &f);
	char *r = NULL;
	int dyn = 0;
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < f.n; i++) {
		if (f.fl[i] & WORD_DYNAMIC)
			dyn = 1;
		if (i)
			sb_addc(&b, ' ');
		sb_adds(&b, f.s[i]);
	}
	r = dyn ? NULL : sb_take(&b);
	sb_free(&b);
	fields_free(&f);
	return r;
}

static int word_value_known(struct actx *c, const struct word *w)
{
	char *v = word_value(c, w);
	free(v);
	return v != NULL;
}

/* ---- emitting --------------------------------------------------------- */

void emit(struct actx *c, const struct cmdsite *site, char **argv, const unsigned *wfl, int argc,
          unsigned flags, const char *via)
{
	struct analysis *a = c->out;
	if (a->ncmd == c->cmdcap) {
		c->cmdcap = c->cmdcap ? c->cmdcap * 2 : 8;
		a->cmd = xreallocarray(a->cmd, c->cmdcap, sizeof *a->cmd);
	}
	struct ecmd *e = &a->cmd[a->ncmd++];
	memset(e, 0, sizeof *e);
	e->argv = xcalloc((size_t)argc + 1, sizeof(char *));
	e->wflags = xcalloc((size_t)argc + 1, sizeof(unsigned));
	for (int i = 0; i < argc; i++) {
		e->argv[i] =
		    xstrdup(i == 0 && !(wfl[0] & WORD_DYNAMIC) ? base_name(argv[0]) : argv[i]);
		e->wflags[i] = wfl[i];
	}
	e->argc = argc;
	e->flags = flags;
	if (argc > 0 && (wfl[0] & (WORD_DYNAMIC | WORD_GLOB)))
		e->flags |= CMD_DYNAMIC_NAME;
	e->origin = c->origin ? xstrdup(c->origin) : NULL;
	e->line = site->line;
	e->col = site->col;
	e->via = via && *via ? xstrdup(via) : NULL;
	e->text = xstrdup(site->text ? site->text : "");
	/* its own assignments, and those of the commands whose text it runs in
	   (BASH_ENV=x bash -c '...' applies to what the string runs) */
	e->assign = xcalloc(site->nassign + c->inherit.n + 1, sizeof(char *));
	for (size_t i = 0; i < site->nassign; i++)
		e->assign[e->nassign++] = xstrdup(site->assign[i]);
	for (size_t i = 0; i < c->inherit.n; i++)
		e->assign[e->nassign++] = xstrdup(c->inherit.v[i]);
	struct sbuf b;
	sb_init(&b);
	for (int i = 0; i < argc; i++)
		sb_addf(&b, "%s%s", i ? " " : "", e->argv[i]);
	actx_trace(c, "%d:%d: runs %s%s%s%s", e->line, e->col, b.s ? b.s : "",
	           e->flags & CMD_DYNAMIC_NAME ? " [name known only at run time]" : "",
	           e->flags & CMD_OPAQUE ? " [opaque: runs code guard cannot see]" : "",
	           e->flags & CMD_BUILTIN ? " [builtin]" : "");
	sb_free(&b);
}

/* Keeps a string until the analysis ends: stdin texts are read by nested
   walks (an interpreter's code, a shell's script) after this one returns. */
static const char *keep(struct actx *c, char *s)
{
	sv_push(&c->keep, s);
	return s;
}

/* ---- walking ---------------------------------------------------------- */

static void walk(struct actx *c, const struct node *n, const struct stdin_src *in);

static void walk_word_subs(struct actx *c, const struct word *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nsub; i++)
		walk(c, w->sub[i], NULL);
}

static void walk_redirs(struct actx *c, struct redir **r, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		walk_word_subs(c, r[i]->target);
		if (r[i]->body_word)
			walk_word_subs(c, r[i]->body_word);
	}
}

static void walk_simple(struct actx *c, const struct node *n, const struct stdin_src *in)
{
	for (size_t i = 0; i < n->nw; i++)
		walk_word_subs(c, n->w[i]);
	walk_redirs(c, n->r, n->nr);

	struct cmdsite site = {0};
	site.line = c->site_line ? c->site_line : n->line;
	site.col = c->site_line ? c->site_col : n->col;
	site.text = c->site_text ? c->site_text : n->src;
	site.node_line = n->line;
	struct strv assigns = {0};
	size_t first = 0;
	while (first < n->nw && (n->w[first]->flags & W_ASSIGN)) {
		char *v = word_value(c, n->w[first]);
		sv_push(&assigns, v ? v : xstrdup(n->w[first]->src));
		first++;
	}
	if (first == n->nw) {
		/* assignments only: they persist (name=value; name+=..., a[i]=... unknown) */
		for (size_t i = 0; i < n->nw; i++) {
			const char *src = n->w[i]->src;
			size_t nl = strcspn(src, "=[+");
			char *name = xstrndup(src, nl);
			const char *val = strchr(assigns.v[i], '=');
			int known = word_value_known(c, n->w[i]);
			if (src[nl] == '+' && src[nl + 1] == '=' && known && val &&
			    var_get(c, name)) {
				char *cat = xasprintf("%s%s", var_get(c, name), val + 1);
				var_set(c, name, cat);
				free(cat);
			} else {
				var_set(c, name, src[nl] == '=' && known && val ? val + 1 : NULL);
			}
			free(name);
		}
		sv_free(&assigns);
		return;
	}
	site.assign = assigns.v;
	site.nassign = assigns.n;

	struct fields f = {0};
	for (size_t i = first; i < n->nw; i++)
		expand_word(c, n->w[i], &f);
	if (f.n == 0) {
		fields_free(&f);
		sv_free(&assigns);
		return;
	}
	/* aliases defined on an earlier line, with expand_aliases on */
	const struct word *w0 = n->w[first];
	if (!(w0->flags & W_QUOTED) && w0->npart == 1 && w0->part[0].kind == P_LIT) {
		struct aalias *al = alias_find(c, w0->part[0].s, n->line);
		if (al && !al->active) {
			struct sbuf t;
			sb_init(&t);
			sb_adds(&t, al->value);
			int chain = al->value[0] && al->value[strlen(al->value) - 1] == ' ';
			for (size_t i = 1; i < f.n; i++) {
				struct aalias *next = chain ? alias_find(c, f.s[i], n->line) : NULL;
				if (next && next != al) {
					sb_addf(&t, " %s", next->value);
					chain = next->value[0] &&
					        next->value[strlen(next->value) - 1] == ' ';
					continue;
				}
				chain = 0;
				sb_addf(&t, " %s", f.s[i]);
			}
			actx_trace(c, "%d:%d: alias %s -> %s", site.line, site.col, al->name,
			           al->value);
			size_t ai = (size_t)(al - c->alias);
			al->active = 1;
			analyze_nested(c, &site, t.s, t.len, "alias", NULL);
			c->alias[ai].active = 0;
			sb_free(&t);
			fields_free(&f);
			sv_free(&assigns);
			return;
		}
	}
	/* a function defined on the line */
	if (!(f.fl[0] & WORD_DYNAMIC)) {
		struct afunc *fn = func_find(c, f.s[0]);
		if (fn) {
			actx_trace(c, "%d:%d: calls function %s", site.line, site.col, fn->name);
			/* by index: the walk may define more functions (realloc) */
			size_t fi = (size_t)(fn - c->func);
			if (!fn->active) {
				fn->active = 1;
				walk(c, fn->body, NULL);
				c->func[fi].active = 0;
			}
			fields_free(&f);
			sv_free(&assigns);
			return;
		}
	}
	/* here-doc or here-string: what a shell would read on stdin */
	struct stdin_src hin = {0};
	for (size_t i = 0; i < n->nr; i++) {
		const struct redir *r = n->r[i];
		if (r->fd > 0)
			continue;
		if (r->kind == R_HEREDOC) {
			hin.text = r->body;
			hin.known = 1;
			hin.line = r->body_line;
			if (!r->body_quoted && r->body_word) {
				/* the text the shell reads: escapes done, expansions as
				   written (their commands run in this shell anyway) */
				struct sbuf t;
				sb_init(&t);
				for (size_t k = 0; k < r->body_word->npart; k++) {
					const struct wpart *wp = &r->body_word->part[k];
					if (wp->kind == P_PARAM) {
						const char *val = var_get(c, wp->s);
						if (val) {
							sb_adds(&t, val);
							continue;
						}
						sb_addc(&t, '$');
						hin.known = 0;
					} else if (wp->kind == P_DYN) {
						hin.known = 0;
					}
					sb_adds(&t, wp->s);
				}
				hin.text = keep(c, sb_take(&t));
				hin.partial = !hin.known;
				hin.known = 1;
			}
		} else if (r->kind == R_HERESTR) {
			char *v = word_value(c, r->target);
			hin.text = v ? keep(c, v) : NULL;
			hin.known = v != NULL;
		} else if (r->kind == R_IN && r->target->npart == 1 && r->target->part[0].procsub) {
			/* < <(echo ...): the output of the process substitution */
			struct sbuf t;
			sb_init(&t);
			hin.known = static_output(c, r->target->part[0].cmd, &t);
			const char *out = keep(c, sb_take(&t));
			hin.text = hin.known ? out : NULL;
			hin.piped = 1;
			if (!hin.known)
				hin.file = "<(...)";
		} else if (r->kind == R_IN) {
			char *v = word_value(c, r->target);
			hin.file = v ? keep(c, v) : NULL;
			hin.known = 0;
			hin.text = NULL;
		}
	}
	const struct stdin_src *src = (hin.text || hin.file) ? &hin : in;
	unwrap(c, &site, &f, src);
	fields_free(&f);
	sv_free(&assigns);
}

/* Text a command writes to stdout, when it is static: echo/printf. */
static int static_output(struct actx *c, const struct node *n, struct sbuf *out)
{
	while (n && n->kind == N_LIST && n->nkid == 1 && !n->bg[0])
		n = n->kid[0];
	if (!n || n->kind != N_SIMPLE || n->nw == 0)
		return 0;
	struct fields f = {0};
	for (size_t i = 0; i < n->nw; i++) {
		if (n->w[i]->flags & W_ASSIGN)
			continue;
		expand_word(c, n->w[i], &f);
	}
	int is_echo = f.n > 0 && strcmp(base_name(f.s[0]), "echo") == 0;
	int is_printf =
	    f.n > 1 && strcmp(base_name(f.s[0]), "printf") == 0 && strcmp(f.s[1], "-v") != 0;
	int ok = is_echo || is_printf;
	for (size_t i = 0; ok && i < f.n; i++)
		if (f.fl[i] & WORD_DYNAMIC)
			ok = 0;
	if (ok && is_echo) {
		size_t i = 1;
		int esc = 0, nl = 1;
		for (; i < f.n && f.s[i][0] == '-' && f.s[i][1] &&
		       strspn(f.s[i] + 1, "neE") == strlen(f.s[i] + 1);
		     i++) {
			if (strchr(f.s[i], 'e'))
				esc = 1;
			if (strchr(f.s[i], 'n'))
				nl = 0;
		}
		for (size_t k = i; k < f.n; k++) {
			if (k > i)
				sb_addc(out, ' ');
			if (!esc) {
				sb_adds(out, f.s[k]);
				continue;
			}
			for (const char *q = f.s[k]; *q;)
				if (*q == '\\')
					escape_char(&q, out);
				else
					sb_addc(out, *q++);
		}
		if (nl)
			sb_addc(out, '\n');
	} else if (ok) {
		size_t i = 1;
		if (strcmp(f.s[i], "--") == 0)
			i++;
		ok = i < f.n && printf_format(f.s[i], f.s + i + 1, f.n - i - 1, out) == 0;
	}
	fields_free(&f);
	return ok;
}

static void walk(struct actx *c, const struct node *n, const struct stdin_src *in)
{
	if (!n || c->out->error)
		return;
	switch (n->kind) {
	case N_SIMPLE:
		walk_simple(c, n, in);
		return;
	case N_PIPE:
		for (size_t i = 0; i < n->nkid; i++) {
			struct stdin_src ps = {0};
			struct sbuf t;
			sb_init(&t);
			if (i > 0) {
				ps.known = static_output(c, n->kid[i - 1], &t);
				ps.text = ps.known ? t.s : NULL;
				ps.piped = 1;
				ps.line = n->kid[i - 1]->line;
			}
			walk(c, n->kid[i], i > 0 ? &ps : in);
			sb_free(&t);
		}
		return;
	case N_FUNC: {
		c->func = xreallocarray(c->func, c->nfunc + 1, sizeof *c->func);
		struct afunc *f = &c->func[c->nfunc++];
		f->name = n->name;
		f->body = n->nkid ? n->kid[0] : NULL;
		f->active = 0;
		actx_trace(c, "%d:%d: defines function %s", n->line, n->col, n->name);
		if (strcmp(n->name, "command_not_found_handle") == 0 && f->body) {
			/* runs for any command that is not found: assume it runs */
			size_t fi = c->nfunc - 1;
			c->func[fi].active = 1;
			walk(c, c->func[fi].body, NULL);
			c->func[fi].active = 0;
		}
		walk_redirs(c, n->r, n->nr);
		return;
	}
	case N_FOR:
	case N_SELECT:
		for (size_t i = 0; i < n->nw; i++)
			walk_word_subs(c, n->w[i]);
		var_set(c, n->name, NULL);
		break;
	case N_CASE:
		for (size_t i = 0; i < n->nw; i++)
			walk_word_subs(c, n->w[i]);
		for (size_t i = 0; i < n->nkid; i++)
			for (size_t k = 0; k < n->arm[i].npat; k++)
				walk_word_subs(c, n->arm[i].pat[k]);
		break;
	default:
		for (size_t i = 0; i < n->nw; i++)
			walk_word_subs(c, n->w[i]);
		break;
	}
	for (size_t i = 0; i < n->nkid; i++)
		walk(c, n->kid[i], in);
	walk_redirs(c, n->r, n->nr);
}

/* ---- entry points --------------------------------------------------- */

void analyze_nested(struct actx *c, const struct cmdsite *site, const char *text, size_t len,
                    const char *via, const char *origin)
{
	if (c->recursion >= ANALYZE_MAX_RECURSION) {
		actx_error(c, site->line, site->col,
		           "shell strings nested deeper than %d levels (limit)",
		           ANALYZE_MAX_RECURSION);
		return;
	}
	struct parse_result pr;
	parse_text(text, len, 1, &limits, &pr);
	sb_adds(&c->decoded, " ");
	sb_adds(&c->decoded, pr.decoded);
	if (pr.error && !pr.incomplete) {
		/* bash would refuse to run it: nothing inside runs, but we cannot
		   be sure what the outer command does with it either */
		actx_trace(c, "%d:%d: %s: cannot parse %s text: %s", site->line, site->col, via,
		           origin ? origin : "nested", pr.error);
		if (origin)
			actx_error(c, site->line, site->col, "%s: %d:%d: %s", origin, pr.err_line,
			           pr.err_col, pr.error);
		else
			actx_error(c, site->line, site->col, "in the text given to %s: %s", via,
			           pr.error);
		parse_result_free(&pr);
		return;
	}
	if (pr.error) {
		actx_error(c, site->line, site->col, "in the text given to %s: %s", via, pr.error);
		parse_result_free(&pr);
		return;
	}
	const char *save_origin = c->origin;
	int sl = c->site_line, sc = c->site_col;
	const char *st = c->site_text;
	char *save_via = c->via;
	struct sbuf v;
	sb_init(&v);
	if (c->via)
		sb_addf(&v, "%s > ", c->via);
	sb_adds(&v, via);
	c->via = sb_take(&v);
	if (origin) {
		c->origin = origin;
		c->site_line = 0;
		c->site_text = NULL;
	} else {
		c->site_line = site->line;
		c->site_col = site->col;
		c->site_text = site->text;
	}
	int save_tree = c->tree_id;
	c->tree_id = ++c->ntree_ids;
	c->recursion++;
	walk(c, pr.root, NULL);
	c->recursion--;
	c->tree_id = save_tree;
	free(c->via);
	c->via = save_via;
	c->origin = save_origin;
	c->site_line = sl;
	c->site_col = sc;
	c->site_text = st;
	/* keep the tree alive: functions defined inside may be called later */
	c->trees = xreallocarray(c->trees, c->ntrees + 1, sizeof *c->trees);
	c->trees[c->ntrees++] = pr;
}

int analyze(const char *text, size_t len, const struct analyze_opts *opt, struct analysis *out)
{
	static const struct analyze_opts defaults = {0};
	memset(out, 0, sizeof *out);
	if (!opt)
		opt = &defaults;
	if (len > ANALYZE_MAX_INPUT) {
		out->error = xasprintf("input longer than %u bytes (limit)", ANALYZE_MAX_INPUT);
		out->err_line = out->err_col = 1;
		out->decoded = xstrndup(text, len > 65536 ? 65536 : len);
		return 0;
	}
	struct actx c;
	memset(&c, 0, sizeof c);
	c.out = out;
	c.opt = opt;
	c.origin = opt->origin;
	sb_init(&c.decoded);
	struct parse_result pr;
	parse_text(text, len, 1, &limits, &pr);
	sb_adds(&c.decoded, pr.decoded);
	if (pr.error) {
		out->error = xstrdup(pr.error);
		out->err_line = pr.err_line;
		out->err_col = pr.err_col;
		out->incomplete = pr.incomplete;
		actx_trace(&c, "%d:%d: %s", pr.err_line, pr.err_col, pr.error);
	} else {
		out->incomplete = pr.incomplete;
		walk(&c, pr.root, NULL);
	}
	out->decoded = sb_take(&c.decoded);
	parse_result_free(&pr);
	for (size_t i = 0; i < c.ntrees; i++)
		parse_result_free(&c.trees[i]);
	free(c.trees);
	for (size_t i = 0; i < c.nvar; i++) {
		free(c.var[i].name);
		free(c.var[i].value);
	}
	free(c.var);
	free(c.func);
	for (size_t i = 0; i < c.nalias; i++) {
		free(c.alias[i].name);
		free(c.alias[i].value);
	}
	free(c.alias);
	free(c.via);
	sv_free(&c.keep);
	sv_free(&c.inherit);
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
		free(c->origin);
		free(c->via);
		free(c->text);
		for (int k = 0; k < c->nassign; k++)
			free(c->assign[k]);
		free(c->assign);
	}
	free(a->cmd);
	for (size_t i = 0; i < a->ntrace; i++)
		free(a->trace[i]);
	free(a->trace);
	free(a->decoded);
	free(a->error);
	memset(a, 0, sizeof *a);
}
