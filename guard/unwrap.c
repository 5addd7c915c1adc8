/*
 * unwrap.c - peel wrapper programs off a command and follow what they run.
 *
 * `sudo -u deploy env A=1 nohup pm2 restart` runs pm2; `bash -c 'pm2 list'`,
 * `eval "pm2 list"`, `find . -exec pm2 list \;`, `npx pm2` and
 * `python3 -c 'os.system("pm2 list")'` run pm2 too.  Each wrapper is parsed
 * with its real option syntax (which options take an argument, as getopt
 * parses them), so that option values are never mistaken for the command.
 *
 * The table specs[] says, for each wrapper or tool, its options, whether
 * its operands are the command (sudo, nohup, strace) or data (tar, vim),
 * which options' values run (flock -c, fakeroot --faked), and a handler
 * for what the options cannot say (unwrap_tools.c: tmux, vim, git, ...).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "unwrap_int.h"

/* ---- option syntax ---------------------------------------------------- */

void optres_free(struct optres *o)
{
	free(o->occ);
	free(o->op);
	o->occ = NULL;
	o->op = NULL;
	o->nocc = o->nop = 0;
}

static void occ_add(struct optres *o, unsigned char key, const char *val, unsigned fl, size_t at)
{
	key &= 127;
	o->seen[key] = 1;
	if (val) {
		o->val[key] = val;
		o->vfl[key] = fl;
	}
	if (!o->rec)
		return;
	if (o->nocc == o->occcap) {
		o->occcap = o->occcap ? o->occcap * 2 : 8;
		o->occ = xreallocarray(o->occ, o->occcap, sizeof *o->occ);
	}
	o->occ[o->nocc++] = (struct occ){key, val, fl, at};
}

static void op_add(struct optres *o, size_t k)
{
	if (o->nop == o->opcap) {
		o->opcap = o->opcap ? o->opcap * 2 : 8;
		o->op = xreallocarray(o->op, o->opcap, sizeof *o->op);
	}
	o->op[o->nop++] = k;
}

/* The long option name[0..nl) means, as getopt_long finds it: an exact
   name, else a prefix of options that all mean the same. */
const struct lopt *lopt_find(const struct lopt *lo, const char *name, size_t nl)
{
	const struct lopt *hit = NULL;
	int other = 0;
	if (nl == 0)
		return NULL;
	for (const struct lopt *l = lo; l && l->name; l++) {
		if (strncmp(l->name, name, nl) != 0)
			continue;
		if (l->name[nl] == 0)
			return l;
		if (!hit)
			hit = l;
		else if (hit->key != l->key || hit->arg != l->arg)
			other = 1;
	}
	return other ? NULL : hit;
}

/* Parses options from f->s[i...] as getopt_long would; returns the index of
   the first operand (with permute: of the word after the last one parsed,
   the operands are in o->op). */
size_t getopts(const struct fields *f, size_t i, const struct ospec *sp, struct optres *o)
{
	while (i < f->n) {
		const char *a = f->s[i];
		if (strcmp(a, "--") == 0) {
			i++;
			if (sp->permute)
				for (; i < f->n; i++)
					op_add(o, i);
			return i;
		}
		if (a[0] != '-' || a[1] == 0) {
			if (!sp->permute)
				return i;
			op_add(o, i++);
			continue;
		}
		int dd = a[1] == '-';
		if (dd || (sp->longonly && a[2])) {
			const char *name = a + 1 + dd;
			const char *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			const struct lopt *l = lopt_find(sp->lo, name, nl);
			if (l || dd) {
				unsigned fl = f->fl[i];
				i++;
				if (!l)
					continue; /* unknown: getopt stops the program */
				if (eq && l->arg != A_NONE) {
					occ_add(o, l->key, eq + 1, fl, i - 1);
				} else if (l->arg == A_REQ && i < f->n) {
					occ_add(o, l->key, f->s[i], f->fl[i], i);
					i++;
				} else {
					occ_add(o, l->key, NULL, 0, i - 1);
				}
				continue;
			}
		}
		/* a cluster of short options */
		unsigned fl = f->fl[i];
		i++;
		for (size_t j = 1; a[j]; j++) {
			unsigned char ch = (unsigned char)a[j];
			if (ch >= 128)
				break;
			if (sp->args && strchr(sp->args, ch)) {
				if (a[j + 1]) {
					occ_add(o, ch, a + j + 1, fl, i - 1);
				} else if (i < f->n) {
					occ_add(o, ch, f->s[i], f->fl[i], i);
					i++;
				} else {
					occ_add(o, ch, NULL, 0, i - 1);
				}
				break;
			}
			if (sp->optargs && strchr(sp->optargs, ch)) {
				occ_add(o, ch, a[j + 1] ? a + j + 1 : NULL, fl, i - 1);
				break;
			}
			occ_add(o, ch, NULL, 0, i - 1);
		}
	}
	return i;
}

/* Parses options from f->s[i...]; returns the index of the first operand. */
size_t parse_opts(const struct fields *f, size_t i, const char *args, const struct lopt *lo,
                  struct optres *o)
{
	const struct ospec sp = {args, NULL, lo, 0, 0};
	return getopts(f, i, &sp, o);
}

/* ---- what wrappers and tools run --------------------------------------- */

/* wspec flags */
enum {
	W_ENV = 1 << 0,     /* NAME=value words may precede the command (env) */
	W_SUDOENV = 1 << 1, /* ... and may come between options (sudo) */
	W_NOEXEC = 1 << 2,  /* operands are data, not a command (a tool) */
	W_XONLY = 1 << 3,   /* with a command option (-c), operands are not a command */
	W_PERMUTE = 1 << 4, /* options may follow operands */
	W_LONGONLY = 1 << 5,
};

struct wspec {
	const char *name;
	const char *args;    /* short options taking an argument */
	const char *optargs; /* short options taking an optional, attached argument */
	const struct lopt *lo;
	int skip;          /* positional words before the command */
	unsigned flags;    /* W_* */
	const char *nocmd; /* short options meaning nothing is executed */
	const struct xopt *xo;
	/* what the operands do, when it is not "the command": called after
	   the options are parsed (u->k is the first operand) */
	void (*run)(struct ucall *u);
};

static const struct lopt sudo_lo[] = {
    {"askpass", 'A', A_NONE},
    {"auth-type", 'a', A_REQ},
    {"background", 'b', A_NONE},
    {"bell", 'B', A_NONE},
    {"close-from", 'C', A_REQ},
    {"login-class", 'c', A_REQ},
    {"chdir", 'D', A_REQ},
    {"chroot", 'R', A_REQ},
    {"preserve-env", 'E', A_OPT},
    {"edit", 'e', A_NONE},
    {"group", 'g', A_REQ},
    {"set-home", 'H', A_NONE},
    {"help", 1, A_NONE},
    {"host", 'h', A_REQ},
    {"login", 'i', A_NONE},
    {"remove-timestamp", 'K', A_NONE},
    {"reset-timestamp", 'k', A_NONE},
    {"list", 'l', A_NONE},
    {"no-update", 'N', A_NONE},
    {"non-interactive", 'n', A_NONE},
    {"preserve-groups", 'P', A_NONE},
    {"prompt", 'p', A_REQ},
    {"role", 'r', A_REQ},
    {"stdin", 'S', A_NONE},
    {"shell", 's', A_NONE},
    {"type", 't', A_REQ},
    {"command-timeout", 'T', A_REQ},
    {"other-user", 'U', A_REQ},
    {"user", 'u', A_REQ},
    {"version", 'V', A_NONE},
    {"validate", 'v', A_NONE},
    {NULL, 0, 0},
};
static const struct lopt env_lo[] = {
    {"argv0", 'a', A_REQ},
    {"unset", 'u', A_REQ},
    {"chdir", 'C', A_REQ},
    {"split-string", 'S', A_REQ},
    {"ignore-environment", 'i', A_NONE},
    {"null", '0', A_NONE},
    {"debug", 'v', A_NONE},
    {"default-signal", 1, A_OPT},
    {"ignore-signal", 2, A_OPT},
    {"block-signal", 3, A_OPT},
    {"list-signal-handling", 4, A_NONE},
    {"help", 5, A_NONE},
    {"version", 6, A_NONE},
    {NULL, 0, 0},
};
static const struct lopt nice_lo[] = {{"adjustment", 'n', A_REQ}, {NULL, 0, 0}};
static const struct lopt timeout_lo[] = {
    {"kill-after", 'k', A_REQ},       {"signal", 's', A_REQ},   {"foreground", 'f', A_NONE},
    {"preserve-status", 'p', A_NONE}, {"verbose", 'v', A_NONE}, {NULL, 0, 0}};
static const struct lopt time_lo[] = {{"format", 'f', A_REQ},
                                      {"output", 'o', A_REQ},
                                      {"append", 'a', A_NONE},
                                      {"portability", 'p', A_NONE},
                                      {"verbose", 'v', A_NONE},
                                      {"quiet", 'q', A_NONE},
                                      {NULL, 0, 0}};
static const struct lopt stdbuf_lo[] = {
    {"input", 'i', A_REQ}, {"output", 'o', A_REQ}, {"error", 'e', A_REQ}, {NULL, 0, 0}};
static const struct lopt setsid_lo[] = {
    {"ctty", 'c', A_NONE}, {"fork", 'f', A_NONE}, {"wait", 'w', A_NONE}, {NULL, 0, 0}};
static const struct lopt flock_lo[] = {{"timeout", 'w', A_REQ},
                                       {"wait", 'w', A_REQ},
                                       {"conflict-exit-code", 'E', A_REQ},
                                       {"command", 'c', A_REQ},
                                       {"shared", 's', A_NONE},
                                       {"exclusive", 'x', A_NONE},
                                       {"nonblock", 'n', A_NONE},
                                       {"nonblocking", 'n', A_NONE},
                                       {"close", 'o', A_NONE},
                                       {"no-fork", 'F', A_NONE},
                                       {"unlock", 'u', A_NONE},
                                       {"verbose", 1, A_NONE},
                                       {NULL, 0, 0}};
static const struct lopt chroot_lo[] = {
    {"userspec", 'U', A_REQ}, {"groups", 'G', A_REQ}, {"skip-chdir", 1, A_NONE}, {NULL, 0, 0}};
static const struct lopt su_lo[] = {{"command", 'c', A_REQ},
                                    {"session-command", 'c', A_REQ},
                                    {"shell", 's', A_REQ},
                                    {"group", 'g', A_REQ},
                                    {"supp-group", 'G', A_REQ},
                                    {"whitelist-environment", 'w', A_REQ},
                                    {"user", 'u', A_REQ},
                                    {"login", 'l', A_NONE},
                                    {"preserve-environment", 'm', A_NONE},
                                    {"fast", 'f', A_NONE},
                                    {"pty", 1, A_NONE},
                                    {NULL, 0, 0}};
static const struct lopt watch_lo[] = {{"interval", 'n', A_REQ},
                                       {"exec", 'x', A_NONE},
                                       {"differences", 'd', A_OPT},
                                       {"beep", 'b', A_NONE},
                                       {"errexit", 'e', A_NONE},
                                       {"chgexit", 'g', A_NONE},
                                       {"no-title", 't', A_NONE},
                                       {"precise", 'p', A_NONE},
                                       {"color", 'c', A_NONE},
                                       {"no-wrap", 'w', A_NONE},
                                       {NULL, 0, 0}};
static const struct lopt xargs_lo[] = {
    {"arg-file", 'a', A_REQ},  {"delimiter", 'd', A_REQ},        {"eof", 'e', A_OPT},
    {"replace", 'i', A_OPT},   {"max-lines", 'l', A_OPT},        {"max-args", 'n', A_REQ},
    {"max-procs", 'P', A_REQ}, {"max-chars", 's', A_REQ},        {"process-slot-var", 'S', A_REQ},
    {"null", '0', A_NONE},     {"no-run-if-empty", 'r', A_NONE}, {NULL, 0, 0}};
static const struct lopt npx_lo[] = {
    {"package", 'p', A_REQ}, {"call", 'c', A_REQ}, {"yes", 'y', A_NONE}, {NULL, 0, 0}};
static const struct lopt ionice_lo[] = {
    {"class", 'c', A_REQ}, {"classdata", 'n', A_REQ}, {"pid", 'p', A_REQ}, {"pgid", 'P', A_REQ},
    {"uid", 'u', A_REQ},   {"ignore", 't', A_NONE},   {NULL, 0, 0}};
static const struct lopt nsenter_lo[] = {{"all", 'a', A_NONE},
                                         {"target", 't', A_REQ},
                                         {"mount", 'm', A_OPT},
                                         {"uts", 'u', A_OPT},
                                         {"ipc", 'i', A_OPT},
                                         {"net", 'n', A_OPT},
                                         {"pid", 'p', A_OPT},
                                         {"cgroup", 'C', A_OPT},
                                         {"user", 'U', A_OPT},
                                         {"time", 'T', A_OPT},
                                         {"setuid", 'S', A_REQ},
                                         {"setgid", 'G', A_REQ},
                                         {"root", 'r', A_OPT},
                                         {"wd", 'w', A_OPT},
                                         {"wdns", 'W', A_REQ},
                                         {"no-fork", 'F', A_NONE},
                                         {"follow-context", 'Z', A_NONE},
                                         {"preserve-credentials", 1, A_NONE},
                                         {"user-parent", 2, A_NONE},
                                         {"keep-caps", 3, A_NONE},
                                         {"env", 'e', A_NONE},
                                         {NULL, 0, 0}};
static const struct lopt unshare_lo[] = {{"mount", 'm', A_OPT},
                                         {"uts", 'u', A_OPT},
                                         {"ipc", 'i', A_OPT},
                                         {"net", 'n', A_OPT},
                                         {"pid", 'p', A_OPT},
                                         {"user", 'U', A_OPT},
                                         {"cgroup", 'C', A_OPT},
                                         {"time", 'T', A_OPT},
                                         {"fork", 'f', A_NONE},
                                         {"kill-child", 1, A_OPT},
                                         {"mount-proc", 2, A_OPT},
                                         {"map-user", 3, A_REQ},
                                         {"map-users", 4, A_REQ},
                                         {"map-group", 5, A_REQ},
                                         {"map-groups", 6, A_REQ},
                                         {"map-root-user", 'r', A_NONE},
                                         {"map-current-user", 'c', A_NONE},
                                         {"map-auto", 7, A_NONE},
                                         {"propagation", 8, A_REQ},
                                         {"setgroups", 9, A_REQ},
                                         {"keep-caps", 10, A_NONE},
                                         {"setuid", 'S', A_REQ},
                                         {"setgid", 'G', A_REQ},
                                         {"root", 'R', A_REQ},
                                         {"wd", 'w', A_REQ},
                                         {"monotonic", 11, A_REQ},
                                         {"boottime", 12, A_REQ},
                                         {"mount-binfmt", 13, A_OPT},
                                         {"load-interp", 14, A_REQ},
                                         {"forward-signals", 15, A_NONE},
                                         {NULL, 0, 0}};
static const struct lopt setpriv_lo[] = {{"dump", 'd', A_NONE},
                                         {"nnp", 1, A_NONE},
                                         {"no-new-privs", 1, A_NONE},
                                         {"inh-caps", 2, A_REQ},
                                         {"ambient-caps", 3, A_REQ},
                                         {"bounding-set", 4, A_REQ},
                                         {"ruid", 5, A_REQ},
                                         {"euid", 6, A_REQ},
                                         {"rgid", 7, A_REQ},
                                         {"egid", 8, A_REQ},
                                         {"reuid", 9, A_REQ},
                                         {"regid", 10, A_REQ},
                                         {"clear-groups", 11, A_NONE},
                                         {"keep-groups", 12, A_NONE},
                                         {"init-groups", 13, A_NONE},
                                         {"groups", 14, A_REQ},
                                         {"securebits", 15, A_REQ},
                                         {"pdeathsig", 16, A_REQ},
                                         {"selinux-label", 17, A_REQ},
                                         {"apparmor-profile", 18, A_REQ},
                                         {"landlock-access", 19, A_REQ},
                                         {"landlock-rule", 20, A_REQ},
                                         {"reset-env", 21, A_NONE},
                                         {"seccomp-filter", 22, A_REQ},
                                         {NULL, 0, 0}};
static const struct lopt script_lo[] = {
    {"append", 'a', A_NONE},    {"command", 'c', A_REQ},        {"echo", 'E', A_REQ},
    {"return", 'e', A_NONE},    {"flush", 'f', A_NONE},         {"force", 1, A_NONE},
    {"log-in", 'I', A_REQ},     {"log-out", 'O', A_REQ},        {"log-io", 'B', A_REQ},
    {"log-timing", 'T', A_REQ}, {"logging-format", 'm', A_REQ}, {"output-limit", 'o', A_REQ},
    {"quiet", 'q', A_NONE},     {"timing", 't', A_OPT},         {NULL, 0, 0}};
static const struct lopt systemd_run_lo[] = {{"user", 1, A_NONE},
                                             {"system", 2, A_NONE},
                                             {"scope", 3, A_NONE},
                                             {"unit", 'u', A_REQ},
                                             {"property", 'p', A_REQ},
                                             {"description", 4, A_REQ},
                                             {"slice", 5, A_REQ},
                                             {"slice-inherit", 6, A_NONE},
                                             {"no-block", 7, A_NONE},
                                             {"remain-after-exit", 'r', A_NONE},
                                             {"wait", 8, A_NONE},
                                             {"send-sighup", 9, A_NONE},
                                             {"service-type", 10, A_REQ},
                                             {"uid", 11, A_REQ},
                                             {"gid", 12, A_REQ},
                                             {"nice", 13, A_REQ},
                                             {"working-directory", 14, A_REQ},
                                             {"same-dir", 'd', A_NONE},
                                             {"setenv", 'E', A_REQ},
                                             {"pty", 't', A_NONE},
                                             {"pipe", 'P', A_NONE},
                                             {"quiet", 'q', A_NONE},
                                             {"collect", 'G', A_NONE},
                                             {"shell", 'S', A_NONE},
                                             {"path-property", 15, A_REQ},
                                             {"socket-property", 16, A_REQ},
                                             {"on-active", 17, A_REQ},
                                             {"on-boot", 18, A_REQ},
                                             {"on-startup", 19, A_REQ},
                                             {"on-unit-active", 20, A_REQ},
                                             {"on-unit-inactive", 21, A_REQ},
                                             {"on-calendar", 22, A_REQ},
                                             {"on-timezone-change", 23, A_NONE},
                                             {"on-clock-change", 24, A_NONE},
                                             {"timer-property", 25, A_REQ},
                                             {"host", 'H', A_REQ},
                                             {"machine", 'M', A_REQ},
                                             {"no-ask-password", 26, A_NONE},
                                             {"expand-environment", 27, A_REQ},
                                             {"json", 28, A_REQ},
                                             {"ignore-failure", 29, A_NONE},
                                             {"background", 30, A_REQ},
                                             {NULL, 0, 0}};
static const struct lopt strace_lo[] = {{"columns", 'a', A_REQ},
                                        {"output-append-mode", 'A', A_NONE},
                                        {"detach-on", 'b', A_REQ},
                                        {"summary-only", 'c', A_NONE},
                                        {"summary", 'C', A_NONE},
                                        {"debug", 'd', A_NONE},
                                        {"daemonize", 'D', A_OPT},
                                        {"env", 'E', A_REQ},
                                        {"follow-forks", 'f', A_NONE},
                                        {"output-separately", 1, A_NONE},
                                        {"help", 'h', A_NONE},
                                        {"instruction-pointer", 'i', A_NONE},
                                        {"interruptible", 'I', A_REQ},
                                        {"stack-trace", 'k', A_NONE},
                                        {"stack-traces", 'k', A_NONE},
                                        {"syscall-number", 'n', A_NONE},
                                        {"output", 'o', A_REQ},
                                        {"summary-syscall-overhead", 'O', A_REQ},
                                        {"attach", 'p', A_REQ},
                                        {"trace-path", 'P', A_REQ},
                                        {"quiet", 'q', A_OPT},
                                        {"silent", 'q', A_OPT},
                                        {"relative-timestamps", 'r', A_OPT},
                                        {"string-limit", 's', A_REQ},
                                        {"summary-sort-by", 'S', A_REQ},
                                        {"absolute-timestamps", 't', A_OPT},
                                        {"timestamps", 't', A_OPT},
                                        {"syscall-times", 'T', A_OPT},
                                        {"user", 'u', A_REQ},
                                        {"summary-columns", 'U', A_REQ},
                                        {"no-abbrev", 'v', A_NONE},
                                        {"version", 'V', A_NONE},
                                        {"summary-wall-clock", 'w', A_NONE},
                                        {"strings-in-hex", 'x', A_OPT},
                                        {"const-print-style", 'X', A_REQ},
                                        {"decode-fds", 'y', A_OPT},
                                        {"decode-pids", 'Y', A_OPT},
                                        {"successful-only", 'z', A_NONE},
                                        {"failed-only", 'Z', A_NONE},
                                        {"failing-only", 'Z', A_NONE},
                                        {"seccomp-bpf", 2, A_NONE},
                                        {"trace", 3, A_REQ},
                                        {"trace-fds", 4, A_REQ},
                                        {"abbrev", 5, A_REQ},
                                        {"verbose", 6, A_REQ},
                                        {"raw", 7, A_REQ},
                                        {"signal", 8, A_REQ},
                                        {"signals", 8, A_REQ},
                                        {"status", 9, A_REQ},
                                        {"read", 10, A_REQ},
                                        {"write", 11, A_REQ},
                                        {"fault", 12, A_REQ},
                                        {"inject", 13, A_REQ},
                                        {"kvm", 14, A_REQ},
                                        {"tips", 15, A_OPT},
                                        {"argv0", 16, A_REQ},
                                        {"secontext", 17, A_OPT},
                                        {"timestamps-format", 18, A_REQ},
                                        {NULL, 0, 0}};
static const struct lopt ltrace_lo[] = {
    {"align", 'a', A_REQ},     {"config", 'F', A_REQ},   {"debug", 'D', A_REQ},
    {"demangle", 'C', A_NONE}, {"library", 'l', A_REQ},  {"indent", 'n', A_REQ},
    {"output", 'o', A_REQ},    {"where", 'w', A_REQ},    {"no-signals", 'b', A_NONE},
    {"help", 'h', A_NONE},     {"version", 'V', A_NONE}, {NULL, 0, 0}};
static const struct lopt dbus_run_lo[] = {
    {"config-file", 1, A_REQ}, {"dbus-daemon", 2, A_REQ}, {NULL, 0, 0}};
static const struct lopt fakeroot_lo[] = {{"lib", 'l', A_REQ},
                                          {"faked", 'f', A_REQ},
                                          {"unknown-is-real", 'u', A_NONE},
                                          {"fd-base", 'b', A_REQ},
                                          {"version", 'v', A_NONE},
                                          {"help", 'h', A_NONE},
                                          {NULL, 0, 0}};
static const struct lopt pkexec_lo[] = {
    {"user", 'u', A_REQ},    {"disable-internal-agent", 1, A_NONE},
    {"keep-cwd", 2, A_NONE}, {"help", 3, A_NONE},
    {"version", 4, A_NONE},  {NULL, 0, 0}};
static const struct lopt runcon_lo[] = {{"user", 'u', A_REQ},     {"role", 'r', A_REQ},
                                        {"type", 't', A_REQ},     {"range", 'l', A_REQ},
                                        {"compute", 'c', A_NONE}, {NULL, 0, 0}};

static const struct xopt x_c[] = {{'c', X_CMD}, {0, 0}};
static const struct xopt x_dbus[] = {{2, X_CMD}, {0, 0}};
static const struct xopt x_fakeroot[] = {{'f', X_CMD}, {'l', X_OPAQUE}, {0, 0}};

#define RAW NULL, NULL, NULL, 0, 0, NULL, NULL /* the handler parses everything */
static const struct wspec specs[] = {
    {"sudo", "aCcDgprRtTUuh", NULL, sudo_lo, 0, W_SUDOENV, "lveKV", NULL, NULL},
    {"doas", "auC", NULL, NULL, 0, 0, "CL", NULL, NULL},
    {"env", "aCSu", NULL, env_lo, 0, W_ENV, NULL, NULL, NULL},
    {"nohup", "", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"nice", "n", NULL, nice_lo, 0, 0, NULL, NULL, NULL},
    {"ionice", "cnpPu", NULL, ionice_lo, 0, 0, "pPu", NULL, NULL},
    {"timeout", "ks", NULL, timeout_lo, 1, 0, NULL, NULL, NULL},
    {"time", "fo", NULL, time_lo, 0, 0, NULL, NULL, NULL},
    {"stdbuf", "ioe", NULL, stdbuf_lo, 0, 0, NULL, NULL, NULL},
    {"setsid", "", NULL, setsid_lo, 0, 0, NULL, NULL, NULL},
    {"chrt", "TPD", NULL, NULL, 1, 0, "pm", NULL, NULL},
    {"taskset", "", NULL, NULL, 1, 0, "p", NULL, NULL},
    {"flock", "wEc", NULL, flock_lo, 1, W_XONLY, NULL, x_c, NULL},
    {"chroot", "", NULL, chroot_lo, 1, 0, NULL, NULL, NULL},
    {"exec", "a", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"nsenter", "tSGW", "muinpCUTrw", nsenter_lo, 0, 0, NULL, NULL, NULL},
    {"unbuffer", "", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"caffeinate", "t", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"catchsegv", "", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"strace", "abeEIoOpPsSuUX", NULL, strace_lo, 0, 0, NULL, NULL, NULL},
    {"ltrace", "aADeFlnopsuwx", NULL, ltrace_lo, 0, 0, NULL, NULL, NULL},
    {"valgrind", "", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"torsocks", "aiPu", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"proxychains", "f", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"proxychains4", "f", NULL, NULL, 0, 0, NULL, NULL, NULL},
    {"systemd-run", "uprEMHsSdG", NULL, systemd_run_lo, 0, 0, NULL, NULL, NULL},
    {"script", "BcEIOomT", "t", script_lo, 0, W_NOEXEC | W_PERMUTE, NULL, x_c, NULL},
    {"setpriv", "", NULL, setpriv_lo, 0, 0, "d", NULL, NULL},
    {"prlimit", "po", "cdefilmnqrstuvxyT", NULL, 0, 0, "p", NULL, NULL},
    {"unshare", "RwSG", NULL, unshare_lo, 0, 0, NULL, NULL, NULL},
    {"sg", RAW, run_sg},
    {"ssh-agent", "aEPtO", NULL, NULL, 0, 0, "k", NULL, NULL},
    {"dbus-run-session", "", NULL, dbus_run_lo, 0, 0, NULL, x_dbus, NULL},
    {"fakeroot", "lfisb", NULL, fakeroot_lo, 0, 0, NULL, x_fakeroot, NULL},
    {"pkexec", "", NULL, pkexec_lo, 0, 0, NULL, NULL, NULL},
    {"runcon", "urtl", NULL, runcon_lo, 0, 0, NULL, NULL, run_runcon},
    {"at", "qfuto", NULL, NULL, 0, W_NOEXEC, "lrdcV", NULL, run_at},
    {"batch", "qfuto", NULL, NULL, 0, W_NOEXEC, "V", NULL, run_at},
    {"crontab", RAW, run_crontab},
    {"dtach", RAW, run_dtach},
    {"tmux", RAW, run_tmux},
    {"screen", RAW, run_screen},
    {"parallel", RAW, run_parallel},
    {"gdb", RAW, run_gdb},
    {"vim", RAW, run_vim},
    {"vi", RAW, run_vim},
    {"ex", RAW, run_vim},
    {"view", RAW, run_vim},
    {"vimdiff", RAW, run_vim},
    {"rvim", RAW, run_vim},
    {"nvim", RAW, run_vim},
    {"gvim", RAW, run_vim},
    {"vim.basic", RAW, run_vim},
    {"vim.tiny", RAW, run_vim},
    {"vim.nox", RAW, run_vim},
    {"ed", RAW, run_ed},
    {"red", RAW, run_ed},
    {"sqlite3", RAW, run_sqlite},
    {"tar", RAW, run_tar},
    {"gtar", RAW, run_tar},
    {"rsync", RAW, run_rsync},
    {"zip", RAW, run_zip},
    {"socat", RAW, run_socat},
    {"nc", RAW, run_nc},
    {"netcat", RAW, run_nc},
    {"ncat", RAW, run_nc},
    {"nc.traditional", RAW, run_nc},
    {"nc.openbsd", RAW, run_nc},
    {"emacs", RAW, run_emacs},
    {"emacsclient", RAW, run_emacs},
    {"less", RAW, run_less},
    {"ssh", RAW, run_ssh},
    {"git", RAW, run_git},
    {"scp", RAW, run_ssh},
    {"sftp", RAW, run_ssh},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
#undef RAW

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

int in_list(const char *const *list, const char *s)
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
    "busybox", "command", "builtin",   "guard", "eval",     "run-parts", "compgen", "enable",
    "hash",    "mapfile", "readarray", "trap",  "source",   ".",         "alias",   "shopt",
    "export",  "declare", "typeset",   "local", "readonly", "read",      "getopts", "printf",
    "unset",   "xargs",   "find",      "watch", "su",       "runuser",   "npx",     "expect",
    "bunx",    "pnpx",    "npm",       "pnpm",  "yarn",     "bun",       "perl",    "ruby",
    "node",    "nodejs",  "awk",       "gawk",  "mawk",     "nawk",      "sed",     "git",
    "make",    "gmake",   "tclsh",     "wish",  NULL};

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

/* Emits f->s[i...] as what runs. */
void emit_at(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
             unsigned flags, const char *via)
{
	if (i >= f->n)
		return;
	if (!(f->fl[i] & WORD_DYNAMIC) && is_builtin(f->s[i]))
		flags |= CMD_BUILTIN;
	emit(c, site, f->s + i, f->fl + i, (int)(f->n - i), flags, via);
}

void emit_opaque(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                 const char *via, const char *why)
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
void shell_text(struct actx *c, const struct cmdsite *site, const char *text, const char *how,
                const char *via)
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

/* How a script file is run (read_script's how). */
enum {
	SCRIPT_EXEC = -1, /* ./x: the kernel reads its #! line; without one, bash runs it */
	SCRIPT_SHELL = 0, /* sh x, source x, . x, bash < x: shell code, whatever its #! */
	SCRIPT_BASH = 1,  /* bash x: shell code, after bash's binary-file check */
};

static int scan_code(struct actx *c, const struct cmdsite *site, const char *code,
                     const char *interp, const char *via);

/* The interpreter a #! program name stands for, for scan_code, or NULL. */
static const char *interp_of(const char *b)
{
	if (strncmp(b, "python", 6) == 0)
		return "python3";
	if (strcmp(b, "perl") == 0)
		return "perl";
	if (strcmp(b, "ruby") == 0)
		return "ruby"; /* static strings: b may be freed */
	if (strcmp(b, "node") == 0 || strcmp(b, "nodejs") == 0)
		return "node";
	if (strncmp(b, "php", 3) == 0)
		return "php";
	if (strncmp(b, "lua", 3) == 0)
		return "lua";
	return NULL;
}

/*
 * bash's check_binary_file() (bash 5.2, general.c), on the first 80 bytes
 * it reads: an ELF header, or a NUL before the end of the first line (of
 * the first two lines when the first is a #! line), and bash refuses to run
 * the file ("cannot execute binary file").  A NUL later is dropped as bash
 * reads the script (checked: printf 'echo\npm\0' is pm).
 */
static int bash_binary(const char *t, size_t len)
{
	size_t n = len < 80 ? len : 80;
	if (n >= 4 && memcmp(t,
	                     "\x7f"
	                     "ELF",
	                     4) == 0)
		return 1;
	int nline = n >= 2 && t[0] == '#' && t[1] == '!' ? 2 : 1;
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\n' && --nline == 0)
			return 0;
		if (t[i] == 0)
			return 1;
	}
	return 0;
}

/* Whether path is a regular file that starts with an ELF header. */
static int is_elf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	char h[4];
	struct stat st;
	int elf = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pread(fd, h, 4, 0) == 4 &&
	          memcmp(h,
	                 "\x7f"
	                 "ELF",
	                 4) == 0;
	close(fd);
	return elf;
}

/*
 * Reads and analyses a script file.  Returns 1 when analysed, 0 when it
 * runs no shell code (a program, another interpreter's script, a file bash
 * refuses as binary), -1 when it cannot be read (not a regular file, too
 * large: the caller reports the command as opaque).  how: SCRIPT_*.  A
 * script of another interpreter run by the kernel (#!/usr/bin/python3) has
 * the shell commands in its string literals followed, as for python3 -c.
 */
/* "./x" and "x" are the same file */
static const char *strip_dot(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		for (p += 2; *p == '/';)
			p++;
	return p;
}

/* Is the file at path not the one guard would read: relative after a cd
   on the line, or written earlier on it? */
static const char *script_moved(const struct actx *c, const char *path)
{
	if (c->cwd_moved && path[0] != '/')
		return "the working directory changed earlier on the line";
	for (size_t k = 0; k < c->written.n; k++)
		if (strcmp(strip_dot(c->written.v[k]), strip_dot(path)) == 0)
			return "the line writes it before it runs";
	return NULL;
}

static int read_script(struct actx *c, const struct cmdsite *site, const char *path, int how,
                       const char *via)
{
	if (!c->opt->read_scripts)
		return 0;
	const char *moved = script_moved(c, path);
	if (moved) {
		actx_trace(c, "%d:%d: cannot read script %s: %s", site->line, site->col, path,
		           moved);
		return -1;
	}
	char *full = NULL;
	if (path[0] != '/' && c->opt->cwd)
		full = xasprintf("%s/%s", c->opt->cwd, path);
	char *text = NULL;
	size_t len = 0;
	if (how != SCRIPT_SHELL && is_elf(full ? full : path)) {
		/* a program (./x), or a file bash refuses (bash x): never read it
		   whole, a local binary can be megabytes */
		free(full);
		return 0;
	}
	int r = read_file(full ? full : path, 1u << 20, &text, &len);
	free(full);
	if (r < 0) {
		actx_trace(c, "%d:%d: cannot read script %s: %s", site->line, site->col, path,
		           r == -EFBIG ? "too large" : strerror(-r));
		return -1;
	}
	int result = 1, bash = how == SCRIPT_BASH;
	const char *interp = NULL;
	int shebang = len >= 2 && text[0] == '#' && text[1] == '!';
	if (how == SCRIPT_EXEC && len >= 4 &&
	    memcmp(text,
	           "\x7f"
	           "ELF",
	           4) == 0) {
		result = 0; /* a program */
	} else if (how == SCRIPT_EXEC && shebang) {
		const char *nl = memchr(text, '\n', len);
		char *line = xstrndup(text + 2, (nl ? (size_t)(nl - text) : len) - 2);
		char *prog = strtok(line, " \t");
		const char *b = prog ? base_name(prog) : "";
		if (strcmp(b, "env") == 0) {
			char *nx = strtok(NULL, " \t");
			while (nx && nx[0] == '-')
				nx = strtok(NULL, " \t");
			b = nx ? base_name(nx) : "";
		}
		if (!in_list(shells, b)) {
			result = 0;
			interp = interp_of(b);
		}
		bash = strcmp(b, "bash") == 0 || strcmp(b, "rbash") == 0;
		free(line);
	} else if (how == SCRIPT_EXEC) {
		bash = 1; /* no #!: the kernel refuses it and bash runs it itself */
	}
	if (result == 1 && bash && bash_binary(text, len)) {
		actx_trace(c, "%d:%d: %s: bash refuses it as a binary file", site->line, site->col,
		           path);
		result = 0;
	}
	if ((result == 1 || interp) && memchr(text, 0, len)) {
		/* the shell (and an interpreter's string literals) never see NULs */
		size_t k = 0;
		for (size_t i = 0; i < len; i++)
			if (text[i])
				text[k++] = text[i];
		len = k;
		text[len] = 0;
	}
	if (result == 1) {
		char *v = via_add(c, via, path);
		char *save = c->via;
		c->via = NULL;
		sv_push(&c->keep, xstrdup(path));
		analyze_nested(c, site, text, len, v, c->keep.v[c->keep.n - 1]);
		c->via = save;
		free(v);
	} else if (interp) {
		char *v = via_add(c, via, path);
		if (scan_code(c, site, text, interp, v))
			result = -1; /* runs commands guard cannot read */
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

char *cwd_path(struct actx *c, const char *name)
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
int project_files(struct actx *c)
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

/*
 * env -S STRING, as GNU env's build_argv splits it: words on blanks, '...'
 * and "..." (an empty pair is an empty word), a '#' starting a word ends the
 * string, ${NAME} is the variable's value (known only at run time unless set
 * on the line), and the escapes \_ (a word break outside "...", a blank
 * inside), \t \n \v \f \r \" \' \# \$ \\ and \c (end).  Inside '...' only
 * \\ and \' are escapes.  Errors env reports (a bad escape, no closing
 * quote) are read on, which can only find more.
 */
static void split_env_s(struct actx *c, const char *s, unsigned sfl, struct fields *g)
{
	struct sbuf w;
	sb_init(&w);
	int have = 0, sq = 0, dq = 0;
	unsigned wfl = sfl & WORD_DYNAMIC;
#define ENV_S_END()                                                                                \
	do {                                                                                       \
		if (have)                                                                          \
			fields_push(g, sb_take(&w), wfl);                                          \
		sb_init(&w);                                                                       \
		have = 0;                                                                          \
		wfl = sfl & WORD_DYNAMIC;                                                          \
	} while (0)
	while (*s) {
		char ch = *s;
		if (ch == '\'' && !dq) {
			sq = !sq;
			have = 1;
			s++;
			continue;
		}
		if (ch == '"' && !sq) {
			dq = !dq;
			have = 1;
			s++;
			continue;
		}
		if (!sq && !dq && strchr(" \t\n\v\f\r", ch)) {
			ENV_S_END();
			s++;
			continue;
		}
		if (ch == '#' && !sq && !dq && !have)
			break;
		if (ch == '\\' && !(sq && s[1] != '\\' && s[1] != '\'')) {
			char e = s[1];
			if (e == 0)
				break;
			s += 2;
			if (e == 'c')
				break;
			if (e == '_' && !dq) {
				ENV_S_END();
				continue;
			}
			sb_addc(&w, e == '_'   ? ' '
			            : e == 't' ? '\t'
			            : e == 'n' ? '\n'
			            : e == 'v' ? '\v'
			            : e == 'f' ? '\f'
			            : e == 'r' ? '\r'
			                       : e);
			have = 1;
			continue;
		}
		if (ch == '$' && !sq && s[1] == '{') {
			size_t n = strcspn(s + 2, "}");
			char *name = xstrndup(s + 2, n);
			const char *v = var_value(c, name);
			free(name);
			if (v) {
				if (*v)
					have = 1;
				sb_adds(&w, v);
			} else {
				/* the environment's value: known only at run time */
				have = 1;
				wfl |= WORD_DYNAMIC;
				sb_addf(&w, "${%.*s}", (int)n, s + 2);
			}
			s += 2 + n + (s[2 + n] == '}');
			continue;
		}
		sb_addc(&w, ch);
		have = 1;
		s++;
	}
	ENV_S_END();
	sb_free(&w);
#undef ENV_S_END
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
		if (read_script(c, site, p, SCRIPT_EXEC, via) < 0)
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

/*
 * python3 p.py, perl x.pl, node x.js, ruby x.rb, php x.php: the shell
 * commands in the string literals of the script's code are followed, as for
 * python3 -c CODE.  A script that is not a regular file or over 1 MiB, or
 * whose exec-like calls have arguments guard cannot read, is opaque.
 */
static void script_code(struct actx *c, const struct cmdsite *site, const struct fields *f,
                        size_t i, size_t k, const char *interp, const char *via)
{
	if (!c->opt->read_scripts || (f->fl[k] & WORD_DYNAMIC))
		return; /* a dynamic path is opaque already (script_as_program) */
	const char *path = f->s[k];
	char *full =
	    path[0] != '/' && c->opt->cwd ? xasprintf("%s/%s", c->opt->cwd, path) : xstrdup(path);
	char *text = NULL;
	size_t len = 0;
	int r = read_file(full, 1u << 20, &text, &len);
	free(full);
	if (r < 0) {
		actx_trace(c, "%d:%d: cannot read %s script %s: %s", site->line, site->col, interp,
		           path, r == -EFBIG ? "too large" : strerror(-r));
		/* a word that is not there and does not look like a script is more
		   likely an option's value (python3 -m pip, node -r mod) */
		const char *dot = strrchr(base_name(path), '.');
		if (r == -ENOENT && !strchr(path, '/') && !dot)
			return;
		if (k > 0 && strcmp(f->s[k - 1], "-m") == 0)
			return;
		emit_opaque(c, site, f, i, via, "runs a script guard cannot read");
		return;
	}
	size_t n = 0;
	for (size_t j = 0; j < len; j++)
		if (text[j])
			text[n++] = text[j];
	text[n] = 0;
	char *v = via_add(c, via, path);
	if (scan_code(c, site, text, interp, v))
		emit_opaque(c, site, f, i, via, "interpreter code guard cannot read");
	free(v);
	free(text);
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
		int how = strcmp(sh, "bash") == 0 || strcmp(sh, "rbash") == 0 ? SCRIPT_BASH
		                                                              : SCRIPT_SHELL;
		int r = (f->fl[k] & WORD_DYNAMIC) ? -1 : read_script(c, site, f->s[k], how, via);
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
		int r = read_script(c, site, in->file, SCRIPT_SHELL, via);
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

/* ---- helpers for the program handlers ---------------------------------- */

void u_emit(struct ucall *u)
{
	emit_at(u->c, u->site, u->f, u->i, 0, u->via);
}

void u_opaque(struct ucall *u, const char *why)
{
	emit_opaque(u->c, u->site, u->f, u->i, u->via, why);
}

/* Text the program runs as a command line (a shell's -c, or words it
   splits and executes); known only at run time, the program is opaque. */
void u_shell(struct ucall *u, const char *text, unsigned fl, const char *how)
{
	if (!text)
		return;
	if (fl & WORD_DYNAMIC) {
		u_opaque(u, "runs a command known only at run time");
		return;
	}
	shell_text(u->c, u->site, text, how, u->via);
}

/* f->s[k...] is the command the program executes. */
void u_exec(struct ucall *u, size_t k)
{
	unwrap_from(u->c, u->site, u->f, k, u->in, u->nv, u->depth + 1);
}

/* The words f->s[a..b) as fields of their own. */
void sub_fields(const struct fields *f, size_t a, size_t b, struct fields *g)
{
	for (size_t j = a; j < b && j < f->n; j++)
		fields_push(g, xstrdup(f->s[j]), f->fl[j]);
}

/* g is a command the program executes. */
void u_exec_fields(struct ucall *u, const struct fields *g)
{
	unwrap_from(u->c, u->site, g, 0, NULL, u->nv, u->depth + 1);
}

/* Words from a to b joined by blanks (the text a shell would be given). */
char *join_range(const struct fields *f, size_t a, size_t b, unsigned *fl)
{
	struct sbuf s;
	sb_init(&s);
	*fl = 0;
	for (size_t j = a; j < b && j < f->n; j++) {
		if (j > a)
			sb_addc(&s, ' ');
		sb_adds(&s, f->s[j]);
		*fl |= f->fl[j] & WORD_DYNAMIC;
	}
	return sb_take(&s);
}

/*
 * What a tool reads as its commands: FILE (NULL, "-" or /dev/stdin: its
 * standard input).  Returns 1 with *text (to free) when guard knows it, 0
 * when it reads a terminal (or scripts are not read), -1 when it is known
 * only at run time (a pipe guard cannot see, a file it cannot read).
 */
int u_input(struct ucall *u, const char *file, unsigned ffl, char **text)
{
	*text = NULL;
	struct actx *c = u->c;
	int std = !file || strcmp(file, "-") == 0 || strcmp(file, "/dev/stdin") == 0 ||
	          strcmp(file, "/dev/fd/0") == 0 || strcmp(file, "/proc/self/fd/0") == 0;
	const struct stdin_src *in = u->in;
	if (std && in && in->text && in->known) {
		*text = xstrdup(in->text);
		return 1;
	}
	if (std && in && !in->file)
		return -1;
	if (std && !in)
		return 0;
	const char *path = std ? in->file : file;
	if (!path || (!std && (ffl & WORD_DYNAMIC)))
		return -1;
	if (strcmp(path, "/dev/null") == 0) {
		*text = xstrdup("");
		return 1;
	}
	if (!c->opt->read_scripts)
		return 0;
	char *full = path[0] != '/' && c->opt->cwd ? xasprintf("%s/%s", c->opt->cwd, path) : NULL;
	size_t len = 0;
	int r = read_file(full ? full : path, 1u << 20, text, &len);
	free(full);
	if (r < 0 || memchr(*text, 0, len)) {
		free(*text);
		*text = NULL;
		return -1;
	}
	return 1;
}

/* ---- the table's wrappers ---------------------------------------------- */

static int sudo_envar(const char *s)
{
	return s[0] != '/' && s[0] != '=' && strchr(s, '=') != NULL;
}

static char *opt_label(const struct wspec *w, unsigned char key)
{
	if (key >= 32)
		return xasprintf("%s -%c", w->name, key);
	for (const struct lopt *l = w->lo; l && l->name; l++)
		if (l->key == key)
			return xasprintf("%s --%s", w->name, l->name);
	return xstrdup(w->name);
}

/* A program of the table: options parsed by its syntax, then what it runs. */
static void run_wspec(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                      const struct stdin_src *in, const char *via, int depth, const struct wspec *w)
{
	const char *name = w->name;
	struct optres o;
	memset(&o, 0, sizeof o);
	o.rec = 1;
	struct ucall u = {c, site, f, i, i + 1, in, via, NULL, depth, name, &o};
	struct cmdsite inner = *site;
	struct strv sudo_env = {0};
	if (!w->args && !w->lo && w->run) {
		u.nv = via_add(c, via, name);
		w->run(&u);
		goto out;
	}
	const struct ospec sp = {w->args, w->optargs, w->lo, (w->flags & W_PERMUTE) != 0,
	                         (w->flags & W_LONGONLY) != 0};
	size_t k = i + 1;
	if (strcmp(name, "nice") == 0 && k < f->n && f->s[k][0] == '-' && f->s[k][1] >= '0' &&
	    f->s[k][1] <= '9')
		k++;
	size_t s0 = 0, s1 = 0; /* NAME=value words of env, sudo */
	if (w->flags & W_SUDOENV) {
		/* sudo: NAME=value words may come between options, up to the
		   first other word or a "--" (its got_end_of_args) */
		for (;;) {
			k = getopts(f, k, &sp, &o);
			int end_of_args = k > i + 1 && strcmp(f->s[k - 1], "--") == 0;
			if (k < f->n && !end_of_args && sudo_envar(f->s[k])) {
				sv_push(&sudo_env, xstrdup(f->s[k]));
				k++;
				continue;
			}
			break;
		}
	} else {
		k = getopts(f, k, &sp, &o);
	}
	if (strcmp(name, "env") == 0 && o.seen['S']) {
		/* env -S STRING: the string's words replace it, and env parses
		   its arguments again from the start */
		for (size_t q = 0; q < o.nocc; q++) {
			if (o.occ[q].key != 'S' || !o.occ[q].val)
				continue;
			struct fields g = {0};
			fields_push(&g, xstrdup(f->s[i]), f->fl[i]);
			split_env_s(c, o.occ[q].val, o.occ[q].fl, &g);
			sub_fields(f, o.occ[q].at + 1, f->n, &g);
			run_wspec(c, site, &g, 0, in, via, depth + 1, w);
			fields_free(&g);
			goto out;
		}
	}
	char *v = strcmp(name, "sudo") == 0 && o.val['u'] ? xasprintf("sudo -u %s", o.val['u'])
	                                                  : xstrdup(name);
	u.nv = via_add(c, via, v);
	free(v);
	/* options whose value runs */
	int xcmd = 0;
	if (w->flags & W_NOEXEC)
		u_emit(&u);
	for (size_t q = 0; w->xo && q < o.nocc; q++) {
		for (const struct xopt *x = w->xo; x->key; x++) {
			if (x->key != o.occ[q].key || !o.occ[q].val)
				continue;
			if (x->kind == X_OPAQUE) {
				u_opaque(&u, "loads code guard cannot see");
			} else {
				char *how = opt_label(w, x->key);
				u_shell(&u, o.occ[q].val, o.occ[q].fl, how);
				free(how);
				xcmd = 1;
			}
		}
	}
	if (w->flags & W_NOEXEC) {
		u.k = k;
		goto hook;
	}
	if (w->nocmd)
		for (const char *q = w->nocmd; *q; q++)
			if (o.seen[(unsigned char)*q]) {
				u_emit(&u);
				goto out;
			}
	if (xcmd && (w->flags & W_XONLY) && w->skip == 0)
		goto out;
	/* env A=1 / sudo A=1: the assignments apply to the command */
	if (w->flags & W_ENV) {
		if (k < f->n && strcmp(f->s[k], "-") == 0)
			k++; /* env -: -i */
		s0 = k;
		while (k < f->n && strchr(f->s[k], '='))
			k++;
		s1 = k;
	}
	size_t nnew = sudo_env.n + (s1 - s0);
	if (nnew) {
		char **av = xcalloc(site->nassign + nnew + 1, sizeof(char *));
		for (size_t a = 0; a < site->nassign; a++)
			av[a] = site->assign[a];
		inner.nassign = site->nassign;
		for (size_t a = 0; a < sudo_env.n; a++) {
			sv_push(&c->keep, sudo_env.v[a]);
			sudo_env.v[a] = NULL;
			av[inner.nassign++] = c->keep.v[c->keep.n - 1];
		}
		for (size_t a = s0; a < s1; a++)
			av[inner.nassign++] = f->s[a];
		inner.assign = av;
		/* the array (not its borrowed strings) is freed with the analysis */
		sv_push(&c->keep, (char *)av);
		if (k < f->n)
			cmdvars_run(c, &inner, av + site->nassign, nnew, via);
		site = &inner;
		u.site = site;
	}
	if (w->skip) {
		k += (size_t)w->skip;
		if (strcmp(name, "flock") == 0) {
			k = getopts(f, k, &sp, &o);
			for (size_t q = 0; q < o.nocc; q++)
				if (o.occ[q].key == 'c' && o.occ[q].val && !xcmd) {
					u_shell(&u, o.occ[q].val, o.occ[q].fl, "flock -c");
					xcmd = 1;
				}
			if (xcmd)
				goto out;
		}
	}
	if ((strcmp(name, "sudo") == 0 && (o.seen['s'] || o.seen['i'])) ||
	    (strcmp(name, "doas") == 0 && o.seen['s'])) {
		if (k < f->n) {
			unsigned dyn;
			char *t = join_range(f, k, f->n, &dyn);
			u_shell(&u, t, dyn, "sudo -s");
			free(t);
		} else {
			u_emit(&u);
		}
		goto out;
	}
	u.k = k;
hook:
	if (w->run) {
		w->run(&u);
		goto out;
	}
	if (w->flags & W_NOEXEC)
		goto out;
	if (k >= f->n) {
		u_emit(&u); /* no command: the wrapper alone */
		goto out;
	}
	actx_trace(c, "%d:%d: unwrap %s", site->line, site->col, name);
	u_exec(&u, k);
out:
	sv_free(&sudo_env);
	optres_free(&o);
	free(u.nv);
}

void unwrap_from(struct actx *c, const struct cmdsite *site, const struct fields *f, size_t i,
                 const struct stdin_src *in, const char *via, int depth)
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
	if (!strcmp(name, "cd") || !strcmp(name, "pushd") || !strcmp(name, "popd"))
		c->cwd_moved = 1; /* a relative script path now names another file */
	if (!strcmp(name, "tee") || !strcmp(name, "cp") || !strcmp(name, "mv") ||
	    !strcmp(name, "ln") || !strcmp(name, "install") || !strcmp(name, "dd")) {
		/* files it may write (its operands; dd's of=) */
		for (size_t k = i + 1; k < f->n; k++)
			if (!(f->fl[k] & WORD_DYNAMIC) && f->s[k][0] != '-')
				sv_push(&c->written,
				        xstrdup(strncmp(f->s[k], "of=", 3) == 0 ? f->s[k] + 3
				                                                : f->s[k]));
	}
	const struct known *kn = known_find(name);
	const struct wspec *w = kn ? kn->spec : NULL;
	if (!w && !(kn && kn->special) && strncmp(name, "python", 6) != 0 &&
	    strncmp(name, "php", 3) != 0 && strncmp(name, "lua", 3) != 0)
		goto plain;
	if (w) {
		run_wspec(c, site, f, i, in, via, depth, w);
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
		/* runs every program in a directory: what they are is known only
		   at run time (their names say nothing); the shell scripts among
		   them are read too */
		size_t k = i + 1;
		int test_only = 0;
		for (; k < f->n && f->s[k][0] == '-'; k++)
			if (!strcmp(f->s[k], "--test") || !strcmp(f->s[k], "--list"))
				test_only = 1;
			else if (!strcmp(f->s[k], "-a") || !strcmp(f->s[k], "--arg") ||
			         !strcmp(f->s[k], "-u") || !strcmp(f->s[k], "--umask"))
				k++;
		if (k >= f->n || test_only) {
			emit_at(c, site, f, i, 0, via);
			return;
		}
		emit_opaque(c, site, f, i, via, "runs every program in a directory");
		if (!(f->fl[k] & WORD_DYNAMIC))
			run_parts(c, site, f->s[k], via);
		return;
	}
	if (strcmp(name, "hash") == 0) {
		/* hash [-lrdt] [-p PATH] [--] NAME...: with -p (also -rp, -pPATH)
		   every NAME now runs PATH */
		const char *hpath = NULL;
		int dyn = 0;
		size_t k = i + 1;
		for (; k < f->n && !dyn; k++) {
			const char *a = f->s[k];
			dyn = (f->fl[k] & WORD_DYNAMIC) != 0;
			if (strcmp(a, "--") == 0) {
				k++;
				break;
			}
			if (dyn || a[0] != '-' || !a[1])
				break;
			const char *o = strchr(a + 1, 'p');
			if (!o)
				continue;
			if (o[1]) {
				hpath = o + 1;
			} else if (k + 1 < f->n) {
				k++;
				hpath = f->s[k];
				dyn = (f->fl[k] & WORD_DYNAMIC) != 0;
			}
		}
		for (size_t q = k; q < f->n; q++)
			dyn |= (f->fl[q] & WORD_DYNAMIC) != 0;
		if (dyn) {
			emit_opaque(c, site, f, i, via,
			            "hash with arguments known only at run time");
			return;
		}
		for (; hpath && k < f->n; k++)
			hash_set(c, f->s[k], hpath);
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if ((strcmp(name, "mapfile") == 0 || strcmp(name, "readarray") == 0)) {
		/* -C CALLBACK: evaluated (with an index and the line appended) */
		struct optres o;
		memset(&o, 0, sizeof o);
		o.rec = 1;
		parse_opts(f, i + 1, "dnOsuCc", NULL, &o);
		for (size_t q = 0; q < o.nocc; q++) {
			if (o.occ[q].key != 'C' || !o.occ[q].val)
				continue;
			if (o.occ[q].fl & WORD_DYNAMIC)
				emit_opaque(c, site, f, i, via, "callback known only at run time");
			else
				shell_text(c, site, o.occ[q].val, "mapfile -C", via);
		}
		optres_free(&o);
	}
	if (strcmp(name, "compgen") == 0) {
		/* -C COMMAND runs it, -F FUNCTION calls it, and the -W word list
		   is expanded (its command substitutions run) */
		struct optres o;
		memset(&o, 0, sizeof o);
		o.rec = 1;
		parse_opts(f, i + 1, "oAGWFCXPSV", NULL, &o);
		for (size_t q = 0; q < o.nocc; q++) {
			const struct occ *x = &o.occ[q];
			if (!x->val || !strchr("CFW", x->key))
				continue;
			if (x->fl & WORD_DYNAMIC) {
				emit_opaque(c, site, f, i, via,
				            "completes with code known only at run time");
			} else if (x->key == 'W') {
				char *t = xasprintf(": %s", x->val);
				shell_text(c, site, t, "compgen -W", via);
				free(t);
			} else {
				shell_text(c, site, x->val,
				           x->key == 'C' ? "compgen -C" : "compgen -F", via);
			}
		}
		optres_free(&o);
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "enable") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		parse_opts(f, i + 1, "f", NULL, &o);
		if (o.val['f'])
			emit_opaque(c, site, f, i, via,
			            "loads builtins from a library guard cannot see");
		else
			emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "eval") == 0) {
		size_t k = i + 1;
		if (k < f->n && strcmp(f->s[k], "--") == 0)
			k++; /* ends eval's (no) options */
		if (k >= f->n)
			return;
		int dyn;
		char *t = join_fields(f, k, &dyn);
		if (dyn)
			emit_opaque(c, site, f, i, via, "evaluates text known only at run time");
		else
			shell_text(c, site, t, "eval", via);
		free(t);
		return;
	}
	if (strcmp(name, "trap") == 0) {
		/* trap [-lp] [--] ACTION SIGNAL...: ACTION runs (- or "" or a
		   signal number first resets instead; -l and -p only print) */
		struct optres o;
		memset(&o, 0, sizeof o);
		size_t k = parse_opts(f, i + 1, "", NULL, &o);
		/* trap "$@": where the action is, or whether there is one, is
		   known only at run time */
		int dyn = 0;
		for (size_t q = i + 1; q < f->n && q <= k; q++)
			dyn |= (f->fl[q] & WORD_DYNAMIC) != 0;
		if (dyn || (k + 1 >= f->n && k < f->n && (f->fl[k] & WORD_DYNAMIC))) {
			optres_free(&o);
			emit_opaque(c, site, f, i, via, "sets a trap known only at run time");
			return;
		}
		if (!o.seen['l'] && !o.seen['p'] && k + 1 < f->n && strcmp(f->s[k], "-") != 0 &&
		    f->s[k][0] && strspn(f->s[k], "0123456789") != strlen(f->s[k])) {
			if (f->fl[k] & WORD_DYNAMIC)
				emit_opaque(c, site, f, i, via,
				            "sets a trap known only at run time");
			else
				shell_text(c, site, f->s[k], "trap", via);
		}
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "source") == 0 || strcmp(name, ".") == 0) {
		size_t fi = i + 1;
		if (fi < f->n && strcmp(f->s[fi], "--") == 0)
			fi++; /* ends its (no) options */
		if (fi >= f->n) {
			emit_at(c, site, f, i, CMD_BUILTIN, via);
			return;
		}
		const char *file = f->s[fi];
		if (strncmp(file, "<(", 2) == 0 || strcmp(file, "/dev/stdin") == 0) {
			if (in && in->text && in->known && strcmp(file, "/dev/stdin") == 0)
				shell_text(c, site, in->text, "source", via);
			else
				emit_opaque(c, site, f, i, via, "sources text guard cannot see");
			return;
		}
		/* a name without '/' is looked for in PATH first (sourcepath) */
		char *inpath = !(f->fl[fi] & WORD_DYNAMIC) && !strchr(file, '/')
		                   ? path_lookup(c, site, file)
		                   : NULL;
		int r = (f->fl[fi] & WORD_DYNAMIC)
		            ? -1
		            : read_script(c, site, inpath ? inpath : file, SCRIPT_SHELL, via);
		free(inpath);
		if (r < 0)
			emit_opaque(c, site, f, i, via, "sources a file guard cannot read");
		else
			emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "alias") == 0) {
		for (size_t k = i + 1; k < f->n; k++)
			if (f->fl[k] & WORD_DYNAMIC) {
				/* alias "$@", alias e=$x$((1+1)): what a later
				   word runs is known only at run time */
				emit_opaque(c, site, f, i, via,
				            "defines an alias known only at run time");
				return;
			}
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
	/* export declare local read printf -v unset ...: their variables
	   (analyze.c); let, test and set are looked at, then run as usual */
	if (strcmp(name, "export") == 0 || strcmp(name, "declare") == 0 ||
	    strcmp(name, "typeset") == 0 || strcmp(name, "local") == 0)
		for (size_t k = i + 1; k < f->n; k++)
			if (f->s[k][0] != '-' && strchr(f->s[k], '='))
				cmdvars_run(c, site, (char **)&f->s[k], 1, via);
	if (builtin_vars(c, site, f, i, in)) {
		emit_at(c, site, f, i, CMD_BUILTIN, via);
		return;
	}
	if (strcmp(name, "xargs") == 0) {
		struct optres o;
		memset(&o, 0, sizeof o);
		const struct ospec xsp = {"adEILnPsS", "eil", xargs_lo, 0, 0};
		size_t k = getopts(f, i + 1, &xsp, &o);
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
		/* su [OPTIONS] [-] [USER [ARG...]] (options anywhere, up to --):
		   runs the user's shell (-s SHELL) with -c COMMAND and the ARGs
		   after the user; runuser -u USER COMMAND runs COMMAND */
		struct optres o;
		memset(&o, 0, sizeof o);
		o.rec = 1;
		const struct ospec ssp = {strcmp(name, "su") == 0 ? "csgGw" : "csgGwu", NULL, su_lo,
		                          1, 0};
		getopts(f, i + 1, &ssp, &o);
		char *nv = via_add(c, via, name);
		struct fields g = {0};
		if (o.val['u']) {
			for (size_t q = 0; q < o.nop; q++)
				fields_push(&g, xstrdup(f->s[o.op[q]]), f->fl[o.op[q]]);
			if (g.n)
				unwrap_from(c, site, &g, 0, in, nv, depth + 1);
			else
				emit_at(c, site, f, i, 0, via);
		} else {
			size_t q = 0;
			if (q < o.nop && strcmp(f->s[o.op[q]], "-") == 0)
				q++;
			if (q < o.nop)
				q++; /* the user */
			fields_push(&g, xstrdup(o.val['s'] ? o.val['s'] : "sh"), o.vfl['s']);
			if (o.val['c']) {
				fields_push(&g, xstrdup("-c"), 0);
				fields_push(&g, xstrdup(o.val['c']), o.vfl['c']);
			}
			for (; q < o.nop; q++)
				fields_push(&g, xstrdup(f->s[o.op[q]]), f->fl[o.op[q]]);
			if (g.n == 1 && !in && !o.val['s'])
				emit_at(c, site, f, i, 0, via); /* an interactive shell */
			else
				unwrap_from(c, site, &g, 0, in, nv, depth + 1);
		}
		fields_free(&g);
		free(nv);
		optres_free(&o);
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
	} else if (strcmp(name, "expect") == 0) {
		interp = "expect";
		codeopt = "c";
	} else if (strcmp(name, "tclsh") == 0 || strcmp(name, "wish") == 0) {
		interp = "tclsh";
		codeopt = "";
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
		if (script) {
			script_as_program(c, site, f, script_at, interp, via);
			script_code(c, site, f, i, script_at, interp, via);
		}
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
	if (strcmp(name, "make") == 0 || strcmp(name, "gmake") == 0) {
		emit_at(c, site, f, i, 0, via);
		make_targets(c, site, f, i, in, via);
		return;
	}
	if (strcmp(name, "awk") == 0 || strcmp(name, "gawk") == 0 || strcmp(name, "mawk") == 0 ||
	    strcmp(name, "nawk") == 0) {
		/* the program: the first operand, or -f FILE (- or /dev/stdin: the
		   input) and gawk's -e TEXT; -l and -i load code */
		static const struct lopt awk_lo[] = {{"file", 'f', A_REQ},
		                                     {"source", 'e', A_REQ},
		                                     {"exec", 'E', A_REQ},
		                                     {"include", 'i', A_REQ},
		                                     {"load", 'l', A_REQ},
		                                     {"assign", 'v', A_REQ},
		                                     {"field-separator", 'F', A_REQ},
		                                     {NULL, 0, 0}};
		emit_at(c, site, f, i, 0, via);
		struct optres o;
		memset(&o, 0, sizeof o);
		o.rec = 1;
		const struct ospec asp = {"FvfeEilW", NULL, awk_lo, 0, 0};
		size_t k = getopts(f, i + 1, &asp, &o);
		struct ucall u = {c, site, f, i, k, in, via, NULL, depth, name, &o};
		int prog = 0, opq = 0;
		for (size_t q = 0; q < o.nocc; q++) {
			const struct occ *x = &o.occ[q];
			if (!x->val)
				continue;
			if (x->key == 'f' || x->key == 'E') {
				char *text = NULL;
				int r = u_input(&u, x->val, x->fl, &text);
				if (r < 0 || (r > 0 && scan_awk(c, site, text, via)))
					opq = 1;
				free(text);
				prog = 1;
			} else if (x->key == 'e') {
				if ((x->fl & WORD_DYNAMIC) || scan_awk(c, site, x->val, via))
					opq = 1;
				prog = 1;
			} else if (x->key == 'i' || x->key == 'l') {
				opq = 1;
			}
		}
		if (!prog && k < f->n) {
			if ((f->fl[k] & WORD_DYNAMIC) || scan_awk(c, site, f->s[k], via))
				opq = 1;
		}
		if (opq)
			emit_opaque(c, site, f, i, via, "awk program guard cannot read");
		optres_free(&o);
		return;
	}
plain:
	/* PATH set on the line (PATH=./tools:$PATH ls): the directories it
	   names may hold a script of that name */
	if (!strchr(path, '/')) {
		char *found = path_lookup(c, site, path);
		if (found) {
			int r = read_script(c, site, found, SCRIPT_EXEC, via);
			free(found);
			if (r < 0)
				emit_opaque(c, site, f, i, via, "runs a script guard cannot read");
		}
	}
	/* a script run by path */
	if (strchr(path, '/')) {
		int r = read_script(c, site, path, SCRIPT_EXEC, via);
		size_t pl = strlen(path);
		int scriptish = (pl > 3 && strcmp(path + pl - 3, ".sh") == 0) ||
		                (pl > 5 && strcmp(path + pl - 5, ".bash") == 0);
		/* a relative path that is not there yet may be written earlier on
		   the line (echo ... > x; ./x): opaque, like an unreadable script */
		if (r < 0 && (scriptish || path[0] != '/' || access(path, F_OK) == 0 ||
		              script_moved(c, path))) {
			emit_opaque(c, site, f, i, via, "runs a script guard cannot read");
			return;
		}
	}
	emit_at(c, site, f, i, 0, via);
}

void unwrap(struct actx *c, const struct cmdsite *site, const struct fields *f,
            const struct stdin_src *in)
{
	/* PAGER=... git log: a variable naming a command, for a program (a
	   builtin that runs nothing ignores it) */
	if (site->nassign && f->n &&
	    !(is_builtin(f->s[0]) && strcmp(f->s[0], "command") && strcmp(f->s[0], "builtin") &&
	      strcmp(f->s[0], "exec") && strcmp(f->s[0], "eval") && strcmp(f->s[0], "source") &&
	      strcmp(f->s[0], ".")))
		cmdvars_run(c, site, site->assign, site->nassign, c->via);
	unwrap_from(c, site, f, 0, in, c->via, 0);
}
