/* capture.h: writes a host snapshot (design.md §3) from what the checks read on the live host. */
#ifndef KVMPREP_CAPTURE_H
#define KVMPREP_CAPTURE_H

#include "host.h"

/*
 * Writes every recorded read into dir, which must not exist yet or be empty: files with
 * their content, directories, symlinks as symlinks, device files and existence-only paths
 * as empty regular files, and the facts as dir/.kvmprep/NAME (or NAME.error). Returns 0 or
 * -errno, with *error describing the path that failed (malloc'ed).
 */
int capture_write(struct host *h, const struct host_recorder *rec, const char *dir, char **error);

#endif
