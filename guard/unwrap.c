/*
 * unwrap.c - peel wrapper programs off a command and follow what they run.
 *
 * `sudo -u deploy env A=1 nohup pm2 restart` runs pm2; `bash -c 'pm2 list'`,
 * `eval "pm2 list"`, `find . -exec pm2 list \;`, `npx pm2` and
 * `python3 -c 'os.system("pm2 list")'` run pm2 too.  Each wrapper is parsed
 * with its real option syntax (which options take an argument), so that
 * option values are never mistaken for the command.
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "analyze_int.h"

struct lopt {
	const char *name;
	char key;
	int arg; /* 1: takes an argument (--x=v or --x v); 2: only as --x=v */
};

struct wspec {
	const char *name;
	const char *args; /* short options taking an argument */
	const struct lopt *lo;
	int skip;          /* positional words before the command */
	int assigns;       /* NAME=value words may precede the command */
	const char *nocmd; /* short options meaning nothing is executed */
	char shellopt;     /* option whose value is a shell command string */
};

struct optres {
	unsigned char seen[128];
	const char *val[128];
};

static const struct lopt sudo_lo[] = {
    {"user", 'u', 1},
    {"group", 'g', 1},
    {"close-from", 'C', 1},
    {"chdir", 'D', 1},
    {"prompt", 'p', 1},
    {"role", 'r', 1},
    {"type", 't', 1},
    {"command-timeout", 'T', 1},
    {"other-user", 'U', 1},
    {"host", 'h', 1},
    {"login", 'i', 0},
    {"shell", 's', 0},
    {"list", 'l', 0},
    {"validate", 'v', 0},
    {"edit", 'e', 0},
    {"version", 'V', 0},
    {"remove-timestamp", 'K', 0},
    {"preserve-env", 'E', 2},
    {NULL, 0, 0},
};
static const struct lopt env_lo[] = {
    {"unset", 'u', 1},
    {"chdir", 'C', 1},
    {"split-string", 'S', 1},
    {"ignore-environment", 'i', 0},
    {"null", '0', 0},
    {"debug", 'v', 0},
    {NULL, 0, 0},
};
static const struct lopt nice_lo[] = {{"adjustment", 'n', 1}, {NULL, 0, 0}};
static const struct lopt timeout_lo[] = {{"kill-after", 'k', 1}, {"signal", 's', 1}, {NULL, 0, 0}};
static const struct lopt time_lo[] = {{"format", 'f', 1}, {"output", 'o', 1}, {NULL, 0, 0}};
static const struct lopt stdbuf_lo[] = {
    {"input", 'i', 1}, {"output", 'o', 1}, {"error", 'e', 1}, {NULL, 0, 0}};
static const struct lopt flock_lo[] = {{"timeout", 'w', 1},
                                       {"wait", 'w', 1},
                                       {"conflict-exit-code", 'E', 1},
                                       {"command", 'c', 1},
                                       {NULL, 0, 0}};
static const struct lopt chroot_lo[] = {{"userspec", 'U', 1}, {"groups", 'G', 1}, {NULL, 0, 0}};
static const struct lopt su_lo[] = {
    {"command", 'c', 1},    {"session-command", 'c', 1},       {"shell", 's', 1}, {"group", 'g', 1},
    {"supp-group", 'G', 1}, {"whitelist-environment", 'w', 1}, {"user", 'u', 1},  {NULL, 0, 0}};
static const struct lopt watch_lo[] = {
    {"interval", 'n', 1}, {"exec", 'x', 0}, {"differences", 'd', 2}, {NULL, 0, 0}};
static const struct lopt xargs_lo[] = {
    {"arg-file", 'a', 1},  {"delimiter", 'd', 1}, {"eof", 'E', 2},
    {"replace", 'i', 2},   {"max-lines", 'L', 2}, {"max-args", 'n', 1},
    {"max-procs", 'P', 1}, {"max-chars", 's', 1}, {"process-slot-var", 'S', 1},
    {NULL, 0, 0}};
static const struct lopt npx_lo[] = {
    {"package", 'p', 1}, {"call", 'c', 1}, {"yes", 'y', 0}, {NULL, 0, 0}};
static const struct lopt ionice_lo[] = {{"class", 'c', 1}, {"classdata", 'n', 1}, {"pid", 'p', 1},
                                        {"pgid", 'P', 1},  {"uid", 'u', 1},       {NULL, 0, 0}};

static const struct wspec specs[] = {
    {"sudo", "CDgprRtTUuh", sudo_lo, 0, 1, "lveKV", 0},
    {"doas", "uC", NULL, 0, 0, "CL", 0},
    {"env", "uCSP", env_lo, 0, 1, NULL, 0},
    {"nohup", "", NULL, 0, 0, NULL, 0},
    {"nice", "n", nice_lo, 0, 0, NULL, 0},
    {"ionice", "cnpPu", ionice_lo, 0, 0, "pPu", 0},
    {"timeout", "ks", timeout_lo, 1, 0, NULL, 0},
    {"time", "fo", time_lo, 0, 0, NULL, 0},
    {"stdbuf", "ioe", stdbuf_lo, 0, 0, NULL, 0},
    {"setsid", "", NULL, 0, 0, NULL, 0},
    {"chrt", "TPD", NULL, 1, 0, "pm", 0},
    {"taskset", "", NULL, 1, 0, "p", 0},
    {"flock", "wEc", flock_lo, 1, 0, NULL, 'c'},
    {"chroot", "", chroot_lo, 1, 0, NULL, 0},
    {"exec", "a", NULL, 0, 0, NULL, 0},
    {"nsenter", "tSGrwmuinpUCT", NULL, 0, 0, NULL, 0},
    {"unbuffer", "", NULL, 0, 0, NULL, 0},
    {"caffeinate", "t", NULL, 0, 0, NULL, 0},
    {"catchsegv", "", NULL, 0, 0, NULL, 0},
    {"strace", "abeEIoOpPsSuUX", NULL, 0, 0, NULL, 0},
    {"ltrace", "aAeEfFlnopsSuwxX", NULL, 0, 0, NULL, 0},
    {"valgrind", "", NULL, 0, 0, NULL, 0},
    {"gdb", "", NULL, 0, 0, "", 0},
    {"torsocks", "aiPu", NULL, 0, 0, NULL, 0},
    {"proxychains", "f", NULL, 0, 0, NULL, 0},
    {"systemd-run", "uprEMHsSdG", NULL, 0, 0, NULL, 0},
    {"script", "cEITtOBm", NULL, 0, 0, NULL, 'c'},
    {"setpriv", "", NULL, 0, 0, "d", 0},
    {"prlimit", "p", NULL, 0, 0, "p", 0},
    {"unshare", "SGRw", NULL, 0, 0, NULL, 0},
    {"sg", "", NULL, 1, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

static const char *const shells[] = {"bash",  "sh",   "dash", "zsh",  "ksh",   "mksh", "ash",
                                     "rbash", "lksh", "posh", "yash", "ksh93", NULL};

static const char *const builtins[] = {
    "alias",    "bg",       "bind",    "break",    "builtin", "caller", "cd",      "command",
    "compgen",  "complete", "compopt", "continue", "declare", "dirs",   "disown",  "echo",
    "enable",   "eval",     "exec",    "exit",     "export",  "false",  "fc",      "fg",
    "getopts",  "hash",     "help",    "history",  "jobs",    "kill",   "let",     "local",
    "logout",   "mapfile",  "popd",    "printf",   "pushd",   "pwd",    "read",    "readarray",
    "readonly", "return",   "set",     "shift",    "shopt",   "source", "suspend", "test",
    "times",    "trap",     "true",    "type",     "typeset", "ulimit", "umask",   "unalias",
    "unset",    "wait",     ".",       ":",        "[",       NULL};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Sorted copy of a NULL-terminated list, built once, for bsearch. */
struct sorted {
	const char **v;
	size_t n;
};

static void sort_once(struct sorted *t, const char *const *list)
{
	if (t->v)
		return;
	size_t n = 0;
	while (list[n])
		n++;
	t->v = xcalloc(n + 1, sizeof *t->v);
	memcpy(t->v, list, n * sizeof *t->v);
	qsort(t->v, n, sizeof *t->v, cmp_str);
	t->n = n;
}

static int in_sorted(const struct sorted *t, const char *s)
{
	return bsearch(&s, t->v, t->n, sizeof *t->v, cmp_str) != NULL;
}

/* Names the unwrapper treats specially; anything else is a plain program
   and skips every comparison below. */
static const char *const special_names[] = {
    "busybox", "command", "builtin",   "guard", "eval",     "run-parts", "tmux",    "screen",
    "hash",    "mapfile", "readarray", "trap",  "source",   ".",         "alias",   "shopt",
    "export",  "declare", "typeset",   "local", "readonly", "read",      "getopts", "printf",
    "unset",   "xargs",   "find",      "watch", "su",       "runuser",   "ssh",     "npx",
    "bunx",    "pnpx",    "npm",       "pnpm",  "yarn",     "bun",       "perl",    "ruby",
    "node",    "nodejs",  "awk",       "gawk",  "mawk",     "nawk",      "sed",     "git",
    "make",    "gmake",   NULL};

static int is_builtin(const char *name)
{
	static struct sorted bi;
	sort_once(&bi, builtins);
	return in_sorted(&bi, name);
}

/* Every name the unwrapper knows (wrappers, special names, shells,
   builtins), hashed once: a plain program costs one lookup, not a
   comparison with each name. */
struct known {
	const char *name;
	const struct wspec *spec;
	int special;
};
#define NKNOWN 512 /* a power of two, well above the names below */
static struct known known[NKNOWN];

static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct known *known_slot(const char *name)
{
	for (unsigned i = name_hash(name) & (NKNOWN - 1);; i = (i + 1) & (NKNOWN - 1))
		if (!known[i].name || strcmp(known[i].name, name) == 0)
			return &known[i];
}

static void known_add(const char *const *list, int special)
{
	for (; *list; list++) {
		struct known *k = known_slot(*list);
		k->name = *list;
		k->special |= special;
	}
}

static void known_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	for (const struct wspec *w = specs; w->name; w++) {
		struct known *k = known_slot(w->name);
		k->name = w->name;
		if (!k->spec)
			k->spec = w; /* the first entry of a name, as a scan finds */
	}
	known_add(special_names, 1);
	known_add(shells, 1);
	known_add(builtins, 1);
}

static const struct known *known_find(const char *name)
{
	known_init();
	const struct known *k = known_slot(name);
	return k->name ? k : NULL;
}

/* Parses options from f->s[i...]; returns the index of the first operand. */
static size_t parse_opts(const struct fields *f, size_t i, const char *args, const struct lopt *lo,
                         struct optres *o)
{
	while (i < f->n) {
		const char *a = f->s[i];
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[0] != '-' || a[1] == 0)
			return i;
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			i++;
			for (const struct lopt *l = lo; l && l->name; l++) {
				if (strlen(l->name) != nl || strncmp(l->name, name, nl) != 0)
					continue;
				o->seen[(unsigned char)l->key] = 1;
				if (eq)
					o->val[(unsigned char)l->key] = eq + 1;
				else if (l->arg == 1 && i < f->n)
					o->val[(unsigned char)l->key] = f->s[i++];
				break;
			}
			continue;
		}
		i++;
		for (size_t j = 1; a[j]; j++) {
			unsigned char ch = (unsigned char)a[j];
			if (ch >= 128)
				break;
			o->seen[ch] = 1;
			if (args && strchr(args, ch)) {
				if (a[j + 1])
					o->val[ch] = a + j + 1;
				else if (i < f->n)
					o->val[ch] = f->s[i++];
				break;
			}
		}
	}
	return i;
}

static int is_assignment(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	while (*s && *s != '=') {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return 0;
		s++;
	}
	return *s == '=';
}

/* Emits f->s[i...] as what runs. */
static void emit_at(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                    unsigned flags, const char *via)
{
	if (i >= f->n)
		return;
	if (!(f->fl[i] & WORD_DYNAMIC) && is_builtin(f->s[i]))
		flags |= CMD_BUILTIN;
	emit(c, site, f->s + i, f->fl + i, (int)(f->n - i), flags, via);
}

static void emit_opaque(struct actx *c, const struct cmdsite *site, const struct fields *f,
                        size_t i, const char *via, const char *why)
{
	actx_trace(c, "%d:%d: %s: %s", site->line, site->col, f->s[i], why);
	emit_at(c, site, f, i, CMD_OPAQUE, via);
}

static char *join_fields(const struct fields *f, size_t from, int *dyn)
{
	struct sbuf b;
	sb_init(&b);
	*dyn = 0;
	for (size_t i = from; i < f->n; i++) {
		if (f->fl[i] & WORD_DYNAMIC)
			*dyn = 1;
		if (i > from)
			sb_addc(&b, ' ');
		sb_adds(&b, f->s[i]);
	}
	return sb_take(&b);
}

static char *via_add(struct actx *c, const char *via, const char *what)
{
	(void)c;
	if (!via || !*via)
		return xstrdup(what);
	return xasprintf("%s > %s", via, what);
}

/* Runs text through the analyser as a shell would (bash -c, eval, ...). */
static void shell_text(struct actx *c, const struct cmdsite *site, const char *text,
                       const char *how, const char *via)
{
	char *v = via_add(c, via, how);
	char *save = c->via;
	c->via = NULL;
	actx_trace(c, "%d:%d: %s runs the text: %s", site->line, site->col, how, text);
	size_t ninh = c->inherit.n;
	for (size_t i = 0; i < site->nassign; i++)
		sv_push(&c->inherit, xstrdup(site->assign[i]));
	analyze_nested(c, site, text, strlen(text), v, NULL);
	while (c->inherit.n > ninh) {
		free(c->inherit.v[--c->inherit.n]);
		c->inherit.v[c->inherit.n] = NULL;
	}
	c->via = save;
	free(v);
}

/*
 * Reads and analyses a script file.  Returns 1 when analysed, 0 when the
 * file is not a shell script (binary, other interpreter), -1 when it cannot
 * be read (the caller reports the command as opaque).
 */
static int read_script(struct actx *c, const struct cmdsite *site, const char *path,
                       int need_shebang, const char *via)
{
	if (!c->opt->read_scripts)
		return 0;
	char *full = NULL;
	if (path[0] != '/' && c->opt->cwd)
		full = xasprintf("%s/%s", c->opt->cwd, path);
	char *text = NULL;
	size_t len = 0;
	int r = read_file(full ? full : path, 1u << 20, &text, &len);
	free(full);
	if (r < 0) {
		actx_trace(c, "%d:%d: cannot read script %s: %s", site->line, site->col, path,
		           r == -EFBIG ? "too large" : strerror(-r));
		return -1;
	}
	int result = 1;
	if (memchr(text, 0, len)) {
		result = 0;
	} else if (len >= 2 && text[0] == '#' && text[1] == '!') {
		size_t e = strcspn(text, "\n");
		char *line = xstrndup(text + 2, e - 2);
		char *prog = strtok(line, " \t");
		const char *b = prog ? base_name(prog) : "";
		if (strcmp(b, "env") == 0) {
			char *nx = strtok(NULL, " \t");
			while (nx && nx[0] == '-')
				nx = strtok(NULL, " \t");
			b = nx ? base_name(nx) : "";
		}
		if (!in_list(shells, b))
			result = 0;
		free(line);
	}
	(void)need_shebang;
	if (result == 1) {
		char *v = via_add(c, via, path);
		char *save = c->via;
		c->via = NULL;
		sv_push(&c->keep, xstrdup(path));
		analyze_nested(c, site, text, len, v, c->keep.v[c->keep.n - 1]);
		c->via = save;
		free(v);
	}
	free(text);
	return result;
}

/* ---- interpreters -------------------------------------------------- */

static const char *const exec_calls[] = {
    "system",    "popen",      "exec",         "execSync",   "execFileSync",
    "execFile",  "spawn",      "spawnSync",    "run",        "call",
    "Popen",     "check_call", "check_output", "getoutput",  "getstatusoutput",
    "execv",     "execvp",     "execl",        "execlp",     "execve",
    "execvpe",   "spawnlp",    "spawnv",       "shell_exec", "passthru",
    "proc_open", "execute",    "capture2",     "capture3",   "qx",
    NULL};

/* Reads a string literal at *p ('...', "...", `...`); returns it or NULL. */
static char *read_literal(const char **p)
{
	const char *s = *p;
	char q = *s;
	if (q != '\'' && q != '"' && q != '`')
		return NULL;
	struct sbuf b;
	sb_init(&b);
	s++;
	while (*s && *s != q) {
		if (*s == '\\' && s[1]) {
			char e = s[1];
			sb_addc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e);
			s += 2;
			continue;
		}
		if (q == '`' && *s == '$' && s[1] == '{') {
			sb_free(&b);
			return NULL; /* template with interpolation: dynamic */
		}
		sb_addc(&b, *s++);
	}
	if (*s != q) {
		sb_free(&b);
		return NULL;
	}
	*p = s + 1;
	return sb_take(&b);
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n')
		(*p)++;
}

/* Finds shell commands in interpreter code.  Returns 1 when some exec-like
   call had an argument guard cannot read. */
static int scan_code(struct actx *c, const struct cmdsite *site, const char *code,
                     const char *interp, const char *via)
{
	int opaque = 0;
	char *v = via_add(c, via, interp);
	for (const char *p = code; *p;) {
		char ch = *p;
		int ident_start = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
		if (ch == '`' && strcmp(interp, "node") != 0 && strcmp(interp, "python3") != 0) {
			const char *q = p;
			char *lit = read_literal(&q);
			if (lit) {
				shell_text(c, site, lit, "`...`", v);
				free(lit);
				p = q;
				continue;
			}
		}
		if (ch == '\'' || ch == '"') {
			const char *q = p;
			char *lit = read_literal(&q);
			free(lit);
			p = q > p ? q : p + 1;
			continue;
		}
		if (!ident_start) {
			p++;
			continue;
		}
		const char *s = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		       (*p >= '0' && *p <= '9'))
			p++;
		char *id = xstrndup(s, (size_t)(p - s));
		int is_call = in_list(exec_calls, id);
		free(id);
		if (!is_call)
			continue;
		const char *q = p;
		skip_ws(&q);
		int paren = 0;
		if (*q == '(' || *q == '{') {
			paren = 1;
			q++;
			skip_ws(&q);
		} else if (*q != '\'' && *q != '"' && *q != '`') {
			continue; /* not a call */
		}
		(void)paren;
		if (*q == '[') {
			/* argv list: ["pm2", "list"] */
			struct fields f = {0};
			q++;
			int ok = 1;
			for (;;) {
				skip_ws(&q);
				if (*q == ']')
					break;
				char *lit = read_literal(&q);
				if (!lit) {
					ok = 0;
					break;
				}
				fields_push(&f, lit, 0);
				skip_ws(&q);
				if (*q == ',')
					q++;
			}
			if (ok && f.n) {
				emit_at(c, site, &f, 0, 0, v);
			} else {
				opaque = 1;
			}
			fields_free(&f);
			p = q;
			continue;
		}
		char *lit = read_literal(&q);
		if (lit) {
			shell_text(c, site, lit, "system()", v);
			free(lit);
			p = q;
		} else {
			opaque = 1;
		}
	}
	free(v);
	return opaque;
}

/* awk programs: system("..."), print | "cmd", "cmd" | getline */
static int scan_awk(struct actx *c, const struct cmdsite *site, const char *prog, const char *via)
{
	int opaque = 0;
	char *v = via_add(c, via, "awk");
	const char *last_pipe = NULL;
	for (const char *p = prog; *p;) {
		if (*p == '|') {
			last_pipe = p;
			p++;
			continue;
		}
		if (*p == '"') {
			const char *q = p;
			char *lit = read_literal(&q);
			if (!lit) {
				p++;
				continue;
			}
			const char *after = q;
			skip_ws(&after);
			int before_pipe = 0;
			if (last_pipe) {
				const char *b = last_pipe + 1;
				skip_ws(&b);
				before_pipe = b == p;
			}
			const char *bp = p;
			while (bp > prog && (bp[-1] == ' ' || bp[-1] == '\t'))
				bp--;
			int in_system = bp - prog >= 7 && strncmp(bp - 7, "system(", 7) == 0;
			if (before_pipe || in_system || *after == '|') {
				shell_text(c, site, lit, "awk pipe", v);
				char *w0 = xstrndup(lit, strcspn(lit, " \t"));
				if (before_pipe && in_list(shells, base_name(w0)) &&
				    !strstr(lit, "-c"))
					opaque = 1; /* print | "sh": awk's output is run */
				free(w0);
			}
			free(lit);
			p = q;
			continue;
		}
		if (strncmp(p, "system(", 7) == 0) {
			const char *q = p + 7;
			skip_ws(&q);
			if (*q != '"')
				opaque = 1;
		}
		p++;
	}
	free(v);
	return opaque;
}

/* ---- package.json scripts and Makefile recipes ---------------------- */

static char *cwd_path(struct actx *c, const char *name)
{
	return c->opt->cwd ? xasprintf("%s/%s", c->opt->cwd, name) : xstrdup(name);
}

/* npm run X: the scripts X, preX and postX from ./package.json. */
/*
 * package.json and Makefiles are read for commands of the text being checked
 * (their directory is the working directory); inside a script file or a
 * function body the directory they would run in is not known, so they are
 * not.
 */
static int project_files(struct actx *c)
{
	return c->cap_fi < 0 && c->origin == c->opt->origin;
}

static int npm_script(struct actx *c, const struct cmdsite *site, const char *script,
                      const char *via)
{
	if (!project_files(c))
		return -1;
	char *path = cwd_path(c, "package.json");
	char *text = NULL;
	size_t len = 0;
	int r = read_file(path, 1u << 20, &text, &len);
	free(path);
	if (r < 0)
		return -1;
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err);
	free(text);
	json_t *scripts = root ? json_object_get(root, "scripts") : NULL;
	if (!json_is_object(scripts)) {
		json_decref(root);
		return -1;
	}
	int found = 0;
	const char *prefix[] = {"pre", "", "post"};
	for (int k = 0; k < 3; k++) {
		char *key = xasprintf("%s%s", prefix[k], script);
		const char *cmd = json_string_value(json_object_get(scripts, key));
		if (cmd) {
			char *how = xasprintf("package.json script %s", key);
			shell_text(c, site, cmd, how, via);
			free(how);
			found = 1;
		}
		free(key);
	}
	json_decref(root);
	return found ? 1 : 0;
}

/* make [TARGET...]: the recipes of the named targets (or the first one). */
static void make_targets(struct actx *c, const struct cmdsite *site, const struct fields *f,
                         size_t i, const char *via)
{
	if (!project_files(c))
		return;
	const char *file = NULL;
	struct strv goals = {0};
	for (size_t k = i + 1; k < f->n; k++) {
		const char *a = f->s[k];
		if ((strcmp(a, "-f") == 0 || strcmp(a, "--file") == 0) && k + 1 < f->n) {
			file = f->s[++k];
		} else if (strcmp(a, "-C") == 0 || strcmp(a, "-j") == 0 || strcmp(a, "-o") == 0) {
			k++;
		} else if (a[0] != '-' && !strchr(a, '=')) {
			sv_push(&goals, xstrdup(a));
		}
	}
	const char *names[] = {"GNUmakefile", "makefile", "Makefile"};
	char *text = NULL;
	size_t len = 0;
	for (int k = 0; k < 3 && !text; k++) {
		char *p = cwd_path(c, file ? file : names[k]);
		if (read_file(p, 1u << 20, &text, &len) < 0)
			text = NULL;
		free(p);
		if (file)
			break;
	}
	if (!text) {
		sv_free(&goals);
		return;
	}
	/* walk rules: "targets: prereqs" then tab-indented recipe lines */
	int in_rule = 0, first_seen = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '\t') {
			if (!in_rule)
				continue;
			/* a recipe line ending in \ continues on the next line */
			while (line[strlen(line) - 1] == '\\') {
				char *nl = line + strlen(line);
				char *nx = strtok_r(NULL, "\n", &save);
				if (!nx)
					break;
				nl[-1] = ' ';
				/* join in place: the next line follows after the NUL */
				memmove(nl, nx + (nx[0] == '\t'), strlen(nx + (nx[0] == '\t')) + 1);
			}
			char *cmd = line + 1;
			while (*cmd == '@' || *cmd == '-' || *cmd == '+')
				cmd++;
			/* $$ is a literal $ in make */
			struct sbuf b;
			sb_init(&b);
			for (const char *q = cmd; *q; q++) {
				sb_addc(&b, *q);
				if (q[0] == '$' && q[1] == '$')
					q++;
			}
			shell_text(c, site, b.s ? b.s : "", "make recipe", via);
			sb_free(&b);
			continue;
		}
		in_rule = 0;
		char *colon = strchr(line, ':');
		const char *eq = strchr(line, '=');
		if (!colon || line[0] == '#' || line[0] == '.' || colon[1] == '=' ||
		    (eq && eq < colon))
			continue;
		*colon = 0;
		int is_first = !first_seen;
		first_seen = 1;
		char *tsave = NULL;
		for (char *t = strtok_r(line, " \t", &tsave); t;
		     t = strtok_r(NULL, " \t", &tsave)) {
			if (goals.n == 0 ? is_first : 0)
				in_rule = 1;
			for (size_t g = 0; g < goals.n; g++)
				if (strcmp(goals.v[g], t) == 0)
					in_rule = 1;
		}
	}
	free(text);
	sv_free(&goals);
}

/* env -S STRING: words split on blanks, with '...', "...", and the escapes
   \_ (a blank inside a word), \t \n \" \' \\ and \c (end). */
static void split_env_s(const char *s, struct fields *g)
{
	struct sbuf w;
	sb_init(&w);
	int have = 0;
	char q = 0;
	for (; *s; s++) {
		if (!q && (*s == ' ' || *s == '\t' || *s == '\n')) {
			if (have)
				fields_push(g, sb_take(&w), 0);
			have = 0;
			continue;
		}
		if (!q && (*s == '\'' || *s == '"')) {
			q = *s;
			have = 1;
			continue;
		}
		if (q && *s == q) {
			q = 0;
			continue;
		}
		if (*s == '\\' && s[1] && q != '\'') {
			char e = *++s;
			if (e == 'c')
				break;
			if (e == '_' && !q) {
				/* \_ outside quotes separates words, as a blank would */
				if (have)
					fields_push(g, sb_take(&w), 0);
				have = 0;
				continue;
			}
			sb_addc(&w, e == '_' ? ' ' : e == 't' ? '\t' : e == 'n' ? '\n' : e);
			have = 1;
			continue;
		}
		sb_addc(&w, *s);
		have = 1;
	}
	if (have)
		fields_push(g, sb_take(&w), 0);
	sb_free(&w);
}

/* Runs every executable regular file in a directory, like run-parts. */
static void run_parts(struct actx *c, const struct cmdsite *site, const char *dir, const char *via)
{
	char *full =
	    dir[0] == '/' || !c->opt->cwd ? xstrdup(dir) : xasprintf("%s/%s", c->opt->cwd, dir);
	DIR *d = opendir(full);
	if (!d) {
		free(full);
		return;
	}
	struct strv names = {0};
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			sv_push(&names, xstrdup(e->d_name));
	closedir(d);
	qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t k = 0; k < names.n && k < 256; k++) {
		char *p = xasprintf("%s/%s", dir, names.v[k]);
		if (read_script(c, site, p, 0, via) < 0)
			actx_trace(c, "%d:%d: run-parts: cannot read %s", site->line, site->col, p);
		free(p);
	}
	sv_free(&names);
	free(full);
}

/*
 * An interpreter running a script file: the script's name, or the package
 * it belongs to (node_modules/NAME/...), is the program for the policy, so
 * `node node_modules/pm2/bin/pm2 list` is pm2 list.  A script path known
 * only at run time is opaque.
 */
static void script_as_program(struct actx *c, const struct cmdsite *site, const struct fields *f,
                              size_t k, const char *interp, const char *via)
{
	if (f->fl[k] & WORD_DYNAMIC) {
		emit_opaque(c, site, f, k, via, "script known only at run time");
		return;
	}
	const char *path = f->s[k];
	char *name = NULL;
	const char *nm = strstr(path, "node_modules/");
	if (nm) {
		nm += strlen("node_modules/");
		if (*nm == '@' && strchr(nm, '/'))
			nm = strchr(nm, '/') + 1;
		name = xstrndup(nm, strcspn(nm, "/"));
	} else {
		const char *b = base_name(path);
		size_t n = strcspn(b, ".");
		name = xstrndup(b, n ? n : strlen(b));
	}
	struct fields g = {0};
	fields_push(&g, name, 0);
	for (size_t j = k + 1; j < f->n; j++)
		fields_push(&g, xstrdup(f->s[j]), f->fl[j]);
	char *v = via_add(c, via, interp);
	emit_at(c, site, &g, 0, 0, v);
	free(v);
	fields_free(&g);
}

/* The PATH assigned on this line (as a prefix or earlier), or NULL. */
static const char *line_path(struct actx *c, const struct cmdsite *site)
{
	for (size_t k = site->nassign; k-- > 0;)
		if (strncmp(site->assign[k], "PATH=", 5) == 0)
			return site->assign[k] + 5;
	for (size_t k = c->inherit.n; k-- > 0;)
		if (strncmp(c->inherit.v[k], "PATH=", 5) == 0)
			return c->inherit.v[k] + 5;
	return var_value(c, "PATH");
}

/* NAME in a directory of a PATH set on the line, or NULL.  Parts that are
   known only at run time ($PATH) are skipped: they are the usual PATH. */
static char *path_lookup(struct actx *c, const struct cmdsite *site, const char *name)
{
	const char *pv = line_path(c, site);
	if (!pv)
		return NULL;
	char *dup = xstrdup(pv), *save = NULL, *res = NULL;
	for (char *d = strtok_r(dup, ":", &save); d && !res; d = strtok_r(NULL, ":", &save)) {
		if (strchr(d, '$') || !*d)
			continue;
		char *cand = xasprintf("%s/%s", d, name);
		char *full = cand[0] == '/' || !c->opt->cwd ? xstrdup(cand)
		                                            : xasprintf("%s/%s", c->opt->cwd, cand);
		if (access(full, F_OK) == 0)
			res = cand;
		else
			free(cand);
		free(full);
	}
	free(dup);
	return res;
}

/*
 * sed 's/RE/TEXT/e' on known input (echo y | sed 's/y/echo pm2/e'): the
 * lines it changes are run as commands; work them out with regex(3).
 * Returns 1 when done, 0 when the script is not that simple.
 */
static int sed_simulate(struct actx *c, const struct cmdsite *site, const struct fields *f,
                        size_t i, const struct stdin_src *in, const char *via)
{
	if (!in || !in->text || !in->known)
		return 0;
	const char *script = NULL;
	for (size_t k = i + 1; k < f->n; k++) {
		if (f->fl[k] & WORD_DYNAMIC)
			return 0;
		if (f->s[k][0] == '-' && strcmp(f->s[k], "-e") != 0)
			return 0;
		if (strcmp(f->s[k], "-e") == 0)
			continue;
		if (script)
			return 0; /* a file operand: input is not stdin */
		script = f->s[k];
	}
	if (!script || script[0] != 's' || !script[1])
		return 0;
	char d = script[1];
	const char *re = script + 2, *e1 = strchr(re, d);
	if (!e1)
		return 0;
	const char *rep = e1 + 1, *e2 = strchr(rep, d);
	if (!e2 || strcmp(e2 + 1, "e") != 0 || memchr(rep, '&', (size_t)(e2 - rep)) ||
	    memchr(rep, '\\', (size_t)(e2 - rep)) || memchr(re, '\\', (size_t)(e1 - re)))
		return 0;
	char *pat = xstrndup(re, (size_t)(e1 - re));
	char *repl = xstrndup(rep, (size_t)(e2 - rep));
	regex_t rx;
	int ok = regcomp(&rx, pat, 0) == 0;
	free(pat);
	if (ok) {
		char *dup = xstrdup(in->text), *save = NULL;
		for (char *line = strtok_r(dup, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			regmatch_t m;
			if (regexec(&rx, line, 1, &m, 0) != 0)
				continue;
			char *cmd = xasprintf("%.*s%s%s", (int)m.rm_so, line, repl, line + m.rm_eo);
			shell_text(c, site, cmd, "sed s///e", via);
			free(cmd);
		}
		free(dup);
		regfree(&rx);
	}
	free(repl);
	return ok;
}

/* ---- the unwrapper -------------------------------------------------- */

static void unwrap_from(struct actx *c, const struct cmdsite *site, const struct fields *f,
                        size_t i, const struct stdin_src *in, const char *via, int depth);

static void shell_cmd(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                      const struct stdin_src *in, const char *via)
{
	const char *sh = base_name(f->s[i]);
	size_t k = i + 1;
	int cmode = 0, smode = 0, noexec = 0;
	while (k < f->n) {
		const char *a = f->s[k];
		if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
			k++;
			break;
		}
		if ((a[0] != '-' && a[0] != '+') || a[1] == 0)
			break;
		k++;
		if (a[0] == '-' && a[1] == '-') {
			if (strcmp(a, "--rcfile") == 0 || strcmp(a, "--init-file") == 0)
				k++;
			continue;
		}
		for (size_t j = 1; a[j]; j++) {
			if (a[j] == 'n' && a[0] == '-')
				noexec = 1;
			if (a[j] == 'c')
				cmode = 1;
			else if (a[j] == 's')
				smode = 1;
			else if (a[j] == 'o' || a[j] == 'O') {
				if (a[j] == 'O' && a[0] == '-' && k < f->n &&
				    strcmp(f->s[k], "expand_aliases") == 0)
					c->expand_aliases = 1;
				k++;
			}
		}
	}
	char *v = via_add(c, via, sh);
	if (noexec) {
		/* sh -n: reads the commands and runs none of them */
		emit_at(c, site, f, i, 0, via);
		free(v);
		return;
	}
	if (cmode) {
		if (k >= f->n) {
			actx_trace(c, "%d:%d: %s -c without a command string", site->line,
			           site->col, sh);
		} else if (f->fl[k] & WORD_DYNAMIC) {
			emit_opaque(c, site, f, i, via, "shell string known only at run time");
		} else {
			char *how = xasprintf("%s -c", sh);
			shell_text(c, site, f->s[k], how, via);
			free(how);
		}
		free(v);
		return;
	}
	if (k < f->n && !smode &&
	    (strcmp(f->s[k], "/dev/stdin") == 0 || strcmp(f->s[k], "/dev/fd/0") == 0 ||
	     strcmp(f->s[k], "/proc/self/fd/0") == 0))
		smode = 1; /* reads its stdin after all */
	if (k < f->n && !smode) {
		/* a script file */
		int r = (f->fl[k] & WORD_DYNAMIC) ? -1 : read_script(c, site, f->s[k], 0, via);
		if (r < 0)
			emit_opaque(c, site, f, i, via, "runs a script guard cannot read");
		else
			emit_at(c, site, f, i, 0, via);
		free(v);
		return;
	}
	/* reads commands from stdin */
	if (in && in->text && in->known) {
		char *how = xasprintf("%s < %s", sh, in->piped ? "pipe" : "here-doc");
		shell_text(c, site, in->text, how, via);
		free(how);
	} else if (in && in->file) {
		int r = read_script(c, site, in->file, 0, via);
		if (r <= 0)
			emit_opaque(c, site, f, i, via, "reads a script guard cannot read");
	} else if (in) {
		emit_opaque(c, site, f, i, via, "reads commands from a pipe guard cannot see");
	} else {
		emit_at(c, site, f, i, 0, via);
	}
	free(v);
}

/* Package name of an npx-style spec: "@scope/pm2@5" -> "pm2". */
static char *pkg_bin(const char *spec)
{
	const char *s = spec;
	if (*s == '@') {
		const char *slash = strchr(s, '/');
		if (slash)
			s = slash + 1;
	}
	size_t n = strcspn(s, "@");
	return xstrndup(s, n);
}

static void npx_cmd(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                    const struct stdin_src *in, const char *via, int depth, const char *how)
{
	struct optres o;
	memset(&o, 0, sizeof o);
	size_t k = parse_opts(f, i, "pc", npx_lo, &o);
	char *v = via_add(c, via, how);
	if (o.val['c']) {
		shell_text(c, site, o.val['c'], how, via);
	} else if (k < f->n) {
		struct fields g = {0};
		for (size_t j = 0; j < f->n; j++)
			fields_push(&g,
			            j == k && !o.seen['p'] ? pkg_bin(f->s[j]) : xstrdup(f->s[j]),
			            f->fl[j]);
		unwrap_from(c, site, &g, k, in, v, depth + 1);
		fields_free(&g);
	}
	free(v);
}

static void unwrap_from(struct actx *c, const struct cmdsite *site, const struct fields *f,
                        size_t i, const struct stdin_src *in, const char *via, int depth)
{
	if (i >= f->n)
		return;
	if (depth > ANALYZE_MAX_WRAPPERS) {
		/* each wrapper is a level; past the limit the command is not
		   known, and dropping it would allow what it runs */
		actx_error(c, site->line, site->col,
		           "wrappers nested deeper than %d levels (limit)", ANALYZE_MAX_WRAPPERS);
		return;
	}
	if (f->fl[i] & (WORD_DYNAMIC | WORD_GLOB)) {
		emit_at(c, site, f, i, 0, via);
		return;
	}
	const char *path = f->s[i];
	const char *name = base_name(path);
	const struct known *kn = known_find(name);
	const struct wspec *w = kn ? kn->spec : NULL;
	if (!w && !(kn && kn->special) && strncmp(name, "python", 6) != 0 &&
	    strncmp(name, "php", 3) != 0 && strncmp(name, "lua", 3) != 0)
		goto plain;
	if (w) {
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = i + 1;
		if (strcmp(name, "nice") == 0 && k < f->n && f->s[k][0] == '-' &&
		    f->s[k][1] >= '0' && f->s[k][1] <= '9')
			k++;
		k = parse_opts(f, k, w->args, w->lo, &o);
		if (w->nocmd)
			for (const char *q = w->nocmd; *q; q++)
				if (o.seen[(unsigned char)*q]) {
					emit_at(c, site, f, i, 0, via);
					return;
				}
		/* env A=1 / sudo A=1: the assignments apply to the command */
		struct cmdsite inner = *site;
		char **av = NULL;
		if (w->assigns && k < f->n && is_assignment(f->s[k])) {
			size_t s0 = k;
			while (k < f->n && is_assignment(f->s[k]))
				k++;
			av = xcalloc(site->nassign + (k - s0) + 1, sizeof(char *));
			for (size_t a = 0; a < site->nassign; a++)
				av[a] = site->assign[a];
			inner.nassign = site->nassign;
			for (size_t a = s0; a < k; a++)
				av[inner.nassign++] = f->s[a];
			inner.assign = av;
			site = &inner;
			/* the array (not its borrowed strings) is freed with the analysis */
			sv_push(&c->keep, (char *)av);
		}
		char *v = NULL;
		if (strcmp(name, "sudo") == 0 && o.val['u'])
			v = xasprintf("sudo -u %s", o.val['u']);
		else
			v = xstrdup(name);
		char *nv = via_add(c, via, v);
		free(v);
		if (w->skip) {
			k += (size_t)w->skip;
			if (strcmp(name, "flock") == 0)
				k = parse_opts(f, k, w->args, w->lo, &o);
		}
		if (w->shellopt && o.val[(unsigned char)w->shellopt]) {
			char *how = xasprintf("%s -%c", name, w->shellopt);
			shell_text(c, site, o.val[(unsigned char)w->shellopt], how, via);
			free(how);
			free(nv);
			return;
		}
		if (strcmp(name, "env") == 0 && o.val['S']) {
			/* env -S "pm2 list": split the string into words */
			struct fields g = {0};
			split_env_s(o.val['S'], &g);
			for (size_t j = k; j < f->n; j++)
				fields_push(&g, xstrdup(f->s[j]), f->fl[j]);
			size_t s0 = 0;
			while (s0 < g.n && is_assignment(g.s[s0]))
				s0++;
			unwrap_from(c, site, &g, s0, in, nv, depth + 1);
			fields_free(&g);
			free(nv);
			return;
		}
		if ((strcmp(name, "sudo") == 0 && (o.seen['s'] || o.seen['i'])) ||
		    (strcmp(name, "doas") == 0 && o.seen['s'])) {
			if (k < f->n) {
				int dyn;
				char *t = join_fields(f, k, &dyn);
				if (dyn)
					emit_opaque(c, site, f, i, via,
					            "shell command known at run time");
				else
					shell_text(c, site, t, "sudo -s", via);
				free(t);
			} else {
				emit_at(c, site, f, i, 0, via);
			}
			free(nv);
			return;
		}
		if (k >= f->n) {
			emit_at(c, site, f, i, 0, via); /* no command: the wrapper alone */
			free(nv);
			return;
		}
		actx_trace(c, "%d:%d: unwrap %s", site->line, site->col, name);
		unwrap_from(c, site, f, k, in, nv, depth + 1);
		free(nv);
		return;
	}
	if (in_list(shells, name)) {
		shell_cmd(c, site, f, i, in, via);
		return;
	}
	if (strcmp(name, "busybox") == 0 && i + 1 < f->n) {
		char *nv = via_add(c, via, "busybox");
		unwrap_from(c, site, f, i + 1, in, nv, depth + 1);
		free(nv);
		return;
	}
	if (strcmp(name, "command") == 0 || strcmp(name, "builtin") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = parse_opts(f, i + 1, "", NULL, &o);
		if (o.seen['v'] || o.seen['V'] || k >= f->n) {
			emit_at(c, site, f, i, CMD_BUILTIN, via);
			return;
		}
		char *nv = via_add(c, via, name);
		unwrap_from(c, site, f, k, in, nv, depth + 1);
		free(nv);
		return;
	}
	if (strcmp(name, "guard") == 0) {
		/* guard -c LINE / guard --prefix LINE run LINE (after their own check) */
		emit_at(c, site, f, i, 0, via);
		for (size_t k = i + 1; k + 1 < f->n; k++) {
			const char *a = f->s[k];
			if (strcmp(a, "--policy") == 0) {
				k++;
				continue;
			}
			if (strcmp(a, "-c") == 0 || strcmp(a, "--prefix") == 0) {
				if (f->fl[k + 1] & WORD_DYNAMIC)
					emit_opaque(c, site, f, i, via,
					            "command known only at run time");
				else
					shell_text(c, site, f->s[k + 1], "guard -c", via);
				break;
			}
			if (a[0] != '-')
				break;
		}
		return;
	}
	if (strcmp(name, "run-parts") == 0) {
		emit_at(c, site, f, i, 0, via);
		size_t k = i + 1;
		int test_only = 0;
		for (; k < f->n && f->s[k][0] == '-'; k++)
			if (!strcmp(f->s[k], "--test") || !strcmp(f->s[k], "--list"))
				test_only = 1;
			else if (!strcmp(f->s[k], "-a") || !strcmp(f->s[k], "--arg") ||
			         !strcmp(f->s[k], "-u") || !strcmp(f->s[k], "--umask"))
				k++;
		if (k < f->n && !test_only) {
			if (f->fl[k] & WORD_DYNAMIC)
				emit_opaque(c, site, f, i, via,
				            "runs a directory known only at run time");
			else
				run_parts(c, site, f->s[k], via);
		}
		return;
	}
	if (strcmp(name, "tmux") == 0 || strcmp(name, "screen") == 0) {
		/* tmux new-session, new-window, split-window, respawn-pane, run-shell take
		   a shell command; send-keys types into a shell; screen runs its args */
		emit_at(c, site, f, i, 0, via);
		int shellcmd = 0;
		size_t last = 0;
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if (!shellcmd && name[0] == 't' &&
			    (!strcmp(a, "new-session") || !strcmp(a, "new") ||
			     !strcmp(a, "new-window") || !strcmp(a, "neww") ||
			     !strcmp(a, "split-window") || !strcmp(a, "splitw") ||
			     !strcmp(a, "respawn-pane") || !strcmp(a, "respawn-window") ||
			     !strcmp(a, "run-shell") || !strcmp(a, "run") ||
			     !strcmp(a, "send-keys") || !strcmp(a, "send") ||
			     !strcmp(a, "if-shell") || !strcmp(a, "pipe-pane")))
				shellcmd = 1;
			else if (a[0] != '-')
				last = k;
		}
		if (name[0] == 's') {
			size_t k = i + 1;
			while (k < f->n && f->s[k][0] == '-') {
				/* strchr finds the terminator too: a lone "-" has no
				   option letter and no [2] to read */
				if (f->s[k][1] && strchr("SpXc", f->s[k][1]) && !f->s[k][2])
					k++;
				k++;
			}
			if (k < f->n) {
				char *nv = via_add(c, via, "screen");
				unwrap_from(c, site, f, k, NULL, nv, depth + 1);
				free(nv);
			}
		} else if (shellcmd && last) {
			int dyn;
			struct fields g = {0};
			fields_push(&g, xstrdup(f->s[last]), f->fl[last]);
			char *t = join_fields(&g, 0, &dyn);
			if (dyn)
				emit_opaque(c, site, f, i, via,
				            "tmux command known only at run time");
			else
				shell_text(c, site, t, "tmux", via);
			free(t);
			fields_free(&g);
		}
		return;
	}
	if (strcmp(name, "hash") == 0) {
		/* hash -p PATH NAME: NAME now runs PATH */
		for (size_t k = i + 1; k + 2 < f->n; k++)
			if (strcmp(f->s[k], "-p") == 0) {
				hash_set(c, f->s[k + 2], f->s[k + 1]);
				break;
			}
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if ((strcmp(name, "mapfile") == 0 || strcmp(name, "readarray") == 0)) {
		for (size_t k = i + 1; k + 1 < f->n; k++)
			if (strcmp(f->s[k], "-C") == 0) {
				if (f->fl[k + 1] & WORD_DYNAMIC)
					emit_opaque(c, site, f, i, via,
					            "callback known only at run time");
				else
					shell_text(c, site, f->s[k + 1], "mapfile -C", via);
			}
	}
	if (strcmp(name, "eval") == 0) {
		if (i + 1 >= f->n)
			return;
		int dyn;
		char *t = join_fields(f, i + 1, &dyn);
		if (dyn)
			emit_opaque(c, site, f, i, via, "evaluates text known only at run time");
		else
			shell_text(c, site, t, "eval", via);
		free(t);
		return;
	}
	if (strcmp(name, "trap") == 0) {
		if (i + 2 < f->n && f->s[i + 1][0] != '-' && !(f->fl[i + 1] & WORD_DYNAMIC))
			shell_text(c, site, f->s[i + 1], "trap", via);
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "source") == 0 || strcmp(name, ".") == 0) {
		if (i + 1 >= f->n) {
			emit_at(c, site, f, i, CMD_BUILTIN, via);
			return;
		}
		const char *file = f->s[i + 1];
		if (strncmp(file, "<(", 2) == 0 || strcmp(file, "/dev/stdin") == 0) {
			if (in && in->text && in->known && strcmp(file, "/dev/stdin") == 0)
				shell_text(c, site, in->text, "source", via);
			else
				emit_opaque(c, site, f, i, via, "sources text guard cannot see");
			return;
		}
		int r = (f->fl[i + 1] & WORD_DYNAMIC) ? -1 : read_script(c, site, file, 0, via);
		if (r < 0)
			emit_opaque(c, site, f, i, via, "sources a file guard cannot read");
		else
			emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "alias") == 0) {
		for (size_t k = i + 1; k < f->n; k++) {
			const char *eq = strchr(f->s[k], '=');
			if (eq && !(f->fl[k] & WORD_DYNAMIC)) {
				char *an = xstrndup(f->s[k], (size_t)(eq - f->s[k]));
				alias_set(c, an, eq + 1, site->node_line);
				free(an);
			}
		}
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "shopt") == 0) {
		int set = 0;
		for (size_t k = i + 1; k < f->n; k++) {
			if (strcmp(f->s[k], "-s") == 0)
				set = 1;
			else if (strcmp(f->s[k], "-u") == 0)
				set = -1;
			else if (strcmp(f->s[k], "expand_aliases") == 0 && set)
				c->expand_aliases = set > 0;
		}
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "export") == 0 || strcmp(name, "declare") == 0 ||
	    strcmp(name, "typeset") == 0 || strcmp(name, "local") == 0 ||
	    strcmp(name, "readonly") == 0 || strcmp(name, "read") == 0 ||
	    strcmp(name, "mapfile") == 0 || strcmp(name, "readarray") == 0 ||
	    strcmp(name, "getopts") == 0 || strcmp(name, "printf") == 0 ||
	    strcmp(name, "unset") == 0) {
		int assigns = name[0] == 'e' || name[0] == 'd' || name[0] == 't' ||
		              strcmp(name, "local") == 0 || strcmp(name, "readonly") == 0;
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if (a[0] == '-')
				continue;
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a) : strlen(a);
			char *vn = xstrndup(a, nl);
			if (assigns && eq && !(f->fl[k] & WORD_DYNAMIC))
				var_set(c, vn, eq + 1);
			else if (!assigns || eq || strcmp(name, "unset") == 0)
				var_set(c, vn, NULL);
			free(vn);
		}
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "xargs") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = parse_opts(f, i + 1, "adEILnPsS", xargs_lo, &o);
		char *nv = via_add(c, via, "xargs");
		const char *rep = o.val['I']    ? o.val['I']
		                  : o.seen['i'] ? (o.val['i'] ? o.val['i'] : "{}")
		                                : NULL;
		struct fields g = {0};
		int known_in = in && in->text && in->known && !rep;
		if (k >= f->n) {
			fields_push(&g, xstrdup("echo"), 0);
		} else {
			for (size_t j = k; j < f->n; j++) {
				unsigned fl = f->fl[j];
				if (rep && *rep && strstr(f->s[j], rep))
					fl |= WORD_DYNAMIC;
				fields_push(&g, xstrdup(f->s[j]), fl);
			}
		}
		if (known_in) {
			/* the input is known: its items become the arguments */
			if (o.seen['0'] || o.val['d']) {
				fields_push(&g, xstrdup(in->text), 0);
			} else {
				char *dup = xstrdup(in->text);
				char *sv = NULL;
				for (char *t = strtok_r(dup, " \t\n", &sv); t;
				     t = strtok_r(NULL, " \t\n", &sv))
					fields_push(&g, xstrdup(t), 0);
				free(dup);
			}
		}
		emit_at(c, site, f, i, 0, via);
		unwrap_from(c, site, &g, 0, NULL, nv, depth + 1);
		fields_free(&g);
		free(nv);
		return;
	}
	if (strcmp(name, "find") == 0) {
		emit_at(c, site, f, i, 0, via);
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if (strcmp(a, "-exec") && strcmp(a, "-execdir") && strcmp(a, "-ok") &&
			    strcmp(a, "-okdir"))
				continue;
			struct fields g = {0};
			size_t j = k + 1;
			for (; j < f->n; j++) {
				if (strcmp(f->s[j], ";") == 0 || strcmp(f->s[j], "+") == 0)
					break;
				unsigned fl = f->fl[j];
				if (strstr(f->s[j], "{}"))
					fl |= WORD_DYNAMIC;
				fields_push(&g, xstrdup(f->s[j]), fl);
			}
			char *nv = via_add(c, via, a + 1);
			char *nv2 = xasprintf("find %s", nv);
			unwrap_from(c, site, &g, 0, NULL, nv2, depth + 1);
			free(nv);
			free(nv2);
			fields_free(&g);
			k = j;
		}
		return;
	}
	if (strcmp(name, "watch") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = parse_opts(f, i + 1, "n", watch_lo, &o);
		if (k >= f->n) {
			emit_at(c, site, f, i, 0, via);
			return;
		}
		if (o.seen['x']) {
			char *nv = via_add(c, via, "watch -x");
			unwrap_from(c, site, f, k, NULL, nv, depth + 1);
			free(nv);
			return;
		}
		int dyn;
		char *t = join_fields(f, k, &dyn);
		if (dyn)
			emit_opaque(c, site, f, i, via, "command known only at run time");
		else
			shell_text(c, site, t, "watch", via);
		free(t);
		return;
	}
	if (strcmp(name, "su") == 0 || strcmp(name, "runuser") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		const char *args = strcmp(name, "su") == 0 ? "csgGw" : "csgGwu";
		size_t k = parse_opts(f, i + 1, args, su_lo, &o);
		if (o.val['u'] && k < f->n) {
			char *nv = via_add(c, via, name);
			unwrap_from(c, site, f, k, in, nv, depth + 1);
			free(nv);
			return;
		}
		if (k < f->n && strcmp(f->s[k], "-") == 0)
			k++;
		if (k < f->n && f->s[k][0] != '-')
			k++; /* the user */
		k = parse_opts(f, k, args, su_lo, &o);
		if (o.val['c'])
			shell_text(c, site, o.val['c'],
			           strcmp(name, "su") == 0 ? "su -c" : "runuser -c", via);
		else
			emit_at(c, site, f, i, 0, via);
		return;
	}
	if (strcmp(name, "ssh") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = parse_opts(f, i + 1, "BbcDEeFIiJLlmOopQRSWw", NULL, &o);
		emit_at(c, site, f, i, 0, via);
		if (k + 1 < f->n && !o.seen['N']) {
			int dyn;
			char *t = join_fields(f, k + 1, &dyn);
			char *how = xasprintf("ssh %s", f->s[k]);
			if (!dyn)
				shell_text(c, site, t, how, via);
			free(how);
			free(t);
		}
		return;
	}
	if (strcmp(name, "npx") == 0 || strcmp(name, "bunx") == 0 || strcmp(name, "pnpx") == 0) {
		npx_cmd(c, site, f, i + 1, in, via, depth, name);
		return;
	}
	if ((strcmp(name, "npm") == 0 || strcmp(name, "pnpm") == 0 || strcmp(name, "yarn") == 0 ||
	     strcmp(name, "bun") == 0) &&
	    i + 1 < f->n &&
	    (strcmp(f->s[i + 1], "exec") == 0 || strcmp(f->s[i + 1], "x") == 0 ||
	     strcmp(f->s[i + 1], "dlx") == 0)) {
		char *how = xasprintf("%s %s", name, f->s[i + 1]);
		npx_cmd(c, site, f, i + 2, in, via, depth, how);
		free(how);
		return;
	}
	if (strcmp(name, "npm") == 0 || strcmp(name, "pnpm") == 0 || strcmp(name, "yarn") == 0 ||
	    strcmp(name, "bun") == 0) {
		static const char *const yarn_cmds[] = {"add",
		                                        "audit",
		                                        "autoclean",
		                                        "bin",
		                                        "cache",
		                                        "check",
		                                        "config",
		                                        "create",
		                                        "dedupe",
		                                        "dlx",
		                                        "exec",
		                                        "explain",
		                                        "generate-lock-entry",
		                                        "global",
		                                        "help",
		                                        "import",
		                                        "info",
		                                        "init",
		                                        "install",
		                                        "licenses",
		                                        "link",
		                                        "list",
		                                        "login",
		                                        "logout",
		                                        "node",
		                                        "outdated",
		                                        "owner",
		                                        "pack",
		                                        "patch",
		                                        "policies",
		                                        "publish",
		                                        "rebuild",
		                                        "remove",
		                                        "set",
		                                        "tag",
		                                        "team",
		                                        "unlink",
		                                        "unplug",
		                                        "up",
		                                        "upgrade",
		                                        "upgrade-interactive",
		                                        "version",
		                                        "versions",
		                                        "why",
		                                        "workspace",
		                                        "workspaces",
		                                        "x",
		                                        NULL};
		size_t k = i + 1;
		while (k < f->n && f->s[k][0] == '-')
			k++;
		const char *sub = k < f->n ? f->s[k] : NULL;
		const char *script = NULL;
		if (sub && (strcmp(sub, "run") == 0 || strcmp(sub, "run-script") == 0)) {
			size_t j = k + 1;
			while (j < f->n && f->s[j][0] == '-')
				j++;
			script = j < f->n ? f->s[j] : NULL;
		} else if (sub && (strcmp(sub, "start") == 0 || strcmp(sub, "stop") == 0 ||
		                   strcmp(sub, "test") == 0 || strcmp(sub, "restart") == 0 ||
		                   strcmp(sub, "t") == 0)) {
			script = strcmp(sub, "t") == 0 ? "test" : sub;
		} else if (sub && strcmp(name, "npm") != 0 && !in_list(yarn_cmds, sub)) {
			script = sub; /* yarn X / pnpm X: a script, else a package binary */
			if (npm_script(c, site, script, via) <= 0) {
				char *nv = via_add(c, via, name);
				unwrap_from(c, site, f, k, in, nv, depth + 1);
				free(nv);
				return;
			}
			emit_at(c, site, f, i, 0, via);
			return;
		}
		if (script && !(f->fl[k] & WORD_DYNAMIC))
			npm_script(c, site, script, via);
		emit_at(c, site, f, i, 0, via);
		return;
	}
	/* interpreters with code on the command line */
	const char *interp = NULL;
	const char *codeopt = NULL;
	if (strncmp(name, "python", 6) == 0) {
		interp = "python3";
		codeopt = "c";
	} else if (strcmp(name, "perl") == 0) {
		interp = "perl";
		codeopt = "eE";
	} else if (strcmp(name, "ruby") == 0) {
		interp = "ruby";
		codeopt = "e";
	} else if (strcmp(name, "node") == 0 || strcmp(name, "nodejs") == 0) {
		interp = "node";
		codeopt = "ep";
	} else if (strncmp(name, "php", 3) == 0) {
		interp = "php";
		codeopt = "r";
	} else if (strncmp(name, "lua", 3) == 0) {
		interp = "lua";
		codeopt = "e";
	}
	if (interp) {
		/* inline code (-c, -e, --eval) or code on stdin: shell commands in
		   string literals are followed; the rest is opaque */
		const char *code = NULL;
		int dyn = 0, script = 0;
		size_t script_at = 0;
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if (strcmp(a, "--eval") == 0 || strcmp(a, "--print") == 0 ||
			    (a[0] == '-' && a[1] != '-' && a[1] &&
			     strchr(codeopt, a[strlen(a) - 1]))) {
				if (k + 1 < f->n) {
					code = f->s[k + 1];
					dyn = (f->fl[k + 1] & WORD_DYNAMIC) != 0;
				}
				break;
			}
			if (strcmp(a, "-") == 0 || strcmp(a, "/dev/stdin") == 0 ||
			    strcmp(a, "/dev/fd/0") == 0 || strcmp(a, "/proc/self/fd/0") == 0)
				break; /* code from stdin */
			if (a[0] != '-') {
				/* a script file: its code is not read, but its name says
				   what it is (node node_modules/pm2/bin/pm2 list is pm2) */
				script = 1;
				script_at = k;
				break;
			}
		}
		if (!code && !script && in && in->text && in->known)
			code = in->text;
		else if (!code && !script && in)
			dyn = 1;
		if (code || dyn)
			emit_opaque(c, site, f, i, via, "interpreter code guard cannot read");
		else
			emit_at(c, site, f, i, 0, via);
		if (code && !dyn)
			scan_code(c, site, code, interp, via);
		if (script)
			script_as_program(c, site, f, script_at, interp, via);
		return;
	}
	if (strcmp(name, "sed") == 0) {
		/* GNU sed's e command and s///e flag run shell commands */
		int runs = 0;
		for (size_t k = i + 1; k < f->n; k++) {
			const char *a = f->s[k];
			if (a[0] == '-' && strcmp(a, "-e") && strcmp(a, "--expression"))
				continue;
			for (const char *q = a; *q; q++) {
				if (*q == 'e' && (q == a || strchr("0123456789$;{ \t/", q[-1])) &&
				    (q[1] == ' ' || q[1] == 0 || q[1] == ';' || q[1] == '}'))
					runs = 1;
			}
		}
		if (runs && sed_simulate(c, site, f, i, in, via))
			emit_at(c, site, f, i, 0, via);
		else if (runs)
			emit_opaque(c, site, f, i, via, "sed script runs commands (e)");
		else
			emit_at(c, site, f, i, 0, via);
		return;
	}
	if (strcmp(name, "git") == 0) {
		/* -c alias.x=!cmd and -c core.pager=cmd run shell commands */
		emit_at(c, site, f, i, 0, via);
		for (size_t k = i + 1; k + 1 < f->n && f->s[k][0] == '-'; k++) {
			if (strcmp(f->s[k], "-c") != 0)
				continue;
			const char *kv = f->s[++k];
			const char *eq = strchr(kv, '=');
			if (!eq)
				continue;
			int shell_key = strncasecmp(kv, "core.pager=", 11) == 0 ||
			                strncasecmp(kv, "core.editor=", 12) == 0 ||
			                strncasecmp(kv, "core.sshcommand=", 16) == 0 ||
			                strncasecmp(kv, "sequence.editor=", 16) == 0 ||
			                strncasecmp(kv, "core.fsmonitor=", 15) == 0;
			if (strncasecmp(kv, "alias.", 6) == 0 && eq[1] == '!')
				shell_text(c, site, eq + 2, "git alias", via);
			else if (shell_key || strncasecmp(kv, "pager.", 6) == 0)
				shell_text(c, site, eq + 1, "git -c", via);
		}
		return;
	}
	if (strcmp(name, "make") == 0 || strcmp(name, "gmake") == 0) {
		make_targets(c, site, f, i, via);
		emit_at(c, site, f, i, 0, via);
		return;
	}
	if (strcmp(name, "awk") == 0 || strcmp(name, "gawk") == 0 || strcmp(name, "mawk") == 0 ||
	    strcmp(name, "nawk") == 0) {
		emit_at(c, site, f, i, 0, via);
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = parse_opts(f, i + 1, "Fvf", NULL, &o);
		if (!o.val['f'] && k < f->n) {
			if ((f->fl[k] & WORD_DYNAMIC) || scan_awk(c, site, f->s[k], via))
				emit_opaque(c, site, f, i, via, "awk program guard cannot read");
		}
		return;
	}
plain:
	/* PATH set on the line (PATH=./tools:$PATH ls): the directories it
	   names may hold a script of that name */
	if (!strchr(path, '/')) {
		char *found = path_lookup(c, site, path);
		if (found) {
			int r = read_script(c, site, found, -1, via);
			free(found);
			if (r < 0)
				emit_opaque(c, site, f, i, via, "runs a script guard cannot read");
		}
	}
	/* a script run by path */
	if (strchr(path, '/')) {
		int r = read_script(c, site, path, -1, via);
		size_t pl = strlen(path);
		int scriptish = (pl > 3 && strcmp(path + pl - 3, ".sh") == 0) ||
		                (pl > 5 && strcmp(path + pl - 5, ".bash") == 0);
		/* a relative path that is not there yet may be written earlier on
		   the line (echo ... > x; ./x): opaque, like an unreadable script */
		if (r < 0 && (scriptish || path[0] != '/' || access(path, F_OK) == 0)) {
			emit_opaque(c, site, f, i, via, "runs a script guard cannot read");
			return;
		}
	}
	emit_at(c, site, f, i, 0, via);
}

void unwrap(struct actx *c, const struct cmdsite *site, const struct fields *f,
            const struct stdin_src *in)
{
	unwrap_from(c, site, f, 0, in, c->via, 0);
}
