#!/bin/bash
# 31-installed-scripts.t - every shell script installed on this machine that
# `bash -n` accepts must be analysed by guard without a syntax error:
#   /var/lib/dpkg/info/*.{preinst,postinst,prerm,postrm,config} (sh/bash ones),
#   /usr/share/bash-completion/completions/*,
#   scripts in /usr/bin whose #! line names sh or bash.
# guard runs once per file with a policy that has no rules, so a verdict is
# never "because of a rule"; only "error" in the --json output fails.
. "$(dirname "$0")/../lib/tap.sh"

P=$TMP/norules.ini
printf '[guard]\ndefault = allow\nunknown = auto\n' > "$P"

is_sh_shebang() { # FILE: its first line is #! sh or bash (or it has no #!)
	local l
	IFS= read -r l < "$1" 2> /dev/null || [ -n "$l" ] || return 1
	case $l in
	'#!'*) [[ $l =~ ^#![[:space:]]*(/usr)?/bin/(env[[:space:]]+)?(ba|da)?sh([[:space:]]|$) ]] ;;
	*) [ "${2:-}" = noshebang-ok ] ;;
	esac
}

declare -A seen
group() { # NAME then files: checks them, one TAP result for the group
	local name=$1 f real n=0 bad=0 nerr=0 nsyn=0 out rc
	shift
	: > "$TMP/fail.$name"
	for f in "$@"; do
		real=$f
		if [ -L "$f" ]; then real=$(readlink -f -- "$f") || continue; fi
		[ -f "$real" ] && [ -r "$real" ] || continue
		[ -n "${seen[$real]:-}" ] && continue
		seen[$real]=1
		bash -n "$real" > /dev/null 2>&1 || continue
		n=$((n + 1))
		g=$GUARD_BUILD/guard # valgrind (slow) on every 20th file only
		[ -n "${GUARD_VALGRIND:-}" ] && [ $((n % 20)) = 1 ] && g=$GUARD
		out=$(timeout 20 $g check --policy "$P" --json -f "$real" 2>&1)
		rc=$?
		if [ $rc -gt 2 ] || [[ $out =~ Sanitizer|runtime\ error:|==[0-9]+== ]] || [[ $out != *'"verdict"'* ]] || [[ $out =~ \"error\"[[:space:]]*: ]]; then
			bad=$((bad + 1))
			msg=$(grep -o '"error"[[:space:]]*:[[:space:]]*"[^"]*"' <<< "$out" | head -n 1)
			[ -z "$msg" ] && msg=$(head -c 200 <<< "$out" | tr '\n' ' ')
			[ $bad -le 40 ] && printf '#   %s: exit %s: %s\n' "$real" "$rc" "$msg" >> "$TMP/fail.$name"
		fi
		# check -n (syntax only, like bash -n) must accept it too
		if ! out=$(timeout 20 $g check -n -f "$real" 2>&1) || [ -n "$out" ]; then
			nsyn=$((nsyn + 1))
			[ $nsyn -le 10 ] && printf '#   check -n: %s: %s\n' "$real" "$(head -c 200 <<< "$out")" >> "$TMP/fail.$name"
		fi
	done
	diag "$name: read $n scripts that bash -n accepts; $bad not analysed"
	total=$((total + n))
	ok $([ $bad = 0 ]; echo $?) "$name: guard analyses all $n scripts without error"
	ok $([ $nsyn = 0 ]; echo $?) "$name: guard check -n accepts all $n scripts ($nsyn refused)"
	[ $bad -gt 40 ] && echo "#   (and $((bad - 40)) more)" >> "$TMP/fail.$name"
	cat "$TMP/fail.$name"
}

# Control: the check below can fail only if guard reports "error" for a
# script bash rejects.
printf 'if true; then\n\techo "unclosed\n' > "$TMP/broken.sh"
bash -n "$TMP/broken.sh" 2> /dev/null && echo "# bash accepts the control script?"
out=$($GUARD check --policy "$P" --json -f "$TMP/broken.sh" 2>&1)
like "$out" '"error"[[:space:]]*:' "control: guard reports \"error\" for a script bash -n rejects"

total=0
dpkg=()
for f in /var/lib/dpkg/info/*.preinst /var/lib/dpkg/info/*.postinst /var/lib/dpkg/info/*.prerm \
	/var/lib/dpkg/info/*.postrm /var/lib/dpkg/info/*.config; do
	[ -f "$f" ] && is_sh_shebang "$f" && dpkg+=("$f")
done
group dpkg-maintainer-scripts "${dpkg[@]}"

comp=()
for f in /usr/share/bash-completion/completions/*; do
	[ -f "$f" ] && comp+=("$f")
done
group bash-completions "${comp[@]}"

bin=()
for f in /usr/bin/*; do
	[ -f "$f" ] && is_sh_shebang "$f" && bin+=("$f")
done
group usr-bin-scripts "${bin[@]}"

diag "read $total installed shell scripts in all"
# A discovery that silently finds nothing must not pass.
ok $([ "$total" -ge 100 ]; echo $?) "read at least 100 installed scripts ($total)"
done_testing
