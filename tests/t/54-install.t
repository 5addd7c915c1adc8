#!/bin/bash
# guard install / uninstall for every client: merging with settings that
# already hold other hooks, idempotence, backups, the installed hook really
# blocks, and uninstall gives back byte-identical files.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

W=$TMP/repo
mkdir -p "$W/.git" "$W/sub" "$W/.claude" "$W/.codex" "$W/.gemini" "$W/.cursor" "$W/.github/hooks"
export HOME=$TMP/home CODEX_HOME=
mkdir -p "$HOME"

# Settings that already hold other hooks, in the authors' own formatting.
cat >"$W/.claude/settings.json" <<'J'
{
    "permissions": { "allow": ["Bash(npm run test:*)"], "deny": ["Bash(curl:*)"] },
    "hooks": {
        "PreToolUse": [
            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/other-guard.sh" } ] },
            { "matcher": "Edit|Write", "hooks": [ { "type": "command", "command": "prettier --check" } ] }
        ],
        "PostToolUse": [ { "matcher": "*", "hooks": [ { "type": "command", "command": "log.sh" } ] } ]
    },
    "env": { "LANG": "de_DE.UTF-8", "NOTE": "Grüße" }
}
J
cat >"$W/.codex/hooks.json" <<'J'
{"hooks":{"PreToolUse":[{"matcher":"^Bash$","hooks":[{"type":"command","command":"python3 ~/.codex/check.py","timeout":5}]}]}}
J
cat >"$W/.gemini/settings.json" <<'J'
{
  "theme": "GitHub",
  "hooks": {
    "BeforeTool": [
      {"matcher": "write_file", "hooks": [{"name": "lint", "type": "command", "command": "lint.sh", "timeout": 5000}]}
    ]
  }
}
J
printf '{\n\t"version": 1,\n\t"hooks": {\n\t\t"afterFileEdit": [ { "command": "./fmt.sh" } ],\n\t\t"beforeShellExecution": [ { "command": "./audit.sh" } ]\n\t}\n}\n' >"$W/.cursor/hooks.json"
cp -r "$W" "$TMP/orig"

cd "$W/sub" || exit 1
files=(claude:.claude/settings.json codex:.codex/hooks.json gemini:.gemini/settings.json
	cursor:.cursor/hooks.json copilot:.github/hooks/guard.json)
for cf in "${files[@]}"; do
	c=${cf%%:*} f=$W/${cf#*:}
	$GUARD install "$c" >"$TMP/o" 2>&1
	is "$?" 0 "$c: install exits 0"
	like "$(cat "$TMP/o")" "installed .*hook $c" "$c: says what it installed"
	jq -e . "$f" >/dev/null
	ok $? "$c: settings are valid JSON"
	like "$(cat "$f")" "$GUARD_BUILD/guard hook $c\"" "$c: guard's hook is in $f (found from a subdirectory)"
	cp "$f" "$TMP/after1"
	$GUARD install "$c" >"$TMP/o" 2>&1
	like "$(cat "$TMP/o")" "already installed" "$c: a second install says so"
	cmp -s "$f" "$TMP/after1"
	ok $? "$c: a second install changes nothing"
done

# The other hooks and settings are kept.
f=$W/.claude/settings.json
is "$(jq -c '[.hooks.PreToolUse[].hooks[].command]' "$f")" \
	"[\"~/bin/other-guard.sh\",\"prettier --check\",\"$GUARD_BUILD/guard hook claude\"]" \
	"claude: the other PreToolUse hooks are kept, guard's is added"
is "$(jq -c '[.permissions.deny, .env.NOTE, .hooks.PostToolUse[0].hooks[0].command]' "$f")" \
	'[["Bash(curl:*)"],"Grüße","log.sh"]' "claude: permissions, env and other events are kept"
is "$(jq -r '.hooks.BeforeTool[1] | .matcher + " " + (.hooks[0].timeout|tostring)' "$W/.gemini/settings.json")" \
	"run_shell_command 30000" "gemini: matcher run_shell_command, timeout in ms"
is "$(jq -c '.hooks.beforeShellExecution[1] | [.failClosed, .timeout]' "$W/.cursor/hooks.json")" \
	"[true,30]" "cursor: failClosed so a crashed hook denies"
is "$(jq -c '.hooks.preToolUse[0] | [.type, .timeoutSec]' "$W/.github/hooks/guard.json")" \
	'["command",30]' "copilot: its own file in .github/hooks"
ok "$(cmp -s "$W/.claude/settings.json.guard-backup" "$TMP/orig/.claude/settings.json"; echo $?)" \
	"claude: the backup is the file as it was"

# The installed command, run as the client would, blocks the seed scenario.
for c in claude codex gemini cursor copilot; do
	case $c in
	claude) cmd=$(jq -r '.hooks.PreToolUse[-1].hooks[0].command' "$W/.claude/settings.json") ;;
	codex) cmd=$(jq -r '.hooks.PreToolUse[-1].hooks[0].command' "$W/.codex/hooks.json") ;;
	gemini) cmd=$(jq -r '.hooks.BeforeTool[-1].hooks[0].command' "$W/.gemini/settings.json") ;;
	cursor) cmd=$(jq -r '.hooks.beforeShellExecution[-1].command' "$W/.cursor/hooks.json") ;;
	copilot) cmd=$(jq -r '.hooks.preToolUse[-1].bash' "$W/.github/hooks/guard.json") ;;
	esac
	sed "s|@PROJ@|$PROJ|g" "$HOOKS/$c/deny.json" >"$TMP/p"
	sh -c "$cmd" <"$TMP/p" >"$TMP/out" 2>"$TMP/err"
	st=$? out=$(cat "$TMP/out") err=$(cat "$TMP/err")
	blocks "$c"
	ok $? "$c: the installed hook command blocks pm2 restart all"
done

# Installed with another guard: said, and left alone.
cp "$W/.claude/settings.json" "$TMP/before"
$GUARD install claude --guard /opt/other/guard >"$TMP/o" 2>&1
like "$(cat "$TMP/o")" "already installed .* with another guard" "install with another guard path: says so"
cmp -s "$W/.claude/settings.json" "$TMP/before"
ok $? "install with another guard path: file unchanged"

# Uninstall: byte-identical, no leftovers; the created file is removed.
for cf in "${files[@]}"; do
	c=${cf%%:*} rel=${cf#*:}
	$GUARD uninstall "$c" >"$TMP/o" 2>&1
	is "$?" 0 "$c: uninstall exits 0"
	if [ -e "$TMP/orig/$rel" ]; then
		cmp -s "$W/$rel" "$TMP/orig/$rel"
		ok $? "$c: $rel is byte-identical to before the install"
	else
		ok "$([ ! -e "$W/$rel" ]; echo $?)" "$c: $rel, created by install, is gone"
	fi
	ok "$(ls "$W/$rel".guard-* >/dev/null 2>&1; [ $? -ne 0 ]; echo $?)" "$c: no backup or marker left"
	$GUARD uninstall "$c" >"$TMP/o" 2>&1
	like "$(cat "$TMP/o")" "not installed" "$c: a second uninstall says not installed"
done

# Changes made after the install survive an uninstall; only guard's entry goes.
$GUARD install claude >/dev/null
jq '.env.NEW = "1"' "$f" >"$TMP/x" && cat "$TMP/x" >"$f"
$GUARD uninstall claude >"$TMP/o"
like "$(cat "$TMP/o")" "changed since the install" "uninstall after other edits: says so"
is "$(jq -c '[.env.NEW, [.hooks.PreToolUse[].hooks[].command]]' "$f")" \
	'["1",["~/bin/other-guard.sh","prettier --check"]]' "the later edit stays, guard's hook goes"
rm -f "$f".guard-backup
cp "$TMP/orig/.claude/settings.json" "$f"

# --prefix: Claude Code's CLAUDE_CODE_SHELL_PREFIX, next to the other env keys.
$GUARD install claude --prefix >"$TMP/o"
like "$(cat "$TMP/o")" "set env.CLAUDE_CODE_SHELL_PREFIX" "install --prefix: says so"
pre=$(jq -r '.env.CLAUDE_CODE_SHELL_PREFIX' "$f")
is "$pre" "$GUARD_BUILD/guard --prefix" "install --prefix: env.CLAUDE_CODE_SHELL_PREFIX is guard --prefix"
is "$(jq -c '.env | del(.CLAUDE_CODE_SHELL_PREFIX)' "$f")" '{"LANG":"de_DE.UTF-8","NOTE":"Grüße"}' "the other env keys stay"
(cd "$PROJ" && sh -c "$pre 'pm2 restart all'" >/dev/null 2>&1)
is "$?" 126 "the prefix as Claude Code runs it: pm2 restart all exits 126"
out=$(cd "$PROJ" && sh -c "$pre 'echo through-guard'" 2>/dev/null)
is "$out" "through-guard" "the prefix as Claude Code runs it: an allowed command runs"
$GUARD uninstall claude >/dev/null
cmp -s "$f" "$TMP/orig/.claude/settings.json"
ok $? "uninstall after install --prefix: byte-identical"
jq '.env.CLAUDE_CODE_SHELL_PREFIX = "/usr/bin/other-wrapper"' "$f" >"$TMP/x" && cp "$TMP/x" "$TMP/x2" && cat "$TMP/x" >"$f"
$GUARD install claude --prefix >/dev/null 2>"$TMP/e"
ok "$([ $? -ne 0 ]; echo $?)" "install --prefix over another prefix: refused"
cmp -s "$f" "$TMP/x2"
ok $? "install --prefix over another prefix: file untouched"
cp "$TMP/orig/.claude/settings.json" "$f"
rm -f "$f".guard-*

# --user writes under $HOME (and $CODEX_HOME for Codex).
$GUARD install claude --user >/dev/null
ok "$(jq -e '.hooks.PreToolUse[0].hooks[0].command | endswith("guard hook claude")' "$HOME/.claude/settings.json" >/dev/null; echo $?)" \
	"--user: ~/.claude/settings.json"
$GUARD uninstall claude --user >/dev/null
ok "$([ ! -e "$HOME/.claude/settings.json" ]; echo $?)" "--user uninstall removes the file it created"
CODEX_HOME=$TMP/ch $GUARD install codex --user >/dev/null
ok "$([ -s "$TMP/ch/hooks.json" ]; echo $?)" "--user codex: \$CODEX_HOME/hooks.json"
$GUARD install copilot --user >/dev/null 2>"$TMP/e"
ok "$([ $? -ne 0 ]; echo $?)" "copilot --user: refused (hooks live in the repository)"

# A settings file guard cannot parse is left alone.
printf '{ "hooks": { // comment\n}\n' >"$W/.gemini/settings.json"
cp "$W/.gemini/settings.json" "$TMP/bad"
$GUARD install gemini >/dev/null 2>"$TMP/e"
ok "$([ $? -ne 0 ]; echo $?)" "unparseable settings: install fails"
like "$(cat "$TMP/e")" "settings.json:1:[0-9]+: .*not changed" "unparseable settings: file:line: message"
cmp -s "$W/.gemini/settings.json" "$TMP/bad"
ok $? "unparseable settings: the file is untouched"

done_testing
