/*
 * policy.c - reads INI policies (format: guard.ini(5)) and finds them.
 *
 * guard reads each file itself, one physical line at a time, and hands the
 * lines to inih's ini_parse_stream through its own reader.  So the handler
 * always knows the line number (Debian's inih cannot tell it), and lines inih
 * would silently split (longer than ~197 bytes) or join to the key above
 * (indented lines) are refused before inih sees them.  Every mistake becomes
 * a "file:line: message" in p->errors, all of them in one pass; a policy with
 * errors denies everything (decide.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "decide.h"
#include "match.h"
#include "policy.h"
#include "policy_cache.h"
#include "policy_int.h"
#include "policy_keys.h"

#define POLICY_MAX_LINE 190        /* bytes of one line, without its newline */
#define POLICY_MAX_FILE (1u << 20) /* bytes of one file */
#define POLICY_MAX_SECTION 49      /* inih truncates longer section names */

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof *p);
	p->def = V_ALLOW;
	p->unknown = UNKNOWN_AUTO;
}

/*
 * The strings of rules and settings live in an arena of 16 kB chunks (one
 * malloc per chunk instead of one per string: loading a 200-rule policy is on
 * the path of every check, which must cost less than starting bash).
 */
struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

/* Rules by the literal first word of their match (most are: `pm2`,
   `systemctl`), so a command meets only the rules that can match it. */
struct rslot {
	const char *word; /* NULL: empty slot */
	unsigned hash, start, n;
};

/* What p->mem points to. */
struct pmem {
	struct chunk *chunks;
	struct rslot *slot; /* open addressing, nslot a power of two */
	size_t nslot;
	size_t *lit;  /* rule indices, grouped by slot, in file order */
	size_t *glob; /* rules whose first word is a glob, in file order */
	size_t nglob;
};

static struct pmem *pmem(struct policy *p)
{
	if (!p->mem)
		p->mem = xcalloc(1, sizeof(struct pmem));
	return p->mem;
}

void *policy_amem(struct policy *p, size_t n)
{
	struct pmem *m = pmem(p);
	struct chunk *c = m->chunks;
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		c = xmalloc(sizeof *c + cap);
		c->next = m->chunks;
		c->used = 0;
		c->cap = cap;
		m->chunks = c;
	}
	void *r = (char *)c->data + c->used;
	c->used += n;
	return r;
}

char *policy_astrndup(struct policy *p, const char *s, size_t n)
{
	char *r = policy_amem(p, n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

static void *amem(struct policy *p, size_t n)
{
	return policy_amem(p, n);
}

static char *astrndup(struct policy *p, const char *s, size_t n)
{
	return policy_astrndup(p, s, n);
}

static char *astrdup(struct policy *p, const char *s)
{
	return policy_astrndup(p, s, strlen(s));
}

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nrule; i++) {
		struct rule *r = &p->rule[i];
		free(r->ex_allow.v); /* the strings are in the arena */
		free(r->ex_warn.v);
		free(r->ex_deny.v);
		free(r->ex);
	}
	free(p->rule);
	free(p->set);
	struct pmem *m = p->mem;
	if (m) {
		for (struct chunk *c = m->chunks, *next; c; c = next) {
			next = c->next;
			free(c);
		}
		free(m->slot);
		free(m->lit);
		free(m->glob);
		free(m);
	}
	sv_free(&p->files);
	sv_free(&p->errors);
	policy_init(p);
}

/* ---- the reader ------------------------------------------------------- */

struct seen {
	char *name; /* section header text, or an error message */
	unsigned hash;
	int line;
};

struct seen_key {
	const struct policy_key *pk;
	int line;
};

/* Grows an array that gains one element at a time to powers of two. */
static void *grow(void *v, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		v = xreallocarray(v, n ? 2 * n : 4, size);
	return v;
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct loader {
	struct policy *p;
	const char *file; /* owned by p->files */
	const char *text;
	size_t len, pos;
	int lineno;
	int nerr;

	/* the current section */
	char *section; /* "guard", "rule NAME"... (points to secbuf), or NULL */
	char secbuf[64];
	const char *kind;                /* table name: "guard", "rule", "ack", ... or NULL */
	const struct policy_key *kt[48]; /* the table's rows for this section */
	size_t nkt;
	int sec_ok;     /* 0: the header was refused, its keys are ignored */
	int any_header; /* a section header was seen (refused or not) */
	int has_nul;    /* the file contains a NUL byte somewhere */
	int sec_line;
	long rule; /* index in p->rule, or -1 */
	int match_line, action_set;
	struct seen_key keys[64]; /* keys of this section, for duplicates */
	size_t nkeys;
	const struct policy_key *prev_pk; /* the key of the last key line, for "+=" */

	struct seen *sections; /* headers seen in this file */
	size_t nsections;
	unsigned *slots; /* open-addressing index of sections: i + 1, or 0 */
	size_t nslots;
	struct seen *errs; /* messages of this file with their lines, sorted at the end */
	size_t nerrs;
};

static void err(struct loader *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(struct loader *l, int line, const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;
	sb_init(&b);
	sb_addf(&b, "%s:%d: ", l->file, line);
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	l->errs = grow(l->errs, l->nerrs, sizeof *l->errs);
	l->errs[l->nerrs].name = sb_take(&b);
	l->errs[l->nerrs].line = line;
	l->nerrs++;
	l->nerr++;
}

/* Moves the file's errors to p->errors in line order (stable). */
static void flush_errors(struct loader *l)
{
	for (size_t i = 1; i < l->nerrs; i++) { /* insertion sort: few errors */
		struct seen t = l->errs[i];
		size_t j = i;
		while (j > 0 && l->errs[j - 1].line > t.line) {
			l->errs[j] = l->errs[j - 1];
			j--;
		}
		l->errs[j] = t;
	}
	for (size_t i = 0; i < l->nerrs; i++)
		sv_push(&l->p->errors, l->errs[i].name);
	free(l->errs);
	l->errs = NULL;
	l->nerrs = 0;
}

static void seen_free(struct seen **v, size_t *n)
{
	free(*v); /* names are in the policy's arena */
	*v = NULL;
	*n = 0;
}

static void seen_add(struct policy *p, struct seen **v, size_t *n, const char *name, int line)
{
	*v = grow(*v, *n, sizeof **v);
	(*v)[*n].name = astrdup(p, name);
	(*v)[*n].hash = hash(name);
	(*v)[*n].line = line;
	(*n)++;
}

/* Splits a value into words at unescaped blanks, appending them to the
   NULL-terminated array *v of *n words (all in the arena). */
static void split_words(struct policy *p, const char *s, char ***v, int *n)
{
	int count = 0;
	for (const char *q = s; *q;) {
		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q)
			break;
		count++;
		while (*q && *q != ' ' && *q != '\t')
			q += (*q == '\\' && q[1]) ? 2 : 1;
	}
	char **nv = amem(p, sizeof *nv * (size_t)(*n + count + 1));
	if (*n)
		memcpy(nv, *v, sizeof *nv * (size_t)*n);
	int k = *n;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *b = s;
		while (*s && *s != ' ' && *s != '\t')
			s += (*s == '\\' && s[1]) ? 2 : 1;
		nv[k++] = astrndup(p, b, (size_t)(s - b));
	}
	nv[k] = NULL;
	*v = nv;
	*n = k;
}

/* The sections seen in a file, for "appears twice": a hash index, since a
   policy has hundreds of [rule] sections. */
static const struct seen *section_find(const struct loader *l, const char *name)
{
	if (!l->nslots)
		return NULL;
	unsigned h = hash(name);
	for (size_t i = h & (l->nslots - 1);; i = (i + 1) & (l->nslots - 1)) {
		unsigned k = l->slots[i];
		if (!k)
			return NULL;
		const struct seen *s = &l->sections[k - 1];
		if (s->hash == h && strcmp(s->name, name) == 0)
			return s;
	}
}

static void section_add(struct loader *l, const char *name)
{
	seen_add(l->p, &l->sections, &l->nsections, name, l->lineno);
	if (l->nsections * 2 > l->nslots) {
		free(l->slots);
		l->nslots = l->nslots ? l->nslots * 2 : 64;
		l->slots = xcalloc(l->nslots, sizeof *l->slots);
		for (size_t k = 0; k < l->nsections; k++) {
			size_t i = l->sections[k].hash & (l->nslots - 1);
			while (l->slots[i])
				i = (i + 1) & (l->nslots - 1);
			l->slots[i] = (unsigned)k + 1;
		}
		return;
	}
	size_t i = l->sections[l->nsections - 1].hash & (l->nslots - 1);
	while (l->slots[i])
		i = (i + 1) & (l->nslots - 1);
	l->slots[i] = (unsigned)l->nsections;
}

/* Ends the current section: a rule must have match and action. */
static void finish_section(struct loader *l)
{
	if (l->rule >= 0) {
		struct rule *r = &l->p->rule[l->rule];
		if (!l->match_line)
			err(l, r->line, "rule '%s' has no 'match'", r->name);
		if (!l->action_set)
			err(l, r->line, "rule '%s' has no 'action'", r->name);
	}
	l->section = NULL;
	l->sec_ok = 0; /* l->kind and l->kt stay: the next header may reuse them */
	l->rule = -1;
	l->match_line = 0;
	l->action_set = 0;
	l->nkeys = 0;
	l->prev_pk = NULL;
}

static int name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int section_known(const char *kind)
{
	for (const struct policy_key *k = policy_keys; k->section; k++)
		if (k->section[0] == kind[0] && strcmp(k->section, kind) == 0)
			return 1;
	return 0;
}

/* A "[...]" line: s..e is the text between the brackets. */
static void section_header(struct loader *l, const char *s, size_t n)
{
	finish_section(l);
	char text[256], kind[256];
	memcpy(text, s, n);
	text[n] = 0;
	memcpy(kind, text, n + 1);
	char *sp = strchr(kind, ' ');
	const char *name = NULL;
	if (sp) {
		*sp = 0;
		name = sp + 1;
	}
	if (n > POLICY_MAX_SECTION) {
		err(l, l->lineno, "section name longer than %d bytes", POLICY_MAX_SECTION);
	} else if (!section_known(kind)) {
		err(l, l->lineno, "unknown section [%s]", text);
	} else if (policy_section_named(kind) && !name) {
		err(l, l->lineno, "[%s] needs a name: [%s NAME]", kind, kind);
	} else if (policy_section_named(kind) && !name_ok(name)) {
		err(l, l->lineno, "bad name in [%s]: use letters, digits, '-', '_' and '.'", text);
	} else if (!policy_section_named(kind) && name) {
		err(l, l->lineno, "[%s] takes no name", kind);
	} else {
		const struct seen *prev = section_find(l, text);
		if (prev) {
			err(l, l->lineno, "section [%s] appears twice (first at line %d)", text,
			    prev->line);
		} else {
			section_add(l, text);
			l->sec_ok = 1;
			memcpy(l->secbuf, text, n + 1);
			l->section = l->secbuf;
			if (!l->kind || strcmp(l->kind, kind) != 0) {
				/* the same kind as the last header (a run of [rule]s)
				   keeps its rows */
				l->kind = NULL;
				l->nkt = 0;
				for (const struct policy_key *k = policy_keys; k->section; k++)
					if (k->section[0] == kind[0] &&
					    strcmp(k->section, kind) == 0) {
						if (!l->kind)
							l->kind = k->section;
						if (l->nkt < sizeof l->kt / sizeof l->kt[0])
							l->kt[l->nkt++] = k;
					}
			}
			l->sec_line = l->lineno;
			if (strcmp(kind, "rule") == 0) {
				policy_new_rule(l->p, name, l->file, l->lineno);
				l->rule = (long)l->p->nrule - 1;
			}
		}
	}
}

/*
 * The ini_reader: returns the next physical line, or a blank line in place of
 * one that was refused (so inih's line count stays equal to ours).
 */
static char *reader(char *str, int num, void *stream)
{
	struct loader *l = stream;
	if (l->pos >= l->len)
		return NULL;
	const char *s = l->text + l->pos;
	const char *nl = memchr(s, '\n', l->len - l->pos);
	size_t n = nl ? (size_t)(nl - s) : l->len - l->pos;
	l->pos += n + (nl ? 1 : 0);
	l->lineno++;
	const char *bad = NULL;
	size_t cn = n;
	if (cn && s[cn - 1] == '\r')
		cn--;
	size_t i = 0;
	while (i < cn && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (l->has_nul && memchr(s, 0, n)) {
		bad = "NUL byte in the line";
	} else if (n > POLICY_MAX_LINE) {
		err(l, l->lineno,
		    "line is longer than %d bytes (%zu); continue a value on the next "
		    "line with 'key += text'",
		    POLICY_MAX_LINE, n);
		bad = "";
	} else if (i == cn || s[i] == ';' || s[i] == '#') {
		/* blank or comment */
	} else if (i > 0) {
		bad = "line starts with blanks (inih would join it to the key above); continue a "
		      "value with 'key += text'";
	} else if (s[0] == '[') {
		l->any_header = 1;
		const char *e = memchr(s, ']', cn);
		const char *t = e ? e + 1 : NULL;
		while (t && t < s + cn && (*t == ' ' || *t == '\t'))
			t++;
		if (!e || (t < s + cn && *t != ';' && *t != '#')) {
			finish_section(l);
			bad = "a section header is '[name]' alone on its line";
		} else {
			section_header(l, s + 1, (size_t)(e - s - 1));
		}
	} else {
		const char *eq = memchr(s, '=', cn), *colon = memchr(s, ':', cn);
		if (colon && (!eq || colon < eq))
			bad = "':' in a key (inih splits 'key: value' at ':'); write 'key = value'";
		else if (!eq)
			bad = "expected 'key = value', '[section]' or a comment";
	}
	if (bad) {
		if (*bad)
			err(l, l->lineno, "%s", bad);
		if (num < 2)
			return NULL;
		str[0] = '\n';
		str[1] = 0;
		return str;
	}
	if (n + 2 > (size_t)num) { /* cannot happen: num is inih's 200 */
		err(l, l->lineno, "line too long for the INI reader");
		str[0] = '\n';
		str[1] = 0;
		return str;
	}
	memcpy(str, s, n);
	str[n] = '\n';
	str[n + 1] = 0;
	return str;
}

/* ---- values ------------------------------------------------------------ */

static int edit_distance_le2(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40 || (la > lb ? la - lb : lb - la) > 2)
		return 0;
	unsigned d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	return d[la][lb] <= 2;
}

static const char *suggest(const char *kind, const char *key)
{
	for (const struct policy_key *k = policy_keys; k->section; k++)
		if (strcmp(k->section, kind) == 0 && edit_distance_le2(k->key, key))
			return k->key;
	return NULL;
}

/* NULL when value suits the type, else what was expected. */
static const char *check_value(enum key_type t, const char *v)
{
	const char *why = NULL;
	enum verdict vd;
	switch (t) {
	case KT_STRING:
		return NULL;
	case KT_VERDICT:
		return verdict_parse(v, &vd) == 0 ? NULL : "allow, warn or deny";
	case KT_UNKNOWN:
		return verdict_parse(v, &vd) == 0 || strcmp(v, "auto") == 0
		           ? NULL
		           : "allow, warn, deny or auto";
	case KT_BOOL: {
		static const char *const b[] = {"yes", "no",  "true", "false",
		                                "on",  "off", "1",    "0"};
		for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
			if (strcmp(v, b[i]) == 0)
				return NULL;
		return "yes or no";
	}
	case KT_INT: {
		size_t n = strspn(v, "0123456789");
		return n && !v[n] && n <= 9 ? NULL : "a number";
	}
	case KT_DURATION: {
		size_t n = strspn(v, "0123456789");
		if (n && n <= 9 && !v[n] && strspn(v, "0") == n)
			return NULL; /* 0: never */
		if (n && n <= 9 && v[n] && strchr("smhd", v[n]) && !v[n + 1])
			return NULL;
		return "a duration such as 90s, 30m, 12h or 30d (0 = never)";
	}
	case KT_PATH:
		return v[0] == '/' && !strpbrk(v, " \t") ? NULL : "an absolute path";
	case KT_HEX: {
		size_t n = strspn(v, "0123456789abcdef");
		return n >= 4 && n <= 64 && !v[n] ? NULL : "a hexadecimal object id";
	}
	case KT_GLOBS: {
		/* each blank-separated word must be a well-formed glob */
		char w[POLICY_MAX_LINE + 1];
		size_t n = strlen(v);
		if (n > POLICY_MAX_LINE)
			return "shorter glob words";
		memcpy(w, v, n + 1);
		for (char *q = w; *q; q++)
			if (*q == '\\' && q[1])
				q++;
			else if (*q == ' ' || *q == '\t')
				*q = 0;
		for (size_t i = 0; i < n && !why; i += strlen(w + i) + 1)
			if (w[i] && match_glob_check(w + i, &why) < 0)
				why = strcmp(why, "a trailing backslash") == 0
				          ? "glob words without a trailing backslash"
				          : "glob words with every '[' closed";
		return why;
	}
	case KT_LIST:
		return NULL;
	}
	return "a valid value";
}

static struct setting *setting_last(struct policy *p, const char *section, const char *key)
{
	for (size_t i = p->nset; i-- > 0;)
		if (strcmp(p->set[i].section, section) == 0 && strcmp(p->set[i].key, key) == 0)
			return &p->set[i];
	return NULL;
}

static int unknown_rank(int u)
{
	return u == UNKNOWN_AUTO ? 2 : u == V_DENY ? 3 : u;
}

/* The stored value a "+=" line continues, or NULL. */
static char **value_slot(struct loader *l, const char *key)
{
	if (l->rule >= 0) {
		struct rule *r = &l->p->rule[l->rule];
		if (strcmp(key, "reason") == 0)
			return &r->reason;
		if (strcmp(key, "instead") == 0)
			return &r->instead;
		if (strcmp(key, "see") == 0)
			return &r->see;
		if (strcmp(key, "confirm") == 0)
			return &r->confirm;
		if (strcmp(key, "ack") == 0)
			return &r->ack;
		if (strncmp(key, "example.", 8) == 0 && r->nex)
			return &r->ex[r->nex - 1].text;
		return NULL; /* match is continued in rule_match_raw */
	}
	struct setting *s = setting_last(l->p, l->section, key);
	return s ? &s->value : NULL;
}

static struct strv *ex_list(struct rule *r, enum verdict v)
{
	return v == V_ALLOW ? &r->ex_allow : v == V_WARN ? &r->ex_warn : &r->ex_deny;
}

static void store_rule_key(struct loader *l, const char *key, const char *value)
{
	struct rule *r = &l->p->rule[l->rule];
	if (strcmp(key, "match") == 0) {
		split_words(l->p, value, &r->match, &r->nmatch);
		l->match_line = l->lineno;
	} else if (strcmp(key, "action") == 0) {
		verdict_parse(value, &r->action);
		l->action_set = 1;
	} else if (strncmp(key, "example.", 8) == 0) {
		enum verdict v;
		verdict_parse(key + 8, &v);
		policy_add_example(l->p, r, astrdup(l->p, value), v, l->lineno);
	} else {
		char **slot = value_slot(l, key);
		if (slot)
			*slot = astrdup(l->p, value);
	}
}

void policy_add_setting(struct policy *p, const char *section, const char *key, const char *value,
                        const char *file, int line)
{
	if (strcmp(section, "guard") == 0) {
		/* the outermost scope's first value replaces the built-in default;
		   any later one (an inner file) can only make it stricter */
		int first = p->scope == 0 && setting_last(p, "guard", key) == NULL;
		if (strcmp(key, "default") == 0) {
			enum verdict v;
			verdict_parse(value, &v);
			p->def = first ? v : verdict_max(p->def, v);
		} else if (strcmp(key, "unknown") == 0) {
			enum verdict v;
			int u = verdict_parse(value, &v) == 0 ? (int)v : UNKNOWN_AUTO;
			if (first || unknown_rank(u) > unknown_rank(p->unknown))
				p->unknown = u;
		} else if (strcmp(key, "shell") == 0 && p->scope == 0) {
			/* an inner file cannot choose what runs approved lines */
			p->shell = astrdup(p, value);
		}
	}
	p->set = grow(p->set, p->nset, sizeof *p->set);
	struct setting *s = &p->set[p->nset++];
	s->section = astrdup(p, section);
	s->key = astrdup(p, key);
	s->value = astrdup(p, value);
	s->file = file;
	s->line = line;
	s->scope = p->scope;
}

static void store_setting(struct loader *l, const char *key, const char *value)
{
	policy_add_setting(l->p, l->section, key, value, l->file, l->lineno);
}

struct rule *policy_new_rule(struct policy *p, const char *name, const char *file, int line)
{
	p->rule = grow(p->rule, p->nrule, sizeof *p->rule);
	struct rule *r = &p->rule[p->nrule++];
	memset(r, 0, sizeof *r);
	r->name = astrdup(p, name);
	r->action = V_DENY;
	r->scope = p->scope;
	r->file = file;
	r->line = line;
	return r;
}

void policy_add_example(struct policy *p, struct rule *r, char *text, enum verdict want, int line)
{
	(void)p;
	r->ex = grow(r->ex, r->nex, sizeof *r->ex);
	r->ex[r->nex].text = text;
	r->ex[r->nex].want = want;
	r->ex[r->nex].line = line;
	sv_push(ex_list(r, want), text); /* the same string */
	r->nex++;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *l = user;
	(void)section; /* ours is l->section: refused headers never reach inih */
	if (!l->sec_ok) {
		if (!l->any_header)
			err(l, l->lineno,
			    "'%s' is outside a section; put it under [guard] or "
			    "[rule NAME]",
			    name);
		return 1; /* else under a refused header, already reported */
	}
	char key[64];
	size_t kn = strlen(name);
	int append = 0;
	if (kn && name[kn - 1] == '+') {
		append = 1;
		kn--;
		while (kn && (name[kn - 1] == ' ' || name[kn - 1] == '\t'))
			kn--;
	}
	if (kn >= sizeof key || kn == 0) {
		err(l, l->lineno, "bad key '%s'", name);
		return 1;
	}
	memcpy(key, name, kn);
	key[kn] = 0;
	const struct policy_key *pk = NULL;
	for (size_t i = 0; i < l->nkt && !pk; i++)
		if (l->kt[i]->key[0] == key[0] && strcmp(l->kt[i]->key, key) == 0)
			pk = l->kt[i];
	if (!pk) {
		const char *s = suggest(l->kind, key);
		if (s)
			err(l, l->lineno, "unknown key '%s' in [%s] (did you mean '%s'?)", key,
			    l->section, s);
		else
			err(l, l->lineno, "unknown key '%s' in [%s]", key, l->section);
		return 1;
	}
	if (!*value) {
		err(l, l->lineno, "'%s' has no value", key);
		return 1;
	}
	if (append) {
		char **slot;
		if (l->prev_pk != pk) {
			err(l, l->lineno, "'%s +=' must follow a line that sets '%s'", key, key);
		} else if (pk->type != KT_STRING && pk->type != KT_LIST && pk->type != KT_GLOBS) {
			err(l, l->lineno, "'%s' is not text and cannot be continued with '+='",
			    key);
		} else if (pk->type == KT_GLOBS) {
			const char *why = check_value(pk->type, value);
			if (why) {
				err(l, l->lineno, "bad value for '%s': '%s' (expected %s)", key,
				    value, why);
			} else if (l->rule >= 0) {
				struct rule *r = &l->p->rule[l->rule];
				split_words(l->p, value, &r->match, &r->nmatch);
			}
		} else if ((slot = value_slot(l, key)) && *slot) {
			size_t a = strlen(*slot), v = strlen(value);
			char *n = amem(l->p, a + v + 2);
			memcpy(n, *slot, a);
			n[a] = ' ';
			memcpy(n + a + 1, value, v + 1);
			*slot = n;
			if (l->rule >= 0 && strncmp(key, "example.", 8) == 0) {
				struct rule *r = &l->p->rule[l->rule];
				struct strv *ev = ex_list(r, r->ex[r->nex - 1].want);
				ev->v[ev->n - 1] = n;
			}
		}
		return 1;
	}
	const char *why = check_value(pk->type, value);
	if (why) {
		err(l, l->lineno, "bad value for '%s': '%s' (expected %s)", key, value, why);
		l->prev_pk = NULL;
		if (strcmp(key, "match") == 0) /* no second error for a missing key */
			l->match_line = l->lineno;
		else if (strcmp(key, "action") == 0)
			l->action_set = 1;
		return 1;
	}
	if (!pk->repeat) {
		for (size_t i = 0; i < l->nkeys; i++)
			if (l->keys[i].pk == pk) {
				err(l, l->lineno, "duplicate key '%s' (first at line %d)", key,
				    l->keys[i].line);
				l->prev_pk = NULL;
				return 1;
			}
		if (l->nkeys < sizeof l->keys / sizeof l->keys[0]) {
			l->keys[l->nkeys].pk = pk;
			l->keys[l->nkeys].line = l->lineno;
			l->nkeys++;
		}
	}
	l->prev_pk = pk;
	if (l->rule >= 0)
		store_rule_key(l, key, value);
	else
		store_setting(l, key, value);
	return 1;
}

static unsigned hash(const char *s);

static struct rslot *slot_of(const struct pmem *m, const char *word, unsigned h)
{
	for (size_t i = h & (m->nslot - 1);; i = (i + 1) & (m->nslot - 1))
		if (!m->slot[i].word ||
		    (m->slot[i].hash == h && strcmp(m->slot[i].word, word) == 0))
			return &m->slot[i];
}

/* (Re)builds the index of rules by first word after a file is loaded. */
void policy_reindex(struct policy *p)
{
	struct pmem *m = pmem(p);
	free(m->slot);
	free(m->lit);
	free(m->glob);
	m->nslot = 16;
	while (m->nslot < 2 * p->nrule + 2)
		m->nslot *= 2;
	m->slot = xcalloc(m->nslot, sizeof *m->slot);
	m->lit = xcalloc(p->nrule + 1, sizeof *m->lit);
	m->glob = xcalloc(p->nrule + 1, sizeof *m->glob);
	m->nglob = 0;
	for (size_t i = 0; i < p->nrule; i++) { /* count per word */
		const struct rule *r = &p->rule[i];
		if (r->nmatch == 0)
			continue;
		if (!match_is_literal(r->match[0])) {
			m->glob[m->nglob++] = i;
			continue;
		}
		unsigned h = hash(r->match[0]);
		struct rslot *s = slot_of(m, r->match[0], h);
		s->word = r->match[0];
		s->hash = h;
		s->n++;
	}
	unsigned start = 0;
	for (size_t i = 0; i < m->nslot; i++) {
		m->slot[i].start = start;
		start += m->slot[i].n;
		m->slot[i].n = 0;
	}
	for (size_t i = 0; i < p->nrule; i++) { /* fill, in file order */
		const struct rule *r = &p->rule[i];
		if (r->nmatch == 0 || !match_is_literal(r->match[0]))
			continue;
		struct rslot *s = slot_of(m, r->match[0], hash(r->match[0]));
		m->lit[s->start + s->n++] = i;
	}
}

void policy_rules_for(const struct policy *p, const char *name, const size_t **lit, size_t *nlit,
                      const size_t **glob, size_t *nglob)
{
	const struct pmem *m = p->mem;
	*nlit = *nglob = 0;
	*lit = *glob = NULL;
	if (!m || !m->slot)
		return;
	const struct rslot *s = slot_of(m, name, hash(name));
	if (s->word) {
		*lit = m->lit + s->start;
		*nlit = s->n;
	}
	*glob = m->glob;
	*nglob = m->nglob;
}

static int ack_given(const struct policy *p, const struct rule *r, void *ctx)
{
	(void)p;
	(void)r;
	(void)ctx;
	return 1;
}

/* Decides an example's line as the policy p would, from its text alone. */
static void decide_example(const struct policy *p, const struct example *e, struct decision *d)
{
	struct decide_opts o = {0};
	o.ack_ok = ack_given; /* examples describe rules; acks are per user */
	o.read_scripts = -1;  /* nothing from the disk: the same verdict anywhere */
	decide_line(p, e->text, strlen(e->text), &o, d);
}

/* "FILE:LINE: example.deny 'pm2 ls' is allowed by the policy (rule x)" */
static char *example_message(const struct rule *r, const struct example *e,
                             const struct decision *d, const char *by)
{
	static const char *const verb[] = {"allowed", "warned about", "denied"};
	struct sbuf b;
	sb_init(&b);
	sb_addf(&b, "%s:%d: example.%s '%s' is %s by %s", r->file, e->line, verdict_name(e->want),
	        e->text, verb[d->v], by);
	const struct cmd_verdict *cv = d->deciding;
	for (size_t c = 0; !cv && c < d->ncv; c++)
		if (d->cv[c].v == d->v)
			cv = &d->cv[c];
	if (d->error)
		sb_addf(&b, " (%s)", d->error);
	else if (cv && cv->rule && cv->why == WHY_RULE)
		sb_addf(&b, " (rule %s, %s:%d)", cv->rule->name, cv->rule->file, cv->rule->line);
	else if (cv && cv->why == WHY_DEFAULT)
		sb_addf(&b, " (no rule matches; [guard] default)");
	else if (cv && cv->why == WHY_UNKNOWN)
		sb_addf(&b, " (unknown command; [guard] unknown)");
	else if (cv && cv->why == WHY_ACK)
		sb_addf(&b, " (rule %s needs an acknowledgement)", cv->rule ? cv->rule->name : "?");
	else if (cv && cv->why == WHY_ENV)
		sb_addf(&b, " (assignment to %s)", cv->note);
	else if (!cv)
		sb_addf(&b, " (no command)");
	return sb_take(&b);
}

/*
 * The examples of the file just parsed (rules from nrule0, settings from
 * nset0), decided against that file alone: a view of p holding only its
 * rules and settings, so the result is a property of the file (and can be
 * kept with its compiled form).  Each failure is an error of the file.
 */
static int check_file_examples(struct policy *p, size_t nrule0, size_t nset0)
{
	size_t nex = 0;
	for (size_t i = nrule0; i < p->nrule; i++)
		nex += p->rule[i].nex;
	if (!nex)
		return 0;
	struct policy v;
	policy_init(&v);
	v.rule = p->rule + nrule0;
	v.nrule = p->nrule - nrule0;
	v.set = p->set ? p->set + nset0 : NULL; /* no arithmetic on NULL */
	v.nset = p->nset - nset0;
	for (size_t i = 0; i < v.nset; i++) {
		const struct setting *st = &v.set[i];
		enum verdict vd;
		if (strcmp(st->section, "guard") != 0)
			continue;
		if (strcmp(st->key, "default") == 0 && verdict_parse(st->value, &vd) == 0)
			v.def = vd;
		else if (strcmp(st->key, "unknown") == 0)
			v.unknown = verdict_parse(st->value, &vd) == 0 ? (int)vd : UNKNOWN_AUTO;
	}
	policy_reindex(&v);
	int n = 0;
	for (size_t i = 0; i < v.nrule; i++) {
		const struct rule *r = &v.rule[i];
		for (size_t k = 0; k < r->nex; k++) {
			struct decision d;
			decide_example(&v, &r->ex[k], &d);
			if (d.v != r->ex[k].want) {
				sv_push(&p->errors,
				        example_message(r, &r->ex[k], &d, "the policy"));
				n++;
			}
			decision_free(&d);
		}
	}
	struct pmem *m = v.mem; /* the index only: rules and strings are p's */
	free(m->slot);
	free(m->lit);
	free(m->glob);
	free(m);
	return n;
}

static int load_text(struct policy *p, const char *name, const char *text, size_t len)
{
	size_t nrule0 = p->nrule, nset0 = p->nset;
	struct loader l;
	memset(&l, 0, sizeof l);
	l.p = p;
	sv_push(&p->files, xstrdup(name));
	l.file = p->files.v[p->files.n - 1];
	l.text = text;
	l.len = len;
	l.has_nul = memchr(text, 0, len) != NULL;
	l.rule = -1;
	int r = ini_parse_stream(reader, &l, handler, &l);
	finish_section(&l);
	if (r > 0 && l.nerr == 0)
		err(&l, r, "syntax error");
	else if (r < 0 && l.nerr == 0)
		err(&l, 0, "cannot parse (error %d)", r);
	seen_free(&l.sections, &l.nsections);
	free(l.slots);
	flush_errors(&l);
	if (l.nerr == 0)
		l.nerr = check_file_examples(p, nrule0, nset0);
	policy_reindex(p);
	return l.nerr;
}

int policy_load_string(struct policy *p, const char *name, const char *text, size_t len)
{
	return load_text(p, name, text, len);
}

/*
 * Refuses a policy that someone other than its owner and root could change,
 * as OpenSSH's safe_path does for authorized_keys: the file must be a
 * regular file not writable by group or others, and every directory from
 * its real location (symbolic links resolved) up to / must belong to root,
 * to the file's owner or to the user running guard (who can replace what is
 * in their own directories anyway: what one's own policy may say is the
 * business of the merge, which lets an inner file only tighten), and not be
 * writable by group or others unless it is sticky (/tmp: others cannot
 * rename what they do not own there).  st is the opened file's; the path
 * must still name it.  Returns NULL when safe, else why (allocated), as
 * "it ..." or "directory D ...".
 */
static char *unsafe(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return xstrdup("it is not a regular file");
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return xstrdup("it is writable by group or others (chmod go-w)");
	char real[PATH_MAX];
	struct stat rs;
	if (!realpath(path, real))
		return xasprintf("cannot resolve its path: %s", strerror(errno));
	if (stat(real, &rs) < 0 || rs.st_dev != st->st_dev || rs.st_ino != st->st_ino)
		return xstrdup("it was replaced while it was read");
	for (;;) {
		char *slash = strrchr(real, '/');
		if (!slash || (slash == real && real[1] == 0))
			return NULL;
		if (slash == real)
			real[1] = 0;
		else
			*slash = 0;
		struct stat ds;
		if (stat(real, &ds) < 0)
			return xasprintf("directory %s cannot be examined: %s", real,
			                 strerror(errno));
		if (ds.st_uid != 0 && ds.st_uid != st->st_uid && ds.st_uid != geteuid())
			return xasprintf("directory %s belongs to uid %lu, not to root, the "
			                 "policy's owner or this user",
			                 real, (unsigned long)ds.st_uid);
		if ((ds.st_mode & (S_IWGRP | S_IWOTH)) && !(ds.st_mode & S_ISVTX))
			return xasprintf(
			    "directory %s is writable by group or others (chmod go-w %s)", real,
			    real);
	}
}

int policy_load_file(struct policy *p, const char *path)
{
	int r = -1, nerr = 0;
	char *text = NULL;
	struct sbuf b;
	sb_init(&b);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	char *why;
	if (fd < 0 || fstat(fd, &st) < 0) {
		sv_push(&p->errors,
		        xasprintf("%s: cannot read the policy: %s", path, strerror(errno)));
		sv_push(&p->files, xstrdup(path));
		nerr = 1;
		goto out;
	}
	if ((why = unsafe(path, &st)) != NULL) {
		sv_push(&p->errors, xasprintf("%s: refusing the policy: %s", path, why));
		sv_push(&p->files, xstrdup(path));
		free(why);
		nerr = 1;
		goto out;
	}
	char buf[8192];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sv_push(&p->errors,
			        xasprintf("%s: cannot read the policy: %s", path, strerror(errno)));
			sv_push(&p->files, xstrdup(path));
			nerr = 1;
			goto out;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > POLICY_MAX_FILE) {
			sv_push(&p->errors, xasprintf("%s: the policy is larger than %u bytes",
			                              path, POLICY_MAX_FILE));
			sv_push(&p->files, xstrdup(path));
			nerr = 1;
			goto out;
		}
		sb_addn(&b, buf, (size_t)n);
	}
	size_t len = b.len;
	text = sb_take(&b);
	if (policy_cache_load(p, path, &st, text, len) == 0) {
		nerr = 0; /* the compiled form of this very text */
		goto out;
	}
	size_t nrule0 = p->nrule, nset0 = p->nset, nerr0 = p->errors.n;
	nerr = load_text(p, path, text, len);
	if (nerr == 0 && p->errors.n == nerr0)
		policy_cache_save(p, path, &st, text, len, nrule0, nset0);
	r = 0;
out:
	(void)r;
	if (fd >= 0)
		close(fd);
	free(text);
	sb_free(&b);
	return nerr;
}

/* Loads path as the next scope of a merged policy. */
static int load_scope(struct policy *p, const char *path)
{
	p->scope = p->nscope++;
	int n = policy_load_file(p, path);
	p->scope = 0;
	return n;
}

int policy_find_and_load(struct policy *p, const char *explicit_path, const char *cwd)
{
	if (explicit_path)
		return load_scope(p, explicit_path);
	char buf[PATH_MAX];
	if (!cwd)
		cwd = getcwd(buf, sizeof buf);
	int nerr = 0;
	struct stat st;
	/* Every .guard/policy.ini from cwd up to /, not only the nearest: a
	   directory below a repository's policy that someone can write (a
	   checkout's tmp/, an agent's scratch directory) must not be able to
	   replace it with its own.  Not only up to the git top level either:
	   `git init` in a subdirectory would cut the repository's policy off. */
	struct strv found = {0};
	if (cwd) {
		char *dir = xstrdup(cwd);
		for (;;) {
			char *f = xasprintf("%s%s.guard/policy.ini", dir,
			                    dir[strlen(dir) - 1] == '/' ? "" : "/");
			if (stat(f, &st) == 0)
				sv_push(&found, f);
			else
				free(f);
			char *slash = strrchr(dir, '/');
			if (!slash || strcmp(dir, "/") == 0)
				break;
			if (slash == dir)
				dir[1] = 0;
			else
				*slash = 0;
		}
		free(dir);
	}
	/* outermost first: the host's, then / ... cwd; each later file can only
	   tighten what is loaded before it */
	const char *host = GUARD_SYSCONFDIR "/guard/policy.ini";
	int have_host = stat(host, &st) == 0;
	if (have_host)
		nerr += load_scope(p, host);
	for (size_t i = found.n; i-- > 0;)
		nerr += load_scope(p, found.v[i]);
	if (!have_host && !found.n) {
		sv_push(&p->errors,
		        xasprintf("no policy found: looked for .guard/policy.ini in %s and its "
		                  "parent directories, and for %s (give one with --policy FILE)",
		                  cwd ? cwd : "the working directory", host));
		nerr++;
	}
	sv_free(&found);
	return nerr;
}

/* How a key merges over several files (policy.h, policy_get). */
enum merge {
	M_LAST,     /* the last value loaded (per-file sections, cosmetic [shell] keys:
	               the innermost file that sets them) */
	M_OUTER,    /* only the outermost file's value counts */
	M_STRICT,   /* a verdict: an inner file may only make it stricter */
	M_MORE_LOG, /* a yes/no of [log]: an inner file may only turn logging on */
	M_SHORTEST, /* a duration: an inner file may only shorten it (0 = never) */
};

static const struct {
	const char *section, *key;
	enum merge m;
	const char *dflt; /* the built-in default, for M_STRICT and M_MORE_LOG */
} merges[] = {
    {"guard", "shell", M_OUTER, NULL},          {"hooks", "codex_warn", M_STRICT, "deny"},
    {"hooks", "gemini_warn", M_STRICT, "deny"}, {"log", "file", M_MORE_LOG, "yes"},
    {"log", "syslog", M_MORE_LOG, "no"},        {"log", "allow", M_MORE_LOG, "yes"},
    {"shell", "idle_timeout", M_SHORTEST, "0"},
};

static int yes(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
	       strcmp(v, "1") == 0;
}

/* Seconds, 0 for never (values were checked at load). */
static long duration(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	long mul = *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 1;
	return n > 0 ? n * mul : 0;
}

const char *policy_get(const struct policy *p, const char *section, const char *key)
{
	enum merge m = M_LAST;
	const char *dflt = NULL;
	for (size_t i = 0; i < sizeof merges / sizeof merges[0]; i++)
		if (strcmp(merges[i].key, key) == 0 && strcmp(merges[i].section, section) == 0) {
			m = merges[i].m;
			dflt = merges[i].dflt;
		}
	if (m == M_LAST || p->nscope < 2) {
		for (size_t i = p->nset; i-- > 0;)
			if (strcmp(p->set[i].section, section) == 0 &&
			    strcmp(p->set[i].key, key) == 0)
				return p->set[i].value;
		return NULL;
	}
	const char *cur = NULL; /* NULL: the default */
	for (size_t i = 0; i < p->nset; i++) {
		const struct setting *s = &p->set[i];
		if (strcmp(s->section, section) != 0 || strcmp(s->key, key) != 0)
			continue;
		const char *now = cur ? cur : dflt;
		enum verdict a, b;
		if (s->scope == 0)
			cur = s->value;
		else if (m == M_STRICT && now && verdict_parse(s->value, &a) == 0 &&
		         verdict_parse(now, &b) == 0 && a > b)
			cur = s->value;
		else if (m == M_MORE_LOG && yes(s->value))
			cur = s->value;
		else if (m == M_SHORTEST && duration(s->value) > 0 &&
		         (!now || duration(now) == 0 || duration(s->value) < duration(now)))
			cur = s->value;
	}
	return cur;
}

int policy_merged_examples(const struct policy *p, struct strv *notes)
{
	if (p->errors.n || p->nscope < 2)
		return 0;
	int n = 0;
	for (size_t i = 0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		for (size_t k = 0; k < r->nex; k++) {
			struct decision d;
			decide_example(p, &r->ex[k], &d);
			if (d.v != r->ex[k].want) {
				sv_push(notes,
				        example_message(r, &r->ex[k], &d, "the merged policy"));
				n++;
			}
			decision_free(&d);
		}
	}
	return n;
}
