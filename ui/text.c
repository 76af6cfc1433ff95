/* text.c: display width and wrapping of multibyte text into screen lines, without curses. */
#include "config.h"

#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void wlines_init(struct wlines *l)
{
	memset(l, 0, sizeof *l);
}

void wlines_reset(struct wlines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

void wlines_free(struct wlines *l)
{
	wlines_reset(l);
	free(l->v);
	free(l->attr);
	free(l->item);
	wlines_init(l);
}

static void wlines_push(struct wlines *l, wchar_t *owned, int attr, int item)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
		l->attr = xrealloc(l->attr, l->cap * sizeof *l->attr);
		l->item = xrealloc(l->item, l->cap * sizeof *l->item);
	}
	l->v[l->n] = owned;
	l->attr[l->n] = attr;
	l->item[l->n] = item;
	l->n++;
}

static wchar_t *wdup(const wchar_t *s, size_t n)
{
	wchar_t *d = xcalloc(n + 1, sizeof *d);
	memcpy(d, s, n * sizeof *d);
	return d;
}

void wlines_add_w(struct wlines *l, const wchar_t *s, int attr, int item)
{
	wlines_push(l, wdup(s, wcslen(s)), attr, item);
}

void wlines_add(struct wlines *l, const char *s, int attr, int item)
{
	wlines_push(l, text_to_wide(s, false, NULL), attr, item);
}

int text_wcwidth(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

int text_wswidth(const wchar_t *s)
{
	int w = 0;
	for (; *s; s++)
		w += text_wcwidth(*s);
	return w;
}

int text_width(const char *s)
{
	wchar_t *w = text_to_wide(s, false, NULL);
	int n = text_wswidth(w);
	free(w);
	return n;
}

size_t text_fit(const wchar_t *s, int cols)
{
	size_t i = 0;
	int used = 0;
	for (; s[i]; i++) {
		int w = text_wcwidth(s[i]);
		if (used + w > cols)
			break;
		used += w;
	}
	return i;
}

wchar_t *text_to_wide(const char *s, bool stop_at_newline, size_t *used)
{
	size_t len = strlen(s), cap = len + 8, n = 0, col = 0;
	wchar_t *out = xmalloc(cap * sizeof *out);
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t i = 0;
	while (i < len) {
		if (s[i] == '\n' && stop_at_newline) {
			i++;
			break;
		}
		wchar_t c;
		size_t k = mbrtowc(&c, s + i, len - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			c = L'?';
			k = 1;
		}
		i += k;
		size_t reps = 1;
		if (c == L'\t') {
			reps = 8 - col % 8;
			c = L' ';
		} else if (c < 0x20 || c == 0x7f) {
			c = L'?';
		}
		for (size_t r = 0; r < reps; r++) {
			if (n + 2 >= cap) {
				cap *= 2;
				out = xrealloc(out, cap * sizeof *out);
			}
			out[n++] = c;
			col += (size_t)text_wcwidth(c);
		}
	}
	out[n] = L'\0';
	if (used)
		*used = i;
	return out;
}

/* Appends prefix + s[0..n) as one row. */
static void push_row(struct wlines *out, const wchar_t *prefix, const wchar_t *s, size_t n, int attr, int item)
{
	size_t pl = wcslen(prefix);
	wchar_t *row = xcalloc(pl + n + 1, sizeof *row);
	memcpy(row, prefix, pl * sizeof *row);
	memcpy(row + pl, s, n * sizeof *row);
	wlines_push(out, row, attr, item);
}

static void wrap_paragraph(struct wlines *out, const wchar_t *p, int width, const wchar_t *first,
                           const wchar_t *rest, bool *is_first, int attr, int item)
{
	size_t len = wcslen(p), pos = 0;
	/* keep the paragraph's own leading blanks (indented detail lines) */
	size_t lead = 0;
	while (lead < len && p[lead] == L' ')
		lead++;
	do {
		const wchar_t *prefix = *is_first ? first : rest;
		int avail = width - text_wswidth(prefix);
		if (avail < 1)
			avail = 1;
		if (pos > 0)
			while (pos < len && p[pos] == L' ')
				pos++;
		/* the longest run that fits, ending at a blank when possible */
		size_t end = pos, last_break = 0;
		int used = 0;
		while (end < len) {
			int w = text_wcwidth(p[end]);
			if (used + w > avail)
				break;
			used += w;
			end++;
			if (end < len && p[end] == L' ' && end > lead)
				last_break = end;
		}
		if (end < len && last_break > pos)
			end = last_break;
		if (end == pos && pos < len)
			end = pos + 1; /* a character wider than the row */
		size_t trimmed = end;
		while (trimmed > pos && p[trimmed - 1] == L' ' && trimmed > lead)
			trimmed--;
		push_row(out, prefix, p + pos, trimmed - pos, attr, item);
		*is_first = false;
		pos = end;
	} while (pos < len);
}

void text_wrap(struct wlines *out, const char *text, int width, const char *first_prefix, const char *rest_prefix,
               int attr, int item)
{
	wchar_t *first = text_to_wide(first_prefix ? first_prefix : "", false, NULL);
	wchar_t *rest = text_to_wide(rest_prefix ? rest_prefix : "", false, NULL);
	bool is_first = true;
	const char *s = text ? text : "";
	do {
		size_t used = 0;
		wchar_t *para = text_to_wide(s, true, &used);
		wrap_paragraph(out, para, width, first, rest, &is_first, attr, item);
		free(para);
		s += used;
	} while (*s);
	free(first);
	free(rest);
}

void text_break(struct wlines *out, const char *text, int width, const wchar_t *cont, int attr, int item)
{
	const char *s = text ? text : "";
	if (width < 2)
		width = 2;
	while (*s) {
		size_t used = 0;
		wchar_t *line = text_to_wide(s, true, &used);
		s += used;
		size_t len = wcslen(line), pos = 0;
		bool first = true;
		do {
			const wchar_t *prefix = first ? L"" : cont;
			size_t n = text_fit(line + pos, width - text_wswidth(prefix));
			if (n == 0 && pos < len)
				n = 1;
			push_row(out, prefix, line + pos, n, attr, item);
			pos += n;
			first = false;
		} while (pos < len);
		free(line);
	}
}
