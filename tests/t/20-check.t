#!/bin/bash
# guard check: verdict words, exit statuses, the block on stderr, --json, -f.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TOP" || exit 1
P=policies/massage-shop.ini

check() { # check ARGS... -> sets out, err, rc
	out=$($GUARD check "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
}

check --policy $P -- 'ls -l'
is "$rc/$out/$err" "0/allow/" "an allowed line: exit 0, 'allow', nothing on stderr"

check --policy $P -- 'systemctl stop massage-shop'
is "$rc/$out" "1/warn" "a warned line: exit 1, 'warn'"
like "$err" "^guard: warning: systemctl stop massage-shop" "warning block names the command"

check --policy $P -- 'pm2 restart all'
is "$rc/$out" "2/deny" "a denied line: exit 2, 'deny'"
is "$err" "guard: denied: pm2 restart all
  rule:    no-pm2 (policies/massage-shop.ini:9)
  reason:  The app is managed by systemd (massage-shop.service); PM2 must not be installed or used: two managers fight over port 3000.
  see:     00-project-docs/feature-specifications/production-deployment-guide.md:18
  instead: sudo systemctl restart massage-shop
  Do not run another spelling of this command; use the one above." "the block: command, rule, reason, see, instead"

check --policy $P pm2 restart all
is "$rc/$out" "2/deny" "several arguments are joined into one line"

check --policy $P -- 'ls; systemctl stop massage-shop; pm2 list'
is "$rc/$out" "2/deny" "a line gets the strictest verdict of its commands"

$GUARD --policy $P check -- 'pm2 list' >/dev/null 2>&1
is "$?" 2 "--policy before the subcommand works too"

check --policy $P
is "$rc" 64 "no command line: usage, exit 64"
check --policy $P --bogus x
is "$rc" 64 "unknown option: exit 64"

# Colour: never when stderr is not a terminal, never with NO_COLOR.
check --policy $P -- 'pm2 list'
unlike "$err" $'\033' "no colour when stderr is not a terminal"
if command -v script >/dev/null; then
	script -qec "$GUARD check --policy $P -- 'pm2 list'" /dev/null >"$TMP/tty" 2>&1
	like "$(cat "$TMP/tty")" $'\033\\[1;31mdenied:' "colour on a terminal"
	NO_COLOR=1 script -qec "$GUARD check --policy $P -- 'pm2 list'" /dev/null >"$TMP/tty" 2>&1
	unlike "$(cat "$TMP/tty")" $'\033' "no colour on a terminal with NO_COLOR"
fi

# -f FILE and -f - read a whole script.
printf 'echo start\npm2 list\n' >"$TMP/s.sh"
check --policy $P -f "$TMP/s.sh"
is "$rc/$out" "2/deny" "-f FILE checks the whole file"
check --policy $P -f - <"$TMP/s.sh"
is "$rc/$out" "2/deny" "-f - reads stdin"
printf 'echo start\nls\n' | $GUARD check --policy $P -f - >/dev/null 2>&1
is "$?" 0 "-f - with a harmless script: allow"
check --policy $P -f "$TMP/s.sh" extra
is "$rc" 64 "-f and a command line together: usage"

# --json: one object, parsed back with perl's JSON::PP.
js=$($GUARD check --policy $P --json -- 'ls; pm2 restart all' 2>/dev/null)
is "$?" 2 "--json keeps the exit status"
got=$(printf '%s' "$js" | perl -MJSON::PP -0777 -ne '$j=decode_json($_);
	print join("|", $j->{verdict}, scalar @{$j->{commands}},
	join(" ", @{$j->{commands}[1]{argv}}), $j->{commands}[1]{rule}{name},
	$j->{commands}[1]{rule}{instead}, $j->{commands}[1]{rule}{see},
	$j->{commands}[0]{verdict}, $j->{commands}[0]{rule} // "null", $j->{policy}[0],
	exists $j->{error} ? "error" : "no-error")')
is "$got" "deny|2|pm2 restart all|no-pm2|sudo systemctl restart massage-shop|00-project-docs/feature-specifications/production-deployment-guide.md:18|allow|null|policies/massage-shop.ini|no-error" \
	"--json: verdict, commands with argv and matched rule, policy files"
got=$(printf '%s' "$js" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print $j->{message} =~ /^guard: denied: pm2 restart all\n/ ? "yes" : "no"')
is "$got" yes "--json carries the human message"
n=$(printf '%s' "$js" | wc -l)
is "$n" 0 "--json prints one line"
js=$($GUARD check --policy "$TMP/none.ini" --json -- 'ls' 2>/dev/null)
is "$?" 3 "--json with a missing policy: exit 3"
got=$(printf '%s' "$js" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print "$j->{verdict}|", ($j->{policy_errors}[0] =~ /cannot read the policy/ ? "named" : "?"), "|", ($j->{error} ? "error" : "")')
is "$got" "deny|named|error" "--json: deny, policy_errors and error"

js=$($GUARD check --policy $P --json -- 'ls; echo "unterminated' 2>/dev/null)
is "$?" 2 "--json on unparseable input: exit 2"
got=$(printf '%s' "$js" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print "$j->{verdict}|", ($j->{error} =~ /^cannot analyse the line: .*\(line 1, column [0-9]+\)$/ ? "error with position" : "no error: $j->{error}")')
is "$got" "deny|error with position" "--json: deny and an error naming the position"

# Unknown programs: [guard] unknown = auto denies when a denied name is on the line.
check --policy $P -- 'cmd=$(command -v pm2); $cmd list'
is "$rc/$out" "2/deny" "a dynamic program name with 'pm2' elsewhere on the line: deny"
check --policy $P -- 'cmd=$(cat f); $cmd --version'
is "$rc/$out" "1/warn" "a dynamic program name, nothing guarded on the line: warn"
check --policy $P -- 'git commit -m "drop pm2"'
is "$rc/$out" "0/allow" "a line that only mentions pm2: allow"

# Input that cannot be read cannot be analysed: deny (exit 2), and with
# --json every outcome is one JSON object with "error".
check --policy $P -f "$TMP/no-such-file"
is "$rc/$out" "2/deny" "-f of a missing file: deny, exit 2"
is "$err" "guard: denied: cannot read $TMP/no-such-file: No such file or directory" "naming the file and why"
check --policy $P --json -f "$TMP/no-such-file"
is "$rc" 2 "--json -f of a missing file: exit 2"
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print join("|", $j->{verdict}, scalar @{$j->{commands}}, $j->{error}, $j->{message} =~ s/\n/\\n/gr)')
is "$got" "deny|0|cannot read $TMP/no-such-file: No such file or directory|guard: denied: cannot read $TMP/no-such-file: No such file or directory\\n" "--json: one object with verdict deny, no commands, error and message"
mkdir -p "$TMP/adir"
check --policy $P --json -f "$TMP/adir"
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print "$j->{verdict}|$j->{error}"')
is "$rc/$got" "2/deny|cannot read $TMP/adir: not a regular file" "--json -f of a directory: deny"
check --policy $P --json --no-such-option x
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print "$j->{verdict}|", ($j->{error} =~ /bad command line/ ? "usage" : $j->{error})')
is "$rc/$got" "64/deny|usage" "--json with a bad option: a JSON object too, exit 64"
check --policy $P --json
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print "$j->{verdict}|", ($j->{error} ? "error" : "none")')
is "$rc/$got" "64/deny|error" "--json without a line: a JSON object, exit 64"
check -n --json -f "$TMP/no-such-file"
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print "$j->{syntax}|$j->{error}"')
is "$rc/$got" "2/error|cannot read $TMP/no-such-file: No such file or directory" "-n --json of a missing file: a syntax error object, exit 2"
check -n -f "$TMP/no-such-file"
is "$rc/$out" "2/" "-n of a missing file: exit 2, nothing on stdout"
check --policy $P --help
like "$rc/$out" "^0/usage: guard check" "check --help: the usage on stdout, exit 0"

# -n: syntax only, as bash -n; no policy is read (none exists at this path).
cd "$TMP" || exit 1
check -n -- 'pm2 restart all; if true; then echo "$(ls)"; fi'
is "$rc/$out/$err" "0//" "-n: a line that parses: exit 0, nothing printed, no policy needed"
check -n -- 'echo $(ls'
is "$rc" 2 "-n: a line that does not parse: exit 2 (what check decides)"
like "$err" "^guard: line:1:[0-9]+: .*missing" "-n: the error names the position"
check -n --json -- 'if true; then'
got=$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne '$j=decode_json($_); print join("|", $j->{syntax}, $j->{line}, ($j->{incomplete} ? "incomplete" : "complete"), ($j->{error} =~ /fi/ ? "names fi" : $j->{error}))')
is "$rc/$got" "2/error|1|incomplete|names fi" "-n --json: syntax, error, line and incomplete"
check -n --json -- 'ls'
is "$rc/$out" '0/{"syntax":"ok"}' "-n --json on a good line"
# Agreement with bash -n on whole files: good and broken ones.
printf 'f() {\n\tcase $1 in\n\ta) echo "<<x" ;;\n\tesac\n}\ncat <<EOF\n$(f a)\nEOF\n' >"$TMP/good.sh"
printf 'f() {\n\techo hi\n' >"$TMP/bad1.sh"
printf 'for x in 1 2; do\n\techo $x\ndone )\n' >"$TMP/bad2.sh"
printf 'echo "${x\n' >"$TMP/bad3.sh"
for f in good bad1 bad2 bad3; do
	bash -n "$TMP/$f.sh" 2>/dev/null
	b=$?
	$GUARD check -n -f "$TMP/$f.sh" 2>/dev/null
	g=$?
	is "$([ $b = 0 ] && echo parses || echo fails)" "$([ $g = 0 ] && echo parses || echo fails)" "-n agrees with bash -n on $f.sh"
done
check -n -f - <"$TMP/bad1.sh"
like "$err" "^guard: stdin:" "-n -f - names stdin"
cd "$TOP" || exit 1

# A command of many words (a brace sequence) is shown by its first 32 words
# and a count of the rest, not 258 words.
out=$($GUARD check --policy policies/massage-shop.ini -- 'pm{2..300} list' 2>&1)
like "$(printf '%s\n' "$out" | head -n 1)" "^guard: denied: pm2 pm3 .* pm33 \\.\\.\\. \\(226 more words\\)$" \
	"a 258-word command is shown by its first 32 words and a count"

done_testing
