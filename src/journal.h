/* journal.h: the apply journal in ROOT/var/lib/kvmprep: backups, checksums, commands, reboot state. */
#ifndef KVMPREP_JOURNAL_H
#define KVMPREP_JOURNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "host.h"
#include "sha256.h"
#include "util.h"

#define JOURNAL_DIR "/var/lib/kvmprep"

/*
 * One apply = one entry: JOURNAL_DIR/ID/ holds "journal.conf" (libconfig, written so that
 * libconfig 1.5 and 1.7 read it alike) and "files/N", the original bytes of each file before
 * the apply touched it. ID is "YYYYMMDD-HHMMSS-N" (UTC), so that ids sort by time.
 */
struct journal_file {
	char *path;                /* host path */
	bool existed;              /* false: the apply created it; undo removes it */
	char *backup;              /* "files/N" inside the entry, NULL when !existed */
	char sha_before[SHA256_HEX_LEN + 1];
	char sha_after[SHA256_HEX_LEN + 1]; /* "" until journal_file_done(); "-" (both) for a missing file */
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

struct journal_command {
	char *line;                /* the argv as typed (run_format_argv) */
	int exit_code;
};

struct journal_entry {
	char *id;
	long long time;            /* seconds since the epoch */
	char *root;
	struct strlist actions;    /* finding ids of the actions applied */
	struct journal_file *files;
	size_t n_files;
	struct journal_command *commands;
	size_t n_commands;
	bool reboot_required;
	struct strlist reboot_args; /* kernel arguments expected in /proc/cmdline after the reboot */
	bool verified;             /* the reboot happened and the arguments are live */
	bool undone;
	struct strlist *undo_commands; /* argv of each command that reverses a change the apply made
	                                * outside files (autostart, a started service), in the order
	                                * the apply made them; undo runs them last to first */
	char **undo_actions;       /* per undo command, the id of the action it belongs to (NULL in
	                            * older journals); an action not in actions was interrupted (a
	                            * crash): its commands may not all have run */
	size_t n_undo_commands;
};

/* One apply at a time: an exclusive lock on JOURNAL_DIR/lock, holding the pid. -EBUSY with
 * *error naming the holder's pid when another apply runs. */
int journal_lock(struct host *h, int *fd, char **error);
void journal_unlock(int fd);

/* Starts a new entry (creates its directory and writes journal.conf). */
int journal_create(struct host *h, struct journal_entry *e, char **error);
/* Before a file is changed: copies its current bytes into the entry (once per path) and
 * records the checksum, mode and owner; records absence for a file that does not exist. */
int journal_backup(struct host *h, struct journal_entry *e, const char *path, char **error);
/* After the change: records the checksum of every backed-up file as it is now. */
int journal_files_done(struct host *h, struct journal_entry *e, char **error);
void journal_add_command(struct journal_entry *e, const char *line, int exit_code);
/* Records a command (argv, NULL-terminated) that undo must run to reverse a change of the
 * action with id action. */
void journal_add_undo_command(struct journal_entry *e, const char *action, const char *const argv[]);
/* Writes journal.conf atomically. */
int journal_save(struct host *h, const struct journal_entry *e, char **error);
int journal_load(struct host *h, const char *id, struct journal_entry *e, char **error);
/* Entry ids, oldest first. */
int journal_list(struct host *h, struct strlist *ids);
/*
 * Restores every file of the entry byte for byte (mode and owner too) and removes the files
 * the apply created. Refuses, changing nothing, when a file changed since the apply
 * (checksum differs from sha_after) unless force: -ECANCELED, *error listing the files.
 * A file already back as it was before counts as unchanged, so an interrupted undo can run
 * again. A file without sha_after (the apply was interrupted, a crash, before it recorded
 * the result) is restored whatever it holds: the apply held the lock while changing it.
 * Likewise the undo commands of an interrupted action may reverse a command that never ran:
 * their failures are reported in report, not as an error. -EBADMSG when a backup does not match its checksum, -EALREADY when the entry was
 * undone already (unless force). Appends one line per file to report. Marks the entry undone.
 */
int journal_undo(struct host *h, struct journal_entry *e, bool force, struct buf *report, char **error);
/* Restores the files from index first on, byte for byte (mode and owner too), without the
 * checksum guard and without marking the entry: apply's rollback of a failed action. */
int journal_restore_files(struct host *h, struct journal_entry *e, size_t first, struct buf *report, char **error);
/* True when an apply that was not undone still waits for the reboot that verifies it. */
bool journal_reboot_pending(struct host *h);
void journal_entry_free(struct journal_entry *e);

#endif
