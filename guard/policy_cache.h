/*
 * policy_cache.h - the compiled form of a policy file, so a check does not
 * parse a large policy again while the file is unchanged.
 *
 * A cache entry is bound to the file (device and inode), to its
 * text (length and a 64-bit hash) and to the guard binary that wrote it, and is trusted only when
 * it and its directory belong to root or to the policy file's owner and nobody else can write them.
 * Where entries live: policy_cache.c and guard(1), FILES.
 */
#ifndef GUARD_POLICY_CACHE_H
#define GUARD_POLICY_CACHE_H

#include <sys/stat.h>

#include "policy.h"

/* Adds the rules and settings of path (st: its fstat, text: what it holds)
   to p from a trusted, current cache entry: 0.  -1 when there is none (p is
   unchanged). */
int policy_cache_load(struct policy *p, const char *path, const struct stat *st, const char *text,
                      size_t tlen);

/* Remembers what loading path added to p (the rules from nrule0 and the
   settings from nset0 on; the file had no errors).  Failures are silent:
   it is only a cache. */
void policy_cache_save(const struct policy *p, const char *path, const struct stat *st,
                       const char *text, size_t tlen, size_t nrule0, size_t nset0);

/* The encoded entry and its reader, for tests and the fuzzer: encode
   returns a malloc'd buffer; decode adds to p and returns 0, or -1 (p is
   then as it was). */
char *policy_cache_encode(const struct policy *p, const char *path, const struct stat *st,
                          const char *text, size_t tlen, size_t nrule0, size_t nset0, size_t *len);
int policy_cache_decode(struct policy *p, const char *path, const struct stat *st, const char *text,
                        size_t tlen, const char *buf, size_t len);

#endif
