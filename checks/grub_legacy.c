/* grub_legacy.c: GRUB 0.97 grub.conf/menu.lst: stanzas, default entry, byte-exact kernel-line edits (domain.md §3.2). */
#include "config.h"

#include "grub_legacy.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Trims blanks at the end of [start, *end). */
static void trim_end(const char *text, size_t start, size_t *end)
{
	while (*end > start && char_is_blank(text[*end - 1]))
		(*end)--;
}

static bool word_is(const char *text, size_t start, size_t end, const char *word)
{
	size_t wl = strlen(word);
	return end - start == wl && memcmp(text + start, word, wl) == 0;
}

/* Between the path and the arguments a stray CR counts as a blank, as the kernel's command
 * line parser sees it: a path never ends in one, so no edit can turn it into a line ending. */
static bool kernel_blank(char c)
{
	return char_is_blank(c) || c == '\r';
}

/* The kernel line "kernel [--option...] PATH ARGS..." from just after the keyword. */
static void parse_kernel_line(const char *text, size_t p, size_t end, size_t lineno,
                              struct grub_legacy_stanza *st)
{
	while (p < end && kernel_blank(text[p]))
		p++;
	/* GRUB 0.97 options such as --type=netbsd or --no-mem-option come before the path. */
	while (p + 1 < end && text[p] == '-' && text[p + 1] == '-') {
		while (p < end && !kernel_blank(text[p]))
			p++;
		while (p < end && kernel_blank(text[p]))
			p++;
	}
	if (p >= end)
		return; /* no path: not a usable kernel line */
	size_t pe = p;
	while (pe < end && !kernel_blank(text[pe]))
		pe++;
	size_t as = pe;
	while (as < end && kernel_blank(text[as]))
		as++;
	st->kernel_path = xstrndup(text + p, pe - p);
	st->args = xstrndup(text + as, end - as);
	st->args_start = as;
	st->args_end = end;
	st->kernel_lineno = lineno;
}

void grub_legacy_parse(const char *text, size_t len, struct grub_legacy *out)
{
	memset(out, 0, sizeof(*out));
	size_t cap = 0;
	bool *multiboot = NULL; /* per stanza: has module lines (Xen, tboot): the kernel is not Linux */
	size_t pos = 0, lineno = 0;
	struct grub_legacy_stanza *cur = NULL;

	size_t ls, ce; /* the line's start and content end (without a CR before the newline) */
	while (text_next_span(text, len, &pos, &ls, &ce)) {
		lineno++;

		size_t i = ls;
		while (i < ce && char_is_blank(text[i]))
			i++;
		if (i >= ce || text[i] == '#')
			continue;
		size_t ke = i;
		while (ke < ce && is_word_char(text[ke]))
			ke++;
		/* GL-1: the keyword ends at a blank, '=' or the end of the line. */
		if (ke == i || (ke < ce && !char_is_blank(text[ke]) && text[ke] != '='))
			continue;
		size_t v = ke;
		while (v < ce && (char_is_blank(text[v]) || text[v] == '='))
			v++;

		if (word_is(text, i, ke, "title")) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 8;
				out->v = xrealloc(out->v, cap * sizeof(*out->v));
				multiboot = xrealloc(multiboot, cap * sizeof(*multiboot));
			}
			cur = &out->v[out->n];
			memset(cur, 0, sizeof(*cur));
			multiboot[out->n] = false;
			out->n++;
			size_t te = ce;
			trim_end(text, v, &te);
			cur->title = xstrndup(text + v, te - v);
			continue;
		}
		if (!cur) {
			if (word_is(text, i, ke, "default")) {
				size_t ve = ce;
				trim_end(text, v, &ve);
				char *val = xstrndup(text + v, ve - v);
				long long n;
				if (strcmp(val, "saved") == 0)
					out->default_index = -1;
				else if (str_parse_ll(val, &n) && n >= 0 && n <= LONG_MAX)
					out->default_index = (long)n;
				else
					out->default_index = 0;
				free(val);
			}
			continue;
		}
		if (word_is(text, i, ke, "chainloader"))
			cur->chainloader = true;
		else if (word_is(text, i, ke, "module") || word_is(text, i, ke, "modulenounzip"))
			multiboot[out->n - 1] = true;
		else if (word_is(text, i, ke, "kernel") && !cur->kernel_lineno && v > ke)
			parse_kernel_line(text, v, ce, lineno, cur);
	}

	for (size_t s = 0; s < out->n; s++) {
		struct grub_legacy_stanza *st = &out->v[s];
		st->is_linux = st->kernel_lineno && !st->chainloader && !multiboot[s];
		if (st->is_linux)
			out->linux_count++;
	}
	free(multiboot);
}

void grub_legacy_free(struct grub_legacy *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].title);
		free(g->v[i].kernel_path);
		free(g->v[i].args);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int grub_legacy_edit(const char *text, size_t len, const struct kargs_edit *edit, struct buf *out,
                     size_t *changed)
{
	struct grub_legacy g;
	grub_legacy_parse(text, len, &g);
	buf_reset(out);
	*changed = 0;
	size_t copied = 0;
	for (size_t s = 0; s < g.n; s++) {
		const struct grub_legacy_stanza *st = &g.v[s];
		if (!st->is_linux)
			continue;
		size_t as = st->args_start, ae = st->args_end;
		/* Arguments with a NUL byte would be cut short as a C string: leave them alone. */
		if (memchr(text + as, '\0', ae - as))
			continue;
		char *edited = kargs_apply(st->args, edit);
		if (strcmp(edited, st->args) == 0) {
			free(edited);
			continue;
		}
		size_t from = as;
		const char *sep = "";
		if (!*edited) {
			/* Every argument went: the blanks after the path go with them. */
			while (from > 0 && kernel_blank(text[from - 1]))
				from--;
		} else if (as == ae && !char_is_blank(text[as - 1])) {
			sep = " "; /* "kernel /vmlinuz" had no blank after the path */
		}
		buf_append(out, text + copied, from - copied);
		buf_puts(out, sep);
		buf_puts(out, edited);
		copied = ae;
		(*changed)++;
		free(edited);
	}
	buf_append(out, text + copied, len - copied);
	grub_legacy_free(&g);
	return 0;
}
