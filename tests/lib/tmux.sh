# tests/lib/tmux.sh - drive guard in a real terminal through tmux.  Source it
# after tap.sh.  Each test file gets its own tmux server (socket under $TMP),
# killed at exit together with everything it runs.
#   tm_start NAME CMD...   new 100x30 window running CMD (SIGTTOU reset to default
#                          first: the harness may ignore it, and guard must not
#                          rely on that)
#   tm_send NAME KEYS...   tmux send-keys (Enter, C-c, Tab, ... are key names)
#   tm_type NAME TEXT      types TEXT literally
#   tm_screen NAME         prints the visible screen
#   tm_wait NAME REGEX [SECONDS]  waits until the screen matches (status 1 on timeout)
#   tm_dead NAME [SECONDS] waits until the window's command has ended
#   tm_status NAME         its exit status (128+N for signal N)
command -v tmux >/dev/null || skip_all "tmux is not installed (tests/install-deps)"
TM_SOCK="$TMP/tmux.sock"
tm() { tmux -S "$TM_SOCK" -f /dev/null "$@"; }
_tm_cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap _tm_cleanup EXIT
# The command runs under a small perl parent that records its exit status in
# $TMP/tm.NAME.status (tmux's own #{pane_dead_status} is sometimes lost when
# the pty closes before tmux reaps the process).
tm_start() {
	local name=$1
	shift
	local q=""
	for a in "$@"; do q="$q $(printf '%q' "$a")"; done
	rm -f "$TMP/tm.$name.status"
	tm new-session -d -s "$name" -x 100 -y 30 \
		"exec perl -e '$_TM_PERL' $(printf '%q' "$TMP/tm.$name.status") $q"
	# remain-on-exit keeps the pane so the last screen can be read
	tm set-option -t "$name" remain-on-exit on >/dev/null
}
_TM_PERL='$SIG{TTOU} = "DEFAULT"; my $f = shift; my $p = fork;
exit 127 unless defined $p;
if (!$p) { exec @ARGV or exit 127 }
waitpid($p, 0); my $c = ($? & 127) ? 128 + ($? & 127) : $? >> 8;
my $h; if (open($h, ">", "$f.tmp")) { print $h "$c\n"; close $h; rename("$f.tmp", $f) }
exit $c'
tm_send() {
	local name=$1
	shift
	tm send-keys -t "$name" "$@"
}
tm_type() { tm send-keys -t "$1" -l "$2"; }
# trailing blanks become one (so "prompt $" matches however the line was cleared)
tm_screen() { tm capture-pane -p -N -t "$1" -S -200 | sed "s/  *$/ /"; }
tm_wait() {
	local name=$1 re=$2 secs=${3:-8} i=0
	while [ "$i" -lt $((secs * 20)) ]; do
		tm has-session -t "$name" 2>/dev/null || { echo "# no tmux session $name" >&2; return 1; }
		tm_screen "$name" | grep -Eq -- "$re" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for /$re/ on screen $name:" >&2
	tm_screen "$name" | sed 's/^/#   | /' >&2
	return 1
}
tm_dead() {
	local name=$1 secs=${2:-8} i=0
	while [ "$i" -lt $((secs * 20)) ]; do
		[ -e "$TMP/tm.$name.status" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for $name to end; screen:" >&2
	tm_screen "$name" | grep -v '^ *$' | tail -n 8 | sed 's/^/#   | /' >&2
	return 1
}
tm_status() { cat "$TMP/tm.$1.status" 2>/dev/null; }
# tm_ready NAME REGEX [SECONDS]: waits until the last non-blank line matches
tm_ready() {
	local name=$1 re=$2 secs=${3:-8} i=0
	while [ "$i" -lt $((secs * 20)) ]; do
		tm has-session -t "$name" 2>/dev/null || { echo "# no tmux session $name" >&2; return 1; }
		tm_screen "$name" | grep -v '^ *$' | tail -n 1 | grep -Eq -- "$re" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for a last line /$re/ on screen $name" >&2
	return 1
}
# tm_line NAME TEXT: waits for a prompt (guard's or the continuation "> "), types TEXT, Enter
tm_line() {
	tm_ready "$1" '(\$|#|>|:|\]) $' || return 1
	tm_type "$1" "$2"
	tm_send "$1" Enter
}
