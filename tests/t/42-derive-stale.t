#!/bin/bash
# guard derive reads only committed docs; --check finds a stale policy and
# names the docs that changed; opening repositories the ways git does
# (--repo, GIT_DIR/GIT_WORK_TREE, linked worktrees, bare, another owner).
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "git not installed"
export XDG_STATE_HOME=$TMP/state HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$HOME"
R=$TMP/repo
sh "$TOP/share/examples/mkrepo.sh" "$R" >/dev/null 2>&1
GUIDE=00-project-docs/feature-specifications/production-deployment-guide.md
g() { git -C "$R" "$@"; }
check() { CHK=$(cd "$R" && $GUARD derive --check "$@" 2>&1); CHK_RC=$?; }

(cd "$R" && $GUARD derive 2>/dev/null) && g add .guard && g commit -q -m "derived policy"
check
is "$CHK_RC" 0 "--check: the committed policy is current"

# Uncommitted edits change nothing.
before=$(cd "$R" && $GUARD derive -o - 2>/dev/null)
echo "PM2 is fine after all." >>"$R/$GUIDE"
after=$(cd "$R" && $GUARD derive -o - 2>/dev/null)
is "$after" "$before" "an uncommitted edit of the guide does not change the output"
check
is "$CHK_RC" 0 "--check still passes with the edit uncommitted"

# Committing the edit makes the policy stale, naming the guide.
g commit -q -am "guide: edit"
check
is "$CHK_RC" 1 "--check exits 1 once the edit is committed"
like "$CHK" "$GUIDE: changed since the policy was derived" "  ... naming the guide"
like "$CHK" "run \`guard derive\` and commit" "  ... and saying what to do"
(cd "$R" && $GUARD derive 2>/dev/null) && g commit -q -am "policy: re-derived"
check
is "$CHK_RC" 0 "re-derived and committed: current again"

# A new doc, and a removed one.
mkdir -p "$R/docs" && printf '# Ops\n\nNever use nodemon on the server.\n' >"$R/docs/ops.md"
g add docs && g commit -q -m "docs: ops"
check
is "$CHK_RC" 1 "a new doc makes the policy stale"
like "$CHK" "docs/ops.md: new doc" "  ... naming it"
(cd "$R" && $GUARD derive 2>/dev/null) && g commit -q -am "policy"
g rm -q docs/ops.md && g commit -q -m "docs: drop ops"
check
like "$CHK" "docs/ops.md: no longer read" "a removed doc is named too"
(cd "$R" && $GUARD derive 2>/dev/null) && g commit -q -am "policy"

# A hand-edited policy is stale too (the docs are the source).
sed 's/^action = deny$/action = warn/' "$R/.guard/policy.ini" >"$TMP/edited.ini"
check --policy "$TMP/edited.ini"
is "$CHK_RC" 1 "--check --policy FILE: a hand-edited rule is reported"
like "$CHK" "rules differ from what guard derive writes now" "  ... as such"
check --policy "$R/.guard/policy.ini"
is "$CHK_RC" 0 "--check --policy FILE: the real one is current"
check --policy "$TMP/nonexistent.ini"
is "$CHK_RC" 2 "--check with a missing policy file: error (2)"

# --ref: another commit's docs.
old=$(g rev-parse HEAD~3)
out=$(cd "$R" && $GUARD derive --ref HEAD~3 -o - 2>/dev/null)
like "$out" "commit = $old" "--ref HEAD~3 records that commit"
out=$(cd "$R" && $GUARD derive --ref no-such-ref -o - 2>&1)
rc=$?
is "$rc" 2 "an unknown ref is an error (2)"
like "$out" "cannot resolve 'no-such-ref'" "  ... saying so"
out=$(cd "$R" && $GUARD derive --ref "$(printf 'a%.0s' {1..64})" -o - 2>&1)
like "$out" "SHA-256" "a 64-hex object id is refused with a clear message"

# [docs] include/exclude from the policy, and --include.
mkdir -p "$R/ops" && printf 'Never run forever on this host.\n' >"$R/ops/notes.txt"
g add ops && g commit -q -m "ops notes"
out=$(cd "$R" && $GUARD derive -o - 2>/dev/null)
unlike "$out" "ops/notes.txt" "ops/notes.txt is not a default doc"
out=$(cd "$R" && $GUARD derive --include 'ops/*.txt' -o - 2>/dev/null)
like "$out" "doc = ops/notes.txt [0-9a-f]{40}" "--include GLOB adds it"
like "$out" "include = ops/\*\.txt" "  ... and the output keeps the selection"
printf '[docs]\ninclude = ops/*.txt\nexclude = README*\n' >"$TMP/sel.ini"
cp "$TMP/sel.ini" "$R/.guard/policy.ini"
(cd "$R" && $GUARD derive 2>/dev/null)
out=$(cat "$R/.guard/policy.ini")
like "$out" "doc = ops/notes.txt" "[docs] include in the existing policy is honoured"
unlike "$out" "doc = README.md" "[docs] exclude too"
like "$out" "exclude = README\*" "  ... and kept"
g add .guard && g commit -q -m "policy with [docs]"
check
is "$CHK_RC" 0 "--check uses the policy's own [docs] selection"

# Opening the repository the ways git and its hooks do.
mkdir -p "$TMP/elsewhere"
out=$(cd "$TMP/elsewhere" && $GUARD derive --repo "$R" -o - 2>&1)
like "$out" "doc = $GUIDE" "--repo DIR from another directory"
out=$(cd "$R/00-project-docs" && $GUARD derive -o - 2>&1)
like "$out" "doc = $GUIDE" "from a subdirectory (search upward)"
out=$(cd "$TMP/elsewhere" && GIT_DIR=$R/.git GIT_WORK_TREE=$R $GUARD derive -o - 2>&1)
like "$out" "doc = $GUIDE" "GIT_DIR + GIT_WORK_TREE (libgit2 1.5 refuses these through FROM_ENV)"
out=$(cd "$TMP/elsewhere" && GIT_DIR=$R/.git GIT_WORK_TREE=$R $GUARD derive 2>&1)
like "$out" "wrote $R/.guard/policy.ini" "  ... and writes into GIT_WORK_TREE"
g checkout -q .guard/policy.ini
g worktree add -q "$TMP/wt" -b wt 2>/dev/null
out=$(cd "$TMP/wt" && $GUARD derive -o - 2>&1)
like "$out" "doc = $GUIDE" "a linked worktree"
git clone -q --bare "$R" "$TMP/bare.git"
out=$(cd "$TMP/elsewhere" && $GUARD derive --repo "$TMP/bare.git" 2>&1)
rc=$?
is "$rc" 2 "a bare repository without -o: error (2)"
like "$out" "bare repository has no work tree" "  ... saying why"
out=$(cd "$TMP/elsewhere" && $GUARD derive --repo "$TMP/bare.git" -o - 2>&1)
like "$out" "doc = $GUIDE" "a bare repository with -o -"
out=$(cd "$TMP/elsewhere" && GIT_CEILING_DIRECTORIES=$TMP $GUARD derive 2>&1)
rc=$?
is "$rc" 2 "outside any repository: error (2)"
like "$out" "not a git repository" "  ... saying so"

# Another user's checkout (an operator reading /srv/app owned by deploy).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	cp -a "$R" "$TMP/other" && chown -R nobody "$TMP/other"
	out=$(cd "$TMP/elsewhere" && $GUARD derive --repo "$TMP/other" -o - 2>&1)
	like "$out" "doc = $GUIDE" "a repository owned by another user is read by default"
	out=$(cd "$TMP/elsewhere" && $GUARD derive --validate-owner --repo "$TMP/other" -o - 2>&1)
	like "$out" "not owned by the current user" "--validate-owner refuses it, clearly"
fi

# A ```guard block guard would refuse: nothing is written, the doc's line is named.
B=$TMP/badblock
mkdir -p "$B" && git -C "$B" init -q -b main
printf '# Ops\n\nText.\n\n```guard\n[rule x]\nmatch = rake db:reset\nacton = deny\n```\n' >"$B/RUNBOOK.md"
git -C "$B" add -A && git -C "$B" -c user.name=t -c user.email=t@e commit -q -m x
out=$(cd "$B" && $GUARD derive 2>&1)
rc=$?
is "$rc" 2 "a guard block with an unknown key: error (2)"
like "$out" "RUNBOOK.md:8: unknown key 'acton'" "  ... naming the doc's line"
[ ! -e "$B/.guard/policy.ini" ]
ok $? "  ... and nothing is written"

# A hand-written policy is not overwritten without --force.
H=$TMP/handwritten
sh "$TOP/share/examples/mkrepo.sh" "$H" >/dev/null 2>&1
mkdir -p "$H/.guard" && cp "$TOP/policies/massage-shop.ini" "$H/.guard/policy.ini"
out=$(cd "$H" && $GUARD derive 2>&1)
is "$?" 2 "a hand-written .guard/policy.ini is not overwritten (2)"
like "$out" "was not written by guard derive" "  ... saying why"
cmp -s "$TOP/policies/massage-shop.ini" "$H/.guard/policy.ini"
ok $? "  ... and it is unchanged"
(cd "$H" && $GUARD derive --force 2>/dev/null)
like "$(cat "$H/.guard/policy.ini")" "^\[derived\]|
\[derived\]" "--force replaces it"
done_testing
