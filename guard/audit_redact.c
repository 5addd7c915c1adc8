/*
 * audit_redact.c - removes secrets from command lines before they are logged.
 *
 * Works on shell words (quotes kept together, as bash would split them):
 *   --password=V, --api-key=V, -token=V ...      -> --password=***
 *   --password V (the next word)                 -> --password ***
 *   TOKEN=V, DB_PASSWORD=V, export API_KEY=V     -> TOKEN=***
 *   URL user:pass@host, tok@host                 -> user:***@host, ***@host
 *   curl -u user:pass                            -> -u user:***
 *   Authorization: Bearer xyz (any quoting)      -> Authorization: ***
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "util.h"

static const char *const secret_words[] = {
    "PASSWORD",   "PASSWD",      "PASSPHRASE", "SECRET",     "TOKEN",       "API_KEY", "APIKEY",
    "ACCESS_KEY", "PRIVATE_KEY", "SECRET_KEY", "CREDENTIAL", "SESSION_KEY", NULL,
};

/* 1 if name (n bytes; '-' counts as '_') names a secret. */
static int secret_name(const char *name, size_t n)
{
	char up[128];
	if (n == 0 || n >= sizeof up)
		return 0;
	for (size_t i = 0; i < n; i++)
		up[i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	up[n] = 0;
	if (strcmp(up, "PWD") == 0 || strcmp(up, "OLDPWD") == 0 || strcmp(up, "PASSWD_FILE") == 0)
		return 0;
	if (strcmp(up, "PASS") == 0 || strcmp(up, "AUTH") == 0 || strcmp(up, "PW") == 0)
		return 1;
	for (size_t i = 0; secret_words[i]; i++)
		if (strstr(up, secret_words[i]))
			return 1;
	return 0;
}

/* Appends a word with credentials in URLs redacted. */
static void add_url_redacted(struct sbuf *b, const char *w, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *sep = NULL;
		for (size_t k = i; k + 3 <= n; k++)
			if (w[k] == ':' && w[k + 1] == '/' && w[k + 2] == '/') {
				sep = w + k;
				break;
			}
		if (!sep) {
			sb_addn(b, w + i, n - i);
			return;
		}
		size_t auth = (size_t)(sep - w) + 3;
		size_t end = auth;
		while (end < n && !strchr("/?#@ \t'\"", w[end]))
			end++;
		sb_addn(b, w + i, auth - i);
		if (end < n && w[end] == '@' && end > auth) {
			const char *colon = memchr(w + auth, ':', end - auth);
			if (colon) {
				sb_addn(b, w + auth, (size_t)(colon - (w + auth)) + 1);
				sb_adds(b, "***");
			} else {
				sb_adds(b, "***");
			}
			i = end;
		} else {
			i = auth;
		}
	}
}

/* The end of the shell word starting at i. */
static size_t word_end(const char *s, size_t i)
{
	char q = 0;
	for (; s[i]; i++) {
		char c = s[i];
		if (q) {
			if (c == '\\' && q == '"' && s[i + 1])
				i++;
			else if (c == q)
				q = 0;
		} else if (c == '\\' && s[i + 1]) {
			i++;
		} else if (c == '\'' || c == '"') {
			q = c;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&') {
			break;
		}
	}
	return i;
}

/* Keeps the quotes of a redacted value balanced: '***' or "***". */
static void add_stars(struct sbuf *b, const char *v, size_t n)
{
	if (n >= 1 && (v[0] == '\'' || v[0] == '"')) {
		sb_addc(b, v[0]);
		sb_adds(b, "***");
		sb_addc(b, v[0]);
	} else {
		sb_adds(b, "***");
	}
}

/* Redacts "Authorization: VALUE" up to the closing quote or end of line. */
static char *redact_auth_headers(const char *s)
{
	struct sbuf b;
	sb_init(&b);
	const char *p = s;
	for (;;) {
		const char *h = strcasestr(p, "authorization:");
		if (!h) {
			sb_adds(&b, p);
			break;
		}
		h += strlen("authorization:");
		sb_addn(&b, p, (size_t)(h - p));
		while (*h == ' ')
			sb_addc(&b, *h++);
		const char *e = h;
		while (*e && !strchr("'\"\n", *e))
			e++;
		if (e > h)
			sb_adds(&b, "***");
		p = e;
	}
	return sb_take(&b);
}

char *audit_redact(const char *in)
{
	char *s = redact_auth_headers(in);
	struct sbuf b;
	sb_init(&b);
	size_t i = 0;
	int redact_next = 0, user_next = 0;
	while (s[i]) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&') {
			if (c != ' ' && c != '\t')
				redact_next = user_next = 0;
			sb_addc(&b, c);
			i++;
			continue;
		}
		size_t e = word_end(s, i);
		const char *w = s + i;
		size_t n = e - i;
		if (redact_next) {
			add_stars(&b, w, n);
			redact_next = 0;
		} else if (user_next) {
			const char *colon = memchr(w, ':', n);
			if (colon && !memchr(w, '/', n)) {
				sb_addn(&b, w, (size_t)(colon - w) + 1);
				sb_adds(&b, "***");
				if (w[0] == '\'' || w[0] == '"')
					sb_addc(&b, w[0]);
			} else {
				add_url_redacted(&b, w, n);
			}
			user_next = 0;
		} else {
			const char *eq = memchr(w, '=', n);
			size_t dashes = 0;
			while (dashes < n && dashes < 2 && w[dashes] == '-')
				dashes++;
			if (eq && eq > w + dashes &&
			    secret_name(w + dashes, (size_t)(eq - w) - dashes) &&
			    (dashes ||
			     strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			               "0123456789_") == (size_t)(eq - w))) {
				sb_addn(&b, w, (size_t)(eq - w) + 1);
				add_stars(&b, eq + 1, n - (size_t)(eq - w) - 1);
			} else if (dashes && !eq && n > dashes &&
			           secret_name(w + dashes, n - dashes)) {
				sb_addn(&b, w, n);
				redact_next = 1;
			} else {
				if ((n == 2 && !memcmp(w, "-u", 2)) ||
				    (n == 6 && !memcmp(w, "--user", 6)))
					user_next = 1;
				add_url_redacted(&b, w, n);
			}
		}
		i = e;
	}
	free(s);
	return sb_take(&b);
}
