/*
 * fuzz_policy.c - the policy reader over arbitrary bytes.
 *
 * policy_load_string() must never crash or leak, must report every problem
 * as "name:line: message" (one of the lines of the input, or line 0 for the
 * whole file), and the examples check must run on whatever was loaded.
 *
 * requires: policy_init policy_load_string policy_merged_examples policy_free
 * dict: ini.dict
 * max_len: 2048
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct policy p;
	policy_init(&p);
	int n = policy_load_string(&p, "fuzz.ini", text, size);
	CHECK(n >= 0);
	CHECK((size_t)n <= p.errors.n);
	for (size_t i = 0; i < p.errors.n; i++)
		CHECK(strncmp(p.errors.v[i], "fuzz.ini:", 9) == 0);
	for (size_t i = 0; i < p.nrule; i++) {
		CHECK(p.rule[i].name != NULL);
		CHECK(p.rule[i].action == V_ALLOW || p.rule[i].action == V_WARN ||
		      p.rule[i].action == V_DENY);
	}
	if (n == 0) { /* the examples were decided while loading */
		struct strv notes = {0};
		CHECK(policy_merged_examples(&p, &notes) == 0); /* one scope */
		sv_free(&notes);
	}
	policy_free(&p);
	free(text);
	return 0;
}
