/* fuzz_cpuinfo.c: libFuzzer target for the /proc/cpuinfo parser. */
#include "config.h"

#include "cpuinfo.h"
#include "fuzz.h"
#include "util.h"

#include <string.h>

/* Invariants: every processor kept has some known key; flag counts never exceed the count of
 * processors; the first vendor and model name belong to a processor. */
FUZZ_ENTRY(cpuinfo)
{
	struct cpuinfo ci;
	cpuinfo_parse((const char *)data, size, &ci);
	FUZZ_ASSERT(ci.n <= ci.cap && ci.n <= fz_line_count_nul((const char *)data, size));
	for (size_t i = 0; i < ci.n; i++) {
		const struct cpuinfo_cpu *c = &ci.cpus[i];
		FUZZ_ASSERT(c->processor >= 0 || c->vendor_id || c->model_name || c->flags || c->vmx_flags ||
		            c->family >= 0 || c->model >= 0 || c->stepping >= 0);
		FUZZ_ASSERT(c->processor >= -1 && c->family >= -1 && c->model >= -1 && c->stepping >= -1);
	}
	static const char *const flags[] = { "vmx", "svm", "nx", "hypervisor", "lm", "" };
	for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
		FUZZ_ASSERT(cpuinfo_count_flag(&ci, flags[f]) <= ci.n);
	const char *v = cpuinfo_vendor(&ci), *m = cpuinfo_model_name(&ci);
	FUZZ_ASSERT(!v || ci.n > 0);
	FUZZ_ASSERT(!m || ci.n > 0);
	cpuinfo_free(&ci);
	return 0;
}
