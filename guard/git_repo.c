/* git_repo.c - reading a git repository with libgit2 (see git_repo.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#if LIBGIT2_VER_MAJOR > 1 || (LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR >= 8)
#include <git2/sys/errors.h>
#endif

#include "git_repo.h"
#include "util.h"

#ifndef GIT_OID_SHA1_HEXSIZE
#define GIT_OID_SHA1_HEXSIZE GIT_OID_HEXSZ
#endif

static const char *code_name(int rc)
{
	switch (rc) {
	case GIT_ENOTFOUND:
		return "not found";
	case GIT_EEXISTS:
		return "already exists";
	case GIT_EAMBIGUOUS:
		return "ambiguous";
	case GIT_EINVALIDSPEC:
		return "invalid specification";
	case GIT_EUNBORNBRANCH:
		return "the branch has no commits yet";
	case GIT_EOWNER:
		return "the repository is not owned by the current user";
	case GIT_EPEEL:
		return "cannot be peeled to the requested type";
	default:
		return "libgit2 error";
	}
}

char *grepo_errmsg(int rc, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = (e && e->message && e->message[0]) ? e->message : code_name(rc);
	if (rc == GIT_EOWNER)
		msg = code_name(rc);
	return xasprintf("%s: %s", what, msg);
}

/* Sets *err (if wanted) from the libgit2 failure rc; returns the grepo code. */
static int fail(int rc, char **err, const char *what)
{
	if (err)
		*err = grepo_errmsg(rc, what);
	return rc == GIT_ENOTFOUND ? GREPO_ENOTFOUND : -1;
}

static int failf(char **err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(char **err, int code, const char *fmt, ...)
{
	if (err) {
		struct sbuf b;
		va_list ap;
		sb_init(&b);
		va_start(ap, fmt);
		sb_vaddf(&b, fmt, ap);
		va_end(ap);
		*err = sb_take(&b);
	}
	return code;
}

char *grepo_oid_hex(const git_oid *oid, char buf[41])
{
	git_oid_tostr(buf, 41, oid);
	return buf;
}

static int open_env(git_repository **out)
{
	const char *gd = getenv("GIT_DIR");
	const char *wt = getenv("GIT_WORK_TREE");
	const char *cd = getenv("GIT_COMMON_DIR");
	if ((!wt || !*wt) && (!cd || !*cd))
		return git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	/* libgit2 < 1.7 refuses FROM_ENV with GIT_WORK_TREE or GIT_COMMON_DIR
	   ("GIT_WORK_TREE unimplemented"): open GIT_DIR itself, then attach the
	   work tree. */
	int rc;
	if (gd && *gd)
		rc = git_repository_open_ext(out, gd, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	else
		rc = git_repository_open_ext(out, ".", 0, getenv("GIT_CEILING_DIRECTORIES"));
	if (rc < 0)
		return rc;
	if (wt && *wt) {
		rc = git_repository_set_workdir(*out, wt, 0);
		if (rc < 0) {
			git_repository_free(*out);
			*out = NULL;
		}
	}
	return rc;
}

int grepo_open(git_repository **out, const char *dir, unsigned flags, char **err)
{
	*out = NULL;
	int rc = git_libgit2_init();
	if (rc < 0)
		return failf(err, -1, "cannot initialise libgit2");
	rc = git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, (flags & GREPO_VALIDATE_OWNER) ? 1 : 0);
	if (rc < 0) {
		rc = fail(rc, err, "cannot set owner validation");
		goto bad;
	}
	git_error_clear();
	if (dir)
		rc = git_repository_open_ext(out, dir, 0, NULL);
	else
		rc = open_env(out);
	if (rc < 0) {
		const char *where = dir ? dir : getenv("GIT_DIR") ? getenv("GIT_DIR") : ".";
		const git_error *e = git_error_last();
		if ((flags & GREPO_VALIDATE_OWNER) &&
		    (rc == GIT_EOWNER || (rc == GIT_ENOTFOUND && e && e->message &&
		                          strstr(e->message, "safe.directory"))))
			rc = failf(err, -1,
			           "%s: the repository is not owned by the current user (add it to "
			           "git config --global safe.directory)",
			           where);
		else if (rc == GIT_ENOTFOUND)
			rc = failf(err, GREPO_ENOTFOUND, "%s: not a git repository", where);
		else
			rc = fail(rc, err, where);
		goto bad;
	}
	return 0;
bad:
	git_libgit2_shutdown();
	return rc;
}

void grepo_close(git_repository *r)
{
	if (!r)
		return;
	git_repository_free(r);
	git_libgit2_shutdown();
}

const char *grepo_workdir(git_repository *r)
{
	return git_repository_workdir(r);
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return 0;
	return s[n] == 0;
}

int grepo_resolve_commit(git_repository *r, const char *spec, git_oid *out, char **err)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;
	if (strlen(spec) == 64 && is_hex(spec, 64))
		return failf(err, -1,
		             "%s: a SHA-256 object id; this libgit2 reads only SHA-1 repositories",
		             spec);
	git_error_clear();
	rc = git_revparse_single(&obj, r, spec);
	if (rc < 0) {
		char *what = xasprintf("cannot resolve '%s'", spec);
		rc = fail(rc, err, what);
		free(what);
		goto out;
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (rc < 0) {
		char *what = xasprintf("'%s' does not name a commit", spec);
		rc = fail(rc, err, what);
		free(what);
		goto out;
	}
	git_oid_cpy(out, git_object_id(peeled));
	rc = 0;
out:
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

static int commit_tree(git_repository *r, const git_oid *commit, git_tree **tree, char **err)
{
	git_commit *c = NULL;
	char hex[41];
	git_error_clear();
	int rc = git_commit_lookup(&c, r, commit);
	if (rc < 0) {
		char *what = xasprintf("commit %s", grepo_oid_hex(commit, hex));
		rc = fail(rc, err, what);
		free(what);
		return rc;
	}
	rc = git_commit_tree(tree, c);
	if (rc < 0) {
		char *what = xasprintf("tree of commit %s", grepo_oid_hex(commit, hex));
		rc = fail(rc, err, what);
		free(what);
	}
	git_commit_free(c);
	return rc < 0 ? rc : 0;
}

int grepo_read_path(git_repository *r, const git_oid *commit, const char *path, size_t max,
                    char **buf, size_t *len, git_oid *blob, char **err)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc = commit_tree(r, commit, &tree, err);
	if (rc < 0)
		return rc;
	git_error_clear();
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc < 0) {
		if (rc == GIT_ENOTFOUND) {
			char hex[41];
			rc = failf(err, GREPO_ENOTFOUND, "%s: not in commit %.12s", path,
			           grepo_oid_hex(commit, hex));
		} else {
			rc = fail(rc, err, path);
		}
		goto out;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		rc = failf(err, -1, "%s: not a file", path);
		goto out;
	}
	rc = git_blob_lookup(&b, r, git_tree_entry_id(e));
	if (rc < 0) {
		rc = fail(rc, err, path);
		goto out;
	}
	git_object_size_t sz = git_blob_rawsize(b);
	if (sz > (git_object_size_t)max) {
		rc = failf(err, -1, "%s: larger than %zu bytes", path, max);
		goto out;
	}
	*len = (size_t)sz;
	*buf = xstrndup(git_blob_rawcontent(b), (size_t)sz);
	if (blob)
		git_oid_cpy(blob, git_blob_id(b));
	rc = 0;
out:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return rc;
}

struct walk {
	struct grepo_entry *v;
	size_t n, cap;
};

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0; /* trees are descended into; submodules (commits) skipped */
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
	}
	struct grepo_entry *x = &w->v[w->n++];
	x->path = xasprintf("%s%s", root, git_tree_entry_name(e));
	git_oid_cpy(&x->blob, git_tree_entry_id(e));
	x->mode = (unsigned)git_tree_entry_filemode(e);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct grepo_entry *)a)->path, ((const struct grepo_entry *)b)->path);
}

int grepo_list_tree(git_repository *r, const git_oid *commit, struct grepo_entry **out, size_t *n,
                    char **err)
{
	git_tree *tree = NULL;
	struct walk w = {0};
	*out = NULL;
	*n = 0;
	int rc = commit_tree(r, commit, &tree, err);
	if (rc < 0)
		return rc;
	git_error_clear();
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w);
	git_tree_free(tree);
	if (rc < 0) {
		grepo_entries_free(w.v, w.n);
		return fail(rc, err, "cannot walk the tree");
	}
	if (w.n)
		qsort(w.v, w.n, sizeof *w.v, entry_cmp);
	*out = w.v;
	*n = w.n;
	return 0;
}

void grepo_entries_free(struct grepo_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].path);
	free(e);
}
