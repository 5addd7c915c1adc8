/*
 * fuzz_brace.c - brace expansion (brace.c) over arbitrary word text.
 *
 * brace_expand_src must never crash, leak or read past the text (it gets a
 * buffer of exactly the input's size, no NUL).  Properties:
 *   - BRACE_NONE and BRACE_LIMIT leave no results; BRACE_LIMIT says why;
 *   - BRACE_EXPANDED has 1..BRACE_MAX_RESULTS results, each NUL-terminated,
 *     and the work it reports is at most BRACE_MAX_WORK;
 *   - a word with no '{' is never expanded;
 *   - expanding the same bytes twice gives the same results.
 *
 * requires: brace_expand_src brace_result_free
 * dict: shell.dict
 * max_len: 4200
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brace.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct brace_result r, r2;
	const char *why = NULL, *why2 = NULL;
	enum brace_status st = brace_expand_src(text, size, &r, &why);
	CHECK(st == BRACE_NONE || st == BRACE_EXPANDED || st == BRACE_LIMIT);
	if (st != BRACE_EXPANDED)
		CHECK(r.n == 0 && r.v == NULL);
	if (st == BRACE_LIMIT)
		CHECK(why != NULL && *why);
	if (!memchr(text, '{', size))
		CHECK(st == BRACE_NONE);
	if (st == BRACE_EXPANDED) {
		CHECK(r.n >= 1 && r.n <= BRACE_MAX_RESULTS);
		CHECK(r.work <= BRACE_MAX_WORK);
		for (size_t i = 0; i < r.n; i++)
			CHECK(r.v[i] != NULL);
	}
	enum brace_status st2 = brace_expand_src(text, size, &r2, &why2);
	CHECK(st2 == st && r2.n == r.n && r2.truncated == r.truncated);
	for (size_t i = 0; i < r.n; i++)
		CHECK(strcmp(r.v[i], r2.v[i]) == 0);
	if (st == BRACE_EXPANDED) {
		brace_result_free(&r);
		brace_result_free(&r2);
	}
	free(text);
	return 0;
}
