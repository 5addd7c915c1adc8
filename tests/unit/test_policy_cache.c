/*
 * test_policy_cache.c - the compiled form of a policy (policy_cache.c): what
 * is decoded equals what was parsed, merging with earlier files works as
 * loading does, and a truncated, corrupted or stale entry is refused with the
 * policy left as it was.  (Trust and file handling: tests/t/27-policy-cache.t.)
 */
#include "policy.h"
#include "policy_cache.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>

static const char text[] = "[guard]\n"
                           "default = warn\n"
                           "unknown = auto\n"
                           "shell = /bin/bash\n"
                           "\n"
                           "[rule no-pm2]\n"
                           "match = pm2\n"
                           "action = deny\n"
                           "reason = The app is managed by systemd;\n"
                           "reason += PM2 must not be used.\n"
                           "instead = sudo systemctl restart massage-shop\n"
                           "see = docs/DEPLOY.md:14\n"
                           "example.deny = pm2 restart all\n"
                           "example.warn = echo pm2\n"
                           "example.deny = sudo pm2 list\n"
                           "\n"
                           "[rule stop]\n"
                           "match = systemctl stop massage-*\n"
                           "match += --now\n"
                           "action = warn\n"
                           "confirm = yes, stop it\n"
                           "\n"
                           "[ack deploy]\n"
                           "doc = docs/DEPLOY.md\n"
                           "expires = 12h\n"
                           "\n"
                           "[shell]\n"
                           "banner = one\n"
                           "banner = two\n";

static const char host[] = "[guard]\ndefault = deny\nunknown = warn\n"
                           "[rule rm]\nmatch = rm -rf /\naction = deny\n";

/* A policy as text, for comparing two of them field by field. */
static char *dump(const struct policy *p)
{
	struct sbuf b;
	sb_init(&b);
	sb_addf(&b, "def=%d unknown=%d shell=%s files=%zu\n", (int)p->def, p->unknown,
	        p->shell ? p->shell : "-", p->files.n);
	for (size_t i = 0; i < p->files.n; i++)
		sb_addf(&b, "file %s\n", p->files.v[i]);
	for (size_t i = 0; i < p->nset; i++)
		sb_addf(&b, "set [%s] %s=%s %s:%d scope=%d\n", p->set[i].section, p->set[i].key,
		        p->set[i].value, p->set[i].file, p->set[i].line, p->set[i].scope);
	for (size_t i = 0; i < p->nrule; i++) {
		const struct rule *r = &p->rule[i];
		sb_addf(&b, "rule %s %s:%d action=%d scope=%d match=", r->name, r->file, r->line,
		        (int)r->action, r->scope);
		for (int k = 0; k < r->nmatch; k++)
			sb_addf(&b, "<%s>", r->match[k]);
		sb_addf(&b, "%s reason=%s instead=%s see=%s ack=%s confirm=%s\n",
		        r->match[r->nmatch] ? " UNTERMINATED" : "", r->reason ? r->reason : "-",
		        r->instead ? r->instead : "-", r->see ? r->see : "-", r->ack ? r->ack : "-",
		        r->confirm ? r->confirm : "-");
		for (size_t k = 0; k < r->nex; k++)
			sb_addf(&b, "  example %d %s :%d\n", (int)r->ex[k].want, r->ex[k].text,
			        r->ex[k].line);
		sb_addf(&b, "  lists %zu %zu %zu\n", r->ex_allow.n, r->ex_warn.n, r->ex_deny.n);
	}
	const size_t *lit, *glob;
	size_t nlit, nglob;
	policy_rules_for(p, "pm2", &lit, &nlit, &glob, &nglob);
	sb_addf(&b, "index pm2: %zu literal, %zu glob\n", nlit, nglob);
	return sb_take(&b);
}

int main(void)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_dev = 42;
	st.st_ino = 4242;
	st.st_mode = S_IFREG | 0644;
	size_t tlen = sizeof text - 1, len = 0;

	struct policy parsed, got;
	policy_init(&parsed);
	is_int(policy_load_string(&parsed, "p.ini", text, tlen), 0, "the sample policy loads");
	char *want = dump(&parsed);
	char *buf = policy_cache_encode(&parsed, "p.ini", &st, text, tlen, 0, 0, &len);
	ok(buf && len > 100, "encoded (%zu bytes)", len);

	policy_init(&got);
	is_int(policy_cache_decode(&got, "p.ini", &st, text, tlen, buf, len), 0, "decoded");
	char *have = dump(&got);
	is_str(have, want, "the decoded policy equals the parsed one, field by field");
	free(have);
	policy_free(&got);

	/* After an earlier file: merged as loading merges (stricter default). */
	struct policy two_parsed, two_got;
	policy_init(&two_parsed);
	policy_load_string(&two_parsed, "host.ini", host, sizeof host - 1);
	size_t r0 = two_parsed.nrule, s0 = two_parsed.nset;
	policy_load_string(&two_parsed, "p.ini", text, tlen);
	char *buf2 = policy_cache_encode(&two_parsed, "p.ini", &st, text, tlen, r0, s0, &len);
	policy_init(&two_got);
	policy_load_string(&two_got, "host.ini", host, sizeof host - 1);
	is_int(policy_cache_decode(&two_got, "p.ini", &st, text, tlen, buf2, len), 0,
	       "decoded after another file");
	char *w2 = dump(&two_parsed), *h2 = dump(&two_got);
	is_str(h2, w2, "... the merged policies are equal");
	ok(two_got.def == V_DENY && two_got.unknown == UNKNOWN_AUTO,
	   "... with the stricter default and unknown of the two");
	free(w2);
	free(h2);
	policy_free(&two_parsed);
	policy_free(&two_got);
	free(buf2);

	/* What must be refused, leaving the policy as it was. */
	struct policy base;
	policy_init(&base);
	policy_load_string(&base, "host.ini", host, sizeof host - 1);
	char *base_dump = dump(&base);
	int bad_cut = 0;
	len = 0;
	buf = (free(buf), policy_cache_encode(&parsed, "p.ini", &st, text, tlen, 0, 0, &len));
	for (size_t cut = 0; cut < len; cut++) {
		char *c = xmalloc(cut + 1);
		memcpy(c, buf, cut);
		int r = policy_cache_decode(&base, "p.ini", &st, text, tlen, c, cut);
		char *d = dump(&base);
		if (r != -1 || strcmp(d, base_dump) != 0) {
			if (!bad_cut)
				printf("#   cut at %zu: r=%d\n%s", cut, r, d);
			bad_cut++;
		}
		free(d);
		free(c);
	}
	is_int(bad_cut, 0, "every truncation (%zu lengths) is refused; the policy is unchanged",
	       len);

	/* Every single-byte change: refused (policy unchanged) or accepted, never
	   a crash (ASan, UBSan and valgrind watch this). */
	int flips_ok = 0, unchanged_bad = 0;
	for (size_t i = 0; i < len; i++) {
		char *c = xmalloc(len);
		memcpy(c, buf, len);
		c[i] ^= (char)0x5a;
		struct policy q;
		policy_init(&q);
		policy_load_string(&q, "host.ini", host, sizeof host - 1);
		int r = policy_cache_decode(&q, "p.ini", &st, text, tlen, c, len);
		if (r == 0) {
			flips_ok++;
			for (size_t k = 0; k < q.nrule; k++)
				if (!q.rule[k].name || q.rule[k].action > V_DENY)
					unchanged_bad++;
		} else {
			char *d = dump(&q);
			if (strcmp(d, base_dump) != 0)
				unchanged_bad++;
			free(d);
		}
		policy_free(&q);
		free(c);
	}
	is_int(unchanged_bad, 0,
	       "%zu one-byte changes: %d accepted (text bytes), the rest refused "
	       "with the policy unchanged",
	       len, flips_ok);

	/* A stale entry: another text, another file, another path. */
	char other[sizeof text];
	memcpy(other, text, sizeof text);
	other[tlen - 2] = 'X';
	is_int(policy_cache_decode(&base, "p.ini", &st, other, tlen, buf, len), -1,
	       "a one-byte change of the policy text makes the entry stale");
	is_int(policy_cache_decode(&base, "p.ini", &st, text, tlen - 1, buf, len), -1,
	       "so does a shorter text");
	struct stat st2 = st;
	st2.st_ino++;
	is_int(policy_cache_decode(&base, "p.ini", &st2, text, tlen, buf, len), -1,
	       "so does another inode");
	is_int(policy_cache_decode(&base, "q.ini", &st, text, tlen, buf, len), -1,
	       "so does another path");
	char *d = dump(&base);
	is_str(d, base_dump, "after all that, the policy is unchanged");
	free(d);

	free(base_dump);
	policy_free(&base);
	free(buf);
	free(want);
	policy_free(&parsed);
	return done_testing();
}
