/* term.c: the terminal: curses start and restore, colour and mono themes, signals, drawing primitives. */
#include "config.h"

#include "term.h"
#include "text.h"
#include "util.h"

#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct ui_term ui_term;

static volatile sig_atomic_t caught_signal;

/* fg, bg (-1: the terminal's default), attributes with colour, attributes in monochrome.
 * Only the 8 basic colours (TERM=linux); meaning never rests on colour or A_DIM alone. */
static const struct {
	short fg, bg;
	attr_t color_attr, mono_attr;
} theme[UI_ATTR_COUNT] = {
	[UI_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UI_BACKTITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_TITLE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UI_FRAME] = { -1, -1, A_NORMAL, A_NORMAL },
	[UI_HELPLINE] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UI_HELPKEY] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[UI_BUTTON] = { -1, -1, A_NORMAL, A_NORMAL },
	[UI_BUTTON_FOCUS] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[UI_SELECT] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[UI_HEADING] = { -1, -1, A_BOLD, A_BOLD },
	[UI_DIM] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[UI_OK] = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[UI_INFO] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[UI_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UI_FAIL] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
	[UI_SKIP] = { COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL },
	[UI_DIFF_ADD] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UI_DIFF_DEL] = { COLOR_RED, -1, A_NORMAL, A_NORMAL },
	[UI_DIFF_HUNK] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[UI_FIELD] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE },
	[UI_FIELD_FOCUS] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[UI_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
};

static attr_t attrs[UI_ATTR_COUNT];

attr_t ui_attr(enum ui_attr a)
{
	return (unsigned)a < UI_ATTR_COUNT ? attrs[a] : A_NORMAL;
}

static void theme_init(bool no_color)
{
	const char *nc = getenv("NO_COLOR"); /* no-color.org: set and not empty */
	ui_term.mono = no_color || (nc && *nc) || !has_colors() || start_color() == ERR;
	if (ui_term.mono) {
		for (int i = 0; i < UI_ATTR_COUNT; i++)
			attrs[i] = theme[i].mono_attr;
		return;
	}
	bool defaults = use_default_colors() == OK;
	for (int i = 0; i < UI_ATTR_COUNT; i++) {
		short fg = theme[i].fg, bg = theme[i].bg;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		if (i + 1 < COLOR_PAIRS && init_pair((short)(i + 1), fg, bg) == OK)
			attrs[i] = COLOR_PAIR(i + 1) | theme[i].color_attr;
		else
			attrs[i] = theme[i].mono_attr;
	}
}

int term_start(const char *term_name, FILE *out, FILE *in, bool no_color, bool ascii, char **error)
{
	const char *name = term_name ? term_name : getenv("TERM");
	if (!name || !*name) {
		*error = xstrdup("TERM is not set");
		return -1;
	}
	ui_term.screen = newterm(name, out, in);
	if (!ui_term.screen) {
		*error = xasprintf("the terminal type '%s' is unknown to curses", name);
		return -1;
	}
	set_term(ui_term.screen);
	ui_term.active = true;
	const char *codeset = nl_langinfo(CODESET);
	bool utf8 = codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
	ui_term.ascii = ascii || !utf8;
	ui_term.fancy = utf8 && !ascii && strcmp(name, "linux") != 0;
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0); /* ERR on terminals without an invisible cursor: nothing to do */
	theme_init(no_color);
	return 0;
}

void term_stop(void)
{
	if (!ui_term.active)
		return;
	ui_term.active = false;
	curs_set(1);
	endwin();
}

static void on_signal(int sig)
{
	caught_signal = sig;
}

void term_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocking read returns so the loop sees the flag */
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

int term_signal_caught(void)
{
	return caught_signal;
}

void term_die_of(int sig)
{
	term_stop();
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

const char *ui_ellipsis(void)
{
	return ui_term.fancy ? "\u2026" : "...";
}

const char *ui_times(void)
{
	return ui_term.fancy ? "\u00d7" : "x";
}

void ui_put(int y, int x, int w, enum ui_attr a, const wchar_t *s)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	size_t n = text_fit(s, w);
	attrset(ui_attr(a));
	if (n)
		mvaddnwstr(y, x, s, (int)n);
	attrset(A_NORMAL);
}

void ui_puts(int y, int x, int w, enum ui_attr a, const char *s)
{
	wchar_t *ws = text_to_wide(s, false, NULL);
	ui_put(y, x, w, a, ws);
	free(ws);
}

void ui_fill(int y, int x, int w, enum ui_attr a)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	if (w > 0)
		mvhline(y, x, ' ' | ui_attr(a), w);
}

static chtype line_glyph(char which)
{
	if (ui_term.ascii) {
		switch (which) {
		case 'q': return '-';
		case 'x': return '|';
		default: return '+';
		}
	}
	switch (which) {
	case 'q': return ACS_HLINE;
	case 'x': return ACS_VLINE;
	case 'l': return ACS_ULCORNER;
	case 'k': return ACS_URCORNER;
	case 'm': return ACS_LLCORNER;
	case 'j': return ACS_LRCORNER;
	case 't': return ACS_LTEE;
	case 'u': return ACS_RTEE;
	default: return ACS_PLUS;
	}
}

void ui_line_char(int y, int x, char which, enum ui_attr a)
{
	if (y >= 0 && y < LINES && x >= 0 && x < COLS)
		mvaddch(y, x, line_glyph(which) | ui_attr(a));
}

void ui_hline(int y, int x, int w, enum ui_attr a)
{
	if (y < 0 || y >= LINES || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	mvhline(y, x, line_glyph('q') | ui_attr(a), w);
}

void ui_box(int y, int x, int h, int w, enum ui_attr a)
{
	if (h < 2 || w < 2)
		return;
	for (int r = y + 1; r < y + h - 1; r++) {
		ui_line_char(r, x, 'x', a);
		ui_line_char(r, x + w - 1, 'x', a);
	}
	ui_hline(y, x + 1, w - 2, a);
	ui_hline(y + h - 1, x + 1, w - 2, a);
	ui_line_char(y, x, 'l', a);
	ui_line_char(y, x + w - 1, 'k', a);
	ui_line_char(y + h - 1, x, 'm', a);
	ui_line_char(y + h - 1, x + w - 1, 'j', a);
}

void ui_box_tee(int y, int x, int w, enum ui_attr a)
{
	ui_hline(y, x + 1, w - 2, a);
	ui_line_char(y, x, 't', a);
	ui_line_char(y, x + w - 1, 'u', a);
}
