/* bls.h: Boot Loader Specification entries (/boot/loader/entries/NAME.conf) and grubenv blocks. */
#ifndef KVMPREP_BLS_H
#define KVMPREP_BLS_H

#include <stdbool.h>
#include <stddef.h>

#include "kargs.h"
#include "util.h"

struct bls_entry {
	char *title, *version, *linux_path;
	char *options;        /* the value of the options line, or NULL when there is none */
	size_t options_lineno;
	bool uses_kernelopts; /* options contain the token $kernelopts (EL8, BLS-4) */
};

/* Parses one entry (BLS-1): "key value" lines; unknown keys are kept and ignored. */
void bls_parse(const char *text, size_t len, struct bls_entry *out);
void bls_entry_free(struct bls_entry *e);
/* Applies the edit to the options line (keeping every other byte and any $variables).
 * An entry without an options line gets none. Returns 0, or 1 when the entry uses
 * $kernelopts and was left alone (its arguments live in grubenv). */
int bls_edit_options(const char *text, size_t len, const struct kargs_edit *edit, struct buf *out);
/* Sorts entry ids (file names without .conf) like grubby-bls: version sort, newest first,
 * so that "...-0-rescue" comes last (BLS-2). */
void bls_sort_ids(struct strlist *ids);

/* grubenv (ENV-1): "# GRUB Environment Block\n", key=value lines, '#' padding to 1024
 * bytes. Returns 0, or -1 with *error when the block is malformed. */
int grubenv_parse(const char *text, size_t len, struct strlist *keys, struct strlist *values, char **error);
/* The value of key in a parsed block, or NULL. */
const char *grubenv_get(const struct strlist *keys, const struct strlist *values, const char *key);

#endif
