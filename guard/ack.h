/*
 * ack.h - the pre-task acknowledgement gate.
 *
 * A rule with `ack = NAME` runs only after the operator has read the doc
 * section named by the policy's [ack NAME] (doc, section, blob, expires).
 * The section's text is read from the work tree next to the policy (no
 * libgit2 here) and must still hash to the recorded blob id: when the doc
 * has changed, every acknowledgement of it is void and the policy is stale.
 *
 * Acknowledging needs a short code printed only together with the section's
 * text (the first 6 hex digits of a SHA-1 over the name, the blob id and the
 * text), so whoever acknowledges has had the text in front of them.
 * Acknowledgements are stored per user in $XDG_STATE_HOME/guard/acks
 * (default ~/.local/state/guard/acks), one line "NAME BLOB EPOCH DOC",
 * bound to the blob id.
 *
 * Lower layer: returns codes, never prints (except ack_ok's interactive
 * path, which talks to /dev/tty by design).
 */
#ifndef GUARD_ACK_H
#define GUARD_ACK_H

#include <stddef.h>
#include <time.h>

#include "util.h"

struct policy;
struct rule;

/* An [ack NAME] section, resolved against the work tree. */
struct ack_info {
	char *name;
	char *doc;     /* as written in the policy */
	char *section; /* heading, or NULL for the whole doc */
	char *blob;    /* recorded blob id */
	long expires;  /* seconds; 0 = never */
	char *path;    /* the doc's file, when found */
	char *text;    /* the section's text, when the doc matched the blob */
	char token[7]; /* acknowledgement code, when text is set */
	char *error;   /* why the section cannot be shown (NULL when text is set) */
};

/* Context for ack_ok (decide_opts.ack_ctx). */
struct ack_ctx {
	int interactive; /* may show the section and ask on the terminal */
	time_t now;      /* 0 = time(NULL) */
};

/*
 * decide_opts.ack_ok: 1 when r->ack has been acknowledged for the current
 * doc version (and not expired), else 0.  With an interactive ctx on a
 * terminal it first shows the section (through less, with LESSSECURE=1) and
 * asks for the code; a correct answer is recorded and gives 1.
 */
int ack_ok(const struct policy *p, const struct rule *r, void *ctx);

/*
 * The "please read this first" text for a deny caused by rule r's ack: the
 * section itself and the `guard ack NAME CODE` line (or, when the doc cannot
 * be shown, why, and what to do).  Malloc'd; ends with a newline.
 */
char *ack_message(const struct policy *p, const struct rule *r);

/*
 * Looks up [ack name] in the settings of p and resolves it (out->error says
 * what went wrong).  Returns 0 when the section exists (even if the doc is
 * missing or changed: see out->text / out->error), -1 when p has no such
 * section.
 */
int ack_lookup(const struct policy *p, const char *name, struct ack_info *out);
/* Adds the names of all [ack NAME] sections of p to names. */
int ack_names(const struct policy *p, struct strv *names);
void ack_info_free(struct ack_info *a);

/* On the controlling terminal: shows a->text (through less when present) and
 * asks for the code; records and returns 1 when it is typed, else 0. */
int ack_interactive(struct ack_info *a, time_t now);

/* Whether a valid acknowledgement is stored (1), not (0). */
int ack_recorded(const struct ack_info *a, time_t now);
/* Stores an acknowledgement; 0 or -errno. */
int ack_record(const struct ack_info *a, time_t now);
/* The store's lines ("NAME BLOB EPOCH DOC"), oldest first; 0 or -errno. */
int ack_store_lines(struct strv *lines);
/* Path of the store file (malloc'd), or NULL when no home is known. */
char *ack_store_path(void);

/* The text of section `heading` of a doc (Markdown #-headings, or underlined
 * headings): from its heading line up to the next heading of the same or a
 * higher level.  NULL/"" = the whole text.  Returns NULL when not found. */
char *ack_section_text(const char *text, size_t len, const char *heading);
/* Parses a duration ("30d", "12h", "0"); -1 if invalid. */
long ack_parse_duration(const char *s);

#endif
