#!/usr/bin/env bash
# 33-analysis.t - what the analysis sees through, end to end (guard check):
# scripts named with file:line, scripts guard cannot read, assignments that
# change what a shell runs, and strings bash evaluates later.  The
# differential corpus (tests/diff/analysis.txt) proves each shape against
# real bash; this file pins the messages and the verdicts that need files.
. "$(dirname "$0")/../lib/tap.sh"
P=$TOP/policies/massage-shop.ini
cd "$TMP" || exit 1

v() { # v LINE -> sets out, rc (guard check in $TMP)
	out=$(timeout 20 $GUARD check --policy "$P" -- "$1" 2>&1)
	rc=$?
}

# --- a denial inside a script names the script and the line
printf '#!/bin/sh\n# restarts the app\necho restarting\npm2 restart all\n' >restart.sh
chmod +x restart.sh
for how in "bash restart.sh" "sh restart.sh" "./restart.sh" ". ./restart.sh" "source restart.sh"; do
	v "$how"
	is "$rc" 2 "$how: denied"
	like "$out" "where: +(\\./)?restart\\.sh:4" "$how: the message names restart.sh:4"
done
mkdir -p sub
printf 'echo one\n\nsudo -u deploy pm2 logs\n' >sub/inner.sh
printf './sub/inner.sh\n' >outer.sh
v "bash outer.sh"
is "$rc" 2 "a script calling a script: denied"
like "$out" "where: +\\./sub/inner\\.sh:3" "naming the inner script's line"

# --- scripts guard cannot read are unknown (warn with unknown = auto)
mkfifo fifo.sh
v "bash fifo.sh"
is "$rc" 1 "a fifo as script: unknown (warn), and guard does not block on it"
like "$out" "runs code guard cannot see" "  as code guard cannot see"
mkdir dir.sh
v "bash dir.sh"
is "$rc" 1 "a directory as script: unknown (warn)"
head -c 2000000 /dev/zero | tr '\0' '#' >big.sh
v "bash big.sh"
is "$rc" 1 "a script over 1 MiB: unknown (warn)"
cp big.sh big.py
v "python3 big.py"
is "$rc" 1 "an interpreter script over 1 MiB: unknown (warn)"
v "python3 missing.py"
is "$rc" 1 "an interpreter script that is not there: unknown (warn)"

# --- a local program (ELF) is a program, however large; only its header is read
{ head -c 64 /bin/true; head -c 3000000 /dev/zero; } >bigprog
chmod +x bigprog
v "./bigprog --help"
is "$rc" 0 "a 3 MB local ELF program: allowed as a program, not an unreadable script"
v "bash ./bigprog"
is "$rc" 0 "  bash refuses it as binary: nothing runs"
if command -v strace >/dev/null; then
	# the binary itself, not a valgrind wrapper (which reads much more)
	strace -e trace=read,pread64 -o strace.out "$GUARD_BUILD/guard" check --policy "$P" -- ./bigprog >/dev/null 2>&1
	got=$(grep -E '^(read|pread64)\(' strace.out | awk -F'= ' '{s += $NF} END {print s + 0}')
	ok "$((got >= 1000000))" "guard reads the program's header, not its 3 MB ($got bytes read)"
fi

# --- NUL bytes: bash's check_binary_file, then NULs dropped
printf 'true\npm2 li\0st\n' >nul2.sh
printf 'pm2 li\0st\n' >nul1.sh
printf 'echo %s\0\npm2 list\n' "$(printf 'a%.0s' $(seq 1 80))" >nul80.sh
v "bash nul2.sh"
is "$rc" 2 "NUL after line 1: bash runs the file, denied"
like "$out" "denied: pm2 list" "  the NUL is dropped (pm2 li<NUL>st is pm2 list)"
v "bash nul1.sh"
is "$rc" 0 "NUL in line 1: bash refuses the file as binary, nothing runs"
v "sh nul1.sh"
is "$rc" 2 "  but sh (dash) runs it: denied"
v ". ./nul1.sh"
is "$rc" 2 "  and source does not check: denied"
v "bash nul80.sh"
is "$rc" 2 "a NUL past the first 80 bytes does not make it binary: denied"

# --- a #! line matters only when the kernel runs the file
printf '#!/usr/bin/python3\npm2 list\n' >py.sh
chmod +x py.sh
v "bash py.sh"
is "$rc" 2 "bash runs a python-#! file as shell code: denied"
v "./py.sh"
is "$rc" 0 "the kernel runs it with python (a syntax error there): allowed"
printf '#!/usr/bin/env python3\nimport os\nos.system("pm2 list")\n' >run.py
chmod +x run.py
v "./run.py"
is "$rc" 2 "#!/usr/bin/env python3 with os.system(\"pm2 list\"): denied"
like "$out" "via: +\\./run\\.py" "  via the script"

# --- interpreter scripts: the commands in their string literals
printf 'import subprocess\nsubprocess.run(["pm2", "list"])\n' >p.py
printf 'system("pm2 list");\n' >x.pl
printf 'require("child_process").execSync("pm2 list");\n' >x.js
printf 'system("pm2 list")\n' >x.rb
printf '<?php system("pm2 list");\n' >x.php
printf 'import os, sys\nos.system(sys.argv[1])\n' >dyn.py
printf 'print("pm2 is not used here")\n' >safe.py
for l in "python3 p.py" "perl x.pl" "node x.js" "ruby x.rb" "php x.php"; do
	v "$l"
	is "$rc" 2 "$l: denied"
done
v "python3 dyn.py ls"
is "$rc" 1 "os.system(sys.argv[1]): unknown (warn)"
v "python3 safe.py"
is "$rc" 0 "a script without exec calls: allowed"

# --- assignments
v "IFS=: read -r a b"
is "$rc" 0 "IFS=: read -r a b: allowed"
v "IFS=\$'\\n'; for l in \$(cat f); do echo \"\$l\"; done"
is "$rc" 0 "IFS=\$'\\n' for a loop: allowed"
v "f() { local IFS=,; echo \"\$*\"; }; f a b"
is "$rc" 0 "local IFS=, in a function: allowed"
v "x=pm2/list; IFS=/ eval 'echo \$x'"
is "$rc" 2 "IFS=/ on eval: denied"
like "$out" "assigning IFS changes what the shell" "  naming IFS"
v "PS4='+ \${BASH_SOURCE}:\${LINENO}: '; set -x"
is "$rc" 0 "a usual PS4: allowed"
v "PS4='\$(pm2 list)'; set -x; true"
is "$rc" 2 "PS4 with \$(pm2 list): denied"
like "$out" "denied: pm2 list" "  naming pm2 list"
v "set -a; BASH_ENV=./f; bash -c true"
is "$rc" 2 "set -a; BASH_ENV=./f: denied"
like "$out" "denied: BASH_ENV=\\./f" "  naming the assignment"
like "$out" "assigning BASH_ENV changes what the shell or the loader runs" "  and why"
v "read BASH_ENV < f"
is "$rc" 2 "read BASH_ENV: denied"
v "declare -n r=BASH_ENV; export r=./f; bash -c true"
is "$rc" 2 "through a nameref: denied"
v "PS1='\\u@\\h:\\w\\\$ '; PROMPT_COMMAND='history -a'"
is "$rc" 0 "usual PS1 and PROMPT_COMMAND: allowed"
v "export \"\$name=./f\""
is "$rc" 1 "an exported variable whose name is known only at run time: unknown (warn)"
like "$out" "exports a variable whose name is known only when the line runs" "  saying so"

# --- PATH set by a statement on the line (not only as a prefix): its
#     directories are searched for a script of that name, the parts guard
#     cannot see ($PATH) being the usual PATH; source searches it too
mkdir -p pbin
printf 'pm2 restart all\n' >pbin/tool
chmod +x pbin/tool
printf 'echo harmless\n' >tool
for l in "PATH=$TMP/pbin:\$PATH; tool" "export PATH=$TMP/pbin:\$PATH; tool" \
	"PATH=$TMP/pbin; source tool" "PATH=$TMP/pbin:\$PATH tool"; do
	v "$l"
	is "$rc" 2 "$l: denied (pbin/tool runs pm2)"
done
v "PATH=\$PATH:/usr/local/bin; ls"
is "$rc" 0 "PATH=\$PATH:/usr/local/bin; ls: allowed"

done_testing
