/*
 * shell_read.c - reading lines at the terminal with GNU readline, and
 * continuation prompts for incomplete input.
 *
 * readline's callback interface is driven from a select() loop so that an
 * idle timeout and Ctrl-C at the prompt (which clears the line, as in bash)
 * need no signal tricks inside readline (tech-notes 3.3).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
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
	/* the terminal may have been resized while a command had it (SIGWINCH
	   went to the command's process group, not to guard) */
	rl_reset_screen_size();
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

/*
 * Whether the text ended inside a construct (open quote, here-doc without
 * its delimiter, if without fi, trailing | or &&, trailing backslash): the
 * parser says so in analysis.incomplete.  Invalid input is not incomplete:
 * it is submitted and refused with the parser's message.
 */
int shell_incomplete(const char *text)
{
	/* A backslash at the end of a typed line continues it (bash at a
	   terminal); at the end of a -c string it is literal, as the parser
	   says. */
	size_t n = strlen(text), k = 0;
	while (k < n && text[n - 1 - k] == '\\')
		k++;
	if (k % 2 == 1)
		return 1;
	struct analysis an;
	struct analyze_opts o;
	memset(&o, 0, sizeof o);
	if (analyze(text, strlen(text), &o, &an) < 0)
		return 0;
	int inc = an.incomplete;
	analysis_free(&an);
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
	/* Whether the input is complete is found in the same child process that
	   decides it (shell_precheck): the parser may fail on what was typed. */
	int pr;
	while ((pr = shell_precheck(sh, b.s ? b.s : "", b.len)) == PRE_INCOMPLETE) {
		const char *ps2 = sh->have_pol ? policy_get(&sh->pol, "shell", "prompt2") : NULL;
		r = shell_readline(sh, ps2 ? ps2 : "> ", &line);
		if (r == READ_EOF) {
			pr = PRE_NONE; /* submit what there is: the check refuses what cannot be
			                  parsed */
			break;
		}
		if (r != READ_LINE) {
			sb_free(&b);
			return r;
		}
		sb_addc(&b, '\n');
		sb_adds(&b, line);
		free(line);
	}
	sh->prechecked = pr;
	*out = sb_take(&b);
	return READ_LINE;
}
