#!/bin/bash
# The pre-push hook fails closed: when guard-git crashes while checking a
# push, git refuses the push (the hook exits non-zero) and guard says why
# (guard/failsafe.h); git alone would only say "failed to push some refs".
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/prepush.sh"

# The test build ($GUARD_SEAMS, next to its own guard-git) crashes on purpose.
new_repo
out=$(cd "$W" && "$GUARD_SEAMS" install pre-push 2>&1)
ok $? "the test build installs the hook"
commit deploy.sh 'echo deployed' "A harmless change"
for f in segv abort; do
	case $f in segv) n=SEGV ;; abort) n=ABRT ;; esac
	out=$(cd "$W" && GUARD_TEST_FAULT=$f git push origin main 2>&1)
	rc=$?
	is "$rc" 1 "crash ($f): git push fails"
	is "$(rhead main)" none "crash ($f): the remote got nothing"
	like "$out" "guard: push refused: internal error \\(signal $(kill -l $n): SIG$n\\) while checking" \
		"crash ($f): guard says why"
	like "$out" "failed to push some refs" "crash ($f): git says the push failed"
done
push origin main
is "$rc" 0 "without the fault the same push goes through"

# The release build on a real pathological line, 256 KiB stack: 15,000
# `true &&` before pm2 in a script.  Whether the analysis copes (pm2 is
# denied), refuses it at a limit or overflows the stack (the handler
# refuses), the push is refused.
new_repo
out=$(cd "$W" && "$GUARD" install pre-push 2>&1)
ok $? "the release build installs the hook"
push origin main
is "$rc" 0 "a clean first push"
commit deploy.sh "$(yes 'true && ' | head -n 15000 | tr -d '\n')pm2 start server.js" "A deep line"
if [ -n "${GUARD_VALGRIND:-}" ]; then
	echo "ok $((_tap_n += 1)) # SKIP valgrind on a 256 KiB stack"
else
	out=$(cd "$W" && ulimit -s 256 && git push origin main 2>&1)
	rc=$?
	is "$rc" 1 "deep line: git push fails"
	is "$(rhead main)" "$(lhead main~1)" "deep line: the remote did not get the commit"
	like "$out" "guard: .*(refused|deny)" "deep line: guard says it refused the push"
fi

done_testing
