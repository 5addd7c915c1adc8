#!/bin/bash
# Brace expansion against real bash: for each word, the fields bash makes of
# `set -- WORD` and the arguments guard works out for `echo WORD` must be the
# same, in the same order.  Hand-picked edge cases (quotes, escapes,
# expansions, sequences with steps and zero padding, unmatched and literal
# braces), then random words built from the same pieces.  Past 256 words
# guard keeps the first 256 and marks the rest unknown ("{...}").  (Not
# here: what bash does with variables the line does not set, p{m,$x}2
# reading $x2, and ~, which guard does not expand; the differential corpus
# has the first.)
. "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "jq not installed"
P=$TOP/tests/diff/policy.ini
PRE='x=X; y="p q"'

# bash's fields, one JSON array
bash_fields() {
	bash -c "$PRE; set -- $1; for a in \"\$@\"; do printf '%s' \"\$a\" | jq -Rs .; done" 2>/dev/null |
		jq -sc .
}
# guard's: the arguments of the echo command (the last: an inner $(echo)
# comes first)
guard_fields() {
	$GUARD check --json --policy "$P" -- "$PRE; echo $1" 2>/dev/null |
		jq -c '[.commands[] | select(.argv[0] == "echo")][-1].argv[1:]'
}
compare() { # compare WORD DESC
	local b g want
	b=$(bash_fields "$1")
	g=$(guard_fields "$1")
	if [ "$(printf '%s' "$b" | jq length)" -gt 256 ]; then
		want=$(printf '%s' "$b" | jq -c '.[:256] + ["{...}"]')
	else
		want=$b
	fi
	is "$g" "$want" "$2"
}

while IFS= read -r w; do
	case $w in '' | '#'*) continue ;; esac
	compare "$w" "as bash: $w"
done <<'EOF'
{a,b}
pm{2,"x"}
"pm"{2,3}
pm{2,'3'}
p\m{2,3}
pm{2,$x}
{a,$y}
pm{2,${x:-a,b}}
{a,$(echo b,c)}
{a,`echo b,c`}
${x:+{a,b}}
{a\,b,c}
{a'}'b,c}
x{,}y
{,a}
{a}
{}
{a,b}{
a{b{c,d}e
{a{b,c}}
{{a,b}}
{{a,b},c}
{a,{b,c}d}
{,}
{a,b,}
""{,}
{1..3}
{3..1}
{1..10..3}
{5..1..2}
{1..3..0}
{1..3..-1}
{01..3}
{-01..1}
{00..2}
{1..0003}
{3..001}
{+1..3}
{-3..-1}
{a..e}
{a..e..2}
{c..a}
{a..z..10}
{A..C}{1..2}
{1...3}
{a..3}
{1..a}
{!..#}
{1..3..2x}
{1..2..}
{1..9999999999999999999999}
{1..3}}
{{1..3}
{x,{a..c}}
x{a,b}y{c,d}z
{#,a}b
a{b,c}\{d,e\}
'{a,b}'
"{a,b}"
\{a,b}
{a,b\}
{1..300}
{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}
EOF

# Random words from the same pieces (seeded, so a failure can be re-run).
python3 - >"$TMP/words" <<'PY'
import random
random.seed(34)
pieces = ['a', 'b', '{', '}', ',', '..', '1', '3', '"c"', "'d'", '\\,', '\\{',
          '${x}', '"$x"', '${y}', '{a,b}', '{1..3}', '-', '{,}', '0', '{a..c}']
for _ in range(300):
    print(''.join(random.choice(pieces) for _ in range(random.randint(1, 7))))
PY
fails=0
n=0
while IFS= read -r w; do
	n=$((n + 1))
	b=$(bash_fields "$w")
	g=$(guard_fields "$w")
	if [ "$(printf '%s' "$b" | jq length)" -gt 256 ]; then
		b=$(printf '%s' "$b" | jq -c '.[:256] + ["{...}"]')
	fi
	if [ "$g" != "$b" ]; then
		fails=$((fails + 1))
		[ $fails -le 5 ] && diag "differs: $w: bash $b, guard $g"
	fi
done <"$TMP/words"
is "$fails" 0 "$n random words: guard's fields are bash's"

# The expansion is decided on the word's fields: a pm2 made of pieces is pm2.
D='tests/diff/policy.ini'
for l in 'pm{2..300} list' '{pm,x}{2..300} list' 'pm{2,"x"} list' 'p\m{2,3} list' \
	'pm{2,$x} list' '{,}pm2 list'; do
	$GUARD check --policy "$TOP/$D" -- "$l" >/dev/null 2>&1
	is "$?" 2 "denied: $l"
done
out=$($GUARD check --policy "$TOP/$D" -- "p{m,x$(printf '{}%.0s' $(seq 33))}2 list" 2>&1)
like "$out" "more than 32 braces \\(limit\\)" "a word past guard's brace limits is denied, naming the limit"

done_testing
