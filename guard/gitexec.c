/* gitexec.c - find and exec build/guard-git (see gitexec.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "gitexec.h"
#include "util.h"

/* The candidates, in order; *self_out gets the running binary's path. */
static int candidates(char *cand[3], char **self_out)
{
	char self[PATH_MAX];
	int n = 0;
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len > 0) {
		self[len] = 0;
		if (self_out)
			*self_out = xstrdup(self);
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			/* the build tree, or an install that keeps both together */
			cand[n++] = xasprintf("%s/guard-git", self);
			/* PREFIX/bin/guard -> PREFIX/libexec/guard/guard-git, wherever
			   the tree was installed or moved to (DESTDIR, a package) */
			cand[n++] = xasprintf("%s/../libexec/guard/guard-git", self);
		}
	}
	cand[n++] = xstrdup(GUARD_LIBEXECDIR "/guard-git");
	return n;
}

char *gitexec_find(void)
{
	char *cand[3] = {NULL, NULL, NULL}, *found = NULL;
	int n = candidates(cand, NULL);
	for (int i = 0; i < n; i++) {
		if (!found && access(cand[i], X_OK) == 0) {
			found = cand[i];
			continue;
		}
		free(cand[i]);
	}
	return found;
}

int gitexec(const char *const *pre, int argc, char **argv)
{
	char *cand[3] = {NULL, NULL, NULL}, *self = NULL;
	int nc = candidates(cand, &self);
	if (self) {
		setenv("GUARD_EXE", self, 1);
		free(self);
	}
	size_t npre = 0;
	while (pre && pre[npre])
		npre++;
	char **av = xcalloc(npre + (size_t)argc + 2, sizeof *av);
	size_t k = 1;
	for (size_t i = 0; i < npre; i++)
		av[k++] = (char *)pre[i];
	for (int i = 0; i < argc; i++)
		av[k++] = argv[i];
	int saved = ENOENT;
	for (int c = 0; c < nc; c++) {
		av[0] = cand[c];
		execv(cand[c], av);
		if (errno != ENOENT && errno != ENOTDIR)
			saved = errno;
	}
	free(av);
	for (int c = 0; c < nc; c++)
		free(cand[c]);
	errno = saved;
	return -1;
}
