/*
 * parse.c - a recursive-descent parser for the language of GNU bash.
 *
 * The lexer works on demand (bash's grammar is context dependent: reserved
 * words count only in command position, `((` may start arithmetic, a word
 * followed by `()` defines a function).  Words are scanned by a character
 * loop whose quoting context is explicit; nested constructs ($(...), `...`,
 * ${...}, <(...), here-doc bodies) recurse, bounded by a depth limit, and
 * their commands are parsed into subtrees attached to the word.
 *
 * Everything is allocated in one arena owned by the parse_result.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse.h"
#include "util.h"

enum tok_kind {
	T_EOF,
	T_WORD,
	T_NEWLINE,
	T_SEMI,
	T_DSEMI,
	T_SEMIAND,
	T_DSEMIAND,
	T_AMP,
	T_AND,
	T_OR,
	T_PIPE,
	T_PIPEAMP,
	T_LPAREN,
	T_RPAREN,
	T_REDIR,
};

struct tok {
	enum tok_kind k;
	struct word *w;
	enum redir_kind rk;
	int fd;
	const char *vn; /* {varname}>: the name (vnl bytes) */
	size_t vnl;
	int strip;
	int line, col;
	size_t start;
};

/* State shared by a parser and the sub-parsers of backquotes and here-docs. */
struct pctx {
	struct arena *a;
	const struct parse_limits *lim;
	int depth;
	size_t nwords, nheredocs;
	struct sbuf decoded;
	char *err;
	int err_line, err_col;
	int incomplete;
	/* literal buffers of finished words, reused by the next word (words
	   nest, so this is a stack): one malloc per nesting level, not per word */
	struct sbuf litpool[16];
	int nlitpool;
};

struct pending_hd {
	struct redir *r;
	char *delim;
};

struct parser {
	struct pctx *c;
	const char *s;
	size_t len, pos;
	int line;
	size_t line_start;
	int col_base; /* column offset of the first line (sub-parsers) */
	struct pending_hd *hd;
	size_t nhd, caphd;
	int have;
	struct tok tok;
	parse_cb cb; /* streaming: the top-level list hands items to cb */
	void *cbctx;
};

/* Growable arrays built during parsing, then stored in the arena. */
struct vec {
	void *v;
	size_t n, cap;
};
#define VPUSH(p, vec, item) apush((p)->c->a, &(vec).v, &(vec).n, &(vec).cap, &(item), sizeof(item))

static struct node *parse_list(struct parser *p);
static struct node *parse_command(struct parser *p);
static void scan_dollar(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                        struct sbuf *lit, int in_dq);
static void scan_backtick(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                          struct sbuf *lit, int in_dq);

/* ---- errors and positions ------------------------------------------- */

static int col_of(struct parser *p, size_t pos)
{
	int col = (int)(pos - p->line_start) + 1;
	if (p->line_start == 0)
		col += p->col_base;
	return col;
}

static void seterr_at(struct parser *p, int line, int col, int incomplete, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void seterr_at(struct parser *p, int line, int col, int incomplete, const char *fmt, ...)
{
	if (p->c->err)
		return;
	struct sbuf b;
	sb_init(&b);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	p->c->err = sb_take(&b);
	p->c->err_line = line;
	p->c->err_col = col;
	p->c->incomplete = incomplete;
}

#define seterr(p, inc, ...) seterr_at(p, (p)->line, col_of(p, (p)->pos), inc, __VA_ARGS__)
#define FAILED(p) ((p)->c->err != NULL)

static void newline_at(struct parser *p, size_t pos_after)
{
	p->line++;
	p->line_start = pos_after;
}

static int enter(struct parser *p)
{
	if (++p->c->depth > p->c->lim->max_depth) {
		seterr(p, 0, "nesting deeper than %d levels (limit)", p->c->lim->max_depth);
		return -1;
	}
	if (stack_deep()) {
		seterr(p, 0, "nesting too deep for the stack (limit)");
		return -1;
	}
	return 0;
}

static void leave(struct parser *p)
{
	p->c->depth--;
}

/* ---- character classes ----------------------------------------------- */

/* A class table, as in dash: one lookup per character instead of a chain of
   comparisons.  Filled once by init_classes(). */
enum { C_META = 1, C_NAME_START = 2, C_NAME = 4, C_PLAIN = 8 };
static unsigned char cls[256];

static inline int is_meta(char c)
{
	return cls[(unsigned char)c] & C_META;
}

static inline int is_name_start(char c)
{
	return cls[(unsigned char)c] & C_NAME_START;
}

static inline int is_name_char(char c)
{
	return cls[(unsigned char)c] & C_NAME;
}

static char peekc(struct parser *p, size_t off)
{
	return p->pos + off < p->len ? p->s[p->pos + off] : 0;
}

/* ---- word building ----------------------------------------------------- */

static void flush_lit(struct parser *p, struct vec *parts, struct sbuf *lit)
{
	if (lit->len == 0)
		return;
	struct wpart wp = {P_LIT, 0, astrndup(p->c->a, lit->s, lit->len), NULL, 0};
	VPUSH(p, *parts, wp);
	lit->len = 0;
	lit->s[0] = 0;
}

static void add_part(struct parser *p, struct vec *parts, struct sbuf *lit, enum part_kind k,
                     int quoted, const char *s, size_t n)
{
	flush_lit(p, parts, lit);
	struct wpart wp = {k, quoted, astrndup(p->c->a, s, n), NULL, 0};
	VPUSH(p, *parts, wp);
}

static void set_last_cmd(struct vec *parts, struct node *n, int procsub)
{
	if (parts->n) {
		((struct wpart *)parts->v)[parts->n - 1].cmd = n;
		((struct wpart *)parts->v)[parts->n - 1].procsub = procsub;
	}
}

static void add_sub(struct parser *p, struct vec *subs, struct node *n)
{
	if (n)
		VPUSH(p, *subs, n);
}

/* Parses a nested command list from p->pos until `)`; for $( and <(. */
static struct node *parse_nested_paren(struct parser *p)
{
	if (enter(p) < 0)
		return NULL;
	p->have = 0;
	struct node *n = parse_list(p);
	if (!FAILED(p)) {
		struct tok t = p->have ? p->tok : (struct tok){0};
		if (!p->have || t.k != T_RPAREN) {
			/* parse_list stopped: peek what is there */
			if (!p->have)
				seterr(p, p->pos >= p->len, "expected `)'");
			else if (t.k == T_EOF)
				seterr_at(p, t.line, t.col, 1,
				          "unexpected end of input: missing `)'");
			else
				seterr_at(p, t.line, t.col, 0, "syntax error: expected `)'");
		} else {
			p->have = 0;
		}
	}
	leave(p);
	return n;
}

/* Sub-parser over separate text (backquotes, here-doc bodies). */
static void sub_init(struct parser *sp, struct parser *p, const char *s, size_t len, int line,
                     int col)
{
	memset(sp, 0, sizeof *sp);
	sp->c = p->c;
	sp->s = s;
	sp->len = len;
	sp->line = line;
	sp->col_base = col - 1;
}

/* Scans arithmetic text up to the closing "))" (p->pos just after the
   opening); expansions inside are collected.  Returns 0 or -1. */
static int scan_arith(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                      struct sbuf *lit)
{
	int depth = 0;
	while (!FAILED(p)) {
		if (p->pos >= p->len) {
			seterr(p, 1, "unexpected end of input in arithmetic: missing `))'");
			return -1;
		}
		char ch = p->s[p->pos];
		if (ch == '(') {
			depth++;
		} else if (ch == ')') {
			if (depth == 0) {
				if (peekc(p, 1) != ')') {
					seterr(p, 0, "syntax error in arithmetic: expected `))'");
					return -1;
				}
				p->pos += 2;
				return 0;
			}
			depth--;
		} else if (ch == '$') {
			scan_dollar(p, w, parts, subs, lit, 1);
			continue;
		} else if (ch == '`') {
			scan_backtick(p, w, parts, subs, lit, 1);
			continue;
		} else if (ch == '\n') {
			newline_at(p, p->pos + 1);
		}
		sb_addc(lit, ch);
		p->pos++;
	}
	return -1;
}

/*
 * Is "$((" / "((" at p->pos (just after the two parens) arithmetic?  bash's
 * rule: it is when the parenthesis matching the first one is immediately
 * followed by another `)`.  Quotes are skipped; the scan is bounded.
 */
static int looks_arith(struct parser *p)
{
	int depth = 0;
	size_t i = p->pos;
	size_t limit = p->len - p->pos > (1u << 20) ? p->pos + (1u << 20) : p->len;
	for (; i < limit; i++) {
		char ch = p->s[i];
		if (ch == '\\') {
			i++;
		} else if (ch == '\'') {
			while (++i < limit && p->s[i] != '\'')
				;
		} else if (ch == '"') {
			while (++i < limit && p->s[i] != '"')
				if (p->s[i] == '\\')
					i++;
		} else if (ch == '(') {
			depth++;
		} else if (ch == ')') {
			if (depth == 0)
				return i + 1 < p->len && p->s[i + 1] == ')';
			depth--;
		}
	}
	return 1; /* unterminated: report it as arithmetic */
}

static unsigned hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 16;
}

static void add_utf8(struct sbuf *b, unsigned long cp)
{
	if (cp < 0x80) {
		sb_addc(b, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(b, (char)(0xC0 | (cp >> 6)));
		sb_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_addc(b, (char)(0xE0 | (cp >> 12)));
		sb_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		sb_addc(b, (char)(0xF0 | ((cp >> 18) & 0x07)));
		sb_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sb_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* $'...': p->pos at the opening quote; decodes C escapes into lit. */
static void scan_ansi_c(struct parser *p, struct sbuf *lit)
{
	p->pos++;
	while (p->pos < p->len) {
		char ch = p->s[p->pos];
		if (ch == '\'') {
			p->pos++;
			return;
		}
		if (ch == '\n')
			newline_at(p, p->pos + 1);
		if (ch != '\\' || p->pos + 1 >= p->len) {
			sb_addc(lit, ch);
			p->pos++;
			continue;
		}
		char e = p->s[p->pos + 1];
		p->pos += 2;
		switch (e) {
		case 'a':
			sb_addc(lit, '\a');
			break;
		case 'b':
			sb_addc(lit, '\b');
			break;
		case 'e':
		case 'E':
			sb_addc(lit, 27);
			break;
		case 'f':
			sb_addc(lit, '\f');
			break;
		case 'n':
			sb_addc(lit, '\n');
			break;
		case 'r':
			sb_addc(lit, '\r');
			break;
		case 't':
			sb_addc(lit, '\t');
			break;
		case 'v':
			sb_addc(lit, '\v');
			break;
		case '\\':
			sb_addc(lit, '\\');
			break;
		case '\'':
			sb_addc(lit, '\'');
			break;
		case '"':
			sb_addc(lit, '"');
			break;
		case '?':
			sb_addc(lit, '?');
			break;
		case 'c':
			if (p->pos < p->len) {
				sb_addc(lit, (char)(p->s[p->pos] & 0x1f));
				p->pos++;
			}
			break;
		case 'x':
		case 'u':
		case 'U': {
			int max = e == 'x' ? 2 : e == 'u' ? 4 : 8;
			unsigned long v = 0;
			int n = 0;
			while (n < max && p->pos < p->len && hexval(p->s[p->pos]) < 16) {
				v = v * 16 + hexval(p->s[p->pos]);
				p->pos++;
				n++;
			}
			if (n == 0) {
				sb_addc(lit, '\\');
				sb_addc(lit, e);
			} else if (e == 'x') {
				sb_addc(lit, (char)v);
			} else {
				add_utf8(lit, v);
			}
			break;
		}
		default:
			if (e >= '0' && e <= '7') {
				unsigned v = (unsigned)(e - '0');
				int n = 1;
				while (n < 3 && p->pos < p->len && p->s[p->pos] >= '0' &&
				       p->s[p->pos] <= '7') {
					v = v * 8 + (unsigned)(p->s[p->pos] - '0');
					p->pos++;
					n++;
				}
				sb_addc(lit, (char)v);
			} else {
				sb_addc(lit, '\\');
				sb_addc(lit, e);
			}
		}
	}
	seterr(p, 1, "unexpected end of input: unterminated $'...' string");
}

/* ${...}: p->pos just after "${". */
static void scan_brace_param(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                             struct sbuf *lit, size_t start, int in_dq)
{
	/* simple ${name} */
	size_t i = p->pos;
	if (i < p->len && is_name_start(p->s[i])) {
		while (i < p->len && is_name_char(p->s[i]))
			i++;
		if (i < p->len && p->s[i] == '}') {
			add_part(p, parts, lit, P_PARAM, in_dq, p->s + p->pos, i - p->pos);
			p->pos = i + 1;
			return;
		}
	}
	/* anything else: scan to the matching brace, collecting expansions */
	struct sbuf inner;
	sb_init(&inner);
	struct vec dummy = {0};
	int depth = 0, dq = 0;
	while (!FAILED(p)) {
		if (p->pos >= p->len) {
			seterr(p, 1, "unexpected end of input: missing `}'");
			break;
		}
		char ch = p->s[p->pos];
		if (ch == '}' && depth == 0) {
			p->pos++;
			break;
		}
		if (ch == '{')
			depth++;
		else if (ch == '}')
			depth--;
		if (ch == '\\' && p->pos + 1 < p->len) {
			if (p->s[p->pos + 1] == '\n')
				newline_at(p, p->pos + 2);
			else
				sb_addc(&inner, p->s[p->pos + 1]);
			p->pos += 2;
			continue;
		}
		if (ch == '\'' && !in_dq && !dq) {
			size_t e = p->pos + 1;
			while (e < p->len && p->s[e] != '\'')
				e++;
			if (e >= p->len) {
				seterr(p, 1, "unexpected end of input: unterminated quote");
				break;
			}
			sb_addn(&inner, p->s + p->pos + 1, e - p->pos - 1);
			p->pos = e + 1;
			continue;
		}
		if (ch == '"') {
			dq = !dq; /* quotes inside ${} group; ' is literal within them */
			p->pos++;
			continue;
		}
		if (ch == '$') {
			scan_dollar(p, w, &dummy, subs, &inner, in_dq);
			continue;
		}
		if (ch == '`') {
			scan_backtick(p, w, &dummy, subs, &inner, in_dq);
			continue;
		}
		if (ch == '\n')
			newline_at(p, p->pos + 1);
		sb_addc(&inner, ch);
		p->pos++;
	}
	if (!p->c->lim->syntax_only) {
		sb_adds(&p->c->decoded, " ");
		if (inner.s)
			sb_adds(&p->c->decoded, inner.s);
		sb_adds(&p->c->decoded, " ");
	}
	sb_free(&inner);
	add_part(p, parts, lit, P_DYN, in_dq, p->s + start, p->pos - start);
}

static void scan_dollar(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                        struct sbuf *lit, int in_dq)
{
	size_t start = p->pos;
	char n = peekc(p, 1);
	if (n == '(') {
		if (peekc(p, 2) == '(') {
			p->pos += 3;
			if (looks_arith(p)) {
				struct sbuf tmp;
				sb_init(&tmp);
				struct vec dummy = {0};
				if (enter(p) == 0) {
					scan_arith(p, w, &dummy, subs, &tmp);
					leave(p);
				}
				sb_free(&tmp);
				add_part(p, parts, lit, P_DYN, in_dq, p->s + start, p->pos - start);
				return;
			}
			p->pos = start;
		}
		p->pos += 2;
		struct node *sub = parse_nested_paren(p);
		add_sub(p, subs, sub);
		add_part(p, parts, lit, P_DYN, in_dq, p->s + start, p->pos - start);
		set_last_cmd(parts, sub, 0);
		return;
	}
	if (n == '{') {
		p->pos += 2;
		if (enter(p) == 0) {
			scan_brace_param(p, w, parts, subs, lit, start, in_dq);
			leave(p);
		}
		return;
	}
	if (n == '[') {
		/* $[ expr ]: the old form of $(( expr )) */
		p->pos += 2;
		if (enter(p) == 0) {
			struct sbuf tmp;
			sb_init(&tmp);
			struct vec dummy = {0};
			int depth = 0;
			while (!FAILED(p)) {
				if (p->pos >= p->len) {
					seterr(p, 1, "unexpected end of input: missing `]'");
					break;
				}
				char ch = p->s[p->pos];
				if (ch == ']' && depth == 0) {
					p->pos++;
					break;
				}
				if (ch == '[')
					depth++;
				else if (ch == ']')
					depth--;
				if (ch == '$') {
					scan_dollar(p, w, &dummy, subs, &tmp, 1);
					continue;
				}
				if (ch == '`') {
					scan_backtick(p, w, &dummy, subs, &tmp, 1);
					continue;
				}
				if (ch == '\n')
					newline_at(p, p->pos + 1);
				p->pos++;
			}
			sb_free(&tmp);
			leave(p);
		}
		add_part(p, parts, lit, P_DYN, in_dq, p->s + start, p->pos - start);
		return;
	}
	if (n == '\'' && !in_dq) {
		p->pos++;
		flush_lit(p, parts, lit);
		struct sbuf q;
		sb_init(&q);
		scan_ansi_c(p, &q);
		sb_addc(&q, 0);
		sb_addn(lit, q.s, q.len - 1);
		sb_free(&q);
		w->flags |= W_QUOTED;
		return;
	}
	if (n == '"' && !in_dq) {
		p->pos++; /* $"..." is "..." translated */
		return;   /* the caller sees the quote next */
	}
	if (is_name_start(n)) {
		size_t i = p->pos + 1;
		while (i < p->len && is_name_char(p->s[i]))
			i++;
		add_part(p, parts, lit, P_PARAM, in_dq, p->s + p->pos + 1, i - p->pos - 1);
		p->pos = i;
		return;
	}
	if ((n >= '0' && n <= '9') || (n && strchr("@*#?-$!", n))) {
		add_part(p, parts, lit, P_PARAM, in_dq, p->s + p->pos + 1, 1);
		p->pos += 2;
		return;
	}
	sb_addc(lit, '$');
	p->pos++;
}

/* `...`: p->pos at the backquote. */
static void scan_backtick(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                          struct sbuf *lit, int in_dq)
{
	(void)w;
	size_t start = p->pos;
	int line = p->line, col = col_of(p, p->pos + 1);
	p->pos++;
	struct sbuf body;
	sb_init(&body);
	for (;;) {
		if (p->pos >= p->len) {
			seterr(p, 1, "unexpected end of input: unterminated `");
			sb_free(&body);
			return;
		}
		char ch = p->s[p->pos];
		if (ch == '`')
			break;
		if (ch == '\\' && p->pos + 1 < p->len) {
			char e = p->s[p->pos + 1];
			if (e == '$' || e == '`' || e == '\\' || (in_dq && e == '"')) {
				sb_addc(&body, e);
				p->pos += 2;
				continue;
			}
			if (e == '\n') {
				newline_at(p, p->pos + 2);
				p->pos += 2;
				continue;
			}
		}
		if (ch == '\n')
			newline_at(p, p->pos + 1);
		sb_addc(&body, ch);
		p->pos++;
	}
	p->pos++;
	struct node *bq = NULL;
	if (enter(p) == 0) {
		const char *text = body.s ? astrndup(p->c->a, body.s, body.len) : "";
		struct parser sp;
		sub_init(&sp, p, text, body.len, line, col);
		struct node *n = parse_list(&sp);
		if (!FAILED(p) && sp.have && sp.tok.k != T_EOF)
			seterr_at(&sp, sp.tok.line, sp.tok.col, 0,
			          "syntax error near unexpected token in `...`");
		add_sub(p, subs, n);
		bq = n;
		leave(p);
	}
	sb_free(&body);
	add_part(p, parts, lit, P_DYN, in_dq, p->s + start, p->pos - start);
	set_last_cmd(parts, bq, 0);
}

/* "...": p->pos at the opening quote. */
static void scan_dq(struct parser *p, struct word *w, struct vec *parts, struct vec *subs,
                    struct sbuf *lit)
{
	p->pos++;
	w->flags |= W_QUOTED;
	while (!FAILED(p)) {
		if (p->pos >= p->len) {
			seterr(p, 1, "unexpected end of input: unterminated \"");
			return;
		}
		char ch = p->s[p->pos];
		if (ch == '"') {
			p->pos++;
			return;
		}
		if (ch == '\\' && p->pos + 1 < p->len) {
			char e = p->s[p->pos + 1];
			if (e == '\n') {
				newline_at(p, p->pos + 2);
				p->pos += 2;
				continue;
			}
			if (e == '$' || e == '`' || e == '"' || e == '\\') {
				sb_addc(lit, e);
				p->pos += 2;
				continue;
			}
		}
		if (ch == '$') {
			scan_dollar(p, w, parts, subs, lit, 1);
			continue;
		}
		if (ch == '`') {
			scan_backtick(p, w, parts, subs, lit, 1);
			continue;
		}
		if (ch == '\n')
			newline_at(p, p->pos + 1);
		sb_addc(lit, ch);
		p->pos++;
	}
}

static void add_decoded(struct parser *p, const struct word *w);

static struct word *finish_word(struct parser *p, struct word *w, struct vec *parts,
                                struct vec *subs, struct sbuf *lit, size_t start)
{
	flush_lit(p, parts, lit);
	w->part = parts->v;
	w->npart = parts->n;
	w->sub = subs->v;
	w->nsub = subs->n;
	w->src = astrndup(p->c->a, p->s + start, p->pos - start);
	if (!(w->flags & W_QUOTED) && w->npart == 1 && w->part[0].kind == P_LIT &&
	    strlen(w->part[0].s) <= 8 && strchr("!{}[]ticdewusfe-", w->part[0].s[0]))
		w->flags |= W_KWCAND;
	if (++p->c->nwords > p->c->lim->max_words)
		seterr(p, 0, "more than %zu words (limit)", p->c->lim->max_words);
	if (!p->c->lim->syntax_only)
		add_decoded(p, w);
	return w;
}

/* The word's value for the "named anywhere" check (parse_result.decoded). */
static void add_decoded(struct parser *p, const struct word *w)
{
	struct sbuf *d = &p->c->decoded;
	for (size_t i = 0; i < w->npart; i++)
		sb_adds(d, w->part[i].kind == P_LIT ? w->part[i].s : "");
	sb_addc(d, ' ');
	/* text with backslash escapes may become commands after printf or
	   echo -e: add it once more with \n, \t, \xHH and \NNN decoded */
	for (size_t i = 0; i < w->npart; i++) {
		const char *t = w->part[i].s;
		if (w->part[i].kind != P_LIT || !strchr(t, '\\'))
			continue;
		for (; *t; t++) {
			if (*t != '\\' || !t[1]) {
				sb_addc(d, *t);
				continue;
			}
			t++;
			if (*t == 'x' && hexval(t[1]) < 16) {
				unsigned v = hexval(*++t);
				if (hexval(t[1]) < 16)
					v = v * 16 + hexval(*++t);
				sb_addc(d, (char)v);
			} else if (*t >= '0' && *t <= '7') {
				unsigned v = 0;
				int k = 0;
				while (k < 4 && *t >= '0' && *t <= '7')
					v = v * 8 + (unsigned)(*t++ - '0'), k++;
				t--;
				sb_addc(d, (char)v);
			} else {
				sb_addc(d, ' ');
			}
		}
		sb_addc(d, ' ');
	}
}

/* A new word starting at p->pos, and an empty literal buffer for it. */
static struct word *word_begin(struct parser *p, struct sbuf *lit)
{
	struct word *w = aalloc(p->c->a, sizeof *w);
	struct pctx *c = p->c;
	if (c->nlitpool > 0) {
		*lit = c->litpool[--c->nlitpool];
	} else {
		sb_init(lit);
		sb_addc(lit, 0);
	}
	lit->len = 0;
	lit->s[0] = 0;
	w->line = p->line;
	w->col = col_of(p, p->pos);
	return w;
}

/* Gives a word's literal buffer back to the pool (or frees it). */
static void word_end(struct parser *p, struct sbuf *lit)
{
	struct pctx *c = p->c;
	if (c->nlitpool < (int)(sizeof c->litpool / sizeof c->litpool[0]))
		c->litpool[c->nlitpool++] = *lit;
	else
		sb_free(lit);
	sb_init(lit);
}

/* Fills the class table; C_PLAIN: no special meaning inside an unquoted
   word. */
static void init_classes(void)
{
	if (cls['a'])
		return;
	for (int ch = 1; ch < 256; ch++) {
		unsigned char k = 0;
		if (strchr(" \t\n;&|()<>", ch))
			k |= C_META;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_')
			k |= C_NAME_START | C_NAME;
		if (ch >= '0' && ch <= '9')
			k |= C_NAME;
		if (!(k & C_META) && !strchr("\\'\"$`*?[]{}=+.#", ch))
			k |= C_PLAIN;
		cls[ch] = k;
	}
}

/* Scans one word at p->pos (which is not a blank or an operator, except
   for <( and >( ). */
static struct word *scan_word(struct parser *p)
{
	struct vec parts = {0}, subs = {0};
	struct sbuf lit;
	size_t start = p->pos;
	struct word *w = word_begin(p, &lit);
	int name_ok = 1; /* everything so far could be an assignment's name */
	int in_subscript = 0;
	size_t br_end = 0; /* where the last [ scan stopped, and whether at a ] */
	int br_found = 0;
	int sub_glob = 0;                    /* NAME[...] that may turn out to be no assignment */
	int saw_lbrace = 0, brace_comma = 0; /* an unquoted `{`, then `,` */
	while (!FAILED(p) && p->pos < p->len) {
		char ch = p->s[p->pos];
		if ((ch == '<' || ch == '>') && peekc(p, 1) == '(') {
			size_t s0 = p->pos;
			p->pos += 2;
			struct node *sub = parse_nested_paren(p);
			add_sub(p, &subs, sub);
			add_part(p, &parts, &lit, P_DYN, 0, p->s + s0, p->pos - s0);
			set_last_cmd(&parts, sub, 1);
			w->flags |= W_PROCSUB;
			name_ok = 0;
			continue;
		}
		if (ch == '(' && (w->flags & W_ASSIGN) && p->pos > start &&
		    p->s[p->pos - 1] == '=') {
			/* array assignment a=( words ) */
			size_t s0 = p->pos;
			p->pos++;
			if (enter(p) < 0)
				break;
			for (;;) {
				while (p->pos < p->len && strchr(" \t\n", p->s[p->pos])) {
					if (p->s[p->pos] == '\n')
						newline_at(p, p->pos + 1);
					p->pos++;
				}
				if (p->pos >= p->len) {
					seterr(p, 1, "unexpected end of input: missing `)'");
					break;
				}
				if (p->s[p->pos] == ')') {
					p->pos++;
					break;
				}
				if (p->s[p->pos] == '#') {
					while (p->pos < p->len && p->s[p->pos] != '\n')
						p->pos++;
					continue;
				}
				if (is_meta(p->s[p->pos])) {
					seterr(p, 0, "syntax error in array assignment");
					break;
				}
				struct word *el = scan_word(p);
				if (FAILED(p))
					break;
				for (size_t i = 0; i < el->nsub; i++)
					add_sub(p, &subs, el->sub[i]);
			}
			leave(p);
			add_part(p, &parts, &lit, P_DYN, 0, p->s + s0, p->pos - s0);
			continue;
		}
		if (is_meta(ch))
			break;
		if ((cls[(unsigned char)ch] & C_PLAIN)) {
			/* a run of ordinary characters, added at once */
			size_t e = p->pos + 1;
			while (e < p->len && (cls[(unsigned char)p->s[e]] & C_PLAIN))
				e++;
			if (name_ok && !in_subscript)
				for (size_t k = p->pos; k < e; k++)
					if (!is_name_char(p->s[k]))
						name_ok = 0;
			if (saw_lbrace && memchr(p->s + p->pos, ',', e - p->pos))
				brace_comma = 1;
			sb_addn(&lit, p->s + p->pos, e - p->pos);
			p->pos = e;
			continue;
		}
		switch (ch) {
		case '\\':
			if (peekc(p, 1) == '\n') {
				newline_at(p, p->pos + 2);
				p->pos += 2;
				continue;
			}
			if (p->pos + 1 < p->len) {
				sb_addc(&lit, p->s[p->pos + 1]);
				p->pos += 2;
			} else {
				sb_addc(&lit, '\\');
				p->pos++;
			}
			w->flags |= W_QUOTED;
			if (!in_subscript)
				name_ok = 0; /* a["k"]=v and a[$i]=v are assignments */
			continue;
		case '\'': {
			size_t e = p->pos + 1;
			while (e < p->len && p->s[e] != '\'') {
				if (p->s[e] == '\n')
					newline_at(p, e + 1);
				e++;
			}
			if (e >= p->len) {
				p->pos = e;
				seterr(p, 1, "unexpected end of input: unterminated '");
				continue; /* the loop stops on the error */
			}
			sb_addn(&lit, p->s + p->pos + 1, e - p->pos - 1);
			p->pos = e + 1;
			w->flags |= W_QUOTED;
			if (!in_subscript)
				name_ok = 0;
			continue;
		}
		case '"':
			scan_dq(p, w, &parts, &subs, &lit);
			if (!in_subscript)
				name_ok = 0;
			continue;
		case '$':
			if (peekc(p, 1) == '"') {
				p->pos++;
				scan_dq(p, w, &parts, &subs, &lit);
			} else {
				scan_dollar(p, w, &parts, &subs, &lit, 0);
			}
			if (!in_subscript)
				name_ok = 0;
			continue;
		case '`':
			scan_backtick(p, w, &parts, &subs, &lit, 0);
			if (!in_subscript)
				name_ok = 0;
			continue;
		case '*':
		case '?':
			w->flags |= W_GLOB;
			break;
		case '[':
			if (name_ok && p->pos > start && !(w->flags & W_ASSIGN)) {
				in_subscript = 1;
			} else {
				/* a ']' before the word ends makes it a pattern; a
				   later '[' before the same stop finds the same one
				   (without this, '[' * n is n*n steps) */
				if (p->pos >= br_end) {
					size_t e = p->pos + 1;
					while (e < p->len && !is_meta(p->s[e]) && p->s[e] != ']')
						e++;
					br_end = e;
					br_found = e < p->len && p->s[e] == ']';
				}
				if (br_found)
					w->flags |= W_GLOB;
			}
			break;
		case ']':
			if (in_subscript)
				sub_glob = 1;
			in_subscript = 0;
			break;
		case '{':
			saw_lbrace = 1;
			break;
		case '}':
			/* {a,b}: also when quotes or expansions came between the
			   brace and the comma ({pm2,$x}, {'pm2',x}) */
			if (brace_comma)
				w->flags |= W_BRACE;
			break;
		case '=':
			if (name_ok && !in_subscript && p->pos > start && !(w->flags & W_ASSIGN)) {
				const char *n0 = p->s + start;
				size_t nl = p->pos - start;
				if (n0[nl - 1] == '+')
					nl--;
				if (nl > 0 && is_name_start(n0[0])) {
					size_t k = 1;
					while (k < nl && is_name_char(n0[k]))
						k++;
					if (k == nl || n0[k] == '[')
						w->flags |= W_ASSIGN;
				}
			}
			break;
		case '\n':
			break;
		default:
			if (!is_name_char(ch) && !(ch == '+' && peekc(p, 1) == '=') &&
			    !in_subscript)
				name_ok = 0;
		}
		if (ch == '.' && peekc(p, 1) == '.' && saw_lbrace)
			w->flags |= W_BRACE;
		sb_addc(&lit, ch);
		p->pos++;
	}
	/* pm[2] is a bracket expression when the word is no assignment: bash
	   globs it (touch pm2; pm[2] list runs pm2) */
	if (sub_glob && !(w->flags & W_ASSIGN))
		w->flags |= W_GLOB;
	struct word *res = finish_word(p, w, &parts, &subs, &lit, start);
	word_end(p, &lit);
	return res;
}

/* ---- here-docs --------------------------------------------------------- */

static char *word_literal(struct parser *p, const struct word *w)
{
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < w->npart; i++) {
		const struct wpart *wp = &w->part[i];
		if (wp->kind == P_PARAM)
			sb_addc(&b, '$');
		sb_adds(&b, wp->s);
	}
	char *s = astrdup(p->c->a, b.s ? b.s : "");
	sb_free(&b);
	return s;
}

/* Parses an unquoted here-doc body for expansions. */
static struct word *parse_heredoc_body(struct parser *p, const char *body, size_t len, int line)
{
	struct parser sp;
	sub_init(&sp, p, body, len, line, 1);
	struct vec parts = {0}, subs = {0};
	struct sbuf lit;
	struct word *w = word_begin(&sp, &lit);
	while (!FAILED(p) && sp.pos < sp.len) {
		char ch = sp.s[sp.pos];
		if (ch == '\\' && sp.pos + 1 < sp.len && strchr("$`\\\n", sp.s[sp.pos + 1])) {
			if (sp.s[sp.pos + 1] != '\n')
				sb_addc(&lit, sp.s[sp.pos + 1]);
			else
				newline_at(&sp, sp.pos + 2);
			sp.pos += 2;
			continue;
		}
		if (ch == '$') {
			scan_dollar(&sp, w, &parts, &subs, &lit, 1);
			continue;
		}
		if (ch == '`') {
			scan_backtick(&sp, w, &parts, &subs, &lit, 1);
			continue;
		}
		if (ch == '\n')
			newline_at(&sp, sp.pos + 1);
		sb_addc(&lit, ch);
		sp.pos++;
	}
	struct word *res = finish_word(&sp, w, &parts, &subs, &lit, 0);
	word_end(p, &lit);
	return res;
}

/* Reads the bodies of pending here-docs; p->pos is just after a newline. */
static void read_heredocs(struct parser *p)
{
	for (size_t i = 0; i < p->nhd && !FAILED(p); i++) {
		struct pending_hd *h = &p->hd[i];
		struct redir *r = h->r;
		struct sbuf body;
		sb_init(&body);
		int found = 0;
		r->body_line = p->line;
		while (p->pos < p->len) {
			size_t e = p->pos;
			while (e < p->len && p->s[e] != '\n')
				e++;
			size_t ls = p->pos;
			if (r->strip_tabs)
				while (ls < e && p->s[ls] == '\t')
					ls++;
			size_t next = e < p->len ? e + 1 : e;
			if (e - ls == strlen(h->delim) &&
			    memcmp(p->s + ls, h->delim, e - ls) == 0) {
				p->pos = next;
				if (e < p->len)
					newline_at(p, next);
				found = 1;
				break;
			}
			sb_addn(&body, p->s + ls, e - ls);
			if (e < p->len)
				sb_addc(&body, '\n');
			p->pos = next;
			if (e < p->len)
				newline_at(p, next);
		}
		if (!found)
			p->c->incomplete = 1; /* bash accepts it, with a warning */
		r->body = astrndup(p->c->a, body.s ? body.s : "", body.len);
		if (!p->c->lim->syntax_only) {
			sb_adds(&p->c->decoded, r->body);
			sb_addc(&p->c->decoded, ' ');
		}
		if (!r->body_quoted)
			r->body_word = parse_heredoc_body(p, r->body, body.len, r->body_line);
		sb_free(&body);
	}
	p->nhd = 0;
}

/* ---- tokens ------------------------------------------------------------ */

static void skip_blanks(struct parser *p)
{
	while (p->pos < p->len) {
		char ch = p->s[p->pos];
		if (ch == ' ' || ch == '\t') {
			p->pos++;
		} else if (ch == '\\' && peekc(p, 1) == '\n') {
			newline_at(p, p->pos + 2);
			p->pos += 2;
		} else if (ch == '#') {
			const char *nl = memchr(p->s + p->pos, '\n', p->len - p->pos);
			p->pos = nl ? (size_t)(nl - p->s) : p->len;
		} else {
			break;
		}
	}
}

static struct tok lex(struct parser *p)
{
	struct tok t = {0};
	skip_blanks(p);
	t.line = p->line;
	t.col = col_of(p, p->pos);
	t.start = p->pos;
	t.fd = -1;
	if (p->pos >= p->len) {
		if (p->nhd) {
			/* here-doc operator on the last line: empty body */
			read_heredocs(p);
		}
		t.k = T_EOF;
		return t;
	}
	const char *s = p->s + p->pos;
	size_t rem = p->len - p->pos;
#define OP(str, kind)                                                                              \
	if (rem >= sizeof(str) - 1 && memcmp(s, str, sizeof(str) - 1) == 0) {                      \
		p->pos += sizeof(str) - 1;                                                         \
		t.k = kind;                                                                        \
		return t;                                                                          \
	}
	switch (s[0]) {
	case '\n':
		p->pos++;
		newline_at(p, p->pos);
		t.k = T_NEWLINE;
		if (p->nhd)
			read_heredocs(p);
		return t;
	case ';':
		OP(";;&", T_DSEMIAND);
		OP(";;", T_DSEMI);
		OP(";&", T_SEMIAND);
		OP(";", T_SEMI);
		break;
	case '|':
		OP("||", T_OR);
		OP("|&", T_PIPEAMP);
		OP("|", T_PIPE);
		break;
	case '(':
		OP("(", T_LPAREN);
		break;
	case ')':
		OP(")", T_RPAREN);
		break;
	default:
		break;
	}
	/* redirections, with an optional IO number or {varname} */
	size_t i = 0;
	int fd = -1;
	while (i < rem && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i < rem && (s[i] == '<' || s[i] == '>') && !(i + 1 < rem && s[i + 1] == '(')) {
		fd = i > 6 ? 999999 : atoi(s);
	} else if (s[0] == '{') {
		size_t k = 1;
		while (k < rem && is_name_char(s[k]))
			k++;
		if (k > 1 && k + 1 < rem && s[k] == '}' && (s[k + 1] == '<' || s[k + 1] == '>') &&
		    !(k + 2 < rem && s[k + 2] == '(')) {
			i = k + 1, fd = -2;
			t.vn = s + 1;
			t.vnl = k - 1;
		} else
			i = 0;
	} else {
		i = 0;
	}
	const char *r = s + i;
	size_t rr = rem - i;
	static const struct {
		const char *op;
		unsigned char len;
		enum redir_kind k;
		int strip;
	} ops[] = {
	    {"<<<", 3, R_HERESTR, 0}, {"<<-", 3, R_HEREDOC, 1}, {"<<", 2, R_HEREDOC, 0},
	    {"<&", 2, R_DUPIN, 0},    {"<>", 2, R_INOUT, 0},    {">>", 2, R_APPEND, 0},
	    {">&", 2, R_DUPOUT, 0},   {">|", 2, R_OUT, 0},      {"&>>", 3, R_ALL, 0},
	    {"&>", 2, R_ALL, 0},      {"<", 1, R_IN, 0},        {">", 1, R_OUT, 0},
	};
	if ((r[0] == '<' || r[0] == '>' || r[0] == '&') &&
	    !(rr >= 2 && (r[0] == '<' || r[0] == '>') && r[1] == '(')) {
		for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
			size_t ol = ops[k].len;
			if (fd != -1 && ops[k].op[0] == '&')
				continue;
			if (rr >= ol && memcmp(r, ops[k].op, ol) == 0) {
				p->pos += i + ol;
				t.k = T_REDIR;
				t.rk = ops[k].k;
				t.strip = ops[k].strip;
				t.fd = fd;
				return t;
			}
		}
	}
	if (s[0] == '&') {
		OP("&&", T_AND);
		OP("&", T_AMP);
	}
	t.k = T_WORD;
	t.w = scan_word(p);
	return t;
#undef OP
}

static struct tok *peek(struct parser *p)
{
	if (!p->have) {
		p->tok = lex(p);
		p->have = 1;
	}
	return &p->tok;
}

static struct tok next(struct parser *p)
{
	peek(p);
	p->have = 0;
	return p->tok;
}

static const char *tok_text(struct tok *t)
{
	static const char *names[] = {
	    "end of input", "word", "newline", ";",  ";;", ";&", ";;&",        "&",
	    "&&",           "||",   "|",       "|&", "(",  ")",  "redirection"};
	if (t->k == T_WORD)
		return t->w->src;
	return names[t->k];
}

static void unexpected(struct parser *p, struct tok *t)
{
	if (t->k == T_EOF)
		seterr_at(p, t->line, t->col, 1, "syntax error: unexpected end of input");
	else
		seterr_at(p, t->line, t->col, 0, "syntax error near unexpected token `%s'",
		          tok_text(t));
}

/* ---- grammar ------------------------------------------------------------ */

static inline int word_is(const struct word *w, const char *s)
{
	return w && (w->flags & W_KWCAND) && s[0] == w->part[0].s[0] &&
	       strcmp(w->part[0].s, s) == 0;
}

static inline int tok_is(struct tok *t, const char *s)
{
	return t->k == T_WORD && word_is(t->w, s);
}

static int at_list_end(struct tok *t)
{
	switch (t->k) {
	case T_EOF:
	case T_RPAREN:
	case T_DSEMI:
	case T_SEMIAND:
	case T_DSEMIAND:
		return 1;
	case T_WORD:
		if (!(t->w->flags & W_KWCAND))
			return 0;
		return tok_is(t, "then") || tok_is(t, "else") || tok_is(t, "elif") ||
		       tok_is(t, "fi") || tok_is(t, "do") || tok_is(t, "done") ||
		       tok_is(t, "esac") || tok_is(t, "}");
	default:
		return 0;
	}
}

static struct node *new_node(struct parser *p, enum node_kind k, struct tok *at)
{
	struct node *n = aalloc(p->c->a, sizeof *n);
	n->kind = k;
	n->line = at ? at->line : p->line;
	n->col = at ? at->col : col_of(p, p->pos);
	n->start = at ? at->start : p->pos;
	return n;
}

static void skip_newlines(struct parser *p)
{
	while (!FAILED(p) && peek(p)->k == T_NEWLINE)
		next(p);
}

static int expect_word(struct parser *p, const char *kw)
{
	struct tok *t = peek(p);
	if (FAILED(p))
		return -1;
	if (!tok_is(t, kw)) {
		if (t->k == T_EOF)
			seterr_at(p, t->line, t->col, 1, "unexpected end of input: expected `%s'",
			          kw);
		else
			seterr_at(p, t->line, t->col, 0, "syntax error near `%s': expected `%s'",
			          tok_text(t), kw);
		return -1;
	}
	next(p);
	return 0;
}

static void parse_redirect(struct parser *p, struct vec *rv)
{
	struct tok t = next(p);
	struct tok target = next(p);
	if (FAILED(p))
		return;
	if (target.k != T_WORD) {
		unexpected(p, &target);
		return;
	}
	struct redir *r = aalloc(p->c->a, sizeof *r);
	r->kind = t.rk;
	r->fd = t.fd;
	if (t.vn)
		r->varname = astrndup(p->c->a, t.vn, t.vnl);
	r->target = target.w;
	r->strip_tabs = t.strip;
	if (r->kind == R_HEREDOC) {
		if (++p->c->nheredocs > p->c->lim->max_heredocs) {
			seterr(p, 0, "more than %zu here-documents (limit)",
			       p->c->lim->max_heredocs);
			return;
		}
		r->body_quoted = (target.w->flags & W_QUOTED) != 0;
		struct pending_hd h = {r, word_literal(p, target.w)};
		apush(p->c->a, &p->hd, &p->nhd, &p->caphd, &h, sizeof h);
	}
	VPUSH(p, *rv, r);
}

static void parse_redirects(struct parser *p, struct node *n)
{
	struct vec rv = {0};
	while (!FAILED(p) && peek(p)->k == T_REDIR)
		parse_redirect(p, &rv);
	n->r = rv.v;
	n->nr = rv.n;
}

static struct node *parse_compound_list_until(struct parser *p, const char *kw)
{
	struct node *n = parse_list(p);
	if (FAILED(p))
		return n;
	if (kw && expect_word(p, kw) < 0)
		return n;
	return n;
}

static struct node *parse_if(struct parser *p, struct tok *at)
{
	struct node *n = new_node(p, N_IF, at);
	struct vec kids = {0};
	for (;;) {
		struct node *cond = parse_compound_list_until(p, "then");
		VPUSH(p, kids, cond);
		struct node *then = parse_list(p);
		VPUSH(p, kids, then);
		if (FAILED(p))
			break;
		struct tok t = next(p);
		if (tok_is(&t, "elif"))
			continue;
		if (tok_is(&t, "else")) {
			struct node *els = parse_compound_list_until(p, "fi");
			VPUSH(p, kids, els);
			break;
		}
		if (tok_is(&t, "fi"))
			break;
		if (t.k == T_EOF)
			seterr_at(p, t.line, t.col, 1, "unexpected end of input: expected `fi'");
		else
			unexpected(p, &t);
		break;
	}
	n->kid = kids.v;
	n->nkid = kids.n;
	return n;
}

static struct node *parse_do_group(struct parser *p)
{
	skip_newlines(p);
	struct tok *t = peek(p);
	if (tok_is(t, "{")) {
		struct tok b = next(p);
		struct node *g = new_node(p, N_GROUP, &b);
		struct node *body = parse_compound_list_until(p, "}");
		g->kid = aalloc(p->c->a, sizeof(struct node *));
		g->kid[0] = body;
		g->nkid = 1;
		return g;
	}
	if (expect_word(p, "do") < 0)
		return NULL;
	return parse_compound_list_until(p, "done");
}

/* N_FUNC: the body's source text (the analyser reads it again for a call
   made after variables it reads have changed). */
static void func_body_src(struct parser *p, struct node *n, const struct node *body)
{
	if (!body || p->c->lim->syntax_only)
		return;
	size_t e = p->have ? p->tok.start : p->pos;
	while (e > body->start && strchr(" \t\n;", p->s[e - 1]))
		e--;
	if (e > body->start)
		n->src = astrndup(p->c->a, p->s + body->start, e - body->start);
}

static struct node *one_kid(struct parser *p, struct node *n, struct node *k)
{
	n->kid = aalloc(p->c->a, sizeof(struct node *));
	n->kid[0] = k;
	n->nkid = 1;
	return n;
}

static struct node *parse_arith_cmd(struct parser *p, struct node *n)
{
	/* p->pos is just after "((" */
	struct vec parts = {0}, subs = {0};
	struct sbuf lit;
	size_t start = p->pos;
	struct word *w = word_begin(p, &lit);
	if (enter(p) == 0) {
		scan_arith(p, w, &parts, &subs, &lit);
		leave(p);
	}
	finish_word(p, w, &parts, &subs, &lit, start);
	word_end(p, &lit);
	n->w = aalloc(p->c->a, sizeof(struct word *));
	n->w[0] = w;
	n->nw = 1;
	return n;
}

static struct node *parse_for(struct parser *p, struct tok *at, enum node_kind kind)
{
	struct node *n = new_node(p, kind, at);
	struct tok *t = peek(p);
	if (kind == N_FOR && t->k == T_LPAREN && p->pos < p->len && p->s[p->pos] == '(') {
		next(p);
		p->pos++;
		n->kind = N_ARITH_FOR;
		parse_arith_cmd(p, n);
		if (FAILED(p))
			return n;
		t = peek(p);
		if (t->k == T_SEMI)
			next(p);
		return one_kid(p, n, parse_do_group(p));
	}
	struct tok name = next(p);
	if (FAILED(p))
		return n;
	if (name.k != T_WORD) {
		unexpected(p, &name);
		return n;
	}
	n->name = word_literal(p, name.w);
	skip_newlines(p);
	t = peek(p);
	if (tok_is(t, "in")) {
		next(p);
		struct vec ws = {0};
		for (;;) {
			t = peek(p);
			if (FAILED(p))
				return n;
			if (t->k != T_WORD)
				break;
			struct tok wt = next(p);
			VPUSH(p, ws, wt.w);
		}
		n->w = ws.v;
		n->nw = ws.n;
		if (n->w == NULL)
			n->w = aalloc(p->c->a, sizeof(struct word *)); /* empty list */
		if (t->k == T_SEMI || t->k == T_NEWLINE)
			next(p);
		else if (!tok_is(t, "do") && !tok_is(t, "{")) {
			unexpected(p, t);
			return n;
		}
	} else if (t->k == T_SEMI) {
		next(p);
	}
	return one_kid(p, n, parse_do_group(p));
}

static struct node *parse_case(struct parser *p, struct tok *at)
{
	struct node *n = new_node(p, N_CASE, at);
	struct tok subj = next(p);
	if (FAILED(p))
		return n;
	if (subj.k != T_WORD) {
		unexpected(p, &subj);
		return n;
	}
	n->w = aalloc(p->c->a, sizeof(struct word *));
	n->w[0] = subj.w;
	n->nw = 1;
	skip_newlines(p);
	if (expect_word(p, "in") < 0)
		return n;
	struct vec arms = {0}, kids = {0};
	for (;;) {
		skip_newlines(p);
		struct tok *t = peek(p);
		if (FAILED(p))
			break;
		if (tok_is(t, "esac")) {
			next(p);
			break;
		}
		if (t->k == T_LPAREN)
			next(p);
		struct vec pats = {0};
		for (;;) {
			struct tok pt = next(p);
			if (FAILED(p))
				break;
			if (pt.k != T_WORD) {
				unexpected(p, &pt);
				break;
			}
			VPUSH(p, pats, pt.w);
			struct tok sep = next(p);
			if (sep.k == T_PIPE)
				continue;
			if (sep.k == T_RPAREN)
				break;
			unexpected(p, &sep);
			break;
		}
		if (FAILED(p))
			break;
		struct case_arm arm = {pats.v, pats.n};
		VPUSH(p, arms, arm);
		struct node *body = parse_list(p);
		VPUSH(p, kids, body);
		if (FAILED(p))
			break;
		t = peek(p);
		if (t->k == T_DSEMI || t->k == T_SEMIAND || t->k == T_DSEMIAND) {
			next(p);
			continue;
		}
		if (tok_is(t, "esac")) {
			next(p);
			break;
		}
		if (t->k == T_EOF)
			seterr_at(p, t->line, t->col, 1,
			          "unexpected end of input: expected `esac'");
		else
			unexpected(p, t);
		break;
	}
	n->arm = arms.v;
	n->kid = kids.v;
	n->nkid = kids.n;
	return n;
}

static int starts_compound(struct parser *p, struct tok *t)
{
	(void)p;
	return t->k == T_LPAREN || tok_is(t, "{") || tok_is(t, "if") || tok_is(t, "while") ||
	       tok_is(t, "until") || tok_is(t, "for") || tok_is(t, "case") || tok_is(t, "select") ||
	       tok_is(t, "[[");
}

static struct node *parse_cond(struct parser *p, struct tok *at)
{
	struct node *n = new_node(p, N_COND, at);
	struct vec ws = {0};
	for (;;) {
		struct tok t = next(p);
		if (FAILED(p))
			break;
		if (t.k == T_EOF) {
			seterr_at(p, t.line, t.col, 1, "unexpected end of input: expected `]]'");
			break;
		}
		if (t.k == T_WORD && word_is(t.w, "]]"))
			break;
		/* operators inside [[ ]] (< > ( ) | && ||, extglob groups) are
		   part of the expression, not of the command grammar */
		if (t.k == T_WORD)
			VPUSH(p, ws, t.w);
	}
	n->w = ws.v;
	n->nw = ws.n;
	return n;
}

static struct node *parse_simple(struct parser *p)
{
	struct tok *t = peek(p);
	struct node *n = new_node(p, N_SIMPLE, t);
	struct vec ws = {0}, rv = {0};
	int have_cmd = 0;
	for (;;) {
		t = peek(p);
		if (FAILED(p))
			break;
		if (t->k == T_REDIR) {
			parse_redirect(p, &rv);
			continue;
		}
		if (t->k != T_WORD)
			break;
		struct tok wt = next(p);
		if (!have_cmd) {
			if (!(wt.w->flags & W_ASSIGN))
				have_cmd = 1;
		} else {
			/* after the command name, NAME=x is an ordinary argument */
			wt.w->flags &= ~(unsigned)W_ASSIGN;
		}
		VPUSH(p, ws, wt.w);
		/* name ( ) compound: a function definition */
		if (ws.n == 1 && rv.n == 0 && !(wt.w->flags & (W_ASSIGN | W_QUOTED)) &&
		    peek(p)->k == T_LPAREN) {
			next(p);
			struct tok rp = next(p);
			if (FAILED(p))
				break;
			if (rp.k != T_RPAREN) {
				unexpected(p, &rp);
				break;
			}
			skip_newlines(p);
			n->kind = N_FUNC;
			n->name = word_literal(p, wt.w);
			struct node *body = parse_command(p);
			if (!FAILED(p) && body && body->kind == N_SIMPLE) {
				seterr_at(p, body->line, body->col, 0,
				          "syntax error: function body must be a compound command");
			}
			func_body_src(p, n, body);
			return one_kid(p, n, body);
		}
	}
	n->w = ws.v;
	n->nw = ws.n;
	n->r = rv.v;
	n->nr = rv.n;
	n->end = p->have ? p->tok.start : p->pos;
	if (n->end > n->start) {
		size_t e = n->end;
		while (e > n->start && strchr(" \t\n", p->s[e - 1]))
			e--;
		n->src = astrndup(p->c->a, p->s + n->start, e - n->start);
	}
	return n;
}

static struct node *parse_command(struct parser *p)
{
	struct tok *t = peek(p);
	if (FAILED(p))
		return NULL;
	if (enter(p) < 0)
		return NULL;
	struct node *n = NULL;
	struct tok at = *t;
	if (t->k == T_LPAREN) {
		next(p);
		if (p->pos < p->len && p->s[p->pos] == '(' && at.start + 1 == p->pos) {
			p->pos++;
			if (looks_arith(p)) {
				n = parse_arith_cmd(p, new_node(p, N_ARITH, &at));
				goto redirs;
			}
			p->pos--;
		}
		n = new_node(p, N_SUBSHELL, &at);
		struct node *body = parse_list(p);
		one_kid(p, n, body);
		if (!FAILED(p)) {
			struct tok c = next(p);
			if (c.k != T_RPAREN) {
				if (c.k == T_EOF)
					seterr_at(p, c.line, c.col, 1,
					          "unexpected end of input: missing `)'");
				else
					unexpected(p, &c);
			}
		}
		goto redirs;
	}
	if (t->k == T_WORD && !(t->w->flags & W_QUOTED)) {
		if (tok_is(t, "{")) {
			next(p);
			n = one_kid(p, new_node(p, N_GROUP, &at),
			            parse_compound_list_until(p, "}"));
			goto redirs;
		}
		if (tok_is(t, "if")) {
			next(p);
			n = parse_if(p, &at);
			goto redirs;
		}
		if (tok_is(t, "while") || tok_is(t, "until")) {
			int w = tok_is(t, "while");
			next(p);
			n = new_node(p, w ? N_WHILE : N_UNTIL, &at);
			struct node *cond = parse_compound_list_until(p, "do");
			struct node *body = FAILED(p) ? NULL : parse_compound_list_until(p, "done");
			n->kid = aalloc(p->c->a, 2 * sizeof(struct node *));
			n->kid[0] = cond;
			n->kid[1] = body;
			n->nkid = 2;
			goto redirs;
		}
		if (tok_is(t, "for") || tok_is(t, "select")) {
			int f = tok_is(t, "for");
			next(p);
			n = parse_for(p, &at, f ? N_FOR : N_SELECT);
			goto redirs;
		}
		if (tok_is(t, "case")) {
			next(p);
			n = parse_case(p, &at);
			goto redirs;
		}
		if (tok_is(t, "[[")) {
			next(p);
			n = parse_cond(p, &at);
			goto redirs;
		}
		if (tok_is(t, "function")) {
			next(p);
			struct tok name = next(p);
			if (FAILED(p))
				goto out;
			if (name.k != T_WORD) {
				unexpected(p, &name);
				goto out;
			}
			n = new_node(p, N_FUNC, &at);
			n->name = word_literal(p, name.w);
			if (peek(p)->k == T_LPAREN) {
				next(p);
				struct tok rp = next(p);
				if (rp.k != T_RPAREN) {
					unexpected(p, &rp);
					goto out;
				}
			}
			skip_newlines(p);
			one_kid(p, n, parse_command(p));
			func_body_src(p, n, n->kid[0]);
			goto out;
		}
		if (tok_is(t, "coproc")) {
			next(p);
			n = new_node(p, N_COPROC, &at);
			struct tok *c = peek(p);
			if (starts_compound(p, c)) {
				one_kid(p, n, parse_command(p));
				goto out;
			}
			if (c->k == T_WORD) {
				/* coproc NAME compound: needs a second token of lookahead */
				struct tok first = *c;
				size_t pos = p->pos, ls = p->line_start;
				int line = p->line;
				next(p);
				struct tok *c2 = peek(p);
				if (!FAILED(p) && starts_compound(p, c2)) {
					n->name = word_literal(p, first.w);
					one_kid(p, n, parse_command(p));
					goto out;
				}
				p->pos = pos;
				p->line = line;
				p->line_start = ls;
				p->tok = first;
				p->have = 1;
			}
			one_kid(p, n, parse_simple(p));
			goto out;
		}
		if (tok_is(t, "then") || tok_is(t, "else") || tok_is(t, "elif") ||
		    tok_is(t, "fi") || tok_is(t, "do") || tok_is(t, "done") || tok_is(t, "esac") ||
		    tok_is(t, "}") || tok_is(t, "in")) {
			unexpected(p, t);
			goto out;
		}
	}
	if (t->k == T_WORD || t->k == T_REDIR) {
		n = parse_simple(p);
		goto out;
	}
	unexpected(p, t);
	goto out;
redirs:
	if (n && !FAILED(p))
		parse_redirects(p, n);
out:
	if (n)
		n->end = p->have ? p->tok.start : p->pos;
	leave(p);
	return n;
}

/* command [ | command ]...: one N_PIPE with a kid per command. */
static struct node *parse_plain_pipeline(struct parser *p)
{
	struct tok at = *peek(p);
	struct node *first = parse_command(p);
	if (FAILED(p))
		return first;
	struct tok *t = peek(p);
	if (t->k != T_PIPE && t->k != T_PIPEAMP)
		return first;
	struct node *n = new_node(p, N_PIPE, &at);
	struct vec kids = {0};
	VPUSH(p, kids, first);
	while (!FAILED(p) && (peek(p)->k == T_PIPE || peek(p)->k == T_PIPEAMP)) {
		next(p);
		skip_newlines(p);
		struct node *c = parse_command(p);
		VPUSH(p, kids, c);
	}
	n->kid = kids.v;
	n->nkid = kids.n;
	n->end = p->have ? p->tok.start : p->pos;
	return n;
}

/*
 * A pipeline with its prefixes: `!` and `time [-p] [--]` in any number and
 * order (bash's pipeline_command).  The prefixes are read by a loop, not by
 * recursion, and fold into at most one N_TIME over at most one N_NOT: what
 * runs is the same, and a chain of 100,000 of them must not take a stack
 * frame each.
 */
static struct node *parse_pipeline(struct parser *p)
{
	struct tok *t = peek(p);
	struct tok time_at = {0}, not_at = {0};
	int have_time = 0, nots = 0, last_time = 0;
	while (!FAILED(p)) {
		t = peek(p);
		if (tok_is(t, "time")) {
			if (!have_time)
				time_at = *t;
			have_time = 1;
			last_time = 1;
			next(p);
			if (tok_is(peek(p), "-p"))
				next(p);
			if (tok_is(peek(p), "--"))
				next(p);
			continue;
		}
		if (tok_is(t, "!")) {
			if (!nots)
				not_at = *t;
			nots++;
			last_time = 0;
			next(p);
			continue;
		}
		break;
	}
	if (FAILED(p))
		return NULL;
	struct node *pipe = NULL;
	t = peek(p);
	int bare = t->k == T_NEWLINE || t->k == T_SEMI || t->k == T_EOF;
	if (last_time && (at_list_end(t) || t->k == T_AMP))
		bare = 1; /* bare `time` */
	if (!(bare && (have_time || nots)))
		pipe = parse_plain_pipeline(p);
	if (nots) {
		struct node *n = new_node(p, N_NOT, &not_at);
		pipe = pipe ? one_kid(p, n, pipe) : n;
	}
	if (have_time) {
		struct node *n = new_node(p, N_TIME, &time_at);
		pipe = pipe ? one_kid(p, n, pipe) : n;
	}
	return pipe;
}

/*
 * An and-or list: pipelines joined by && and ||, as one flat node (kid[i],
 * op[i - 1] between kid[i - 1] and kid[i]), so that neither the parser nor
 * the walker recurses once per element.
 */
static struct node *parse_andor(struct parser *p)
{
	struct node *first = parse_pipeline(p);
	if (FAILED(p))
		return first;
	struct tok *t = peek(p);
	if (t->k != T_AND && t->k != T_OR)
		return first;
	struct node *n = new_node(p, N_ANDOR, t);
	if (first) {
		n->line = first->line;
		n->col = first->col;
		n->start = first->start;
	}
	struct vec kids = {0}, ops = {0};
	VPUSH(p, kids, first);
	while (!FAILED(p)) {
		t = peek(p);
		if (t->k != T_AND && t->k != T_OR)
			break;
		unsigned char op = t->k == T_OR;
		next(p);
		skip_newlines(p);
		struct node *right = parse_pipeline(p);
		VPUSH(p, kids, right);
		VPUSH(p, ops, op);
	}
	n->kid = kids.v;
	n->nkid = kids.n;
	n->op = ops.v;
	n->end = p->have ? p->tok.start : p->pos;
	return n;
}

/* A list: and-or lists separated by ; & or newlines, until a token that
   ends a list (end of input, `)`, `;;`, or a closing reserved word). */
/* Streaming: hands a parsed top-level item to the callback, then frees it. */
static void stream_item(struct parser *p, struct node *item, struct amark m)
{
	p->cb(item, p->cbctx);
	if (p->have && p->tok.k == T_WORD)
		return; /* the lookahead lives in the arena too: keep it */
	arena_release(p->c->a, m);
	p->hd = NULL; /* the pending here-doc list was in the arena (and is empty) */
	p->nhd = p->caphd = 0;
}

static struct node *parse_list(struct parser *p)
{
	struct parser_cb_guard {
		parse_cb cb;
	} top = {p->cb};
	p->cb = NULL; /* only the outermost list streams */
	struct node *n = new_node(p, N_LIST, NULL);
	struct vec kids = {0};
	struct vec bg = {0};
	struct amark m = arena_mark(p->c->a);
	skip_newlines(p);
	while (!FAILED(p)) {
		struct tok *t = peek(p);
		if (FAILED(p) || at_list_end(t))
			break;
		struct node *item = parse_andor(p);
		if (FAILED(p))
			break;
		unsigned char b = 0;
		t = peek(p);
		if (t->k == T_AMP)
			b = 1;
		int sep = t->k == T_SEMI || t->k == T_AMP || t->k == T_NEWLINE;
		if (sep)
			next(p); /* reads the here-docs of the item */
		if (top.cb) {
			/* streaming: hand the item over now, then free it */
			p->cb = top.cb;
			stream_item(p, item, m);
			p->cb = NULL;
		} else {
			VPUSH(p, kids, item);
			VPUSH(p, bg, b);
		}
		if (sep) {
			m = arena_mark(p->c->a);
			skip_newlines(p);
			continue;
		}
		if (at_list_end(t))
			break;
		unexpected(p, t);
		break;
	}
	p->cb = top.cb;
	n->kid = kids.v;
	n->nkid = kids.n;
	n->bg = bg.v;
	if (kids.n) {
		n->line = ((struct node **)kids.v)[0]->line;
		n->col = ((struct node **)kids.v)[0]->col;
	}
	return n;
}

void parse_text(const char *text, size_t len, int first_line, const struct parse_limits *lim,
                struct parse_result *out)
{
	parse_stream(text, len, first_line, lim, NULL, NULL, out);
}

/* What parse_stream() and parse_expansions() share: a parser over TEXT with
   its own arena, and the hand-over of what it made (the arena, the error and
   the decoded text) to OUT. */
static void parse_begin(struct pctx *c, struct parser *p, const char *text, size_t len,
                        int first_line, const struct parse_limits *lim, struct parse_result *out)
{
	init_classes();
	stack_begin();
	memset(out, 0, sizeof *out);
	memset(c, 0, sizeof *c);
	c->a = arena_new();
	c->lim = lim;
	sb_init(&c->decoded);
	memset(p, 0, sizeof *p);
	p->c = c;
	p->s = text;
	p->len = len;
	p->line = first_line;
}

static void parse_end(struct pctx *c, struct parse_result *out)
{
	out->arena = c->a;
	out->error = c->err;
	out->err_line = c->err_line;
	out->err_col = c->err_col;
	out->incomplete = c->incomplete;
	out->decoded = sb_take(&c->decoded);
	while (c->nlitpool > 0)
		sb_free(&c->litpool[--c->nlitpool]);
	stack_end();
}

void parse_stream(const char *text, size_t len, int first_line, const struct parse_limits *lim,
                  parse_cb cb, void *ctx, struct parse_result *out)
{
	struct pctx c;
	struct parser p;
	parse_begin(&c, &p, text, len, first_line, lim, out);
	p.cb = cb;
	p.cbctx = ctx;
	if (memchr(text, 0, len)) {
		seterr(&p, 0, "NUL byte in input");
	} else {
		struct node *root = parse_list(&p);
		if (!c.err) {
			struct tok *t = peek(&p);
			if (t->k != T_EOF && !c.err)
				unexpected(&p, t);
		}
		out->root = root;
	}
	parse_end(&c, out);
}

void parse_expansions(const char *text, size_t len, int first_line, const struct parse_limits *lim,
                      struct parse_result *out)
{
	struct pctx c;
	struct parser p;
	parse_begin(&c, &p, text, len, first_line, lim, out);
	if (memchr(text, 0, len)) {
		seterr(&p, 0, "NUL byte in input");
	} else {
		/* the text as the body of an unquoted here-document: what bash
		   expands in "..." (and in prompts and array subscripts) */
		struct node *n = new_node(&p, N_SIMPLE, NULL);
		struct redir *r = aalloc(c.a, sizeof *r);
		r->kind = R_HEREDOC;
		r->fd = -1;
		r->body = astrndup(c.a, text, len);
		r->body_line = first_line;
		r->body_word = parse_heredoc_body(&p, r->body, len, first_line);
		n->r = aalloc(c.a, sizeof *n->r);
		n->r[0] = r;
		n->nr = 1;
		out->root = n;
	}
	parse_end(&c, out);
}

void parse_result_free(struct parse_result *r)
{
	arena_free(r->arena);
	free(r->error);
	free(r->decoded);
	memset(r, 0, sizeof *r);
}
