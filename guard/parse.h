/*
 * parse.h - a parser for the language of GNU bash, producing a syntax tree.
 *
 * It recognises; it does not interpret: words keep their parts (literal
 * text, simple parameter references, other expansions) so the analyser can
 * decide what is known before run time.  Command substitutions, process
 * substitutions, backquotes and unquoted here-doc bodies are parsed into
 * subtrees attached to the word they appear in.
 *
 * The lexer is a character loop over an explicit state (the quoting context
 * and a nesting stack of open constructs, by recursion with a depth limit);
 * there are no gotos.
 */
#ifndef GUARD_PARSE_H
#define GUARD_PARSE_H

#include <stddef.h>

struct arena;

enum part_kind {
	P_LIT,   /* literal text, quotes removed */
	P_PARAM, /* $name, ${name} (value may be known from an assignment) */
	P_DYN,   /* any other expansion: ${...}, $(...), `...`, $((...)), <(...) */
};

struct wpart {
	enum part_kind kind;
	int quoted;       /* inside quotes: no field splitting, no globbing */
	char *s;          /* P_LIT: text; P_PARAM: the name; P_DYN: source text */
	struct node *cmd; /* P_DYN of $(...), `...`, <(...): the commands */
	int procsub;      /* <(...) or >(...) */
};

enum {
	W_GLOB = 1 << 0,    /* unquoted * ? or [...] */
	W_QUOTED = 1 << 1,  /* some part was quoted (reserved words lose meaning) */
	W_ASSIGN = 1 << 2,  /* NAME=value / NAME+=value / NAME[i]=value */
	W_PROCSUB = 1 << 3, /* the word is <(...) or >(...) */
	W_KWCAND = 1 << 4,  /* unquoted plain text that may be a reserved word */
	W_BRACE = 1 << 5,   /* '{' then ',' or '..' then '}': maybe a brace expansion */
};

struct node;

struct word {
	struct wpart *part;
	size_t npart;
	unsigned flags;
	char *src;         /* source text of the word */
	struct node **sub; /* substitutions that run when the word expands */
	size_t nsub;
	int line, col;
};

enum redir_kind {
	R_IN,      /* <  */
	R_OUT,     /* > >| */
	R_APPEND,  /* >> */
	R_INOUT,   /* <> */
	R_DUPIN,   /* <& */
	R_DUPOUT,  /* >& */
	R_ALL,     /* &> &>> */
	R_HEREDOC, /* << <<- */
	R_HERESTR, /* <<< */
};

struct redir {
	enum redir_kind kind;
	int fd;                 /* explicit IO number, or -1 (-2: {varname}) */
	char *varname;          /* {varname}>file: the variable assigned the fd */
	struct word *target;    /* file, fd, here-string, or here-doc delimiter */
	char *body;             /* here-doc body (text as written) */
	int body_quoted;        /* delimiter was quoted: body is literal */
	int strip_tabs;         /* <<- */
	struct word *body_word; /* unquoted body parsed for expansions */
	int body_line;          /* line where the body starts */
};

enum node_kind {
	N_SIMPLE,   /* words, assignments, redirections */
	N_PIPE,     /* kid[0] | kid[1] | ... (flag: |& per element ignored) */
	N_ANDOR,    /* kid[0] op[0] kid[1] op[1] ... (op: 0 &&, 1 ||), flat */
	N_LIST,     /* kid[...] separated by ; & newline */
	N_NOT,      /* ! kid[0] (any number of `!`), or bare `!` (no kid) */
	N_SUBSHELL, /* ( kid[0] ) */
	N_GROUP,    /* { kid[0] ; } */
	N_IF,       /* kid: cond, then, [cond, then]..., [else] (nkid odd = has else) */
	N_WHILE,    /* kid[0] cond, kid[1] body */
	N_UNTIL,
	N_FOR,       /* name; w = words (NULL list = "$@"); kid[0] body */
	N_ARITH_FOR, /* w[0..2] expressions; kid[0] body */
	N_SELECT,    /* like N_FOR */
	N_CASE,      /* w[0] subject; arms: arm_pat[i] words, kid[i] body */
	N_ARITH,     /* (( w[0] )) */
	N_COND,      /* [[ w... ]] */
	N_FUNC,      /* name; kid[0] body */
	N_COPROC,    /* name (may be NULL); kid[0] command */
	N_TIME,      /* time [-p] kid[0] (any number of `time`), or bare (no kid) */
};

struct case_arm {
	struct word **pat;
	size_t npat;
};

struct node {
	enum node_kind kind;
	int line, col;
	size_t start, end; /* byte offsets in the parsed text */
	struct node **kid;
	size_t nkid;
	struct word **w; /* N_SIMPLE: all words in order (assignments flagged) */
	size_t nw;
	struct redir **r;
	size_t nr;
	char *name;           /* N_FOR/N_SELECT variable, N_FUNC/N_COPROC name */
	struct case_arm *arm; /* N_CASE, nkid of them */
	unsigned char *bg;    /* N_LIST: per kid, 1 if followed by & */
	unsigned char *op;    /* N_ANDOR: nkid - 1 operators, 0 && or 1 || */
	char *src;            /* N_SIMPLE: its source text; N_FUNC: its body's */
};

struct parse_result {
	struct node *root; /* NULL when empty input */
	char *error;       /* syntax error or limit, or NULL */
	int err_line, err_col;
	int incomplete;      /* the input ended inside a construct (open quote,
	                        if without fi, trailing |, here-doc without its
	                        delimiter): more input could complete it */
	char *decoded;       /* every word's value, quotes removed, joined by spaces */
	struct arena *arena; /* owns the whole tree */
};

struct parse_limits {
	int max_depth;
	size_t max_words;
	size_t max_heredocs;
	int syntax_only; /* skip what only analysis uses (parse_result.decoded) */
};

/*
 * Streaming: cb is called with each top-level command as soon as it and its
 * here-documents are parsed, and its tree is freed when cb returns, so
 * memory stays proportional to the largest command, not to the script.
 * out->root is then NULL.
 */
typedef void (*parse_cb)(const struct node *item, void *ctx);
void parse_stream(const char *text, size_t len, int first_line, const struct parse_limits *lim,
                  parse_cb cb, void *ctx, struct parse_result *out);

/* Parses text[0..len) into one tree.  first_line numbers the first line. */
void parse_text(const char *text, size_t len, int first_line, const struct parse_limits *lim,
                struct parse_result *out);
/* Parses text as bash expands the inside of "..." (also prompts and array
   subscripts): out->root is an N_SIMPLE without words whose one here-doc
   redirection has the text as body_word, expansions and their commands
   parsed. */
void parse_expansions(const char *text, size_t len, int first_line, const struct parse_limits *lim,
                      struct parse_result *out);
void parse_result_free(struct parse_result *r);

#endif
