/*
 * shell_job.c - running an approved line with the configured shell, and job
 * control at the terminal (tech-notes 3.4).
 *
 * guard owns the terminal in its own process group and ignores SIGTTOU,
 * SIGTSTP, SIGTTIN and SIGQUIT; each line runs as `SHELL -c LINE` in a new
 * process group in the foreground, so Ctrl-C reaches the command and not
 * guard.  When it ends guard takes the terminal back and restores the modes
 * saved at start-up (a program may leave the terminal raw).  Ctrl-Z stops the
 * command: it is kept as a job that `fg` resumes in the foreground and `bg`
 * in the background; stopped jobs get SIGHUP and SIGCONT when guard exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "exec.h"
#include "shell.h"

/* Larger scripts are passed as a file descriptor, not as one argv string
   (Linux limits one argument to 128 KiB). */
#define ARG_TEXT_MAX (100u * 1024)

void shell_job_init(struct shell *sh)
{
	sh->tty = -1;
	signal(SIGCHLD, SIG_DFL); /* SIG_IGN would make waitpid() fail (ECHILD) */
	if (!sh->interactive || !isatty(0))
		return;
	int tty = 0;
	pid_t pg;
	/* Wait until guard is in the foreground (e.g. started from a shell's background). */
	while (tcgetpgrp(tty) != (pg = getpgrp()))
		kill(-pg, SIGTTIN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN); /* or tcsetpgrp() below stops guard itself */
	signal(SIGTERM, SIG_IGN); /* as interactive bash */
	signal(SIGPIPE, SIG_IGN);
	if (setpgid(0, 0) < 0 && errno != EPERM) {
		/* EPERM: guard is a session leader (sshd, login) and already leads its group */
	}
	sh->pgid = getpgrp();
	tcsetpgrp(tty, sh->pgid);
	if (tcgetattr(tty, &sh->tmodes) == 0)
		sh->have_tmodes = 1;
	sh->tty = tty;
}

static void child_signals(void)
{
	static const int sigs[] = {SIGINT,  SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU,
	                           SIGCHLD, SIGPIPE, SIGTERM, SIGHUP,  SIGWINCH};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int add_job(struct shell *sh, pid_t pgid, const char *text)
{
	for (int i = 0; i < SHELL_MAX_JOBS; i++) {
		if (!sh->jobs[i].pgid) {
			sh->jobs[i].pgid = pgid;
			sh->jobs[i].text = xstrdup(text);
			sh->jobs[i].stopped = 1;
			return i;
		}
	}
	return -1;
}

static void drop_job(struct shell *sh, int i)
{
	free(sh->jobs[i].text);
	memset(&sh->jobs[i], 0, sizeof sh->jobs[i]);
}

static void take_terminal(struct shell *sh)
{
	if (sh->tty < 0)
		return;
	tcsetpgrp(sh->tty, sh->pgid);
	if (sh->have_tmodes)
		tcsetattr(sh->tty, TCSADRAIN, &sh->tmodes);
}

/* Waits for the foreground job pid; returns its status. */
static int wait_fg(struct shell *sh, pid_t pid, const char *text, int job)
{
	int st = 0, status;
	for (;;) {
		pid_t r = waitpid(pid, &st, sh->tty >= 0 ? WUNTRACED : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			status = 127;
			break;
		}
		if (WIFSTOPPED(st)) {
			if (job < 0)
				job = add_job(sh, pid, text);
			else
				sh->jobs[job].stopped = 1;
			take_terminal(sh);
			if (job < 0) {
				/* no free slot: do not leave an orphan stopped */
				kill(-pid, SIGHUP);
				kill(-pid, SIGCONT);
				fputs("\nguard: too many stopped jobs; the command was hung up\n",
				      stderr);
			} else {
				fprintf(stderr, "\n[%d]+  Stopped                 %s\n", job + 1,
				        text);
			}
			return 128 + WSTOPSIG(st);
		}
		if (WIFSIGNALED(st)) {
			int sig = WTERMSIG(st);
			status = 128 + sig;
			if (sh->tty >= 0) {
				if (sig == SIGINT)
					fputc('\n', stderr);
				else if (sig != SIGPIPE)
					fprintf(stderr, "%s%s\n", strsignal(sig),
					        WCOREDUMP(st) ? " (core dumped)" : "");
			}
		} else {
			status = WEXITSTATUS(st);
		}
		break;
	}
	if (job >= 0)
		drop_job(sh, job);
	take_terminal(sh);
	return status;
}

/* The child: its own foreground process group, then the shell (exec.h). */
static void child_exec(struct shell *sh, const char *line, int memfd, char **av)
{
	if (sh->tty >= 0) {
		setpgid(0, 0);
		tcsetpgrp(sh->tty, getpid());
	}
	exec_scrub_env(&sh->pol);
	const char *shp = exec_shell_path(&sh->pol);
	if (memfd < 0) {
		int nargs = 0;
		while (av && av[nargs])
			nargs++;
		/* one plain command runs without starting bash, as with -c */
		if (nargs == 0)
			exec_direct(&sh->pol, line, 0); /* returns when it does not apply */
		exec_line(&sh->pol, line, nargs, av);
	} else {
		/* a script too long for one argv string: SHELL /dev/fd/N ARGS */
		child_signals();
		if (memfd > 3)
			close_range(3, (unsigned)memfd - 1, 0);
		closefrom(memfd + 1);
		char **v = xcalloc(3 + (size_t)(av ? 64 : 0), sizeof *v);
		size_t k = 0;
		v[k++] = (char *)base_name(shp);
		v[k++] = xasprintf("/dev/fd/%d", memfd);
		for (size_t i = 0; av && av[i] && i < 60; i++)
			v[k++] = av[i];
		v[k] = NULL;
		execv(shp, v);
	}
	fprintf(stderr, "guard: %s: %s\n", shp, strerror(errno));
	_exit(127);
}

int shell_run_text(struct shell *sh, const char *text, size_t len, const char *argv0,
                   char *const *args)
{
	const char *shp = exec_shell_path(&sh->pol);
	if (exec_is_self(shp)) {
		fprintf(stderr, "guard: [guard] shell is guard itself (%s); nothing was run\n",
		        shp);
		return 126;
	}
	int memfd = -1;
	if (len > ARG_TEXT_MAX) {
		memfd = memfd_create("guard-script", 0);
		size_t off = 0;
		while (memfd >= 0 && off < len) {
			ssize_t w = write(memfd, text + off, len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				close(memfd);
				memfd = -1;
			} else {
				off += (size_t)w;
			}
		}
		if (memfd < 0) {
			fprintf(stderr,
			        "guard: cannot pass the script to %s: %s; nothing was run\n", shp,
			        strerror(errno));
			return 126;
		}
		lseek(memfd, 0, SEEK_SET);
	}
	/* $0 and the positional parameters of a script file */
	struct strv av = {0};
	if (argv0) {
		sv_push(&av, xstrdup(argv0));
		for (size_t i = 0; args && args[i]; i++)
			sv_push(&av, xstrdup(args[i]));
	}
	char *line = xstrndup(text, len);

	struct sigaction ign, oldint, oldquit;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	int jobctl = sh->tty >= 0;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "guard: fork: %s; nothing was run\n", strerror(errno));
		free(line);
		sv_free(&av);
		if (memfd >= 0)
			close(memfd);
		return 126;
	}
	if (pid == 0)
		child_exec(sh, line, memfd, av.v);
	if (jobctl) {
		setpgid(pid, pid);
		tcsetpgrp(sh->tty, pid);
	} else {
		/* like system(3): the command gets Ctrl-C, guard waits for it */
		sigaction(SIGINT, &ign, &oldint);
		sigaction(SIGQUIT, &ign, &oldquit);
	}
	char *jtext = xstrndup(text, len > 200 ? 200 : len);
	for (char *p = jtext; *p; p++)
		if (*p == '\n')
			*p = ' ';
	int status = wait_fg(sh, pid, jtext, -1);
	free(jtext);
	if (!jobctl) {
		sigaction(SIGINT, &oldint, NULL);
		sigaction(SIGQUIT, &oldquit, NULL);
	}
	free(line);
	sv_free(&av);
	if (memfd >= 0)
		close(memfd);
	return status;
}

static int pick_job(struct shell *sh, int idx, const char *who)
{
	if (idx < 0) {
		for (int i = SHELL_MAX_JOBS - 1; i >= 0; i--)
			if (sh->jobs[i].pgid)
				return i;
		fprintf(stderr, "%s: no current job\n", who);
		return -1;
	}
	if (idx >= SHELL_MAX_JOBS || !sh->jobs[idx].pgid) {
		fprintf(stderr, "%s: %%%d: no such job\n", who, idx + 1);
		return -1;
	}
	return idx;
}

int shell_fg(struct shell *sh, int idx)
{
	int j = pick_job(sh, idx, "fg");
	if (j < 0)
		return 1;
	if (sh->tty < 0)
		return 1;
	struct job *jb = &sh->jobs[j];
	fprintf(stderr, "%s\n", jb->text);
	tcsetpgrp(sh->tty, jb->pgid);
	jb->stopped = 0;
	kill(-jb->pgid, SIGCONT);
	char *text = xstrdup(jb->text);
	int st = wait_fg(sh, jb->pgid, text, j);
	free(text);
	return st;
}

int shell_bg(struct shell *sh, int idx)
{
	int j = pick_job(sh, idx, "bg");
	if (j < 0)
		return 1;
	sh->jobs[j].stopped = 0;
	kill(-sh->jobs[j].pgid, SIGCONT);
	fprintf(stderr, "[%d]+ %s &\n", j + 1, sh->jobs[j].text);
	return 0;
}

/* Reaps jobs that ended in the background and reports them. */
void shell_jobs_reap(struct shell *sh)
{
	for (int i = 0; i < SHELL_MAX_JOBS; i++) {
		if (!sh->jobs[i].pgid)
			continue;
		int st;
		pid_t r = waitpid(sh->jobs[i].pgid, &st, WNOHANG | WUNTRACED | WCONTINUED);
		if (r <= 0)
			continue;
		if (WIFSTOPPED(st)) {
			sh->jobs[i].stopped = 1;
		} else if (WIFCONTINUED(st)) {
			sh->jobs[i].stopped = 0;
		} else {
			fprintf(stderr, "[%d]   Done(%d)                 %s\n", i + 1,
			        WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
			        sh->jobs[i].text);
			drop_job(sh, i);
		}
	}
}

void shell_jobs_list(struct shell *sh)
{
	shell_jobs_reap(sh);
	for (int i = 0; i < SHELL_MAX_JOBS; i++)
		if (sh->jobs[i].pgid)
			printf("[%d]  %-24s %s\n", i + 1,
			       sh->jobs[i].stopped ? "Stopped" : "Running", sh->jobs[i].text);
}

void shell_jobs_hangup(struct shell *sh)
{
	for (int i = 0; i < SHELL_MAX_JOBS; i++) {
		if (!sh->jobs[i].pgid)
			continue;
		if (sh->jobs[i].stopped) {
			kill(-sh->jobs[i].pgid, SIGHUP);
			kill(-sh->jobs[i].pgid, SIGCONT);
		}
		drop_job(sh, i);
	}
}
