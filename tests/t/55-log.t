#!/bin/bash
# guard log: reads the audit log back with filters, newest last.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

L=$GUARD_AUDIT_LOG
cat >"$L" <<'J'
{"time":"2026-01-01T10:00:00.000Z","user":"u","uid":1,"host":"h","pid":1,"mode":"-c","cwd":"/a","command":"ls","verdict":"allow","rule":null,"reason":null,"policy":[]}
{"time":"2026-01-02T10:00:00.000Z","user":"u","uid":1,"host":"h","pid":2,"mode":"hook","client":"claude","cwd":"/srv/app","command":"pm2 restart all","verdict":"deny","rule":"no-pm2","reason":"systemd","policy":[]}
not json at all
{"time":"2026-01-03T10:00:00.000Z","user":"u","uid":1,"host":"h","pid":3,"mode":"shell","cwd":"/b","command":"systemctl stop massage-shop","verdict":"warn","rule":"stop-service","reason":"down","policy":[]}
J
out=$($GUARD log 2>"$TMP/e")
is "$(printf '%s\n' "$out" | wc -l)" 3 "three records, the broken line skipped"
like "$(cat "$TMP/e")" "audit.log:3: not an audit record; skipped" "the broken line is named with file:line"
is "$(printf '%s\n' "$out" | tail -1 | cut -c1-19)" "2026-01-03 10:00:00" "newest last"
is "$(printf '%s\n' "$out" | sed -n 2p)" \
	"2026-01-02 10:00:00  deny   hook/claude  no-pm2  /srv/app  pm2 restart all" "the human format"
is "$($GUARD log --verdict deny 2>/dev/null | wc -l)" 1 "--verdict deny"
is "$($GUARD log --rule stop-service 2>/dev/null | awk '{print $3}')" "warn" "--rule"
is "$($GUARD log --client claude 2>/dev/null | wc -l)" 1 "--client"
is "$($GUARD log --since 2026-01-02 2>/dev/null | wc -l)" 2 "--since a date"
is "$($GUARD log --since '2026-01-02 11:00' 2>/dev/null | wc -l)" 1 "--since a date and time"
is "$($GUARD log --json --verdict deny 2>/dev/null | jq -r .command)" "pm2 restart all" "--json prints the stored record"
$GUARD log --since yesterday >/dev/null 2>&1
is "$?" 64 "--since with nonsense is a usage error"

# --since AGE against fresh records written by the hook.
: >"$L"
run_hook claude "$HOOKS/claude/deny.json"
run_hook claude "$HOOKS/claude/allow.json"
is "$($GUARD log --since 10m | wc -l)" 2 "--since 10m: the two fresh decisions"
is "$($GUARD log --since 10m --verdict deny | awk '{print $5}')" "no-pm2" "and the deny names its rule"
rm -f "$L"
$GUARD log >/dev/null 2>"$TMP/e"
is "$?" 0 "no log yet: exit 0"
like "$(cat "$TMP/e")" "no audit log at" "no log yet: says so"
done_testing
