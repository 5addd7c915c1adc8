/*
 * git_main.c - guard-git, the program behind `guard derive` (and later the
 * pre-push hook): the only program that links libgit2.  guard execs it for
 * these subcommands so the everyday check never pays libgit2's start-up.
 *
 *   guard-git derive [--repo DIR] [--ref REF] [-o FILE|-] [--include GLOB]...
 *                    [--exclude GLOB]... [--validate-owner]
 *   guard-git derive --check [--repo DIR] [--ref REF] [--policy FILE]
 *   guard-git prepush ... | install-hook ...   (git_prepush.c, issue 7)
 *
 * Exit: 0 written / current, 1 stale (--check), 2 error, 64 usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "git_derive.h"
#include "git_prepush.h"
#include "git_repo.h"
#include "util.h"

enum { XS_OK = 0, XS_STALE = 1, XS_ERR = 2, XS_USAGE = 64 };

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	fputs("guard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* the usage text: on stdout when asked for (--help), on stderr for a mistake */
static int usage_to(FILE *f)
{
	fputs("usage: guard derive [--repo DIR] [--ref REF] [-o | --output FILE|-] [--include "
	      "GLOB]...\n"
	      "                    [--exclude GLOB]... [--validate-owner] [--force]\n"
	      "       guard derive --check [--repo DIR] [--ref REF] [--policy FILE]\n",
	      f);
	return XS_USAGE;
}

static int usage(void)
{
	return usage_to(stderr);
}

static int mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* Writes text to path atomically (a temporary file renamed over it). */
static int write_atomic(const char *path, const char *text)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or a pipe (-o /dev/stdout): write it in place */
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		int bad = fputs(text, f) < 0;
		return fclose(f) != 0 || bad ? -1 : 0;
	}
	if (mkdirs(path) < 0)
		return -1;
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int r = -1;
	if (!f)
		goto out;
	/* 0644 whatever the umask: guard refuses group- or world-writable policies */
	if (fchmod(fileno(f), 0644) < 0 || fputs(text, f) < 0) {
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(tmp);
	return r;
}

static int count_rules(const char *t)
{
	int n = 0;
	for (const char *p = t; (p = strstr(p, "\n[rule ")); p++)
		n++;
	return n;
}

static int derive_main(int argc, char **argv)
{
	const char *repo = NULL, *ref = "HEAD", *out = NULL, *policy = NULL;
	int check = 0, force = 0, ret = XS_ERR;
	unsigned flags = 0;
	struct derive_opts o = {0};
	git_repository *r = NULL;
	char *err = NULL, *text = NULL, *pol = NULL, *outpath = NULL;
	size_t pol_len = 0;
	struct strv docs = {0}, why = {0};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPTARG(name, var)                                                                          \
	if (strcmp(a, name) == 0) {                                                                \
		if (!v)                                                                            \
			return usage();                                                            \
		var = v;                                                                           \
		i++;                                                                               \
		continue;                                                                          \
	}
		OPTARG("--repo", repo);
		OPTARG("--ref", ref);
		OPTARG("-o", out);
		OPTARG("--output", out);
		OPTARG("--policy", policy);
		if ((strcmp(a, "--include") == 0 || strcmp(a, "--exclude") == 0) && v) {
			sv_push(a[2] == 'i' ? &o.include : &o.exclude, xstrdup(v));
			i++;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage_to(stdout);
			ret = XS_OK;
			goto out;
		}
		if (strcmp(a, "--check") == 0) {
			check = 1;
			continue;
		}
		if (strcmp(a, "--force") == 0) {
			force = 1;
			continue;
		}
		if (strcmp(a, "--validate-owner") == 0) {
			flags |= GREPO_VALIDATE_OWNER;
			continue;
		}
		say("derive: unknown option '%s'", a);
		usage();
		ret = XS_USAGE;
		goto out;
	}
	if ((check && out) || (!check && policy && out)) {
		ret = usage();
		goto out;
	}
	if (!check && policy)
		out = policy; /* guard --policy P derive: write P */

	if (grepo_open(&r, repo, flags, &err) < 0) {
		say("%s", err);
		goto out;
	}
	git_oid commit;
	if (grepo_resolve_commit(r, ref, &commit, &err) < 0) {
		say("%s", err);
		goto out;
	}
	const char *wd = grepo_workdir(r);

	if (check) {
		const char *name;
		int rr;
		if (policy) {
			rr = read_file(policy, 4u << 20, &pol, &pol_len);
			if (rr < 0) {
				say("%s: %s", policy, strerror(-rr));
				goto out;
			}
			name = policy;
		} else {
			if (grepo_read_path(r, &commit, DERIVE_POLICY_PATH, 4u << 20, &pol,
			                    &pol_len, NULL, &err) < 0) {
				say("%s (commit the policy written by guard derive, or name one "
				    "with "
				    "--policy)",
				    err);
				goto out;
			}
			name = DERIVE_POLICY_PATH;
		}
		rr = derive_check(r, &commit, pol, pol_len, &why, &err);
		if (rr < 0) {
			say("%s: %s", name, err);
			goto out;
		}
		if (rr == 0) {
			ret = XS_OK;
			goto out;
		}
		say("%s is stale against the docs at %s:", name, ref);
		for (size_t i = 0; i < why.n; i++)
			fprintf(stderr, "  %s\n", why.v[i]);
		fprintf(stderr, "run `guard derive` and commit %s\n",
		        policy ? policy : DERIVE_POLICY_PATH);
		ret = XS_STALE;
		goto out;
	}

	if (!out) {
		if (!wd) {
			say("%s: a bare repository has no work tree: name the output with -o",
			    repo ? repo : ".");
			goto out;
		}
		outpath = xasprintf("%s%s", wd, DERIVE_POLICY_PATH);
	} else {
		outpath = xstrdup(out);
	}
	if (strcmp(outpath, "-") != 0) {
		int rr = read_file(outpath, 4u << 20, &pol, &pol_len);
		if (rr < 0 && rr != -ENOENT && rr != -EINVAL) {
			say("%s: %s", outpath, strerror(-rr));
			goto out;
		}
		if (rr == 0) {
			o.policy = pol;
			o.policy_len = pol_len;
			/* never overwrite a hand-written policy (one with rules that
			   derive did not write) without being told to */
			if (!force && strstr(pol, "[rule ") && !strstr(pol, "\n[derived]") &&
			    strncmp(pol, "[derived]", 9) != 0) {
				say("%s has rules and was not written by guard derive; not "
				    "overwriting it (move its rules into a ```guard block of a "
				    "doc, "
				    "or use -o FILE, or --force)",
				    outpath);
				goto out;
			}
		}
	}
	o.ref = ref;
	if (derive_policy(r, &commit, &o, &text, &docs, &err) < 0) {
		say("%s", err);
		goto out;
	}
	char hex[41];
	grepo_oid_hex(&commit, hex);
	if (strcmp(outpath, "-") == 0) {
		fputs(text, stdout);
		if (fflush(stdout) != 0) {
			say("stdout: %s", strerror(errno));
			goto out;
		}
	} else {
		if (write_atomic(outpath, text) < 0) {
			say("%s: %s", outpath, strerror(errno));
			goto out;
		}
		say("wrote %s: %d rules from %zu docs at %.12s", outpath, count_rules(text), docs.n,
		    hex);
	}
	if (docs.n == 0)
		say("no docs matched at %.12s (defaults: README*, DEPLOY*, *deploy*, "
		    "*operations*, *runbook*, docs/**; add [docs] include = GLOB)",
		    hex);
	ret = XS_OK;
out:
	grepo_close(r);
	free(err);
	free(text);
	free(pol);
	free(outpath);
	sv_free(&docs);
	sv_free(&why);
	sv_free(&o.include);
	sv_free(&o.exclude);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "derive") == 0)
		return derive_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "prepush") == 0)
		return prepush_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "install-hook") == 0)
		return prepush_install(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		puts("guard-git " GUARD_VERSION);
		return 0;
	}
	say("guard-git: unknown subcommand '%s'", argv[1]);
	return usage();
}
