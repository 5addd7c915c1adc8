/* test_util.c - strings and verdicts. */
#include "tap.h"
#include "util.h"
#include "verdict.h"

#include <stdlib.h>

int main(void)
{
	struct sbuf b;
	sb_init(&b);
	sb_adds(&b, "pm");
	sb_addf(&b, "%d", 2);
	char *s = sb_take(&b);
	is_str(s, "pm2", "sbuf builds a string");
	free(s);
	is_str(base_name("/usr/local/bin/pm2"), "pm2", "base_name of an absolute path");
	is_str(base_name("./node_modules/.bin/pm2"), "pm2", "base_name of a relative path");
	is_str(base_name("pm2"), "pm2", "base_name of a bare name");
	enum verdict v;
	is_int(verdict_parse("warn", &v), 0, "verdict_parse accepts warn");
	is_int(v, V_WARN, "warn parses to V_WARN");
	is_int(verdict_parse("Deny", &v), -1, "verdict_parse is case-sensitive");
	is_int(verdict_max(V_WARN, V_DENY), V_DENY, "deny is stricter than warn");
	return done_testing();
}
