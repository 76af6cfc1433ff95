/* cli.c: helpers the command modules share: step selection, output and text style. */
#include "config.h"

#include "cli.h"
#include "i18n.h"
#include "profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Selects the steps named in --only (all when NULL); false with a message on a bad id. */
void cli_ctx_init(const struct options *o, struct check_ctx *ctx, struct host *h)
{
	check_ctx_init(ctx, h);
	if (o->settings)
		ctx->profile = o->settings;
}

int cli_load_profile(struct options *o, struct host *h, struct profile *p)
{
	struct strlist problems;
	strlist_init(&problems);
	int rc = 0;
	if (o->profile) {
		rc = profile_load_file(o->profile, p, &problems);
	} else {
		struct buf text;
		buf_init(&text);
		int r = host_read_file(h, "/etc/kvmprep.conf", 1024 * 1024, &text);
		if (r == 0)
			rc = profile_load_text("/etc/kvmprep.conf", text.data, p, &problems);
		else if (r != -ENOENT) {
			strlist_add_owned(&problems, xasprintf("/etc/kvmprep.conf: %s", strerror(-r)));
			rc = -1;
		}
		buf_free(&text);
	}
	for (size_t i = 0; i < problems.n; i++)
		fprintf(stderr, "%s\n", problems.v[i]);
	if (rc < 0)
		fprintf(stderr, _("kvmprep: the profile is refused; nothing was changed\n"));
	else
		o->settings = p;
	strlist_free(&problems);
	return rc;
}

bool cli_verify_action(void *arg, const struct action *a)
{
	struct check_ctx *ctx = arg;
	char *step_id = xstrndup(a->id, strcspn(a->id, "."));
	const struct step *step = step_find(step_id);
	free(step_id);
	if (!step || !step->plan)
		return true;
	struct plan again;
	plan_init(&again);
	step->plan(ctx, &again);
	bool ok = true;
	for (size_t i = 0; i < again.n; i++)
		if (strcmp(again.v[i].id, a->id) == 0)
			ok = again.v[i].status == ACTION_UNCHANGED;
	plan_free(&again);
	return ok;
}

bool select_steps(const struct options *o, const struct step **selected, size_t *count)
{
	*count = 0;
	bool named[MAX_STEPS] = { false };
	if (o->only) {
		char *list = xstrdup(o->only);
		bool any = false;
		for (char *save = NULL, *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
			str_trim(id);
			const struct step *s = step_find(id);
			if (!s) {
				fprintf(stderr, _("kvmprep: unknown step '%s' (steps: cpu, bios, iommu, ksm)\n"), id);
				free(list);
				return false;
			}
			named[s - kvmprep_steps] = true;
			any = true;
		}
		free(list);
		if (!any) {
			fprintf(stderr, _("kvmprep: --only needs at least one step id\n"));
			return false;
		}
	}
	/* Always in the step table's order: the guide's order. */
	for (size_t i = 0; i < kvmprep_step_count && i < MAX_STEPS; i++) {
		bool wanted = o->only ? named[i] : !o->settings || profile_wants_step(o->settings, kvmprep_steps[i].id);
		if (wanted)
			selected[(*count)++] = &kvmprep_steps[i];
	}
	return true;
}

int write_all(FILE *f, const struct buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}

void text_style(const struct options *o, struct report_style *style)
{
	memset(style, 0, sizeof *style);
	style->quiet = o->quiet;
	const char *no_color = getenv("NO_COLOR"); /* no-color.org: set and not empty */
	style->color = !o->no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
	style->width = 80;
	const char *cols = getenv("COLUMNS");
	long long c;
	if (cols && str_parse_ll(cols, &c) && c >= 60 && c <= 200)
		style->width = (int)c;
}
