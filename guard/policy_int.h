/*
 * policy_int.h - policy.c's building blocks, shared with policy_cache.c
 * (which fills a policy from its compiled form).  Not for other modules.
 */
#ifndef GUARD_POLICY_INT_H
#define GUARD_POLICY_INT_H

#include "policy.h"

/* Memory that lives as long as the policy. */
void *policy_amem(struct policy *p, size_t n);
char *policy_astrndup(struct policy *p, const char *s, size_t n);

/* A [rule NAME] with action deny and nothing else yet; file points into
   p->files. */
struct rule *policy_new_rule(struct policy *p, const char *name, const char *file, int line);
/* An example.* line of r (text in the policy's memory). */
void policy_add_example(struct policy *p, struct rule *r, char *text, enum verdict want, int line);
/* A key of a section other than [rule], merged as loading does (several
   files: the stricter [guard] default and unknown win). */
void policy_add_setting(struct policy *p, const char *section, const char *key, const char *value,
                        const char *file, int line);
/* Rebuilds the index of rules by first word (after rules were added). */
void policy_reindex(struct policy *p);

#endif
