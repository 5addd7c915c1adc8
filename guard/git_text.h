/*
 * git_text.h - a document as guard derive reads it: headings, prose
 * sentences with their source lines, code-block command lines and fenced
 * blocks.  Markdown is read as CommonMark-ish Markdown; reStructuredText and
 * plain text as text with indented (or `::`-introduced) code blocks.
 * No libgit2 here; it is linked only into guard-git because only derive uses it.
 */
#ifndef GUARD_GIT_TEXT_H
#define GUARD_GIT_TEXT_H

#include <stddef.h>

enum doc_kind { DOC_MARKDOWN, DOC_RST, DOC_TEXT };

struct dsent {
	char *text;  /* one sentence, whitespace collapsed, emphasis markers removed */
	int line;    /* 1-based line where it starts */
	int heading; /* index into doc.heading of its section, or -1 */
	int block_before, block_after; /* a code block right before/after its paragraph, or -1 */
};

struct dblock {
	int line;      /* line of the opening fence (or first code line) */
	int end_line;  /* line of the closing fence (or last code line) */
	char *info;    /* info string's first word ("" when none) */
	char *body;    /* the lines between the fences, verbatim, '\n'-terminated */
	int body_line; /* line of the first body line */
	int shell;     /* holds shell commands (bash, sh, console, none ...) */
	int heading;
};

struct dcmd {
	char *text; /* the command as written, prompt removed, continuation joined */
	int line;
	int block; /* index of its block, or -1 for an inline `code` span */
};

struct dheading {
	char *text;
	int line, level;
};

struct ddoc {
	char *path;
	enum doc_kind kind;
	struct dsent *s;
	size_t ns;
	struct dblock *b;
	size_t nb;
	struct dcmd *c; /* commands of shell code blocks */
	size_t nc;
	struct dheading *h;
	size_t nh;
};

enum doc_kind doc_kind_of(const char *path);
/* Parses text (len bytes, NUL-terminated) into d.  Never fails. */
void doc_parse(struct ddoc *d, const char *path, const char *text, size_t len);
void doc_free(struct ddoc *d);

#endif
