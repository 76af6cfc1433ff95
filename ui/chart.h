/* chart.h: the ksmtuned log drawn as text columns: memory lines over time, start/stop marks, legend. */
#ifndef KVMPREP_UI_CHART_H
#define KVMPREP_UI_CHART_H

#include "ksmtuned_log.h"
#include "text.h"

/* Rows of the chart: a plot of plot_rows rows fitted into width columns, the axis, the S/X
 * row, the time row and the legend. Nothing but ASCII; attr/item are given to every row. */
void chart_build(const struct ksmtuned_log *log, int width, int plot_rows, struct wlines *out, int attr, int item);

#endif
