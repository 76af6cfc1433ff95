/* plan_report.c: renders plans and apply results: unified diffs, command lines, manual steps. */
#include "config.h"

#include "plan_report.h"
#include "diff.h"
#include "i18n.h"
#include "json.h"
#include "run.h"

#include <stdlib.h>
#include <string.h>

bool plan_reboot_required(const struct plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		if (plan->v[i].reboot_required &&
		    (plan->v[i].status == ACTION_PLANNED || plan->v[i].status == ACTION_DONE))
			return true;
	return false;
}

static void file_diff(const struct action_file *f, struct buf *out)
{
	diff_unified(f->path, f->existed ? f->old_content.data : NULL, f->old_content.len, f->new_content.data,
	             f->new_content.len, out);
}

static void indented(struct buf *out, const char *text, const char *indent)
{
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		buf_puts(out, indent);
		buf_append(out, line, len);
		buf_putc(out, '\n');
		line = nl ? nl + 1 : NULL;
	}
}

void plan_report_text(const struct plan *plan, const char *verb, const char *root, bool live,
                      const char *journal, const struct report_style *style, struct buf *out)
{
	(void)style;
	if (live)
		buf_printf(out, "kvmprep %s: %s %s\n\n", PACKAGE_VERSION, verb, _("of this host"));
	else
		buf_printf(out, "kvmprep %s: %s %s %s\n\n", PACKAGE_VERSION, verb, _("of the host tree at"), root);
	size_t planned = 0, done = 0, failed = 0, manual = 0;
	for (size_t i = 0; i < plan->n; i++) {
		const struct action *a = &plan->v[i];
		planned += a->status == ACTION_PLANNED;
		done += a->status == ACTION_DONE;
		failed += a->status == ACTION_FAILED;
		manual += a->status == ACTION_MANUAL;
		buf_printf(out, "[%s] %s: %s\n", action_status_word(a->status), a->id, a->description);
		if (a->message)
			buf_printf(out, "    %s\n", a->message);
		if (a->status == ACTION_UNCHANGED)
			continue;
		for (size_t k = 0; k < a->n_files; k++) {
			struct buf d;
			buf_init(&d);
			file_diff(&a->files[k], &d);
			indented(out, d.data, "    ");
			buf_free(&d);
		}
		for (size_t k = 0; k < a->n_commands; k++) {
			char *line = run_format_argv((const char *const *)a->commands[k].argv);
			buf_printf(out, "    %s %s\n", a->n_files ? _("Then run:") : _("Run:"), line);
			free(line);
		}
		for (size_t k = 0; k < a->also_changes.n; k++)
			buf_printf(out, "    %s %s\n", _("Backed up, as the commands rewrite it:"), a->also_changes.v[k]);
		for (size_t k = 0; k < a->manual.n; k++)
			buf_printf(out, "    %s %s\n", _("By hand:"), a->manual.v[k]);
		if (a->reboot_required && a->status != ACTION_MANUAL)
			buf_printf(out, "    %s\n", _("Takes effect after a reboot."));
		buf_putc(out, '\n');
	}
	if (plan->n && plan->v[plan->n - 1].status == ACTION_UNCHANGED)
		buf_putc(out, '\n');
	if (strcmp(verb, "plan") == 0) {
		if (planned)
			buf_printf(out, _("%zu change(s) planned; nothing was changed. 'kvmprep apply' makes them.\n"), planned);
		else if (manual)
			buf_printf(out, _("Nothing kvmprep can change here; %zu step(s) to do by hand, as shown.\n"), manual);
		else
			buf_printf(out, _("Nothing to change.\n"));
	} else {
		buf_printf(out, _("%zu done, %zu failed, %zu to do by hand.\n"), done, failed, manual);
		if (journal)
			buf_printf(out, _("Journal %s: 'kvmprep undo %s' reverses it.\n"), journal, journal);
	}
	if (plan_reboot_required(plan))
		buf_printf(out, _("A reboot is required; run 'kvmprep check' after it to verify.\n"));
}

void plan_report_json(const struct plan *plan, const char *root, const char *journal, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_object_begin(&j, NULL, false);
	json_string(&j, "kvmprep", PACKAGE_VERSION);
	json_string(&j, "root", root);
	json_array_begin(&j, "actions", false);
	for (size_t i = 0; i < plan->n; i++) {
		const struct action *a = &plan->v[i];
		json_object_begin(&j, NULL, false);
		json_string(&j, "id", a->id);
		json_string(&j, "description", a->description);
		json_array_begin(&j, "files", false);
		for (size_t k = 0; k < a->n_files; k++) {
			struct buf d;
			buf_init(&d);
			file_diff(&a->files[k], &d);
			json_object_begin(&j, NULL, true);
			json_string(&j, "path", a->files[k].path);
			json_string(&j, "diff", d.data ? d.data : "");
			json_object_end(&j);
			buf_free(&d);
		}
		json_array_end(&j);
		json_array_begin(&j, "commands", false);
		for (size_t k = 0; k < a->n_commands; k++) {
			json_array_begin(&j, NULL, true);
			for (char **arg = a->commands[k].argv; *arg; arg++)
				json_string(&j, NULL, *arg);
			json_array_end(&j);
		}
		json_array_end(&j);
		json_array_begin(&j, "also_changes", true);
		for (size_t k = 0; k < a->also_changes.n; k++)
			json_string(&j, NULL, a->also_changes.v[k]);
		json_array_end(&j);
		json_array_begin(&j, "manual", false);
		for (size_t k = 0; k < a->manual.n; k++)
			json_string(&j, NULL, a->manual.v[k]);
		json_array_end(&j);
		json_string(&j, "status", action_status_word(a->status));
		json_string(&j, "message", a->message);
		json_bool(&j, "reboot_required", a->reboot_required);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_bool(&j, "reboot_required", plan_reboot_required(plan));
	json_string(&j, "journal", journal);
	json_object_end(&j);
}
