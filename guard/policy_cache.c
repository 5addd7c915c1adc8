/*
 * policy_cache.c - the compiled form of a policy file (see policy_cache.h).
 *
 * Why: inih scans every character of every line with strchr; for a policy of
 * a few hundred rules that is most of a check, and a check must cost less
 * than starting bash.  A policy changes rarely and is checked against on
 * every command, so the rules and settings a file yields are kept in binary
 * form and read back with one read(2) while the file is unchanged.
 *
 * Where: $XDG_CACHE_HOME/guard when XDG_CACHE_HOME is an absolute path; else
 * /var/cache/guard for root and ~/.cache/guard for other users.  A reader
 * that finds no usable entry there also tries /var/cache/guard, so accounts
 * under a root-owned host policy use the entry root wrote.  The entry is
 * named after a hash of the policy's path.
 *
 * Whom it trusts (the entry replaces reading the policy, so it must be as
 * hard to change as the policy itself): the directory and the entry must
 * belong to root or to the policy file's owner and be writable by nobody
 * else, the entry must be a regular file with one link, opened without
 * following symbolic links.  Only root or the policy file's owner writes
 * one, atomically (a new file renamed into place), with permissions no
 * broader than the policy's.  An entry is used only when it names the same
 * file (device and inode) with the same text (its length and a
 * 64-bit hash: the file is still read, only not parsed) and was written by
 * the same guard binary (its device, inode, size and mtime), so a changed
 * policy or an upgraded guard never meets an old entry.  Only files that loaded without
 * errors are cached; anything unexpected is a miss, and guard reads the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy_cache.h"
#include "policy_int.h"

#ifndef GUARD_CACHEDIR
#define GUARD_CACHEDIR "/var/cache/guard"
#endif

#define CACHE_MAX (4u << 20) /* bytes of one entry */
#define NO_STRING 0xffffffffu

static const char magic[8] = {'G', 'U', 'A', 'R', 'D', 'P', 'C', 2};
static const char trailer[4] = {'E', 'N', 'D', '\n'};

/* ---- encoding ---------------------------------------------------------- */

static void put(struct sbuf *b, const void *v, size_t n)
{
	sb_addn(b, v, n);
}

static void put32(struct sbuf *b, uint32_t v)
{
	put(b, &v, sizeof v);
}

static void put64(struct sbuf *b, uint64_t v)
{
	put(b, &v, sizeof v);
}

static void putstr(struct sbuf *b, const char *s)
{
	if (!s) {
		put32(b, NO_STRING);
		return;
	}
	size_t n = strlen(s);
	put32(b, (uint32_t)n);
	put(b, s, n);
}

/* The identity of the guard binary that is running, or -1. */
static int self_identity(uint64_t id[5])
{
	struct stat st;
	if (stat("/proc/self/exe", &st) < 0)
		return -1;
	id[0] = (uint64_t)st.st_dev;
	id[1] = (uint64_t)st.st_ino;
	id[2] = (uint64_t)st.st_size;
	id[3] = (uint64_t)st.st_mtim.tv_sec;
	id[4] = (uint64_t)st.st_mtim.tv_nsec;
	return 0;
}

/*
 * A 64-bit hash of the policy text.  Timestamps alone cannot tell two
 * versions apart: the kernel stamps files with a clock that advances once a
 * tick, so a file rewritten at the same size within a few milliseconds keeps
 * its mtime and ctime.  Each step is a bijection of the state for a given
 * word, so texts that differ in one 8-byte word never collide.  Only the
 * policy's owner can change the text, so collisions matter only by accident.
 */
static uint64_t text_hash(const char *t, size_t n)
{
	uint64_t h = 0x6a09e667f3bcc908u ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, t + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15u;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, t + i, n - i);
	h = (h ^ w) * 0x9e3779b97f4a7c15u;
	h ^= h >> 29;
	return h;
}

/* Which file, and which text.  Owner and mode are not part of it: they
   decide whether an entry is trusted (when it is read) and whether the file
   is safe at all (before). */
#define NID 4
static void file_identity(const struct stat *st, const char *text, size_t len, uint64_t id[NID])
{
	id[0] = (uint64_t)st->st_dev;
	id[1] = (uint64_t)st->st_ino;
	id[2] = (uint64_t)len;
	id[3] = text_hash(text, len);
}

/* The header: magic, the binary's identity, the file's, and its path. */
static void put_header(struct sbuf *b, const uint64_t self[5], const char *path,
                       const struct stat *st, const char *text, size_t len)
{
	uint64_t id[NID];
	put(b, magic, sizeof magic);
	for (int i = 0; i < 5; i++)
		put64(b, self[i]);
	file_identity(st, text, len, id);
	for (int i = 0; i < NID; i++)
		put64(b, id[i]);
	putstr(b, path);
}

static char *encode(const uint64_t self[5], const struct policy *p, const char *path,
                    const struct stat *st, const char *text, size_t tlen, size_t nrule0,
                    size_t nset0, size_t *len)
{
	struct sbuf b;
	sb_init(&b);
	put_header(&b, self, path, st, text, tlen);
	put32(&b, (uint32_t)(p->nset - nset0));
	for (size_t i = nset0; i < p->nset; i++) {
		const struct setting *s = &p->set[i];
		putstr(&b, s->section);
		putstr(&b, s->key);
		putstr(&b, s->value);
		put32(&b, (uint32_t)s->line);
	}
	put32(&b, (uint32_t)(p->nrule - nrule0));
	for (size_t i = nrule0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		putstr(&b, r->name);
		put32(&b, (uint32_t)r->line);
		put32(&b, (uint32_t)r->action);
		put32(&b, (uint32_t)r->nmatch);
		for (int k = 0; k < r->nmatch; k++)
			putstr(&b, r->match[k]);
		putstr(&b, r->reason);
		putstr(&b, r->instead);
		putstr(&b, r->see);
		putstr(&b, r->ack);
		putstr(&b, r->confirm);
		put32(&b, (uint32_t)r->nex);
		for (size_t k = 0; k < r->nex; k++) {
			putstr(&b, r->ex[k].text);
			put32(&b, (uint32_t)r->ex[k].want);
			put32(&b, (uint32_t)r->ex[k].line);
		}
	}
	put(&b, trailer, sizeof trailer);
	*len = b.len;
	return sb_take(&b);
}

char *policy_cache_encode(const struct policy *p, const char *path, const struct stat *st,
                          const char *text, size_t tlen, size_t nrule0, size_t nset0, size_t *len)
{
	uint64_t self[5] = {0};
	self_identity(self);
	return encode(self, p, path, st, text, tlen, nrule0, nset0, len);
}

/* ---- decoding ---------------------------------------------------------- */

/* A cursor over an entry, decoding into p. */
struct rd {
	const char *s;
	size_t pos, len;
	int bad;
	struct policy *p;
};

static inline int get(struct rd *r, void *v, size_t n)
{
	if (r->bad || r->len - r->pos < n) {
		r->bad = 1;
		memset(v, 0, n);
		return -1;
	}
	memcpy(v, r->s + r->pos, n);
	r->pos += n;
	return 0;
}

static inline uint32_t get32(struct rd *r)
{
	uint32_t v;
	get(r, &v, sizeof v);
	return v;
}

static uint64_t get64(struct rd *r)
{
	uint64_t v;
	get(r, &v, sizeof v);
	return v;
}

/* A string, copied into the policy, or NULL for NO_STRING (which only
   optional fields may hold). */
static char *getstr(struct rd *r, int optional)
{
	uint32_t n = get32(r);
	if (r->bad)
		return NULL;
	if (n == NO_STRING) {
		if (!optional)
			r->bad = 1;
		return NULL;
	}
	if (r->len - r->pos < n || memchr(r->s + r->pos, 0, n)) {
		r->bad = 1;
		return NULL;
	}
	const char *s = r->s + r->pos;
	r->pos += n;
	return policy_astrndup(r->p, s, n);
}

/* A count of items each at least min bytes long, bounded by what is left. */
static uint32_t getcount(struct rd *r, size_t min)
{
	uint32_t n = get32(r);
	if (!r->bad && (size_t)n > (r->len - r->pos) / min)
		r->bad = 1;
	return r->bad ? 0 : n;
}

static int valid_verdict(uint32_t v)
{
	return v == V_ALLOW || v == V_WARN || v == V_DENY;
}

static int decode(struct rd *r, const uint64_t self[5], const char *path, const uint64_t id[NID])
{
	char m[sizeof magic];
	get(r, m, sizeof m);
	if (r->bad || memcmp(m, magic, sizeof magic) != 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if (get64(r) != self[i])
			return -1;
	for (int i = 0; i < NID; i++)
		if (get64(r) != id[i])
			return -1;
	uint32_t pl = get32(r);
	if (r->bad || pl != strlen(path) || r->len - r->pos < pl ||
	    memcmp(r->s + r->pos, path, pl) != 0)
		return -1;
	r->pos += pl;

	sv_push(&r->p->files, xstrdup(path));
	const char *file = r->p->files.v[r->p->files.n - 1];
	uint32_t nset = getcount(r, 16);
	for (uint32_t i = 0; i < nset && !r->bad; i++) {
		char *sec = getstr(r, 0), *key = getstr(r, 0), *val = getstr(r, 0);
		uint32_t line = get32(r);
		if (!r->bad)
			policy_add_setting(r->p, sec, key, val, file, (int)line);
	}
	uint32_t nrule = getcount(r, 40);
	for (uint32_t i = 0; i < nrule && !r->bad; i++) {
		char *name = getstr(r, 0);
		uint32_t line = get32(r), action = get32(r);
		uint32_t nmatch = getcount(r, 4);
		if (r->bad || !valid_verdict(action) || nmatch > (1u << 16))
			return -1;
		struct rule *ru = policy_new_rule(r->p, name, file, (int)line);
		ru->action = (enum verdict)action;
		char **match = policy_amem(r->p, sizeof *match * (nmatch + 1));
		for (uint32_t k = 0; k < nmatch && !r->bad; k++)
			match[k] = getstr(r, 0);
		char *reason = getstr(r, 1), *instead = getstr(r, 1), *see = getstr(r, 1);
		char *ack = getstr(r, 1), *confirm = getstr(r, 1);
		uint32_t nex = getcount(r, 12);
		if (!r->bad) {
			match[nmatch] = NULL;
			ru->match = match;
			ru->nmatch = (int)nmatch;
			ru->reason = reason;
			ru->instead = instead;
			ru->see = see;
			ru->ack = ack;
			ru->confirm = confirm;
		}
		for (uint32_t k = 0; k < nex && !r->bad; k++) {
			char *text = getstr(r, 0);
			uint32_t want = get32(r), eline = get32(r);
			if (!r->bad && !valid_verdict(want))
				return -1;
			if (!r->bad)
				policy_add_example(r->p, ru, text, (enum verdict)want, (int)eline);
		}
	}
	char t[sizeof trailer];
	get(r, t, sizeof t);
	if (r->bad || memcmp(t, trailer, sizeof t) != 0 || r->pos != r->len)
		return -1;
	policy_reindex(r->p);
	return 0;
}

/* Decodes into p; on failure p is put back as it was (strings already copied
   stay in its memory until it is freed). */
static int decode_into(struct policy *p, const uint64_t self[5], const char *path,
                       const uint64_t id[NID], const char *buf, size_t len)
{
	size_t nrule0 = p->nrule, nset0 = p->nset, nfiles0 = p->files.n;
	enum verdict def = p->def;
	int unknown = p->unknown;
	char *shell = p->shell;
	struct rd r = {buf, 0, len, 0, p};
	if (decode(&r, self, path, id) == 0)
		return 0;
	for (size_t i = nrule0; i < p->nrule; i++) {
		struct rule *ru = &p->rule[i];
		free(ru->ex_allow.v);
		free(ru->ex_warn.v);
		free(ru->ex_deny.v);
		free(ru->ex);
	}
	p->nrule = nrule0;
	p->nset = nset0;
	while (p->files.n > nfiles0) {
		free(p->files.v[--p->files.n]);
		p->files.v[p->files.n] = NULL;
	}
	p->def = def;
	p->unknown = unknown;
	p->shell = shell;
	return -1;
}

int policy_cache_decode(struct policy *p, const char *path, const struct stat *st, const char *text,
                        size_t tlen, const char *buf, size_t len)
{
	uint64_t self[5] = {0}, id[NID];
	self_identity(self);
	file_identity(st, text, tlen, id);
	return decode_into(p, self, path, id, buf, len);
}

/* ---- where entries live, and whom they are trusted from ------------------ */

static char *user_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && x[0] == '/')
		return xasprintf("%s/guard", x);
	if (geteuid() == 0)
		return xstrdup(GUARD_CACHEDIR);
	const char *h = getenv("HOME");
	if (h && h[0] == '/')
		return xasprintf("%s/.cache/guard", h);
	return NULL;
}

/* Named after the path as given, not the inode: editors save to a new
   inode, and the entry of the old one would stay behind for good.  (The
   header still names device, inode and path.) */
static char *entry_name(const char *path)
{
	return xasprintf("policy-%016llx", (unsigned long long)text_hash(path, strlen(path)));
}

/* Root or the policy's owner, and nobody else can write it. */
static int trusted(const struct stat *s, const struct stat *policy)
{
	return (s->st_uid == 0 || s->st_uid == policy->st_uid) &&
	       !(s->st_mode & (S_IWGRP | S_IWOTH));
}

/* Reads the entry for the policy st from dir: 0 and *buf, or -1. */
static int read_entry(const char *dir, const char *path, const struct stat *st, char **buf,
                      size_t *len)
{
	int r = -1, fd = -1;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	struct stat ds, fs;
	char *name = entry_name(path);
	if (fstat(dfd, &ds) < 0 || !trusted(&ds, st))
		goto out;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &fs) < 0 || !S_ISREG(fs.st_mode) || fs.st_nlink != 1 ||
	    !trusted(&fs, st) || fs.st_size <= 0 || (size_t)fs.st_size > CACHE_MAX)
		goto out;
	if (read_fd(fd, CACHE_MAX, buf, len) == 0)
		r = 0;
out:
	free(name);
	if (fd >= 0)
		close(fd);
	close(dfd);
	return r;
}

int policy_cache_load(struct policy *p, const char *path, const struct stat *st, const char *text,
                      size_t tlen)
{
	uint64_t self[5], id[NID];
	if (self_identity(self) < 0)
		return -1;
	file_identity(st, text, tlen, id);
	char *dirs[2] = {user_dir(), NULL};
	if (!dirs[0] || strcmp(dirs[0], GUARD_CACHEDIR) != 0)
		dirs[1] = xstrdup(GUARD_CACHEDIR);
	int r = -1;
	for (int i = 0; i < 2 && r < 0; i++) {
		char *buf = NULL;
		size_t len = 0;
		if (dirs[i] && read_entry(dirs[i], path, st, &buf, &len) == 0)
			r = decode_into(p, self, path, id, buf, len);
		free(buf);
	}
	free(dirs[0]);
	free(dirs[1]);
	return r;
}

/* Opens dir for writing entries: made if missing (with ~/.cache for the
   default user directory), owned by us and writable by nobody else. */
static int open_dir_for_writing(const char *dir)
{
	int root = geteuid() == 0;
	if (mkdir(dir, root ? 0755 : 0700) < 0 && errno == ENOENT) {
		char *parent = xstrdup(dir);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = 0;
			mkdir(parent, 0700); /* one level only: ~/.cache */
		}
		free(parent);
		mkdir(dir, root ? 0755 : 0700);
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat ds;
	if (dfd >= 0 &&
	    (fstat(dfd, &ds) < 0 || ds.st_uid != geteuid() || (ds.st_mode & (S_IWGRP | S_IWOTH)))) {
		close(dfd);
		dfd = -1;
	}
	return dfd;
}

void policy_cache_save(const struct policy *p, const char *path, const struct stat *st,
                       const char *text, size_t tlen, size_t nrule0, size_t nset0)
{
	uint64_t self[5];
	uid_t me = geteuid();
	if ((me != 0 && me != st->st_uid) || self_identity(self) < 0)
		return;
	char *dir = user_dir();
	if (!dir)
		return;
	int dfd = open_dir_for_writing(dir);
	free(dir);
	if (dfd < 0)
		return;
	size_t len = 0;
	char *buf = encode(self, p, path, st, text, tlen, nrule0, nset0, &len);
	char *name = entry_name(path);
	char tmp[64];
	int fd = -1;
	for (int i = 0; i < 16 && fd < 0; i++) {
		snprintf(tmp, sizeof tmp, ".new-%ld-%d", (long)getpid(), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd >= 0) {
		int ok = fchmod(fd, st->st_mode & 0644) == 0;
		for (size_t off = 0; ok && off < len;) {
			ssize_t n = write(fd, buf + off, len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				ok = 0;
			else
				off += (size_t)n;
		}
		if (close(fd) < 0)
			ok = 0;
		if (!ok || renameat(dfd, tmp, dfd, name) < 0)
			unlinkat(dfd, tmp, 0);
	}
	free(name);
	free(buf);
	close(dfd);
}
