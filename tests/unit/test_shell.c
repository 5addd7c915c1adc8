/* test_shell.c - the interactive shell's pure parts: which input is
   incomplete (continuation prompt), and which lines are plain builtin lines
   guard runs itself. */
#include "shell.h"
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>

/* main.c's, which unit tests do not link */
void warnx_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void incomplete(const char *text, int want)
{
	struct sbuf d; /* the text on one TAP line */
	sb_init(&d);
	for (const char *p = text; *p; p++)
		if (*p == '\n')
			sb_adds(&d, "\\n");
		else
			sb_addc(&d, *p);
	is_int(shell_incomplete(text), want, "%s: [%s]", want ? "incomplete" : "complete",
	       d.s ? d.s : "");
	sb_free(&d);
}

/* Splits text; returns the words joined by '|', or "(not plain)". */
static char *split(const char *text)
{
	struct strv w = {0};
	if (shell_split_plain(text, &w) < 0)
		return xstrdup("(not plain)");
	struct sbuf b;
	sb_init(&b);
	for (size_t i = 0; i < w.n; i++)
		sb_addf(&b, "%s%s", i ? "|" : "", w.v[i]);
	sv_free(&w);
	return sb_take(&b);
}

static void plain(const char *text, const char *want)
{
	char *got = split(text);
	is_str(got, want, "split [%s]", text);
	free(got);
}

int main(void)
{
	incomplete("echo ok", 0);
	incomplete("echo 'abc", 1);
	incomplete("echo \"abc", 1);
	incomplete("cat <<EOF", 1);
	incomplete("cat <<EOF\nbody\nEOF", 0);
	incomplete("cat <<'EOF'\n$HOME", 1);
	incomplete("if true; then", 1);
	incomplete("if true; then echo x; fi", 0);
	incomplete("for i in a b; do", 1);
	incomplete("ls |", 1);
	incomplete("ls &&", 1);
	incomplete("ls ||", 1);
	incomplete("echo \\", 1);
	incomplete("echo \\\\", 0);
	incomplete("f() {", 1);
	incomplete("echo $(ls", 1);
	incomplete("case x in", 1);
	incomplete("echo )", 0); /* invalid, not incomplete: refused with the parser's message */
	incomplete("", 0);

	setenv("HOME", "/home/ops", 1);
	plain("cd /tmp", "cd|/tmp");
	plain("  cd   'a b'  ", "cd|a b");
	plain("cd \"dir x\"", "cd|dir x");
	plain("cd a\\ b", "cd|a b");
	plain("cd ~/src", "cd|/home/ops/src");
	plain("cd ~", "cd|/home/ops");
	plain("export A=b C=d", "export|A=b|C=d");
	plain("cd /tmp && ls", "(not plain)");
	plain("cd /tmp; ls", "(not plain)");
	plain("cd $HOME", "(not plain)");
	plain("cd \"$HOME\"", "(not plain)");
	plain("cd `pwd`", "(not plain)");
	plain("cd /tm*", "(not plain)");
	plain("cd {a,b}", "(not plain)");
	plain("cd ~root", "(not plain)");
	plain("export A=b >f", "(not plain)");
	plain("cd 'open", "(not plain)");
	plain("pwd # comment", "(not plain)");

	is_int(shell_is_builtin("cd"), 1, "cd is a builtin");
	is_int(shell_is_builtin("why"), 1, "why is a builtin");
	is_int(shell_is_builtin("source"), 0, "source runs in the shell");
	return done_testing();
}
