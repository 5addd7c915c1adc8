/* test_audit.c - the audit log: redaction, record fields, concurrent appends. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "tap.h"
#include "util.h"

static void redacts(const char *in, const char *want)
{
	char *got = audit_redact(in);
	is_str(got, want, "redact: %s", in);
	free(got);
}

#define NPROC 8
#define NREC 500

int main(void)
{
	redacts("ls -la", "ls -la");
	redacts("mysql --password=hunter2 db", "mysql --password=*** db");
	redacts("mysql --password hunter2 db", "mysql --password *** db");
	redacts("tool --api-key='a b c' x", "tool --api-key='***' x");
	redacts("GITHUB_TOKEN=ghp_abc gh pr list", "GITHUB_TOKEN=*** gh pr list");
	redacts("export DB_PASSWORD=\"s3 cret\"; run", "export DB_PASSWORD=\"***\"; run");
	redacts("git clone https://user:pa55@github.com/o/r.git",
	        "git clone https://user:***@github.com/o/r.git");
	redacts("git push https://ghp_tok@github.com/o/r", "git push https://***@github.com/o/r");
	redacts("curl -H 'Authorization: Bearer abc.def' https://x",
	        "curl -H 'Authorization: ***' https://x");
	redacts("curl -u admin:pw https://x", "curl -u admin:*** https://x");
	redacts("sudo -u deploy pm2 logs", "sudo -u deploy pm2 logs");
	redacts("cd $PWD && PATH=/bin ls", "cd $PWD && PATH=/bin ls");
	redacts("echo https://example.com/a@b", "echo https://example.com/a@b");

	struct audit_rec r = {.mode = "hook",
	                      .client = "claude",
	                      .cwd = "/srv/app",
	                      .command = "pm2 restart all TOKEN=x",
	                      .v = V_DENY,
	                      .rule = "no-pm2",
	                      .reason = "systemd runs it",
	                      .see = "docs/deploy.md:14"};
	char *line = audit_format(&r);
	json_error_t je;
	json_t *o = json_loads(line, 0, &je);
	ok(o != NULL, "a record is valid JSON");
	ok(strchr(line, '\n') == line + strlen(line) - 1, "no newline inside the record");
	static const char *const keys[] = {"time", "user",   "uid",    "host",    "pid",
	                                   "mode", "client", "cwd",    "command", "verdict",
	                                   "rule", "reason", "policy", NULL};
	for (int i = 0; keys[i]; i++)
		ok(json_object_get(o, keys[i]) != NULL, "record has %s", keys[i]);
	is_str(json_string_value(json_object_get(o, "command")), "pm2 restart all TOKEN=***",
	       "the command is redacted");
	is_str(json_string_value(json_object_get(o, "verdict")), "deny", "verdict");
	json_decref(o);
	free(line);

	r.command = "printf '\xff\xfe' bad utf-8";
	line = audit_format(&r);
	o = json_loads(line, 0, &je);
	ok(o != NULL, "invalid UTF-8 in a command still gives valid JSON");
	json_decref(o);
	free(line);

	/* NPROC processes x NREC records, some longer than PIPE_BUF */
	char tmpl[] = "/tmp/guard-audit-XXXXXX";
	ok(mkdtemp(tmpl) != NULL, "scratch dir");
	char *path = xasprintf("%s/sub/audit.log", tmpl);
	setenv("GUARD_AUDIT_LOG", path, 1);
	for (int p = 0; p < NPROC; p++) {
		pid_t pid = fork();
		if (pid == 0) {
			for (int i = 0; i < NREC; i++) {
				struct sbuf b;
				sb_init(&b);
				sb_addf(&b, "echo p%d-i%d ", p, i);
				for (int k = 0; k < (i % 7) * 1500; k++)
					sb_addc(&b, 'x');
				struct audit_rec q = {.mode = "-c", .command = b.s, .v = V_ALLOW};
				audit_decision(&q);
				sb_free(&b);
			}
			_exit(0);
		}
	}
	int bad = 0;
	for (int p = 0; p < NPROC; p++) {
		int st;
		wait(&st);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	is_int(bad, 0, "all writers exited 0");
	FILE *f = fopen(path, "r");
	ok(f != NULL, "log exists at $GUARD_AUDIT_LOG (directories created)");
	static unsigned char seen[NPROC][NREC];
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int lines = 0, invalid = 0, dup = 0;
	while (f && (n = getline(&buf, &cap, f)) > 0) {
		lines++;
		json_t *j = json_loadb(buf, (size_t)n, 0, &je);
		const char *c = j ? json_string_value(json_object_get(j, "command")) : NULL;
		int p, i;
		if (!c || sscanf(c, "echo p%d-i%d ", &p, &i) != 2 || p < 0 || p >= NPROC || i < 0 ||
		    i >= NREC)
			invalid++;
		else if (seen[p][i]++)
			dup++;
		json_decref(j);
	}
	if (f)
		fclose(f);
	free(buf);
	is_int(lines, NPROC * NREC, "%d lines for %d decisions", lines, NPROC * NREC);
	is_int(invalid, 0, "every line is one valid JSON record");
	is_int(dup, 0, "no record twice");
	int missing = 0;
	for (int p = 0; p < NPROC; p++)
		for (int i = 0; i < NREC; i++)
			missing += !seen[p][i];
	is_int(missing, 0, "every decision is present");
	char *cmd = xasprintf("rm -rf %s", tmpl);
	if (system(cmd) != 0)
		printf("# cleanup failed\n");
	free(cmd);
	free(path);
	return done_testing();
}
