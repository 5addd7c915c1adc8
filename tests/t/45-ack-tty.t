#!/bin/bash
# The acknowledgement gate on a real terminal (tmux): guard ack NAME shows the
# section through the pager and asks for its code; it asks once, remembers,
# and asks again after the doc changes.  (The interactive shell calls the
# same ack_ok -> ack_interactive path; its own tmux test belongs to it.)
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "git not installed"
command -v tmux >/dev/null || skip_all "tmux not installed"
export XDG_STATE_HOME=$TMP/state HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$HOME"
R=$TMP/repo
sh "$TOP/share/examples/mkrepo.sh" "$R" >/dev/null 2>&1
GUIDE=00-project-docs/feature-specifications/production-deployment-guide.md
P=$R/.guard/policy.ini
N=production-deployment-guide
(cd "$R" && $GUARD derive 2>/dev/null)
S=
trap 'for s in "$TMP"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
NT=0
state() { $GUARD ack --policy "$P" --list | awk -v n="$N" '/^[^ ]/ && $1 == n { print $2 }'; }
screen() { tmux -S "$S" capture-pane -p -t t -S -60 2>/dev/null; }
wait_for() { # REGEX: up to 10 s
	for _ in $(seq 100); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# ack_on_tty ANSWER: runs `guard ack NAME` in a terminal, answers the prompt.
ack_on_tty() {
	[ -n "$S" ] && tmux -S "$S" kill-server 2>/dev/null
	NT=$((NT + 1))
	S=$TMP/tmux.$NT.sock # a fresh server each time
	tmux -S "$S" new-session -d -s t -x 120 -y 50 \
		"env XDG_STATE_HOME='$XDG_STATE_HOME' HOME='$HOME' TERM=screen $GUARD ack --policy '$P' $N; echo EXIT=\$?; sleep 60"
	wait_for "code \(Enter to cancel\): *$"
	PROMPTED=$?
	SCREEN=$(screen)
	tmux -S "$S" send-keys -t t "$1" Enter
	wait_for "EXIT=[0-9]+"
	SCREEN2=$(screen)
}

is "$(state)" needed "nothing acknowledged yet"
tok=$($GUARD ack --policy "$P" $N | sed -n "s/^    guard ack $N //p")
ack_on_tty 000000
is "$PROMPTED" 0 "on a terminal, guard ack NAME asks for the code"
like "$SCREEN" "PM2 should not be installed or used" "  ... after showing the section"
like "$SCREEN" "type the code $tok" "  ... with its code"
like "$SCREEN2" "not acknowledged" "a wrong answer is refused"
like "$SCREEN2" "EXIT=1" "  ... exit 1"
is "$(state)" needed "  ... and nothing is recorded"

ack_on_tty "$tok"
like "$SCREEN2" "acknowledged $N" "the right code is accepted"
like "$SCREEN2" "EXIT=0" "  ... exit 0"
is "$(state)" acknowledged "remembered"

# The doc changes: asked again.
sed -i 's/^PM2 should not be installed or used/PM2 must never be installed or used/' "$R/$GUIDE"
git -C "$R" commit -q -am "guide: firmer" && (cd "$R" && $GUARD derive 2>/dev/null)
is "$(state)" needed "after the guide changed: needed again"
tok2=$($GUARD ack --policy "$P" $N | sed -n "s/^    guard ack $N //p")
ack_on_tty "$tok2"
is "$PROMPTED" 0 "asked again on the terminal"
like "$SCREEN" "PM2 must never be installed or used" "  ... showing the new text"
is "$(state)" acknowledged "acknowledged the new version"
done_testing
