#!/bin/bash
# Every libFuzzer target builds (clang, ASan+UBSan, against the core library)
# and runs each of its committed seeds once without a crash, leak or UBSan
# report.  Targets whose code has not landed yet are reported as skipped by
# tests/fuzz/run; this test checks that each one is either ok or skipped for
# a named missing function, never failed.
. "$(dirname "$0")/../lib/tap.sh"
command -v clang >/dev/null || skip_all "clang is not installed (tests/install-deps adds it)"
# The fuzz build lives next to the build under test (build/fuzz, build/san/fuzz).
out=$(FUZZ_BUILD=$GUARD_BUILD/fuzz "$TOP/tests/fuzz/run" --once 2>&1)
rc=$?
ok $rc "tests/fuzz/run --once exits 0"
[ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	line=$(printf '%s\n' "$out" | grep "^fuzz: $t: ")
	like "$line" "^fuzz: $t: (ok \([0-9]+ seeds run once\)|SKIP \(not implemented yet: .+\))$" \
		"$t builds and runs its seeds, or names what it waits for"
	if [[ $line == *": ok "* ]]; then
		n=$(find "$TOP/tests/fuzz/corpus/$t" -type f 2>/dev/null | wc -l)
		ok $((n == 0)) "$t has committed seeds ($n)"
		if [ "$n" -gt 0 ]; then
			like "$line" "ok \($n seeds" "$t ran all $n seeds"
		fi
	fi
done
# The skip logic must not hide a broken target: a target that crashes fails.
cat >"$TMP/crash.c" <<'C'
/* requires: analyze */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *p = malloc(4);
	if (n > 0 && d[0] == 'x')
		p[4] = 1; /* heap overflow */
	free(p);
	return 0;
}
C
# Run the real script against a copy of the tree with one crashing target added.
mkdir -p "$TMP/tree/tests/fuzz/corpus/fuzz_crash" "$TMP/tree/tests/lib"
cp -r "$TOP/guard" "$TOP/Makefile" "$TMP/tree/"
cp "$TOP/tests/fuzz/run" "$TMP/tree/tests/fuzz/"
cp "$TMP/crash.c" "$TMP/tree/tests/fuzz/fuzz_crash.c"
echo x >"$TMP/tree/tests/fuzz/corpus/fuzz_crash/seed"
# Reuse the objects built above (copied after the sources, so they are newer).
mkdir -p "$TMP/tree/fuzzbuild"
cp -r "$GUARD_BUILD/fuzz/obj" "$GUARD_BUILD/fuzz/libguard.a" "$TMP/tree/fuzzbuild/" 2>/dev/null
out=$(FUZZ_BUILD=$TMP/tree/fuzzbuild "$TMP/tree/tests/fuzz/run" --once fuzz_crash 2>&1)
rc=$?
ok $((rc == 0)) "a target with a heap overflow fails the run (exit $rc)"
like "$out" "fuzz_crash: FAILED" "the failed target is named"
done_testing
