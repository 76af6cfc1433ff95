/* check.h: what every check module receives: the host, its overview and lazily gathered facts. */
#ifndef KVMPREP_CHECK_H
#define KVMPREP_CHECK_H

#include "finding.h"
#include "host.h"
#include "hostinfo.h"

struct cpu_facts;

struct check_ctx {
	struct host *host;
	struct hostinfo info;
	struct cpu_facts *cpu; /* NULL until cpu_facts_get() gathers it; shared by later steps */
};

void check_ctx_init(struct check_ctx *ctx, struct host *h);
void check_ctx_free(struct check_ctx *ctx);

#endif
