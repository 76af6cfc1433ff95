/* cpu_facts.h: everything known about the CPU and KVM, gathered once from CPUID, cpuinfo, logs, MSRs. */
#ifndef KVMPREP_CPU_FACTS_H
#define KVMPREP_CPU_FACTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "check.h"
#include "cpuinfo.h"
#include "kernel_log.h"

enum cpu_vendor { CPU_VENDOR_UNKNOWN, CPU_VENDOR_INTEL, CPU_VENDOR_AMD, CPU_VENDOR_OTHER };

/* Intel IA32_FEATURE_CONTROL and AMD VM_CR (domain.md CPU-3, CPU-4). */
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_AMD_VM_CR 0xc0010114u
#define FEATCTL_LOCK 0x1u
#define FEATCTL_VMX_INSIDE_SMX 0x2u
#define FEATCTL_VMX_OUTSIDE_SMX 0x4u
#define VM_CR_LOCK 0x8u
#define VM_CR_SVMDIS 0x10u

enum msr_verdict { MSR_VT_ENABLED, MSR_VT_UNLOCKED, MSR_VT_DISABLED, MSR_VT_TXT_ONLY };

struct cpu_msr_reading {
	unsigned cpu;
	uint64_t value;
	enum msr_verdict verdict;
};

struct cpu_facts {
	/* CPUID (live instruction or .kvmprep/cpuid.raw) */
	bool have_cpuid;
	int cpuid_rc;                /* 0, -errno, or -EINVAL with cpuid_error for a bad dump */
	char *cpuid_error;
	const char *cpuid_source;
	char vendor_str[16];
	char brand[64];
	enum cpu_vendor vendor;      /* from CPUID, else from /proc/cpuinfo vendor_id */
	long family, model, stepping;/* display values (family 0x10 for K10, 6 for Intel) */
	bool vmx, svm, lm, nx, hypervisor, smx;
	int npt;                     /* AMD nested paging: 1, 0, or -1 unknown */

	/* /proc/cpuinfo */
	int cpuinfo_rc;
	struct cpuinfo cpuinfo;

	/* MSRs on every CPU (only when CPUID shows VT) */
	bool msr_tried;              /* MSRs only matter when the CPU has VT */
	int msr_rc;                  /* 0 when at least one value was read, else the error */
	struct cpu_msr_reading *msrs;
	size_t msr_count;

	/* KVM modules (/sys/module, /proc/modules) */
	bool modules_known;          /* at least one of the two sources was readable */
	bool kvm_module;             /* kvm */
	const char *kvm_vendor_module; /* "kvm_intel", "kvm_amd", "kvm_pvm", or NULL */

	/* who inspects, and what /dev/kvm does */
	int uid_rc;
	uid_t uid;
	int probe_rc;
	char *probe;                 /* "ok api=12", "eacces", ... */
	bool kvm_device;             /* /dev/kvm exists */

	/* virtual machine */
	char *hypervisor_name;       /* "KVM", "VMware", ... or NULL */
	const char *hypervisor_source;
};

/* Gathers the facts on first use and caches them in the context. */
struct cpu_facts *cpu_facts_get(struct check_ctx *ctx);
void cpu_facts_free(struct cpu_facts *f);

/* "vmx" or "svm" for the CPU's vendor ("vmx" for unknown vendors), and the feature name. */
const char *cpu_vt_flag(const struct cpu_facts *f);
const char *cpu_vt_name(const struct cpu_facts *f);
/* VT present per CPUID (vendor-appropriate flag). */
bool cpu_has_vt_cpuid(const struct cpu_facts *f);
/* Number of processors in /proc/cpuinfo with the VT flag, and the number of processors. */
size_t cpu_vt_in_cpuinfo(const struct cpu_facts *f, size_t *total);
/* True when the kernel created a VM through /dev/kvm. */
bool cpu_kvm_works(const struct cpu_facts *f);
/* True when /dev/kvm exists but the probe could not be run (permission, or not recorded). */
bool cpu_kvm_untested(const struct cpu_facts *f);
/* The hypervisor bit from CPUID, or the "hypervisor" flag of /proc/cpuinfo without CPUID. */
bool cpu_is_virtual(const struct cpu_facts *f);
/* The firmware state of VT-x/AMD-V, from every kind of evidence (domain.md CPU-2..CPU-6). */
enum vt_firmware_state { VTFW_NO_CPU_DATA, VTFW_NO_VT, VTFW_DISABLED, VTFW_ENABLED, VTFW_UNKNOWN };
enum vt_firmware_basis { VTFW_BY_MSR, VTFW_BY_KVM, VTFW_BY_MODULE };
struct vt_firmware {
	enum vt_firmware_state state;
	enum vt_firmware_basis basis;  /* why ENABLED */
	size_t msr_off, msr_on;        /* CPUs whose MSR says disabled / enabled */
	bool hidden;                   /* CPUID has VT but /proc/cpuinfo lacks it on some CPUs */
	size_t cpuinfo_with, cpuinfo_total;
	const char *klog_message;      /* the kernel's firmware complaint, or NULL */
};
void cpu_vt_firmware(struct check_ctx *ctx, struct cpu_facts *f, struct vt_firmware *out);

/* Adds one line per fact that could not be seen ("kernel log: needs root"), for the report. */
void cpu_facts_limits(const struct check_ctx *ctx, const struct cpu_facts *f, struct strlist *limits);
/* Why a fact could not be had, in words (translated). */
const char *fact_unavailable_reason(int rc);
enum msr_verdict cpu_msr_verdict(enum cpu_vendor vendor, uint64_t value);

#endif
