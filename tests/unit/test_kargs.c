/* test_kargs.c: unit tests of the kernel argument editor: grubby's update_args examples, spacing, quotes, idempotence. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kargs.h"
#include "util.h"

static const char *const intel_add[] = { "intel_iommu=on", "iommu=pt" };
static const char *const intel_rm[] = { "intel_iommu=off", "iommu=off" };
static const struct kargs_edit intel_edit = { intel_add, 2, intel_rm, 2 };

static const char *const amd_add[] = { "amd_iommu=on" };
static const char *const amd_rm[] = { "amd_iommu=off", "iommu=off" };
static const struct kargs_edit amd_edit = { amd_add, 1, amd_rm, 2 };

/* Applies the edit, checks the result, and checks that a second application changes nothing. */
static void check_apply(const char *args, const struct kargs_edit *edit, const char *expected)
{
	char *once = kargs_apply(args, edit);
	assert_string_equal(once, expected);
	char *twice = kargs_apply(once, edit);
	assert_string_equal(twice, once);
	assert_true(kargs_satisfied(once, edit));
	assert_int_equal(kargs_satisfied(args, edit), strcmp(args ? args : "", expected) == 0);
	free(once);
	free(twice);
}

static void test_grubby_examples(void **state)
{
	(void)state;
	/* domain.md §3.6: the first example exactly as grubby's update_args gives it. */
	const char *const add[] = { "intel_iommu=on", "iommu=pt" };
	struct kargs_edit e = { add, 2, NULL, 0 };
	check_apply("ro quiet intel_iommu=off rhgb", &e, "ro quiet rhgb intel_iommu=on iommu=pt");
	/* The second one, adapted: a token already present exactly stays where it is. */
	const char *const pt[] = { "iommu=pt" };
	struct kargs_edit e2 = { pt, 1, NULL, 0 };
	check_apply("ro quiet iommu=pt rhgb", &e2, "ro quiet iommu=pt rhgb");
	/* With the IOM-4 removals as well. */
	check_apply("ro quiet intel_iommu=off rhgb", &intel_edit, "ro quiet rhgb intel_iommu=on iommu=pt");
	check_apply("ro iommu=off quiet", &intel_edit, "ro quiet intel_iommu=on iommu=pt");
}

static void test_remove(void **state)
{
	(void)state;
	check_apply("ro amd_iommu=off quiet", &amd_edit, "ro quiet amd_iommu=on");
	/* "key=val" removes only that exact token. */
	const char *const rm_exact[] = { "intel_iommu=off" };
	struct kargs_edit e = { NULL, 0, rm_exact, 1 };
	check_apply("ro intel_iommu=on quiet", &e, "ro intel_iommu=on quiet");
	check_apply("ro intel_iommu=off quiet intel_iommu=off", &e, "ro quiet");
	/* "key" removes the bare word and every key=... token. */
	const char *const rm_key[] = { "amd_iommu" };
	struct kargs_edit k = { NULL, 0, rm_key, 1 };
	check_apply("amd_iommu=on ro amd_iommu amd_iommu=off quiet amd_iommu_x=1", &k, "ro quiet amd_iommu_x=1");
	/* Removing everything leaves nothing. */
	const char *const rm_all[] = { "ro", "quiet" };
	struct kargs_edit all = { NULL, 0, rm_all, 2 };
	check_apply("ro quiet", &all, "");
	check_apply("ro quiet ro", &all, "");
	/* Removals come before additions: a removed key comes back at the end. */
	const char *const rm_iommu[] = { "iommu" };
	const char *const add_pt[] = { "iommu=pt" };
	struct kargs_edit again = { add_pt, 1, rm_iommu, 1 };
	char *r = kargs_apply("iommu=pt ro", &again);
	assert_string_equal(r, "ro iommu=pt");
	free(r);
}

static void test_add_rules(void **state)
{
	(void)state;
	/* A bare word is added once, and replaces word=... tokens. */
	const char *const quiet[] = { "quiet" };
	struct kargs_edit q = { quiet, 1, NULL, 0 };
	check_apply("ro quiet", &q, "ro quiet");
	check_apply("ro quiet=1", &q, "ro quiet");
	check_apply("quiet ro quiet", &q, "quiet ro");
	check_apply("ro", &q, "ro quiet");
	/* An exact token is kept in place; other values of the key go. */
	const char *const pt[] = { "iommu=pt" };
	struct kargs_edit p = { pt, 1, NULL, 0 };
	check_apply("iommu=pt ro iommu=off", &p, "iommu=pt ro");
	check_apply("iommu ro", &p, "ro iommu=pt");
	/* Keys are compared whole: similar names are other arguments. */
	check_apply("iommu.strict=1 amd_iommu=off iommu_x", &p, "iommu.strict=1 amd_iommu=off iommu_x iommu=pt");
	/* Two additions of one key: the last one wins, once. */
	const char *const two[] = { "iommu=pt", "iommu=nopt" };
	struct kargs_edit t = { two, 2, NULL, 0 };
	check_apply("ro", &t, "ro iommu=nopt");
	const char *const same[] = { "iommu=pt", "iommu=pt" };
	struct kargs_edit s = { same, 2, NULL, 0 };
	check_apply("ro", &s, "ro iommu=pt");
	/* Empty words in the edit are ignored. */
	const char *const empty[] = { "" };
	struct kargs_edit em = { empty, 1, empty, 1 };
	check_apply("ro  quiet", &em, "ro  quiet");
}

static void test_spacing(void **state)
{
	(void)state;
	const char *const on[] = { "intel_iommu=on" };
	struct kargs_edit e = { on, 1, NULL, 0 };
	/* Untouched tokens keep their blanks; the dropped token takes the run before it. */
	check_apply("ro\t\tquiet   rhgb  intel_iommu=off\tsplash", &e, "ro\t\tquiet   rhgb\tsplash intel_iommu=on");
	/* A dropped first token takes the run after it; leading blanks stay. */
	check_apply("  intel_iommu=off\tro quiet", &e, "  ro quiet intel_iommu=on");
	/* Appended tokens go after the last token, before trailing blanks and line ends. */
	check_apply("  ro quiet  ", &e, "  ro quiet intel_iommu=on  ");
	check_apply("ro quiet\n", &e, "ro quiet intel_iommu=on\n");
	check_apply("ro quiet\r\n", &e, "ro quiet intel_iommu=on\r\n");
	/* Several drops in a row. */
	const char *const rm[] = { "a", "b", "d" };
	struct kargs_edit r = { NULL, 0, rm, 3 };
	check_apply("a b\tc  d e", &r, "c e");
	check_apply("x a\tb  c", &r, "x  c");
	check_apply("a", &r, "");
	check_apply("   a   ", &r, "      ");
}

static void test_empty(void **state)
{
	(void)state;
	const char *const on[] = { "intel_iommu=on" };
	struct kargs_edit e = { on, 1, NULL, 0 };
	check_apply("", &e, "intel_iommu=on");
	check_apply("   ", &e, "   intel_iommu=on");
	char *r = kargs_apply(NULL, &e);
	assert_string_equal(r, "intel_iommu=on");
	free(r);
	check_apply("", &intel_edit, "intel_iommu=on iommu=pt");
	struct kargs_edit none = { NULL, 0, NULL, 0 };
	check_apply("", &none, "");
	check_apply(" ro\tquiet ", &none, " ro\tquiet ");
	assert_false(kargs_satisfied(NULL, &e));
	assert_true(kargs_satisfied(NULL, &none));
}

static void test_quotes(void **state)
{
	(void)state;
	const char *const foo[] = { "foo=bar" };
	struct kargs_edit f = { foo, 1, NULL, 0 };
	check_apply("ro foo=\"a b\" quiet", &f, "ro quiet foo=bar");
	const char *const quiet[] = { "quiet" };
	struct kargs_edit q = { quiet, 1, NULL, 0 };
	check_apply("ro foo=\"a  b\"\tquiet", &q, "ro foo=\"a  b\"\tquiet");
	/* A word inside quotes is not a token of its own. */
	assert_false(kargs_has("ro foo=\"a quiet b\"", "quiet"));
	check_apply("ro foo=\"a quiet b\"", &q, "ro foo=\"a quiet b\" quiet");
	const char *const rm_a[] = { "a" };
	struct kargs_edit r = { NULL, 0, rm_a, 1 };
	check_apply("x=\"a b\" \"a b\" a", &r, "x=\"a b\" \"a b\"");
	/* An unterminated quote runs to the end (the kernel reads it so too): new tokens go
	 * before it, or they would become part of it. */
	assert_true(kargs_has("ro foo=\"a b", "foo=\"a b"));
	check_apply("ro foo=\"a b", &q, "ro quiet foo=\"a b");
	check_apply("foo=\"a b  ", &intel_edit, "intel_iommu=on iommu=pt foo=\"a b  ");
	check_apply("iommu=off\tfoo=\"a b", &intel_edit, "intel_iommu=on iommu=pt foo=\"a b");
	assert_true(kargs_has("ro foo=\"a b\" quiet", "foo=\"a b\""));
}

static void test_has(void **state)
{
	(void)state;
	const char *cmdline = "BOOT_IMAGE=/vmlinuz-5.14.0 root=/dev/mapper/rl-root ro intel_iommu=on\tiommu=pt\n";
	assert_true(kargs_has(cmdline, "intel_iommu=on"));
	assert_true(kargs_has(cmdline, "iommu=pt"));
	assert_true(kargs_has(cmdline, "ro"));
	assert_false(kargs_has(cmdline, "intel_iommu"));
	assert_false(kargs_has(cmdline, "iommu"));
	assert_false(kargs_has(cmdline, "r"));
	assert_false(kargs_has(cmdline, ""));
	assert_false(kargs_has(NULL, "ro"));
	assert_false(kargs_has("", "ro"));
}

static void test_value(void **state)
{
	(void)state;
	bool bare = true;
	char *v = kargs_value("ro iommu=pt quiet iommu=off", "iommu", &bare);
	assert_string_equal(v, "off");
	assert_false(bare);
	free(v);
	v = kargs_value("ro amd_iommu quiet", "amd_iommu", &bare);
	assert_null(v);
	assert_true(bare);
	v = kargs_value("ro amd_iommu=on amd_iommu", "amd_iommu", &bare);
	assert_string_equal(v, "on");
	assert_true(bare);
	free(v);
	v = kargs_value("ro foo=\"a b\" x", "foo", NULL);
	assert_string_equal(v, "a b");
	free(v);
	v = kargs_value("ro foo= x", "foo", &bare);
	assert_string_equal(v, "");
	assert_false(bare);
	free(v);
	v = kargs_value("intel_iommu=on,sm_on\n", "intel_iommu", NULL);
	assert_string_equal(v, "on,sm_on");
	free(v);
	assert_null(kargs_value("ro intel_iommu=on", "iommu", &bare));
	assert_false(bare);
	assert_null(kargs_value(NULL, "iommu", NULL));
}

static void test_token_is_safe(void **state)
{
	(void)state;
	assert_true(kargs_token_is_safe("intel_iommu=on"));
	assert_true(kargs_token_is_safe("iommu=pt"));
	assert_true(kargs_token_is_safe("amd_iommu=on"));
	assert_true(kargs_token_is_safe("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M"));
	assert_true(kargs_token_is_safe("rd.lvm.lv=rl/root"));
	assert_false(kargs_token_is_safe(""));
	assert_false(kargs_token_is_safe(NULL));
	assert_false(kargs_token_is_safe("a b"));
	assert_false(kargs_token_is_safe("a\tb"));
	assert_false(kargs_token_is_safe("a\nb"));
	assert_false(kargs_token_is_safe("foo=\"a\""));
	assert_false(kargs_token_is_safe("foo='a'"));
	assert_false(kargs_token_is_safe("a\\b"));
	assert_false(kargs_token_is_safe("$kernelopts"));
	assert_false(kargs_token_is_safe("`id`"));
	assert_false(kargs_token_is_safe("x=\xc3\xa9"));
	assert_false(kargs_token_is_safe("x=\x7f"));
}

static void test_idempotence_table(void **state)
{
	(void)state;
	const char *inputs[] = {
		"",
		"ro",
		"ro quiet intel_iommu=off rhgb",
		"intel_iommu=on iommu=pt",
		"iommu=pt intel_iommu=on ro",
		"iommu=off intel_iommu=off iommu=off",
		"\tro  iommu  intel_iommu=igfx_off \n",
		"ro foo=\"iommu=off x\" iommu=nopt",
	};
	for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
		char *once = kargs_apply(inputs[i], &intel_edit);
		char *twice = kargs_apply(once, &intel_edit);
		assert_string_equal(once, twice);
		assert_true(kargs_satisfied(once, &intel_edit));
		assert_true(kargs_has(once, "intel_iommu=on"));
		assert_true(kargs_has(once, "iommu=pt"));
		assert_false(kargs_has(once, "iommu=off"));
		assert_false(kargs_has(once, "intel_iommu=off"));
		free(once);
		free(twice);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grubby_examples),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_add_rules),
		cmocka_unit_test(test_spacing),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_token_is_safe),
		cmocka_unit_test(test_idempotence_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
