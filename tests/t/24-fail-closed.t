#!/bin/bash
# The fail-closed table of guard(1): each failure denies, says why, and has
# its exit status, for `guard check` and for `guard -c` (which must run
# nothing).  The internal-error row is tested in tests/unit/test_policy.c.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TMP" || exit 1
P=$TOP/policies/massage-shop.ini
mkdir -p w && cd w || exit 1

row() { # row NAME CHECK-RC RUN-RC MESSAGE-REGEX -- GUARD-OPTIONS...
	local name=$1 crc=$2 rrc=$3 msg=$4
	shift 5
	out=$($GUARD "$@" check -- 'touch made_by_check' 2>&1)
	is "$?" "$crc" "$name: guard check exits $crc"
	like "$out" "$msg" "$name: check says why"
	like "$out" "^deny" "$name: check prints deny"
	out=$($GUARD "$@" -c 'touch made_by_run' 2>&1)
	is "$?" "$rrc" "$name: guard -c exits $rrc"
	like "$out" "$msg" "$name: -c says why"
	[ -e made_by_run ] || [ -e made_by_check ]
	is "$?" 1 "$name: nothing ran"
	rm -f made_by_run made_by_check
}

if [ ! -e /etc/guard/policy.ini ]; then
	row "missing policy" 3 126 "guard: no policy found: looked for \\.guard/policy\\.ini in $TMP/w and its parent directories, and for /etc/guard/policy\\.ini" --
fi
row "missing --policy file" 3 126 "guard: $TMP/nope\\.ini: cannot read the policy: No such file or directory" -- --policy "$TMP/nope.ini"

mkdir -m 755 "$TMP/locked"
cp "$P" "$TMP/locked/p.ini"
chmod 600 "$TMP/locked/p.ini"
chmod 711 "$TMP"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	out=$(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		$GUARD --policy "$TMP/locked/p.ini" check -- 'ls' 2>&1)
	is "$?" 3 "unreadable policy: check exits 3"
	like "$out" "guard: $TMP/locked/p\\.ini: cannot read the policy: Permission denied" "unreadable policy: says why"
	out=$(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		$GUARD --policy "$TMP/locked/p.ini" -c 'echo ran' 2>&1)
	is "$?" 126 "unreadable policy: -c exits 126"
	unlike "$out" "ran" "unreadable policy: nothing ran"
fi

printf '[rule x]\nmatch = x\nacton = deny\n' >"$TMP/bad.ini"
chmod 644 "$TMP/bad.ini"
row "policy with errors" 3 126 "guard: $TMP/bad\\.ini:3: unknown key 'acton' in \\[rule x\\] \\(did you mean 'action'\\?\\)" -- --policy "$TMP/bad.ini"

cp "$P" "$TMP/open.ini"
chmod 646 "$TMP/open.ini"
row "policy writable by others" 3 126 "guard: $TMP/open\\.ini: refusing the policy: it is writable by group or others \\(chmod go-w\\)" -- --policy "$TMP/open.ini"

# Out of memory: a 3.5 MB word under a 8 MB address-space limit.  Every mode
# allocates through util.c's x*() functions, so -c fails the same way.
if ! sh -c "ulimit -v 8000; $GUARD --version" >/dev/null 2>&1; then
	# ASan and valgrind reserve more address space than the limit allows.
	echo "ok $((_tap_n += 1)) # SKIP this build cannot start under ulimit -v 8000"
else
	{ printf 'touch made_by_oom '; head -c 3500000 /dev/zero | tr '\0' a; echo; } >"$TMP/big.sh"
	out=$(ulimit -v 8000; $GUARD --policy "$P" check -f "$TMP/big.sh" 2>&1)
	is "$?" 126 "out of memory: exit 126"
	is "$out" "guard: out of memory; nothing was run" "out of memory: says so"
	[ -e made_by_oom ]
	is "$?" 1 "out of memory: nothing ran"
fi

# Unparseable input needs the bash parser (the placeholder parses anything).
if $GUARD check --policy "$P" -- 'sudo pm2 list' >/dev/null 2>&1; then
	echo "ok $((_tap_n += 1)) # SKIP unparseable input needs the bash parser"
else
	out=$($GUARD check --policy "$P" -- 'touch made; echo "unterminated' 2>&1)
	is "$?" 2 "unparseable input: check exits 2"
	like "$out" "guard: denied: cannot analyse the line: .*\\(line 1, column [0-9]+\\)" "unparseable input: says where"
	out=$($GUARD --policy "$P" -c 'touch made; echo "unterminated' 2>&1)
	is "$?" 126 "unparseable input: -c exits 126"
	[ -e made ]
	is "$?" 1 "unparseable input: nothing ran"
fi

done_testing
