/* report.h: turns step results into the human report or the JSON of design.md §2, and exit codes. */
#ifndef KVMPREP_REPORT_H
#define KVMPREP_REPORT_H

#include <stdbool.h>

#include "finding.h"
#include "util.h"

struct report_host {
	const char *distro, *kernel, *cpu, *vendor, *init, *bootloader;
	bool virtual_machine;
	const char *hypervisor; /* NULL on bare metal or when unknown */
	int kernel_bits;
	long long mem_total_kib;
	unsigned uid;
	struct strlist limits;  /* facts that could not be seen, one sentence each */
};

struct report_step {
	const char *id;
	const char *title;          /* English title (JSON); translated for the text report */
	struct finding_list findings;
	enum finding_status status; /* worst finding */
};

struct report {
	const char *version;
	const char *root;
	bool live;
	struct report_host host;
	struct report_step *steps;
	size_t step_count;
	bool reboot_required;
	size_t counts[STATUS_COUNT];
};

struct report_style {
	bool color;  /* ANSI colour on the status labels */
	bool quiet;  /* only findings that are not ok */
	int width;   /* wrap width of the text report */
};

/* Fills in step statuses and the summary counts. */
void report_finish(struct report *r);
void report_text(const struct report *r, const struct report_style *style, struct buf *out);
void report_json(const struct report *r, struct buf *out);
/* Monitoring-plugin convention: 0 all ok, 1 a warn, 2 a fail. */
int report_exit_code(const struct report *r);

#endif
