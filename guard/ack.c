/* ack.c - the pre-task acknowledgement gate (see ack.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ack.h"
#include "policy.h"
#include "sha1.h"

#define DOC_MAX (4u << 20)
#define STORE_MAX_LINES 1000
#define LESS_PATH "/usr/bin/less"

/* ------------------------------------------------------------ sections */

struct hline {
	const char *s;
	size_t n;
};

/* Heading level of line i (with the next line for underlines), 0 if none;
 * t and tn receive the heading text. */
static int heading_at(const struct hline *L, size_t nl, size_t i, const char **t, size_t *tn)
{
	const char *s = L[i].s, *e = s + L[i].n;
	while (s < e && *s == ' ')
		s++;
	if (s < e && *s == '#') {
		int lv = 0;
		while (s + lv < e && s[lv] == '#')
			lv++;
		if (lv > 6 || (s + lv < e && s[lv] != ' '))
			return 0;
		s += lv;
		while (s < e && *s == ' ')
			s++;
		while (e > s && (e[-1] == '#' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*t = s;
		*tn = (size_t)(e - s);
		return lv;
	}
	if (i + 1 < nl && L[i].n && s < e) {
		const char *u = L[i + 1].s, *ue = u + L[i + 1].n;
		while (ue > u && isspace((unsigned char)ue[-1]))
			ue--;
		if (ue - u >= 3 && (*u == '=' || *u == '-' || *u == '~')) {
			for (const char *q = u; q < ue; q++)
				if (*q != *u)
					return 0;
			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			*t = s;
			*tn = (size_t)(e - s);
			return *u == '=' ? 1 : *u == '-' ? 2 : 3;
		}
	}
	return 0;
}

char *ack_section_text(const char *text, size_t len, const char *heading)
{
	if (!heading || !*heading)
		return xstrndup(text, len);
	struct hline *L = NULL;
	size_t nl = 0;
	for (const char *p = text; p < text + len;) {
		const char *e = memchr(p, '\n', (size_t)(text + len - p));
		if (!e)
			e = text + len;
		L = xreallocarray(L, nl + 1, sizeof *L);
		L[nl].s = p;
		L[nl].n = (size_t)(e - p);
		if (L[nl].n && p[L[nl].n - 1] == '\r')
			L[nl].n--;
		nl++;
		p = e + 1;
	}
	char *r = NULL;
	int in_fence = 0, level = 0;
	size_t start = 0;
	for (size_t i = 0; i < nl; i++) {
		const char *s = L[i].s;
		while (s < L[i].s + L[i].n && *s == ' ')
			s++;
		if (L[i].s + L[i].n - s >= 3 &&
		    (strncmp(s, "```", 3) == 0 || strncmp(s, "~~~", 3) == 0)) {
			in_fence = !in_fence;
			continue;
		}
		if (in_fence)
			continue;
		const char *t;
		size_t tn;
		int lv = heading_at(L, nl, i, &t, &tn);
		if (!lv)
			continue;
		if (level) {
			if (lv <= level) {
				r = xstrndup(L[start].s, (size_t)(L[i].s - L[start].s));
				break;
			}
		} else if (tn == strlen(heading) && strncmp(t, heading, tn) == 0) {
			level = lv;
			start = i;
		}
	}
	if (!r && level)
		r = xstrndup(L[start].s, (size_t)(text + len - L[start].s));
	free(L);
	if (r) {
		size_t n = strlen(r);
		while (n && isspace((unsigned char)r[n - 1]))
			r[--n] = 0;
	}
	return r;
}

long ack_parse_duration(const char *s)
{
	char *end;
	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || v < 0)
		return -1;
	long m = 1;
	if (*end == 's')
		m = 1, end++;
	else if (*end == 'm')
		m = 60, end++;
	else if (*end == 'h')
		m = 3600, end++;
	else if (*end == 'd')
		m = 86400, end++;
	else if (*end && v != 0)
		return -1;
	if (*end || v > 100L * 365 * 86400 / m)
		return -1;
	return v * m;
}

/* ---------------------------------------------------------- resolving */

static char *dir_of(const char *path)
{
	const char *sl = strrchr(path, '/');
	if (!sl)
		return xstrdup(".");
	if (sl == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(sl - path));
}

static void token_of(struct ack_info *a)
{
	struct sha1 s;
	unsigned char d[20];
	char hex[41];
	sha1_init(&s);
	sha1_update(&s, "guard-ack", 10);
	sha1_update(&s, a->name, strlen(a->name) + 1);
	sha1_update(&s, a->blob, strlen(a->blob) + 1);
	sha1_update(&s, a->text, strlen(a->text));
	sha1_final(&s, d);
	sha1_hex(d, hex);
	memcpy(a->token, hex, 6);
	a->token[6] = 0;
}

/* Finds the doc next to the policy file: the repository's top (the parent of
 * .guard/), then the policy's directory and its parents. */
static void resolve(struct ack_info *a, const char *policy_file)
{
	struct strv cand = {0};
	char *mismatch = NULL, *mismatch_id = NULL;
	char *dir = dir_of(policy_file ? policy_file : "./x");
	if (a->doc[0] == '/' || strstr(a->doc, "..")) {
		a->error = xasprintf("[ack %s] doc = %s: must be a path inside the repository",
		                     a->name, a->doc);
		goto out;
	}
	if (!a->blob || strlen(a->blob) != 40) {
		a->error = xasprintf("[ack %s] has no 40-hex blob id (run guard derive)", a->name);
		goto out;
	}
	if (strcmp(base_name(dir), ".guard") == 0) {
		char *top = dir_of(dir);
		sv_push(&cand, xasprintf("%s/%s", top, a->doc));
		free(top);
	}
	for (char *d = xstrdup(dir);;) {
		sv_push(&cand, xasprintf("%s/%s", d, a->doc));
		if (strcmp(d, "/") == 0 || strcmp(d, ".") == 0) {
			free(d);
			break;
		}
		char *up = dir_of(d);
		free(d);
		d = up;
	}
	for (size_t i = 0; i < cand.n; i++) {
		char *buf = NULL;
		size_t len = 0;
		if (read_file(cand.v[i], DOC_MAX, &buf, &len) < 0)
			continue;
		char id[41];
		sha1_blob_id(buf, len, id);
		if (strcmp(id, a->blob) == 0) {
			a->path = xstrdup(cand.v[i]);
			a->text = ack_section_text(buf, len, a->section);
			free(buf);
			if (!a->text) {
				a->error = xasprintf("%s: no section \"%s\"", a->doc, a->section);
				goto out;
			}
			token_of(a);
			goto out;
		}
		free(buf);
		if (!mismatch) {
			mismatch = xstrdup(cand.v[i]);
			mismatch_id = xstrdup(id);
		}
	}
	if (mismatch)
		a->error =
		    xasprintf("%s is not the version this policy was derived from (blob %.12s, "
		              "policy says %.12s): the policy is stale; commit the doc and run "
		              "`guard derive` (or restore the doc)",
		              mismatch, mismatch_id, a->blob);
	else
		a->error = xasprintf("%s: not found next to the policy %s", a->doc,
		                     policy_file ? policy_file : "");
out:
	free(mismatch);
	free(mismatch_id);
	free(dir);
	sv_free(&cand);
}

static int ack_section_is(const char *section, const char *name)
{
	if (strncmp(section, "ack", 3) != 0 || !isspace((unsigned char)section[3]))
		return 0;
	const char *s = section + 3;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(name);
	if (*s == '"' && strncmp(s + 1, name, n) == 0 && s[n + 1] == '"')
		return 1;
	return strncmp(s, name, n) == 0 && (s[n] == 0 || isspace((unsigned char)s[n]));
}

static void set_field(struct ack_info *a, const char *key, const char *value)
{
	if (strcmp(key, "doc") == 0) {
		free(a->doc);
		a->doc = xstrdup(value);
	} else if (strcmp(key, "section") == 0) {
		free(a->section);
		a->section = xstrdup(value);
	} else if (strcmp(key, "blob") == 0) {
		free(a->blob);
		a->blob = xstrdup(value);
	} else if (strcmp(key, "expires") == 0) {
		a->expires = ack_parse_duration(value);
	}
}

static int finish(struct ack_info *a, const char *file)
{
	if (!a->doc) {
		a->error = xasprintf("[ack %s] has no doc", a->name);
		return 0;
	}
	if (a->expires < 0) {
		a->error = xasprintf("[ack %s] expires: not a duration", a->name);
		return 0;
	}
	resolve(a, file);
	return 0;
}

/* The section from one file only (of a merged policy, files may each have
   an [ack NAME] of the same name, each about a doc of its own repository):
   file's own when it has one (a rule's file), else the last file's. */
static int lookup_in(const struct policy *p, const char *name, const char *file,
                     struct ack_info *out)
{
	memset(out, 0, sizeof *out);
	out->name = xstrdup(name);
	const char *from = NULL;
	int own = 0;
	for (size_t i = 0; i < p->nset; i++)
		if (ack_section_is(p->set[i].section, name)) {
			from = p->set[i].file;
			own |= file && from == file;
		}
	if (own)
		from = file;
	for (size_t i = 0; from && i < p->nset; i++)
		if (p->set[i].file == from && ack_section_is(p->set[i].section, name))
			set_field(out, p->set[i].key, p->set[i].value);
	if (!from) {
		out->error = xasprintf("the policy has no [ack %s] section", name);
		return -1;
	}
	return finish(out, from);
}

int ack_lookup(const struct policy *p, const char *name, struct ack_info *out)
{
	return lookup_in(p, name, NULL, out);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

int ack_names(const struct policy *p, struct strv *names)
{
	for (size_t i = 0; i < p->nset; i++) {
		const char *sec = p->set[i].section;
		if (strncmp(sec, "ack", 3) != 0 || !isspace((unsigned char)sec[3]))
			continue;
		const char *t = sec + 4;
		while (isspace((unsigned char)*t))
			t++;
		int dup = 0;
		for (size_t k = 0; k < names->n && !dup; k++)
			dup = strcmp(names->v[k], t) == 0;
		if (!dup)
			sv_push(names, xstrdup(t));
	}
	return 0;
}

void ack_info_free(struct ack_info *a)
{
	free(a->name);
	free(a->doc);
	free(a->section);
	free(a->blob);
	free(a->path);
	free(a->text);
	free(a->error);
	memset(a, 0, sizeof *a);
}

/* -------------------------------------------------------------- store */

char *ack_store_path(void)
{
	const char *x = getenv("XDG_STATE_HOME");
	if (x && x[0] == '/')
		return xasprintf("%s/guard/acks", x);
	const char *h = getenv("HOME");
	if (!h || h[0] != '/') {
		struct passwd *pw = getpwuid(getuid());
		h = pw ? pw->pw_dir : NULL;
	}
	if (!h || h[0] != '/')
		return NULL;
	return xasprintf("%s/.local/state/guard/acks", h);
}

int ack_store_lines(struct strv *lines)
{
	char *path = ack_store_path();
	if (!path)
		return -ENOENT;
	char *buf = NULL;
	size_t len = 0;
	int r = read_file(path, DOC_MAX, &buf, &len);
	free(path);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (*l)
			sv_push(lines, xstrdup(l));
	free(buf);
	return 0;
}

/* Splits "NAME BLOB EPOCH DOC"; returns 0 if well formed. */
static int parse_line(const char *l, char name[128], char blob[41], long *epoch)
{
	char ep[32];
	if (sscanf(l, "%127s %40s %31s", name, blob, ep) != 3)
		return -1;
	char *end;
	*epoch = strtol(ep, &end, 10);
	return *end ? -1 : 0;
}

int ack_recorded(const struct ack_info *a, time_t now)
{
	struct strv lines = {0};
	int ok = 0;
	if (!a->text || ack_store_lines(&lines) < 0)
		goto out;
	for (size_t i = 0; i < lines.n; i++) {
		char name[128], blob[41];
		long epoch;
		if (parse_line(lines.v[i], name, blob, &epoch) < 0)
			continue;
		if (strcmp(name, a->name) != 0 || strcmp(blob, a->blob) != 0)
			continue;
		if (a->expires == 0 || (long)now - epoch < a->expires)
			ok = 1;
	}
out:
	sv_free(&lines);
	return ok;
}

static int mkdirs(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			return -e;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

int ack_record(const struct ack_info *a, time_t now)
{
	char *path = ack_store_path();
	struct strv lines = {0};
	struct sbuf b;
	int r;
	sb_init(&b);
	if (!path)
		return -ENOENT;
	if ((r = ack_store_lines(&lines)) < 0)
		goto out;
	size_t skip = lines.n >= STORE_MAX_LINES ? lines.n - STORE_MAX_LINES + 1 : 0;
	for (size_t i = skip; i < lines.n; i++) {
		char name[128], blob[41];
		long epoch;
		if (parse_line(lines.v[i], name, blob, &epoch) == 0 && strcmp(name, a->name) == 0 &&
		    strcmp(blob, a->blob) == 0)
			continue; /* replaced below */
		sb_adds(&b, lines.v[i]);
		sb_addc(&b, '\n');
	}
	sb_addf(&b, "%s %s %ld %s\n", a->name, a->blob, (long)now, a->doc);
	if ((r = mkdirs(path, 0700)) < 0)
		goto out;
	char *tmp = xasprintf("%s.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		goto out;
	}
	size_t off = 0;
	while (off < b.len) {
		ssize_t w = write(fd, b.s + off, b.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r = -errno;
			close(fd);
			unlink(tmp);
			free(tmp);
			goto out;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		r = -errno;
		unlink(tmp);
		free(tmp);
		goto out;
	}
	free(tmp);
	r = 0;
out:
	free(path);
	sv_free(&lines);
	sb_free(&b);
	return r;
}

/* --------------------------------------------------------------- gate */

static char *section_block(const struct ack_info *a)
{
	struct sbuf b;
	sb_init(&b);
	sb_addf(&b, "----- %s%s%s%s -----\n", a->doc, a->section ? ", section \"" : "",
	        a->section ? a->section : "", a->section ? "\"" : "");
	sb_adds(&b, a->text);
	sb_addf(&b, "\n----- end of %s -----\n", a->doc);
	return sb_take(&b);
}

char *ack_message(const struct policy *p, const struct rule *r)
{
	struct ack_info a;
	struct sbuf b;
	sb_init(&b);
	if (!r->ack) {
		sb_adds(&b, "this rule needs no acknowledgement\n");
		return sb_take(&b);
	}
	lookup_in(p, r->ack, r->file, &a);
	if (a.text) {
		char *blk = section_block(&a);
		sb_addf(&b, "Read this first (rule %s needs [ack %s]):\n\n", r->name, a.name);
		sb_adds(&b, blk);
		sb_addf(&b,
		        "\nWhen you have read it, acknowledge it with:\n    guard ack %s %s\n"
		        "then run the command again.  (The code changes whenever the doc does.)\n",
		        a.name, a.token);
		free(blk);
	} else {
		sb_addf(&b, "Rule %s needs [ack %s], which cannot be shown: %s\n", r->name, a.name,
		        a.error ? a.error : "unknown error");
	}
	ack_info_free(&a);
	return sb_take(&b);
}

/* Shows text on the terminal: through less (LESSSECURE=1: no shell escapes,
 * no editor, no log files) when it exists, else plainly. */
static void show(int tty, const char *text)
{
	if (access(LESS_PATH, X_OK) == 0) {
		int pfd[2];
		if (pipe(pfd) == 0) {
			pid_t pid = fork();
			if (pid == 0) {
				dup2(pfd[0], 0);
				dup2(tty, 1);
				close(pfd[0]);
				close(pfd[1]);
				setenv("LESSSECURE", "1", 1);
				unsetenv("LESSOPEN");
				unsetenv("LESSCLOSE");
				unsetenv("LESSKEY");
				execl(LESS_PATH, "less", "-X", "-F", "-K", (char *)NULL);
				_exit(127);
			}
			close(pfd[0]);
			if (pid > 0) {
				void (*old)(int) = signal(SIGPIPE, SIG_IGN);
				size_t n = strlen(text), off = 0;
				while (off < n) {
					ssize_t w = write(pfd[1], text + off, n - off);
					if (w <= 0)
						break;
					off += (size_t)w;
				}
				close(pfd[1]);
				int st;
				while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
					;
				signal(SIGPIPE, old);
				if (WIFEXITED(st) && WEXITSTATUS(st) != 127)
					return;
			} else {
				close(pfd[1]);
			}
		}
	}
	size_t n = strlen(text), off = 0;
	while (off < n) {
		ssize_t w = write(tty, text + off, n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

int ack_interactive(struct ack_info *a, time_t now)
{
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tty < 0)
		return 0;
	char *blk = section_block(a);
	char *all = xasprintf("%s\nTo go on, type the code %s shown here to acknowledge that you "
	                      "have read it.\n",
	                      blk, a->token);
	show(tty, all);
	free(blk);
	free(all);
	char *prompt = xasprintf("guard: acknowledge %s: code (Enter to cancel): ", a->name);
	int ok = 0;
	if (write(tty, prompt, strlen(prompt)) >= 0) {
		char line[64];
		ssize_t n = read(tty, line, sizeof line - 1);
		if (n > 0) {
			line[n] = 0;
			char *t = trim(line);
			if (strcasecmp(t, a->token) == 0 && ack_record(a, now) == 0)
				ok = 1;
		}
	}
	free(prompt);
	close(tty);
	return ok;
}

int ack_ok(const struct policy *p, const struct rule *r, void *ctx)
{
	const struct ack_ctx *c = ctx;
	struct ack_info a;
	if (!r->ack)
		return 1;
	time_t now = c && c->now ? c->now : time(NULL);
	lookup_in(p, r->ack, r->file, &a);
	int ok = a.text && ack_recorded(&a, now);
	if (!ok && a.text && c && c->interactive && isatty(0))
		ok = ack_interactive(&a, now);
	ack_info_free(&a);
	return ok;
}
