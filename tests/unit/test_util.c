/* test_util.c: unit tests of the shared helpers: buffers, string lists and strict string parsing. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- allocation ---- */

static void test_xalloc(void **state)
{
	(void)state;
	char *p = xmalloc(0);
	assert_non_null(p);
	free(p);
	int *z = xcalloc(4, sizeof *z);
	for (int i = 0; i < 4; i++)
		assert_int_equal(z[i], 0);
	z = xrealloc(z, 8 * sizeof *z);
	assert_int_equal(z[3], 0);
	free(z);
	char *s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	s = xasprintf("%s-%d-%03x", "x", 42, 0x2au);
	assert_string_equal(s, "x-42-02a");
	free(s);
}

/* ---- buf ---- */

static void test_buf_append_nul_bytes(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	static const char bytes[] = { 'a', '\0', 'b', '\0', '\0', 'c' };
	buf_append(&b, bytes, sizeof bytes);
	assert_int_equal(b.len, sizeof bytes);
	assert_memory_equal(b.data, bytes, sizeof bytes);
	assert_int_equal(b.data[b.len], '\0'); /* always terminated */
	assert_int_equal(strlen(b.data), 1);    /* C string view stops at the first NUL */
	buf_append(&b, NULL, 0);
	assert_int_equal(b.len, sizeof bytes);
	buf_putc(&b, '\0');
	buf_puts(&b, "tail");
	assert_int_equal(b.len, sizeof bytes + 5);
	assert_memory_equal(b.data + sizeof bytes, "\0tail", 6);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void test_buf_append_empty_terminates(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_append(&b, NULL, 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_buf_growth(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(strlen(b.data), 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	buf_free(&b);
}

static void test_buf_printf(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s=%d", "n", 7);
	buf_printf(&b, ";%08x", 0xbeefu);
	assert_string_equal(b.data, "n=7;0000beef");
	assert_int_equal(b.len, strlen("n=7;0000beef"));
	buf_printf(&b, "%s", "");
	assert_int_equal(b.len, strlen("n=7;0000beef"));
	/* Longer than any initial capacity. */
	buf_reset(&b);
	buf_printf(&b, "%0500d|", 1);
	assert_int_equal(b.len, 501);
	assert_int_equal(b.data[499], '1');
	assert_int_equal(b.data[500], '|');
	buf_free(&b);
}

static void test_buf_steal(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "owned");
	char *s = buf_steal(&b);
	assert_string_equal(s, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	/* Stealing an empty buffer still gives a string the caller frees. */
	s = buf_steal(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_null(b.data);
	free(s);
	/* The buffer is usable again afterwards. */
	buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	buf_free(&b);
}

static void test_buf_reset(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_reset(&b); /* on a never-used buffer */
	assert_null(b.data);
	buf_puts(&b, "hello world");
	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(b.cap, cap); /* memory is kept */
	buf_puts(&b, "x");
	assert_string_equal(b.data, "x");
	buf_free(&b);
	buf_free(&b); /* twice is harmless */
}

/* ---- strlist ---- */

static void test_strlist_sort_contains(void **state)
{
	(void)state;
	struct strlist l;
	strlist_init(&l);
	assert_false(strlist_contains(&l, "a"));
	strlist_sort(&l); /* empty */
	static const char *const words[] = { "pear", "apple", "Zebra", "banana", "apple", "", "10", "9" };
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		strlist_add(&l, words[i]);
	strlist_add_owned(&l, xstrdup("cherry"));
	assert_int_equal(l.n, ARRAY_SIZE(words) + 1);
	strlist_sort(&l);
	static const char *const sorted[] = { "", "10", "9", "Zebra", "apple", "apple", "banana",
		                                  "cherry", "pear" };
	assert_int_equal(l.n, ARRAY_SIZE(sorted));
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], sorted[i]);
	assert_true(strlist_contains(&l, "apple"));
	assert_true(strlist_contains(&l, "cherry"));
	assert_true(strlist_contains(&l, ""));
	assert_false(strlist_contains(&l, "appl"));
	assert_false(strlist_contains(&l, "zebra"));
	assert_false(strlist_contains(&l, "pears"));
	strlist_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

static void test_strlist_copies(void **state)
{
	(void)state;
	struct strlist l;
	strlist_init(&l);
	char word[] = "mutable";
	strlist_add(&l, word);
	word[0] = 'M';
	assert_string_equal(l.v[0], "mutable");
	for (int i = 0; i < 100; i++) {
		char *s = xasprintf("item%03d", 99 - i);
		strlist_add_owned(&l, s);
	}
	strlist_sort(&l);
	assert_string_equal(l.v[0], "item000");
	assert_string_equal(l.v[99], "item099");
	assert_string_equal(l.v[100], "mutable");
	strlist_free(&l);
}

/* ---- string helpers ---- */

static void test_starts_ends_with(void **state)
{
	(void)state;
	assert_true(str_starts_with("kvm_intel", "kvm"));
	assert_true(str_starts_with("kvm", ""));
	assert_false(str_starts_with("kv", "kvm"));
	assert_true(str_ends_with("grub.conf", ".conf"));
	assert_true(str_ends_with("x", ""));
	assert_false(str_ends_with("conf", ".conf"));
	assert_false(str_ends_with("a.confx", ".conf"));
}

static void test_str_trim(void **state)
{
	(void)state;
	char a[] = "  \t hello world \r\n\t ";
	char *r = str_trim(a);
	assert_ptr_equal(r, a);
	assert_string_equal(a, "hello world");
	char b[] = "";
	assert_string_equal(str_trim(b), "");
	char c[] = " \t\r\n ";
	assert_string_equal(str_trim(c), "");
	char d[] = "x";
	assert_string_equal(str_trim(d), "x");
	char e[] = "inner  \t space";
	assert_string_equal(str_trim(e), "inner  \t space");
	char f[] = "value\r";
	assert_string_equal(str_trim(f), "value");
}

static void test_str_has_token(void **state)
{
	(void)state;
	const char *flags = "fpu vme svm_lock svm extapic\tlahf_lm nx";
	assert_true(str_has_token(flags, "svm"));
	assert_true(str_has_token(flags, "svm_lock"));
	assert_true(str_has_token(flags, "fpu"));      /* first */
	assert_true(str_has_token(flags, "nx"));       /* last */
	assert_true(str_has_token(flags, "extapic"));  /* before a tab */
	assert_true(str_has_token(flags, "lahf_lm"));  /* after a tab */
	assert_false(str_has_token(flags, "lahf"));
	assert_false(str_has_token(flags, "vm"));
	assert_false(str_has_token(flags, "fp"));
	assert_false(str_has_token(flags, "n"));
	assert_false(str_has_token(flags, "nx "));
	/* "svm" must not match "svm_lock" alone. */
	assert_false(str_has_token("svm_lock npt", "svm"));
	assert_false(str_has_token("xsvm", "svm"));
	assert_false(str_has_token("svmx", "svm"));
	/* Empty list, blank list, empty word. */
	assert_false(str_has_token("", "svm"));
	assert_false(str_has_token("   \t ", "svm"));
	assert_false(str_has_token(flags, ""));
	assert_false(str_has_token("", ""));
	/* Lone word, surrounding and repeated blanks, newline as separator. */
	assert_true(str_has_token("vmx", "vmx"));
	assert_true(str_has_token("  \tvmx\t  ", "vmx"));
	assert_true(str_has_token("a  \t\t vmx", "vmx"));
	assert_true(str_has_token("a vmx\n", "vmx"));
	assert_true(str_has_token("a\nvmx b", "vmx"));
	assert_false(str_has_token("avmx\n", "vmx"));
}

static void test_str_parse_hex_u64(void **state)
{
	(void)state;
	unsigned long long v = 12345;
	assert_true(str_parse_hex_u64("0x3a", &v));
	assert_int_equal(v, 0x3a);
	assert_true(str_parse_hex_u64("3A", &v));
	assert_int_equal(v, 0x3a);
	assert_true(str_parse_hex_u64("0X5", &v));
	assert_int_equal(v, 5);
	assert_true(str_parse_hex_u64("0", &v));
	assert_int_equal(v, 0);
	assert_true(str_parse_hex_u64("  0x5\n", &v)); /* leading blanks, trailing newline */
	assert_int_equal(v, 5);
	assert_true(str_parse_hex_u64("0x5\r\n", &v));
	assert_int_equal(v, 5);
	assert_true(str_parse_hex_u64("ffffffffffffffff", &v)); /* 16 digits: the maximum */
	assert_true(v == ULLONG_MAX);
	assert_true(str_parse_hex_u64("0x8000000000000000", &v));
	assert_true(v == 0x8000000000000000ULL);
	assert_true(str_parse_hex_u64("0000000000000000001", &v)); /* leading zeros do not overflow */
	assert_int_equal(v, 1);

	v = 777;
	assert_false(str_parse_hex_u64("1ffffffffffffffff", &v)); /* 17 significant digits */
	assert_false(str_parse_hex_u64("0x10000000000000000", &v));
	assert_false(str_parse_hex_u64("", &v));
	assert_false(str_parse_hex_u64("0x", &v));
	assert_false(str_parse_hex_u64("x5", &v));
	assert_false(str_parse_hex_u64("0xg", &v));
	assert_false(str_parse_hex_u64("5g", &v));
	assert_false(str_parse_hex_u64("5 6", &v));
	assert_false(str_parse_hex_u64("-5", &v));
	assert_false(str_parse_hex_u64("+5", &v));
	assert_false(str_parse_hex_u64("junk", &v));
	assert_false(str_parse_hex_u64("0x5\nmore", &v));
	assert_false(str_parse_hex_u64("\n", &v));
	assert_int_equal(v, 777); /* untouched on failure */
}

static void test_str_parse_ll(void **state)
{
	(void)state;
	long long v = 0;
	assert_true(str_parse_ll("42", &v));
	assert_int_equal(v, 42);
	assert_true(str_parse_ll("  -17 \n", &v));
	assert_int_equal(v, -17);
	assert_true(str_parse_ll("+8", &v));
	assert_int_equal(v, 8);
	assert_true(str_parse_ll("0", &v));
	assert_int_equal(v, 0);
	assert_true(str_parse_ll("007", &v)); /* decimal, not octal */
	assert_int_equal(v, 7);
	assert_true(str_parse_ll("9223372036854775807", &v));
	assert_true(v == LLONG_MAX);
	assert_true(str_parse_ll("-9223372036854775808", &v));
	assert_true(v == LLONG_MIN);

	v = 99;
	assert_false(str_parse_ll("9223372036854775808", &v)); /* overflow */
	assert_false(str_parse_ll("-9223372036854775809", &v));
	assert_false(str_parse_ll("", &v));
	assert_false(str_parse_ll("   ", &v));
	assert_false(str_parse_ll("-", &v));
	assert_false(str_parse_ll("12abc", &v));
	assert_false(str_parse_ll("0x10", &v));
	assert_false(str_parse_ll("1 2", &v));
	assert_false(str_parse_ll("1.5", &v));
	assert_false(str_parse_ll("abc", &v));
	assert_int_equal(v, 99);
}

static void test_str_casestr(void **state)
{
	(void)state;
	const char *h = "kvm: Disabled by BIOS";
	assert_ptr_equal(str_casestr(h, "disabled by bios"), h + 5);
	assert_ptr_equal(str_casestr(h, "KVM"), h);
	assert_ptr_equal(str_casestr(h, "bios"), h + 17);
	assert_ptr_equal(str_casestr(h, ""), h);
	assert_null(str_casestr(h, "bioss"));
	assert_null(str_casestr(h, "svm"));
	assert_null(str_casestr("", "a"));
	const char *empty = "";
	assert_ptr_equal(str_casestr(empty, ""), empty);
	const char *aaab = "aaab";
	assert_ptr_equal(str_casestr(aaab, "AAB"), aaab + 1); /* a partial match restarts */
	const char *rep = "xxaaab";
	assert_ptr_equal(str_casestr(rep, "AAB"), rep + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xalloc),
		cmocka_unit_test(test_buf_append_nul_bytes),
		cmocka_unit_test(test_buf_append_empty_terminates),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_steal),
		cmocka_unit_test(test_buf_reset),
		cmocka_unit_test(test_strlist_sort_contains),
		cmocka_unit_test(test_strlist_copies),
		cmocka_unit_test(test_starts_ends_with),
		cmocka_unit_test(test_str_trim),
		cmocka_unit_test(test_str_has_token),
		cmocka_unit_test(test_str_parse_hex_u64),
		cmocka_unit_test(test_str_parse_ll),
		cmocka_unit_test(test_str_casestr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
