/* gitexec.c - exec build/guard-git (see gitexec.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gitexec.h"
#include "util.h"

int gitexec(const char *const *pre, int argc, char **argv)
{
	char self[PATH_MAX];
	char *cand[2] = {NULL, NULL};
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		setenv("GUARD_EXE", self, 1);
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			cand[0] = xasprintf("%s/guard-git", self);
		}
	}
	cand[1] = xstrdup(GUARD_LIBEXECDIR "/guard-git");
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
	for (int c = 0; c < 2; c++) {
		if (!cand[c])
			continue;
		av[0] = cand[c];
		execv(cand[c], av);
		if (errno != ENOENT)
			saved = errno;
	}
	free(av);
	free(cand[0]);
	free(cand[1]);
	errno = saved;
	return -1;
}
