/*
 * test_unwrap.c - what wrappers, builtins and tools run (guard/unwrap.c):
 * options parsed with each program's real syntax, commands in option
 * values, operands and standard input, variables that name commands, and
 * the limit on wrappers around one command.
 *
 * Each case lists what bash would run, as "argv words" joined by " | ";
 * "?" marks a command whose name is known only at run time, "!" one that
 * runs code guard cannot see (the policy's unknown verdict); "ERROR" a line
 * guard refuses.  Every "pm2" case here was a way past guard, confirmed by
 * running bash (tests/diff/unwrap.txt holds the lines the sandbox can run).
 */
#include <stdlib.h>

#include "analyze.h"
#include "tap.h"
#include "util.h"

static char *summary(const char *line, char **err)
{
	struct analysis a;
	struct analyze_opts o = {0};
	o.read_scripts = 1;
	analyze(line, strlen(line), &o, &a);
	struct sbuf b;
	sb_init(&b);
	if (err)
		*err = a.error ? xstrdup(a.error) : NULL;
	if (a.error) {
		sb_adds(&b, "ERROR");
	} else {
		for (size_t i = 0; i < a.ncmd; i++) {
			if (i)
				sb_adds(&b, " | ");
			if (a.cmd[i].flags & CMD_OPAQUE)
				sb_addc(&b, '!');
			else if (a.cmd[i].flags & CMD_DYNAMIC_NAME)
				sb_addc(&b, '?');
			for (int k = 0; k < a.cmd[i].argc; k++)
				sb_addf(&b, "%s%s", k ? " " : "", a.cmd[i].argv[k]);
		}
	}
	analysis_free(&a);
	return sb_take(&b);
}

static const char *cases[][2] = {
    /* env: a lone - is -i; -S is split and parsed again; any NAME=VALUE is an assignment */
    {"env - pm2 list", "pm2 list"},
    {"env -i - pm2 list", "pm2 list"},
    {"env -- - pm2 list", "pm2 list"},
    {"env - PATH=/usr/bin pm2 list", "pm2 list"},
    {"env -S'-i pm2 list'", "pm2 list"},
    {"env -S '-u X pm2 list'", "pm2 list"},
    {"env -S'-i A=1 pm2\\_list'", "pm2 list"},
    {"env -S'-S pm2\\_list'", "pm2 list"},
    {"env -S'# c' pm2 list", "pm2 list"},
    {"env -S'a\\_b \"c d\" e\\_f' x", "a b c d e f x"},
    {"env -S'${HOME} x'", "?${HOME} x"},
    {"X=pm2; env -S'${X} list'", "pm2 list"},
    {"env --split-s='pm2 list'", "pm2 list"},
    {"env a-b=1 pm2 list", "pm2 list"},
    {"env -a x pm2 list", "pm2 list"},
    {"env -u X -- - a.b=1 pm2 list", "pm2 list"},
    {"env -S'-u pm2 echo ok'", "echo ok"},
    /* sudo: assignments between options, -- after them */
    {"sudo -u root VAR=1 -- pm2 list", "pm2 list"},
    {"sudo A=1 -u root B=2 -- pm2 list", "pm2 list"},
    {"sudo a-b=1 pm2 list", "pm2 list"},
    {"sudo -- VAR=1 pm2 list", "VAR=1 pm2 list"},
    {"sudo VAR=1 -- B=2 pm2 list", "B=2 pm2 list"},
    {"sudo -u -- A=1 pm2", "A=1 pm2"},
    {"sudo --us=x pm2", "pm2"},
    /* builtins: -- ends their options */
    {"eval -- pm2 list", "pm2 list"},
    {"eval -- -- pm2", "-- pm2"},
    {"builtin eval -- pm2 list", "pm2 list"},
    {"command eval -- pm2 list", "pm2 list"},
    {"trap -- pm2 EXIT", "pm2 | trap -- pm2 EXIT"},
    {"trap -- 'pm2 list' INT", "pm2 list | trap -- pm2 list INT"},
    {"trap -p -- pm2 EXIT", "trap -p -- pm2 EXIT"},
    {"trap - INT", "trap - INT"},
    {"trap 2 pm2", "trap 2 pm2"},
    {"mapfile -C 'pm2 list' -c 1 x", "pm2 list | mapfile -C pm2 list -c 1 x"},
    {"mapfile -C'pm2 list' x", "pm2 list | mapfile -Cpm2 list x"},
    {"readarray -tC 'pm2 #' x", "pm2 | readarray -tC pm2 # x"},
    {"mapfile -C \"$f\" x", "!mapfile -C $f x | mapfile -C $f x"},
    {"compgen -C 'pm2 list' x", "pm2 list | compgen -C pm2 list x"},
    {"compgen -W '$(pm2 list)' x", "pm2 list | : $(pm2 list) | compgen -W $(pm2 list) x"},
    {"f() { pm2 list; }; compgen -F f x", "pm2 list | compgen -F f x"},
    {"compgen -W \"$w\" x", "!compgen -W $w x | compgen -W $w x"},
    {"enable -f ./x.so x", "!enable -f ./x.so x"},
    {"enable -n echo", "enable -n echo"},
    /* wrappers that run their arguments */
    {"ssh-agent -a s pm2 list", "pm2 list"},
    {"ssh-agent -k", "ssh-agent -k"},
    {"dbus-run-session -- pm2 list", "pm2 list"},
    {"dbus-run-session --dbus-daemon=pm2 true", "pm2 | true"},
    {"fakeroot -l lib.so pm2", "!fakeroot -l lib.so pm2 | pm2"},
    {"fakeroot -f pm2 -- true", "pm2 | true"},
    {"setpriv --reuid 0 --init-groups pm2 list", "pm2 list"},
    {"setpriv -d", "setpriv -d"},
    {"unshare -m --propagation private pm2 list", "pm2 list"},
    {"unshare --mount=/x -p -f pm2", "pm2"},
    {"nsenter -t 1 -m -u pm2 list", "pm2 list"},
    {"nsenter -t1 -r pm2 list", "pm2 list"},
    {"chroot --userspec=a:b / pm2 list", "pm2 list"},
    {"systemd-run --unit x -p A=1 --wait pm2 list", "pm2 list"},
    {"strace -f -e trace=execve -o /dev/null pm2 list", "pm2 list"},
    {"strace --trace execve pm2 list", "pm2 list"},
    {"ltrace -o x -S pm2 list", "pm2 list"},
    {"valgrind --tool=memcheck pm2 list", "pm2 list"},
    {"unbuffer -p pm2 list", "pm2 list"},
    {"script -qc 'pm2 list' /dev/null", "script -qc pm2 list /dev/null | pm2 list"},
    {"script -q /dev/null -c 'pm2 list'", "script -q /dev/null -c pm2 list | pm2 list"},
    {"script -t log", "script -t log"},
    {"sg root -c 'pm2 list'", "pm2 list"},
    {"sg - root pm2", "pm2"},
    {"sg root 'echo hi' pm2", "echo hi"},
    {"su root -- -c 'pm2 list'", "pm2 list"},
    {"su root x -c 'pm2 list'", "pm2 list"},
    {"su -s /usr/bin/pm2 root", "pm2"},
    {"su - deploy", "su - deploy"},
    {"su deploy <<< 'pm2 list'", "pm2 list"},
    {"runuser -u deploy pm2 list", "pm2 list"},
    {"pkexec --user x pm2 list", "pm2 list"},
    {"runcon system_u:r:x pm2 list", "pm2 list"},
    {"runcon -t x pm2 list", "pm2 list"},
    {"parallel pm2 ::: list", "parallel pm2 ::: list | pm2 list"},
    {"parallel ::: 'pm2 list' 'ls'", "parallel ::: pm2 list ls | pm2 list | ls"},
    {"parallel {} ::: pm2", "parallel {} ::: pm2 | pm2"},
    {"parallel --timeout 10 'pm2 {}' ::: list", "parallel --timeout 10 pm2 {} ::: list | pm2 list"},
    {"parallel -j4 echo ::: pm2", "parallel -j4 echo ::: pm2 | echo pm2"},
    {"parallel 'pm2 {}' :::: args.txt", "parallel pm2 {} :::: args.txt | pm2 $__parallel_arg"},
    {"echo 'pm2 list' | parallel", "echo pm2 list | parallel | pm2 list"},
    {"parallel --ssh 'pm2 x' ls ::: a", "parallel --ssh pm2 x ls ::: a | pm2 x | ls a"},
    {"tmux new -d 'pm2 list'", "tmux new -d pm2 list | pm2 list"},
    {"tmux new-session -d -s x pm2 list", "tmux new-session -d -s x pm2 list | pm2 list"},
    {"tmux -L s new -d -n w 'pm2 ls' \\; neww 'forever x'",
     "tmux -L s new -d -n w pm2 ls ; neww forever x | pm2 ls | forever x"},
    {"tmux send-keys 'pm2 list' Enter", "tmux send-keys pm2 list Enter | pm2 list"},
    {"tmux send-keys -t s p m 2 Space list C-m",
     "tmux send-keys -t s p m 2 Space list C-m | pm2 list"},
    {"tmux send-keys 'pm3' BSpace 2 Enter",
     "tmux send-keys pm3 BSpace 2 Enter | !tmux send-keys pm3 BSpace 2 Enter"},
    {"tmux -c 'pm2 list'", "tmux -c pm2 list | pm2 list"},
    {"tmux run -C 'display x'", "tmux run -C display x"},
    {"tmux if-shell 'pm2 ping' 'neww'", "tmux if-shell pm2 ping neww | pm2 ping"},
    {"tmux set -g default-command 'pm2 list'", "tmux set -g default-command pm2 list | pm2 list"},
    {"tmux source-file x.conf", "tmux source-file x.conf | !tmux source-file x.conf"},
    {"tmux attach -t pm2", "tmux attach -t pm2"},
    {"screen -dm pm2 list", "screen -dm pm2 list | pm2 list"},
    {"screen -dmS pm2 top", "screen -dmS pm2 top | top"},
    {"screen -S x -X stuff 'pm2 list^M'", "screen -S x -X stuff pm2 list^M | pm2 list"},
    {"screen -X", "screen -X"},
    {"screen -S x -X exec pm2 list", "screen -S x -X exec pm2 list | pm2 list"},
    {"screen -r pm2", "screen -r pm2"},
    {"screen -dm -s /usr/bin/pm2", "screen -dm -s /usr/bin/pm2 | pm2"},
    {"dtach -n s pm2 list", "pm2 list"},
    {"dtach -A s -e '^q' -z pm2", "pm2"},
    {"dtach -a s", "dtach -a s"},
    {"dtach -p s <<< 'pm2 list'", "dtach -p s | pm2 list"},
    {"expect -c 'spawn pm2 list'", "!expect -c spawn pm2 list"},
    {"at now <<< 'pm2 list'", "at now | pm2 list"},
    {"echo 'pm2 list' | at now + 1 minute", "echo pm2 list | at now + 1 minute | pm2 list"},
    {"at -l", "at -l"},
    {"batch <<< 'pm2 list'", "batch | pm2 list"},
    {"cat job | at now", "cat job | at now | !at now"},
    {"crontab <<< '* * * * * pm2 list'", "crontab | !crontab"},
    {"crontab -l", "crontab -l"},
    {"gdb -ex 'shell pm2 list'", "gdb -ex shell pm2 list | pm2 list"},
    {"gdb -batch -ex run --args pm2 list", "gdb -batch -ex run --args pm2 list | pm2 list"},
    {"gdb -batch -ex run pm2", "gdb -batch -ex run pm2 | pm2"},
    {"gdb -q -ex '!pm2 list'", "gdb -q -ex !pm2 list | pm2 list"},
    {"gdb -ex 'pipe bt | pm2 list'", "gdb -ex pipe bt | pm2 list | pm2 list"},
    {"gdb -ex 'python import os' prog",
     "gdb -ex python import os prog | !gdb -ex python import os prog | prog"},
    {"gdb -p 1", "gdb -p 1"},
    {"gdb -ex 'file /usr/bin/pm2' -ex run", "gdb -ex file /usr/bin/pm2 -ex run | pm2"},
    /* tools whose options or input run commands */
    {"vim -c '!pm2 list'", "vim -c !pm2 list | pm2 list"},
    {"vi +'!pm2 list' f", "vi +!pm2 list f | pm2 list"},
    {"vim --cmd 'r !pm2 list'", "vim --cmd r !pm2 list | pm2 list"},
    {"vim -c 'w !pm2 list'", "vim -c w !pm2 list | pm2 list"},
    {"vim -c 'w! x'", "vim -c w! x"},
    {"vim -c '%!pm2 sort'", "vim -c %!pm2 sort | pm2 sort"},
    {"vim -c 'silent! !pm2'", "vim -c silent! !pm2 | pm2"},
    {"vim -c 'g/x/!pm2 list'", "vim -c g/x/!pm2 list | pm2 list"},
    {"vim -c 'set nu | !pm2 list'", "vim -c set nu | !pm2 list | pm2 list"},
    {"vim -c 'terminal pm2 list'", "vim -c terminal pm2 list | pm2 list"},
    {"vim -c 'call system(\"pm2\")'", "vim -c call system(\"pm2\") | !vim -c call system(\"pm2\")"},
    {"vim -c 'set nu' -c wq f", "vim -c set nu -c wq f"},
    {"vim +/pm2 f", "vim +/pm2 f"},
    {"vim -S s.vim", "vim -S s.vim | !vim -S s.vim"},
    {"vim -u NONE f", "vim -u NONE f"},
    {"vim -es f <<< '!pm2 list'", "vim -es f | pm2 list"},
    {"ex f <<< $'%s/a/b/\\nw !pm2 list\\nq'", "ex f | pm2 list"},
    {"echo '!pm2' | ex f", "echo !pm2 | ex f | pm2"},
    {"vim - <<< '!pm2 list'", "vim -"},
    {"nvim --headless -c '!pm2' -c q", "nvim --headless -c !pm2 -c q | pm2"},
    {"ed -s f <<< '!pm2 list'", "ed -s f | pm2 list"},
    {"ed -s f <<< $'1,$w !pm2 list\\nq'", "ed -s f | pm2 list"},
    {"ed -s f <<< 'r !pm2 list'", "ed -s f | pm2 list"},
    {"ed -s f <<< 'g/x/!pm2 list'", "ed -s f | pm2 list"},
    {"ed '!pm2 list'", "ed !pm2 list | pm2 list"},
    {"echo q | ed f", "echo q | ed f"},
    {"sqlite3 :memory: -cmd '.system pm2 list'",
     "sqlite3 :memory: -cmd .system pm2 list | pm2 list"},
    {"sqlite3 db '.shell pm2 list' 'select 1'", "sqlite3 db .shell pm2 list select 1 | pm2 list"},
    {"sqlite3 db <<< '.sh pm2 list'", "sqlite3 db | pm2 list"},
    {"sqlite3 db \".once '|pm2 list'\"", "sqlite3 db .once '|pm2 list' | pm2 list"},
    {"sqlite3 db '.load ./x'", "sqlite3 db .load ./x | !sqlite3 db .load ./x"},
    {"sqlite3 db 'select 1'", "sqlite3 db select 1"},
    {"cat q.sql | sqlite3 db", "cat q.sql | sqlite3 db | !sqlite3 db"},
    {"tar --checkpoint-action=exec='pm2 list' -cf x .",
     "tar --checkpoint-action=exec=pm2 list -cf x . | pm2 list"},
    {"tar -xf x --to-command='pm2 list'", "tar -xf x --to-command=pm2 list | pm2 list"},
    {"tar --to-c=pm2 -xf x", "tar --to-c=pm2 -xf x | pm2"},
    {"tar -I 'pm2 -9' -cf x .", "tar -I pm2 -9 -cf x . | pm2 -9"},
    {"tar cIf pm2 x .", "tar cIf pm2 x . | pm2"},
    {"tar --rsh-command=/usr/bin/pm2 -cf h:x .", "tar --rsh-command=/usr/bin/pm2 -cf h:x . | pm2"},
    {"tar -F 'pm2 list' -cMf x .", "tar -F pm2 list -cMf x . | pm2 list"},
    {"tar xzf x.tgz", "tar xzf x.tgz"},
    {"rsync -e 'pm2 x' a h:b", "rsync -e pm2 x a h:b | pm2 x"},
    {"rsync -avze pm2 a h:b", "rsync -avze pm2 a h:b | pm2"},
    {"rsync --rsync-path='pm2 x' a h:b", "rsync --rsync-path=pm2 x a h:b | pm2 x"},
    {"rsync -av --exclude x a b", "rsync -av --exclude x a b"},
    {"ssh -o ProxyCommand='pm2 list' h", "ssh -o ProxyCommand=pm2 list h | pm2 list"},
    {"ssh -o 'ProxyCommand pm2 list' h", "ssh -o ProxyCommand pm2 list h | pm2 list"},
    {"ssh h -o LocalCommand=pm2 -t ls", "ssh h -o LocalCommand=pm2 -t ls | pm2 | ls"},
    {"ssh -o ProxyCommand=none h", "ssh -o ProxyCommand=none h"},
    {"ssh h pm2 list", "ssh h pm2 list | pm2 list"},
    {"scp -S pm2 a h:b", "scp -S pm2 a h:b | pm2"},
    {"sftp -D pm2 h", "sftp -D pm2 h | pm2"},
    {"sftp -b - h <<< '!pm2 list'", "sftp -b - h | pm2 list"},
    {"zip -T -TT 'pm2 list' x.zip f", "zip -T -TT pm2 list x.zip f | pm2 list"},
    {"zip --unzip-command pm2 x.zip", "zip --unzip-command pm2 x.zip | pm2"},
    {"zip -qr x.zip d", "zip -qr x.zip d"},
    {"socat - EXEC:'pm2 list'", "socat - EXEC:pm2 list | pm2 list"},
    {"socat - 'SYSTEM:pm2 list,pty'", "socat - SYSTEM:pm2 list,pty | pm2 list"},
    {"socat 'EXEC:pm2 a!!EXEC:forever b' -",
     "socat EXEC:pm2 a!!EXEC:forever b - | pm2 a | forever b"},
    {"socat - EXEC:\"$c\"", "socat - EXEC:$c | !socat - EXEC:$c"},
    {"socat - TCP:h:1", "socat - TCP:h:1"},
    {"nc -e pm2 h 1", "nc -e pm2 h 1 | pm2"},
    {"nc -c 'pm2 list' h 1", "nc -c pm2 list h 1 | pm2 list"},
    {"ncat --sh-exec 'pm2 x' h 1", "ncat --sh-exec pm2 x h 1 | pm2 x"},
    {"ncat --lua-exec x.lua h 1", "ncat --lua-exec x.lua h 1 | !ncat --lua-exec x.lua h 1"},
    {"nc -zv h 22", "nc -zv h 22"},
    {"emacs --eval '(shell-command \"pm2\")'",
     "emacs --eval (shell-command \"pm2\") | !emacs --eval (shell-command \"pm2\")"},
    {"emacs -Q -nw f", "emacs -Q -nw f"},
    {"less '+!pm2 list' f", "less +!pm2 list f | !less +!pm2 list f"},
    {"less +G f", "less +G f"},
    {"git -c core.sshCommand='pm2 x' fetch", "git -c core.sshCommand=pm2 x fetch | pm2 x"},
    {"git -c diff.external=pm2 diff", "git -c diff.external=pm2 diff | pm2"},
    {"git -c filter.f.smudge='pm2 x' checkout", "git -c filter.f.smudge=pm2 x checkout | pm2 x"},
    {"git -c credential.helper='!pm2 x' push", "git -c credential.helper=!pm2 x push | pm2 x"},
    {"git -c credential.helper=store push",
     "git -c credential.helper=store push | git-credential-store"},
    {"git -c pager.log='pm2 x' log", "git -c pager.log=pm2 x log | pm2 x"},
    {"git -c pager.log=false log", "git -c pager.log=false log"},
    {"git -c core.fsmonitor=true status", "git -c core.fsmonitor=true status"},
    {"git -c include.path=x status",
     "git -c include.path=x status | !git -c include.path=x status"},
    {"P=pm2; git --config-env=core.pager=P log", "git --config-env=core.pager=P log | pm2"},
    {"git clone 'ext::pm2 list' d", "git clone ext::pm2 list d | pm2 list"},
    {"git clone --upload-pack='pm2 list' /r d", "git clone --upload-pack=pm2 list /r d | pm2 list"},
    {"git push -u origin main", "git push -u origin main"},
    {"git rebase -x 'pm2 list' HEAD~3", "git rebase -x pm2 list HEAD~3 | pm2 list"},
    {"git bisect run pm2 list", "git bisect run pm2 list | pm2 list"},
    {"git submodule foreach --recursive 'pm2 list'",
     "git submodule foreach --recursive pm2 list | pm2 list"},
    {"git filter-branch --tree-filter 'pm2 list' HEAD",
     "git filter-branch --tree-filter pm2 list HEAD | pm2 list"},
    {"git difftool -x pm2", "git difftool -x pm2 | pm2"},
    {"git grep -Opm2 x", "git grep -Opm2 x | pm2"},
    /* variables that name commands */
    {"GIT_SSH_COMMAND='pm2 x' git fetch", "pm2 x | git fetch"},
    {"GIT_PAGER='pm2 list' git log", "pm2 list | git log"},
    {"PAGER='pm2 list' man ls", "pm2 list | man ls"},
    {"LESSOPEN='|pm2 %s' less f", "pm2 %s | less f"},
    {"GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0=pm2 git log",
     "pm2 | git log"},
    {"GIT_CONFIG_GLOBAL=/dev/null git status", "git status"},
    {"GIT_CONFIG_GLOBAL=x.cfg git status", "!GIT_CONFIG_GLOBAL | git status"},
    {"PAGER='pm2 list' true", "true"},
    {"env GIT_SSH_COMMAND=pm2 git fetch", "pm2 | git fetch"},
    {"sudo GIT_PAGER=pm2 git log", "pm2 | git log"},
    {"export PAGER=pm2", "pm2 | export PAGER=pm2"},
    /* make reads -f -, --eval and what the goal needs; awk -f */
    {"make -f - <<< $'x:\\n\\tpm2 list'", "make -f - | pm2 list"},
    {"make -f /dev/stdin x <<< $'x:\\n\\tpm2 list'", "make -f /dev/stdin x | pm2 list"},
    {"make --eval=$'x:\\n\\tpm2 list' -f /dev/null x",
     "make --eval=x:\n\tpm2 list -f /dev/null x | pm2 list"},
    {"make -E 'x: ; pm2 list' -f /dev/null x", "make -E x: ; pm2 list -f /dev/null x | pm2 list"},
    {"make -f - <<< 'X := $(shell pm2 list)'", "make -f - | pm2 list"},
    {"make -f - <<< $'x: y\\ny:\\n\\tpm2 list\\nz:\\n\\tforever x'", "make -f - | pm2 list"},
    {"make -f - CMD=ls <<< $'CMD = pm2\\nx:\\n\\t$(CMD) list'", "make -f - CMD=ls | ls list"},
    {"make -f - <<< $'CMD = pm2\\nx:\\n\\t$(CMD) list'", "make -f - | pm2 list"},
    {"cat mk | make -f -", "cat mk | make -f - | !make -f -"},
    {"awk -f /dev/stdin <<< 'BEGIN{system(\"pm2 list\")}'", "awk -f /dev/stdin | pm2 list"},
    {"awk -f - <<< 'BEGIN{print \"x\" | \"pm2\"}'", "awk -f - | x | pm2"},
    {"gawk -e 'BEGIN{system(\"pm2\")}'", "gawk -e BEGIN{system(\"pm2\")} | pm2"},
    {"gawk -l ext x", "gawk -l ext x | !gawk -l ext x"},
    {"run-parts --test d", "run-parts --test d"},
    {"make -f - <<< $'Y != pm2 x\\nall: ; [ a != b ]'", "make -f - | pm2 x | [ a != b ]"},
    {"parallel '' :::: f", "parallel  :::: f"},
    {"screen -S x -X", "screen -S x -X"},
    {"sudo -s pm2 list", "pm2 list"},
    {"flock /tmp/l -c 'pm2 list'", "pm2 list"},
    {"flock -c 'pm2 list' /tmp/l", "pm2 list"},
    {"xargs -iX echo X", "xargs -iX echo X | echo X"},
};

/* The assignments that apply to the last effective command, joined by ' '. */
static char *assigns_of(const char *line)
{
	struct analysis a;
	struct analyze_opts o = {0};
	analyze(line, strlen(line), &o, &a);
	struct sbuf b;
	sb_init(&b);
	if (a.ncmd > 0) {
		struct ecmd *e = &a.cmd[a.ncmd - 1];
		for (int k = 0; k < e->nassign; k++)
			sb_addf(&b, "%s%s", k ? " " : "", e->assign[k]);
	}
	analysis_free(&a);
	return sb_take(&b);
}

static void test_assigns(void)
{
	static const char *acases[][2] = {
	    {"sudo A=1 -u root B=2 -- ls", "A=1 B=2"},
	    {"env - a-b=1 ls", "a-b=1"},
	    {"env -S'X=1 ls'", "X=1"},
	    {"sudo -- A=1 ls", ""},
	};
	for (size_t i = 0; i < sizeof acases / sizeof acases[0]; i++) {
		char *got = assigns_of(acases[i][0]);
		is_str(got, acases[i][1], "assignments reach the command: %s", acases[i][0]);
		free(got);
	}
}

/* Wrappers around one command: up to the limit they are followed, past it
   the line is refused with a message naming the limit (dropping the
   command would allow whatever it runs). */
static void test_wrapper_limit(void)
{
	static const char *const wrappers[] = {
	    "nohup ", "sudo ",   "env ",        "command ",         "nice ", "timeout 5 ", "exec ",
	    "xargs ", "setsid ", "stdbuf -oL ", "builtin command ", NULL};
	for (int w = 0; wrappers[w]; w++) {
		int per = strncmp(wrappers[w], "builtin", 7) == 0 ? 2 : 1;
		for (int n = ANALYZE_MAX_WRAPPERS / per; n <= ANALYZE_MAX_WRAPPERS / per + 1; n++) {
			struct sbuf line;
			sb_init(&line);
			for (int k = 0; k < n; k++)
				sb_adds(&line, wrappers[w]);
			sb_adds(&line, "pm2 list");
			char *err = NULL;
			char *got = summary(line.s, &err);
			int over = n * per > ANALYZE_MAX_WRAPPERS;
			if (over) {
				is_str(got, "ERROR", "%d x %s: refused", n, wrappers[w]);
				is_str(err, "wrappers nested deeper than 64 levels (limit)",
				       "%d x %s: the message names the limit", n, wrappers[w]);
			} else {
				/* (xargs runs too: it is listed at each level) */
				size_t gl = strlen(got);
				ok(err == NULL && gl >= 8 && strcmp(got + gl - 8, "pm2 list") == 0,
				   "%d x %s: followed to pm2 list", n, wrappers[w]);
			}
			free(got);
			free(err);
			sb_free(&line);
		}
	}
}

int main(void)
{
	test_assigns();
	test_wrapper_limit();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = summary(cases[i][0], NULL);
		is_str(got, cases[i][1], "%s", cases[i][0]);
		free(got);
	}
	return done_testing();
}
