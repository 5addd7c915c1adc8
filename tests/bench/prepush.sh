#!/bin/bash
# tests/bench/prepush.sh - the pre-push hook at scale (issue 7), for make bench.
#
# A generated repository: main (published, with .guard/policy.ini and 300
# shell scripts) and a new branch of 5,000 commits on top, each appending a
# line to one of the scripts; every 250th line is `systemctl stop
# massage-shop`, a warn, so 20 findings go through blame.  The branch is
# pushed as one new ref.  Compared: `guard hook pre-push` fed git's ref line
# (what git runs) against `git log -p main..big` over the same range.
# Goal: hook time within 2x of git log -p.
#
# Environment: GUARD_BUILD (build dir), BENCH_OUT (scratch dir), PREPUSH_COMMITS
# (5000), PREPUSH_SCRIPTS (300), PREPUSH_RUNS (5).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${GUARD_BUILD:-$TOP/build}
case $B in /*) ;; *) B=$TOP/$B ;; esac
OUT=${BENCH_OUT:-$TOP/build/bench/tmp}
N=${PREPUSH_COMMITS:-5000}
S=${PREPUSH_SCRIPTS:-300}
RUNS=${PREPUSH_RUNS:-5}
D=$OUT/prepush
rm -rf "$D" && mkdir -p "$D" || exit 1
export HOME=$D/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$D/home/.gitconfig
mkdir -p "$HOME"
unset GIT_DIR GIT_WORK_TREE

git init -q --bare "$D/remote.git"
git init -q -b main "$D/repo"
cd "$D/repo" || exit 1
git remote add origin "$D/remote.git"

# fast-import stream: main = base commit, big = N commits on top.
perl - "$N" "$S" <<'PERL' | git fast-import --quiet || exit 1
my ($n, $s) = @ARGV;
my $t = 1700000000;
sub blob { my ($p, $c) = @_; print "M 100644 inline $p\ndata ", length($c), "\n$c\n"; }
my $policy = <<'POL';
[guard]
default = allow

[rule no-pm2]
match = pm2
action = deny
reason = The app is managed by systemd; PM2 must not be installed or used.
instead = sudo systemctl restart massage-shop
see = docs/DEPLOY.md:14

[rule stop-service]
match = systemctl stop massage-shop
action = warn
reason = Stopping the service takes the site down.
see = docs/DEPLOY.md:22
POL
my @c;
print "commit refs/heads/main\nauthor B <b\@x> $t +0000\ncommitter B <b\@x> $t +0000\ndata 4\nbase\n";
blob(".guard/policy.ini", $policy);
blob("docs/DEPLOY.md", "# Deploy\n\nThe app is run by systemd.\n");
for my $i (0 .. $s - 1) {
	$c[$i] = "#!/bin/sh\nset -e\ncd /srv/app-$i\nnpm ci --omit=dev\nsudo systemctl restart massage-shop\n";
	blob(sprintf("scripts/s%03d.sh", $i), $c[$i]);
}
print "\n";
for my $k (1 .. $n) {
	my $i = ($k * 7) % $s;
	$t++;
	my $line = $k % 250 == 0 ? "systemctl stop massage-shop\n"
	         : "if [ -f /etc/app-$k ]; then rsync -a --delete build/ /srv/app-$i/ && echo step $k; fi\n";
	$c[$i] .= $line;
	print "commit refs/heads/big\nauthor B <b\@x> $t +0000\ncommitter B <b\@x> $t +0000\ndata ", length("step $k"), "\nstep $k\n";
	print "from refs/heads/main\n" if $k == 1;
	blob(sprintf("scripts/s%03d.sh", $i), $c[$i]);
	print "\n";
}
PERL
git push -q origin main 2>/dev/null || exit 1 # main is published: refs/remotes/origin/main
big=$(git rev-parse big)
printf 'refs/heads/big %s refs/heads/big %040d\n' "$big" 0 > "$D/refs"
echo "repository: $(git rev-list --count main..big) new commits on branch big," \
	"$(git diff --name-only main big | wc -l) scripts changed"

# One run for the record: what the hook says.
(cd "$D/repo" && "$B/guard" hook pre-push origin "$D/remote.git" < "$D/refs") > "$D/hook.out" 2>&1
echo "hook exit status: $? (0 expected: warnings only)"
echo "hook said: $(grep -c ': warn: ' "$D/hook.out") warnings; last line: $(tail -n 1 "$D/hook.out")"

hyperfine -i --style basic --warmup 1 --runs "$RUNS" --export-json "$D/hf.json" \
	-n hook "cd '$D/repo' && '$B/guard' hook pre-push origin '$D/remote.git' < '$D/refs' 2>/dev/null" \
	-n "git log -p" "git -C '$D/repo' log -p main..big > /dev/null" > "$D/hf.log" 2>&1 || {
	cat "$D/hf.log"
	exit 1
}
perl -MJSON::PP -e '
	local $/; open my $f, "<", $ARGV[0] or die; my $j = decode_json(<$f>);
	my (%m, %c);
	for my $r (@{$j->{results}}) {
		my @t = sort { $a <=> $b } @{$r->{times}};
		$m{$r->{command}} = $t[$#t / 2] * 1000;
		$c{$r->{command}} = ($r->{user} + $r->{system}) * 1000;
	}
	my ($h, $g) = ("hook", "git log -p");
	printf "median wall: hook %.0f ms, git log -p %.0f ms, ratio %.2f (goal <= 2.00): %s\n",
		$m{$h}, $m{$g}, $m{$h} / $m{$g}, $m{$h} / $m{$g} <= 2 ? "met" : "MISSED";
	printf "mean cpu (user+sys): hook %.0f ms, git log -p %.0f ms, ratio %.2f (load %s)\n",
		$c{$h}, $c{$g}, $c{$h} / $c{$g}, $ARGV[1];
' "$D/hf.json" "$(cut -d' ' -f1 /proc/loadavg)"
