/* cpuinfo.h: parser for /proc/cpuinfo (x86): per-processor vendor, model and flag lines. */
#ifndef KVMPREP_CPUINFO_H
#define KVMPREP_CPUINFO_H

#include <stdbool.h>
#include <stddef.h>

struct cpuinfo_cpu {
	long processor;      /* -1 when the block had no "processor" line */
	char *vendor_id;     /* NULL when absent */
	char *model_name;
	char *flags;         /* the "flags" line, space separated */
	char *vmx_flags;     /* the "vmx flags" line of kernels >= 5.6, or NULL */
	long family, model, stepping; /* -1 when absent */
};

struct cpuinfo {
	struct cpuinfo_cpu *cpus;
	size_t n, cap;
	size_t skipped_lines; /* lines that were not "key : value" (binary junk, truncation) */
};

/* Parses the text (need not be NUL-terminated; NUL bytes end a line). Never fails on junk:
 * blocks without any known key are dropped. */
void cpuinfo_parse(const char *text, size_t len, struct cpuinfo *out);
void cpuinfo_free(struct cpuinfo *ci);
/* How many processors list the flag as a whole token (in "flags" or "vmx flags"). */
size_t cpuinfo_count_flag(const struct cpuinfo *ci, const char *flag);
/* The first processor's value, or NULL. */
const char *cpuinfo_vendor(const struct cpuinfo *ci);
const char *cpuinfo_model_name(const struct cpuinfo *ci);

#endif
