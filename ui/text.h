/* text.h: display width and wrapping of multibyte text into screen lines, without curses. */
#ifndef KVMPREP_UI_TEXT_H
#define KVMPREP_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* A growable list of owned wide strings: the rows of a screen region. */
struct wlines {
	wchar_t **v;
	int *attr;      /* one theme attribute (enum ui_attr) per row */
	int *item;      /* the selectable item a row belongs to, -1 for none */
	size_t n, cap;
};

void wlines_init(struct wlines *l);
void wlines_free(struct wlines *l);
void wlines_reset(struct wlines *l);
/* Appends a row (copied); takes wide text. */
void wlines_add_w(struct wlines *l, const wchar_t *s, int attr, int item);
/* Appends a row from multibyte text (converted in the current locale). */
void wlines_add(struct wlines *l, const char *s, int attr, int item);

/* Converts multibyte text in the current locale to a malloc'ed wide string; bytes that do
 * not convert become '?', tabs expand to the next multiple of 8 columns, other control
 * characters become '?'. Stops at a newline when stop_at_newline (then *used says how many
 * bytes were read, the newline included). */
wchar_t *text_to_wide(const char *s, bool stop_at_newline, size_t *used);
/* Columns a wide character takes on the screen (0 for continuation marks, 1 for unknown). */
int text_wcwidth(wchar_t c);
/* Columns of a wide string, or of a multibyte string. */
int text_wswidth(const wchar_t *s);
int text_width(const char *s);
/* How many characters of s fit into cols columns. */
size_t text_fit(const wchar_t *s, int cols);

/*
 * Word-wraps text (several paragraphs separated by newlines) to width columns: the first
 * row starts with first_prefix, the following rows with rest_prefix (both count toward the
 * width). A word wider than a row is broken. Rows are appended to out with attr and item.
 */
void text_wrap(struct wlines *out, const char *text, int width, const char *first_prefix, const char *rest_prefix,
               int attr, int item);
/* Breaks each line of text at exactly width columns (for diffs, whose words must not move);
 * continuation rows start with cont. */
void text_break(struct wlines *out, const char *text, int width, const wchar_t *cont, int attr, int item);

#endif
