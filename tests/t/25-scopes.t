#!/usr/bin/env bash
# A repository's .guard/policy.ini may tighten the host policy
# (/etc/guard/policy.ini) but never loosen it: otherwise an ops account that
# can write a directory could allow itself what the host denies.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root for a private mount namespace"
command -v unshare >/dev/null || skip_all "needs unshare"

made_dir=0
[ -d /etc/guard ] || { mkdir /etc/guard && made_dir=1; }
trap '[ $made_dir = 1 ] && rmdir /etc/guard 2>/dev/null; rm -rf "$TMP"' EXIT

mkdir -p "$TMP/host" "$TMP/repo/.guard" "$TMP/repo/sub"
cat >"$TMP/host/policy.ini" <<'P'
[guard]
default = allow

[rule no-pm2]
match = pm2
action = deny
reason = The host runs the app under systemd.

[rule stop-warn]
match = systemctl stop
action = warn
reason = Stopping takes the site down.
P
cat >"$TMP/repo/.guard/policy.ini" <<'P'
[rule pm2-list-ok]
match = pm2 list
action = allow
reason = A repository trying to loosen the host policy.

[rule stop-ok]
match = systemctl stop app
action = allow

[rule no-forever]
match = forever
action = deny
reason = The repository adds its own prohibition.
P
chmod 644 "$TMP/host/policy.ini" "$TMP/repo/.guard/policy.ini"

# run CMD... with $TMP/host mounted on /etc/guard, from the repository
in_ns() {
	unshare -m sh -c 'mount --bind "$1" /etc/guard && shift && cd "$0" && exec "$@"' \
		"$TMP/repo/sub" "$TMP/host" "$@"
}

out=$(in_ns $GUARD check -- 'pm2 list' 2>&1)
is "$?" 2 "a repository's allow rule does not loosen the host's deny"
like "$out" "rule:    no-pm2" "the host's rule decides"
in_ns $GUARD check -- 'systemctl stop app' >/dev/null 2>&1
is "$?" 1 "nor turn the host's warn into an allow"
in_ns $GUARD check -- 'forever start x' >/dev/null 2>&1
is "$?" 2 "a repository's own deny still applies"
in_ns $GUARD check -- 'ls' >/dev/null 2>&1
is "$?" 0 "other commands are allowed"
out=$(in_ns $GUARD policy show 2>&1)
like "$out" "/etc/guard/policy.ini" "policy show lists the host policy"
like "$out" "repo/.guard/policy.ini" "and the repository's"

done_testing
