/*
 * shell_read.c - reading lines at the terminal with GNU readline, and
 * continuation prompts for incomplete input.
 *
 * readline's callback interface is driven from a select() loop so that an
 * idle timeout and Ctrl-C at the prompt (which clears the line, as in bash)
 * need no signal tricks inside readline (tech-notes 3.3).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "analyze.h"
#include "shell.h"

static volatile sig_atomic_t got_sigint, got_sigwinch;
static char *cb_line;
static int cb_done;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static void on_sigwinch(int sig)
{
	(void)sig;
	got_sigwinch = 1;
}

static void on_line(char *line)
{
	cb_line = line;
	cb_done = 1;
	rl_callback_handler_remove();
}

void shell_read_init(struct shell *sh)
{
	(void)sh;
	rl_readline_name = "guard";
	/* readline would export LINES and COLUMNS into guard's environment,
	   and every command would inherit stale sizes (tech-notes 3.3). */
	rl_change_environment = 0;
	rl_instream = stdin;
	rl_outstream = stderr; /* like bash: prompt and echo on stderr */
	rl_catch_signals = 0;  /* guard handles INT itself, below */
	rl_catch_sigwinch = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: select() returns EINTR */
	sa.sa_handler = on_sigwinch;
	sigaction(SIGWINCH, &sa, NULL);
}

int shell_readline(struct shell *sh, const char *prompt, char **out)
{
	*out = NULL;
	cb_line = NULL;
	cb_done = 0;
	got_sigint = 0;
	rl_callback_handler_install(prompt, on_line);
	time_t deadline = sh->idle_timeout > 0 ? time(NULL) + sh->idle_timeout : 0;
	for (;;) {
		if (got_sigint) {
			/* Ctrl-C at the prompt: forget the line, start a new one. */
			got_sigint = 0;
			rl_free_line_state();
			rl_callback_sigcleanup();
			rl_echo_signal_char(SIGINT);
			rl_replace_line("", 0);
			rl_crlf();
			rl_callback_handler_remove();
			return READ_INTR;
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
		}
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(fileno(rl_instream), &fds);
		struct timeval tv, *tvp = NULL;
		if (deadline) {
			time_t now = time(NULL);
			if (now >= deadline) {
				rl_callback_handler_remove();
				rl_crlf();
				return READ_TIMEOUT;
			}
			tv.tv_sec = deadline - now;
			tv.tv_usec = 0;
			tvp = &tv;
		}
		int n = select(fileno(rl_instream) + 1, &fds, NULL, NULL, tvp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rl_callback_handler_remove();
			return READ_EOF;
		}
		if (n == 0)
			continue; /* the deadline check above ends the session */
		rl_callback_read_char();
		if (cb_done) {
			if (!cb_line)
				return READ_EOF;
			*out = cb_line;
			return READ_LINE;
		}
	}
}

/* Cheap filter: only text that could be incomplete is shown to bash -n. */
static int maybe_incomplete(const char *t)
{
	if (strpbrk(t, "'\"`\\({[") || strstr(t, "<<"))
		return 1;
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n'))
		n--;
	if (n && (t[n - 1] == '|' || t[n - 1] == '&'))
		return 1;
	static const char *const kw[] = {"if",       "for", "while", "until", "case", "select",
	                                 "function", "do",  "then",  "!",     NULL};
	const char *p = t;
	while (*p) {
		while (*p && strchr(" \t\n;", *p))
			p++;
		const char *w = p;
		while (*p && !strchr(" \t\n;", *p))
			p++;
		for (int i = 0; kw[i]; i++)
			if ((size_t)(p - w) == strlen(kw[i]) &&
			    strncmp(w, kw[i], (size_t)(p - w)) == 0)
				return 1;
	}
	return 0;
}

/*
 * Whether bash would want more input.  The decision on the complete text is
 * always made by guard's own parser; this only chooses between "submit" and
 * "show the continuation prompt", so asking bash itself (`bash -n`, which
 * runs nothing) is the most faithful answer.
 * TODO(lead): replace with analysis.incomplete once the parser reports it.
 */
int shell_incomplete(const char *text)
{
	size_t n = strlen(text);
	if (n && text[n - 1] == '\\') {
		size_t k = 0;
		while (k < n && text[n - 1 - k] == '\\')
			k++;
		if (k % 2 == 1)
			return 1;
	}
	if (!maybe_incomplete(text))
		return 0;
	int in[2], err[2];
	if (pipe(in) < 0)
		return 0;
	if (pipe(err) < 0) {
		close(in[0]);
		close(in[1]);
		return 0;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		close(err[0]);
		close(err[1]);
		return 0;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(err[1], 2);
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 1);
		closefrom(3);
		signal(SIGINT, SIG_DFL);
		char *const argv[] = {"bash", "--norc", "--noprofile", "-n", NULL};
		char *const envp[] = {"LC_ALL=C", NULL};
		execve("/bin/bash", argv, envp);
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	signal(SIGPIPE, SIG_IGN);
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(in[1], text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (write(in[1], "\n", 1) < 0) {
		/* bash ended early; its stderr says why */
	}
	close(in[1]);
	struct sbuf b;
	sb_init(&b);
	char buf[1024];
	ssize_t r;
	while ((r = read(err[0], buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (b.len < 65536)
			sb_addn(&b, buf, (size_t)r);
	}
	close(err[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	const char *es = b.s ? b.s : "";
	int inc = strstr(es, "unexpected end of file") ||
	          strstr(es, "unexpected EOF while looking for matching") ||
	          strstr(es, "delimited by end-of-file");
	sb_free(&b);
	return inc;
}

int shell_read_command(struct shell *sh, char **out)
{
	*out = NULL;
	char *prompt = shell_prompt(sh);
	char *line = NULL;
	int r = shell_readline(sh, prompt, &line);
	free(prompt);
	if (r != READ_LINE)
		return r;
	struct sbuf b;
	sb_init(&b);
	sb_adds(&b, line);
	free(line);
	while (shell_incomplete(b.s ? b.s : "")) {
		const char *ps2 = sh->have_pol ? policy_get(&sh->pol, "shell", "prompt2") : NULL;
		r = shell_readline(sh, ps2 ? ps2 : "> ", &line);
		if (r == READ_EOF)
			break; /* submit what there is: the check refuses what cannot be parsed */
		if (r != READ_LINE) {
			sb_free(&b);
			return r;
		}
		sb_addc(&b, '\n');
		sb_adds(&b, line);
		free(line);
	}
	*out = sb_take(&b);
	return READ_LINE;
}
