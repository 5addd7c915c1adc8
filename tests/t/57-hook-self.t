#!/bin/bash
# An assistant may not switch guard off through the hook: guard --policy,
# guard install|uninstall|ack and guard-git install-hook are denied (also
# inside guard -c / --prefix); guard's read-only commands are not.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

try() { # CLIENT COMMAND
	jq --arg c "$2" '.tool_input.command = $c' "$HOOKS/claude/allow.json" >"$TMP/f.json"
	run_hook claude "$TMP/f.json"
}
for cmd in "guard uninstall claude" "guard install claude --guard /tmp/fake" "sudo guard ack no-pm2" \
	"guard --policy /tmp/empty.ini -c 'pm2 restart all'" "guard --policy=/tmp/empty.ini" \
	"/usr/local/bin/guard uninstall all --user" "guard -c 'guard uninstall claude'" \
	"guard --prefix 'guard -c \"guard install codex\"'" "ls; guard-git install-hook --uninstall"; do
	try claude "$cmd"
	blocks claude
	ok $? "denied: $cmd"
	like "$out" "guard-self" "  names the built-in rule"
done
like "$out" "ask the user to run it themselves" "the model is told to leave it to the user"
for cmd in "guard check 'pm2 restart all'" "guard explain ls" "guard log --since 1h" "guard doctor" \
	"echo guard uninstall" "guard -c ls" "guard policy show"; do
	try claude "$cmd"
	no_objection claude
	ok $? "allowed: $cmd"
done
# The audit record names the built-in rule.
try claude "guard uninstall claude"
is "$(tail -1 "$GUARD_AUDIT_LOG" | jq -r '.verdict + " " + .rule')" "deny guard-self" "audit: deny by guard-self"
done_testing
