/* analyze_int.h - shared between analyze.c (the walker) and unwrap.c. */
#ifndef GUARD_ANALYZE_INT_H
#define GUARD_ANALYZE_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "analyze.h"
#include "parse.h"
#include "util.h"

/* Variable attributes bash keeps that change what an assignment means. */
enum {
	VAR_INT = 1 << 0,     /* declare -i: assigned values are arithmetic */
	VAR_NAMEREF = 1 << 1, /* declare -n: value is the name it refers to */
	VAR_EXPORT = 1 << 2,  /* export, declare -x, set -a */
};

struct avar {
	char *name;
	char *value;        /* NULL: unknown */
	size_t len, cap;    /* of value (appends grow it in place) */
	unsigned attr;      /* VAR_* */
	unsigned long seen; /* arith_scan: visited in this evaluation */
	unsigned long set;  /* generation of its last assignment */
	size_t read_by;     /* function index + 1 whose body logged a read */
};

/* var_assign() how */
enum {
	ASSIGN_EXPORT = 1 << 0, /* the assignment also exports the variable */
	ASSIGN_APPEND = 1 << 1, /* NAME+=value */
};

/* A function defined on the line.  Its body is analysed where it is
   defined (so no syntax tree has to outlive its command) and what it runs is
   kept here, to be replayed wherever the function is called. */
struct afunc {
	char *name;
	struct ecmd *cmd;
	size_t ncmd, cap;
	int active;
	int replayed; /* its commands are in the analysis already */
	/* variables the body read that were set before it was defined: if one
	   is set again before a call, what the body runs may differ */
	size_t *reads;
	size_t nreads, capreads;
	unsigned long def_start, def_end; /* var generations around the body */
	char *body;                       /* its source text, or NULL */
};

/* ecmd flag, internal: a plain command inside a function body, which may
   turn out to call a function defined later; resolved when replayed. */
#define CMD_CALLSITE (1u << 30)

struct aalias {
	char *name, *value;
	int line, tree;
	int hash; /* from hash -p: applies without expand_aliases */
	int active;
	size_t prev; /* older definition of the same name, or (size_t)-1 */
};

/* Where a command came from, for its ecmd. */
struct cmdsite {
	int line, col;
	const char *text;
	int node_line; /* line of the command in the text being walked */
	char **assign;
	size_t nassign;
};

/* What a command reads on stdin, when it matters (a shell reading a script). */
struct stdin_src {
	const char *text; /* the text, when known */
	const char *file; /* < FILE */
	int known;        /* text is all there is (no expansions we cannot see) */
	int partial;      /* text has expansions known only at run time */
	int piped;        /* comes from a pipe */
	int line;
};

struct fields {
	char **s;
	unsigned *fl; /* WORD_* */
	size_t n, cap;
};

struct nidx {
	size_t *slot; /* entry index + 1; 0 = empty */
	size_t cap;   /* a power of two */
};

struct actx {
	struct analysis *out;
	const struct analyze_opts *opt;
	int recursion;
	const char *origin;
	int site_line, site_col; /* nested text: report the outer command's place */
	const char *site_text;
	char *via;
	struct sbuf decoded;
	struct avar *var;
	size_t nvar, varcap;
	struct nidx varidx, funcidx, aliasidx; /* name -> newest entry */
	struct afunc *func;
	size_t nfunc, funccap;
	struct aalias *alias;
	size_t nalias, aliascap;
	int expand_aliases;
	int cwd_moved;       /* cd, pushd or popd ran earlier: relative paths are unknown */
	struct strv written; /* files the line writes (> FILE, tee FILE, cp ... FILE) */
	long cap_fi;         /* >= 0: emitted commands go to c->func[cap_fi] */
	unsigned long var_gen;
	struct strv keep;    /* strings that must outlive nested walks */
	struct strv inherit; /* assignments of the commands around a nested text */
	size_t *varlog;      /* variables set while a function body is walked */
	size_t nvarlog, varlogcap;
	int defining;  /* function bodies being walked */
	int allexport; /* set -a */
	size_t budget; /* bytes of values and expansions built so far */
	size_t nested; /* bytes of shell strings and scripts analysed so far */
	unsigned long arith_stamp;
	unsigned long gen;     /* counts variable assignments */
	int cur_line, cur_col; /* the node being walked, for limit errors */
	size_t cmdcap, tracecap;
	int tree_id, ntree_ids; /* which parsed text is being walked */
};

void actx_trace(struct actx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void actx_error(struct actx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void var_set(struct actx *c, const char *name, const char *value);
/* An assignment by the shell, in any form (NAME=v, declare, read, printf -v,
   for NAME, ...): follows namerefs, reports startup variables
   (analyze_opts.refused_var), analyses what prompt variables will expand,
   evaluates values of integer variables, BASH_ALIASES[k] / BASH_CMDS[k].
   key: the subscript of NAME[key]=..., already analysed, or NULL. value
   NULL: known only at run time. */
void var_assign(struct actx *c, const struct cmdsite *site, const char *name, const char *key,
                const char *value, unsigned how);
/* Counts n bytes of values or expansions against ANALYZE_MAX_VALUES;
   returns -1 (and sets the analysis error) past it. */
int budget_take(struct actx *c, size_t n);
/* The variable-setting builtins (export declare typeset local readonly read
   mapfile readarray getopts printf unset), and what let, test, [ and set
   do to variables: returns 1 when f->s[i] was one of the first group. */
int builtin_vars(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                 const struct stdin_src *in);
void alias_set(struct actx *c, const char *name, const char *value, int line);
void hash_set(struct actx *c, const char *name, const char *path);
const char *var_value(struct actx *c, const char *name);
void fields_push(struct fields *f, char *s, unsigned flags);
void fields_free(struct fields *f);
void expand_word(struct actx *c, const struct word *w, struct fields *out);
char *word_value(struct actx *c, const struct word *w);
void emit(struct actx *c, const struct cmdsite *site, char **argv, const unsigned *wfl, int argc,
          unsigned flags, const char *via);
/* Analyses text as a script run by the command at site; via names how
   (e.g. "bash -c"); origin is a script path or NULL for text on the line. */
void analyze_nested(struct actx *c, const struct cmdsite *site, const char *text, size_t len,
                    const char *via, const char *origin);

/* unwrap.c: peels wrappers off a simple command's fields and emits what runs. */
void unwrap(struct actx *c, const struct cmdsite *site, const struct fields *f,
            const struct stdin_src *in);

#endif
