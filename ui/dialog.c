/* dialog.c: modal dialogs over the current screen: the apply preview, help, messages, confirmations. */
#include "config.h"

#include "dialog.h"
#include "diff.h"
#include "i18n.h"
#include "keys.h"
#include "run.h"
#include "term.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void dialog_buttons(int y, int x, int width, const char *const *labels, int n, int focus)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += text_width(labels[i]) + (i ? 2 : 0);
	int bx = x + (width - total) / 2;
	if (bx < x)
		bx = x;
	for (int i = 0; i < n; i++) {
		ui_puts(y, bx, x + width - bx, i == focus ? UI_BUTTON_FOCUS : UI_BUTTON, labels[i]);
		bx += text_width(labels[i]) + 2;
	}
}

void dialog_draw(struct wizard *w, const char *title, dialog_text_fn text, const void *ctx, const char *const *buttons,
                 int n_buttons, bool full)
{
	int width = full ? COLS - 4 : (COLS - 8 < 72 ? COLS - 8 : 72);
	if (width < 20)
		width = COLS;
	struct wlines lines;
	wlines_init(&lines);
	text(ctx, width - 4, &lines);
	int chrome = n_buttons ? 4 : 2; /* borders, separator and the button row */
	int height = full ? LINES - 2 : (int)lines.n + chrome;
	if (height > LINES - 2)
		height = LINES - 2;
	if (height < chrome + 1)
		height = chrome + 1;
	int y0 = (LINES - height) / 2, x0 = (COLS - width) / 2;
	int rows = height - chrome;
	w->dlg_lines = lines.n;
	w->dlg_page = rows > 0 ? (size_t)rows : 1;
	size_t top = w->dlg_lines > w->dlg_page ? w->dlg_lines - w->dlg_page : 0;
	if (w->dlg_scroll > top)
		w->dlg_scroll = top;
	for (int r = y0; r < y0 + height; r++)
		ui_fill(r, x0, width, UI_NORMAL);
	ui_box(y0, x0, height, width, UI_FRAME);
	char *t = xasprintf(" %s ", title);
	ui_puts(y0, x0 + 2, width - 4, UI_TITLE, t);
	free(t);
	for (int r = 0; r < rows && w->dlg_scroll + (size_t)r < lines.n; r++) {
		size_t i = w->dlg_scroll + (size_t)r;
		ui_put(y0 + 1 + r, x0 + 2, width - 4, (enum ui_attr)lines.attr[i], lines.v[i]);
	}
	if (lines.n > (size_t)rows) {
		/* where in the text we are, in the bottom border: "12-30/52" */
		char *pos = xasprintf(" %zu-%zu/%zu ", w->dlg_scroll + 1,
		                      w->dlg_scroll + (size_t)rows < lines.n ? w->dlg_scroll + (size_t)rows : lines.n, lines.n);
		int pw = text_width(pos);
		ui_puts(y0 + height - 1, x0 + width - 2 - pw, pw, UI_FRAME, pos);
		free(pos);
		if (w->dlg_scroll > 0)
			ui_puts(y0 + 1, x0 + width - 1, 1, UI_FRAME, "^");
		if (w->dlg_scroll < top)
			ui_puts(y0 + rows, x0 + width - 1, 1, UI_FRAME, "v");
	}
	if (n_buttons) {
		ui_box_tee(y0 + height - 3, x0, width, UI_FRAME);
		dialog_buttons(y0 + height - 2, x0 + 1, width - 2, buttons, n_buttons, w->dlg_focus);
	}
	wlines_free(&lines);
}

void dialog_progress(const char *what, unsigned spin, long long elapsed_ms, bool quitting)
{
	static const char spinner[] = "|/-\\";
	int width = COLS - 8 < 60 ? COLS - 8 : 60;
	if (width < 20)
		width = COLS;
	int height = 5, y0 = (LINES - height) / 2, x0 = (COLS - width) / 2;
	for (int r = y0; r < y0 + height; r++)
		ui_fill(r, x0, width, UI_NORMAL);
	ui_box(y0, x0, height, width, UI_FRAME);
	char *t = xasprintf(" %s ", _("Applying"));
	ui_puts(y0, x0 + 2, width - 4, UI_TITLE, t);
	free(t);
	char *line = xasprintf("%c %s%s", spinner[spin % 4], what, ui_ellipsis());
	ui_puts(y0 + 1, x0 + 2, width - 4, UI_NORMAL, line);
	free(line);
	char *secs = quitting ? xasprintf(_("%lld s so far; the wizard quits when the change is done"), elapsed_ms / 1000)
	                      : xasprintf(_("%lld s so far; the screen stays usable"), elapsed_ms / 1000);
	ui_puts(y0 + 3, x0 + 2, width - 4, UI_DIM, secs);
	free(secs);
}

static enum ui_attr diff_attr(const char *line)
{
	if (str_starts_with(line, "+++") || str_starts_with(line, "---"))
		return UI_HEADING;
	if (line[0] == '+')
		return UI_DIFF_ADD;
	if (line[0] == '-')
		return UI_DIFF_DEL;
	if (line[0] == '@')
		return UI_DIFF_HUNK;
	return UI_NORMAL;
}

/* Diff lines are broken at the width, never re-flowed: a continuation row starts with '>'. */
static void add_diff(struct wlines *out, const struct action_file *f, int width)
{
	struct buf d;
	buf_init(&d);
	diff_unified(f->path, f->existed ? f->old_content.data : NULL, f->old_content.len, f->new_content.data,
	             f->new_content.len, &d);
	size_t pos = 0;
	struct buf line;
	buf_init(&line);
	while (d.data && text_next_line(d.data, d.len, &pos, &line)) {
		text_break(out, line.data ? line.data : "", width, L">", (int)diff_attr(line.data ? line.data : ""), -1);
	}
	buf_free(&line);
	buf_free(&d);
}

void dialog_preview_text(const void *ctx, int width, struct wlines *out)
{
	const struct preview_ctx *p = ctx;
	char *head = p->live ? xstrdup(_("These changes will be made to this host:"))
	                     : xasprintf(_("These changes will be made to the host tree at %s:"), p->root_label);
	text_wrap(out, head, width, "", "", UI_HEADING, -1);
	free(head);
	bool reboot = false;
	size_t planned = 0;
	for (size_t i = 0; i < p->plan->n; i++) {
		const struct action *a = &p->plan->v[i];
		if (a->status != ACTION_PLANNED && a->status != ACTION_MANUAL)
			continue;
		planned += a->status == ACTION_PLANNED;
		wlines_add(out, "", UI_NORMAL, -1);
		char *title = xasprintf("[%s] %s: %s", action_status_word(a->status), a->id, a->description);
		text_wrap(out, title, width, "", "    ", UI_HEADING, -1);
		free(title);
		if (a->message)
			text_wrap(out, a->message, width, "    ", "    ", UI_NORMAL, -1);
		for (size_t k = 0; k < a->n_files; k++)
			add_diff(out, &a->files[k], width);
		for (size_t k = 0; k < a->n_commands; k++) {
			char *line = run_format_argv((const char *const *)a->commands[k].argv);
			char *text = xasprintf("%s %s", a->n_files ? _("Then run:") : _("Run:"), line);
			text_wrap(out, text, width, "", "    ", UI_NORMAL, -1);
			free(text);
			free(line);
		}
		for (size_t k = 0; k < a->also_changes.n; k++) {
			char *text = xasprintf("%s %s", _("Backed up, as the commands rewrite it:"), a->also_changes.v[k]);
			text_wrap(out, text, width, "", "    ", UI_NORMAL, -1);
			free(text);
		}
		for (size_t k = 0; k < a->manual.n; k++) {
			char *text = xasprintf("%s %s", _("By hand:"), a->manual.v[k]);
			text_wrap(out, text, width, "", "    ", UI_NORMAL, -1);
			free(text);
		}
		if (a->reboot_required && a->status == ACTION_PLANNED) {
			text_wrap(out, _("Takes effect after a reboot."), width, "", "", UI_NORMAL, -1);
			reboot = true;
		}
	}
	wlines_add(out, "", UI_NORMAL, -1);
	if (reboot)
		text_wrap(out,
		          _("Caution: this changes how the host boots. A wrong kernel line can keep it from booting; "
		            "the old file is kept in the journal and 'kvmprep undo' restores it."),
		          width, "", "", UI_WARN, -1);
	if (reboot)
		wlines_add(out, "", UI_NORMAL, -1);
	char *tail = xasprintf(_("%zu change(s). Every file is backed up first and written atomically; the change is "
	                         "checked afterwards and undone if it did not take."),
	                       planned);
	text_wrap(out, tail, width, "", "", UI_NORMAL, -1);
	free(tail);
}

void dialog_plain_text(const void *ctx, int width, struct wlines *out)
{
	const char *text = ctx;
	size_t before = out->n;
	text_wrap(out, text, width, "", "", UI_NORMAL, -1);
	/* status words at the start of a line keep their colour */
	for (size_t i = before; i < out->n; i++) {
		const wchar_t *l = out->v[i];
		if (wcsncmp(l, L"[failed]", 8) == 0 || wcsncmp(l, L"[FAIL]", 6) == 0)
			out->attr[i] = UI_FAIL;
		else if (wcsncmp(l, L"[WARN]", 6) == 0 || wcsncmp(l, L"[manual]", 8) == 0)
			out->attr[i] = UI_WARN;
		else if (wcsncmp(l, L"[done]", 6) == 0 || wcsncmp(l, L"[ OK ]", 6) == 0)
			out->attr[i] = UI_OK;
	}
}

void dialog_help_text(const void *ctx, int width, struct wlines *out)
{
	const char *screen_help = ctx;
	text_wrap(out, _("Keys"), width, "", "", UI_HEADING, -1);
	for (size_t i = 0; i < ui_key_count; i++) {
		char *first = xasprintf("  %-12s ", ui_keys[i].names);
		text_wrap(out, _(ui_keys[i].help), width, first, "               ", UI_NORMAL, -1);
		free(first);
	}
	wlines_add(out, "", UI_NORMAL, -1);
	text_wrap(out,
	          _("Findings show their status as a word: [ OK ] fine, [INFO] for your information, [WARN] worth "
	            "fixing, [FAIL] KVM will not work, [SKIP] not applicable or not visible here."),
	          width, "", "", UI_NORMAL, -1);
	if (screen_help && *screen_help) {
		wlines_add(out, "", UI_NORMAL, -1);
		text_wrap(out, _("This screen"), width, "", "", UI_HEADING, -1);
		text_wrap(out, screen_help, width, "", "", UI_NORMAL, -1);
	}
}
