/* wizard.h: the wizard's state machine: screens, focus, dialogs; pure, testable without curses. */
#ifndef KVMPREP_UI_WIZARD_H
#define KVMPREP_UI_WIZARD_H

#include <stdbool.h>
#include <stddef.h>

#define WIZ_MAX_SCREENS 12
#define WIZ_MAX_ITEMS 64
#define WIZ_MAX_BUTTONS 5
#define WIZ_FOCUS_LIST (-1)

enum wiz_screen { WIZ_VERIFY, WIZ_WELCOME, WIZ_STEP, WIZ_SUMMARY };

enum wiz_button { BTN_BACK, BTN_NEXT, BTN_APPLY, BTN_SETTINGS, BTN_QUIT };

enum wiz_modal {
	MODAL_NONE,
	MODAL_HELP,            /* the key list and the screen's help: <Close> */
	MODAL_PREVIEW,         /* the exact diffs and commands: <Cancel> <Apply>, Cancel focused */
	MODAL_PROGRESS,        /* an apply runs in the worker: no buttons */
	MODAL_MESSAGE,         /* the result of an apply or a refusal: <OK> */
	MODAL_CONFIRM_QUIT,    /* <Keep working> <Quit> */
	MODAL_CONFIRM_DISCARD  /* the settings form has changes: <Keep editing> <Discard> */
};

/* What a key means; the key table (keys.c) maps keys to these. */
enum wiz_action {
	ACT_NONE, ACT_HELP, ACT_FOCUS_NEXT, ACT_FOCUS_PREV, ACT_LEFT, ACT_RIGHT, ACT_UP, ACT_DOWN,
	ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END, ACT_ENTER, ACT_TOGGLE, ACT_BACK, ACT_QUIT,
	ACT_REDRAW, ACT_RESIZE,
	ACT_APPLY_DONE         /* not a key: the worker finished */
};

/* What dispatch asks its caller to do (bit flags). */
enum wiz_request {
	REQ_NONE = 0,
	REQ_REDRAW = 1 << 0,        /* repaint the whole terminal (Ctrl-L) */
	REQ_EXIT = 1 << 1,          /* leave the wizard */
	REQ_PREVIEW_STEP = 1 << 2,  /* build the preview of the current step's plan (modal is PREVIEW) */
	REQ_START_APPLY = 1 << 3,   /* start the worker for the previewed plan (modal is PROGRESS) */
	REQ_OPEN_FORM = 1 << 4,     /* load the settings form (form_open is set) */
	REQ_SAVE_FORM = 1 << 5,     /* build the settings edit and its preview */
	REQ_CLOSE_FORM = 1 << 6     /* the form was closed without saving */
};

struct wiz_screen_info {
	enum wiz_screen kind;
	int step;               /* index into the caller's steps for WIZ_STEP, else -1 */
	bool can_apply;         /* the step's plan has planned actions: <Apply…> */
	bool has_settings;      /* the step has the ksmtuned settings form: <Settings…> */
	size_t n_items;         /* selectable entries of the body */
};

struct wizard {
	struct wiz_screen_info screens[WIZ_MAX_SCREENS];
	size_t n_screens;
	size_t cur;
	int focus;              /* WIZ_FOCUS_LIST or an index into wizard_buttons() */
	size_t sel;             /* the selected item of the body */
	size_t scroll;          /* first body row shown (kept by the renderer) */
	size_t page;            /* body rows on the screen (set by the renderer) */
	bool expanded[WIZ_MAX_ITEMS];

	enum wiz_modal modal;
	int dlg_focus;          /* button of the open dialog */
	size_t dlg_scroll, dlg_lines, dlg_page; /* scrolling text of the dialog (lines/page set by the renderer) */
	bool preview_form;      /* the open preview is the settings form's edit, not the step's plan */

	bool form_open, form_dirty;
	int form_focus;         /* 0..form_fields-1: a field; form_fields: <Cancel>; form_fields+1: <Save…> */
	int form_fields;

	bool apply_running;
	bool quit_after_apply;
	bool exit;
};

void wizard_init(struct wizard *w);
/* Adds a screen; false when the table is full. */
bool wizard_add_screen(struct wizard *w, enum wiz_screen kind, int step);
/* Shows screen i (focus on its default button, selection and expansion reset). */
void wizard_goto(struct wizard *w, size_t i);
const struct wiz_screen_info *wizard_current(const struct wizard *w);
/* Puts the focus on the screen's default button (Next, or Quit on the last screen). */
void wizard_focus_default(struct wizard *w);
/* The buttons of the current screen, in order; returns their count. */
size_t wizard_buttons(const struct wizard *w, enum wiz_button out[WIZ_MAX_BUTTONS]);
/* The number of buttons of a dialog (0 for none). */
int wizard_dialog_buttons(enum wiz_modal m);
/* The focused button of the screen, or -1 when the list has the focus. */
int wizard_focused_button(const struct wizard *w);
/* Opens a modal dialog with its safe button focused and its text scrolled to the top. */
void wizard_open(struct wizard *w, enum wiz_modal m);
/* The only place the screen, the focus and the dialogs change. Returns enum wiz_request bits. */
unsigned wizard_dispatch(struct wizard *w, enum wiz_action a);

#endif
