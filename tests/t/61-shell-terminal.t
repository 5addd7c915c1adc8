#!/bin/bash
# The interactive shell in a real terminal (tmux): editing, continuation,
# here-docs, refusals that run nothing, warn confirmation, Ctrl-C, Ctrl-Z,
# builtins that persist, completion, and the terminal restored after full-
# screen programs.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tmux.sh"

mkdir -p "$TMP/home" "$TMP/work/sub"
cat >"$TMP/policy.ini" <<'INI'
[guard]
default = allow

[rule no-pm2]
match = pm2
action = deny
reason = The app is managed by systemd (massage-shop.service).
instead = sudo systemctl restart massage-shop
see = docs/deploy.md:14

[rule warn-touch]
match = touch warned-*
action = warn
reason = A warned command, for the test.
see = docs/deploy.md:20

[rule confirm-touch]
match = touch confirmed-*
action = warn
reason = Stopping the service takes the site down.
confirm = massage-shop

[rule stop-service]
match = systemctl stop massage-shop
action = warn
reason = Stopping the service takes the site down.
instead = sudo systemctl restart massage-shop

[shell]
prompt = gt:\W \?>\$ 
name = massage-shop
INI
start() { # start NAME [extra env...]
	local n=$1
	shift
	tm_start "$n" env -i HOME="$TMP/home" PATH=/usr/local/bin:/usr/bin:/bin TERM=screen \
		INPUTRC=/dev/null GUARD_HISTFILE="$TMP/history" "$@" \
		sh -c 'cd "$1" && shift && exec "$@"' sh "$TMP/work" $GUARD --policy "$TMP/policy.ini" -i
}
PS='gt:work ># '
wait_proc() { # wait_proc PATTERN: until a process matches (the machine may be slow)
	for _ in $(seq 1 160); do
		pgrep -f "$1" >/dev/null && return 0
		sleep 0.05
	done
	return 1
}
wait_file() { # wait_file FILE [-e]: until it exists and is not empty (-e: exists)
	for _ in $(seq 1 160); do
		[ -s "$1" ] && return 0
		[ "${2:-}" = -e ] && [ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

start a
tm_wait a "$PS\$"
ok $? "the prompt shows the directory"

tm_line a 'echo hello'
tm_wait a '^hello$'
ok $? "an allowed line runs"

# A refused line runs nothing, not even the part before the refused command.
tm_line a "touch $TMP/work/a; pm2 list"
tm_wait a 'guard: nothing was run'
ok $? "pm2 is refused"
s=$(tm_screen a)
like "$s" 'guard: denied: pm2 list' "the message names the command"
like "$s" 'rule: +no-pm2' "... the rule"
like "$s" 'see: +docs/deploy.md:14' "... the doc path and line"
like "$s" 'instead: +sudo systemctl restart massage-shop' "... and what to use instead"
[ ! -e "$TMP/work/a" ]
ok $? "touch before the refused pm2 did not run"
tm_wait a 'gt:work 126 ># $'
ok $? "the prompt shows status 126"

tm_line a 'why'
tm_wait a '^verdict: deny$' && tm_wait a '^line: +touch .*; pm2 list$'
ok $? "why explains the last decision"

# Continuation: an open quote asks for more and the whole text runs as one.
tm_line a "echo 'open"
tm_wait a '^> $'
ok $? "an open quote shows the continuation prompt"
tm_line a "close'"
tm_wait a '^open$' && tm_wait a '^close$'
ok $? "the continued line ran as one unit"

tm_line a 'cat <<EOF'
tm_wait a '^> $'
tm_line a 'line one'
tm_line a 'line $((6*7))'
tm_line a 'EOF'
tm_wait a '^line 42$'
ok $? "a multi-line here-doc runs with its body"

tm_line a 'if true'
tm_line a 'then echo in-if'
tm_wait a '^> then echo in-if'
ok $? "if without fi continues"
tm_line a 'fi'
tm_wait a '^in-if$'
ok $? "if ... fi ran"

tm_line a 'echo piped |'
tm_wait a '^> $'
tm_line a 'tr a-z A-Z'
tm_wait a '^PIPED$'
ok $? "a trailing | continues"

# Warn: default no; y runs it.
tm_line a 'touch warned-no'
tm_wait a 'run it anyway\? \[y/N\] $'
ok $? "a warned line asks for confirmation"
tm_send a Enter
tm_wait a 'guard: not run$'
ok $? "Enter (default no) does not run it"
[ ! -e "$TMP/work/warned-no" ]
ok $? "... no file was made"
tm_line a 'touch warned-yes'
tm_wait a 'run it anyway\? \[y/N\] $'
tm_type a 'y'; tm_send a Enter
tm_ready a '># $'
[ -e "$TMP/work/warned-yes" ]
ok $? "y runs the warned line"
tm_line a 'touch confirmed-one'
tm_wait a "type 'massage-shop' to run it anyway: $"
ok $? "confirm = TEXT asks for the text"
tm_type a 'y'; tm_send a Enter
tm_wait a 'guard: not run$'
[ ! -e "$TMP/work/confirmed-one" ]
ok $? "y is not the confirmation text"
tm_line a 'touch confirmed-two'
tm_wait a "type 'massage-shop' to run it anyway: $"
tm_type a 'massage-shop'; tm_send a Enter
tm_ready a '># $'
[ -e "$TMP/work/confirmed-two" ]
ok $? "typing the text runs it"

# Ctrl-C during a command kills the command, not guard.
tm_send a C-l
tm_line a 'sleep 31.25'
wait_proc 'sleep 31.25'
ok $? "sleep is running"
tm_send a C-c
tm_wait a 'gt:work 130 ># $'
ok $? "Ctrl-C: status 130 and a new prompt"
! pgrep -f 'sleep 31.25' >/dev/null
ok $? "the sleep died"
tm_line a 'echo alive'
tm_wait a '^alive$'
ok $? "guard lives on"

# Ctrl-C at the prompt clears the line.
tm_type a 'echo abc'
tm_wait a '># echo abc$'
tm_send a C-c
tm_wait a 'gt:work 130 ># $'
tm_line a 'echo xyz'
tm_wait a '^xyz$'
ok $? "Ctrl-C at the prompt discards the typed text"
unlike "$(tm_screen a)" 'abcecho|abcxyz' "nothing of the old line was kept"

# Ctrl-Z stops the command; fg resumes it in the foreground.
tm_send a C-l
tm_line a 'sleep 32.5'
wait_proc 'sleep 32.5'
tm_send a C-z
tm_wait a 'Stopped +sleep 32.5'
ok $? "Ctrl-Z stops the command and reports the job"
tm_line a 'jobs'
tm_wait a '\[1\] +Stopped +sleep 32.5'
ok $? "jobs lists it"
tm_line a 'fg'
tm_wait a '^sleep 32.5$'
sleep 0.2 # fg has given it the terminal
tm_send a C-c
tm_wait a 'gt:work 130 ># $'
ok $? "fg brings it back; Ctrl-C ends it"
! pgrep -f 'sleep 32.5' >/dev/null
ok $? "the resumed sleep died"

# Builtins whose effect persists.
tm_send a C-l
tm_line a 'cd sub'
tm_line a 'pwd'
tm_wait a "^$TMP/work/sub\$"
ok $? "cd persists"
tm_wait a 'gt:sub ># $'
ok $? "the prompt follows the directory"
tm_line a 'cd -'
tm_wait a "^$TMP/work\$"
ok $? "cd - goes back and prints the directory"
tm_line a "export CDPATH=$TMP/work"
tm_line a 'cd /'
tm_line a 'cd sub'
tm_wait a "^$TMP/work/sub\$" && tm_ready a 'gt:sub ># $'
ok $? "cd uses CDPATH (and prints where it went)"
tm_line a "cd $TMP/work"
tm_ready a 'gt:work ># $'
tm_line a 'policy'
tm_wait a '^rule no-pm2 +deny +pm2 +-> instead: sudo systemctl restart massage-shop'
ok $? "policy shows the rules that govern the shell"
tm_line a 'export GREETING="hi there"'
tm_line a 'umask 027'
tm_line a 'echo "[$GREETING]"; umask; /bin/pwd'
tm_wait a '^\[hi there\]$' && tm_wait a '^0027$'
ok $? "export and umask reach commands"
tm_line a 'cd /tmp && true'
tm_line a '/bin/pwd'
tm_ready a 'gt:work ># $'
ok $? "a mixed line (cd && cmd) runs in the shell; guard's directory is unchanged"
like "$(tm_screen a)" 'guard: note: `cd` inside a longer line changes that line' "... and guard says so"

# The terminal is restored after a program that leaves it raw, and after less.
tm_send a C-l
tm_line a "stty -g >$TMP/stty.before"
tm_line a 'stty raw -echo'
tm_line a "stty -g >$TMP/stty.after"
wait_file "$TMP/stty.after"
is "$(cat "$TMP/stty.after" 2>/dev/null)" "$(cat "$TMP/stty.before" 2>/dev/null)" \
	"terminal modes are restored after stty raw"
seq 1 200 >"$TMP/work/numbers"
tm_line a 'less numbers'
tm_wait a '^17$'
ok $? "less shows the file"
tm_send a q
tm_line a 'echo sane'
tm_wait a '^sane$'
ok $? "after less the prompt works"
tm_line a "stty -g >$TMP/stty.after2"
wait_file "$TMP/stty.after2"
is "$(cat "$TMP/stty.after2" 2>/dev/null)" "$(cat "$TMP/stty.before" 2>/dev/null)" \
	"terminal modes are the same after less"

# Completion: builtins and PATH, then what the policy knows.
tm_send a C-l
tm_type a 'histo'; tm_send a Tab
tm_wait a '># history $'
ok $? "Tab completes a builtin"
tm_send a C-u
tm_type a 'systemctl stop mass'; tm_send a Tab
tm_wait a '># systemctl stop massage-shop $'
ok $? "Tab completes the unit the policy names for systemctl"
tm_send a C-u
tm_type a 'ech'; tm_send a Tab
tm_wait a '># echo $'
ok $? "Tab completes a program on PATH"
tm_send a C-u

tm_type a 'sudo systemctl res'; tm_send a Tab
tm_wait a '># sudo systemctl restart $'
ok $? "Tab completes from a rule's instead command"
tm_send a C-u
tm_type a 'cat numb'; tm_send a Tab
tm_wait a '># cat numbers $'
ok $? "Tab completes file names after a command"
tm_send a C-u

# Editing: Ctrl-A and insert.
tm_ready a '># $'
tm_type a 'cho edited'; tm_send a C-a; tm_type a 'e'; tm_send a Enter
tm_wait a '^edited$'
ok $? "readline editing (Ctrl-A, insert)"

tm_line a 'exit 7'
tm_dead a
ok $? "exit ends guard"
is "$(tm_status a)" 7 "with the status given"

# A broken policy: every line is refused, but the operator can read why and leave.
printf '[rule x]\nmatch = pm2\nacton = deny\n' >"$TMP/broken.ini"
tm_start c env -i HOME="$TMP/home" PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null \
	GUARD_HISTFILE= $GUARD --policy "$TMP/broken.ini" -i
tm_wait c "broken.ini:3: .*acton"
ok $? "a broken policy is reported at start, with file and line"
tm_line c 'echo should-not-run'
tm_wait c 'denied'
unlike "$(tm_screen c)" '^should-not-run$' "... and lines are refused"
tm_line c 'policy'
tm_wait c '^error: +.*broken.ini:3'
ok $? "policy still works and shows the error"
tm_line c 'exit 3'
tm_dead c
is "$(tm_status c)" 3 "exit still works"

# An allow-list policy (default = deny): guard's own builtins still work,
# and --policy given as a relative path still holds after cd.
printf '[guard]\ndefault = deny\n\n[rule ls]\nmatch = ls\naction = allow\n\n[rule no-cd-etc]\nmatch = cd /etc\naction = deny\n' \
	>"$TMP/work/allow.ini"
tm_start d env -i HOME="$TMP/home" PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null \
	GUARD_HISTFILE= sh -c 'cd "$1" && shift && exec "$@"' sh "$TMP/work" $GUARD --policy allow.ini -i
tm_line d 'echo not-allowed'
tm_wait d 'denied: echo not-allowed'
ok $? "allow-list: a program no rule allows is refused"
tm_line d 'cd sub'
tm_line d 'pwd'
tm_wait d "^$TMP/work/sub\$"
ok $? "allow-list: cd and pwd still work ([guard] default is for programs)"
tm_line d 'ls -d /'
tm_wait d '^/$'
ok $? "allow-list: the policy given as a relative path still governs after cd"
tm_line d 'cd /etc'
tm_wait d 'denied: cd /etc'
ok $? "a rule naming a builtin still applies"
tm_line d 'exit 5'
tm_dead d
is "$(tm_status d)" 5 "allow-list: exit works"

# The acknowledgement gate: a rule with ack = NAME shows the doc section at
# the terminal and asks for its code; once acknowledged it is not asked again.
R="$TMP/repo"
mkdir -p "$R/.guard" "$R/docs"
printf '# Deploy\n\n## Restarting\n\nRestart with systemctl only; never with pm2.\n' >"$R/docs/deploy.md"
blob=$(git hash-object "$R/docs/deploy.md")
cat >"$R/.guard/policy.ini" <<INI
[ack deploy]
doc = docs/deploy.md
section = Restarting
blob = $blob

[rule restart]
match = touch restarted*
action = allow
ack = deploy
INI
tm_start e env -i HOME="$TMP/home" PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null \
	GUARD_HISTFILE= XDG_STATE_HOME="$TMP/state-e" sh -c 'cd "$1" && exec "$2" -i' sh "$R" "$GUARD_BUILD/guard"
tm_line e 'touch restarted-0'
tm_wait e 'acknowledge deploy: code \(Enter to cancel\): $'
ok $? "ack: the shell shows the section and asks for the code"
tm_type e 'nope'; tm_send e Enter
tm_wait e 'guard: nothing was run'
[ ! -e "$R/restarted-0" ]
ok $? "ack: a wrong code refuses the line"
tm_send e C-l
tm_line e 'touch restarted-1'
tm_wait e 'acknowledge deploy: code \(Enter to cancel\): $'
like "$(tm_screen e)" 'never with pm2' "... with the section's text"
code=$(tm_screen e | grep -o 'type the code [A-Za-z0-9]*' | tail -n 1 | awk '{print $4}')
tm_type e "$code"; tm_send e Enter
wait_file "$R/restarted-1" -e
ok $? "ack: the right code lets the line run"
tm_line e 'touch restarted-2'
wait_file "$R/restarted-2" -e
ok $? "ack: once acknowledged it is not asked again"
unlike "$(tm_screen e | sed -n '/touch restarted-2/,$p')" 'acknowledge deploy' "... (no question)"
tm_line e 'exit'
tm_dead e

# A check that crashes or hangs (the test build, guard/failsafe.h) ends the
# child that checks the line, not the shell: the line is refused, Ctrl-C
# ends a hanging check, and the shell goes on.
tm_start f env -i HOME="$TMP/home" PATH=/usr/local/bin:/usr/bin:/bin TERM=screen \
	INPUTRC=/dev/null GUARD_HISTFILE="$TMP/history" GUARD_TEST_FAULT=hang \
	GUARD_TEST_TIME_LIMIT=60 GUARD_TEST_FAULT_MATCH=hangs-here \
	sh -c 'cd "$1" && shift && exec "$@"' sh "$TMP/work" $GUARD_SEAMS --policy "$TMP/policy.ini" -i
tm_wait f "$PS\$"
tm_line f 'touch hangs-here'
sleep 0.5
tm_send f C-c
tm_wait f 'guard: interrupted while checking; nothing was run'
ok $? "Ctrl-C ends a check that hangs, and says so"
tm_line f 'echo still-here'
tm_wait f '^still-here$'
ok $? "the shell goes on after it"
[ -e "$TMP/work/hangs-here" ]
is "$?" 1 "the line was not run"
tm_line f 'exit'
tm_dead f

# Idle timeout from the policy.
cat >>"$TMP/policy.ini" <<'INI'
idle_timeout = 1s
INI
start b
tm_wait b "$PS\$"
tm_dead b 6
ok $? "an idle session is logged out"
like "$(tm_screen b)" 'guard: idle for 1s; logging out' "with a message"

done_testing
