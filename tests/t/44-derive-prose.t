#!/bin/bash
# Prose that only looks like a prohibition must not become a rule, and the
# rules that are made carry the right sentence, line and suggestion.
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "git not installed"
export HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
R=$TMP/repo
mkdir -p "$R" "$HOME" && git -C "$R" init -q -b main
cat >"$R/README.md" <<'EOF'
# Widget service

Don't forget to run `npm test` before you push.
You should never need to restart nginx by hand; systemd does it.
Logs are kept forever in S3, so do not worry about rotation.
Never commit secrets: use `git secret add` instead.
We used PM2 in 2019 but it is not needed any more.
Avoid `rm -rf node_modules` on the build server: it takes ten minutes to reinstall.
The worker runs under systemd as `widget-worker.service`. Restart it with `sudo systemctl restart widget-worker`.
Use `kubectl` only for the staging cluster, never for production.
Do not use forever or nodemon for the worker.
Do not run the worker in Docker.
EOF
printf '{"scripts":{"start":"node index.js"}}\n' >"$R/package.json"
git -C "$R" add -A && git -C "$R" -c user.name=t -c user.email=t@e commit -q -m x
pol=$(cd "$R" && $GUARD derive -o - 2>&1)
ok $? "derived"
matches=$(printf '%s\n' "$pol" | sed -n 's/^match = //p' | LC_ALL=C sort | tr '\n' '|')
is "$matches" "docker|forever|kubectl|node *index.js|nodemon|pm2|rm -rf node_modules|systemctl * widget-worker*|" \
	"exactly the expected rules (no npm test, nginx, git, S3 'forever')"
rule() { printf '%s\n' "$pol" | awk -v n="[rule $1]" '$0 == n {p=1} p && /^$/ {exit} p'; }
like "$(rule no-kubectl)" "reason = Use \`kubectl\` only for the staging cluster, never for production\." \
	"kubectl: the doc's sentence"
unlike "$(rule no-kubectl)" "instead =" "kubectl is not a process manager: no systemd suggestion"
like "$(rule no-forever)" "reason = Do not use forever or nodemon for the worker\." \
	"forever: the prohibition's sentence wins over the ownership sentence"
like "$(rule no-forever)" "see = README.md:11" "  ... with its line"
like "$(rule no-forever)" "instead = sudo systemctl restart widget-worker" "  ... and the owner's command"
like "$(rule no-pm2)" "reason = The worker runs under systemd" "pm2: denied as a competing manager"
like "$(rule no-hand-started-node-index-js)" "example.deny = node index.js" \
	"a hand-started copy of package.json's start script"
like "$(rule use-systemctl-widget-worker)" "ack = readme" "the owner's commands are gated by [ack readme]"
like "$pol" "\[ack readme\]" "[ack readme] written"

# Plain text: indented paragraphs are prose, not commands.
cat >"$R/docs-notes.txt" <<'EOF'
WARNINGS: removing the cache deletes everything in it.

    needs to look like this, and provide an implementation
    Please see the skeleton for how this works.
EOF
git -C "$R" add -A && git -C "$R" -c user.name=t -c user.email=t@e commit -q -m notes
pol2=$(cd "$R" && $GUARD derive --include 'docs-notes.txt' -o - 2>&1)
like "$pol2" "doc = docs-notes.txt" "the text doc is read"
unlike "$pol2" "needs to look like|Please see" "indented prose after a caution makes no rule"

# Ownership phrased in other ways, and negated.
own() { # TEXT: the manager guard derive finds (the allow rule it writes), or ""
	local d=$TMP/own$((++NOWN))
	mkdir -p "$d" && git -C "$d" init -q -b main
	printf '# Ops\n\n%s\n\nRestart: `sudo systemctl restart shop`.\n' "$1" >"$d/README.md"
	git -C "$d" add -A && git -C "$d" -c user.name=t -c user.email=t@e commit -q -m x
	(cd "$d" && $GUARD derive -o - 2>/dev/null) | sed -n 's/^match = \(systemctl.*\)/\1/p'
}
NOWN=0
is "$(own 'The shop runs on the host as a systemd service.')" "systemctl * shop*" "'runs ... as a systemd service' names the owner"
is "$(own 'The shop is not managed by systemd.')" "" "'is not managed by systemd' does not"
is "$(own 'Never run the shop as a systemd service.')" "" "'never run it as a systemd service' does not"
done_testing
