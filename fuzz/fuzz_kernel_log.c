/* fuzz_kernel_log.c: libFuzzer target for the kernel log scanner (VT, NX, IOMMU and hypervisor messages). */
#include "config.h"

#include "fuzz.h"
#include "kernel_log.h"

#include <stdlib.h>
#include <string.h>

/* Invariants: a first message exactly for the events seen, at most one hit per line; the
 * hypervisor name only with a hypervisor message. */
FUZZ_ENTRY(kernel_log)
{
	struct klog_hits hits;
	memset(&hits, 0, sizeof hits);
	kernel_log_scan((const char *)data, size, &hits);
	size_t lines = fz_line_count((const char *)data, size);
	for (int k = 0; k < KLOG_EVENT_COUNT; k++) {
		FUZZ_ASSERT((hits.count[k] > 0) == (hits.first[k] != NULL));
		FUZZ_ASSERT(hits.count[k] <= lines);
	}
	char *name = klog_hypervisor_name(&hits);
	FUZZ_ASSERT(!name || hits.count[KLOG_HYPERVISOR] > 0);
	free(name);
	klog_hits_free(&hits);
	return 0;
}
