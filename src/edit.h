/* edit.h: safe writes to host files: atomic replace keeping mode and owner, never a partial file. */
#ifndef KVMPREP_EDIT_H
#define KVMPREP_EDIT_H

#include <stddef.h>
#include <sys/types.h>

#include "host.h"

/*
 * Replaces (or creates) a host file atomically (design.md §5): a temporary file
 * ".NAME.kvmprep-XXXXXX" in the same directory, write all, fsync, give it the mode, owner
 * and group of the file it replaces (new_mode and the caller's ids for a new file), rename
 * over the original, fsync the directory. The path resolves inside the root; when it is a
 * symlink, the link's target is written and the link stays a link. Whatever fails (disk
 * full, I/O error, read-only file system, a signal), the original file is untouched and the
 * temporary file is removed. Returns 0 or -errno with *error (malloc'ed) naming the step.
 */
int edit_write_atomic(struct host *h, const char *path, const void *data, size_t len, mode_t new_mode,
                      char **error);
/* The same with exactly this mode, owner and group, whether or not the file exists (undo
 * restores a file as it was). */
int edit_write_atomic_as(struct host *h, const char *path, const void *data, size_t len, mode_t mode,
                         uid_t uid, gid_t gid, char **error);
/* Removes a host file (undo of a file an apply created). Missing is not an error. */
int edit_remove(struct host *h, const char *path, char **error);
/* Creates a host directory and its parents (mode 0755). */
int edit_mkdir_p(struct host *h, const char *path, char **error);

/* Fault injection for tests (issue 7): the next time the named step runs, it fails with err. */
enum edit_step { EDIT_STEP_OPEN, EDIT_STEP_WRITE, EDIT_STEP_FSYNC, EDIT_STEP_CHMOD, EDIT_STEP_CHOWN,
                 EDIT_STEP_RENAME, EDIT_STEP_DIRSYNC, EDIT_STEP_COUNT };
void edit_inject_fault(enum edit_step step, int err);

#endif
