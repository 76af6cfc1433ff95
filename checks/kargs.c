/* kargs.c: kernel command line tokens: look-ups and grubby-compatible edits that keep spacing. */
#include "config.h"

#include "kargs.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A token is [start, end) of the string. */
struct span {
	size_t start;
	size_t end;
};

/* CR and LF count as blanks too, so that a /proc/cmdline read with its final newline
 * splits the same way and the newline stays after the last token. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits s into tokens; a double-quoted part (even an unterminated one) belongs to its
 * token. Returns the count; *out is malloc'ed (NULL when there are none). *open_quote (when
 * given) tells whether the last token ends inside an unterminated quote. */
static size_t tokenize(const char *s, struct span **out, bool *open_quote)
{
	size_t n = 0, cap = 0;
	struct span *v = NULL;
	size_t i = 0;
	for (;;) {
		while (s[i] && is_blank(s[i]))
			i++;
		if (!s[i])
			break;
		size_t start = i;
		bool quoted = false;
		while (s[i] && (quoted || !is_blank(s[i]))) {
			if (s[i] == '"')
				quoted = !quoted;
			i++;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].start = start;
		v[n].end = i;
		n++;
		if (open_quote)
			*open_quote = quoted;
	}
	*out = v;
	return n;
}

/* Length of the key of a token or edit word: up to the first '=' or the end. */
static size_t key_len(const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	return eq ? (size_t)(eq - s) : len;
}

static bool span_equals(const char *s, struct span t, const char *word, size_t wlen)
{
	return t.end - t.start == wlen && memcmp(s + t.start, word, wlen) == 0;
}

/* True when the token's key (before any '=') is key. */
static bool span_has_key(const char *s, struct span t, const char *key, size_t klen)
{
	size_t tk = key_len(s + t.start, t.end - t.start);
	return tk == klen && memcmp(s + t.start, key, klen) == 0;
}

static bool word_has_key(const char *w, const char *key, size_t klen)
{
	size_t wl = strlen(w);
	return key_len(w, wl) == klen && memcmp(w, key, klen) == 0;
}

char *kargs_apply(const char *args, const struct kargs_edit *edit)
{
	if (!args)
		args = "";
	struct span *tok;
	bool open_quote = false;
	size_t n = tokenize(args, &tok, &open_quote);
	bool *drop = xcalloc(n + 1, sizeof(*drop));
	/* Tokens to append, in order; they point into edit->add. */
	const char **app = xcalloc(edit->n_add + 1, sizeof(*app));
	size_t n_app = 0;

	for (size_t r = 0; r < edit->n_remove; r++) {
		const char *rm = edit->remove[r];
		size_t rl = strlen(rm);
		if (!rl)
			continue;
		bool exact = memchr(rm, '=', rl) != NULL;
		for (size_t i = 0; i < n; i++)
			if (exact ? span_equals(args, tok[i], rm, rl) : span_has_key(args, tok[i], rm, rl))
				drop[i] = true;
	}

	for (size_t a = 0; a < edit->n_add; a++) {
		const char *add = edit->add[a];
		size_t al = strlen(add);
		if (!al)
			continue;
		size_t kl = key_len(add, al);
		bool kept = false;
		/* The first exact occurrence stays where it is; every other token with the same
		 * key goes, so that the key ends up with exactly this value, once. */
		for (size_t i = 0; i < n; i++) {
			if (drop[i] || !span_has_key(args, tok[i], add, kl))
				continue;
			if (!kept && span_equals(args, tok[i], add, al))
				kept = true;
			else
				drop[i] = true;
		}
		size_t w = 0;
		for (size_t j = 0; j < n_app; j++) {
			if (word_has_key(app[j], add, kl)) {
				if (kept || strcmp(app[j], add) != 0)
					continue;
				kept = true;
			}
			app[w++] = app[j];
		}
		n_app = w;
		if (!kept)
			app[n_app++] = add;
	}

	/* A dropped token takes the blank run before it, or else the one after it. gap[i] is
	 * the run between token i and token i + 1. */
	bool *gap_used = xcalloc(n + 1, sizeof(*gap_used));
	for (size_t i = 0; i < n; i++) {
		if (!drop[i])
			continue;
		if (i > 0 && !gap_used[i - 1])
			gap_used[i - 1] = true;
		else if (i + 1 < n && !gap_used[i])
			gap_used[i] = true;
	}

	/* The kernel reads an unterminated quote up to the end of the line, so tokens appended
	 * after it would be swallowed: they go before it instead. */
	bool before_last = n > 0 && open_quote && !drop[n - 1];
	struct buf out;
	buf_init(&out);
	bool any = false;
	size_t tail = 0;
	if (n == 0) {
		buf_puts(&out, args);
	} else {
		buf_append(&out, args, tok[0].start);
		for (size_t i = 0; i < n; i++) {
			if (before_last && i == n - 1) {
				for (size_t j = 0; j < n_app; j++) {
					buf_puts(&out, app[j]);
					buf_putc(&out, ' ');
				}
				n_app = 0;
			}
			if (!drop[i]) {
				buf_append(&out, args + tok[i].start, tok[i].end - tok[i].start);
				any = true;
			}
			if (i + 1 < n && !gap_used[i])
				buf_append(&out, args + tok[i].end, tok[i + 1].start - tok[i].end);
		}
		tail = tok[n - 1].end;
	}
	for (size_t j = 0; j < n_app; j++) {
		if (any)
			buf_putc(&out, ' ');
		buf_puts(&out, app[j]);
		any = true;
	}
	if (n > 0)
		buf_puts(&out, args + tail);

	free(tok);
	free(drop);
	free(gap_used);
	free(app);
	return buf_steal(&out);
}

bool kargs_satisfied(const char *args, const struct kargs_edit *edit)
{
	char *edited = kargs_apply(args, edit);
	bool same = strcmp(edited, args ? args : "") == 0;
	free(edited);
	return same;
}

bool kargs_has(const char *args, const char *token)
{
	if (!args || !token || !*token)
		return false;
	struct span *tok;
	size_t n = tokenize(args, &tok, NULL);
	size_t tl = strlen(token);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++)
		found = span_equals(args, tok[i], token, tl);
	free(tok);
	return found;
}

char *kargs_value(const char *args, const char *key, bool *bare)
{
	if (bare)
		*bare = false;
	if (!args || !key || !*key)
		return NULL;
	struct span *tok;
	size_t n = tokenize(args, &tok, NULL);
	size_t kl = strlen(key);
	char *value = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *t = args + tok[i].start;
		size_t tl = tok[i].end - tok[i].start;
		if (tl == kl && memcmp(t, key, kl) == 0) {
			if (bare)
				*bare = true;
		} else if (tl > kl && t[kl] == '=' && memcmp(t, key, kl) == 0) {
			/* Like the kernel's next_arg(): a value in double quotes loses them. */
			const char *v = t + kl + 1;
			size_t vl = tl - kl - 1;
			if (vl > 0 && v[0] == '"') {
				v++;
				vl--;
				if (vl > 0 && v[vl - 1] == '"')
					vl--;
			}
			free(value);
			value = xstrndup(v, vl);
		}
	}
	free(tok);
	return value;
}

bool kargs_token_is_safe(const char *token)
{
	if (!token || !*token)
		return false;
	for (const unsigned char *p = (const unsigned char *)token; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
		if (*p == '"' || *p == '\'' || *p == '\\' || *p == '$' || *p == '`')
			return false;
	}
	return true;
}
