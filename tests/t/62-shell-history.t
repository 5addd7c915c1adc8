#!/bin/bash
# History: kept in GUARD_HISTFILE (or $XDG_STATE_HOME/guard/history) with
# timestamps, shared by sessions that run at the same time, refused lines
# kept, size limited by [shell] history_size, multi-line entries kept whole.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tmux.sh"

mkdir -p "$TMP/home" "$TMP/state"
cat >"$TMP/policy.ini" <<'INI'
[rule no-pm2]
match = pm2
action = deny
reason = systemd runs the app.

[shell]
prompt = h\$
history_size = 6
INI
start() { # start NAME [env...]
	local n=$1
	shift
	tm_start "$n" env -i HOME="$TMP/home" PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null "$@" \
		$GUARD --policy "$TMP/policy.ini" -i
}

# Two sessions at once, both appending to the XDG file.
start one XDG_STATE_HOME="$TMP/state"
start two XDG_STATE_HOME="$TMP/state"
tm_line one 'echo from-one'
tm_wait one '^from-one$'
tm_line two 'echo from-two'
tm_wait two '^from-two$'
tm_line one 'pm2 list'
tm_wait one 'nothing was run'
tm_line one 'cat <<EOF'
tm_line one 'multi'
tm_line one 'EOF'
tm_wait one '^multi$'
H="$TMP/state/guard/history"
[ -f "$H" ]
ok $? "history goes to \$XDG_STATE_HOME/guard/history"
is "$(stat -c %a "$H")" 600 "the file is private (0600)"
tm_line two 'exit'
tm_line one 'exit'
tm_dead one && tm_dead two
ok $? "both sessions ended"
f=$(grep -v '^#' "$H")
like "$f" 'echo from-one' "session one's line is in the file"
like "$f" 'echo from-two' "session two's line is in the file (concurrent sessions append)"
like "$f" 'pm2 list' "the refused line is kept"
like "$(cat "$H")" '^#[0-9]{9,}' "entries have timestamps"

# A new session recalls them, the here-doc as one entry.
start three XDG_STATE_HOME="$TMP/state"
tm_ready three 'h# $'
tm_send three Up
tm_wait three '^h# exit *$'
ok $? "Up recalls the last line of earlier sessions"
tm_send three Up Up
tm_wait three 'h# cat <<EOF'
tm_send three C-u Enter
tm_line three 'history'
tm_wait three '^ +[0-9]+ +cat <<EOF$'
ok $? "history lists the here-doc as one entry"
tm_wait three '^multi$' && tm_wait three '^EOF$'
ok $? "... with its body"
tm_line three 'exit'
tm_dead three
n=$(grep -c '^#[0-9]' "$H")
[ "$n" -eq 6 ]
ok $? "the file is cut to history_size entries at exit (got $n)"

# GUARD_HISTFILE wins; empty disables the file.
start four XDG_STATE_HOME="$TMP/state" GUARD_HISTFILE="$TMP/other"
tm_line four 'echo to-other'
tm_line four 'exit'
tm_dead four
grep -q 'echo to-other' "$TMP/other"
ok $? "GUARD_HISTFILE names the file"
! grep -q 'echo to-other' "$H"
ok $? "... and the default file is not used"

done_testing
