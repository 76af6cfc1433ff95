/* steps.c: the step table and the check context that every step shares. */
#include "config.h"

#include "steps.h"
#include "cpu_facts.h"
#include "i18n.h"
#include "profile.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const struct step kvmprep_steps[] = {
	{ "cpu", N_("CPU virtualization"), step_cpu_check, NULL },
	{ "bios", N_("BIOS reminders"), step_bios_check, NULL },
	{ "iommu", N_("IOMMU boot flag"), step_iommu_check, step_iommu_plan },
	{ "ksm", N_("KSM services and autostart"), step_ksm_check, step_ksm_plan },
};
const size_t kvmprep_step_count = sizeof kvmprep_steps / sizeof kvmprep_steps[0];

const struct step *step_find(const char *id)
{
	for (size_t i = 0; i < kvmprep_step_count; i++)
		if (strcmp(kvmprep_steps[i].id, id) == 0)
			return &kvmprep_steps[i];
	return NULL;
}

bool step_id_is_known(const char *id)
{
	return step_find(id) != NULL;
}

bool step_verify_action(void *arg, const struct action *a)
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

void check_ctx_init(struct check_ctx *ctx, struct host *h)
{
	static struct profile empty; /* no profile: every key absent, the guide's defaults */
	memset(ctx, 0, sizeof *ctx);
	ctx->host = h;
	ctx->profile = &empty;
	hostinfo_gather(h, &ctx->info);
}

const struct klog_hits *check_kernel_log(struct check_ctx *ctx)
{
	if (!ctx->klog_read) {
		struct buf log;
		buf_init(&log);
		ctx->klog_read = true;
		ctx->klog_rc = host_fact_kernel_log(ctx->host, &log, &ctx->klog_source);
		if (ctx->klog_rc == 0)
			kernel_log_scan(log.data, log.len, &ctx->klog);
		buf_free(&log);
	}
	return &ctx->klog;
}

void check_ctx_free(struct check_ctx *ctx)
{
	klog_hits_free(&ctx->klog);
	cpu_facts_free(ctx->cpu);
	hostinfo_free(&ctx->info);
	memset(ctx, 0, sizeof *ctx);
}
