/* screendump.c: renders a wizard screen headless (newterm on /dev/null) after symbolic keys and prints the grid as text. */
#include "config.h"

#include "app.h"
#include "cli.h"
#include "i18n.h"
#include "profile.h"
#include "term.h"
#include "text.h"
#include "util.h"

#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: screendump --root DIR [--root-label TEXT] [--screen NAME] [--keys 'KEY ...']\n"
	             "                  [--only LIST] [--profile FILE] [--ascii] [--no-color] [--localedir DIR]\n"
	             "  TERM, LINES and COLUMNS come from the environment (TERM default: dumb).\n"
	             "  NAME: verify, welcome, cpu, bios, iommu, ksm, summary (default: the first screen).\n"
	             "  KEY: Tab BTab Enter Space Esc Up Down Left Right PgUp PgDn Home End Backspace C-L\n"
	             "       F1..F12, Resize:COLSxLINES, Text:CHARS, or a single character.\n");
}

/* A symbolic key to curses codes; Resize and Text are handled by the caller. -1 when unknown. */
static int key_code(const char *k)
{
	static const struct {
		const char *name;
		int code;
	} names[] = {
		{ "Tab", '\t' }, { "BTab", KEY_BTAB }, { "Enter", '\r' }, { "Space", ' ' }, { "Esc", 27 },
		{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
		{ "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
		{ "Backspace", KEY_BACKSPACE }, { "C-L", 12 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(k, names[i].name) == 0)
			return names[i].code;
	long long n;
	if (k[0] == 'F' && str_parse_ll(k + 1, &n) && n >= 1 && n <= 12)
		return KEY_F((int)n);
	if (k[0] && !k[1])
		return (unsigned char)k[0];
	return -1;
}

static char acs_ascii(wchar_t c)
{
	switch (c) {
	case 'q': return '-';
	case 'x': return '|';
	case 'l': case 'k': case 'm': case 'j': case 't': case 'u': case 'v': case 'w': case 'n': return '+';
	default: return '#';
	}
}

/* The grid as text: line drawing as + - |, wide characters once, trailing blanks trimmed. */
static void dump(FILE *out)
{
	struct buf row;
	buf_init(&row);
	for (int y = 0; y < LINES; y++) {
		buf_reset(&row);
		for (int x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			if (mvwin_wch(stdscr, y, x, &cc) == ERR || getcchar(&cc, wch, &attrs, &pair, NULL) == ERR) {
				buf_putc(&row, ' ');
				continue;
			}
			if (attrs & A_ALTCHARSET) {
				buf_putc(&row, acs_ascii(wch[0]));
				continue;
			}
			char mb[MB_LEN_MAX];
			mbstate_t st;
			memset(&st, 0, sizeof st);
			size_t n = wch[0] ? wcrtomb(mb, wch[0], &st) : (size_t)-1;
			if (n == (size_t)-1)
				buf_putc(&row, wch[0] ? '?' : ' ');
			else
				buf_append(&row, mb, n);
			int w = text_wcwidth(wch[0]);
			if (w > 1)
				x += w - 1; /* the continuation cell */
		}
		while (row.len && row.data[row.len - 1] == ' ')
			row.data[--row.len] = '\0';
		fprintf(out, "%s\n", row.data ? row.data : "");
	}
	buf_free(&row);
}

int main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_LABEL, OPT_SCREEN, OPT_KEYS, OPT_ONLY, OPT_PROFILE, OPT_ASCII, OPT_NO_COLOR,
	       OPT_LOCALEDIR, OPT_HELP };
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "root-label", required_argument, NULL, OPT_LABEL },
		{ "screen", required_argument, NULL, OPT_SCREEN },
		{ "keys", required_argument, NULL, OPT_KEYS },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "localedir", required_argument, NULL, OPT_LOCALEDIR },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { 0 };
	const char *label = NULL, *screen = NULL, *keys = "", *localedir = getenv("KVMPREP_LOCALEDIR");
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o.root = optarg; break;
		case OPT_LABEL: label = optarg; break;
		case OPT_SCREEN: screen = optarg; break;
		case OPT_KEYS: keys = optarg; break;
		case OPT_ONLY: o.only = optarg; break;
		case OPT_PROFILE: o.profile = optarg; break;
		case OPT_ASCII: o.ascii = true; break;
		case OPT_NO_COLOR: o.no_color = true; break;
		case OPT_LOCALEDIR: localedir = optarg; break;
		case OPT_HELP: usage(stdout); return 0;
		default: usage(stderr); return 3;
		}
	}
	if (!o.root || optind < argc) {
		usage(stderr);
		return 3;
	}
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
	textdomain(PACKAGE);
#endif
	struct host *h = NULL;
	int rc = host_open(&h, o.root);
	if (rc < 0) {
		fprintf(stderr, "screendump: cannot open %s: %s\n", o.root, strerror(-rc));
		return 3;
	}
	struct profile settings;
	profile_init(&settings);
	int code = 3;
	if (cli_load_profile(&o, h, &settings) == 0) {
		FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
		struct app a;
		app_init(&a, &o, h, label);
		char *error = NULL;
		const char *term = getenv("TERM");
		if (!out || !in) {
			perror("screendump: /dev/null");
		} else if (term_start(term && *term ? term : "dumb", out, in, o.no_color, o.ascii, &error) < 0) {
			fprintf(stderr, "screendump: %s\n", error);
			free(error);
		} else {
			code = 0;
			if (screen && !app_goto_named(&a, screen)) {
				fprintf(stderr, "screendump: no screen '%s'\n", screen);
				code = 3;
			}
			char *list = xstrdup(keys);
			for (char *save = NULL, *k = strtok_r(list, " ", &save); k && code == 0;
			     k = strtok_r(NULL, " ", &save)) {
				int cols, lines;
				if (sscanf(k, "Resize:%dx%d", &cols, &lines) == 2) {
					resizeterm(lines, cols);
					app_key(&a, KEY_RESIZE);
				} else if (str_starts_with(k, "Text:")) {
					for (const char *t = k + 5; *t; t++)
						app_key(&a, (unsigned char)*t);
				} else if (key_code(k) >= 0) {
					app_key(&a, key_code(k));
				} else {
					fprintf(stderr, "screendump: unknown key '%s'\n", k);
					code = 3;
				}
				app_wait(&a); /* an apply finishes before the next key: dumps are deterministic */
				app_render(&a); /* as the real loop does: dialogs learn their size */
			}
			free(list);
			if (code == 0) {
				app_render(&a);
				dump(stdout);
			}
			term_stop();
			delscreen(ui_term.screen);
			ui_term.screen = NULL;
		}
		app_free(&a);
		if (out)
			fclose(out);
		if (in)
			fclose(in);
	}
	profile_free(&settings);
	host_close(h);
	return code;
}
