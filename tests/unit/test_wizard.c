/* test_wizard.c: unit tests of the wizard's state machine (ui/wizard.c), without curses. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "wizard.h"

/* The guide's walk: Welcome, cpu, bios, iommu (apply), ksm (apply, settings), Summary. */
static void make(struct wizard *w)
{
	wizard_init(w);
	wizard_add_screen(w, WIZ_WELCOME, -1);
	for (int i = 0; i < 4; i++)
		wizard_add_screen(w, WIZ_STEP, i);
	wizard_add_screen(w, WIZ_SUMMARY, -1);
	for (size_t i = 1; i <= 4; i++)
		w->screens[i].n_items = 5;
	w->screens[3].can_apply = true;
	w->screens[4].can_apply = true;
	w->screens[4].has_settings = true;
	w->form_fields = 10;
	wizard_goto(w, 0);
}

static enum wiz_button focused(const struct wizard *w)
{
	enum wiz_button b[WIZ_MAX_BUTTONS];
	size_t n = wizard_buttons(w, b);
	assert_true(w->focus >= 0 && (size_t)w->focus < n);
	return b[w->focus];
}

static void test_buttons(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	enum wiz_button b[WIZ_MAX_BUTTONS];
	assert_int_equal(wizard_buttons(&w, b), 1); /* Welcome: no Back */
	assert_int_equal(b[0], BTN_NEXT);
	wizard_goto(&w, 4);
	assert_int_equal(wizard_buttons(&w, b), 4);
	assert_int_equal(b[0], BTN_BACK);
	assert_int_equal(b[1], BTN_NEXT);
	assert_int_equal(b[2], BTN_APPLY);
	assert_int_equal(b[3], BTN_SETTINGS);
	wizard_goto(&w, 5);
	assert_int_equal(wizard_buttons(&w, b), 2);
	assert_int_equal(b[1], BTN_QUIT);
	assert_int_equal(focused(&w), BTN_QUIT);
}

static void test_walk_next_back(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	assert_int_equal(focused(&w), BTN_NEXT);
	for (size_t i = 1; i < 6; i++) {
		assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_NONE);
		assert_int_equal(w.cur, i);
		assert_int_equal(focused(&w), i == 5 ? BTN_QUIT : BTN_NEXT);
	}
	assert_int_equal(wizard_dispatch(&w, ACT_BACK), REQ_NONE);
	assert_int_equal(w.cur, 4);
	wizard_goto(&w, 0);
	assert_int_equal(wizard_dispatch(&w, ACT_BACK), REQ_NONE); /* Esc on Welcome never quits */
	assert_int_equal(w.cur, 0);
	assert_false(w.exit);
}

static void test_tab_cycles_buttons_and_list(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_goto(&w, 3); /* Back Next Apply, and a list */
	assert_int_equal(focused(&w), BTN_NEXT);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(focused(&w), BTN_APPLY);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(w.focus, WIZ_FOCUS_LIST);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(focused(&w), BTN_BACK);
	wizard_dispatch(&w, ACT_FOCUS_PREV);
	assert_int_equal(w.focus, WIZ_FOCUS_LIST);
	wizard_dispatch(&w, ACT_FOCUS_PREV);
	assert_int_equal(focused(&w), BTN_APPLY);
	wizard_dispatch(&w, ACT_LEFT);
	assert_int_equal(focused(&w), BTN_NEXT);
	wizard_dispatch(&w, ACT_RIGHT);
	wizard_dispatch(&w, ACT_RIGHT); /* stays on the last button */
	assert_int_equal(focused(&w), BTN_APPLY);
}

static void test_list_moves_and_expands(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_goto(&w, 1);
	wizard_dispatch(&w, ACT_DOWN); /* the first Down only moves the focus to the list */
	assert_int_equal(w.focus, WIZ_FOCUS_LIST);
	assert_int_equal(w.sel, 0);
	wizard_dispatch(&w, ACT_DOWN);
	wizard_dispatch(&w, ACT_DOWN);
	assert_int_equal(w.sel, 2);
	wizard_dispatch(&w, ACT_ENTER);
	assert_true(w.expanded[2]);
	wizard_dispatch(&w, ACT_TOGGLE);
	assert_false(w.expanded[2]);
	wizard_dispatch(&w, ACT_END);
	assert_int_equal(w.sel, 4);
	wizard_dispatch(&w, ACT_DOWN);
	assert_int_equal(w.sel, 4);
	wizard_dispatch(&w, ACT_HOME);
	assert_int_equal(w.sel, 0);
	wizard_dispatch(&w, ACT_UP);
	assert_int_equal(w.sel, 0);
	w.page = 4;
	wizard_dispatch(&w, ACT_PAGE_DOWN);
	assert_int_equal(w.sel, 2);
}

static void test_preview_cancel_is_default(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_goto(&w, 3);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(focused(&w), BTN_APPLY);
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_PREVIEW_STEP);
	assert_int_equal(w.modal, MODAL_PREVIEW);
	assert_int_equal(w.dlg_focus, 0); /* Cancel */
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_NONE);
	assert_int_equal(w.modal, MODAL_NONE);
	assert_false(w.apply_running);
	/* again, Tab to Apply */
	wizard_dispatch(&w, ACT_ENTER);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(w.dlg_focus, 1);
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_START_APPLY);
	assert_int_equal(w.modal, MODAL_PROGRESS);
	assert_true(w.apply_running);
	/* keys wait while the worker runs; quitting waits for it */
	assert_int_equal(wizard_dispatch(&w, ACT_BACK), REQ_NONE);
	assert_int_equal(w.cur, 3);
	assert_int_equal(wizard_dispatch(&w, ACT_QUIT), REQ_NONE);
	assert_true(w.quit_after_apply);
	assert_int_equal(wizard_dispatch(&w, ACT_APPLY_DONE), REQ_EXIT);
	assert_true(w.exit);
}

static void test_apply_done_shows_message(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_goto(&w, 3);
	w.focus = 2;
	wizard_dispatch(&w, ACT_ENTER);
	wizard_dispatch(&w, ACT_RIGHT);
	wizard_dispatch(&w, ACT_ENTER);
	assert_int_equal(wizard_dispatch(&w, ACT_APPLY_DONE), REQ_NONE);
	assert_int_equal(w.modal, MODAL_MESSAGE);
	assert_false(w.apply_running);
	wizard_dispatch(&w, ACT_ENTER);
	assert_int_equal(w.modal, MODAL_NONE);
}

static void test_esc_cancels_dialogs(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_goto(&w, 3);
	w.focus = 2;
	wizard_dispatch(&w, ACT_ENTER);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	wizard_dispatch(&w, ACT_BACK);
	assert_int_equal(w.modal, MODAL_NONE);
	assert_int_equal(w.cur, 3); /* the dialog went, not the screen */
	wizard_dispatch(&w, ACT_HELP);
	assert_int_equal(w.modal, MODAL_HELP);
	wizard_dispatch(&w, ACT_HELP);
	assert_int_equal(w.modal, MODAL_NONE);
}

static void test_dialog_scroll(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_open(&w, MODAL_HELP);
	w.dlg_lines = 30;
	w.dlg_page = 10;
	wizard_dispatch(&w, ACT_DOWN);
	assert_int_equal(w.dlg_scroll, 1);
	wizard_dispatch(&w, ACT_END);
	assert_int_equal(w.dlg_scroll, 20);
	wizard_dispatch(&w, ACT_DOWN);
	assert_int_equal(w.dlg_scroll, 20);
	wizard_dispatch(&w, ACT_PAGE_UP);
	assert_int_equal(w.dlg_scroll, 11);
	wizard_dispatch(&w, ACT_HOME);
	assert_int_equal(w.dlg_scroll, 0);
}

static void test_quit(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	assert_int_equal(wizard_dispatch(&w, ACT_QUIT), REQ_EXIT); /* nothing pending: no question */
	assert_true(w.exit);
	make(&w);
	wizard_goto(&w, 5);
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_EXIT); /* <Quit> on the summary */
	/* with unsaved form changes it asks, Keep working first */
	make(&w);
	wizard_goto(&w, 4);
	w.focus = 3;
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_OPEN_FORM);
	w.form_dirty = true;
	assert_int_equal(wizard_dispatch(&w, ACT_QUIT), REQ_NONE);
	assert_int_equal(w.modal, MODAL_CONFIRM_QUIT);
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_NONE);
	assert_false(w.exit);
	wizard_dispatch(&w, ACT_QUIT);
	wizard_dispatch(&w, ACT_RIGHT);
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_EXIT);
	/* with the preview open it asks too */
	make(&w);
	wizard_goto(&w, 3);
	w.focus = 2;
	wizard_dispatch(&w, ACT_ENTER);
	wizard_dispatch(&w, ACT_QUIT);
	assert_int_equal(w.modal, MODAL_CONFIRM_QUIT);
}

static void test_form(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	wizard_goto(&w, 4);
	w.focus = 3;
	wizard_dispatch(&w, ACT_ENTER);
	assert_true(w.form_open);
	assert_int_equal(w.form_focus, 0);
	wizard_dispatch(&w, ACT_DOWN);
	wizard_dispatch(&w, ACT_ENTER); /* Enter in a field moves on */
	assert_int_equal(w.form_focus, 2);
	wizard_dispatch(&w, ACT_END);
	assert_int_equal(w.form_focus, 9);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(w.form_focus, 10); /* Cancel */
	wizard_dispatch(&w, ACT_RIGHT);
	assert_int_equal(w.form_focus, 11); /* Save… */
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_SAVE_FORM);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(w.form_focus, 0); /* wraps to the first field */
	/* Esc without changes closes; with changes it asks, Keep editing first */
	assert_int_equal(wizard_dispatch(&w, ACT_BACK), REQ_CLOSE_FORM);
	assert_false(w.form_open);
	assert_int_equal(w.cur, 4);
	w.focus = 3;
	wizard_dispatch(&w, ACT_ENTER);
	w.form_dirty = true;
	wizard_dispatch(&w, ACT_BACK);
	assert_int_equal(w.modal, MODAL_CONFIRM_DISCARD);
	wizard_dispatch(&w, ACT_ENTER);
	assert_true(w.form_open);
	wizard_dispatch(&w, ACT_BACK);
	wizard_dispatch(&w, ACT_FOCUS_NEXT);
	assert_int_equal(wizard_dispatch(&w, ACT_ENTER), REQ_CLOSE_FORM);
	assert_false(w.form_open);
	assert_false(w.form_dirty);
}

static void test_redraw_resize(void **state)
{
	(void)state;
	struct wizard w;
	make(&w);
	struct wizard before = w;
	assert_int_equal(wizard_dispatch(&w, ACT_REDRAW), REQ_REDRAW);
	assert_int_equal(wizard_dispatch(&w, ACT_RESIZE), REQ_NONE);
	assert_memory_equal(&before, &w, sizeof w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buttons),
		cmocka_unit_test(test_walk_next_back),
		cmocka_unit_test(test_tab_cycles_buttons_and_list),
		cmocka_unit_test(test_list_moves_and_expands),
		cmocka_unit_test(test_preview_cancel_is_default),
		cmocka_unit_test(test_apply_done_shows_message),
		cmocka_unit_test(test_esc_cancels_dialogs),
		cmocka_unit_test(test_dialog_scroll),
		cmocka_unit_test(test_quit),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_redraw_resize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
