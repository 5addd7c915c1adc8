/*
 * ptylat.c - Enter-to-exec latency of an interactive shell (make bench).
 *
 *   ptylat N SHELL [ARGS...]   runs SHELL on a new pseudo-terminal, types the
 *                              line "<this program> --stamp" N times and prints
 *                              the median, minimum and 90th percentile of the
 *                              time from writing the newline to the moment the
 *                              stamp program starts (its main), in microseconds.
 *   ptylat --stamp             prints "STAMP <CLOCK_MONOTONIC ns>" and exits.
 *
 * The same measurement for bash and for guard's shell gives the latency guard
 * adds between Enter and the child's exec (checking the line, and starting
 * the configured shell).  Exits 2 when the shell never ran the line (for
 * example when it has no interactive mode yet).
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads what the terminal shows until it has been quiet for quiet_ms, or
 * until needle appears (then returns the text after it).  Returns the
 * collected bytes in buf; -1 on timeout or EOF. */
static int wait_output(int fd, const char *needle, int quiet_ms, int timeout_ms, char *buf,
                       size_t cap, long long *when)
{
	size_t len = 0;
	long long end = now_ns() + (long long)timeout_ms * 1000000LL;
	buf[0] = 0;
	for (;;) {
		long long left = (end - now_ns()) / 1000000LL;
		if (left <= 0)
			return -1;
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, needle ? (int)left : quiet_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return needle ? -1 : 0;
		char tmp[4096];
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n <= 0)
			return -1;
		if (when)
			*when = now_ns();
		if (len + (size_t)n >= cap) { /* keep the tail */
			size_t keep = cap / 2;
			memmove(buf, buf + len - keep, keep);
			len = keep;
		}
		memcpy(buf + len, tmp, (size_t)n);
		len += (size_t)n;
		buf[len] = 0;
		if (needle && strstr(buf, needle))
			return 0;
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--stamp") == 0) {
		printf("STAMP %lld\n", now_ns());
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: ptylat N SHELL [ARGS...] | ptylat --stamp\n");
		return 64;
	}
	int n = atoi(argv[1]);
	if (n < 1 || n > 100000)
		return 64;
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		return 1;
	self[sl] = 0;
	int master;
	struct winsize ws = {24, 100, 0, 0};
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		setenv("TERM", "dumb", 1);
		setenv("PS1", "$ ", 1);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	static char buf[65536];
	/* Let the shell start and print its prompt. */
	wait_output(master, NULL, 300, 5000, buf, sizeof buf, NULL);
	char line[4200];
	snprintf(line, sizeof line, "%s --stamp\n", self);
	long long *lat = calloc((size_t)n, sizeof *lat);
	int got = 0, rc = 0;
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();
		if (write(master, line, strlen(line)) < 0)
			break;
		if (wait_output(master, "\n", 0, 5000, buf, sizeof buf, NULL) < 0 ||
		    (!strstr(buf, "STAMP ") &&
		     wait_output(master, "STAMP ", 0, 5000, buf, sizeof buf, NULL) < 0)) {
			rc = 2;
			break;
		}
		/* The digits may arrive in the next read. */
		char *s = strstr(buf, "STAMP ");
		while (!strchr(s, '\n')) {
			size_t off = (size_t)(s - buf);
			char more[4096];
			struct pollfd p = {master, POLLIN, 0};
			if (poll(&p, 1, 2000) <= 0)
				break;
			ssize_t m = read(master, more, sizeof more - 1);
			if (m <= 0)
				break;
			more[m] = 0;
			if (strlen(buf) + (size_t)m + 1 < sizeof buf)
				strcat(buf, more);
			s = buf + off;
		}
		long long t1 = atoll(s + 6);
		if (t1 <= t0) {
			rc = 2;
			break;
		}
		lat[got++] = t1 - t0;
		/* Wait for the next prompt: the terminal goes quiet. */
		wait_output(master, NULL, 40, 5000, buf, sizeof buf, NULL);
	}
	if (write(master, "exit\n", 5) < 0) {
	}
	for (int i = 0; i < 50; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		wait_output(master, NULL, 20, 100, buf, sizeof buf, NULL);
		if (i == 49) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
	}
	if (got == 0) {
		fprintf(stderr, "ptylat: %s never ran the typed line\n", argv[2]);
		return 2;
	}
	qsort(lat, (size_t)got, sizeof *lat, cmp_ll);
	printf("%d %lld %lld %lld\n", got, lat[got / 2] / 1000, lat[0] / 1000,
	       lat[(got * 9) / 10 < got ? (got * 9) / 10 : got - 1] / 1000);
	free(lat);
	return rc == 2 && got < n ? 2 : 0;
}
