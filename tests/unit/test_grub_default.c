/* test_grub_default.c: unit tests of the /etc/default/grub reader, its GRUB_CMDLINE_LINUX editor and the drop-in evaluation. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "grub_default.h"
#include "kargs.h"
#include "util.h"

static const char *const intel_add[] = { "intel_iommu=on", "iommu=pt" };
static const char *const intel_rm[] = { "intel_iommu=off", "iommu=off" };
static const struct kargs_edit intel_edit = { intel_add, 2, intel_rm, 2 };

/* domain.md §5.2: CentOS 7.9's file; GRUB_DISTRIBUTOR holds a command substitution. */
static const char centos7[] =
	"GRUB_TIMEOUT=5\n"
	"GRUB_DISTRIBUTOR=\"$(sed 's, release .*$,,g' /etc/system-release)\"\n"
	"GRUB_DEFAULT=saved\n"
	"GRUB_DISABLE_SUBMENU=true\n"
	"GRUB_TERMINAL_OUTPUT=\"console\"\n"
	"GRUB_CMDLINE_LINUX=\"crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet\"\n"
	"GRUB_DISABLE_RECOVERY=\"true\"\n";

/* domain.md G2-3: Debian's default file. */
static const char debian[] =
	"GRUB_DEFAULT=0\n"
	"GRUB_TIMEOUT=5\n"
	"GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
	"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
	"GRUB_CMDLINE_LINUX=\"\"\n";

/* Runs the editor and checks rc and the whole output; for rc 0 also that a second run
 * changes nothing. */
static void check_edit(const char *text, const struct kargs_edit *edit, int rc, const char *expected)
{
	struct buf out;
	buf_init(&out);
	char *error = (char *)"unset";
	assert_int_equal(grub_default_edit_cmdline(text, strlen(text), edit, &out, &error), rc);
	assert_null(error);
	assert_string_equal(out.data, expected);
	assert_int_equal(out.len, strlen(expected));
	if (rc == 0) {
		struct buf again;
		buf_init(&again);
		assert_int_equal(grub_default_edit_cmdline(out.data, out.len, edit, &again, &error), 1);
		assert_null(error);
		assert_string_equal(again.data, out.data);
		buf_free(&again);
	}
	buf_free(&out);
}

/* Runs the editor on a value it must refuse; the message must contain needle. */
static void check_refused(const char *text, const char *needle)
{
	struct buf out;
	buf_init(&out);
	char *error = NULL;
	assert_int_equal(grub_default_edit_cmdline(text, strlen(text), &intel_edit, &out, &error), -1);
	assert_non_null(error);
	if (!strstr(error, needle))
		fail_msg("message \"%s\" lacks \"%s\"", error, needle);
	assert_non_null(strstr(error, "by hand"));
	assert_int_equal(out.len, 0);
	free(error);
	buf_free(&out);
}

/* Finds name in text and checks that its last assignment is on line lineno with the value value. */
static void check_found(const char *text, const char *name, int lineno, const char *value)
{
	struct grub_default_var v;
	grub_default_find(text, strlen(text), name, &v);
	assert_true(v.found);
	assert_int_equal(v.lineno, lineno);
	assert_string_equal(v.value, value);
	grub_default_var_free(&v);
}

static void test_centos7(void **state)
{
	(void)state;
	struct grub_default_var v;
	assert_int_equal(grub_default_find(centos7, strlen(centos7), "GRUB_CMDLINE_LINUX", &v), 0);
	assert_true(v.found);
	assert_int_equal(v.lineno, 6);
	assert_int_equal(v.quote, '"');
	assert_false(v.unsafe);
	assert_false(v.refers_to_self);
	assert_string_equal(v.value, "crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet");
	assert_int_equal(centos7[v.value_start], '"');
	assert_int_equal(centos7[v.value_end - 1], '"');
	assert_int_equal(centos7[v.value_end], '\n');
	grub_default_var_free(&v);

	/* The other variable is found too, and is unsafe, but it is not ours. */
	grub_default_find(centos7, strlen(centos7), "GRUB_DISTRIBUTOR", &v);
	assert_true(v.found);
	assert_true(v.unsafe);
	assert_int_equal(v.lineno, 2);
	grub_default_var_free(&v);

	const char expected[] =
		"GRUB_TIMEOUT=5\n"
		"GRUB_DISTRIBUTOR=\"$(sed 's, release .*$,,g' /etc/system-release)\"\n"
		"GRUB_DEFAULT=saved\n"
		"GRUB_DISABLE_SUBMENU=true\n"
		"GRUB_TERMINAL_OUTPUT=\"console\"\n"
		"GRUB_CMDLINE_LINUX=\"crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet "
		"intel_iommu=on iommu=pt\"\n"
		"GRUB_DISABLE_RECOVERY=\"true\"\n";
	check_edit(centos7, &intel_edit, 0, expected);
}

static void test_debian(void **state)
{
	(void)state;
	check_found(debian, "GRUB_CMDLINE_LINUX", 5, "");
	check_found(debian, "GRUB_CMDLINE_LINUX_DEFAULT", 4, "quiet");

	const char expected[] =
		"GRUB_DEFAULT=0\n"
		"GRUB_TIMEOUT=5\n"
		"GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n";
	check_edit(debian, &intel_edit, 0, expected);
}

static void test_last_assignment_wins(void **state)
{
	(void)state;
	const char text[] =
		"GRUB_CMDLINE_LINUX=\"rhgb\"\n"
		"  export GRUB_CMDLINE_LINUX=\"ro quiet\"\n"
		"# GRUB_CMDLINE_LINUX=\"commented\"\n"
		"\t# GRUB_CMDLINE_LINUX=\"commented too\"\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"splash\"\n"
		"XGRUB_CMDLINE_LINUX=\"other\"\n";
	check_found(text, "GRUB_CMDLINE_LINUX", 2, "ro quiet");
	const char expected[] =
		"GRUB_CMDLINE_LINUX=\"rhgb\"\n"
		"  export GRUB_CMDLINE_LINUX=\"ro quiet intel_iommu=on iommu=pt\"\n"
		"# GRUB_CMDLINE_LINUX=\"commented\"\n"
		"\t# GRUB_CMDLINE_LINUX=\"commented too\"\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"splash\"\n"
		"XGRUB_CMDLINE_LINUX=\"other\"\n";
	check_edit(text, &intel_edit, 0, expected);
}

static void test_quote_styles(void **state)
{
	(void)state;
	/* Single quotes stay single quotes. */
	check_edit("GRUB_CMDLINE_LINUX='ro quiet'\n", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX='ro quiet intel_iommu=on iommu=pt'\n");
	/* A bare value becomes double-quoted; what follows it on the line stays. */
	check_edit("GRUB_CMDLINE_LINUX=quiet # keep me\n", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\" # keep me\n");
	check_edit("GRUB_CMDLINE_LINUX=\n", &intel_edit, 0, "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n");
	/* A bare value that needs nothing stays bare. */
	const char *const pt[] = { "iommu=pt" };
	struct kargs_edit e = { pt, 1, NULL, 0 };
	check_edit("GRUB_CMDLINE_LINUX=iommu=pt\n", &e, 1, "GRUB_CMDLINE_LINUX=iommu=pt\n");
	/* Spacing inside the quotes and a comment after them stay. */
	check_edit("GRUB_CMDLINE_LINUX=\"ro\t quiet intel_iommu=off  rhgb \" # note\n", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX=\"ro\t quiet  rhgb intel_iommu=on iommu=pt \" # note\n");
	/* A $VAR that is not ours is a token like any other. */
	check_edit("GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX rhgb\"\n", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX rhgb intel_iommu=on iommu=pt\"\n");
}

static void test_append(void **state)
{
	(void)state;
	check_edit("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n", &intel_edit, 0,
	           "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
	           "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n");
	/* No final newline: one is added first. */
	check_edit("GRUB_TIMEOUT=5\n# GRUB_CMDLINE_LINUX=\"x\"", &intel_edit, 0,
	           "GRUB_TIMEOUT=5\n# GRUB_CMDLINE_LINUX=\"x\"\nGRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n");
	check_edit("", &intel_edit, 0, "GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\n");
	/* CRLF file: the new line ends in CRLF as well. */
	check_edit("GRUB_TIMEOUT=5\r\nGRUB_DEFAULT=0", &intel_edit, 0,
	           "GRUB_TIMEOUT=5\r\nGRUB_DEFAULT=0\r\nGRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\r\n");
	/* Only removals and nothing to remove: nothing to append. */
	struct kargs_edit rm = { NULL, 0, intel_rm, 2 };
	check_edit("GRUB_TIMEOUT=5\n", &rm, 1, "GRUB_TIMEOUT=5\n");
}

static void test_crlf_and_bytes(void **state)
{
	(void)state;
	check_edit("GRUB_TIMEOUT=5 \r\nGRUB_CMDLINE_LINUX=\"quiet\"\r\nGRUB_X=1\r\n", &intel_edit, 0,
	           "GRUB_TIMEOUT=5 \r\nGRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\"\r\nGRUB_X=1\r\n");
	check_edit("GRUB_CMDLINE_LINUX=quiet\r\n", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\"\r\n");
	check_edit("GRUB_CMDLINE_LINUX=\"quiet\"", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\"");
	/* Already done: rc 1 and an identical copy. */
	const char done[] = "A=1\n\tGRUB_CMDLINE_LINUX=\"ro  intel_iommu=on\tiommu=pt\"  \nB=2";
	check_edit(done, &intel_edit, 1, done);
}

static void test_refusals(void **state)
{
	(void)state;
	check_refused("GRUB_CMDLINE_LINUX=\"$(cat /etc/cmdline)\"\n", "command substitution");
	check_refused("GRUB_CMDLINE_LINUX=\"`cat /etc/cmdline` quiet\"\n", "command substitution");
	check_refused("GRUB_CMDLINE_LINUX=`cat /etc/cmdline`\n", "command substitution");
	check_refused("GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} quiet\"\n", "${");
	check_refused("GRUB_CMDLINE_LINUX=\"ro quiet \\\n  rhgb\"\n", "next line");
	check_refused("GRUB_CMDLINE_LINUX=quiet\\\n", "next line");
	check_refused("GRUB_CMDLINE_LINUX=\"ro\" \\\r\n", "next line");
	check_refused("GRUB_CMDLINE_LINUX=\"ro\nquiet\"\n", "spans lines");
	check_refused("GRUB_CMDLINE_LINUX=\"ro\n", "spans lines");
	check_refused("GRUB_CMDLINE_LINUX=\"ro \\\"x\\\"\"\n", "backslash");
	check_refused("GRUB_CMDLINE_LINUX=\"ro\"' quiet'\n", "several quoted parts");
	/* The line number is in the message. */
	struct buf out;
	buf_init(&out);
	char *error = NULL;
	const char text[] = "A=1\nB=2\nGRUB_CMDLINE_LINUX=\"$(x)\"\n";
	assert_int_equal(grub_default_edit_cmdline(text, strlen(text), &intel_edit, &out, &error), -1);
	assert_non_null(strstr(error, "line 3"));
	free(error);
	/* An argument that is not a plain token is never written. */
	const char *const bad[] = { "foo=\"a b\"" };
	struct kargs_edit e = { bad, 1, NULL, 0 };
	error = NULL;
	assert_int_equal(grub_default_edit_cmdline(debian, strlen(debian), &e, &out, &error), -1);
	assert_non_null(error);
	free(error);
	buf_free(&out);
	/* An earlier unsafe assignment does not matter when a later plain one wins. */
	check_edit("GRUB_CMDLINE_LINUX=\"$(x)\"\nGRUB_CMDLINE_LINUX=\"ro\"\n", &intel_edit, 0,
	           "GRUB_CMDLINE_LINUX=\"$(x)\"\nGRUB_CMDLINE_LINUX=\"ro intel_iommu=on iommu=pt\"\n");
}

static void test_find_details(void **state)
{
	(void)state;
	struct grub_default_var v;
	const char text[] = "X=\"a\nGRUB_CMDLINE_LINUX=inside\"\nGRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} x\"\n";
	grub_default_find(text, strlen(text), "GRUB_CMDLINE_LINUX", &v);
	/* The line inside X's multi-line value is not an assignment. */
	assert_true(v.found);
	assert_int_equal(v.lineno, 3);
	assert_true(v.unsafe);
	assert_true(v.refers_to_self);
	assert_string_equal(v.value, "${GRUB_CMDLINE_LINUX} x");
	grub_default_var_free(&v);
	grub_default_find(text, strlen(text), "GRUB_TIMEOUT", &v);
	assert_false(v.found);
	assert_null(v.value);
	grub_default_var_free(&v);
	const char sq[] = "GRUB_CMDLINE_LINUX='a $(b)'";
	grub_default_find(sq, strlen(sq), "GRUB_CMDLINE_LINUX", &v);
	assert_true(v.found);
	assert_int_equal(v.quote, '\'');
	assert_string_equal(v.value, "a $(b)");
	grub_default_var_free(&v);
	const char esc[] = "export  GRUB_CMDLINE_LINUX=a\\ b";
	grub_default_find(esc, strlen(esc), "GRUB_CMDLINE_LINUX", &v);
	assert_true(v.found);
	assert_int_equal(v.quote, 0);
	assert_string_equal(v.value, "a b");
	assert_true(v.unsafe);
	grub_default_var_free(&v);
	const char none[] = "exportGRUB_CMDLINE_LINUX=a\nGRUB_CMDLINE_LINUX =a\n";
	grub_default_find(none, strlen(none), "GRUB_CMDLINE_LINUX", &v);
	assert_false(v.found);
	grub_default_var_free(&v);
}

/* Evaluates texts in order and checks the value. */
static void check_effective(const char *const texts[], size_t n, const char *expected)
{
	size_t lens[8];
	assert_true(n <= ARRAY_SIZE(lens));
	for (size_t i = 0; i < n; i++)
		lens[i] = texts[i] ? strlen(texts[i]) : 0;
	char *value = NULL, *error = NULL;
	assert_int_equal(grub_default_effective(texts, lens, n, "GRUB_CMDLINE_LINUX", &value, &error), 0);
	assert_null(error);
	assert_string_equal(value, expected);
	free(value);
}

static void check_effective_error(const char *const texts[], size_t n, const char *needle)
{
	size_t lens[8];
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(texts[i]);
	char *value = NULL, *error = NULL;
	assert_int_equal(grub_default_effective(texts, lens, n, "GRUB_CMDLINE_LINUX", &value, &error), -1);
	assert_null(value);
	assert_non_null(error);
	if (!strstr(error, needle))
		fail_msg("message \"%s\" lacks \"%s\"", error, needle);
	free(error);
}

static void test_effective(void **state)
{
	(void)state;
	/* Debian file plus the drop-in kvmprep writes (G2-4). */
	const char dropin[] = "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX intel_iommu=on iommu=pt\"\n";
	const char *const t1[] = { debian, dropin };
	check_effective(t1, 2, " intel_iommu=on iommu=pt");
	const char *const t0[] = { debian };
	check_effective(t0, 1, "");

	/* A cloud-image drop-in overrides the main file; a later one extends it. */
	const char main_file[] = "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet splash\"\nGRUB_CMDLINE_LINUX=\"rhgb\"\n";
	const char cloud[] = "# Cloud Image specific Grub settings\nexport GRUB_CMDLINE_LINUX='console=tty1 console=ttyS0'\n";
	const char *const t2[] = { main_file, cloud, dropin };
	check_effective(t2, 3, "console=tty1 console=ttyS0 intel_iommu=on iommu=pt");
	const char *const t3[] = { main_file, cloud };
	check_effective(t3, 2, "console=tty1 console=ttyS0");

	/* ${NAME}, bare $NAME, several assignments in one file, escapes, single quotes. */
	const char forms[] =
		"GRUB_CMDLINE_LINUX=a\n"
		"GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} b\"\n"
		"GRUB_CMDLINE_LINUX=$GRUB_CMDLINE_LINUX\\ c\n"
		"GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX\"' $GRUB_CMDLINE_LINUX'\n";
	const char *const t4[] = { forms };
	check_effective(t4, 1, "a b c $GRUB_CMDLINE_LINUX");
	/* Other variables may do anything; GRUB_CMDLINE_LINUX_DEFAULT is another variable. */
	const char *const t5[] = { centos7, "GRUB_CMDLINE_LINUX_DEFAULT=\"$(x) $Y\"\n" };
	check_effective(t5, 2, "crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet");
	/* A missing text counts as empty; a lone '$' is literal. */
	const char *const t6[] = { NULL, "GRUB_CMDLINE_LINUX=\"a $ b\"\r\n" };
	check_effective(t6, 2, "a $ b");
	const char *const t7[] = { "" };
	check_effective(t7, 1, "");
	check_effective(t7, 0, "");

	const char *const e1[] = { debian, "GRUB_CMDLINE_LINUX=\"$(cat /proc/cmdline)\"\n" };
	check_effective_error(e1, 2, "file 2, line 1");
	const char *const e2[] = { "GRUB_CMDLINE_LINUX=\"$EXTRA quiet\"\n" };
	check_effective_error(e2, 1, "another variable");
	const char *const e3[] = { "\nGRUB_CMDLINE_LINUX=`cat /x`\n" };
	check_effective_error(e3, 1, "line 2");
	const char *const e4[] = { "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:-x}\"\n" };
	check_effective_error(e4, 1, "another variable");
	const char *const e5[] = { "GRUB_CMDLINE_LINUX=\"$1\"\n" };
	check_effective_error(e5, 1, "another variable");
	const char *const e6[] = { "GRUB_CMDLINE_LINUX=\"open\n" };
	check_effective_error(e6, 1, "never closed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_centos7),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_last_assignment_wins),
		cmocka_unit_test(test_quote_styles),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_crlf_and_bytes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_find_details),
		cmocka_unit_test(test_effective),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
