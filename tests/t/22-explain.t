#!/bin/bash
# guard explain: golden output for tests/golden/explain.cases against the
# example policy.  After a deliberate change of the output (or the parser),
# regenerate with: GUARD_UPDATE_GOLDEN=1 tests/t/22-explain.t
. "$(dirname "$0")/../lib/tap.sh"
cd "$TOP" || exit 1
P=policies/massage-shop.ini
G=tests/golden

: >"$TMP/out"
while IFS= read -r line; do
	printf '$ guard explain %s\n' "$line" >>"$TMP/out"
	$GUARD explain --policy $P -- "$line" >>"$TMP/out" 2>&1
	printf 'exit: %s\n\n' "$?" >>"$TMP/out"
done <$G/explain.cases
if [ -n "${GUARD_UPDATE_GOLDEN:-}" ]; then
	cp "$TMP/out" $G/explain.golden
fi
diff -u $G/explain.golden "$TMP/out" | sed 's/^/# /'
is "${PIPESTATUS[0]}" 0 "explain output matches tests/golden/explain.golden"

# explain and check agree (one decision function).
while IFS= read -r line; do
	$GUARD check --policy $P -- "$line" >/dev/null 2>&1
	c=$?
	$GUARD explain --policy $P -- "$line" >/dev/null 2>&1
	is "$?" "$c" "explain exits like check for: $line"
done <$G/explain.cases

out=$($GUARD explain --policy $P -- 'pm2 list' | tail -1)
is "$out" "verdict: deny (command 1)" "the last line is the verdict"
$GUARD explain --policy $P >/dev/null 2>&1
is "$?" 64 "explain without a line: usage"

done_testing
