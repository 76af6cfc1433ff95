/* chart.c: the ksmtuned log drawn as text columns: memory lines over time, start/stop marks, legend. */
#include "config.h"

#include "chart.h"
#include "i18n.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_COLS 11 /* the selection gutter, "15.9 GiB" and the axis */

/* The column of a time (or of an index when the log has no dates). */
static int column_of(long long t, long long t0, long long t1, int cols)
{
	if (t1 <= t0)
		return 0;
	long long c = (t - t0) * (cols - 1) / (t1 - t0);
	return c < 0 ? 0 : c >= cols ? cols - 1 : (int)c;
}

static int row_of(long long v, long long vmax, int rows)
{
	if (vmax <= 0 || v <= 0)
		return rows - 1;
	long long r = (v * (rows - 1) + vmax / 2) / vmax;
	if (r > rows - 1)
		r = rows - 1;
	return rows - 1 - (int)r;
}

static void format_time(long long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t < 0 || !gmtime_r(&tt, &tm) || strftime(out, size, "%b %e %H:%M", &tm) == 0)
		snprintf(out, size, "?");
}

static void add_row(struct wlines *out, const char *s, int attr, int item)
{
	wlines_add(out, s, attr, item);
}

void chart_build(const struct ksmtuned_log *log, int width, int plot_rows, struct wlines *out, int attr, int item)
{
	int cols = width - LABEL_COLS - 1;
	if (cols < 10 || plot_rows < 3 || log->n_samples == 0) {
		add_row(out, _("(no samples to draw)"), attr, item);
		return;
	}
	bool timed = true;
	long long t0 = 0, t1 = 0, vmax = 0;
	for (size_t i = 0; i < log->n_samples; i++) {
		const struct ksmtuned_sample *s = &log->samples[i];
		if (s->time < 0)
			timed = false;
		long long cand[] = { s->total, s->committed + s->thres, s->free_kb, s->thres };
		for (size_t k = 0; k < ARRAY_SIZE(cand); k++)
			if (cand[k] > vmax)
				vmax = cand[k];
	}
	if (timed) {
		t0 = log->samples[0].time;
		t1 = log->samples[log->n_samples - 1].time;
	} else {
		t1 = (long long)log->n_samples - 1;
	}
	/* one column: the mean of its samples */
	long long *sum_total = xcalloc((size_t)cols, sizeof *sum_total);
	long long *sum_ct = xcalloc((size_t)cols, sizeof *sum_ct);
	long long *sum_free = xcalloc((size_t)cols, sizeof *sum_free);
	long long *sum_thres = xcalloc((size_t)cols, sizeof *sum_thres);
	long long *count = xcalloc((size_t)cols, sizeof *count);
	for (size_t i = 0; i < log->n_samples; i++) {
		const struct ksmtuned_sample *s = &log->samples[i];
		int c = column_of(timed ? s->time : (long long)i, t0, t1, cols);
		sum_total[c] += s->total;
		sum_ct[c] += s->committed + s->thres;
		sum_free[c] += s->free_kb;
		sum_thres[c] += s->thres;
		count[c]++;
	}
	char **grid = xcalloc((size_t)plot_rows, sizeof *grid);
	for (int r = 0; r < plot_rows; r++) {
		grid[r] = xmalloc((size_t)cols + 1);
		memset(grid[r], ' ', (size_t)cols);
		grid[r][cols] = '\0';
	}
	/* drawn in order of importance: a later series wins a shared cell */
	for (int c = 0; c < cols; c++) {
		if (!count[c])
			continue;
		grid[row_of(sum_thres[c] / count[c], vmax, plot_rows)][c] = '.';
		grid[row_of(sum_total[c] / count[c], vmax, plot_rows)][c] = '=';
		grid[row_of(sum_free[c] / count[c], vmax, plot_rows)][c] = '+';
		grid[row_of(sum_ct[c] / count[c], vmax, plot_rows)][c] = '*';
	}
	struct buf row;
	buf_init(&row);
	for (int r = 0; r < plot_rows; r++) {
		buf_reset(&row);
		if (r == 0)
			buf_printf(&row, "  %4.1f GiB |", (double)vmax / 1048576.0);
		else if (r == plot_rows - 1)
			buf_printf(&row, "  %8s |", "0");
		else
			buf_printf(&row, "  %8s |", "");
		buf_puts(&row, grid[r]);
		add_row(out, row.data, attr, item);
	}
	/* axis, then the start/stop marks */
	buf_reset(&row);
	buf_printf(&row, "  %8s +", "");
	for (int c = 0; c < cols; c++)
		buf_putc(&row, '-');
	add_row(out, row.data, attr, item);
	char *marks = xmalloc((size_t)cols + 1);
	memset(marks, ' ', (size_t)cols);
	marks[cols] = '\0';
	for (size_t i = 0; i < log->n_events; i++) {
		const struct ksmtuned_event *e = &log->events[i];
		if (timed && e->time >= 0)
			marks[column_of(e->time, t0, t1, cols)] = e->kind == KSMTUNED_EV_START ? 'S' : 'X';
	}
	buf_reset(&row);
	buf_printf(&row, "  %8s  %s", _("KSM"), marks);
	add_row(out, row.data, attr, item);
	/* the time range */
	buf_reset(&row);
	if (timed) {
		char a[32], b[32];
		format_time(t0, a, sizeof a);
		format_time(t1, b, sizeof b);
		int gap = cols - (int)strlen(a) - (int)strlen(b);
		buf_printf(&row, "  %8s  %s%*s%s", "", a, gap > 1 ? gap : 1, "", b);
	} else {
		buf_printf(&row, "  %8s  %s", "", _("(the log has no dates: cycles in order)"));
	}
	add_row(out, row.data, attr, item);
	text_wrap(out, _("* committed+thres  = total  + free  . thres  S start  X stop"), width, "  ", "  ", attr, item);
	text_wrap(out, _("ksmtuned starts KSM while * is above = or + is below ., and stops it otherwise."), width,
	          "  ", "  ", attr, item);
	buf_free(&row);
	free(marks);
	for (int r = 0; r < plot_rows; r++)
		free(grid[r]);
	free(grid);
	free(sum_total);
	free(sum_ct);
	free(sum_free);
	free(sum_thres);
	free(count);
}
