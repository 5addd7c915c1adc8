#!/bin/bash
# Every fixture payload of every client against its golden answer (stdout and
# exit status).  GOLDEN_UPDATE=1 rewrites the goldens after a deliberate change.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

check_golden() { # CLIENT NAME
	local g=$HOOKS/$1/$2
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		printf '%s\n' "$out" >"$g.out"
		echo "$st" >"$g.status"
	fi
	is "$st" "$(cat "$g.status" 2>/dev/null)" "$1/$2: exit status"
	is "$out" "$(cat "$g.out" 2>/dev/null)" "$1/$2: stdout"
}

for c in claude codex gemini cursor copilot; do
	for f in "$HOOKS/$c"/*.json; do
		n=$(basename "$f" .json)
		run_hook "$c" "$f"
		check_golden "$c" "$n"
	done
	huge_payload "$TMP/huge"
	run_hook_raw "$c" "$TMP/huge"
	check_golden "$c" huge
done
done_testing
