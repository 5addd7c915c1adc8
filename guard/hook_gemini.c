/*
 * hook_gemini.c - Gemini CLI BeforeTool hooks.
 *
 * In:  {"hook_event_name":"BeforeTool","tool_name":"run_shell_command","cwd":...,
 *       "tool_input":{"command":...,"dir_path":...}}
 * Out: deny: exit 0 + {"decision":"deny","reason":FOR-THE-MODEL,"systemMessage":FOR-THE-USER};
 *      allow: exit 0 + {}.  Gemini hooks have no "ask", so a warn is decided
 *      by [hooks] gemini_warn (deny by default, or allow with a systemMessage).
 */
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "util.h"

static const char *const gemini_shell_tools[] = {"run_shell_command", NULL};

static int gemini_parse(json_t *root, struct hook_req *rq, char **err)
{
	int r = hook_parse_claude_shape(root, rq, err, gemini_shell_tools);
	if (r < 0 || !rq->shell)
		return r;
	/* dir_path: the directory the command runs in, relative to cwd */
	const char *dir = hook_jstr(json_object_get(root, "tool_input"), "dir_path");
	if (dir && *dir) {
		char *d =
		    dir[0] == '/' || !rq->cwd ? xstrdup(dir) : xasprintf("%s/%s", rq->cwd, dir);
		free(rq->cwd);
		rq->cwd = d;
	}
	return 0;
}

static char *gemini_render(const struct hook_out *o, int *status)
{
	*status = 0;
	switch (o->a) {
	case HA_PASS:
	case HA_ALLOW:
		return xstrdup("{}\n");
	case HA_DENY:
	case HA_ASK: /* not produced: can_ask is 0 */
		return hook_dump(json_pack("{s:s, s:s, s:s}", "decision", "deny", "reason",
		                           o->model, "systemMessage", o->user));
	case HA_WARN_ALLOW:
		return hook_dump(json_pack("{s:s}", "systemMessage", o->user));
	}
	return NULL;
}

const struct hook_client hook_gemini = {
    .name = "gemini",
    .can_ask = 0,
    .warn_key = "gemini_warn",
    .emergency_status = 2,
    .emergency_json = NULL,
    .parse = gemini_parse,
    .render = gemini_render,
};
