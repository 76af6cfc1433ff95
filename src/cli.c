/* cli.c: helpers the command modules share: step selection, output and text style. */
#include "config.h"

#include "cli.h"
#include "i18n.h"
#include "profile.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_bind_catalog(void)
{
#ifdef ENABLE_NLS
	const char *dir = getenv("KVMPREP_LOCALEDIR");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	textdomain(PACKAGE);
#endif
}

/* Selects the steps named in --only (all when NULL); false with a message on a bad id. */
void cli_parse_options(int argc, char **argv, struct options *o, struct cli_parse *p)
{
	enum { OPT_ROOT = 256, OPT_ONLY, OPT_JSON, OPT_YES, OPT_FORCE, OPT_LIST, OPT_NAGIOS, OPT_KEEP, OPT_QUIET,
	       OPT_NO_COLOR, OPT_ASCII, OPT_PROFILE, OPT_HELP, OPT_VERSION };
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "nagios", no_argument, NULL, OPT_NAGIOS },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	memset(p, 0, sizeof *p);
	int c;
	opterr = 0;
	while (!p->bad_option && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o->root = optarg; break;
		case OPT_ONLY: o->only = optarg; break;
		case OPT_JSON: o->json = true; break;
		case OPT_YES: o->yes = true; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_LIST: o->list = true; break;
		case OPT_NAGIOS: o->nagios = true; break;
		case OPT_KEEP: o->keep = true; break;
		case OPT_QUIET: o->quiet = true; break;
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_ASCII: o->ascii = true; break;
		case OPT_PROFILE: o->profile = optarg; break;
		case OPT_HELP: p->help = true; break;
		case OPT_VERSION: p->version = true; break;
		default:
			p->bad_option = argv[optind - 1];
			p->missing_argument = optopt != 0;
			break;
		}
	}
}

void cli_report_bad_option(const struct cli_parse *p)
{
	if (p->missing_argument)
		fprintf(stderr, _("kvmprep: option '%s' needs an argument\n"), p->bad_option);
	else
		fprintf(stderr, _("kvmprep: unknown option '%s'\n"), p->bad_option);
	fprintf(stderr, _("Try 'kvmprep --help'.\n"));
}

void cli_ctx_init(const struct options *o, struct check_ctx *ctx, struct host *h)
{
	check_ctx_init(ctx, h);
	if (o->settings)
		ctx->profile = o->settings;
}

int cli_load_profile(struct options *o, struct host *h, struct profile *p)
{
	struct strlist problems;
	strlist_init(&problems);
	int rc = 0;
	if (o->profile) {
		rc = profile_load_file(o->profile, p, &problems);
	} else {
		struct buf text;
		buf_init(&text);
		int r = host_read_file(h, "/etc/kvmprep.conf", 1024 * 1024, &text);
		if (r == 0)
			rc = profile_load_text("/etc/kvmprep.conf", text.data, p, &problems);
		else if (r != -ENOENT) {
			strlist_add_owned(&problems, xasprintf("/etc/kvmprep.conf: %s", strerror(-r)));
			rc = -1;
		}
		buf_free(&text);
	}
	for (size_t i = 0; i < problems.n; i++)
		fprintf(stderr, "%s\n", problems.v[i]);
	if (rc < 0)
		fprintf(stderr, _("kvmprep: the profile is refused; nothing was changed\n"));
	else
		o->settings = p;
	strlist_free(&problems);
	return rc;
}


bool select_steps(const struct options *o, const struct step **selected, size_t *count)
{
	*count = 0;
	bool named[MAX_STEPS] = { false };
	if (o->only) {
		char *list = xstrdup(o->only);
		bool any = false;
		for (char *save = NULL, *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
			str_trim(id);
			const struct step *s = step_find(id);
			if (!s) {
				fprintf(stderr, _("kvmprep: unknown step '%s' (steps: cpu, bios, iommu, ksm)\n"), id);
				free(list);
				return false;
			}
			named[s - kvmprep_steps] = true;
			any = true;
		}
		free(list);
		if (!any) {
			fprintf(stderr, _("kvmprep: --only needs at least one step id\n"));
			return false;
		}
	}
	/* Always in the step table's order: the guide's order. */
	for (size_t i = 0; i < kvmprep_step_count && i < MAX_STEPS; i++) {
		bool wanted = o->only ? named[i] : !o->settings || profile_wants_step(o->settings, kvmprep_steps[i].id);
		if (wanted)
			selected[(*count)++] = &kvmprep_steps[i];
	}
	return true;
}

int write_all(FILE *f, const struct buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}

void text_style(const struct options *o, struct report_style *style)
{
	memset(style, 0, sizeof *style);
	style->quiet = o->quiet;
	const char *no_color = getenv("NO_COLOR"); /* no-color.org: set and not empty */
	style->color = !o->no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
	style->width = 80;
	const char *cols = getenv("COLUMNS");
	long long c;
	if (cols && str_parse_ll(cols, &c) && c >= 60 && c <= 200)
		style->width = (int)c;
}
