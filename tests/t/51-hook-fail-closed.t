#!/bin/bash
# No deny path of any adapter may end in an answer its client reads as
# "carry on": every fixture that must block is checked against the client's
# own blocking rules (tests/lib/hooks.sh: blocks), and allowed ones against
# its "no objection" form.  Also: out of memory, policy errors, no policy,
# codex_warn / gemini_warn.
. "$(dirname "$0")/../lib/tap.sh"
. "$TOP/tests/lib/hooks.sh"

for c in claude codex gemini cursor copilot; do
	for f in "$HOOKS/$c"/*.json; do
		n=$(basename "$f" .json)
		run_hook "$c" "$f"
		case $n in
		allow* | nonshell)
			no_objection "$c"
			ok $? "$c/$n: no objection (status $st)" ;;
		warn)
			case $c in
			codex | gemini) blocks "$c"; ok $? "$c/$n: cannot ask, so denied by default" ;;
			*) asks "$c"; ok $? "$c/$n: asks the human" ;;
			esac ;;
		*)
			blocks "$c"
			ok $? "$c/$n: blocked in $c's own form (status $st)" ;;
		esac
	done
	huge_payload "$TMP/huge"
	run_hook_raw "$c" "$TMP/huge"
	blocks "$c"
	ok $? "$c: payload over 8 MiB is blocked (status $st)"
	like "$out$err" "larger than 8388608 bytes" "$c: says the payload is too large"

	printf '' >"$TMP/emptyin"
	run_hook_raw "$c" "$TMP/emptyin"
	blocks "$c"
	ok $? "$c: empty stdin is blocked"
done

# Out of memory while parsing a large payload: the emergency deny.
# (Skipped where guard cannot even start under the limit: valgrind, ASan.)
if [ -z "${GUARD_VALGRIND:-}" ] && (ulimit -v 24000; $GUARD --version) >/dev/null 2>&1; then
	{
		printf '{"tool_name":"Bash","toolName":"bash","command":"x","cwd":"/","tool_input":{"command":"'
		head -c 7000000 /dev/zero | tr '\0' 'a'
		printf '"},"toolArgs":"{}"}\n'
	} >"$TMP/big"
	for c in claude codex gemini cursor copilot; do
		out=$( (ulimit -v 24000; $GUARD hook "$c" <"$TMP/big" 2>"$TMP/err"); echo "status=$?")
		st=${out##*status=}
		out=${out%status=*}
		out=${out%$'\n'}
		err=$(cat "$TMP/err")
		blocks "$c"
		ok $? "$c: out of memory is still a deny (status $st)"
		like "$err" "out of memory" "$c: out of memory is named on stderr"
	done
fi

# A policy with errors, or no policy at all, denies everything.
mkdir -p "$TMP/bad/.guard" "$TMP/none"
printf '[rule x]\nmatch = ls\naction = maybe\n' >"$TMP/bad/.guard/policy.ini"
for d in bad none; do
	for c in claude cursor; do
		sed "s|@PROJ@|$TMP/$d|g" "$HOOKS/$c/allow.json" >"$TMP/p"
		run_hook_raw "$c" "$TMP/p"
		blocks "$c"
		ok $? "$c: $d policy: even ls is blocked"
	done
done

# codex_warn / gemini_warn = allow: allowed with a visible warning.
mkdir -p "$TMP/w/.guard"
cp "$PROJ/.guard/policy.ini" "$TMP/w/.guard/policy.ini"
printf '\n[hooks]\ncodex_warn = allow\ngemini_warn = allow\n' >>"$TMP/w/.guard/policy.ini"
sed "s|@PROJ@|$TMP/w|g" "$HOOKS/codex/warn.json" >"$TMP/p"
run_hook_raw codex "$TMP/p"
is "$st" 0 "codex_warn=allow: exit 0"
like "$out" '"systemMessage":"guard: warns about' "codex_warn=allow: a visible systemMessage"
unlike "$out" 'permissionDecision' "codex_warn=allow: no permissionDecision Codex would reject"
sed "s|@PROJ@|$TMP/w|g" "$HOOKS/gemini/warn.json" >"$TMP/p"
run_hook_raw gemini "$TMP/p"
like "$out" '^\{"systemMessage":"guard: warns about' "gemini_warn=allow: a visible systemMessage"
sed "s|@PROJ@|$TMP/w|g" "$HOOKS/codex/deny.json" >"$TMP/p"
run_hook_raw codex "$TMP/p"
blocks codex
ok $? "codex_warn=allow does not weaken a deny"

# Codex parses answers strictly (deny_unknown_fields; hookEventName must be
# PreToolUse) and runs the command when an answer does not fit, or says
# "ask", or "allow" without updatedInput.  Every Codex answer must fit.
codex_fits='(keys - ["continue","decision","reason","stopReason","suppressOutput","systemMessage","hookSpecificOutput"] | length == 0)
 and ((.hookSpecificOutput // {}) | (keys - ["hookEventName","additionalContext","permissionDecision","permissionDecisionReason","updatedInput"] | length == 0))
 and (.hookSpecificOutput == null or .hookSpecificOutput.hookEventName == "PreToolUse")
 and ((.hookSpecificOutput.permissionDecision // "deny") == "deny")'
sed "s|@PROJ@|$TMP/w|g" "$HOOKS/codex/warn.json" >"$TMP/warn-allow.json" # codex_warn = allow
for f in "$HOOKS"/codex/*.json "$TMP/warn-allow.json"; do
	run_hook codex "$f"
	if [ -n "$out" ]; then
		printf '%s' "$out" | jq -e "$codex_fits" >/dev/null
		ok $? "codex/$(basename "$f"): the answer fits Codex's strict output schema"
	fi
done
jq '.hook_event_name = "pre_tool_use"' "$HOOKS/codex/deny.json" >"$TMP/p"
run_hook codex "$TMP/p"
is "$(printf '%s' "$out" | jq -r .hookSpecificOutput.hookEventName)" PreToolUse \
	"codex: hookEventName is PreToolUse whatever the payload says"

# An unknown client name is a usage error that still blocks (exit 2).
echo '{}' | $GUARD hook nosuchclient >/dev/null 2>&1
is "$?" 2 "unknown client: exit 2"

done_testing
