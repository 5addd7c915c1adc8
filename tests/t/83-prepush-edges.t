#!/bin/bash
# The pre-push protocol's corners, and the staleness check at the pushed tip.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/prepush.sh"

Z=$(printf '0%.0s' {1..40})
hook() { # hook ARGS... < stdin: run guard's hook in $W like git does
	out=$(cd "$W" && "$GUARD" hook pre-push "$@" 2>&1)
	rc=$?
}

new_repo
"$GUARD" install pre-push --repo "$W" >/dev/null 2>&1
push origin main

# 1. SHA-256 object ids are refused clearly
hook origin "$R" <<< "refs/heads/main $(printf 'a%.0s' {1..64}) refs/heads/main $(printf '0%.0s' {1..64})"
is "$rc" 2 "a SHA-256 ref line refuses the push"
like "$out" "SHA-256 object ids, which guard's libgit2 \(1.5\) cannot read" "and says why"

# 2. malformed input fails closed
hook origin "$R" <<< "refs/heads/main nothex refs/heads/main $Z"
is "$rc" 2 "a malformed ref line refuses the push"
like "$out" "stdin line 1: 'nothex' is not an object id" "and names the line"

# 3. a remote oid we do not have ("fetch first") is ignored, not an error
commit clean.txt x "Clean"
hook origin "$R" <<< "refs/heads/main $(lhead main) refs/heads/main $(printf 'b%.0s' {1..40})"
is "$rc" 0 "unknown remote oid: the walk still works"
like "$out" "1 commit" "only the unpublished commit is walked"

# 4. the cap: more commits than allowed -> say so, check every file at the tip
commit a.sh 'echo 1' "c1"
commit b.sh 'echo 2' "c2"
commit old/pm2.sh 'pm2 flush' "c3"
out=$(cd "$W" && GUARD_PREPUSH_MAX_COMMITS=2 git push origin main 2>&1)
rc=$?
is "$rc" 1 "capped walk still refuses a bad commit"
like "$out" "the push carries more than 2 commits: checking every file at the pushed tip, not only" "it says the walk was capped"
like "$out" "old/pm2.sh:1: deny: pm2 flush" "and finds the bad line"
git -C "$W" reset -q --hard HEAD~1

# 5. push to a URL ($1 == $2): every remote-tracking ref counts as published
push origin main # publish main first (also updates origin/main)
commit url.txt u "For the URL push"
out=$(cd "$W" && git push "$R" HEAD:refs/heads/by-url 2>&1)
is "$?" 0 "push to a URL is allowed"
like "$out" "guard: 1 commit, " "only the commit no remote-tracking ref has is walked"

# 6. an annotated tag is peeled to its commit
git -C "$W" tag -a v1 -m "Release 1"
push origin v1
is "$rc" 0 "pushing an annotated tag works"

# 7. no policy at the pushed tip: nothing to check, the push goes on
git -C "$W" checkout -q --orphan gh-pages
git -C "$W" rm -rq --cached .
printf 'pm2 start x\n' > "$W/index.sh"
git -C "$W" add index.sh && git -C "$W" commit -qm "Pages"
push origin gh-pages
is "$rc" 0 "a ref without .guard/policy.ini is allowed"
like "$out" "has no .guard/policy.ini: refs/heads/gh-pages not checked" "and guard says so"
git -C "$W" checkout -qf main

# 8. a broken committed policy fails closed, naming commit:file:line
printf 'this line is not ini\n' >> "$W/.guard/policy.ini"
git -C "$W" commit -qam "Break the policy"
push origin main
is "$rc" 1 "a broken committed policy refuses the push"
like "$out" "guard: [0-9a-f]{12}:\.guard/policy\.ini:[0-9]+: " "the error names commit:path:line"
like "$out" "the policy committed at [0-9a-f]{12} has errors" "and says what to fix"
git -C "$W" reset -q --hard HEAD~1

# 9. colour only on a terminal, and never with NO_COLOR
commit deploy.sh 'pm2 start server.js' "pm2"
ref="refs/heads/main $(lhead main) refs/heads/main $(rhead main)"
tty_out=$(cd "$W" && printf '%s\n' "$ref" > "$TMP/ref" &&
	script -qec "\"$GUARD\" hook pre-push origin '$R' < '$TMP/ref'" /dev/null 2>&1)
like "$tty_out" $'\033\\[1;31mdeny' "deny is red on a terminal"
nc_out=$(cd "$W" && NO_COLOR=1 script -qec "\"$GUARD\" hook pre-push origin '$R' < '$TMP/ref'" /dev/null 2>&1)
unlike "$nc_out" $'\033' "NO_COLOR turns colour off"
git -C "$W" reset -q --hard HEAD~1

# 10. staleness: the policy records the docs it was derived from
blob=$(git -C "$W" hash-object docs/DEPLOY.md)
printf '\n[derived]\ndoc = docs/DEPLOY.md %s\n' "$blob" >> "$W/.guard/policy.ini"
git -C "$W" commit -qam "Record the derived-from docs"
push origin main
is "$rc" 0 "a fresh derived policy pushes"
printf 'PM2 must never be used.\n' >> "$W/docs/DEPLOY.md"
git -C "$W" commit -qam "Guide: no PM2"
push origin main
is "$rc" 1 "docs changed without re-deriving: refused"
like "$out" "\.guard/policy\.ini at [0-9a-f]{12} is stale; it no longer matches the docs:" "it says the policy is stale"
like "$out" "  docs/DEPLOY.md \(changed\)" "it names the doc"
like "$out" "fix: guard derive && git add \.guard/policy\.ini && git commit" "it gives the command to fix it"
# Re-derive by hand (what guard derive records), commit: the push goes on.
sed -i "s|^doc = docs/DEPLOY.md .*|doc = docs/DEPLOY.md $(git -C "$W" hash-object docs/DEPLOY.md)|" "$W/.guard/policy.ini"
git -C "$W" commit -qam "Re-derive the guard policy"
push origin main
is "$rc" 0 "after re-deriving and committing, the push goes on"
# A staleness check reads the docs at the pushed tip, not the working tree.
printf 'uncommitted edit\n' >> "$W/docs/DEPLOY.md"
commit x.txt y "Unrelated"
push origin main
is "$rc" 0 "uncommitted doc edits do not make the pushed policy stale"
git -C "$W" checkout -q docs/DEPLOY.md

# 11. the same with guard derive itself (issue 4)
"$GUARD" derive --no-such-option 2>&1 | grep -q "not implemented"
is "$?" 1 "guard derive is implemented (a stub must fail here, not skip)"
(cd "$W" && "$GUARD" derive >/dev/null 2>&1)
ok $? "guard derive writes the policy"
git -C "$W" commit -qam "Derived policy" >/dev/null 2>&1
push origin main
printf '\nNever stop the service by hand.\n' >> "$W/docs/DEPLOY.md"
git -C "$W" commit -qam "Guide: never stop by hand"
push origin main
is "$rc" 1 "docs change: refused"
like "$out" "  docs/DEPLOY.md: changed since the policy was derived" "derive's check names the doc"
(cd "$W" && "$GUARD" derive >/dev/null 2>&1 && git commit -qam "Re-derive")
push origin main
is "$rc" 0 "after guard derive + commit: pushed"

done_testing
