#!/usr/bin/env bash
# Every enforcement path writes its decisions to the audit log: -c, the
# shell (here reading a script on stdin) and the pre-push hook.
. "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "needs jq"
P=$TOP/policies/massage-shop.ini
export XDG_STATE_HOME=$TMP/state
unset GUARD_AUDIT_LOG
LOG=$XDG_STATE_HOME/guard/audit.log

$GUARD --policy "$P" -c 'pm2 restart all' 2>/dev/null
is "$?" 126 "-c: the line is refused"
last=$(tail -n 1 "$LOG")
is "$(jq -r .mode <<<"$last")" "-c" "-c: logged with its mode"
is "$(jq -r .verdict <<<"$last")" "deny" "-c: and the verdict"
is "$(jq -r .rule <<<"$last")" "no-pm2" "-c: and the rule"

printf 'echo fine\n' | $GUARD --policy "$P" >/dev/null 2>&1
last=$(tail -n 1 "$LOG")
is "$(jq -r .mode <<<"$last")" "shell" "shell: logged with its mode"
is "$(jq -r .command <<<"$last")" "echo fine" "shell: the command as given"

# The interactive shell: an allowed line is logged from the decision of the
# child that checked it (shell_precheck), a refused one by the shell itself;
# both the same as a script's.
printf 'echo fine-i\npm2 list\n' | (cd / && $GUARD --policy "$P" -i >/dev/null 2>&1)
allowed=$(tail -n 2 "$LOG" | head -n 1)
last=$(tail -n 1 "$LOG")
is "$(jq -r '[.mode, .command, .verdict, .cwd] | join(" ")' <<<"$allowed")" "shell echo fine-i allow /" \
	"shell -i: an allowed line is logged once, with its directory"
is "$(jq -r '[.mode, .command, .verdict, .rule] | join(" ")' <<<"$last")" "shell pm2 list deny no-pm2" \
	"shell -i: a refused line with its rule"
is "$(grep -c '"command":"echo fine-i"' "$LOG")" 1 "shell -i: no second record from the child"

# pre-push: a real push to a local bare remote
git init -q --bare "$TMP/remote.git"
git init -q -b main "$TMP/work"
cd "$TMP/work" || exit 1
git config user.email t@example.invalid
git config user.name t
mkdir .guard && cp "$P" .guard/policy.ini
printf '#!/bin/sh\npm2 start server.js\n' >deploy.sh
git add -A && git commit -qm "deploy with pm2"
git remote add origin "$TMP/remote.git"
$GUARD install pre-push >/dev/null 2>&1
is "$?" 0 "pre-push: the hook installs"
git push -q origin main >/dev/null 2>&1
isnt_rc=$?
[ "$isnt_rc" != 0 ]
ok $? "pre-push: the push is refused"
last=$(tail -n 1 "$LOG")
is "$(jq -r .mode <<<"$last")" "pre-push" "pre-push: logged with its mode"
is "$(jq -r .verdict <<<"$last")" "deny" "pre-push: and the verdict"
is "$(jq -r .rule <<<"$last")" "no-pm2" "pre-push: and the first refusing rule"

done_testing
