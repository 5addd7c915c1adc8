/*
 * cmd_hook.c - guard hook CLIENT: the assistant pre-tool hook.
 *
 * Reads the client's JSON payload from stdin (at most HOOK_MAX_INPUT bytes),
 * takes the shell command and its directory from it, finds the policy from
 * that directory, decides, writes one audit record and answers in the
 * client's own form (hook.h).  Every failure - malformed or oversized input,
 * an empty command, a policy with errors, an internal error, even running
 * out of memory - is a deny the client enforces; guard never exits with a
 * status the client reads as "carry on" when it means to block.
 *
 * guard hook pre-push is the git hook: it execs guard-git.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ack.h"
#include "audit.h"
#include "cli.h"
#include "decide.h"
#include "failsafe.h"
#include "gitexec.h"
#include "hook.h"
#include "policy.h"
#include "report.h"
#include "util.h"

static const struct hook_client *cur_client;

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

/* A deny that needs no memory: out of memory, or stdout unwritable. */
static void emergency_deny(const char *why)
{
	const struct hook_client *c = cur_client;
	if (c && c->emergency_json)
		write_all(1, c->emergency_json, strlen(c->emergency_json));
	write_all(2, "guard: ", 7);
	write_all(2, why, strlen(why));
	static const char tail[] = "; the command was blocked and nothing was run. Do not "
	                           "retry it in another form; tell the user.\n";
	write_all(2, tail, sizeof tail - 1);
	_exit(c ? c->emergency_status : 2);
}

static void hook_oom(void)
{
	emergency_deny("out of memory");
}

static void *j_malloc(size_t n)
{
	return xmalloc(n);
}

/* The answer for a crash or the time limit (failsafe.h), rendered before the
   payload is read; once the real answer is being written, a fault only keeps
   its exit status (and a deny's non-empty stderr). */
static struct failsafe_form fail_form, answered_form;

static void prepare_failsafe(void)
{
	char *model, *user;
	hook_reason_error("@WHY@", &model, &user);
	struct hook_out o = {.a = HA_DENY, .model = model, .user = user};
	int status = 0;
	char *text = cur_client->render(&o, &status);
	if (text) {
		fail_form.out = text;
		fail_form.status = status;
		/* exit-2 forms read the reason from stderr, as answer() writes it */
		fail_form.err = status ? xasprintf("%s\n", model)
		                       : xstrdup("guard: @WHY@; the command was blocked and "
		                                 "nothing was run\n");
	} else {
		fail_form.out =
		    cur_client->emergency_json ? xstrdup(cur_client->emergency_json) : NULL;
		fail_form.status = cur_client->emergency_status;
		fail_form.err =
		    xstrdup("guard: @WHY@; the command was blocked and nothing was run\n");
	}
	free(model);
	free(user);
}

/* Writes the answer; a deny that cannot be written becomes an emergency deny. */
static int answer(const struct hook_out *o)
{
	int status = 0;
	char *text = cur_client->render(o, &status);
	if (!text)
		emergency_deny("the answer could not be rendered");
	/* From here stdout gets the real answer, in one write when the pipe
	   takes it: no time limit, and a fault adds no second answer. */
	failsafe_stop_timer();
	answered_form.out = NULL;
	answered_form.err = status ? "guard: @WHY@\n" : NULL;
	answered_form.status = status;
	failsafe_set(&answered_form);
	size_t n = strlen(text);
	ssize_t w = 0;
	size_t done = 0;
	while (done < n) {
		w = write(1, text + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	free(text);
	if (done < n && (o->a == HA_DENY || o->a == HA_ASK))
		emergency_deny("stdout could not be written");
	if (o->a == HA_DENY && status != 0) {
		/* exit-2 forms read the reason from stderr (Codex needs it non-empty) */
		write_all(2, o->model, strlen(o->model));
		write_all(2, "\n", 1);
	}
	return status;
}

static int deny_error(const char *what, const char *command, const char *cwd, const char *session,
                      const struct policy *p)
{
	char *model, *user;
	hook_reason_error(what, &model, &user);
	struct audit_rec rec = {
	    .mode = "hook",
	    .client = cur_client->name,
	    .session = session,
	    .cwd = cwd,
	    .command = command ? command : "",
	    .v = V_DENY,
	    .reason = what,
	    .note = "not checked",
	    .policy = p,
	};
	audit_decision(&rec);
	struct hook_out o = {.a = HA_DENY, .model = model, .user = user};
	int st = answer(&o);
	free(model);
	free(user);
	return st;
}

/* guard hook pre-push ARGS -> guard-git prepush ARGS (the pre-push hook, issue 7) */
/* 1 if p holds a project's .guard/policy.ini (not only the host's). */
static int project_policy(const struct policy *p)
{
	static const char tail[] = "/.guard/policy.ini";
	for (size_t i = 0; i < p->files.n; i++) {
		size_t n = strlen(p->files.v[i]);
		if (n >= sizeof tail - 1 &&
		    strcmp(p->files.v[i] + n - (sizeof tail - 1), tail) == 0)
			return 1;
	}
	return 0;
}

/*
 * An assistant may not switch guard off or change what it checks against:
 * `guard --policy FILE ...` (judged by a policy the model may have written),
 * `guard install|uninstall|ack`, `guard-git install-hook`.  Only the user
 * does that.  Returns the effective command that would, or NULL.
 */
static char *tamper_in(const struct analysis *an, int depth);

/* The line a `guard -c LINE` / `guard --prefix LINE...` runs, analysed. */
static char *tamper_inner(const struct ecmd *c, int k, int depth)
{
	if (depth > 4 || k + 1 >= c->argc)
		return NULL;
	struct sbuf b;
	sb_init(&b);
	int prefix = strcmp(c->argv[k], "--prefix") == 0;
	for (int j = k + 1; j < (prefix ? c->argc : k + 2); j++) {
		if (j > k + 1)
			sb_addc(&b, ' ');
		sb_adds(&b, c->argv[j]);
	}
	struct analysis an;
	char *r = NULL;
	if (analyze(b.s ? b.s : "", b.len, NULL, &an) == 0) {
		r = tamper_in(&an, depth + 1);
		analysis_free(&an);
	}
	sb_free(&b);
	return r;
}

/*
 * An assistant may not switch guard off or change what it checks against:
 * `guard --policy FILE ...` (judged by a policy the model may have written),
 * `guard install|uninstall|ack`, `guard-git install-hook`, also inside
 * `guard -c`.  Only the user does that.  Returns the command (owned), or NULL.
 */
static char *tamper_in(const struct analysis *an, int depth)
{
	static const char *const subs[] = {"install", "uninstall", "ack", NULL};
	for (size_t i = 0; i < an->ncmd; i++) {
		const struct ecmd *c = &an->cmd[i];
		if (c->argc < 2)
			continue;
		if (strcmp(c->argv[0], "guard-git") == 0 && strcmp(c->argv[1], "install-hook") == 0)
			return report_argv(c);
		if (strcmp(c->argv[0], "guard") != 0)
			continue;
		for (int k = 1; k < c->argc; k++) {
			const char *a = c->argv[k];
			if (strcmp(a, "--policy") == 0 || strncmp(a, "--policy=", 9) == 0)
				return report_argv(c);
			if (strcmp(a, "-c") == 0 || strcmp(a, "--prefix") == 0) {
				char *r = tamper_inner(c, k, depth);
				if (r)
					return r;
				break;
			}
			if (a[0] == '-')
				continue;
			if (hook_name_in(a, subs))
				return report_argv(c);
			break;
		}
	}
	return NULL;
}

static int exec_prepush(int argc, char **argv)
{
	static const char *const pre[] = {"prepush", NULL};
	gitexec(pre, argc, argv);
	warnx_("cannot run guard-git: %s; push refused", strerror(errno));
	return EXIT_BLOCKED;
}

int cmd_hook(struct gopts *g, int argc, char **argv)
{
	const char *policy_path = g->policy;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
			policy_path = argv[++i];
		else if (strncmp(argv[i], "--policy=", 9) == 0)
			policy_path = argv[i] + 9;
		else if (strcmp(argv[i], "pre-push") == 0 && !name)
			return exec_prepush(argc - i - 1, argv + i + 1);
		else if (!name)
			name = argv[i];
		else {
			warnx_("hook: unexpected argument '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!name || !(cur_client = hook_client_find(name))) {
		warnx_("usage: guard hook [--policy FILE] "
		       "claude|codex|gemini|cursor|copilot|pre-push");
		/* Unknown client: the best-known "block" is exit 2 with stderr. */
		return 2;
	}
	xalloc_set_failure(hook_oom);
	json_set_alloc_funcs(j_malloc, free);
	/* From here a crash or running out of time is a deny (failsafe.h); the
	   time limit also covers a payload that never ends. */
	prepare_failsafe();
	failsafe_arm(&fail_form, failsafe_time_limit());

	int st = 0;
	char *in = NULL, *model = NULL, *user = NULL, *cwd = NULL;
	size_t inlen = 0;
	json_t *root = NULL;
	struct hook_req rq = {0};
	struct policy p;
	struct decision d;
	int have_policy = 0, have_decision = 0;

	int r = read_fd(0, HOOK_MAX_INPUT, &in, &inlen);
	if (r == -EFBIG) {
		char *what = xasprintf("the hook payload is larger than %u bytes", HOOK_MAX_INPUT);
		st = deny_error(what, "(oversized payload)", NULL, NULL, NULL);
		free(what);
		goto out;
	} else if (r < 0) {
		char *what = xasprintf("cannot read the hook payload: %s", strerror(-r));
		st = deny_error(what, "", NULL, NULL, NULL);
		free(what);
		goto out;
	}
	json_error_t je;
	root = json_loadb(in, inlen, JSON_REJECT_DUPLICATES, &je);
	if (!root || !json_is_object(root)) {
		char *what = root ? xstrdup("the hook payload is not a JSON object")
		                  : xasprintf("the hook payload is not valid JSON (line %d, column "
		                              "%d: %s)",
		                              je.line, je.column, je.text);
		st = deny_error(what, "(malformed payload)", NULL, NULL, NULL);
		free(what);
		goto out;
	}
	char *err = NULL;
	if (cur_client->parse(root, &rq, &err) < 0) {
		st = deny_error(err, rq.command, rq.cwd, rq.session, NULL);
		free(err);
		goto out;
	}
	if (!rq.shell) {
		struct hook_out o = {.a = HA_PASS, .event = rq.event};
		st = answer(&o);
		goto out;
	}
	if (!rq.command || rq.command[strspn(rq.command, " \t\r\n")] == '\0') {
		st = deny_error("the command is empty", rq.command, rq.cwd, rq.session, NULL);
		goto out;
	}
	size_t clen = strlen(rq.command);
	if (rq.cwd)
		cwd = xstrdup(rq.cwd);
	else if ((cwd = getcwd(NULL, 0)) == NULL)
		cwd = xstrdup("/");

	policy_init(&p);
	have_policy = 1;
	policy_find_and_load(&p, policy_path, cwd);
	/* After `cd /tmp` the payload's cwd is outside the project: the
	   session's project policy still applies (not only /etc's). */
	const char *proj = rq.project ? rq.project : getenv("CLAUDE_PROJECT_DIR");
	if (!proj)
		proj = getenv("GEMINI_PROJECT_DIR");
	if (!policy_path && proj && *proj && strcmp(proj, cwd) != 0 && !project_policy(&p)) {
		policy_free(&p);
		policy_init(&p);
		policy_find_and_load(&p, NULL, proj);
	}
	/* acknowledgements the user gave count; a hook never asks (no terminal) */
	struct ack_ctx ac = {.interactive = 0};
	struct decide_opts dop = {.cwd = cwd, .ack_ok = ack_ok, .ack_ctx = &ac};
	failsafe_fault_point("check", rq.command);
	r = decide_line(&p, rq.command, clen, &dop, &d);
	have_decision = 1;
	if (r < 0 && !d.error)
		d.error = xstrdup("internal error while deciding");
	if (r < 0 || d.error)
		d.v = V_DENY;

	enum hook_answer a = d.v == V_DENY ? HA_DENY : d.v == V_WARN ? HA_ASK : HA_ALLOW;
	const char *note = NULL;
	if (a == HA_ASK && !cur_client->can_ask) {
		const char *w =
		    cur_client->warn_key ? policy_get(&p, "hooks", cur_client->warn_key) : NULL;
		enum verdict wv = V_DENY;
		if (w && verdict_parse(w, &wv) < 0)
			wv = V_DENY;
		a = wv == V_DENY ? HA_DENY : HA_WARN_ALLOW;
		note = a == HA_DENY
		           ? "warn answered as deny: the client cannot ask"
		           : "warn answered as allow with a warning: the client cannot ask";
	}
	const char *self_rule = NULL, *self_why = NULL;
	char *tc = d.error ? NULL : tamper_in(&d.an, 0);
	if (tc) {
		a = HA_DENY;
		self_rule = "guard-self";
		self_why = "an assistant may not change guard's own settings (--policy, install, "
		           "uninstall, ack); only the user can";
		note = NULL;
		model =
		    xasprintf("guard blocked this command; nothing was run.\n"
		              "guard: denied: %s\n"
		              "  rule:    guard-self (built in)\n"
		              "  reason:  %s.\n"
		              "Do not retry it in another form. If it is needed, ask the user to "
		              "run it themselves.",
		              tc, self_why);
		user = xasprintf("guard: blocked `%s` (an assistant may not change guard's own "
		                 "settings)",
		                 tc);
		free(tc);
	} else if (a != HA_ALLOW) {
		hook_reason(&p, &d, rq.command, a, &model, &user);
	}

	struct audit_rec rec = {
	    .mode = "hook",
	    .client = cur_client->name,
	    .session = rq.session,
	    .cwd = cwd,
	    .command = rq.command,
	    .note = note,
	    .policy = &p,
	};
	audit_from_decision(&rec, &d);
	if (self_rule) {
		rec.rule = self_rule;
		rec.reason = self_why;
		rec.see = NULL;
	}
	if (a == HA_DENY)
		rec.v = V_DENY;
	audit_decision(&rec);

	struct hook_out o = {
	    .a = a, .model = model ? model : "", .user = user ? user : "", .event = rq.event};
	st = answer(&o);
out:
	failsafe_fault_point("answered", rq.command);
	if (have_decision)
		decision_free(&d);
	if (have_policy)
		policy_free(&p);
	json_decref(root);
	free(rq.command);
	free(rq.cwd);
	free(cwd);
	free(model);
	free(user);
	free(in);
	/* The handlers stay until exit (a fault now keeps the answer's status);
	   fail_form's texts stay reachable from it. */
	return st;
}
