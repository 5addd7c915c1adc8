/* policy_keys.c - the table of policy sections and keys (see policy_keys.h). */
#include <string.h>

#include "policy_keys.h"

const struct policy_key policy_keys[] = {
    /* core engine */
    {"guard", "default", KT_VERDICT, 0, "verdict for commands no rule matches"},
    {"guard", "unknown", KT_UNKNOWN, 0,
     "verdict for commands whose name is known only at run time"},
    {"guard", "shell", KT_PATH, 0, "shell that runs approved lines (/bin/bash)"},
    {"guard", "scrub_env", KT_LIST, 0, "more environment variables removed before running a line"},
    {"rule", "match", KT_GLOBS, 0, "glob words matched against the start of the effective command"},
    {"rule", "action", KT_VERDICT, 0, "allow | warn | deny"},
    {"rule", "reason", KT_STRING, 0, "why (the doc's sentence)"},
    {"rule", "instead", KT_STRING, 0, "the command to use instead"},
    {"rule", "see", KT_STRING, 0, "doc path:line"},
    {"rule", "ack", KT_STRING, 0, "name of an [ack NAME] section that must be acknowledged first"},
    {"rule", "confirm", KT_STRING, 0, "interactive warn: text the operator must type to go on"},
    {"rule", "example.allow", KT_STRING, 1, "a line this policy must allow"},
    {"rule", "example.warn", KT_STRING, 1, "a line this policy must warn about"},
    {"rule", "example.deny", KT_STRING, 1, "a line this policy must deny"},
    /* derive and acknowledgements */
    {"derived", "commit", KT_HEX, 0, "commit the docs were read at"},
    {"derived", "ref", KT_STRING, 0, "ref given to guard derive"},
    {"derived", "doc", KT_STRING, 1, "PATH BLOB-ID of a doc the policy was derived from"},
    {"docs", "include", KT_STRING, 1, "path glob of docs to read"},
    {"docs", "exclude", KT_STRING, 1, "path glob of docs to skip"},
    {"ack", "doc", KT_STRING, 0, "path of the doc that must be read"},
    {"ack", "section", KT_STRING, 0, "heading of the section that must be read"},
    {"ack", "blob", KT_HEX, 0, "blob id of the doc the acknowledgement is bound to"},
    {"ack", "expires", KT_DURATION, 0, "how long an acknowledgement lasts (0 = forever)"},
    /* hooks and audit log */
    {"hooks", "codex_warn", KT_VERDICT, 0, "what a warn becomes for Codex, which cannot ask"},
    {"hooks", "gemini_warn", KT_VERDICT, 0, "what a warn becomes for Gemini CLI, which cannot ask"},
    {"log", "file", KT_BOOL, 0, "append decisions to $XDG_STATE_HOME/guard/audit.log"},
    {"log", "syslog", KT_BOOL, 0, "send decisions to syslog (LOG_AUTHPRIV)"},
    {"log", "allow", KT_BOOL, 0, "log allowed commands too"},
    /* interactive shell */
    {"shell", "prompt", KT_STRING, 0, "prompt format"},
    {"shell", "banner", KT_STRING, 1, "login banner line"},
    {"shell", "idle_timeout", KT_DURATION, 0, "log out after this much idle time"},
    {"shell", "history_size", KT_INT, 0, "history lines kept"},
    {"shell", "prompt2", KT_STRING, 0, "continuation prompt for incomplete input (\"> \")"},
    {"shell", "name", KT_STRING, 0, "what this policy governs, shown by \\p in the prompt"},
    {NULL, NULL, KT_STRING, 0, NULL},
};

int policy_section_named(const char *section)
{
	return strcmp(section, "rule") == 0 || strcmp(section, "ack") == 0;
}

const struct policy_key *policy_key_find(const char *section, const char *key)
{
	for (const struct policy_key *k = policy_keys; k->section; k++)
		if (strcmp(k->section, section) == 0 && strcmp(k->key, key) == 0)
			return k;
	return NULL;
}
