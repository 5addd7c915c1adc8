/*
 * match.h - glob words, as fnmatch(3) with flags 0 matches them, in time
 * O(len(pattern) * len(word)) and without recursion: `*` matches any bytes
 * (also '/' and a leading '.'), `?` one byte, `[...]` a set (`!` or `^`
 * negates, ranges, [:class:]), and a backslash quotes the next byte.
 */
#ifndef GUARD_MATCH_H
#define GUARD_MATCH_H

/* 1 when word matches the glob pattern, else 0. */
int match_glob(const char *pattern, const char *word);

/* 0 when pattern is a well-formed glob; else -1 and *why (static text) says
   what is wrong (an unterminated '[' or a trailing backslash). */
int match_glob_check(const char *pattern, const char **why);

/* 1 when pattern contains no special characters (matches one word only). */
int match_is_literal(const char *pattern);

#endif
