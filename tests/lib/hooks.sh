# tests/lib/hooks.sh - helpers for the hook tests (50-59).  Source after tap.sh.
# Sets up $PROJ (a project with the seed policy) and runs fixtures.
HOOKS=$TOP/tests/hooks
PROJ=$TMP/proj
mkdir -p "$PROJ/.guard"
cp "$TOP/policies/massage-shop.ini" "$PROJ/.guard/policy.ini"
export GUARD_AUDIT_LOG=$TMP/audit.log
unset XDG_STATE_HOME

# run_hook CLIENT FILE: runs guard hook CLIENT on FILE with @PROJ@ filled in;
# sets $out (stdout with $PROJ turned back into @PROJ@), $err and $st.
run_hook() {
	sed "s|@PROJ@|$PROJ|g" "$2" >"$TMP/payload"
	run_hook_raw "$1" "$TMP/payload"
}
run_hook_raw() {
	$GUARD hook "$1" <"$2" >"$TMP/out" 2>"$TMP/err"
	st=$?
	out=$(sed "s|$PROJ|@PROJ@|g" "$TMP/out")
	err=$(cat "$TMP/err")
}

# huge_payload FILE: a syntactically valid payload larger than the 8 MiB cap.
huge_payload() {
	{
		printf '{"tool_name":"Bash","cwd":"/","tool_input":{"command":"'
		head -c 9000000 /dev/zero | tr '\0' 'a'
		printf '"}}\n'
	} >"$1"
}

# blocks CLIENT: 0 if $st/$out/$err is an answer CLIENT enforces as a deny.
blocks() {
	case $1 in
	claude) [ "$st" = 2 ] || { [ "$st" = 0 ] && printf '%s' "$out" |
		jq -e '.hookSpecificOutput.hookEventName and .hookSpecificOutput.permissionDecision == "deny" and (.hookSpecificOutput.permissionDecisionReason | length > 0)' >/dev/null; } ;;
	codex) { [ "$st" = 2 ] && [ -n "$err" ]; } || { [ "$st" = 0 ] && printf '%s' "$out" |
		jq -e '.hookSpecificOutput.permissionDecision == "deny" and (.hookSpecificOutput.permissionDecisionReason | length > 0)' >/dev/null; } ;;
	gemini) [ "$st" = 2 ] || { [ "$st" = 0 ] && printf '%s' "$out" |
		jq -e '(.decision == "deny" or .decision == "block") and (.reason | length > 0)' >/dev/null; } ;;
	cursor) [ "$st" = 2 ] || { [ "$st" = 0 ] && printf '%s' "$out" |
		jq -e '.permission == "deny" and (.agent_message | length > 0)' >/dev/null; } ;;
	copilot) [ "$st" = 0 ] && printf '%s' "$out" |
		jq -e '.permissionDecision == "deny" and (.permissionDecisionReason | length > 0)' >/dev/null ;;
	*) return 1 ;;
	esac
}

# no_objection CLIENT: 0 if the answer lets the client go on as usual.
no_objection() {
	[ "$st" = 0 ] || return 1
	case $1 in
	claude | codex | copilot) [ -z "$out" ] ;;
	gemini) [ "$out" = "{}" ] ;;
	cursor) [ "$out" = '{"permission":"allow"}' ] ;;
	*) return 1 ;;
	esac
}

# asks CLIENT: 0 if the answer is the client's "ask the human".
asks() {
	[ "$st" = 0 ] || return 1
	case $1 in
	claude) printf '%s' "$out" | jq -e '.hookSpecificOutput.permissionDecision == "ask"' >/dev/null ;;
	cursor) printf '%s' "$out" | jq -e '.permission == "ask"' >/dev/null ;;
	copilot) printf '%s' "$out" | jq -e '.permissionDecision == "ask"' >/dev/null ;;
	*) return 1 ;;
	esac
}
