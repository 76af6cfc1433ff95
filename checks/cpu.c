/* cpu.c: the CPU virtualization step: every cpu.* finding of design.md §2. */
#include "config.h"

#include "cpu_facts.h"
#include "i18n.h"
#include "steps.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <libcpuid.h>

#define KVM_MISC_MAJOR 10
#define KVM_MINOR 232

#define unavailable_reason fact_unavailable_reason

static const char *msr_unavailable_reason(int rc)
{
	if (rc == -ENOENT)
		return _("no /dev/cpu/N/msr: the msr driver is not loaded (modprobe msr)");
	if (rc == -EIO)
		return _("the CPU does not implement this MSR");
	return unavailable_reason(rc);
}

static const char *vendor_module(const struct cpu_facts *f)
{
	return f->vendor == CPU_VENDOR_AMD ? "kvm_amd" : "kvm_intel";
}

/* ---- cpu.vendor ---- */

static void check_vendor(struct cpu_facts *f, struct finding_list *out)
{
	if (!f->have_cpuid && f->cpuinfo.n == 0) {
		finding_add(out, "cpu.vendor", STATUS_SKIP,
		            _("CPU unknown: no CPUID data (%s) and no /proc/cpuinfo (%s)"),
		            f->cpuid_error ? f->cpuid_error : unavailable_reason(f->cpuid_rc),
		            unavailable_reason(f->cpuinfo_rc));
		return;
	}
	struct finding *x = finding_add(out, "cpu.vendor", STATUS_INFO,
	                                _("%s, %s, family %ld model %ld stepping %ld"),
	                                f->vendor_str[0] ? f->vendor_str : "unknown vendor",
	                                f->brand[0] ? f->brand : _("no brand string"), f->family,
	                                f->model, f->stepping);
	if (f->have_cpuid)
		finding_add_detail(x, _("Source: %s (libcpuid %s)."), f->cpuid_source, cpuid_lib_version());
	else
		finding_add_detail(x, _("Source: /proc/cpuinfo; no CPUID data: %s."),
		                   f->cpuid_error ? f->cpuid_error : unavailable_reason(f->cpuid_rc));
	if (f->cpuinfo.n)
		finding_add_detail(x, _("%zu logical CPUs in /proc/cpuinfo."), f->cpuinfo.n);
}

/* ---- cpu.vt ---- */

static void add_slat_detail(struct cpu_facts *f, struct finding *x)
{
	if (f->vendor == CPU_VENDOR_AMD) {
		if (f->npt == 1)
			finding_add_detail(x, _("Nested page tables (NPT/RVI): yes."));
		else if (f->npt == 0)
			finding_add_detail(x, _("Nested page tables (NPT/RVI): no; guests will run noticeably slower."));
	} else if (f->cpuinfo.n) {
		size_t ept = cpuinfo_count_flag(&f->cpuinfo, "ept");
		if (ept == f->cpuinfo.n)
			finding_add_detail(x, _("Extended page tables (EPT): yes."));
		else if (cpu_vt_in_cpuinfo(f, NULL) == f->cpuinfo.n)
			finding_add_detail(x, _("Extended page tables (EPT): not listed; guests will run noticeably slower."));
	}
}

static void check_vt(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	const char *name = cpu_vt_name(f), *flag = cpu_vt_flag(f);
	size_t total = 0, in_cpuinfo = cpu_vt_in_cpuinfo(f, &total);
	bool virt = cpu_is_virtual(f);
	struct finding *x;

	if (f->have_cpuid && cpu_has_vt_cpuid(f)) {
		x = finding_add(out, "cpu.vt", STATUS_OK, _("%s (%s) supported by the CPU"), name, flag);
		finding_add_detail(x, _("CPUID reports %s (%s)."), flag, f->cpuid_source);
		if (total && in_cpuinfo < total)
			finding_add_detail(x, _("/proc/cpuinfo lists %s on %zu of %zu CPUs: see cpu.vt_firmware."),
			                   flag, in_cpuinfo, total);
		add_slat_detail(f, x);
		return;
	}
	if (!f->have_cpuid && total && in_cpuinfo == total) {
		x = finding_add(out, "cpu.vt", STATUS_OK, _("%s (%s) supported (from /proc/cpuinfo)"), name, flag);
		finding_add_detail(x, _("No CPUID data (%s), so this comes from the kernel's flags."),
		                   f->cpuid_error ? f->cpuid_error : unavailable_reason(f->cpuid_rc));
		add_slat_detail(f, x);
		return;
	}
	const struct klog_hits *klog = f->have_cpuid ? NULL : check_kernel_log(ctx);
	if (klog && klog->count[KLOG_VT_FIRMWARE_OFF]) {
		x = finding_add(out, "cpu.vt", STATUS_OK,
		                _("%s present: the kernel reports it disabled by the firmware"), name);
		finding_add_detail(x, _("Kernel: %s"), klog->first[KLOG_VT_FIRMWARE_OFF]);
		return;
	}
	if (!f->have_cpuid && total == 0) {
		finding_add(out, "cpu.vt", STATUS_SKIP,
		            _("cannot tell: no CPUID data (%s) and no /proc/cpuinfo (%s)"),
		            f->cpuid_error ? f->cpuid_error : unavailable_reason(f->cpuid_rc),
		            unavailable_reason(f->cpuinfo_rc));
		return;
	}
	/* The CPU, real or virtual, does not offer VT. */
	if (virt && cpu_kvm_works(f)) {
		x = finding_add(out, "cpu.vt", STATUS_INFO,
		                _("the virtual CPU exposes no %s (%s), but KVM works here"), name, flag);
		finding_add_detail(x, _("This host is a virtual machine. Its hypervisor provides KVM without "
		                        "passing %s to the guest CPU (for example through PVM), and /dev/kvm "
		                        "created a VM: see cpu.kvm_device."), name);
		return;
	}
	if (virt && cpu_kvm_untested(f)) {
		x = finding_add(out, "cpu.vt", STATUS_INFO,
		                _("the virtual CPU exposes no %s (%s), but the kernel offers /dev/kvm"), name, flag);
		finding_add_detail(x, _("This host is a virtual machine whose kernel loaded KVM without %s in "
		                        "the guest CPU (for example through PVM). Whether it can create a VM "
		                        "could not be tried here: see cpu.kvm_device."), name);
		return;
	}
	x = finding_add(out, "cpu.vt", STATUS_FAIL,
	                virt ? _("the virtual CPU exposes no %s (%s): KVM cannot run guests here")
	                     : _("the CPU has no %s (%s): KVM cannot run guests on it"),
	                name, flag);
	finding_add_detail(x, f->have_cpuid ? _("CPUID does not report %s.") :
	                   _("/proc/cpuinfo does not list %s, and there is no CPUID data to tell whether "
	                     "the CPU lacks it or the firmware hid it (kernels since 5.6 hide it then)."),
	                   flag);
	if (virt)
		finding_set_hint(x, _("This is a virtual machine: enable nested virtualization on the outer "
		                      "hypervisor (on a KVM host: 'options %s nested=1' and give this VM the "
		                      "host CPU model, e.g. host-passthrough), then restart the VM."),
		                 vendor_module(f));
	else
		finding_set_hint(x, _("KVM needs a CPU with Intel VT-x or AMD-V. Check the CPU model "
		                      "against the vendor's specification."));
}

/* ---- cpu.vt_firmware ---- */

static const char *msr_verdict_text(enum msr_verdict v)
{
	switch (v) {
	case MSR_VT_ENABLED:
		return _("enabled");
	case MSR_VT_UNLOCKED:
		return _("not locked: the kernel enables it when KVM loads");
	case MSR_VT_TXT_ONLY:
		return _("locked, enabled only inside TXT (SMX)");
	default:
		return _("locked off by the firmware");
	}
}

static void firmware_hint(struct cpu_facts *f, struct finding *x)
{
	finding_set_hint(x, "%s", bios_vt_instructions(f->vendor));
}

/* MSR readings summarised per value: "MSR 0x3a on CPUs 0-5: 0x5 (enabled)". */
static void add_msr_detail(struct cpu_facts *f, struct finding *x)
{
	uint32_t index = f->vendor == CPU_VENDOR_AMD ? MSR_AMD_VM_CR : MSR_IA32_FEATURE_CONTROL;
	for (size_t i = 0; i < f->msr_count;) {
		size_t j = i;
		while (j + 1 < f->msr_count && f->msrs[j + 1].value == f->msrs[i].value)
			j++;
		const struct cpu_msr_reading *r = &f->msrs[i];
		if (i == j)
			finding_add_detail(x, _("MSR 0x%" PRIx32 " on CPU %u: 0x%" PRIx64 " (%s)."), index,
			                   r->cpu, r->value, msr_verdict_text(r->verdict));
		else
			finding_add_detail(x, _("MSR 0x%" PRIx32 " on CPUs %u-%u: 0x%" PRIx64 " (%s)."), index,
			                   r->cpu, f->msrs[j].cpu, r->value, msr_verdict_text(r->verdict));
		i = j + 1;
	}
}

static void check_vt_firmware(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	const char *name = cpu_vt_name(f), *flag = cpu_vt_flag(f);
	struct vt_firmware v;
	cpu_vt_firmware(ctx, f, &v);
	if (v.state == VTFW_NO_CPU_DATA) {
		finding_add(out, "cpu.vt_firmware", STATUS_SKIP, _("cannot tell without CPU data"));
		return;
	}
	if (v.state == VTFW_NO_VT) {
		if (cpu_is_virtual(f))
			finding_add(out, "cpu.vt_firmware", STATUS_SKIP,
			            _("not applicable: the virtual CPU has no %s; a firmware setting would "
			              "belong to the outer hypervisor"), name);
		else
			finding_add(out, "cpu.vt_firmware", STATUS_SKIP,
			            _("not applicable: the CPU has no %s to enable"), name);
		return;
	}

	struct finding *x = finding_add(out, "cpu.vt_firmware", STATUS_OK, "%s", "");
	add_msr_detail(f, x);
	if (f->msr_rc < 0)
		finding_add_detail(x, _("MSR: %s."), msr_unavailable_reason(f->msr_rc));
	if (v.hidden)
		finding_add_detail(x, _("CPUID reports %s, but /proc/cpuinfo lists it on %zu of %zu CPUs: "
		                        "kernels since 5.6 remove the flag when the firmware disabled %s."),
		                   flag, v.cpuinfo_with, v.cpuinfo_total, name);
	if (v.klog_message)
		finding_add_detail(x, _("Kernel (%s): %s"), ctx->klog_source, v.klog_message);
	else if (ctx->klog_rc < 0)
		finding_add_detail(x, _("Kernel log: %s."), unavailable_reason(ctx->klog_rc));

	free(x->message);
	switch (v.state) {
	case VTFW_DISABLED:
		x->status = STATUS_FAIL;
		if (v.msr_off && v.msr_on)
			x->message = xasprintf(_("%s is disabled by the firmware on %zu of %zu CPUs (a firmware bug)"),
			                       name, v.msr_off, v.msr_off + v.msr_on);
		else
			x->message = xasprintf(_("%s is disabled by the firmware (BIOS/UEFI setup)"), name);
		firmware_hint(f, x);
		break;
	case VTFW_ENABLED:
		if (v.basis == VTFW_BY_MSR)
			x->message = xasprintf(_("%s is enabled by the firmware (MSR on %zu CPUs)"), name, v.msr_on);
		else if (v.basis == VTFW_BY_KVM)
			x->message = xasprintf(_("%s is enabled: KVM creates virtual machines"), name);
		else
			x->message = xasprintf(_("%s is enabled: %s loaded, which it refuses when the firmware "
			                         "disables %s"), name, f->kvm_vendor_module, name);
		break;
	default:
		x->status = STATUS_SKIP;
		x->message = xasprintf(_("cannot tell whether the firmware enabled %s (MSR: %s; kernel log: %s)"),
		                       name, msr_unavailable_reason(f->msr_rc),
		                       ctx->klog_rc == 0 ? _("no complaint, but KVM is not loaded") :
		                                           unavailable_reason(ctx->klog_rc));
		break;
	}
}

/* ---- cpu.long_mode ---- */

static void check_long_mode(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	if (!f->have_cpuid && f->cpuinfo.n == 0) {
		finding_add(out, "cpu.long_mode", STATUS_SKIP, _("cannot tell without CPU data"));
		return;
	}
	int bits = ctx->info.kernel_bits;
	struct finding *x;
	if (!f->lm) {
		x = finding_add(out, "cpu.long_mode", STATUS_FAIL, _("32-bit CPU: no long mode (lm)"));
		finding_set_hint(x, _("Current KVM and QEMU need a 64-bit (x86_64) host CPU."));
		return;
	}
	if (bits == 32) {
		x = finding_add(out, "cpu.long_mode", STATUS_WARN,
		                _("64-bit CPU (lm), but the running kernel is 32-bit (%s)"), ctx->info.kernel);
		finding_set_hint(x, _("The CPU has long mode (lm), so install the 64-bit (x86_64) edition of "
		                      "the distribution: a 32-bit host cannot run 64-bit guests and limits "
		                      "guest memory."));
		return;
	}
	if (bits == 64)
		finding_add(out, "cpu.long_mode", STATUS_OK, _("64-bit CPU (lm) and 64-bit kernel (%s)"),
		            ctx->info.kernel);
	else
		finding_add(out, "cpu.long_mode", STATUS_OK,
		            _("64-bit CPU (lm); the kernel's word size is unknown (%s)"), ctx->info.kernel);
}

/* ---- cpu.nx ---- */

static void check_nx(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	if (!f->have_cpuid && f->cpuinfo.n == 0) {
		finding_add(out, "cpu.nx", STATUS_SKIP, _("cannot tell without CPU data"));
		return;
	}
	/* KVM's vendor module complains when the running kernel cannot use NX (a firmware XD
	 * switch, a non-PAE kernel) even if CPUID has it: its message is looked for whenever
	 * that module could have loaded, i.e. the CPU has VT, and to explain a missing NX. */
	const struct klog_hits *klog = NULL;
	if (!f->nx || cpu_has_vt_cpuid(f) || cpu_vt_in_cpuinfo(f, NULL) > 0)
		klog = check_kernel_log(ctx);
	if (f->nx && !(klog && klog->count[KLOG_NX_MISSING])) {
		finding_add(out, "cpu.nx", STATUS_OK, _("NX/XD (no-execute) available"));
		return;
	}
	struct finding *x = finding_add(out, "cpu.nx", STATUS_FAIL,
	                                _("NX/XD (no-execute) is not available: KVM refuses to load"));
	if (klog && klog->count[KLOG_NX_MISSING])
		finding_add_detail(x, _("Kernel: %s"), klog->first[KLOG_NX_MISSING]);
	finding_set_hint(x, _("Enable \"Execute Disable Bit\" (XD) or \"NX\" in the firmware setup, "
	                      "then power the machine off and on."));
}

/* ---- cpu.kvm_modules ---- */

static void check_kvm_modules(struct cpu_facts *f, struct finding_list *out)
{
	if (!f->modules_known) {
		finding_add(out, "cpu.kvm_modules", STATUS_SKIP,
		            _("cannot tell: neither /sys/module nor /proc/modules is readable"));
		return;
	}
	bool kvm = f->kvm_module;
	const char *vendor = f->kvm_vendor_module;
	if (kvm && vendor) {
		finding_add(out, "cpu.kvm_modules", STATUS_OK, _("kvm and %s loaded"), vendor);
		return;
	}
	const char *want = vendor_module(f);
	struct finding *x;
	if (kvm)
		x = finding_add(out, "cpu.kvm_modules", STATUS_FAIL, _("kvm is loaded, but %s is not"), want);
	else
		x = finding_add(out, "cpu.kvm_modules", STATUS_FAIL, _("the KVM modules (kvm, %s) are not loaded"),
		                want);
	if (cpu_kvm_works(f)) {
		x->status = STATUS_OK;
		free(x->message);
		x->message = xasprintf(_("KVM is built into the kernel (no %s module) and works"), want);
		return;
	}
	finding_set_hint(x, _("Load it with 'modprobe %s'. If that fails with \"Operation not supported\", "
	                      "%s is missing or disabled in the firmware (see cpu.vt_firmware)."),
	                 want, cpu_vt_name(f));
}

/* ---- cpu.kvm_device ---- */

/* The name of a group id from ROOT/etc/group, or NULL. */
static char *group_name(struct host *h, gid_t gid)
{
	struct buf b;
	buf_init(&b);
	char *name = NULL;
	if (host_read_file(h, "/etc/group", 4 * 1024 * 1024, &b) == 0) {
		for (char *line = b.data; line && *line && !name;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			char *c1 = strchr(line, ':');
			char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			long long id;
			if (c2) {
				char *c3 = strchr(c2 + 1, ':');
				if (c3)
					*c3 = '\0';
				if (str_parse_ll(c2 + 1, &id) && id == (long long)gid)
					name = xstrndup(line, (size_t)(c1 - line));
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	buf_free(&b);
	return name;
}

static void check_kvm_device(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	struct stat st;
	int src = host_stat(ctx->host, "/dev/kvm", &st);
	struct finding *x;
	if (src < 0) {
		x = finding_add(out, "cpu.kvm_device", STATUS_FAIL, _("/dev/kvm does not exist"));
		finding_set_hint(x, _("/dev/kvm appears when kvm and %s load: run 'modprobe %s'; if it fails, "
		                      "enable %s in the firmware (see cpu.vt_firmware)."),
		                 vendor_module(f), vendor_module(f), cpu_vt_name(f));
		return;
	}
	if (host_is_live(ctx->host) &&
	    (!S_ISCHR(st.st_mode) || major(st.st_rdev) != KVM_MISC_MAJOR || minor(st.st_rdev) != KVM_MINOR)) {
		x = finding_add(out, "cpu.kvm_device", STATUS_FAIL,
		                _("/dev/kvm exists but is not the KVM character device 10:232"));
		finding_set_hint(x, _("Remove the stray /dev/kvm and reload the kvm modules (or reboot)."));
		return;
	}
	char *who = f->uid_rc == 0 ? xasprintf("uid %u", (unsigned)f->uid) : xstrdup(_("the inspecting user"));
	char *mode = NULL;
	if (host_is_live(ctx->host)) {
		char *grp = group_name(ctx->host, st.st_gid);
		mode = xasprintf("mode %04o, group %s", (unsigned)(st.st_mode & 07777),
		                 grp ? grp : "?");
		free(grp);
	}
	if (f->probe_rc < 0) {
		x = finding_add(out, "cpu.kvm_device", STATUS_SKIP,
		                _("/dev/kvm exists; whether a VM can be created is unknown (%s)"),
		                unavailable_reason(f->probe_rc));
	} else if (str_starts_with(f->probe, "ok")) {
		long long api = -1;
		const char *a = strstr(f->probe, "api=");
		if (a && !str_parse_ll(a + 4, &api))
			api = -1;
		if (api == 12) {
			x = finding_add(out, "cpu.kvm_device", STATUS_OK,
			                _("/dev/kvm works: KVM API 12, a VM and a vCPU were created as %s"), who);
		} else {
			x = finding_add(out, "cpu.kvm_device", STATUS_WARN,
			                _("/dev/kvm works, but reports KVM API %lld instead of 12"), api);
			finding_set_hint(x, _("QEMU and libvirt expect API version 12: update the kernel."));
		}
	} else if (strcmp(f->probe, "eacces") == 0) {
		x = finding_add(out, "cpu.kvm_device", STATUS_FAIL,
		                _("/dev/kvm exists, but %s cannot open it read-write"), who);
		char *grp = host_is_live(ctx->host) ? group_name(ctx->host, st.st_gid) : NULL;
		if (grp && strcmp(grp, "root") != 0)
			finding_set_hint(x, _("Add the user to the group '%s' (usermod -aG %s USER) and log in "
			                      "again, or run the VMs through libvirt."), grp, grp);
		else
			finding_set_hint(x, _("Let the udev rule give /dev/kvm to the group 'kvm' with mode 0660 "
			                      "(KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0660\"), add the user to that "
			                      "group (usermod -aG kvm USER) and log in again."));
		free(grp);
	} else if (strcmp(f->probe, "ebusy") == 0) {
		x = finding_add(out, "cpu.kvm_device", STATUS_FAIL,
		                _("/dev/kvm cannot create a VM: another hypervisor holds %s (EBUSY)"),
		                cpu_vt_name(f));
		finding_set_hint(x, _("Stop the other hypervisor (VirtualBox, VMware) or unload its module, "
		                      "then try again."));
	} else if (strcmp(f->probe, "enoent") == 0) {
		x = finding_add(out, "cpu.kvm_device", STATUS_FAIL,
		                _("/dev/kvm is listed but could not be opened (no such device)"));
		finding_set_hint(x, _("Reload the KVM modules: 'modprobe -r %s; modprobe %s'."),
		                 vendor_module(f), vendor_module(f));
	} else {
		x = finding_add(out, "cpu.kvm_device", STATUS_FAIL, _("/dev/kvm cannot create a VM: %s"),
		                str_starts_with(f->probe, "error ") ? f->probe + 6 : f->probe);
		finding_set_hint(x, _("Look at the kernel log (dmesg) for kvm messages."));
	}
	if (mode)
		finding_add_detail(x, "/dev/kvm: %s.", mode);
	finding_add_detail(x, _("Probe: open read-write, KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CREATE_VCPU."));
	free(mode);
	free(who);
}

/* ---- cpu.nested ---- */

static void check_nested(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	static const char *const modules[] = { "kvm_intel", "kvm_amd" };
	for (size_t i = 0; i < ARRAY_SIZE(modules); i++) {
		char *path = xasprintf("/sys/module/%s/parameters/nested", modules[i]);
		char *value = NULL;
		int rc = host_read_line(ctx->host, path, &value);
		free(path);
		if (rc < 0) {
			free(value);
			continue;
		}
		bool on = strcmp(value, "Y") == 0 || strcmp(value, "y") == 0 || strcmp(value, "1") == 0;
		struct finding *x = finding_add(out, "cpu.nested", STATUS_INFO,
		                                on ? _("nested virtualization enabled (%s nested=%s)")
		                                   : _("nested virtualization disabled (%s nested=%s)"),
		                                modules[i], value);
		if (on)
			finding_add_detail(x, _("Guests given the host CPU model can run their own VMs."));
		else
			finding_add_detail(x, _("Only needed to run VMs inside VMs. To enable: add 'options %s "
			                        "nested=1' to /etc/modprobe.d/kvm.conf and reload %s."),
			                   modules[i], modules[i]);
		free(value);
		return;
	}
	if (host_is_dir(ctx->host, "/sys/module/kvm_pvm"))
		finding_add(out, "cpu.nested", STATUS_INFO, _("kvm_pvm (PVM) has no nested parameter"));
	else
		finding_add(out, "cpu.nested", STATUS_SKIP, _("not applicable: %s is not loaded"),
		            vendor_module(f));
}

/* ---- cpu.hypervisor ---- */

static void check_hypervisor(struct cpu_facts *f, struct finding_list *out)
{
	if (!f->have_cpuid && f->cpuinfo.n == 0) {
		finding_add(out, "cpu.hypervisor", STATUS_SKIP, _("cannot tell without CPU data"));
		return;
	}
	if (!cpu_is_virtual(f)) {
		finding_add(out, "cpu.hypervisor", STATUS_OK, _("bare metal: no hypervisor detected"));
		return;
	}
	const char *hv = f->hypervisor_name ? f->hypervisor_name : _("unknown hypervisor");
	struct finding *x;
	if (cpu_kvm_works(f)) {
		x = finding_add(out, "cpu.hypervisor", STATUS_INFO,
		                _("this host is a virtual machine (%s); KVM works inside it"), hv);
		if (!cpu_has_vt_cpuid(f))
			finding_add_detail(x, _("The virtual CPU exposes no %s; the hypervisor provides KVM "
			                        "another way. Guests run, but expect no IOMMU passthrough and "
			                        "less speed than on bare metal."), cpu_vt_name(f));
	} else if (cpu_kvm_untested(f)) {
		x = finding_add(out, "cpu.hypervisor", STATUS_INFO,
		                _("this host is a virtual machine (%s); it offers /dev/kvm, not tried here"), hv);
		finding_add_detail(x, _("Whether VMs can run inside this VM is decided by cpu.kvm_device."));
	} else {
		x = finding_add(out, "cpu.hypervisor", STATUS_WARN,
		                _("this host is a virtual machine (%s) without working nested virtualization"), hv);
		finding_set_hint(x, _("Enable nested virtualization on the outer hypervisor and give this VM "
		                      "the host CPU model; firmware settings do not apply inside a VM."));
	}
	if (f->hypervisor_source)
		finding_add_detail(x, _("Detected from: %s."), f->hypervisor_source);
}

void step_cpu_check(struct check_ctx *ctx, struct finding_list *out)
{
	struct cpu_facts *f = cpu_facts_get(ctx);
	check_vendor(f, out);
	check_vt(ctx, f, out);
	check_vt_firmware(ctx, f, out);
	check_long_mode(ctx, f, out);
	check_nx(ctx, f, out);
	check_kvm_modules(f, out);
	check_kvm_device(ctx, f, out);
	check_nested(ctx, f, out);
	check_hypervisor(f, out);
}
