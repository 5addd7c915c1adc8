/*
 * failsafe.c - the fatal-signal and time-limit handlers (see failsafe.h).
 *
 * Everything a handler touches is prepared before it can run: the answer
 * texts (the caller's), the alternate stack (static), the signal names
 * (constant).  A handler only reads them, formats the reason into a local
 * buffer, calls write(2) and _exit(2).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "failsafe.h"

/* Handled: what a bug or a resource limit raises.  Not SIGINT, SIGTERM or
   SIGHUP: those are requests to stop, and nothing has run. */
static const int fatal[] = {SIGSEGV, SIGBUS,  SIGILL,  SIGFPE, SIGABRT,
                            SIGSYS,  SIGXCPU, SIGXFSZ, SIGALRM};
#define NFATAL (sizeof fatal / sizeof fatal[0])

static const struct {
	int sig;
	const char *name;
} names[] = {
    {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},   {SIGILL, "SIGILL"},   {SIGFPE, "SIGFPE"},
    {SIGABRT, "SIGABRT"}, {SIGSYS, "SIGSYS"},   {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
    {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGTRAP, "SIGTRAP"}, {SIGPIPE, "SIGPIPE"},
    {SIGHUP, "SIGHUP"},   {SIGQUIT, "SIGQUIT"},
};

static const struct failsafe_form *volatile fs_form;
static volatile sig_atomic_t fs_armed;
static volatile unsigned fs_seconds;
static struct sigaction fs_old[NFATAL];
/* The alternate stack: a stack overflow leaves no room on the main one.
   Static, so arming costs no allocation (and it is only touched when used). */
static char fs_stack[64 * 1024] __attribute__((aligned(16)));
static int fs_have_stack;

static size_t put_str(char *b, size_t at, size_t cap, const char *s)
{
	while (*s && at + 1 < cap)
		b[at++] = *s++;
	b[at] = 0;
	return at;
}

static size_t put_uint(char *b, size_t at, size_t cap, unsigned v)
{
	char d[12];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < (int)sizeof d);
	while (n && at + 1 < cap)
		b[at++] = d[--n];
	b[at] = 0;
	return at;
}

unsigned failsafe_why(int sig, char *buf)
{
	const size_t cap = 96;
	size_t n = 0;
	if (sig == SIGALRM) {
		n = put_str(buf, n, cap, "checking took longer than ");
		n = put_uint(buf, n, cap, fs_seconds ? fs_seconds : failsafe_time_limit());
		n = put_str(buf, n, cap, " s");
		return (unsigned)n;
	}
	n = put_str(buf, n, cap, "internal error (signal ");
	n = put_uint(buf, n, cap, (unsigned)sig);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig) {
			n = put_str(buf, n, cap, ": ");
			n = put_str(buf, n, cap, names[i].name);
		}
	n = put_str(buf, n, cap, ") while checking");
	return (unsigned)n;
}

static void put(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Writes t with each "@WHY@" replaced by why. */
static void put_text(int fd, const char *t, const char *why, size_t whylen)
{
	static const char mark[] = "@WHY@";
	const size_t ml = sizeof mark - 1;
	const char *from = t;
	for (const char *s = t; *s; s++) {
		size_t k = 0;
		while (k < ml && s[k] == mark[k])
			k++;
		if (k == ml) {
			put(fd, from, (size_t)(s - from));
			put(fd, why, whylen);
			s += ml - 1;
			from = s + 1;
		}
	}
	put(fd, from, strlen(from));
}

static void on_fatal(int sig)
{
	const struct failsafe_form *f = fs_form;
	if (!fs_armed || !f) {
		/* not checking: die as without the handler */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	char why[96];
	unsigned n = failsafe_why(sig, why);
	if (f->out)
		put_text(1, f->out, why, n);
	if (f->err)
		put_text(2, f->err, why, n);
	_exit(f->status);
}

void failsafe_arm(const struct failsafe_form *f, unsigned seconds)
{
	fs_form = f;
	if (!fs_have_stack) {
		stack_t ss;
		memset(&ss, 0, sizeof ss);
		ss.ss_sp = fs_stack;
		ss.ss_size = sizeof fs_stack;
		fs_have_stack = sigaltstack(&ss, NULL) == 0;
	}
	if (!fs_armed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal;
		sigfillset(&sa.sa_mask); /* one answer: nothing interrupts the handler */
		sa.sa_flags = SA_ONSTACK;
		sigset_t unblock;
		sigemptyset(&unblock);
		for (size_t i = 0; i < NFATAL; i++) {
			sigaction(fatal[i], &sa, &fs_old[i]);
			sigaddset(&unblock, fatal[i]);
		}
		/* an inherited mask must not hold back the time limit */
		sigprocmask(SIG_UNBLOCK, &unblock, NULL);
		fs_armed = 1;
	}
	if (seconds) {
		fs_seconds = seconds;
		alarm(seconds);
	}
}

void failsafe_set(const struct failsafe_form *f)
{
	fs_form = f;
}

void failsafe_stop_timer(void)
{
	alarm(0);
}

void failsafe_disarm(void)
{
	alarm(0);
	if (!fs_armed)
		return;
	fs_armed = 0;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal[i], &fs_old[i], NULL);
	fs_form = NULL;
}

void failsafe_default_signals(void)
{
	failsafe_disarm();
	for (size_t i = 0; i < NFATAL; i++)
		signal(fatal[i], SIG_DFL);
}

#ifdef GUARD_TEST_SEAMS
#include <stdlib.h>

unsigned failsafe_time_limit(void)
{
	const char *s = getenv("GUARD_TEST_TIME_LIMIT");
	unsigned long v = s && *s ? strtoul(s, NULL, 10) : 0;
	return v ? (unsigned)v : FAILSAFE_TIME_LIMIT;
}

static volatile int sink, forever = 1;

/* Recurses until the stack runs out (forever is never cleared). */
__attribute__((noinline)) static int deep(int n)
{
	volatile char pad[512];
	pad[n & 511] = (char)n;
	sink += pad[0];
	if (!forever)
		return n;
	return deep(n + 1) + pad[(n + 1) & 511]; /* not a tail call */
}

void failsafe_fault_point(const char *where, const char *text)
{
	const char *f = getenv("GUARD_TEST_FAULT");
	if (!f || !*f)
		return;
	const char *at = strchr(f, '@');
	size_t kn = at ? (size_t)(at - f) : strlen(f);
	if (strcmp(at ? at + 1 : "check", where) != 0)
		return;
	const char *m = getenv("GUARD_TEST_FAULT_MATCH");
	if (m && *m && (!text || !strstr(text, m)))
		return;
	if (kn == 4 && strncmp(f, "segv", 4) == 0) {
		volatile int *volatile p = NULL;
		*p = 1;
	} else if (kn == 5 && strncmp(f, "stack", 5) == 0) {
		sink = deep(0);
	} else if (kn == 5 && strncmp(f, "abort", 5) == 0) {
		abort();
	} else if (kn == 3 && strncmp(f, "bus", 3) == 0) {
		raise(SIGBUS);
	} else if (kn == 3 && strncmp(f, "ill", 3) == 0) {
		raise(SIGILL);
	} else if (kn == 3 && strncmp(f, "fpe", 3) == 0) {
		raise(SIGFPE); /* not 1/0: UBSan would report it first */
	} else if (kn == 4 && strncmp(f, "hang", 4) == 0) {
		for (;;)
			pause();
	}
}
#else
unsigned failsafe_time_limit(void)
{
	return FAILSAFE_TIME_LIMIT;
}

void failsafe_fault_point(const char *where, const char *text)
{
	(void)where;
	(void)text;
}
#endif
