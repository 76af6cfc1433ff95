/* term.h: the terminal: curses start and restore, colour and mono themes, signals, drawing primitives. */
#ifndef KVMPREP_UI_TERM_H
#define KVMPREP_UI_TERM_H

#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include <curses.h>

/* Theme slots; the colour table and its monochrome twin give each its look. */
enum ui_attr {
	UI_NORMAL, UI_BACKTITLE, UI_TITLE, UI_FRAME, UI_HELPLINE, UI_HELPKEY, UI_BUTTON, UI_BUTTON_FOCUS,
	UI_SELECT, UI_HEADING, UI_DIM, UI_OK, UI_INFO, UI_WARN, UI_FAIL, UI_SKIP, UI_DIFF_ADD, UI_DIFF_DEL,
	UI_DIFF_HUNK, UI_FIELD, UI_FIELD_FOCUS, UI_ERROR, UI_ATTR_COUNT
};

struct ui_term {
	bool active;     /* curses is running: nothing may print to stdout/stderr */
	bool mono;       /* no colour: !has_colors(), NO_COLOR, --no-color */
	bool ascii;      /* ASCII line drawing: no UTF-8 locale, or --ascii */
	bool fancy;      /* "…" and "×" may be drawn (UTF-8 and not the Linux console) */
	SCREEN *screen;
};
extern struct ui_term ui_term;

/* The minimum usable size; below it only the "terminal too small" screen is drawn. */
#define UI_MIN_COLS 70
#define UI_MIN_LINES 20

/* Starts curses on the given streams (the wizard: stdout/stdin; the screen dumper: /dev/null).
 * term_name NULL means $TERM. Returns -1 with *error (malloc'ed) when the terminal is unusable. */
int term_start(const char *term_name, FILE *out, FILE *in, bool no_color, bool ascii, char **error);
/* Restores the terminal (endwin); safe to call twice, from atexit and after a signal. */
void term_stop(void);
/* SIGINT, SIGTERM and SIGHUP set a flag the event loop reads; install before term_start. */
void term_signals_install(void);
int term_signal_caught(void);
/* Restores the terminal, then dies of the signal with its default action. */
void term_die_of(int sig) __attribute__((noreturn));

attr_t ui_attr(enum ui_attr a);
/* Glyphs that need UTF-8 outside the Linux console: "…" or "...", "×" or "x". */
const char *ui_ellipsis(void);
const char *ui_times(void);

/* Clipped drawing on stdscr: at most w columns, never past the right edge. */
void ui_put(int y, int x, int w, enum ui_attr a, const wchar_t *s);
void ui_puts(int y, int x, int w, enum ui_attr a, const char *s);
void ui_fill(int y, int x, int w, enum ui_attr a);
void ui_hline(int y, int x, int w, enum ui_attr a);
void ui_box(int y, int x, int h, int w, enum ui_attr a);
/* A separator across a box at row y: ├───┤ (or +---+). */
void ui_box_tee(int y, int x, int w, enum ui_attr a);
/* A single character of line drawing: 'q' horizontal, 'x' vertical, 'l' 'k' 'm' 'j' corners. */
void ui_line_char(int y, int x, char which, enum ui_attr a);

#endif
