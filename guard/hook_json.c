/* hook_json.c - helpers shared by the assistant hook adapters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "util.h"

const struct hook_client *const hook_clients[] = {
    &hook_claude, &hook_codex, &hook_gemini, &hook_cursor, &hook_copilot, NULL,
};

const struct hook_client *hook_client_find(const char *name)
{
	if (strncmp(name, "--", 2) == 0)
		name += 2;
	for (size_t i = 0; hook_clients[i]; i++)
		if (strcmp(hook_clients[i]->name, name) == 0)
			return hook_clients[i];
	/* cc-safety-net's spellings, so a configuration can be switched over */
	if (strcmp(name, "claude-code") == 0 || strcmp(name, "coding-cli") == 0)
		return &hook_claude;
	if (strcmp(name, "gemini-cli") == 0)
		return &hook_gemini;
	if (strcmp(name, "copilot-cli") == 0)
		return &hook_copilot;
	return NULL;
}

const char *hook_jstr(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int hook_name_in(const char *s, const char *const *names)
{
	if (!s)
		return 0;
	for (; *names; names++)
		if (strcmp(s, *names) == 0)
			return 1;
	return 0;
}

int hook_command_of(const json_t *input, const char *key, char **out)
{
	*out = NULL;
	json_t *v = json_object_get(input, key);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		/* a NUL inside: bash would run something other than what is checked */
		if (memchr(json_string_value(v), 0, json_string_length(v)))
			return -1;
		*out = xstrndup(json_string_value(v), json_string_length(v));
		return 0;
	}
	if (!json_is_array(v))
		return -1;
	size_t n = json_array_size(v);
	for (size_t i = 0; i < n; i++) {
		json_t *w = json_array_get(v, i);
		if (!json_is_string(w) || memchr(json_string_value(w), 0, json_string_length(w)))
			return -1;
	}
	/* ["bash", "-lc", SCRIPT]: the script is what runs.  Anything else is
	   rebuilt as a quoted command line, so the analyser sees the argv. */
	if (n == 3) {
		const char *sh = base_name(json_string_value(json_array_get(v, 0)));
		const char *fl = json_string_value(json_array_get(v, 1));
		static const char *const shells[] = {"bash", "sh", "zsh", "dash", "ksh", NULL};
		if (hook_name_in(sh, shells) && (strcmp(fl, "-c") == 0 || strcmp(fl, "-lc") == 0)) {
			json_t *s = json_array_get(v, 2);
			*out = xstrndup(json_string_value(s), json_string_length(s));
			return 0;
		}
	}
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&b, ' ');
		sb_add_shword(&b, json_string_value(json_array_get(v, i)));
	}
	*out = sb_take(&b);
	return 0;
}

char *hook_dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *r = xmalloc(n + 2); /* not xasprintf: vsnprintf over a long %s costs */
	memcpy(r, s, n);
	r[n] = '\n';
	r[n + 1] = 0;
	free(s);
	return r;
}

int hook_parse_claude_shape(json_t *root, struct hook_req *rq, char **err,
                            const char *const *shell_tools)
{
	rq->event = hook_jstr(root, "hook_event_name");
	rq->session = hook_jstr(root, "session_id");
	rq->tool = hook_jstr(root, "tool_name");
	const char *cwd = hook_jstr(root, "cwd");
	if (cwd)
		rq->cwd = xstrdup(cwd);
	if (!rq->tool) {
		*err = xstrdup("the payload has no tool_name");
		return -1;
	}
	if (!hook_name_in(rq->tool, shell_tools))
		return 0;
	rq->shell = 1;
	json_t *in = json_object_get(root, "tool_input");
	if (!json_is_object(in)) {
		*err = xasprintf("tool %s has no tool_input object", rq->tool);
		return -1;
	}
	if (hook_command_of(in, "command", &rq->command) < 0) {
		*err = xstrdup("tool_input.command is not a command (a string without NUL bytes, "
		               "or an argv array)");
		return -1;
	}
	return 0;
}

char *hook_render_claude_shape(const struct hook_out *o, int *status)
{
	*status = 0;
	/* Always PreToolUse: Codex refuses (and then runs the command) any other
	   hookEventName or unknown key, so the payload's event is not echoed. */
	const char *ev = "PreToolUse";
	switch (o->a) {
	case HA_PASS:
	case HA_ALLOW:
		return xstrdup("");
	case HA_DENY:
	case HA_ASK:
		return hook_dump(json_pack("{s:{s:s, s:s, s:s}}", "hookSpecificOutput",
		                           "hookEventName", ev, "permissionDecision",
		                           o->a == HA_DENY ? "deny" : "ask",
		                           "permissionDecisionReason", o->model));
	case HA_WARN_ALLOW:
		return hook_dump(json_pack("{s:s, s:{s:s, s:s}}", "systemMessage", o->user,
		                           "hookSpecificOutput", "hookEventName", ev,
		                           "additionalContext", o->model));
	}
	return NULL;
}
