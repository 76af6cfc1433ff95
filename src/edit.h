/* edit.h: safe writes to host files: atomic replace keeping mode and owner, never a partial file. */
#ifndef KVMPREP_EDIT_H
#define KVMPREP_EDIT_H

#include <stdbool.h>
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
/* The same for a later run of the step: it fails the (skip + 1)-th time it runs from now
 * (skip 0 is edit_inject_fault). An err of 0 disarms the step. */
void edit_inject_fault_nth(enum edit_step step, int err, unsigned skip);
/* Whether a fault armed for the step has not fired yet. */
bool edit_fault_armed(enum edit_step step);

/*
 * Test hook (issue 7 §3), not part of the product's behaviour: edit.c, journal.c and apply.c
 * call it at every boundary between two steps of a write or of an apply (name says which).
 * Without the environment variable KVMPREP_TEST_KILL_AT it does nothing. With
 * KVMPREP_TEST_KILL_AT=N (N > 0), it counts its calls and the N-th one names the point on
 * stderr and raises SIGKILL, so that a test can crash an apply between any two steps
 * (tests/e2e/faults.sh); a run that ends before the N-th call says at exit how many points
 * it passed. Never set it on a real host.
 */
void edit_test_kill_point(const char *name);

#endif
