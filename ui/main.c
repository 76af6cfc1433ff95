/* main.c: kvmprep-wizard, the ncurses wizard and `kvmprep demo`, started by kvmprep with its arguments. */
#include "config.h"

#include "app.h"
#include "cli.h"
#include "demo.h"
#include "i18n.h"
#include "profile.h"
#include "term.h"
#include "util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, _("Usage: kvmprep [OPTIONS] [wizard]\n"
	               "       kvmprep [OPTIONS] demo [NAME] [--keep] [--list]\n"
	               "The interactive wizard: CPU, BIOS, IOMMU and KSM, one screen each, every change previewed.\n"
	               "demo runs it on a private copy of a sample host (default %s), removed at exit\n"
	               "unless --keep; --list names the sample hosts.\n"
	               "Options as for kvmprep: --root DIR, --profile FILE, --only LIST, --no-color, --ascii.\n"
	               "Exit status: that of 'kvmprep check' for the findings at the end (0, 1, 2); 3 usage error.\n"),
	        DEMO_DEFAULT_HOST);
}

static void init_locale(void)
{
	setlocale(LC_ALL, "");
	cli_bind_catalog();
}

int main(int argc, char **argv)
{
	init_locale();
	struct options o = { 0 };
	struct cli_parse parsed;
	cli_parse_options(argc, argv, &o, &parsed);
	if (parsed.bad_option) {
		cli_report_bad_option(&parsed);
		return EXIT_USAGE;
	}
	if (parsed.help) {
		usage(stdout);
		return 0;
	}
	if (parsed.version) {
		printf("kvmprep %s\n", PACKAGE_VERSION);
		return 0;
	}
	bool keep = o.keep, list = o.list;
	const char *cmd = optind < argc ? argv[optind++] : "wizard";
	bool demo = strcmp(cmd, "demo") == 0;
	const char *name = NULL;
	if (demo && optind < argc)
		name = argv[optind++];
	if ((strcmp(cmd, "wizard") != 0 && !demo) || optind < argc) {
		fprintf(stderr, _("kvmprep: unknown command or extra arguments: '%s'\nTry 'kvmprep --help'.\n"),
		        optind < argc ? argv[optind] : cmd);
		return EXIT_USAGE;
	}
	if ((keep || list) && !demo) {
		fprintf(stderr, _("kvmprep: --keep and --list belong to 'kvmprep demo'\n"));
		return EXIT_USAGE;
	}
	if (demo && list)
		return demo_list(stdout) == 0 ? 0 : EXIT_USAGE;
	if (demo && o.root) {
		fprintf(stderr, _("kvmprep: demo brings its own root; --root does not go with it\n"));
		return EXIT_USAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("kvmprep: the wizard needs a terminal; 'kvmprep check' works without one\n"));
		return EXIT_USAGE;
	}

	char *tmp = NULL, *root = NULL;
	if (demo) {
		name = name ? name : DEMO_DEFAULT_HOST;
		char *dir = demo_hosts_dir();
		char *src = dir && demo_name_ok(name) ? xasprintf("%s/%s", dir, name) : NULL;
		char *error = NULL;
		if (!dir) {
			fprintf(stderr, _("kvmprep: no sample hosts found (set KVMPREP_DEMO_HOSTS)\n"));
		} else if (!src || demo_copy(src, name, &tmp, &root, &error) < 0) {
			fprintf(stderr, _("kvmprep: no sample host '%s' (kvmprep demo --list names them)%s%s\n"), name,
			        error ? ": " : "", error ? error : "");
		}
		free(error);
		free(src);
		free(dir);
		if (!root)
			return EXIT_USAGE;
		o.root = root;
	}

	int code = EXIT_USAGE;
	struct host *h = NULL;
	struct profile settings;
	profile_init(&settings);
	int rc = host_open(&h, o.root);
	if (rc < 0) {
		fprintf(stderr, _("kvmprep: cannot use %s as the host root: %s\n"), o.root ? o.root : "/", strerror(-rc));
	} else if (cli_load_profile(&o, h, &settings) == 0) {
		const struct step *steps[MAX_STEPS];
		size_t n;
		if (select_steps(&o, steps, &n)) {
			struct app a;
			app_init(&a, &o, h, NULL); /* the checks run before curses starts */
			term_signals_install();
			atexit(term_stop);
			char *error = NULL;
			if (term_start(NULL, stdout, stdin, o.no_color, o.ascii, &error) < 0) {
				fprintf(stderr, "kvmprep: %s\n", error);
				free(error);
			} else {
				code = app_run(&a);
				term_stop();
				if (code < 0) {
					app_wait(&a); /* a running apply finishes: the journal stays whole */
					if (tmp && !keep)
						demo_remove(tmp);
					term_die_of(-code);
				}
			}
			app_free(&a);
		}
	}
	profile_free(&settings);
	host_close(h);
	if (tmp) {
		if (keep) {
			printf(_("The demo host stays in %s\nCheck it with: kvmprep --root %s check\n"), root, root);
		} else if (demo_remove(tmp) < 0) {
			fprintf(stderr, _("kvmprep: could not remove %s completely\n"), tmp);
		}
	}
	free(tmp);
	free(root);
	return code;
}
