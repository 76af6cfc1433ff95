/* steps.h: the single table of wizard/CLI steps; the CLI, the wizard and the summary iterate it. */
#ifndef KVMPREP_STEPS_H
#define KVMPREP_STEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "finding.h"

struct step {
	const char *id;     /* stable: "cpu", "bios", "iommu", "ksm" (used by --only, JSON, tests) */
	const char *title;  /* English; translate with _() when shown */
	void (*check)(struct check_ctx *ctx, struct finding_list *out);
};

extern const struct step kvmprep_steps[];
extern const size_t kvmprep_step_count;

/* The step with this id, or NULL. */
const struct step *step_find(const char *id);
/* Every step id of design.md §1, including those this version does not implement yet. */
bool step_id_is_known(const char *id);

/* Step check functions, one per checks/ module. */
void step_cpu_check(struct check_ctx *ctx, struct finding_list *out);

#endif
