# tests/ssh/lib.sh - a real OpenSSH server on 127.0.0.1 for guard's tests.
# Source after tests/lib/tap.sh (and tests/lib/tmux.sh if used: this file
# chains its cleanup to whatever EXIT trap is set).
#
#   ssh_setup [EXTRA-SSHD-CONFIG]  creates a test account whose login shell is a
#                          root-owned copy of build/guard, a client key, a host
#                          key, and starts sshd on an unused port
#   ssh_run [SSH-ARGS...] -- CMD   runs ssh as the test account
#   $SSH_DIR, $SSH_USER, $SSH_HOME, $SSH_PORT, $SSH_GUARD, $SSH_OPTS
# Everything (account, sshd, files) is removed at exit, also on failure.
[ "$(id -u)" = 0 ] || skip_all "needs root (creates an account and runs sshd)"
for p in /usr/sbin/sshd ssh ssh-keygen useradd userdel; do
	command -v "$p" >/dev/null || skip_all "$p is not installed (tests/install-deps)"
done
SSH_USER="gt$$"
SSH_DIR=""
SSH_PID=""
_ssh_prev_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
_ssh_cleanup() {
	if [ -n "$SSH_PID" ]; then
		kill "$SSH_PID" 2>/dev/null
		wait "$SSH_PID" 2>/dev/null
	fi
	if id "$SSH_USER" >/dev/null 2>&1; then
		# processes of the throwaway account, by id
		for p in $(ps -o pid= -u "$SSH_USER" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		userdel "$SSH_USER" 2>/dev/null
	fi
	[ -n "$SSH_DIR" ] && rm -rf "$SSH_DIR"
	eval "$_ssh_prev_trap"
}
trap _ssh_cleanup EXIT

_free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

_ssh_start() {
	/usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || return 1
	/usr/sbin/sshd -D -e -f "$SSH_DIR/sshd_config" 2>>"$SSH_DIR/sshd.log" &
	SSH_PID=$!
	for _ in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
ssh_setup() {
	local extra=${1:-}
	# sshd wants absolute paths, and the shell must be reachable by the account:
	# a root-owned directory tree that is not group/world writable.
	SSH_DIR=$(mktemp -d /tmp/guard-ssh.XXXXXX) || return 1
	chmod 755 "$SSH_DIR"
	mkdir -p "$SSH_DIR/bin" "$SSH_DIR/home"
	SSH_GUARD="$SSH_DIR/bin/guard"
	cp "$GUARD_BUILD/guard" "$SSH_GUARD"
	chmod 755 "$SSH_DIR/bin" "$SSH_GUARD"
	SSH_HOME="$SSH_DIR/home"
	useradd -M -d "$SSH_HOME" -s "$SSH_GUARD" "$SSH_USER" || return 1
	usermod -p '*' "$SSH_USER" # not locked ('!'), but no password
	chown "$SSH_USER:" "$SSH_HOME"
	# The policy is root's: the account can read it, not change it.
	mkdir -p "$SSH_HOME/.guard"
	chmod 755 "$SSH_HOME/.guard"
	mkdir -p /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/host_ed25519" || return 1
	ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/client" || return 1
	cp "$SSH_DIR/client.pub" "$SSH_DIR/authorized_keys"
	chmod 644 "$SSH_DIR/authorized_keys"
	SSH_PORT=$(_free_port) || return 1
	sed -e "s|@DIR@|$SSH_DIR|g" -e "s|@PORT@|$SSH_PORT|g" -e "s|@USER@|$SSH_USER|g" \
		-e "s|@EXTRA@|$extra|" "$TOP/tests/ssh/sshd_config.in" >"$SSH_DIR/sshd_config"
	_ssh_start || return 1
	SSH_OPTS=(-p "$SSH_PORT" -i "$SSH_DIR/client" -o IdentitiesOnly=yes -o BatchMode=yes
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
		-F /dev/null)
	return 0
}
# ssh_restart EXTRA-SSHD-CONFIG: the same server with other settings
ssh_restart() {
	kill "$SSH_PID" 2>/dev/null
	wait "$SSH_PID" 2>/dev/null
	SSH_PID=""
	sed -e "s|@DIR@|$SSH_DIR|g" -e "s|@PORT@|$SSH_PORT|g" -e "s|@USER@|$SSH_USER|g" \
		-e "s|@EXTRA@|$1|" "$TOP/tests/ssh/sshd_config.in" >"$SSH_DIR/sshd_config"
	_ssh_start
}
ssh_policy() { # ssh_policy < INI
	cat >"$SSH_HOME/.guard/policy.ini"
	chmod 644 "$SSH_HOME/.guard/policy.ini"
}
ssh_run() { ssh "${SSH_OPTS[@]}" "$@"; }
