/* screens.c: the body of each wizard screen (welcome, steps, summary), built as rows for any width. */
#include "config.h"

#include "screens.h"
#include "chart.h"
#include "i18n.h"
#include "term.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define ID_COLS 21

static enum ui_attr status_attr(enum finding_status s)
{
	switch (s) {
	case STATUS_OK: return UI_OK;
	case STATUS_INFO: return UI_INFO;
	case STATUS_WARN: return UI_WARN;
	case STATUS_FAIL: return UI_FAIL;
	default: return UI_SKIP;
	}
}

static const char *step_intro(const char *id)
{
	if (strcmp(id, "cpu") == 0)
		return _("KVM runs guests directly on the processor. That needs a CPU with hardware virtualization "
		         "(Intel VT-x or AMD-V) switched on in the firmware, a 64-bit kernel and the kvm modules; "
		         "/dev/kvm is the door QEMU knocks on.");
	if (strcmp(id, "bios") == 0)
		return _("Some switches live in the firmware setup (BIOS or UEFI), where no program can flip them: "
		         "virtualization (SVM Mode, Intel Virtualization Technology) and the IOMMU (AMD-Vi, VT-d). "
		         "Here is what the running system reveals about them, and where the setting usually is.");
	if (strcmp(id, "iommu") == 0)
		return _("The IOMMU lets a guest drive a real device (PCI passthrough) safely. Firmware support is "
		         "not enough: the kernel must be told to use it with a boot argument. <Apply...> adds it to "
		         "the boot configuration; it takes effect after a reboot.");
	if (strcmp(id, "ksm") == 0)
		return _("KSM (Kernel Samepage Merging) lets guests running the same system share identical memory "
		         "pages. The ksm service switches it on; ksmtuned adjusts how hard it scans to the memory "
		         "pressure. Both should run now and start at boot.");
	return "";
}

const char *screens_title(const struct app *a)
{
	const struct wiz_screen_info *s = wizard_current(&a->w);
	switch (s->kind) {
	case WIZ_VERIFY: return _("Verify after reboot");
	case WIZ_WELCOME: return _("Welcome");
	case WIZ_SUMMARY: return _("Summary");
	default: return app_step_title(&a->steps[s->step]);
	}
}

const char *screens_help(const struct app *a)
{
	const struct wiz_screen_info *s = wizard_current(&a->w);
	switch (s->kind) {
	case WIZ_VERIFY:
		return _("An earlier apply changed the boot configuration and waited for a reboot. This screen "
		         "tells whether the running kernel now has what that change added. If not, reboot the host "
		         "and start the wizard again; 'kvmprep undo' reverses the change.");
	case WIZ_WELCOME:
		return _("The overview of the host and of the steps ahead. Nothing changes until you press <Apply...> "
		         "on a step and confirm its preview.");
	case WIZ_SUMMARY:
		return _("Every finding as it is now, every change this wizard made (with its journal id, so that "
		         "'kvmprep undo ID' can reverse it), whether a reboot is needed and what is left to do by "
		         "hand. Quitting returns the same exit status as 'kvmprep check'.");
	default:
		break;
	}
	const char *id = a->steps[s->step].step->id;
	if (strcmp(id, "ksm") == 0)
		return _("Select a finding and press Enter for its evidence and what to do. <Apply...> starts the "
		         "services and enables them at boot, in the guide's order; <Settings...> edits "
		         "/etc/ksmtuned.conf with a preview. The chart shows the ksmtuned log: when the committed "
		         "memory plus the threshold (*) exceeds the total (=), or the free memory (+) falls below the "
		         "threshold (.), ksmtuned starts KSM (S); otherwise it stops it (X).");
	return _("Select a finding and press Enter for its evidence and what to do. <Apply...> shows the exact "
	         "change first; Cancel is the default answer.");
}

/* A finding: "[WARN] iommu.boot_flag        message", and its detail and hint when expanded. */
static void add_finding(struct wlines *out, const struct finding *f, int width, bool expanded, int item)
{
	char *first = xasprintf("  %s %-*s", status_label(f->status), ID_COLS - 1, f->id);
	int indent = text_width(first) + 1;
	char *pad = xasprintf("%*s", indent, "");
	char *first_sp = xasprintf("%s ", first);
	size_t at = out->n;
	text_wrap(out, f->message, width, first_sp, pad, UI_NORMAL, item);
	out->attr[at] = (int)status_attr(f->status); /* the label row carries the status colour */
	if (expanded) {
		const char *in = "         ";
		if (f->detail && *f->detail)
			text_wrap(out, f->detail, width, in, in, UI_DIM, item);
		if (f->hint && *f->hint) {
			char *fix = xasprintf("%s%s ", in, _("Fix:"));
			char *fix_pad = xasprintf("%*s", text_width(fix), "");
			text_wrap(out, f->hint, width, fix, fix_pad, UI_NORMAL, item);
			free(fix);
			free(fix_pad);
		}
		if ((!f->detail || !*f->detail) && (!f->hint || !*f->hint))
			text_wrap(out, _("No more to say: the line above is the whole story."), width, in, in, UI_DIM, item);
	}
	free(first);
	free(first_sp);
	free(pad);
}

static const struct finding *find(const struct app_step *s, const char *id)
{
	return finding_list_get(&s->findings, id);
}

size_t screens_extra_items(const struct app *a, const struct app_step *s)
{
	(void)a;
	if (strcmp(s->step->id, "iommu") == 0) {
		const struct finding *g = find(s, "iommu.groups");
		return g && g->detail && *g->detail ? 1 : 0;
	}
	if (strcmp(s->step->id, "ksm") == 0)
		return 2; /* the savings gauge, the log chart (or how to get a log) */
	return 0;
}

/* A blank row and a heading; item >= 0 makes them part of that item (scrolled into view with it). */
static void add_heading(struct wlines *out, const char *text, int width, int item)
{
	wlines_add(out, "", UI_NORMAL, item);
	const char *in = item >= 0 ? "  " : ""; /* room for the selection mark */
	text_wrap(out, text, width, in, in, UI_HEADING, item);
}

static void iommu_groups(struct wlines *out, const struct finding *g, int width, int item)
{
	add_heading(out, _("IOMMU groups (the devices of one group go to a guest together)"), width, item);
	char *head = xasprintf("  %-6s %s", _("Group"), _("Device, vendor:device, class"));
	text_wrap(out, head, width, "", "", UI_HEADING, item);
	free(head);
	const char *p = g->detail;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		/* "group 12: 0000:21:00.0 10de:1b80 class 0x030000": the number, then the rest */
		char *colon = strstr(line, ": ");
		char *row;
		if (colon) {
			*colon = '\0';
			const char *num = strrchr(line, ' ');
			row = xasprintf("  %-6s %s", num ? num + 1 : line, colon + 2);
		} else {
			row = xasprintf("  %s", line);
		}
		text_wrap(out, row, width, "", "         ", UI_NORMAL, item);
		free(row);
		free(line);
		p = nl ? nl + 1 : NULL;
	}
}

static void ksm_gauge(const struct app *a, struct wlines *out, int width, int item)
{
	add_heading(out, _("Memory KSM saves now"), width, item);
	if (a->ksm_sharing < 0 || a->mem_kib <= 0) {
		text_wrap(out, _("Not visible here (no /sys/kernel/mm/ksm/pages_sharing or no MemTotal)."), width, "  ", "  ",
		          UI_NORMAL, item);
		return;
	}
	double saved_mib = (double)a->ksm_sharing * 4096.0 / 1048576.0;
	double total_mib = (double)a->mem_kib / 1024.0;
	double pct = total_mib > 0 ? saved_mib * 100.0 / total_mib : 0;
	int bar = width - 22;
	if (bar > 40)
		bar = 40;
	if (bar < 10)
		bar = 10;
	int filled = (int)(pct * bar / 100.0 + 0.5);
	if (pct > 0 && filled == 0)
		filled = 1;
	if (filled > bar)
		filled = bar;
	struct buf row;
	buf_init(&row);
	buf_puts(&row, "  [");
	for (int i = 0; i < bar; i++)
		buf_putc(&row, i < filled ? '#' : '.');
	buf_printf(&row, "] %5.1f %%", pct);
	text_wrap(out, row.data, width, "", "", UI_NORMAL, item);
	buf_free(&row);
	char *line = xasprintf(_("%.1f MiB of %.1f GiB (pages_sharing %lld, pages_shared %lld)"), saved_mib,
	                       total_mib / 1024.0, a->ksm_sharing, a->ksm_shared < 0 ? 0 : a->ksm_shared);
	text_wrap(out, line, width, "  ", "  ", UI_NORMAL, item);
	free(line);
}

static void ksm_chart(const struct app *a, struct wlines *out, int width, int item)
{
	if (!a->have_log) {
		add_heading(out, _("ksmtuned log"), width, item);
		text_wrap(out,
		          _("No ksmtuned log here (LOGFILE, else /var/log/ksmtuned). Set DEBUG and LOGFILE with "
		            "<Settings...> and ksmtuned records every decision; this chart then shows why it starts "
		            "and stops KSM."),
		          width, "  ", "  ", UI_NORMAL, item);
		return;
	}
	char *head = xasprintf(_("ksmtuned log %s: %zu cycles, KSM started %zu and stopped %zu times"), a->log_path,
	                       a->log.cycles, a->log.starts, a->log.stops);
	add_heading(out, head, width, item);
	free(head);
	chart_build(&a->log, width, 8, out, UI_NORMAL, item);
}

static void step_body(const struct app *a, const struct app_step *s, int width, struct wlines *out)
{
	const struct wizard *w = &a->w;
	text_wrap(out, step_intro(s->step->id), width, "", "", UI_NORMAL, -1);
	wlines_add(out, "", UI_NORMAL, -1);
	enum finding_status worst = finding_list_worst(&s->findings);
	struct buf line;
	buf_init(&line);
	buf_printf(&line, _("This step: %s."), status_label(worst));
	if (s->planned)
		buf_printf(&line, _(" <Apply...> can make %zu change(s); you see each one first."), s->planned);
	else if (s->step->plan)
		buf_printf(&line, _(" Nothing for <Apply...> to do."));
	if (s->manual)
		buf_printf(&line, _(" %zu thing(s) need your hands: see the details."), s->manual);
	text_wrap(out, line.data, width, "", "", UI_HEADING, -1);
	buf_free(&line);
	wlines_add(out, "", UI_NORMAL, -1);
	int item = 0;
	for (size_t i = 0; i < s->findings.n; i++, item++)
		add_finding(out, &s->findings.v[i], width, item < WIZ_MAX_ITEMS && w->expanded[item], item);
	if (strcmp(s->step->id, "iommu") == 0 && screens_extra_items(a, s)) {
		iommu_groups(out, find(s, "iommu.groups"), width, item++);
	} else if (strcmp(s->step->id, "ksm") == 0) {
		ksm_gauge(a, out, width, item++);
		ksm_chart(a, out, width, item++);
	}
}

static void kv(struct wlines *out, const char *key, const char *value, int width)
{
	char *first = xasprintf("  %-14s ", key);
	text_wrap(out, value, width, first, "                 ", UI_NORMAL, -1);
	free(first);
}

static void welcome_body(const struct app *a, int width, struct wlines *out)
{
	char *intro = a->live ? xstrdup(_("This wizard prepares this host for KVM virtual machines, step by step, as "
	                                  "the CentOS 6 guide does it."))
	                      : xasprintf(_("This wizard prepares the host tree at %s for KVM virtual machines, step "
	                                    "by step, as the CentOS 6 guide does it."),
	                                  a->root_label);
	text_wrap(out, intro, width, "", "", UI_NORMAL, -1);
	free(intro);
	wlines_add(out, "", UI_NORMAL, -1);
	char *v;
	kv(out, _("System"), a->distro, width);
	v = a->kernel_bits ? xasprintf(_("%s (%d-bit)"), a->kernel, a->kernel_bits) : xstrdup(a->kernel);
	kv(out, _("Kernel"), v, width);
	free(v);
	v = xasprintf("%s (%s)%s", a->cpu, a->vendor, a->virtual_machine ? _(", a virtual machine") : "");
	kv(out, _("CPU"), v, width);
	free(v);
	v = a->mem_kib > 0 ? xasprintf("%.1f GiB", (double)a->mem_kib / 1048576.0) : xstrdup(_("unknown"));
	kv(out, _("Memory"), v, width);
	free(v);
	v = xasprintf(_("init %s, boot loader %s"), a->init, a->bootloader);
	kv(out, _("Boot"), v, width);
	free(v);
	if (a->live)
		v = a->uid == 0 ? xstrdup(_("root: the wizard can apply changes"))
		                : xasprintf(_("uid %u, not root: every check runs, but changes need root"), a->uid);
	else
		v = xasprintf(_("a host tree (inspected as uid %u): changes go into it"), a->uid);
	kv(out, _("Running as"), v, width);
	free(v);
	wlines_add(out, "", UI_NORMAL, -1);
	text_wrap(out, _("The steps ahead:"), width, "", "", UI_HEADING, -1);
	for (size_t i = 0; i < a->n_steps; i++) {
		const struct app_step *s = &a->steps[i];
		char *first = xasprintf("  %s %zu. ", status_label(finding_list_worst(&s->findings)), i + 1);
		char *text = s->planned ? xasprintf(_("%s: %zu change(s) to preview and apply"), app_step_title(s), s->planned)
		                        : xstrdup(app_step_title(s));
		text_wrap(out, text, width, first, "            ", (int)status_attr(finding_list_worst(&s->findings)), -1);
		free(first);
		free(text);
	}
	wlines_add(out, "", UI_NORMAL, -1);
	text_wrap(out,
	          _("Nothing changes until you press <Apply...> on a step and confirm the preview. Every change is "
	            "journaled: 'kvmprep undo' puts the files back."),
	          width, "", "", UI_NORMAL, -1);
}

static void verify_body(const struct app *a, int width, struct wlines *out)
{
	text_wrap(out,
	          _("An apply changed the boot configuration and waits for a reboot. The guide checks afterwards "
	            "that the kernel took the new arguments (dmesg | grep AMD-Vi); so does kvmprep."),
	          width, "", "", UI_NORMAL, -1);
	for (size_t i = 0; i < a->n_waiting; i++) {
		const struct waiting_apply *wa = &a->waiting[i];
		struct buf args;
		buf_init(&args);
		for (size_t k = 0; k < wa->args.n; k++)
			buf_printf(&args, "%s%s", k ? " " : "", wa->args.v[k]);
		wlines_add(out, "", UI_NORMAL, -1);
		char *text = wa->verified
		                     ? xasprintf(_("Apply %s: verified. The running kernel has %s and the IOMMU is active."),
		                                 wa->id, args.data ? args.data : "")
		                     : xasprintf(_("Apply %s: not yet. This kernel was started without %s. Reboot the "
		                                   "host, then start the wizard again; 'kvmprep undo %s' reverses the "
		                                   "change."),
		                                 wa->id, args.data ? args.data : "", wa->id);
		text_wrap(out, text, width, wa->verified ? "[ OK ] " : "[WARN] ", "       ",
		          wa->verified ? UI_OK : UI_WARN, -1);
		free(text);
		buf_free(&args);
	}
	for (size_t i = 0; i < a->n_steps; i++) {
		if (strcmp(a->steps[i].step->id, "iommu") != 0)
			continue;
		wlines_add(out, "", UI_NORMAL, -1);
		const char *ids[] = { "iommu.boot_flag", "iommu.active" };
		for (size_t k = 0; k < ARRAY_SIZE(ids); k++) {
			const struct finding *f = find(&a->steps[i], ids[k]);
			if (f)
				add_finding(out, f, width, false, -1);
		}
	}
}

static void summary_body(const struct app *a, int width, struct wlines *out)
{
	const struct wizard *w = &a->w;
	text_wrap(out, _("Findings"), width, "", "", UI_HEADING, -1);
	int item = 0;
	for (size_t i = 0; i < a->n_steps; i++) {
		const struct app_step *s = &a->steps[i];
		char *head = xasprintf("%s %s", status_label(finding_list_worst(&s->findings)), app_step_title(s));
		text_wrap(out, head, width, "", "", (int)status_attr(finding_list_worst(&s->findings)), -1);
		free(head);
		for (size_t k = 0; k < s->findings.n; k++, item++)
			add_finding(out, &s->findings.v[k], width, item < WIZ_MAX_ITEMS && w->expanded[item], item);
	}
	/* the sections after the findings are items too, so that the keys reach them */
	int changes_item = item++, reboot_item = item++, todo_item = item++, code_item = item;
	add_heading(out, _("Changes made with this wizard"), width, changes_item);
	if (a->n_changes == 0)
		text_wrap(out, _("None: nothing was changed."), width, "  ", "  ", UI_NORMAL, changes_item);
	bool reboot = false;
	for (size_t i = 0; i < a->n_changes; i++) {
		const struct app_change *c = &a->changes[i];
		char *head = c->journal ? xasprintf(_("%s: journal %s ('kvmprep undo %s' reverses it)"), c->title, c->journal,
		                                    c->journal)
		                        : xasprintf(_("%s: nothing was written"), c->title);
		text_wrap(out, head, width, "  ", "    ", c->failed ? UI_FAIL : UI_NORMAL, changes_item);
		free(head);
		for (size_t k = 0; k < c->lines.n; k++)
			text_wrap(out, c->lines.v[k], width, "    ", "      ", UI_NORMAL, changes_item);
		reboot = reboot || c->reboot;
	}
	for (size_t i = 0; i < a->n_waiting; i++)
		reboot = reboot || !a->waiting[i].verified;
	add_heading(out, _("Reboot"), width, reboot_item);
	text_wrap(out,
	          reboot ? _("Needed: the new boot configuration takes effect after a reboot. Start the wizard (or "
	                     "'kvmprep check') again afterwards to verify it.")
	                 : _("Not needed for anything this wizard did."),
	          width, "  ", "  ", reboot ? UI_WARN : UI_NORMAL, reboot_item);
	add_heading(out, _("Still to do"), width, todo_item);
	size_t todo = 0;
	for (size_t i = 0; i < a->n_steps; i++) {
		const struct app_step *s = &a->steps[i];
		for (size_t k = 0; k < s->findings.n; k++) {
			const struct finding *f = &s->findings.v[k];
			if (f->status != STATUS_WARN && f->status != STATUS_FAIL)
				continue;
			bool can = false;
			for (size_t j = 0; j < s->plan.n && f->fix; j++)
				can = can || (s->plan.v[j].status == ACTION_PLANNED && strcmp(s->plan.v[j].id, f->fix) == 0);
			char *text = can ? xasprintf(_("%s: %s (<Apply...> on \"%s\" does it)"), f->id, f->message, app_step_title(s))
			                 : xasprintf(_("%s: %s (by hand: %s)"), f->id, f->message,
			                             f->hint && *f->hint ? f->hint : _("see its details"));
			text_wrap(out, text, width, "  - ", "    ", UI_NORMAL, todo_item);
			free(text);
			todo++;
		}
		for (size_t j = 0; j < s->plan.n; j++) {
			const struct action *ac = &s->plan.v[j];
			if (ac->status != ACTION_MANUAL)
				continue;
			for (size_t m = 0; m < ac->manual.n; m++) {
				char *text = xasprintf(_("%s, by hand: %s"), ac->id, ac->manual.v[m]);
				text_wrap(out, text, width, "  - ", "    ", UI_NORMAL, todo_item);
				free(text);
				todo++;
			}
		}
	}
	if (!todo)
		text_wrap(out, _("Nothing: every check is fine."), width, "  ", "  ", UI_NORMAL, todo_item);
	wlines_add(out, "", UI_NORMAL, code_item);
	char *code = xasprintf(_("Quitting returns %d, as 'kvmprep check' would (0 all ok, 1 a warning, 2 a failure)."),
	                       app_exit_code(a));
	text_wrap(out, code, width, "  ", "  ", UI_HEADING, code_item);
	free(code);
}

void screens_body(const struct app *a, int width, struct wlines *out)
{
	const struct wiz_screen_info *s = wizard_current(&a->w);
	switch (s->kind) {
	case WIZ_VERIFY:
		verify_body(a, width, out);
		break;
	case WIZ_WELCOME:
		welcome_body(a, width, out);
		break;
	case WIZ_SUMMARY:
		summary_body(a, width, out);
		break;
	case WIZ_STEP:
		step_body(a, &a->steps[s->step], width, out);
		break;
	}
}
