/*
 * gitexec.h - run build/guard-git (the only program that links libgit2).
 *
 * build/guard never links libgit2 (its init costs ~15 ms); subcommands that
 * read repositories (derive, the pre-push hook and its installer) replace the
 * guard process with guard-git.  guard-git is looked for next to the running
 * guard (the build tree) and then in GUARD_LIBEXECDIR.  GUARD_EXE is set to
 * the running guard's path so guard-git can write hooks that call it.
 */
#ifndef GUARD_GITEXEC_H
#define GUARD_GITEXEC_H

/*
 * Execs guard-git with the words of pre (NULL-terminated, e.g.
 * {"prepush", NULL}) followed by argv[0..argc-1].  Returns only on failure:
 * -1 with errno set; the caller reports it.
 */
int gitexec(const char *const *pre, int argc, char **argv);

#endif
