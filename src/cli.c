/* cli.c: helpers the command modules share: step selection, output and text style. */
#include "config.h"

#include "cli.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Selects the steps named in --only (all when NULL); false with a message on a bad id. */
bool select_steps(const char *only, const struct step **selected, size_t *count)
{
	*count = 0;
	if (!only) {
		for (size_t i = 0; i < kvmprep_step_count; i++)
			selected[(*count)++] = &kvmprep_steps[i];
		return true;
	}
	char *list = xstrdup(only);
	bool ok = true;
	for (char *save = NULL, *id = strtok_r(list, ",", &save); id && ok; id = strtok_r(NULL, ",", &save)) {
		str_trim(id);
		const struct step *s = step_find(id);
		if (!s) {
			if (step_id_is_known(id))
				fprintf(stderr, _("kvmprep: step '%s' is not available in this version (available: cpu, bios, iommu)\n"), id);
			else
				fprintf(stderr, _("kvmprep: unknown step '%s' (steps: cpu, bios, iommu, ksm)\n"), id);
			ok = false;
			break;
		}
		bool dup = false;
		for (size_t i = 0; i < *count; i++)
			dup = dup || selected[i] == s;
		if (!dup)
			selected[(*count)++] = s;
	}
	free(list);
	if (ok && *count == 0) {
		fprintf(stderr, _("kvmprep: --only needs at least one step id\n"));
		ok = false;
	}
	return ok;
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
