/* profile.c: reads the libconfig profile of design.md §4 and reports every problem as FILE:LINE: message. */
#include "config.h"

#include "profile.h"

#include "i18n.h"
#include "steps.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROFILE_MAX_BYTES (1024u * 1024)   /* a profile is a few hundred bytes */
#define LOGFILE_MAX 4095                   /* PATH_MAX less the NUL */
#define SHOWN_MAX 40                       /* longest piece of input quoted in a message */

/* ---- messages ---- */

static void problem(struct strlist *problems, const char *label, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct strlist *problems, const char *label, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		strlist_add_owned(problems, xasprintf("%s:%zu: %s", label, line, msg));
	else
		strlist_add_owned(problems, xasprintf("%s: %s", label, msg));
	free(msg);
}

/* A piece of the input fit for a one-line message: printable ASCII, other bytes as \xHH, long
 * input cut to SHOWN_MAX characters with "...". Malloc'ed. */
static char *shown(const char *s, size_t len)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		if (b.len >= SHOWN_MAX) {
			buf_puts(&b, "...");
			break;
		}
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			buf_putc(&b, (char)c);
		else
			buf_printf(&b, "\\x%02x", c);
	}
	return buf_steal(&b);
}

/* ---- the scan before libconfig ---- */

/*
 * libconfig 1.5 accepts a string that belongs to no setting ("x" at top level or inside a
 * group), drops it and leaks 64 bytes (libs.md §2.3, §6.3); 1.7 calls it a syntax error. It
 * also accepts a string or a comment left open at the end. Such a string never becomes a
 * setting, so the walk over the parsed tree cannot see it: this scan, which knows just enough
 * of the lexical syntax (comments, strings, numbers, names), finds them before libconfig is
 * called, and libconfig never sees such input.
 *
 * The scan also makes integers read alike in 1.5 and 1.7: 1.5 truncates an integer beyond 32
 * bits without an L suffix to 32 bits where 1.7 reads a 64-bit value, so the copy handed to
 * libconfig gets the L (the same line and column for everything else). It refuses what the
 * two versions read differently or what would be silently wrong: a leading zero (octal only
 * in 1.7), an integer beyond 64 bits (1.5 saturates), a trailing comma (1.7 only), @include.
 * Returns the number of problems.
 */

static bool string_may_follow(char prev, bool in_list)
{
	/* after "name =" or "name :", in an array or list, or a string continued ("a" "b"); a comma
	 * that ends a setting ("a = 1, "x"") is no list separator */
	return prev == '=' || prev == ':' || prev == '[' || prev == '(' || (prev == ',' && in_list) || prev == '"';
}

/* One number token tok[0..len): checks it and copies it into out, with an L when needed. */
static int scan_number(const char *label, size_t line, const char *tok, size_t len, struct buf *out,
                       struct strlist *problems)
{
	size_t k = 0;
	bool neg = false;
	if (tok[0] == '+' || tok[0] == '-') {
		neg = tok[0] == '-';
		k++;
	}
	size_t end = len, suffix = 0;
	while (end > k && suffix < 2 && tok[end - 1] == 'L') {
		end--;
		suffix++;
	}
	bool hex = end - k > 2 && tok[k] == '0' && (tok[k + 1] == 'x' || tok[k + 1] == 'X');
	size_t d = hex ? k + 2 : k;
	if (d == end)
		goto copy;
	for (size_t i = d; i < end; i++)
		if (hex ? !isxdigit((unsigned char)tok[i]) : !isdigit((unsigned char)tok[i]))
			goto copy;     /* a float, or junk that libconfig reports */
	if (!hex && tok[d] == '0' && end - d > 1) {
		char *t = shown(tok, len);
		problem(problems, label, line,
		        _("the number %s has a leading zero, which libconfig 1.5 reads as decimal and 1.7 as "
		          "octal; write it without the zero"), t);
		free(t);
		return 1;
	}
	unsigned long long mag = 0, limit = neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
	unsigned base = hex ? 16 : 10;
	for (size_t i = d; i < end; i++) {
		unsigned digit = isdigit((unsigned char)tok[i]) ? (unsigned)(tok[i] - '0')
		                                                 : (unsigned)(tolower((unsigned char)tok[i]) - 'a' + 10);
		if (mag > (limit - digit) / base) {
			char *t = shown(tok, len);
			problem(problems, label, line, _("the number %s does not fit in 64 bits"), t);
			free(t);
			return 1;
		}
		mag = mag * base + digit;
	}
	buf_append(out, tok, len);
	if (suffix == 0 && (neg ? mag > (unsigned long long)INT32_MAX + 1 : mag > (unsigned long long)INT32_MAX))
		buf_putc(out, 'L');
	return 0;
copy:
	buf_append(out, tok, len);
	return 0;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '*';
}

static int prescan(const char *label, const char *s, struct buf *out, struct strlist *problems)
{
	int bad = 0;
	size_t line = 1, i = 0;
	char prev = 0;     /* the last token: its punctuation character, '"' a string, 'a' a name or number */
	char open[64];     /* the open brackets, innermost last (deeper ones count as groups) */
	size_t depth = 0;
	while (s[i]) {
		char c = s[i];
		size_t j = i + 1;
		if (c == '\n') {
			line++;
		} else if (c == '#' || (c == '/' && s[i + 1] == '/')) {
			while (s[j] && s[j] != '\n')
				j++;
		} else if (c == '/' && s[i + 1] == '*') {
			size_t start = line;
			j = i + 2;
			while (s[j] && !(s[j] == '*' && s[j + 1] == '/')) {
				if (s[j] == '\n')
					line++;
				j++;
			}
			if (!s[j]) {
				problem(problems, label, start, _("syntax error: the comment is never closed"));
				return bad + 1;
			}
			j += 2;
		} else if (c == '"') {
			size_t start = line;
			while (s[j] && s[j] != '"') {
				if (s[j] == '\\' && s[j + 1])
					j++;
				if (s[j] == '\n')
					line++;
				j++;
			}
			if (!s[j]) {
				problem(problems, label, start, _("syntax error: the string is never closed"));
				return bad + 1;
			}
			j++;
			bool in_list = depth > 0 && depth <= sizeof open && open[depth - 1] != '{';
			if (!string_may_follow(prev, in_list)) {
				problem(problems, label, start, _("syntax error: a string that belongs to no setting"));
				bad++;
			}
			prev = '"';
		} else if (c == '@') {
			prev = c;
			if (strncmp(s + i, "@include", 8) == 0) {
				problem(problems, label, line, _("@include is not allowed in a profile"));
				bad++;
				j = i + 8;
				prev = '=';     /* the file name after it is reported with it, not as a stray string */
			}
		} else if (isdigit((unsigned char)c) ||
		           ((c == '+' || c == '-' || c == '.') &&
		            (isdigit((unsigned char)s[i + 1]) || (s[i + 1] == '.' && isdigit((unsigned char)s[i + 2]))))) {
			bool hex = false;
			j = i;
			if (s[j] == '+' || s[j] == '-')
				j++;
			if (s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
				hex = true;
			while (isalnum((unsigned char)s[j]) || s[j] == '.' || s[j] == '_' ||
			       (!hex && (s[j] == '+' || s[j] == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E')))
				j++;
			bad += scan_number(label, line, s + i, j - i, out, problems);
			prev = 'a';
			i = j;
			continue;
		} else if (isalpha((unsigned char)c) || c == '*') {
			while (is_name_char(s[j]))
				j++;
			prev = 'a';
		} else if (c == '{' || c == '[' || c == '(') {
			if (depth < sizeof open)
				open[depth] = c;
			depth++;
			prev = c;
		} else if (c == '}' || c == ']' || c == ')') {
			if (prev == ',' && c != '}') {
				problem(problems, label, line, _("syntax error: a comma before '%c' (libconfig 1.5 refuses it)"),
				        c);
				bad++;
			}
			if (depth > 0)
				depth--;
			prev = c;
		} else if (!isspace((unsigned char)c)) {
			prev = c;
		}
		buf_append(out, s + i, j - i);
		i = j;
	}
	return bad;
}

/* ---- the walk over the parsed settings ---- */

enum kind { K_FLAG, K_INT, K_LOGFILE };

struct member {
	const char *name;
	enum kind kind;
	size_t flag;       /* K_FLAG: offset of the struct profile_flag */
	int key;           /* K_INT: enum profile_ksmtuned_key */
};

struct group {
	const char *name;
	const struct member *members;
	size_t n;
};

#define FLAG(name, field) { name, K_FLAG, offsetof(struct profile, field), 0 }
#define INT(name, key) { name, K_INT, 0, key }

static const struct member iommu_members[] = {
	FLAG("enable", iommu_enable),
	FLAG("passthrough", iommu_passthrough),
};
static const struct member ksm_members[] = {
	FLAG("enable", ksm_enable),
	FLAG("autostart", ksm_autostart),
};
static const struct member ksmtuned_members[] = {
	FLAG("enable", ksmtuned_enable),
	FLAG("autostart", ksmtuned_autostart),
	INT("monitor_interval", PROF_MONITOR_INTERVAL),
	INT("sleep_msec", PROF_SLEEP_MSEC),
	INT("npages_boost", PROF_NPAGES_BOOST),
	INT("npages_decay", PROF_NPAGES_DECAY),
	INT("npages_min", PROF_NPAGES_MIN),
	INT("npages_max", PROF_NPAGES_MAX),
	INT("thres_coef", PROF_THRES_COEF),
	INT("thres_const", PROF_THRES_CONST),
	FLAG("debug", ksmtuned_debug),
	{ "logfile", K_LOGFILE, 0, 0 },
};
static const struct group groups[] = {
	{ "iommu", iommu_members, ARRAY_SIZE(iommu_members) },
	{ "ksm", ksm_members, ARRAY_SIZE(ksm_members) },
	{ "ksmtuned", ksmtuned_members, ARRAY_SIZE(ksmtuned_members) },
};

/* domain.md §1.5, kvmprep's rule; no upper (lower) bound is given where the table has none. */
static const struct {
	long long min, max;
} int_range[PROF_KSMTUNED_KEY_COUNT] = {
	[PROF_MONITOR_INTERVAL] = { 1, LLONG_MAX },
	[PROF_SLEEP_MSEC] = { 1, LLONG_MAX },
	[PROF_NPAGES_BOOST] = { 0, LLONG_MAX },
	[PROF_NPAGES_DECAY] = { LLONG_MIN, 0 },
	[PROF_NPAGES_MIN] = { 0, 4294967295LL },
	[PROF_NPAGES_MAX] = { 0, 4294967295LL },
	[PROF_THRES_COEF] = { 0, 100 },
	[PROF_THRES_CONST] = { 0, LLONG_MAX },
};

struct walk {
	const char *label;
	struct profile *p;
	struct strlist *problems;
	int bad;
	size_t int_line[PROF_KSMTUNED_KEY_COUNT];
};

static void walk_problem(struct walk *w, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void walk_problem(struct walk *w, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	problem(w->problems, w->label, config_setting_source_line(s), "%s", msg);
	free(msg);
	w->bad++;
}

/* "a string", "an integer", ...: what a setting of the wrong type holds. */
static const char *type_phrase(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP: return _("a group");
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return _("an integer");
	case CONFIG_TYPE_FLOAT: return _("a number with a fraction");
	case CONFIG_TYPE_STRING: return _("a string");
	case CONFIG_TYPE_BOOL: return _("true or false");
	case CONFIG_TYPE_ARRAY: return _("an array");
	case CONFIG_TYPE_LIST: return _("a list");
	default: return _("a value of unknown type");
	}
}

static bool logfile_is_valid(struct walk *w, const config_setting_t *s, const char *path)
{
	size_t len = strlen(path);
	if (len > LOGFILE_MAX) {
		walk_problem(w, s, _("ksmtuned.logfile is %zu bytes long; at most %d are allowed"), len, LOGFILE_MAX);
		return false;
	}
	bool chars_ok = true;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)path[i]) || (unsigned char)path[i] >= 0x80)
			if (path[i] != '.' && path[i] != '_' && path[i] != '/' && path[i] != '-')
				chars_ok = false;
	if (path[0] != '/' || !chars_ok || strstr(path, "..") || path[len - 1] == '/') {
		char *t = shown(path, len);
		walk_problem(w, s,
		             _("ksmtuned.logfile must be the absolute path of a file, made of A-Z a-z 0-9 . _ / - "
		               "and without \"..\", not '%s'"), t);
		free(t);
		return false;
	}
	return true;
}

static void walk_int(struct walk *w, const config_setting_t *s, const char *group, const char *name, int key)
{
	long long v;
	int type = config_setting_type(s);
	if (type == CONFIG_TYPE_INT) {
		v = config_setting_get_int(s);
	} else if (type == CONFIG_TYPE_INT64) {
		v = config_setting_get_int64(s);
	} else if (type == CONFIG_TYPE_FLOAT) {
		walk_problem(w, s, _("%s.%s must be an integer, not %g"), group, name, config_setting_get_float(s));
		return;
	} else {
		walk_problem(w, s, _("%s.%s must be an integer, not %s"), group, name, type_phrase(s));
		return;
	}
	long long min = int_range[key].min, max = int_range[key].max;
	if (v < min || v > max) {
		if (max == LLONG_MAX)
			walk_problem(w, s, _("%s.%s must be at least %lld, not %lld"), group, name, min, v);
		else if (min == LLONG_MIN)
			walk_problem(w, s, _("%s.%s must be at most %lld, not %lld"), group, name, max, v);
		else
			walk_problem(w, s, _("%s.%s must be between %lld and %lld, not %lld"), group, name, min, max, v);
		return;
	}
	w->p->ksmtuned_set[key] = true;
	w->p->ksmtuned_value[key] = v;
	w->int_line[key] = config_setting_source_line(s);
}

static void walk_group(struct walk *w, const config_setting_t *g, const struct group *def)
{
	if (!config_setting_is_group(g)) {
		walk_problem(w, g, _("%s must be a group ({ ... }), not %s"), def->name, type_phrase(g));
		return;
	}
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		const struct member *m = NULL;
		for (size_t k = 0; name && k < def->n; k++)
			if (strcmp(def->members[k].name, name) == 0)
				m = &def->members[k];
		if (!m) {
			char *t = shown(name ? name : "", name ? strlen(name) : 0);
			walk_problem(w, s, _("unknown key '%s.%s'"), def->name, t);
			free(t);
			continue;
		}
		switch (m->kind) {
		case K_FLAG:
			if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
				walk_problem(w, s, _("%s.%s must be true or false, not %s"), def->name, name, type_phrase(s));
			} else {
				struct profile_flag *f = (struct profile_flag *)((char *)w->p + m->flag);
				f->set = true;
				f->value = config_setting_get_bool(s) != 0;
			}
			break;
		case K_INT:
			walk_int(w, s, def->name, name, m->key);
			break;
		case K_LOGFILE:
			if (config_setting_type(s) != CONFIG_TYPE_STRING) {
				walk_problem(w, s, _("%s.%s must be a string, not %s"), def->name, name, type_phrase(s));
			} else {
				const char *path = config_setting_get_string(s);
				if (logfile_is_valid(w, s, path)) {
					free(w->p->ksmtuned_logfile);
					w->p->ksmtuned_logfile = xstrdup(path);
				}
			}
			break;
		}
	}
}

static void walk_steps(struct walk *w, const config_setting_t *steps)
{
	int type = config_setting_type(steps);
	if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
		walk_problem(w, steps, _("steps must be a list of step names such as [\"cpu\", \"iommu\"], not %s"),
		             type_phrase(steps));
		return;
	}
	int n = config_setting_length(steps);
	if (n == 0) {
		walk_problem(w, steps, _("steps is empty; name at least one step, or leave steps out for all of them"));
		return;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(steps, (unsigned)i);
		if (config_setting_type(s) != CONFIG_TYPE_STRING) {
			walk_problem(w, s, _("steps[%d] must be a string, not %s"), i, type_phrase(s));
			continue;
		}
		const char *id = config_setting_get_string(s);
		if (!step_id_is_known(id)) {
			char *t = shown(id, strlen(id));
			walk_problem(w, s, _("unknown step '%s' in steps"), t);
			free(t);
		} else if (strlist_contains(&w->p->steps, id)) {
			walk_problem(w, s, _("step '%s' is named twice in steps"), id);
		} else {
			strlist_add(&w->p->steps, id);
		}
	}
}

static void walk_root(struct walk *w, const config_setting_t *root)
{
	int n = config_setting_length(root);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		if (!name) {     /* the scan keeps such input from libconfig; kept as a guard */
			walk_problem(w, s, _("syntax error: a value that belongs to no setting"));
			continue;
		}
		if (strcmp(name, "steps") == 0) {
			walk_steps(w, s);
			continue;
		}
		const struct group *def = NULL;
		for (size_t k = 0; k < ARRAY_SIZE(groups); k++)
			if (strcmp(groups[k].name, name) == 0)
				def = &groups[k];
		if (def) {
			walk_group(w, s, def);
		} else {
			char *t = shown(name, strlen(name));
			walk_problem(w, s, _("unknown key '%s'"), t);
			free(t);
		}
	}
	struct profile *p = w->p;
	if (p->ksmtuned_set[PROF_NPAGES_MIN] && p->ksmtuned_set[PROF_NPAGES_MAX] &&
	    p->ksmtuned_value[PROF_NPAGES_MIN] > p->ksmtuned_value[PROF_NPAGES_MAX]) {
		size_t a = w->int_line[PROF_NPAGES_MIN], b = w->int_line[PROF_NPAGES_MAX];
		problem(w->problems, w->label, a > b ? a : b,
		        _("ksmtuned.npages_min (%lld) is greater than ksmtuned.npages_max (%lld)"),
		        p->ksmtuned_value[PROF_NPAGES_MIN], p->ksmtuned_value[PROF_NPAGES_MAX]);
		w->bad++;
	}
}

/* ---- interface ---- */

void profile_init(struct profile *p)
{
	memset(p, 0, sizeof *p);
	strlist_init(&p->steps);
}

void profile_free(struct profile *p)
{
	free(p->path);
	strlist_free(&p->steps);
	free(p->ksmtuned_logfile);
	profile_init(p);
}

/* p is overwritten, not freed: pass an initialised-and-empty or an uninitialised profile. */
int profile_load_text(const char *path_label, const char *text, struct profile *p, struct strlist *problems)
{
	const char *label = path_label ? path_label : "profile";
	profile_init(p);

	struct buf copy;
	buf_init(&copy);
	buf_puts(&copy, "");
	if (prescan(label, text, &copy, problems) > 0) {
		buf_free(&copy);
		return -1;
	}

	config_t cfg;
	config_init(&cfg);
	int rc = 0;
	if (config_read_string(&cfg, copy.data) != CONFIG_TRUE) {
		problem(problems, label, (size_t)(config_error_line(&cfg) > 0 ? config_error_line(&cfg) : 0), "%s",
		        config_error_text(&cfg) ? config_error_text(&cfg) : "syntax error");
		rc = -1;
	} else {
		struct walk w = { .label = label, .p = p, .problems = problems };
		walk_root(&w, config_root_setting(&cfg));
		if (w.bad > 0)
			rc = -1;
	}
	config_destroy(&cfg);
	buf_free(&copy);
	if (rc < 0)
		profile_free(p);
	else
		p->path = xstrdup(label);
	return rc;
}

int profile_load_file(const char *path, struct profile *p, struct strlist *problems)
{
	profile_init(p);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		problem(problems, path, 0, _("cannot read: %s"), strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		problem(problems, path, 0, _("cannot read: not a regular file"));
		close(fd);
		return -1;
	}
	struct buf text;
	buf_init(&text);
	int r = fd_read_all(fd, PROFILE_MAX_BYTES, &text);
	close(fd);
	if (r < 0) {
		problem(problems, path, 0, _("cannot read: %s"), strerror(-r));
		buf_free(&text);
		return -1;
	}
	buf_puts(&text, "");
	const char *nul = memchr(text.data, '\0', text.len);
	if (nul) {
		size_t line = 1;
		for (const char *c = text.data; c < nul; c++)
			line += *c == '\n';
		problem(problems, path, line, _("contains a NUL byte; a profile is text"));
		buf_free(&text);
		return -1;
	}
	int rc = profile_load_text(path, text.data, p, problems);
	buf_free(&text);
	return rc;
}

bool profile_wants_step(const struct profile *p, const char *step_id)
{
	return !p || p->steps.n == 0 || strlist_contains(&p->steps, step_id);
}
