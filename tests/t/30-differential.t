#!/bin/bash
# 30-differential.t - guard agrees with bash on what a line runs.
#
# Every entry of the corpus (tests/diff/*.txt, format in tests/diff/README.md)
# is run in real bash by tests/diff/oracle, with logging stubs for pm2,
# forever and nodemon on PATH and at absolute paths.  For each entry:
#   - bash's label (a guarded stub really ran, or not) must equal the label
#     recorded in the corpus, so a broken harness fails loudly;
#   - `guard check --policy tests/diff/policy.ini -f LINE` must deny (exit 2)
#     the lines bash ran a guarded program in and allow (exit 0) the others,
#     unless the entry records another verdict (guard=...);
#   - with tests/diff/policy-strict.ini (unknown = deny) every line that ran
#     a guarded program must be denied, whatever guard could see.
# One TAP result per entry, named by file:line; per-category counts are
# printed as comments at the end.
. "$(dirname "$0")/../lib/tap.sh"
D=$TOP/tests/diff
. "$D/corpus.sh"

E=$TMP/entries
mkdir -p "$E" "$TMP/skipped"
if ! corpus_load "$E" "$D"/*.txt 2> "$TMP/corpus.err"; then
	ok 1 "corpus parses: $(cat "$TMP/corpus.err")"
	done_testing
	exit 1
fi

# Entries that need a program this machine lacks are skipped (not run).
ids=$(ls "$E")
declare -A skip
for id in $ids; do
	IFS=$'\t' read -r where expect cat want needs todo < "$E/$id/meta"
	[ "$needs" = - ] && continue
	for p in ${needs//+/ }; do
		command -v "$p" > /dev/null && continue
		skip[$id]="needs $p"
		mv "$E/$id" "$TMP/skipped/$id"
		break
	done
done

# A probe entry: the sandbox must keep a line from writing outside its
# scratch directory, and the stubs must not leak onto the machine.
probe=/guard-diff-escape-probe.$$
mkdir "$E/zz-sandbox"
printf 'touch %s; echo x > /usr/bin/guard-diff-probe.%s; echo x > %s/escape; pm2 probe\n' \
	"$probe" $$ "$TMP" > "$E/zz-sandbox/cmd"
before=$(ls -d /usr/bin/pm2 /usr/local/bin/pm2 /etc/doas.conf 2> /dev/null)

"$D/oracle" -j 2 "$E" > "$TMP/oracle.log" 2>&1
orc=$?
if [ $orc = 77 ]; then
	skip_all "$(tail -n 1 "$TMP/oracle.log")"
fi
if [ $orc != 0 ]; then
	ok 1 "oracle runs"
	sed 's/^/# /' "$TMP/oracle.log"
	done_testing
	exit 1
fi

# guard reads local scripts relative to its working directory: give it the
# same fixtures the lines ran with.
GW=$TMP/gw
mkdir -p "$GW/node_modules/.bin"
cp -a "$D/fixtures/." "$GW/"
for n in pm2 forever nodemon supervisorctl; do
	printf '#!/bin/sh\nexit 0\n' > "$GW/node_modules/.bin/$n"
	chmod 755 "$GW/node_modules/.bin/$n"
done
PLAIN_GUARD=$GUARD_BUILD/guard
cd "$GW" || exit 1

verdict_of() { # exit status -> verdict name
	case $1 in 0) echo allow ;; 1) echo warn ;; 2) echo deny ;; 124) echo timeout ;; *) echo "exit-$1" ;; esac
}
diag() { # diag LABEL FILE: the start of FILE as TAP comments
	{ head -c 600 "$2"; echo; } | tr -d '\000-\010\013\014\016-\037' | head -n 8 | sed -e '/^$/d' -e "s/^/#   $1: /"
}
oneline() { # a command for a TAP description: one line, at most 70 bytes
	local s
	s=$(tr '\n\t' '  ' < "$1")
	[ ${#s} -gt 70 ] && s="${s:0:67}..."
	printf '%s' "${s//#/\\#}" # a '#' would start a TAP directive
}

declare -A n_all n_ran n_not n_pass n_fail n_todo n_skip
core=0 adv=0 benign=0 ran_total=0 not_total=0
i=0
for id in $ids; do
	d=$E/$id
	[ -n "${skip[$id]:-}" ] && d=$TMP/skipped/$id
	IFS=$'\t' read -r where expect cat want needs todo < "$d/meta"
	n_all[$cat]=$((${n_all[$cat]:-0} + 1))
	case $cat in adv-*) adv=$((adv + 1)) ;; *) core=$((core + 1)) ;; esac
	[ "$cat" = benign ] && benign=$((benign + 1))
	desc="$where [$cat] $(oneline "$d/cmd")"
	if [ -n "${skip[$id]:-}" ]; then
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n - $desc # SKIP ${skip[$id]}"
		n_skip[$cat]=$((${n_skip[$cat]:-0} + 1))
		continue
	fi
	label=$(cat "$d/label" 2> /dev/null || echo missing)
	[ "$label" = ran ] && ran_total=$((ran_total + 1))
	[ "$label" = not ] && not_total=$((not_total + 1))
	[ "$label" = ran ] && n_ran[$cat]=$((${n_ran[$cat]:-0} + 1))
	[ "$label" = not ] && n_not[$cat]=$((${n_not[$cat]:-0} + 1))
	if [ "$label" != "$expect" ]; then
		ok 1 "$desc: bash label"
		printf '#   bash: %s, corpus says: %s\n' "$label" "$expect"
		diag out "$d/out"
		n_fail[$cat]=$((${n_fail[$cat]:-0} + 1))
		continue
	fi
	# The verdict each policy must give.
	# want/strict are "|"-separated sets.  guard=warn marks a name known
	# only at run time: warn is the floor, and a guard that works the name
	# out anyway may give the exact verdict (deny if it ran, else allow).
	exact=allow
	[ "$expect" = ran ] && exact=deny
	strict=$want
	[ "$expect" = ran ] && strict=deny
	if [ "$want" = warn ]; then
		want="warn|$exact"
		strict=deny
		[ "$expect" = not ] && strict="deny|allow"
	fi
	g=$PLAIN_GUARD
	[ -n "${GUARD_VALGRIND:-}" ] && [ $((i % 25)) = 0 ] && g=$GUARD
	i=$((i + 1))
	timeout 30 $g check --policy "$D/policy.ini" -f "$d/cmd" > "$TMP/g.out" 2>&1
	got=$(verdict_of $?)
	timeout 30 $g check --policy "$D/policy-strict.ini" -f "$d/cmd" > "$TMP/gs.out" 2>&1
	gots=$(verdict_of $?)
	# A sanitizer or valgrind report is a failure whatever the exit status.
	if grep -qE 'Sanitizer|runtime error:|^==[0-9]+==' "$TMP/g.out" "$TMP/gs.out"; then
		got="crash:$got" gots="crash:$gots"
	fi
	dir=
	if [ "$todo" != - ]; then dir=" # TODO ${todo//-/ }"; fi
	if [[ "|$want|" == *"|$got|"* ]] && [[ "|$strict|" == *"|$gots|"* ]]; then
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n - $desc: $want$dir"
		n_pass[$cat]=$((${n_pass[$cat]:-0} + 1))
	else
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n - $desc: $want$dir"
		if [ -n "$dir" ]; then
			n_todo[$cat]=$((${n_todo[$cat]:-0} + 1))
		else
			_tap_failed=$((_tap_failed + 1))
			n_fail[$cat]=$((${n_fail[$cat]:-0} + 1))
		fi
		printf '#   bash %s a guarded program; guard: %s (want %s), strict policy: %s (want %s)\n' \
			"$label" "$got" "$want" "$gots" "$strict"
		if [[ "|$want|" != *"|$got|"* ]]; then diag guard "$TMP/g.out"; else diag strict "$TMP/gs.out"; fi
	fi
done

is "$(cat "$E/zz-sandbox/label" 2> /dev/null)" ran "sandbox probe: the stub ran"
esc=$(ls -d "$probe" /usr/bin/guard-diff-probe.$$ "$TMP/escape" 2> /dev/null)
is "$esc" "" "sandbox probe: the line could write nothing outside its scratch directory"
rm -f "$probe" /usr/bin/guard-diff-probe.$$
is "$(ls -d /usr/bin/pm2 /usr/local/bin/pm2 /etc/doas.conf 2> /dev/null)" "$before" \
	"the oracle's stubs and doas.conf stayed inside its namespace"

# The corpus must stay meaningful: enough lines of each kind, and the
# oracle must really have run stubs and really have left lines alone.
ok $([ "$core" -ge 200 ]; echo $?) "at least 200 core entries ($core)"
ok $([ "$benign" -ge 60 ]; echo $?) "at least 60 benign entries ($benign)"
ok $([ "$adv" -ge 100 ]; echo $?) "at least 100 adversarial entries ($adv)"
ok $([ "$ran_total" -ge 300 ]; echo $?) "the oracle saw guarded programs run in at least 300 lines ($ran_total)"
ok $([ "$not_total" -ge 150 ]; echo $?) "the oracle saw at least 150 lines run none ($not_total)"

echo "# category        entries  bash-ran  bash-not  pass  fail  todo  skip"
for c in $(printf '%s\n' "${!n_all[@]}" | sort); do
	printf '# %-15s %7d %9d %9d %5d %5d %5d %5d\n' "$c" "${n_all[$c]}" "${n_ran[$c]:-0}" \
		"${n_not[$c]:-0}" "${n_pass[$c]:-0}" "${n_fail[$c]:-0}" "${n_todo[$c]:-0}" "${n_skip[$c]:-0}"
done
echo "# core entries: $core (benign: $benign), adversarial entries: $adv"
done_testing
