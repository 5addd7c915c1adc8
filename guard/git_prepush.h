/*
 * git_prepush.h - the git pre-push hook and its installer (guard-git).
 *
 * `guard hook pre-push REMOTE URL` and `guard install pre-push` exec
 * build/guard-git (see gitexec.h), which dispatches here from git_main.c:
 *
 *   guard-git prepush [--repo DIR] [--chain HOOK] [--max-commits N] REMOTE URL < ref lines
 *   guard-git prepush --extract FILE...     (prints what guard would analyse; for tests)
 *   guard-git install-hook [--repo DIR] [--uninstall]
 *
 * Both return the process exit status: 0 lets the push go on; anything else
 * makes git abort the whole push.
 */
#ifndef GUARD_GIT_PREPUSH_H
#define GUARD_GIT_PREPUSH_H

/* Exit statuses of the hook. */
enum {
	PREPUSH_OK = 0,      /* nothing denied (warnings may have been printed) */
	PREPUSH_REFUSED = 2, /* a deny, stale policy, or an error: fail closed */
	PREPUSH_POLICY = 3,  /* the committed policy has errors */
	PREPUSH_USAGE = 64,
};

#define PREPUSH_MAX_COMMITS 10000 /* default cap of the walk */

int prepush_main(int argc, char **argv);
int prepush_install(int argc, char **argv);

#endif
