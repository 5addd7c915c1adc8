/*
 * fuzz_hook.c - the JSON hook payload readers (guard/hook_*.c).
 *
 * For every client in hook_clients[], as cmd_hook does: bytes -> json_loadb
 * (JSON_REJECT_DUPLICATES) -> the client's parse().  Properties:
 *   - no crash, leak or UBSan report on any payload;
 *   - parse returns 0 or -1; -1 sets an error message (the deny reason);
 *   - on 0, a shell tool with a command yields a NUL-terminated command, and
 *     every render of every answer kind gives a non-NULL text;
 *   - a deny never renders as exit status 0 with empty output (the clients
 *     read that as "no objection").
 * The first byte picks the client, so all readers get all inputs.
 *
 * requires: hook_clients hook_client_find
 * dict: json.dict
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hook.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nclients = 0;
	while (hook_clients[nclients])
		nclients++;
	if (size < 1 || nclients == 0)
		return 0;
	const struct hook_client *c = hook_clients[data[0] % nclients];
	json_error_t je;
	json_t *root = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return 0;
	if (!json_is_object(root)) {
		json_decref(root);
		return 0;
	}
	struct hook_req rq;
	memset(&rq, 0, sizeof rq);
	char *err = NULL;
	int r = c->parse(root, &rq, &err);
	CHECK(r == 0 || r == -1);
	if (r == -1) {
		CHECK(err != NULL);
	} else {
		if (rq.command)
			(void)strlen(rq.command);
		if (rq.cwd)
			(void)strlen(rq.cwd);
		static const enum hook_answer kinds[] = {HA_PASS, HA_ALLOW, HA_ASK, HA_WARN_ALLOW,
		                                         HA_DENY};
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			struct hook_out o = {kinds[k], rq.command ? rq.command : "blocked",
			                     "blocked by guard", rq.event};
			int status = -1;
			char *text = c->render(&o, &status);
			CHECK(text != NULL);
			if (kinds[k] == HA_DENY)
				CHECK(status != 0 || text[0] != '\0');
			free(text);
		}
	}
	free(err);
	free(rq.command);
	free(rq.cwd);
	json_decref(root);
	return 0;
}
