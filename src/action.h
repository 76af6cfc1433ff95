/* action.h: the actions plan shows and apply performs: file edits, commands, manual steps. */
#ifndef KVMPREP_ACTION_H
#define KVMPREP_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

enum action_status { ACTION_PLANNED, ACTION_DONE, ACTION_UNCHANGED, ACTION_FAILED, ACTION_MANUAL };

/* A file kvmprep writes itself: the whole new content, shown as a diff before it is written. */
struct action_file {
	char *path;
	bool existed;
	struct buf old_content;
	struct buf new_content;
	mode_t new_mode;        /* for a file that does not exist yet */
};

/* A program run after the edits (argv, resolved inside the root by the runner). */
struct action_command {
	char **argv;            /* NULL-terminated, owned */
};

struct action {
	char *id;               /* the finding it fixes ("iommu.boot_flag"); never translated */
	char *description;      /* one line */
	struct action_file *files;
	size_t n_files;
	struct action_command *commands;
	size_t n_commands;
	struct action_command *undo_commands; /* what reverses the commands (journaled for undo) */
	size_t n_undo_commands;
	struct strlist also_changes; /* files the commands rewrite: backed up for undo, checked after */
	struct strlist expected;     /* what the commands' results must show, for the preview */
	struct strlist manual;       /* instructions for the admin when status is manual */
	enum action_status status;
	char *message;
	bool reboot_required;
	struct strlist reboot_args;  /* kernel arguments that /proc/cmdline must show after the reboot */
};

struct plan {
	struct action *v;
	size_t n;
};

const char *action_status_word(enum action_status s); /* "planned", "done", ... (never translated) */

void plan_init(struct plan *p);
void plan_free(struct plan *p);
struct action *plan_add(struct plan *p, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Adds a file edit; old is NULL for a file that does not exist. Returns false (and adds
 * nothing) when the new content equals the old. */
bool action_add_file(struct action *a, const char *path, const char *old, size_t old_len, const char *new_text,
                     size_t new_len, mode_t new_mode);
/* Adds a command; the argument list ends with NULL. */
void action_add_command(struct action *a, const char *arg0, ...) __attribute__((sentinel));
/* Adds a command that undo runs to reverse this action's commands (argument list ends with NULL). */
void action_add_undo_command(struct action *a, const char *arg0, ...) __attribute__((sentinel));
void action_add_manual(struct action *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void action_set_message(struct action *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when the action changes nothing (no files, no commands). */
bool action_is_empty(const struct action *a);

#endif
