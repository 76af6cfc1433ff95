/* check.h: what every check module receives: the host, its overview and lazily gathered facts. */
#ifndef KVMPREP_CHECK_H
#define KVMPREP_CHECK_H

#include "finding.h"
#include "host.h"
#include "hostinfo.h"
#include "kernel_log.h"

struct cpu_facts;
struct profile;

struct check_ctx {
	struct host *host;
	const struct profile *profile; /* the profile in force; never NULL (an empty one by default) */
	struct hostinfo info;
	struct cpu_facts *cpu; /* NULL until cpu_facts_get() gathers it; shared by later steps */

	/* The kernel log, read and scanned on first use by check_kernel_log(): reading it costs
	 * more than all the other facts, and many hosts never need it. */
	bool klog_read;
	int klog_rc;
	const char *klog_source;
	struct klog_hits klog;
};

void check_ctx_init(struct check_ctx *ctx, struct host *h);
void check_ctx_free(struct check_ctx *ctx);
/* The kernel log's matches; ctx->klog_rc tells whether the log could be read. */
const struct klog_hits *check_kernel_log(struct check_ctx *ctx);

#endif
