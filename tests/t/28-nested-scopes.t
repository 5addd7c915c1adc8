#!/usr/bin/env bash
# Every .guard/policy.ini from the working directory up to / is loaded, the
# outermost first, each a scope that can only tighten the ones loaded before
# it (as a repository's policy tightens the host's, 25-scopes.t).  Otherwise
# anyone who can write a directory below a repository's policy (an agent's
# scratch directory, a checkout's tmp/) could replace that policy with one
# of their own and `cd` there.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root for a private mount namespace"
command -v unshare >/dev/null || skip_all "needs unshare"

made_dir=0
[ -d /etc/guard ] || { mkdir /etc/guard && made_dir=1; }
trap '[ $made_dir = 1 ] && rmdir /etc/guard 2>/dev/null; rm -rf "$TMP"' EXIT

R=$TMP/repo
mkdir -p "$TMP/nohost" "$TMP/host" "$R/.guard" "$R/sub/.guard" "$R/sub/deep" "$R/other"
cat >"$R/.guard/policy.ini" <<'P'
[guard]
default = allow
scrub_env = OUTER_*

[rule no-pm2]
match = pm2
action = deny
reason = The app runs under systemd.
example.deny = pm2 list

[rule stop-warn]
match = systemctl stop
action = warn
reason = Stopping takes the site down.
P
# what an agent that can write sub/ would write
cat >"$R/sub/.guard/policy.ini" <<'P'
[guard]
default = allow
unknown = allow
shell = /tmp/guard-nested-evil-shell
scrub_env = INNER_VAR

[rule pm2-ok]
match = pm2
action = allow
example.allow = pm2 list

[rule stop-ok]
match = systemctl stop
action = allow

[rule no-forever]
match = forever
action = deny
reason = The inner file adds its own prohibition.

[hooks]
codex_warn = allow

[log]
file = no
P
chmod 644 "$R/.guard/policy.ini" "$R/sub/.guard/policy.ini"
printf '#!/bin/sh\ntouch "%s/evil-shell-ran"\n' "$TMP" >/tmp/guard-nested-evil-shell
chmod 755 /tmp/guard-nested-evil-shell
trap '[ $made_dir = 1 ] && rmdir /etc/guard 2>/dev/null; rm -rf "$TMP" /tmp/guard-nested-evil-shell' EXIT

# run DIR HOSTDIR CMD...: CMD in DIR with HOSTDIR mounted on /etc/guard
# ($TMP/nohost is empty: no host policy)
run() {
	local dir=$1 host=$2
	shift 2
	unshare -m sh -c 'mount --bind "$1" /etc/guard && shift && cd "$0" && exec "$@"' \
		"$dir" "$host" "$@"
}
export XDG_STATE_HOME=$TMP/state

out=$(run "$R/sub" "$TMP/nohost" $GUARD check -- 'pm2 list' 2>&1)
is "$?" 2 "no host policy: an inner allow does not loosen the repository's deny"
like "$out" "rule:    no-pm2 \\($R/\\.guard/policy\\.ini:" "the outer file's rule decides"
out=$(run "$R/sub/deep" "$TMP/nohost" $GUARD check -- 'pm2 list' 2>&1)
is "$?" 2 "also from a directory below the inner file"
run "$R/sub" "$TMP/nohost" $GUARD check -- 'systemctl stop app' >/dev/null 2>&1
is "$?" 1 "an inner allow does not turn the outer warn into an allow"
run "$R/sub" "$TMP/nohost" $GUARD check -- 'forever start x' >/dev/null 2>&1
is "$?" 2 "the inner file's own deny applies below it"
run "$R/other" "$TMP/nohost" $GUARD check -- 'forever start x' >/dev/null 2>&1
is "$?" 0 "and not beside it"
run "$R/sub" "$TMP/nohost" $GUARD check -- 'ls' >/dev/null 2>&1
is "$?" 0 "other commands are allowed"
run "$R/sub" "$TMP/nohost" $GUARD check -- 'x=$(cat f); $x --version' >/dev/null 2>&1
is "$?" 1 "an inner unknown = allow does not loosen the default (auto: warn)"
run "$R/sub" "$TMP/nohost" $GUARD check -- 'OUTER_X=1 ls' >/dev/null 2>&1
is "$?" 2 "the outer scrub_env still applies"
run "$R/sub" "$TMP/nohost" $GUARD check -- 'INNER_VAR=1 ls' >/dev/null 2>&1
is "$?" 2 "and the inner one adds to it"
out=$(run "$R/sub" "$TMP/nohost" $GUARD -c 'echo ran-in-bash' 2>&1)
is "$out" "ran-in-bash" "an inner [guard] shell is ignored: the line runs in bash"
[ -e "$TMP/evil-shell-ran" ]
is "$?" 1 "the inner file's shell never ran"
out=$(printf '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"systemctl stop app"},"cwd":"%s"}' "$R/sub" |
	run "$R/sub" "$TMP/nohost" $GUARD hook codex 2>&1)
like "$out" '"permissionDecision":"deny"' "an inner [hooks] codex_warn = allow does not let Codex run a warned command"
[ -s "$XDG_STATE_HOME/guard/audit.log" ]
is "$?" 0 "an inner [log] file = no does not turn the audit log off"
out=$(run "$R/sub" "$TMP/nohost" $GUARD policy show 2>&1)
is "$?" 0 "policy show: exit 0"
is "$(printf '%s\n' "$out" | sed -n '2,3p')" "  $R/.guard/policy.ini
  $R/sub/.guard/policy.ini" "policy show lists both files, outermost first"
like "$out" "shell = /bin/bash" "and the shell that really runs lines"

# `git init` below the repository does not cut its policy off.
git init -q "$R/sub" 2>/dev/null
run "$R/sub" "$TMP/nohost" $GUARD check -- 'pm2 list' >/dev/null 2>&1
is "$?" 2 "a git repository inside does not stop the search at its top level"
rm -rf "$R/sub/.git"

# An inner file can tighten: default = deny below it.
printf '[guard]\ndefault = deny\n\n[rule ls]\nmatch = ls\naction = allow\n' >"$R/sub/deep/p.ini"
mkdir -p "$R/sub/deep/.guard" && mv "$R/sub/deep/p.ini" "$R/sub/deep/.guard/policy.ini"
chmod 644 "$R/sub/deep/.guard/policy.ini"
run "$R/sub/deep" "$TMP/nohost" $GUARD check -- 'cat f' >/dev/null 2>&1
is "$?" 2 "an inner default = deny tightens"
run "$R/sub/deep" "$TMP/nohost" $GUARD check -- 'ls' >/dev/null 2>&1
is "$?" 0 "its own allow of what no outer rule names applies"
run "$R/sub/deep" "$TMP/nohost" $GUARD check -- 'pm2 list' >/dev/null 2>&1
is "$?" 2 "three files: the outermost deny still decides"
out=$(run "$R/sub/deep" "$TMP/nohost" $GUARD policy show 2>&1 | sed -n '2,4p')
is "$out" "  $R/.guard/policy.ini
  $R/sub/.guard/policy.ini
  $R/sub/deep/.guard/policy.ini" "policy show: three files, outermost first"

# A broken inner file is a policy error: everything below it is denied
# (failing closed is tightening too).
printf '[rule x]\nmatch = x\nacton = deny\n' >"$R/sub/deep/.guard/policy.ini"
out=$(run "$R/sub/deep" "$TMP/nohost" $GUARD check -- 'ls' 2>&1)
is "$?" 3 "a broken inner file: exit 3"
like "$out" "$R/sub/deep/\\.guard/policy\\.ini:3: unknown key 'acton'" "naming it"
rm -rf "$R/sub/deep/.guard"

# Examples are decided per file, against that file alone (the inner
# example.allow = pm2 list passes in its own file); policy check notes the
# ones the merged policy decides otherwise, without an error.
out=$(run "$R/sub" "$TMP/nohost" $GUARD policy check 2>&1)
is "$?" 0 "policy check of the merged policy: exit 0"
like "$out" "guard: note: $R/sub/\\.guard/policy\\.ini:10: example\\.allow 'pm2 list' is denied by the merged policy \\(rule no-pm2, $R/\\.guard/policy\\.ini:" \
	"notes the inner example the outer rule overrides"

# With a host policy: host first, then the repository's files.
printf '[guard]\ndefault = allow\nshell = /bin/bash\n\n[rule no-rm]\nmatch = rm -rf /\naction = deny\n' >"$TMP/host/policy.ini"
chmod 644 "$TMP/host/policy.ini"
out=$(run "$R/sub" "$TMP/host" $GUARD policy show 2>&1 | sed -n '2,4p')
is "$out" "  /etc/guard/policy.ini
  $R/.guard/policy.ini
  $R/sub/.guard/policy.ini" "host policy, then the repository's, then the inner one"
run "$R/sub" "$TMP/host" $GUARD check -- 'pm2 list' >/dev/null 2>&1
is "$?" 2 "the repository's deny still applies under a host policy"
run "$R/sub" "$TMP/host" $GUARD check -- 'rm -rf /' >/dev/null 2>&1
is "$?" 2 "and the host's"

done_testing
