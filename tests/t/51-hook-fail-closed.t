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

# A crash or a hang while checking (guard/failsafe.h) is the client's own
# deny, never the status 139 (or a timeout) that clients read as "carry on".
# The test build $GUARD_SEAMS crashes on purpose where the command is
# checked (GUARD_TEST_FAULT); the release build ignores that variable.
run_seam() { # run_seam CLIENT FIXTURE [VAR=VALUE...]
	local c=$1 f=$2
	shift 2
	sed "s|@PROJ@|$PROJ|g" "$f" >"$TMP/payload"
	env "$@" "$GUARD_SEAMS" hook "$c" <"$TMP/payload" >"$TMP/out" 2>"$TMP/err"
	st=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
reason() { # reason CLIENT: the text $out gives the model
	case $1 in
	claude | codex) printf '%s' "$out" | jq -r .hookSpecificOutput.permissionDecisionReason ;;
	gemini) printf '%s' "$out" | jq -r .reason ;;
	cursor) printf '%s' "$out" | jq -r .agent_message ;;
	copilot) printf '%s' "$out" | jq -r .permissionDecisionReason ;;
	esac
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
signame() { case $1 in stack) echo SEGV ;; segv) echo SEGV ;; abort) echo ABRT ;; *) echo "${1^^}" ;; esac; }
for c in claude codex gemini cursor copilot; do
	for f in segv stack abort bus ill fpe; do
		n=$(signame $f)
		why="internal error (signal $(kill -l "$n"): SIG$n) while checking"
		run_seam "$c" "$HOOKS/$c/allow.json" GUARD_TEST_FAULT=$f
		blocks "$c"
		ok $? "$c: a crash ($f) is a deny in $c's own form (status $st)"
		is "$st" 0 "$c: $f: exit 0 with the deny on stdout, as for any line guard cannot check"
		is "$(reason "$c")" "guard blocked this command because it could not check it: $why. Nothing was run. guard fails closed. Do not retry the command in another form; tell the user that guard refused it and why." \
			"$c: $f: the model is told what failed"
		is "$err" "guard: $why; the command was blocked and nothing was run" "$c: $f: and so is stderr"
	done
	t0=$(now_ms)
	run_seam "$c" "$HOOKS/$c/allow.json" GUARD_TEST_FAULT=hang GUARD_TEST_TIME_LIMIT=1
	t1=$(now_ms)
	blocks "$c"
	ok $? "$c: a check that hangs is a deny when the time limit ends it (status $st)"
	like "$(reason "$c")" "could not check it: checking took longer than 1 s\\. Nothing was run" \
		"$c: the model is told about the time limit"
	ok $((t1 - t0 > 5000)) "$c: the time limit ended it after $((t1 - t0)) ms"
done
is "$(printf '%s' "$(run_seam claude "$HOOKS/claude/allow.json" GUARD_TEST_FAULT=segv; echo "$out")")" \
	'{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"guard blocked this command because it could not check it: internal error (signal 11: SIGSEGV) while checking. Nothing was run. guard fails closed. Do not retry the command in another form; tell the user that guard refused it and why."}}' \
	"claude: the crash answer is byte for byte the rendering of a failed check"

# The time limit also covers a payload that never ends.
mkfifo "$TMP/slow"
(sleep 6 >"$TMP/slow") &
sleeper=$!
t0=$(now_ms)
GUARD_TEST_TIME_LIMIT=1 "$GUARD_SEAMS" hook claude <"$TMP/slow" >"$TMP/out" 2>"$TMP/err"
st=$?
t1=$(now_ms)
kill "$sleeper" 2>/dev/null
wait "$sleeper" 2>/dev/null
out=$(cat "$TMP/out")
blocks claude
ok $? "claude: stdin that never ends is a deny at the time limit (status $st)"
ok $((t1 - t0 > 4000)) "claude: after $((t1 - t0)) ms, not when the payload ends"

# A fault after the answer was written keeps that answer: no second answer
# on stdout, and the status that goes with it.
for c in claude codex gemini cursor copilot; do
	run_hook "$c" "$HOOKS/$c/deny.json"
	want=$out
	run_seam "$c" "$HOOKS/$c/deny.json" GUARD_TEST_FAULT=segv@answered
	out=$(sed "s|$PROJ|@PROJ@|g" "$TMP/out")
	is "$out" "$want" "$c: a crash after a deny was written leaves that deny alone"
	blocks "$c"
	ok $? "$c: still blocked (status $st)"
	run_seam "$c" "$HOOKS/$c/allow.json" GUARD_TEST_FAULT=segv@answered
	no_objection "$c"
	ok $? "$c: a crash after an allow was written keeps the allow (status $st)"
done

# The release build takes no fault (nor anything else) from the environment.
sed "s|@PROJ@|$PROJ|g" "$HOOKS/claude/allow.json" >"$TMP/p"
GUARD_TEST_FAULT=segv GUARD_TEST_TIME_LIMIT=1 $GUARD hook claude <"$TMP/p" >"$TMP/out" 2>"$TMP/err"
st=$? out=$(cat "$TMP/out")
no_objection claude
ok $? "release build: GUARD_TEST_FAULT is ignored (status $st)"
if grep -q GUARD_TEST_FAULT "$GUARD_BUILD/guard" "$GUARD_BUILD/guard-git"; then
	ok 1 "release build: the test seam is not compiled in"
else
	ok 0 "release build: the test seam is not compiled in"
fi

# The release build's own time limit (FAILSAFE_TIME_LIMIT, 10 s, guard(1)):
# a payload that never ends is denied after 10 s, well before the 30 s that
# guard install gives the hook.
(sleep 14 >"$TMP/slow") &
sleeper=$!
t0=$(now_ms)
$GUARD hook claude <"$TMP/slow" >"$TMP/out" 2>"$TMP/err"
st=$?
t1=$(now_ms)
kill "$sleeper" 2>/dev/null
wait "$sleeper" 2>/dev/null
out=$(cat "$TMP/out")
blocks claude
ok $? "release build: denied at its time limit (status $st)"
like "$(reason claude)" "checking took longer than 10 s" "release build: the limit is 10 s"
ok $((t1 - t0 < 9500 || t1 - t0 > 13000)) "release build: after $((t1 - t0)) ms"

# A real pathological line: 50,000 `true &&` before a denied command, on a
# 256 KiB stack.  Whether the analysis copes (pm2 is denied), refuses it at
# a limit, or overflows the stack (the handler denies), it is blocked: never
# an allow, never exit 139.
{
	printf '{"hook_event_name":"PreToolUse","tool_name":"Bash","cwd":"%s","tool_input":{"command":"' "$PROJ"
	yes 'true && ' | head -n 50000 | tr -d '\n'
	printf 'pm2 restart all"}}\n'
} >"$TMP/deep.json"
if [ -n "${GUARD_VALGRIND:-}" ]; then
	echo "ok $((_tap_n += 1)) # SKIP valgrind on a 256 KiB stack"
else
	for c in claude codex; do
		(ulimit -s 256 && exec $GUARD hook "$c" <"$TMP/deep.json" >"$TMP/out" 2>"$TMP/err")
		st=$? out=$(cat "$TMP/out") err=$(cat "$TMP/err")
		blocks "$c"
		ok $? "$c: 400 KB of 'true &&' on a 256 KiB stack is blocked (status $st)"
		unlike "$st" '^(1|139|134)$' "$c: guard did not die or exit non-blocking"
	done
fi

# An unknown client name is a usage error that still blocks (exit 2).
echo '{}' | $GUARD hook nosuchclient >/dev/null 2>&1
is "$?" 2 "unknown client: exit 2"

done_testing
