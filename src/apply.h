/* apply.h: carries out a plan through the journal: backups, atomic edits, commands, verification. */
#ifndef KVMPREP_APPLY_H
#define KVMPREP_APPLY_H

#include "action.h"
#include "host.h"
#include "journal.h"

/*
 * Re-plans an action after it ran; returns true when it now comes back unchanged, i.e. the
 * host holds what the action was meant to achieve.
 */
typedef bool (*apply_verify_fn)(void *ctx, const struct action *a);

/*
 * Performs every planned action of plan in order: backs up each file it writes or that its
 * commands change, writes the files atomically, runs the commands (argv, inside the root),
 * then verifies with verify. A failing action is rolled back from the journal, byte for byte,
 * and marked failed with the reason; the other actions still run. Actions that are manual or
 * unchanged are left alone. The journal entry is saved after every action, so that a crash
 * leaves an entry undo can use. Returns the number of failed actions; *journal_id gets the
 * id of the entry (NULL when nothing was done).
 */
int apply_plan(struct host *h, struct plan *plan, apply_verify_fn verify, void *verify_ctx, char **journal_id,
               char **error);

#endif
