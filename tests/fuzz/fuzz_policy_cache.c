/*
 * fuzz_policy_cache.c - the compiled-policy reader (policy_cache.c) over
 * arbitrary entry bodies.
 *
 * Random bytes never get past an entry's header (it names the guard binary,
 * the policy file and a hash of its text), so each input is appended to a
 * valid header for a fixed text: the fuzzer then exercises the body reader.
 * It must never crash or leak; a refused entry leaves the policy exactly as
 * it was (here: one host file already loaded); an accepted one has rules
 * with names, valid actions and NULL-terminated match words.
 *
 * requires: policy_init policy_load_string policy_cache_encode policy_cache_decode policy_free
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"
#include "policy_cache.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char text[] = "[rule x]\nmatch = x\naction = deny\n";
static const char host[] = "[guard]\ndefault = warn\nunknown = deny\nshell = /bin/sh\n"
                           "[rule h]\nmatch = h *\naction = warn\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *hdr;
	static size_t hlen;
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_dev = 7;
	st.st_ino = 77;
	if (!hdr) {
		/* an entry with no settings and no rules: header, 0, 0, trailer */
		struct policy e;
		policy_init(&e);
		size_t n = 0;
		hdr = policy_cache_encode(&e, "fuzz.ini", &st, text, sizeof text - 1, 0, 0, &n);
		hlen = n - 12;
		policy_free(&e);
	}
	char *buf = malloc(hlen + size + 1);
	if (!buf)
		return 0;
	memcpy(buf, hdr, hlen);
	memcpy(buf + hlen, data, size);
	struct policy p;
	policy_init(&p);
	policy_load_string(&p, "host.ini", host, sizeof host - 1);
	size_t nrule = p.nrule, nset = p.nset, nfiles = p.files.n;
	enum verdict def = p.def;
	int unknown = p.unknown;
	const char *shell = p.shell;
	int r = policy_cache_decode(&p, "fuzz.ini", &st, text, sizeof text - 1, buf, hlen + size);
	CHECK(r == 0 || r == -1);
	if (r < 0) {
		CHECK(p.nrule == nrule && p.nset == nset && p.files.n == nfiles);
		CHECK(p.def == def && p.unknown == unknown && p.shell == shell);
	} else {
		CHECK(p.files.n == nfiles + 1);
		for (size_t i = 0; i < p.nrule; i++) {
			const struct rule *ru = &p.rule[i];
			CHECK(ru->name && ru->file);
			CHECK(ru->action == V_ALLOW || ru->action == V_WARN ||
			      ru->action == V_DENY);
			CHECK(ru->nmatch >= 0 && ru->match && ru->match[ru->nmatch] == NULL);
			for (size_t k = 0; k < ru->nex; k++)
				CHECK(ru->ex[k].text);
		}
		const size_t *lit, *glob;
		size_t nlit, nglob;
		policy_rules_for(&p, "x", &lit, &nlit, &glob, &nglob);
		for (size_t k = 0; k < nlit; k++)
			CHECK(lit[k] < p.nrule);
	}
	policy_free(&p);
	free(buf);
	return 0;
}
