/* cpuid_dump.h: loads a CPUID dump (libcpuid native or AIDA64 text) into libcpuid's raw struct. */
#ifndef KVMPREP_CPUID_DUMP_H
#define KVMPREP_CPUID_DUMP_H

#include <stddef.h>

#include <libcpuid.h>

/*
 * Parses the first logical CPU of a dump. Native lines are "basic_cpuid[N]=eax ebx ecx edx"
 * (also ext_cpuid, intel_fn4, intel_fn11, intel_fn12h, intel_fn14h, amd_fn8000001dh); AIDA64
 * lines are "CPUID 00000001: EAX-EBX-ECX-EDX [SL nn]". Parsing stops at the second CPU or
 * at the 80-dash line of a libcpuid .test file. Unknown keys are ignored. Returns 0, or -1
 * with *error set to "line N: reason" (malloc'ed) for a malformed value or a dump without
 * leaf 0 (which libcpuid 0.6.2 itself would silently accept).
 */
int cpuid_dump_parse(const char *text, size_t len, struct cpu_raw_data_t *raw, char **error);

#endif
