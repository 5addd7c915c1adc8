/* unwrap_int.h - shared by unwrap.c (wrappers, shells, builtins, the option
   parser) and unwrap_tools.c (programs that run commands from their options
   or input: tmux, vim, tar, git, make, ...). */
#ifndef GUARD_UNWRAP_INT_H
#define GUARD_UNWRAP_INT_H

#include "analyze_int.h"

/* How a long option takes its value. */
enum {
	A_NONE,
	A_REQ, /* --x=v or --x v */
	A_OPT, /* only as --x=v */
};

struct lopt {
	const char *name;
	unsigned char key; /* the short option it means, or a code below 32 */
	int arg;
};

/* One option as it was given, in order (-c a -c b: both). */
struct occ {
	unsigned char key;
	const char *val; /* NULL: no value */
	unsigned fl;     /* WORD_* of the value's word */
	size_t at;       /* the index of that word */
};

struct optres {
	unsigned char seen[128];
	const char *val[128]; /* the last value of each */
	unsigned vfl[128];
	struct occ *occ; /* every option with a value, when rec is set */
	size_t nocc, occcap;
	size_t *op; /* operands, when options may follow them (permute) */
	size_t nop, opcap;
	int rec;
};

/* The option syntax of a program.  permute: GNU getopt without '+' (options
   may follow operands, up to "--"); longonly: getopt_long_only (-name is a
   long option when it is one). */
struct ospec {
	const char *args;    /* short options taking an argument */
	const char *optargs; /* short options taking an optional, attached one */
	const struct lopt *lo;
	int permute, longonly;
};

/* An option whose value runs. */
enum {
	X_CMD = 1, /* a command line (run by a shell, or split into words) */
	X_OPAQUE,  /* code guard cannot see (a library, a script in another language) */
};
struct xopt {
	unsigned char key;
	unsigned char kind;
};

void optres_free(struct optres *o);
const struct lopt *lopt_find(const struct lopt *lo, const char *name, size_t nl);
size_t getopts(const struct fields *f, size_t i, const struct ospec *sp, struct optres *o);
size_t parse_opts(const struct fields *f, size_t i, const char *args, const struct lopt *lo,
                  struct optres *o);

/* A program being unwrapped, for the handlers. */
struct ucall {
	struct actx *c;
	const struct cmdsite *site;
	const struct fields *f;
	size_t i; /* the program's word */
	size_t k; /* the first operand */
	const struct stdin_src *in;
	const char *via; /* how it was reached */
	char *nv;        /* ... and through it */
	int depth;
	const char *name;
	struct optres *o;
};

/* unwrap.c */
void unwrap_from(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                 const struct stdin_src *in, const char *via, int depth);
int in_list(const char *const *list, const char *s);
void emit_at(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
             unsigned flags, const char *via);
void emit_opaque(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                 const char *via, const char *why);
void shell_text(struct actx *c, const struct cmdsite *site, const char *text, const char *how,
                const char *via);
int project_files(struct actx *c);
char *cwd_path(struct actx *c, const char *name);
void u_emit(struct ucall *u);
void u_opaque(struct ucall *u, const char *why);
void u_shell(struct ucall *u, const char *text, unsigned fl, const char *how);
void u_exec(struct ucall *u, size_t k);
void u_exec_fields(struct ucall *u, const struct fields *g);
void sub_fields(const struct fields *f, size_t a, size_t b, struct fields *g);
char *join_range(const struct fields *f, size_t a, size_t b, unsigned *fl);
int u_input(struct ucall *u, const char *file, unsigned ffl, char **text);

/* unwrap_tools.c: the handlers of unwrap.c's table */
void run_sg(struct ucall *u);
void run_runcon(struct ucall *u);
void run_at(struct ucall *u);
void run_crontab(struct ucall *u);
void run_dtach(struct ucall *u);
void run_tmux(struct ucall *u);
void run_screen(struct ucall *u);
void run_parallel(struct ucall *u);
void run_gdb(struct ucall *u);
void run_vim(struct ucall *u);
void run_ed(struct ucall *u);
void run_sqlite(struct ucall *u);
void run_tar(struct ucall *u);
void run_rsync(struct ucall *u);
void run_zip(struct ucall *u);
void run_socat(struct ucall *u);
void run_nc(struct ucall *u);
void run_emacs(struct ucall *u);
void run_less(struct ucall *u);
void run_ssh(struct ucall *u);
void run_git(struct ucall *u);
void cmdvars_run(struct actx *c, const struct cmdsite *site, char **assign, size_t n,
                 const char *via);
void make_targets(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                  const struct stdin_src *in, const char *via);

#endif
