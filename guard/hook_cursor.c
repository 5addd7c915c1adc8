/*
 * hook_cursor.c - Cursor hooks, both shapes:
 *   beforeShellExecution: {"hook_event_name":"beforeShellExecution","command":...,"cwd":...}
 *   preToolUse:           {"hook_event_name":"preToolUse","tool_name":"Shell",
 *                          "tool_input":{"command":...,"working_directory":...},"cwd":...}
 * Out (always JSON): {"permission":"allow"}, {"permission":"ask",...} or
 * {"permission":"deny","user_message":...,"agent_message":...} (the messages
 * also as userMessage/agentMessage, Cursor 1.7's spelling).  Exit 2 also
 * denies, used only when the answer cannot be rendered.
 */
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "util.h"

static const char *const cursor_shell_tools[] = {"Shell", "run_terminal_cmd", "Terminal", NULL};

static int cursor_parse(json_t *root, struct hook_req *rq, char **err)
{
	rq->event = hook_jstr(root, "hook_event_name");
	rq->session = hook_jstr(root, "conversation_id");
	rq->tool = hook_jstr(root, "tool_name");
	const char *cwd = hook_jstr(root, "cwd");
	json_t *roots = json_object_get(root, "workspace_roots");
	if (json_is_array(roots) && json_is_string(json_array_get(roots, 0)))
		rq->project = json_string_value(json_array_get(roots, 0));
	if (!cwd)
		cwd = rq->project;
	if (cwd)
		rq->cwd = xstrdup(cwd);
	json_t *in = json_object_get(root, "tool_input");
	if (!rq->tool && !in) {
		/* beforeShellExecution: the command is at the top level */
		rq->shell = 1;
		if (hook_command_of(root, "command", &rq->command) < 0) {
			*err =
			    xstrdup("command is not a command string (a string without NUL bytes)");
			return -1;
		}
		if (!rq->command && !json_object_get(root, "command")) {
			*err = xstrdup("the payload has neither command nor tool_name");
			return -1;
		}
		return 0;
	}
	if (!rq->tool) {
		*err = xstrdup("the payload has tool_input but no tool_name");
		return -1;
	}
	if (!hook_name_in(rq->tool, cursor_shell_tools))
		return 0;
	rq->shell = 1;
	if (!json_is_object(in)) {
		*err = xasprintf("tool %s has no tool_input object", rq->tool);
		return -1;
	}
	if (hook_command_of(in, "command", &rq->command) < 0) {
		*err = xstrdup(
		    "tool_input.command is not a command string (a string without NUL bytes)");
		return -1;
	}
	const char *wd = hook_jstr(in, "working_directory");
	if (wd && *wd) {
		char *d = wd[0] == '/' || !rq->cwd ? xstrdup(wd) : xasprintf("%s/%s", rq->cwd, wd);
		free(rq->cwd);
		rq->cwd = d;
	}
	return 0;
}

/* The messages under both spellings Cursor has documented: user_message /
   agent_message (current) and userMessage / agentMessage (1.7). */
static char *cursor_answer(const char *perm, const struct hook_out *o)
{
	return hook_dump(json_pack("{s:s, s:s, s:s, s:s, s:s}", "permission", perm, "user_message",
	                           o->user, "agent_message", o->model, "userMessage", o->user,
	                           "agentMessage", o->model));
}

static char *cursor_render(const struct hook_out *o, int *status)
{
	*status = 0;
	switch (o->a) {
	case HA_PASS:
	case HA_ALLOW:
		return xstrdup("{\"permission\":\"allow\"}\n");
	case HA_DENY:
		return cursor_answer("deny", o);
	case HA_ASK:
		return cursor_answer("ask", o);
	case HA_WARN_ALLOW:
		return cursor_answer("allow", o);
	}
	return NULL;
}

const struct hook_client hook_cursor = {
    .name = "cursor",
    .can_ask = 1,
    .warn_key = NULL,
    .emergency_status = 2,
    .emergency_json = "{\"permission\":\"deny\",\"user_message\":\"guard failed and blocked "
                      "the command\",\"agent_message\":\"guard could not check this command "
                      "and blocked it. Do not retry it; tell the user.\",\"userMessage\":\"guard "
                      "failed and blocked the command\",\"agentMessage\":\"guard could not "
                      "check this command and blocked it. Do not retry it; tell the user.\"}\n",
    .parse = cursor_parse,
    .render = cursor_render,
};
