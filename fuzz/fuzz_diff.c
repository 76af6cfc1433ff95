/* fuzz_diff.c: libFuzzer target for diff_unified: the diff, applied by a small patcher, gives the new text back. */
#include "config.h"

#include "diff.h"
#include "fuzz.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* One line of a text: [off, off + len) plus whether a '\n' ends it. */
struct tline {
	size_t off, len;
	bool nl;
};

static size_t split(const char *t, size_t n, struct tline **out)
{
	size_t cap = 8, k = 0, pos = 0;
	struct tline *v = xmalloc(cap * sizeof *v);
	while (pos < n) {
		const char *nl = memchr(t + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - t) : n;
		if (k == cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[k].off = pos;
		v[k].len = end - pos;
		v[k].nl = nl != NULL;
		k++;
		pos = nl ? end + 1 : n;
	}
	*out = v;
	return k;
}

/* "N" or "N,M" of a hunk header. */
static bool range(const char **p, const char *end, size_t *start, size_t *count)
{
	char *e;
	if (*p >= end || **p < '0' || **p > '9')
		return false;
	*start = strtoul(*p, &e, 10);
	*count = 1;
	if (e < end && *e == ',') {
		*count = strtoul(e + 1, &e, 10);
	}
	*p = e;
	return true;
}

/*
 * Applies diff d to old and returns the result (malloc'ed, length in *n), or NULL when the
 * diff is malformed or does not fit old: lines must start with ' ', '-', '+', '@' or '\\',
 * context and removed lines must match old, the counts must match the hunk headers.
 */
static char *patch(const char *old, size_t old_len, const char *d, size_t dlen, size_t *n)
{
	struct tline *ol, *dl;
	size_t no = split(old, old_len, &ol), nd = split(d, dlen, &dl);
	struct buf r;
	buf_init(&r);
	buf_append(&r, "", 0);
	bool ok = nd >= 2 && dl[0].len >= 4 && memcmp(d, "--- ", 4) == 0 && dl[1].len >= 4 &&
	          memcmp(d + dl[1].off, "+++ ", 4) == 0;
	size_t oi = 0; /* next old line to copy */
	size_t k = 2;
	/* last_side: the line a "\ No newline" marker refers to: 0 none, 1 old only, 2 new (in r) */
	while (ok && k < nd) {
		const char *l = d + dl[k].off, *le = l + dl[k].len;
		if (!dl[k].nl || dl[k].len < 1 || l[0] != '@') {
			ok = false;
			break;
		}
		size_t s0, c0, s1, c1;
		const char *p = l;
		ok = dl[k].len > 4 && memcmp(p, "@@ -", 4) == 0;
		p += 4;
		ok = ok && range(&p, le, &s0, &c0) && le - p > 2 && memcmp(p, " +", 2) == 0;
		p += 2;
		ok = ok && range(&p, le, &s1, &c1) && le - p == 3 && memcmp(p, " @@", 3) == 0;
		if (!ok)
			break;
		size_t first = c0 ? s0 - 1 : s0; /* 0-based first old line of the hunk */
		if (c0 && s0 == 0) {
			ok = false;
			break;
		}
		if (first < oi || first > no) {
			ok = false;
			break;
		}
		for (; oi < first; oi++) {
			buf_append(&r, old + ol[oi].off, ol[oi].len);
			if (ol[oi].nl)
				buf_putc(&r, '\n');
		}
		k++;
		size_t seen0 = 0, seen1 = 0;
		int last = 0; /* 1: the last line was old-only ('-'), 2: it went to r */
		while (ok && k < nd && d[dl[k].off] != '@') {
			const char *x = d + dl[k].off;
			size_t xl = dl[k].len;
			if (!dl[k].nl || xl < 1) {
				ok = false;
				break;
			}
			char m = x[0];
			if (m == '\\') {
				/* the previous line had no newline at the end */
				ok = last != 0 && xl == sizeof "\\ No newline at end of file" - 1 &&
				     memcmp(x, "\\ No newline at end of file", xl) == 0;
				if (ok && last == 2) {
					ok = r.len > 0 && r.data[r.len - 1] == '\n';
					r.len--;
					r.data[r.len] = '\0';
				}
				last = 0;
				k++;
				continue;
			}
			if (m == ' ' || m == '-') {
				/* must match old line oi: same bytes; its newline is checked by the marker */
				bool nl_ok = k + 1 < nd && d[dl[k + 1].off] == '\\' ? !ol[oi].nl : ol[oi].nl;
				ok = oi < no && fz_same(x + 1, xl - 1, old + ol[oi].off, ol[oi].len) && nl_ok;
				if (!ok)
					break;
				oi++;
				seen0++;
				if (m == '-') {
					last = 1;
				} else {
					seen1++;
					buf_append(&r, x + 1, xl - 1);
					buf_putc(&r, '\n');
					last = 2;
				}
			} else if (m == '+') {
				seen1++;
				buf_append(&r, x + 1, xl - 1);
				buf_putc(&r, '\n');
				last = 2;
			} else {
				ok = false;
			}
			k++;
		}
		ok = ok && seen0 == c0 && seen1 == c1;
	}
	for (; ok && oi < no; oi++) {
		buf_append(&r, old + ol[oi].off, ol[oi].len);
		if (ol[oi].nl)
			buf_putc(&r, '\n');
	}
	free(ol);
	free(dl);
	if (!ok) {
		buf_free(&r);
		return NULL;
	}
	*n = r.len;
	return buf_steal(&r);
}

/*
 * Input: a flag byte (bit 0: old is missing, bit 1: new is missing), two bytes giving the
 * old text's length, then old and new. Invariants: diff(a, a) is empty; diff(old, new) is
 * empty exactly when the texts are equal, and otherwise, patched onto old, gives new.
 */
FUZZ_ENTRY(diff)
{
	if (size < 3)
		return 0;
	bool no_old = data[0] & 1, no_new = data[0] & 2;
	size_t ol = (size_t)data[1] | (size_t)data[2] << 8;
	const char *t = (const char *)data + 3;
	size_t rest = size - 3;
	if (ol > rest)
		ol = rest;
	const char *old = no_old ? NULL : t, *new_text = no_new ? NULL : t + ol;
	size_t old_len = no_old ? 0 : ol, new_len = no_new ? 0 : rest - ol;

	struct buf d;
	buf_init(&d);
	diff_unified("/etc/default/grub", t, ol, t, ol, &d);
	FUZZ_ASSERT(d.len == 0);
	diff_unified("/etc/default/grub", old, old_len, new_text, new_len, &d);
	if (fz_same(old ? old : "", old_len, new_text ? new_text : "", new_len)) {
		FUZZ_ASSERT(d.len == 0);
	} else {
		FUZZ_ASSERT(d.len > 0);
		/* every line starts with a mark */
		const char *s = fz_data(&d);
		for (size_t i = 0; i < d.len; i++)
			if (i == 0 || s[i - 1] == '\n')
				FUZZ_ASSERT(strchr(" +-@\\", s[i]) && s[i]);
		FUZZ_ASSERT(s[d.len - 1] == '\n');
		FUZZ_ASSERT(strncmp(s, old ? "--- a/etc/default/grub\n" : "--- /dev/null\n", old ? 23 : 14) == 0);
		size_t n = 0;
		char *got = patch(old ? old : "", old_len, s, d.len, &n);
		FUZZ_ASSERT(got);
		FUZZ_ASSERT(fz_same(got, n, new_text ? new_text : "", new_len));
		free(got);
	}
	buf_free(&d);
	return 0;
}
