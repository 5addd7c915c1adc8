#!/bin/sh
# demo.sh - guard end to end on the bundled example repository (the incident:
# a Node app run by systemd whose deployment guide says PM2 must not be used).
# Run by `make demo`.  Everything happens in a scratch directory; nothing on
# this machine is changed and nothing real is restarted (sudo and pm2 are
# stand-ins that only print what they were asked to do).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
GUARD=$BUILD/guard
[ -x "$GUARD" ] && [ -x "$BUILD/guard-git" ] || { echo "demo: build first (make)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guard-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_STATE_HOME="$tmp/state" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
repo=$tmp/massage-shop
guide=00-project-docs/feature-specifications/production-deployment-guide.md
mkdir -p "$tmp/bin"
for t in sudo pm2; do
	printf '#!/bin/sh\necho "  [stand-in] %s $*"\n' "$t" >"$tmp/bin/$t"
	chmod +x "$tmp/bin/$t"
done
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; printf '  (exit %s)\n' "$?"; }

step "1. The example repository: a Node app that systemd runs"
sh "$top/share/examples/mkrepo.sh" "$repo" >/dev/null
(cd "$repo" && git log --oneline && git ls-files)
echo "The guide says, in ordinary prose:"
grep -n -e 'managed by systemd' -e 'PM2 should not' "$repo/$guide" | sed "s|^|  $guide:|"

step "2. guard derive: the policy from the committed docs"
cd "$repo" || exit 1
run "$GUARD" derive
sed -n '/^\[rule no-pm2\]/,/^$/p;/^\[ack /,/^$/p' .guard/policy.ini

step "3. What an assistant would have run, checked and explained"
P=.guard/policy.ini
for c in 'pm2 restart all' 'npx pm2 logs' 'forever start server.js' 'ls' 'git pull'; do
	run "$GUARD" check --policy "$P" -- "$c"
done
echo "Why the wrapped one is blocked, step by step:"
run "$GUARD" explain --policy "$P" -- 'npx pm2 logs'

step "4. The documented command needs the guide read first (-c, as an agent runs it)"
PATH=$tmp/bin:$PATH
export PATH
run "$GUARD" --policy "$P" -c 'sudo systemctl restart massage-shop'
code=$("$GUARD" ack --policy "$P" production-deployment-guide | sed -n 's/^    guard ack [^ ]* //p')
echo "(the code is printed only with the section's text: guard ack production-deployment-guide)"
run "$GUARD" ack --policy "$P" production-deployment-guide "$code"
run "$GUARD" --policy "$P" -c 'sudo systemctl restart massage-shop'
run "$GUARD" --policy "$P" -c 'pm2 restart all'

step "5. The guide changes: the committed policy is stale until re-derived"
git add .guard && git commit -q -m "guard: derived policy"
run "$GUARD" derive --check
echo 'Run `npm ci --omit=dev` before every deploy.' >>"$guide"
git commit -q -am "guide: dependencies step"
run "$GUARD" derive --check
run "$GUARD" derive
run "$GUARD" ack --list
echo
echo "demo: done (scratch directory removed)"
