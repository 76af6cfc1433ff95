/* bls.c: Boot Loader Specification entries and grubenv blocks (domain.md §3.4, §3.5). */
#include "config.h"

#include "bls.h"
#include "i18n.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define GRUBENV_SIZE 1024
#define GRUBENV_HEADER "# GRUB Environment Block\n"

/* One "key value" line: offsets into the text. */
struct bls_line {
	size_t lineno;
	size_t key_start, key_end;
	size_t value_start, value_end; /* value_end excludes a CR before the newline */
};

/* The next line that holds a key (comments and blank lines are skipped). */
static bool next_key_line(const char *text, size_t len, size_t *pos, size_t *lineno, struct bls_line *l)
{
	size_t ls, ce;
	while (text_next_span(text, len, pos, &ls, &ce)) {
		(*lineno)++;
		size_t i = ls;
		while (i < ce && char_is_blank(text[i]))
			i++;
		if (i >= ce || text[i] == '#')
			continue;
		size_t ke = i;
		while (ke < ce && !char_is_blank(text[ke]))
			ke++;
		size_t vs = ke;
		while (vs < ce && char_is_blank(text[vs]))
			vs++;
		l->lineno = *lineno;
		l->key_start = i;
		l->key_end = ke;
		l->value_start = vs;
		l->value_end = ce;
		return true;
	}
	return false;
}

static bool key_is(const char *text, const struct bls_line *l, const char *key)
{
	size_t kl = strlen(key);
	return l->key_end - l->key_start == kl && memcmp(text + l->key_start, key, kl) == 0;
}

/* The value with trailing blanks removed. */
static char *value_trimmed(const char *text, const struct bls_line *l)
{
	size_t e = l->value_end;
	while (e > l->value_start && char_is_blank(text[e - 1]))
		e--;
	return xstrndup(text + l->value_start, e - l->value_start);
}

void bls_parse(const char *text, size_t len, struct bls_entry *out)
{
	memset(out, 0, sizeof(*out));
	size_t pos = 0, lineno = 0;
	struct bls_line l;
	while (next_key_line(text, len, &pos, &lineno, &l)) {
		if (key_is(text, &l, "title") && !out->title) {
			out->title = value_trimmed(text, &l);
		} else if (key_is(text, &l, "version") && !out->version) {
			out->version = value_trimmed(text, &l);
		} else if (key_is(text, &l, "linux") && !out->linux_path) {
			out->linux_path = value_trimmed(text, &l);
		} else if (key_is(text, &l, "options")) {
			char *v = xstrndup(text + l.value_start, l.value_end - l.value_start);
			if (kargs_has(v, "$kernelopts"))
				out->uses_kernelopts = true;
			if (!out->options) {
				out->options = v;
				out->options_lineno = l.lineno;
			} else {
				free(v);
			}
		}
	}
}

void bls_entry_free(struct bls_entry *e)
{
	free(e->title);
	free(e->version);
	free(e->linux_path);
	free(e->options);
	memset(e, 0, sizeof(*e));
}

/* Replaces the value of an options line with the edited arguments, into out. */
static void edit_line(const char *text, const struct bls_line *l, const struct kargs_edit *edit,
                      struct buf *out, size_t *copied)
{
	size_t vs = l->value_start, ve = l->value_end;
	if (memchr(text + vs, '\0', ve - vs))
		return; /* would be cut short as a C string */
	char *old = xstrndup(text + vs, ve - vs);
	char *edited = kargs_apply(old, edit);
	if (strcmp(old, edited) != 0) {
		size_t from = vs;
		const char *sep = "";
		if (!*edited) {
			while (from > l->key_end && char_is_blank(text[from - 1]))
				from--;
		} else if (vs == ve && vs == l->key_end) {
			sep = " "; /* a bare "options" key */
		}
		buf_append(out, text + *copied, from - *copied);
		buf_puts(out, sep);
		buf_puts(out, edited);
		*copied = ve;
	}
	free(old);
	free(edited);
}

int bls_edit_options(const char *text, size_t len, const struct kargs_edit *edit, struct buf *out)
{
	buf_reset(out);
	struct bls_entry e;
	bls_parse(text, len, &e);
	bool kernelopts = e.uses_kernelopts;
	bls_entry_free(&e);
	if (kernelopts) {
		buf_append(out, text, len);
		return 1;
	}

	/* Several options lines are joined at boot: the first one gets the whole edit, the
	 * others only lose the tokens that the edit removes or replaces, so that no later line
	 * overrides the new values. */
	const char **later_rm = xcalloc(edit->n_remove + edit->n_add + 1, sizeof(*later_rm));
	char **keys = xcalloc(edit->n_add + 1, sizeof(*keys));
	size_t n_rm = 0;
	for (size_t i = 0; i < edit->n_remove; i++)
		later_rm[n_rm++] = edit->remove[i];
	for (size_t i = 0; i < edit->n_add; i++) {
		const char *eq = strchr(edit->add[i], '=');
		keys[i] = eq ? xstrndup(edit->add[i], (size_t)(eq - edit->add[i])) : xstrdup(edit->add[i]);
		later_rm[n_rm++] = keys[i];
	}
	struct kargs_edit later = { NULL, 0, later_rm, n_rm };

	size_t pos = 0, lineno = 0, copied = 0;
	bool first = true;
	struct bls_line l;
	while (next_key_line(text, len, &pos, &lineno, &l)) {
		if (!key_is(text, &l, "options"))
			continue;
		edit_line(text, &l, first ? edit : &later, out, &copied);
		first = false;
	}
	buf_append(out, text + copied, len - copied);

	for (size_t i = 0; i < edit->n_add; i++)
		free(keys[i]);
	free(keys);
	free(later_rm);
	return 0;
}

/*
 * Version comparison of GNU sort -V (gnulib filevercmp): file suffixes matching
 * (\.[A-Za-z~][A-Za-z0-9~]*)*$ are compared last; digit runs compare as numbers; in other
 * runs '~' sorts first, then the end of the string, then letters, then everything else.
 */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t file_prefixlen(const char *s, size_t n)
{
	size_t prefixlen = 0;
	for (size_t i = 0;;) {
		if (i == n)
			return prefixlen;
		i++;
		prefixlen = i;
		while (i + 1 < n && s[i] == '.' && (is_alpha(s[i + 1]) || s[i + 1] == '~'))
			for (i += 2; i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '~'); i++)
				continue;
	}
}

static int ver_order(const char *s, size_t pos, size_t len)
{
	if (pos == len)
		return -1;
	unsigned char c = (unsigned char)s[pos];
	if (is_digit((char)c))
		return 0;
	if (is_alpha((char)c))
		return c;
	if (c == '~')
		return -2;
	return c + UCHAR_MAX + 1;
}

static int verrevcmp(const char *s1, size_t l1, const char *s2, size_t l2)
{
	size_t p1 = 0, p2 = 0;
	while (p1 < l1 || p2 < l2) {
		int first_diff = 0;
		while ((p1 < l1 && !is_digit(s1[p1])) || (p2 < l2 && !is_digit(s2[p2]))) {
			int c1 = ver_order(s1, p1, l1);
			int c2 = ver_order(s2, p2, l2);
			if (c1 != c2)
				return c1 - c2;
			p1++;
			p2++;
		}
		while (p1 < l1 && s1[p1] == '0')
			p1++;
		while (p2 < l2 && s2[p2] == '0')
			p2++;
		while (p1 < l1 && p2 < l2 && is_digit(s1[p1]) && is_digit(s2[p2])) {
			if (!first_diff)
				first_diff = s1[p1] - s2[p2];
			p1++;
			p2++;
		}
		if (p1 < l1 && is_digit(s1[p1]))
			return 1;
		if (p2 < l2 && is_digit(s2[p2]))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

static int filevercmp(const char *a, const char *b)
{
	size_t al = strlen(a), bl = strlen(b);
	if (!al)
		return bl ? -1 : 0;
	if (!bl)
		return 1;
	if (a[0] == '.') {
		if (b[0] != '.')
			return -1;
		bool adot = al == 1, bdot = bl == 1;
		if (adot)
			return bdot ? 0 : -1;
		if (bdot)
			return 1;
		bool adotdot = a[1] == '.' && al == 2, bdotdot = b[1] == '.' && bl == 2;
		if (adotdot)
			return bdotdot ? 0 : -1;
		if (bdotdot)
			return 1;
	} else if (b[0] == '.') {
		return 1;
	}
	size_t ap = file_prefixlen(a, al), bp = file_prefixlen(b, bl);
	int r = verrevcmp(a, ap, b, bp);
	if (r || (ap == al && bp == bl))
		return r;
	return verrevcmp(a, al, b, bl);
}

/* sort -Vr: reversed version order; equal versions fall back to reversed byte order. */
static int cmp_ids_desc(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	int r = filevercmp(a, b);
	if (!r)
		r = strcmp(a, b);
	return r > 0 ? -1 : r < 0 ? 1 : 0;
}

void bls_sort_ids(struct strlist *ids)
{
	if (ids->n > 1)
		qsort(ids->v, ids->n, sizeof(*ids->v), cmp_ids_desc);
}

int grubenv_parse(const char *text, size_t len, struct strlist *keys, struct strlist *values, char **error)
{
	strlist_init(keys);
	strlist_init(values);
	*error = NULL;
	size_t hl = strlen(GRUBENV_HEADER);
	if (len != GRUBENV_SIZE) {
		*error = xasprintf(_("the environment block is %zu bytes long, not %d"), len, GRUBENV_SIZE);
		return -1;
	}
	if (memcmp(text, GRUBENV_HEADER, hl) != 0) {
		*error = xasprintf(_("the environment block does not start with \"# GRUB Environment Block\""));
		return -1;
	}
	struct buf key, value;
	buf_init(&key);
	buf_init(&value);
	size_t i = hl;
	while (i < len) {
		if (text[i] == '#') {
			/* A comment or the padding: skipped up to its newline, like GRUB does. */
			while (i < len && text[i] != '\n')
				i++;
			i++;
			continue;
		}
		size_t ks = i;
		while (i < len && text[i] != '=' && text[i] != '\n')
			i++;
		if (i >= len || text[i] != '=' || i == ks) {
			/* Not a key=value line: GRUB ignores it. */
			while (i < len && text[i] != '\n')
				i++;
			i++;
			continue;
		}
		buf_reset(&key);
		buf_append(&key, text + ks, i - ks);
		i++;
		/* grub-editenv escapes '\\' and newlines in values with a backslash. */
		buf_reset(&value);
		buf_append(&value, "", 0);
		while (i < len && text[i] != '\n') {
			if (text[i] == '\\' && i + 1 < len)
				i++;
			buf_putc(&value, text[i]);
			i++;
		}
		i++;
		if (memchr(key.data, '\0', key.len) || memchr(value.data, '\0', value.len)) {
			*error = xasprintf(_("the environment block holds a NUL byte in the entry \"%s\""),
			                   key.data);
			buf_free(&key);
			buf_free(&value);
			strlist_free(keys);
			strlist_free(values);
			return -1;
		}
		strlist_add(keys, key.data);
		strlist_add(values, value.data);
	}
	buf_free(&key);
	buf_free(&value);
	return 0;
}

const char *grubenv_get(const struct strlist *keys, const struct strlist *values, const char *key)
{
	const char *found = NULL;
	for (size_t i = 0; i < keys->n && i < values->n; i++)
		if (strcmp(keys->v[i], key) == 0)
			found = values->v[i]; /* the last one wins, as when GRUB loads the block */
	return found;
}
