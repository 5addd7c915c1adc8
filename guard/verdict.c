/* verdict.c - names of verdicts. */
#include <string.h>

#include "verdict.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_ALLOW:
		return "allow";
	case V_WARN:
		return "warn";
	case V_DENY:
		return "deny";
	}
	return "deny";
}

int verdict_parse(const char *s, enum verdict *v)
{
	if (strcmp(s, "allow") == 0)
		*v = V_ALLOW;
	else if (strcmp(s, "warn") == 0)
		*v = V_WARN;
	else if (strcmp(s, "deny") == 0)
		*v = V_DENY;
	else
		return -1;
	return 0;
}
