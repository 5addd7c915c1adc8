#!/bin/bash
# make install / make uninstall, into scratch directories, from a build
# directory of this test's own (BUILD=$TMP/build), so the build under test is
# never touched.  The paths guard has compiled in must follow PREFIX even
# after a plain `make` (they live in BUILD/config.h, rewritten when they
# change), and an installed guard must find guard-git relative to itself too
# (DESTDIR, a moved tree).
. "$(dirname "$0")/../lib/tap.sh"
command -v make >/dev/null && command -v cc >/dev/null || skip_all "needs make and cc"
[ -n "${GUARD_VALGRIND:-}${GUARD_SANITIZE:-}" ] && skip_all "builds its own release binaries"

B=$TMP/build
# not the outer make's MAKEFLAGS (jobserver, CC/CFLAGS of make sanitize)
M() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" --no-print-directory BUILD="$B" "$@"; }
version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")

M -s -j"$(nproc)" >"$TMP/make.log" 2>&1
is "$?" 0 "a plain make into BUILD=\$TMP/build"
grep -qF '#define GUARD_LIBEXECDIR "/usr/local/libexec/guard"' "$B/config.h"
is "$?" 0 "config.h has the default libexec directory"
out=$(M -j"$(nproc)" 2>&1)
unlike "$out" '(^|[[:space:]])(cc|gcc|clang) ' "make again compiles nothing (config.h is rewritten only when it changes)"

# --- PREFIX after a plain make: the installed binary must look there
P=$TMP/opt-g
M -s PREFIX="$P" install >"$TMP/install.log" 2>&1
is "$?" 0 "make install PREFIX=\$TMP/opt-g"
like "$(cat "$TMP/install.log")" "wrote $B/config.h" "the new PREFIX rewrote config.h"
grep -qaF "$P/libexec/guard" "$P/bin/guard"
is "$?" 0 "the installed guard has PREFIX's libexec directory compiled in"
grep -qaF /usr/local/libexec/guard "$P/bin/guard"
is "$?" 1 "and not the default one"
is "$("$P/bin/guard" --version)" "guard $version" "the installed guard --version"
# (guard derive --help is answered by guard itself; an unknown option is
# guard-git's to refuse, so it shows guard-git ran)
out=$("$P/bin/guard" derive --no-such-option 2>&1)
is "$?" 64 "the installed guard derive runs guard-git (which refuses the option: 64)"
like "$out" "derive: unknown option '--no-such-option'" "and says why"
# a copy elsewhere has no guard-git beside it: only the compiled path works
mkdir -p "$TMP/elsewhere/bin"
cp "$P/bin/guard" "$TMP/elsewhere/bin/guard"
"$TMP/elsewhere/bin/guard" derive --no-such-option >/dev/null 2>&1
is "$?" 64 "a copy of it elsewhere finds guard-git through the compiled PREFIX"

want="bin/guard
libexec/guard/guard-git
share/bash-completion/completions/guard
$(cd "$TOP" && for f in hooks/*; do echo "share/guard/$f"; done)
$(cd "$TOP" && for f in policies/*.ini; do echo "share/guard/$f"; done)
share/man/man1/guard.1
share/man/man5/guard.ini.5"
is "$(cd "$P" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)" "$(printf '%s\n' "$want" | LC_ALL=C sort)" \
	"install writes the programs, man pages, policies, hooks and the bash completion"
cmp -s "$TOP/share/man/guard.1" "$P/share/man/man1/guard.1" &&
	cmp -s "$TOP/share/man/guard.ini.5" "$P/share/man/man5/guard.ini.5"
is "$?" 0 "the man pages are the ones in share/man"
cmp -s "$TOP/share/completion/guard.bash" "$P/share/bash-completion/completions/guard"
is "$?" 0 "the completion file is share/completion/guard.bash"
is "$(stat -c %a "$P/bin/guard" "$P/libexec/guard/guard-git" "$P/share/man/man1/guard.1" | tr '\n' ' ')" \
	"755 755 644 " "modes of the programs and man pages"
if command -v man >/dev/null; then
	man -l "$P/share/man/man1/guard.1" 2>/dev/null | grep -q "guard derive"
	is "$?" 0 "man -l renders the installed guard.1"
fi
for f in "$TOP"/policies/*.ini; do
	"$P/bin/guard" policy check "$P/share/guard/policies/${f##*/}" >/dev/null 2>&1
	is "$?" 0 "installed ${f##*/} passes the installed guard's policy check"
done

touch "$P/share/guard/policies/local.ini" # the operator's own file stays
M -s PREFIX="$P" uninstall >/dev/null 2>&1
is "$?" 0 "make uninstall PREFIX=\$TMP/opt-g"
is "$(cd "$P" && find . -type f | sed 's|^\./||')" "share/guard/policies/local.ini" \
	"uninstall removes every file install wrote, and only those"
rm "$P/share/guard/policies/local.ini"
M -s PREFIX="$P" uninstall >/dev/null 2>&1
[ ! -e "$P/libexec/guard" ] && [ ! -e "$P/share/guard" ]
is "$?" 0 "and guard's own directories once they are empty"

# --- DESTDIR: the compiled path does not exist yet; guard finds guard-git
# relative to itself (PREFIX/bin -> PREFIX/libexec/guard)
D=$TMP/dest
M -s PREFIX=/opt/guard-test DESTDIR="$D" install >/dev/null 2>&1
is "$?" 0 "make install PREFIX=/opt/guard-test DESTDIR=\$TMP/dest"
[ ! -e /opt/guard-test ]
is "$?" 0 "nothing is written outside DESTDIR"
out=$("$D/opt/guard-test/bin/guard" derive --no-such-option 2>&1)
is "$?" 64 "guard under DESTDIR finds guard-git in ../libexec/guard"
cp "$D/opt/guard-test/bin/guard" "$TMP/elsewhere/bin/guard"
out=$("$TMP/elsewhere/bin/guard" derive --no-such-option 2>&1)
is "$?" 2 "a copy with no guard-git anywhere fails"
like "$out" "guard-git not found .* in /opt/guard-test/libexec/guard " "naming the compiled directory (PREFIX changed again)"
M -s PREFIX=/opt/guard-test DESTDIR="$D" uninstall >/dev/null 2>&1
is "$(find "$D" -type f | wc -l)" 0 "uninstall with DESTDIR removes every file"

done_testing
