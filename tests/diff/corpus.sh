# tests/diff/corpus.sh - reads the differential corpus.  Source it.
# Format (see tests/diff/README.md):
#   # comment            (a '#' in column 1; blank lines are ignored too)
#   EXPECT CATEGORY[,OPTION...] COMMAND
#   EXPECT CATEGORY[,OPTION...] :::
#   command line 1
#   command line 2
#   :::
# EXPECT is what bash does: "ran" (a guarded program really runs) or "not".
# Exactly one space separates the fields; the rest of the line is the
# command, byte for byte.  OPTIONs:
#   stdin=TEXT      the line's standard input (printf %b escapes: \n, \x20
#                   for a space, \x2c for a comma)
#   tty             run on a pseudo-terminal (watch)
#   timeout=N       seconds before the line is killed (default 10)
#   guard=VERDICT   the verdict guard must give, when it is not the one that
#                   follows from EXPECT (ran: deny, not: allow): a line that
#                   bash did not run but guard cannot know it won't (deny), or
#                   code guard cannot see (the policy's unknown verdict)
#   needs=P1+P2     programs the line needs; without them it is skipped
#   todo=WORDS      a known guard failure (TAP TODO); dashes read as spaces

# corpus_load DIR FILE...  writes DIR/NNNN/{cmd,stdin,tty,timeout} and
# DIR/NNNN/meta (tab-separated: where expect category guard needs todo).
# Returns non-zero with a message on a malformed corpus.
corpus_load() {
	local dir=$1 f n=0 ln line expect rest cat opts o cmd start d
	local g needs todo stdin tty tmo
	shift
	for f in "$@"; do
		ln=0
		local inblock=0
		while IFS= read -r line || [ -n "$line" ]; do
			ln=$((ln + 1))
			if [ $inblock = 1 ]; then
				if [ "$line" = ::: ]; then
					inblock=0
					_corpus_put
					continue
				fi
				cmd+=$line$'\n'
				continue
			fi
			case $line in '' | '#'*) continue ;; esac
			expect=${line%% *}
			rest=${line#* }
			cat=${rest%% *}
			cmd=${rest#* }
			if [ "$cat" = "$rest" ] || [ "$expect" = "$line" ]; then
				echo "corpus: $f:$ln: want 'EXPECT CATEGORY COMMAND'" >&2
				return 1
			fi
			case $expect in ran | not) ;; *)
				echo "corpus: $f:$ln: EXPECT must be 'ran' or 'not', not '$expect'" >&2
				return 1 ;;
			esac
			opts=${cat#*,}
			[ "$opts" = "$cat" ] && opts=
			cat=${cat%%,*}
			g= needs= todo= stdin= tty= tmo=
			local IFS=,
			for o in $opts; do
				case $o in
				stdin=*) stdin=${o#stdin=} ;;
				tty) tty=1 ;;
				timeout=*) tmo=${o#timeout=} ;;
				guard=allow | guard=warn | guard=deny) g=${o#guard=} ;;
				needs=*) needs=${o#needs=} ;;
				todo=*) todo=${o#todo=} ;;
				*)
					echo "corpus: $f:$ln: unknown option '$o'" >&2
					return 1 ;;
				esac
			done
			unset IFS
			start=$ln
			if [ "$cmd" = ::: ]; then
				inblock=1
				cmd=
				continue
			fi
			_corpus_put
		done < "$f"
		if [ $inblock = 1 ]; then
			echo "corpus: $f:$start: block not closed by ':::'" >&2
			return 1
		fi
	done
}

_corpus_put() {
	n=$((n + 1))
	d=$dir/$(printf %04d $n)
	mkdir -p "$d"
	cmd=${cmd//⇥/$'\t'}
	printf '%s' "$cmd" > "$d/cmd"
	[ -n "$stdin" ] && printf '%b' "$stdin" > "$d/stdin"
	[ -n "$tty" ] && : > "$d/tty"
	[ -n "$tmo" ] && echo "$tmo" > "$d/timeout"
	[ -z "$g" ] && { if [ "$expect" = ran ]; then g=deny; else g=allow; fi; }
	printf '%s:%s\t%s\t%s\t%s\t%s\t%s\n' "${f##*/}" "$start" "$expect" "$cat" "$g" \
		"${needs:--}" "${todo:--}" > "$d/meta"
}
