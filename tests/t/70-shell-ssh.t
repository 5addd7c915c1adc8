#!/bin/bash
# guard as the login shell of an account on a real OpenSSH server (127.0.0.1):
# remote commands arrive as `guard -c CMD`, `ssh -t` gives the interactive
# shell, and scp (legacy and sftp mode), sftp and rsync are allowed or refused
# by the policy's rules.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tmux.sh"
. "$(dirname "$0")/../ssh/lib.sh"

ssh_setup || { echo "Bail out! could not start sshd: $(cat "$SSH_DIR/sshd.log" 2>/dev/null)"; exit 1; }
ssh_policy <<'INI'
[guard]
default = allow

[rule no-pm2]
match = pm2
action = deny
reason = The app is managed by systemd (massage-shop.service).
instead = sudo systemctl restart massage-shop
see = docs/deploy.md:14

; File transfers: scp (legacy -O: `scp -t DIR` / `scp -f FILE`) and sftp
; (also scp's default mode) are allowed; rsync is not.
[rule scp]
match = scp
action = allow

[rule sftp]
match = sftp-server
action = allow

[rule no-rsync]
match = rsync
action = deny
reason = Deploys go through the release script, not rsync.
instead = scp

; git over ssh: fetch yes, push no
[rule git-fetch]
match = git-upload-pack
action = allow

[rule git-push]
match = git-receive-pack
action = deny
reason = Pushes go through CI.
INI

out=$(ssh_run "$SSH_USER@127.0.0.1" 'echo ok; echo "$0"' 2>&1); st=$?
is "$st" 0 "ssh host 'echo ok' works"
is "$out" $'ok\nbash' "... and runs in bash, not in guard"

out=$(ssh_run "$SSH_USER@127.0.0.1" "touch $SSH_HOME/partial; pm2 list" 2>&1); st=$?
is "$st" 126 "ssh host 'pm2 list' is refused with status 126"
like "$out" 'denied: pm2 list' "... with the message"
like "$out" 'instead: sudo systemctl restart massage-shop' "... naming what to use instead"
[ ! -e "$SSH_HOME/partial" ]
ok $? "... and nothing of the line ran"

# Piped into ssh without a command: the login shell reads a script.
out=$(printf 'cat <<EOF\nfrom stdin\nEOF\n' | ssh_run "$SSH_USER@127.0.0.1" 2>&1)
is "$out" "from stdin" "a script on stdin with no terminal runs whole, with no prompt"

# File transfers.
echo payload >"$TMP/up.txt"
mkdir -p "$SSH_HOME/in" && chown "$SSH_USER:" "$SSH_HOME/in"
scp -q -O "${SSH_OPTS[@]/-p/-P}" "$TMP/up.txt" "$SSH_USER@127.0.0.1:in/legacy.txt" 2>"$TMP/err"
is "$(cat "$SSH_HOME/in/legacy.txt" 2>/dev/null)" payload "scp -O (legacy: scp -t) uploads"
scp -q "${SSH_OPTS[@]/-p/-P}" "$TMP/up.txt" "$SSH_USER@127.0.0.1:in/sftp.txt" 2>"$TMP/err"
is "$(cat "$SSH_HOME/in/sftp.txt" 2>/dev/null)" payload "scp in sftp mode (guard -c .../sftp-server) uploads"
scp -q -O "${SSH_OPTS[@]/-p/-P}" "$SSH_USER@127.0.0.1:in/legacy.txt" "$TMP/down.txt" 2>"$TMP/err"
is "$(cat "$TMP/down.txt" 2>/dev/null)" payload "scp -O (scp -f) downloads"
out=$(printf 'ls in\n' | sftp -q "${SSH_OPTS[@]/-p/-P}" -b - "$SSH_USER@127.0.0.1" 2>&1)
like "$out" 'sftp.txt' "sftp lists the directory"
out=$(rsync -e "ssh ${SSH_OPTS[*]}" "$TMP/up.txt" "$SSH_USER@127.0.0.1:in/rsync.txt" 2>&1); st=$?
isnt=$([ "$st" -ne 0 ] && echo 1)
is "$isnt" 1 "rsync is refused by the policy (status $st)"
like "$out" 'denied: rsync --server' "... with the message"
[ ! -e "$SSH_HOME/in/rsync.txt" ]
ok $? "... and no file arrived"

# git over ssh.
git init -q --bare --initial-branch=main "$SSH_HOME/repo.git"
git -C "$TMP" -c init.defaultBranch=main init -q src
git -C "$TMP/src" -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
git -C "$TMP/src" push -q "$SSH_HOME/repo.git" HEAD:refs/heads/main 2>/dev/null
chown -R "$SSH_USER:" "$SSH_HOME/repo.git"
export GIT_SSH_COMMAND="ssh ${SSH_OPTS[*]}"
git clone -q "ssh://$SSH_USER@127.0.0.1$SSH_HOME/repo.git" "$TMP/clone" 2>"$TMP/err"
is "$(git -C "$TMP/clone" log --format=%s 2>/dev/null)" one "git clone over ssh (git-upload-pack) is allowed"
git -C "$TMP/clone" -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
out=$(git -C "$TMP/clone" push -q origin HEAD:main 2>&1); st=$?
[ "$st" -ne 0 ]
ok $? "git push over ssh (git-receive-pack) is refused"
like "$out" 'denied: git-receive-pack' "... with the message"
is "$(git -c safe.directory='*' -C "$SSH_HOME/repo.git" log --format=%s main 2>/dev/null)" one "... and the remote is unchanged"
unset GIT_SSH_COMMAND

# ssh -t: the interactive login shell in a terminal.
tm_start t ssh -t "${SSH_OPTS[@]}" "$SSH_USER@127.0.0.1"
tm_wait t "guard: every line is checked"
ok $? "ssh -t: the login banner"
tm_wait t "$SSH_USER@[^ ]+:~ \[guard:home\] \\$ $"
ok $? "ssh -t: the prompt shows user, host, directory and the governing policy"
tm_line t 'echo "hello $SSH_TTY"'
tm_wait t '^hello /dev/pts/'
ok $? "ssh -t: a command runs with a terminal"
tm_line t 'pm2 list'
tm_wait t 'guard: denied: pm2 list'
ok $? "ssh -t: pm2 is refused"
tm_line t 'exit'
tm_dead t
ok $? "ssh -t: exit ends the session"

# A dropped connection ends guard and the command it was running.
tm_start h ssh -t "${SSH_OPTS[@]}" "$SSH_USER@127.0.0.1"
tm_line h 'sleep 77.25'
for _ in $(seq 1 40); do pgrep -u "$SSH_USER" -f 'sleep 77.25' >/dev/null && break; sleep 0.05; done
pgrep -u "$SSH_USER" -f 'sleep 77.25' >/dev/null
ok $? "hangup: the command runs"
tm kill-session -t h
gone=1
for _ in $(seq 1 100); do
	if ! pgrep -u "$SSH_USER" -f 'sleep 77.25|guard' >/dev/null; then gone=0; break; fi
	sleep 0.05
done
ok $gone "hangup: guard and its command are gone when the connection drops"

# ForceCommand guard --ssh: sshd runs it through the login shell, which is
# guard too (`guard -c '.../guard --ssh'`); guard recognises itself.
ssh_restart "ForceCommand $SSH_GUARD --ssh" || echo "Bail out! sshd did not restart"
out=$(ssh_run "$SSH_USER@127.0.0.1" 'echo forced-ok' 2>&1)
is "$out" "forced-ok" "ForceCommand: SSH_ORIGINAL_COMMAND runs when allowed"
out=$(ssh_run "$SSH_USER@127.0.0.1" 'pm2 list' 2>&1); st=$?
is "$st" 126 "ForceCommand: pm2 is refused"
like "$out" 'denied: pm2 list' "... with the message"
scp -q "${SSH_OPTS[@]/-p/-P}" "$TMP/up.txt" "$SSH_USER@127.0.0.1:in/forced.txt" 2>"$TMP/err"
is "$(cat "$SSH_HOME/in/forced.txt" 2>/dev/null)" payload "ForceCommand: scp (sftp subsystem) still works"
tm_start f ssh -t "${SSH_OPTS[@]}" "$SSH_USER@127.0.0.1"
tm_wait f ':~ \[guard:home\] \$ $'
ok $? "ForceCommand without a command: the interactive shell, no recursion"
tm_line f 'exit'
tm_dead f
ok $? "... which exits normally"

done_testing
