#!/bin/bash
# The acknowledgement gate through a hook: a command whose rule needs an
# acknowledgement is denied with the doc's section but without the code (the
# model must not acknowledge for the user), guard ack from the model is
# refused, and once the user has acknowledged, the hook allows the command.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"
command -v git >/dev/null || skip_all "git not installed"
export XDG_STATE_HOME=$TMP/state HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GUARD_AUDIT_LOG=$TMP/audit.log
mkdir -p "$HOME"
R=$TMP/repo
sh "$TOP/share/examples/mkrepo.sh" "$R" >/dev/null 2>&1
(cd "$R" && $GUARD derive 2>/dev/null)
ok $? "derived the seed repository's policy"
P=$R/.guard/policy.ini
N=production-deployment-guide
grep -q "^ack = $N" "$P"
ok $? "a rule of it needs [ack $N]"

hook() { # CLIENT COMMAND
	local set='.tool_input.command = $c'
	[ "$1" = cursor ] && set='.command = $c'
	jq --arg c "$2" --arg d "$R" "$set | .cwd = \$d" "$HOOKS/$1/allow.json" >"$TMP/f.json"
	run_hook_raw "$1" "$TMP/f.json"
}
tok=$($GUARD ack --policy "$P" $N | sed -n "s/^    guard ack $N //p")
like "$tok" "^[0-9a-f]{6}$" "the code the user would type"

for c in claude cursor; do
	hook $c "systemctl restart massage-shop"
	blocks $c
	ok $? "$c: before the acknowledgement, the gated command is denied"
	like "$out" "PM2 should not be installed or used" "$c: the model is shown the section"
	unlike "$out" "$tok" "$c: ... but never the code"
	like "$out" "Only the user can acknowledge this" "$c: ... and told to leave it to the user"
done
hook claude "guard ack $N $tok"
blocks claude
ok $? "guard ack from the model is refused"
is "$($GUARD ack --policy "$P" --list | awk -v n=$N '$1 == n { print $2 }')" needed "... nothing was acknowledged"

$GUARD ack --policy "$P" $N "$tok" >/dev/null 2>&1
ok $? "the user acknowledges"
for c in claude cursor; do
	hook $c "systemctl restart massage-shop"
	no_objection $c
	ok $? "$c: after the user's acknowledgement, the command is allowed"
done
hook claude "pm2 restart all"
blocks claude
ok $? "pm2 restart all is still denied"
done_testing
