/*
 * hook_copilot.c - GitHub Copilot CLI preToolUse hooks.
 *
 * In:  {"timestamp":...,"cwd":...,"toolName":"bash","toolArgs":"{\"command\":...}"}
 *      toolArgs is JSON inside a string (the SDK passes an object: both work).
 * Out: deny/ask: exit 0 + {"permissionDecision":"deny"|"ask","permissionDecisionReason":...};
 *      allow: exit 0 and no output.
 */
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "util.h"

static const char *const copilot_shell_tools[] = {"bash", "shell", "powershell", NULL};

static int copilot_parse(json_t *root, struct hook_req *rq, char **err)
{
	rq->tool = hook_jstr(root, "toolName");
	rq->session = hook_jstr(root, "sessionId");
	const char *cwd = hook_jstr(root, "cwd");
	if (cwd)
		rq->cwd = xstrdup(cwd);
	if (!rq->tool) {
		*err = xstrdup("the payload has no toolName");
		return -1;
	}
	if (!hook_name_in(rq->tool, copilot_shell_tools))
		return 0;
	rq->shell = 1;
	json_t *args = json_object_get(root, "toolArgs");
	json_t *owned = NULL;
	if (json_is_string(args)) {
		json_error_t je;
		owned = json_loadb(json_string_value(args), json_string_length(args),
		                   JSON_REJECT_DUPLICATES, &je);
		if (!owned) {
			*err = xasprintf("toolArgs is not valid JSON: %s", je.text);
			return -1;
		}
		args = owned;
	}
	int r = 0;
	if (!json_is_object(args)) {
		*err = xstrdup("toolArgs is not a JSON object");
		r = -1;
	} else if (hook_command_of(args, "command", &rq->command) < 0) {
		*err = xstrdup(
		    "toolArgs.command is not a command string (a string without NUL bytes)");
		r = -1;
	}
	json_decref(owned);
	return r;
}

static char *copilot_render(const struct hook_out *o, int *status)
{
	*status = 0;
	switch (o->a) {
	case HA_PASS:
	case HA_ALLOW:
		return xstrdup("");
	case HA_DENY:
	case HA_ASK:
		return hook_dump(json_pack("{s:s, s:s}", "permissionDecision",
		                           o->a == HA_DENY ? "deny" : "ask",
		                           "permissionDecisionReason", o->model));
	case HA_WARN_ALLOW:
		return hook_dump(json_pack("{s:s}", "additionalContext", o->model));
	}
	return NULL;
}

const struct hook_client hook_copilot = {
    .name = "copilot",
    .can_ask = 1,
    .warn_key = NULL,
    .emergency_status = 0,
    .emergency_json = "{\"permissionDecision\":\"deny\",\"permissionDecisionReason\":\"guard "
                      "could not check this command and blocked it. Do not retry it; tell the "
                      "user.\"}\n",
    .parse = copilot_parse,
    .render = copilot_render,
};
