/* fuzzlib.c: helpers of the fuzz targets: the edit line reader and the line-by-line comparison. */
#include "config.h"

#include "fuzz.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The key of an edit word: up to the first '='. */
static bool same_key(const char *a, const char *b)
{
	size_t ka = strcspn(a, "="), kb = strcspn(b, "=");
	return ka == kb && memcmp(a, b, ka) == 0;
}

void fz_edit_read(const uint8_t *data, size_t size, struct fz_edit *e, const char **rest, size_t *rest_len)
{
	memset(e, 0, sizeof *e);
	const char *t = (const char *)data;
	const char *nl = memchr(t, '\n', size);
	size_t ll = nl ? (size_t)(nl - t) : size;
	*rest = nl ? nl + 1 : t + size;
	*rest_len = nl ? size - ll - 1 : 0;
	e->storage = fz_strndup(t, ll);
	size_t n_add = 0, n_remove = 0;
	char *save = NULL;
	const char *rm[FZ_MAX_WORDS];
	size_t n_rm = 0;
	for (char *w = strtok_r(e->storage, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if ((w[0] != '+' && w[0] != '-') || !kargs_token_is_safe(w + 1))
			continue;
		if (w[0] == '+' && n_add < FZ_MAX_WORDS) {
			bool dup = false;
			for (size_t a = 0; a < n_add; a++)
				dup |= same_key(e->add[a], w + 1);
			if (!dup)
				e->add[n_add++] = w + 1;
		} else if (w[0] == '-' && n_rm < FZ_MAX_WORDS) {
			rm[n_rm++] = w + 1;
		}
	}
	/* Removals that undo an add ("-m +m", "-m +m=1") are left out too: kvmprep's edits
	 * (checks/iommu.c) never hold them, and for them kargs_apply is not idempotent (the
	 * token is dropped and appended again at the end). */
	for (size_t r = 0; r < n_rm; r++) {
		bool undoes = false;
		for (size_t a = 0; a < n_add; a++)
			undoes |= strcmp(rm[r], e->add[a]) == 0 || (!strchr(rm[r], '=') && same_key(rm[r], e->add[a]));
		if (!undoes)
			e->remove[n_remove++] = rm[r];
	}
	e->edit.add = e->add;
	e->edit.n_add = n_add;
	e->edit.remove = e->remove;
	e->edit.n_remove = n_remove;
}

void fz_edit_free(struct fz_edit *e)
{
	free(e->storage);
	memset(e, 0, sizeof *e);
}

char *fz_strndup(const void *data, size_t size)
{
	char *s = xmalloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

size_t fz_line_count(const char *t, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	return n;
}

size_t fz_line_count_nul(const char *t, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n' || t[i] == '\0';
	return n;
}

bool fz_line_span(const char *t, size_t len, size_t n, size_t *start, size_t *end)
{
	size_t s = 0;
	for (size_t k = 1; k < n; k++) {
		const char *nl = s < len ? memchr(t + s, '\n', len - s) : NULL;
		if (!nl)
			return false;
		s = (size_t)(nl - t) + 1;
	}
	const char *nl = s < len ? memchr(t + s, '\n', len - s) : NULL;
	*start = s;
	*end = nl ? (size_t)(nl - t) : len;
	return true;
}

bool fz_same(const void *a, size_t alen, const void *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

bool fz_only_lines_changed(const char *old, size_t old_len, const char *new_text, size_t new_len,
                           bool (*allowed)(size_t lineno, void *ctx), void *ctx)
{
	if (fz_line_count(old, old_len) != fz_line_count(new_text, new_len))
		return false;
	size_t po = 0, pn = 0, lineno = 0;
	for (;;) {
		lineno++;
		const char *a = po < old_len ? memchr(old + po, '\n', old_len - po) : NULL;
		const char *b = pn < new_len ? memchr(new_text + pn, '\n', new_len - pn) : NULL;
		size_t ae = a ? (size_t)(a - old) : old_len, be = b ? (size_t)(b - new_text) : new_len;
		if (!fz_same(old + po, ae - po, new_text + pn, be - pn) && !allowed(lineno, ctx))
			return false;
		if (!a || !b)
			return !a && !b;
		po = ae + 1;
		pn = be + 1;
	}
}

void fz_check_edit_outcome(int rc, const char *error, const char *text, size_t len, const struct buf *out)
{
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	FUZZ_ASSERT((rc == -1) == (error != NULL));
	if (rc == -1)
		FUZZ_ASSERT(out->len == 0);
	if (rc == 1)
		FUZZ_ASSERT(fz_same(text, len, fz_data(out), out->len));
}
