/* steps.h: the single table of wizard/CLI steps; the CLI, the wizard and the summary iterate it. */
#ifndef KVMPREP_STEPS_H
#define KVMPREP_STEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "action.h"
#include "check.h"
#include "cpu_facts.h"
#include "finding.h"

struct step {
	const char *id;     /* stable: "cpu", "bios", "iommu", "ksm" (used by --only, JSON, tests) */
	const char *title;  /* English; translate with _() when shown */
	void (*check)(struct check_ctx *ctx, struct finding_list *out);
	void (*plan)(struct check_ctx *ctx, struct plan *plan); /* NULL: nothing apply can do */
};

extern const struct step kvmprep_steps[];
extern const size_t kvmprep_step_count;

/* The step with this id, or NULL. */
const struct step *step_find(const char *id);
/* Whether id names a step of design.md §1. */
bool step_id_is_known(const char *id);
/* apply_plan's verifier (ctx is a struct check_ctx): the action's step, planned again on the
 * changed host, has nothing left to do for it. */
bool step_verify_action(void *ctx, const struct action *a);

/* Step functions, one module each. */
void step_cpu_check(struct check_ctx *ctx, struct finding_list *out);
void step_bios_check(struct check_ctx *ctx, struct finding_list *out);
void step_iommu_check(struct check_ctx *ctx, struct finding_list *out);
void step_iommu_plan(struct check_ctx *ctx, struct plan *plan);
void step_ksm_check(struct check_ctx *ctx, struct finding_list *out);
void step_ksm_plan(struct check_ctx *ctx, struct plan *plan);
/* Bytes KSM saves now ((pages_sharing + ksm_zero_pages) * page size), or -1. */
long long ksm_saved_bytes(struct check_ctx *ctx);

/* The firmware setup instructions of bios.c, shared with the CPU step's hints. */
const char *bios_vt_instructions(enum cpu_vendor vendor);
const char *bios_iommu_instructions(enum cpu_vendor vendor);

#endif
