#!/bin/bash
# The pre-push hook with real git: a working clone, a bare remote, real pushes.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/prepush.sh"

new_repo
out=$(cd "$W" && "$GUARD" install pre-push 2>&1)
ok $? "guard install pre-push succeeds"
like "$out" "installed $W/.git/hooks/pre-push" "it says where it installed the hook"
ok "$([ -x "$W/.git/hooks/pre-push" ] && echo 0 || echo 1)" "the hook is executable"

# 1. a clean first push goes through
push origin main
is "$rc" 0 "a clean push is allowed"
is "$(rhead main)" "$(lhead main)" "the remote got main"
like "$out" "guard: 1 commit, 1 file checked: nothing the docs forbid" "guard says what it checked"

# 2. a commit adding pm2 to deploy.sh is refused, naming commit, path and line
commit deploy.sh 'pm2 start server.js' "Start the app with pm2"
bad=$(lhead main)
push origin main
is "$rc" 1 "git push fails"
is "$(rhead main)" "$(lhead main~1)" "the remote did not get the commit"
like "$out" "guard: deploy.sh:5: deny: pm2 start server.js" "finding names path, line, verdict, command"
like "$out" "commit  ${bad:0:12} Start the app with pm2" "finding names the commit that added the line"
like "$out" "rule    no-pm2: The app is managed by systemd; PM2 must not be installed or used." \
	"finding names the rule and its reason"
like "$out" "see     docs/DEPLOY.md:14" "finding names the doc line"
like "$out" "instead sudo systemctl restart massage-shop" "finding says what to run instead"
like "$out" "push to origin refused: 1 command the docs forbid" "summary line"
unlike "$out" $'\033' "no colour when stderr is not a terminal"

# 3. the bad commit below a later commit is still named (blame, not the tip)
commit README 'just docs' "Add a README"
push origin main
is "$rc" 1 "still refused with a clean commit on top"
like "$out" "commit  ${bad:0:12} Start the app with pm2" "the introducing commit is named, not the tip"

# 3b. the same line added twice by two commits: each copy names its commit
commit deploy.sh 'pm2 start server.js' "Second pm2 line"
bad2=$(lhead main)
push origin main
like "$out" "deploy.sh:5: deny: pm2 start server.js
  commit  ${bad:0:12} Start the app with pm2" "the first copy names the first commit"
like "$out" "deploy.sh:6: deny: pm2 start server.js
  commit  ${bad2:0:12} Second pm2 line" "the second copy names the second commit"
git -C "$W" reset -q --hard "$(rhead main)"

# 4. a warn prints and the push goes on
commit ops/stop.sh 'systemctl stop massage-shop' "Add a stop script"
push origin main
is "$rc" 0 "a warn does not block"
like "$out" "guard: ops/stop.sh:1: warn: systemctl stop massage-shop" "the warn is printed"
like "$out" "1 warning; the push goes on" "and the push goes on"

# 4b. a script guard cannot analyse fails closed, named with the commit that changed it
commit broken.sh 'if then' "Broken script"
push origin main
is "$rc" 1 "a script with a syntax error refuses the push"
like "$out" "guard: broken.sh:[0-9]+: deny: script
  commit  $(lhead main | cut -c1-12) Broken script
  reason  guard cannot analyse this script: " "it says why, and which commit"
git -C "$W" reset -q --hard "$(rhead main)"

# 4c. a CI workflow step, wrapped in sudo inside a block scalar
commit .github/workflows/deploy.yml $'on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    steps:\n      - run: |\n          npm ci\n          sudo -u deploy pm2 restart all' "CI deploy"
push origin main
is "$rc" 1 "a workflow run: step using pm2 is refused"
like "$out" "guard: .github/workflows/deploy.yml:8: deny: sudo -u deploy pm2 restart all" \
	"the workflow line is named"
git -C "$W" reset -q --hard "$(rhead main)"

# 5. a new branch: only its own commits are checked; a bad one is refused
git -C "$W" checkout -qb feature
commit Makefile $'deploy:\n\tpm2 reload all' "Deploy target"
push origin feature
is "$rc" 1 "new branch with pm2 in a Makefile recipe is refused"
like "$out" "guard: Makefile:2: deny: pm2 reload all" "Makefile recipe line named"
is "$(rhead feature)" none "the branch was not created"
git -C "$W" reset -q --hard main
commit notes.txt 'hello' "Notes"
push origin feature
is "$rc" 0 "a clean new branch is allowed"
like "$out" "guard: 1 commit, " "only the new commit is walked, not main's history"

# 6. a deletion carries nothing
push origin :feature
is "$rc" 0 "deleting a branch is allowed"
is "$(rhead feature)" none "the branch is gone"
unlike "$out" "guard:" "guard says nothing about a deletion"

# 7. force push: a rewritten commit adding pm2 to package.json is refused
git -C "$W" checkout -q main
printf '{\n  "name": "shop",\n  "scripts": {\n    "start": "pm2 start server.js"\n  }\n}\n' > "$W/package.json"
git -C "$W" add package.json
git -C "$W" commit -q --amend -m "Stop script, and npm scripts"
push -f origin main
is "$rc" 1 "force push with pm2 in package.json is refused"
like "$out" "guard: package.json:4: deny: pm2 start server.js" "package.json script line named"
printf '{\n  "name": "shop",\n  "scripts": {\n    "start": "node server.js"\n  }\n}\n' > "$W/package.json"
git -C "$W" add package.json
git -C "$W" commit -q --amend -m "Stop script, and npm scripts"
push -f origin main
is "$rc" 0 "a clean force push is allowed"
is "$(rhead main)" "$(lhead main)" "the remote has the rewritten main"

# 8. several refs at once: one bad ref refuses the whole push
git -C "$W" checkout -qb b1
commit a.txt a "Clean change"
git -C "$W" checkout -qb b2 main
commit deploy/shop.service $'[Service]\nExecStart=/usr/bin/pm2 start server.js' "Unit file"
push origin b1 b2
is "$rc" 1 "push of two refs with one bad is refused"
like "$out" "guard: deploy/shop.service:2: deny: (/usr/bin/)?pm2 start server.js" \
	"the unit's ExecStart line is named"
is "$(rhead b1)" none "the clean ref was not pushed either"
git -C "$W" checkout -q b2
git -C "$W" reset -q --hard main
commit b.txt b "Another clean change"
push origin b1 b2
is "$rc" 0 "push of two clean refs is allowed"
like "$out" "guard: 2 commits, " "both refs' commits are walked once"

# 9. a line the remote already has does not block a push that did not add it
git -C "$W" checkout -q main
commit legacy.sh 'pm2 status' "Legacy script"
(cd "$W" && git push -q --no-verify origin main 2>/dev/null)
commit legacy.sh 'echo bye' "Touch legacy script"
push origin main
is "$rc" 0 "a pre-existing finding does not block"
like "$out" "guard: legacy.sh:1: deny \(already on the remote, not counted\): pm2 status" \
	"but it is shown"

# 10. the policy is read at the pushed tip, not in the working tree
git -C "$W" checkout -q -b relaxed main
sed -i '/\[rule no-pm2\]/,/^see/d' "$W/.guard/policy.ini"
commit .guard/policy.ini '' "Allow pm2 on this branch"
commit pm2.sh 'pm2 list' "Use pm2"
git -C "$W" checkout -q main
push origin relaxed
is "$rc" 0 "a ref whose committed policy allows pm2 is allowed, from another checkout"
git -C "$W" checkout -q -b strict main
cp "$W/.guard/policy.ini" "$TMP/strict.ini"
sed -i '/\[rule no-pm2\]/,/^see/d' "$W/.guard/policy.ini" # uncommitted edit
commit pm2b.sh 'pm2 list' "Use pm2 again"
push origin strict
is "$rc" 1 "an uncommitted policy edit does not relax the check"
git -C "$W" checkout -q .guard/policy.ini

# 11. nothing to push: git runs the hook with no lines
git -C "$W" checkout -q main
push origin main
is "$rc" 0 "up to date: allowed"
out=$(cd "$W" && printf '' | "$GUARD" hook pre-push origin "$R" 2>&1)
is "$?:$out" "0:" "zero ref lines: exit 0, silent"

done_testing
