/* plan_report.h: plan and apply results as text (diffs, commands) or as the JSON of design.md §2. */
#ifndef KVMPREP_PLAN_REPORT_H
#define KVMPREP_PLAN_REPORT_H

#include <stdbool.h>

#include "action.h"
#include "report.h"
#include "util.h"

/* verb: "plan" or "apply"; journal: the journal id of an apply, or NULL. */
void plan_report_text(const struct plan *plan, const char *verb, const char *root, bool live,
                      const char *journal, const struct report_style *style, struct buf *out);
void plan_report_json(const struct plan *plan, const char *root, const char *journal, struct buf *out);
bool plan_reboot_required(const struct plan *plan);

#endif
