# tests/lib/tap.sh - TAP helpers for shell tests.  Source it.
# Provides: $GUARD, $GUARD_GIT, $GUARD_SEAMS, $TOP, $TMP (scratch, removed at exit), $SLOW,
#           ok COND-STATUS DESC, is GOT WANT DESC, like GOT REGEX DESC, diag TEXT,
#           done_testing.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GUARD_BUILD=${GUARD_BUILD:-$TOP/build}
GUARD=$GUARD_BUILD/guard
GUARD_GIT=$GUARD_BUILD/guard-git
# The test build (Makefile: TEST_SEAMS): guard and guard-git that crash or
# hang on purpose with GUARD_TEST_FAULT (guard/failsafe.h).  Never wrapped in
# valgrind: a process that dies in a signal handler leaves its memory behind.
GUARD_SEAMS=$GUARD_BUILD/test-seams/guard
TMP=$(mktemp -d "${TMPDIR:-/tmp}/guard-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Compiled policies (guard/policy_cache.c) go to this test's scratch directory.
export XDG_CACHE_HOME=$TMP/cache
# make sanitize sets GUARD_SANITIZE=1 (ASan cannot start under `ulimit -v`);
# make valgrind sets GUARD_VALGRIND=1.  Tests that limit memory skip then.
# make valgrind: $GUARD and $GUARD_GIT become one-word wrapper scripts (so
# "$GUARD" quoted still works) that run the binary under valgrind; a memory
# error or a leak makes it exit 99, which no test expects.
if [ -n "${GUARD_VALGRIND:-}" ]; then
	for _b in guard guard-git; do
		cat >"$TMP/.valgrind-$_b" <<-EOF
		#!/bin/sh
		exec valgrind -q --run-libc-freeres=no --leak-check=full --show-leak-kinds=definite,indirect,possible \\
		  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \\
		  --suppressions=$TOP/tests/valgrind.supp \\
		  "$GUARD_BUILD/$_b" "\$@"
		EOF
		chmod +x "$TMP/.valgrind-$_b"
	done
	GUARD=$TMP/.valgrind-guard
	GUARD_GIT=$TMP/.valgrind-guard-git
fi
# SLOW: a factor for timeouts that only catch a hang or super-linear time
# (valgrind runs guard some 50 times slower).
SLOW=1
[ -n "${GUARD_VALGRIND:-}" ] && SLOW=10
_tap_n=0
_tap_failed=0
ok() { # ok STATUS DESC  (STATUS 0 = pass)
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}
is() { # is GOT WANT DESC
	if [ "$1" == "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | sed '3,$s/^/#   /'
	fi
}
like() { # like GOT EXTENDED-REGEX DESC
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got: %s\n#   want match: %s\n' "$1" "$2"
	fi
}
unlike() { # unlike GOT EXTENDED-REGEX DESC
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		printf '#   got: %s\n#   must not match: %s\n' "$1" "$2"
	else ok 0 "$3"; fi
}
diag() { # diag TEXT...: a TAP comment on stderr, which prove shows (stdout ones it hides)
	printf '# %s\n' "$*" >&2
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
