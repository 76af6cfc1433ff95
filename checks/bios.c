/* bios.c: the BIOS reminders: VT-x/AMD-V and the IOMMU in the firmware setup, in the guide's voice. */
#include "config.h"

#include "cpu_facts.h"
#include "i18n.h"
#include "steps.h"
#include "util.h"

#include <string.h>

const char *bios_vt_instructions(enum cpu_vendor vendor)
{
	if (vendor == CPU_VENDOR_AMD)
		return _("Enter the firmware setup (BIOS/UEFI) and enable \"SVM Mode\" (also called \"AMD-V\" or "
		         "\"Secure Virtual Machine Mode\", usually under Advanced > CPU Configuration). Save, then "
		         "power the machine off completely and on again: a warm reboot may not apply it.");
	return _("Enter the firmware setup (BIOS/UEFI) and enable \"Intel Virtualization Technology\" (VT-x, "
	         "usually under Advanced > CPU Configuration or Security). Save, then power the machine off "
	         "completely and on again: a warm reboot may not apply it.");
}

const char *bios_iommu_instructions(enum cpu_vendor vendor)
{
	if (vendor == CPU_VENDOR_AMD)
		return _("Enter the firmware setup and enable \"IOMMU\" (also \"AMD-Vi\"; usually under Advanced > "
		         "Northbridge/Chipset Configuration or NBIO Common Options). Save, then power the machine "
		         "off completely and on again.");
	return _("Enter the firmware setup and enable \"VT-d\" (\"Intel Virtualization Technology for Directed "
	         "I/O\", usually under Advanced > Chipset or System Agent Configuration). Save, then power the "
	         "machine off completely and on again.");
}

static void check_bios_vt(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	const char *name = cpu_vt_name(f);
	struct finding *x;
	if (cpu_is_virtual(f)) {
		x = finding_add(out, "bios.vt", STATUS_INFO,
		                _("not a BIOS setting here: this is a virtual machine"));
		finding_add_detail(x, _("%s for guests inside this VM comes from the outer hypervisor: enable nested "
		                        "virtualization there and give this VM the host CPU model."), name);
		return;
	}
	struct vt_firmware v;
	cpu_vt_firmware(ctx, f, &v);
	switch (v.state) {
	case VTFW_NO_CPU_DATA:
		finding_add(out, "bios.vt", STATUS_SKIP, _("cannot tell without CPU data"));
		return;
	case VTFW_NO_VT:
		finding_add(out, "bios.vt", STATUS_SKIP, _("nothing to enable: the CPU has no %s"), name);
		return;
	case VTFW_DISABLED:
		x = finding_add(out, "bios.vt", STATUS_FAIL, _("%s is switched off in the firmware setup"), name);
		finding_add_detail(x, _("The evidence is listed under cpu.vt_firmware."));
		finding_set_hint(x, "%s", bios_vt_instructions(f->vendor));
		return;
	case VTFW_ENABLED:
		x = finding_add(out, "bios.vt", STATUS_OK, _("%s is switched on in the firmware setup"), name);
		finding_add_detail(x, "%s", bios_vt_instructions(f->vendor));
		return;
	default:
		x = finding_add(out, "bios.vt", STATUS_INFO,
		                _("reminder: make sure %s is switched on in the firmware setup"), name);
		finding_add_detail(x, _("kvmprep could not read the firmware state (see cpu.vt_firmware)."));
		finding_set_hint(x, "%s", bios_vt_instructions(f->vendor));
		return;
	}
}

static void check_bios_iommu(struct check_ctx *ctx, struct cpu_facts *f, struct finding_list *out)
{
	bool amd = f->vendor == CPU_VENDOR_AMD;
	const char *table = amd ? "/sys/firmware/acpi/tables/IVRS" : "/sys/firmware/acpi/tables/DMAR";
	const char *name = amd ? "IOMMU (AMD-Vi)" : "VT-d";
	struct finding *x;
	if (f->vendor != CPU_VENDOR_AMD && f->vendor != CPU_VENDOR_INTEL) {
		finding_add(out, "bios.iommu", STATUS_SKIP, _("cannot tell for this CPU vendor"));
		return;
	}
	if (host_exists(ctx->host, table)) {
		x = finding_add(out, "bios.iommu", STATUS_OK, _("%s is switched on in the firmware setup (ACPI %s table)"),
		                name, amd ? "IVRS" : "DMAR");
		finding_add_detail(x, "%s", bios_iommu_instructions(f->vendor));
		return;
	}
	if (cpu_is_virtual(f)) {
		x = finding_add(out, "bios.iommu", STATUS_INFO, _("not a BIOS setting here: this is a virtual machine"));
		finding_add_detail(x, _("A virtual IOMMU comes from the outer hypervisor (for QEMU: -device "
		                        "intel-iommu or amd-iommu)."));
		return;
	}
	if (!host_is_dir(ctx->host, "/sys/firmware/acpi/tables")) {
		finding_add(out, "bios.iommu", STATUS_SKIP, _("cannot tell: the ACPI tables are not visible"));
		return;
	}
	x = finding_add(out, "bios.iommu", STATUS_WARN, _("%s is switched off in the firmware setup (no ACPI %s table)"),
	                name, amd ? "IVRS" : "DMAR");
	finding_add_detail(x, _("Without it, PCI devices cannot be passed through to guests; KVM itself works."));
	finding_set_hint(x, "%s", bios_iommu_instructions(f->vendor));
}

void step_bios_check(struct check_ctx *ctx, struct finding_list *out)
{
	struct cpu_facts *f = cpu_facts_get(ctx);
	check_bios_vt(ctx, f, out);
	check_bios_iommu(ctx, f, out);
}
