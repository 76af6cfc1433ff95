/* apply.c: the apply engine: journal backups, atomic edits, commands, verification and rollback. */
#include "config.h"

#include "apply.h"
#include "edit.h"
#include "i18n.h"
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The directory part of a host path ("/etc/default/grub.d" of ".../90-kvmprep.cfg"). */
static char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash != path ? xstrndup(path, (size_t)(slash - path)) : xstrdup("/");
}

static bool backup_all(struct host *h, struct journal_entry *e, const struct action *a, char **why)
{
	for (size_t i = 0; i < a->n_files; i++)
		if (journal_backup(h, e, a->files[i].path, why) < 0)
			return false;
	for (size_t i = 0; i < a->also_changes.n; i++)
		if (journal_backup(h, e, a->also_changes.v[i], why) < 0)
			return false;
	return true;
}

static bool write_files(struct host *h, const struct action *a, char **why)
{
	for (size_t i = 0; i < a->n_files; i++) {
		const struct action_file *f = &a->files[i];
		if (!f->existed) {
			char *dir = parent_dir(f->path);
			int rc = edit_mkdir_p(h, dir, why);
			free(dir);
			if (rc < 0)
				return false;
		}
		if (edit_write_atomic(h, f->path, f->new_content.data, f->new_content.len, f->new_mode, why) < 0)
			return false;
	}
	return true;
}

static bool run_commands(struct host *h, struct journal_entry *e, const struct action *a, char **why)
{
	/* Journaled before they run: a crash half-way still leaves undo what reverses them. */
	for (size_t i = 0; i < a->n_undo_commands; i++)
		journal_add_undo_command(e, a->id, (const char *const *)a->undo_commands[i].argv);
	if (a->n_undo_commands && journal_save(h, e, why) < 0)
		return false;
	for (size_t i = 0; i < a->n_commands; i++) {
		const char *const *argv = (const char *const *)a->commands[i].argv;
		char *line = run_format_argv(argv);
		struct run_result res;
		int rc = run_command(h, argv, NULL, &res);
		int code = res.outcome == RUN_EXITED ? res.exit_code : -1;
		journal_add_command(e, line, code);
		bool ok = rc == 0 && res.outcome == RUN_EXITED && res.exit_code == 0;
		if (!ok) {
			const char *err = res.err && *res.err ? res.err : "";
			switch (res.outcome) {
			case RUN_NOT_FOUND:
				*why = xasprintf(_("%s: program not found"), line);
				break;
			case RUN_TIMED_OUT:
				*why = xasprintf(_("%s: timed out"), line);
				break;
			case RUN_SIGNALED:
				*why = xasprintf(_("%s: killed by signal %d"), line, res.term_signal);
				break;
			case RUN_EXITED:
				*why = xasprintf(_("%s: exit status %d%s%.300s"), line, res.exit_code, *err ? ": " : "", err);
				break;
			default:
				*why = xasprintf(_("%s: %s"), line, strerror(res.error ? res.error : EIO));
				break;
			}
		}
		run_result_free(&res);
		free(line);
		if (!ok)
			return false;
		edit_test_kill_point("apply: run a command");
	}
	return true;
}

/* Restores the files one action backed up (from first_file on), byte for byte, and runs the
 * action's undo commands (last to first), which then leave the journal: they are done. */
static void roll_back(struct host *h, struct journal_entry *e, size_t first_file, size_t first_undo,
                      struct buf *report)
{
	char *error = NULL;
	if (journal_restore_files(h, e, first_file, report, &error) < 0 && error)
		buf_printf(report, "%s\n", error);
	free(error);
	while (e->n_undo_commands > first_undo) {
		struct strlist *l = &e->undo_commands[--e->n_undo_commands];
		free(e->undo_actions[e->n_undo_commands]);
		e->undo_actions[e->n_undo_commands] = NULL;
		const char **argv = xcalloc(l->n + 1, sizeof *argv);
		for (size_t i = 0; i < l->n; i++)
			argv[i] = l->v[i];
		struct run_result res;
		if (run_command(h, argv, NULL, &res) == 0 && res.outcome == RUN_EXITED && res.exit_code == 0)
			buf_printf(report, "%s\n", l->v[0]);
		run_result_free(&res);
		free(argv);
		strlist_free(l);
	}
}

int apply_plan(struct host *h, struct plan *plan, apply_verify_fn verify, void *verify_ctx, char **journal_id,
               char **error)
{
	*journal_id = NULL;
	*error = NULL;
	size_t todo = 0;
	for (size_t i = 0; i < plan->n; i++)
		todo += plan->v[i].status == ACTION_PLANNED;
	if (todo == 0)
		return 0;

	int lock_fd = -1;
	if (journal_lock(h, &lock_fd, error) < 0)
		return -1;
	struct journal_entry e;
	memset(&e, 0, sizeof e);
	strlist_init(&e.actions);
	strlist_init(&e.reboot_args);
	if (journal_create(h, &e, error) < 0) {
		journal_entry_free(&e);
		journal_unlock(lock_fd);
		return -1;
	}
	int failed = 0;
	for (size_t i = 0; i < plan->n; i++) {
		struct action *a = &plan->v[i];
		if (a->status != ACTION_PLANNED)
			continue;
		size_t first_file = e.n_files, first_undo = e.n_undo_commands;
		char *why = NULL;
		bool ok = backup_all(h, &e, a, &why) && journal_save(h, &e, &why) == 0 && write_files(h, a, &why) &&
		          run_commands(h, &e, a, &why);
		if (ok && journal_files_done(h, &e, &why) < 0)
			ok = false;
		if (ok && verify && !verify(verify_ctx, a)) {
			ok = false;
			why = xstrdup(_("the change did not take: the boot configuration still lacks it afterwards"));
		}
		strlist_add(&e.actions, a->id);
		if (ok) {
			a->status = ACTION_DONE;
			action_set_message(a, a->reboot_required ? _("done; a reboot is needed") : _("done"));
			if (a->reboot_required) {
				e.reboot_required = true;
				for (size_t k = 0; k < a->reboot_args.n; k++)
					if (!strlist_contains(&e.reboot_args, a->reboot_args.v[k]))
						strlist_add(&e.reboot_args, a->reboot_args.v[k]);
			}
		} else {
			failed++;
			struct buf report;
			buf_init(&report);
			roll_back(h, &e, first_file, first_undo, &report);
			a->status = ACTION_FAILED;
			action_set_message(a, _("%s; the files were restored"), why ? why : _("failed"));
			buf_free(&report);
		}
		free(why);
		char *save_error = NULL;
		if (journal_save(h, &e, &save_error) < 0 && !*error)
			*error = save_error;
		else
			free(save_error);
	}
	*journal_id = xstrdup(e.id);
	journal_entry_free(&e);
	journal_unlock(lock_fd);
	return failed;
}
