/*
 * hook_codex.c - OpenAI Codex CLI PreToolUse hooks.
 *
 * The payload and the deny answer have Claude's shape; tool_input.command may
 * also be an argv array.  Codex treats "ask" (and "allow" without
 * updatedInput) as unsupported and runs the command, so a warn becomes what
 * [hooks] codex_warn says: deny (default) or an allow with a systemMessage.
 * Exit 2 blocks only with non-empty stderr; guard always writes one there.
 * exec_command payloads name the command cmd and its directory workdir.
 */
#include <stdlib.h>

#include "hook.h"
#include "util.h"

static const char *const codex_shell_tools[] = {
    "Bash", "shell", "local_shell", "exec_command", "container.exec", "unified_exec", NULL,
};

static int codex_parse(json_t *root, struct hook_req *rq, char **err)
{
	int r = hook_parse_claude_shape(root, rq, err, codex_shell_tools);
	if (r < 0 || !rq->shell || rq->command)
		return r;
	/* exec_command (unified exec) names its fields cmd and workdir */
	json_t *in = json_object_get(root, "tool_input");
	if (hook_command_of(in, "cmd", &rq->command) < 0) {
		*err = xstrdup("tool_input.cmd is not a command (a string without NUL bytes, or an "
		               "argv array)");
		return -1;
	}
	const char *wd = hook_jstr(in, "workdir");
	if (rq->command && wd && *wd) {
		char *d = wd[0] == '/' || !rq->cwd ? xstrdup(wd) : xasprintf("%s/%s", rq->cwd, wd);
		free(rq->cwd);
		rq->cwd = d;
	}
	return 0;
}

const struct hook_client hook_codex = {
    .name = "codex",
    .can_ask = 0,
    .warn_key = "codex_warn",
    .emergency_status = 2,
    .emergency_json = NULL,
    .parse = codex_parse,
    .render = hook_render_claude_shape,
};
