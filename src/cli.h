/* cli.h: what the command modules share: the parsed options, step selection, output helpers. */
#ifndef KVMPREP_CLI_H
#define KVMPREP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "host.h"
#include "report.h"
#include "steps.h"
#include "util.h"

#define EXIT_USAGE 3
#define MAX_STEPS 16

struct profile;

struct options {
	const char *root;
	const char *only;
	bool json, quiet, no_color, ascii, yes, force, list, nagios, keep;
	const char *profile;               /* --profile FILE */
	const struct profile *settings;    /* the loaded profile (an empty one without) */
};

/* What parsing the command line found besides the options. */
struct cli_parse {
	bool help, version;
	const char *bad_option;  /* the first unknown option, or one missing its argument */
	bool missing_argument;
};
/* Parses the options kvmprep and kvmprep-wizard share (getopt_long, options anywhere);
 * optind is left at the first operand. Prints nothing: see cli_report_bad_option. */
/* Binds the message catalog: $KVMPREP_LOCALEDIR (a build tree's catalogs), else LOCALEDIR. */
void cli_bind_catalog(void);
void cli_parse_options(int argc, char **argv, struct options *o, struct cli_parse *p);
void cli_report_bad_option(const struct cli_parse *p);

/* Selects the steps named in --only, else those of the profile's "steps", else all; false
 * with a message on a bad id. */
bool select_steps(const struct options *o, const struct step **selected, size_t *count);
/* check_ctx_init with the options' profile. */
void cli_ctx_init(const struct options *o, struct check_ctx *ctx, struct host *h);
/* Loads --profile FILE, else ROOT/etc/kvmprep.conf when it exists, into p and sets
 * o->settings; prints every problem on stderr and returns -1 when the profile is refused. */
int cli_load_profile(struct options *o, struct host *h, struct profile *p);
/* Writes a whole buffer and flushes; -1 on error. */
int write_all(FILE *f, const struct buf *b);
/* The text style for stdout: colour only on a terminal without NO_COLOR or --no-color. */
void text_style(const struct options *o, struct report_style *style);

int cmd_check(const struct options *o, struct host *h);
int cmd_capture(const struct options *o, struct host *h, const char *dir);
int cmd_plan(const struct options *o, struct host *h);
int cmd_apply(const struct options *o, struct host *h);
int cmd_undo(const struct options *o, struct host *h, const char *id);

#endif
