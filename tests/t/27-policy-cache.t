#!/bin/bash
# 27-policy-cache.t - the compiled policy cache (guard/policy_cache.c): an
# entry is written after a clean load, read back instead of parsing, follows
# every change of the text, and is trusted only from root or the policy's
# owner, from a directory nobody else can write.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (to own entries as other users)"
export XDG_CACHE_HOME=$TMP/cache
C=$XDG_CACHE_HOME/guard
P=$TMP/p.ini
cat >"$P" <<'EOF'
[guard]
default = allow
unknown = auto

[rule no-pm2]
match = pm2
action = deny
reason = The app is managed by systemd; PM2 must not be used.
instead = sudo systemctl restart massage-shop
see = docs/DEPLOY.md:14
example.deny = pm2 restart all
example.allow = echo pm2

[rule stop]
match = systemctl stop *
action = warn
reason = Stopping takes the site down.
EOF
chmod 644 "$P"
entry() { ls "$C"/policy-* 2>/dev/null | head -n 1; }
run() { # LINE -> "rc|stdout|stderr" (stderr on one line)
	local o e rc
	o=$($GUARD check --policy "$P" -- "$1" 2>"$TMP/e")
	rc=$?
	e=$(tr '\n' ' ' <"$TMP/e")
	printf '%s|%s|%s' "$rc" "$o" "$e"
}
lines=('pm2 restart all' 'echo pm2' 'sudo systemctl stop x' 'ls' 'cmd=$(command -v pm2); $cmd list')

# First load: parsed, then remembered.
declare -a fresh
for l in "${lines[@]}"; do fresh+=("$(run "$l")"); done
fresh_show=$($GUARD policy show --policy "$P" 2>&1)
e=$(entry)
ok $([ -n "$e" ] && [ -f "$e" ]; echo $?) "a clean load writes an entry under \$XDG_CACHE_HOME/guard"
is "$(stat -c '%U %a' "$e" 2>/dev/null)" "root 644" "the entry belongs to the writer, no broader than the policy (644)"
is "$(stat -c '%a' "$C")" "755" "root's cache directory: 755"

# Second load: from the entry, with the same answers.
same=0
for i in "${!lines[@]}"; do
	got=$(run "${lines[$i]}")
	[ "$got" = "${fresh[$i]}" ] || { same=1; printf '#   %s\n#   got  %s\n#   want %s\n' "${lines[$i]}" "$got" "${fresh[$i]}"; }
done
ok $same "from the entry: the same exit, verdict and message for ${#lines[@]} lines"
is "$($GUARD policy show --policy "$P" 2>&1)" "$fresh_show" "from the entry: policy show is the same"
$GUARD policy check "$P" >/dev/null 2>&1
is "$?" 0 "from the entry: policy check still decides the examples (all pass)"

# The entry is really what is read: change a byte of the reason in it.
perl -0777 -pi -e 's/must not be used/MUST NOT be used/' "$e"
cp "$e" "$TMP/tampered"
like "$(run 'pm2 list')" "MUST NOT be used" "a trusted entry is what guard reads (not the file)"

# Whom it is trusted from.  A miss rewrites the entry, so each case starts
# from the tampered copy.
tamper() { rm -f "$e"; cp "$TMP/tampered" "$e"; chmod 644 "$e"; }
untrusted() { # DESC: the tampered entry must not be used now
	like "$(run 'pm2 list')" "^2\|deny\|.*PM2 must not be used" "$1: not used, the policy is read"
}
tamper
chmod 664 "$e"
untrusted "an entry writable by its group"
tamper
chown nobody "$e"
untrusted "an entry owned by another user"
tamper
chmod 775 "$C"
untrusted "a cache directory writable by its group"
chmod 755 "$C"
tamper
ln "$e" "$TMP/hardlink"
untrusted "an entry with a second hard link"
rm -f "$TMP/hardlink"
tamper
mv "$e" "$TMP/real-entry"
ln -s "$TMP/real-entry" "$e"
untrusted "an entry that is a symbolic link"
tamper
like "$(run 'pm2 list')" "MUST NOT" "(control: the same entry, trusted again, is used)"
# A user's own policy: an entry by root is trusted.
tamper
chown nobody "$P"
like "$(run 'pm2 list')" "MUST NOT" "a root-owned entry for a policy owned by nobody: trusted"
chown root "$P"
rm -f "$C"/policy-*

# Every change of the text is seen, even at the same size within one tick.
cp "$P" "$TMP/p2.ini"
sed -i 's/^match = pm2$/match = pm3/; s/^example.deny = pm2 /example.deny = pm3 /' "$TMP/p2.ini"
run 'pm2 list' >/dev/null # cache the original
cat "$TMP/p2.ini" >"$P"   # same inode, same size, same clock tick
is "$(run 'pm2 list' | cut -d'|' -f1-2)" "0|allow" "a same-size rewrite is seen at once (the entry is bound to the text)"
is "$(run 'pm3 list' | cut -d'|' -f1-2)" "2|deny" "... and the new rule applies"
cp "$TMP/p2.ini" "$TMP/p3.ini"

# An editor that saves to a new inode: the entry is replaced, not joined by
# a second one.
run 'pm3 list' >/dev/null
cp "$P" "$TMP/new.ini"
printf '\n' >>"$TMP/new.ini"
mv "$TMP/new.ini" "$P"
is "$(run 'pm3 list' | cut -d'|' -f1-2)" "2|deny" "a policy saved to a new inode is read again"
is "$(ls "$C" | wc -l)" 1 "... and its entry replaces the old one (one entry per path)"

# A corrupt entry is a miss: the policy is read, and the entry replaced.
run 'pm3 list' >/dev/null
e=$(entry)
bad=0
size=$(stat -c %s "$e")
for cut in 0 7 8 50 100 $((size / 2)) $((size - 5)) $((size - 1)); do
	cp "$e" "$TMP/good-entry"
	head -c "$cut" "$TMP/good-entry" >"$e"
	got=$(run 'pm3 list' | cut -d'|' -f1-2)
	[ "$got" = "2|deny" ] || { bad=1; echo "#   truncated to $cut: $got"; }
	cmp -s "$e" "$TMP/good-entry" || { bad=1; echo "#   truncated to $cut: not rewritten"; }
done
ok $bad "a truncated entry (8 lengths) is a miss, and is written again"
printf 'garbage' >"$e"
is "$(run 'pm3 list' | cut -d'|' -f1-2)" "2|deny" "a garbage entry is a miss"

# A policy with errors is never cached.
rm -rf "$C"
printf '[guard]\ndefault = allow\n[rule x]\nmatch = x\nacton = deny\n' >"$TMP/bad.ini"
chmod 644 "$TMP/bad.ini"
$GUARD check --policy "$TMP/bad.ini" -- ls >/dev/null 2>&1
is "$?" 3 "a policy with errors: exit 3"
is "$(ls "$C" 2>/dev/null | wc -l)" 0 "a policy with errors leaves no entry"

# Nor one whose examples fail: they are decided when the file is parsed, and
# an entry (read instead of parsing) must never stand for such a file.
expol() { printf '[guard]\ndefault = allow\n\n[rule no-pm2]\nmatch = pm2\naction = deny\nexample.deny = pm2 list\nexample.allow = %s\n' "$1" >"$TMP/ex.ini"; chmod 644 "$TMP/ex.ini"; }
expol 'pm2 ls'
$GUARD check --policy "$TMP/ex.ini" -- ls >/dev/null 2>&1
is "$?" 3 "a policy whose example fails: exit 3"
is "$(ls "$C" 2>/dev/null | wc -l)" 0 "and it leaves no entry"
expol 'echo pm2'
$GUARD check --policy "$TMP/ex.ini" -- ls >/dev/null 2>&1
is "$?/$(ls "$C" 2>/dev/null | wc -l)" "0/1" "its passing twin (the same size) is cached"
expol 'pm2 ls  ' # the same size
out=$($GUARD check --policy "$TMP/ex.ini" -- ls 2>&1)
is "$?" 3 "rewritten at the same size to fail: the entry does not hide it"
like "$out" "ex\\.ini:8: example\\.allow 'pm2 ls' is denied by the policy \\(rule no-pm2" "the example's error"

# Only root or the policy's owner writes entries; others read root's.
if command -v setpriv >/dev/null; then
	chmod 711 "$TMP"
	mkdir -m 777 "$TMP/other"
	$GUARD check --policy "$P" -- ls >/dev/null 2>&1 # root writes its entry
	out=$(cd / && XDG_CACHE_HOME=$TMP/other setpriv --reuid=nobody --regid=nogroup --clear-groups \
		$GUARD check --policy "$P" -- 'pm3 list' 2>&1)
	is "$?" 2 "another user under a root-owned policy: the same verdict"
	is "$(ls -A "$TMP/other" | wc -l)" 0 "another user writes no entry for a policy it does not own"
fi

done_testing
