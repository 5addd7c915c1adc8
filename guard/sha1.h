/* sha1.h - SHA-1 (FIPS 180-4), for git blob ids and acknowledgement codes.
 * Not for security: git's object ids are SHA-1, so guard computes them to
 * check that a doc in the work tree is the blob a policy was derived from. */
#ifndef GUARD_SHA1_H
#define GUARD_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t n;
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t len);
void sha1_final(struct sha1 *s, unsigned char out[20]);
/* Lower-case hex of a digest into out (41 bytes). */
void sha1_hex(const unsigned char d[20], char out[41]);
/* The git blob id of content: SHA-1 of "blob <len>\0" + content. */
void sha1_blob_id(const void *content, size_t len, char out[41]);

#endif
