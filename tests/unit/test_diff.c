/* test_diff.c: unit tests of unified diffs: exact GNU `diff -u` output for each case, patch round trips, huge inputs. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"

/* The expected texts below are what GNU diff 3.8 prints for
 * `diff -u --label a/etc/default/grub --label b/etc/default/grub OLD NEW`
 * (--label /dev/null for a missing side). */
#define PATH "/etc/default/grub"

static void check_diff_len(const char *old, size_t old_len, const char *new_text, size_t new_len,
                           const char *want)
{
	struct buf out;
	buf_init(&out);
	diff_unified(PATH, old, old_len, new_text, new_len, &out);
	if (!*want) {
		assert_int_equal(out.len, 0);
	} else {
		assert_non_null(out.data);
		assert_string_equal(out.data, want);
		assert_int_equal(out.len, strlen(want));
	}
	buf_free(&out);
}

static void check_diff(const char *old, const char *new_text, const char *want)
{
	check_diff_len(old, old ? strlen(old) : 0, new_text, new_text ? strlen(new_text) : 0, want);
}

static void check_diff_free(char *old, char *new_text, const char *want)
{
	check_diff(old, new_text, want);
	free(old);
	free(new_text);
}

/* "line 1\n" .. "line N\n", line `which` (from 1) replaced by `text` when not NULL. */
static char *numbered2(int n, int which, const char *text, int which2, const char *text2)
{
	struct buf b;
	buf_init(&b);
	for (int i = 1; i <= n; i++) {
		if (i == which && text)
			buf_printf(&b, "%s\n", text);
		else if (i == which2 && text2)
			buf_printf(&b, "%s\n", text2);
		else
			buf_printf(&b, "line %d\n", i);
	}
	return buf_steal(&b);
}

static char *numbered(int n, int which, const char *text)
{
	return numbered2(n, which, text, 0, NULL);
}

static char *numbered_from(int first, int last)
{
	struct buf b;
	buf_init(&b);
	for (int i = first; i <= last; i++)
		buf_printf(&b, "line %d\n", i);
	return buf_steal(&b);
}

static char *numbered_extra(int n, int extra)
{
	return numbered_from(1, n + extra);
}

static void test_change_middle(void **state)
{
	(void)state;
	check_diff_free(numbered(10, 0, NULL), numbered(10, 5, "LINE 5"),
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -2,7 +2,7 @@\n"
		" line 2\n"
		" line 3\n"
		" line 4\n"
		"-line 5\n"
		"+LINE 5\n"
		" line 6\n"
		" line 7\n"
		" line 8\n");
}

static void test_add_at_end(void **state)
{
	(void)state;
	check_diff_free(numbered(10, 0, NULL), numbered_extra(10, 2),
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -8,3 +8,5 @@\n"
		" line 8\n"
		" line 9\n"
		" line 10\n"
		"+line 11\n"
		"+line 12\n");
}

static void test_delete_at_start(void **state)
{
	(void)state;
	check_diff_free(numbered(10, 0, NULL), numbered_from(3, 10),
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,5 +1,3 @@\n"
		"-line 1\n"
		"-line 2\n"
		" line 3\n"
		" line 4\n"
		" line 5\n");
}

static void test_no_newline_old(void **state)
{
	(void)state;
	check_diff("a\n"
		"b\n"
		"c",
		"a\n"
		"b\n"
		"c\n",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,3 +1,3 @@\n"
		" a\n"
		" b\n"
		"-c\n"
		"\\ No newline at end of file\n"
		"+c\n");
}

static void test_no_newline_new(void **state)
{
	(void)state;
	check_diff("a\n"
		"b\n"
		"c\n",
		"a\n"
		"b\n"
		"c",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,3 +1,3 @@\n"
		" a\n"
		" b\n"
		"-c\n"
		"+c\n"
		"\\ No newline at end of file\n");
}

static void test_no_newline_both(void **state)
{
	(void)state;
	check_diff("a\n"
		"b\n"
		"c",
		"a\n"
		"b\n"
		"d",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,3 +1,3 @@\n"
		" a\n"
		" b\n"
		"-c\n"
		"\\ No newline at end of file\n"
		"+d\n"
		"\\ No newline at end of file\n");
}

static void test_no_newline_both_context(void **state)
{
	(void)state;
	check_diff("a\n"
		"b\n"
		"c\n"
		"d\n"
		"e\n"
		"f",
		"a\n"
		"B\n"
		"c\n"
		"d\n"
		"e\n"
		"f",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,5 +1,5 @@\n"
		" a\n"
		"-b\n"
		"+B\n"
		" c\n"
		" d\n"
		" e\n");
}

static void test_new_file(void **state)
{
	(void)state;
	check_diff(NULL,
		"GRUB_TIMEOUT=5\n"
		"GRUB_CMDLINE_LINUX=\"quiet\"\n",
		"--- /dev/null\n"
		"+++ b/etc/default/grub\n"
		"@@ -0,0 +1,2 @@\n"
		"+GRUB_TIMEOUT=5\n"
		"+GRUB_CMDLINE_LINUX=\"quiet\"\n");
}

static void test_removed_file(void **state)
{
	(void)state;
	check_diff("kernel /vmlinuz\n"
		"initrd /initrd.img\n",
		NULL,
		"--- a/etc/default/grub\n"
		"+++ /dev/null\n"
		"@@ -1,2 +0,0 @@\n"
		"-kernel /vmlinuz\n"
		"-initrd /initrd.img\n");
}

static void test_empty_old(void **state)
{
	(void)state;
	check_diff("",
		"x\n"
		"y\n",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -0,0 +1,2 @@\n"
		"+x\n"
		"+y\n");
}

static void test_crlf(void **state)
{
	(void)state;
	check_diff("a\r\n"
		"b\r\n"
		"c\r\n"
		"d\r\n",
		"a\r\n"
		"b\r\n"
		"C\r\n"
		"d\r\n",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,4 +1,4 @@\n"
		" a\r\n"
		" b\r\n"
		"-c\r\n"
		"+C\r\n"
		" d\r\n");
}

static void test_crlf_vs_lf(void **state)
{
	(void)state;
	check_diff("a\r\n"
		"b\r\n"
		"c\r\n",
		"a\r\n"
		"b\n"
		"c\r\n",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,3 +1,3 @@\n"
		" a\r\n"
		"-b\r\n"
		"+b\n"
		" c\r\n");
}

static void test_two_hunks_far(void **state)
{
	(void)state;
	check_diff_free(numbered(30, 0, NULL), numbered2(30, 3, "changed 3", 26, "changed 26"),
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,6 +1,6 @@\n"
		" line 1\n"
		" line 2\n"
		"-line 3\n"
		"+changed 3\n"
		" line 4\n"
		" line 5\n"
		" line 6\n"
		"@@ -23,7 +23,7 @@\n"
		" line 23\n"
		" line 24\n"
		" line 25\n"
		"-line 26\n"
		"+changed 26\n"
		" line 27\n"
		" line 28\n"
		" line 29\n");
}

static void test_merged_gap_6(void **state)
{
	(void)state;
	check_diff_free(numbered(30, 0, NULL), numbered2(30, 5, "changed 5", 12, "changed 12"),
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -2,14 +2,14 @@\n"
		" line 2\n"
		" line 3\n"
		" line 4\n"
		"-line 5\n"
		"+changed 5\n"
		" line 6\n"
		" line 7\n"
		" line 8\n"
		" line 9\n"
		" line 10\n"
		" line 11\n"
		"-line 12\n"
		"+changed 12\n"
		" line 13\n"
		" line 14\n"
		" line 15\n");
}

static void test_separate_gap_7(void **state)
{
	(void)state;
	check_diff_free(numbered(30, 0, NULL), numbered2(30, 5, "changed 5", 13, "changed 13"),
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -2,7 +2,7 @@\n"
		" line 2\n"
		" line 3\n"
		" line 4\n"
		"-line 5\n"
		"+changed 5\n"
		" line 6\n"
		" line 7\n"
		" line 8\n"
		"@@ -10,7 +10,7 @@\n"
		" line 10\n"
		" line 11\n"
		" line 12\n"
		"-line 13\n"
		"+changed 13\n"
		" line 14\n"
		" line 15\n"
		" line 16\n");
}

static void test_insert_duplicate(void **state)
{
	(void)state;
	check_diff("a\n"
		"b\n"
		"c\n"
		"d\n",
		"a\n"
		"b\n"
		"b\n"
		"c\n"
		"d\n",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -1,4 +1,5 @@\n"
		" a\n"
		" b\n"
		"+b\n"
		" c\n"
		" d\n");
}

static void test_grub_cmdline(void **state)
{
	(void)state;
	check_diff("GRUB_DEFAULT=0\n"
		"GRUB_TIMEOUT=5\n"
		"GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"GRUB_CMDLINE_LINUX=\"\"\n"
		"\n"
		"# Uncomment to enable BadRAM filtering\n"
		"#GRUB_BADRAM=\"0x01234567,0xfefefefe\"\n",
		"GRUB_DEFAULT=0\n"
		"GRUB_TIMEOUT=5\n"
		"GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n"
		"\n"
		"# Uncomment to enable BadRAM filtering\n"
		"#GRUB_BADRAM=\"0x01234567,0xfefefefe\"\n",
		"--- a/etc/default/grub\n"
		"+++ b/etc/default/grub\n"
		"@@ -2,7 +2,7 @@\n"
		" GRUB_TIMEOUT=5\n"
		" GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
		" GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"-GRUB_CMDLINE_LINUX=\"\"\n"
		"+GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n"
		" \n"
		" # Uncomment to enable BadRAM filtering\n"
		" #GRUB_BADRAM=\"0x01234567,0xfefefefe\"\n");
}

static void test_identical(void **state)
{
	(void)state;
	check_diff_free(numbered(10, 0, NULL), numbered(10, 0, NULL),
		"");
}

/* Bytes are bytes: a NUL inside a line is compared and printed like any other. */
static void test_nul_bytes(void **state)
{
	(void)state;
	static const char old[] = "a\nb\0x\nc\n";
	static const char new_text[] = "a\nb\0y\nc\n";
	static const char want[] = "--- a/etc/default/grub\n+++ b/etc/default/grub\n@@ -1,3 +1,3 @@\n a\n"
	                           "-b\0x\n+b\0y\n c\n";
	struct buf out;
	buf_init(&out);
	diff_unified(PATH, old, sizeof old - 1, new_text, sizeof new_text - 1, &out);
	assert_int_equal(out.len, sizeof want - 1);
	assert_memory_equal(out.data, want, sizeof want - 1);
	buf_free(&out);
}

static void test_both_missing_or_empty(void **state)
{
	(void)state;
	check_diff(NULL, NULL, "");
	check_diff(NULL, "", "");
	check_diff("", NULL, "");
	check_diff("", "", "");
	/* A path without a leading slash is shown as it is. */
	struct buf out;
	buf_init(&out);
	diff_unified("grub.conf", "a\n", 2, "b\n", 2, &out);
	assert_string_equal(out.data, "--- a/grub.conf\n+++ b/grub.conf\n@@ -1 +1 @@\n-a\n+b\n");
	buf_free(&out);
}

/* The length of the line at old + pos, its newline included. */
static size_t line_len(const char *old, size_t old_len, size_t pos)
{
	const char *nl = memchr(old + pos, '\n', old_len - pos);
	return nl ? (size_t)(nl - (old + pos)) + 1 : old_len - pos;
}

/* Applies a unified diff to old (a small patch(1) of its own) and returns the result. */
static char *apply_patch(const char *old, size_t old_len, const char *diff, size_t *out_len)
{
	struct buf res;
	buf_init(&res);
	buf_append(&res, "", 0);
	size_t opos = 0;      /* byte offset in old */
	long oline = 1;       /* next line of old */
	bool last_added = false;
	const char *p = diff, *end = diff + strlen(diff);
	for (int header = 0; header < 2 && p < end; header++)
		p = strchr(p, '\n') + 1; /* "--- a/..." and "+++ b/..." */
	while (p < end) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p);
		if (p[0] == '@') {
			/* "@@ -START[,COUNT] ...": copy old up to the hunk; a count of 0 means "after START". */
			char *after;
			long start = strtol(p + 4, &after, 10);
			if (*after == ',' && strtol(after + 1, NULL, 10) == 0)
				start++;
			for (; oline < start; oline++) {
				size_t l = line_len(old, old_len, opos);
				buf_append(&res, old + opos, l);
				opos += l;
			}
		} else if (p[0] == '\\') {
			if (last_added)
				res.data[--res.len] = '\0'; /* "\ No newline at end of file" */
		} else {
			if (p[0] != '+') {
				opos += line_len(old, old_len, opos);
				oline++;
			}
			last_added = p[0] != '-';
			if (last_added) {
				buf_append(&res, p + 1, len - 1);
				buf_putc(&res, '\n');
			}
		}
		p = nl + 1;
	}
	buf_append(&res, old + opos, old_len - opos);
	*out_len = res.len;
	return buf_steal(&res);
}

/* Applies diff to old and checks that the result is exactly new_text. */
static void check_patch_gives(const char *old, size_t old_len, const char *diff, const char *new_text,
                              size_t new_len)
{
	size_t got_len;
	char *got = apply_patch(old, old_len, diff, &got_len);
	assert_int_equal(got_len, new_len);
	assert_memory_equal(got, new_text, new_len);
	free(got);
}

/* Random edits of random texts: the diff always turns old into new. */
static void test_random_round_trips(void **state)
{
	(void)state;
	srand(12345);
	for (int iter = 0; iter < 300; iter++) {
		struct buf a, b;
		buf_init(&a);
		buf_init(&b);
		int n = rand() % 60, alphabet = 2 + rand() % 8;
		for (int i = 0; i < n; i++)
			buf_printf(&a, "w%d\n", rand() % alphabet);
		for (size_t pos = 0; pos < a.len;) {
			const char *nl = memchr(a.data + pos, '\n', a.len - pos);
			size_t l = (size_t)(nl - (a.data + pos)) + 1;
			int r = rand() % 10;
			if (r == 0)
				buf_printf(&b, "new%d\n", rand() % 3);
			if (r != 1)
				buf_append(&b, a.data + pos, l);
			pos += l;
		}
		if (rand() % 4 == 0 && b.len)
			b.data[--b.len] = '\0'; /* drop the last newline */
		struct buf out;
		buf_init(&out);
		diff_unified(PATH, a.data ? a.data : "", a.len, b.data ? b.data : "", b.len, &out);
		check_patch_gives(a.data ? a.data : "", a.len, out.data ? out.data : "", b.data ? b.data : "",
		                  b.len);
		buf_free(&out);
		buf_free(&a);
		buf_free(&b);
	}
}

/* Large inputs that differ everywhere finish quickly with a correct (if not minimal) diff. */
static void test_huge_inputs_bounded(void **state)
{
	(void)state;
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	srand(7);
	for (int i = 0; i < 100000; i++) {
		buf_printf(&a, "%d\n", rand() % 40);
		buf_printf(&b, "%d\n", rand() % 40);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct buf out;
	buf_init(&out);
	diff_unified(PATH, a.data, a.len, b.data, b.len, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 20.0); /* generous for sanitizers and valgrind; about 0.1 s optimised */
	check_patch_gives(a.data, a.len, out.data, b.data, b.len);
	buf_free(&out);
	buf_free(&a);
	buf_free(&b);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_change_middle),
		T(test_add_at_end),
		T(test_delete_at_start),
		T(test_no_newline_old),
		T(test_no_newline_new),
		T(test_no_newline_both),
		T(test_no_newline_both_context),
		T(test_new_file),
		T(test_removed_file),
		T(test_empty_old),
		T(test_crlf),
		T(test_crlf_vs_lf),
		T(test_two_hunks_far),
		T(test_merged_gap_6),
		T(test_separate_gap_7),
		T(test_insert_duplicate),
		T(test_grub_cmdline),
		T(test_identical),
		T(test_nul_bytes),
		T(test_both_missing_or_empty),
		T(test_random_round_trips),
		T(test_huge_inputs_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
