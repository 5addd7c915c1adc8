/* git_text.c - reading a document into headings, sentences and code (see git_text.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "git_text.h"
#include "util.h"

enum doc_kind doc_kind_of(const char *path)
{
	const char *b = base_name(path);
	const char *dot = strrchr(b, '.');
	if (dot && (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0 ||
	            strcasecmp(dot, ".mdown") == 0))
		return DOC_MARKDOWN;
	if (dot && strcasecmp(dot, ".rst") == 0)
		return DOC_RST;
	return DOC_TEXT;
}

/* Growable arrays. */
#define PUSH(arr, n, item)                                                                         \
	do {                                                                                       \
		(arr) = xreallocarray((arr), (n) + 1, sizeof *(arr));                              \
		(arr)[(n)++] = (item);                                                             \
	} while (0)

struct line {
	const char *s;
	size_t len;
};

static int blank(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!isspace((unsigned char)l->s[i]))
			return 0;
	return 1;
}

static size_t indent_of(const struct line *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->len; i++) {
		if (l->s[i] == ' ')
			n++;
		else if (l->s[i] == '\t')
			n += 4 - n % 4;
		else
			break;
	}
	return n;
}

static const char *skip_ws(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* A paragraph being collected: its text and, per byte, the source line. */
struct para {
	struct sbuf t;
	int *lineof;
	size_t cap;
	int heading;
	int block_before;
	int active;
	int last_sent; /* index of the last sentence of the last paragraph, or -1 */
	int last_end;  /* its last line */
};

static void para_add(struct para *p, const char *s, size_t n, int line)
{
	size_t from = p->t.len;
	/* join with one space */
	if (p->t.len && n)
		sb_addc(&p->t, ' ');
	sb_addn(&p->t, s, n);
	if (p->t.len + 1 > p->cap) {
		p->cap = p->t.len * 2 + 16;
		p->lineof = xreallocarray(p->lineof, p->cap, sizeof *p->lineof);
	}
	for (size_t i = from; i < p->t.len; i++)
		p->lineof[i] = line;
	p->active = 1;
}

static int is_abbrev(const char *start, const char *dot)
{
	static const char *ab[] = {"e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "No", NULL};
	const char *w = dot;
	while (w > start && !isspace((unsigned char)w[-1]) && w[-1] != '(')
		w--;
	for (int i = 0; ab[i]; i++)
		if ((size_t)(dot - w) == strlen(ab[i]) && strncasecmp(w, ab[i], strlen(ab[i])) == 0)
			return 1;
	return 0;
}

/* Removes **, __ emphasis and collapses whitespace. */
static char *clean_sentence(const char *s, size_t n)
{
	struct sbuf b;
	sb_init(&b);
	int in_code = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '`')
			in_code = !in_code;
		if (!in_code && (c == '*' || c == '_') && i + 1 < n && s[i + 1] == c) {
			i++;
			continue;
		}
		if (isspace((unsigned char)c)) {
			if (b.len && b.s[b.len - 1] != ' ')
				sb_addc(&b, ' ');
			continue;
		}
		sb_addc(&b, c);
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = 0;
	return sb_take(&b);
}

static void para_flush(struct ddoc *d, struct para *p, int block_after)
{
	if (!p->active) {
		sb_free(&p->t);
		return;
	}
	const char *t = p->t.s;
	size_t n = p->t.len, start = 0;
	size_t first = d->ns;
	int in_code = 0;
	for (size_t i = 0; i <= n; i++) {
		int end = i == n;
		if (!end && t[i] == '`')
			in_code = !in_code;
		if (!end && !in_code && (t[i] == '.' || t[i] == '!' || t[i] == '?') &&
		    (i + 1 == n || isspace((unsigned char)t[i + 1])) &&
		    !(t[i] == '.' && is_abbrev(t + start, t + i)))
			end = 1, i++;
		if (!end)
			continue;
		size_t a = start;
		while (a < i && isspace((unsigned char)t[a]))
			a++;
		if (a < i) {
			struct dsent s = {0};
			s.text = clean_sentence(t + a, i - a);
			s.line = p->lineof[a];
			s.heading = p->heading;
			s.block_before = -1;
			s.block_after = -1;
			if (s.text[0])
				PUSH(d->s, d->ns, s);
			else
				free(s.text);
		}
		start = i;
		if (i >= n)
			break;
	}
	if (d->ns > first) {
		d->s[first].block_before = p->block_before;
		d->s[d->ns - 1].block_after = block_after;
		p->last_sent = (int)d->ns - 1;
		p->last_end = p->lineof[n ? n - 1 : 0];
	}
	sb_free(&p->t);
	p->active = 0;
}

/* A block starting at line `at` belongs to the paragraph that ended just before it. */
static void link_before(struct ddoc *d, struct para *p, int at)
{
	if (p->last_sent >= 0 && p->last_end >= at - 2 && d->s[p->last_sent].block_after < 0)
		d->s[p->last_sent].block_after = (int)d->nb - 1;
}

static int shell_info(const char *info)
{
	static const char *ok[] = {
	    "",    "bash",          "sh",           "shell",      "console", "terminal",
	    "zsh", "shell-session", "shellsession", "sh-session", NULL};
	for (int i = 0; ok[i]; i++)
		if (strcasecmp(info, ok[i]) == 0)
			return 1;
	return 0;
}

/* Adds the commands of a shell block's body. */
static void block_cmds(struct ddoc *d, int bi)
{
	struct dblock *b = &d->b[bi];
	int console = strcasecmp(b->info, "console") == 0 || strcasecmp(b->info, "terminal") == 0 ||
	              strncasecmp(b->info, "shell-s", 7) == 0 ||
	              strcasecmp(b->info, "sh-session") == 0;
	/* A block whose lines start with "$ " is a console transcript. */
	for (const char *p = b->body; *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (q[0] == '$' && q[1] == ' ')
			console = 1;
	}
	struct sbuf acc;
	sb_init(&acc);
	int acc_line = 0, line = b->body_line;
	for (const char *p = b->body; *p; line++) {
		const char *nl = strchr(p, '\n');
		const char *e = nl ? nl : p + strlen(p);
		const char *s = skip_ws(p, e);
		const char *next = nl ? nl + 1 : e;
		if (!acc.len) {
			int prompt = 0;
			if (e - s >= 2 && (s[0] == '$' || s[0] == '#') && s[1] == ' ') {
				if (s[0] == '$' || console)
					prompt = 1;
			}
			if (console && !prompt) {
				p = next;
				continue; /* output */
			}
			if (prompt)
				s += 2;
			s = skip_ws(s, e);
			if (s == e || *s == '#') {
				p = next;
				continue;
			}
			acc_line = line;
		}
		const char *te = e;
		while (te > s && isspace((unsigned char)te[-1]))
			te--;
		if (te > s && te[-1] == '\\') {
			sb_addn(&acc, s, (size_t)(te - 1 - s));
			sb_addc(&acc, ' ');
		} else {
			sb_addn(&acc, s, (size_t)(te - s));
			struct dcmd c = {clean_sentence(acc.s, acc.len), acc_line, bi};
			sb_free(&acc);
			if (c.text[0])
				PUSH(d->c, d->nc, c);
			else
				free(c.text);
		}
		p = next;
	}
	if (acc.len) {
		struct dcmd c = {clean_sentence(acc.s, acc.len), acc_line, bi};
		PUSH(d->c, d->nc, c);
	}
	sb_free(&acc);
}

static int is_underline(const struct line *l, int rst)
{
	const char *s = l->s, *e = l->s + l->len;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s < 3)
		return 0;
	char c = *s;
	if (!(c == '=' || c == '-' || (rst && strchr("~^\"'`#*+:.", c))))
		return 0;
	for (const char *p = s; p < e; p++)
		if (*p != c)
			return 0;
	return c == '=' ? 1 : 2;
}

static int list_item(const char *s, const char *e)
{
	if (e - s >= 2 && strchr("-*+", s[0]) && s[1] == ' ')
		return 2;
	const char *p = s;
	while (p < e && isdigit((unsigned char)*p))
		p++;
	if (p > s && p + 1 < e && (*p == '.' || *p == ')') && p[1] == ' ')
		return (int)(p + 2 - s);
	return 0;
}

void doc_parse(struct ddoc *d, const char *path, const char *text, size_t len)
{
	memset(d, 0, sizeof *d);
	d->path = xstrdup(path);
	d->kind = doc_kind_of(path);
	int md = d->kind == DOC_MARKDOWN, rst = d->kind == DOC_RST;

	struct line *L = NULL;
	size_t nl = 0;
	for (const char *p = text; p < text + len;) {
		const char *e = memchr(p, '\n', (size_t)(text + len - p));
		if (!e)
			e = text + len;
		struct line l = {p, (size_t)(e - p)};
		if (l.len && l.s[l.len - 1] == '\r')
			l.len--;
		PUSH(L, nl, l);
		p = e + 1;
	}

	struct para P = {0};
	sb_init(&P.t);
	P.block_before = -1;
	P.last_sent = -1;
	int heading = -1, last_block = -1, prev_blank = 1, rst_code_next = 0;
	char rst_info[32] = ""; /* language of the next rST code block */
	int last_block_end = -10;
	for (size_t i = 0; i < nl; i++) {
		int lineno = (int)i + 1;
		struct line *l = &L[i];
		const char *s = skip_ws(l->s, l->s + l->len), *e = l->s + l->len;
		/* fenced code block */
		if (md && indent_of(l) < 4 && e - s >= 3 &&
		    (strncmp(s, "```", 3) == 0 || strncmp(s, "~~~", 3) == 0)) {
			char fc = *s;
			size_t fl = 0;
			while (s + fl < e && s[fl] == fc)
				fl++;
			const char *info = skip_ws(s + fl, e), *ie = info;
			while (ie < e && !isspace((unsigned char)*ie) && *ie != '{')
				ie++;
			para_flush(d, &P, (int)d->nb);
			struct dblock b = {0};
			b.line = lineno;
			b.info = xstrndup(info, (size_t)(ie - info));
			b.heading = heading;
			b.body_line = lineno + 1;
			struct sbuf body;
			sb_init(&body);
			size_t j = i + 1;
			for (; j < nl; j++) {
				const char *t = skip_ws(L[j].s, L[j].s + L[j].len),
				           *te = L[j].s + L[j].len;
				size_t k = 0;
				while (t + k < te && t[k] == fc)
					k++;
				if (k >= fl && skip_ws(t + k, te) == te)
					break;
				sb_addn(&body, L[j].s, L[j].len);
				sb_addc(&body, '\n');
			}
			b.end_line = (int)(j < nl ? j + 1 : nl);
			b.body = sb_take(&body);
			b.shell = shell_info(b.info);
			PUSH(d->b, d->nb, b);
			link_before(d, &P, b.line);
			if (b.shell)
				block_cmds(d, (int)d->nb - 1);
			last_block = (int)d->nb - 1;
			last_block_end = b.end_line;
			i = j;
			prev_blank = 1;
			continue;
		}
		/* indented code block */
		if (!P.active && !blank(l) &&
		    ((prev_blank && indent_of(l) >= 4) || rst_code_next) &&
		    indent_of(l) >= (rst_code_next ? 2u : 4u)) {
			size_t ind = indent_of(l);
			struct dblock b = {0};
			b.line = b.body_line = lineno;
			b.info = xstrdup(rst_code_next ? rst_info : "");
			rst_info[0] = 0;
			b.heading = heading;
			struct sbuf body;
			sb_init(&body);
			size_t j = i;
			for (; j < nl; j++) {
				if (!blank(&L[j]) && indent_of(&L[j]) < (ind < 4 ? ind : 4))
					break;
				const char *t = skip_ws(L[j].s, L[j].s + L[j].len);
				sb_addn(&body, t, (size_t)(L[j].s + L[j].len - t));
				sb_addc(&body, '\n');
			}
			while (j > i && blank(&L[j - 1]))
				j--;
			b.end_line = (int)j;
			b.body = sb_take(&body);
			b.shell = b.info[0] == 0 || shell_info(b.info);
			PUSH(d->b, d->nb, b);
			link_before(d, &P, b.line);
			if (b.shell)
				block_cmds(d, (int)d->nb - 1);
			last_block = (int)d->nb - 1;
			last_block_end = b.end_line;
			i = j - 1;
			rst_code_next = 0;
			prev_blank = 0;
			continue;
		}
		/* reStructuredText directives: code blocks, and admonitions whose
		   text is prose */
		if (!md && e - s > 3 && strncmp(s, ".. ", 3) == 0) {
			para_flush(d, &P, -1);
			const char *dc = strstr(s, "::");
			rst_code_next = 0;
			if (dc && dc < e) {
				static const char *code[] = {"code-block", "code", "sourcecode",
				                             NULL};
				const char *nm = skip_ws(s + 3, dc);
				for (int k = 0; code[k]; k++)
					if ((size_t)(dc - nm) == strlen(code[k]) &&
					    strncmp(nm, code[k], strlen(code[k])) == 0) {
						const char *a = skip_ws(dc + 2, e), *ae = a;
						while (ae < e && !isspace((unsigned char)*ae))
							ae++;
						snprintf(rst_info, sizeof rst_info, "%.*s",
						         (int)(ae - a), a);
						rst_code_next = 1;
					}
				const char *rest = skip_ws(dc + 2, e);
				if (!rst_code_next && rest < e) {
					P.heading = heading;
					P.block_before = -1;
					para_add(&P, rest, (size_t)(e - rest), lineno);
				}
			}
			prev_blank = 0;
			continue;
		}
		if (blank(l)) {
			para_flush(d, &P, -1);
			prev_blank = 1;
			continue;
		}
		/* ATX heading */
		if (md && *s == '#') {
			int lv = 0;
			while (s + lv < e && s[lv] == '#')
				lv++;
			if (lv <= 6 && (s + lv == e || s[lv] == ' ')) {
				para_flush(d, &P, -1);
				const char *t = skip_ws(s + lv, e), *te = e;
				while (te > t && (te[-1] == '#' || isspace((unsigned char)te[-1])))
					te--;
				struct dheading h = {xstrndup(t, (size_t)(te - t)), lineno, lv};
				PUSH(d->h, d->nh, h);
				heading = (int)d->nh - 1;
				prev_blank = 1;
				continue;
			}
		}
		/* setext / rst underline heading: a single-line paragraph above */
		int ul = is_underline(l, rst || d->kind == DOC_TEXT);
		if (ul && P.active && P.lineof[0] == lineno - 1 &&
		    P.lineof[P.t.len - 1] == lineno - 1) {
			struct dheading h = {clean_sentence(P.t.s, P.t.len), lineno - 1, ul};
			sb_free(&P.t);
			P.active = 0;
			PUSH(d->h, d->nh, h);
			heading = (int)d->nh - 1;
			prev_blank = 1;
			continue;
		}
		if (ul && !P.active) {
			prev_blank = 1;
			continue; /* a rule line */
		}
		/* table rows and list items are paragraphs of their own */
		int li = list_item(s, e);
		if (*s == '|' || li)
			para_flush(d, &P, -1);
		if (*s == '|') {
			const char *t = s;
			int sep = 1;
			for (; t < e; t++)
				if (!strchr("|-: \t", *t))
					sep = 0;
			if (sep) {
				prev_blank = 0;
				continue;
			}
		}
		if (!P.active) {
			P.heading = heading;
			P.block_before =
			    (last_block >= 0 && last_block_end >= lineno - 2) ? last_block : -1;
		}
		const char *t = s + li;
		if (*t == '>')
			t = skip_ws(t + 1, e);
		/* table cells: separate with " | " so they read as one row */
		para_add(&P, t, (size_t)(e - t), lineno);
		if (*s == '|')
			para_flush(d, &P, -1);
		const char *te = e;
		while (te > s && isspace((unsigned char)te[-1]))
			te--;
		rst_code_next = !md && te - s >= 2 && te[-1] == ':' && te[-2] == ':';
		if (rst_code_next)
			para_flush(d, &P, -1);
		prev_blank = 0;
	}
	para_flush(d, &P, -1);
	free(P.lineof);
	free(L);
}

void doc_free(struct ddoc *d)
{
	for (size_t i = 0; i < d->ns; i++)
		free(d->s[i].text);
	for (size_t i = 0; i < d->nb; i++) {
		free(d->b[i].info);
		free(d->b[i].body);
	}
	for (size_t i = 0; i < d->nc; i++)
		free(d->c[i].text);
	for (size_t i = 0; i < d->nh; i++)
		free(d->h[i].text);
	free(d->s);
	free(d->b);
	free(d->c);
	free(d->h);
	free(d->path);
	memset(d, 0, sizeof *d);
}
