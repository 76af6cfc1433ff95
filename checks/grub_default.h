/* grub_default.h: /etc/default/grub (shell KEY=value): find, evaluate and edit GRUB_CMDLINE_LINUX. */
#ifndef KVMPREP_GRUB_DEFAULT_H
#define KVMPREP_GRUB_DEFAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "kargs.h"
#include "util.h"

/* The last uncommented assignment of a variable (shell semantics: the last one wins). */
struct grub_default_var {
	bool found;
	size_t lineno;         /* 1-based */
	size_t value_start;    /* byte offsets of the value as written, quotes included */
	size_t value_end;
	char quote;            /* '"', '\'' or 0 for a bare value */
	char *value;           /* unquoted text (NULL when not found) */
	bool unsafe;           /* contains $( ` ${, ends in a line continuation, or is a form the editor
	                        * cannot rewrite byte-exactly (backslash escapes, several quoted parts,
	                        * a quote spanning lines): never edited */
	bool refers_to_self;   /* "$NAME" or "${NAME}" inside (drop-ins that extend the value) */
};

/* Finds ^\s*(export\s+)?NAME= not inside a comment. Returns 0; var->found tells. */
int grub_default_find(const char *text, size_t len, const char *name, struct grub_default_var *var);
void grub_default_var_free(struct grub_default_var *var);

/*
 * Edits GRUB_CMDLINE_LINUX per domain.md G2-5: the value of the last assignment gets the
 * edit inside its quotes (a bare value becomes double-quoted); no assignment: a line
 * GRUB_CMDLINE_LINUX="args" is appended (after a newline if the file lacks a final one).
 * Every other byte is kept. Returns 0, 1 when nothing had to change (out is a copy), or -1
 * with *error (malloc'ed) when the value is unsafe to edit; the result is re-parsed and
 * checked before 0 is returned.
 */
int grub_default_edit_cmdline(const char *text, size_t len, const struct kargs_edit *edit,
                              struct buf *out, char **error);

/*
 * The effective value of NAME after sourcing texts[0..n) in order, like grub-mkconfig does
 * with /etc/default/grub and /etc/default/grub.d/ (G2-4), for the forms real files use:
 * quoted or bare assignments, and "$NAME"/"${NAME}" expanding the value so far. Returns 0,
 * or -1 with *error when an assignment cannot be evaluated safely (command substitution,
 * other variables). *value is "" when never assigned.
 */
int grub_default_effective(const char *const texts[], const size_t lens[], size_t n, const char *name,
                           char **value, char **error);

#endif
