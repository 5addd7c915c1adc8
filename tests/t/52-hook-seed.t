#!/bin/bash
# The seed scenario end to end: with the massage-shop policy, `pm2 restart
# all` is denied through every adapter and through the wrapper-shell forms
# (guard -c, and guard --prefix as CLAUDE_CODE_SHELL_PREFIX calls it), and the
# reason carries the doc path:line and the command to use instead.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

DOC='00-project-docs/feature-specifications/production-deployment-guide.md:18'
INSTEAD='sudo systemctl restart massage-shop'

reason_of() { # CLIENT: the text the model reads
	case $1 in
	claude | codex) printf '%s' "$out" | jq -r .hookSpecificOutput.permissionDecisionReason ;;
	gemini) printf '%s' "$out" | jq -r .reason ;;
	cursor) printf '%s' "$out" | jq -r .agent_message ;;
	copilot) printf '%s' "$out" | jq -r .permissionDecisionReason ;;
	esac
}

for c in claude codex gemini cursor copilot; do
	run_hook "$c" "$HOOKS/$c/deny.json"
	blocks "$c"
	ok $? "$c: pm2 restart all is blocked"
	r=$(reason_of "$c")
	like "$r" "pm2" "$c: the reason names what was blocked"
	like "$r" "rule: +no-pm2 \(.*/\.guard/policy\.ini:[0-9]+\)" "$c: the reason names the rule and its file:line"
	like "$r" "systemd" "$c: the reason says why (the doc's sentence)"
	like "$r" "$DOC" "$c: the reason carries the doc path:line"
	like "$r" "instead: +$INSTEAD" "$c: the reason carries the instead command"
	like "$r" "Do not run another spelling of this command" "$c: the model is told not to retry another spelling"
	like "$r" "Do not retry it in another form either: not through a wrapper" "$c: ... nor through a wrapper"
	like "$r" "^guard blocked this command; nothing was run" "$c: the reason starts with what happened"
done

# The same through Cursor's other shape and Codex's argv form.
run_hook cursor "$HOOKS/cursor/deny-pretooluse.json"
blocks cursor
ok $? "cursor preToolUse shape: blocked"
run_hook codex "$HOOKS/codex/deny-argv.json"
blocks codex
ok $? "codex [bash, -lc, script]: blocked"

# Other spellings of the same command, through the hook.
for cmd in 'sudo -u deploy pm2 restart all' "bash -c 'pm2 restart all'" 'env NODE_ENV=production pm2 restart all' \
	'cd /srv/app && /usr/local/bin/pm2 restart all' 'echo ok; npx pm2 restart all'; do
	jq --arg c "$cmd" '.tool_input.command = $c' "$HOOKS/claude/deny.json" >"$TMP/f.json"
	run_hook claude "$TMP/f.json"
	blocks claude
	ok $? "claude: $cmd: blocked"
done

# After `cd /tmp` the payload's cwd has no project policy: the session's
# project (CLAUDE_PROJECT_DIR, Cursor's workspace_roots) still decides.
mkdir -p "$TMP/elsewhere"
jq --arg d "$TMP/elsewhere" '.cwd = $d' "$HOOKS/claude/deny.json" >"$TMP/f.json"
(export CLAUDE_PROJECT_DIR=$PROJ; run_hook claude "$TMP/f.json"; blocks claude)
ok $? "claude: cwd outside the project, CLAUDE_PROJECT_DIR set: the project policy still blocks"
(export CLAUDE_PROJECT_DIR=$PROJ; run_hook claude "$TMP/f.json"; printf '%s' "$out" | grep -q "$DOC")
ok $? "... with the project's reason"
jq --arg d "$TMP/elsewhere" '.cwd = $d' "$HOOKS/cursor/deny.json" >"$TMP/f.json"
run_hook cursor "$TMP/f.json"
like "$out" "$DOC" "cursor: cwd outside the project: workspace_roots' policy blocks with its reason"

# Wrapper-shell mode.  Unimplemented forms are TODO, not passes.
cd "$PROJ" || exit 1
todo=
$GUARD -c true >/dev/null 2>"$TMP/e"
grep -q "not implemented" "$TMP/e" && todo=" # TODO guard -c is not on this branch yet"
$GUARD -c 'pm2 restart all' >"$TMP/o" 2>"$TMP/e"
st=$?
is "$st" 126 "guard -c 'pm2 restart all': exit 126, nothing ran$todo"
like "$(cat "$TMP/e")" "$DOC" "guard -c: the message carries the doc path:line$todo"
like "$(cat "$TMP/e")" "$INSTEAD" "guard -c: the message carries the instead command$todo"
# CLAUDE_CODE_SHELL_PREFIX: Claude Code runs `PREFIX 'the command'`.
$GUARD --prefix 'pm2 restart all' >/dev/null 2>"$TMP/e"
is "$?" 126 "guard --prefix 'pm2 restart all' (CLAUDE_CODE_SHELL_PREFIX form): exit 126$todo"
out=$($GUARD --prefix 'echo hello; printf "%s\n" "$0"' 2>/dev/null)
like "$out" "^hello" "guard --prefix passes an allowed command through to bash$todo"
# A prefix sees hook commands too: guard's own hook must pass through.
out=$(printf '%s' "$(sed "s|@PROJ@|$PROJ|g" "$HOOKS/claude/allow.json")" |
	$GUARD --prefix "$GUARD hook claude" 2>/dev/null)
st=$?
is "$st:$out" "0:" "guard --prefix '$GUARD hook claude' runs the hook (allow = no output)$todo"
out=$(sed "s|@PROJ@|$PROJ|g" "$HOOKS/claude/deny.json" | $GUARD --prefix "$GUARD hook claude" 2>/dev/null)
like "$out" '"permissionDecision":"deny"' "a hook run through the prefix still denies$todo"

done_testing
