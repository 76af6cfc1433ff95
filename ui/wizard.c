/* wizard.c: the wizard's state machine: screens, focus, dialogs; pure, testable without curses. */
#include "config.h"

#include "wizard.h"

#include <string.h>

void wizard_init(struct wizard *w)
{
	memset(w, 0, sizeof *w);
	w->focus = WIZ_FOCUS_LIST;
	w->page = 1;
	w->dlg_page = 1;
}

bool wizard_add_screen(struct wizard *w, enum wiz_screen kind, int step)
{
	if (w->n_screens >= WIZ_MAX_SCREENS)
		return false;
	struct wiz_screen_info *s = &w->screens[w->n_screens++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->step = step;
	return true;
}

const struct wiz_screen_info *wizard_current(const struct wizard *w)
{
	return w->n_screens ? &w->screens[w->cur] : NULL;
}

size_t wizard_buttons(const struct wizard *w, enum wiz_button out[WIZ_MAX_BUTTONS])
{
	size_t n = 0;
	const struct wiz_screen_info *s = wizard_current(w);
	if (!s)
		return 0;
	if (w->cur > 0)
		out[n++] = BTN_BACK;
	if (s->kind == WIZ_SUMMARY || w->cur + 1 >= w->n_screens)
		out[n++] = BTN_QUIT;
	else
		out[n++] = BTN_NEXT;
	if (s->can_apply)
		out[n++] = BTN_APPLY;
	if (s->has_settings)
		out[n++] = BTN_SETTINGS;
	return n;
}

int wizard_dialog_buttons(enum wiz_modal m)
{
	switch (m) {
	case MODAL_HELP:
	case MODAL_MESSAGE:
		return 1;
	case MODAL_PREVIEW:
	case MODAL_CONFIRM_QUIT:
	case MODAL_CONFIRM_DISCARD:
		return 2;
	default:
		return 0;
	}
}

int wizard_focused_button(const struct wizard *w)
{
	return w->focus;
}

/* The button Enter should hit when a screen opens: Next (or Quit on the last screen). */
static int default_focus(const struct wizard *w)
{
	enum wiz_button b[WIZ_MAX_BUTTONS];
	size_t n = wizard_buttons(w, b);
	for (size_t i = 0; i < n; i++)
		if (b[i] == BTN_NEXT || b[i] == BTN_QUIT)
			return (int)i;
	return n ? 0 : WIZ_FOCUS_LIST;
}

void wizard_focus_default(struct wizard *w)
{
	w->focus = default_focus(w);
}

void wizard_goto(struct wizard *w, size_t i)
{
	if (i >= w->n_screens)
		return;
	w->cur = i;
	w->sel = 0;
	w->scroll = 0;
	memset(w->expanded, 0, sizeof w->expanded);
	w->focus = default_focus(w);
}

void wizard_open(struct wizard *w, enum wiz_modal m)
{
	w->modal = m;
	w->dlg_focus = 0; /* the safe answer: Cancel, Keep working, Keep editing, OK */
	w->dlg_scroll = 0;
}

static size_t max_scroll(const struct wizard *w)
{
	return w->dlg_lines > w->dlg_page ? w->dlg_lines - w->dlg_page : 0;
}

static void scroll_dialog(struct wizard *w, enum wiz_action a)
{
	size_t top = max_scroll(w), page = w->dlg_page > 1 ? w->dlg_page - 1 : 1;
	switch (a) {
	case ACT_UP:
		if (w->dlg_scroll > 0)
			w->dlg_scroll--;
		break;
	case ACT_DOWN:
		if (w->dlg_scroll < top)
			w->dlg_scroll++;
		break;
	case ACT_PAGE_UP:
		w->dlg_scroll = w->dlg_scroll > page ? w->dlg_scroll - page : 0;
		break;
	case ACT_PAGE_DOWN:
		w->dlg_scroll = w->dlg_scroll + page < top ? w->dlg_scroll + page : top;
		break;
	case ACT_HOME:
		w->dlg_scroll = 0;
		break;
	case ACT_END:
		w->dlg_scroll = top;
		break;
	default:
		break;
	}
}

static bool changes_pending(const struct wizard *w)
{
	return w->form_dirty || w->apply_running || w->modal == MODAL_PREVIEW;
}

static unsigned ask_quit(struct wizard *w)
{
	if (w->modal == MODAL_CONFIRM_QUIT)
		return REQ_NONE;
	if (!changes_pending(w)) {
		w->exit = true;
		return REQ_EXIT;
	}
	/* A running apply is never cut off: the dialog stays under the progress line. */
	if (w->apply_running) {
		w->quit_after_apply = true;
		return REQ_NONE;
	}
	wizard_open(w, MODAL_CONFIRM_QUIT);
	return REQ_NONE;
}

/* Enter (or Space) on a dialog button. */
static unsigned dialog_activate(struct wizard *w)
{
	enum wiz_modal m = w->modal;
	int b = w->dlg_focus;
	switch (m) {
	case MODAL_HELP:
	case MODAL_MESSAGE:
		w->modal = MODAL_NONE;
		return REQ_NONE;
	case MODAL_PREVIEW:
		if (b == 0) {
			w->modal = MODAL_NONE; /* Cancel: nothing changes */
			return REQ_NONE;
		}
		w->modal = MODAL_PROGRESS;
		w->apply_running = true;
		return REQ_START_APPLY;
	case MODAL_CONFIRM_QUIT:
		w->modal = MODAL_NONE;
		if (b == 1) {
			w->exit = true;
			return REQ_EXIT;
		}
		return REQ_NONE;
	case MODAL_CONFIRM_DISCARD:
		w->modal = MODAL_NONE;
		if (b == 1) {
			w->form_open = false;
			w->form_dirty = false;
			return REQ_CLOSE_FORM;
		}
		return REQ_NONE;
	default:
		return REQ_NONE;
	}
}

static unsigned dialog_key(struct wizard *w, enum wiz_action a)
{
	int n = wizard_dialog_buttons(w->modal);
	switch (a) {
	case ACT_ENTER:
	case ACT_TOGGLE:
		return dialog_activate(w);
	case ACT_BACK:
		if (w->modal == MODAL_CONFIRM_DISCARD || w->modal == MODAL_CONFIRM_QUIT || w->modal == MODAL_PREVIEW ||
		    w->modal == MODAL_HELP || w->modal == MODAL_MESSAGE)
			w->modal = MODAL_NONE;
		return REQ_NONE;
	case ACT_FOCUS_NEXT:
	case ACT_RIGHT:
		if (n > 1)
			w->dlg_focus = a == ACT_RIGHT && w->dlg_focus == n - 1 ? n - 1 : (w->dlg_focus + 1) % n;
		return REQ_NONE;
	case ACT_FOCUS_PREV:
	case ACT_LEFT:
		if (n > 1)
			w->dlg_focus = a == ACT_LEFT && w->dlg_focus == 0 ? 0 : (w->dlg_focus + n - 1) % n;
		return REQ_NONE;
	case ACT_HELP:
		if (w->modal == MODAL_HELP)
			w->modal = MODAL_NONE;
		return REQ_NONE;
	case ACT_QUIT:
		if (w->modal == MODAL_HELP || w->modal == MODAL_MESSAGE)
			w->modal = MODAL_NONE;
		return ask_quit(w);
	default:
		scroll_dialog(w, a);
		return REQ_NONE;
	}
}

static void move_selection(struct wizard *w, enum wiz_action a)
{
	size_t n = w->screens[w->cur].n_items;
	if (n == 0)
		return;
	size_t page = w->page > 2 ? w->page / 2 : 1;
	switch (a) {
	case ACT_UP:
		if (w->focus == WIZ_FOCUS_LIST && w->sel > 0)
			w->sel--;
		break;
	case ACT_DOWN:
		if (w->focus == WIZ_FOCUS_LIST && w->sel + 1 < n)
			w->sel++;
		break;
	case ACT_PAGE_UP:
		w->sel = w->sel > page ? w->sel - page : 0;
		break;
	case ACT_PAGE_DOWN:
		w->sel = w->sel + page < n ? w->sel + page : n - 1;
		break;
	case ACT_HOME:
		w->sel = 0;
		break;
	case ACT_END:
		w->sel = n - 1;
		break;
	default:
		break;
	}
	if (w->sel >= n)
		w->sel = n - 1;
	w->focus = WIZ_FOCUS_LIST;
}

static unsigned activate_button(struct wizard *w, enum wiz_button b)
{
	switch (b) {
	case BTN_BACK:
		if (w->cur > 0)
			wizard_goto(w, w->cur - 1);
		return REQ_NONE;
	case BTN_NEXT:
		if (w->cur + 1 < w->n_screens)
			wizard_goto(w, w->cur + 1);
		return REQ_NONE;
	case BTN_QUIT:
		return ask_quit(w);
	case BTN_APPLY:
		wizard_open(w, MODAL_PREVIEW);
		w->preview_form = false;
		return REQ_PREVIEW_STEP;
	case BTN_SETTINGS:
		w->form_open = true;
		w->form_dirty = false;
		w->form_focus = 0;
		return REQ_OPEN_FORM;
	}
	return REQ_NONE;
}

static unsigned screen_key(struct wizard *w, enum wiz_action a)
{
	enum wiz_button b[WIZ_MAX_BUTTONS];
	int nb = (int)wizard_buttons(w, b);
	bool list = w->screens[w->cur].n_items > 0;
	switch (a) {
	case ACT_ENTER:
	case ACT_TOGGLE:
		if (w->focus == WIZ_FOCUS_LIST) {
			if (list && w->sel < WIZ_MAX_ITEMS)
				w->expanded[w->sel] = !w->expanded[w->sel];
			return REQ_NONE;
		}
		return w->focus < nb ? activate_button(w, b[w->focus]) : REQ_NONE;
	case ACT_FOCUS_NEXT:
		if (w->focus == WIZ_FOCUS_LIST)
			w->focus = nb ? 0 : WIZ_FOCUS_LIST;
		else if (w->focus + 1 < nb)
			w->focus++;
		else
			w->focus = list ? WIZ_FOCUS_LIST : 0;
		return REQ_NONE;
	case ACT_FOCUS_PREV:
		if (w->focus == WIZ_FOCUS_LIST)
			w->focus = nb ? nb - 1 : WIZ_FOCUS_LIST;
		else if (w->focus > 0)
			w->focus--;
		else
			w->focus = list ? WIZ_FOCUS_LIST : nb - 1;
		return REQ_NONE;
	case ACT_LEFT:
		if (w->focus > 0)
			w->focus--;
		return REQ_NONE;
	case ACT_RIGHT:
		if (w->focus != WIZ_FOCUS_LIST && w->focus + 1 < nb)
			w->focus++;
		return REQ_NONE;
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_HOME:
	case ACT_END:
		if (list)
			move_selection(w, a);
		return REQ_NONE;
	case ACT_BACK:
		if (w->cur > 0)
			wizard_goto(w, w->cur - 1);
		return REQ_NONE; /* Esc on the first screen never quits silently */
	default:
		return REQ_NONE;
	}
}

static unsigned form_close(struct wizard *w)
{
	if (w->form_dirty) {
		wizard_open(w, MODAL_CONFIRM_DISCARD);
		return REQ_NONE;
	}
	w->form_open = false;
	return REQ_CLOSE_FORM;
}

static unsigned form_key(struct wizard *w, enum wiz_action a)
{
	int n = w->form_fields + 2;
	int cancel = w->form_fields, save = w->form_fields + 1;
	switch (a) {
	case ACT_FOCUS_NEXT:
	case ACT_DOWN:
		w->form_focus = a == ACT_DOWN && w->form_focus >= cancel ? w->form_focus : (w->form_focus + 1) % n;
		return REQ_NONE;
	case ACT_FOCUS_PREV:
	case ACT_UP:
		if (a == ACT_UP && w->form_focus >= cancel)
			w->form_focus = w->form_fields > 0 ? w->form_fields - 1 : 0;
		else
			w->form_focus = (w->form_focus + n - 1) % n;
		return REQ_NONE;
	case ACT_LEFT:
		if (w->form_focus == save)
			w->form_focus = cancel;
		return REQ_NONE;
	case ACT_RIGHT:
		if (w->form_focus == cancel)
			w->form_focus = save;
		return REQ_NONE;
	case ACT_HOME:
	case ACT_PAGE_UP:
		w->form_focus = 0;
		return REQ_NONE;
	case ACT_END:
	case ACT_PAGE_DOWN:
		w->form_focus = w->form_fields > 0 ? w->form_fields - 1 : 0;
		return REQ_NONE;
	case ACT_ENTER:
	case ACT_TOGGLE:
		if (w->form_focus == cancel)
			return form_close(w);
		if (w->form_focus == save)
			return REQ_SAVE_FORM;
		if (a == ACT_ENTER)
			w->form_focus++; /* Enter in a field moves on, as in a paper form */
		return REQ_NONE;
	case ACT_BACK:
		return form_close(w);
	default:
		return REQ_NONE;
	}
}

unsigned wizard_dispatch(struct wizard *w, enum wiz_action a)
{
	if (w->n_screens == 0)
		return REQ_NONE;
	switch (a) {
	case ACT_REDRAW:
		return REQ_REDRAW;
	case ACT_RESIZE:
		return REQ_NONE; /* every render lays out from the terminal size */
	case ACT_APPLY_DONE:
		w->apply_running = false;
		wizard_open(w, MODAL_MESSAGE);
		if (w->preview_form) {
			w->form_open = false;
			w->form_dirty = false;
		}
		if (w->quit_after_apply) {
			w->exit = true;
			return REQ_EXIT;
		}
		return REQ_NONE;
	default:
		break;
	}
	if (w->modal == MODAL_PROGRESS) {
		if (a == ACT_QUIT)
			return ask_quit(w);
		return REQ_NONE; /* the worker owns the host until it is done */
	}
	if (w->modal != MODAL_NONE)
		return dialog_key(w, a);
	if (a == ACT_HELP) {
		wizard_open(w, MODAL_HELP);
		return REQ_NONE;
	}
	if (a == ACT_QUIT)
		return ask_quit(w);
	if (w->form_open)
		return form_key(w, a);
	return screen_key(w, a);
}
