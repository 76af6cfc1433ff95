/* iommu.c: the IOMMU step: kernel support, the boot flag, the running state, passthrough and groups. */
#include "config.h"

#include "bootloader.h"
#include "cpu_facts.h"
#include "i18n.h"
#include "journal.h"
#include "kargs.h"
#include "profile.h"
#include "steps.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 4
#define GROUP_LINES_MAX 128 /* devices described in iommu.groups; more are only counted */

/* What this host needs on its kernel command line (domain.md IOM-1..IOM-4, §2.4). */
struct iommu_needs {
	enum cpu_vendor vendor;
	const char *name;            /* "AMD-Vi" or "VT-d" */
	const char *table;           /* "/sys/firmware/acpi/tables/IVRS" or ".../DMAR" */
	int firmware;                /* 1 table present, 0 absent, -1 unknown */
	int config_driver;           /* CONFIG_AMD_IOMMU / CONFIG_INTEL_IOMMU: 1 y, 0 not set, -1 unknown */
	bool intel_default_on;       /* CONFIG_INTEL_IOMMU_DEFAULT_ON(_INTGPU_OFF)=y or platform opt-in */
	bool amd_el6;                /* IOM-1a evidence */
	const char *amd_el6_reason;
	const char *add[MAX_ARGS];
	size_t n_add;
	const char *remove[MAX_ARGS];
	size_t n_remove;
	struct kargs_edit edit;
	char *cmdline;               /* /proc/cmdline, "" when unreadable */
	bool cmdline_known;
};

/* Looks up "NAME=y", "NAME=m" or "# NAME is not set" in a kernel config text. */
static int config_value(const char *config, const char *name)
{
	if (!config)
		return -1;
	char *set = xasprintf("\n%s=", name), *unset = xasprintf("# %s is not set", name);
	int v = -1;
	const char *p = strstr(config, set);
	if (!p && str_starts_with(config, set + 1))
		p = config - 1;
	if (p)
		v = (p[strlen(set)] == 'y' || p[strlen(set)] == 'm') ? 1 : 0;
	else if (strstr(config, unset))
		v = 0;
	free(set);
	free(unset);
	return v;
}

static char *read_kernel_config(struct check_ctx *ctx, char **path_out)
{
	*path_out = xasprintf("/boot/config-%s", ctx->info.kernel);
	struct buf b;
	buf_init(&b);
	if (strchr(ctx->info.kernel, '/') || host_read_file(ctx->host, *path_out, 16 * 1024 * 1024, &b) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static void needs_gather(struct check_ctx *ctx, struct iommu_needs *n)
{
	memset(n, 0, sizeof *n);
	struct cpu_facts *f = cpu_facts_get(ctx);
	n->vendor = f->vendor;
	bool amd = f->vendor == CPU_VENDOR_AMD;
	n->name = amd ? "AMD-Vi" : "VT-d";
	n->table = amd ? "/sys/firmware/acpi/tables/IVRS" : "/sys/firmware/acpi/tables/DMAR";
	if (host_exists(ctx->host, n->table))
		n->firmware = 1;
	else if (host_is_dir(ctx->host, "/sys/firmware/acpi/tables"))
		n->firmware = 0;
	else /* no ACPI tables in sysfs (a sparse snapshot): the boot messages name them */
		n->firmware = check_kernel_log(ctx)->count[amd ? KLOG_IVRS_TABLE : KLOG_DMAR_TABLE] ? 1 : -1;

	char *config_path = NULL;
	char *config = read_kernel_config(ctx, &config_path);
	n->config_driver = config_value(config, amd ? "CONFIG_AMD_IOMMU" : "CONFIG_INTEL_IOMMU");
	n->intel_default_on = config_value(config, "CONFIG_INTEL_IOMMU_DEFAULT_ON") == 1 ||
	                      config_value(config, "CONFIG_INTEL_IOMMU_DEFAULT_ON_INTGPU_OFF") == 1;
	free(config);
	free(config_path);

	/* IOM-1a: the RHEL 6 message, else the EL6 release (which also covers an unreadable log). */
	const struct klog_hits *klog = amd ? check_kernel_log(ctx) : NULL;
	if (klog && klog->count[KLOG_AMD_IOMMU_DEFAULT_OFF]) {
		n->amd_el6 = true;
		n->amd_el6_reason = klog->first[KLOG_AMD_IOMMU_DEFAULT_OFF];
	} else if (amd && strstr(ctx->info.kernel, ".el6")) {
		n->amd_el6 = true;
		n->amd_el6_reason = _("an EL6 kernel leaves the AMD IOMMU off by default");
	}
	if (amd) {
		if (n->amd_el6)
			n->add[n->n_add++] = "amd_iommu=on";
		n->remove[n->n_remove++] = "amd_iommu=off";
	} else {
		if (!n->intel_default_on)
			n->add[n->n_add++] = "intel_iommu=on";
		n->remove[n->n_remove++] = "intel_iommu=off";
	}
	n->remove[n->n_remove++] = "iommu=off";
	if (ctx->profile->iommu_passthrough.set && ctx->profile->iommu_passthrough.value)
		n->add[n->n_add++] = "iommu=pt"; /* IOM-3: only when the profile asks for it */
	n->edit.add = n->add;
	n->edit.n_add = n->n_add;
	n->edit.remove = n->remove;
	n->edit.n_remove = n->n_remove;

	n->cmdline_known = host_read_line(ctx->host, "/proc/cmdline", &n->cmdline) == 0;
	if (!n->cmdline_known) {
		free(n->cmdline);
		n->cmdline = xstrdup("");
	}
}

static void needs_free(struct iommu_needs *n)
{
	free(n->cmdline);
}

/* Whether the IOMMU runs now: sysfs units or groups, else the boot messages (EL6). */
static int iommu_active(struct check_ctx *ctx, const struct iommu_needs *n, const char **evidence)
{
	struct strlist names;
	bool have_class = false;
	if (host_list_dir(ctx->host, "/sys/class/iommu", &names) == 0) {
		bool any = names.n > 0;
		have_class = true;
		strlist_free(&names);
		if (any) {
			*evidence = "/sys/class/iommu";
			return 1;
		}
	}
	if (host_list_dir(ctx->host, "/sys/kernel/iommu_groups", &names) == 0) {
		bool any = names.n > 0;
		strlist_free(&names);
		if (any) {
			*evidence = "/sys/kernel/iommu_groups";
			return 1;
		}
	}
	if (have_class)
		return 0; /* kernels since 3.17 list every active IOMMU unit there (IOM-8) */
	const struct klog_hits *klog = check_kernel_log(ctx);
	enum klog_event ev = n->vendor == CPU_VENDOR_AMD ? KLOG_AMD_IOMMU_ACTIVE : KLOG_INTEL_IOMMU_ACTIVE;
	if (klog->count[ev]) {
		*evidence = klog->first[ev];
		return 1;
	}
	return ctx->klog_rc < 0 ? -1 : 0; /* EL6 without a readable log: cannot tell */
}

/* ---- the reboot an apply waits for ---- */

struct reboot_wait {
	char *id;        /* the newest apply of iommu.boot_flag that waits for (or got) its reboot */
	bool verified;   /* its arguments are in /proc/cmdline and the IOMMU runs */
	bool marked_now; /* this check recorded that in the journal */
};

/* Finds the apply that waits for this reboot; when the running kernel shows its arguments
 * and the IOMMU is active, records it as verified (if the journal can be written). */
static void reboot_wait_check(struct check_ctx *ctx, const struct iommu_needs *n, int active, struct reboot_wait *w)
{
	memset(w, 0, sizeof *w);
	struct strlist ids;
	if (journal_list(ctx->host, &ids) < 0)
		return;
	for (size_t i = ids.n; i-- > 0 && !w->id;) {
		struct journal_entry e;
		char *error = NULL;
		if (journal_load(ctx->host, ids.v[i], &e, &error) == 0) {
			if (!e.undone && e.reboot_required && strlist_contains(&e.actions, "iommu.boot_flag")) {
				w->id = xstrdup(e.id);
				w->verified = e.verified;
				bool live = n->cmdline_known && active == 1;
				for (size_t k = 0; k < e.reboot_args.n && live; k++)
					live = kargs_has(n->cmdline, e.reboot_args.v[k]);
				int fd = -1;
				char *lock_error = NULL;
				if (!e.verified && live && journal_lock(ctx->host, &fd, &lock_error) == 0) {
					e.verified = true;
					char *save_error = NULL;
					w->marked_now = journal_save(ctx->host, &e, &save_error) == 0;
					w->verified = true;
					free(save_error);
					journal_unlock(fd);
				}
				free(lock_error);
			}
			journal_entry_free(&e);
		}
		free(error);
	}
	strlist_free(&ids);
}

/* ---- findings ---- */

static void check_kernel_support(struct check_ctx *ctx, const struct iommu_needs *n, struct finding_list *out)
{
	const char *opt = n->vendor == CPU_VENDOR_AMD ? "CONFIG_AMD_IOMMU" : "CONFIG_INTEL_IOMMU";
	if (n->config_driver == 1) {
		struct finding *x = finding_add(out, "iommu.kernel_support", STATUS_OK, _("kernel built with %s"), opt);
		if (n->vendor == CPU_VENDOR_INTEL)
			finding_add_detail(x, n->intel_default_on ? _("This kernel turns VT-d on by default.")
			                                          : _("This kernel leaves VT-d off unless intel_iommu=on is given."));
	} else if (n->config_driver == 0) {
		struct finding *x = finding_add(out, "iommu.kernel_support", STATUS_FAIL,
		                                _("kernel built without %s: it cannot use the IOMMU"), opt);
		finding_set_hint(x, _("Boot a kernel of the distribution (they all enable %s)."), opt);
	} else {
		const char *ev;
		if (iommu_active(ctx, n, &ev) == 1)
			finding_add(out, "iommu.kernel_support", STATUS_OK, _("the IOMMU driver is running (%s)"), ev);
		else
			finding_add(out, "iommu.kernel_support", STATUS_SKIP,
			            _("cannot tell: /boot/config-%s is not there"), ctx->info.kernel);
	}
}

/* "amd_iommu=on", "remove amd_iommu=off", or both: the additions, and only the removals
 * that some place of the boot configuration really holds. */
static char *describe_needed(const struct iommu_needs *n, const struct boot_config *bc, bool *removes)
{
	struct buf out;
	buf_init(&out);
	for (size_t i = 0; i < n->n_add; i++)
		buf_printf(&out, "%s%s", out.len ? " " : "", n->add[i]);
	*removes = false;
	for (size_t i = 0; i < n->n_remove; i++) {
		bool present = false;
		for (size_t j = 0; j < bc->n_places && !present; j++) {
			bool bare = false;
			char *value = kargs_value(bc->places[j].args, n->remove[i], &bare);
			present = bare || kargs_has(bc->places[j].args, n->remove[i]);
			free(value);
		}
		if (present) {
			buf_printf(&out, "%s%s %s", out.len ? "; " : "", *removes ? "" : _("remove"), n->remove[i]);
			*removes = true;
		}
	}
	if (!out.len)
		buf_puts(&out, "");
	return buf_steal(&out);
}

static void check_boot_flag(struct check_ctx *ctx, const struct iommu_needs *n, const struct boot_config *bc,
                            struct finding_list *out)
{
	struct cpu_facts *f = cpu_facts_get(ctx);
	if (cpu_is_virtual(f) && n->firmware != 1) {
		finding_add(out, "iommu.boot_flag", STATUS_SKIP,
		            _("not applicable: this virtual machine has no (virtual) IOMMU"));
		return;
	}
	if (n->firmware == 0) {
		finding_add(out, "iommu.boot_flag", STATUS_SKIP,
		            _("not yet: the firmware exposes no IOMMU (see bios.iommu)"));
		return;
	}
	bool removes = false;
	char *wanted = describe_needed(n, bc, &removes);
	struct strlist missing;
	strlist_init(&missing);
	bool ok = boot_config_satisfied(bc, &n->edit, &missing);
	struct finding *x;
	if (ok) {
		if (n->n_add)
			x = finding_add(out, "iommu.boot_flag", STATUS_OK, _("configured for the next boot: %s (%s)"),
			                wanted, bc->scheme);
		else
			x = finding_add(out, "iommu.boot_flag", STATUS_OK,
			                _("no kernel argument needed: this kernel enables %s by default"), n->name);
	} else if (!bc->editable && bc->n_places == 0) {
		x = finding_add(out, "iommu.boot_flag", STATUS_WARN, _("cannot read the boot configuration: %s"),
		                bc->problem);
		finding_set_fix(x, "iommu.boot_flag");
		finding_set_hint(x, _("Add %s to the kernel command line by hand; 'kvmprep plan' shows how."), wanted);
	} else {
		x = finding_add(out, "iommu.boot_flag", STATUS_WARN,
		                removes ? _("the boot configuration turns the IOMMU off; needed: %s")
		                        : _("not configured: the kernel needs %s"),
		                wanted);
		for (size_t i = 0; i < missing.n; i++)
			finding_add_detail(x, _("Missing in: %s"), missing.v[i]);
		finding_set_fix(x, "iommu.boot_flag");
		if (bc->editable)
			finding_set_hint(x, _("Run 'kvmprep plan' to see the change and 'kvmprep apply' to make it; "
			                      "a reboot follows."));
		else
			finding_set_hint(x, _("Change the boot configuration by hand (%s); 'kvmprep plan' shows how."),
			                 bc->problem);
	}
	if (n->amd_el6)
		finding_add_detail(x, _("Why amd_iommu=on: %s."), n->amd_el6_reason);
	if (n->vendor == CPU_VENDOR_AMD && !n->amd_el6)
		finding_add_detail(x, _("This kernel turns the AMD IOMMU on by default; it would answer amd_iommu=on with "
		                        "\"Unknown option\"."));
	free(wanted);
	strlist_free(&missing);
}

static void check_active(struct check_ctx *ctx, const struct iommu_needs *n, const struct boot_config *bc,
                         struct finding_list *out)
{
	const char *ev = NULL;
	int active = iommu_active(ctx, n, &ev);
	struct cpu_facts *f = cpu_facts_get(ctx);
	struct reboot_wait wait;
	reboot_wait_check(ctx, n, active, &wait);
	struct finding *x;
	if (active == 1) {
		x = finding_add(out, "iommu.active", STATUS_OK, _("%s is active"), n->name);
		finding_add_detail(x, _("Evidence: %s"), ev);
		if (wait.id && wait.verified)
			finding_add_detail(x, wait.marked_now ? _("Verified after the reboot that apply %s waited for; "
			                                          "the journal records it.")
			                                      : _("Verified after the reboot that apply %s waited for."),
			                   wait.id);
		free(wait.id);
		return;
	}
	if (active < 0) {
		finding_add(out, "iommu.active", STATUS_SKIP,
		            _("cannot tell: no /sys/class/iommu and the kernel log is not readable (%s)"),
		            fact_unavailable_reason(ctx->klog_rc));
		return;
	}
	if (cpu_is_virtual(f) && n->firmware != 1) {
		finding_add(out, "iommu.active", STATUS_INFO, _("inactive: this virtual machine has no virtual IOMMU"));
		return;
	}
	bool configured = boot_config_satisfied(bc, &n->edit, NULL);
	bool running = n->cmdline_known && kargs_satisfied(n->cmdline, &n->edit);
	if (configured && !running) {
		x = finding_add(out, "iommu.active", STATUS_WARN, _("inactive: configured, reboot pending"));
		if (wait.id)
			finding_add_detail(x, _("Apply %s waits for this reboot."), wait.id);
		finding_set_hint(x, _("Reboot, then run 'kvmprep check' again: it verifies the boot messages."));
		free(wait.id);
		return;
	}
	bool waited = wait.id && running;
	if (waited) {
		x = finding_add(out, "iommu.active", STATUS_WARN, _("inactive after the reboot that apply %s waited for"),
		                wait.id);
		finding_add_detail(x, _("/proc/cmdline has the arguments, but neither sysfs nor the kernel log shows "
		                        "an active IOMMU."));
	}
	free(wait.id);
	if (waited)
		return;
	const struct klog_hits *klog = check_kernel_log(ctx);
	if (klog->count[KLOG_IOMMU_CMDLINE_OFF]) {
		x = finding_add(out, "iommu.active", STATUS_WARN, _("inactive: turned off on the kernel command line"));
		finding_add_detail(x, _("Kernel: %s"), klog->first[KLOG_IOMMU_CMDLINE_OFF]);
		finding_set_hint(x, _("See iommu.boot_flag: 'kvmprep apply' removes the off switch."));
		return;
	}
	if (n->firmware == 0) {
		x = finding_add(out, "iommu.active", STATUS_WARN, _("inactive: the firmware exposes no IOMMU"));
		finding_set_hint(x, _("See bios.iommu."));
		return;
	}
	x = finding_add(out, "iommu.active", STATUS_WARN, n->n_add ? _("inactive: the kernel needs %s")
	                                                            : _("inactive"), n->n_add ? n->add[0] : "");
	if (n->amd_el6 && klog->count[KLOG_AMD_IOMMU_DEFAULT_OFF])
		finding_add_detail(x, _("Kernel: %s"), klog->first[KLOG_AMD_IOMMU_DEFAULT_OFF]);
	finding_set_hint(x, _("See iommu.boot_flag: the kernel argument turns it on after a reboot."));
}

static void check_passthrough(const struct iommu_needs *n, const struct boot_config *bc, struct finding_list *out)
{
	static const char *const pt[] = { "iommu=pt" };
	struct kargs_edit edit = { pt, 1, NULL, 0 };
	bool configured = bc->n_places > 0 && boot_config_satisfied(bc, &edit, NULL);
	bool running = n->cmdline_known && kargs_has(n->cmdline, "iommu=pt");
	struct finding *x;
	if (running)
		x = finding_add(out, "iommu.passthrough", STATUS_INFO, _("iommu=pt is active"));
	else if (configured)
		x = finding_add(out, "iommu.passthrough", STATUS_INFO, _("iommu=pt is configured (reboot pending)"));
	else if (n->n_add && strcmp(n->add[n->n_add - 1], "iommu=pt") == 0) {
		x = finding_add(out, "iommu.passthrough", STATUS_WARN, _("the profile asks for iommu=pt, which is not set"));
		finding_set_fix(x, "iommu.boot_flag");
	} else
		x = finding_add(out, "iommu.passthrough", STATUS_INFO, _("iommu=pt is not set (the default is fine)"));
	finding_add_detail(x, _("iommu=pt lets host devices bypass IOMMU translation, which lowers DMA overhead; "
	                        "devices given to guests are translated either way."));
}

static int cmp_numeric(const void *a, const void *b)
{
	long long x = strtoll(*(char *const *)a, NULL, 10), y = strtoll(*(char *const *)b, NULL, 10);
	return x < y ? -1 : x > y;
}

/* "0000:21:00.0 10de:1b80 class 0x030000 (vfio-pci)" */
static char *describe_device(struct check_ctx *ctx, const char *bdf)
{
	static const char *const attrs[] = { "vendor", "device", "class" };
	char *values[3] = { NULL, NULL, NULL };
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++) {
		char *path = xasprintf("/sys/bus/pci/devices/%s/%s", bdf, attrs[i]);
		if (host_read_line(ctx->host, path, &values[i]) < 0) {
			free(values[i]);
			values[i] = xstrdup("?");
		}
		free(path);
	}
	char *link = NULL, *driver_path = xasprintf("/sys/bus/pci/devices/%s/driver", bdf);
	const char *driver = NULL;
	if (host_readlink(ctx->host, driver_path, &link) == 0)
		driver = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	char *s = xasprintf("%s %s:%s class %s%s%s%s", bdf, str_starts_with(values[0], "0x") ? values[0] + 2 : values[0],
	                    str_starts_with(values[1], "0x") ? values[1] + 2 : values[1], values[2],
	                    driver ? " (" : "", driver ? driver : "", driver ? ")" : "");
	for (size_t i = 0; i < 3; i++)
		free(values[i]);
	free(link);
	free(driver_path);
	return s;
}

static void check_groups(struct check_ctx *ctx, struct finding_list *out)
{
	struct strlist groups;
	if (host_list_dir(ctx->host, "/sys/kernel/iommu_groups", &groups) < 0) {
		finding_add(out, "iommu.groups", STATUS_SKIP,
		            _("no /sys/kernel/iommu_groups (kernel older than 3.5, or a snapshot without it)"));
		return;
	}
	if (groups.n > 1)
		qsort(groups.v, groups.n, sizeof *groups.v, cmp_numeric);
	size_t devices = 0, shared = 0;
	struct finding *x = finding_add(out, "iommu.groups", STATUS_INFO, "%s", "");
	/* One line per device, collected here: thousands of finding_add_detail() calls would copy
	 * the growing detail each time. */
	struct buf lines;
	buf_init(&lines);
	for (size_t i = 0; i < groups.n; i++) {
		char *dir = xasprintf("/sys/kernel/iommu_groups/%s/devices", groups.v[i]);
		struct strlist devs;
		if (host_list_dir(ctx->host, dir, &devs) == 0) {
			devices += devs.n;
			if (devs.n > 1)
				shared++;
			for (size_t d = 0; d < devs.n; d++) {
				if (devices - devs.n + d >= GROUP_LINES_MAX)
					break; /* a big host: the rest is counted, not described */
				char *desc = describe_device(ctx, devs.v[d]);
				if (lines.len)
					buf_append(&lines, "\n", 1);
				buf_printf(&lines, _("group %s: %s%s"), groups.v[i], desc,
				           devs.n > 1 && d == 0 ? _(" (shares its group: passed through together)") : "");
				free(desc);
			}
			strlist_free(&devs);
		}
		free(dir);
	}
	if (devices > GROUP_LINES_MAX)
		buf_printf(&lines, _("\n... and %zu more devices (ls /sys/kernel/iommu_groups/*/devices)"),
		           devices - GROUP_LINES_MAX);
	if (lines.len)
		finding_add_detail(x, "%s", lines.data);
	buf_free(&lines);
	free(x->message);
	if (groups.n == 0)
		x->message = xstrdup(_("no IOMMU groups (the IOMMU is not active)"));
	else
		x->message = xasprintf(_("%zu IOMMU groups with %zu devices; %zu groups hold several devices"), groups.n,
		                       devices, shared);
	strlist_free(&groups);
}

void step_iommu_check(struct check_ctx *ctx, struct finding_list *out)
{
	struct iommu_needs n;
	needs_gather(ctx, &n);
	struct boot_config bc;
	boot_config_read(ctx, &bc);
	check_kernel_support(ctx, &n, out);
	check_boot_flag(ctx, &n, &bc, out);
	check_active(ctx, &n, &bc, out);
	check_passthrough(&n, &bc, out);
	check_groups(ctx, out);
	boot_config_free(&bc);
	needs_free(&n);
}

void step_iommu_plan(struct check_ctx *ctx, struct plan *plan)
{
	struct iommu_needs n;
	needs_gather(ctx, &n);
	struct boot_config bc;
	boot_config_read(ctx, &bc);
	bool removes = false;
	char *wanted = describe_needed(&n, &bc, &removes);
	struct action *a = plan_add(plan, "iommu.boot_flag", _("Kernel arguments for the IOMMU: %s"),
	                            *wanted ? wanted : _("none needed"));
	struct cpu_facts *f = cpu_facts_get(ctx);
	if (ctx->profile->iommu_enable.set && !ctx->profile->iommu_enable.value) {
		a->status = ACTION_UNCHANGED;
		action_set_message(a, _("not selected: the profile sets iommu.enable = false"));
	} else if ((cpu_is_virtual(f) && n.firmware != 1) || n.firmware == 0) {
		a->status = ACTION_UNCHANGED;
		action_set_message(a, _("nothing to do until the firmware exposes an IOMMU (bios.iommu)"));
	} else if (boot_config_satisfied(&bc, &n.edit, NULL)) {
		a->status = ACTION_UNCHANGED;
		action_set_message(a, n.n_add ? _("already configured (%s)") : _("no kernel argument needed (%s)"), bc.scheme);
	} else {
		boot_config_plan(ctx, &bc, &n.edit, a);
	}
	free(wanted);
	boot_config_free(&bc);
	needs_free(&n);
}
