/*
 * cmd_install.c - guard install|uninstall CLIENT [--project|--user] [--dir DIR] [--guard PATH]
 *
 * Adds `GUARD hook CLIENT` to the client's settings file (hook_install.c),
 * merging with what is there: other keys and hooks are kept, a second
 * install changes nothing, and the file as it was is saved next to it as
 * FILE.guard-backup (FILE.guard-created when guard created it).  Uninstall
 * removes only the handlers guard added; when nothing else changed since,
 * the backup is put back, so the file is byte-identical to before the
 * install (or removed if guard created it).
 *
 * --prefix (Claude Code) also sets env.CLAUDE_CODE_SHELL_PREFIX to
 * `GUARD --prefix`, so every command Claude Code runs goes through guard;
 * uninstall takes it out again.
 *
 * guard install pre-push belongs to the pre-push hook: guard-git install-hook.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gitexec.h"
#include "hook.h"
#include "hook_install.h"
#include "util.h"

#define SETTINGS_MAX (16u << 20)

struct iopts {
	int user;
	int prefix; /* claude: also set env.CLAUDE_CODE_SHELL_PREFIX */
	const char *dir;
	const char *guard;
};

/* The top of the project: the nearest directory with .git, else cwd. */
static char *project_dir(void)
{
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(".");
	char *d = xstrdup(cwd);
	for (;;) {
		char *g = xasprintf("%s/.git", d);
		int found = access(g, F_OK) == 0;
		free(g);
		if (found) {
			free(cwd);
			return d;
		}
		char *s = strrchr(d, '/');
		if (!s || s == d)
			break;
		*s = 0;
	}
	free(d);
	return cwd;
}

/* The guard program for settings files, quoted for sh when it needs it. */
static char *guard_program(const struct iopts *o)
{
	char self[PATH_MAX];
	const char *g = o->guard;
	if (!g) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n <= 0)
			return xstrdup("guard");
		self[n] = 0;
		g = self;
	}
	if (strpbrk(g, " \t'\"\\$`"))
		return xasprintf("'%s'", g); /* paths with a ' are refused below */
	return xstrdup(g);
}

static char *guard_command(const struct iopts *o, const char *client)
{
	char *g = guard_program(o);
	char *c = xasprintf("%s hook %s", g, client);
	free(g);
	return c;
}

#define PREFIX_VAR "CLAUDE_CODE_SHELL_PREFIX"

/* 1 if v is a CLAUDE_CODE_SHELL_PREFIX guard install set: "<...>guard --prefix". */
static int our_prefix(const char *v)
{
	static const char tail[] = "guard --prefix";
	size_t n = v ? strlen(v) : 0, k = sizeof tail - 1;
	if (n >= k + 1 && v[n - k - 1] == '\'' && strcmp(v + n - k, tail + 5) == 0)
		return 1; /* '/odd path/guard' --prefix */
	return n >= k && strcmp(v + n - k, tail) == 0 &&
	       (n == k || v[n - k - 1] == '/' || v[n - k - 1] == ' ');
}

static int mkdirs_for(const char *path)
{
	char *d = xstrdup(path);
	int r = 0;
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(d, 0755) < 0 && errno != EEXIST)
			r = -errno;
		*p = '/';
	}
	free(d);
	return r;
}

/* Writes data to path through a temporary file and rename(2). */
static int write_atomic(const char *path, const char *data, size_t n, mode_t mode)
{
	char *tmp = xasprintf("%s.guard-tmp.%ld", path, (long)getpid());
	int r = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		goto out;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, data + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			goto out;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(tmp);
	return r;
}

static char *dump_settings(json_t *root)
{
	char *s = json_dumps(root, JSON_INDENT(2));
	char *r = xasprintf("%s\n", s ? s : "{}");
	free(s);
	return r;
}

/* Reads and parses a settings file.  Returns 1 (absent), 0 (parsed) or -1. */
static int load(const char *path, char **bytes, size_t *n, json_t **root)
{
	*bytes = NULL;
	*root = NULL;
	int r = read_file(path, SETTINGS_MAX, bytes, n);
	if (r == -ENOENT)
		return 1;
	if (r < 0) {
		warnx_("%s: %s", path, strerror(-r));
		return -1;
	}
	json_error_t je;
	*root = json_loadb(*bytes, *n, JSON_REJECT_DUPLICATES, &je);
	if (!*root || !json_is_object(*root)) {
		if (*root)
			warnx_("%s: not a JSON object; not changed", path);
		else
			warnx_("%s:%d:%d: %s; not changed", path, je.line, je.column, je.text);
		json_decref(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

struct same {
	const char *cmd;
	int same;
};

static void same_cmd(const char *cmd, void *vctx)
{
	struct same *c = vctx;
	if (strcmp(cmd, c->cmd) == 0)
		c->same = 1;
}

static int install_one(const struct hook_site *s, const struct iopts *o, const char *dir)
{
	int r = 1;
	char *path = hook_site_path(s, o->user, dir), *bytes = NULL, *cmd = NULL, *out = NULL;
	char *bak = NULL, *mark = NULL;
	json_t *root = NULL;
	size_t n = 0;
	if (!path) {
		warnx_("install %s: %s has no user-level hook file; use --project", s->client,
		       s->client);
		return 1;
	}
	cmd = guard_command(o, s->client);
	if (strchr(cmd, '\'') && strchr(strchr(cmd, '\'') + 1, '\'') != strrchr(cmd, '\'')) {
		warnx_("install %s: the path of guard contains a quote", s->client);
		goto out;
	}
	int st = load(path, &bytes, &n, &root);
	if (st < 0)
		goto out;
	int existed = st == 0;
	if (!existed)
		root = json_loads(s->skeleton, 0, NULL);
	struct same ctx = {cmd, 0};
	int have_hook = hook_site_each_ours(s, root, same_cmd, &ctx) > 0;
	int need_prefix = 0;
	if (o->prefix && strcmp(s->client, "claude") == 0) {
		json_t *env = json_object_get(root, "env");
		const char *cur = hook_jstr(env, PREFIX_VAR);
		if (env && !json_is_object(env)) {
			warnx_("%s: \"env\" is not an object; not changed", path);
			goto out;
		}
		if (json_object_get(env, PREFIX_VAR) && !our_prefix(cur)) {
			warnx_("%s: env.%s is already set to something else; not changed", path,
			       PREFIX_VAR);
			goto out;
		}
		need_prefix = cur == NULL;
	}
	if (have_hook && !need_prefix) {
		if (ctx.same)
			printf("%s: already installed in %s\n", s->client, path);
		else
			printf("%s: already installed in %s with another guard (see guard doctor; "
			       "guard uninstall %s, then install again, to change it)\n",
			       s->client, path, s->client);
		r = 0;
		goto out;
	}
	if (need_prefix) {
		json_t *env = json_object_get(root, "env");
		if (!env) {
			env = json_object();
			json_object_set_new(root, "env", env);
		}
		char *g = guard_program(o);
		char *v = xasprintf("%s --prefix", g);
		json_object_set_new(env, PREFIX_VAR, json_string(v));
		free(v);
		free(g);
	}
	if (have_hook)
		goto write;
	json_t *hooks = json_object_get(root, "hooks");
	if (!hooks) {
		hooks = json_object();
		json_object_set_new(root, "hooks", hooks);
	}
	if (!json_is_object(hooks)) {
		warnx_("%s: \"hooks\" is not an object; not changed", path);
		goto out;
	}
	json_t *ev = json_object_get(hooks, s->event);
	if (!ev) {
		ev = json_array();
		json_object_set_new(hooks, s->event, ev);
	}
	if (!json_is_array(ev)) {
		warnx_("%s: \"hooks\".\"%s\" is not an array; not changed", path, s->event);
		goto out;
	}
	if (s->matcher)
		json_array_append_new(
		    ev, json_pack("{s:s, s:[o]}", "matcher", s->matcher, "hooks", s->handler(cmd)));
	else
		json_array_append_new(ev, s->handler(cmd));

write:
	bak = xasprintf("%s.guard-backup", path);
	mark = xasprintf("%s.guard-created", path);
	struct stat sb;
	mode_t mode = existed && stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0644;
	if (mkdirs_for(path) < 0) {
		warnx_("%s: cannot create its directory: %s", path, strerror(errno));
		goto out;
	}
	if (have_hook) {
		/* guard changed this file before: the backup already holds the original */
	} else if (existed) {
		unlink(mark);
		if (write_atomic(bak, bytes, n, mode) < 0) {
			warnx_("%s: cannot write the backup: %s; not changed", bak,
			       strerror(errno));
			goto out;
		}
	} else {
		unlink(bak);
		if (write_atomic(mark, "", 0, 0644) < 0) {
			warnx_("%s: %s; not changed", mark, strerror(errno));
			goto out;
		}
	}
	out = dump_settings(root);
	if (write_atomic(path, out, strlen(out), mode) < 0) {
		warnx_("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	if (!have_hook)
		printf("%s: installed `%s` in %s%s%s%s\n", s->client, cmd, path,
		       existed ? " (backup: " : "", existed ? bak : "", existed ? ")" : "");
	if (need_prefix)
		printf("%s: set env.%s in %s: every command Claude Code runs goes through guard\n",
		       s->client, PREFIX_VAR, path);
	r = 0;
out:
	json_decref(root);
	free(path);
	free(bytes);
	free(cmd);
	free(out);
	free(bak);
	free(mark);
	return r;
}

/* Removes guard's handlers from arr (a list of handlers).  Returns how many. */
static int remove_ours(const struct hook_site *s, json_t *arr)
{
	int n = 0;
	for (size_t i = json_array_size(arr); i-- > 0;)
		if (hook_site_is_ours(s, json_array_get(arr, i))) {
			json_array_remove(arr, i);
			n++;
		}
	return n;
}

/* Removes guard's handlers, and the containers that removing them emptied. */
static int prune(const struct hook_site *s, json_t *root)
{
	json_t *hooks = json_object_get(root, "hooks");
	json_t *ev = json_object_get(hooks, s->event);
	if (!json_is_array(ev))
		return 0;
	int n = 0;
	if (s->matcher) {
		for (size_t i = json_array_size(ev); i-- > 0;) {
			json_t *hs = json_object_get(json_array_get(ev, i), "hooks");
			int k = json_is_array(hs) ? remove_ours(s, hs) : 0;
			n += k;
			if (k && json_array_size(hs) == 0)
				json_array_remove(ev, i);
		}
	} else {
		n = remove_ours(s, ev);
	}
	if (n && json_array_size(ev) == 0)
		json_object_del(hooks, s->event);
	if (n && json_object_size(hooks) == 0)
		json_object_del(root, "hooks");
	return n;
}

/* Removes the CLAUDE_CODE_SHELL_PREFIX guard set (and env, if that emptied it). */
static int prune_prefix(json_t *root)
{
	json_t *env = json_object_get(root, "env");
	if (!our_prefix(hook_jstr(env, PREFIX_VAR)))
		return 0;
	json_object_del(env, PREFIX_VAR);
	if (json_object_size(env) == 0)
		json_object_del(root, "env");
	return 1;
}

static int uninstall_one(const struct hook_site *s, const struct iopts *o, const char *dir)
{
	int r = 1;
	char *path = hook_site_path(s, o->user, dir), *bytes = NULL, *bb = NULL, *out = NULL;
	char *bak = NULL, *mark = NULL;
	json_t *root = NULL, *broot = NULL, *skel = NULL;
	size_t n = 0, bn = 0;
	if (!path) {
		warnx_("uninstall %s: %s has no user-level hook file", s->client, s->client);
		return 1;
	}
	int st = load(path, &bytes, &n, &root);
	if (st < 0)
		goto out;
	if (st == 1 ||
	    prune(s, root) + (strcmp(s->client, "claude") == 0 ? prune_prefix(root) : 0) == 0) {
		printf("%s: not installed in %s\n", s->client, path);
		r = 0;
		goto out;
	}
	bak = xasprintf("%s.guard-backup", path);
	mark = xasprintf("%s.guard-created", path);
	if (read_file(bak, SETTINGS_MAX, &bb, &bn) == 0 &&
	    (broot = json_loadb(bb, bn, 0, NULL)) != NULL && json_equal(broot, root)) {
		if (rename(bak, path) < 0) {
			warnx_("%s: cannot restore %s: %s", path, bak, strerror(errno));
			goto out;
		}
		printf("%s: removed from %s (restored as it was before the install)\n", s->client,
		       path);
		r = 0;
		goto out;
	}
	skel = json_loads(s->skeleton, 0, NULL);
	if (access(mark, F_OK) == 0 && json_equal(skel, root)) {
		if (unlink(path) < 0) {
			warnx_("%s: %s", path, strerror(errno));
			goto out;
		}
		unlink(mark);
		printf("%s: removed %s (guard had created it)\n", s->client, path);
		r = 0;
		goto out;
	}
	struct stat sb;
	mode_t mode = stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0644;
	out = dump_settings(root);
	if (write_atomic(path, out, strlen(out), mode) < 0) {
		warnx_("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	unlink(mark);
	printf("%s: removed from %s (the file changed since the install, so only guard's "
	       "entries were taken out%s%s)\n",
	       s->client, path, bb ? "; the old backup is kept at " : "", bb ? bak : "");
	r = 0;
out:
	json_decref(root);
	json_decref(broot);
	json_decref(skel);
	free(path);
	free(bytes);
	free(bb);
	free(out);
	free(bak);
	free(mark);
	return r;
}

static int run(int argc, char **argv, int un)
{
	const char *verb = un ? "uninstall" : "install";
	if (argc >= 2 && strcmp(argv[1], "pre-push") == 0) {
		/* guard install|uninstall pre-push ARGS -> guard-git install-hook (issue 7) */
		static const char *const ins[] = {"install-hook", NULL};
		static const char *const unins[] = {"install-hook", "--uninstall", NULL};
		gitexec(un ? unins : ins, argc - 2, argv + 2);
		warnx_("cannot run guard-git: %s", strerror(errno));
		return EXIT_BLOCKED;
	}
	struct iopts o = {0};
	const struct hook_site *sel[8];
	int nsel = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--user") == 0) {
			o.user = 1;
		} else if (strcmp(a, "--project") == 0) {
			o.user = 0;
		} else if (strcmp(a, "--dir") == 0 && i + 1 < argc) {
			o.dir = argv[++i];
		} else if (strcmp(a, "--prefix") == 0) {
			o.prefix = 1;
		} else if (strcmp(a, "--guard") == 0 && i + 1 < argc) {
			o.guard = argv[++i];
		} else if (strcmp(a, "all") == 0) {
			nsel = 0;
			for (const struct hook_site *s = hook_sites; s->client; s++)
				sel[nsel++] = s;
		} else {
			const struct hook_site *s = hook_site_find(a);
			if (!s || nsel >= 8) {
				warnx_("usage: guard %s "
				       "claude|codex|gemini|cursor|copilot|all|pre-push "
				       "[--project|--user] [--prefix] [--dir DIR] [--guard PATH]",
				       verb);
				return EXIT_USAGE;
			}
			sel[nsel++] = s;
		}
	}
	if (nsel == 0) {
		warnx_("usage: guard %s claude|codex|gemini|cursor|copilot|all|pre-push "
		       "[--project|--user] [--prefix] [--dir DIR] [--guard PATH]",
		       verb);
		return EXIT_USAGE;
	}
	for (int i = 0; i < nsel && o.prefix; i++)
		if (strcmp(sel[i]->client, "claude") != 0 && nsel == 1) {
			warnx_("%s --prefix: only Claude Code has CLAUDE_CODE_SHELL_PREFIX", verb);
			return EXIT_USAGE;
		}
	char *dir = o.dir ? xstrdup(o.dir) : project_dir();
	int bad = 0;
	for (int i = 0; i < nsel; i++) {
		if (o.user && !sel[i]->user_file && nsel > 1)
			continue; /* "all --user": skip clients without a user file */
		bad |= un ? uninstall_one(sel[i], &o, dir) : install_one(sel[i], &o, dir);
	}
	free(dir);
	return bad ? 1 : 0;
}

int cmd_install(struct gopts *g, int argc, char **argv)
{
	(void)g;
	return run(argc, argv, 0);
}

int cmd_uninstall(struct gopts *g, int argc, char **argv)
{
	(void)g;
	return run(argc, argv, 1);
}
