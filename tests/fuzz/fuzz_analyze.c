/*
 * fuzz_analyze.c - the shell parser over arbitrary bytes.
 *
 * analyze() must return 0 (with or without a syntax error) or -1, never crash,
 * read out of bounds, leak, or trip UBSan, on any input.  The input is copied
 * to a buffer of exactly its size, without a NUL, so a read past the end is
 * caught by ASan.
 *
 * requires: analyze analysis_free
 * dict: shell.dict
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct analyze_opts o = {0};
	o.want_trace = size > 0 && (data[0] & 1); /* both paths */
	o.cwd = "/nonexistent";
	struct analysis a;
	if (analyze(text, size, &o, &a) == 0)
		analysis_free(&a);
	free(text);
	return 0;
}
