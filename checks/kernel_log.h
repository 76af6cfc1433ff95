/* kernel_log.h: finds the kernel messages of every era that tell about VT, NX and hypervisors. */
#ifndef KVMPREP_KERNEL_LOG_H
#define KVMPREP_KERNEL_LOG_H

#include <stddef.h>

enum klog_event {
	KLOG_VT_FIRMWARE_OFF,  /* "kvm: disabled by bios", "VMX (outside TXT) disabled by BIOS", ... */
	KLOG_VT_UNSUPPORTED,   /* "kvm: no hardware support", "SVM not supported by CPU 0", ... */
	KLOG_NX_MISSING,       /* "kvm: NX (Execute Disable) not supported" */
	KLOG_HYPERVISOR,       /* "Hypervisor detected: KVM" */
	/* IOMMU (domain.md §2.2) */
	KLOG_IVRS_TABLE,       /* "ACPI: IVRS ..." */
	KLOG_DMAR_TABLE,       /* "ACPI: DMAR ...", "DMAR: Host address width 46" */
	KLOG_AMD_IOMMU_DEFAULT_OFF, /* "AMD-Vi disabled by default: pass amd_iommu=on to enable" (EL6) */
	KLOG_AMD_IOMMU_ACTIVE, /* "AMD-Vi: Found IOMMU", "AMD-Vi: Enabling IOMMU", "AMD IOMMU: Enabling IOMMU" */
	KLOG_INTEL_IOMMU_ACTIVE, /* "... Virtualization Technology for Directed I/O" */
	KLOG_IOMMU_PASSTHROUGH, /* "AMD-Vi: Initialized for Passthrough Mode", "Default domain type: Passthrough" */
	KLOG_IOMMU_CMDLINE_OFF, /* "AMD-Vi disabled by kernel command line", "DMAR: IOMMU disabled" */
	KLOG_AMD_UNKNOWN_OPTION, /* "AMD-Vi: Unknown option - 'on'" */
	KLOG_EVENT_COUNT
};

struct klog_hits {
	size_t count[KLOG_EVENT_COUNT];
	char *first[KLOG_EVENT_COUNT]; /* the first matching message, timestamp removed */
};

/* Scans the log line by line (bounded work per line; binary junk is harmless). */
void kernel_log_scan(const char *log, size_t len, struct klog_hits *hits);
void klog_hits_free(struct klog_hits *hits);
/* The hypervisor name from a KLOG_HYPERVISOR message ("KVM"), malloc'ed, or NULL. */
char *klog_hypervisor_name(const struct klog_hits *hits);

#endif
