/*
 * fuzz_decide.c - fail-closed properties of the decision on any input.
 *
 * With a fixed policy that denies pm2 and allows everything else:
 *   - a line that cannot be analysed (analysis error) is denied;
 *   - when any effective command is pm2 (by name, not dynamic), the line is
 *     denied: the line's verdict is the strictest of its commands;
 *   - the line's verdict is never milder than any command's verdict;
 *   - decide_line returns 0 or -1, and -1 means deny.
 *
 * requires: decide_line decision_free policy_load_string policy_init policy_free
 * dict: shell.dict
 * max_len: 2048
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "policy.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy_text[] = "[guard]\n"
                                  "default = allow\n"
                                  "unknown = warn\n"
                                  "\n"
                                  "[rule no-pm2]\n"
                                  "match = pm2\n"
                                  "action = deny\n"
                                  "reason = The app is run by systemd.\n"
                                  "instead = sudo systemctl restart app\n";

static struct policy pol;
static int pol_ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!pol_ready) {
		policy_init(&pol);
		CHECK(policy_load_string(&pol, "fuzz.ini", policy_text, sizeof policy_text - 1) ==
		      0);
		pol_ready = 1;
	}
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct decide_opts o = {0};
	o.cwd = "/nonexistent";
	struct decision d;
	memset(&d, 0, sizeof d);
	int r = decide_line(&pol, text, size, &o, &d);
	CHECK(r == 0 || r == -1);
	if (r == -1 || d.error || d.an.error)
		CHECK(d.v == V_DENY);
	for (size_t i = 0; i < d.ncv; i++) {
		const struct cmd_verdict *cv = &d.cv[i];
		CHECK(cv->v <= d.v);
		if (cv->cmd && cv->cmd->argc >= 1 && !(cv->cmd->flags & CMD_DYNAMIC_NAME) &&
		    strcmp(cv->cmd->argv[0], "pm2") == 0)
			CHECK(d.v == V_DENY && cv->v == V_DENY);
	}
	for (size_t i = 0; i < d.an.ncmd; i++) {
		const struct ecmd *c = &d.an.cmd[i];
		if (c->argc >= 1 && !(c->flags & CMD_DYNAMIC_NAME) &&
		    strcmp(c->argv[0], "pm2") == 0)
			CHECK(d.v == V_DENY);
	}
	decision_free(&d);
	free(text);
	return 0;
}
