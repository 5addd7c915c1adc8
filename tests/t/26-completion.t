#!/usr/bin/env bash
# share/completion/guard.bash completes subcommands, clients and options.
. "$(dirname "$0")/../lib/tap.sh"
comp() { # comp WORDS... -> the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _guard; echo "${COMPREPLY[*]}"' \
		_ "$TOP/share/completion/guard.bash" "$@"
}
bash -n "$TOP/share/completion/guard.bash"
ok $? "the completion script parses"
is "$(comp guard exp)" "explain" "a subcommand"
is "$(comp guard hook c)" "claude codex cursor copilot" "hook clients"
is "$(comp guard install pre)" "pre-push" "install targets"
is "$(comp guard policy s)" "show" "policy subcommands"
is "$(comp guard check --j)" "--json" "check's options"
is "$(comp guard log --v)" "--verdict" "log's options"
done_testing
