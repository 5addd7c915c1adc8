/*
 * hook_install.h - where each client keeps its hook settings and what guard
 * adds there (used by guard install/uninstall and guard doctor).
 */
#ifndef GUARD_HOOK_INSTALL_H
#define GUARD_HOOK_INSTALL_H

#include <jansson.h>

struct hook_site {
	const char *client;       /* "claude", ... (hook.h's names) */
	const char *project_file; /* relative to the project's top directory */
	const char *user_file;    /* relative to $HOME, or NULL: no user-level file */
	const char *home_env;     /* a variable replacing $HOME/.dir for the user file, or NULL */
	const char *event;        /* key under "hooks" */
	const char *matcher;      /* matcher of the group guard adds, or NULL: flat list */
	const char *cmd_key;      /* handler key holding the command */
	const char *skeleton;     /* the file guard creates when there is none, without hooks */
	/* The handler object for command cmd. */
	json_t *(*handler)(const char *cmd);
	/* A payload in this client's shape asking to run cmd in cwd (doctor). */
	json_t *(*probe)(const char *cwd, const char *cmd);
};

extern const struct hook_site hook_sites[]; /* NULL client terminates */
const struct hook_site *hook_site_find(const char *client);

/* The settings file: project scope under dir, else the user's.  Owned; NULL
   when the client has no file for that scope. */
char *hook_site_path(const struct hook_site *s, int user, const char *dir);
/* 1 if the handler object h is one guard added for s. */
int hook_site_is_ours(const struct hook_site *s, const json_t *h);
/* Calls fn on each handler guard added (for doctor).  Returns how many. */
int hook_site_each_ours(const struct hook_site *s, const json_t *root,
                        void (*fn)(const char *cmd, void *ctx), void *ctx);

#endif
