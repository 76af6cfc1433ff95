/* grub_default.c: /etc/default/grub (shell KEY=value): find, evaluate and edit GRUB_CMDLINE_LINUX (domain.md G2-4, G2-5). */
#include "config.h"

#include "grub_default.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#define CMDLINE_VAR "GRUB_CMDLINE_LINUX"

enum { PART_BARE = 1, PART_DQ = 2, PART_SQ = 4 };

/* One shell word (the value of an assignment) as far as this restricted reader understands
 * it: quoted parts, backslash escapes, $NAME / ${NAME} and command substitutions. */
struct word {
	size_t end;           /* offset just past the word */
	int parts;            /* PART_* seen */
	int quoted_parts;     /* number of "..." and '...' parts */
	bool cmdsub;          /* $( or ` */
	bool brace;           /* ${ */
	bool continuation;    /* backslash-newline (or a backslash at the very end) */
	bool multiline;       /* a quoted part spans lines */
	bool unterminated;    /* a quote is not closed before the end of the text */
	bool escape;          /* some other backslash escape */
	bool self_ref;        /* $NAME or ${NAME} */
	bool other_expansion; /* $OTHER, ${OTHER...}, $1, $@ ... */
};

struct scan {
	const char *t;
	size_t len;
	const char *name;       /* the variable being assigned, for self references */
	const char *self_value; /* its value so far to expand self references with, or NULL to keep them */
	struct word *w;
	struct buf *value;
};

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* The end of a $( ... ) starting at the '(' at i (nesting counted, quotes not). */
static size_t skip_parens(const char *t, size_t len, size_t i)
{
	int depth = 0;
	for (; i < len; i++) {
		if (t[i] == '(')
			depth++;
		else if (t[i] == ')' && --depth == 0)
			return i + 1;
	}
	return len;
}

/* A '$' at i. Returns the offset after the expansion. */
static size_t scan_dollar(struct scan *s, size_t i)
{
	const char *t = s->t;
	size_t len = s->len, j = i + 1;
	size_t nl = strlen(s->name);
	if (j < len && t[j] == '(') {
		s->w->cmdsub = true;
		size_t e = skip_parens(t, len, j);
		buf_append(s->value, t + i, e - i);
		return e;
	}
	if (j < len && t[j] == '{') {
		s->w->brace = true;
		size_t k = j + 1;
		while (k < len && t[k] != '}' && t[k] != '\n')
			k++;
		if (k < len && t[k] == '}' && k - (j + 1) == nl && memcmp(t + j + 1, s->name, nl) == 0) {
			s->w->self_ref = true;
			if (s->self_value)
				buf_puts(s->value, s->self_value);
			else
				buf_append(s->value, t + i, k + 1 - i);
			return k + 1;
		}
		s->w->other_expansion = true;
		size_t e = k < len && t[k] == '}' ? k + 1 : k;
		buf_append(s->value, t + i, e - i);
		return e;
	}
	if (j < len && is_name_start(t[j])) {
		size_t k = j;
		while (k < len && is_name_char(t[k]))
			k++;
		if (k - j == nl && memcmp(t + j, s->name, nl) == 0) {
			s->w->self_ref = true;
			if (s->self_value)
				buf_puts(s->value, s->self_value);
			else
				buf_append(s->value, t + i, k - i);
		} else {
			s->w->other_expansion = true;
			buf_append(s->value, t + i, k - i);
		}
		return k;
	}
	if (j < len && t[j] && ((t[j] >= '0' && t[j] <= '9') || strchr("@*#?$!-", t[j]))) {
		s->w->other_expansion = true;
		buf_append(s->value, t + i, 2);
		return j + 1;
	}
	buf_putc(s->value, '$'); /* a lone '$' is literal */
	return j;
}

/* A '`' at i: command substitution up to the closing one. */
static size_t scan_backquote(struct scan *s, size_t i)
{
	size_t k = i + 1;
	while (k < s->len && s->t[k] != '`') {
		if (s->t[k] == '\\' && k + 1 < s->len)
			k++;
		k++;
	}
	s->w->cmdsub = true;
	size_t e = k < s->len ? k + 1 : s->len;
	buf_append(s->value, s->t + i, e - i);
	return e;
}

/* The inside of "..." from i (just after the opening quote). */
static size_t scan_dq(struct scan *s, size_t i)
{
	const char *t = s->t;
	size_t len = s->len;
	while (i < len) {
		char c = t[i];
		if (c == '"')
			return i + 1;
		if (c == '\\') {
			if (i + 1 >= len) {
				s->w->continuation = true;
				i++;
				continue;
			}
			char n = t[i + 1];
			if (n == '\n' || (n == '\r' && i + 2 < len && t[i + 2] == '\n')) {
				s->w->continuation = true;
				i += n == '\n' ? 2 : 3;
				continue;
			}
			s->w->escape = true;
			if (n == '$' || n == '`' || n == '"' || n == '\\') {
				buf_putc(s->value, n);
				i += 2;
			} else {
				buf_putc(s->value, '\\');
				i++;
			}
			continue;
		}
		if (c == '$') {
			i = scan_dollar(s, i);
			continue;
		}
		if (c == '`') {
			i = scan_backquote(s, i);
			continue;
		}
		if (c == '\n')
			s->w->multiline = true;
		buf_putc(s->value, c);
		i++;
	}
	s->w->multiline = true;
	s->w->unterminated = true;
	return len;
}

/* The word starting at start; its unquoted (and maybe expanded) text goes to value. */
static void scan_word(struct scan *s, size_t start)
{
	const char *t = s->t;
	size_t len = s->len, i = start;
	memset(s->w, 0, sizeof(*s->w));
	buf_reset(s->value);
	while (i < len) {
		char c = t[i];
		if (char_is_blank(c) || c == '\n' || strchr(";&|<>()", c) || c == '\0')
			break;
		if (c == '\r' && (i + 1 == len || t[i + 1] == '\n'))
			break; /* CRLF line end */
		if (c == '"') {
			s->w->parts |= PART_DQ;
			s->w->quoted_parts++;
			i = scan_dq(s, i + 1);
		} else if (c == '\'') {
			s->w->parts |= PART_SQ;
			s->w->quoted_parts++;
			size_t j = i + 1;
			while (j < len && t[j] != '\'') {
				if (t[j] == '\n')
					s->w->multiline = true;
				j++;
			}
			buf_append(s->value, t + i + 1, j - i - 1);
			if (j >= len) {
				s->w->multiline = true;
				s->w->unterminated = true;
				i = len;
			} else {
				i = j + 1;
			}
		} else if (c == '\\') {
			if (i + 1 >= len) {
				s->w->continuation = true;
				i++;
			} else if (t[i + 1] == '\n' || (t[i + 1] == '\r' && i + 2 < len && t[i + 2] == '\n')) {
				s->w->continuation = true;
				i += t[i + 1] == '\n' ? 2 : 3;
			} else {
				s->w->parts |= PART_BARE;
				s->w->escape = true;
				buf_putc(s->value, t[i + 1]);
				i += 2;
			}
		} else if (c == '$') {
			s->w->parts |= PART_BARE;
			i = scan_dollar(s, i);
		} else if (c == '`') {
			s->w->parts |= PART_BARE;
			i = scan_backquote(s, i);
		} else {
			s->w->parts |= PART_BARE;
			buf_putc(s->value, c);
			i++;
		}
	}
	s->w->end = i;
}

/* Walks the assignments that start a line: ^\s*(export\s+)?NAME=word. */
struct sh_iter {
	const char *t;
	size_t len;
	size_t pos;
	size_t lineno; /* of the line at pos */
};

struct sh_assign {
	size_t lineno;
	size_t name_start, name_len;
	size_t value_start;
	struct word w;
};

static bool sh_line_assignment(const char *t, size_t len, size_t i, struct sh_assign *a)
{
	while (i < len && char_is_blank(t[i]))
		i++;
	if (len - i > 6 && memcmp(t + i, "export", 6) == 0 && char_is_blank(t[i + 6])) {
		i += 6;
		while (i < len && char_is_blank(t[i]))
			i++;
	}
	if (i >= len || !is_name_start(t[i]))
		return false;
	size_t j = i;
	while (j < len && is_name_char(t[j]))
		j++;
	if (j >= len || t[j] != '=')
		return false;
	a->name_start = i;
	a->name_len = j - i;
	a->value_start = j + 1;
	return true;
}

/* True when the line goes on after from and ends in a backslash: the command continues on
 * the next line, which G2-5 treats like a continuation of the value. */
static bool line_continues(const char *t, size_t len, size_t from)
{
	size_t e = from;
	while (e < len && t[e] != '\n')
		e++;
	if (e > from && t[e - 1] == '\r')
		e--;
	return e > from && t[e - 1] == '\\';
}

/* The next assignment; its value (self references expanded with self_value when it is not
 * NULL and the assignment is to name) goes to value. */
static bool sh_next(struct sh_iter *it, const char *name, const char *self_value, struct sh_assign *a,
                    struct buf *value)
{
	while (it->pos < it->len) {
		size_t ls = it->pos;
		size_t stop = ls; /* the line ends after this offset */
		bool found = sh_line_assignment(it->t, it->len, ls, a);
		if (found) {
			bool mine = a->name_len == strlen(name) && memcmp(it->t + a->name_start, name, a->name_len) == 0;
			struct scan s = { it->t, it->len, name, mine ? self_value : NULL, &a->w, value };
			scan_word(&s, a->value_start);
			a->lineno = it->lineno;
			stop = a->w.end;
		}
		size_t e = stop;
		while (e < it->len && it->t[e] != '\n')
			e++;
		if (found && line_continues(it->t, it->len, stop))
			a->w.continuation = true;
		for (size_t k = ls; k < e; k++)
			if (it->t[k] == '\n')
				it->lineno++;
		it->pos = e < it->len ? e + 1 : it->len;
		it->lineno++;
		if (found)
			return true;
	}
	return false;
}

static bool assign_is(const struct sh_iter *it, const struct sh_assign *a, const char *name)
{
	return a->name_len == strlen(name) && memcmp(it->t + a->name_start, name, a->name_len) == 0;
}

static bool word_unsafe(const struct word *w)
{
	bool single = (w->parts == PART_DQ || w->parts == PART_SQ) && w->quoted_parts == 1;
	bool bare = (w->parts & ~PART_BARE) == 0;
	return w->cmdsub || w->brace || w->continuation || w->multiline || w->escape || !(single || bare);
}

int grub_default_find(const char *text, size_t len, const char *name, struct grub_default_var *var)
{
	memset(var, 0, sizeof(*var));
	struct sh_iter it = { text, len, 0, 1 };
	struct sh_assign a;
	struct buf value;
	buf_init(&value);
	while (sh_next(&it, name, NULL, &a, &value)) {
		if (!assign_is(&it, &a, name))
			continue;
		free(var->value);
		var->found = true;
		var->lineno = a.lineno;
		var->value_start = a.value_start;
		var->value_end = a.w.end;
		char first = a.w.end > a.value_start ? text[a.value_start] : 0;
		var->quote = first == '"' || first == '\'' ? first : 0;
		var->value = buf_steal(&value);
		var->unsafe = word_unsafe(&a.w);
		var->refers_to_self = a.w.self_ref;
	}
	buf_free(&value);
	return 0;
}

void grub_default_var_free(struct grub_default_var *var)
{
	free(var->value);
	memset(var, 0, sizeof(*var));
}

/* Why the value at var cannot be edited, for the message. */
static const char *unsafe_reason(const char *text, size_t len, const struct grub_default_var *var)
{
	struct word w;
	struct buf value;
	buf_init(&value);
	struct scan s = { text, len, CMDLINE_VAR, NULL, &w, &value };
	scan_word(&s, var->value_start);
	buf_free(&value);
	if (line_continues(text, len, w.end))
		w.continuation = true;
	if (w.cmdsub)
		return "uses command substitution ($(...) or backquotes)";
	if (w.brace)
		return "uses a ${...} expansion";
	if (w.continuation)
		return "continues on the next line (backslash at the end of the line)";
	if (w.multiline)
		return "is a quoted value that spans lines or is not closed";
	if (w.escape)
		return "contains backslash escapes";
	return "is made of several quoted parts";
}

static const char *line_end_of(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

int grub_default_edit_cmdline(const char *text, size_t len, const struct kargs_edit *edit,
                              struct buf *out, char **error)
{
	*error = NULL;
	buf_reset(out);
	for (size_t i = 0; i < edit->n_add; i++) {
		if (!kargs_token_is_safe(edit->add[i])) {
			*error = xasprintf(_("refusing to write the kernel argument '%s' into %s: it is not a "
			                     "plain token"), edit->add[i], CMDLINE_VAR);
			return -1;
		}
	}

	struct grub_default_var var;
	grub_default_find(text, len, CMDLINE_VAR, &var);
	char *expected = NULL; /* the value the edited file must hold */
	int rc = 0;
	if (var.found) {
		if (var.unsafe) {
			*error = xasprintf(_("line %zu: the value of %s %s; kvmprep does not rewrite it, "
			                     "add the arguments by hand"),
			                   var.lineno, CMDLINE_VAR, unsafe_reason(text, len, &var));
			grub_default_var_free(&var);
			return -1;
		}
		size_t is = var.value_start, ie = var.value_end;
		if (var.quote) {
			is++;
			ie--;
		}
		if (memchr(text + is, '\0', ie - is)) {
			*error = xasprintf(_("line %zu: the value of %s contains a NUL byte"), var.lineno,
			                   CMDLINE_VAR);
			grub_default_var_free(&var);
			return -1;
		}
		char *raw = xstrndup(text + is, ie - is);
		expected = kargs_apply(raw, edit);
		if (strcmp(expected, raw) == 0) {
			buf_append(out, text, len);
			rc = 1;
		} else if (var.quote) {
			buf_append(out, text, is);
			buf_puts(out, expected);
			buf_append(out, text + ie, len - ie);
		} else {
			/* G2-5: a bare value becomes double-quoted. */
			buf_append(out, text, is);
			buf_putc(out, '"');
			buf_puts(out, expected);
			buf_putc(out, '"');
			buf_append(out, text + ie, len - ie);
		}
		free(raw);
	} else {
		expected = kargs_apply("", edit);
		buf_append(out, text, len);
		if (!*expected) {
			rc = 1;
		} else {
			const char *eol = line_end_of(text, len);
			if (len > 0 && text[len - 1] != '\n')
				buf_puts(out, eol);
			buf_printf(out, "%s=\"%s\"%s", CMDLINE_VAR, expected, eol);
		}
	}
	grub_default_var_free(&var);

	/* Read the result back: the last assignment must be plain and hold what was meant. */
	if (rc == 0) {
		struct grub_default_var check;
		grub_default_find(out->data, out->len, CMDLINE_VAR, &check);
		bool ok = check.found && !check.unsafe && strcmp(check.value, expected) == 0 &&
		          kargs_satisfied(check.value, edit);
		grub_default_var_free(&check);
		if (!ok) {
			*error = xasprintf(_("the edited %s does not read back as expected; nothing was "
			                     "changed"), CMDLINE_VAR);
			buf_reset(out);
			rc = -1;
		}
	}
	free(expected);
	return rc;
}

int grub_default_effective(const char *const texts[], const size_t lens[], size_t n, const char *name,
                           char **value, char **error)
{
	*value = NULL;
	*error = NULL;
	char *cur = xstrdup("");
	struct buf val;
	buf_init(&val);
	for (size_t f = 0; f < n; f++) {
		if (!texts[f])
			continue;
		struct sh_iter it = { texts[f], lens[f], 0, 1 };
		struct sh_assign a;
		while (sh_next(&it, name, cur, &a, &val)) {
			if (!assign_is(&it, &a, name))
				continue;
			const char *why = NULL;
			if (a.w.cmdsub)
				why = _("uses command substitution");
			else if (a.w.other_expansion)
				why = _("expands another variable or parameter");
			else if (a.w.unterminated)
				why = _("has a quote that is never closed");
			if (why) {
				*error = xasprintf(_("file %zu, line %zu: the value of %s %s; cannot evaluate it"),
				                   f + 1, a.lineno, name, why);
				free(cur);
				buf_free(&val);
				return -1;
			}
			free(cur);
			cur = buf_steal(&val);
		}
	}
	buf_free(&val);
	*value = cur;
	return 0;
}
