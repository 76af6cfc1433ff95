/* kargs.h: kernel command line tokens: look-ups and grubby-compatible edits that keep spacing. */
#ifndef KVMPREP_KARGS_H
#define KVMPREP_KARGS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Tokens are separated by blanks (space, tab, CR, LF); a double-quoted part belongs to its token
 * (foo="a b"). Edit semantics follow grubby's update_args (domain.md §3.6), except that a
 * token already present exactly is left where it is (no pointless diff):
 *  - remove "key"       drops every "key" and "key=..." token;
 *  - remove "key=val"   drops only that exact token;
 *  - add "key=val"      keeps an exact "key=val" in place, else drops every "key"/"key=..."
 *                       token and appends "key=val";
 *  - add "word"         keeps "word" in place, else drops "word=..." tokens and appends it.
 * Removals are applied before additions. The spacing between untouched tokens is kept;
 * an appended token is separated by one space; a dropped token takes one adjacent blank run.
 */
struct kargs_edit {
	const char *const *add;
	size_t n_add;
	const char *const *remove;
	size_t n_remove;
};

/* Returns the edited string (malloc'ed). */
char *kargs_apply(const char *args, const struct kargs_edit *edit);
/* True when applying edit would change nothing. */
bool kargs_satisfied(const char *args, const struct kargs_edit *edit);
/* True when the exact token occurs. */
bool kargs_has(const char *args, const char *token);
/* The value of the last "key=value" token (malloc'ed), or NULL; *bare is set when a bare
 * "key" token occurs. */
char *kargs_value(const char *args, const char *key, bool *bare);
/* True when the token is safe to write into a boot configuration: printable ASCII, no
 * blanks, quotes, backslashes, '$' or backquotes. */
bool kargs_token_is_safe(const char *token);

#endif
