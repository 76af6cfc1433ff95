/* cmd_check.c: the check and capture commands: run every step, report, write snapshots. */
#include "config.h"

#include "capture.h"
#include "cli.h"
#include "cpu_facts.h"
#include "i18n.h"
#include "journal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Runs the selected steps into a report. The caller frees with free_report(). */
static void run_checks(struct check_ctx *ctx, const struct step **steps, size_t count, struct report *r)
{
	memset(r, 0, sizeof *r);
	r->steps = xcalloc(count, sizeof *r->steps);
	r->step_count = count;
	for (size_t i = 0; i < count; i++) {
		r->steps[i].id = steps[i]->id;
		r->steps[i].title = steps[i]->title;
		finding_list_init(&r->steps[i].findings);
		steps[i]->check(ctx, &r->steps[i].findings);
	}
	struct cpu_facts *cpu = cpu_facts_get(ctx);
	r->version = PACKAGE_VERSION;
	r->root = host_root(ctx->host);
	r->live = host_is_live(ctx->host);
	r->host.distro = ctx->info.distro;
	r->host.kernel = ctx->info.kernel;
	r->host.kernel_bits = ctx->info.kernel_bits;
	r->host.init = ctx->info.init;
	r->host.bootloader = ctx->info.bootloader;
	r->host.mem_total_kib = ctx->info.mem_total_kib;
	r->host.cpu = cpu->brand[0] ? cpu->brand : "unknown";
	r->host.vendor = cpu->vendor_str[0] ? cpu->vendor_str : "unknown";
	r->host.virtual_machine = cpu_is_virtual(cpu);
	r->host.hypervisor = cpu->hypervisor_name;
	r->host.uid = cpu->uid_rc == 0 ? (unsigned)cpu->uid : 0;
	strlist_init(&r->host.limits);
	cpu_facts_limits(ctx, cpu, &r->host.limits);
	r->reboot_required = journal_reboot_pending(ctx->host); /* after the steps: they may verify it */
	report_finish(r);
}

static void free_report(struct report *r)
{
	for (size_t i = 0; i < r->step_count; i++)
		finding_list_free(&r->steps[i].findings);
	free(r->steps);
	strlist_free(&r->host.limits);
}

/* The monitoring-plugin status line: "KVMPREP WARNING - 2 warn (iommu.boot_flag, ...) | perfdata". */
static void nagios_first_line(struct check_ctx *ctx, const struct report *r, struct buf *out)
{
	static const char *const words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct buf line, ids;
	buf_init(&line);
	buf_init(&ids);
	int code = report_exit_code(r);
	enum finding_status worst = code == 2 ? STATUS_FAIL : STATUS_WARN;
	size_t listed = 0;
	for (size_t i = 0; i < r->step_count; i++)
		for (size_t j = 0; j < r->steps[i].findings.n; j++)
			if (r->steps[i].findings.v[j].status == worst && listed++ < 5)
				buf_printf(&ids, "%s%s", ids.len ? ", " : "", r->steps[i].findings.v[j].id);
	buf_printf(&line, "KVMPREP %s - %zu ok, %zu warn, %zu fail, %zu skip", words[code], r->counts[STATUS_OK],
	           r->counts[STATUS_WARN], r->counts[STATUS_FAIL], r->counts[STATUS_SKIP]);
	if (code && ids.len)
		buf_printf(&line, " (%s%s)", ids.data, listed > 5 ? ", ..." : "");
	buf_printf(&line, " | ok=%zu warn=%zu;0 fail=%zu;;0 skip=%zu", r->counts[STATUS_OK], r->counts[STATUS_WARN],
	           r->counts[STATUS_FAIL], r->counts[STATUS_SKIP]);
	long long saved = ksm_saved_bytes(ctx);
	if (saved >= 0)
		buf_printf(&line, " ksm_saved=%lldB;;;0", saved);
	buf_putc(&line, '\n');
	/* The status line first, the report as the long output after it. */
	buf_append(&line, out->data ? out->data : "", out->len);
	buf_reset(out);
	buf_append(out, line.data, line.len);
	buf_free(&line);
	buf_free(&ids);
}

int cmd_check(const struct options *o, struct host *h)
{
	const struct step *steps[MAX_STEPS];
	size_t count;
	if (!select_steps(o, steps, &count))
		return EXIT_USAGE;
	struct check_ctx ctx;
	cli_ctx_init(o, &ctx, h);
	struct report r;
	run_checks(&ctx, steps, count, &r);
	struct buf out;
	buf_init(&out);
	if (o->json) {
		report_json(&r, &out);
	} else {
		struct report_style style;
		text_style(o, &style);
		report_text(&r, &style, &out);
	}
	if (o->nagios)
		nagios_first_line(&ctx, &r, &out);
	int code = report_exit_code(&r);
	if (write_all(stdout, &out) < 0) {
		fprintf(stderr, _("kvmprep: cannot write the report: %s\n"), strerror(errno));
		code = EXIT_USAGE;
	}
	buf_free(&out);
	free_report(&r);
	check_ctx_free(&ctx);
	return code;
}

int cmd_capture(const struct options *o, struct host *h, const char *dir)
{
	struct host_recorder rec = { 0 };
	host_set_recorder(h, &rec);
	struct check_ctx ctx;
	cli_ctx_init(o, &ctx, h);
	const struct step *steps[MAX_STEPS];
	size_t count;
	select_steps(&(struct options){ 0 }, steps, &count); /* capture reads what every step reads */
	struct report r;
	run_checks(&ctx, steps, count, &r);
	check_kernel_log(&ctx); /* and the kernel log, which a diagnosis elsewhere may need */
	host_set_recorder(h, NULL);
	char *error = NULL;
	int rc = capture_write(h, &rec, dir, &error);
	int code = 0;
	if (rc < 0) {
		fprintf(stderr, _("kvmprep: capture failed: %s\n"), error ? error : strerror(-rc));
		code = 1;
	} else if (!o->quiet) {
		printf(_("Captured %zu reads of %s into %s.\n"), rec.n, host_root(h), dir);
		printf(_("Check it anywhere with: kvmprep --root %s check\n"), dir);
	}
	free(error);
	free_report(&r);
	check_ctx_free(&ctx);
	host_recorder_free(&rec);
	return code;
}
