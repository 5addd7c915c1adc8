#!/usr/bin/env bash
# Pathological input: every limit is a deny that names the limit, and no
# input takes guard more than linear time (each case has a generous
# timeout; a quadratic parser would blow through it by orders of magnitude).
. "$(dirname "$0")/../lib/tap.sh"
P=$TOP/policies/massage-shop.ini

check() { # check FILE -> sets out, rc
	out=$(timeout 60 $GUARD check --policy "$P" -f "$1" 2>&1)
	rc=$?
}

python3 -c "print('\$(' * 10000 + 'pm2' + ')' * 10000)" >"$TMP/nest"
check "$TMP/nest"
is "$rc" 2 "10,000 nested \$( is denied"
like "$out" "nesting deeper than [0-9]+ levels \\(limit\\)" "and the message names the nesting limit"

python3 -c "print('\`' * 3 + 'x')" >"$TMP/bq"
check "$TMP/bq"
is "$rc" 2 "an unterminated backquote is denied"
like "$out" "unterminated" "as unterminated"

python3 -c "print('echo ' + \"'a'\" * 350000)" >"$TMP/quotes"
check "$TMP/quotes"
is "$rc" 0 "1 MB of quoted words parses (allowed)"

python3 -c "print('true;' * 100000)" >"$TMP/semi"
check "$TMP/semi"
is "$rc" 0 "100,000 commands separated by ; parse (allowed)"

python3 -c "print('true;' * 100000 + 'pm2 list')" >"$TMP/semi2"
check "$TMP/semi2"
is "$rc" 2 "and a guarded command after them is still found"

python3 -c "print('echo ' + 'x ' * 250000)" >"$TMP/words"
check "$TMP/words"
is "$rc" 2 "more words than the limit are denied"
like "$out" "words \\(limit\\)" "naming the word limit"

python3 -c "print('cat' + ' <<E' * 1100 + '\n' + 'E\n' * 1100)" >"$TMP/hd"
check "$TMP/hd"
is "$rc" 2 "more here-documents than the limit are denied"
like "$out" "here-documents \\(limit\\)" "naming the here-doc limit"

head -c 5000000 /dev/zero | tr '\0' 'a' >"$TMP/big"
check "$TMP/big"
is "$rc" 2 "input over the size limit is denied"
like "$out" "longer than [0-9]+ bytes \\(limit\\)" "naming the size limit"

printf 'echo a\0pm2 list\n' >"$TMP/nul"
check "$TMP/nul"
is "$rc" 2 "a NUL byte is denied (bash would cut the line there)"

s="pm2 list"
for i in $(seq 1 12); do s="bash -c $(printf '%q' "$s")"; done
out=$(timeout 60 $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "shell strings nested 12 deep are denied"
like "$out" "nested deeper than [0-9]+ levels \\(limit\\)" "naming the recursion limit"

s="$(printf 'nohup %.0s' $(seq 1 65))pm2 list"
out=$(timeout 60 $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "pm2 inside 65 wrappers is denied"
like "$out" "wrappers nested deeper than [0-9]+ levels \\(limit\\)" "naming the wrapper limit"
s="$(printf 'nohup %.0s' $(seq 1 64))pm2 list"
out=$(timeout 60 $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "pm2 inside 64 wrappers is denied"
like "$out" "no-pm2" "by its rule (64 wrappers are followed)"
s="$(printf 'builtin command %.0s' $(seq 1 40))ls"
out=$(timeout 60 $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "any command inside too many wrappers is denied"

done_testing
