/* kernel_log.c: table-driven matching of kernel messages (domain.md CPU-6, CPU-11). */
#include "config.h"

#include "kernel_log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NEEDLES 6

/* A message matches when it contains one of `any` and, if given, one of `context`
 * (all case-insensitive). */
struct klog_pattern {
	enum klog_event event;
	const char *any[MAX_NEEDLES];
	const char *context[MAX_NEEDLES];
};

static const struct klog_pattern patterns[] = {
	{ KLOG_VT_FIRMWARE_OFF,
	  { "disabled by bios", "disabled (by bios)", "not enabled (by bios)", "vmx is disabled on cpu" },
	  { "kvm", "vmx", "svm" } },
	{ KLOG_VT_UNSUPPORTED,
	  { "no hardware support", "vmx not supported by cpu", "svm not supported by cpu",
	    "has_svm: svm not available", "has_svm: not amd" },
	  { "kvm", "vmx", "svm" } },
	{ KLOG_NX_MISSING, { "nx (execute disable) not supported" }, { NULL } },
	{ KLOG_HYPERVISOR, { "hypervisor detected:" }, { NULL } },
	{ KLOG_IVRS_TABLE, { "acpi: ivrs " }, { NULL } },
	{ KLOG_DMAR_TABLE, { "acpi: dmar ", "dmar: host address width", "dmar:host address width" }, { NULL } },
	{ KLOG_AMD_IOMMU_DEFAULT_OFF, { "amd-vi disabled by default" }, { NULL } },
	{ KLOG_AMD_IOMMU_ACTIVE, { "amd-vi: found iommu", "amd-vi: enabling iommu", "amd iommu: enabling iommu" },
	  { NULL } },
	{ KLOG_INTEL_IOMMU_ACTIVE, { "virtualization technology for directed i/o" }, { NULL } },
	{ KLOG_IOMMU_PASSTHROUGH, { "amd-vi: initialized for passthrough mode", "default domain type: passthrough" },
	  { NULL } },
	{ KLOG_IOMMU_CMDLINE_OFF, { "amd-vi disabled by kernel command line", "dmar: iommu disabled" }, { NULL } },
	{ KLOG_AMD_UNKNOWN_OPTION, { "amd-vi: unknown option" }, { NULL } },
};

/* line is already lower case and the needles are: plain strstr is much faster than a
 * case-insensitive search, which matters for multi-megabyte logs. */
static bool contains_any(const char *line, const char *const needles[MAX_NEEDLES])
{
	for (int i = 0; i < MAX_NEEDLES && needles[i]; i++)
		if (strstr(line, needles[i]))
			return true;
	return false;
}

/* Drops a leading "[  123.456789] " timestamp. */
static const char *message_text(const char *line)
{
	if (line[0] != '[')
		return line;
	const char *close = strchr(line, ']');
	if (!close)
		return line;
	close++;
	while (*close == ' ')
		close++;
	return close;
}

void kernel_log_scan(const char *log, size_t len, struct klog_hits *hits)
{
	memset(hits, 0, sizeof *hits);
	struct buf line, lower;
	buf_init(&line);
	buf_init(&lower);
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(log + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - log) : len;
		buf_reset(&line);
		buf_reset(&lower);
		buf_append(&line, log + pos, end - pos);
		buf_append(&lower, log + pos, end - pos);
		pos = end + 1;
		if (!line.data)
			continue;
		/* NUL bytes would cut the line short; replace them so the rest is still seen. */
		for (size_t i = 0; i < line.len; i++) {
			if (!line.data[i])
				line.data[i] = lower.data[i] = ' ';
			else if (lower.data[i] >= 'A' && lower.data[i] <= 'Z')
				lower.data[i] = (char)(lower.data[i] - 'A' + 'a');
		}
		for (size_t p = 0; p < ARRAY_SIZE(patterns); p++) {
			const struct klog_pattern *pat = &patterns[p];
			if (!contains_any(lower.data, pat->any))
				continue;
			if (pat->context[0] && !contains_any(lower.data, pat->context))
				continue;
			if (hits->count[pat->event]++ == 0)
				hits->first[pat->event] = str_trim(xstrdup(message_text(line.data)));
		}
	}
	buf_free(&line);
	buf_free(&lower);
}

void klog_hits_free(struct klog_hits *hits)
{
	for (int i = 0; i < KLOG_EVENT_COUNT; i++)
		free(hits->first[i]);
	memset(hits, 0, sizeof *hits);
}

char *klog_hypervisor_name(const struct klog_hits *hits)
{
	const char *msg = hits->first[KLOG_HYPERVISOR];
	if (!msg)
		return NULL;
	const char *p = str_casestr(msg, "hypervisor detected:");
	if (!p)
		return NULL;
	return str_trim(xstrdup(p + strlen("hypervisor detected:")));
}
