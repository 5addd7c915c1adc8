/*
 * fuzz_hook.c - the JSON hook input readers (guard/hook_*.c).
 *
 * STUB: the hook adapters have not landed on main yet, so this target only
 * parses the bytes with jansson the way a reader would (size-capped) and is
 * skipped by tests/fuzz/run until hook_parse exists.  When the hooks API
 * lands, call each client's reader here and check that a malformed payload
 * always yields a deny (never "carry on").
 *
 * requires: hook_parse
 * dict: json.dict
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	json_decref(j);
	return 0;
}
