/* hook_install.c - the table of client settings files (hook_install.h). */
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "hook_install.h"
#include "util.h"

static json_t *h_claude(const char *cmd)
{
	return json_pack("{s:s, s:s, s:i}", "type", "command", "command", cmd, "timeout", 30);
}

static json_t *h_gemini(const char *cmd)
{
	/* Gemini's timeout is in milliseconds */
	return json_pack("{s:s, s:s, s:s, s:i}", "name", "guard", "type", "command", "command", cmd,
	                 "timeout", 30000);
}

static json_t *h_cursor(const char *cmd)
{
	return json_pack("{s:s, s:i, s:b}", "command", cmd, "timeout", 30, "failClosed", 1);
}

static json_t *h_copilot(const char *cmd)
{
	return json_pack("{s:s, s:s, s:i}", "type", "command", "bash", cmd, "timeoutSec", 30);
}

static json_t *p_claude(const char *cwd, const char *cmd)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "session_id", "guard-doctor", "cwd", cwd,
	                 "hook_event_name", "PreToolUse", "tool_name", "Bash", "tool_input",
	                 "command", cmd);
}

static json_t *p_gemini(const char *cwd, const char *cmd)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "session_id", "guard-doctor", "cwd", cwd,
	                 "hook_event_name", "BeforeTool", "tool_name", "run_shell_command",
	                 "tool_input", "command", cmd);
}

static json_t *p_cursor(const char *cwd, const char *cmd)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "hook_event_name", "beforeShellExecution",
	                 "conversation_id", "guard-doctor", "command", cmd, "cwd", cwd,
	                 "workspace_roots", cwd);
}

static json_t *p_copilot(const char *cwd, const char *cmd)
{
	json_t *args = json_pack("{s:s}", "command", cmd);
	char *a = json_dumps(args, JSON_COMPACT);
	json_decref(args);
	json_t *r = json_pack("{s:i, s:s, s:s, s:s}", "timestamp", 0, "cwd", cwd, "toolName",
	                      "bash", "toolArgs", a ? a : "{}");
	free(a);
	return r;
}

const struct hook_site hook_sites[] = {
    {"claude", ".claude/settings.json", ".claude/settings.json", NULL, "PreToolUse", "Bash",
     "command", "{}", h_claude, p_claude},
    {"codex", ".codex/hooks.json", ".codex/hooks.json", "CODEX_HOME", "PreToolUse",
     "Bash|shell|local_shell|exec_command|unified_exec", "command", "{}", h_claude, p_claude},
    {"gemini", ".gemini/settings.json", ".gemini/settings.json", NULL, "BeforeTool",
     "run_shell_command", "command", "{}", h_gemini, p_gemini},
    {"cursor", ".cursor/hooks.json", ".cursor/hooks.json", NULL, "beforeShellExecution", NULL,
     "command", "{\"version\":1}", h_cursor, p_cursor},
    {"copilot", ".github/hooks/guard.json", NULL, NULL, "preToolUse", NULL, "bash",
     "{\"version\":1}", h_copilot, p_copilot},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct hook_site *hook_site_find(const char *client)
{
	const struct hook_client *c = hook_client_find(client);
	if (!c)
		return NULL;
	for (const struct hook_site *s = hook_sites; s->client; s++)
		if (strcmp(s->client, c->name) == 0)
			return s;
	return NULL;
}

char *hook_site_path(const struct hook_site *s, int user, const char *dir)
{
	if (!user)
		return xasprintf("%s/%s", dir, s->project_file);
	if (!s->user_file)
		return NULL;
	const char *e = s->home_env ? getenv(s->home_env) : NULL;
	if (e && *e) /* e.g. $CODEX_HOME/hooks.json */
		return xasprintf("%s/%s", e, base_name(s->user_file));
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	return xasprintf("%s/%s", home, s->user_file);
}

int hook_site_is_ours(const struct hook_site *s, const json_t *h)
{
	const char *cmd = hook_jstr(h, s->cmd_key);
	if (!cmd)
		return 0;
	/* "<...>/guard hook CLIENT" (the path may be quoted) */
	char *suffix = xasprintf(" hook %s", s->client);
	size_t n = strlen(cmd), k = strlen(suffix);
	int r = 0;
	if (n > k && strcmp(cmd + n - k, suffix) == 0) {
		size_t w = n - k;
		while (w && (cmd[w - 1] == '\'' || cmd[w - 1] == '"'))
			w--;
		r = w >= 5 && memcmp(cmd + w - 5, "guard", 5) == 0 &&
		    (w == 5 || cmd[w - 6] == '/' || cmd[w - 6] == '\'' || cmd[w - 6] == '"' ||
		     cmd[w - 6] == ' ');
	}
	free(suffix);
	return r;
}

int hook_site_each_ours(const struct hook_site *s, const json_t *root,
                        void (*fn)(const char *cmd, void *ctx), void *ctx)
{
	json_t *ev = json_object_get(json_object_get(root, "hooks"), s->event);
	size_t i, k;
	json_t *g, *h;
	int n = 0;
	json_array_foreach(ev, i, g)
	{
		if (s->matcher) {
			json_array_foreach(json_object_get(g, "hooks"), k,
			                   h) if (hook_site_is_ours(s, h))
			{
				n++;
				if (fn)
					fn(hook_jstr(h, s->cmd_key), ctx);
			}
		} else if (hook_site_is_ours(s, g)) {
			n++;
			if (fn)
				fn(hook_jstr(g, s->cmd_key), ctx);
		}
	}
	return n;
}
