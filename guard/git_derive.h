/*
 * git_derive.h - a policy from the docs committed at a commit, and whether a
 * policy is stale against them (guard derive, CI, the pre-push hook).
 *
 * Only the committed tree is read (never the working tree), so the output
 * depends on the commit alone: uncommitted edits do not change it.
 */
#ifndef GUARD_GIT_DERIVE_H
#define GUARD_GIT_DERIVE_H

#include <stddef.h>

#include <git2/oid.h>
#include <git2/types.h>

#include "util.h"

#define DERIVE_POLICY_PATH ".guard/policy.ini" /* in the work tree, and in commits */

struct derive_opts {
	const char *ref;     /* recorded as [derived] ref (e.g. "HEAD"); may be NULL */
	struct strv include; /* more doc globs (command line) */
	struct strv exclude;
	/* The existing policy, or NULL: its [docs] include/exclude choose the
	   docs, and an [ack NAME] expires it sets is kept. */
	const char *policy;
	size_t policy_len;
};

/*
 * Derives the policy from the docs at commit.  On success *out is the
 * policy text (malloc'd) and, when docs is not NULL, one "PATH" per doc read
 * is appended to it.  Returns 0, or -1 with *err set (malloc'd).
 */
int derive_policy(git_repository *r, const git_oid *commit, const struct derive_opts *o, char **out,
                  struct strv *docs, char **err);

/*
 * Is `policy` (len bytes, the text of a derived policy) current against the
 * docs at commit?  Returns 0 when it is, 1 when it is stale, -1 on error
 * (*err set).  When stale, `why` receives one line per reason, each naming a
 * doc: "PATH: changed (blob OLD, now NEW)", "PATH: new doc", "PATH: no longer
 * at this commit", or "rules differ from what guard derive writes now".
 * The [docs] selection is the policy's own.  This is what CI
 * (`guard derive --check`) and the pre-push hook call.
 */
int derive_check(git_repository *r, const git_oid *commit, const char *policy, size_t len,
                 struct strv *why, char **err);

#endif
