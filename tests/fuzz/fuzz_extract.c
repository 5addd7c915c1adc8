/*
 * fuzz_extract.c - the pre-push hook's command extraction over arbitrary
 * bytes: package.json, Makefiles, systemd units, Dockerfiles and CI YAML are
 * read by hand-written parsers from whatever a push brings.
 *
 * Properties: no crash, leak or UB; every snippet is NUL-terminated with the
 * right length and a line inside the file; an error names a line.
 * git_extract.c is not in libguard.a (guard-git only), so it is included here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "git_extract.c"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const enum xkind kinds[] = {XK_SHELL,   XK_PACKAGE_JSON, XK_MAKEFILE,
	                                   XK_SYSTEMD, XK_DOCKERFILE,   XK_CI};
	enum xkind k = kinds[data[0] % 6];
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	int lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	struct xsnips sn = {0};
	char *err = NULL;
	int rc = extract_commands(k, buf, len, &sn, &err);
	CHECK(rc == 0 || (rc == -1 && err && strncmp(err, "line ", 5) == 0));
	for (size_t i = 0; i < sn.n; i++) {
		CHECK(sn.v[i].text && strlen(sn.v[i].text) == sn.v[i].len);
		CHECK(sn.v[i].line >= 1 && sn.v[i].line <= lines + 1);
		CHECK(sn.v[i].what);
		CHECK(xsnip_file_line(&sn.v[i], 1) == sn.v[i].line);
	}
	(void)extract_kind_by_shebang(buf, len);
	char *path = strndup(buf, len < 64 ? len : 64);
	(void)extract_kind_by_path(path);
	free(path);
	xsnips_free(&sn);
	free(err);
	return 0;
}
