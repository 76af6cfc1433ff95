/* grub_legacy.h: GRUB 0.97 grub.conf/menu.lst: stanzas, default entry, byte-exact kernel-line edits. */
#ifndef KVMPREP_GRUB_LEGACY_H
#define KVMPREP_GRUB_LEGACY_H

#include <stdbool.h>
#include <stddef.h>

#include "kargs.h"
#include "util.h"

struct grub_legacy_stanza {
	char *title;          /* text after "title " */
	bool is_linux;        /* has a kernel line, no chainloader and no module lines (Xen, tboot) */
	bool chainloader;     /* non-Linux entry (counted in the index, never edited) */
	char *kernel_path;    /* "/vmlinuz-..." or NULL */
	char *args;           /* the arguments after the path ("" when none), or NULL */
	size_t args_start;    /* byte offsets in the text of the argument part of the kernel line */
	size_t args_end;      /* (args_start == args_end for a kernel line without arguments) */
	size_t kernel_lineno; /* 1-based line number of the kernel line, 0 when none */
};

struct grub_legacy {
	struct grub_legacy_stanza *v;
	size_t n;
	long default_index;   /* GL-1/GL-3: 0 when absent; -1 for "default saved" */
	size_t linux_count;
};

/* Parses grub.conf (GL-1, GL-2). Never fails on odd lines: they are kept and ignored. */
void grub_legacy_parse(const char *text, size_t len, struct grub_legacy *out);
void grub_legacy_free(struct grub_legacy *g);
/* Applies the edit to the kernel line of every Linux stanza; every other byte is kept.
 * *changed counts the kernel lines that changed. Returns 0. */
int grub_legacy_edit(const char *text, size_t len, const struct kargs_edit *edit, struct buf *out,
                     size_t *changed);

#endif
