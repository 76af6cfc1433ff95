/* cpu_facts.c: gathers CPU facts once: CPUID via libcpuid, /proc/cpuinfo, kernel log, MSRs, /dev/kvm. */
#include "config.h"

#include "cpu_facts.h"
#include "cpuid_dump.h"
#include "i18n.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcpuid.h>

#define CPUINFO_MAX_BYTES (64u * 1024 * 1024)

#ifdef HAVE_STRUCT_CPU_ID_T_X86_EXT_FAMILY
#define CPU_ID_X86(id, field) ((id)->x86.field)
#else
#define CPU_ID_X86(id, field) ((id)->field)
#endif

static void quiet_libcpuid(const char *msg)
{
	(void)msg; /* problems are reported through cpuid_dump_parse's line numbers instead */
}

static enum cpu_vendor vendor_from_string(const char *s)
{
	if (!s)
		return CPU_VENDOR_UNKNOWN;
	if (strcmp(s, "GenuineIntel") == 0)
		return CPU_VENDOR_INTEL;
	if (strcmp(s, "AuthenticAMD") == 0 || strcmp(s, "HygonGenuine") == 0)
		return CPU_VENDOR_AMD;
	return *s ? CPU_VENDOR_OTHER : CPU_VENDOR_UNKNOWN;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void gather_cpuid(struct check_ctx *ctx, struct cpu_facts *f)
{
	struct buf dump;
	buf_init(&dump);
	f->cpuid_rc = host_fact_cpuid(ctx->host, &dump, &f->cpuid_source);
	if (f->cpuid_rc == 0) {
		struct cpu_raw_data_t raw;
		struct cpu_id_t *id = xcalloc(1, sizeof *id);
		cpuid_set_warn_function(quiet_libcpuid);
		if (cpuid_dump_parse(dump.data, dump.len, &raw, &f->cpuid_error) < 0) {
			f->cpuid_rc = -EINVAL;
		} else if (cpu_identify(&raw, id) < 0) {
			f->cpuid_rc = -EINVAL;
			f->cpuid_error = xasprintf(_("libcpuid could not identify the CPU: %s"), cpuid_error());
		} else {
			f->have_cpuid = true;
			copy_str(f->vendor_str, sizeof f->vendor_str, id->vendor_str);
			copy_str(f->brand, sizeof f->brand, id->brand_str);
			str_trim(f->brand);
			f->family = CPU_ID_X86(id, ext_family);
			f->model = CPU_ID_X86(id, ext_model);
			f->stepping = CPU_ID_X86(id, stepping);
			f->vmx = id->flags[CPU_FEATURE_VMX];
			f->svm = id->flags[CPU_FEATURE_SVM];
			f->lm = id->flags[CPU_FEATURE_LM];
			f->nx = id->flags[CPU_FEATURE_NX] || id->flags[CPU_FEATURE_XD];
			f->hypervisor = id->flags[CPU_FEATURE_HYPERVISOR];
			f->smx = id->flags[CPU_FEATURE_SMX];
			/* libcpuid 0.6.2 sets vmx only for Intel: read the bits directly as well. */
			f->vmx = f->vmx || (raw.basic_cpuid[1][2] & (1u << 5));
			f->svm = f->svm || (raw.ext_cpuid[1][2] & (1u << 2));
			f->hypervisor = f->hypervisor || (raw.basic_cpuid[1][2] & (1u << 31));
			f->npt = -1;
			if (f->svm && raw.ext_cpuid[0][0] >= 0x8000000Au)
				f->npt = raw.ext_cpuid[0x0A][3] & 1;
			f->vendor = vendor_from_string(f->vendor_str);
		}
		free(id);
	}
	buf_free(&dump);
}

static void gather_cpuinfo(struct check_ctx *ctx, struct cpu_facts *f)
{
	struct buf text;
	buf_init(&text);
	f->cpuinfo_rc = host_read_file(ctx->host, "/proc/cpuinfo", CPUINFO_MAX_BYTES, &text);
	if (f->cpuinfo_rc == 0) {
		cpuinfo_parse(text.data, text.len, &f->cpuinfo);
		if (f->cpuinfo.n == 0)
			f->cpuinfo_rc = -ENODATA;
	}
	buf_free(&text);
	if (!f->have_cpuid && f->cpuinfo.n > 0) {
		const struct cpuinfo_cpu *c = &f->cpuinfo.cpus[0];
		copy_str(f->vendor_str, sizeof f->vendor_str, c->vendor_id);
		copy_str(f->brand, sizeof f->brand, c->model_name);
		f->vendor = vendor_from_string(c->vendor_id);
		f->family = c->family;
		f->model = c->model;
		f->stepping = c->stepping;
		size_t n = f->cpuinfo.n;
		f->vmx = cpuinfo_count_flag(&f->cpuinfo, "vmx") == n;
		f->svm = cpuinfo_count_flag(&f->cpuinfo, "svm") == n;
		f->lm = cpuinfo_count_flag(&f->cpuinfo, "lm") == n;
		f->nx = cpuinfo_count_flag(&f->cpuinfo, "nx") == n;
		f->hypervisor = cpuinfo_count_flag(&f->cpuinfo, "hypervisor") > 0;
		f->npt = cpuinfo_count_flag(&f->cpuinfo, "npt") == n ? 1 : -1;
	}
}

enum msr_verdict cpu_msr_verdict(enum cpu_vendor vendor, uint64_t v)
{
	if (vendor == CPU_VENDOR_AMD)
		return (v & VM_CR_SVMDIS) ? MSR_VT_DISABLED : MSR_VT_ENABLED;
	if (!(v & FEATCTL_LOCK))
		return MSR_VT_UNLOCKED;
	if (v & FEATCTL_VMX_OUTSIDE_SMX)
		return MSR_VT_ENABLED;
	return (v & FEATCTL_VMX_INSIDE_SMX) ? MSR_VT_TXT_ONLY : MSR_VT_DISABLED;
}

/* Reads the firmware-control MSR on every processor listed in /proc/cpuinfo. */
static void gather_msrs(struct check_ctx *ctx, struct cpu_facts *f)
{
	f->msr_rc = -ENOENT;
	if (f->vendor != CPU_VENDOR_INTEL && f->vendor != CPU_VENDOR_AMD)
		return;
	f->msr_tried = true;
	uint32_t index = f->vendor == CPU_VENDOR_AMD ? MSR_AMD_VM_CR : MSR_IA32_FEATURE_CONTROL;
	size_t ncpu = f->cpuinfo.n ? f->cpuinfo.n : 1;
	f->msrs = xcalloc(ncpu, sizeof *f->msrs);
	for (size_t i = 0; i < ncpu; i++) {
		long cpu = f->cpuinfo.n ? f->cpuinfo.cpus[i].processor : 0;
		if (cpu < 0)
			cpu = (long)i;
		uint64_t value;
		int rc = host_fact_msr(ctx->host, (unsigned)cpu, index, &value);
		if (rc < 0) {
			if (f->msr_count == 0)
				f->msr_rc = rc;
			if (rc == -ENOENT || rc == -EACCES || rc == -EPERM)
				break; /* the driver or the permission is missing for every CPU alike */
			continue;
		}
		f->msr_rc = 0;
		struct cpu_msr_reading *r = &f->msrs[f->msr_count++];
		r->cpu = (unsigned)cpu;
		r->value = value;
		r->verdict = cpu_msr_verdict(f->vendor, value);
	}
}

/* Whether a module is loaded: /sys/module/NAME, or a line of /proc/modules. */
static bool module_loaded(struct host *h, const struct buf *proc_modules, const char *name)
{
	char *path = xasprintf("/sys/module/%s", name);
	bool yes = host_is_dir(h, path);
	free(path);
	if (yes || !proc_modules->data)
		return yes;
	size_t len = strlen(name);
	for (const char *line = proc_modules->data; *line;) {
		if (strncmp(line, name, len) == 0 && line[len] == ' ')
			return true;
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return false;
}

static void gather_modules(struct check_ctx *ctx, struct cpu_facts *f)
{
	static const char *const vendor_modules[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };
	struct buf mods;
	buf_init(&mods);
	int mrc = host_read_file(ctx->host, "/proc/modules", 16 * 1024 * 1024, &mods);
	f->modules_known = mrc == 0 || host_is_dir(ctx->host, "/sys/module");
	if (f->modules_known) {
		f->kvm_module = module_loaded(ctx->host, &mods, "kvm");
		for (size_t i = 0; i < ARRAY_SIZE(vendor_modules) && !f->kvm_vendor_module; i++)
			if (module_loaded(ctx->host, &mods, vendor_modules[i]))
				f->kvm_vendor_module = vendor_modules[i];
	}
	buf_free(&mods);
}

static const struct {
	const char *signature;
	const char *name;
} hypervisors[] = {
	{ "KVMKVMKVM", "KVM" },          { "Microsoft Hv", "Hyper-V" },
	{ "VMwareVMware", "VMware" },    { "XenVMMXenVMM", "Xen" },
	{ "TCGTCGTCGTCG", "QEMU (TCG)" }, { "VBoxVBoxVBox", "VirtualBox" },
	{ "prl hyperv", "Parallels" },   { "lrpepyh  vr", "Parallels" },
	{ "bhyve bhyve", "bhyve" },      { "ACRNACRNACRN", "ACRN" },
	{ "QNXQVMBSQG", "QNX" },         { "EVMMEVMMEVMM", "Intel KGT" },
};

static void gather_hypervisor(struct check_ctx *ctx, struct cpu_facts *f)
{
	if (!cpu_is_virtual(f))
		return;
	char *sig = NULL;
	if (host_fact_hypervisor_signature(ctx->host, &sig) == 0 && sig && *sig) {
		for (size_t i = 0; i < ARRAY_SIZE(hypervisors); i++)
			if (strcmp(sig, hypervisors[i].signature) == 0)
				f->hypervisor_name = xstrdup(hypervisors[i].name);
		if (!f->hypervisor_name)
			f->hypervisor_name = xasprintf("unknown (CPUID signature \"%s\")", sig);
		f->hypervisor_source = "CPUID leaf 0x40000000";
	}
	free(sig);
	if (!f->hypervisor_name &&
	    (f->hypervisor_name = klog_hypervisor_name(check_kernel_log(ctx))) != NULL)
		f->hypervisor_source = "kernel log";
	if (!f->hypervisor_name) {
		char *type = NULL;
		if (host_read_line(ctx->host, "/sys/hypervisor/type", &type) == 0 && *type) {
			f->hypervisor_name = type;
			f->hypervisor_source = "/sys/hypervisor/type";
		} else {
			free(type);
		}
	}
}

struct cpu_facts *cpu_facts_get(struct check_ctx *ctx)
{
	if (ctx->cpu)
		return ctx->cpu;
	struct cpu_facts *f = xcalloc(1, sizeof *f);
	f->family = f->model = f->stepping = -1;
	f->npt = -1;
	gather_cpuid(ctx, f);
	gather_cpuinfo(ctx, f);
	/* MSRs matter only for a CPU with VT; without CPUID data, the kernel log may tell. */
	if (cpu_has_vt_cpuid(f) || cpu_vt_in_cpuinfo(f, NULL) > 0 ||
	    (!f->have_cpuid && check_kernel_log(ctx)->count[KLOG_VT_FIRMWARE_OFF] > 0))
		gather_msrs(ctx, f);
	else
		f->msr_rc = -ENOENT;
	gather_modules(ctx, f);
	f->uid_rc = host_fact_uid(ctx->host, &f->uid);
	f->probe_rc = host_fact_kvm_probe(ctx->host, &f->probe);
	f->kvm_device = host_exists(ctx->host, "/dev/kvm");
	gather_hypervisor(ctx, f);
	ctx->cpu = f;
	return f;
}

void cpu_facts_free(struct cpu_facts *f)
{
	if (!f)
		return;
	free(f->cpuid_error);
	cpuinfo_free(&f->cpuinfo);
	free(f->msrs);
	free(f->probe);
	free(f->hypervisor_name);
	free(f);
}

const char *cpu_vt_flag(const struct cpu_facts *f)
{
	return f->vendor == CPU_VENDOR_AMD ? "svm" : "vmx";
}

const char *cpu_vt_name(const struct cpu_facts *f)
{
	return f->vendor == CPU_VENDOR_AMD ? "AMD-V" : "VT-x";
}

bool cpu_has_vt_cpuid(const struct cpu_facts *f)
{
	if (!f->have_cpuid)
		return false;
	if (f->vendor == CPU_VENDOR_AMD)
		return f->svm;
	if (f->vendor == CPU_VENDOR_INTEL)
		return f->vmx;
	return f->vmx || f->svm;
}

size_t cpu_vt_in_cpuinfo(const struct cpu_facts *f, size_t *total)
{
	if (total)
		*total = f->cpuinfo.n;
	return cpuinfo_count_flag(&f->cpuinfo, cpu_vt_flag(f));
}

bool cpu_kvm_works(const struct cpu_facts *f)
{
	return f->probe_rc == 0 && f->probe && str_starts_with(f->probe, "ok");
}

bool cpu_kvm_untested(const struct cpu_facts *f)
{
	return f->kvm_device && (f->probe_rc < 0 || (f->probe && strcmp(f->probe, "eacces") == 0));
}

bool cpu_is_virtual(const struct cpu_facts *f)
{
	if (f->have_cpuid)
		return f->hypervisor;
	return cpuinfo_count_flag(&f->cpuinfo, "hypervisor") > 0;
}

const char *fact_unavailable_reason(int rc)
{
	switch (-rc) {
	case ENODATA:
		return _("not recorded in this snapshot");
	case EACCES:
	case EPERM:
		return _("needs root");
	case ENOENT:
		return _("not available on this system");
	default:
		return strerror(-rc);
	}
}

void cpu_facts_limits(const struct check_ctx *ctx, const struct cpu_facts *f, struct strlist *limits)
{
	if (f->cpuid_rc < 0)
		strlist_add_owned(limits, xasprintf(_("CPUID: %s"), f->cpuid_error ? f->cpuid_error :
		                                    fact_unavailable_reason(f->cpuid_rc)));
	if (ctx->klog_read && ctx->klog_rc < 0)
		strlist_add_owned(limits, xasprintf(_("kernel log: %s"), fact_unavailable_reason(ctx->klog_rc)));
	if (f->msr_tried && f->msr_rc < 0)
		strlist_add_owned(limits, xasprintf(_("MSRs: %s"), f->msr_rc == -ENOENT ?
		                                    _("the msr driver is not loaded (modprobe msr)") :
		                                    fact_unavailable_reason(f->msr_rc)));
	if (f->probe_rc < 0)
		strlist_add_owned(limits, xasprintf(_("/dev/kvm probe: %s"), fact_unavailable_reason(f->probe_rc)));
	else if (f->probe && strcmp(f->probe, "eacces") == 0)
		strlist_add_owned(limits, xasprintf(_("/dev/kvm probe: uid %u may not open /dev/kvm, so no VM "
		                                      "was tried"), (unsigned)f->uid));
}

void cpu_vt_firmware(struct check_ctx *ctx, struct cpu_facts *f, struct vt_firmware *out)
{
	memset(out, 0, sizeof *out);
	out->cpuinfo_with = cpu_vt_in_cpuinfo(f, &out->cpuinfo_total);
	bool cpu_has_vt = cpu_has_vt_cpuid(f) || (out->cpuinfo_total && out->cpuinfo_with == out->cpuinfo_total);
	/* The kernel's firmware complaints matter only where VT may exist. */
	const struct klog_hits *klog = cpu_has_vt || !f->have_cpuid ? check_kernel_log(ctx) : NULL;
	if (klog && klog->count[KLOG_VT_FIRMWARE_OFF])
		out->klog_message = klog->first[KLOG_VT_FIRMWARE_OFF];
	if (!cpu_has_vt && !out->klog_message) {
		out->state = !f->have_cpuid && out->cpuinfo_total == 0 ? VTFW_NO_CPU_DATA : VTFW_NO_VT;
		return;
	}
	for (size_t i = 0; i < f->msr_count; i++) {
		if (f->msrs[i].verdict == MSR_VT_DISABLED || f->msrs[i].verdict == MSR_VT_TXT_ONLY)
			out->msr_off++;
		else
			out->msr_on++;
	}
	out->hidden = cpu_has_vt_cpuid(f) && out->cpuinfo_total && out->cpuinfo_with < out->cpuinfo_total;
	if (out->msr_off || out->klog_message || out->hidden) {
		out->state = VTFW_DISABLED;
	} else if (out->msr_on) {
		out->state = VTFW_ENABLED;
		out->basis = VTFW_BY_MSR;
	} else if (cpu_kvm_works(f)) {
		out->state = VTFW_ENABLED;
		out->basis = VTFW_BY_KVM;
	} else if (f->kvm_vendor_module && strcmp(f->kvm_vendor_module,
	                                          f->vendor == CPU_VENDOR_AMD ? "kvm_amd" : "kvm_intel") == 0) {
		out->state = VTFW_ENABLED; /* the vendor module refuses to load when the firmware disables VT */
		out->basis = VTFW_BY_MODULE;
	} else {
		out->state = VTFW_UNKNOWN;
	}
}
