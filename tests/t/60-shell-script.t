#!/bin/bash
# guard without -c and without a terminal: standard input (or a script file)
# is read whole, checked as one unit and run as one unit, with no prompt.
. "$(dirname "$0")/../lib/tap.sh"

cat >"$TMP/policy.ini" <<'INI'
[rule no-pm2]
match = pm2
action = deny
reason = The app is managed by systemd.
instead = sudo systemctl restart massage-shop
see = docs/deploy.md:14

[rule warn-touch]
match = touch warned-*
action = warn
reason = for the test
INI
G() { $GUARD --policy "$TMP/policy.ini" "$@"; }
cd "$TMP" || exit 1

out=$(printf 'echo one\necho two\n' | G 2>"$TMP/err"); st=$?
is "$out" $'one\ntwo' "stdin runs as a script, no prompt on stdout"
is "$(cat "$TMP/err")" "" "... and none on stderr"
is "$st" 0 "status 0"

out=$(printf 'cat <<EOF\nline $((6*7))\nEOF\ncat <<"X"\n$HOME\nX\n' | G 2>&1)
is "$out" $'line 42\n$HOME' "here-docs keep their meaning"

out=$(printf 'if true\nthen\n  echo in-if\nfi\n' | G 2>&1)
is "$out" "in-if" "multi-line constructs run whole"

out=$(printf 'touch %s/a\npm2 list\n' "$TMP" | G 2>&1); st=$?
is "$st" 126 "a script with a refused command exits 126"
like "$out" 'guard: denied: pm2 list' "with the message"
like "$out" 'instead: sudo systemctl restart massage-shop' "naming what to use instead"
[ ! -e "$TMP/a" ]
ok $? "nothing of it ran (the touch before pm2 did not run)"

out=$(echo 'touch warned-here' | G 2>&1); st=$?
is "$st" 0 "a warn without a terminal runs, as with guard -c"
like "$out" 'guard: warning: touch warned-here' "after the warning"
[ -e "$TMP/warned-here" ]
ok $? "and the line ran"

printf 'exit 3\n' | G; is "$?" 3 "the script's exit status is guard's"
printf 'kill -TERM $$\n' | G; is "$?" 143 "killed by a signal: 128+N"

printf 'echo "$0:$1:$2"\n' >"$TMP/s.sh"
is "$(G "$TMP/s.sh" x y 2>&1)" "$TMP/s.sh:x:y" "a script file with arguments"
printf 'pm2 list\n' >"$TMP/bad.sh"
G "$TMP/bad.sh" >/dev/null 2>&1; is "$?" 126 "a refused script file runs nothing"

# Bigger than one argv string may be (128 KiB): passed another way.
{ for i in $(seq 1 5000); do echo "x=\"$i-padding-padding-padding-padding\""; done; echo 'echo "last $x"'; } >"$TMP/big.sh"
is "$(G <"$TMP/big.sh" 2>&1)" "last 5000-padding-padding-padding-padding" "a 200 KiB script runs"

is "$(printf 'echo "[$LD_PRELOAD][$BASH_ENV][$KEEP]"\n' | LD_PRELOAD= BASH_ENV=/nonexistent KEEP=k G 2>&1)" \
	"[][][k]" "LD_* and BASH_ENV are not passed on; other variables are"

out=$(printf 'echo ok\n' | G --policy "$TMP/missing.ini" 2>&1); st=$?
is "$st" 126 "no policy: nothing runs (fail closed)"
unlike "$out" '^ok$' "... the command did not run"

done_testing
