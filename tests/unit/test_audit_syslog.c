/* test_audit_syslog.c - [log] syslog = yes sends one LOG_AUTHPRIV message per decision.
 *
 * Runs in a private mount namespace with a tmpfs on /dev, so the datagram
 * socket this test binds at /dev/log is the one syslog(3) writes to.  Needs
 * root (unshare); skipped otherwise. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "policy.h"
#include "tap.h"

int main(void)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/dev", "tmpfs", 0, "size=64k") < 0) {
		printf("1..0 # SKIP needs root and mount namespaces (%s)\n", strerror(errno));
		return 0;
	}
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, "/dev/log");
	ok(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0, "a fake /dev/log");
	struct timeval tv = {.tv_sec = 5};
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

	static const char pol[] = "[log]\nsyslog = yes\nfile = no\nallow = no\n";
	struct policy p;
	policy_init(&p);
	is_int(policy_load_string(&p, "test.ini", pol, sizeof pol - 1), 0, "policy loads");
	setenv("GUARD_AUDIT_LOG", "/nonexistent/never-written", 1);

	struct audit_rec r = {.mode = "hook",
	                      .client = "claude",
	                      .cwd = "/srv",
	                      .command = "pm2 restart all --password=x",
	                      .v = V_DENY,
	                      .rule = "no-pm2",
	                      .policy = &p};
	audit_decision(&r);
	char buf[4096];
	ssize_t n = recv(s, buf, sizeof buf - 1, 0);
	ok(n > 0, "one message arrived");
	buf[n > 0 ? n : 0] = 0;
	char want[16];
	snprintf(want, sizeof want, "<%d>", LOG_AUTHPRIV | LOG_WARNING);
	ok(strncmp(buf, want, strlen(want)) == 0, "facility authpriv, priority warning: %.6s", buf);
	ok(strstr(buf, "guard[") != NULL, "tagged guard[pid]");
	ok(strstr(buf, "\"verdict\":\"deny\"") && strstr(buf, "\"rule\":\"no-pm2\""),
	   "the structured record");
	ok(strstr(buf, "--password=***") && !strstr(buf, "=x "), "redacted");

	r.v = V_ALLOW;
	r.rule = NULL;
	audit_decision(&r);
	tv.tv_sec = 0;
	tv.tv_usec = 300000;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	ok(recv(s, buf, sizeof buf, 0) < 0, "[log] allow = no: no message for an allow");
	policy_free(&p);
	close(s);
	return done_testing();
}
