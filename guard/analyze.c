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
#include "brace.h"
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

int budget_take(struct actx *c, size_t n)
{
	if (c->budget + n <= ANALYZE_MAX_VALUES) {
		c->budget += n;
		return 0;
	}
	c->budget = ANALYZE_MAX_VALUES + 1;
	actx_error(c, c->cur_line, c->cur_col,
	           "variable values and expansions larger than %u bytes in total (limit)",
	           ANALYZE_MAX_VALUES);
	return -1;
}

static struct avar *var_slot(struct actx *c, const char *name)
{
	struct avar *v = var_find(c, name);
	if (v)
		return v;
	if (c->nvar == c->varcap) {
		c->varcap = c->varcap ? c->varcap * 2 : 16;
		c->var = xreallocarray(c->var, c->varcap, sizeof *c->var);
	}
	v = &c->var[c->nvar++];
	memset(v, 0, sizeof *v);
	v->name = xstrdup(name);
	nidx_add(&c->varidx, c->nvar - 1, c->nvar - 1, var_name, c);
	return v;
}

/* Inside a function body every variable it sets is unknown afterwards:
   guard cannot know whether, or when, the body runs (define_function). */
static void var_log(struct actx *c, struct avar *v)
{
	if (!c->defining)
		return;
	if (c->nvarlog == c->varlogcap) {
		c->varlogcap = c->varlogcap ? c->varlogcap * 2 : 16;
		c->varlog = xreallocarray(c->varlog, c->varlogcap, sizeof *c->varlog);
	}
	c->varlog[c->nvarlog++] = (size_t)(v - c->var);
}

static void var_store(struct actx *c, struct avar *v, const char *value, size_t n)
{
	var_log(c, v);
	v->set = ++c->gen;
	if (!value || (c->out->error && c->budget > ANALYZE_MAX_VALUES) || budget_take(c, n) < 0) {
		free(v->value);
		v->value = NULL;
		v->len = v->cap = 0;
		return;
	}
	if (!v->value || v->cap < n + 1) {
		free(v->value);
		v->cap = n + 1;
		v->value = xmalloc(v->cap);
	}
	memcpy(v->value, value, n);
	v->value[n] = 0;
	v->len = n;
}

/* NAME+=s on a known value: in place, so a script of 100,000 appends costs
   the bytes it adds, not a copy of the value for each. */
static void var_append(struct actx *c, struct avar *v, const char *s, size_t n)
{
	var_log(c, v);
	v->set = ++c->gen;
	if (!v->value)
		return;
	if (budget_take(c, n) < 0) {
		var_store(c, v, NULL, 0);
		return;
	}
	if (v->len + n + 1 > v->cap) {
		size_t cap = v->cap * 2 > v->len + n + 1 ? v->cap * 2 : v->len + n + 1;
		v->value = xrealloc(v->value, cap);
		v->cap = cap;
	}
	memcpy(v->value + v->len, s, n);
	v->len += n;
	v->value[v->len] = 0;
}

void var_set(struct actx *c, const char *name, const char *value)
{
	struct avar *v = var_slot(c, name);
	var_store(c, v, value, value ? strlen(value) : 0);
}

/* The variable a name stands for, following namerefs (declare -n); NULL
   when the name it refers to is not known, or is an array element.  A new
   variable is made when create. */
static struct avar *var_target(struct actx *c, const char *name, int create)
{
	struct avar *v = var_find(c, name);
	for (int hop = 0; v && (v->attr & VAR_NAMEREF) && hop < 8; hop++) {
		if (!v->value || strchr(v->value, '['))
			return NULL;
		struct avar *t = var_find(c, v->value);
		if (!t && create)
			t = var_slot(c, v->value); /* may move c->var: v is not used after */
		v = t;
	}
	if (v && (v->attr & VAR_NAMEREF))
		return NULL; /* a loop of namerefs */
	if (!v && create)
		v = var_slot(c, name);
	return v;
}

static const char *var_get(struct actx *c, const char *name)
{
	struct avar *d = var_find(c, name);
	struct avar *v = var_target(c, name, 0);
	if (v && v->value && c->cap_fi >= 0) {
		/* a function body reads a value set before it was defined */
		struct afunc *fn = &c->func[c->cap_fi];
		if (v->set <= fn->def_start && v->read_by != (size_t)c->cap_fi + 1) {
			v->read_by = (size_t)c->cap_fi + 1;
			if (fn->nreads == fn->capreads) {
				fn->capreads = fn->capreads ? fn->capreads * 2 : 8;
				fn->reads =
				    xreallocarray(fn->reads, fn->capreads, sizeof *fn->reads);
			}
			fn->reads[fn->nreads++] = (size_t)(v - c->var);
		}
	}
	if (v)
		return v->value;
	if (!d && strcmp(name, "IFS") == 0)
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

static const char *alias_name(void *ctx, size_t i)
{
	return ((struct actx *)ctx)->alias[i].name;
}

static void alias_add(struct actx *c, const char *name, const char *value, int line, int hash)
{
	size_t i = nidx_find(&c->aliasidx, name, alias_name, c);
	if (i != (size_t)-1) {
		struct aalias *a = &c->alias[i];
		if (a->tree == c->tree_id && a->line == line && a->hash == hash) {
			/* redefined where the old one can never be seen any more:
			   wherever it would apply, the new one does */
			free(a->value);
			a->value = xstrdup(value);
			return;
		}
	}
	if (c->nalias == c->aliascap) {
		c->aliascap = c->aliascap ? c->aliascap * 2 : 16;
		c->alias = xreallocarray(c->alias, c->aliascap, sizeof *c->alias);
	}
	struct aalias *a = &c->alias[c->nalias];
	a->name = xstrdup(name);
	a->value = xstrdup(value);
	a->line = line;
	a->tree = c->tree_id;
	a->active = 0;
	a->hash = hash;
	a->prev = i; /* the older definition of the name, or (size_t)-1 */
	c->nalias++;
	nidx_add(&c->aliasidx, c->nalias - 1, c->nalias - 1, alias_name, c);
}

/* hash -p PATH NAME: NAME runs PATH from now on, aliases or not. */
void hash_set(struct actx *c, const char *name, const char *path)
{
	alias_add(c, name, path, 0, 1);
}

void alias_set(struct actx *c, const char *name, const char *value, int line)
{
	alias_add(c, name, value, line, 0);
}

static struct aalias *alias_find(struct actx *c, const char *name, int line)
{
	/* bash expands an alias only with expand_aliases on, and only in
	   commands it parses after the alias command ran: on a later line of
	   the same text, or in other text (bash -c, eval, a script).  The
	   newest visible definition wins; newer invisible ones are of this
	   text's current line, at most one per kind (alias_add) */
	for (size_t i = nidx_find(&c->aliasidx, name, alias_name, c); i != (size_t)-1;
	     i = c->alias[i].prev) {
		const struct aalias *a = &c->alias[i];
		if (a->hash || (c->expand_aliases && (a->tree != c->tree_id || a->line < line)))
			return &c->alias[i];
	}
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
/* One character of val matches pat (bash's ${x,,pat}): every one when pat
   is empty. */
static int char_matches(const char *pat, char ch)
{
	char one[2] = {ch, 0};
	return !*pat || fnmatch(pat, one, 0) == 0;
}

/*
 * The case and substitution operators on a known value: ${x,,} ${x,}
 * ${x^^} ${x^} ${x~~} ${x~} (with an optional pattern), ${x/pat/rep}
 * ${x//pat/rep} ${x/#pat/rep} ${x/%pat/rep} (rep may hold & for the match,
 * as bash 5.2's patsub_replacement does), ${x:off} ${x:off:len} with
 * literal numbers, ${x@U} ${x@L} ${x@u} and ${x?msg} ${x:?msg}.  quoted:
 * op holds quotes or expansions, only the case operators without a
 * pattern are done.  NULL: another operator, or not worked out.
 */
static char *param_case_sub(const char *val, const char *op, int quoted)
{
	size_t vl = strlen(val);
	if (op[0] == ',' || op[0] == '^' || op[0] == '~') {
		int all = op[1] == op[0];
		const char *pat = op + 1 + all;
		if (quoted && *pat)
			return NULL;
		char *r = xstrdup(val);
		for (size_t i = 0; i < vl && (all || i == 0); i++) {
			unsigned char ch = (unsigned char)r[i];
			if (!char_matches(pat, r[i]))
				continue;
			if (op[0] == ',' && ch >= 'A' && ch <= 'Z')
				r[i] = (char)(ch + 32);
			else if (op[0] == '^' && ch >= 'a' && ch <= 'z')
				r[i] = (char)(ch - 32);
			else if (op[0] == '~' &&
			         ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
				r[i] = (char)(ch ^ 32);
		}
		return r;
	}
	if (op[0] == '@' && op[1] && !op[2] && strchr("ULu", op[1])) {
		char *r = xstrdup(val);
		for (size_t i = 0; i < vl && (op[1] != 'u' || i == 0); i++) {
			unsigned char ch = (unsigned char)r[i];
			if (op[1] == 'L' && ch >= 'A' && ch <= 'Z')
				r[i] = (char)(ch + 32);
			else if (op[1] != 'L' && ch >= 'a' && ch <= 'z')
				r[i] = (char)(ch - 32);
		}
		return r;
	}
	if (quoted)
		return NULL;
	if (op[0] == '?' || (op[0] == ':' && op[1] == '?'))
		return op[0] == ':' && !*val ? NULL : xstrdup(val);
	if (op[0] == ':' && ((op[1] >= '0' && op[1] <= '9') || op[1] == ' ')) {
		/* ${x:off} ${x:off:len}, literal numbers only */
		char *end;
		long off = strtol(op + 1, &end, 10);
		long len = (long)vl;
		if (*end == ':') {
			len = strtol(end + 1, &end, 10);
			if (len < 0)
				return NULL;
		}
		if (*end || off < 0 || (size_t)off > vl)
			return NULL;
		if ((size_t)(off + len) > vl)
			len = (long)vl - off;
		return xstrndup(val + off, (size_t)len);
	}
	if (op[0] != '/' || vl > 4096)
		return NULL; /* pattern work is quadratic: only on short values */
	int mode = op[1] == '/' ? 'g' : op[1] == '#' ? '#' : op[1] == '%' ? '%' : 0;
	const char *pb = op + 1 + (mode != 0);
	const char *slash = strchr(pb, '/');
	char *pat = xstrndup(pb, slash ? (size_t)(slash - pb) : strlen(pb));
	const char *rep = slash ? slash + 1 : "";
	struct sbuf b;
	sb_init(&b);
	size_t i = 0;
	int done = 0;
	while (i <= vl) {
		size_t best = (size_t)-1;
		if ((mode == '#' && i > 0) || done || !*pat)
			break;
		for (size_t l = vl - i + 1; l-- > 0;) {
			if (mode == '%' && i + l != vl)
				continue;
			char *cand = xstrndup(val + i, l);
			int m = fnmatch(pat, cand, 0) == 0;
			free(cand);
			if (m) {
				best = l;
				break;
			}
		}
		if (best == (size_t)-1) {
			if (i < vl)
				sb_addc(&b, val[i]);
			i++;
			continue;
		}
		for (const char *q = rep; *q; q++)
			if (*q == '&')
				sb_addn(&b, val + i, best);
			else
				sb_addc(&b, *q);
		i += best ? best : 1;
		if (!best && i - 1 < vl)
			sb_addc(&b, val[i - 1]);
		if (mode != 'g')
			done = 1;
	}
	if (i < vl)
		sb_adds(&b, val + i);
	free(pat);
	return sb_take(&b);
}

static char *param_op(struct actx *c, const char *src)
{
	size_t n = strlen(src);
	if (n < 4 || src[n - 1] != '}')
		return NULL;
	char *in = xstrndup(src + 2, n - 3);
	char *res = NULL;
	size_t nl = 0;
	int len_op = in[0] == '#' && in[1];
	int indirect = in[0] == '!';
	const char *nm = in + len_op + indirect;
	while ((nm[nl] >= 'a' && nm[nl] <= 'z') || (nm[nl] >= 'A' && nm[nl] <= 'Z') ||
	       nm[nl] == '_' || (nl && nm[nl] >= '0' && nm[nl] <= '9'))
		nl++;
	if (nl == 0)
		goto out;
	char *name = xstrndup(nm, nl);
	const char *val = var_get(c, name);
	free(name);
	const char *op = nm + nl;
	if (indirect) {
		/* ${!x}: the variable x names */
		size_t k = 0;
		while (val &&
		       ((val[k] >= 'a' && val[k] <= 'z') || (val[k] >= 'A' && val[k] <= 'Z') ||
		        val[k] == '_' || (k && val[k] >= '0' && val[k] <= '9')))
			k++;
		val = val && k && !val[k] && !*op ? var_get(c, val) : NULL;
	}
	if (!val)
		goto out;
	if (*op && strpbrk(op, "'\"\\$`")) {
		res = param_case_sub(val, op, 1);
		goto out;
	}
	if (*op && (res = param_case_sub(val, op, 0)) != NULL)
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

/* Expands a word into fields the way bash would, as far as it is known:
   literal text, known variables (field-split when unquoted), and dynamic
   parts kept as written with WORD_DYNAMIC. */
/* The value of a word part that is not literal text, when it is known:
   a variable, the output of a static echo/printf, ${name OP word}.  *computed
   is set when the value was built (the caller frees it).  Counts the bytes
   against the budget: a known value may be large (x=$x$x...). */
static const char *part_value(struct actx *c, const struct wpart *p, char **computed)
{
	*computed = NULL;
	if (c->out->error && c->budget > ANALYZE_MAX_VALUES)
		return NULL; /* the budget is spent: stop copying values */
	const char *val = p->kind == P_PARAM ? var_get(c, p->s) : NULL;
	if (p->kind == P_DYN && p->cmd && !p->procsub) {
		/* $(echo pm2): the output of a static echo/printf is known */
		struct sbuf o;
		sb_init(&o);
		if (static_output(c, p->cmd, &o)) {
			while (o.len && o.s[o.len - 1] == '\n')
				o.s[--o.len] = 0;
			*computed = sb_take(&o);
		}
		sb_free(&o);
	} else if (p->kind == P_DYN && strncmp(p->s, "${", 2) == 0) {
		*computed = param_op(c, p->s);
	}
	if (*computed)
		val = *computed;
	if (val && budget_take(c, strlen(val)) < 0) {
		free(*computed);
		*computed = NULL;
		return NULL;
	}
	return val;
}

static void expand_word_nb(struct actx *c, const struct word *w, struct fields *out, int nosplit,
                           int nobrace);

/* Brace expansion, first, as bash does it (brace.c): each result is parsed
   as a word of its own and expanded without braces.  0 when the word has
   no group; 1 when its fields are in out (or the line is denied because the
   expansion passed a limit). */
static int brace_word(struct actx *c, const struct word *w, struct fields *out)
{
	struct brace_result br;
	const char *why;
	enum brace_status st = brace_expand_src(w->src, strlen(w->src), &br, &why);
	if (st == BRACE_NONE)
		return 0;
	int line = w->line ? w->line : c->cur_line, col = w->line ? w->col : c->cur_col;
	if (st == BRACE_LIMIT) {
		actx_error(c, line, col, "%s (limit): guard cannot see what bash would run", why);
		fields_push(out, xstrdup(w->src), WORD_DYNAMIC | WORD_GLOB);
		return 1;
	}
	/* each word of the expansion counts (a line of many {a,b}{a,b}...
	   words is millions of fields) */
	if (budget_take(c, br.work + 64 * br.n) < 0) {
		brace_result_free(&br);
		fields_push(out, xstrdup(w->src), WORD_DYNAMIC | WORD_GLOB);
		return 1;
	}
	for (size_t k = 0; k < br.n; k++) {
		/* in argument place, so nothing is a reserved word or an
		   assignment; a leading '#' would start a comment */
		char *t = xasprintf(": %s%s", br.v[k][0] == '#' ? "\\" : "", br.v[k]);
		struct parse_result pr;
		parse_text(t, strlen(t), 1, &limits, &pr);
		const struct node *n = pr.root;
		while (n && (n->kind == N_LIST || n->kind == N_ANDOR || n->kind == N_PIPE) &&
		       n->nkid == 1 && !(n->kind == N_LIST && n->bg && n->bg[0]))
			n = n->kid[0];
		if (!pr.error && n && n->kind == N_SIMPLE && n->nw <= 2 && n->nr == 0) {
			if (n->nw == 2)
				expand_word_nb(c, n->w[1], out, 0, 1);
		} else {
			actx_error(c, line, col, "cannot follow the brace expansion of %s", w->src);
			fields_push(out, xstrdup(br.v[k]), WORD_DYNAMIC | WORD_GLOB);
		}
		parse_result_free(&pr);
		free(t);
	}
	if (br.truncated) /* bash makes more words: what they are is not known */
		fields_push(out, xstrdup("{...}"), WORD_DYNAMIC);
	brace_result_free(&br);
	return 1;
}

/* nosplit: as an assignment's value, or an assignment-shaped argument of
   a declaration builtin (declare x=$y): no field splitting, no globbing. */
static void expand_word_as(struct actx *c, const struct word *w, struct fields *out, int nosplit)
{
	expand_word_nb(c, w, out, nosplit, 0);
}

static void expand_word_nb(struct actx *c, const struct word *w, struct fields *out, int nosplit,
                           int nobrace)
{
	if (!nobrace && !nosplit && (w->flags & W_BRACE) && w->src && brace_word(c, w, out))
		return;
	struct sbuf cur;
	sb_init(&cur);
	unsigned fl = (w->flags & W_GLOB) && !nosplit ? WORD_GLOB : 0;
	int have = (w->flags & W_QUOTED) != 0; /* "" is one empty field */
	for (size_t i = 0; i < w->npart; i++) {
		const struct wpart *p = &w->part[i];
		if (p->kind == P_LIT) {
			sb_adds(&cur, p->s);
			have = 1;
			continue;
		}
		char *computed;
		const char *val = part_value(c, p, &computed);
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
		if (p->quoted || nosplit) {
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
		if (strpbrk(val, "*?["))
			fl |= WORD_GLOB; /* an unquoted value is globbed: x='pm[2]'; $x */
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
	if (have)
		fields_push(out, sb_take(&cur), fl);
	sb_free(&cur);
}

void expand_word(struct actx *c, const struct word *w, struct fields *out)
{
	expand_word_as(c, w, out, 0);
}

/* NAME=..., NAME+=..., NAME[...]=... */
static int assignment_shaped(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
	       (*s >= '0' && *s <= '9'))
		s++;
	return *s == '=' || *s == '[' || (s[0] == '+' && s[1] == '=');
}

static int is_declaration(const struct word *w)
{
	if (!w || w->npart != 1 || w->part[0].kind != P_LIT || (w->flags & W_QUOTED))
		return 0;
	const char *s = w->part[0].s;
	return !strcmp(s, "declare") || !strcmp(s, "typeset") || !strcmp(s, "local") ||
	       !strcmp(s, "export") || !strcmp(s, "readonly");
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

/* parts[0..n) joined as an assignment's value (no field splitting, no
   globbing): 0, or -1 when a part is known only at run time. */
static int concat_value(struct actx *c, const struct wpart *parts, size_t n, struct sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (parts[i].kind == P_LIT) {
			sb_adds(out, parts[i].s);
			continue;
		}
		char *computed;
		const char *val = part_value(c, &parts[i], &computed);
		if (!val)
			return -1;
		sb_adds(out, val);
		free(computed);
	}
	return 0;
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
/* A variable the body of fi read, set before fi was defined, is set
   again: the body was analysed with the old value. */
static int func_stale(struct actx *c, size_t fi)
{
	const struct afunc *fn = &c->func[fi];
	for (size_t k = 0; k < fn->nreads; k++)
		if (c->var[fn->reads[k]].set > fn->def_end)
			return 1;
	return 0;
}

/* x=ls; f() { $x; }; x=pm2; f: the body is analysed again, with the values
   of now (or, without its text, the call is opaque). */
static void emit_stale(struct actx *c, const struct cmdsite *site, size_t fi)
{
	struct afunc *fn = &c->func[fi];
	actx_trace(c, "%d:%d: function %s reads variables set again since it was defined",
	           site->line, site->col, fn->name);
	char *via = xasprintf("function %s", fn->name);
	if (fn->body && c->recursion + 1 < ANALYZE_MAX_RECURSION &&
	    budget_take(c, strlen(fn->body)) == 0) {
		char *body = xstrdup(fn->body); /* c->func may move */
		fn->active = 1;
		analyze_nested(c, site, body, strlen(body), via, NULL);
		c->func[fi].active = 0;
		free(body);
	} else {
		char *argv[] = {fn->name, NULL};
		unsigned wfl[] = {0, 0};
		emit(c, site, argv, wfl, 1, CMD_OPAQUE | CMD_FUNCTION, via);
	}
	free(via);
}

static void replay(struct actx *c, size_t fi, char *const *assign, size_t nassign,
                   const struct cmdsite *site)
{
	/* a call with assignments (BASH_ENV=x f) runs the body with them in
	   its environment: replayed again, each command carrying them */
	int again = nassign > 0;
	if (site && !c->func[fi].active && func_stale(c, fi)) {
		emit_stale(c, site, fi);
		return;
	}
	/* a body is analysed once, where it is defined, so every call runs the
	   same commands: the first call puts them in the analysis */
	if (c->func[fi].active || (c->func[fi].replayed && !again))
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
				if (site && !g->active && func_stale(c, (size_t)(g - c->func)))
					emit_stale(c, site, (size_t)(g - c->func));
				else if (!g->active && (!g->replayed || again))
					fi = (size_t)(g - c->func);
				continue;
			}
		}
		struct ecmd tmp;
		ecmd_copy(&tmp, src, f->via);
		if (again) {
			size_t bytes = 0;
			tmp.assign = xreallocarray(tmp.assign, (size_t)tmp.nassign + nassign + 1,
			                           sizeof(char *));
			for (size_t a = 0; a < nassign; a++) {
				tmp.assign[tmp.nassign++] = xstrdup(assign[a]);
				bytes += strlen(assign[a]);
			}
			tmp.assign[tmp.nassign] = NULL;
			for (int a = 0; a < tmp.argc; a++)
				bytes += strlen(tmp.argv[a]);
			if (budget_take(c, bytes) < 0) {
				ecmd_free(&tmp);
				for (size_t k = 0; k < n; k++) {
					c->func[st[k].fi].active = 0;
					free(st[k].via);
				}
				free(st);
				return;
			}
		}
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

static void eval_word(struct actx *c, const struct cmdsite *site, const struct word *w);

/* The commands a word's substitutions run, and what bash evaluates in its
   other expansions (arithmetic, subscripts, ${x@P}). */
static void walk_word_subs(struct actx *c, const struct word *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nsub; i++)
		walk(c, w->sub[i], NULL);
	if (w->npart > 1 || (w->npart == 1 && w->part[0].kind == P_DYN)) {
		struct cmdsite es = {0};
		es.line = c->site_line ? c->site_line : w->line;
		es.col = c->site_line ? c->site_col : w->col;
		es.text = c->site_text ? c->site_text : w->src;
		es.node_line = w->line;
		eval_word(c, &es, w);
	}
}

static void walk_redirs(struct actx *c, struct redir **r, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		walk_word_subs(c, r[i]->target);
		if (r[i]->body_word)
			walk_word_subs(c, r[i]->body_word);
		if (r[i]->varname && r[i]->target) {
			/* exec {fd}>file assigns the descriptor's number to fd */
			struct cmdsite es = {0};
			es.line = c->site_line ? c->site_line : r[i]->target->line;
			es.col = c->site_line ? c->site_col : r[i]->target->col;
			es.text = c->site_text ? c->site_text : r[i]->target->src;
			es.node_line = r[i]->target->line;
			var_assign(c, &es, r[i]->varname, NULL, NULL, 0);
		}
	}
}

/* ---- text bash evaluates later ---------------------------------------- */

static void analyze_expansions(struct actx *c, const struct cmdsite *site, const char *text,
                               const char *via);

static int name_start_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int name_char_c(char ch)
{
	return name_start_char(ch) || (ch >= '0' && ch <= '9');
}

/* The closing ] of the subscript opened at *p, or NULL. */
static const char *subscript_end(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && --depth == 0)
			return p;
	}
	return NULL;
}

/*
 * Array subscripts in text that bash evaluates without having expanded it
 * first (a variable's value, a quoted string given to a builtin, the name a
 * nameref refers to): bash expands the subscript then, so 'a[$(cmd)]' runs
 * cmd in (( )), let, declare -i, read, printf -v, test -v, unset, [[ -v ]].
 */
static void eval_subscripts(struct actx *c, const struct cmdsite *site, const char *text)
{
	if (!strchr(text, '['))
		return;
	/* text may be a variable's value, which the nested analysis can
	   reassign (and free): walk a copy */
	char *t = xstrdup(text);
	for (const char *p = t; (p = strchr(p, '[')) != NULL && !c->out->error;) {
		const char *q = subscript_end(p);
		if (!q)
			break;
		char *sub = xstrndup(p + 1, (size_t)(q - p - 1));
		analyze_expansions(c, site, sub, "array subscript");
		free(sub);
		p = q + 1;
	}
	free(t);
}

/*
 * An arithmetic expression: bash evaluates the value of each variable named
 * in it as an expression in turn (x='a[$(cmd)]'; (( x )) runs cmd), and
 * assigns the names left of = += ++ and so on.  raw: the text was not
 * expanded by the shell before (a value, a quoted string), so its
 * subscripts are expanded now; otherwise it is source text whose
 * substitutions are walked as part of their word.
 */
static void arith_scan1(struct actx *c, const struct cmdsite *site, const char *text, int raw,
                        int depth)
{
	if (!text || depth > 32 || c->out->error || budget_take(c, strlen(text)) < 0)
		return;
	char *t = xstrdup(text);
	if (raw)
		eval_subscripts(c, site, t);
	for (const char *p = t; *p && !c->out->error;) {
		if (*p >= '0' && *p <= '9') {
			while (name_char_c(*p) || *p == '#')
				p++; /* 0x1F, 10#12, 2#101 */
			continue;
		}
		if (!name_start_char(*p)) {
			p++;
			continue;
		}
		const char *b = p;
		while (name_char_c(*p))
			p++;
		char *nm = xstrndup(b, (size_t)(p - b));
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '[') {
			const char *e = subscript_end(q);
			if (e)
				for (q = e + 1; *q == ' ' || *q == '\t';)
					q++;
		}
		const char *pb = b;
		while (pb > t && (pb[-1] == ' ' || pb[-1] == '\t'))
			pb--;
		int assigns = (q[0] == '=' && q[1] != '=') ||
		              (q[0] && strchr("+-*/%&^|", q[0]) && q[1] == '=') ||
		              ((q[0] == '<' || q[0] == '>') && q[1] == q[0] && q[2] == '=') ||
		              (q[0] == '+' && q[1] == '+') || (q[0] == '-' && q[1] == '-') ||
		              (pb - t >= 2 && pb[-1] == pb[-2] && (pb[-1] == '+' || pb[-1] == '-'));
		struct avar *v = var_target(c, nm, 0);
		if (v && v->value && v->seen != c->arith_stamp) {
			v->seen = c->arith_stamp;
			char *val = xstrdup(v->value);
			arith_scan1(c, site, val, 1, depth + 1);
			free(val);
		}
		if (assigns)
			var_assign(c, site, nm, NULL, NULL, 0);
		free(nm);
	}
	free(t);
}

static void arith_scan(struct actx *c, const struct cmdsite *site, const char *text, int raw)
{
	c->arith_stamp++;
	arith_scan1(c, site, text, raw, 0);
}

/* ${...}: the parts bash evaluates as arithmetic (a subscript, the offset
   and length of ${s:off:len}), an indirect name (${!x}), a prompt
   expansion (${x@P}). */
static void eval_param(struct actx *c, const struct cmdsite *site, const char *src)
{
	size_t n = strlen(src);
	if (n < 4 || src[n - 1] != '}')
		return;
	char *in = xstrndup(src + 2, n - 3);
	const char *p = in;
	int indirect = 0;
	if (*p == '!') {
		indirect = 1;
		p++;
	} else if (*p == '#' && p[1] && p[1] != '}') {
		p++;
	}
	const char *nb = p;
	while (name_char_c(*p))
		p++;
	char *name = xstrndup(nb, (size_t)(p - nb));
	if (*p == '[') {
		const char *e = subscript_end(p);
		if (e) {
			char *sub = xstrndup(p + 1, (size_t)(e - p - 1));
			if (strcmp(sub, "@") && strcmp(sub, "*"))
				arith_scan(c, site, sub, 0);
			free(sub);
			p = e + 1;
		}
	}
	if (indirect && *name) {
		const char *val = var_get(c, name);
		if (val)
			eval_subscripts(c, site, val);
	}
	if (p[0] == ':' && p[1] && !strchr("-=+?", p[1]))
		arith_scan(c, site, p + 1, 0); /* ${s:off} ${s:off:len} */
	if (strcmp(p, "@P") == 0 && *name) {
		const char *val = var_get(c, name);
		if (val) {
			char *v = xstrdup(val);
			analyze_expansions(c, site, v, "${x@P}");
			free(v);
		}
	}
	free(name);
	free(in);
}

/* What bash evaluates in a word's expansions beyond their commands. */
static void eval_word(struct actx *c, const struct cmdsite *site, const struct word *w)
{
	for (size_t k = 0; k < w->npart && !c->out->error; k++) {
		const struct wpart *wp = &w->part[k];
		if (wp->kind != P_DYN || wp->cmd)
			continue;
		if (strncmp(wp->s, "$((", 3) == 0 || strncmp(wp->s, "$[", 2) == 0)
			arith_scan(c, site, wp->s, 0);
		else if (strncmp(wp->s, "${", 2) == 0)
			eval_param(c, site, wp->s);
		else if (wp->s[0] == '(')
			arith_scan(c, site, wp->s, 0); /* a=([i]=v ...): subscripts */
	}
}

/* [[ ]]: operands of -eq -ne -lt -le -gt -ge are arithmetic; the operand
   of -v is a name whose subscript is evaluated. */
static void eval_cond(struct actx *c, const struct cmdsite *site, const struct node *n)
{
	static const char *const ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL};
	for (size_t i = 0; i < n->nw; i++) {
		const struct word *w = n->w[i];
		const char *op = w->npart == 1 && w->part[0].kind == P_LIT ? w->part[0].s : "";
		int arith = 0;
		for (const char *const *o = ops; *o; o++)
			arith |= strcmp(op, *o) == 0;
		if (arith) {
			for (size_t k = i - 1; k <= i + 1; k += 2) {
				if (k >= n->nw)
					continue;
				char *v = word_value(c, n->w[k]);
				arith_scan(c, site, v ? v : n->w[k]->src, v != NULL);
				free(v);
			}
		} else if (strcmp(op, "-v") == 0 && i + 1 < n->nw) {
			char *v = word_value(c, n->w[i + 1]);
			if (v)
				eval_subscripts(c, site, v);
			free(v);
		}
	}
}

/* ---- assignments -------------------------------------------------------- */

/* A CMD_ASSIGN command: the shell assigns name=value (no program runs). */
static void emit_assign(struct actx *c, const struct cmdsite *site, const char *name,
                        const char *value, unsigned flags)
{
	struct ecmd *e = new_ecmd(c);
	memset(e, 0, sizeof *e);
	e->argv = xcalloc(1, sizeof(char *));
	e->wflags = xcalloc(1, sizeof(unsigned));
	e->flags = CMD_ASSIGN | flags;
	e->origin = c->origin ? xstrdup(c->origin) : NULL;
	e->line = site->line;
	e->col = site->col;
	e->via = c->via && *c->via ? xstrdup(c->via) : NULL;
	e->text = xstrdup(site->text ? site->text : "");
	e->assign = xcalloc(2, sizeof(char *));
	e->assign[0] = xasprintf("%s=%s", name, value ? value : "...");
	e->nassign = 1;
	actx_trace(c, "%d:%d: assigns %s", e->line, e->col, e->assign[0]);
}

static int is_prompt_var(const char *n)
{
	return !strcmp(n, "PS0") || !strcmp(n, "PS1") || !strcmp(n, "PS2") || !strcmp(n, "PS4");
}

void var_assign(struct actx *c, const struct cmdsite *site, const char *name, const char *key,
                const char *value, unsigned how)
{
	if (c->out->error)
		return;
	char *nm = xstrdup(name);
	char *sub = key ? xstrdup(key) : NULL;
	/* through namerefs: declare -n r=x; r=v assigns x */
	for (int hop = 0; hop < 8 && !sub; hop++) {
		struct avar *v = var_find(c, nm);
		if (!v || !(v->attr & VAR_NAMEREF))
			break;
		if (!v->value) {
			/* refers to a name known only at run time */
			if ((how & ASSIGN_EXPORT) || c->allexport)
				emit_assign(c, site, nm, value, CMD_DYNAMIC_NAME);
			goto out;
		}
		char *t = xstrdup(v->value);
		free(nm);
		size_t bl = strcspn(t, "[");
		if (t[bl] == '[') {
			const char *e = subscript_end(t + bl);
			sub =
			    xstrndup(t + bl + 1, e ? (size_t)(e - t - bl - 1) : strlen(t + bl + 1));
			t[bl] = 0;
		}
		nm = t;
	}
	if (c->opt->refused_var && c->opt->refused_var(c->opt->refused_ctx, nm))
		emit_assign(c, site, nm, value, 0);
	if (sub) {
		/* an element: BASH_ALIASES[k]=v is alias k=v, BASH_CMDS[k]=v is
		   hash -p v k; other arrays are not followed */
		if (!strcmp(nm, "BASH_ALIASES"))
			alias_set(c, sub, value ? value : "\"${BASH_ALIASES[?]}\"",
			          site->node_line);
		else if (!strcmp(nm, "BASH_CMDS"))
			hash_set(c, sub, value ? value : "\"${BASH_CMDS[?]}\"");
		struct avar *b = var_slot(c, nm);
		if ((how & ASSIGN_EXPORT) || c->allexport)
			b->attr |= VAR_EXPORT;
		var_store(c, b, NULL, 0);
		goto out;
	}
	struct avar *v = var_slot(c, nm);
	if ((how & ASSIGN_EXPORT) || c->allexport)
		v->attr |= VAR_EXPORT;
	if (v->attr & VAR_INT) {
		/* the value is evaluated as an expression, then is a number */
		if (value) {
			char *cp = xstrdup(value);
			arith_scan(c, site, cp, 1);
			free(cp);
		}
		v = var_slot(c, nm);
		var_store(c, v, NULL, 0);
		goto out;
	}
	if (how & ASSIGN_APPEND) {
		if (value && v->value)
			var_append(c, v, value, strlen(value));
		else
			var_store(c, v, NULL, 0);
	} else {
		var_store(c, v, value, value ? strlen(value) : 0);
	}
	/* variables whose value the shell expands or runs later */
	int prompt = is_prompt_var(nm), pc = !strcmp(nm, "PROMPT_COMMAND");
	if (prompt || pc) {
		char *val = v->value ? xstrdup(v->value) : NULL;
		/* what it runs is reported with its own text, not the assignment's
		   (which would read as a prefix assignment of the variable) */
		struct cmdsite vs = *site;
		vs.text = NULL;
		vs.assign = NULL;
		vs.nassign = 0;
		if (val && prompt)
			analyze_expansions(c, &vs, val, nm);
		else if (val)
			analyze_nested(c, &vs, val, strlen(val), "PROMPT_COMMAND", NULL);
		else if (!strcmp(nm, "PS4")) {
			/* set -x expands it: code guard cannot see */
			struct fields g = {0};
			fields_push(&g, xstrdup("PS4"), 0);
			emit(c, site, g.s, g.fl, 1, CMD_OPAQUE | CMD_BUILTIN, c->via);
			fields_free(&g);
		}
		free(val);
	}
out:
	free(nm);
	free(sub);
}

/* An argument of declare/typeset/local/readonly/export: NAME, NAME=VALUE,
   NAME+=VALUE, NAME[SUB]=VALUE. */
static void decl_arg(struct actx *c, const struct cmdsite *site, const char *a, int dyn,
                     unsigned set, unsigned clear, unsigned how)
{
	size_t nl = 0;
	while (name_char_c(a[nl]) && !(nl == 0 && !name_start_char(a[nl])))
		nl++;
	const char *p = a + nl;
	const char *kb = NULL, *ke = NULL;
	if (nl && *p == '[') {
		ke = subscript_end(p);
		if (ke) {
			kb = p + 1;
			p = ke + 1;
		}
	}
	int append = p[0] == '+' && p[1] == '=';
	if (nl == 0 || !(*p == 0 || *p == '=' || append)) {
		/* a name known only at run time ($v=x): it may be any variable */
		if (dyn && ((how & ASSIGN_EXPORT) || c->allexport) && strpbrk(a, "$`")) {
			char *dn = xstrndup(a, strcspn(a, "="));
			emit_assign(c, site, dn, NULL, CMD_DYNAMIC_NAME);
			free(dn);
		}
		return;
	}
	const char *value = *p ? p + 1 + append : NULL;
	char *name = xstrndup(a, nl);
	char *key = kb ? xstrndup(kb, (size_t)(ke - kb)) : NULL;
	if (key && !dyn) {
		/* a quoted subscript is expanded, then evaluated, by the builtin */
		char *br = xasprintf("[%s]", key);
		eval_subscripts(c, site, br);
		arith_scan(c, site, key, 1);
		free(br);
	}
	if (set & VAR_NAMEREF) {
		struct avar *v = var_slot(c, name);
		v->attr |= VAR_NAMEREF;
		if (value && !dyn)
			eval_subscripts(c, site, value); /* evaluated when r is used */
		v = var_slot(c, name);
		if (value || dyn)
			var_store(c, v, dyn ? NULL : value, value && !dyn ? strlen(value) : 0);
		goto out;
	}
	struct avar *v = var_target(c, name, 1);
	if (v) {
		v->attr |= set & (VAR_INT | VAR_EXPORT);
		v->attr &= ~(clear & (VAR_INT | VAR_EXPORT | VAR_NAMEREF));
	}
	if (value || dyn)
		/* export PATH=./tools:$PATH: kept as written, as for PATH=... */
		var_assign(c, site, name, key,
		           dyn && !(value && !key && strcmp(name, "PATH") == 0) ? NULL : value,
		           how | (append ? ASSIGN_APPEND : 0));
out:
	free(name);
	free(key);
}

static unsigned attr_of(char ch)
{
	return ch == 'n' ? VAR_NAMEREF : ch == 'i' ? VAR_INT : ch == 'x' ? VAR_EXPORT : 0;
}

/* A name given to read, mapfile, getopts, printf -v, unset, test -v. */
static void name_arg(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t k,
                     const char *value, unsigned how)
{
	const char *a = f->s[k];
	int dyn = (f->fl[k] & WORD_DYNAMIC) != 0;
	size_t nl = strcspn(a, "[");
	if (!dyn && a[nl] == '[')
		eval_subscripts(c, site, a + nl);
	if (dyn && strpbrk(a, "$`")) {
		if ((how & ASSIGN_EXPORT) || c->allexport)
			emit_assign(c, site, a, NULL, CMD_DYNAMIC_NAME);
		return;
	}
	char *name = xstrndup(a, nl);
	char *key = a[nl] == '[' ? xstrndup(a + nl + 1, strcspn(a + nl + 1, "]")) : NULL;
	var_assign(c, site, name, key, value, how);
	free(name);
	free(key);
}

int builtin_vars(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                 const struct stdin_src *in)
{
	if (i >= f->n || (f->fl[i] & WORD_DYNAMIC))
		return 0;
	const char *cmd = f->s[i];
	if (!strcmp(cmd, "set")) {
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if ((a[0] != '-' && a[0] != '+') || !strcmp(a, "--") || !strcmp(a, "-"))
				break;
			for (const char *q = a + 1; *q; q++) {
				if (*q == 'a')
					c->allexport = a[0] == '-';
				if (*q == 'o' && k + 1 < f->n) {
					if (!strcmp(f->s[k + 1], "allexport"))
						c->allexport = a[0] == '-';
					k++;
					break;
				}
			}
		}
		return 0;
	}
	if (!strcmp(cmd, "let")) {
		for (size_t k = i + 1; k < f->n; k++)
			if (!(f->fl[k] & WORD_DYNAMIC))
				arith_scan(c, site, f->s[k], 1);
		return 0;
	}
	if (!strcmp(cmd, "test") || !strcmp(cmd, "[")) {
		for (size_t k = i + 1; k + 1 < f->n; k++)
			if (!strcmp(f->s[k], "-v") && !(f->fl[k + 1] & WORD_DYNAMIC))
				eval_subscripts(c, site, f->s[k + 1]);
		return 0;
	}
	int decl = !strcmp(cmd, "export") || !strcmp(cmd, "declare") || !strcmp(cmd, "typeset") ||
	           !strcmp(cmd, "local") || !strcmp(cmd, "readonly");
	if (decl) {
		unsigned set = cmd[0] == 'e' ? VAR_EXPORT : 0, clear = 0;
		int funcs = 0, print = 0;
		size_t k = i + 1;
		for (; k < f->n; k++) {
			const char *a = f->s[k];
			if (!strcmp(a, "--")) {
				k++;
				break;
			}
			if ((a[0] != '-' && a[0] != '+') || !a[1] || (f->fl[k] & WORD_DYNAMIC))
				break;
			for (const char *q = a + 1; *q; q++) {
				if (a[0] == '-')
					set |= attr_of(*q);
				else
					clear |= attr_of(*q);
				funcs |= *q == 'f' || *q == 'F';
				print |= *q == 'p';
			}
		}
		if (cmd[0] == 'e' && (clear & VAR_EXPORT))
			set &= ~VAR_EXPORT; /* export -n */
		if (funcs || print)
			return 1;
		unsigned how = (set & VAR_EXPORT) ? ASSIGN_EXPORT : 0;
		for (; k < f->n && !c->out->error; k++)
			decl_arg(c, site, f->s[k], (f->fl[k] & WORD_DYNAMIC) != 0, set, clear, how);
		return 1;
	}
	if (!strcmp(cmd, "read")) {
		size_t k = i + 1, names = 0;
		for (; k < f->n; k++) {
			const char *a = f->s[k];
			if (!strcmp(a, "--")) {
				k++;
				break;
			}
			if (a[0] != '-' || !a[1])
				break;
			for (const char *q = a + 1; *q; q++)
				if (strchr("adinNptu", *q)) {
					if (*q == 'a' && (q[1] || k + 1 < f->n)) {
						if (q[1]) {
							char *nm = xstrdup(q + 1);
							var_assign(c, site, nm, NULL, NULL, 0);
							free(nm);
						} else {
							name_arg(c, site, f, k + 1, NULL, 0);
						}
						names++;
					}
					if (!q[1])
						k++;
					break;
				}
		}
		/* an integer variable evaluates what it reads */
		const char *text = in && in->known && in->text && !in->partial ? in->text : NULL;
		char *line = text ? xstrndup(text, strcspn(text, "\n")) : NULL;
		for (; k < f->n; k++, names++) {
			struct avar *v = var_target(c, f->s[k], 0);
			name_arg(c, site, f, k, v && (v->attr & VAR_INT) ? line : NULL, 0);
		}
		if (!names)
			var_assign(c, site, "REPLY", NULL, NULL, 0);
		free(line);
		return 1;
	}
	if (!strcmp(cmd, "mapfile") || !strcmp(cmd, "readarray")) {
		size_t k = i + 1;
		for (; k < f->n; k++) {
			const char *a = f->s[k];
			if (a[0] != '-' || !a[1])
				break;
			if (strchr("dnOsuCc", a[1]) && !a[2])
				k++;
		}
		if (k < f->n)
			name_arg(c, site, f, k, NULL, 0);
		else
			var_assign(c, site, "MAPFILE", NULL, NULL, 0);
		return 1;
	}
	if (!strcmp(cmd, "getopts")) {
		if (i + 2 < f->n)
			name_arg(c, site, f, i + 2, NULL, 0);
		return 1;
	}
	if (!strcmp(cmd, "printf")) {
		size_t k = i + 1;
		if (k < f->n && !strncmp(f->s[k], "-v", 2)) {
			size_t nk = f->s[k][2] ? k : k + 1;
			size_t fk = nk + 1;
			if (fk < f->n && !strcmp(f->s[fk], "--"))
				fk++;
			char *value = NULL;
			int dyn = 0;
			for (size_t j = fk; j < f->n; j++)
				dyn |= (f->fl[j] & WORD_DYNAMIC) != 0;
			if (fk < f->n && !dyn) {
				struct sbuf o;
				sb_init(&o);
				if (printf_format(f->s[fk], f->s + fk + 1, f->n - fk - 1, &o) == 0)
					value = sb_take(&o);
				sb_free(&o);
			}
			if (nk < f->n) {
				if (nk == k) {
					struct fields g = {0};
					fields_push(&g, xstrdup(f->s[k] + 2), f->fl[k]);
					name_arg(c, site, &g, 0, value, 0);
					fields_free(&g);
				} else {
					name_arg(c, site, f, nk, value, 0);
				}
			}
			free(value);
		}
		return 1;
	}
	if (!strcmp(cmd, "unset")) {
		int fn = 0, ref = 0;
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if (a[0] == '-' && a[1]) {
				fn |= strchr(a, 'f') != NULL;
				ref |= strchr(a, 'n') != NULL;
				continue;
			}
			if (fn)
				continue;
			size_t nl = strcspn(a, "[");
			if (!(f->fl[k] & WORD_DYNAMIC) && a[nl] == '[')
				eval_subscripts(c, site, a + nl);
			char *nm = xstrndup(a, nl);
			struct avar *v = ref ? var_find(c, nm) : var_target(c, nm, 0);
			if (v) {
				if (ref)
					v->attr &= ~VAR_NAMEREF;
				var_store(c, v, NULL, 0);
			}
			free(nm);
		}
		return 1;
	}
	return 0;
}

/* NAME=value, NAME+=value, NAME[key]=value as a command of its own: the
   assignment persists.  x=$x... and x+=... append in place. */
static void assign_word(struct actx *c, const struct cmdsite *site, const struct word *w)
{
	const char *src = w->src;
	size_t nl = 0;
	while (name_char_c(src[nl]))
		nl++;
	char *name = xstrndup(src, nl);
	char *key = NULL;
	const char *p = src + nl;
	if (*p == '[') {
		const char *e = subscript_end(p);
		if (e) {
			key = xstrndup(p + 1, (size_t)(e - p - 1));
			arith_scan(c, site, key, 0); /* an indexed array's subscript */
			p = e + 1;
		}
	}
	unsigned how = p[0] == '+' ? ASSIGN_APPEND : 0;
	/* the parts of the value: after the first '=' of the literal text */
	size_t k = 0, off = 0;
	int found = 0;
	for (; k < w->npart && !found; k++) {
		if (w->part[k].kind != P_LIT)
			continue;
		const char *eq = strchr(w->part[k].s, '=');
		if (eq && (!key || k > 0 || strchr(w->part[k].s, ']') < eq)) {
			off = (size_t)(eq - w->part[k].s) + 1;
			found = 1;
			break;
		}
	}
	if (!found || (w->npart && w->part[w->npart - 1].kind == P_DYN &&
	               w->part[w->npart - 1].s[0] == '(')) {
		/* a=( ... ): an array, not followed */
		var_assign(c, site, name, key, NULL, 0);
		goto out;
	}
	struct wpart *parts = xcalloc(w->npart - k + 1, sizeof *parts);
	size_t np = 0;
	if (w->part[k].s[off])
		parts[np] = w->part[k], parts[np++].s = w->part[k].s + off;
	for (size_t j = k + 1; j < w->npart; j++)
		parts[np++] = w->part[j];
	const struct wpart *vp = parts;
	/* x=$x...: an append to x */
	if (!key && !how && np && vp[0].kind == P_PARAM && strcmp(vp[0].s, name) == 0 &&
	    var_get(c, name)) {
		struct avar *tv = var_target(c, name, 0);
		if (tv && !(tv->attr & VAR_INT)) {
			how = ASSIGN_APPEND;
			vp++;
			np--;
		}
	}
	struct sbuf b;
	sb_init(&b);
	int known = concat_value(c, vp, np, &b) == 0;
	if (!known && !key && !how && strcmp(name, "PATH") == 0) {
		/* PATH=./tools:$PATH: the parts guard cannot see stay as written,
		   which path_lookup takes for the usual PATH, so the directories
		   it can see are still searched for scripts */
		sb_free(&b);
		sb_init(&b);
		for (size_t q = 0; q < np; q++) {
			const char *val = vp[q].kind == P_PARAM ? var_get(c, vp[q].s) : NULL;
			if (vp[q].kind == P_LIT)
				sb_adds(&b, vp[q].s);
			else if (val)
				sb_adds(&b, val);
			else if (vp[q].kind == P_PARAM)
				sb_addf(&b, "${%s}", vp[q].s);
			else
				sb_adds(&b, vp[q].s);
		}
		known = 1;
	}
	var_assign(c, site, name, key, known ? (b.s ? b.s : "") : NULL, how);
	sb_free(&b);
	free(parts);
out:
	free(name);
	free(key);
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
	size_t first = 0;
	while (first < n->nw && (n->w[first]->flags & W_ASSIGN))
		first++;
	if (first == n->nw) {
		/* assignments only: they persist */
		for (size_t i = 0; i < n->nw && !c->out->error; i++)
			assign_word(c, &site, n->w[i]);
		return;
	}
	struct strv assigns = {0};
	for (size_t i = 0; i < first; i++) {
		char *v = word_value(c, n->w[i]);
		sv_push(&assigns, v ? v : xstrdup(n->w[i]->src));
	}
	site.assign = assigns.v;
	site.nassign = assigns.n;

	struct fields f = {0};
	int decl = is_declaration(n->w[first]);
	for (size_t i = first; i < n->nw && !c->out->error; i++)
		expand_word_as(c, n->w[i], &f,
		               decl && i > first && assignment_shaped(n->w[i]->src));
	if (f.n == 0 || c->out->error) {
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
			if (budget_take(c, t.len) == 0)
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
			replay(c, (size_t)(fn - c->func), site.assign, site.nassign, &site);
			fields_free(&f);
			sv_free(&assigns);
			return;
		}
		/* inside a function body a call is recorded as a call site and
		   resolved when the outer function is called */
	}
	/* files it writes: a script read later on the line is not the file
	   guard can read now (echo pm2 > f; . f) */
	for (size_t i = 0; i < n->nr; i++) {
		const struct redir *r = n->r[i];
		if (r->kind != R_OUT && r->kind != R_APPEND && r->kind != R_ALL &&
		    r->kind != R_INOUT)
			continue;
		char *v = word_value(c, r->target);
		if (v)
			sv_push(&c->written, v);
	}
	/* here-doc or here-string: what a shell would read on stdin */
	struct stdin_src hin = {0};
	int redirected = 0; /* stdin comes from a redirection, known or not */
	for (size_t i = 0; i < n->nr; i++) {
		const struct redir *r = n->r[i];
		if (r->fd > 0)
			continue;
		if (r->kind == R_HEREDOC || r->kind == R_HERESTR || r->kind == R_IN)
			redirected = 1;
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
	/* a here-string or file guard cannot work out is still this command's
	   stdin (bash <<< "pm$((1+1))" reads what guard cannot see), never the
	   outer one */
	const struct stdin_src *src = (hin.text || hin.file || redirected) ? &hin : in;
	size_t before = c->cap_fi >= 0 ? c->func[c->cap_fi].ncmd : 0;
	long cap = c->cap_fi;
	unwrap(c, &site, &f, src);
	if (cap >= 0 && !(f.fl[0] & WORD_DYNAMIC) && c->func[cap].ncmd > before) {
		/* maybe a call of a function defined after this one */
		struct ecmd *e = &c->func[cap].cmd[before];
		if (!e->via && e->argc > 0 && strcmp(e->argv[0], base_name(f.s[0])) == 0)
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
	struct afunc nf = {xstrdup(n->name),
	                   NULL,
	                   0,
	                   0,
	                   0,
	                   0,
	                   NULL,
	                   0,
	                   0,
	                   c->gen,
	                   0,
	                   n->src ? xstrdup(n->src) : NULL};
	if (c->nfunc == c->funccap) {
		/* doubling: 45,000 definitions must not copy the table each time */
		c->funccap = c->funccap ? c->funccap * 2 : 16;
		c->func = xreallocarray(c->func, c->funccap, sizeof *c->func);
	}
	size_t fi = c->nfunc++;
	c->func[fi] = nf;
	nidx_add(&c->funcidx, fi, fi, func_name, c);
	size_t mark = c->nvarlog;
	long save = c->cap_fi;
	c->cap_fi = (long)fi;
	c->func[fi].active = 1; /* a call of itself in its body is a call site */
	c->defining++;
	if (n->nkid)
		walk(c, n->kid[0], NULL);
	c->defining--;
	c->func[fi].active = 0;
	c->cap_fi = save;
	/* what the body set is unknown from now on (the log lists it: no scan
	   of every variable per function) */
	for (size_t i = mark; i < c->nvarlog; i++) {
		struct avar *v = &c->var[c->varlog[i]];
		free(v->value);
		v->value = NULL;
		v->len = v->cap = 0;
	}
	if (!c->defining)
		c->nvarlog = 0;
	else
		c->nvarlog = mark; /* the enclosing body sets them unknown anyway */
	c->func[fi].def_end = ++c->gen;
	walk_redirs(c, n->r, n->nr);
	if (strcmp(n->name, "command_not_found_handle") == 0)
		replay(c, fi, NULL, 0, NULL); /* runs for any command that is not found */
}

static void walk(struct actx *c, const struct node *n, const struct stdin_src *in)
{
	if (!n || c->out->error)
		return;
	if (stack_deep()) {
		actx_error(c, n->line, n->col, "nesting too deep for the stack (limit)");
		return;
	}
	c->cur_line = c->site_line ? c->site_line : n->line;
	c->cur_col = c->site_line ? c->site_col : n->col;
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
		{
			struct cmdsite es = {0};
			es.line = c->site_line ? c->site_line : n->line;
			es.col = c->site_line ? c->site_col : n->col;
			es.text = c->site_text;
			es.node_line = n->line;
			var_assign(c, &es, n->name, NULL, NULL, 0);
		}
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
			es.node_line = n->line;
			if (n->kind == N_COND)
				eval_cond(c, &es, n);
			else
				for (size_t i = 0; i < n->nw; i++)
					arith_scan(c, &es, n->w[i]->src, 0);
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

static void analyze_text(struct actx *c, const struct cmdsite *site, const char *text, size_t len,
                         const char *via, const char *origin, int expansions);

void analyze_nested(struct actx *c, const struct cmdsite *site, const char *text, size_t len,
                    const char *via, const char *origin)
{
	analyze_text(c, site, text, len, via, origin, 0);
}

/* Text bash expands as it expands the inside of "...": a prompt, an array
   subscript it evaluates later.  Its $(...), `...` and ${...} are
   analysed. */
static void analyze_expansions(struct actx *c, const struct cmdsite *site, const char *text,
                               const char *via)
{
	if (!strpbrk(text, "$`"))
		return;
	actx_trace(c, "%d:%d: %s expands: %s", site->line, site->col, via, text);
	analyze_text(c, site, text, strlen(text), via, NULL, 1);
}

static void analyze_text(struct actx *c, const struct cmdsite *site, const char *text, size_t len,
                         const char *via, const char *origin, int expansions)
{
	if (c->recursion >= ANALYZE_MAX_RECURSION) {
		actx_error(c, site->line, site->col,
		           "shell strings nested deeper than %d levels (limit)",
		           ANALYZE_MAX_RECURSION);
		return;
	}
	/* Each nested text costs its length: tools that repeat a command per
	   argument (parallel, xargs) inside each other would otherwise
	   multiply the work at every level. */
	if (len > ANALYZE_MAX_NESTED - c->nested) {
		c->nested = ANALYZE_MAX_NESTED;
		actx_error(c, site->line, site->col,
		           "shell strings and scripts larger than %u bytes in total (limit)",
		           ANALYZE_MAX_NESTED);
		return;
	}
	c->nested += len;
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
	if (expansions) {
		parse_expansions(text, len, 1, &limits, &pr);
		if (!pr.error)
			walk(c, pr.root, NULL);
	} else {
		parse_stream(text, len, 1, &limits, walk_item, c, &pr);
	}
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
	/* IFS starts as bash's default, a variable like any other: a function
	   body that splits with it is analysed again if it changes (IFS=/) */
	var_set(&c, "IFS", " \t\n");
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
		free(c.func[i].reads);
		free(c.func[i].body);
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
	free(c.aliasidx.slot);
	free(c.via);
	sv_free(&c.keep);
	sv_free(&c.inherit);
	sv_free(&c.written);
	free(c.varlog);
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
