/* fuzz_grub_legacy.c: libFuzzer target for the GRUB legacy grub.conf parser and its kernel-line editor. */
#include "config.h"

#include "fuzz.h"
#include "grub_legacy.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct lines {
	const struct grub_legacy *g;
};

/* Only the kernel line of a Linux stanza may change. */
static bool kernel_line(size_t lineno, void *ctx)
{
	const struct grub_legacy *g = ((struct lines *)ctx)->g;
	for (size_t s = 0; s < g->n; s++)
		if (g->v[s].is_linux && g->v[s].kernel_lineno == lineno)
			return true;
	return false;
}

static void check_parse(const char *text, size_t len, const struct grub_legacy *g)
{
	size_t lines = fz_line_count(text, len), linux_count = 0;
	FUZZ_ASSERT(g->default_index >= -1);
	for (size_t s = 0; s < g->n; s++) {
		const struct grub_legacy_stanza *st = &g->v[s];
		FUZZ_ASSERT(st->title);
		linux_count += st->is_linux;
		if (!st->kernel_lineno) {
			FUZZ_ASSERT(!st->is_linux && !st->args && !st->kernel_path);
			continue;
		}
		FUZZ_ASSERT(st->kernel_lineno <= lines && st->kernel_path && st->args);
		FUZZ_ASSERT(st->args_start <= st->args_end && st->args_end <= len);
		size_t ls, le;
		FUZZ_ASSERT(fz_line_span(text, len, st->kernel_lineno, &ls, &le));
		FUZZ_ASSERT(ls < st->args_start || (ls <= st->args_start && st->args_start == st->args_end));
		FUZZ_ASSERT(st->args_end <= le);
		/* args is the text between the offsets (cut at a NUL byte like any C string) */
		size_t al = strlen(st->args);
		FUZZ_ASSERT(al <= st->args_end - st->args_start);
		FUZZ_ASSERT(memcmp(st->args, text + st->args_start, al) == 0);
	}
	FUZZ_ASSERT(linux_count == g->linux_count);
}

/*
 * Input: an edit line, then grub.conf. Invariants: the parse is consistent with the text;
 * editing twice equals editing once; only the kernel lines of Linux stanzas change, and in
 * them the bytes up to the kernel path and after the arguments stay; read back, every edited
 * kernel line satisfies the edit and the stanzas are the same.
 */
FUZZ_ENTRY(grub_legacy)
{
	struct fz_edit fe;
	const char *text;
	size_t len;
	fz_edit_read(data, size, &fe, &text, &len);

	struct grub_legacy g;
	grub_legacy_parse(text, len, &g);
	check_parse(text, len, &g);

	struct buf out, out2;
	buf_init(&out);
	buf_init(&out2);
	size_t changed = 0, changed2 = 0;
	FUZZ_ASSERT(grub_legacy_edit(text, len, &fe.edit, &out, &changed) == 0);
	FUZZ_ASSERT((changed == 0) == fz_same(text, len, fz_data(&out), out.len));
	FUZZ_ASSERT(grub_legacy_edit(fz_data(&out), out.len, &fe.edit, &out2, &changed2) == 0);
	FUZZ_ASSERT(changed2 == 0 && fz_same(fz_data(&out), out.len, fz_data(&out2), out2.len));

	struct lines ctx = { &g };
	FUZZ_ASSERT(fz_only_lines_changed(text, len, fz_data(&out), out.len, kernel_line, &ctx));

	struct grub_legacy h;
	grub_legacy_parse(fz_data(&out), out.len, &h);
	check_parse(fz_data(&out), out.len, &h);
	FUZZ_ASSERT(h.n == g.n && h.linux_count == g.linux_count && h.default_index == g.default_index);
	for (size_t s = 0; s < g.n; s++) {
		const struct grub_legacy_stanza *a = &g.v[s], *b = &h.v[s];
		FUZZ_ASSERT(strcmp(a->title, b->title) == 0 && a->is_linux == b->is_linux);
		FUZZ_ASSERT(a->kernel_lineno == b->kernel_lineno);
		if (!a->is_linux)
			continue;
		FUZZ_ASSERT(strcmp(a->kernel_path, b->kernel_path) == 0);
		size_t ls, le, ms, me;
		fz_line_span(text, len, a->kernel_lineno, &ls, &le);
		fz_line_span(fz_data(&out), out.len, b->kernel_lineno, &ms, &me);
		/* the keyword and the path before the arguments (blanks and a stray CR between the
		 * path and the arguments separate them), and what follows them (a CR) */
		size_t pe = a->args_start;
		while (pe > ls && (char_is_blank(text[pe - 1]) || text[pe - 1] == '\r'))
			pe--;
		FUZZ_ASSERT(me - ms >= pe - ls && memcmp(fz_data(&out) + ms, text + ls, pe - ls) == 0);
		FUZZ_ASSERT(fz_same(fz_data(&out) + b->args_end, me - b->args_end, text + a->args_end, le - a->args_end));
		if (!memchr(text + a->args_start, '\0', a->args_end - a->args_start))
			FUZZ_ASSERT(kargs_satisfied(b->args, &fe.edit));
	}
	grub_legacy_free(&h);

	buf_free(&out);
	buf_free(&out2);
	grub_legacy_free(&g);
	fz_edit_free(&fe);
	return 0;
}
