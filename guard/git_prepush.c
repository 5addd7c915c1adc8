/*
 * git_prepush.c - the pre-push hook: refuse pushes that contradict the docs.
 *
 * What a push carries (tech-notes 1.2): one revwalk that pushes every local
 * oid, hides every remote oid git sent (ignoring ones we do not have: the
 * "fetch first" case) and hides the remote-tracking refs (the remote's own,
 * or all of them when $1 is a URL).  Deletions carry nothing.  The walk is
 * capped; when it is, every file at the pushed tip is checked as well as the
 * files the walked commits touched, and findings whose commit cannot be
 * found count.
 *
 * What is checked: every path the pushed commits add or change (each commit's
 * tree against its first parent's, compared by hand: subtrees with equal ids
 * are skipped, which is far cheaper than git_diff), read at the pushed tip,
 * because the tip is what will run after the push.  Commands come from
 * git_extract.c and are decided with decide_line() under the policy
 * committed at that tip (.guard/policy.ini read with libgit2, not the work
 * tree).
 *
 * Which commit introduced a finding's line: going from the tip towards the
 * remote (children first), the first pushed commit that changed the file and
 * holds more copies of that exact line than any of its parents.  This is
 * blame by line content; libgit2's git_blame_file took ~340 ms per file on a
 * 5,000-commit push, this takes well under a millisecond for 20 findings.
 * A line no pushed commit added was already on the remote: it is shown but
 * does not block (the push did not bring it).
 *
 * Staleness: when the committed policy was derived ([derived] doc = PATH
 * BLOB) and one of those docs has a different blob at the tip, the push is
 * refused with the docs and the command that fixes it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "decide.h"
#include "failsafe.h"
#include "git_extract.h"
#include "git_prepush.h"
#include "policy.h"
#include "util.h"

#define POLICY_PATH ".guard/policy.ini"
#define MAX_STDIN (16u << 20)
#define MAX_BLOB ANALYZE_MAX_INPUT
#define SHORT 12

/* ---- output ----------------------------------------------------------- */

static int color;
static int timing; /* GUARD_PREPUSH_TIMING=1: phase times on stderr */

static void phase(const char *what)
{
	static struct timespec t0, c0;
	struct timespec t, c;
	if (!timing)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	if (t0.tv_sec)
		fprintf(
		    stderr, "guard: timing: %-28s %8.1f ms wall %8.1f ms cpu\n", what,
		    (double)(t.tv_sec - t0.tv_sec) * 1e3 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6,
		    (double)(c.tv_sec - c0.tv_sec) * 1e3 + (double)(c.tv_nsec - c0.tv_nsec) / 1e6);
	t0 = t;
	c0 = c;
}

static const char *c_on(enum verdict v)
{
	if (!color)
		return "";
	return v == V_DENY ? "\033[1;31m" : v == V_WARN ? "\033[1;33m" : "\033[1m";
}

static const char *c_off(void)
{
	return color ? "\033[0m" : "";
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	fputs("guard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The message of the libgit2 call that just failed (tech-notes 1.3: it can be
   NULL, and is stale after a success, so it is only read right after rc < 0). */
static char *gerr(const char *what, int rc)
{
	const git_error *e = git_error_last();
	return xasprintf("%s: %s (libgit2 error %d)", what,
	                 (e && e->message) ? e->message : "unknown error", rc);
}

/* ---- small containers -------------------------------------------------- */

/* A set of strings (paths) with a mode each, open addressing. */
struct pset {
	char **key;
	unsigned *mode;
	size_t cap, n;
};

static unsigned long fnv(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

static const char *pset_add(struct pset *s, const char *k, unsigned mode)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct pset o = *s;
		s->cap = o.cap ? o.cap * 2 : 256;
		s->key = xcalloc(s->cap, sizeof *s->key);
		s->mode = xcalloc(s->cap, sizeof *s->mode);
		s->n = 0;
		for (size_t i = 0; i < o.cap; i++)
			if (o.key[i]) {
				size_t j = fnv(o.key[i]) & (s->cap - 1);
				while (s->key[j])
					j = (j + 1) & (s->cap - 1);
				s->key[j] = o.key[i];
				s->mode[j] = o.mode[i];
				s->n++;
			}
		free(o.key);
		free(o.mode);
	}
	size_t j = fnv(k) & (s->cap - 1);
	while (s->key[j]) {
		if (strcmp(s->key[j], k) == 0) {
			s->mode[j] = mode; /* the newest mode seen wins; only a hint */
			return s->key[j];
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->key[j] = xstrdup(k);
	s->mode[j] = mode;
	s->n++;
	return s->key[j];
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys, sorted (for deterministic output); the array only, keys stay owned. */
static char **pset_sorted(struct pset *s)
{
	char **v = xcalloc(s->n + 1, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < s->cap; i++)
		if (s->key[i])
			v[k++] = s->key[i];
	qsort(v, k, sizeof *v, cmp_str);
	return v;
}

static void pset_free(struct pset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->key[i]);
	free(s->key);
	free(s->mode);
	memset(s, 0, sizeof *s);
}

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* ---- the push --------------------------------------------------------- */

struct pref {
	char *lref, *rref;
	git_oid loid, roid;
	int del;     /* deletion: carries nothing */
	int created; /* the remote does not have the ref yet */
};

/* A pushed commit and the paths it changed against its first parent. */
struct cinfo {
	git_oid id;
	const char **chg; /* keys of run.paths */
	size_t nchg;
};

struct finding {
	enum verdict v;
	char *path;
	int line;
	char *ltext; /* the file's line, to find the commit that added it */
	char *cmd;
	char *rule, *reason, *see, *instead;
	char *ref; /* remote ref it goes to */
	git_oid commit;
	int have_commit; /* commit is known (blame worked) */
	int published;   /* the line is on a commit the remote already has */
	int whole;       /* about the file (cannot be read or analysed), not one line */
};

struct run {
	git_repository *repo;
	const char *remote, *url;
	struct pref *ref;
	size_t nref;
	struct cinfo *order; /* commits the push carries, children before parents */
	git_oid *pushed;     /* the same ids, sorted */
	size_t npushed;
	int capped;
	size_t max_commits;
	struct pset paths; /* paths the pushed commits add or change */
	struct finding *f;
	size_t nf;
	size_t nfiles; /* files analysed */
	int refused;   /* stale policy, broken policy or an error: already printed */
	int policy_broken;
};

static int zero_hex(const char *s)
{
	for (; *s; s++)
		if (*s != '0')
			return 0;
	return 1;
}

static int all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Parses "<local ref> SP <local oid> SP <remote ref> SP <remote oid>". */
static int parse_ref_line(char *l, struct pref *p, char **err)
{
	char *f[4];
	int n = 0;
	for (char *s = l; n < 4;) {
		f[n++] = s;
		char *sp = strchr(s, ' ');
		if (!sp)
			break;
		*sp = 0;
		s = sp + 1;
	}
	if (n != 4 || strchr(f[3], ' ')) {
		*err = xstrdup("expected \"<local ref> <local oid> <remote ref> <remote oid>\"");
		return -1;
	}
	for (int k = 1; k < 4; k += 2) {
		size_t len = strlen(f[k]);
		if (len == 64 && all_hex(f[k])) {
			*err = xstrdup(
			    "this repository uses SHA-256 object ids, which guard's libgit2 "
			    "(1.5) cannot read; the push is refused");
			return -1;
		}
		if (len != GIT_OID_HEXSZ || !all_hex(f[k])) {
			*err = xasprintf("'%s' is not an object id", f[k]);
			return -1;
		}
	}
	memset(p, 0, sizeof *p);
	p->lref = xstrdup(f[0]);
	p->rref = xstrdup(f[2]);
	git_oid_fromstr(&p->loid, f[1]);
	git_oid_fromstr(&p->roid, f[3]);
	p->del = zero_hex(f[1]);
	p->created = zero_hex(f[3]);
	return 0;
}

/* ---- repository ------------------------------------------------------- */

/* Opens the repository the hook runs in (tech-notes 1.3). */
static int open_repo(git_repository **out, const char *dir, char **err)
{
	int rc;
	/* git itself already accepted this repository's owner before running the hook;
	   libgit2 1.5 would refuse even root, and ignores safe.directory=*. */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	/* Trees over 4 KiB are not cached by default; the walk and blame read the
	   same big trees again and again. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)1 << 16);
	/* libgit2 re-hashes every object it reads (SHA-1 with collision detection);
	   git does not, and it was a large part of the time on a long push. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (dir) {
		rc = git_repository_open_ext(out, dir, 0, NULL);
	} else if (!getenv("GIT_WORK_TREE") && !getenv("GIT_COMMON_DIR")) {
		rc = git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	} else {
		/* 1.5 refuses GIT_WORK_TREE/GIT_COMMON_DIR in FROM_ENV mode. */
		const char *gd = getenv("GIT_DIR");
		rc = gd ? git_repository_open_ext(out, gd, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)
		        : git_repository_open_ext(out, ".", 0, NULL);
	}
	if (rc < 0) {
		*err = gerr(dir ? dir : "cannot open the repository", rc);
		return -1;
	}
	return 0;
}

/* Reads path in tree: 0 and *blob, 1 when there is no such blob, -1 on error. */
static int blob_in_tree(git_repository *r, git_tree *tree, const char *path, git_blob **blob,
                        char **err)
{
	git_tree_entry *e = NULL;
	int rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND)
		return 1;
	if (rc < 0) {
		*err = gerr(path, rc);
		return -1;
	}
	int ret = 1;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		rc = git_blob_lookup(blob, r, git_tree_entry_id(e));
		if (rc < 0) {
			*err = gerr(path, rc);
			ret = -1;
		} else {
			ret = 0;
		}
	}
	git_tree_entry_free(e);
	return ret;
}

/* ---- which commits, which paths --------------------------------------- */

static int walk(struct run *R, char **err)
{
	int r = -1, rc;
	git_revwalk *w = NULL;
	size_t cap = 0;
	if ((rc = git_revwalk_new(&w, R->repo)) < 0) {
		*err = gerr("revwalk", rc);
		goto out;
	}
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL);
	int any = 0;
	for (size_t i = 0; i < R->nref; i++) {
		if (R->ref[i].del)
			continue;
		rc = git_revwalk_push(w, &R->ref[i].loid);
		if (rc == GIT_EINVALIDSPEC || rc == GIT_EPEEL)
			continue; /* a blob or tree: no commits travel with it */
		if (rc < 0) {
			*err = gerr(R->ref[i].lref, rc);
			goto out;
		}
		any = 1;
	}
	if (!any) {
		r = 0;
		goto out;
	}
	for (size_t i = 0; i < R->nref; i++) {
		if (R->ref[i].created)
			continue;
		rc = git_revwalk_hide(w, &R->ref[i].roid);
		if (rc < 0 && rc != GIT_ENOTFOUND && rc != GIT_EINVALIDSPEC && rc != GIT_EPEEL) {
			*err = gerr("hiding the remote's commits", rc);
			goto out;
		}
	}
	/* Commits on remote-tracking refs are published already.  $1 is a URL when
	   git got no remote name (then $1 == $2): hide every remote's. */
	char *glob = NULL;
	if (R->remote && R->url && strcmp(R->remote, R->url) != 0 && !strpbrk(R->remote, "*?[\\"))
		glob = xasprintf("refs/remotes/%s", R->remote);
	else
		glob = xstrdup("refs/remotes");
	rc = git_revwalk_hide_glob(w, glob);
	free(glob);
	if (rc < 0 && rc != GIT_ENOTFOUND) {
		*err = gerr("hiding remote-tracking refs", rc);
		goto out;
	}
	git_oid id;
	while ((rc = git_revwalk_next(&id, w)) == 0) {
		if (R->npushed == R->max_commits) {
			R->capped = 1;
			break;
		}
		if (R->npushed == cap) {
			cap = cap ? cap * 2 : 256;
			R->order = xreallocarray(R->order, cap, sizeof *R->order);
		}
		memset(&R->order[R->npushed], 0, sizeof *R->order);
		R->order[R->npushed++].id = id;
	}
	R->pushed = xcalloc(R->npushed + 1, sizeof *R->pushed);
	for (size_t i = 0; i < R->npushed; i++)
		R->pushed[i] = R->order[i].id;
	qsort(R->pushed, R->npushed, sizeof *R->pushed, cmp_oid);
	if (rc < 0 && rc != GIT_ITEROVER) {
		*err = gerr("listing the pushed commits", rc);
		goto out;
	}
	r = 0;
out:
	git_revwalk_free(w);
	return r;
}

/*
 * Adds to out the blobs of tree nt that differ from tree ot (NULL: all),
 * descending only into subtrees whose ids differ.  Faster than git_diff by
 * far: no iterators, no deltas, and most subtrees are skipped by id.
 */
/* git's tree order: names compared bytewise, a tree's name as if it ended in '/'. */
static int cmp_entry(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *x = git_tree_entry_name(a), *y = git_tree_entry_name(b);
	size_t xl = strlen(x), yl = strlen(y), n = xl < yl ? xl : yl;
	int c = memcmp(x, y, n);
	if (c)
		return c;
	unsigned char cx = xl > n                                            ? (unsigned char)x[n]
	                   : git_tree_entry_filemode(a) == GIT_FILEMODE_TREE ? '/'
	                                                                     : 0;
	unsigned char cy = yl > n                                            ? (unsigned char)y[n]
	                   : git_tree_entry_filemode(b) == GIT_FILEMODE_TREE ? '/'
	                                                                     : 0;
	return cx < cy ? -1 : cx > cy;
}

static int tree_changed(git_repository *repo, git_tree *ot, git_tree *nt, const char *prefix,
                        struct pset *out, struct cinfo *ci, char **err)
{
	size_t n = git_tree_entrycount(nt), on = ot ? git_tree_entrycount(ot) : 0, oi = 0;
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(nt, i);
		const git_tree_entry *o = NULL;
		/* Both trees are sorted: walk them side by side. */
		while (oi < on) {
			const git_tree_entry *c = git_tree_entry_byindex(ot, oi);
			if (git_oid_equal(git_tree_entry_id(c), git_tree_entry_id(e)) &&
			    strcmp(git_tree_entry_name(c), git_tree_entry_name(e)) == 0) {
				o = c;
				break;
			}
			int d = cmp_entry(c, e);
			if (d > 0)
				break;
			if (d == 0) {
				o = c;
				break;
			}
			oi++;
		}
		git_filemode_t m = git_tree_entry_filemode(e);
		if (o && git_tree_entry_filemode(o) == m &&
		    git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(e)))
			continue;
		const char *name = git_tree_entry_name(e);
		if (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE) {
			char *path = xasprintf("%s%s", prefix, name);
			const char *key = pset_add(out, path, (unsigned)m);
			free(path);
			ci->chg = xreallocarray(ci->chg, ci->nchg + 1, sizeof *ci->chg);
			ci->chg[ci->nchg++] = key;
		} else if (m == GIT_FILEMODE_TREE) {
			git_tree *sub = NULL, *osub = NULL;
			int rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
			if (rc == 0 && o && git_tree_entry_filemode(o) == GIT_FILEMODE_TREE)
				rc = git_tree_lookup(&osub, repo, git_tree_entry_id(o));
			if (rc < 0) {
				*err = gerr("reading a tree", rc);
				git_tree_free(sub);
				return -1;
			}
			char *pre = xasprintf("%s%s/", prefix, name);
			rc = tree_changed(repo, osub, sub, pre, out, ci, err);
			free(pre);
			git_tree_free(osub);
			git_tree_free(sub);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

/* Adds the paths commit ci adds or changes against its first parent. */
static int commit_paths(struct run *R, struct cinfo *ci, char **err)
{
	const git_oid *id = &ci->id;
	int r = -1, rc;
	git_commit *c = NULL, *p = NULL;
	git_tree *t = NULL, *pt = NULL;
	if ((rc = git_commit_lookup(&c, R->repo, id)) < 0 || (rc = git_commit_tree(&t, c)) < 0) {
		*err = gerr("reading a pushed commit", rc);
		goto out;
	}
	if (git_commit_parentcount(c) > 0) {
		if ((rc = git_commit_parent(&p, c, 0)) < 0 || (rc = git_commit_tree(&pt, p)) < 0) {
			*err = gerr("reading a parent commit", rc);
			goto out;
		}
	}
	r = tree_changed(R->repo, pt, t, "", &R->paths, ci, err);
out:
	git_tree_free(pt);
	git_tree_free(t);
	git_commit_free(p);
	git_commit_free(c);
	return r;
}

static int tree_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct pset *s = payload;
	git_filemode_t m = git_tree_entry_filemode(e);
	if (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE) {
		char *p = xasprintf("%s%s", root, git_tree_entry_name(e));
		pset_add(s, p, (unsigned)m);
		free(p);
	}
	return 0;
}

/* ---- policy and staleness --------------------------------------------- */

static int ack_always(const struct policy *p, const struct rule *r, void *ctx)
{
	(void)p;
	(void)r;
	(void)ctx;
	return 1; /* acknowledgements gate operators at run time, not commits */
}

/*
 * derive's staleness check (git_derive.c, issue 4): `guard derive --check`.
 * Declared weak so this file links before derive is merged; once it is, the
 * pre-push hook runs exactly the check CI runs.  (Lead: replace with
 * #include "git_derive.h" after the merge.)
 */
int derive_check(git_repository *r, const git_oid *commit, const char *policy, size_t len,
                 struct strv *why, char **err) __attribute__((weak));

/*
 * Fallback when derive_check is not linked, or the policy records no
 * [derived] commit: docs the committed policy was derived from whose blob at
 * the tip differs from the one recorded in [derived] doc = PATH BLOB.
 * Returns 0, -1 on error.
 */
static int stale_docs(git_repository *repo, git_tree *tree, const struct policy *p,
                      struct strv *out, char **err)
{
	for (size_t i = 0; i < p->nset; i++) {
		const struct setting *s = &p->set[i];
		if (strcmp(s->section, "derived") != 0 || strcmp(s->key, "doc") != 0)
			continue;
		const char *v = s->value;
		const char *sp = strrchr(v, ' ');
		if (!sp)
			continue;
		char *path = xstrndup(v, (size_t)(sp - v));
		const char *want = sp + 1;
		git_blob *b = NULL;
		int rc = blob_in_tree(repo, tree, path, &b, err);
		if (rc < 0) {
			free(path);
			return -1;
		}
		if (rc == 1) {
			sv_push(out, xasprintf("%s (removed)", path));
		} else {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof hex, git_blob_id(b));
			if (strncmp(hex, want, strlen(want)) != 0 || strlen(want) < 7)
				sv_push(out, xasprintf("%s (changed)", path));
		}
		git_blob_free(b);
		free(path);
	}
	return 0;
}

/* ---- analysing a file ------------------------------------------------- */

static char *cmd_text(const struct ecmd *c)
{
	if (c->text && !strchr(c->text, '\n') && (c->argc < 2 || strchr(c->text, ' ')))
		return xstrdup(c->text);
	struct sbuf b;
	sb_init(&b);
	for (int i = 0; i < c->argc; i++) {
		if (i)
			sb_addc(&b, ' ');
		sb_adds(&b, c->argv[i]);
	}
	return sb_take(&b);
}

static struct finding *add_finding(struct run *R, enum verdict v, const char *path, int line,
                                   const char *ref)
{
	R->f = xreallocarray(R->f, R->nf + 1, sizeof *R->f);
	struct finding *f = &R->f[R->nf++];
	memset(f, 0, sizeof *f);
	f->v = v;
	f->path = xstrdup(path);
	f->line = line;
	f->ref = xstrdup(ref);
	return f;
}

/* Line n (1-based) of buf, without its newline. */
static char *line_of(const char *buf, size_t len, int n)
{
	size_t i = 0;
	for (int l = 1; l < n && i < len; i++)
		if (buf[i] == '\n')
			l++;
	size_t j = i;
	while (j < len && buf[j] != '\n')
		j++;
	return xstrndup(buf + i, j - i);
}

static void analyse_snips(struct run *R, const struct policy *pol, const char *path, enum xkind k,
                          const char *buf, size_t len, const char *ref);

static void analyse_blob(struct run *R, const struct policy *pol, const char *path, enum xkind k,
                         const char *buf, size_t len, const char *ref)
{
	size_t first = R->nf;
	analyse_snips(R, pol, path, k, buf, len, ref);
	for (size_t i = first; i < R->nf; i++)
		if (!R->f[i].whole)
			R->f[i].ltext = line_of(buf, len, R->f[i].line);
}

static void analyse_snips(struct run *R, const struct policy *pol, const char *path, enum xkind k,
                          const char *buf, size_t len, const char *ref)
{
	struct xsnips sn = {0};
	char *xerr = NULL;
	R->nfiles++;
	if (len > MAX_BLOB) {
		struct finding *f = add_finding(R, V_DENY, path, 1, ref);
		f->cmd = xstrdup("(whole file)");
		f->whole = 1;
		f->reason = xasprintf("%s is larger than guard reads (%u bytes)",
		                      extract_kind_name(k), MAX_BLOB);
		return;
	}
	if (extract_commands(k, buf, len, &sn, &xerr) < 0) {
		int line = 1;
		sscanf(xerr, "line %d", &line);
		struct finding *f = add_finding(R, V_DENY, path, line, ref);
		f->cmd = xstrdup("(whole file)");
		f->whole = 1;
		f->reason = xasprintf("cannot read this %s: %s", extract_kind_name(k), xerr);
		free(xerr);
	}
	for (size_t i = 0; i < sn.n; i++) {
		const struct xsnip *s = &sn.v[i];
		struct decide_opts o = {.origin = path, .ack_ok = ack_always};
		struct decision d;
		failsafe_fault_point("check", s->text);
		int rc = decide_line(pol, s->text, s->len, &o, &d);
		if (rc < 0 || d.error || d.an.error) {
			const char *why = d.error      ? d.error
			                  : d.an.error ? d.an.error
			                               : "internal error";
			int line = xsnip_file_line(s, d.an.error ? d.an.err_line : 1);
			struct finding *f = add_finding(R, V_DENY, path, line, ref);
			f->cmd = xstrdup(s->what);
			f->whole = 1;
			f->reason = xasprintf("guard cannot analyse this %s: %s", s->what, why);
			decision_free(&d);
			continue;
		}
		for (size_t c = 0; c < d.ncv; c++) {
			const struct cmd_verdict *cv = &d.cv[c];
			if (cv->v == V_ALLOW)
				continue;
			struct finding *f =
			    add_finding(R, cv->v, path, xsnip_file_line(s, cv->cmd->line), ref);
			f->cmd = cmd_text(cv->cmd);
			if (cv->rule) {
				f->rule = xstrdup(cv->rule->name);
				f->reason = cv->rule->reason ? xstrdup(cv->rule->reason) : NULL;
				f->see = cv->rule->see ? xstrdup(cv->rule->see) : NULL;
				f->instead = cv->rule->instead ? xstrdup(cv->rule->instead) : NULL;
			} else if (cv->why == WHY_UNKNOWN) {
				f->reason = xstrdup("the program is known only at run time "
				                    "([guard] unknown)");
			} else {
				f->reason = xasprintf("no rule allows it ([guard] default = %s)",
				                      verdict_name(cv->v));
			}
		}
		decision_free(&d);
	}
	xsnips_free(&sn);
}

/* How many lines of blob b are exactly t. */
static size_t count_line(const git_blob *b, const char *t)
{
	if (!b)
		return 0;
	const char *p = git_blob_rawcontent(b);
	size_t len = (size_t)git_blob_rawsize(b), tl = strlen(t), n = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - p) : len;
		if (e - i == tl && memcmp(p + i, t, tl) == 0)
			n++;
		i = e + 1;
	}
	return n;
}

static int blob_of_commit(const git_commit *c, const char *path, git_oid *out)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	int found = 0;
	if (git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		*out = *git_tree_entry_id(e);
		found = 1;
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	return found;
}

struct opos {
	git_oid id;
	size_t pos;
};

static int cmp_opos(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct opos *)a)->id, &((const struct opos *)b)->id);
}

/* Marks in reach[] the pushed commits reachable from tip (in R->order). */
static void reachable(struct run *R, const git_oid *tip, char *reach)
{
	size_t cap = 64, n = 0;
	git_oid *stack = xcalloc(cap, sizeof *stack);
	struct opos *idx = xcalloc(R->npushed + 1, sizeof *idx);
	for (size_t k = 0; k < R->npushed; k++) {
		idx[k].id = R->order[k].id;
		idx[k].pos = k;
	}
	qsort(idx, R->npushed, sizeof *idx, cmp_opos);
	stack[n++] = *tip;
	while (n) {
		struct opos key = {.id = stack[--n]};
		const struct opos *hit = bsearch(&key, idx, R->npushed, sizeof *idx, cmp_opos);
		if (!hit || reach[hit->pos])
			continue;
		size_t k = hit->pos;
		git_oid id = key.id;
		reach[k] = 1;
		git_commit *c = NULL;
		if (git_commit_lookup(&c, R->repo, &id) < 0)
			continue;
		for (unsigned i = 0; i < git_commit_parentcount(c); i++) {
			if (n == cap) {
				cap *= 2;
				stack = xreallocarray(stack, cap, sizeof *stack);
			}
			stack[n++] = *git_commit_parent_id(c, i);
		}
		git_commit_free(c);
	}
	free(idx);
	free(stack);
}

/*
 * Names the commit that introduced each finding's line (findings from index
 * `from` on, all at tip).  Like blame, but by line content: going from the
 * tip towards the remote (children first), the first pushed commit that
 * changed the file and has more copies of the line than any of its parents
 * introduced it.  None: the line was already on the remote (published),
 * unless the walk was capped (then it counts, commit unknown).
 */
static void attribute(struct run *R, const git_oid *tip, size_t from)
{
	size_t pending = R->nf - from;
	char *reach = NULL;
	int live = 0;
	for (size_t k = 0; k < R->nref; k++)
		live += !R->ref[k].del;
	if (pending && live > 1) { /* other refs' commits may not be below this tip */
		reach = xcalloc(R->npushed + 1, 1);
		reachable(R, tip, reach);
	}
	for (size_t k = 0; k < R->npushed && pending; k++) {
		struct cinfo *ci = &R->order[k];
		if (reach && !reach[k])
			continue;
		git_commit *c = NULL;
		for (size_t j = 0; j < ci->nchg && pending; j++) {
			const char *path = ci->chg[j];
			int any = 0;
			for (size_t i = from; i < R->nf; i++) {
				struct finding *f = &R->f[i];
				if (f->have_commit || strcmp(f->path, path) != 0)
					continue;
				if (f->whole) { /* the newest commit that changed the file */
					f->commit = ci->id;
					f->have_commit = 1;
					pending--;
				} else {
					any = 1;
				}
			}
			if (!any)
				continue;
			if (!c && git_commit_lookup(&c, R->repo, &ci->id) < 0)
				break;
			git_oid bid;
			git_blob *b = NULL;
			if (!blob_of_commit(c, path, &bid) ||
			    git_blob_lookup(&b, R->repo, &bid) < 0)
				continue;
			unsigned np = git_commit_parentcount(c);
			git_blob **pb = xcalloc(np + 1, sizeof *pb);
			for (unsigned q = 0; q < np; q++) {
				git_commit *pc = NULL;
				git_oid pid;
				if (git_commit_parent(&pc, c, q) == 0 &&
				    blob_of_commit(pc, path, &pid))
					git_blob_lookup(&pb[q], R->repo, &pid);
				git_commit_free(pc);
			}
			/* From the last finding back: when a line appears several
			   times, the newest commit gets the later copies (appends are
			   the common case). */
			for (size_t i = R->nf; i-- > from;) {
				struct finding *f = &R->f[i];
				if (!f->ltext || f->have_commit || strcmp(f->path, path) != 0)
					continue;
				size_t here = count_line(b, f->ltext), before = 0;
				for (unsigned q = 0; q < np; q++) {
					size_t n = count_line(pb[q], f->ltext);
					before = n > before ? n : before;
				}
				/* This commit added here - before copies of the line; give
				   it that many of the (latest) findings showing it. */
				size_t given = 0;
				for (size_t g = from; g < R->nf; g++)
					given += R->f[g].have_commit &&
					         git_oid_equal(&R->f[g].commit, &ci->id) &&
					         strcmp(R->f[g].path, path) == 0 &&
					         strcmp(R->f[g].ltext, f->ltext) == 0;
				if (here > before + given) {
					f->commit = ci->id;
					f->have_commit = 1;
					pending--;
				}
			}
			for (unsigned q = 0; q < np; q++)
				git_blob_free(pb[q]);
			free(pb);
			git_blob_free(b);
		}
		git_commit_free(c);
	}
	for (size_t i = from; i < R->nf; i++) {
		struct finding *f = &R->f[i];
		if (f->have_commit)
			continue;
		/* Not added by a pushed commit: the remote has it, unless the walk was
		   capped and guard cannot tell.  A broken file always counts. */
		f->published = !R->capped && !f->whole;
	}
	free(reach);
}

/* Checks one pushed tip.  Returns 0, or -1 after printing why it refuses. */
static int check_tip(struct run *R, const struct pref *p, char **paths)
{
	int r = -1, rc;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_blob *pb = NULL;
	struct policy pol;
	struct pset all = {0};
	char **allv = NULL;
	char *err = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	policy_init(&pol);
	git_oid_tostr(hex, sizeof hex, &p->loid);

	rc = git_object_lookup(&obj, R->repo, &p->loid, GIT_OBJECT_ANY);
	if (rc == 0) {
		git_object *peeled = NULL;
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			r = 0; /* a tree or blob: nothing runs from it */
			goto out;
		}
		git_object_free(obj);
		obj = peeled;
	}
	if (rc < 0 || (rc = git_commit_tree(&tree, (git_commit *)obj)) < 0) {
		err = gerr(p->lref, rc);
		say("%s: %s", p->rref, err);
		goto out;
	}
	const git_oid *tip = git_object_id(obj);
	git_oid_tostr(hex, sizeof hex, tip);

	rc = blob_in_tree(R->repo, tree, POLICY_PATH, &pb, &err);
	if (rc < 0) {
		say("%s: %s", p->rref, err);
		goto out;
	}
	if (rc == 1) {
		say("%.*s has no %s: %s not checked", SHORT, hex, POLICY_PATH, p->rref);
		r = 0;
		goto out;
	}
	char *pname = xasprintf("%.*s:%s", SHORT, hex, POLICY_PATH);
	policy_load_string(&pol, pname, git_blob_rawcontent(pb), (size_t)git_blob_rawsize(pb));
	free(pname);
	if (pol.errors.n) {
		for (size_t i = 0; i < pol.errors.n; i++)
			say("%s", pol.errors.v[i]);
		say("push refused: the policy committed at %.*s has errors (fix it and commit)",
		    SHORT, hex);
		R->policy_broken = 1;
		goto out;
	}

	struct strv stale = {0};
	if (derive_check && policy_get(&pol, "derived", "commit")) {
		rc = derive_check(R->repo, tip, git_blob_rawcontent(pb),
		                  (size_t)git_blob_rawsize(pb), &stale, &err);
		if (rc < 0) {
			say("push refused: the staleness check of %.*s:%s failed: %s", SHORT, hex,
			    POLICY_PATH, err);
			sv_free(&stale);
			goto out;
		}
	} else if (stale_docs(R->repo, tree, &pol, &stale, &err) < 0) {
		say("%s: %s", p->rref, err);
		goto out;
	}
	if (stale.n) {
		say("%spush refused%s: %s at %.*s is stale; it no longer matches the docs:",
		    c_on(V_DENY), c_off(), POLICY_PATH, SHORT, hex);
		for (size_t i = 0; i < stale.n; i++)
			fprintf(stderr, "  %s\n", stale.v[i]);
		fprintf(stderr,
		        "  fix: guard derive && git add %s && git commit -m 'Re-derive the "
		        "guard policy' && git push\n",
		        POLICY_PATH);
		sv_free(&stale);
		R->refused = 1;
	}

	if (R->capped) { /* cannot tell which files the push touched: check them all */
		if ((rc = git_tree_walk(tree, GIT_TREEWALK_PRE, tree_cb, &all)) < 0) {
			err = gerr("listing the files at the tip", rc);
			say("%s", err);
			goto out;
		}
		paths = allv = pset_sorted(&all);
	}
	size_t from = R->nf;
	for (size_t i = 0; paths[i]; i++) {
		const char *path = paths[i];
		if (strcmp(path, POLICY_PATH) == 0)
			continue;
		git_tree_entry *e = NULL;
		if (git_tree_entry_bypath(&e, tree, path) < 0)
			continue; /* gone again by the tip */
		git_filemode_t m = git_tree_entry_filemode(e);
		enum xkind k = extract_kind_by_path(path);
		const char *base = base_name(path);
		int maybe =
		    k == XK_NONE && (m == GIT_FILEMODE_BLOB_EXECUTABLE || !strchr(base, '.'));
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || (k == XK_NONE && !maybe)) {
			git_tree_entry_free(e);
			continue;
		}
		git_blob *b = NULL;
		rc = git_blob_lookup(&b, R->repo, git_tree_entry_id(e));
		git_tree_entry_free(e);
		if (rc < 0) {
			err = gerr(path, rc);
			say("%s", err);
			goto out;
		}
		const char *buf = git_blob_rawcontent(b);
		size_t len = (size_t)git_blob_rawsize(b);
		if (k == XK_NONE)
			k = extract_kind_by_shebang(buf, len);
		if (k != XK_NONE)
			analyse_blob(R, &pol, path, k, buf, len, p->rref);
		git_blob_free(b);
	}
	phase("analyse files");
	attribute(R, tip, from);
	phase("blame findings");
	r = 0;
out:
	free(err);
	free(allv);
	pset_free(&all);
	policy_free(&pol);
	git_blob_free(pb);
	git_tree_free(tree);
	git_object_free(obj);
	return r;
}

/* ---- report ----------------------------------------------------------- */

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	c = strcmp(x->cmd ? x->cmd : "", y->cmd ? y->cmd : "");
	if (c)
		return c;
	return git_oid_cmp(&x->commit, &y->commit);
}

static void print_finding(struct run *R, const struct finding *f)
{
	char hex[GIT_OID_HEXSZ + 1] = "";
	char *subject = NULL;
	if (f->have_commit) {
		git_oid_tostr(hex, sizeof hex, &f->commit);
		git_commit *c = NULL;
		if (git_commit_lookup(&c, R->repo, &f->commit) == 0) {
			const char *s = git_commit_summary(c);
			subject = xstrdup(s ? s : "");
			git_commit_free(c);
		}
	}
	if (f->published) {
		say("%s:%d: %s (already on the remote, not counted): %s", f->path, f->line,
		    verdict_name(f->v), f->cmd);
		free(subject);
		return;
	}
	say("%s%s:%d%s: %s%s%s: %s", color ? "\033[1m" : "", f->path, f->line, c_off(), c_on(f->v),
	    verdict_name(f->v), c_off(), f->cmd);
	if (f->have_commit)
		fprintf(stderr, "  commit  %.*s %s\n", SHORT, hex, subject ? subject : "");
	else if (R->capped)
		fprintf(stderr, "  commit  (not found: the walk was capped)\n");
	if (f->rule)
		fprintf(stderr, "  rule    %s: %s\n", f->rule, f->reason ? f->reason : "");
	else if (f->reason)
		fprintf(stderr, "  reason  %s\n", f->reason);
	if (f->see)
		fprintf(stderr, "  see     %s\n", f->see);
	if (f->instead)
		fprintf(stderr, "  instead %s\n", f->instead);
	free(subject);
}

static void finding_free(struct finding *f)
{
	free(f->path);
	free(f->ltext);
	free(f->cmd);
	free(f->rule);
	free(f->reason);
	free(f->see);
	free(f->instead);
	free(f->ref);
}

/* ---- the chained hook ------------------------------------------------- */

/* Runs the hook that was installed before guard's, with the same arguments
   and stdin.  Returns its exit status (0 when there is none). */
static int run_chained(const char *hook, const char *in, size_t inlen, int argc, char **argv)
{
	if (access(hook, F_OK) != 0)
		return 0;
	if (access(hook, X_OK) != 0) {
		say("%s is not executable: the hook it replaced was skipped", hook);
		return 0;
	}
	int fd[2];
	if (pipe(fd) < 0)
		return 126;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return 126;
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		char **av = xcalloc((size_t)argc + 2, sizeof *av);
		av[0] = (char *)hook;
		for (int i = 0; i < argc; i++)
			av[i + 1] = argv[i];
		execv(hook, av);
		fprintf(stderr, "guard: cannot run %s: %s\n", hook, strerror(errno));
		_exit(126);
	}
	close(fd[0]);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	for (size_t off = 0; off < inlen;) {
		ssize_t w = write(fd[1], in + off, inlen - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* the hook did not read everything: git allows that */
		off += (size_t)w;
	}
	close(fd[1]);
	signal(SIGPIPE, old);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 126;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* ---- entry points ----------------------------------------------------- */

static int extract_files(int argc, char **argv)
{
	int st = 0;
	for (int i = 0; i < argc; i++) {
		char *buf;
		size_t len;
		if (read_file(argv[i], MAX_BLOB, &buf, &len) < 0) {
			say("%s: cannot read: %s", argv[i], strerror(errno));
			st = 1;
			continue;
		}
		enum xkind k = extract_kind_by_path(argv[i]);
		if (k == XK_NONE)
			k = extract_kind_by_shebang(buf, len);
		struct xsnips sn = {0};
		char *err = NULL;
		if (extract_commands(k, buf, len, &sn, &err) < 0) {
			say("%s: %s", argv[i], err);
			st = 1;
		}
		for (size_t s = 0; s < sn.n; s++)
			printf("%s:%d:%s%s: %s\n", argv[i], sn.v[s].line, sn.v[s].what,
			       sn.v[s].folded ? " (folded)" : "", sn.v[s].text);
		xsnips_free(&sn);
		free(err);
		free(buf);
	}
	return st;
}

static int usage(void)
{
	fputs(
	    "usage: guard hook pre-push [--repo DIR] [--max-commits N] [--chain HOOK] [--] REMOTE "
	    "URL\n"
	    "       guard hook pre-push --extract FILE...\n",
	    stderr);
	return PREPUSH_USAGE;
}

/* A crash refuses the push and says why (failsafe.h); git would only say
   "failed to push some refs".  No time limit: git waits, nothing is pushed
   meanwhile, and a large push may take long. */
static const struct failsafe_form prepush_fail = {NULL, "guard: push refused: @WHY@\n",
                                                  PREPUSH_REFUSED};

int prepush_main(int argc, char **argv)
{
	int st = PREPUSH_REFUSED;
	const char *dir = NULL, *chain = NULL;
	struct run R;
	char *in = NULL, *err = NULL;
	char **paths = NULL;
	size_t inlen = 0;
	memset(&R, 0, sizeof R);
	R.max_commits = PREPUSH_MAX_COMMITS;
	const char *mc = getenv("GUARD_PREPUSH_MAX_COMMITS");
	if (mc && *mc)
		R.max_commits = strtoul(mc, NULL, 10);

	int i = 1;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--chain") == 0 && i + 1 < argc)
			chain = argv[++i];
		else if (strcmp(argv[i], "--max-commits") == 0 && i + 1 < argc)
			R.max_commits = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--extract") == 0)
			return extract_files(argc - i - 1, argv + i + 1);
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-')
			return usage();
		else
			break;
	}
	if (R.max_commits == 0)
		R.max_commits = 1;
	R.remote = i < argc ? argv[i] : NULL;
	R.url = i + 1 < argc ? argv[i + 1] : R.remote;
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	color = isatty(2) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);

	const char *tm = getenv("GUARD_PREPUSH_TIMING");
	timing = tm && *tm == '1';
	failsafe_arm(&prepush_fail, 0);
	phase("start");
	int rc = read_fd(0, MAX_STDIN, &in, &inlen);
	if (rc < 0) {
		say("push refused: cannot read the refs git sent: %s", strerror(-rc));
		return PREPUSH_REFUSED;
	}
	if (chain) {
		int cst = run_chained(chain, in, inlen, argc - i, argv + i);
		if (cst != 0) {
			say("push refused by the pre-push hook guard chains to (%s, exit %d)",
			    chain, cst);
			free(in);
			return cst;
		}
	}

	/* Parse the ref lines.  No lines: nothing to push, nothing to check. */
	int lineno = 0;
	for (char *save = NULL, *l = strtok_r(in, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		lineno++;
		size_t ll = strlen(l);
		if (ll && l[ll - 1] == '\r')
			l[--ll] = 0;
		if (!ll)
			continue;
		R.ref = xreallocarray(R.ref, R.nref + 1, sizeof *R.ref);
		if (parse_ref_line(l, &R.ref[R.nref], &err) < 0) {
			say("push refused: stdin line %d: %s", lineno, err);
			goto out;
		}
		R.nref++;
	}
	size_t live = 0;
	for (size_t k = 0; k < R.nref; k++)
		live += !R.ref[k].del;
	if (live == 0) {
		st = PREPUSH_OK;
		goto out;
	}

	if (git_libgit2_init() < 0) {
		say("push refused: libgit2 failed to start");
		return PREPUSH_REFUSED;
	}
	phase("libgit2 init");
	if (open_repo(&R.repo, dir, &err) < 0) {
		say("push refused: %s", err);
		goto shutdown;
	}
	if (walk(&R, &err) < 0) {
		say("push refused: %s", err);
		goto shutdown;
	}
	phase("walk");
	if (R.capped)
		say("the push carries more than %zu commit%s: checking every file at the pushed "
		    "tip, not only the files they change",
		    R.max_commits, R.max_commits == 1 ? "" : "s");
	for (size_t k = 0; k < R.npushed; k++)
		if (commit_paths(&R, &R.order[k], &err) < 0) {
			say("push refused: %s", err);
			goto shutdown;
		}
	phase("paths (diff per commit)");
	paths = pset_sorted(&R.paths);
	for (size_t k = 0; k < R.nref; k++) {
		if (R.ref[k].del)
			continue;
		int dup = 0; /* the same commit pushed to several refs: check it once */
		for (size_t j = 0; j < k; j++)
			dup |= !R.ref[j].del && git_oid_equal(&R.ref[j].loid, &R.ref[k].loid);
		if (dup)
			continue;
		if (!R.capped && R.npushed == 0)
			continue; /* nothing new: the remote has every commit */
		if (check_tip(&R, &R.ref[k], paths) < 0)
			R.refused = 1;
	}

	phase("check tips");
	/* Report: sorted, each line once. */
	if (R.nf)
		qsort(R.f, R.nf, sizeof *R.f, cmp_finding);
	size_t ndeny = 0, nwarn = 0;
	for (size_t k = 0; k < R.nf; k++) {
		const struct finding *f = &R.f[k];
		if (k > 0 && cmp_finding(&R.f[k - 1], f) == 0)
			continue;
		print_finding(&R, f);
		if (!f->published) {
			ndeny += f->v == V_DENY;
			nwarn += f->v == V_WARN;
		}
	}
	const char *to = R.remote ? R.remote : "the remote";
	if (ndeny) {
		say("%spush to %s refused%s: %zu command%s the docs forbid%s%s. Fix the commits "
		    "(a new commit or git rebase -i) and push again.",
		    c_on(V_DENY), to, c_off(), ndeny, ndeny == 1 ? "" : "s",
		    nwarn ? ", and warnings" : "", "");
		R.refused = 1;
	} else if (R.refused) {
		/* already said why */
	} else if (nwarn) {
		say("%zu warning%s; the push goes on (%zu commit%s, %zu file%s checked)", nwarn,
		    nwarn == 1 ? "" : "s", R.npushed, R.npushed == 1 ? "" : "s", R.nfiles,
		    R.nfiles == 1 ? "" : "s");
	} else if (R.npushed) {
		say("%zu commit%s, %zu file%s checked: nothing the docs forbid", R.npushed,
		    R.npushed == 1 ? "" : "s", R.nfiles, R.nfiles == 1 ? "" : "s");
	}
	st = R.policy_broken ? PREPUSH_POLICY : R.refused ? PREPUSH_REFUSED : PREPUSH_OK;
	{
		/* one audit record per push: the verdict and the first refusal */
		struct audit_rec rec = {0};
		char *cmd = xasprintf("git push %s", to);
		const struct finding *first = NULL;
		for (size_t k = 0; k < R.nf && !first; k++)
			if (!R.f[k].published && R.f[k].v == (R.refused ? V_DENY : V_WARN))
				first = &R.f[k];
		rec.mode = "pre-push";
		rec.command = cmd;
		rec.v = R.refused || R.policy_broken ? V_DENY : nwarn ? V_WARN : V_ALLOW;
		if (first) {
			rec.rule = first->rule;
			rec.reason = first->reason;
			rec.see = first->see;
		}
		audit_decision(&rec);
		free(cmd);
	}
shutdown:
	free(paths);
	git_repository_free(R.repo);
	git_libgit2_shutdown();
out:
	for (size_t k = 0; k < R.nf; k++)
		finding_free(&R.f[k]);
	free(R.f);
	for (size_t k = 0; k < R.nref; k++) {
		free(R.ref[k].lref);
		free(R.ref[k].rref);
	}
	free(R.ref);
	free(R.pushed);
	for (size_t k = 0; k < R.npushed; k++)
		free(R.order[k].chg);
	free(R.order);
	pset_free(&R.paths);
	free(err);
	free(in);
	return st;
}
