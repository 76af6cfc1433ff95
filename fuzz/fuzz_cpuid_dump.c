/* fuzz_cpuid_dump.c: libFuzzer target for the CPUID dump loader (libcpuid raw and AIDA64 formats). */
#include "config.h"

#include "cpuid_dump.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

/* Invariants: 0 without an error message, or -1 with a "line N: ..." message. */
FUZZ_ENTRY(cpuid_dump)
{
	struct cpu_raw_data_t raw;
	char *error = NULL;
	memset(&raw, 0, sizeof raw);
	int rc = cpuid_dump_parse((const char *)data, size, &raw, &error);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT((rc == -1) == (error != NULL));
	if (error)
		FUZZ_ASSERT(strncmp(error, "line ", 5) == 0 || strncmp(error, "no CPUID leaf 0", 15) == 0);
	free(error);
	return 0;
}
