/* ksmtuned_conf.c: /etc/ksmtuned.conf read as bash would, validated per key, edited byte-exactly (domain.md §1.5, KSMT-8). */
#include "config.h"

#include "ksmtuned_conf.h"
#include "i18n.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define U32_MAX 4294967295LL
#define LOGFILE_MAX 4095

const struct ksmtuned_key_info ksmtuned_keys[KSMT_KEY_COUNT] = {
	[KSMT_MONITOR_INTERVAL] = { "KSM_MONITOR_INTERVAL", true, 60, 1, LLONG_MAX, "s",
	                            N_("How long ksmtuned sleeps between two tuning adjustments") },
	[KSMT_SLEEP_MSEC] = { "KSM_SLEEP_MSEC", true, 10, 1, LLONG_MAX, "ms per 16 GiB",
	                      N_("Pause of ksmd between scans on a 16 GiB host; smaller hosts pause longer, "
	                         "never under 10 ms") },
	[KSMT_NPAGES_BOOST] = { "KSM_NPAGES_BOOST", true, 300, 0, LLONG_MAX, "pages",
	                        N_("Pages added to pages_to_scan in a cycle where free memory is below the threshold") },
	[KSMT_NPAGES_DECAY] = { "KSM_NPAGES_DECAY", true, -50, LLONG_MIN, 0, "pages",
	                        N_("Pages added to pages_to_scan (a negative number) in a cycle with enough free memory") },
	[KSMT_NPAGES_MIN] = { "KSM_NPAGES_MIN", true, 64, 0, U32_MAX, "pages",
	                      N_("Lowest pages_to_scan value ksmtuned writes") },
	[KSMT_NPAGES_MAX] = { "KSM_NPAGES_MAX", true, 1250, 0, U32_MAX, "pages",
	                      N_("Highest pages_to_scan value ksmtuned writes") },
	[KSMT_THRES_COEF] = { "KSM_THRES_COEF", true, 20, 0, 100, "%",
	                      N_("Free memory threshold as a percentage of total memory") },
	[KSMT_THRES_CONST] = { "KSM_THRES_CONST", true, 2048, 0, LLONG_MAX, "kB",
	                       N_("Smallest free memory threshold, used when the percentage gives less") },
	[KSMT_LOGFILE] = { "LOGFILE", false, 0, 0, 0, "",
	                   N_("File the debug log is appended to (standard output when unset)") },
	[KSMT_DEBUG] = { "DEBUG", false, 0, 0, 0, "",
	                 N_("Any non-empty value makes ksmtuned log every tuning decision") },
};

enum ksmtuned_key ksmtuned_key_find(const char *name)
{
	for (int k = 0; k < KSMT_KEY_COUNT; k++)
		if (strcmp(ksmtuned_keys[k].name, name) == 0)
			return (enum ksmtuned_key)k;
	return KSMT_KEY_COUNT;
}

/* ---- a restricted bash word reader ---- */

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_operator(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')';
}

/* A CR that ends a line (before LF or at the end of the text): tolerated as part of the line end. */
static bool is_cr_end(const char *t, size_t len, size_t i)
{
	return t[i] == '\r' && (i + 1 == len || t[i + 1] == '\n');
}

/* One shell word: an assignment NAME=value (or NAME+=value) or any other word. */
struct word {
	size_t start, end;      /* offsets of the whole word */
	size_t name_len;        /* > 0 for an assignment */
	bool append;            /* NAME+= */
	size_t value_start;     /* offset of the value (after '=') */
	size_t lineno;          /* line the word starts on */
	bool expansion;         /* $(, `, ${, $NAME, $[, ~ ...: bash would expand or run something */
	bool unterminated;      /* a quote or $( is not closed before the end of the text */
	bool multiline;         /* the word goes on over a newline */
	struct buf value;       /* the text after quote removal (expansions kept as written) */
};

struct reader {
	const char *t;
	size_t len;
	size_t lineno;
};

/* Skips the inside of $( ... ), ${ ... } or $[ ... ] from the opening bracket at i; returns the
 * offset after the closing one (nesting counted, quotes skipped roughly). */
static size_t skip_group(struct reader *r, struct word *w, size_t i, char open, char close)
{
	int depth = 0;
	for (; i < r->len; i++) {
		char c = r->t[i];
		if (c == '\n') {
			r->lineno++;
			w->multiline = true;
		} else if (c == '\\' && i + 1 < r->len && r->t[i + 1] != '\n') {
			i++;
		} else if (c == '\'' && open == '(') {
			while (i + 1 < r->len && r->t[i + 1] != '\'') {
				if (r->t[++i] == '\n')
					r->lineno++;
			}
			i++;
		} else if (c == open) {
			depth++;
		} else if (c == close && --depth == 0) {
			return i + 1;
		}
	}
	w->unterminated = true;
	return r->len;
}

/* A '$' at i (outside single quotes). Returns the offset after what it introduces. */
static size_t read_dollar(struct reader *r, struct word *w, size_t i)
{
	const char *t = r->t;
	size_t j = i + 1, e;
	char n = j < r->len ? t[j] : '\0';
	if (n == '(')
		e = skip_group(r, w, j, '(', ')');
	else if (n == '{')
		e = skip_group(r, w, j, '{', '}');
	else if (n == '[')
		e = skip_group(r, w, j, '[', ']');
	else if (is_name_start(n)) {
		e = j;
		while (e < r->len && is_name_char(t[e]))
			e++;
	} else if (j < r->len && ((n >= '0' && n <= '9') || strchr("@*#?$!-", n)))
		e = j + 1;
	else if (n == '\'' || n == '"') {
		/* $'...' and $"...": the quote itself is read as usual afterwards */
		w->expansion = true;
		buf_putc(&w->value, '$');
		return j;
	} else {
		buf_putc(&w->value, '$'); /* a lone '$' is literal */
		return j;
	}
	w->expansion = true;
	buf_append(&w->value, t + i, e - i);
	return e;
}

static size_t read_backquote(struct reader *r, struct word *w, size_t i)
{
	size_t k = i + 1;
	while (k < r->len && r->t[k] != '`') {
		if (r->t[k] == '\\' && k + 1 < r->len)
			k++;
		if (r->t[k] == '\n') {
			r->lineno++;
			w->multiline = true;
		}
		k++;
	}
	w->expansion = true;
	if (k >= r->len)
		w->unterminated = true;
	size_t e = k < r->len ? k + 1 : r->len;
	buf_append(&w->value, r->t + i, e - i);
	return e;
}

/* A backslash-newline (or backslash-CR-LF) at i: a line continuation. Returns its length or 0. */
static size_t continuation_at(const struct reader *r, size_t i)
{
	if (r->t[i] != '\\' || i + 1 >= r->len)
		return 0;
	if (r->t[i + 1] == '\n')
		return 2;
	if (r->t[i + 1] == '\r' && i + 2 < r->len && r->t[i + 2] == '\n')
		return 3;
	return 0;
}

static size_t read_dq(struct reader *r, struct word *w, size_t i)
{
	const char *t = r->t;
	while (i < r->len) {
		char c = t[i];
		if (c == '"')
			return i + 1;
		size_t cont = continuation_at(r, i);
		if (cont) {
			r->lineno++;
			w->multiline = true;
			i += cont;
		} else if (c == '\\' && i + 1 < r->len && t[i + 1] && strchr("$`\"\\", t[i + 1])) {
			buf_putc(&w->value, t[i + 1]);
			i += 2;
		} else if (c == '$') {
			i = read_dollar(r, w, i);
		} else if (c == '`') {
			i = read_backquote(r, w, i);
		} else {
			if (c == '\n') {
				r->lineno++;
				w->multiline = true;
			}
			buf_putc(&w->value, c);
			i++;
		}
	}
	w->unterminated = true;
	return r->len;
}

/* Reads the word at i (not blank, not an operator, not a comment). */
static size_t read_word(struct reader *r, size_t i, struct word *w)
{
	const char *t = r->t;
	buf_reset(&w->value);
	w->start = i;
	w->lineno = r->lineno;
	w->name_len = 0;
	w->append = false;
	w->expansion = w->unterminated = w->multiline = false;
	if (is_name_start(t[i])) {
		size_t j = i;
		while (j < r->len && is_name_char(t[j]))
			j++;
		if (j < r->len && t[j] == '=') {
			w->name_len = j - i;
			i = j + 1;
		} else if (j + 1 < r->len && t[j] == '+' && t[j + 1] == '=') {
			w->name_len = j - i;
			w->append = true;
			i = j + 2;
		}
	}
	w->value_start = w->name_len ? i : w->start;
	while (i < r->len) {
		char c = t[i];
		if (char_is_blank(c) || c == '\n' || is_operator(c) || is_cr_end(t, r->len, i))
			break;
		size_t cont = continuation_at(r, i);
		if (cont) {
			r->lineno++;
			w->multiline = true;
			i += cont;
		} else if (c == '\\') {
			if (i + 1 < r->len) {
				buf_putc(&w->value, t[i + 1]);
				i += 2;
			} else {
				buf_putc(&w->value, c);
				i++;
			}
		} else if (c == '\'') {
			size_t j = i + 1;
			while (j < r->len && t[j] != '\'') {
				if (t[j] == '\n') {
					r->lineno++;
					w->multiline = true;
				}
				j++;
			}
			buf_append(&w->value, t + i + 1, j - i - 1);
			if (j >= r->len) {
				w->unterminated = true;
				i = r->len;
			} else {
				i = j + 1;
			}
		} else if (c == '"') {
			i = read_dq(r, w, i + 1);
		} else if (c == '$') {
			i = read_dollar(r, w, i);
		} else if (c == '`') {
			i = read_backquote(r, w, i);
		} else {
			if (c == '~' && i == w->value_start)
				w->expansion = true; /* tilde expansion */
			buf_putc(&w->value, c);
			i++;
		}
	}
	w->end = i;
	return i;
}

/* ---- the parser ---- */

/* What the last assignment of a key left to report. */
struct key_state {
	char *problem; /* deferred: only the assignment that wins counts */
};

struct parser {
	const char *t;
	size_t len;
	struct ksmtuned_conf *c;
	struct key_state ks[KSMT_KEY_COUNT];
	size_t cap;
};

static void add_problem(struct ksmtuned_conf *c, size_t *cap, size_t line, char *message)
{
	if (c->n_problems == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		c->problems = xrealloc(c->problems, *cap * sizeof(*c->problems));
	}
	c->problems[c->n_problems].line = line;
	c->problems[c->n_problems].message = message;
	c->n_problems++;
}

/* The text t[0..n) for a message: printable, the first line only, at most 60 bytes. */
static char *shown(const char *t, size_t n)
{
	struct buf b;
	buf_init(&b);
	bool cut = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '\n' || (c == '\r' && i + 1 == n) || b.len >= 60) {
			cut = c != '\r';
			break;
		}
		buf_putc(&b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (cut)
		buf_puts(&b, "...");
	return buf_steal(&b);
}

static char *range_text(const struct ksmtuned_key_info *ki)
{
	if (ki->min != LLONG_MIN && ki->max != LLONG_MAX)
		return xasprintf(_("must be between %lld and %lld"), ki->min, ki->max);
	if (ki->min != LLONG_MIN)
		return xasprintf(_("must be at least %lld"), ki->min);
	return xasprintf(_("must be at most %lld"), ki->max);
}

enum int_status { INT_OK, INT_EMPTY, INT_JUNK, INT_OCTAL, INT_OVERFLOW };

/*
 * The integer bash would use: ksmtuned passes the values to [ -lt ] and $[ ] unquoted, so
 * blanks around it do not matter and a '+' or '-' sign is fine (test(1), bash arithmetic and
 * the kernel's kstrtouint all take a leading '+'). A leading zero is refused: $[ ] would read
 * it as octal while [ ] reads it as decimal.
 */
static enum int_status parse_int(const char *s, size_t n, long long *out)
{
	if (n == 0)
		return INT_EMPTY;
	size_t i = 0;
	while (i < n && (char_is_blank(s[i]) || s[i] == '\n'))
		i++;
	while (n > i && (char_is_blank(s[n - 1]) || s[n - 1] == '\n'))
		n--;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i >= n)
		return INT_JUNK;
	for (size_t j = i; j < n; j++)
		if (s[j] < '0' || s[j] > '9')
			return INT_JUNK;
	if (s[i] == '0' && n - i > 1)
		return INT_OCTAL;
	unsigned long long v = 0;
	for (size_t j = i; j < n; j++) {
		unsigned d = (unsigned)(s[j] - '0');
		if (v > (9223372036854775808ULL - d) / 10)
			return INT_OVERFLOW;
		v = v * 10 + d;
	}
	if (!neg && v > (unsigned long long)LLONG_MAX)
		return INT_OVERFLOW;
	*out = neg ? (v == 9223372036854775808ULL ? LLONG_MIN : -(long long)v) : (long long)v;
	return INT_OK;
}

static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	int d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			char ca = a[i - 1], cb = b[j - 1];
			if (ca >= 'a' && ca <= 'z')
				ca = (char)(ca - 'a' + 'A');
			if (cb >= 'a' && cb <= 'z')
				cb = (char)(cb - 'a' + 'A');
			int best = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* An assignment to a name that is not a key: noted only when it looks like a misspelt one. */
static void unknown_name(struct parser *p, const char *name, size_t line)
{
	const char *closest = NULL;
	int best = 99;
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		int d = edit_distance(name, ksmtuned_keys[k].name);
		if (d < best) {
			best = d;
			closest = ksmtuned_keys[k].name;
		}
	}
	int limit = strlen(name) <= 5 ? 1 : 2;
	bool ksm_prefix = strncasecmp(name, "KSM_", 4) == 0;
	if (best > limit && !ksm_prefix)
		return;
	char *s = shown(name, strlen(name));
	char *m = best <= limit
		? xasprintf(_("%s is not a ksmtuned setting, ksmtuned ignores it (did you mean %s?)"), s, closest)
		: xasprintf(_("%s is not a ksmtuned setting, ksmtuned ignores it"), s);
	free(s);
	add_problem(p->c, &p->cap, line, m);
}

/* Records the assignment w (last one wins); problems of an earlier assignment are dropped,
 * except expansions, which bash runs whatever comes later. */
static void assign(struct parser *p, const struct word *w)
{
	struct ksmtuned_conf *c = p->c;
	char *name = xstrndup(p->t + w->start, w->name_len);
	enum ksmtuned_key k = ksmtuned_key_find(name);
	if (k == KSMT_KEY_COUNT) {
		unknown_name(p, name, w->lineno);
		free(name);
		return;
	}
	free(name);
	const struct ksmtuned_key_info *ki = &ksmtuned_keys[k];
	struct key_state *ks = &p->ks[k];
	free(ks->problem);
	ks->problem = NULL;
	c->set[k] = true;
	c->line[k] = w->lineno;
	c->valid[k] = false;
	c->value[k] = 0;
	if (k == KSMT_LOGFILE) {
		free(c->logfile);
		c->logfile = NULL;
	}
	if (k == KSMT_DEBUG)
		c->debug = false;

	char *raw = shown(p->t + w->value_start, w->end - w->value_start);
	if (w->expansion) {
		add_problem(c, &p->cap, w->lineno,
		            xasprintf(_("%s%s=%s uses shell expansion; kvmprep does not evaluate it"), ki->name,
		                      w->append ? "+" : "", raw));
		free(raw);
		return;
	}
	if (w->unterminated) {
		ks->problem = xasprintf(_("%s=%s: the quote is never closed; bash stops reading the file here"),
		                        ki->name, raw);
		free(raw);
		return;
	}
	if (w->append) {
		ks->problem = xasprintf(_("%s+=%s appends to the value; kvmprep does not evaluate it"), ki->name, raw);
		free(raw);
		return;
	}
	const char *v = w->value.data ? w->value.data : "";
	size_t vn = w->value.len;
	if (k == KSMT_LOGFILE) {
		c->logfile = xstrndup(v, vn);
		c->valid[k] = vn == 0 || (v[0] == '/' && !memchr(v, '\0', vn));
		if (!c->valid[k])
			ks->problem = xasprintf(_("LOGFILE=%s: not an absolute path"), raw);
	} else if (k == KSMT_DEBUG) {
		c->debug = vn > 0;
		c->valid[k] = vn == 0 || (vn == 1 && v[0] == '1');
		if (vn == 1 && v[0] == '0')
			ks->problem = xasprintf(_("DEBUG=%s turns the debug log on: ksmtuned only checks that DEBUG is "
			                          "not empty"), raw);
		else if (!c->valid[k])
			ks->problem = xasprintf(_("DEBUG=%s: kvmprep expects 1 (ksmtuned turns the debug log on for any "
			                          "non-empty value)"), raw);
	} else {
		long long n = 0;
		switch (parse_int(v, vn, &n)) {
		case INT_EMPTY: /* ksmtuned uses ${KEY:-default} */
			c->valid[k] = true;
			c->value[k] = ki->def;
			break;
		case INT_JUNK:
			ks->problem = xasprintf(_("%s=%s: not an integer"), ki->name, raw);
			break;
		case INT_OCTAL:
			ks->problem = xasprintf(_("%s=%s: a leading zero makes bash arithmetic read it as octal"),
			                        ki->name, raw);
			break;
		case INT_OK:
			if (n >= ki->min && n <= ki->max) {
				c->valid[k] = true;
				c->value[k] = n;
				break;
			}
			/* fall through */
		case INT_OVERFLOW: {
			char *r = range_text(ki);
			ks->problem = xasprintf(_("%s=%s: out of range, %s"), ki->name, raw, r);
			free(r);
			break;
		}
		}
	}
	free(raw);
}

static bool word_is(const struct parser *p, const struct word *w, const char *s)
{
	size_t n = strlen(s);
	return w->end - w->start == n && memcmp(p->t + w->start, s, n) == 0;
}

static bool word_is_name(const struct parser *p, const struct word *w)
{
	if (w->name_len || !is_name_start(p->t[w->start]))
		return false;
	for (size_t i = w->start; i < w->end; i++)
		if (!is_name_char(p->t[i]))
			return false;
	return true;
}

/* Reads one command from pos (at a non-blank that is not a comment or a line end): its words up
 * to the end of the line. Applies its assignments, or reports it as a command. */
static size_t parse_command(struct parser *p, struct reader *r, size_t pos)
{
	size_t cmd_line = r->lineno;
	bool command = false;
	struct word *words = NULL;
	size_t n = 0, cap = 0;
	while (pos < r->len) {
		char c = r->t[pos];
		if (char_is_blank(c)) {
			pos++;
			continue;
		}
		if (c == '\n' || is_cr_end(r->t, r->len, pos))
			break;
		if (c == '#') {
			while (pos < r->len && r->t[pos] != '\n')
				pos++;
			break;
		}
		if (is_operator(c)) {
			command = true;
			pos++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			words = xrealloc(words, cap * sizeof(*words));
		}
		buf_init(&words[n].value);
		pos = read_word(r, pos, &words[n]);
		n++;
	}

	size_t first = 0;
	if (n > 0 && word_is(p, &words[0], "export")) {
		first = 1;
		for (size_t i = 1; i < n; i++)
			if (!words[i].name_len && !word_is_name(p, &words[i]))
				command = true;
	} else {
		for (size_t i = 0; i < n; i++)
			if (!words[i].name_len)
				command = true;
	}
	if (command) {
		add_problem(p->c, &p->cap, cmd_line,
		            xasprintf(_("line %zu is not KEY=VALUE: ksmtuned would run it as a command"), cmd_line));
	} else {
		for (size_t i = first; i < n; i++)
			if (words[i].name_len)
				assign(p, &words[i]);
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&words[i].value);
	free(words);
	return pos;
}

static int problem_cmp(const void *a, const void *b)
{
	const struct ksmtuned_problem *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

void ksmtuned_conf_parse(const char *text, size_t len, struct ksmtuned_conf *out)
{
	memset(out, 0, sizeof(*out));
	struct parser p;
	memset(&p, 0, sizeof(p));
	p.t = text;
	p.len = len;
	p.c = out;
	struct reader r = { text, len, 1 };
	size_t pos = 0;
	while (pos < len) {
		char c = text[pos];
		if (char_is_blank(c) || (c == '\r' && is_cr_end(text, len, pos))) {
			pos++;
		} else if (c == '\n') {
			r.lineno++;
			pos++;
		} else if (c == '#') {
			while (pos < len && text[pos] != '\n')
				pos++;
		} else {
			pos = parse_command(&p, &r, pos);
		}
	}
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		if (p.ks[k].problem)
			add_problem(out, &p.cap, out->line[k], p.ks[k].problem);
	}
	/* MIN <= MAX, on the line of the later assignment. */
	if ((out->set[KSMT_NPAGES_MIN] || out->set[KSMT_NPAGES_MAX]) &&
	    (!out->set[KSMT_NPAGES_MIN] || out->valid[KSMT_NPAGES_MIN]) &&
	    (!out->set[KSMT_NPAGES_MAX] || out->valid[KSMT_NPAGES_MAX])) {
		struct ksmtuned_params e;
		ksmtuned_conf_effective(out, &e);
		if (e.npages_min > e.npages_max) {
			size_t lmin = out->set[KSMT_NPAGES_MIN] ? out->line[KSMT_NPAGES_MIN] : 0;
			size_t lmax = out->set[KSMT_NPAGES_MAX] ? out->line[KSMT_NPAGES_MAX] : 0;
			char *m = lmin >= lmax
				? xasprintf(_("KSM_NPAGES_MIN=%lld is greater than KSM_NPAGES_MAX=%lld"), e.npages_min,
				            e.npages_max)
				: xasprintf(_("KSM_NPAGES_MAX=%lld is less than KSM_NPAGES_MIN=%lld"), e.npages_max,
				            e.npages_min);
			add_problem(out, &p.cap, lmin >= lmax ? lmin : lmax, m);
		}
	}
	if (out->n_problems > 1) {
		/* stable by line: qsort is not stable, so sort (line, index) pairs by hand */
		for (size_t i = 1; i < out->n_problems; i++) {
			struct ksmtuned_problem x = out->problems[i];
			size_t j = i;
			while (j > 0 && problem_cmp(&out->problems[j - 1], &x) > 0) {
				out->problems[j] = out->problems[j - 1];
				j--;
			}
			out->problems[j] = x;
		}
	}
}

void ksmtuned_conf_free(struct ksmtuned_conf *c)
{
	for (size_t i = 0; i < c->n_problems; i++)
		free(c->problems[i].message);
	free(c->problems);
	free(c->logfile);
	memset(c, 0, sizeof(*c));
}

void ksmtuned_conf_effective(const struct ksmtuned_conf *c, struct ksmtuned_params *p)
{
	long long v[KSMT_KEY_COUNT];
	for (int k = 0; k < KSMT_KEY_COUNT; k++)
		v[k] = c->set[k] && c->valid[k] ? c->value[k] : ksmtuned_keys[k].def;
	p->monitor_interval = v[KSMT_MONITOR_INTERVAL];
	p->sleep_msec = v[KSMT_SLEEP_MSEC];
	p->boost = v[KSMT_NPAGES_BOOST];
	p->decay = v[KSMT_NPAGES_DECAY];
	p->npages_min = v[KSMT_NPAGES_MIN];
	p->npages_max = v[KSMT_NPAGES_MAX];
	p->thres_coef = v[KSMT_THRES_COEF];
	p->thres_const = v[KSMT_THRES_CONST];
}

/* ---- the editor ---- */

static const char *line_end_of(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* The value as it will be written, or NULL with *error. */
static char *checked_value(enum ksmtuned_key key, const char *value, char **error)
{
	const struct ksmtuned_key_info *ki = &ksmtuned_keys[key];
	char *s = shown(value, strlen(value));
	char *res = NULL;
	if (ki->numeric) {
		long long n;
		char canon[32];
		bool ok = parse_int(value, strlen(value), &n) == INT_OK;
		if (ok) {
			snprintf(canon, sizeof canon, "%lld", n);
			ok = strcmp(canon, value) == 0;
		}
		if (!ok) {
			*error = xasprintf(_("%s takes a whole number; kvmprep does not write '%s'"), ki->name, s);
		} else if (n < ki->min || n > ki->max) {
			char *r = range_text(ki);
			*error = xasprintf(_("%s=%s is out of range: it %s"), ki->name, s, r);
			free(r);
		} else {
			res = xstrdup(value);
		}
	} else if (key == KSMT_LOGFILE) {
		size_t n = strlen(value);
		bool ok = n >= 2 && n <= LOGFILE_MAX && value[0] == '/' && value[n - 1] != '/' && !strstr(value, "..");
		for (size_t i = 0; ok && i < n; i++) {
			char c = value[i];
			ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     c == '.' || c == '_' || c == '/' || c == '-';
		}
		if (!ok)
			*error = xasprintf(_("LOGFILE must be an absolute file path made of letters, digits and "
			                     "'.', '_', '-', '/' without '..'; kvmprep does not write '%s'"), s);
		else
			res = xstrdup(value);
	} else {
		if (strcmp(value, "1") != 0)
			*error = xasprintf(_("DEBUG takes only the value 1; kvmprep does not write '%s'"), s);
		else
			res = xstrdup(value);
	}
	free(s);
	return res;
}

/* The key already has this value. */
static bool has_value(const struct ksmtuned_conf *c, enum ksmtuned_key key, const char *value)
{
	if (!c->set[key] || !c->valid[key])
		return false;
	if (key == KSMT_LOGFILE)
		return c->logfile && strcmp(c->logfile, value) == 0;
	if (key == KSMT_DEBUG)
		return c->debug; /* valid and non-empty: "1" */
	long long n;
	return parse_int(value, strlen(value), &n) == INT_OK && c->value[key] == n;
}

/* The span of line lineno (1-based), or false. */
static bool find_line(const char *text, size_t len, size_t lineno, size_t *ls, size_t *le, size_t *next)
{
	size_t pos = 0, s, e, n = 0;
	while (text_next_span(text, len, &pos, &s, &e)) {
		if (++n == lineno) {
			*ls = s;
			*le = e;
			*next = pos;
			return true;
		}
	}
	return false;
}

/*
 * Whether [ls, le) is a plain assignment of name on one line: blanks, "export " (when allowed),
 * NAME=word, then only blanks or a comment. *word_end is the offset after the word.
 */
static bool plain_assignment(const char *text, size_t ls, size_t le, const char *name, bool allow_export,
                             size_t *word_end)
{
	size_t i = ls;
	while (i < le && char_is_blank(text[i]))
		i++;
	if (allow_export && le - i > 6 && memcmp(text + i, "export", 6) == 0 && char_is_blank(text[i + 6])) {
		i += 6;
		while (i < le && char_is_blank(text[i]))
			i++;
	}
	size_t nl = strlen(name);
	if (le - i <= nl || memcmp(text + i, name, nl) != 0 || text[i + nl] != '=')
		return false;
	struct reader r = { text, le, 1 };
	struct word w;
	buf_init(&w.value);
	size_t e = read_word(&r, i, &w);
	bool ok = w.name_len == nl && !w.unterminated && !w.multiline && !w.append;
	buf_free(&w.value);
	if (!ok || (e == le && e > i && text[e - 1] == '\\'))
		return false;
	*word_end = e;
	while (e < le && char_is_blank(text[e]))
		e++;
	return e == le || text[e] == '#';
}

/* The first line matching ^\s*#?\s*KEY= (KSMT-8): its span, line number, whether it is commented
 * and where the KEY starts. */
static bool find_first_match(const char *text, size_t len, const char *name, size_t *ls, size_t *le,
                             size_t *lineno, bool *commented, size_t *indent_end)
{
	size_t pos = 0, s, e, n = 0, nl = strlen(name);
	while (text_next_span(text, len, &pos, &s, &e)) {
		n++;
		size_t i = s;
		while (i < e && char_is_blank(text[i]))
			i++;
		size_t ind = i;
		bool hash = i < e && text[i] == '#';
		if (hash) {
			i++;
			while (i < e && char_is_blank(text[i]))
				i++;
		}
		if (e - i > nl && memcmp(text + i, name, nl) == 0 && text[i + nl] == '=') {
			*ls = s;
			*le = e;
			*lineno = n;
			*commented = hash;
			*indent_end = ind;
			return true;
		}
	}
	return false;
}

static bool same_setting(const struct ksmtuned_conf *a, const struct ksmtuned_conf *b, int k)
{
	if (a->set[k] != b->set[k] || a->valid[k] != b->valid[k] || a->value[k] != b->value[k])
		return false;
	if (k == KSMT_LOGFILE)
		return (!a->logfile && !b->logfile) ||
		       (a->logfile && b->logfile && strcmp(a->logfile, b->logfile) == 0);
	if (k == KSMT_DEBUG)
		return a->debug == b->debug;
	return true;
}

/* Checks the edited text: the key holds the value (or is unset for NULL), the other keys did
 * not change and no new problem appeared. */
static int verify(const struct ksmtuned_conf *old, const char *text, size_t len, enum ksmtuned_key key,
                  const char *value, size_t edited_line, char **error)
{
	const char *name = ksmtuned_keys[key].name;
	struct ksmtuned_conf c;
	ksmtuned_conf_parse(text, len, &c);
	int rc = 0;
	for (int k = 0; rc == 0 && k < KSMT_KEY_COUNT; k++) {
		if (k != (int)key && !same_setting(old, &c, k)) {
			*error = xasprintf(_("changing line %zu would also change %s; change the file by hand"),
			                   edited_line, ksmtuned_keys[k].name);
			rc = -1;
		}
	}
	if (rc == 0 && (value ? !has_value(&c, key, value) : c.set[key])) {
		if (c.set[key] && c.line[key] != edited_line)
			*error = xasprintf(_("%s is assigned again on line %zu, which overrides line %zu; kvmprep does "
			                     "not edit it, change the file by hand"), name, c.line[key], edited_line);
		else
			*error = xasprintf(_("after the edit %s does not have the intended value; change the file "
			                     "by hand"), name);
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < c.n_problems; i++) {
		bool known = false;
		for (size_t j = 0; !known && j < old->n_problems; j++)
			known = old->problems[j].line == c.problems[i].line &&
			        strcmp(old->problems[j].message, c.problems[i].message) == 0;
		if (!known) {
			*error = xasprintf(_("the change of %s would give a new problem on line %zu: %s"), name,
			                   c.problems[i].line, c.problems[i].message);
			rc = -1;
		}
	}
	ksmtuned_conf_free(&c);
	return rc;
}

/* Comments out every assignment of key, last first (KSMT-8 with no value). */
static int comment_out(const char *text, size_t len, enum ksmtuned_key key,
                       struct buf *out, size_t *edited_line, char **error)
{
	const char *name = ksmtuned_keys[key].name;
	struct buf cur;
	buf_init(&cur);
	buf_append(&cur, text, len);
	struct ksmtuned_conf c;
	ksmtuned_conf_parse(cur.data, cur.len, &c);
	int rc = 0;
	size_t rounds = 0;
	while (c.set[key]) {
		size_t line = c.line[key], ls, le, next, we;
		if (++rounds > 1000 || !find_line(cur.data, cur.len, line, &ls, &le, &next) ||
		    !plain_assignment(cur.data, ls, le, name, true, &we)) {
			*error = xasprintf(_("line %zu: the assignment of %s is not a plain %s=VALUE line; kvmprep "
			                     "does not rewrite it, change the file by hand"), line, name, name);
			rc = -1;
			break;
		}
		size_t ind = ls;
		while (ind < le && char_is_blank(cur.data[ind]))
			ind++;
		struct buf next_text;
		buf_init(&next_text);
		buf_append(&next_text, cur.data, ind);
		buf_puts(&next_text, "# ");
		buf_append(&next_text, cur.data + ind, cur.len - ind);
		buf_free(&cur);
		cur = next_text;
		*edited_line = line;
		ksmtuned_conf_free(&c);
		ksmtuned_conf_parse(cur.data, cur.len, &c);
	}
	ksmtuned_conf_free(&c);
	if (rc == 0)
		buf_append(out, cur.data ? cur.data : "", cur.len);
	buf_free(&cur);
	return rc;
}

int ksmtuned_conf_set(const char *text, size_t len, enum ksmtuned_key key, const char *value, struct buf *out,
                      char **error)
{
	*error = NULL;
	buf_reset(out);
	if ((int)key < 0 || key >= KSMT_KEY_COUNT) {
		*error = xasprintf(_("unknown ksmtuned setting"));
		return -1;
	}
	const char *name = ksmtuned_keys[key].name;
	char *canon = NULL;
	if (value) {
		canon = checked_value(key, value, error);
		if (!canon)
			return -1;
	}
	struct ksmtuned_conf old;
	ksmtuned_conf_parse(text, len, &old);
	int rc = 0;
	size_t edited_line = 0;
	if (value ? has_value(&old, key, canon) : !old.set[key]) {
		buf_append(out, text, len);
		rc = 1;
	} else if (!value) {
		rc = comment_out(text, len, key, out, &edited_line, error);
	} else {
		size_t ls, le, lineno, ind, we = 0;
		bool commented;
		if (find_first_match(text, len, name, &ls, &le, &lineno, &commented, &ind)) {
			if (!commented && !plain_assignment(text, ls, le, name, false, &we)) {
				*error = xasprintf(_("line %zu: the assignment of %s is not a plain %s=VALUE line; kvmprep "
				                     "does not rewrite it, change the file by hand"), lineno, name, name);
				rc = -1;
			} else {
				buf_append(out, text, ind);
				buf_printf(out, "%s=%s", name, canon);
				if (!commented)
					buf_append(out, text + we, le - we); /* blanks and a comment after the value */
				buf_append(out, text + le, len - le);
				edited_line = lineno;
			}
		} else {
			buf_append(out, text, len);
			const char *eol = line_end_of(text, len);
			if (len > 0 && text[len - 1] != '\n')
				buf_puts(out, eol);
			buf_printf(out, "%s=%s%s", name, canon, eol);
			size_t pos = 0, s, e;
			while (text_next_span(text, len, &pos, &s, &e))
				edited_line++;
			edited_line++;
		}
	}
	if (rc == 0)
		rc = verify(&old, out->data ? out->data : "", out->len, key, canon, edited_line, error);
	if (rc < 0)
		buf_reset(out);
	ksmtuned_conf_free(&old);
	free(canon);
	return rc;
}
