/*
 * fuzz_analyze_props.c - structural properties of analyze() on any input.
 *
 * Beyond "does not crash", every result must be well formed and stable:
 *   - analyze returns 0 or -1; on 0 the result is freed cleanly;
 *   - an error carries a position inside the input (line >= 1, col >= 1,
 *     line <= number of lines + 1);
 *   - every effective command has argc >= 1 (a CMD_ASSIGN: argc 0 and one
 *     NAME=value assignment), a NULL-terminated argv whose
 *     first word is a basename (no '/', unless it is dynamic or ends in
 *     '/', which bash cannot execute), word flags,
 *     and a 1-based position; assignments are NULL-terminated;
 *   - analysing the same bytes twice gives the same commands (no hidden
 *     state between calls: the shell and the hooks call analyze repeatedly).
 * A violation aborts, which libFuzzer reports as a crash with the input.
 *
 * requires: analyze analysis_free
 * dict: shell.dict
 * max_len: 2048
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_well_formed(const struct analysis *a, const char *text, size_t size)
{
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	if (a->error) {
		CHECK(a->err_line >= 1 && a->err_line <= lines + 1);
		CHECK(a->err_col >= 1);
	}
	CHECK(a->ncmd == 0 || a->cmd != NULL);
	for (size_t i = 0; i < a->ncmd; i++) {
		const struct ecmd *c = &a->cmd[i];
		if (c->flags & CMD_ASSIGN) {
			/* an assignment and no command: argc 0, one NAME=value */
			CHECK(c->argc == 0 && c->argv != NULL && c->argv[0] == NULL);
			CHECK(c->nassign == 1 && c->assign[0] && strchr(c->assign[0], '='));
			CHECK(c->assign[1] == NULL);
			CHECK(c->line >= 1 && c->col >= 1);
			continue;
		}
		CHECK(c->argc >= 1);
		CHECK(c->argv != NULL && c->argv[c->argc] == NULL);
		for (int k = 0; k < c->argc; k++)
			CHECK(c->argv[k] != NULL);
		CHECK(c->wflags != NULL);
		/* A basename; "dir/" (which bash cannot execute) may keep its slashes. */
		size_t n0 = strlen(c->argv[0]);
		if (!(c->flags & CMD_DYNAMIC_NAME) && !(c->wflags[0] & WORD_DYNAMIC) && n0 > 0 &&
		    c->argv[0][n0 - 1] != '/')
			CHECK(strchr(c->argv[0], '/') == NULL);
		CHECK(c->line >= 1 && c->col >= 1);
		CHECK(c->nassign >= 0);
		if (c->nassign > 0)
			CHECK(c->assign != NULL && c->assign[c->nassign] == NULL);
	}
}

static void check_same(const struct analysis *a, const struct analysis *b)
{
	CHECK((a->error == NULL) == (b->error == NULL));
	CHECK(a->ncmd == b->ncmd);
	for (size_t i = 0; i < a->ncmd; i++) {
		CHECK(a->cmd[i].argc == b->cmd[i].argc);
		CHECK(a->cmd[i].flags == b->cmd[i].flags);
		for (int k = 0; k < a->cmd[i].argc; k++)
			CHECK(strcmp(a->cmd[i].argv[k], b->cmd[i].argv[k]) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct analyze_opts o = {0};
	o.cwd = "/nonexistent";
	struct analysis a, b;
	int r1 = analyze(text, size, &o, &a);
	CHECK(r1 == 0 || r1 == -1);
	if (r1 == 0) {
		check_well_formed(&a, text, size);
		int r2 = analyze(text, size, &o, &b);
		CHECK(r2 == 0);
		check_same(&a, &b);
		analysis_free(&b);
		analysis_free(&a);
	}
	free(text);
	return 0;
}
