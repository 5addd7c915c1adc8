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

/* Name -> index tables (open addressing); scripts define thousands of
   variables and functions, and every command looks names up. */
static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Index of name in the table, or (size_t)-1.  names(i) gives entry i. */
static size_t nidx_find(const struct nidx *t, const char *name, const char *(*nm)(void *, size_t),
                        void *ctx)
{
	if (!t->cap)
		return (size_t)-1;
	for (size_t h = name_hash(name) & (t->cap - 1);; h = (h + 1) & (t->cap - 1)) {
		size_t v = t->slot[h];
		if (v == 0)
			return (size_t)-1;
		if (strcmp(nm(ctx, v - 1), name) == 0)
			return v - 1;
	}
}

/* Adds entry i (a new name, or a redefinition that should win). */
static void nidx_add(struct nidx *t, size_t i, size_t n, const char *(*nm)(void *, size_t),
                     void *ctx)
{
	if (2 * (n + 1) > t->cap) {
		free(t->slot);
		t->cap = t->cap ? t->cap * 4 : 64;
		t->slot = xcalloc(t->cap, sizeof *t->slot);
		for (size_t k = 0; k < n; k++)
			if (k != i)
				nidx_add(t, k, 0, nm, ctx);
	}
	const char *name = nm(ctx, i);
	for (size_t h = name_hash(name) & (t->cap - 1);; h = (h + 1) & (t->cap - 1)) {
		size_t v = t->slot[h];
		if (v == 0 || strcmp(nm(ctx, v - 1), name) == 0) {
			t->slot[h] = i + 1;
			return;
		}
	}
}

static const char *var_name(void *ctx, size_t i)
{
	return ((struct actx *)ctx)->var[i].name;
}

static const char *func_name(void *ctx, size_t i)
{
	return ((struct actx *)ctx)->func[i].name;
}

static struct avar *var_find(struct actx *c, const char *name)
{
	size_t i = nidx_find(&c->varidx, name, var_name, c);
	return i == (size_t)-1 ? NULL : &c->var[i];
}

void var_set(struct actx *c, const char *name, const char *value)
{
	struct avar *v = var_find(c, name);
	if (!v) {
		if (c->nvar == c->varcap) {
			c->varcap = c->varcap ? c->varcap * 2 : 16;
			c->var = xreallocarray(c->var, c->varcap, sizeof *c->var);
		}
		v = &c->var[c->nvar++];
		v->name = xstrdup(name);
		v->value = NULL;
		nidx_add(&c->varidx, c->nvar - 1, c->nvar - 1, var_name, c);
	}
	free(v->value);
	v->value = value ? xstrdup(value) : NULL;
	v->gen = ++c->var_gen;
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
	size_t i = nidx_find(&c->funcidx, name, func_name, c);
	return i == (size_t)-1 ? NULL : &c->func[i];
}

const char *var_value(struct actx *c, const char *name)
{
	return var_get(c, name);
}

/* hash -p PATH NAME: NAME runs PATH from now on, aliases or not. */
void hash_set(struct actx *c, const char *name, const char *path)
{
	alias_set(c, name, path, 0);
	c->alias[c->nalias - 1].hash = 1;
}

void alias_set(struct actx *c, const char *name, const char *value, int line)
{
	c->alias = xreallocarray(c->alias, c->nalias + 1, sizeof *c->alias);
	c->alias[c->nalias].name = xstrdup(name);
	c->alias[c->nalias].value = xstrdup(value);
	c->alias[c->nalias].line = line;
	c->alias[c->nalias].tree = c->tree_id;
	c->alias[c->nalias].active = 0;
	c->alias[c->nalias].hash = 0;
	c->nalias++;
}

static struct aalias *alias_find(struct actx *c, const char *name, int line)
{
	/* bash expands an alias only with expand_aliases on, and only in
	   commands it parses after the alias command ran: on a later line of
	   the same text, or in other text (bash -c, eval, a script) */
	for (size_t i = c->nalias; i-- > 0;)
		if (strcmp(c->alias[i].name, name) == 0 &&
		    (c->alias[i].hash || (c->expand_aliases && (c->alias[i].tree != c->tree_id ||
		                                                c->alias[i].line < line))))
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
		if (!k) {
			/* \x without hex digits stays as written, as in bash */
			sb_addc(out, '\\');
			sb_addc(out, 'x');
			break;
		}
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

/* A new effective command in the current sink: the analysis, or the body
   of the function being defined. */
static struct ecmd *new_ecmd(struct actx *c)
{
	if (c->cap_fi >= 0) {
		struct afunc *f = &c->func[c->cap_fi];
		if (f->ncmd == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 4;
			f->cmd = xreallocarray(f->cmd, f->cap, sizeof *f->cmd);
		}
		return &f->cmd[f->ncmd++];
	}
	struct analysis *a = c->out;
	if (a->ncmd == c->cmdcap) {
		c->cmdcap = c->cmdcap ? c->cmdcap * 2 : 8;
		a->cmd = xreallocarray(a->cmd, c->cmdcap, sizeof *a->cmd);
	}
	return &a->cmd[a->ncmd++];
}

static void ecmd_free(struct ecmd *c)
{
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

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void ecmd_copy(struct ecmd *d, const struct ecmd *s, const char *via)
{
	*d = *s;
	d->argv = xcalloc((size_t)s->argc + 1, sizeof(char *));
	d->wflags = xcalloc((size_t)s->argc + 1, sizeof(unsigned));
	for (int k = 0; k < s->argc; k++) {
		d->argv[k] = xstrdup(s->argv[k]);
		d->wflags[k] = s->wflags[k];
	}
	d->origin = dup_or_null(s->origin);
	d->via =
	    via ? (s->via ? xasprintf("%s > %s", via, s->via) : xstrdup(via)) : dup_or_null(s->via);
	d->text = dup_or_null(s->text);
	d->assign = xcalloc((size_t)s->nassign + 1, sizeof(char *));
	for (int k = 0; k < s->nassign; k++)
		d->assign[k] = xstrdup(s->assign[k]);
}

/* A call of function fi: what its body runs, with calls of functions that
   are defined by now resolved (bash looks functions up when it runs).
   Calls of calls are followed with an explicit stack, not by recursion: a
   chain of 100,000 functions each calling the previous must not take a
   stack frame per function. */
static void replay(struct actx *c, size_t fi)
{
	/* a body is analysed once, where it is defined, so every call runs the
	   same commands: the first call puts them in the analysis */
	if (c->func[fi].active || c->func[fi].replayed)
		return;
	struct frame {
		size_t fi, k;
		char *via;
	};
	struct frame *st = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (fi != (size_t)-1) {
			/* enter function fi */
			c->func[fi].active = 1;
			c->func[fi].replayed = 1;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				st = xreallocarray(st, cap, sizeof *st);
			}
			st[n].fi = fi;
			st[n].k = 0;
			st[n].via = xasprintf("function %s", c->func[fi].name);
			n++;
			fi = (size_t)-1;
		}
		if (n == 0)
			break;
		struct frame *f = &st[n - 1];
		struct afunc *fn = &c->func[f->fi];
		if (f->k >= fn->ncmd) {
			fn->active = 0;
			free(f->via);
			n--;
			continue;
		}
		const struct ecmd *src = &fn->cmd[f->k++];
		if (src->flags & CMD_CALLSITE) {
			struct afunc *g = func_find(c, src->argv[0]);
			if (g) {
				if (!g->active && !g->replayed)
					fi = (size_t)(g - c->func);
				continue;
			}
		}
		struct ecmd tmp;
		ecmd_copy(&tmp, src, f->via);
		if (c->cap_fi < 0)
			tmp.flags &= ~CMD_CALLSITE;
		struct ecmd *e = new_ecmd(c); /* may move c->func[...].cmd: src is not used after */
		*e = tmp;
	}
	free(st);
}

void emit(struct actx *c, const struct cmdsite *site, char **argv, const unsigned *wfl, int argc,
          unsigned flags, const char *via)
{
	struct ecmd *e = new_ecmd(c);
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
	if (!c->opt->want_trace)
		return;
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

/*
 * Text that bash evaluates as code later although it is quoted now: an
 * array subscript holding a command substitution ('a[$(cmd)]' runs cmd when
 * the value reaches arithmetic: $((x)), (( )), let, declare -i, read,
 * printf -v, test -v), and ${x@P} prompt expansion.  Each $(...) in it is
 * analysed as commands.
 */
static void walk_embedded(struct actx *c, const struct cmdsite *site, const char *text, int any)
{
	/* text may be a variable's value, which the nested analysis can
	   reassign (and free): walk a copy */
	char *t = xstrdup(text);
	for (const char *p = t; (p = strstr(p, "$(")) != NULL; p += 2) {
		if (!any && (p == t || p[-1] != '['))
			continue;
		int depth = 0;
		const char *q = p + 1;
		for (; *q; q++) {
			if (*q == '(')
				depth++;
			else if (*q == ')' && --depth == 0)
				break;
		}
		if (!*q)
			break;
		char *inner = xstrndup(p + 2, (size_t)(q - p - 2));
		actx_trace(c, "%d:%d: text evaluated later runs: %s", site->line, site->col, inner);
		analyze_nested(c, site, inner, strlen(inner), "evaluated text", NULL);
		free(inner);
	}
	free(t);
}

/* Variables named in arithmetic text whose values hold $(...): bash
   evaluates the value as an expression, subscripts and all. */
static void arith_refs(struct actx *c, const struct cmdsite *site, const char *t)
{
	for (const char *p = t; *p;) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')) {
			p++;
			continue;
		}
		const char *b = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		       (*p >= '0' && *p <= '9'))
			p++;
		char *nm = xstrndup(b, (size_t)(p - b));
		const char *val = var_get(c, nm);
		if (val && strstr(val, "$("))
			walk_embedded(c, site, val, 1);
		free(nm);
	}
}

static int is_int_var(struct actx *c, const char *name)
{
	for (size_t i = 0; i < c->intvars.n; i++)
		if (strcmp(c->intvars.v[i], name) == 0)
			return 1;
	return 0;
}

/* Code that runs when a value is evaluated later (see walk_embedded). */
static void walk_evaluated(struct actx *c, const struct node *n)
{
	struct cmdsite es = {0};
	es.line = c->site_line ? c->site_line : n->line;
	es.col = c->site_line ? c->site_col : n->col;
	es.text = c->site_text ? c->site_text : n->src;
	size_t first = 0;
	while (first < n->nw && (n->w[first]->flags & W_ASSIGN))
		first++;
	const struct word *w0 = first < n->nw ? n->w[first] : NULL;
	const char *cmd = w0 && w0->npart == 1 && w0->part[0].kind == P_LIT ? w0->part[0].s : "";
	/* builtins that evaluate subscripts of their arguments */
	int evaluates = !strcmp(cmd, "let") || !strcmp(cmd, "printf") || !strcmp(cmd, "read") ||
	                !strcmp(cmd, "test") || !strcmp(cmd, "[") || !strcmp(cmd, "declare") ||
	                !strcmp(cmd, "typeset") || !strcmp(cmd, "local") || !strcmp(cmd, "mapfile");
	int decl_int = 0;
	for (size_t i = 0; i < n->nw; i++) {
		const struct word *w = n->w[i];
		for (size_t k = 0; k < w->npart; k++) {
			const struct wpart *wp = &w->part[k];
			size_t sl = strlen(wp->s);
			if (wp->kind == P_LIT && i > first && evaluates) {
				if (!strcmp(cmd, "declare") || !strcmp(cmd, "typeset") ||
				    !strcmp(cmd, "local")) {
					if (wp->s[0] == '-' && strchr(wp->s, 'i'))
						decl_int = 1;
					else if (decl_int)
						sv_push(&c->intvars,
						        xstrndup(wp->s, strcspn(wp->s, "=")));
				}
				if (strstr(wp->s, "[$(") && (strcmp(cmd, "declare") || decl_int))
					walk_embedded(c, &es, wp->s, 0);
			}
			if (wp->kind == P_LIT && i < first && strstr(wp->s, "[$(")) {
				/* assignment to an integer variable: the value is evaluated */
				char *nm = xstrndup(w->src, strcspn(w->src, "=+["));
				if (is_int_var(c, nm))
					walk_embedded(c, &es, wp->s, 0);
				free(nm);
			}
			if (wp->kind == P_DYN && sl > 5 && strcmp(wp->s + sl - 3, "@P}") == 0) {
				char *nm = xstrndup(wp->s + 2, sl - 5);
				const char *val = var_get(c, nm);
				if (val)
					walk_embedded(c, &es, val, 1);
				free(nm);
			}
			if (wp->kind == P_DYN &&
			    (strncmp(wp->s, "$((", 3) == 0 || strchr(wp->s, '[')))
				arith_refs(c, &es, wp->s);
		}
	}
}

static void walk_simple(struct actx *c, const struct node *n, const struct stdin_src *in)
{
	for (size_t i = 0; i < n->nw; i++)
		walk_word_subs(c, n->w[i]);
	walk_redirs(c, n->r, n->nr);
	walk_evaluated(c, n);

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
			if (strcmp(name, "BASH_ALIASES") == 0 && src[nl] == '[' && val) {
				/* BASH_ALIASES[p]=pm2 is alias p=pm2 */
				size_t kl = strcspn(src + nl + 1, "]");
				char *an = xstrndup(src + nl + 1, kl);
				alias_set(c, an, val + 1, n->line);
				free(an);
			}
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
		if (fn && c->cap_fi < 0) {
			actx_trace(c, "%d:%d: calls function %s", site.line, site.col, fn->name);
			replay(c, (size_t)(fn - c->func));
			fields_free(&f);
			sv_free(&assigns);
			return;
		}
		/* inside a function body a call is recorded as a call site and
		   resolved when the outer function is called */
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
	size_t before = c->cap_fi >= 0 ? c->func[c->cap_fi].ncmd : 0;
	long cap = c->cap_fi;
	unwrap(c, &site, &f, src);
	if (cap >= 0 && !(f.fl[0] & WORD_DYNAMIC) && c->func[cap].ncmd > before) {
		/* maybe a call of a function defined after this one */
		struct ecmd *e = &c->func[cap].cmd[before];
		if (!e->via && strcmp(e->argv[0], base_name(f.s[0])) == 0)
			e->flags |= CMD_CALLSITE;
	}
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

/*
 * f() { ...; }: the body is analysed now, into the function's own list,
 * and replayed at each call.  Variables the body assigns are unknown
 * afterwards: guard cannot know whether, or when, it runs.
 */
static void define_function(struct actx *c, const struct node *n)
{
	actx_trace(c, "%d:%d: defines function %s", n->line, n->col, n->name);
	struct afunc nf = {xstrdup(n->name), NULL, 0, 0, 0, 0};
	c->func = xreallocarray(c->func, c->nfunc + 1, sizeof *c->func);
	size_t fi = c->nfunc++;
	c->func[fi] = nf;
	nidx_add(&c->funcidx, fi, fi, func_name, c);
	unsigned long stamp = ++c->var_gen;
	long save = c->cap_fi;
	c->cap_fi = (long)fi;
	c->func[fi].active = 1; /* a call of itself in its body is a call site */
	if (n->nkid)
		walk(c, n->kid[0], NULL);
	c->func[fi].active = 0;
	c->cap_fi = save;
	for (size_t i = 0; i < c->nvar; i++)
		if (c->var[i].gen > stamp) {
			free(c->var[i].value);
			c->var[i].value = NULL;
		}
	walk_redirs(c, n->r, n->nr);
	if (strcmp(n->name, "command_not_found_handle") == 0)
		replay(c, fi); /* runs for any command that is not found */
}

static void walk(struct actx *c, const struct node *n, const struct stdin_src *in)
{
	if (!n || c->out->error)
		return;
	if (stack_deep()) {
		actx_error(c, n->line, n->col, "nesting too deep for the stack (limit)");
		return;
	}
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
	case N_FUNC:
		define_function(c, n);
		return;
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
		if (n->kind == N_ARITH || n->kind == N_ARITH_FOR || n->kind == N_COND) {
			struct cmdsite es = {0};
			es.line = c->site_line ? c->site_line : n->line;
			es.col = c->site_line ? c->site_col : n->col;
			es.text = c->site_text;
			for (size_t i = 0; i < n->nw; i++)
				arith_refs(c, &es, n->w[i]->src);
		}
		break;
	}
	for (size_t i = 0; i < n->nkid; i++)
		walk(c, n->kid[i], in);
	walk_redirs(c, n->r, n->nr);
}

/* ---- entry points --------------------------------------------------- */

static void walk_item(const struct node *item, void *ctx)
{
	walk(ctx, item, NULL);
}

void analyze_nested(struct actx *c, const struct cmdsite *site, const char *text, size_t len,
                    const char *via, const char *origin)
{
	if (c->recursion >= ANALYZE_MAX_RECURSION) {
		actx_error(c, site->line, site->col,
		           "shell strings nested deeper than %d levels (limit)",
		           ANALYZE_MAX_RECURSION);
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
	struct parse_result pr;
	parse_stream(text, len, 1, &limits, walk_item, c, &pr);
	c->recursion--;
	c->tree_id = save_tree;
	free(c->via);
	c->via = save_via;
	c->origin = save_origin;
	c->site_line = sl;
	c->site_col = sc;
	c->site_text = st;
	sb_adds(&c->decoded, " ");
	sb_adds(&c->decoded, pr.decoded);
	if (pr.error) {
		/* bash would refuse to run it: we cannot be sure what the outer
		   command does with it either */
		actx_trace(c, "%d:%d: %s: cannot parse %s text: %s", site->line, site->col, via,
		           origin ? origin : "nested", pr.error);
		if (origin)
			actx_error(c, site->line, site->col, "%s: %d:%d: %s", origin, pr.err_line,
			           pr.err_col, pr.error);
		else
			actx_error(c, site->line, site->col, "in the text given to %s: %s", via,
			           pr.error);
	}
	parse_result_free(&pr);
}

static void forget_item(const struct node *item, void *ctx)
{
	(void)item;
	(void)ctx; /* streaming: each command's tree is freed when this returns */
}

void analyze_syntax(const char *text, size_t len, struct analysis *out)
{
	memset(out, 0, sizeof *out);
	if (len > ANALYZE_MAX_INPUT) {
		out->error = xasprintf("input longer than %u bytes (limit)", ANALYZE_MAX_INPUT);
		out->err_line = out->err_col = 1;
		return;
	}
	static const struct parse_limits syntax = {
	    .max_depth = ANALYZE_MAX_DEPTH,
	    .max_words = ANALYZE_MAX_WORDS,
	    .max_heredocs = ANALYZE_MAX_HEREDOCS,
	    .syntax_only = 1,
	};
	struct parse_result pr;
	parse_stream(text, len, 1, &syntax, forget_item, NULL, &pr);
	out->incomplete = pr.incomplete;
	if (pr.error) {
		out->error = xstrdup(pr.error);
		out->err_line = pr.err_line;
		out->err_col = pr.err_col;
	}
	parse_result_free(&pr);
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
	stack_begin();
	struct actx c;
	memset(&c, 0, sizeof c);
	c.out = out;
	c.opt = opt;
	c.origin = opt->origin;
	sb_init(&c.decoded);
	c.cap_fi = -1;
	struct parse_result pr;
	/* one top-level command at a time: analysed, then its tree freed */
	parse_stream(text, len, 1, &limits, walk_item, &c, &pr);
	sb_adds(&c.decoded, pr.decoded);
	out->incomplete = pr.incomplete;
	if (pr.error) {
		free(out->error); /* the syntax error is the one to report */
		out->error = xstrdup(pr.error);
		out->err_line = pr.err_line;
		out->err_col = pr.err_col;
		actx_trace(&c, "%d:%d: %s", pr.err_line, pr.err_col, pr.error);
	}
	out->decoded = sb_take(&c.decoded);
	parse_result_free(&pr);
	for (size_t i = 0; i < c.nfunc; i++) {
		for (size_t k = 0; k < c.func[i].ncmd; k++)
			ecmd_free(&c.func[i].cmd[k]);
		free(c.func[i].cmd);
		free(c.func[i].name);
	}
	for (size_t i = 0; i < c.nvar; i++) {
		free(c.var[i].name);
		free(c.var[i].value);
	}
	free(c.var);
	free(c.varidx.slot);
	free(c.funcidx.slot);
	free(c.func);
	for (size_t i = 0; i < c.nalias; i++) {
		free(c.alias[i].name);
		free(c.alias[i].value);
	}
	free(c.alias);
	free(c.via);
	sv_free(&c.keep);
	sv_free(&c.inherit);
	sv_free(&c.intvars);
	stack_end();
	return 0;
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->ncmd; i++)
		ecmd_free(&a->cmd[i]);
	free(a->cmd);
	for (size_t i = 0; i < a->ntrace; i++)
		free(a->trace[i]);
	free(a->trace);
	free(a->decoded);
	free(a->error);
	memset(a, 0, sizeof *a);
}
