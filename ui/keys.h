/* keys.h: the key table: what each key does, the bottom help line and the F1 help screen. */
#ifndef KVMPREP_UI_KEYS_H
#define KVMPREP_UI_KEYS_H

#include <stddef.h>

#include "wizard.h"

/* Where the bottom help line is drawn: a screen, a dialog, the settings form. */
enum key_context { KEYS_SCREEN, KEYS_DIALOG, KEYS_FORM, KEYS_CONTEXT_COUNT };

struct ui_key {
	int keys[4];             /* curses key codes (0 ends the list early) */
	const char *names;       /* how the help screen names them: "F1 ? 1" */
	const char *short_name;  /* how the help line names them: "F1" */
	const char *line[KEYS_CONTEXT_COUNT]; /* help-line word per context (N_), NULL: not shown there */
	const char *help;        /* the help screen's sentence (N_) */
	enum wiz_action action;
};

extern const struct ui_key ui_keys[];
extern const size_t ui_key_count;

/* The action of a curses key code (KEY_RESIZE gives ACT_RESIZE), ACT_NONE when unbound. */
enum wiz_action keys_action(int ch);

#endif
