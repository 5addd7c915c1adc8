/* analyze.c - PLACEHOLDER: splits on blanks and ; | & until the real parser lands. */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "util.h"

static void add_cmd(struct analysis *a, struct strv *w)
{
	if (w->n == 0)
		return;
	a->cmd = xreallocarray(a->cmd, a->ncmd + 1, sizeof *a->cmd);
	struct ecmd *c = &a->cmd[a->ncmd++];
	memset(c, 0, sizeof *c);
	c->argv = w->v;
	c->argc = (int)w->n;
	c->wflags = xcalloc(w->n, sizeof *c->wflags);
	c->text = xstrdup(w->v[0]);
	c->line = c->col = 1;
	char *b = xstrdup(base_name(c->argv[0]));
	free(c->argv[0]);
	c->argv[0] = b;
	w->v = NULL;
	w->n = w->cap = 0;
}

int analyze(const char *text, size_t len, const struct analyze_opts *opt, struct analysis *out)
{
	(void)opt;
	memset(out, 0, sizeof *out);
	out->decoded = xstrndup(text, len);
	struct strv w = {0};
	size_t i = 0;
	while (i < len) {
		char ch = text[i];
		if (ch == ' ' || ch == '\t') {
			i++;
		} else if (ch == ';' || ch == '|' || ch == '&' || ch == '\n') {
			add_cmd(out, &w);
			i++;
		} else {
			size_t j = i;
			while (j < len && !strchr(" \t;|&\n", text[j]))
				j++;
			sv_push(&w, xstrndup(text + i, j - i));
			i = j;
		}
	}
	add_cmd(out, &w);
	return 0;
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->ncmd; i++) {
		struct ecmd *c = &a->cmd[i];
		for (int k = 0; k < c->argc; k++)
			free(c->argv[k]);
		free(c->argv);
		free(c->wflags);
		free(c->origin);
		free(c->via);
		free(c->text);
		for (int k = 0; k < c->nassign; k++)
			free(c->assign[k]);
		free(c->assign);
	}
	free(a->cmd);
	for (size_t i = 0; i < a->ntrace; i++)
		free(a->trace[i]);
	free(a->trace);
	free(a->decoded);
	free(a->error);
	memset(a, 0, sizeof *a);
}
