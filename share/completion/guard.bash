# bash completion for guard(1)
_guard()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local -a words=("${COMP_WORDS[@]}")
	local cword=$COMP_CWORD
	local subs="check explain policy derive hook install uninstall ack log doctor"
	local clients="claude codex gemini cursor copilot"
	case $prev in
	--policy | -f | -o | --output | --file | --guard | --chain)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--repo | --dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	hook)
		COMPREPLY=($(compgen -W "$clients pre-push" -- "$cur"))
		return
		;;
	install | uninstall)
		COMPREPLY=($(compgen -W "$clients all pre-push" -- "$cur"))
		return
		;;
	policy)
		COMPREPLY=($(compgen -W "show check" -- "$cur"))
		return
		;;
	esac
	local i sub=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		check | explain | policy | derive | hook | install | uninstall | ack | log | doctor)
			sub=${words[i]}
			break
			;;
		esac
	done
	case $sub in
	"")
		COMPREPLY=($(compgen -W "$subs --policy -c -s -i -l --login --ssh --prefix --version -h --help" -- "$cur"))
		;;
	check) COMPREPLY=($(compgen -W "--policy --json -n -f -h --help --" -- "$cur")) ;;
	explain) COMPREPLY=($(compgen -W "--policy --" -- "$cur")) ;;
	derive) COMPREPLY=($(compgen -W "--repo --ref -o --output --check --policy --include --exclude --force --validate-owner -h --help" -- "$cur")) ;;
	install | uninstall) COMPREPLY=($(compgen -W "--project --user --prefix --dir --guard --repo" -- "$cur")) ;;
	policy) COMPREPLY=($(compgen -W "--policy" -- "$cur")) ;;
	hook) COMPREPLY=($(compgen -W "--policy --repo --max-commits --chain --extract --" -- "$cur")) ;;
	ack) COMPREPLY=($(compgen -W "-l --list --policy --" -- "$cur")) ;;
	log) COMPREPLY=($(compgen -W "--since --verdict --rule --client --mode --json --file" -- "$cur")) ;;
	doctor) COMPREPLY=($(compgen -W "--dir" -- "$cur")) ;;
	esac
}
complete -o filenames -F _guard guard
