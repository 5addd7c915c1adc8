#!/bin/bash
# guard policy check/show, policy lookup and refusal, golden files.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TOP" || exit 1
P=policies/massage-shop.ini
G=tests/golden

out=$($GUARD policy check tests/golden/bad-policy.ini 2>"$TMP/err")
is "$?" 3 "policy check of a policy with mistakes: exit 3"
is "$(cat "$TMP/err")" "$(cat $G/bad-policy.errors)" "every mistake reported once with file:line (golden)"
like "$(cat "$TMP/err")" "bad-policy.ini:9: unknown key 'acton'" "a typo'd key"
like "$(cat "$TMP/err")" "bad-policy.ini:10: bad value for 'action': 'dney'" "a bad action"
like "$(cat "$TMP/err")" "bad-policy.ini:11: line is longer than 190 bytes" "an over-long line"
like "$(cat "$TMP/err")" "bad-policy.ini:12: line starts with blanks" "an indented line"
like "$(cat "$TMP/err")" "bad-policy.ini:14: duplicate key 'instead' \\(first at line 13\\)" "a duplicate key"

$GUARD check --policy $G/bad-policy.ini -- 'ls' >/dev/null 2>"$TMP/err"
is "$?" 3 "a policy with errors: check exits 3"
like "$(cat "$TMP/err")" "guard: denied: the policy cannot be used \\(16 errors\\)" "and denies even 'ls'"

# The example policy's examples need sudo unwrapped.
$GUARD check --policy $P -- 'sudo pm2 list' >/dev/null 2>&1
is "$?" 2 "sudo pm2 list is denied by the example policy"
out=$($GUARD policy check $P 2>&1)
is "$?" 0 "the example policy passes its own check"
is "$out" "$P: ok
3 rules, 5 examples pass" "and says how many examples passed"

out=$($GUARD policy show --policy $P 2>&1)
is "$?" 0 "policy show: exit 0"
is "$out" "$(cat $G/policy-show.massage-shop)" "policy show: files, settings and merged rules (golden)"

# Every example policy shipped in policies/ passes its own examples.
for f in policies/*.ini; do
	out=$($GUARD policy check "$f" 2>&1)
	is "$?" 0 "$f passes guard policy check"
done

# Failing examples are reported with file:line.
cat >"$TMP/ex.ini" <<'INI'
[rule pm2]
match = pm2
action = deny
example.deny = pm2 list
example.allow = pm2 ls
INI
out=$($GUARD policy check "$TMP/ex.ini" 2>&1)
is "$?" 3 "a failing example: exit 3"
is "$out" "guard: $TMP/ex.ini:5: example.allow 'pm2 ls' is denied by the policy (rule pm2, $TMP/ex.ini:1)
guard: 1 error: every command is denied until the policy is fixed" "names the example, its line and the rule"

# Examples are decided when the policy loads, not only by policy check: a
# failing one is a policy error, and a policy with errors denies everything,
# in every mode, naming the example.
EXMSG="guard: $TMP/ex.ini:5: example.allow 'pm2 ls' is denied by the policy \\(rule pm2, $TMP/ex.ini:1\\)"
out=$($GUARD policy show --policy "$TMP/ex.ini" 2>&1)
is "$?" 3 "policy show: exit 3 when an example fails"
like "$out" "$EXMSG" "policy show names it"
out=$($GUARD check --policy "$TMP/ex.ini" -- ls 2>&1)
is "$?" 3 "check: exit 3"
like "$out" "$EXMSG" "check names the example"
like "$out" "guard: denied: the policy cannot be used \\(1 error\\)" "and denies even ls"
out=$($GUARD --policy "$TMP/ex.ini" -c 'echo ran' 2>&1)
is "$?" 126 "-c: exit 126"
like "$out" "$EXMSG" "-c names the example"
unlike "$out" "^ran" "-c ran nothing"
out=$(cd "$TMP" && printf 'echo ran\n' | $GUARD --policy "$TMP/ex.ini" 2>&1)
is "$?" 126 "the shell (a script on stdin): exit 126"
like "$out" "$EXMSG" "the shell names the example"
unlike "$out" "^ran" "the shell ran nothing"
mkdir -p "$TMP/exrepo/.guard"
cp "$TMP/ex.ini" "$TMP/exrepo/.guard/policy.ini"
chmod 644 "$TMP/exrepo/.guard/policy.ini"
out=$(printf '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"},"cwd":"%s"}' "$TMP/exrepo" |
	$GUARD hook claude 2>&1)
is "$?" 0 "hook claude: exit 0 (its deny is in the JSON)"
like "$out" '"permissionDecision":"deny"' "hook claude denies"
like "$out" "example.allow 'pm2 ls' is denied by the policy" "hook claude names the example"
# An example is decided on its text alone: the same verdict in any
# directory, whatever scripts are there (a check from there follows them).
mkdir -p "$TMP/scripts"
printf '#!/bin/sh\npm2 list\n' >"$TMP/scripts/run.sh"
chmod 755 "$TMP/scripts/run.sh"
printf '[rule pm2]\nmatch = pm2\naction = deny\n[rule run]\nmatch = run.sh\naction = warn\nexample.warn = ./run.sh\n' >"$TMP/run.ini"
chmod 644 "$TMP/run.ini"
out=$(cd "$TMP/scripts" && $GUARD check --policy "$TMP/run.ini" -- ./run.sh 2>/dev/null)
is "$?/$out" "2/deny" "(a check in that directory follows ./run.sh to pm2)"
out=$(cd "$TMP/scripts" && $GUARD policy check "$TMP/run.ini" 2>&1)
is "$?" 0 "but the example ./run.sh is decided without reading it"

# Lookup: .guard/policy.ini in the working directory or a parent.
mkdir -p "$TMP/repo/.guard" "$TMP/repo/src/deep"
cp $P "$TMP/repo/.guard/policy.ini"
chmod 644 "$TMP/repo/.guard/policy.ini"
(cd "$TMP/repo/src/deep" && $GUARD check -- 'pm2 list' >/dev/null 2>&1)
is "$?" 2 "the repository's .guard/policy.ini is found from a subdirectory"
out=$(cd "$TMP/repo/src/deep" && $GUARD policy show | sed -n 2p)
is "$out" "  $TMP/repo/.guard/policy.ini" "policy show names the file found"
if [ ! -e /etc/guard/policy.ini ]; then
	out=$(cd "$TMP" && $GUARD check -- 'ls' 2>&1)
	is "$?" 3 "no policy anywhere: exit 3"
	like "$out" "no policy found: looked for .guard/policy.ini in $TMP and its parent directories, and for /etc/guard/policy.ini" "saying where guard looked"
	# Never from the environment: a variable cannot switch policies.
	out=$(cd "$TMP" && GUARD_POLICY=$TOP/$P POLICY=$TOP/$P $GUARD check -- 'ls' 2>&1)
	is "$?" 3 "GUARD_POLICY in the environment is ignored"
fi

# Refusal: writable by group or others, or in such a directory.
chmod 666 "$TMP/repo/.guard/policy.ini"
out=$(cd "$TMP/repo" && $GUARD check -- 'ls' 2>&1)
is "$?" 3 "a world-writable policy: exit 3"
like "$out" "guard: $TMP/repo/.guard/policy.ini: refusing the policy: it is writable by group or others" "naming the file"
chmod 644 "$TMP/repo/.guard/policy.ini"
chmod 777 "$TMP/repo/.guard"
out=$(cd "$TMP/repo" && $GUARD check -- 'ls' 2>&1)
is "$?" 3 "a policy in a world-writable directory: exit 3"
like "$out" "refusing the policy: directory $TMP/repo/.guard is writable by group or others \\(chmod go-w $TMP/repo/.guard\\)" "says which directory"
chmod 755 "$TMP/repo/.guard"

out=$($GUARD policy 2>&1)
is "$?" 64 "policy without show/check: usage"

# The precedence sentence: stated once in guard.ini(5), and the same words
# head the unit test that checks each of its cases (test_deciding).
S="The most specific matching rule wins (more matched words beat fewer; on a tie the stricter action); a line's verdict is the strictest over all its commands."
grep -qxF "$S" share/man/guard.ini.5
is "$?" 0 "guard.ini(5) states the precedence sentence on one line"
tr -d '\n' <tests/unit/test_policy.c | sed 's/"[[:space:]]*"//g; s/[[:space:]]\+/ /g' | grep -qF "$S"
is "$?" 0 "tests/unit/test_policy.c tests that very sentence"

# The example policy in guard.ini(5) passes its own examples.
sed -n '/^\.Sh EXAMPLES/,/^\.Sh/p' share/man/guard.ini.5 | sed -n '/^\.Bd -literal/,/^\.Ed/p' | sed '1d;$d' >"$TMP/man.ini"
chmod 644 "$TMP/man.ini"
out=$($GUARD policy check "$TMP/man.ini" 2>&1)
is "$?" 0 "the EXAMPLES policy of guard.ini(5) passes guard policy check"
is "$out" "$TMP/man.ini: ok
2 rules, 4 examples pass" "all four of its examples"
$GUARD policy show --policy "$TMP/man.ini" >/dev/null 2>&1
is "$?" 0 "the EXAMPLES policy of guard.ini(5) loads without errors"

# The bundled policy's `see` lines point at the paragraph of the bundled
# example's guide that says what the rule enforces (they once pointed at the
# paragraph before it, and at a heading).
EX=share/examples/massage-shop
awk -F' = ' '/^\[rule /{r=$0; sub(/^\[rule /,"",r); sub(/\]$/,"",r)}
	$1=="see"{print r "\t" $2}' $P | sort >"$TMP/see"
printf '%s\t%s\n' no-forever 'A second process manager would try to bind port 3000' \
	no-pm2 'PM2 should not be installed or used' \
	stop-service 'sudo systemctl restart massage-shop' >"$TMP/says"
is "$(cut -f1 "$TMP/see")" "$(cut -f1 "$TMP/says")" "massage-shop.ini: a see line for each of its rules"
while IFS=$'\t' read -r rule see && IFS=$'\t' read -r _ says <&3; do
	file=$EX/${see%:*} line=${see##*:}
	# the paragraph from that line to the next blank line, on one line
	para=$(sed -n "${line},\$p" "$file" 2>/dev/null | sed '/^$/q' | tr '\n' ' ')
	like "$para" "$says" "see of $rule ($see) points at: $says"
done <"$TMP/see" 3<"$TMP/says"

done_testing
