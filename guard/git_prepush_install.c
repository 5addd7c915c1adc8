/*
 * git_prepush_install.c - `guard install pre-push [--repo DIR] [--uninstall]`.
 *
 * Writes the hook into the directory git runs hooks from: core.hooksPath
 * when it is set (absolute, or relative to the work tree top, or to the git
 * dir of a bare repository), else the common git dir's hooks/ (so linked
 * worktrees share it).  A hook that is already there and is not guard's is
 * kept: it is renamed to pre-push.guard-chained and guard runs it first, with
 * the same arguments and stdin.  Installing twice changes nothing;
 * --uninstall puts the old hook back.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "git_prepush.h"
#include "util.h"

#define MARK "written by `guard install pre-push`"
#define CHAINED "pre-push.guard-chained"

static char *gmsg(void)
{
	const git_error *e = git_error_last();
	return xstrdup((e && e->message) ? e->message : "unknown error");
}

static int mkdirs(const char *dir)
{
	char *d = xstrdup(dir);
	int r = 0;
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(d, 0755) < 0 && errno != EEXIST)
			r = -1;
		*p = '/';
	}
	if (mkdir(d, 0755) < 0 && errno != EEXIST)
		r = -1;
	free(d);
	return r;
}

/* The directory git runs hooks from (allocated), or NULL with *err. */
static char *hooks_dir(git_repository *repo, char **err)
{
	git_config *cfg = NULL;
	git_buf b = {0};
	char *dir = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		char *m = gmsg();
		*err = xasprintf("cannot read the git config: %s", m);
		free(m);
		return NULL;
	}
	int rc = git_config_get_path(&b, cfg, "core.hooksPath");
	if (rc == 0 && b.ptr && *b.ptr) {
		if (b.ptr[0] == '/') {
			dir = xstrdup(b.ptr);
		} else {
			const char *base = git_repository_workdir(repo);
			if (!base)
				base = git_repository_path(repo);
			size_t bl = strlen(base);
			dir =
			    xasprintf("%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", b.ptr);
		}
	} else if (rc < 0 && rc != GIT_ENOTFOUND) {
		char *m = gmsg();
		*err = xasprintf("core.hooksPath: %s", m);
		free(m);
	} else {
		const char *common = git_repository_commondir(repo);
		size_t cl = strlen(common);
		dir = xasprintf("%s%shooks", common, cl && common[cl - 1] == '/' ? "" : "/");
	}
	git_buf_dispose(&b);
	git_config_free(cfg);
	return dir;
}

/* The guard binary the hook should run: the one that is installing it. */
static char *guard_path(void)
{
	const char *e = getenv("GUARD_EXE"); /* set by guard before it execs guard-git */
	if (e && e[0] == '/' && access(e, X_OK) == 0)
		return xstrdup(e);
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			char *g = xasprintf("%s/guard", self);
			if (access(g, X_OK) == 0)
				return g;
			free(g);
		}
	}
	return xstrdup("guard");
}

static int is_ours(const char *path)
{
	char *t;
	size_t n;
	if (read_file(path, 1 << 16, &t, &n) < 0)
		return 0;
	int r = strstr(t, MARK) != NULL;
	free(t);
	return r;
}

static void sq(struct sbuf *b, const char *s)
{
	sb_addc(b, '\'');
	for (; *s; s++)
		if (*s == '\'')
			sb_adds(b, "'\\''");
		else
			sb_addc(b, *s);
	sb_addc(b, '\'');
}

static int write_hook(const char *path, const char *guard)
{
	struct sbuf b;
	sb_init(&b);
	sb_adds(&b, "#!/bin/sh\n"
	            "# guard pre-push hook, written by `guard install pre-push`.\n"
	            "# It refuses pushes whose commits add commands the repository's docs forbid,\n"
	            "# or change the docs without re-deriving .guard/policy.ini.  A hook that was\n"
	            "# here before was renamed " CHAINED " and runs first.\n"
	            "# Remove with `guard uninstall pre-push`.\n"
	            "exec ");
	sq(&b, guard);
	sb_adds(&b, " hook pre-push --chain \"$0.guard-chained\" -- \"$@\"\n");
	char *tmp = xasprintf("%s.guard-tmp.%ld", path, (long)getpid());
	int r = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		goto out;
	if (write(fd, b.s, b.len) != (ssize_t)b.len || fchmod(fd, 0755) < 0) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(tmp);
	sb_free(&b);
	return r;
}

int prepush_install(int argc, char **argv)
{
	int st = 1, uninstall = 0;
	const char *dir = ".";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--uninstall") == 0)
			uninstall = 1;
		else if (strcmp(argv[i], "pre-push") == 0)
			continue; /* tolerated: `install-hook pre-push` */
		else {
			fputs("usage: guard install pre-push [--repo DIR]\n"
			      "       guard uninstall pre-push [--repo DIR]\n",
			      stderr);
			return PREPUSH_USAGE;
		}
	}
	git_repository *repo = NULL;
	char *hd = NULL, *hook = NULL, *chained = NULL, *guard = NULL, *err = NULL;
	if (git_libgit2_init() < 0) {
		fputs("guard: libgit2 failed to start\n", stderr);
		return 1;
	}
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0) {
		char *m = gmsg();
		fprintf(stderr, "guard: %s: not a git repository (%s)\n", dir, m);
		free(m);
		goto out;
	}
	if (!(hd = hooks_dir(repo, &err))) {
		fprintf(stderr, "guard: %s\n", err);
		goto out;
	}
	hook = xasprintf("%s/pre-push", hd);
	chained = xasprintf("%s/%s", hd, CHAINED);
	struct stat sh, sc;
	int have_hook = lstat(hook, &sh) == 0;
	int have_chained = lstat(chained, &sc) == 0;

	if (uninstall) {
		if (have_hook && !is_ours(hook)) {
			fprintf(stderr, "guard: %s is not guard's hook; left alone\n", hook);
			goto out;
		}
		if (have_hook && unlink(hook) < 0) {
			fprintf(stderr, "guard: cannot remove %s: %s\n", hook, strerror(errno));
			goto out;
		}
		if (have_chained && rename(chained, hook) < 0) {
			fprintf(stderr, "guard: cannot restore %s: %s\n", hook, strerror(errno));
			goto out;
		}
		if (have_chained)
			fprintf(stderr, "guard: removed the pre-push hook; %s is back\n", hook);
		else if (have_hook)
			fprintf(stderr, "guard: removed %s\n", hook);
		else
			fprintf(stderr, "guard: no guard pre-push hook in %s\n", hd);
		st = 0;
		goto out;
	}

	if (mkdirs(hd) < 0) {
		fprintf(stderr, "guard: cannot create %s: %s\n", hd, strerror(errno));
		goto out;
	}
	if (have_hook && !is_ours(hook)) {
		if (have_chained) {
			fprintf(stderr,
			        "guard: both %s and %s exist and neither is guard's; move one away "
			        "and run guard install pre-push again\n",
			        hook, chained);
			goto out;
		}
		if (rename(hook, chained) < 0) {
			fprintf(stderr, "guard: cannot rename %s: %s\n", hook, strerror(errno));
			goto out;
		}
		have_chained = 1;
	}
	guard = guard_path();
	if (write_hook(hook, guard) < 0) {
		fprintf(stderr, "guard: cannot write %s: %s\n", hook, strerror(errno));
		goto out;
	}
	fprintf(stderr, "guard: installed %s%s%s\n", hook,
	        have_chained ? "; it runs the previous hook first: " : "",
	        have_chained ? chained : "");
	st = 0;
out:
	free(err);
	free(guard);
	free(chained);
	free(hook);
	free(hd);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return st;
}
