/* fuzz_bls.c: libFuzzer target for BLS entries (bls_parse, bls_edit_options, bls_sort_ids) and grubenv_parse. */
#include "config.h"

#include "bls.h"
#include "fuzz.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* An "options" line: blanks, the key "options", then a blank or the end (a CR before '\n' too). */
static bool options_line(const char *t, size_t s, size_t e, size_t *value_start)
{
	if (e > s && t[e - 1] == '\r')
		e--;
	while (s < e && char_is_blank(t[s]))
		s++;
	if (e - s < 7 || memcmp(t + s, "options", 7) != 0 || (s + 7 < e && !char_is_blank(t[s + 7])))
		return false;
	size_t v = s + 7;
	while (v < e && char_is_blank(t[v]))
		v++;
	*value_start = v;
	return true;
}

struct text {
	const char *t;
	size_t len;
};

static bool is_options_line(size_t lineno, void *ctx)
{
	const struct text *x = ctx;
	size_t s, e, v;
	return fz_line_span(x->t, x->len, lineno, &s, &e) && options_line(x->t, s, e, &v);
}

static void check_grubenv(const char *block, size_t len)
{
	struct strlist keys, values;
	char *error = NULL;
	int rc = grubenv_parse(block, len, &keys, &values, &error);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_ASSERT(!error && keys.n == values.n);
		for (size_t i = 0; i < keys.n; i++) {
			FUZZ_ASSERT(keys.v[i][0] && !strchr(keys.v[i], '=') && !strchr(keys.v[i], '\n'));
			FUZZ_ASSERT(grubenv_get(&keys, &values, keys.v[i]) != NULL);
		}
	} else {
		FUZZ_ASSERT(error && keys.n == 0 && values.n == 0);
	}
	free(error);
	strlist_free(&keys);
	strlist_free(&values);
}

static void check_sort(const char *text, size_t len)
{
	struct strlist a, b;
	strlist_init(&a);
	strlist_init(&b);
	size_t pos = 0;
	struct buf line;
	buf_init(&line);
	while (a.n < 16 && text_next_line(text, len, &pos, &line))
		strlist_add(&a, fz_data(&line));
	buf_free(&line);
	for (size_t i = a.n; i > 0; i--)
		strlist_add(&b, a.v[i - 1]);
	bls_sort_ids(&a);
	bls_sort_ids(&b);
	/* a total order: the same result from either starting order */
	for (size_t i = 0; i < a.n; i++)
		FUZZ_ASSERT(strcmp(a.v[i], b.v[i]) == 0);
	strlist_free(&a);
	strlist_free(&b);
}

/*
 * Input: an edit line, then an entry. Invariants: an entry using $kernelopts is left alone
 * (rc 1); otherwise editing twice equals editing once, only "options" lines change and keep
 * their key, the first options line read back satisfies the edit, and the other keys read
 * the same. The entry is also read as a grubenv block (raw, and padded to 1024 bytes) and its
 * lines sorted as entry ids.
 */
FUZZ_ENTRY(bls)
{
	struct fz_edit fe;
	const char *text;
	size_t len;
	fz_edit_read(data, size, &fe, &text, &len);

	struct bls_entry e;
	bls_parse(text, len, &e);
	if (e.options)
		FUZZ_ASSERT(e.options_lineno >= 1 && e.options_lineno <= fz_line_count(text, len));

	struct buf out, out2;
	buf_init(&out);
	buf_init(&out2);
	int rc = bls_edit_options(text, len, &fe.edit, &out);
	FUZZ_ASSERT(rc == (e.uses_kernelopts ? 1 : 0));
	const char *o = fz_data(&out);
	if (rc == 1) {
		FUZZ_ASSERT(fz_same(text, len, o, out.len));
	} else {
		FUZZ_ASSERT(bls_edit_options(o, out.len, &fe.edit, &out2) == 0);
		FUZZ_ASSERT(fz_same(o, out.len, fz_data(&out2), out2.len));
		struct text x = { text, len };
		FUZZ_ASSERT(fz_only_lines_changed(text, len, o, out.len, is_options_line, &x));
		/* a changed options line is still one, with the same bytes before its value */
		size_t n = fz_line_count(text, len);
		for (size_t l = 1; l <= n; l++) {
			size_t s, t, ms, mt, v, mv;
			fz_line_span(text, len, l, &s, &t);
			fz_line_span(o, out.len, l, &ms, &mt);
			if (fz_same(text + s, t - s, o + ms, mt - ms))
				continue;
			FUZZ_ASSERT(options_line(o, ms, mt, &mv));
			options_line(text, s, t, &v);
			size_t key_end = v;
			while (key_end > s && char_is_blank(text[key_end - 1]))
				key_end--;
			FUZZ_ASSERT(memcmp(o + ms, text + s, key_end - s) == 0);
		}
		struct bls_entry f;
		bls_parse(o, out.len, &f);
		FUZZ_ASSERT(!f.uses_kernelopts);
		FUZZ_ASSERT((e.title == NULL) == (f.title == NULL) && (!e.title || strcmp(e.title, f.title) == 0));
		FUZZ_ASSERT((e.version == NULL) == (f.version == NULL) &&
		            (!e.version || strcmp(e.version, f.version) == 0));
		FUZZ_ASSERT((e.linux_path == NULL) == (f.linux_path == NULL) &&
		            (!e.linux_path || strcmp(e.linux_path, f.linux_path) == 0));
		FUZZ_ASSERT((e.options == NULL) == (f.options == NULL));
		if (f.options && !memchr(o, '\0', out.len))
			FUZZ_ASSERT(kargs_satisfied(f.options, &fe.edit));
		bls_entry_free(&f);
	}
	buf_free(&out);
	buf_free(&out2);
	bls_entry_free(&e);

	check_grubenv(text, len);
	char block[1024];
	static const char header[] = "# GRUB Environment Block\n";
	size_t hl = sizeof header - 1, n = len < sizeof block - hl ? len : sizeof block - hl;
	memcpy(block, header, hl);
	if (n)
		memcpy(block + hl, text, n);
	memset(block + hl + n, '#', sizeof block - hl - n);
	check_grubenv(block, sizeof block);

	check_sort(text, len);
	fz_edit_free(&fe);
	return 0;
}
