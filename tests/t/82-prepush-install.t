#!/bin/bash
# guard install pre-push: core.hooksPath, chaining to an existing hook,
# idempotence, uninstall, linked worktrees.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/prepush.sh"

# 1. an existing hook is kept and runs first, with the same stdin and args
new_repo
cat > "$W/.git/hooks/pre-push" <<'EOF'
#!/bin/sh
echo "old hook: $1 $2" > "$HOME/old-hook.args"
cat > "$HOME/old-hook.stdin"
exit "$(cat "$HOME/old-hook.status" 2>/dev/null || echo 0)"
EOF
chmod +x "$W/.git/hooks/pre-push"
cp "$W/.git/hooks/pre-push" "$TMP/old-hook"
out=$("$GUARD" install pre-push --repo "$W" 2>&1)
ok $? "install over an existing hook succeeds"
like "$out" "runs the previous hook first: $W/.git/hooks/pre-push.guard-chained" "it says it chains"
cmp -s "$TMP/old-hook" "$W/.git/hooks/pre-push.guard-chained"
ok $? "the old hook is kept byte for byte"
out2=$("$GUARD" install pre-push --repo "$W" 2>&1)
ok $? "installing twice succeeds"
cmp -s "$TMP/old-hook" "$W/.git/hooks/pre-push.guard-chained"
ok $? "installing twice leaves the chained hook alone"
push origin main
is "$rc" 0 "push allowed"
is "$(cat "$HOME/old-hook.args")" "old hook: origin $R" "the old hook got the remote name and URL"
is "$(cat "$HOME/old-hook.stdin")" "refs/heads/main $(lhead main) refs/heads/main $(printf '0%.0s' {1..40})" \
	"the old hook got git's ref lines"
echo 7 > "$HOME/old-hook.status"
commit notes.txt x "Clean"
push origin main
is "$rc" 1 "a refusing old hook still refuses the push"
like "$out" "push refused by the pre-push hook guard chains to .*pre-push.guard-chained, exit 7" \
	"guard says the chained hook refused"
rm -f "$HOME/old-hook.status"

# 2. guard still checks after the old hook passed
commit deploy.sh 'pm2 start server.js' "pm2"
push origin main
is "$rc" 1 "guard refuses after the chained hook passed"
like "$out" "deploy.sh:5: deny: pm2 start server.js" "guard's finding is printed"

# 3. uninstall puts the old hook back
out=$("$GUARD" uninstall pre-push --repo "$W" 2>&1)
ok $? "uninstall succeeds"
cmp -s "$TMP/old-hook" "$W/.git/hooks/pre-push"
ok $? "the old hook is back in place"
ok "$([ ! -e "$W/.git/hooks/pre-push.guard-chained" ] && echo 0 || echo 1)" "no chained copy left"

# 4. core.hooksPath (relative) is respected; .git/hooks is not touched
new_repo
git -C "$W" config core.hooksPath .githooks
out=$(cd "$W" && "$GUARD" install pre-push 2>&1)
ok $? "install with core.hooksPath succeeds"
ok "$([ -x "$W/.githooks/pre-push" ] && echo 0 || echo 1)" "hook written to core.hooksPath"
ok "$([ ! -e "$W/.git/hooks/pre-push" ] && echo 0 || echo 1)" ".git/hooks/pre-push not written"
commit deploy.sh 'pm2 logs' "pm2 logs"
push origin main
is "$rc" 1 "the hook in core.hooksPath runs and refuses"

# 5. absolute core.hooksPath from the global config (husky-style)
new_repo
git config --global core.hooksPath "$TMP/global-hooks"
out=$("$GUARD" install pre-push --repo "$W" 2>&1)
ok "$([ -x "$TMP/global-hooks/pre-push" ] && echo 0 || echo 1)" "global absolute core.hooksPath is respected"
git config --global --unset core.hooksPath

# 6. a linked worktree: hooks live in the common dir; pushing from it works
new_repo
"$GUARD" install pre-push --repo "$W" >/dev/null 2>&1
git -C "$W" worktree add -q "$TMP/wt2" -b side 2>/dev/null
ok "$([ -x "$W/.git/hooks/pre-push" ] && echo 0 || echo 1)" "installed into the common hooks dir"
printf 'pm2 kill\n' > "$TMP/wt2/side.sh"
git -C "$TMP/wt2" add side.sh && git -C "$TMP/wt2" commit -qm "side pm2"
out=$(cd "$TMP/wt2" && git push origin side 2>&1)
is "$?" 1 "push from a linked worktree is checked"
like "$out" "side.sh:1: deny: pm2 kill" "and names the finding"

# 7. git --git-dir/--work-tree (GIT_WORK_TREE set: libgit2 1.5 needs the fallback)
out=$(git --git-dir="$W/.git" --work-tree="$W" push origin side 2>&1)
is "$?" 1 "push with --git-dir/--work-tree is checked"
like "$out" "side.sh:1: deny: pm2 kill" "and names the finding"

# 8. not a repository
out=$("$GUARD" install pre-push --repo "$TMP/home" 2>&1)
is "$?" 1 "install outside a repository fails"
like "$out" "not a git repository" "and says so"

done_testing
