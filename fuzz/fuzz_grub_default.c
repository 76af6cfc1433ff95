/* fuzz_grub_default.c: libFuzzer target for /etc/default/grub: find, grub_default_effective and the GRUB_CMDLINE_LINUX editor. */
#include "config.h"

#include "fuzz.h"
#include "grub_default.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define VAR "GRUB_CMDLINE_LINUX"

static void check_var(const char *text, size_t len, const struct grub_default_var *v)
{
	if (!v->found) {
		FUZZ_ASSERT(!v->value);
		return;
	}
	FUZZ_ASSERT(v->value && v->lineno >= 1 && v->lineno <= fz_line_count(text, len));
	FUZZ_ASSERT(v->value_start <= v->value_end && v->value_end <= len);
	FUZZ_ASSERT(v->value_start >= 1 && text[v->value_start - 1] == '=');
	if (v->quote)
		FUZZ_ASSERT(v->value_end > v->value_start && text[v->value_start] == v->quote);
	if (!v->unsafe && v->quote)
		FUZZ_ASSERT(v->value_end - v->value_start >= 2 && text[v->value_end - 1] == v->quote);
	if (!v->unsafe)
		FUZZ_ASSERT(!memchr(text + v->value_start, '\n', v->value_end - v->value_start));
}

struct one_line {
	size_t lineno;
};

static bool is_line(size_t lineno, void *ctx)
{
	return lineno == ((struct one_line *)ctx)->lineno;
}

/*
 * Input: an edit line, then the file. Invariants: the variable found lies where it says;
 * an edit (rc 0) reads back as a plain value that satisfies the edit, a second edit finds
 * nothing to do (rc 1, same bytes), and only the value on the line of the last assignment
 * changed (or a line was appended); rc 1 returns the text unchanged, rc -1 nothing. Then the
 * text split at NUL bytes is evaluated as /etc/default/grub plus grub.d files.
 */
FUZZ_ENTRY(grub_default)
{
	struct fz_edit fe;
	const char *text;
	size_t len;
	fz_edit_read(data, size, &fe, &text, &len);

	struct grub_default_var var;
	FUZZ_ASSERT(grub_default_find(text, len, VAR, &var) == 0);
	check_var(text, len, &var);
	struct grub_default_var other;
	grub_default_find(text, len, "GRUB_DEFAULT", &other);
	check_var(text, len, &other);
	grub_default_var_free(&other);

	struct buf out, out2;
	buf_init(&out);
	buf_init(&out2);
	char *error = NULL, *error2 = NULL;
	int rc = grub_default_edit_cmdline(text, len, &fe.edit, &out, &error);
	fz_check_edit_outcome(rc, error, text, len, &out);
	if (rc == 0) {
		const char *o = fz_data(&out);
		FUZZ_ASSERT(!fz_same(text, len, o, out.len));
		struct grub_default_var check;
		grub_default_find(o, out.len, VAR, &check);
		check_var(o, out.len, &check);
		FUZZ_ASSERT(check.found && !check.unsafe && kargs_satisfied(check.value, &fe.edit));
		grub_default_var_free(&check);

		FUZZ_ASSERT(grub_default_edit_cmdline(o, out.len, &fe.edit, &out2, &error2) == 1);
		FUZZ_ASSERT(!error2 && fz_same(o, out.len, fz_data(&out2), out2.len));

		if (var.found) {
			/* the bytes before the value and after it stay; the line count too */
			size_t vs = var.value_start, ve = var.value_end;
			FUZZ_ASSERT(out.len >= vs + (len - ve));
			FUZZ_ASSERT(memcmp(o, text, vs) == 0 && memcmp(o + out.len - (len - ve), text + ve, len - ve) == 0);
			struct one_line l = { var.lineno };
			FUZZ_ASSERT(fz_only_lines_changed(text, len, o, out.len, is_line, &l));
		} else {
			/* appended: the text itself is a prefix */
			FUZZ_ASSERT(out.len > len && memcmp(o, text, len) == 0);
		}
	}
	free(error);
	free(error2);
	buf_free(&out);
	buf_free(&out2);
	grub_default_var_free(&var);

	/* The text split at NUL bytes as several files, sourced in order. */
	const char *texts[4];
	size_t lens[4], n = 0, p = 0;
	while (n < 4) {
		const char *z = p < len ? memchr(text + p, '\0', len - p) : NULL;
		size_t e = z ? (size_t)(z - text) : len;
		texts[n] = text + p;
		lens[n] = e - p;
		n++;
		if (!z)
			break;
		p = e + 1;
	}
	char *value = NULL;
	error = NULL;
	rc = grub_default_effective(texts, lens, n, VAR, &value, &error);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(rc == 0 ? value && !error : !value && error);
	/* one file alone: when the last assignment is plain, the effective value is its text */
	if (rc == 0 && n == 1) {
		struct grub_default_var v1;
		grub_default_find(texts[0], lens[0], VAR, &v1);
		if (v1.found && !v1.unsafe && !v1.refers_to_self)
			FUZZ_ASSERT(strcmp(v1.value, value) == 0);
		if (!v1.found)
			FUZZ_ASSERT(*value == '\0');
		grub_default_var_free(&v1);
	}
	free(value);
	free(error);
	fz_edit_free(&fe);
	return 0;
}
