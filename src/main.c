/* main.c: the kvmprep command line: options, commands, and exit codes of design.md §1. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "i18n.h"
#include "profile.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out, _("Usage: kvmprep [OPTIONS] [COMMAND]\n"
	               "Prepare a Linux host for KVM: CPU virtualization, firmware, IOMMU boot flag.\n"
	               "\n"
	               "Commands:\n"
	               "  wizard          the interactive wizard (the default on a terminal)\n"
	               "  check           run every check and print a report (the default otherwise)\n"
	               "  plan            show exactly what apply would change, change nothing\n"
	               "  apply           make the changes plan shows (journaled, undoable)\n"
	               "  undo [ID]       restore the files of the last (or the given) apply\n"
	               "  capture DIR     copy everything the checks read from this host into DIR\n"
	               "  demo [NAME]     the wizard on a private copy of a sample host (--list, --keep)\n"
	               "\n"
	               "Options:\n"
	               "  --root DIR      treat DIR as the host's / (a snapshot or a mounted image)\n"
	               "  --only LIST     comma-separated step ids: cpu,bios,iommu,ksm\n"
	               "  --profile FILE  libconfig profile (default /etc/kvmprep.conf of the root)\n"
	               "  --json          machine-readable output (check, plan, apply, undo)\n"
	               "  --yes           apply without asking (needed when stdin is not a terminal)\n"
	               "  --force         undo even files that changed since the apply\n"
	               "  --list          undo: list the journal entries\n"
	               "  --nagios        check: first line KVMPREP OK|WARNING|CRITICAL|UNKNOWN with perfdata\n"
	               "  --quiet         print only findings that are not ok\n"
	               "  --no-color      no colour (also when NO_COLOR is set or stdout is no terminal)\n"
	               "  --ascii         ASCII line drawing\n"
	               "  --help          this text\n"
	               "  --version       the version\n"
	               "\n"
	               "Exit status of check: 0 all ok, 1 a warning, 2 a failure, 3 could not run.\n"
	               "plan, apply, undo: 0 success, 1 an action failed or was refused, 3 usage error.\n"));
}

static void report_host_error(const struct options *o, int rc)
{
	if (o->nagios) /* a monitoring system reads only stdout's first line */
		printf("KVMPREP UNKNOWN - cannot use %s as the host root: %s\n", o->root ? o->root : "/", strerror(-rc));
	fprintf(stderr, _("kvmprep: cannot use %s as the host root: %s\n"), o->root ? o->root : "/",
	        strerror(-rc));
}

static void init_locale(void)
{
	/* Only the categories kvmprep uses: loading all of them costs more than a check. */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	cli_bind_catalog();
}

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR "/usr/local/libexec/kvmprep"
#endif

/* The wizard program: $KVMPREP_WIZARD, else kvmprep-wizard beside this binary (the build
 * tree), else the installed one. The result is malloc'ed. */
static char *find_wizard(void)
{
	const char *env = getenv("KVMPREP_WIZARD");
	if (env && *env)
		return xstrdup(env);
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			char *beside = xasprintf("%s/kvmprep-wizard", self);
			if (access(beside, X_OK) == 0)
				return beside;
			free(beside);
		}
	}
	return xstrdup(PKGLIBEXECDIR "/kvmprep-wizard");
}

/* Runs the wizard with the same arguments; returns only when it cannot be started. */
static int exec_wizard(char **argv)
{
	char *path = find_wizard();
	execv(path, argv);
	int err = errno;
	fprintf(stderr, _("kvmprep: cannot start the wizard %s: %s\n"), path, strerror(err));
	free(path);
	return EXIT_USAGE;
}

/* The first argument that is not an option (nor an option's argument), as getopt_long
 * would see it; NULL when there is none. */
static const char *first_command(int argc, char **argv)
{
	static const char *const with_argument[] = { "--root", "--only", "--profile" };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-' || a[1] == '\0')
			return a;
		if (strchr(a, '=') || strlen(a) < 3)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(with_argument); k++)
			if (strncmp(with_argument[k], a, strlen(a)) == 0) {
				i++; /* its argument */
				break;
			}
	}
	return NULL;
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
	/* The wizard and the demo live in their own program, so that check never loads curses. */
	const char *first = first_command(argc, argv);
	if (first && (strcmp(first, "wizard") == 0 || strcmp(first, "demo") == 0)) {
		init_locale();
		return exec_wizard(argv);
	}

	struct options o = { 0 };
	struct cli_parse parsed;
	cli_parse_options(argc, argv, &o, &parsed);
	const char *bad_option = parsed.bad_option;
	bool help = parsed.help, version = parsed.version;
	if (!bad_option && !help && !version && optind >= argc && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		init_locale();
		return exec_wizard(argv); /* no command on a terminal: the wizard */
	}
	const char *cmd = optind < argc ? argv[optind] : "check";
	int nargs = argc - optind - (optind < argc ? 1 : 0);
	char **args = argv + optind + (optind < argc ? 1 : 0);

	struct host *h = NULL;
	int host_rc = 0;
	struct profile settings;
	profile_init(&settings);
	bool needs_host = !bad_option && !help && !version &&
	                  ((is_one_of(cmd, (const char *const[]){ "check", "plan", "apply", NULL }) && nargs == 0) ||
	                   (strcmp(cmd, "capture") == 0 && nargs == 1) || (strcmp(cmd, "undo") == 0 && nargs <= 1));
	if (needs_host) {
		host_rc = host_open(&h, o.root);
	}
	init_locale();

	int code;
	if (bad_option) {
		cli_report_bad_option(&parsed);
		code = EXIT_USAGE;
	} else if (help) {
		usage(stdout);
		code = 0;
	} else if (version) {
		printf("kvmprep %s\n", PACKAGE_VERSION);
		code = 0;
	} else if (needs_host && host_rc < 0) {
		report_host_error(&o, host_rc);
		code = EXIT_USAGE;
	} else if (needs_host && cli_load_profile(&o, h, &settings) < 0) {
		code = EXIT_USAGE; /* a bad profile is refused before anything changes */
	} else if (needs_host && strcmp(cmd, "check") == 0) {
		code = cmd_check(&o, h);
	} else if (needs_host && strcmp(cmd, "plan") == 0) {
		code = cmd_plan(&o, h);
	} else if (needs_host && strcmp(cmd, "apply") == 0) {
		code = cmd_apply(&o, h);
	} else if (needs_host && strcmp(cmd, "undo") == 0) {
		code = cmd_undo(&o, h, nargs ? args[0] : NULL);
	} else if (needs_host) {
		code = cmd_capture(&o, h, args[0]);
	} else if (strcmp(cmd, "capture") == 0) {
		fprintf(stderr, _("kvmprep: capture needs exactly one directory\n"));
		code = EXIT_USAGE;
	} else {
		fprintf(stderr, _("kvmprep: unknown command or extra arguments: '%s'\nTry 'kvmprep --help'.\n"), cmd);
		code = EXIT_USAGE;
	}
	profile_free(&settings);
	host_close(h);
	return code;
}
