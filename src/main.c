/* main.c: the kvmprep command line: options, commands, and exit codes of design.md §1. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cpu_facts.h"
#include "host.h"
#include "i18n.h"
#include "report.h"
#include "steps.h"
#include "util.h"

#define EXIT_USAGE 3

struct options {
	const char *root;
	const char *only;
	bool json, quiet, no_color, ascii, yes;
	const char *profile;
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: kvmprep [OPTIONS] [COMMAND]\n"
	               "Prepare a Linux host for KVM: check CPU virtualization, firmware, IOMMU and KSM.\n"
	               "\n"
	               "Commands:\n"
	               "  check           run every check and print a report (the default)\n"
	               "  capture DIR     copy everything the checks read from this host into DIR\n"
	               "  plan, apply, undo, demo, wizard   not available in this version yet\n"
	               "\n"
	               "Options:\n"
	               "  --root DIR      treat DIR as the host's / (a snapshot or a mounted image)\n"
	               "  --only LIST     comma-separated step ids (this version: cpu)\n"
	               "  --json          machine-readable output\n"
	               "  --quiet         print only findings that are not ok\n"
	               "  --no-color      no colour (also when NO_COLOR is set or stdout is no terminal)\n"
	               "  --ascii         ASCII line drawing\n"
	               "  --help          this text\n"
	               "  --version       the version\n"
	               "\n"
	               "Exit status of check: 0 all ok, 1 a warning, 2 a failure, 3 could not run.\n"));
}

/* Selects the steps named in --only (all when NULL); false with a message on a bad id. */
static bool select_steps(const char *only, const struct step **selected, size_t *count)
{
	*count = 0;
	if (!only) {
		for (size_t i = 0; i < kvmprep_step_count; i++)
			selected[(*count)++] = &kvmprep_steps[i];
		return true;
	}
	char *list = xstrdup(only);
	bool ok = true;
	for (char *save = NULL, *id = strtok_r(list, ",", &save); id && ok; id = strtok_r(NULL, ",", &save)) {
		str_trim(id);
		const struct step *s = step_find(id);
		if (!s) {
			if (step_id_is_known(id))
				fprintf(stderr, _("kvmprep: step '%s' is not available in this version (available: cpu)\n"), id);
			else
				fprintf(stderr, _("kvmprep: unknown step '%s' (steps: cpu, bios, iommu, ksm)\n"), id);
			ok = false;
			break;
		}
		bool dup = false;
		for (size_t i = 0; i < *count; i++)
			dup = dup || selected[i] == s;
		if (!dup)
			selected[(*count)++] = s;
	}
	free(list);
	if (ok && *count == 0) {
		fprintf(stderr, _("kvmprep: --only needs at least one step id\n"));
		ok = false;
	}
	return ok;
}

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
	report_finish(r);
}

static void free_report(struct report *r)
{
	for (size_t i = 0; i < r->step_count; i++)
		finding_list_free(&r->steps[i].findings);
	free(r->steps);
	strlist_free(&r->host.limits);
}

static int write_all(FILE *f, const struct buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}

static void report_host_error(const struct options *o, int rc)
{
	fprintf(stderr, _("kvmprep: cannot use %s as the host root: %s\n"), o->root ? o->root : "/",
	        strerror(-rc));
}

static int cmd_check(const struct options *o, struct host *h)
{
	const struct step *steps[16];
	size_t count;
	if (!select_steps(o->only, steps, &count))
		return EXIT_USAGE;
	struct check_ctx ctx;
	check_ctx_init(&ctx, h);
	struct report r;
	run_checks(&ctx, steps, count, &r);
	struct buf out;
	buf_init(&out);
	if (o->json) {
		report_json(&r, &out);
	} else {
		struct report_style style = { 0 };
		style.quiet = o->quiet;
		const char *no_color = getenv("NO_COLOR"); /* no-color.org: set and not empty */
		style.color = !o->no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
		style.width = 80;
		const char *cols = getenv("COLUMNS");
		long long c;
		if (cols && str_parse_ll(cols, &c) && c >= 60 && c <= 200)
			style.width = (int)c;
		report_text(&r, &style, &out);
	}
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

static int cmd_capture(const struct options *o, struct host *h, const char *dir)
{
	struct host_recorder rec = { 0 };
	host_set_recorder(h, &rec);
	struct check_ctx ctx;
	check_ctx_init(&ctx, h);
	const struct step *steps[16];
	size_t count;
	select_steps(NULL, steps, &count); /* capture reads what every step reads */
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

static void init_locale(void)
{
	/* Only the categories kvmprep uses: loading all of them costs more than a check. */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
}

static bool is_one_of(const char *cmd, const char *const list[])
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(cmd, list[i]) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_ONLY, OPT_JSON, OPT_YES, OPT_QUIET, OPT_NO_COLOR, OPT_ASCII, OPT_PROFILE,
	       OPT_HELP, OPT_VERSION };
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { 0 };
	bool help = false, version = false;
	const char *bad_option = NULL;
	bool missing_argument = false;
	int c;
	opterr = 0;
	while (!bad_option && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o.root = optarg; break;
		case OPT_ONLY: o.only = optarg; break;
		case OPT_JSON: o.json = true; break;
		case OPT_YES: o.yes = true; break;
		case OPT_QUIET: o.quiet = true; break;
		case OPT_NO_COLOR: o.no_color = true; break;
		case OPT_ASCII: o.ascii = true; break;
		case OPT_PROFILE: o.profile = optarg; break;
		case OPT_HELP: help = true; break;
		case OPT_VERSION: version = true; break;
		default:
			bad_option = argv[optind - 1];
			missing_argument = optopt != 0;
			break;
		}
	}
	const char *cmd = optind < argc ? argv[optind] : "check";
	int nargs = argc - optind - (optind < argc ? 1 : 0);
	char **args = argv + optind + (optind < argc ? 1 : 0);

	struct host *h = NULL;
	int host_rc = 0;
	bool needs_host = !bad_option && !help && !version && !o.profile &&
	                  ((strcmp(cmd, "check") == 0 && nargs == 0) || (strcmp(cmd, "capture") == 0 && nargs == 1));
	if (needs_host) {
		host_rc = host_open(&h, o.root);
	}
	init_locale();

	int code;
	if (bad_option) {
		if (missing_argument)
			fprintf(stderr, _("kvmprep: option '%s' needs an argument\n"), bad_option);
		else
			fprintf(stderr, _("kvmprep: unknown option '%s'\n"), bad_option);
		fprintf(stderr, _("Try 'kvmprep --help'.\n"));
		code = EXIT_USAGE;
	} else if (help) {
		usage(stdout);
		code = 0;
	} else if (version) {
		printf("kvmprep %s\n", PACKAGE_VERSION);
		code = 0;
	} else if (o.profile) {
		fprintf(stderr, _("kvmprep: --profile is not available in this version yet\n"));
		code = EXIT_USAGE;
	} else if (needs_host && host_rc < 0) {
		report_host_error(&o, host_rc);
		code = EXIT_USAGE;
	} else if (needs_host && strcmp(cmd, "check") == 0) {
		code = cmd_check(&o, h);
	} else if (needs_host) {
		code = cmd_capture(&o, h, args[0]);
	} else if (strcmp(cmd, "capture") == 0) {
		fprintf(stderr, _("kvmprep: capture needs exactly one directory\n"));
		code = EXIT_USAGE;
	} else if (is_one_of(cmd, (const char *const[]){ "wizard", "plan", "apply", "undo", "demo", NULL })) {
		fprintf(stderr, _("kvmprep: '%s' is not available in this version yet; 'check' and 'capture' are\n"),
		        cmd);
		code = EXIT_USAGE;
	} else {
		fprintf(stderr, _("kvmprep: unknown command or extra arguments: '%s'\nTry 'kvmprep --help'.\n"), cmd);
		code = EXIT_USAGE;
	}
	host_close(h);
	return code;
}
