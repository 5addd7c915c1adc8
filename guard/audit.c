/* audit.c - the audit log (see audit.h). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "decide.h"
#include "policy.h"
#include "util.h"

#define AUDIT_CMD_MAX 65536 /* bytes of a command kept in a record */

/* ---- SHA-256 (FIPS 180-4), for the policy files' hashes ---- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] +
		     w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static void sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	size_t i = 0;
	for (; i + 64 <= len; i += 64)
		sha256_block(h, data + i);
	unsigned char tail[128] = {0};
	size_t rest = len - i;
	memcpy(tail, data + i, rest);
	tail[rest] = 0x80;
	size_t tl = rest + 9 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int k = 0; k < 8; k++)
		tail[tl - 1 - k] = (unsigned char)(bits >> (8 * k));
	sha256_block(h, tail);
	if (tl == 128)
		sha256_block(h, tail + 64);
	for (int k = 0; k < 8; k++)
		snprintf(out + 8 * k, 9, "%08x", h[k]);
}

/* ---- settings and paths ---- */

static int bool_setting(const struct policy *p, const char *key, int def)
{
	const char *v = p ? policy_get(p, "log", key) : NULL;
	if (!v)
		return def;
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0"))
		return 0;
	return def;
}

char *audit_path(void)
{
	const char *e = getenv("GUARD_AUDIT_LOG");
	if (e && *e)
		return xstrdup(e);
	e = getenv("XDG_STATE_HOME");
	if (e && e[0] == '/')
		return xasprintf("%s/guard/audit.log", e);
	e = getenv("HOME");
	if (!e || e[0] != '/') {
		struct passwd *pw = getpwuid(getuid());
		e = pw ? pw->pw_dir : NULL;
	}
	if (!e || e[0] != '/')
		return NULL;
	return xasprintf("%s/.local/state/guard/audit.log", e);
}

/*
 * The SHA-256 of a policy file, remembered next to the audit log keyed by
 * the file's identity (device, inode, size, mtime and ctime to the
 * nanosecond), so a decision does not hash the policy each time: for a
 * 200-rule policy that was 40% of a hook call.  Returns 0 and fills hex, or
 * -1 (the caller hashes the file itself).
 */
static int policy_digest(const char *file, char hex[65])
{
	struct stat st;
	if (stat(file, &st) < 0)
		return -1;
	char key[160];
	snprintf(key, sizeof key, "%llu %llu %lld %lld.%09ld %lld.%09ld",
	         (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	         (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	char *log = audit_path();
	if (!log)
		return -1;
	char *slash = strrchr(log, '/');
	char *cache = xasprintf("%.*s/policy-digests", (int)(slash - log), log);
	free(log);
	char *text = NULL;
	size_t len = 0;
	int r = -1;
	if (read_file(cache, 1u << 16, &text, &len) == 0) {
		size_t kl = strlen(key);
		for (char *l = text; l && *l;) {
			char *nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			if (strncmp(l, key, kl) == 0 && l[kl] == ' ' && strlen(l + kl + 1) >= 64) {
				memcpy(hex, l + kl + 1, 64);
				hex[64] = 0;
				r = 0;
				break;
			}
			l = nl ? nl + 1 : NULL;
		}
	}
	if (r < 0) {
		char *data = NULL;
		size_t n = 0;
		if (read_file(file, 16u << 20, &data, &n) == 0) {
			sha256_hex((const unsigned char *)data, n, hex);
			r = 0;
			/* a cache that grew past its bound starts again */
			int fl = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW;
			if (len > (1u << 15))
				fl |= O_TRUNC;
			int fd = open(cache, fl, 0600);
			if (fd >= 0) {
				char *line = xasprintf("%s %s %s\n", key, hex, file);
				if (write(fd, line, strlen(line)) < 0) {
					/* only a cache */
				}
				free(line);
				close(fd);
			}
		}
		free(data);
	}
	free(text);
	free(cache);
	return r;
}

static void warn_once(const char *what, const char *path, int err)
{
	static int warned;
	if (warned)
		return;
	warned = 1;
	fprintf(stderr, "guard: audit log %s: %s: %s (the decision stands; not logged)\n",
	        path ? path : "", what, strerror(err));
}

/* ---- the record ---- */

/* A JSON string of s, with invalid UTF-8 bytes replaced by U+FFFD. */
static json_t *jstring(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	struct sbuf b;
	sb_init(&b);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80             ? 1
		        : (*p & 0xE0) == 0xC0 ? 2
		        : (*p & 0xF0) == 0xE0 ? 3
		        : (*p & 0xF8) == 0xF0 ? 4
		                              : 0;
		int okseq = n > 0;
		for (int k = 1; okseq && k < n; k++)
			if ((p[k] & 0xC0) != 0x80)
				okseq = 0;
		if (okseq) {
			json_t *t = json_stringn((const char *)p, (size_t)n);
			okseq = t != NULL;
			json_decref(t);
		}
		if (okseq) {
			sb_addn(&b, (const char *)p, (size_t)n);
			p += n;
		} else {
			sb_adds(&b, "\xEF\xBF\xBD");
			p++;
		}
	}
	j = json_string(b.s ? b.s : "");
	sb_free(&b);
	return j ? j : json_null();
}

static void set(json_t *o, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(o, k, v);
}

static char *iso_now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char b[40];
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%03ldZ", b, (long)(tv.tv_usec / 1000));
}

char *audit_format(const struct audit_rec *r)
{
	json_t *o = json_object();
	char *t = iso_now();
	set(o, "time", jstring(t));
	free(t);
	uid_t uid = getuid();
	struct passwd *pw = getpwuid(uid);
	const char *user = pw ? pw->pw_name : getenv("USER");
	set(o, "user", jstring(user ? user : "?"));
	set(o, "uid", json_integer((json_int_t)uid));
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) < 0)
		host[0] = 0;
	set(o, "host", jstring(host));
	set(o, "pid", json_integer((json_int_t)getpid()));
	set(o, "mode", jstring(r->mode ? r->mode : "?"));
	if (r->client)
		set(o, "client", jstring(r->client));
	if (r->session)
		set(o, "session", jstring(r->session));
	char *cwd = NULL;
	if (r->cwd)
		set(o, "cwd", jstring(r->cwd));
	else if ((cwd = getcwd(NULL, 0)) != NULL)
		set(o, "cwd", jstring(cwd));
	free(cwd);
	const char *cmd = r->command ? r->command : "";
	size_t clen = strlen(cmd);
	char *red;
	if (clen > AUDIT_CMD_MAX) {
		char *cut = xstrndup(cmd, AUDIT_CMD_MAX);
		red = audit_redact(cut);
		free(cut);
		set(o, "command_bytes", json_integer((json_int_t)clen));
	} else {
		red = audit_redact(cmd);
	}
	set(o, "command", jstring(red));
	free(red);
	set(o, "verdict", jstring(verdict_name(r->v)));
	set(o, "rule", jstring(r->rule));
	if (r->reason) {
		char *rr = audit_redact(r->reason);
		set(o, "reason", jstring(rr));
		free(rr);
	} else {
		set(o, "reason", json_null());
	}
	if (r->see)
		set(o, "see", jstring(r->see));
	if (r->note)
		set(o, "note", jstring(r->note));
	json_t *pol = json_array();
	if (r->policy) {
		for (size_t i = 0; i < r->policy->files.n; i++) {
			const char *f = r->policy->files.v[i];
			char *data = NULL, hex[65] = "";
			size_t n = 0;
			json_t *e = json_object();
			set(e, "file", jstring(f));
			if (policy_digest(f, hex) == 0) {
				set(e, "sha256", jstring(hex));
			} else if (read_file(f, 16u << 20, &data, &n) == 0) {
				sha256_hex((const unsigned char *)data, n, hex);
				set(e, "sha256", jstring(hex));
			} else {
				set(e, "sha256", json_null());
			}
			free(data);
			json_array_append_new(pol, e);
		}
	}
	set(o, "policy", pol);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *line = xmalloc(n + 2);
	memcpy(line, s, n);
	line[n] = '\n';
	line[n + 1] = 0;
	free(s);
	return line;
}

void audit_from_decision(struct audit_rec *r, const struct decision *d)
{
	r->v = d->v;
	const struct cmd_verdict *cv = d->deciding;
	const struct rule *ru = cv ? cv->rule : NULL;
	r->rule = ru ? ru->name : NULL;
	r->reason = d->error ? d->error : ru ? ru->reason : NULL;
	r->see = ru ? ru->see : NULL;
	if (d->error)
		r->v = V_DENY;
}

static int mkdirs(char *dir)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static void append_file(const char *line)
{
	char *path = audit_path();
	if (!path) {
		warn_once("no place for it", "", ENOENT);
		return;
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 && errno == ENOENT) {
		char *dir = xstrdup(path);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			if (mkdirs(dir) == 0)
				fd =
				    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
				         0600);
		}
		free(dir);
	}
	if (fd < 0) {
		warn_once("cannot open", path, errno);
		free(path);
		return;
	}
	/* One write under an exclusive lock: lines from concurrent processes
	   never interleave, however long they are. */
	int locked = flock(fd, LOCK_EX) == 0;
	size_t n = strlen(line), done = 0;
	while (done < n) {
		ssize_t w = write(fd, line + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			warn_once("cannot write", path, w < 0 ? errno : ENOSPC);
			break;
		}
		done += (size_t)w;
	}
	if (locked)
		flock(fd, LOCK_UN);
	close(fd);
	free(path);
}

void audit_decision(const struct audit_rec *r)
{
	int to_file = bool_setting(r->policy, "file", 1);
	int to_syslog = bool_setting(r->policy, "syslog", 0);
	if (r->v == V_ALLOW && !bool_setting(r->policy, "allow", 1))
		return;
	if (!to_file && !to_syslog)
		return;
	char *line = audit_format(r);
	if (!line) {
		warn_once("cannot format a record", "", EINVAL);
		return;
	}
	if (to_file)
		append_file(line);
	if (to_syslog) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[n - 1] = 0;
		openlog("guard", LOG_PID, LOG_AUTHPRIV);
		syslog(r->v == V_ALLOW  ? LOG_INFO
		       : r->v == V_WARN ? LOG_NOTICE
		                        : LOG_WARNING,
		       "%s", line);
		closelog();
	}
	free(line);
}
