#!/bin/bash
# The acknowledgement gate: guard ack shows a section with its code, records
# the acknowledgement per user bound to the doc's blob, asks again when the
# doc changes, honours expiry; -c denies the first gated command with the
# section's text and the way to acknowledge.  (Through a terminal, with
# tmux, is the interactive shell's test.)
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "git not installed"
export XDG_STATE_HOME=$TMP/state HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$HOME"
R=$TMP/repo
sh "$TOP/share/examples/mkrepo.sh" "$R" >/dev/null 2>&1
GUIDE=00-project-docs/feature-specifications/production-deployment-guide.md
P=$R/.guard/policy.ini
N=production-deployment-guide
(cd "$R" && $GUARD derive 2>/dev/null)
ok $? "derived"

state() { $GUARD ack --policy "$P" --list | awk -v n="$N" '/^[^ ]/ && $1 == n { print $2 }'; }
is "$(state)" needed "guard ack --list: needed before anything was acknowledged"
show=$($GUARD ack --policy "$P" $N)
ok $? "guard ack NAME shows the section"
like "$show" "## Process management" "  ... from its heading"
like "$show" "PM2 should not be installed or used" "  ... with its text"
unlike "$show" "## Everyday operations" "  ... and only that section"
tok=$(printf '%s\n' "$show" | sed -n "s/^    guard ack $N //p")
like "$tok" "^[0-9a-f]{6}$" "  ... and the 6-hex code to acknowledge it"
out=$($GUARD ack --policy "$P" $N 000000 2>&1)
rc=$?
is "$rc" 1 "a wrong code is refused (exit 1)"
like "$out" "wrong code" "  ... saying so"
is "$(state)" needed "  ... and nothing is recorded"
out=$($GUARD ack --policy "$P" $N "$tok" 2>&1)
ok $? "the right code is accepted"
is "$(state)" acknowledged "guard ack --list: acknowledged"
[ "$(stat -c %a "$XDG_STATE_HOME/guard/acks")" = 600 ]
ok $? "stored in \$XDG_STATE_HOME/guard/acks, mode 600"
blob=$(git -C "$R" rev-parse "HEAD:$GUIDE")
like "$(cat "$XDG_STATE_HOME/guard/acks")" "^$N $blob [0-9]+ $GUIDE$" "bound to the guide's blob id"
out=$(cd "$R" && $GUARD ack $N 2>&1)
like "$out" "guard ack $N $tok" "the policy is found from the work tree (.guard/policy.ini upward)"
out=$(HOME=$TMP/home2 XDG_STATE_HOME= $GUARD ack --policy "$P" --list | awk -v n="$N" '/^[^ ]/ && $1 == n { print $2 }')
is "$out" needed "per user: another HOME has not acknowledged (default ~/.local/state/guard)"

# An uncommitted edit of the guide: the section cannot be trusted.
cp "$R/$GUIDE" "$TMP/guide.bak"
echo "Edited." >>"$R/$GUIDE"
out=$($GUARD ack --policy "$P" $N 2>&1)
rc=$?
is "$rc" 1 "a guide that differs from the recorded blob is not shown"
like "$out" "not the version this policy was derived from" "  ... the policy is stale"
is "$(state)" unavailable "guard ack --list: unavailable"
cp "$TMP/guide.bak" "$R/$GUIDE"

# The guide changes (committed, re-derived): asked again, with a new code.
sed -i 's/restart in a loop\./restart in a loop. Never run `pm2 kill` either./' "$R/$GUIDE"
git -C "$R" commit -q -am "guide: more" && (cd "$R" && $GUARD derive 2>/dev/null)
is "$(state)" needed "after the guide changed: needed again"
tok2=$($GUARD ack --policy "$P" $N | sed -n "s/^    guard ack $N //p")
like "$tok2" "^[0-9a-f]{6}$" "a code for the new version"
[ "$tok2" != "$tok" ]
ok $? "  ... which differs from the old one"
out=$($GUARD ack --policy "$P" $N "$tok" 2>&1)
is "$?" 1 "the old code no longer works"
$GUARD ack --policy "$P" $N "$tok2" >/dev/null
is "$(state)" acknowledged "acknowledged again"

# Expiry: [ack NAME] expires (kept by guard derive when set by hand).
sed -i "/^\[ack $N\]/,/^$/ s/^blob = .*/&\nexpires = 5s/" "$P"
(cd "$R" && $GUARD derive 2>/dev/null)
like "$(cat "$P")" "expires = 5s" "guard derive keeps a hand-set expires"
$GUARD ack --policy "$P" $N "$tok2" >/dev/null # a fresh timestamp (valgrind is slow)
is "$(state)" acknowledged "within the expiry: acknowledged"
sleep 6
is "$(state)" expired "after it: expired"

# Through -c: the first gated command is denied with the section's text and
# how to acknowledge; after acknowledging it runs.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "RAN: $*"\n' >"$TMP/bin/sudo"
chmod +x "$TMP/bin/sudo"
sed -i '/^expires = 5s$/d' "$P"
rm -f "$XDG_STATE_HOME/guard/acks"
out=$(cd "$R" && PATH=$TMP/bin:$PATH $GUARD --policy "$P" -c 'sudo systemctl restart massage-shop' 2>&1)
rc=$?
is "$rc" 126 "-c: denied before acknowledging (126, nothing ran)"
unlike "$out" "RAN:" "  ... sudo did not run"
like "$out" "PM2 should not be installed or used" "  ... the message holds the section's text"
like "$out" "guard ack $N [0-9a-f]{6}" "  ... and how to acknowledge"
tok3=$(printf '%s\n' "$out" | grep -Eo "guard ack $N [0-9a-f]{6}" | head -1 | awk '{print $4}')
out=$(cd "$R" && $GUARD explain --policy "$P" -- 'sudo systemctl restart massage-shop' 2>&1)
is "$?" 2 "explain: denied before acknowledging, as -c"
like "$out" "needs the acknowledgement '$N'" "  ... because of the acknowledgement"
$GUARD ack --policy "$P" $N "$tok3" >/dev/null
ok $? "the code from the deny message acknowledges"
out=$(cd "$R" && PATH=$TMP/bin:$PATH $GUARD --policy "$P" -c 'sudo systemctl restart massage-shop' 2>&1)
is "$out" "RAN: systemctl restart massage-shop" "-c: runs once acknowledged"
# check and explain use the same decision, acknowledgements included
(cd "$R" && $GUARD check --policy "$P" -- 'sudo systemctl restart massage-shop' >/dev/null 2>&1)
is "$?" 0 "check: allowed once acknowledged"
out=$(cd "$R" && $GUARD explain --policy "$P" -- 'sudo systemctl restart massage-shop' 2>&1)
is "$?" 0 "explain: allowed once acknowledged, as check"
unlike "$out" "needs the acknowledgement" "  ... and does not say it is still needed"
out=$(cd "$R" && PATH=$TMP/bin:$PATH $GUARD --policy "$P" -c 'pm2 restart all' 2>&1)
is "$?" 126 "-c: pm2 stays denied"

# Nested policies: an inner .guard/policy.ini with an [ack] of the same name
# (about a doc of its own) does not change the outer rule's section.
if [ ! -e /etc/guard/policy.ini ]; then
	mkdir -p "$R/sub/.guard"
	printf '[rule other]\nmatch = other-tool\naction = allow\nack = %s\n\n[ack %s]\ndoc = missing.md\n' "$N" "$N" >"$R/sub/.guard/policy.ini"
	chmod 644 "$R/sub/.guard/policy.ini"
	out=$(cd "$R/sub" && PATH=$TMP/bin:$PATH $GUARD -c 'sudo systemctl restart massage-shop' 2>&1)
	is "$out" "RAN: systemctl restart massage-shop" "nested: the outer rule uses its own file's [ack] section"
	out=$(cd "$R/sub" && $GUARD -c 'other-tool x' 2>&1)
	is "$?" 126 "nested: the inner rule uses the inner section (its doc is missing: denied)"
	like "$out" "\\[ack $N\\] has no 40-hex blob id" "  ... the inner section's own fault"
	rm -rf "$R/sub"
fi
done_testing
