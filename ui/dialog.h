/* dialog.h: modal dialogs over the current screen: the apply preview, help, messages, confirmations. */
#ifndef KVMPREP_UI_DIALOG_H
#define KVMPREP_UI_DIALOG_H

#include <stdbool.h>

#include "action.h"
#include "text.h"
#include "wizard.h"

/* Fills out with the dialog's text wrapped to width columns. */
typedef void (*dialog_text_fn)(const void *ctx, int width, struct wlines *out);

/*
 * Draws a centred dialog with title, scrolling text and a button row (the focused one is
 * w->dlg_focus). full: as large as the terminal allows (previews, help); else fitted to the
 * text. Sets w->dlg_lines and w->dlg_page and keeps w->dlg_scroll in range. A dialog is
 * rebuilt from the terminal size on every call, so a resize re-lays it out.
 */
void dialog_draw(struct wizard *w, const char *title, dialog_text_fn text, const void *ctx, const char *const *buttons,
                 int n_buttons, bool full);

/* The progress box of a running apply: what runs, a spinner and the seconds it has taken;
 * quitting: the wizard quits once the apply is done. */
void dialog_progress(const char *what, unsigned spin, long long elapsed_ms, bool quitting);

/* The preview of a plan: every planned action with its exact diffs and commands, the manual
 * steps, and a caution for changes that need a reboot. ctx is a struct preview_ctx. */
struct preview_ctx {
	const struct plan *plan;
	const char *root_label;
	bool live;
};
void dialog_preview_text(const void *ctx, int width, struct wlines *out);

/* Plain paragraphs (ctx is a const char *). */
void dialog_plain_text(const void *ctx, int width, struct wlines *out);

/* The help screen: the key table, then the current screen's help (ctx is a const char *). */
void dialog_help_text(const void *ctx, int width, struct wlines *out);

/* A button row centred in [x, x+width) at row y. */
void dialog_buttons(int y, int x, int width, const char *const *labels, int n, int focus);

#endif
