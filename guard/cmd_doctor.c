/*
 * cmd_doctor.c - guard doctor [--dir DIR]: proves the assistant hooks fire.
 *
 * Shows the policy that applies here and where the audit log goes; then, for
 * every client settings file (project and user) that holds guard's hook,
 * runs the configured command exactly as the client would (/bin/sh -c, the
 * payload on stdin) with two synthetic payloads in that client's shape: a
 * command a throw-away policy denies, which must come back as a deny the
 * client enforces, and `true`, which must come back as no objection.
 * Exit 0 when everything found works, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "hook.h"
#include "hook_install.h"
#include "policy.h"
#include "util.h"

/* Runnable, so a wrapper that checks nothing would run it and exit 0. */
#define PROBE_CMD "true guard-doctor-probe"

static const char probe_policy[] = "; written by guard doctor\n"
                                   "[guard]\n"
                                   "default = allow\n"
                                   "\n"
                                   "[rule doctor-probe]\n"
                                   "match = true guard-doctor-probe\n"
                                   "action = deny\n"
                                   "reason = guard doctor's self-test command\n"
                                   "instead = true\n";

struct run {
	int status; /* exit status, or 128+signal, or -1 */
	char *out, *err;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Runs sh -c cmd in dir with payload on stdin; files go to tmp. */
static int run_hook_cmd(const char *cmd, const char *dir, const char *tmp, const char *payload,
                        struct run *r)
{
	memset(r, 0, sizeof *r);
	r->status = -1;
	char *in = xasprintf("%s/in", tmp), *out = xasprintf("%s/out", tmp),
	     *err = xasprintf("%s/err", tmp);
	int fd = open(in, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, payload, strlen(payload)) != (ssize_t)strlen(payload)) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	pid_t pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0) {
		int i = open(in, O_RDONLY), o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600),
		    e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (i < 0 || o < 0 || e < 0 || dup2(i, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		if (chdir(dir) < 0)
			_exit(127);
		setenv("CLAUDE_PROJECT_DIR", dir, 1);
		setenv("GUARD_AUDIT_LOG", "/dev/null", 1); /* probes are not decisions */
		alarm(60);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	size_t n;
	if (read_file(out, 1 << 20, &r->out, &n) < 0)
		r->out = xstrdup("");
	if (read_file(err, 1 << 20, &r->err, &n) < 0)
		r->err = xstrdup("");
out:
	free(in);
	free(out);
	free(err);
	return r->status < 0 ? -1 : 0;
}

static const char *jpath(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* How the client reads the answer: "deny", "ask", "allow" (no objection),
   or "run" (it would go on: an error status, invalid output ...). */
static const char *client_reads(const char *client, const struct run *r)
{
	size_t ws = strspn(r->out, " \t\r\n");
	int empty = r->out[ws] == 0;
	json_t *o = empty ? NULL : json_loads(r->out, 0, NULL);
	const char *res = "run";
	if (!strcmp(client, "claude") || !strcmp(client, "codex")) {
		const char *d = o ? jpath(o, "hookSpecificOutput", "permissionDecision") : NULL;
		if (r->status == 2 && (strcmp(client, "codex") || r->err[0]))
			res = "deny";
		else if (r->status == 0 && empty)
			res = "allow";
		else if (r->status == 0 && d)
			res = !strcmp(d, "deny")                               ? "deny"
			      : !strcmp(d, "ask") && !strcmp(client, "claude") ? "ask"
			                                                       : "run";
		else if (r->status == 0 && o && jpath(o, "decision", NULL) &&
		         !strcmp(jpath(o, "decision", NULL), "block"))
			res = "deny";
		else if (r->status == 0 && o)
			res = "allow";
	} else if (!strcmp(client, "gemini")) {
		const char *d = o ? jpath(o, "decision", NULL) : NULL;
		if (r->status == 2)
			res = "deny";
		else if (r->status == 0 && d && (!strcmp(d, "deny") || !strcmp(d, "block")))
			res = "deny";
		else if (r->status == 0 && (empty || o))
			res = "allow";
	} else if (!strcmp(client, "cursor")) {
		const char *d = o ? jpath(o, "permission", NULL) : NULL;
		if (r->status == 2)
			res = "deny";
		else if (r->status == 0 && d)
			res = !strcmp(d, "deny") ? "deny" : !strcmp(d, "ask") ? "ask" : "allow";
	} else if (!strcmp(client, "copilot")) {
		const char *d = o ? jpath(o, "permissionDecision", NULL) : NULL;
		if (r->status == 0 && d)
			res = !strcmp(d, "deny") ? "deny" : !strcmp(d, "ask") ? "ask" : "allow";
		else if (r->status == 0 && (empty || o))
			res = "allow";
	}
	json_decref(o);
	return res;
}

struct probe_ctx {
	const struct hook_site *s;
	const char *dir, *tmp, *probe_dir;
	int bad, found;
};

static void probe_one(const char *cmd, void *vctx)
{
	struct probe_ctx *c = vctx;
	c->found++;
	printf("    hook: %s\n", cmd);
	static const struct {
		const char *what, *cmd, *want;
	} probes[] = {
	    {"deny probe ", PROBE_CMD, "deny"},
	    {"allow probe", "true", "allow"},
	};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		json_t *pj = c->s->probe(c->probe_dir, probes[i].cmd);
		char *payload = pj ? json_dumps(pj, JSON_COMPACT) : NULL;
		json_decref(pj);
		struct run r;
		if (!payload || run_hook_cmd(cmd, c->dir, c->tmp, payload, &r) < 0) {
			printf("    %s: could not run it   FAIL\n", probes[i].what);
			c->bad++;
			free(payload);
			continue;
		}
		const char *got = client_reads(c->s->client, &r);
		int good = strcmp(got, probes[i].want) == 0;
		printf("    %s: exit %d, %s reads it as %s   %s\n", probes[i].what, r.status,
		       c->s->client, got, good ? "ok" : "FAIL");
		if (!good) {
			c->bad++;
			if (r.err[0])
				printf("      stderr: %.300s\n", r.err);
		}
		run_free(&r);
		free(payload);
	}
}

/* Claude Code's CLAUDE_CODE_SHELL_PREFIX: runs `PREFIX 'COMMAND'`; a denied
   command must exit non-zero without running, an allowed one must run. */
static int probe_prefix(const char *prefix, const char *tmp)
{
	int bad = 0;
	printf("    env.CLAUDE_CODE_SHELL_PREFIX: %s\n", prefix);
	static const struct {
		const char *what, *cmd;
		int want_ok;
	} probes[] = {
	    {"deny probe ", "'" PROBE_CMD "'", 0},
	    {"allow probe", "'echo guard-doctor-ran'", 1},
	};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		char *cmd = xasprintf("%s %s", prefix, probes[i].cmd);
		struct run r;
		int ran = run_hook_cmd(cmd, tmp, tmp, "", &r) == 0;
		int good =
		    ran && (probes[i].want_ok ? r.status == 0 && strstr(r.out, "guard-doctor-ran")
		                              : r.status == 126); /* denied: nothing ran */
		printf("    %s: exit %d   %s\n", probes[i].what, ran ? r.status : -1,
		       good ? "ok" : "FAIL");
		if (!good) {
			bad++;
			if (ran && r.err[0])
				printf("      stderr: %.300s\n", r.err);
		}
		if (ran)
			run_free(&r);
		free(cmd);
	}
	return bad;
}

int cmd_doctor(struct gopts *g, int argc, char **argv)
{
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			warnx_("usage: guard doctor [--dir DIR]");
			return EXIT_USAGE;
		}
	}
	int bad = 0, found = 0;
	char *cwd = dir ? xstrdup(dir) : getcwd(NULL, 0);
	if (!cwd)
		cwd = xstrdup(".");

	/* the policy that applies here */
	struct policy p;
	policy_init(&p);
	policy_find_and_load(&p, g->policy, cwd);
	if (p.errors.n) {
		printf("policy: %zu error(s): every command is denied\n", p.errors.n);
		for (size_t i = 0; i < p.errors.n; i++)
			printf("    %s\n", p.errors.v[i]);
		bad++;
	} else {
		for (size_t i = 0; i < p.files.n; i++)
			printf("policy: %s\n", p.files.v[i]);
		printf("    %zu rule(s), ok\n", p.nrule);
	}
	policy_free(&p);
	char *ap = audit_path();
	printf("audit log: %s\n", ap ? ap : "(nowhere: no $HOME)");
	free(ap);

	/* a scratch project with a policy that denies the probe */
	char tmpl[] = "/tmp/guard-doctor-XXXXXX";
	char *tmp = mkdtemp(tmpl);
	char *gd = NULL, *pf = NULL;
	if (!tmp) {
		warnx_("doctor: cannot create a scratch directory: %s", strerror(errno));
		free(cwd);
		return 1;
	}
	gd = xasprintf("%s/.guard", tmp);
	pf = xasprintf("%s/policy.ini", gd);
	FILE *f = NULL;
	if (mkdir(gd, 0700) < 0 || !(f = fopen(pf, "w")) || fputs(probe_policy, f) < 0 ||
	    fclose(f) != 0) {
		warnx_("doctor: cannot write %s", pf);
		bad++;
		goto out;
	}
	/* the project directory is where the client keeps its project settings */
	char *proj = NULL;
	{
		char *d = xstrdup(cwd);
		for (;;) {
			char *gitd = xasprintf("%s/.git", d);
			int found_git = access(gitd, F_OK) == 0;
			free(gitd);
			if (found_git)
				break;
			char *s = strrchr(d, '/');
			if (!s || s == d) {
				free(d);
				d = xstrdup(cwd);
				break;
			}
			*s = 0;
		}
		proj = d;
	}
	for (const struct hook_site *s = hook_sites; s->client; s++) {
		for (int user = 0; user <= 1; user++) {
			char *path = hook_site_path(s, user, proj);
			if (!path)
				continue;
			char *bytes = NULL;
			size_t n;
			json_t *root = NULL;
			if (read_file(path, 16u << 20, &bytes, &n) == 0)
				root = json_loadb(bytes, n, 0, NULL);
			if (bytes && !root) {
				printf("%s: %s: not valid JSON: the client may ignore it   FAIL\n",
				       s->client, path);
				bad++;
			} else if (root) {
				struct probe_ctx c = {.s = s,
				                      .dir = user ? getenv("HOME") : proj,
				                      .tmp = tmp,
				                      .probe_dir = tmp};
				if (!c.dir)
					c.dir = "/";
				printf("%s: %s\n", s->client, path);
				hook_site_each_ours(s, root, probe_one, &c);
				const char *pre = strcmp(s->client, "claude") == 0
				                      ? hook_jstr(json_object_get(root, "env"),
				                                  "CLAUDE_CODE_SHELL_PREFIX")
				                      : NULL;
				if (pre) {
					c.found++;
					c.bad += probe_prefix(pre, tmp);
				}
				if (!c.found)
					printf("    guard's hook is not installed here (guard "
					       "install %s%s)\n",
					       s->client, user ? " --user" : "");
				found += c.found;
				bad += c.bad;
			}
			json_decref(root);
			free(bytes);
			free(path);
		}
	}
	free(proj);
	if (!found)
		printf("no assistant hooks installed: guard install "
		       "claude|codex|gemini|cursor|copilot\n");
	printf("%s\n", bad ? "doctor: problems found" : "doctor: ok");
out:
	unlink(pf);
	rmdir(gd);
	{
		static const char *const names[] = {"in", "out", "err", NULL};
		for (int i = 0; names[i]; i++) {
			char *x = xasprintf("%s/%s", tmp, names[i]);
			unlink(x);
			free(x);
		}
	}
	rmdir(tmp);
	free(gd);
	free(pf);
	free(cwd);
	return bad ? 1 : 0;
}
