/* form.h: the ksmtuned settings form: every key with its value, default, range and meaning; validated edits. */
#ifndef KVMPREP_UI_FORM_H
#define KVMPREP_UI_FORM_H

#include <stdbool.h>

#include "action.h"
#include "host.h"
#include "ksmtuned_conf.h"
#include "wizard.h"

#define FORM_VALUE_MAX 255 /* typing stops there: LOGFILE paths are short, numbers shorter */

struct form_field {
	char value[FORM_VALUE_MAX + 1];   /* as typed; "" is "unset: ksmtuned's default" ("1" or "" for DEBUG) */
	size_t len;
	char initial[FORM_VALUE_MAX + 1]; /* as read from the file */
	bool bad_in_file;                 /* the file assigns a value ksmtuned cannot use */
};

struct form {
	struct form_field f[KSMT_KEY_COUNT];
	bool present;                     /* /etc/ksmtuned.conf exists */
	size_t scroll;                    /* first field shown */
};

/* Reads /etc/ksmtuned.conf through the host layer into the fields. */
void form_load(struct form *f, struct host *h);
/* DEBUG is a yes/no field: Space toggles it. */
bool form_is_toggle(int field);
void form_toggle(struct form *f, int field);
/* A typed character: true when taken; false with *why (translated) when refused on the spot:
 * digits and '-' only for numbers, [A-Za-z0-9._/-] for LOGFILE, FORM_VALUE_MAX at most. */
bool form_type(struct form *f, int field, int ch, const char **why);
bool form_backspace(struct form *f, int field);
/* Leaving a field: false with *why (malloc'ed) when its value is not an integer in range. */
bool form_check(const struct form *f, int field, char **why);
bool form_changed(const struct form *f);
/*
 * The edit of /etc/ksmtuned.conf for every changed field, made with ksmtuned_conf_set, as one
 * action "ksmtuned.config" in plan (plus the restart command when ksmtuned runs). Returns 1
 * with something to write, 0 when the file already says it all, -1 with *error (malloc'ed).
 */
int form_plan(const struct form *f, struct host *h, const char *restart_init, struct plan *plan, char **error);

/* apply_plan's verification of the form's edit: the file now holds every changed value. */
struct form_verify {
	struct host *host;
	struct form form;
};
bool form_verify(void *ctx, const struct action *a);

/* Draws the form over the screen's box; status is a refusal to show, or NULL. Returns the
 * cursor column of the focused field (and its row in *cy), or -1. */
int form_draw(struct form *f, const struct wizard *w, const char *status, int *cy);

#endif
