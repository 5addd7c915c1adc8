#!/bin/bash
# guard doctor runs each installed hook the way its client would and proves a
# denied command comes back as a deny that client enforces.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

W=$TMP/repo
mkdir -p "$W/.git" "$W/.guard" "$TMP/home"
cp "$PROJ/.guard/policy.ini" "$W/.guard/policy.ini"
export HOME=$TMP/home CODEX_HOME=
cd "$W" || exit 1

$GUARD doctor >"$TMP/o" 2>&1
is "$?" 0 "nothing installed: exit 0"
like "$(cat "$TMP/o")" "no assistant hooks installed" "nothing installed: says how to install"
like "$(cat "$TMP/o")" "policy: $W/.guard/policy.ini" "shows the policy that applies"

$GUARD install all >/dev/null
$GUARD doctor >"$TMP/o" 2>&1
is "$?" 0 "all five installed: exit 0"
for c in claude codex gemini cursor copilot; do
	like "$(cat "$TMP/o")" "$c: $W/" "$c: settings file shown"
	is "$(grep -A3 "^$c: " "$TMP/o" | grep -c '   ok$')" 2 "$c: deny and allow probes both ok"
done
like "$(cat "$TMP/o")" "deny probe : exit 0, cursor reads it as deny   ok" "the deny probe line"

# The wrapper-shell prefix is probed too.
$GUARD install claude --prefix >/dev/null
$GUARD doctor >"$TMP/o" 2>&1
is "$?" 0 "with CLAUDE_CODE_SHELL_PREFIX: exit 0"
like "$(cat "$TMP/o")" "env.CLAUDE_CODE_SHELL_PREFIX: $GUARD_BUILD/guard --prefix" "the prefix is shown"
is "$(grep -A2 'CLAUDE_CODE_SHELL_PREFIX' "$TMP/o" | grep -cE 'probe ?: exit .*   ok$')" 2 "prefix: deny and allow probes ok"
jq '.env.CLAUDE_CODE_SHELL_PREFIX = "env"' .claude/settings.json >"$TMP/s" && cat "$TMP/s" >.claude/settings.json
$GUARD doctor >"$TMP/o" 2>&1
is "$?" 1 "a prefix that checks nothing: exit 1"
like "$(cat "$TMP/o")" "deny probe : exit [0-9]+   FAIL" "a prefix that checks nothing is reported"
jq 'del(.env)' .claude/settings.json >"$TMP/s" && cat "$TMP/s" >.claude/settings.json

# A hook that fails open (exit 1, as many hand-written hooks do) is caught.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "BLOCKED" >&2\nexit 1\n' >"$TMP/bin/guard"
chmod +x "$TMP/bin/guard"
jq --arg c "$TMP/bin/guard hook claude" '.hooks.PreToolUse[-1].hooks[0].command = $c' \
	.claude/settings.json >"$TMP/s" && cat "$TMP/s" >.claude/settings.json
$GUARD doctor >"$TMP/o" 2>&1
is "$?" 1 "a hook exiting 1: doctor exits 1"
like "$(cat "$TMP/o")" "deny probe : exit 1, claude reads it as run   FAIL" "a hook exiting 1 is reported as letting the command run"

# A hook whose program is missing (exit 127) is caught too.
jq '.hooks.beforeShellExecution[-1].command = "/nonexistent/guard hook cursor"' .cursor/hooks.json >"$TMP/s" &&
	cat "$TMP/s" >.cursor/hooks.json
$GUARD doctor >"$TMP/o" 2>&1
like "$(cat "$TMP/o")" "deny probe : exit 127, cursor reads it as run   FAIL" "a missing hook program is reported"

# A policy with errors is reported.
printf '[rule x]\naction = sometimes\n' >>"$W/.guard/policy.ini"
$GUARD doctor >"$TMP/o" 2>&1
is "$?" 1 "policy errors: exit 1"
like "$(cat "$TMP/o")" "policy: [0-9]+ error" "policy errors are shown"
done_testing
