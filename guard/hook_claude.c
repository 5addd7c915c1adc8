/*
 * hook_claude.c - Claude Code PreToolUse hooks.
 *
 * In:  {"hook_event_name":"PreToolUse","tool_name":"Bash","cwd":...,
 *       "tool_input":{"command":...},"session_id":...}
 * Out: deny/ask: exit 0 + {"hookSpecificOutput":{"hookEventName":"PreToolUse",
 *      "permissionDecision":"deny"|"ask","permissionDecisionReason":...}};
 *      allow: exit 0 and no output (the normal permission flow goes on).
 * Exit 1 (or any status but 0 and 2) would let the command run: never used.
 */
#include "hook.h"

static const char *const claude_shell_tools[] = {"Bash", "PowerShell", NULL};

static int claude_parse(json_t *root, struct hook_req *rq, char **err)
{
	return hook_parse_claude_shape(root, rq, err, claude_shell_tools);
}

const struct hook_client hook_claude = {
    .name = "claude",
    .can_ask = 1,
    .warn_key = NULL,
    .emergency_status = 2,
    .emergency_json = NULL,
    .parse = claude_parse,
    .render = hook_render_claude_shape,
};
