#!/bin/bash
# The benchmark tools work (the benchmarks themselves run only in make bench):
# tests/bench/run is valid bash, and ptylat measures Enter-to-exec of an
# interactive shell on a pseudo-terminal and fails when the shell never runs
# the typed line.
. "$(dirname "$0")/../lib/tap.sh"
bash -n "$TOP/tests/bench/run"
ok $? "tests/bench/run is valid bash"
[ -x "$TOP/tests/bench/run" ]
ok $? "tests/bench/run is executable (make bench runs it directly)"
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$TMP/ptylat" "$TOP/tests/bench/ptylat.c" -static 2>"$TMP/err" ||
	cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$TMP/ptylat" "$TOP/tests/bench/ptylat.c" -lutil 2>"$TMP/err"
ok $? "ptylat.c builds with -Wall -Wextra -Werror"
out=$("$TMP/ptylat" --stamp)
like "$out" "^STAMP [0-9]+$" "ptylat --stamp prints a monotonic time"
out=$(timeout 30 "$TMP/ptylat" 3 bash --norc --noprofile -i 2>"$TMP/err")
rc=$?
is "$rc" 0 "ptylat measures bash -i"
like "$out" "^3 [0-9]+ [0-9]+ [0-9]+$" "ptylat prints samples, median, min and p90"
read -r _ med min p90 <<<"$out"
ok $(( !(min > 0 && min <= med && med <= p90 && med < 1000000) )) "latencies are ordered and below a second ($min <= $med <= $p90 us)"
# A "shell" that never runs what it reads (sleep ignores its terminal).
timeout 60 "$TMP/ptylat" 1 sleep 1 >/dev/null 2>"$TMP/err"
is "$?" 2 "ptylat exits 2 when the line never runs"
done_testing
