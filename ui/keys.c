/* keys.c: the key table: what each key does, the bottom help line and the F1 help screen. */
#include "config.h"

#include "keys.h"
#include "i18n.h"

#include <curses.h>

#define CTRL(c) ((c) & 0x1f)

/* Digits stand in for F-keys on terminals whose TERM is wrong (nconf's convention). */
const struct ui_key ui_keys[] = {
	{ { KEY_F(1), '?', '1', 0 }, "F1 ? 1", "F1", { N_("Help"), N_("Help"), N_("Help") },
	  N_("Show this help; any of these keys closes it again"), ACT_HELP },
	{ { '\t', 0, 0, 0 }, "Tab", "Tab", { N_("Buttons"), N_("Buttons"), N_("Next field") },
	  N_("Move to the next button (or the list, or the next field of a form)"), ACT_FOCUS_NEXT },
	{ { KEY_BTAB, 0, 0, 0 }, "Shift-Tab", NULL, { NULL, NULL, NULL },
	  N_("Move to the previous button, list or field"), ACT_FOCUS_PREV },
	{ { KEY_LEFT, 0, 0, 0 }, "Left", NULL, { NULL, NULL, NULL }, N_("Previous button in the button row"), ACT_LEFT },
	{ { KEY_RIGHT, 0, 0, 0 }, "Right", NULL, { NULL, NULL, NULL }, N_("Next button in the button row"), ACT_RIGHT },
	{ { KEY_UP, 0, 0, 0 }, "Up", NULL, { NULL, NULL, NULL }, N_("Previous entry of a list, or scroll up"), ACT_UP },
	{ { KEY_DOWN, 0, 0, 0 }, "Down", NULL, { NULL, NULL, NULL }, N_("Next entry of a list, or scroll down"), ACT_DOWN },
	{ { KEY_PPAGE, 0, 0, 0 }, "PgUp", NULL, { NULL, NULL, NULL }, N_("One page up"), ACT_PAGE_UP },
	{ { KEY_NPAGE, 0, 0, 0 }, "PgDn", NULL, { NULL, NULL, NULL }, N_("One page down"), ACT_PAGE_DOWN },
	{ { KEY_HOME, 0, 0, 0 }, "Home", NULL, { NULL, NULL, NULL }, N_("First entry"), ACT_HOME },
	{ { KEY_END, 0, 0, 0 }, "End", NULL, { NULL, NULL, NULL }, N_("Last entry"), ACT_END },
	{ { '\n', '\r', KEY_ENTER, 0 }, "Enter", "Enter", { N_("Select"), N_("Select"), N_("Select") },
	  N_("Press the focused button; on a finding: show or hide why it matters and how to fix it"), ACT_ENTER },
	{ { ' ', 0, 0, 0 }, "Space", "Space", { N_("Details"), NULL, N_("Toggle") },
	  N_("Show or hide the details of the selected finding; toggle a yes/no field"), ACT_TOGGLE },
	{ { 27, KEY_F(5), '5', 0 }, "Esc F5 5", "Esc", { N_("Back"), N_("Cancel"), N_("Cancel") },
	  N_("Go back one screen; in a dialog or form: cancel (the safe answer)"), ACT_BACK },
	{ { KEY_F(10), 'q', '0', 0 }, "F10 q 0", "F10", { N_("Quit"), N_("Quit"), N_("Quit") },
	  N_("Quit the wizard (it asks first when changes are pending)"), ACT_QUIT },
	{ { CTRL('l'), 0, 0, 0 }, "Ctrl-L", NULL, { NULL, NULL, NULL }, N_("Redraw the screen"), ACT_REDRAW },
};
const size_t ui_key_count = sizeof ui_keys / sizeof ui_keys[0];

enum wiz_action keys_action(int ch)
{
	if (ch == KEY_RESIZE)
		return ACT_RESIZE;
	for (size_t i = 0; i < ui_key_count; i++)
		for (size_t k = 0; k < 4 && ui_keys[i].keys[k]; k++)
			if (ui_keys[i].keys[k] == ch)
				return ui_keys[i].action;
	return ACT_NONE;
}
