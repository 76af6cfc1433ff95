/* fuzz_ksmtuned_conf.c: libFuzzer target for the ksmtuned.conf reader and its one-key editor ksmtuned_conf_set. */
#include "config.h"

#include "fuzz.h"
#include "ksmtuned_conf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void check_parse(const char *text, size_t len, const struct ksmtuned_conf *c)
{
	size_t lines = fz_line_count(text, len);
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		const struct ksmtuned_key_info *ki = &ksmtuned_keys[k];
		if (!c->set[k]) {
			FUZZ_ASSERT(!c->valid[k]);
			continue;
		}
		FUZZ_ASSERT(c->line[k] >= 1 && c->line[k] <= lines);
		if (ki->numeric && c->valid[k])
			FUZZ_ASSERT(c->value[k] >= ki->min && c->value[k] <= ki->max);
	}
	if (c->valid[KSMT_LOGFILE] && c->logfile && *c->logfile)
		FUZZ_ASSERT(c->logfile[0] == '/');
	for (size_t i = 0; i < c->n_problems; i++) {
		FUZZ_ASSERT(c->problems[i].message && c->problems[i].line <= lines);
		if (i > 0)
			FUZZ_ASSERT(c->problems[i - 1].line <= c->problems[i].line);
	}
	struct ksmtuned_params p;
	ksmtuned_conf_effective(c, &p);
	(void)p;
}

static bool same_setting(const struct ksmtuned_conf *a, const struct ksmtuned_conf *b, int k)
{
	if (a->set[k] != b->set[k] || a->valid[k] != b->valid[k] || a->value[k] != b->value[k])
		return false;
	if (k == KSMT_LOGFILE)
		return (!a->logfile && !b->logfile) || (a->logfile && b->logfile && strcmp(a->logfile, b->logfile) == 0);
	if (k == KSMT_DEBUG)
		return a->debug == b->debug;
	return true;
}

struct edit_ctx {
	const char *text;
	size_t len;
	const char *name;
	bool removing;
	size_t only_line; /* a set: the one line that may change (0: appended) */
};

/* A set replaces one line; a removal comments out lines that assign the key. */
static bool allowed(size_t lineno, void *p)
{
	const struct edit_ctx *x = p;
	if (!x->removing)
		return lineno == x->only_line;
	size_t s, e;
	if (!fz_line_span(x->text, x->len, lineno, &s, &e))
		return false;
	return memmem(x->text + s, e - s, x->name, strlen(x->name)) != NULL;
}

/*
 * Input: "NAME=VALUE" (or "NAME" to remove the setting) on the first line, then the file.
 * Invariants: the parse is consistent; a set (rc 0) reads back with the value and every
 * other key unchanged, a second set changes nothing (rc 1, same bytes); only the edited line
 * changes (a set keeps the indentation, a removal only inserts "# "), or a line is appended;
 * rc 1 returns the text, rc -1 nothing.
 */
FUZZ_ENTRY(ksmtuned_conf)
{
	const char *t = (const char *)data;
	const char *nl = memchr(t, '\n', size);
	size_t hl = nl ? (size_t)(nl - t) : size;
	const char *text = nl ? nl + 1 : t + size;
	size_t len = nl ? size - hl - 1 : 0;
	char *head = fz_strndup(t, hl);
	char *eq = strchr(head, '=');
	const char *value = NULL;
	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	enum ksmtuned_key key = ksmtuned_key_find(head);

	struct ksmtuned_conf old;
	ksmtuned_conf_parse(text, len, &old);
	check_parse(text, len, &old);

	struct buf out, out2;
	buf_init(&out);
	buf_init(&out2);
	char *error = NULL, *error2 = NULL;
	int rc = ksmtuned_conf_set(text, len, key, value, &out, &error);
	fz_check_edit_outcome(rc, error, text, len, &out);
	if (key == KSMT_KEY_COUNT)
		FUZZ_ASSERT(rc == -1);
	if (rc == 0) {
		const char *o = fz_data(&out);
		const char *name = ksmtuned_keys[key].name;
		FUZZ_ASSERT(!fz_same(text, len, o, out.len));
		struct ksmtuned_conf c;
		ksmtuned_conf_parse(o, out.len, &c);
		check_parse(o, out.len, &c);
		for (int k = 0; k < KSMT_KEY_COUNT; k++)
			if (k != (int)key)
				FUZZ_ASSERT(same_setting(&old, &c, k));
		if (!value) {
			FUZZ_ASSERT(!c.set[key]);
		} else {
			FUZZ_ASSERT(c.set[key] && c.valid[key]);
			if (key == KSMT_LOGFILE)
				FUZZ_ASSERT(c.logfile && strcmp(c.logfile, value) == 0);
			else if (key == KSMT_DEBUG)
				FUZZ_ASSERT(c.debug);
			else
				FUZZ_ASSERT(strtoll(value, NULL, 10) == c.value[key]);
		}
		FUZZ_ASSERT(ksmtuned_conf_set(o, out.len, key, value, &out2, &error2) == 1);
		FUZZ_ASSERT(!error2 && fz_same(o, out.len, fz_data(&out2), out2.len));

		struct edit_ctx x = { text, len, name, !value, 0 };
		if (value && out.len > len && memcmp(o, text, len) == 0 &&
		    fz_line_count(o, out.len) > fz_line_count(text, len)) {
			/* appended after the text (and a newline it lacked) */
		} else if (value) {
			/* the one changed line keeps its indentation and gets NAME=VALUE */
			size_t n = fz_line_count(text, len);
			for (size_t l = 1; l <= n && !x.only_line; l++) {
				size_t s, e, ms, me;
				fz_line_span(text, len, l, &s, &e);
				if (fz_line_span(o, out.len, l, &ms, &me) && !fz_same(text + s, e - s, o + ms, me - ms))
					x.only_line = l;
			}
			FUZZ_ASSERT(x.only_line);
			FUZZ_ASSERT(fz_only_lines_changed(text, len, o, out.len, allowed, &x));
			size_t s, e, ms, me;
			fz_line_span(text, len, x.only_line, &s, &e);
			fz_line_span(o, out.len, x.only_line, &ms, &me);
			size_t ind = s;
			while (ind < e && char_is_blank(text[ind]))
				ind++;
			FUZZ_ASSERT(me - ms > ind - s && memcmp(o + ms, text + s, ind - s) == 0);
			size_t nl2 = strlen(name);
			FUZZ_ASSERT(me - ms - (ind - s) > nl2 && memcmp(o + ms + (ind - s), name, nl2) == 0);
		} else {
			FUZZ_ASSERT(fz_only_lines_changed(text, len, o, out.len, allowed, &x));
			/* each changed line is the old one with "# " inserted */
			size_t n = fz_line_count(text, len);
			for (size_t l = 1; l <= n; l++) {
				size_t s, e, ms, me;
				fz_line_span(text, len, l, &s, &e);
				fz_line_span(o, out.len, l, &ms, &me);
				if (fz_same(text + s, e - s, o + ms, me - ms))
					continue;
				FUZZ_ASSERT(me - ms == e - s + 2);
				size_t k = 0;
				while (k < e - s && o[ms + k] == text[s + k])
					k++;
				FUZZ_ASSERT(memcmp(o + ms + k, "# ", 2) == 0);
				FUZZ_ASSERT(memcmp(o + ms + k + 2, text + s + k, e - s - k) == 0);
			}
		}
		ksmtuned_conf_free(&c);
	}
	free(error);
	free(error2);
	buf_free(&out);
	buf_free(&out2);
	ksmtuned_conf_free(&old);
	free(head);
	return 0;
}
