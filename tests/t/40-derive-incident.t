#!/bin/bash
# guard derive on the incident's repository (share/examples/massage-shop): a
# Node app that systemd runs, a deployment guide in ordinary prose that says
# PM2 must not be used.  The derived policy must deny PM2 and friends with the
# guide's own sentence and line, and allow the documented systemd commands
# once the guide's section has been acknowledged.
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "git not installed"
export XDG_STATE_HOME=$TMP/state HOME=$TMP/home
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
R=$TMP/repo
sh "$TOP/share/examples/mkrepo.sh" "$R" >/dev/null 2>&1
ok $? "example repository created with git"
GUIDE=00-project-docs/feature-specifications/production-deployment-guide.md
P=$R/.guard/policy.ini

out=$(cd "$R" && $GUARD derive 2>&1)
ok $? "guard derive in the repository exits 0"
like "$out" "wrote .*\.guard/policy\.ini" "it says where it wrote the policy"
[ -f "$P" ]
ok $? ".guard/policy.ini written"

# Lines of the guide the rules must point at (found, not hard-coded).
l_pm2=$(grep -n 'PM2 should not be installed' "$R/$GUIDE" | cut -d: -f1)
l_own=$(grep -n 'The application is managed by systemd' "$R/$GUIDE" | cut -d: -f1)
pol=$(cat "$P")
head=$(git -C "$R" rev-parse HEAD)
blob=$(git -C "$R" rev-parse "HEAD:$GUIDE")
like "$pol" "^commit = $head$|
commit = $head" "records the commit"
like "$pol" "doc = $GUIDE $blob" "records the guide's blob id"
like "$pol" "reason = PM2 should not be installed or used on the production server\." \
	"the PM2 rule's reason is the guide's sentence"
like "$pol" "see = $GUIDE:$l_pm2" "the PM2 rule points at the guide's line $l_pm2"
like "$pol" "instead = sudo systemctl restart massage-shop" "instead: the documented restart"
like "$pol" "\[ack production-deployment-guide\]" "an [ack] section for the guide"
like "$pol" "section = Process management" "bound to the section that names the manager"
like "$pol" "blob = $blob" "bound to the guide's blob"
unlike "$pol" "$(printf '.{190}')" "no line of 190 bytes or more"
unlike "$pol" " ;" "no ' ;' (an inline comment) in any value"

# The output is deterministic and sorted.
a=$(cd "$R" && $GUARD derive -o - 2>/dev/null)
b=$(cd "$R" && $GUARD derive -o - 2>/dev/null)
is "$a" "$b" "two runs give the same bytes"
is "$a" "$pol" "-o - prints what was written"
names=$(printf '%s\n' "$pol" | sed -n 's/^\[rule \(.*\)\]$/\1/p')
is "$names" "$(printf '%s\n' "$names" | LC_ALL=C sort)" "rules are sorted by name"

# Verdicts through guard check (exit 0 allow, 1 warn, 2 deny).
verdict() {
	local out rc
	out=$($GUARD check --policy "$P" -- "$1" 2>&1)
	rc=$?
	case $rc in 0) v=allow ;; 1) v=warn ;; 2) v=deny ;; *) v="error($rc)" ;; esac
	LAST=$out
}
expect() { # CMD VERDICT [REGEX]
	verdict "$1"
	is "$v" "$2" "check: $1 -> $2"
	if [ -n "${3:-}" ]; then like "$LAST" "$3" "  ... message names: $3"; fi
}
expect "pm2 restart all" deny "PM2 should not be installed or used"
like "$LAST" "$GUIDE:$l_pm2" "  ... and the guide's line"
expect "pm2 logs" deny "$GUIDE:$l_pm2"
expect "npx pm2 list" deny "PM2 should not be installed"
expect "sudo -u deploy pm2 delete all" deny
expect "forever start server.js" deny "$GUIDE:$l_own"
expect "node server.js" deny "The application is managed by systemd"
expect "nohup node /srv/massage-shop/server.js &" deny
expect "npm install -g pm2" deny "PM2 should not be installed"
expect "npm i pm2@latest" deny
expect "npm ci --omit=dev" allow
expect "ls" allow
expect "git pull" allow
expect "echo pm2" allow
expect "node --version" allow
# The documented commands need the guide's section read first.
expect "sudo systemctl restart massage-shop" deny "guard ack production-deployment-guide [0-9a-f]{6}"
like "$LAST" "PM2 should not be installed" "  ... the deny shows the section's text"
tok=$($GUARD ack --policy "$P" production-deployment-guide | sed -n 's/^    guard ack [^ ]* //p')
like "$tok" "^[0-9a-f]{6}$" "guard ack NAME prints the code with the section"
$GUARD ack --policy "$P" production-deployment-guide "$tok" >/dev/null
ok $? "guard ack NAME CODE records it"
expect "sudo systemctl restart massage-shop" allow
expect "sudo journalctl -u massage-shop" allow
expect "systemctl status massage-shop.service" allow
expect "pm2 restart all" deny

# The derived policy passes its own examples.
out=$($GUARD policy check "$P" 2>&1)
ok $? "guard policy check accepts the derived policy"
[ $? -eq 0 ] || echo "# $out" | head -5

# guard derive never makes build/guard load libgit2.
if command -v ldd >/dev/null; then
	unlike "$(ldd "$GUARD_BUILD/guard")" "libgit2" "build/guard does not link libgit2"
fi
done_testing
