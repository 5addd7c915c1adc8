/*
 * git_repo.h - reading a git repository with libgit2 (build/guard-git only).
 *
 * A thin layer over libgit2 1.5 that knows its traps (tech-notes 1.3):
 *   - opening honours GIT_DIR / GIT_WORK_TREE the way git hooks see them,
 *     working around "GIT_WORK_TREE unimplemented" in 1.5;
 *   - owner validation is decided here, once (see grepo_open);
 *   - git_error_last() may be NULL or stale: every failure comes back as an
 *     allocated message built right after the failing call.
 *
 * Every function returns 0 on success or a negative code: GREPO_ENOTFOUND
 * when the thing asked for does not exist, -1 for any other failure.  On
 * failure *err (when err is not NULL) receives a malloc'd message without
 * the "guard: " prefix; the caller frees it.  Nothing here prints.
 */
#ifndef GUARD_GIT_REPO_H
#define GUARD_GIT_REPO_H

#include <stddef.h>

#include <git2/oid.h>
#include <git2/types.h>

#define GREPO_ENOTFOUND (-3) /* same value as GIT_ENOTFOUND */

/* Flags of grepo_open. */
enum {
	GREPO_VALIDATE_OWNER = 1 << 0, /* keep libgit2's owner validation on */
};

/*
 * Opens a repository (initialising libgit2 on first use).
 *
 * dir != NULL: the repository containing dir (searching upward from it, like
 *   `git -C dir`); GIT_DIR and GIT_WORK_TREE are ignored.
 * dir == NULL: as git itself and its hooks do: GIT_DIR (and GIT_WORK_TREE,
 *   GIT_COMMON_DIR) when set, else a search upward from the current directory
 *   (honouring GIT_CEILING_DIRECTORIES).
 *
 * Owner validation: guard only reads objects (libgit2 runs no hooks, filters,
 * fsmonitor or pager from the repository's config), and an operator commonly
 * reads a deploy user's checkout (/srv/app owned by deploy) as root, which
 * libgit2 1.5 refuses even for root and even with safe.directory=*.  So
 * validation is turned off unless flags has GREPO_VALIDATE_OWNER; with it, a
 * refusal is reported as "not owned by the current user" (not 1.5's
 * misleading "safe.directory was not found").
 */
int grepo_open(git_repository **out, const char *dir, unsigned flags, char **err);
/* Frees the repository and releases libgit2 (NULL is fine). */
void grepo_close(git_repository *r);

/* The work tree's top directory ("/x/y/", with a trailing slash), or NULL for
 * a bare repository.  Points into r. */
const char *grepo_workdir(git_repository *r);

/*
 * Resolves spec (a ref such as HEAD, main, refs/heads/x, origin/main, a tag,
 * a full or abbreviated hex oid, or any git revision expression) to the
 * commit it names, peeling tags.  A 64-hex (SHA-256) oid is refused with a
 * clear message: libgit2 1.5 cannot read such repositories.
 */
int grepo_resolve_commit(git_repository *r, const char *spec, git_oid *out, char **err);

/*
 * Reads path (relative to the top of the tree, '/'-separated) at commit.
 * *buf receives a malloc'd copy NUL-terminated after *len bytes (the blob may
 * itself contain NULs); blob (when not NULL) receives the blob's id.
 * GREPO_ENOTFOUND when the path does not exist at that commit; -1 when it is
 * not a regular file (a directory, submodule) or larger than max bytes.
 */
int grepo_read_path(git_repository *r, const git_oid *commit, const char *path, size_t max,
                    char **buf, size_t *len, git_oid *blob, char **err);

/* A file in a commit's tree. */
struct grepo_entry {
	char *path;    /* relative, '/'-separated */
	git_oid blob;  /* blob id */
	unsigned mode; /* 0100644, 0100755 or 0120000 (symlink) */
};

/* Lists every file (blob) of commit's tree, recursively, sorted by path
 * (strcmp).  Submodules are skipped.  Free with grepo_entries_free. */
int grepo_list_tree(git_repository *r, const git_oid *commit, struct grepo_entry **out, size_t *n,
                    char **err);
void grepo_entries_free(struct grepo_entry *e, size_t n);

/* Hex of an oid into a static buffer of the caller: buf must hold 41 bytes. */
char *grepo_oid_hex(const git_oid *oid, char buf[41]);

/*
 * The message for a libgit2 failure that just happened (rc < 0): "what:
 * libgit2's message", or "what: <code name>" when git_error_last() is NULL or
 * empty.  Returns a malloc'd string.  Call it immediately after the failing
 * call: libgit2 1.5 leaves stale messages behind after successes.
 */
char *grepo_errmsg(int rc, const char *what);

#endif
