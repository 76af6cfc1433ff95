/* form.c: the ksmtuned settings form: every key with its value, default, range and meaning; validated edits. */
#include "config.h"

#include "form.h"
#include "i18n.h"
#include "term.h"
#include "text.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KSMTUNED_CONF "/etc/ksmtuned.conf"

static void set_value(struct form_field *fl, const char *v)
{
	snprintf(fl->value, sizeof fl->value, "%s", v);
	fl->len = strlen(fl->value);
	snprintf(fl->initial, sizeof fl->initial, "%s", v);
}

void form_load(struct form *f, struct host *h)
{
	memset(f, 0, sizeof *f);
	struct buf text;
	buf_init(&text);
	f->present = host_read_file(h, KSMTUNED_CONF, 1024 * 1024, &text) == 0;
	struct ksmtuned_conf c;
	ksmtuned_conf_parse(text.data ? text.data : "", text.len, &c);
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		struct form_field *fl = &f->f[k];
		char num[32];
		if (k == KSMT_LOGFILE) {
			set_value(fl, c.logfile && c.set[k] ? c.logfile : "");
		} else if (k == KSMT_DEBUG) {
			set_value(fl, c.debug ? "1" : "");
		} else if (c.set[k] && c.valid[k]) {
			snprintf(num, sizeof num, "%lld", c.value[k]);
			set_value(fl, num);
		} else {
			set_value(fl, "");
			fl->bad_in_file = c.set[k];
		}
	}
	ksmtuned_conf_free(&c);
	buf_free(&text);
}

bool form_is_toggle(int field)
{
	return field == KSMT_DEBUG;
}

void form_toggle(struct form *f, int field)
{
	if (!form_is_toggle(field))
		return;
	struct form_field *fl = &f->f[field];
	snprintf(fl->value, sizeof fl->value, "%s", fl->len ? "" : "1");
	fl->len = strlen(fl->value);
}

static bool logfile_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
	       ch == '_' || ch == '/' || ch == '-';
}

bool form_type(struct form *f, int field, int ch, const char **why)
{
	struct form_field *fl = &f->f[field];
	*why = NULL;
	if (form_is_toggle(field)) {
		*why = _("Space switches DEBUG on or off");
		return false;
	}
	bool ok = ksmtuned_keys[field].numeric ? (ch >= '0' && ch <= '9') || ch == '-' : logfile_char(ch);
	if (!ok) {
		*why = ksmtuned_keys[field].numeric ? _("Only digits and '-' go into this field")
		                                    : _("Only letters, digits and . _ / - go into a path");
		return false;
	}
	if (fl->len >= (ksmtuned_keys[field].numeric ? 20 : FORM_VALUE_MAX)) {
		*why = _("The field is full");
		return false;
	}
	fl->value[fl->len++] = (char)ch;
	fl->value[fl->len] = '\0';
	return true;
}

bool form_backspace(struct form *f, int field)
{
	struct form_field *fl = &f->f[field];
	if (form_is_toggle(field) || fl->len == 0)
		return false;
	fl->value[--fl->len] = '\0';
	return true;
}

/* "1..100 %", ">= 1 s", "<= 0 pages". */
static char *range_text(const struct ksmtuned_key_info *k)
{
	const char *unit = *k->unit ? _(k->unit) : "";
	if (k->min == LLONG_MIN)
		return xasprintf("<= %lld %s", k->max, unit);
	if (k->max == LLONG_MAX)
		return xasprintf(">= %lld %s", k->min, unit);
	return xasprintf("%lld..%lld %s", k->min, k->max, unit);
}

bool form_check(const struct form *f, int field, char **why)
{
	*why = NULL;
	const struct ksmtuned_key_info *k = &ksmtuned_keys[field];
	const struct form_field *fl = &f->f[field];
	if (field == KSMT_LOGFILE && fl->len && fl->value[0] != '/') {
		*why = xasprintf(_("%s must be an absolute path"), k->name);
		return false;
	}
	if (!k->numeric || fl->len == 0)
		return true;
	long long v;
	if (!str_parse_ll(fl->value, &v) || v < k->min || v > k->max) {
		char *range = range_text(k);
		*why = xasprintf(_("%s takes an integer %s"), k->name, range);
		free(range);
		return false;
	}
	return true;
}

bool form_changed(const struct form *f)
{
	for (int k = 0; k < KSMT_KEY_COUNT; k++)
		if (strcmp(f->f[k].value, f->f[k].initial) != 0)
			return true;
	return false;
}

int form_plan(const struct form *f, struct host *h, const char *restart_init, struct plan *plan, char **error)
{
	*error = NULL;
	struct buf text, next;
	buf_init(&text);
	buf_init(&next);
	bool existed = host_read_file(h, KSMTUNED_CONF, 1024 * 1024, &text) == 0;
	if (!text.data)
		buf_append(&text, "", 0);
	struct buf old;
	buf_init(&old);
	buf_append(&old, text.data, text.len);
	int rc = 0;
	for (int k = 0; k < KSMT_KEY_COUNT && rc >= 0; k++) {
		const struct form_field *fl = &f->f[k];
		if (strcmp(fl->value, fl->initial) == 0)
			continue;
		if (k == KSMT_LOGFILE && fl->len && fl->value[0] != '/') {
			*error = xasprintf(_("%s must be an absolute path"), ksmtuned_keys[k].name);
			rc = -1;
			break;
		}
		char *why = NULL;
		buf_reset(&next);
		int r = ksmtuned_conf_set(text.data, text.len, (enum ksmtuned_key)k, fl->len ? fl->value : NULL, &next, &why);
		if (r < 0) {
			*error = xasprintf("%s: %s", ksmtuned_keys[k].name, why ? why : "");
			rc = -1;
		} else if (r == 0) {
			buf_reset(&text);
			buf_append(&text, next.data, next.len);
		}
		free(why);
	}
	if (rc == 0) {
		struct action *a = plan_add(plan, "ksmtuned.config", _("ksmtuned settings from the wizard's form"));
		if (action_add_file(a, KSMTUNED_CONF, existed ? old.data : NULL, old.len, text.data, text.len, 0644)) {
			if (restart_init && strcmp(restart_init, "sysv") == 0)
				action_add_command(a, "service", "ksmtuned", "restart", NULL);
			else if (restart_init)
				action_add_command(a, "systemctl", "restart", "ksmtuned.service", NULL);
			rc = 1;
		} else {
			a->status = ACTION_UNCHANGED;
			action_set_message(a, _("the file already holds these values"));
		}
	}
	buf_free(&old);
	buf_free(&text);
	buf_free(&next);
	return rc;
}

bool form_verify(void *ctx, const struct action *a)
{
	(void)a;
	struct form_verify *v = ctx;
	struct form now;
	form_load(&now, v->host);
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		const struct form_field *want = &v->form.f[k];
		if (strcmp(want->value, want->initial) != 0 && strcmp(now.f[k].value, want->value) != 0)
			return false;
	}
	return true;
}

/* ---- drawing ---- */

int form_draw(struct form *f, const struct wizard *w, const char *status, int *cy)
{
	int top = 1, left = 0, height = LINES - 2, width = COLS;
	for (int r = top; r < top + height; r++)
		ui_fill(r, left, width, UI_NORMAL);
	ui_box(top, left, height, width, UI_FRAME);
	char *title = xasprintf(" %s: %s ", _("ksmtuned settings"), KSMTUNED_CONF);
	ui_puts(top, left + 2, width - 4, UI_TITLE, title);
	free(title);
	int x = left + 2, inner = width - 4;
	struct wlines intro;
	wlines_init(&intro);
	text_wrap(&intro,
	          f->present ? _("The values in the file now; an empty field means ksmtuned's default. Nothing is written "
	                         "before you have seen the change.")
	                     : _("There is no /etc/ksmtuned.conf: ksmtuned runs with its defaults. Saving creates the file."),
	          inner, "", "", UI_NORMAL, -1);
	int y = top + 1;
	for (size_t i = 0; i < intro.n && i < 2; i++)
		ui_put(y++, x, inner, UI_NORMAL, intro.v[i]);
	wlines_free(&intro);
	int rows_end = top + height - 4; /* status row, separator, buttons, border */
	int space = rows_end - y;
	/* each field: its row, then its meaning wrapped below it */
	struct wlines meaning[KSMT_KEY_COUNT];
	int rows[KSMT_KEY_COUNT];
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		wlines_init(&meaning[k]);
		text_wrap(&meaning[k], _(ksmtuned_keys[k].meaning), inner, "    ", "    ", UI_DIM, -1);
		rows[k] = 1 + (int)meaning[k].n;
	}
	int focus = w->form_focus < KSMT_KEY_COUNT ? w->form_focus : -1;
	if (focus >= 0) {
		if ((size_t)focus < f->scroll)
			f->scroll = (size_t)focus;
		for (;;) {
			int used = 0;
			for (int k = (int)f->scroll; k <= focus; k++)
				used += rows[k];
			if (used <= space || (int)f->scroll >= focus)
				break;
			f->scroll++;
		}
	}
	int cursor_x = -1, last = (int)f->scroll - 1;
	const int name_w = 22, field_w = 12;
	for (int k = (int)f->scroll; k < KSMT_KEY_COUNT && y + rows[k] <= rows_end; k++) {
		const struct ksmtuned_key_info *ki = &ksmtuned_keys[k];
		struct form_field *fl = &f->f[k];
		bool focused = k == focus;
		ui_puts(y, x, name_w, focused ? UI_HEADING : UI_NORMAL, ki->name);
		int fx = x + name_w;
		int fw = k == KSMT_LOGFILE ? (inner - name_w > 40 ? 30 : inner - name_w - 2) : field_w;
		char *extra;
		if (form_is_toggle(k)) {
			ui_puts(y, fx, 3, focused ? UI_FIELD_FOCUS : UI_FIELD, fl->len ? "[x]" : "[ ]");
			fw = 3;
			extra = xstrdup(_("off by default"));
			if (focused)
				cursor_x = fx + 1, *cy = y;
		} else {
			ui_fill(y, fx, fw, focused ? UI_FIELD_FOCUS : UI_FIELD);
			/* a long path shows its end, where the typing happens */
			const char *shown = fl->value;
			if ((int)fl->len > fw - 1)
				shown = fl->value + (fl->len - (size_t)(fw - 1));
			ui_puts(y, fx, fw, focused ? UI_FIELD_FOCUS : UI_FIELD, shown);
			if (focused)
				cursor_x = fx + (int)strlen(shown), *cy = y;
			if (ki->numeric) {
				char *range = range_text(ki);
				extra = xasprintf(_("default %lld, %s"), ki->def, range);
				free(range);
			} else {
				extra = xstrdup(_("unset by default"));
			}
		}
		if (fl->bad_in_file) {
			char *both = xasprintf("%s; %s", extra, _("invalid in the file"));
			free(extra);
			extra = both;
		}
		ui_puts(y, fx + fw + 2, inner - name_w - fw - 2, UI_NORMAL, extra);
		free(extra);
		for (size_t i = 0; i < meaning[k].n; i++)
			ui_put(y + 1 + (int)i, x, inner, UI_DIM, meaning[k].v[i]);
		y += rows[k];
		last = k;
	}
	for (int k = 0; k < KSMT_KEY_COUNT; k++)
		wlines_free(&meaning[k]);
	if (w->modal == MODAL_NONE) {
		if (f->scroll > 0)
			ui_puts(top + 1, left + width - 1, 1, UI_FRAME, "^");
		if (last + 1 < KSMT_KEY_COUNT)
			ui_puts(rows_end - 1, left + width - 1, 1, UI_FRAME, "v");
	}
	if (status)
		ui_puts(rows_end, x, inner, UI_ERROR, status);
	ui_box_tee(top + height - 3, left, width, UI_FRAME);
	char *save = xasprintf("<%s%s>", _("Save"), ui_ellipsis());
	char *cancel = xasprintf("<%s>", _("Cancel"));
	int bw = text_width(cancel) + 2 + text_width(save);
	int bx = left + (width - bw) / 2;
	ui_puts(top + height - 2, bx, width, w->form_focus == KSMT_KEY_COUNT ? UI_BUTTON_FOCUS : UI_BUTTON, cancel);
	ui_puts(top + height - 2, bx + text_width(cancel) + 2, width,
	        w->form_focus == KSMT_KEY_COUNT + 1 ? UI_BUTTON_FOCUS : UI_BUTTON, save);
	free(save);
	free(cancel);
	return cursor_x;
}
