#!/bin/bash
# guard.1's SYNOPSIS and `guard --help` list every option the option parsers
# accept, each under its own subcommand, and nothing the parsers do not
# accept: the options are read out of the parsers' source (strcmp(a, "-x"),
# OPTARG("--x"), strncmp(a, "--x=")), so a new option cannot go undocumented.
# Both man pages pass mandoc -Tlint without warnings.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TOP" || exit 1
command -v perl >/dev/null || skip_all "needs perl"

render() { # PAGE: plain text
	if command -v mandoc >/dev/null; then
		mandoc -T ascii "$1" | col -b
	else
		MANWIDTH=80 man -l "$1" 2>/dev/null | col -b
	fi
}
render share/man/guard.1 >"$TMP/guard.1.txt"
sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$TMP/guard.1.txt" | sed '1d;$d' >"$TMP/synopsis"
$GUARD --help >"$TMP/usage" 2>&1
is "$?" 0 "guard --help exits 0"
like "$(head -n 1 "$TMP/usage")" "^usage: guard " "and prints the usage on stdout"
$GUARD -h >"$TMP/usage-h" 2>/dev/null
cmp -s "$TMP/usage" "$TMP/usage-h"
is "$?" 0 "guard -h prints the same"
$GUARD --no-such-option >/dev/null 2>"$TMP/usage-err"
is "$?" 64 "an unknown option: exit 64"
cmp -s "$TMP/usage" "$TMP/usage-err"
is "$?" 0 "with the same usage on stderr"

# The options each parser accepts: "SUBCOMMAND<tab>OPTION" lines.  -h and
# --help are documented once, for guard itself.  Not options of guard's
# command line: the words tamper_in() looks for in analysed commands
# (cmd_hook.c -c, --prefix), and install-hook --uninstall, which
# `guard uninstall pre-push` passes to guard-git.
perl -e '
	my %sub = ("main.c" => "guard", "cmd_run.c" => "guard", "cmd_check.c" => "check",
	    "cmd_explain.c" => "explain", "cmd_policy.c" => "policy", "cmd_ack.c" => "ack",
	    "cmd_doctor.c" => "doctor", "cmd_hook.c" => "hook", "cmd_install.c" => "install",
	    "cmd_log.c" => "log", "git_main.c" => "derive", "git_prepush.c" => "hook pre-push",
	    "git_prepush_install.c" => "install pre-push");
	my %skip = ("cmd_hook.c -c" => 1, "cmd_hook.c --prefix" => 1,
	    "git_prepush_install.c --uninstall" => 1);
	my %seen;
	for my $f (sort keys %sub) {
		open my $h, "<", "guard/$f" or die "guard/$f: $!";
		local $/; my $t = <$h>;
		my @o;
		push @o, $1 while $t =~ /strcmp\((?:a|argv\[[ik]\]), "(-[^"]*)"\)/g;
		push @o, $1 while $t =~ /strncmp\(a, "(--[a-z-]+)=", \d+\)/g;
		push @o, $1 while $t =~ /OPTARG\("(-[^"]*)"/g;
		for my $o (@o) {
			next if $o eq "-" || $skip{"$f $o"};
			my $s = ($o eq "-h" || $o eq "--help") ? "guard" : $sub{$f};
			print "$s\t$o\n" unless $seen{"$s\t$o"}++;
		}
	}' | LC_ALL=C sort >"$TMP/accepted"
n=$(wc -l <"$TMP/accepted")
ok $([ "$n" -ge 45 ]; echo $?) "read the options of every parser ($n)"

# Blocks of a synopsis or usage text: "SUBCOMMAND<tab>text" (continuation
# lines joined); SUBCOMMAND is "guard" for guard's own forms.
blocks() {
	perl -ne '
		s/^usage: /       /;
		tr/\t/ /;
		if (/^\s+guard(\s.*)?$/) {
			print "$k\t$b\n" if defined $k;
			my @w = split " ", $1 // "";
			$k = (!@w || $w[0] =~ /^[-\[]/) ? "guard" : $w[0];
			$k =~ s/\|.*//;
			$k .= " pre-push" if "@w[1..3]" =~ /(^|[\s|])pre-push(\s|$)/;
			$b = $_; chomp $b;
		} elsif (defined $k && /\S/) { chomp; $b .= " $_"; }
		END { print "$k\t$b\n" if defined $k }' "$1"
}
blocks "$TMP/synopsis" >"$TMP/syn-blocks"
blocks "$TMP/usage" >"$TMP/use-blocks"
has() { # BLOCKS SUB OPT: OPT is a word of one of SUB's blocks
	awk -F'\t' -v s="$2" '$1 == s { print $2 }' "$1" |
		grep -Eq -- "(^|[][ |])$(printf '%s' "$3" | sed 's/[.[\*^$]/\\&/g')([][ |=]|$)"
}
miss_man= miss_use=
while IFS=$'\t' read -r sub opt; do
	has "$TMP/syn-blocks" "$sub" "$opt" || miss_man="$miss_man [$sub $opt]"
	has "$TMP/use-blocks" "$sub" "$opt" || miss_use="$miss_use [$sub $opt]"
done <"$TMP/accepted"
is "$miss_man" "" "every accepted option is in guard.1's SYNOPSIS, under its subcommand"
is "$miss_use" "" "every accepted option is in guard --help, under its subcommand"

# And the other way: no option is documented that its parser does not take.
extra() { # BLOCKS: "[SUB OPT]" for options of the blocks no parser accepts
	perl -F'\t' -lane '
		my ($k, $t) = @F;
		while ($t =~ /(?:^|[][ |])(--?[a-zA-Z][-a-zA-Z]*)(?=[][ |=]|$)/g) { print "$k\t$1" }' "$1" |
		LC_ALL=C sort -u | while IFS=$'\t' read -r sub opt; do
			grep -qxF "$sub	$opt" "$TMP/accepted" || printf ' [%s %s]' "$sub" "$opt"
		done
}
is "$(extra "$TMP/syn-blocks")" "" "guard.1's SYNOPSIS lists no option a parser does not accept"
is "$(extra "$TMP/use-blocks")" "" "guard --help lists no option a parser does not accept"
# a control: the check above sees a missing option
grep -v $'^derive\t--validate-owner$' "$TMP/accepted" >"$TMP/accepted.less"
cp "$TMP/accepted" "$TMP/accepted.all"
cp "$TMP/accepted.less" "$TMP/accepted"
is "$(extra "$TMP/syn-blocks")" " [derive --validate-owner]" "(control: an option no parser takes is reported)"
cp "$TMP/accepted.all" "$TMP/accepted"

# guard SUB --help (and -h): that subcommand's lines of guard --help, on
# stdout, exit 0, for every subcommand.
for sub in check explain policy derive hook install uninstall ack log doctor; do
	$GUARD $sub --help >"$TMP/sub.out" 2>"$TMP/sub.err"
	rc=$?
	$GUARD $sub -h >"$TMP/sub-h.out" 2>/dev/null
	cmp -s "$TMP/sub.out" "$TMP/sub-h.out"
	hcmp=$?
	# each line, without its 7-byte margin, is a line of guard --help
	bad=$(cut -c8- "$TMP/sub.out" | while IFS= read -r l; do
		cut -c8- "$TMP/usage" | grep -qxF -- "$l" || printf ' [%s]' "$l"
	done)
	is "$rc|$(head -c 7 "$TMP/sub.out")|$(wc -c <"$TMP/sub.err")|$hcmp|$bad" "0|usage: |0|0|" \
		"guard $sub --help: exit 0, its usage on stdout, nothing on stderr, -h the same"
	like "$(head -n 1 "$TMP/sub.out")" "^usage: guard (\[--policy FILE\] )?([a-z]+\|)*$sub[ |]" \
		"  ... and it is $sub's"
done

# The bash completion offers them too (each under its subcommand; the
# pre-push forms under install and hook).
miss_comp=$(while IFS=$'\t' read -r sub opt; do
	[ "$opt" = -- ] && continue
	case $sub in guard) c='""' ;; *) c=${sub%% *} ;; esac
	perl -ne 'BEGIN { ($c, $o) = @ARGV; @ARGV = ("share/completion/guard.bash"); $q = quotemeta $c }
		$in = 1 if /^\t$q\)/ || ($c eq "\"\"" && /^\t""\)/) || /^\t(?:[a-z]+ \| )*$q(?: \| [a-z]+)*\)/;
		if ($in && /compgen -W "([^"]*)"/) { $ok = 1 if grep { $_ eq $o } split " ", $1; $in = 0 }
		END { exit !$ok }' "$c" "$opt" || printf ' [%s %s]' "$sub" "$opt"
done <"$TMP/accepted")
is "$miss_comp" "" "the bash completion offers every accepted option"

# The options the body explains as well (not only the SYNOPSIS).
for o in --version --help --login --policy= -s --output --list --extract --max-commits --chain; do
	sed '/^SYNOPSIS/,/^DESCRIPTION/d' "$TMP/guard.1.txt" | grep -q -- "$o"
	is "$?" 0 "guard.1 explains $o outside the SYNOPSIS"
done

# Rendering: find -exec, watch and npx are three wrappers, not three flags.
grep -q -- 'find -exec, watch, npx' "$TMP/guard.1.txt"
is "$?" 0 "guard.1 renders 'find -exec, watch, npx'"

# INSTALL and README against the tree: the packages tests/install-deps
# installs, the make targets they name, the files make install writes.
pkgs=$(PKGS=; eval "$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' tests/install-deps | grep '^PKGS=')"; printf '%s\n' $PKGS | sort -u)
missing=$(for p in $pkgs; do grep -qw -- "$p" INSTALL || printf ' %s' "$p"; done)
ok $([ "$(printf '%s\n' "$pkgs" | wc -l)" -ge 25 ]; echo $?) "read tests/install-deps' packages ($(printf '%s\n' "$pkgs" | wc -l))"
is "$missing" "" "INSTALL names every package tests/install-deps installs"
targets=$(grep -ohE '(^|[[:space:]`])make [a-z][-a-z]*' README.md INSTALL | awk '{print $NF}' | sort -u)
bad=$(for t in $targets; do grep -qE "^\.PHONY:.*[[:space:]]$t([[:space:]]|\\|$)|^$t:" Makefile || grep -qE "^        .*[[:space:]]$t([[:space:]]|$)" Makefile || printf ' %s' "$t"; done)
is "$bad" "" "every 'make TARGET' of README and INSTALL is a Makefile target"
grep -q 'share/bash-completion/completions/guard' INSTALL
is "$?" 0 "INSTALL lists the installed bash completion"

if command -v mandoc >/dev/null; then
	for p in share/man/guard.1 share/man/guard.ini.5; do
		# STYLE notes that cannot go: the precedence sentence must stay on one
		# line (21-policy.t), and the pages name pages this machine may lack
		out=$(mandoc -Tlint "$p" 2>&1 | grep -v -e 'mandoc\.db' -e 'referenced manual not found' \
			-e 'input text line longer than 80 bytes: The most specific')
		is "$out" "" "mandoc -Tlint $p: no warnings"
	done
else
	echo "ok $((_tap_n += 1)) # SKIP mandoc is not installed"
fi

done_testing
