/*
 * git_heur.h - rules from ordinary prose: which process manager owns the app,
 * prohibitions, cautions and the documented commands (guard derive).
 *
 * Input is a parsed document (git_text.h) plus facts from the rest of the
 * tree (how the app is started); output is a list of rules in the policy's
 * own terms.  Deterministic: the same input gives the same rules in the same
 * order.  No libgit2 here.
 */
#ifndef GUARD_GIT_HEUR_H
#define GUARD_GIT_HEUR_H

#include <stddef.h>

#include "git_text.h"
#include "util.h"
#include "verdict.h"

/* One generated rule. */
struct drule {
	char *name;  /* unique within the output (made unique by the caller) */
	char *match; /* glob words */
	enum verdict action;
	char *reason;  /* the doc's sentence */
	char *instead; /* or NULL */
	char *see;     /* path:line */
	char *ack;     /* name of the [ack NAME] section, or NULL */
	char *why;     /* one-line comment: which heuristic made it */
	struct strv ex_allow, ex_warn, ex_deny;
};

struct drules {
	struct drule *v;
	size_t n;
};

/* An acknowledgement a doc asks for: the section that says who owns the app. */
struct dack {
	char *name;    /* slug of the doc's file name */
	char *doc;     /* path */
	char *section; /* heading text, or "" for the whole doc */
};

/* Facts found outside the docs: how the app is started by hand. */
struct dfacts {
	struct strv start;     /* commands that start the app ("node server.js") */
	struct strv start_see; /* path:line of each */
	int node;              /* a Node.js app (package.json, node ExecStart) */
};

/* Reads a non-doc file for facts (ExecStart=, package.json scripts.start,
 * supervisord command=).  path is for see= and for the file type. */
void heur_facts(struct dfacts *f, const char *path, const char *text, size_t len);
void facts_free(struct dfacts *f);

/*
 * Adds the rules of one document (without ```guard blocks: the caller copies
 * those).  *ack is filled when the doc names an owning manager (the caller
 * frees it with dack_free); otherwise ack->name stays NULL.
 */
void heur_doc(const struct ddoc *d, const struct dfacts *f, struct drules *out, struct dack *ack);

void drule_free(struct drule *r);
void drules_free(struct drules *rs);
void dack_free(struct dack *a);

/* Lower-case slug of s ("Production Deployment Guide.md" -> "production-deployment-guide"),
 * at most max bytes. */
char *slugify(const char *s, size_t max);

#endif
