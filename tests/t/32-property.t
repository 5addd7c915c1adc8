#!/bin/bash
# 32-property.t - random combinations of wrappers, quoting styles and
# separators around a denied command (pm2 list, forever list, nodemon
# app.js) must be denied, and around an allowed one (ls, or echo/printf
# that only mention a guarded name) allowed.  Each generated line is also
# run by the bash oracle (tests/diff/oracle): the denied lines must really
# run a guarded program and the allowed ones must not, so the generator
# cannot drift into lines that prove nothing.
#
# GUARD_PROP_SEED=N reproduces a run (the seed is printed);
# GUARD_PROP_CASES=N sets the number of cases (default 300);
# GUARD_PROP_ORACLE=0 skips the bash confirmation (for long runs).
. "$(dirname "$0")/../lib/tap.sh"
D=$TOP/tests/diff
SEED=${GUARD_PROP_SEED:-20261128}
CASES=${GUARD_PROP_CASES:-300}
echo "# seed $SEED, $CASES cases (GUARD_PROP_SEED=$SEED reproduces them)"
RANDOM=$SEED

pick() { # pick WORD... : sets $r to one of the words
	local a=("$@")
	r=${a[RANDOM % ${#a[@]}]}
}

# The command word, in one of several spellings.
word_pm2=(pm2 "'pm2'" '"pm2"' 'p\m2' "'pm'2" "\$'\\x70m2'" 'p""m2' /usr/bin/pm2
	./node_modules/.bin/pm2 '\pm2' "\$'pm2'" '"p"m2')
word_ls=(ls "'ls'" '"ls"' 'l\s' "'l's" "\$'\\x6cs'" 'l""s' /usr/bin/ls /bin/ls '\ls' "\$'ls'")
# External wrappers (they exec their operand) and shell-level ones.
ext_wrappers=("sudo -u nobody" sudo "env A=1" "env -u HOME" nohup "timeout 5" "nice -n 5"
	"stdbuf -oL" "setsid -w" "ionice -c 3" "taskset 1" "chrt -o 0" "flock -s ."
	"timeout -k 1 5" "env" "sudo -u root --")
sh_wrappers=(command "command --" time "time -p" builtin_command)

q="'\\''"
gen() { # gen pm2|ls : prints one random line around that command
	local kind=$1 w args cmd i n ctx k
	case $kind in
	pm2)
		pick "${word_pm2[@]}"; w=$r
		pick list "'list'" '"list"' 'l\ist' "\$'list'"; args=$r ;;
	other)
		pick forever "'forever'" 'fore\ver' "\$'\\x66orever'" /usr/local/bin/forever nodemon \
			'"node"mon' ./node_modules/.bin/nodemon; w=$r
		pick list "'app.js'" '"app.js"'; args=$r ;;
	ls)
		pick "${word_ls[@]}"; w=$r
		pick "-d ." "'-d' ." '-d "."' "-d \$'.'"; args=$r ;;
	echo)
		# a benign mention: the guarded name is only an argument
		pick echo "'echo'" 'e\cho' /bin/echo printf; w=$r
		pick "pm2 list" "'pm2 list'" '"forever list"' 'nodemon' "\$'pm2'"; args=$r ;;
	esac
	# wrappers: 0..3 external, then maybe one shell-level
	n=$((RANDOM % 4))
	cmd=$w
	local use_xargs=$((RANDOM % 6 == 0)) has_sudo=0
	for ((i = 0; i < n; i++)); do
		pick "${ext_wrappers[@]}"
		# nobody may not run sudo: no sudo inside "sudo -u nobody"
		[ "$r" = "sudo -u nobody" ] && [ $has_sudo = 1 ] && r=sudo
		case $r in sudo*) has_sudo=1 ;; esac
		cmd="$r $cmd"
	done
	if [ $use_xargs = 1 ]; then
		# the arguments come from stdin through xargs
		cmd="echo $args | xargs $cmd"
	else
		cmd="$cmd $args"
	fi
	local use_sh=0
	if [ $((RANDOM % 3)) = 0 ]; then
		use_sh=1
		pick "${sh_wrappers[@]}"
		[ "$r" = builtin_command ] && r="builtin command"
		cmd="$r $cmd"
	fi
	# a simple command can also be exec'd in a subshell or get a prefix
	# assignment or redirections (not before `time`, `command`: exec and
	# a prefix assignment would make them look for a program of that name)
	if [ $use_xargs = 0 ] && [ $use_sh = 0 ]; then
		pick none none exec_sub assign redir herestring
		case $r in
		exec_sub) cmd="( exec $cmd )" ;;
		assign) cmd="A=1 B='x y' $cmd" ;;
		redir) cmd="$cmd > /dev/null 2>&1" ;;
		herestring) cmd="$cmd <<< input" ;;
		esac
	fi
	# 1..2 surrounding constructs
	k=$((1 + RANDOM % 2))
	for ((i = 0; i < k; i++)); do
		pick semi and or pipe_in pipe_out pipe_amp bang newline subshell group cmdsubst \
			assign_subst backtick procsubst if_then for_loop while_once background \
			case_arm func bash_c sh_c eval_str
		case $r in
		pipe_amp) cmd="$cmd |& cat" ;;
		bang) cmd="! { $cmd; }" ;;
		procsubst) cmd="cat <( $cmd )" ;;
		backtick) [[ $cmd == *'`'* ]] && cmd="{ $cmd; }" || cmd="echo \`$cmd\`" ;;
		sh_c)
			# dash lacks $'...', <<<, |&, <(...), builtin and time
			if [[ $cmd =~ \$\'|\<\<\<|\|\&|\<\(|builtin|time ]]; then
				cmd="bash -c '${cmd//\'/$q}'"
			else
				cmd="sh -c '${cmd//\'/$q}'"
			fi ;;
		eval_str) cmd="eval '${cmd//\'/$q}'" ;;
		semi) cmd="true; $cmd" ;;
		and) cmd="true && $cmd" ;;
		or) cmd="false || $cmd" ;;
		pipe_in) cmd="echo x | { $cmd; }" ;;
		pipe_out) cmd="$cmd | cat" ;;
		newline) cmd=$'echo start\n'"$cmd" ;;
		subshell) cmd="( $cmd )" ;;
		group) cmd="{ $cmd; }" ;;
		cmdsubst) cmd="echo \$( $cmd )" ;;
		assign_subst) cmd="x=\$( $cmd )" ;;
		if_then) cmd="if true; then $cmd; fi" ;;
		for_loop) cmd="for i in 1; do $cmd; done" ;;
		while_once) cmd="while true; do $cmd; break; done" ;;
		background) cmd="$cmd & wait" ;;
		case_arm) cmd="case y in y) $cmd;; esac" ;;
		func) cmd="f() { $cmd; }; f" ;;
		bash_c) cmd="bash -c '${cmd//\'/$q}'" ;;
		esac
	done
	printf '%s' "$cmd"
}

E=$TMP/entries
mkdir -p "$E"
for ((c = 1; c <= CASES; c++)); do
	id=$(printf %04d $c)
	mkdir "$E/$id"
	case $((c % 4)) in 1) kind=pm2 ;; 2) kind=ls ;; 3) kind=other ;; 0) kind=echo ;; esac
	echo $kind > "$E/$id/kind"
	gen $kind > "$E/$id/cmd"
done

diag() { # diag LABEL FILE: the start of FILE as TAP comments
	{ head -c 600 "$2"; echo; } | tr -d '\000-\010\013\014\016-\037' | head -n 8 | sed -e '/^$/d' -e "s/^/#   $1: /"
}
have_oracle=1
if [ "${GUARD_PROP_ORACLE:-1}" = 0 ]; then
	echo "77" > "$TMP/oracle.log" # GUARD_PROP_ORACLE=0: guard verdicts only (fast)
	orc=77
else
	"$D/oracle" -j 2 "$E" > "$TMP/oracle.log" 2>&1
	orc=$?
fi
if [ $orc = 77 ]; then
	have_oracle=0
	echo "# oracle unavailable ($(tail -n 1 "$TMP/oracle.log")): guard verdicts only"
elif [ $orc != 0 ]; then
	ok 1 "oracle runs"
	sed 's/^/# /' "$TMP/oracle.log"
	done_testing
	exit 1
fi

GW=$TMP/gw
mkdir -p "$GW/node_modules/.bin"
cp -a "$D/fixtures/." "$GW/"
for n in pm2 forever nodemon; do
	printf '#!/bin/sh\nexit 0\n' > "$GW/node_modules/.bin/$n"
	chmod 755 "$GW/node_modules/.bin/$n"
done
cd "$GW" || exit 1
ran=0
for ((c = 1; c <= CASES; c++)); do
	id=$(printf %04d $c)
	read -r kind < "$E/$id/kind"
	line=$(tr '\n' '~' < "$E/$id/cmd")
	line=${line//#/\\#} # a '#' would start a TAP directive
	case $kind in
	pm2 | other) want=deny wantst=2 wantlabel=ran ;;
	*) want=allow wantst=0 wantlabel=not ;;
	esac
	g=$GUARD_BUILD/guard # under GUARD_VALGRIND, every 25th case runs in valgrind
	[ -n "${GUARD_VALGRIND:-}" ] && [ $((c % 25)) = 1 ] && g=$GUARD
	timeout 30 $g check --policy "$D/policy.ini" -f "$E/$id/cmd" > "$TMP/g.out" 2>&1
	st=$?
	grep -qE 'Sanitizer|runtime error:|^==[0-9]+==' "$TMP/g.out" && st="crash:$st"
	label=-
	[ $have_oracle = 1 ] && label=$(cat "$E/$id/label" 2> /dev/null || echo missing)
	[ "$label" = ran ] && ran=$((ran + 1))
	if [ $have_oracle = 1 ] && [ "$label" != "$wantlabel" ]; then
		ok 1 "case $c: bash: $line"
		printf '#   the generator is wrong: bash label %s, want %s\n' "$label" "$wantlabel"
		diag out "$E/$id/out"
		continue
	fi
	if [ $st = $wantst ]; then
		ok 0 "case $c: $want: $line"
	else
		ok 1 "case $c: $want: $line"
		printf '#   guard exit %s, want %s\n' "$st" "$wantst"
		diag guard "$TMP/g.out"
	fi
done
if [ $have_oracle = 1 ]; then
	ok $([ $ran -eq $(((CASES + 1) / 2)) ]; echo $?) "bash ran a guarded program in exactly the $(((CASES + 1) / 2)) denied cases ($ran)"
fi
done_testing
