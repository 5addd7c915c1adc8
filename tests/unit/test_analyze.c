/*
 * test_analyze.c - the parser and unwrapper: line -> effective commands.
 *
 * Each case lists what bash would run, as "argv words" joined by " | ";
 * "?" marks a command whose name is known only at run time, "!" one that
 * runs code guard cannot see; "ERROR" a line that must not parse.
 */
#include <stdlib.h>

#include "analyze.h"
#include "tap.h"
#include "util.h"

static int refuse_startup(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "BASH_ENV") == 0 || strncmp(name, "LD_", 3) == 0;
}

static char *summary(const char *line)
{
	struct analysis a;
	struct analyze_opts o = {0};
	o.read_scripts = 1;
	o.refused_var = refuse_startup;
	analyze(line, strlen(line), &o, &a);
	struct sbuf b;
	sb_init(&b);
	if (a.error) {
		sb_adds(&b, "ERROR");
	} else {
		for (size_t i = 0; i < a.ncmd; i++) {
			if (i)
				sb_adds(&b, " | ");
			if (a.cmd[i].flags & CMD_ASSIGN) {
				sb_addf(&b, "=%s%s", a.cmd[i].flags & CMD_DYNAMIC_NAME ? "?" : "",
				        a.cmd[i].assign[0]);
				continue;
			}
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
    /* plain and quoting */
    {"pm2 restart all", "pm2 restart all"},
    {"/usr/local/bin/pm2 list", "pm2 list"},
    {"./node_modules/.bin/pm2 list", "!pm2 list"},
    {"./deploy.sh", "!deploy.sh"},
    {"p\\m2 delete all", "pm2 delete all"},
    {"'pm2' delete all", "pm2 delete all"},
    {"\"pm\"2 delete all", "pm2 delete all"},
    {"$'\\x70m2' list", "pm2 list"},
    {"$'\\160m2' list", "pm2 list"},
    {"pm2 list # comment", "pm2 list"},
    {"echo a#b", "echo a#b"},
    {"pm2 \\\nlist", "pm2 list"},
    {"echo pm2", "echo pm2"},
    {"git commit -m \"drop pm2\"", "git commit -m drop pm2"},
    /* lists and pipelines */
    {"echo ok; pm2 list", "echo ok | pm2 list"},
    {"true && pm2 list || false", "true | pm2 list | false"},
    {"ls | grep x |& wc -l", "ls | grep x | wc -l"},
    {"sleep 1 & pm2 list", "sleep 1 | pm2 list"},
    {"! pm2 list", "pm2 list"},
    {"time -p pm2 list", "pm2 list"},
    {"! ! pm2 list", "pm2 list"},
    {"time time -p ! time pm2 list", "pm2 list"},
    {"!", ""},
    {"true && !", "true"},
    {"! ; pm2 list", "pm2 list"},
    {"true && false || pm2 list && id", "true | false | pm2 list | id"},
    {"true &&\n\n pm2 list", "true | pm2 list"},
    /* compound commands */
    {"(pm2 list)", "pm2 list"},
    {"{ pm2 list; }", "pm2 list"},
    {"if true; then pm2 list; elif false; then ls; else id; fi",
     "true | pm2 list | false | ls | id"},
    {"while false; do pm2 list; done", "false | pm2 list"},
    {"until true; do pm2 list; done", "true | pm2 list"},
    {"for i in 1 2; do pm2 list; done", "pm2 list"},
    {"for ((i=0;i<2;i++)); do pm2 list; done", "pm2 list"},
    {"case x in x) pm2 list;; y|z) ls;& *) id;;& esac", "pm2 list | ls | id"},
    {"select x in a; do pm2 list; done", "pm2 list"},
    {"(( x = $(pm2 list) ))", "pm2 list"},
    {"[[ -n $(pm2 list) && a < b ]]", "pm2 list"},
    {"f() { pm2 list; }; f", "pm2 list"},
    {"function f { pm2 list; }; f", "pm2 list"},
    {"f() { pm2 list; }", ""},
    {"coproc pm2 list", "pm2 list"},
    {"coproc NAME { pm2 list; }", "pm2 list"},
    /* substitutions */
    {"echo $(pm2 list)", "pm2 list | echo $(pm2 list)"},
    {"echo `pm2 list`", "pm2 list | echo `pm2 list`"},
    {"echo `echo \\`pm2 list\\``", "pm2 list | echo `pm2 list` | echo `echo \\`pm2 list\\``"},
    {"diff <(pm2 list) /dev/null", "pm2 list | diff <(pm2 list) /dev/null"},
    {"echo \"${x:-$(pm2 list)}\"", "pm2 list | echo ${x:-$(pm2 list)}"},
    {"echo $(( $(pm2 list) + 1 ))", "pm2 list | echo $(( $(pm2 list) + 1 ))"},
    {"x=$(pm2 list)", "pm2 list"},
    {"echo $(case a in a) pm2 list;; esac)", "pm2 list | echo $(case a in a) pm2 list;; esac)"},
    /* here-docs */
    {"cat <<EOF\n$(pm2 list)\nEOF", "pm2 list | cat"},
    {"cat <<'EOF'\n$(pm2 list)\nEOF", "cat"},
    {"bash <<EOF\npm2 list\nEOF", "pm2 list"},
    {"bash <<<'pm2 list'", "pm2 list"},
    {"cat <<-EOF\n\t$(pm2 list)\n\tEOF\n", "pm2 list | cat"},
    {"cat <<A; cat <<B\na\nA\n$(pm2 list)\nB", "cat | pm2 list | cat"},
    /* assignments and variables */
    {"PM2_HOME=/x pm2 list", "pm2 list"},
    {"x=pm2; $x list", "pm2 list"},
    {"p=p; ${p}m2 list", "pm2 list"},
    {"pm2$IFS'list'", "pm2 list"},
    {"$cmd list", "?$cmd list"},
    {"$(echo pm2) list", "echo pm2 | pm2 list"},
    {"$(cat f) list", "cat f | ?$(cat f) list"},
    /* wrappers */
    {"sudo -u deploy pm2 list", "pm2 list"},
    {"sudo -l pm2", "sudo -l pm2"},
    {"sudo -E -H FOO=1 pm2 list", "pm2 list"},
    {"env -i -u B A=1 pm2 list", "pm2 list"},
    {"env -i A=1 -u B pm2 list", "-u B pm2 list"}, /* env stops at A=1 */
    {"env -S 'pm2 list'", "pm2 list"},
    {"env", "env"},
    {"nohup pm2 list &", "pm2 list"},
    {"nice -n 5 pm2 list", "pm2 list"},
    {"nice -5 pm2 list", "pm2 list"},
    {"ionice -c 3 pm2 list", "pm2 list"},
    {"timeout -s KILL 5 pm2 list", "pm2 list"},
    {"command pm2 list", "pm2 list"},
    {"command -v pm2", "command -v pm2"},
    {"exec -a x pm2 list", "pm2 list"},
    {"stdbuf -oL pm2 list", "pm2 list"},
    {"setsid -f pm2 list", "pm2 list"},
    {"chrt -f 10 pm2 list", "pm2 list"},
    {"taskset -c 0,1 pm2 list", "pm2 list"},
    {"flock /tmp/l pm2 list", "pm2 list"},
    {"flock /tmp/l -c 'pm2 list'", "pm2 list"},
    {"echo x | xargs pm2", "echo x | xargs pm2 | pm2 x"},
    {"cat f | xargs pm2", "cat f | xargs pm2 | pm2"},
    {"xargs -n1 -I{} pm2 {}", "xargs -n1 -I{} pm2 {} | pm2 {}"},
    {"find . -exec pm2 list \\;", "find . -exec pm2 list ; | pm2 list"},
    {"watch -n 5 pm2 list", "pm2 list"},
    {"npx pm2 list", "pm2 list"},
    {"npx -y pm2@latest list", "pm2 list"},
    {"npm exec -- pm2 list", "pm2 list"},
    {"pnpm dlx pm2 list", "pm2 list"},
    {"yarn dlx pm2 list", "pm2 list"},
    {"bunx pm2 list", "pm2 list"},
    {"busybox pm2 list", "pm2 list"},
    {"sudo env nohup timeout 5 pm2 list", "pm2 list"},
    /* nested shells */
    {"bash -c 'pm2 list'", "pm2 list"},
    {"sh -xc 'pm2 list'", "pm2 list"},
    {"bash -c \"bash -c 'pm2 list'\"", "pm2 list"},
    {"eval 'pm2 list'", "pm2 list"},
    {"eval \"$x\"", "!eval $x"},
    {"su -c 'pm2 list' deploy", "pm2 list"},
    {"su deploy -c 'pm2 list'", "pm2 list"},
    {"runuser -u deploy -- pm2 list", "pm2 list"},
    {"echo 'pm2 list' | bash", "echo pm2 list | pm2 list"},
    {"curl -s x | sh", "curl -s x | !sh"},
    {"trap 'pm2 list' EXIT", "pm2 list | trap pm2 list EXIT"},
    {"shopt -s expand_aliases\nalias p=pm2\np list",
     "shopt -s expand_aliases | alias p=pm2 | pm2 list"},
    {"alias p=pm2; p list", "alias p=pm2 | p list"}, /* bash does not expand it here */
    {"shopt -s expand_aliases; alias p=pm2; p list",
     "shopt -s expand_aliases | alias p=pm2 | p list"},
    {"bash -O expand_aliases -c $'alias p=pm2\\np list'", "alias p=pm2 | pm2 list"},
    /* interpreters */
    {"python3 -c 'import os; os.system(\"pm2 list\")'",
     "!python3 -c import os; os.system(\"pm2 list\") | pm2 list"},
    {"python3 -c 'import subprocess; subprocess.run([\"pm2\", \"list\"])'",
     "!python3 -c import subprocess; subprocess.run([\"pm2\", \"list\"]) | pm2 list"},
    {"perl -e 'system(\"pm2 list\")'", "!perl -e system(\"pm2 list\") | pm2 list"},
    {"node -e \"require('child_process').execSync('pm2 list')\"",
     "!node -e require('child_process').execSync('pm2 list') | pm2 list"},
    {"awk 'BEGIN{system(\"pm2 list\")}'", "awk BEGIN{system(\"pm2 list\")} | pm2 list"},
    {"printf '\\x70m2 list' | bash", "printf \\x70m2 list | pm2 list"},
    {"sh < <(echo pm2 list)", "echo pm2 list | pm2 list"},
    {"x=$(echo pm2); $x list", "echo pm2 | pm2 list"},
    {"x=p; x+=m2; $x list", "pm2 list"},
    {"x=pm2list; ${x%list} list", "pm2 list"},
    {"bash <<EOF\necho \"\\$(pm2 list)\"\nEOF", "pm2 list | echo $(pm2 list)"},
    {"echo pm2 list | xargs -0 bash -c", "echo pm2 list | xargs -0 bash -c | pm2 list"},
    {"git -c alias.x='!pm2 list' x", "git -c alias.x=!pm2 list x | pm2 list"},
    {"sed 's/x/pm2 list/e' f", "!sed s/x/pm2 list/e f"},
    {"[ -x /usr/bin/pm2 ]", "[ -x /usr/bin/pm2 ]"},
    {"/usr/bin/pm[2] list", "?pm[2] list"},
    {"pm[2] list", "?pm[2] list"},
    {"a[2]=x", ""},
    {"x='pm[2]'; $x list", "?pm[2] list"},
    {"x=a; {pm2,$x} list", "pm2 a list"},
    {"setpriv pm2 list", "pm2 list"},
    {"{p,}m2 list", "pm2 m2 list"},
    {"p{m,}2 list", "pm2 p2 list"},
    {"echo {1..3}", "echo 1 2 3"},
    {"echo a{b,c{d,e}}f", "echo abf acdf acef"},
    {"python3 -c 'print(1)'", "!python3 -c print(1)"},
    /* the script's name is the program; a script guard cannot read (not
       here) is opaque */
    {"python3 manage.py migrate",
     "python3 manage.py migrate | manage migrate | !python3 manage.py migrate"},
    {"node node_modules/pm2/bin/pm2 list",
     "node node_modules/pm2/bin/pm2 list | pm2 list | !node node_modules/pm2/bin/pm2 list"},
    {"bash -n deploy.sh", "bash -n deploy.sh"},
    {"env -S 'pm2\\_list'", "pm2 list"},
    {"time -p -- pm2 list", "pm2 list"},
    {"echo y | sed 's/y/echo pm2/e'", "echo y | echo pm2 | sed s/y/echo pm2/e"},
    {"echo y | sed 's/y/pm2 list/e'", "echo y | pm2 list | sed s/y/pm2 list/e"},
    {"x='a[$(pm2 list)]'; echo $((x))", "pm2 list | echo $((x))"},
    {"x='a[$(pm2 list)]'; echo \"$x\"", "echo a[$(pm2 list)]"},
    {"let 'x=a[$(pm2 list)]'", "pm2 list | let x=a[$(pm2 list)]"},
    {"hash -p /usr/bin/pm2 ls; ls", "hash -p /usr/bin/pm2 ls | pm2"},
    {"tmux new-session -d 'pm2 list'", "tmux new-session -d pm2 list | pm2 list"},
    {"mapfile -C 'pm2 list #' x < /dev/null", "pm2 list | mapfile -C pm2 list # x"},
    /* namerefs */
    {"c=pm2; declare -n r=c; $r list", "declare -n r=c | pm2 list"},
    {"declare -n r=x; x=pm2; $r list", "declare -n r=x | pm2 list"},
    {"declare -n r=c; r=pm2; $c list", "declare -n r=c | pm2 list"},
    {"declare -n r='a[$(pm2 list)]'", "pm2 list | declare -n r=a[$(pm2 list)]"},
    {"f() { local -n r=$1; $r list; }; f c", "local -n r=$1 | ?$r list"},
    {"declare -n r=BASH_ENV; r=./f", "declare -n r=BASH_ENV | =BASH_ENV=./f"},
    /* arithmetic evaluation of strings */
    {"x='a[$(pm2 list)]'; let x", "pm2 list | let x"},
    {"x='a[$(pm2 list)]'; declare -i y; y=x", "declare -i y | pm2 list"},
    {"x='a[$(pm2 list)]'; s=abc; echo ${s:x}", "pm2 list | echo ${s:x}"},
    {"x='a[$(pm2 list)]'; b[x]=1", "pm2 list"},
    {"x=y; y='a[`pm2 list`]'; (( x ))", "pm2 list"},
    {"x='a[$(pm2 list)]'; [[ $x -eq 1 ]]", "pm2 list"},
    {"x='a[$(pm2 list)]'; [[ $x == 1 ]]", ""},
    {"x='$(pm2 list)'; (( x ))", ""},
    {"x='a[$(pm2 list)]'; test x -eq 1", "test x -eq 1"},
    {"x='a[$(pm2 list)]'; echo ${!x}", "pm2 list | echo ${!x}"},
    {"echo $[ $(pm2 list) + 1 ]", "pm2 list | echo $[ $(pm2 list) + 1 ]"},
    {"declare 'a[$(pm2 list)]=1'", "pm2 list | declare a[$(pm2 list)]=1"},
    /* prompt variables, startup variables, BASH_CMDS */
    {"PS4='$(pm2 list)'", "pm2 list"},
    {"PS4='+ ${LINENO}: '", ""},
    {"PS4=$(cat f)", "cat f | !PS4"},
    {"PROMPT_COMMAND='pm2 list'", "pm2 list"},
    {"BASH_ENV=./f", "=BASH_ENV=./f"},
    {"read BASH_ENV", "=BASH_ENV=... | read BASH_ENV"},
    {"(( BASH_ENV = 1 ))", "=BASH_ENV=..."},
    {"set -a; read \"$v\"", "set -a | =?$v=... | read $v"},
    {"read \"$v\"", "read $v"},
    {"BASH_CMDS[ls]=/usr/bin/pm2; ls list", "pm2 list"},
    {"f() { bash -c true; }; LD_PRELOAD=x f", "true"},
    /* a call after a variable the body reads changed: the body again */
    {"x=ls; f() { $x; }; x=pm2; f", "pm2"},
    {"x=ls; f() { $x; }; f", "ls"},
    {"f() { x=ls; $x; }; x=pm2; f", "ls"},
    {"n=1; f() { echo $n; f; }; n=2; f", "echo 2"},
    {"x=pm2/list; f() { $x; }; IFS=/; f", "pm2 list"},
    /* appends in place; the budget of values */
    {"x=p; x=${x}m; x+=2; $x list", "pm2 list"},
    {"x=a; x=$x$x; echo $x", "echo aa"},
    /* errors */
    {"echo 'unterminated", "ERROR"},
    {"if true; then", "ERROR"},
    {"echo )", "ERROR"},
    {"pm2 list |", "ERROR"},
    {"echo $(", "ERROR"},
    {"f() pm2", "ERROR"},
    {"", ""},
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
	    {"A=1 pm2 list", "A=1"},
	    {"env LD_PRELOAD=x sudo ls", "LD_PRELOAD=x"},
	    {"sudo B=2 env C=3 ls", "B=2 C=3"},
	    {"BASH_ENV=x bash -c 'true'", "BASH_ENV=x"},
	    {"X=1 bash -c 'Y=2 ls'", "Y=2 X=1"},
	    {"ls", ""},
	};
	for (size_t i = 0; i < sizeof acases / sizeof acases[0]; i++) {
		char *got = assigns_of(acases[i][0]);
		is_str(got, acases[i][1], "assignments reach the command: %s", acases[i][0]);
		free(got);
	}
}

int main(void)
{
	test_assigns();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = summary(cases[i][0]);
		is_str(got, cases[i][1], "%s", cases[i][0]);
		free(got);
	}
	return done_testing();
}
