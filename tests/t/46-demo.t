#!/bin/bash
# `make demo` (share/examples/demo.sh) runs end to end and shows what the
# issue asks of it: commands checked, a blocked one explained, the
# acknowledgement gate and the staleness check.
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "needs git"

out=$(BUILD=$GUARD_BUILD TMPDIR=$TMP sh "$TOP/share/examples/demo.sh" 2>&1)
is "$?" 0 "the demo runs to the end"
st=$(printf '%s\n' "$out" | sed -n 's/^  (exit \([0-9]*\))$/\1/p' | tr '\n' ' ')
is "$st" "0 2 2 2 0 0 2 126 0 0 126 0 1 0 0 " "every step exits as it should (derive, 3 denies, 2 allows, explain, gate, ack, -c, pm2 refused, stale, re-derive)"
like "$out" '\$ [^ ]*/guard check --policy \.guard/policy\.ini -- pm2 restart all' "it checks the incident's command"
like "$out" '\$ [^ ]*/guard explain --policy \.guard/policy\.ini -- npx pm2 logs' "it explains a blocked line"
like "$out" 'matches:  no-pm2 \(1 word, deny\) <- wins' "the explanation names the winning rule"
like "$out" 'via:      npx' "and the wrapper it unwrapped"
like "$out" 'verdict: deny \(command 1\)' "and the verdict"
like "$out" 'demo: done' "and says it is done"
ls "$TMP" | grep -q guard-demo
is "$?" 1 "its scratch directory is removed"

done_testing
