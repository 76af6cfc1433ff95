/* diff.h: unified diffs of two texts, as plan and the apply preview show them. */
#ifndef KVMPREP_DIFF_H
#define KVMPREP_DIFF_H

#include <stddef.h>

#include "util.h"

/*
 * Appends a unified diff (3 lines of context, "--- a/PATH", "+++ b/PATH", "@@ -l,n +l,n @@"
 * hunks; PATH is shown without its leading slashes, so "/etc/default/grub" gives
 * "--- a/etc/default/grub") of old and new to out; nothing when they are equal. A missing file is passed as
 * NULL and shown against /dev/null. A last line without a newline is marked
 * "\ No newline at end of file" as GNU diff does. Lines are compared byte for byte (CR and
 * NUL included). Work is O((N+M)·D) with a fallback for huge inputs.
 */
void diff_unified(const char *path, const char *old, size_t old_len, const char *new_text, size_t new_len,
                  struct buf *out);

#endif
