/*
 * fuzz_check.h - CHECK(c): a property of a fuzz target; a violation prints
 * the property and aborts, which libFuzzer reports as a crash with the input.
 */
#ifndef GUARD_FUZZ_CHECK_H
#define GUARD_FUZZ_CHECK_H
#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "property failed: %s (%s:%d)\n", #c, __FILE__, __LINE__);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
