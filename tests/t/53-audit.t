#!/bin/bash
# The audit log through real hook processes: concurrent writers, where the
# file goes, [log] settings, and a log that cannot be written.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

sed "s|@PROJ@|$PROJ|g" "$HOOKS/claude/deny.json" >"$TMP/deny"
sed "s|@PROJ@|$PROJ|g" "$HOOKS/claude/allow.json" >"$TMP/allow"

# 8 processes x 50 hook calls at once: every line present and valid JSON.
N=${AUDIT_N:-50}
for p in 1 2 3 4 5 6 7 8; do
	(for i in $(seq "$N"); do
		sed "s|ls -la|echo p$p-i$i|" "$TMP/allow" | $GUARD hook claude >/dev/null 2>&1
	done) &
done
wait
is "$(wc -l <"$GUARD_AUDIT_LOG")" "$((8 * N))" "8 x $N concurrent decisions: $((8 * N)) lines"
is "$(jq -c . "$GUARD_AUDIT_LOG" 2>/dev/null | wc -l)" "$((8 * N))" "every line is valid JSON"
is "$(jq -r .command "$GUARD_AUDIT_LOG" | sort -u | wc -l)" "$((8 * N))" "every decision is there once"
rec=$(head -1 "$GUARD_AUDIT_LOG")
for k in time user uid host pid mode client cwd command verdict rule reason policy; do
	printf '%s' "$rec" | jq -e "has(\"$k\")" >/dev/null
	ok $? "a record has $k"
done
is "$(printf '%s' "$rec" | jq -r '.mode + "/" + .client + "/" + .verdict')" "hook/claude/allow" \
	"mode, client and verdict"
is "$(printf '%s' "$rec" | jq -r '.policy[0].sha256')" \
	"$(sha256sum "$PROJ/.guard/policy.ini" | cut -d' ' -f1)" "policy file hash is its SHA-256"

# A deny names its rule and reason; secrets are redacted.
: >"$GUARD_AUDIT_LOG"
sed 's|pm2 restart all|pm2 restart all API_TOKEN=s3cr3t --password=hunter2|' "$TMP/deny" |
	$GUARD hook claude >/dev/null
rec=$(tail -1 "$GUARD_AUDIT_LOG")
is "$(printf '%s' "$rec" | jq -r '.verdict + " " + .rule')" "deny no-pm2" "deny record: verdict and rule"
is "$(printf '%s' "$rec" | jq -r .command)" "pm2 restart all API_TOKEN=*** --password=***" \
	"secrets are redacted in the log"
unlike "$(cat "$GUARD_AUDIT_LOG")" "s3cr3t|hunter2" "no secret anywhere in the log"

# Default location: $XDG_STATE_HOME/guard/audit.log, then ~/.local/state.
(unset GUARD_AUDIT_LOG; XDG_STATE_HOME=$TMP/state $GUARD hook claude <"$TMP/deny" >/dev/null)
is "$(wc -l <"$TMP/state/guard/audit.log" 2>/dev/null)" 1 "written to \$XDG_STATE_HOME/guard/audit.log"
is "$(stat -c %a "$TMP/state/guard/audit.log")" 600 "the log is private (0600)"
(unset GUARD_AUDIT_LOG XDG_STATE_HOME; HOME=$TMP/home $GUARD hook claude <"$TMP/deny" >/dev/null)
ok "$([ -s "$TMP/home/.local/state/guard/audit.log" ]; echo $?)" "default ~/.local/state/guard/audit.log"

# [log] allow = no: allows are not logged, denies are.  [log] file = no: nothing.
mkdir -p "$TMP/q/.guard"
cp "$PROJ/.guard/policy.ini" "$TMP/q/.guard/policy.ini"
printf '\n[log]\nallow = no\n' >>"$TMP/q/.guard/policy.ini"
: >"$GUARD_AUDIT_LOG"
sed "s|$PROJ|$TMP/q|" "$TMP/allow" | $GUARD hook claude >/dev/null
sed "s|$PROJ|$TMP/q|" "$TMP/deny" | $GUARD hook claude >/dev/null
is "$(jq -r .verdict "$GUARD_AUDIT_LOG" | tr '\n' ' ')" "deny " "[log] allow = no: only the deny is logged"
printf 'file = no\n' >>"$TMP/q/.guard/policy.ini"
: >"$GUARD_AUDIT_LOG"
sed "s|$PROJ|$TMP/q|" "$TMP/deny" | $GUARD hook claude >/dev/null
is "$(wc -c <"$GUARD_AUDIT_LOG")" 0 "[log] file = no: nothing written"

# A log that cannot be written: one warning, same verdicts.
touch "$TMP/notadir"
export GUARD_AUDIT_LOG=$TMP/notadir/audit.log
run_hook_raw claude "$TMP/deny"
blocks claude
ok $? "unwritable log: the deny is still a deny"
is "$(printf '%s\n' "$err" | grep -c 'audit log')" 1 "unwritable log: one warning on stderr"
run_hook_raw claude "$TMP/allow"
no_objection claude
ok $? "unwritable log: an allow is still an allow"
like "$err" "audit log .*notadir.*not logged" "the warning names the file"

done_testing
