#!/bin/bash
# make sanitize and make valgrind are wired so that they can fail:
#  - make sanitize builds into build/san with clang ASan+UBSan and runs the
#    suite with GUARD_BUILD pointing there; under it, $GUARD is instrumented;
#  - a sanitizer report exits 99 (not 1, which guard uses for warn);
#  - tests/lib/tap.sh's GUARD_VALGRIND wrapper makes a leaking or
#    out-of-bounds program exit 99, and keeps "$GUARD" one word.
. "$(dirname "$0")/../lib/tap.sh"

dry=$(make -s -C "$TOP" --no-print-directory -n sanitize 2>&1)
like "$dry" "BUILD=build/san" "make sanitize builds into build/san"
like "$dry" "CC=clang" "make sanitize uses clang"
like "$dry" "-fsanitize=address,undefined" "make sanitize enables ASan and UBSan"
like "$dry" "-fno-sanitize-recover=all" "UBSan reports are fatal"
like "$dry" "ASAN_OPTIONS=exitcode=99" "ASan reports exit 99"
like "$dry" "UBSAN_OPTIONS=[^ ]*exitcode=99" "UBSan reports exit 99"
like "$dry" "GUARD_SANITIZE=1" "make sanitize tells the tests (GUARD_SANITIZE=1)"
like "$dry" " check\$" "make sanitize runs the whole suite (make check)"
dry=$(make -s -C "$TOP" --no-print-directory -n valgrind 2>&1)
like "$dry" "GUARD_VALGRIND=1 prove" "make valgrind runs the scripts with GUARD_VALGRIND"

case $GUARD_BUILD in
*/san)
	nm "$GUARD_BUILD/guard" 2>/dev/null | grep -q __asan_init
	ok $? "under make sanitize, \$GUARD ($GUARD) is built with ASan"
	;;
esac

# The sanitizer options of the Makefile catch a heap overflow, a leak and UB.
if command -v clang >/dev/null; then
	san_flags=$(printf '%s\n' "$(make -s -C "$TOP" --no-print-directory -n sanitize)" |
		grep -o -- '-fsanitize=[^ ]* -fno-omit-frame-pointer -fno-sanitize-recover=all' | head -n 1)
	san_env=$(printf '%s\n' "$(make -s -C "$TOP" --no-print-directory -n sanitize)" |
		grep -Eo '(ASAN|UBSAN)_OPTIONS=[^ ]*' | tr '\n' ' ')
	cat >"$TMP/bad.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include <limits.h>
int main(int argc, char **argv)
{
	char *p = malloc(4);
	if (strcmp(argv[1], "overflow") == 0)
		p[argc + 2] = 1;
	if (strcmp(argv[1], "leak") == 0)
		p = NULL;
	if (strcmp(argv[1], "ub") == 0) {
		int x = INT_MAX - 1 + argc;
		p[0] = (char)x;
	}
	free(p);
	return 0;
}
C
	# shellcheck disable=SC2086
	clang -g $san_flags -o "$TMP/bad" "$TMP/bad.c" 2>"$TMP/cc.err"
	ok $? "a test program builds with the Makefile's sanitizer flags"
	for what in overflow leak ub; do
		env $san_env "$TMP/bad" $what 2>"$TMP/err"
		is "$?" 99 "sanitized build: $what exits 99"
	done
	env $san_env "$TMP/bad" none 2>"$TMP/err"
	is "$?" 0 "sanitized build: a clean run exits 0"
fi

# The valgrind wrapper of tap.sh.
mkdir -p "$TMP/fake"
cat >"$TMP/fake.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char *p = malloc(8);
	strcpy(p, "x");
	if (argc > 1 && strcmp(argv[1], "leak") == 0) {
		p = malloc(100);
		p[0] = 0;
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "oob") == 0)
		p[8] = 1;
	if (argc > 1 && strcmp(argv[1], "fork") == 0) {
		printf("once\n"); /* buffered: stdout is a pipe */
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	printf("args:%d:%s\n", argc, argc > 2 ? argv[2] : "");
	free(p);
	return argc > 1 && strcmp(argv[1], "two") == 0 ? 2 : 0;
}
C
cc -O0 -g -o "$TMP/fake/guard" "$TMP/fake.c"
cp "$TMP/fake/guard" "$TMP/fake/guard-git"
vg() { # runs $GUARD as tap.sh sets it up under GUARD_VALGRIND=1
	GUARD_BUILD=$TMP/fake GUARD_VALGRIND=1 bash -c '. "$1"; "$GUARD" "${@:2}"' _ "$TOP/tests/lib/tap.sh" "$@"
}
if command -v valgrind >/dev/null; then
	out=$(vg plain "a b" 2>"$TMP/err")
	is "$?:$out" "0:args:3:a b" "GUARD_VALGRIND: a clean run passes its arguments and status through"
	vg two 2>"$TMP/err" >/dev/null
	is "$?" 2 "GUARD_VALGRIND: the program's exit status is kept"
	vg leak 2>"$TMP/err" >/dev/null
	is "$?" 99 "GUARD_VALGRIND: a leak exits 99"
	like "$(cat "$TMP/err")" "definitely lost" "GUARD_VALGRIND: the leak is reported"
	vg oob 2>"$TMP/err" >/dev/null
	is "$?" 99 "GUARD_VALGRIND: an out-of-bounds write exits 99"
	out=$(vg fork 2>"$TMP/err" | grep -c '^once$')
	is "$out" 1 "GUARD_VALGRIND: a forked child's _exit does not flush the parent's output again"
	dry=$(make -s -C "$TOP" --no-print-directory -n valgrind 2>&1)
	like "$dry" "prove -f --exec 'valgrind [^']*--run-libc-freeres=no" "make valgrind runs unit tests the same way"
	out=$(GUARD_BUILD=$TMP/fake GUARD_VALGRIND=1 bash -c '. "$1"; "$GUARD_GIT" plain x' _ "$TOP/tests/lib/tap.sh" 2>/dev/null)
	is "$out" "args:3:x" "GUARD_VALGRIND wraps \$GUARD_GIT too"
fi
done_testing
