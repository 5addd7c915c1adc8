/*
 * gitexec.h - run build/guard-git (the only program that links libgit2).
 *
 * build/guard never links libgit2 (its init costs ~15 ms); subcommands that
 * read repositories (derive, the pre-push hook and its installer) replace the
 * guard process with guard-git.  guard-git is looked for next to the running
 * guard (the build tree), then in ../libexec/guard/ from the running guard's
 * directory (an installed tree, wherever it was installed or moved to), then
 * in GUARD_LIBEXECDIR (compiled in from the Makefile's LIBEXECDIR).  Never
 * through PATH or the environment: a guarded user must not be able to
 * substitute it.  GUARD_EXE is set to the running guard's path so guard-git
 * can write hooks that call it.
 */
#ifndef GUARD_GITEXEC_H
#define GUARD_GITEXEC_H

/*
 * Execs guard-git with the words of pre (NULL-terminated, e.g.
 * {"prepush", NULL}) followed by argv[0..argc-1].  Returns only on failure:
 * -1 with errno set; the caller reports it.
 */
int gitexec(const char *const *pre, int argc, char **argv);

/* The guard-git gitexec would run (allocated), or NULL when there is none. */
char *gitexec_find(void);

#endif
