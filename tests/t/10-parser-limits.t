#!/usr/bin/env bash
# Pathological input: every limit is a deny that names the limit, and no
# input takes guard more than linear time (each case has a generous
# timeout; a quadratic parser would blow through it by orders of magnitude).
. "$(dirname "$0")/../lib/tap.sh"
P=$TOP/policies/massage-shop.ini

check() { # check FILE -> sets out, rc
	out=$(timeout $((60 * SLOW)) $GUARD check --policy "$P" -f "$1" 2>&1)
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
out=$(timeout $((60 * SLOW)) $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "shell strings nested 12 deep are denied"
like "$out" "nested deeper than [0-9]+ levels \\(limit\\)" "naming the recursion limit"

s="$(printf 'nohup %.0s' $(seq 1 65))pm2 list"
out=$(timeout $((60 * SLOW)) $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "pm2 inside 65 wrappers is denied"
like "$out" "wrappers nested deeper than [0-9]+ levels \\(limit\\)" "naming the wrapper limit"
s="$(printf 'nohup %.0s' $(seq 1 64))pm2 list"
out=$(timeout $((60 * SLOW)) $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "pm2 inside 64 wrappers is denied"
like "$out" "no-pm2" "by its rule (64 wrappers are followed)"
s="$(printf 'builtin command %.0s' $(seq 1 40))ls"
out=$(timeout $((60 * SLOW)) $GUARD check --policy "$P" -- "$s" 2>&1)
is "$?" 2 "any command inside too many wrappers is denied"

# Long flat constructs (about 1 MB each) are read and walked without a stack
# frame per element: an and-or list of 170,000 commands once crashed guard
# (SIGSEGV, which a hook client takes as "go ahead").  Each must give its
# verdict under the default stack and under `ulimit -s 1024`; the pm2 at the
# end proves the whole construct was analysed.
flat() { # flat NAME PYTHON-EXPR: writes $TMP/flat-NAME
	python3 -c "import sys; sys.stdout.write($2)" >"$TMP/flat-$1"
}
flat andor "'true&&' * 170000 + 'pm2 list\n'"
flat oror "'false||' * 150000 + 'pm2 list\n'"
flat mixed "'true&&false||' * 80000 + 'pm2 list\n'"
flat bang "'! ' * 190000 + 'pm2 list\n'"
flat time "'time ' * 190000 + 'pm2 list\n'"
flat timebang "'time ! ' * 95000 + 'pm2 list\n'"
flat notand "'! true&&' * 90000 + 'pm2 list\n'"
flat pipe "'true|' * 190000 + 'pm2 list\n'"
flat semi "'true;' * 190000 + 'pm2 list\n'"
flat newline "'true\n' * 190000 + 'pm2 list\n'"
flat elif "'if false;then true;' + 'elif false;then true;' * 45000 + 'else pm2 list;fi\n'"
flat caseitems "'case x in ' + 'a)true;;' * 95000 + 'x)pm2 list;;esac\n'"
flat casepats "'case x in a' + '|a' * 190000 + '|x)pm2 list;;esac\n'"
flat redirs "'pm2 list' + ' >/dev/null' * 95000 + '\n'"
flat word "'echo ' + 'a' * 1000000 + ';pm2 list\n'"
flat dq "'echo \"' + 'a' * 1000000 + '\";pm2 list\n'"
for f in andor oror mixed bang time timebang notand pipe semi newline elif caseitems casepats redirs word dq; do
	size=$(wc -c <"$TMP/flat-$f")
	out=$(timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/flat-$f" 2>&1)
	rc=$?
	is "$rc" 2 "$f ($size bytes): analysed to the end and denied"
	like "$out" "denied: pm2 list" "$f: the denial names pm2 list"
	if [ -z "${GUARD_VALGRIND:-}" ]; then
		out=$( (ulimit -s 1024 && timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/flat-$f") 2>&1)
		rc=$?
		is "$rc" 2 "$f under ulimit -s 1024: denied, no crash"
	fi
done

# Deep nesting at every level of shell strings (bash -c inside bash -c,
# 8 levels, each nesting $( ( { if 48 deep) fits the stack; with a small
# stack guard refuses it by a limit instead of crashing.
python3 - "$TMP/deep" <<'PY'
import shlex, sys
def deep(n, s):
    for i in range(n):
        s = ('echo $(%s)', '( %s )', '{ %s; }', 'if true; then %s; fi')[i % 4] % s
    return s
s = 'pm2 list'
for lvl in range(8):
    s = deep(48, s)
    if lvl < 7:
        s = 'bash -c ' + shlex.quote(s)
open(sys.argv[1], 'w').write(s + '\n')
PY
out=$(timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/deep" 2>&1)
is "$?" 2 "deep nesting in 8 levels of bash -c: denied"
like "$out" "denied: pm2 list" "and pm2 list is found at the bottom"
if [ -z "${GUARD_VALGRIND:-}" ] && [ -z "${GUARD_SANITIZE:-}" ]; then
	out=$( (ulimit -s 1024 && timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/deep") 2>&1)
	is "$?" 2 "the same under ulimit -s 1024: denied, no crash"
	out=$( (ulimit -s 160 && timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/deep") 2>&1)
	is "$?" 2 "under ulimit -s 160: denied, no crash"
	like "$out" "too deep for the stack \\(limit\\)" "naming the stack limit"
fi

# A chain of 40,000 functions, each calling the one before: the call is
# replayed without a stack frame per function.
python3 -c "
n = 40000
print('f0() { pm2 list; }')
for i in range(1, n): print('f%d() { f%d; }' % (i, i - 1))
print('f%d' % (n - 1))" >"$TMP/funcchain"
out=$( (ulimit -s 1024 && timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/funcchain") 2>&1)
is "$?" 2 "40,000 chained function calls under ulimit -s 1024: denied"
like "$out" "denied: pm2 list" "naming pm2 list"

# Values that grow by doubling stop at a total budget and deny naming it
# (x=$x$x thirty times once took 32 s and 3.7 GB before the pm2 at the end).
python3 -c "print('x=a;' + 'x=\$x\$x;' * 30 + 'pm2 list')" >"$TMP/double"
out=$(timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/double" 2>&1)
is "$?" 2 "x=\$x\$x thirty times: denied within the timeout"
like "$out" "variable values and expansions larger than [0-9]+ bytes in total \\(limit\\)" \
	"naming the budget of values"
python3 -c "print('echo ' + ' '.join(['{a,b}' * 8] * 25000) + '; pm2 list')" >"$TMP/bracebomb"
out=$(timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/bracebomb" 2>&1)
is "$?" 2 "25,000 words of 256 brace alternatives each: denied within the timeout"
like "$out" "expansions larger than [0-9]+ bytes in total \\(limit\\)" "naming the budget"

# Found by fuzzing: tools that repeat a command per argument (parallel,
# xargs) inside each other multiplied the text analysed at every level, and
# brace words in parallel's template cost their work at every level of the
# expansion.  Both are bounded now, and the first is a denial naming it.
R=$TOP/tests/fuzz/corpus
# (Since brace expansion keeps 256 words and reports the rest as unknown,
# this input no longer reaches the 4 MiB cap: it is decided, in time.)
timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$R/fuzz_decide/regress-parallel-nested-text-multiplies" >/dev/null 2>&1
rc=$?
ok "$((rc > 2))" "parallel and xargs nested in each other: decided within the timeout (exit $rc: a verdict)"
out=$(timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$R/fuzz_analyze_props/regress-brace-work-under-parallel" 2>&1)
is "$?" 2 "brace words in parallel's template: analysed within the timeout (and denied: the input ends in a syntax error)"
# The time is not asserted; the memory is, as the bound is on the work: it
# took 209 MB (and 2 s) before, 36 MB after.
if [ -z "${GUARD_VALGRIND:-}" ] && [ -z "${GUARD_SANITIZE:-}" ]; then
	/usr/bin/time -o "$TMP/rss" -f %M $GUARD check --policy "$P" \
		-f "$R/fuzz_analyze_props/regress-brace-work-under-parallel" >/dev/null 2>&1
	rss=$(tail -n 1 "$TMP/rss")
	ok "$((rss >= 100000))" "  in less than 100 MB ($rss KiB peak)"
fi

# Linear time: inputs where quadratic work would take minutes must finish
# well inside the timeout (no time is asserted, only the verdict within it).
lin() { # lin NAME PYTHON-EXPR DESC [REGEX]: the file ends in pm2 list, which
	# must be found (or the denial matches REGEX: a limit it names)
	python3 -c "import sys; sys.stdout.write($2)" >"$TMP/lin-$1"
	out=$(timeout $((20 * SLOW)) $GUARD check --policy "$P" -f "$TMP/lin-$1" 2>&1)
	is "$?" 2 "$3: analysed within the timeout and denied"
	like "$out" "${4:-denied: pm2 list}" "$3: the denial names ${4:-pm2 list}"
}
lin aliases "'shopt -s expand_aliases\n' + ''.join('alias a%d=true\n' % i for i in range(90000)) + 'a7\npm2 list\n'" \
	"90,000 alias lines (hashed lookup)"
lin aliasuse "'shopt -s expand_aliases\nalias ' + ' '.join('a%d=true' % i for i in range(60000)) + '\n' + ''.join('a%d\n' % i for i in range(60000)) + 'pm2 list\n'" \
	"60,000 aliases, each used"
lin funcs "''.join('f%d(){ :;}\n' % i for i in range(45000)) + 'pm2 list\n'" "45,000 function definitions"
lin funcvars "''.join('v%d=%d\n' % (i, i) for i in range(40000)) + ''.join('f%d(){ v%d=1;}\n' % (i, i) for i in range(35000)) + 'pm2 list\n'" \
	"40,000 variables and 35,000 functions that set them"
lin vars "''.join('v%d=%d\n' % (i, i) for i in range(100000)) + 'pm2 list\n'" "100,000 assignments"
lin appends "'x=a\n' + 'x=\$x\"b\"\n' * 100000 + 'pm2 list\n'" "100,000 x=\$x... appends (in place)"
lin pluseq "'x=a\n' + 'x+=bc\n' * 100000 + 'pm2 list\n'" "100,000 x+=... appends"
lin selfx "'x=a\n' + 'x=\$x\n' * 100000 + 'pm2 list\n'" "100,000 x=\$x"
lin arith "\"x='a[1]'\ny=x\n\" + '(( y ))\n' * 100000 + 'pm2 list\n'" "100,000 arithmetic evaluations of a chain of values"
lin semis "'true;' * 100000 + 'pm2 list\n'" "100,000 commands separated by ;"
lin quotes "'echo ' + \"'a'\" * 350000 + ';pm2 list\n'" "1 MB of quotes"
# (a word with braces that bash would expand but guard will not is denied,
# naming the limit: guard cannot know what it runs)
lin braces "'echo ' + '{a,b}' * 200000 + ';pm2 list\n'" "a word of 200,000 brace groups" \
	"a word with braces longer than 4096 bytes \\(limit\\)"
lin brace1 "'echo ' + '{1..1}' * 150000 + ';pm2 list\n'" "150,000 one-element brace groups" \
	"a word with braces longer than 4096 bytes \\(limit\\)"
lin brackets "'echo \"a\"' + '[' * 1000000 + ';pm2 list\n'" \
	"a word of 1,000,000 [ after a quote (each [ once looked ahead for its ])"

done_testing
