/* cmd_change.c: the plan, apply and undo commands: preview, confirm, journal, restore. */
#include "config.h"

#include "apply.h"
#include "cli.h"
#include "i18n.h"
#include "journal.h"
#include "json.h"
#include "plan_report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Builds the plan of the selected steps. */
static bool build_plan(const struct options *o, struct check_ctx *ctx, struct plan *plan)
{
	const struct step *steps[MAX_STEPS];
	size_t count;
	if (!select_steps(o, steps, &count))
		return false;
	plan_init(plan);
	for (size_t i = 0; i < count; i++)
		if (steps[i]->plan)
			steps[i]->plan(ctx, plan);
	return true;
}

static int print_plan(const struct options *o, struct host *h, const struct plan *plan, const char *verb,
                      const char *journal)
{
	struct buf out;
	buf_init(&out);
	if (o->json) {
		plan_report_json(plan, host_root(h), journal, &out);
	} else {
		struct report_style style;
		text_style(o, &style);
		plan_report_text(plan, verb, host_root(h), host_is_live(h), journal, &style, &out);
	}
	int rc = write_all(stdout, &out);
	buf_free(&out);
	return rc;
}

int cmd_plan(const struct options *o, struct host *h)
{
	struct check_ctx ctx;
	cli_ctx_init(o, &ctx, h);
	struct plan plan;
	int code = 0;
	if (!build_plan(o, &ctx, &plan)) {
		code = EXIT_USAGE;
	} else {
		if (print_plan(o, h, &plan, "plan", NULL) < 0)
			code = EXIT_USAGE;
		for (size_t i = 0; i < plan.n; i++)
			if (plan.v[i].status == ACTION_FAILED)
				code = code ? code : 1;
		plan_free(&plan);
	}
	check_ctx_free(&ctx);
	return code;
}

static bool confirm(const struct host *h)
{
	printf(_("Apply these changes to %s? [y/N] "), host_root(h));
	fflush(stdout);
	char answer[16];
	if (!fgets(answer, sizeof answer, stdin))
		return false;
	return answer[0] == 'y' || answer[0] == 'Y' || answer[0] == 'j' || answer[0] == 'J';
}

int cmd_apply(const struct options *o, struct host *h)
{
	if (host_is_live(h) && geteuid() != 0) {
		fprintf(stderr, _("kvmprep: apply changes the boot configuration of this host and needs root; "
		                  "nothing was changed ('kvmprep plan' shows what it would do)\n"));
		return 1;
	}
	if (!o->yes && !isatty(STDIN_FILENO)) {
		fprintf(stderr, _("kvmprep: apply without a terminal needs --yes; nothing was changed\n"));
		return EXIT_USAGE;
	}
	struct check_ctx ctx;
	cli_ctx_init(o, &ctx, h);
	struct plan plan;
	if (!build_plan(o, &ctx, &plan)) {
		check_ctx_free(&ctx);
		return EXIT_USAGE;
	}
	size_t planned = 0;
	for (size_t i = 0; i < plan.n; i++)
		planned += plan.v[i].status == ACTION_PLANNED;
	int code = 0;
	if (planned && !o->yes) {
		struct options preview = *o;
		preview.json = false;
		print_plan(&preview, h, &plan, "plan", NULL);
		if (!confirm(h)) {
			printf(_("Nothing was changed.\n"));
			plan_free(&plan);
			check_ctx_free(&ctx);
			return 1;
		}
	}
	char *journal = NULL, *error = NULL;
	int failed = apply_plan(h, &plan, step_verify_action, &ctx, &journal, &error);
	if (failed < 0) {
		fprintf(stderr, _("kvmprep: %s; nothing was changed\n"), error ? error : _("apply failed"));
		code = 1;
	} else {
		if (error)
			fprintf(stderr, "kvmprep: %s\n", error);
		if (print_plan(o, h, &plan, "apply", journal) < 0)
			code = EXIT_USAGE;
		if (failed > 0)
			code = 1;
		for (size_t i = 0; i < plan.n; i++)
			if (plan.v[i].status == ACTION_MANUAL)
				code = 1; /* refused: it needs the admin */
	}
	free(journal);
	free(error);
	plan_free(&plan);
	check_ctx_free(&ctx);
	return code;
}

/* The newest entry that was not undone. */
static char *last_entry(struct host *h)
{
	struct strlist ids;
	char *found = NULL;
	if (journal_list(h, &ids) < 0)
		return NULL;
	for (size_t i = ids.n; i-- > 0 && !found;) {
		struct journal_entry e;
		char *error = NULL;
		if (journal_load(h, ids.v[i], &e, &error) == 0) {
			if (!e.undone && (e.n_files > 0 || e.n_undo_commands > 0))
				found = xstrdup(ids.v[i]);
			journal_entry_free(&e);
		}
		free(error);
	}
	strlist_free(&ids);
	return found;
}

/* undo --list: one line (or JSON object) per journal entry, oldest first. */
static int list_entries(const struct options *o, struct host *h)
{
	struct strlist ids;
	if (journal_list(h, &ids) < 0)
		strlist_init(&ids);
	struct buf out;
	buf_init(&out);
	struct json j;
	json_init(&j, &out);
	if (o->json) {
		json_object_begin(&j, NULL, false);
		json_string(&j, "kvmprep", PACKAGE_VERSION);
		json_string(&j, "root", host_root(h));
		json_array_begin(&j, "journal", false);
	} else if (ids.n == 0) {
		buf_printf(&out, _("No apply in %s%s.\n"), strcmp(host_root(h), "/") ? host_root(h) : "", JOURNAL_DIR);
	}
	for (size_t i = 0; i < ids.n; i++) {
		struct journal_entry e;
		char *error = NULL;
		if (journal_load(h, ids.v[i], &e, &error) < 0) {
			if (!o->json)
				buf_printf(&out, "%-20s %s\n", ids.v[i], error ? error : _("unreadable"));
			free(error);
			continue;
		}
		const char *state = e.undone ? "undone" : e.verified ? "verified"
		                  : e.reboot_required ? "awaiting-reboot" : "applied";
		if (o->json) {
			json_object_begin(&j, NULL, true);
			json_string(&j, "id", e.id);
			json_int(&j, "time", e.time);
			json_string(&j, "state", state);
			json_array_begin(&j, "actions", true);
			for (size_t k = 0; k < e.actions.n; k++)
				json_string(&j, NULL, e.actions.v[k]);
			json_array_end(&j);
			json_int(&j, "files", (long long)e.n_files);
			json_object_end(&j);
		} else {
			char when[32] = "?";
			time_t t = (time_t)e.time;
			struct tm tm;
			if (gmtime_r(&t, &tm))
				strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
			struct buf acts;
			buf_init(&acts);
			for (size_t k = 0; k < e.actions.n; k++)
				buf_printf(&acts, "%s%s", k ? "," : "", e.actions.v[k]);
			buf_printf(&out, "%-20s %s  %-15s %zu file(s)  %s\n", e.id, when, state, e.n_files,
			           acts.data ? acts.data : "");
			buf_free(&acts);
		}
		journal_entry_free(&e);
		free(error);
	}
	if (o->json) {
		json_array_end(&j);
		json_object_end(&j);
	}
	int rc = write_all(stdout, &out) < 0 ? EXIT_USAGE : 0;
	buf_free(&out);
	strlist_free(&ids);
	return rc;
}

int cmd_undo(const struct options *o, struct host *h, const char *id)
{
	if (o->list)
		return list_entries(o, h);
	if (host_is_live(h) && geteuid() != 0) {
		fprintf(stderr, _("kvmprep: undo restores boot files of this host and needs root\n"));
		return 1;
	}
	char *chosen = id ? xstrdup(id) : last_entry(h);
	if (!chosen) {
		if (o->json)
			printf("{\n  \"kvmprep\": \"%s\",\n  \"journal\": null,\n  \"status\": \"unchanged\"\n}\n",
			       PACKAGE_VERSION);
		else
			printf(_("Nothing to undo: no apply in %s%s.\n"), strcmp(host_root(h), "/") ? host_root(h) : "",
			       JOURNAL_DIR);
		return 0;
	}
	int lock_fd = -1, code = 0;
	char *error = NULL;
	struct journal_entry e;
	struct buf report;
	buf_init(&report);
	if (journal_lock(h, &lock_fd, &error) < 0) {
		code = 1;
	} else if (journal_load(h, chosen, &e, &error) < 0) {
		code = 1;
		journal_unlock(lock_fd);
	} else {
		if (e.undone) {
			buf_printf(&report, _("Journal %s was undone already.\n"), chosen);
		} else if (journal_undo(h, &e, o->force, &report, &error) < 0) {
			code = 1;
		} else {
			buf_printf(&report, _("Journal %s undone: every file is as it was before that apply.\n"), chosen);
			if (e.reboot_required)
				buf_printf(&report, _("The boot configuration is back; the running kernel still has what it "
				                      "booted with until the next reboot.\n"));
		}
		journal_entry_free(&e);
		journal_unlock(lock_fd);
	}
	if (o->json) {
		struct buf out;
		buf_init(&out);
		struct json j;
		json_init(&j, &out);
		json_object_begin(&j, NULL, false);
		json_string(&j, "kvmprep", PACKAGE_VERSION);
		json_string(&j, "root", host_root(h));
		json_string(&j, "journal", chosen);
		json_string(&j, "status", code ? "failed" : "done");
		json_string(&j, "message", code ? error : report.data);
		json_object_end(&j);
		write_all(stdout, &out);
		buf_free(&out);
	} else {
		if (report.len)
			fputs(report.data, stdout);
		if (error)
			fprintf(stderr, "kvmprep: %s\n", error);
	}
	buf_free(&report);
	free(error);
	free(chosen);
	return code;
}
