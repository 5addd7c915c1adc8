/*
 * shell_hist.c - the persistent history (tech-notes 3.2).
 *
 * File: $GUARD_HISTFILE if set (the one environment variable guard reads for
 * the shell; empty disables the file), else $XDG_STATE_HOME/guard/history,
 * else ~/.local/state/guard/history.  Each line is appended as soon as it is
 * entered, with its timestamp, so concurrent sessions add to the file rather
 * than overwrite each other; at exit the file is cut to [shell] history_size
 * lines.  Refused lines are kept too, so they can be recalled and fixed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>

#include "shell.h"

static char *default_histfile(void)
{
	const char *e = getenv("GUARD_HISTFILE");
	if (e)
		return *e ? xstrdup(e) : NULL;
	const char *state = getenv("XDG_STATE_HOME");
	if (state && state[0] == '/')
		return xasprintf("%s/guard/history", state);
	const char *home = getenv("HOME");
	if (!home || home[0] != '/')
		return NULL;
	return xasprintf("%s/.local/state/guard/history", home);
}

/* mkdir -p for the file's directory, mode 0700. */
static void make_parent(const char *file)
{
	char *d = xstrdup(file);
	char *slash = strrchr(d, '/');
	if (slash && slash != d) {
		*slash = '\0';
		for (char *p = d + 1; *p; p++) {
			if (*p == '/') {
				*p = '\0';
				mkdir(d, 0700);
				*p = '/';
			}
		}
		mkdir(d, 0700);
	}
	free(d);
}

void shell_hist_init(struct shell *sh)
{
	using_history();
	history_write_timestamps = 1;
	history_comment_char = '#';
	history_multiline_entries = 1;
	if (sh->hist_size <= 0)
		sh->hist_size = 1000;
	stifle_history(sh->hist_size);
	sh->histfile = default_histfile();
	if (!sh->histfile)
		return;
	make_parent(sh->histfile);
	int fd = open(sh->histfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "guard: history file %s: %s (history is not kept)\n", sh->histfile,
		        strerror(errno));
		free(sh->histfile);
		sh->histfile = NULL;
		return;
	}
	close(fd);
	read_history(sh->histfile);
}

/* An exclusive lock on the history file while it is written (sessions may
   end at the same time).  Returns the fd to close, or -1. */
static int lock_file(const char *f)
{
	int fd = open(f, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void shell_hist_add(struct shell *sh, const char *line)
{
	add_history(line); /* stamped with the current time */
	if (sh->histfile) {
		int fd = lock_file(sh->histfile);
		int e = append_history(1, sh->histfile);
		if (e)
			fprintf(stderr, "guard: history file %s: %s\n", sh->histfile, strerror(e));
		if (fd >= 0)
			close(fd);
	}
}

/* Cuts the file to the last history_size entries.  history_truncate_file()
   counts lines and would cut a multi-line entry in two, so the file is read
   back (stifled to the size) and rewritten whole. */
void shell_hist_finish(struct shell *sh)
{
	if (!sh->histfile)
		return;
	int fd = lock_file(sh->histfile);
	clear_history();
	stifle_history(sh->hist_size > 0 ? sh->hist_size : 1000);
	if (read_history(sh->histfile) == 0)
		write_history(sh->histfile);
	if (fd >= 0)
		close(fd);
}

int shell_hist_builtin(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		clear_history();
		return 0;
	}
	int n = history_length;
	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);
		if (*end || v < 0) {
			fprintf(stderr, "history: %s: a number is expected\n", argv[1]);
			return 1;
		}
		if (v < n)
			n = (int)v;
	}
	HIST_ENTRY **list = history_list();
	if (!list)
		return 0;
	for (int i = history_length - n; i < history_length; i++) {
		if (i < 0 || !list[i])
			continue;
		printf("%5d  %s\n", i + history_base, list[i]->line);
	}
	return 0;
}
