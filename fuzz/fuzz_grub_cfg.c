/* fuzz_grub_cfg.c: libFuzzer target for the grub.cfg reader (menuentry titles and linux lines). */
#include "config.h"

#include "fuzz.h"
#include "grub_cfg.h"

#include <string.h>

/* Invariants: each entry has its strings and a line number inside the text, in order; a stub
 * has no entries. */
FUZZ_ENTRY(grub_cfg)
{
	struct grub_cfg g;
	grub_cfg_parse((const char *)data, size, &g);
	size_t lines = fz_line_count_nul((const char *)data, size);
	for (size_t i = 0; i < g.n; i++) {
		const struct grub_cfg_entry *e = &g.v[i];
		FUZZ_ASSERT(e->title && e->kernel && e->args);
		FUZZ_ASSERT(e->lineno >= 1 && e->lineno <= lines);
		FUZZ_ASSERT(i == 0 || g.v[i - 1].lineno < e->lineno);
		FUZZ_ASSERT(!strchr(e->kernel, ' ') && !strchr(e->kernel, '\t'));
	}
	FUZZ_ASSERT(!g.stub || g.n == 0);
	grub_cfg_free(&g);
	return 0;
}
