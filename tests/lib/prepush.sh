# tests/lib/prepush.sh - a scratch working clone and bare remote for the
# pre-push tests.  Source after tap.sh.  Provides: $W (work tree), $R (bare
# remote), push (runs git push in $W, sets $out and $rc), rhead REF.
export HOME=$TMP/home
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$HOME/.gitconfig
unset GIT_DIR GIT_WORK_TREE GIT_COMMON_DIR GIT_INDEX_FILE GIT_OBJECT_DIRECTORY NO_COLOR
git config --global user.name Tester
git config --global user.email tester@example.invalid
git config --global init.defaultBranch main
git config --global advice.detachedHead false
W=$TMP/w
R=$TMP/remote.git

# The policy a repository commits (a hand-written one: no [derived] section).
policy_text() {
	cat <<'POL'
[guard]
default = allow

[rule no-pm2]
match = pm2
action = deny
reason = The app is managed by systemd; PM2 must not be installed or used.
instead = sudo systemctl restart massage-shop
see = docs/DEPLOY.md:14

[rule stop-service]
match = systemctl stop massage-shop
action = warn
reason = Stopping the service takes the site down.
see = docs/DEPLOY.md:22
POL
}

# new_repo: bare remote + working clone with a policy and a clean deploy.sh,
# guard's hook installed.  Nothing pushed yet.
new_repo() {
	rm -rf "$W" "$R"
	git init -q --bare "$R"
	git init -q "$W"
	git -C "$W" remote add origin "$R"
	mkdir -p "$W/.guard" "$W/docs"
	policy_text > "$W/.guard/policy.ini"
	printf '#!/bin/sh\nset -e\nnpm ci\nsudo systemctl restart massage-shop\n' > "$W/deploy.sh"
	printf '# Deploying\n\nThe app is run by systemd.\n' > "$W/docs/DEPLOY.md"
	git -C "$W" add -A
	git -C "$W" commit -qm "Initial import"
}

# commit FILE CONTENT MESSAGE (appends CONTENT, a line, to FILE)
commit() {
	mkdir -p "$(dirname "$W/$1")"
	printf '%s\n' "$2" >> "$W/$1"
	git -C "$W" add -- "$1"
	git -C "$W" commit -qm "$3"
}

push() {
	out=$(cd "$W" && git push "$@" 2>&1)
	rc=$?
}

rhead() {
	git --git-dir="$R" rev-parse -q --verify "$1" 2>/dev/null || echo none
}

lhead() {
	git -C "$W" rev-parse -q --verify "$1"
}
