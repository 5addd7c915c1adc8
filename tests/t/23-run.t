#!/bin/bash
# guard -c / --prefix / --ssh: really runs approved lines with bash, passes
# exit status and signals through, runs nothing of a denied line, and hands
# the shell a scrubbed environment, no stray descriptors, default signals.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TOP" || exit 1
P=$TOP/policies/massage-shop.ini
W=$TMP/w
mkdir -p "$W"
cat >"$TMP/p.ini" <<'INI'
[guard]
scrub_env = NODE_OPTIONS PYTHON*
[rule pm2]
match = pm2
action = deny
instead = sudo systemctl restart massage-shop
[rule loud]
match = echo warned
action = warn
reason = just a test
INI
chmod 644 "$TMP/p.ini"
run() { (cd "$W" && $GUARD --policy "$TMP/p.ini" "$@"); }

out=$(run -c 'echo "$BASH_VERSION"')
like "$out" '^[0-9]+\.[0-9]+' "-c runs the line with bash"
run -c 'exit 7'
is "$?" 7 "the exit status passes through"
run -c 'kill -TERM $$' 2>/dev/null
is "$?" 143 "a signal passes through (128+SIGTERM)"
out=$(run -c 'echo "$0:$1:$2"' zero one two)
is "$out" "zero:one:two" "arguments after the line become \$0, \$1, ..."
out=$(run -c 'echo a; echo b >&2' 2>&1)
is "$out" "a
b" "stdout and stderr are the caller's"

out=$(run -c 'touch a; pm2 list' 2>&1)
is "$?" 126 "a denied line: exit 126"
[ -e "$W/a" ]
is "$?" 1 "and nothing of it ran: 'touch a' before 'pm2 list' created no file"
like "$out" "^guard: denied: pm2 list" "the block goes to stderr"
like "$out" "instead: sudo systemctl restart massage-shop" "with the command to use instead"

out=$(run -c 'echo warned' 2>"$TMP/err")
is "$?/$out" "0/warned" "a warned line runs"
like "$(cat "$TMP/err")" "^guard: warning: echo warned" "after printing the warning"

out=$(run --prefix 'echo pre; exit 4')
is "$?/$out" "4/pre" "--prefix takes the whole command as one argument"
out=$(run --prefix pm2 list 2>/dev/null)
is "$?" 126 "--prefix denies like -c"

out=$(SSH_ORIGINAL_COMMAND='echo via ssh; exit 5' run --ssh)
is "$?/$out" "5/via ssh" "--ssh runs SSH_ORIGINAL_COMMAND"
SSH_ORIGINAL_COMMAND='pm2 list' run --ssh 2>/dev/null
is "$?" 126 "--ssh denies like -c"
out=$(SSH_ORIGINAL_COMMAND='echo once' run -c "$GUARD_BUILD/guard --ssh")
is "$out" "once" "'guard -c \"guard --ssh\"' (ForceCommand through guard as login shell) runs the ssh command"
out=$(SSH_ORIGINAL_COMMAND="guard --ssh" timeout 10 "$GUARD_BUILD/guard" --policy "$TMP/p.ini" --ssh </dev/null 2>&1)
rc=$?
ok $((rc == 124)) "an ssh command that is guard --ssh itself does not loop (rc $rc)"

# The environment the shell gets.
printf 'touch %s/bash_env_ran\n' "$TMP" >"$TMP/benv"
(cd "$W" && BASH_ENV="$TMP/benv" ENV="$TMP/benv" $GUARD --policy "$TMP/p.ini" -c 'true')
[ -e "$TMP/bash_env_ran" ]
is "$?" 1 "BASH_ENV from the caller is not run"
out=$(cd "$W" && env BASH_ENV=x ENV=y LD_PRELOAD=/nonexistent.so LD_LIBRARY_PATH=/tmp LD_AUDIT=z \
	PROMPT_COMMAND=p PS4=q SHELLOPTS=xtrace BASHOPTS=extglob NODE_OPTIONS=n PYTHONPATH=o \
	KEEP=kept $GUARD --policy "$TMP/p.ini" -c 'env' 2>/dev/null | cut -d= -f1 | sort | tr '\n' ' ')
# Whole names: the caller's environment may hold others that end in ENV
# (TOX_TESTENV_PASSENV on some machines).
unlike " $out" " (BASH_ENV|ENV|LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|PROMPT_COMMAND|PS4|SHELLOPTS|BASHOPTS|NODE_OPTIONS|PYTHONPATH) " \
	"BASH_ENV, ENV, LD_*, PROMPT_COMMAND, PS4, SHELLOPTS, BASHOPTS and scrub_env are removed"
like "$out" "KEEP" "other variables are kept"
out=$(cd "$W" && env 'BASH_FUNC_ls%%=() { echo hijacked; }' $GUARD --policy "$TMP/p.ini" -c 'ls /' 2>&1)
unlike "$out" "hijacked" "exported bash functions (BASH_FUNC_*) are removed"
out=$(run -c 'LD_PRELOAD=/tmp/x.so ls' 2>&1)
is "$?" 126 "an LD_PRELOAD= assignment on the line is denied"
like "$out" "assigning LD_PRELOAD changes what the shell or the loader runs" "with the reason"
run -c 'BASH_ENV=/tmp/x bash -c true' 2>/dev/null
is "$?" 126 "a BASH_ENV= assignment on the line is denied"
run -c 'env BASH_ENV=/tmp/x bash -c true' 2>/dev/null
is "$?" 126 "also through env, for the shell it starts"
run -c 'env LD_PRELOAD=/tmp/x.so sudo ls' 2>/dev/null
is "$?" 126 "also through env for a wrapped command"
run -c "export PROMPT_COMMAND='touch x'; bash -i" 2>/dev/null </dev/null
is "$?" 126 "export of PROMPT_COMMAND is denied"

# The lines above that are one plain command (`true`, `env`, `ls /`) take
# the one-shot path: guard runs the program itself and bash never starts.
# Lines bash really runs (a list: `env; :`) must get the same scrubbed
# environment, and bash must read no startup file (--norc --noprofile):
# a HOME whose rc files would leave a mark, BASH_ENV and ENV all set.
H=$TMP/home
mkdir -p "$H"
for f in .bashrc .bash_profile .bash_login .profile .bash_logout; do
	printf 'touch %s/rc-ran%s\n' "$TMP" "$f" >"$H/$f"
done
SCRUBBED='BASH_ENV|ENV|LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|PROMPT_COMMAND|PS4|SHELLOPTS|BASHOPTS|GLOBIGNORE|IFS|BASH_FUNC_.*|NODE_OPTIONS|PYTHONPATH|PYTHONHOME'
dirty() { # CMD...: with every scrubbed variable set, HOME=$H
	(cd "$W" && env HOME="$H" BASH_ENV="$TMP/benv" ENV="$TMP/benv" LD_PRELOAD=/nonexistent.so \
		LD_LIBRARY_PATH=/tmp LD_AUDIT=/nonexistent.so PROMPT_COMMAND='touch pc' PS4='+$(touch ps4)' \
		SHELLOPTS=xtrace BASHOPTS=extglob GLOBIGNORE='*' IFS=x NODE_OPTIONS=n PYTHONPATH=o \
		PYTHONHOME=h 'BASH_FUNC_echo%%=() { builtin echo hijacked; }' KEEP=kept "$@")
}
rm -f "$TMP/bash_env_ran"
out=$(dirty $GUARD --policy "$TMP/p.ini" -c 'env; :' 2>/dev/null)
names=$(printf '%s\n' "$out" | cut -d= -f1 | grep -Ex "$SCRUBBED" | tr '\n' ' ')
is "$names" "" "bash really running a list: no BASH_ENV, ENV, BASH_FUNC_*, LD_*, PS4, IFS, scrub_env ... in its environment"
like "$out" "^KEEP=kept$" "other variables reach it"
like "$out" "^_=/usr/bin/env$" "(it is bash's environment: bash set _ to the program)"
out=$(dirty $GUARD --policy "$TMP/p.ini" -c 'echo "$BASH_VERSION"; echo plain; set -o | grep "^xtrace"; shopt extglob' 2>/dev/null)
like "$out" "^[0-9]+\.[0-9]+" "the list ran in bash"
like "$out" "plain" "echo is bash's builtin, not the exported function"
unlike "$out" "hijacked" "no exported function reached bash"
like "$out" "^xtrace[[:space:]]+off$" "SHELLOPTS=xtrace did not reach bash"
like "$out" "^extglob[[:space:]]+off$" "BASHOPTS=extglob did not reach bash"
ls "$TMP" | grep -q '^rc-ran'
is "$?" 1 "bash read none of .bashrc, .bash_profile, .bash_login, .profile"
[ -e "$TMP/bash_env_ran" ] || [ -e "$W/pc" ] || [ -e "$W/ps4" ]
is "$?" 1 "nor BASH_ENV / ENV, and PROMPT_COMMAND and PS4 never ran"
out=$(dirty $GUARD --policy "$TMP/p.ini" -c 'tr "\0" " " </proc/$$/cmdline; echo' 2>/dev/null)
like "$out" "^bash --norc --noprofile -c " "bash is started as bash --norc --noprofile -c (its /proc/PID/cmdline)"
out=$(dirty $GUARD --policy "$TMP/p.ini" -l -c 'shopt login_shell; :' 2>/dev/null)
ls "$TMP" | grep -q '^rc-ran'
is "$?" 1 "not even for guard -l -c"
if command -v strace >/dev/null && [ -z "${GUARD_VALGRIND:-}" ]; then
	# Which programs start: the fast path execs env alone, a list bash.
	dirty strace -f -qq -e trace=execve -o "$TMP/trace" $GUARD --policy "$TMP/p.ini" -c 'env' >"$TMP/fast.out" 2>/dev/null
	execs=$(grep -o 'execve("[^"]*"' "$TMP/trace" | sed 's/execve("//; s/"$//' | sed 1d | tr '\n' ' ')
	is "$execs" "/usr/bin/env " "one plain command: guard execs the program itself (no bash)"
	names=$(cut -d= -f1 "$TMP/fast.out" | grep -Ex "$SCRUBBED" | tr '\n' ' ')
	is "$names" "" "and the fast path scrubs the same variables"
	grep -qx KEEP=kept "$TMP/fast.out"
	is "$?" 0 "keeping the others"
	dirty strace -f -qq -e trace=execve -o "$TMP/trace" $GUARD --policy "$TMP/p.ini" -c 'env; :' >/dev/null 2>&1
	like "$(grep -o 'execve("[^"]*", \["[^]]*\]' "$TMP/trace" | sed -n 2p)" '^execve\("/bin/bash", \["bash", "--norc", "--noprofile", "-c", "env; :"\]' \
		"a list: guard execs bash --norc --noprofile -c LINE"
fi

# Descriptors above 2 are closed; signal dispositions and the mask reset.
out=$(cd "$W" && $GUARD --policy "$TMP/p.ini" -c 'ls /proc/$$/fd' 7>/dev/null 9<"$P" | tr '\n' ' ')
is "$out" "0 1 2 3 " "inherited descriptors above 2 are closed (3 is ls's own)"
out=$(cd "$W" && trap '' INT QUIT USR1 && $GUARD --policy "$TMP/p.ini" -c 'grep ^SigIgn /proc/$$/status')
is "$out" "SigIgn:	0000000000000000" "ignored signals are reset to their defaults"
out=$(cd "$W" && perl -e 'use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1, SIGTERM)); exec @ARGV' \
	$GUARD --policy "$TMP/p.ini" -c 'grep ^SigBlk /proc/$$/status')
is "$out" "SigBlk:	0000000000000000" "the signal mask is emptied"

# The configured shell.
printf '[guard]\nshell = /bin/sh\n' >"$TMP/sh.ini"
chmod 644 "$TMP/sh.ini"
out=$($GUARD --policy "$TMP/sh.ini" -c 'echo "$0"')
is "$out" "sh" "[guard] shell selects the shell (no bash options for sh)"
printf '[guard]\nshell = %s/guard\n' "$GUARD_BUILD" >"$TMP/self.ini"
chmod 644 "$TMP/self.ini"
if [ -z "${GUARD_VALGRIND:-}" ]; then # under valgrind, /proc/self/exe is valgrind
	out=$($GUARD --policy "$TMP/self.ini" -c 'echo hi' 2>&1)
	is "$?" 126 "a shell that is guard itself is refused"
	like "$out" "shell is guard itself" "saying so"
fi
printf '[guard]\nshell = /nonexistent/bash\n' >"$TMP/nosh.ini"
chmod 644 "$TMP/nosh.ini"
out=$($GUARD --policy "$TMP/nosh.ini" -c 'echo hi' 2>&1)
is "$?" 127 "a missing shell: exit 127"
like "$out" "cannot run /nonexistent/bash: No such file or directory; nothing was run" "saying so"

# The one-shot path: one plain command runs without starting bash, and must
# look exactly like bash running it (output, status, environment).
printf 'echo from a script without a shebang\n' >"$W/noshebang"
chmod +x "$W/noshebang"
mkdir -p "$W/sub"
for envset in "" "SHLVL=3 PWD=/" "PWD=$W/sub/.."; do
	for line in 'env' 'printenv SHLVL' 'true' 'false' ': x' 'ls -d /' 'no-such-command-xyz a' \
		'./noshebang' '/bin/echo a,b=c:d' 'cat /nonexistent/x' '  echo  spaced  '; do
		want=$(cd "$W" && env -i PATH="$PATH" HOME=/nowhere $envset bash --norc --noprofile -c "$line" 2>&1 | sort)
		want_rc=$(cd "$W" && env -i PATH="$PATH" HOME=/nowhere $envset bash --norc --noprofile -c "$line" >/dev/null 2>&1; echo $?)
		got=$(cd "$W" && env -i PATH="$PATH" HOME=/nowhere $envset $GUARD --policy "$TMP/p.ini" -c "$line" 2>&1 |
			grep -v '^GLIBC.*_FORCE_NEW=' | sort) # valgrind sets those
		got_rc=$(cd "$W" && env -i PATH="$PATH" HOME=/nowhere $envset $GUARD --policy "$TMP/p.ini" -c "$line" >/dev/null 2>&1; echo $?)
		is "$got_rc:$got" "$want_rc:$want" "as bash: '$line' ${envset:+with $envset}"
	done
done

run -c 2>/dev/null
is "$?" 64 "-c without a line: usage"

done_testing
