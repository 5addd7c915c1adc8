/*
 * shell_check.c - deciding a line before any of it runs: the block and warn
 * messages, confirmation of a warn at the terminal, and `why`.
 *
 * The decision itself is decide_line() (decide.h) and the messages are
 * report.h's, the same as for `guard -c`, the hooks and `guard check`.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ack.h"
#include "audit.h"
#include "failsafe.h"
#include "report.h"
#include "shell.h"

/* Builtins that keep working when the policy cannot be loaded, so the
   operator can read why and leave. */
static const char *const always_ok[] = {"exit", "logout", "help", "why", "policy", NULL};

static char *last_errors; /* policy errors already shown */

const struct failsafe_form shell_check_fail = {NULL, "guard: @WHY@; nothing was run\n",
                                               EXIT_BLOCKED};

void shell_load_policy(struct shell *sh)
{
	if (sh->have_pol)
		policy_free(&sh->pol);
	policy_init(&sh->pol);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, "/");
	policy_find_and_load(&sh->pol, sh->policy_path, cwd);
	sh->have_pol = 1;

	/* Shell settings come from the policy that governs the current directory. */
	const char *v = policy_get(&sh->pol, "shell", "history_size");
	sh->hist_size = v ? atoi(v) : 1000;
	v = policy_get(&sh->pol, "shell", "idle_timeout");
	sh->idle_timeout = 0;
	if (v) {
		char *end;
		long n = strtol(v, &end, 10);
		long mul = *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 1;
		sh->idle_timeout = n > 0 ? n * mul : 0;
	}

	/* Errors are shown once, not before every prompt. */
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < sh->pol.errors.n; i++)
		sb_addf(&b, "guard: %s\n", sh->pol.errors.v[i]);
	const char *now = b.s ? b.s : "";
	if (!last_errors || strcmp(last_errors, now) != 0) {
		if (sh->interactive && b.len)
			fprintf(stderr, "%sguard: the policy has errors: every line is refused\n",
			        now);
		free(last_errors);
		last_errors = sb_take(&b);
	}
	sb_free(&b);
}

static void print_decision(const struct shell *sh, const struct decision *d)
{
	char *msg = report_block(&sh->pol, d, report_want_colour(2));
	fputs(msg, stderr);
	free(msg);
}

static int plain_builtin_always_ok(const char *text)
{
	struct strv w = {0};
	int ok = 0;
	if (shell_split_plain(text, &w) == 0 && w.n > 0)
		for (int i = 0; always_ok[i]; i++)
			if (strcmp(w.v[0], always_ok[i]) == 0)
				ok = 1;
	sv_free(&w);
	return ok;
}

/* A warn at the terminal: default no; a rule's `confirm` text must be typed. */
static int confirm(struct shell *sh, const struct decision *d)
{
	const char *need = NULL;
	for (size_t i = 0; i < d->ncv; i++)
		if (d->cv[i].v == V_WARN && d->cv[i].rule && d->cv[i].rule->confirm) {
			need = d->cv[i].rule->confirm;
			break;
		}
	char *prompt = need ? xasprintf("guard: type '%s' to run it anyway: ", need)
	                    : xstrdup("guard: run it anyway? [y/N] ");
	char *ans = NULL;
	int r = shell_readline(sh, prompt, &ans);
	free(prompt);
	int yes = 0;
	if (r == READ_TIMEOUT) { /* idle at the question: the session ends, nothing runs */
		fprintf(stderr, "guard: idle for %lds; logging out\n", sh->idle_timeout);
		sh->exiting = 1;
		sh->exit_status = sh->last_status;
	}
	if (r == READ_LINE && ans) {
		if (need)
			yes = strcmp(ans, need) == 0;
		else
			yes = strcmp(ans, "y") == 0 || strcmp(ans, "Y") == 0 ||
			      strcmp(ans, "yes") == 0 || strcmp(ans, "YES") == 0;
	}
	free(ans);
	return yes;
}

/*
 * A plain line of one of guard's own builtins (cd, exit, history, ...) runs
 * no program, so [guard] default does not apply to it: an allow-list policy
 * must not lock the operator in.  Rules that name the builtin still do.
 */
static int own_builtin_by_default(const char *text, const struct decision *d)
{
	if (d->error || d->ncv == 0)
		return 0;
	struct strv w = {0};
	int r = shell_split_plain(text, &w) == 0 && w.n > 0 && shell_is_builtin(w.v[0]);
	sv_free(&w);
	for (size_t i = 0; r && i < d->ncv; i++)
		if (d->cv[i].v != V_ALLOW && d->cv[i].why != WHY_DEFAULT)
			r = 0;
	return r;
}

static int is_why(const char *text)
{
	struct strv w = {0};
	int r = shell_split_plain(text, &w) == 0 && w.n == 1 && strcmp(w.v[0], "why") == 0;
	sv_free(&w);
	return r;
}

static const char *const state[] = {"cd", "pushd", "popd", "export", "unset", "umask", NULL};

/* The first command that changes the shell's own state (a note is shown when
   it is part of a longer line), as an index into state[], or -1. */
static int state_index(const struct decision *d)
{
	for (size_t i = 0; i < d->ncv; i++) {
		const struct ecmd *c = d->cv[i].cmd;
		for (int k = 0; state[k] && c->argc; k++)
			/* cd, pushd, popd always change the directory; export,
			   unset and umask only with arguments */
			if (strcmp(c->argv[0], state[k]) == 0 && (k < 3 || c->argc > 1))
				return k;
	}
	return -1;
}

/* What the child tells the parent once it has decided.  The parent goes on
   as soon as it has this (the child's exit, which frees its copy of guard's
   memory, is waited for later); without it the child failed. */
struct pre_result {
	int magic;
	int kind;  /* PRE_ALLOWED, PRE_OK (decided, not allowed) or PRE_INCOMPLETE */
	long rule; /* PRE_ALLOWED: index of the deciding rule in sh->pol, or -1 */
	int state; /* PRE_ALLOWED: state_index() */
};
#define PRE_MAGIC 0x67756172

/* The child of shell_precheck(): analyses and decides as the shell will,
   but never asks (no terminal) and writes nothing but its pre_result. */
static void precheck_child(struct shell *sh, const char *text, size_t len, int fd)
{
	failsafe_default_signals(); /* the parent must see the signal that ends it */
	signal(SIGINT, SIG_DFL);    /* Ctrl-C ends a check that takes too long */
	struct rlimit nocore = {0, 0};
	setrlimit(RLIMIT_CORE, &nocore); /* a crash leaves no core file behind */
	alarm(failsafe_time_limit());
	failsafe_fault_point("check", text);
	struct pre_result a = {PRE_MAGIC, PRE_INCOMPLETE, -1, -1};
	if (shell_incomplete(text)) {
		if (write(fd, &a, sizeof a) < 0)
			_exit(4);
		_exit(0);
	}
	char cwd[PATH_MAX];
	struct decide_opts o;
	memset(&o, 0, sizeof o);
	o.cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL;
	struct ack_ctx ac = {0};
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	struct decision d;
	decide_line(&sh->pol, text, len, &o, &d);
	a.kind = PRE_OK;
	const struct rule *ru = d.deciding ? d.deciding->rule : NULL;
	if (d.v == V_ALLOW && !d.error &&
	    (!ru || (ru >= sh->pol.rule && ru < sh->pol.rule + sh->pol.nrule))) {
		a.kind = PRE_ALLOWED;
		a.rule = ru ? (long)(ru - sh->pol.rule) : -1;
		a.state = state_index(&d);
	} else {
		char *msg = report_block(&sh->pol, &d, 0); /* the message is made too */
		free(msg);
	}
	if (write(fd, &a, sizeof a) < 0)
		_exit(4);
	decision_free(&d); /* valgrind checks for leaks at _exit too */
	_exit(0);
}

/* Waits for the child of the previous line, which has answered already. */
static void precheck_reap(struct shell *sh)
{
	if (sh->pre_pid > 0)
		while (waitpid(sh->pre_pid, NULL, 0) < 0 && errno == EINTR)
			;
	sh->pre_pid = 0;
}

/* The analyser builds some tables the first time it needs them; built in a
   child they would be built again for every line.  A line that needs them,
   decided once in guard itself, builds them here. */
static void precheck_warm(struct shell *sh)
{
	static int done;
	if (done)
		return;
	done = 1;
	static const char line[] = "sudo -u nobody env A=1 true | command ls";
	struct decide_opts o;
	memset(&o, 0, sizeof o);
	struct ack_ctx ac = {0};
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	struct decision d;
	failsafe_arm(&shell_check_fail, 0);
	decide_line(&sh->pol, line, sizeof line - 1, &o, &d);
	failsafe_disarm();
	decision_free(&d);
}

int shell_precheck(struct shell *sh, const char *text, size_t len)
{
	sh->precheck_why[0] = 0;
	precheck_reap(sh);
	precheck_warm(sh);
	size_t k = 0; /* a trailing backslash continues the line (shell_incomplete) */
	while (k < len && text[len - 1 - k] == '\\')
		k++;
	if (k % 2 == 1)
		return PRE_INCOMPLETE;
	if (text[strspn(text, " \t\n")] == 0)
		return PRE_OK; /* a blank line is not checked */
	int fd[2];
	if (pipe(fd) < 0)
		return PRE_OK;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return PRE_OK;
	}
	if (pid == 0) {
		close(fd[0]);
		precheck_child(sh, text, len, fd[1]);
	}
	close(fd[1]);
	struct pre_result a = {0, 0, 0, 0};
	ssize_t n;
	while ((n = read(fd[0], &a, sizeof a)) < 0 && errno == EINTR)
		;
	close(fd[0]);
	if (n == (ssize_t)sizeof a && a.magic == PRE_MAGIC) {
		sh->pre_pid = pid; /* reaped before the next line's check */
		if (a.kind == PRE_ALLOWED && a.rule >= -1 && a.rule < (long)sh->pol.nrule &&
		    a.state >= -1 && a.state < 6) {
			sh->pre_rule = a.rule;
			sh->pre_state = a.state;
			return PRE_ALLOWED;
		}
		return a.kind == PRE_INCOMPLETE ? PRE_INCOMPLETE : PRE_OK;
	}
	/* no answer: the child died (or failed and said why) */
	int st;
	pid_t w;
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (w < 0)
		return PRE_OK; /* reaped elsewhere: check in guard */
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT)
		snprintf(sh->precheck_why, sizeof sh->precheck_why, "interrupted while checking");
	else if (WIFSIGNALED(st))
		failsafe_why(WTERMSIG(st), sh->precheck_why);
	else /* out of memory (it said so), or no answer */
		snprintf(sh->precheck_why, sizeof sh->precheck_why,
		         "the check failed (exit status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return PRE_FAILED;
}

/* Logs the shell's decision REC about the line TEXT. */
static void shell_audit(struct shell *sh, const char *text, size_t len, struct audit_rec *rec)
{
	char *line = xstrndup(text, len);
	rec->mode = "shell";
	rec->command = line;
	rec->policy = &sh->pol;
	audit_decision(rec);
	free(line);
}

/* A line the child could not check: refused, said and logged here. */
static int precheck_failed(struct shell *sh, const char *text, size_t len)
{
	fprintf(stderr, "guard: %s; nothing was run\n", sh->precheck_why);
	struct audit_rec rec = {0};
	rec.v = V_DENY;
	rec.reason = sh->precheck_why;
	rec.note = "not checked";
	shell_audit(sh, text, len, &rec);
	sh->state_cmd = NULL;
	return CHECK_BLOCKED;
}

/* A line the child allowed: what check_here() does for an allow, from the
   child's answer (the rule is sh->pol's, which the child shared). */
static int precheck_allowed(struct shell *sh, const char *text, size_t len)
{
	const struct rule *ru = sh->pre_rule >= 0 ? &sh->pol.rule[sh->pre_rule] : NULL;
	struct audit_rec rec = {0};
	rec.v = V_ALLOW;
	rec.rule = ru ? ru->name : NULL;
	rec.reason = ru ? ru->reason : NULL;
	rec.see = ru ? ru->see : NULL;
	shell_audit(sh, text, len, &rec);
	sh->state_cmd = sh->pre_state >= 0 ? state[sh->pre_state] : NULL;
	return CHECK_RUN;
}

static int check_here(struct shell *sh, const char *text, size_t len);

int shell_check(struct shell *sh, const char *text, size_t len)
{
	int is_w = is_why(text);
	if (!is_w) { /* `why` explains the line before it */
		free(sh->last_line);
		sh->last_line = xstrndup(text, len);
		sh->last_fail[0] = 0;
	}
	int pre = sh->prechecked;
	sh->prechecked = PRE_NONE;
	if (sh->interactive && pre != PRE_OK && pre != PRE_ALLOWED && pre != PRE_FAILED)
		pre = shell_precheck(sh, text, len);
	if (pre == PRE_FAILED) {
		if (!is_w)
			memcpy(sh->last_fail, sh->precheck_why, sizeof sh->last_fail);
		return precheck_failed(sh, text, len);
	}
	if (pre == PRE_ALLOWED)
		return precheck_allowed(sh, text, len);
	sh->precheck_why[0] = 0;
	if (!sh->interactive)
		return check_here(sh, text, len); /* run_script() armed the failsafe */
	/* In guard itself, after the child: a fault is a refusal that ends guard
	   (126).  No time limit: a human may be asked below. */
	failsafe_arm(&shell_check_fail, 0);
	int res = check_here(sh, text, len);
	failsafe_disarm();
	return res;
}

static int check_here(struct shell *sh, const char *text, size_t len)
{
	char cwd[PATH_MAX];
	struct decide_opts o;
	memset(&o, 0, sizeof o);
	o.cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL;
	/* The acknowledgement gate: at the terminal a missing acknowledgement
	   shows the doc section and asks for its code (ack.h). */
	struct ack_ctx ac = {0};
	ac.interactive = sh->interactive && sh->tty >= 0;
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	struct decision d;
	failsafe_fault_point(sh->interactive ? "check-here" : "check", text);
	decide_line(&sh->pol, text, len, &o, &d);
	struct audit_rec rec = {0};
	rec.cwd = o.cwd;
	audit_from_decision(&rec, &d);
	shell_audit(sh, text, len, &rec);
	int si = state_index(&d);
	sh->state_cmd = si >= 0 ? state[si] : NULL;
	int res = CHECK_BLOCKED;
	if (d.v == V_ALLOW || (sh->interactive && own_builtin_by_default(text, &d))) {
		res = CHECK_RUN;
	} else if (d.v == V_DENY) {
		if (d.error && sh->pol.errors.n && sh->interactive &&
		    plain_builtin_always_ok(text)) {
			res = CHECK_RUN;
		} else {
			print_decision(sh, &d);
			fputs("guard: nothing was run", stderr);
			fputs(sh->interactive ? " (`why` explains)\n" : "\n", stderr);
		}
	} else {
		print_decision(sh, &d);
		if (!sh->interactive || sh->tty < 0) {
			/* as `guard -c`: without a terminal a warning is shown and the
			   line runs */
			res = CHECK_RUN;
		} else if (confirm(sh, &d)) {
			res = CHECK_RUN;
		} else {
			fputs("guard: not run\n", stderr);
		}
	}
	decision_free(&d);
	return res;
}

int shell_why(struct shell *sh)
{
	if (!sh->last_line) {
		fputs("why: no line has been checked yet\n", stderr);
		return 1;
	}
	if (sh->last_fail[0]) { /* deciding it again would fail again */
		printf("line:    %s\n", sh->last_line);
		printf("verdict: deny\n");
		printf("error:   %s; the line was not checked and nothing was run\n",
		       sh->last_fail);
		return 0;
	}
	char cwd[PATH_MAX];
	struct decide_opts o;
	memset(&o, 0, sizeof o);
	o.cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL;
	o.want_trace = 1;
	struct ack_ctx ac = {0}; /* explaining never asks */
	o.ack_ok = ack_ok;
	o.ack_ctx = &ac;
	struct decision d;
	failsafe_arm(&shell_check_fail, 0);
	decide_line(&sh->pol, sh->last_line, strlen(sh->last_line), &o, &d);
	failsafe_disarm();
	printf("line:    %s\n", sh->last_line);
	printf("verdict: %s\n", verdict_name(d.v));
	for (size_t i = 0; i < sh->pol.files.n; i++)
		printf("policy:  %s\n", sh->pol.files.v[i]);
	if (d.error)
		printf("error:   %s\n", d.error);
	int colour = report_want_colour(1);
	for (size_t i = 0; i < d.ncv; i++) {
		char *m = report_cmd(&sh->pol, &d.cv[i], colour);
		fputs(m, stdout);
		free(m);
	}
	for (size_t i = 0; i < d.an.ntrace; i++)
		printf("  trace:   %s\n", d.an.trace[i]);
	decision_free(&d);
	return 0;
}
