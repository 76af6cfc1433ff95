/* test_bls.c: unit tests of BLS entry parsing and options editing, grubby-bls entry order and the grubenv reader. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bls.h"
#include "kargs.h"
#include "util.h"

static const char *const intel_add[] = { "intel_iommu=on", "iommu=pt" };
static const char *const intel_rm[] = { "intel_iommu=off", "iommu=off" };
static const struct kargs_edit intel_edit = { intel_add, 2, intel_rm, 2 };

#define ROCKY_HEAD \
	"title Rocky Linux (5.14.0-362.8.1.el9_3.x86_64) 9.3 (Blue Onyx)\n" \
	"version 5.14.0-362.8.1.el9_3.x86_64\n" \
	"linux /vmlinuz-5.14.0-362.8.1.el9_3.x86_64\n" \
	"initrd /initramfs-5.14.0-362.8.1.el9_3.x86_64.img $tuned_initrd\n" \
	"options root=/dev/mapper/rl-root ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M " \
	"resume=/dev/mapper/rl-swap rd.lvm.lv=rl/root rd.lvm.lv=rl/swap $tuned_params"
#define ROCKY_TAIL \
	"\n" \
	"grub_users $grub_users\n" \
	"grub_arg --unrestricted\n" \
	"grub_class rocky\n"

/* domain.md §3.4: a Rocky 9.3 entry (BLS-5: literal options). */
static const char rocky[] = ROCKY_HEAD ROCKY_TAIL;

/* EL8 (BLS-4): the options come from grubenv. */
static const char el8[] =
	"title Red Hat Enterprise Linux (4.18.0-513.5.1.el8_9.x86_64) 8.9 (Ootpa)\n"
	"version 4.18.0-513.5.1.el8_9.x86_64\n"
	"linux /vmlinuz-4.18.0-513.5.1.el8_9.x86_64\n"
	"initrd /initramfs-4.18.0-513.5.1.el8_9.x86_64.img $tuned_initrd\n"
	"options $kernelopts $tuned_params\n"
	"id rhel-20231101-4.18.0-513.5.1.el8_9.x86_64\n"
	"grub_users $grub_users\n"
	"grub_arg --unrestricted\n"
	"grub_class kernel\n";

/* Edits, compares the whole output and the return code, and checks idempotence. */
static void check_edit(const char *text, const struct kargs_edit *edit, int rc, const char *expected)
{
	struct buf out, again;
	buf_init(&out);
	buf_init(&again);
	assert_int_equal(bls_edit_options(text, strlen(text), edit, &out), rc);
	assert_string_equal(out.data, expected);
	assert_int_equal(out.len, strlen(expected));
	assert_int_equal(bls_edit_options(out.data, out.len, edit, &again), rc);
	assert_string_equal(again.data, out.data);
	buf_free(&out);
	buf_free(&again);
}

static void test_rocky_entry(void **state)
{
	(void)state;
	struct bls_entry e;
	bls_parse(rocky, strlen(rocky), &e);
	assert_string_equal(e.title, "Rocky Linux (5.14.0-362.8.1.el9_3.x86_64) 9.3 (Blue Onyx)");
	assert_string_equal(e.version, "5.14.0-362.8.1.el9_3.x86_64");
	assert_string_equal(e.linux_path, "/vmlinuz-5.14.0-362.8.1.el9_3.x86_64");
	assert_string_equal(e.options, "root=/dev/mapper/rl-root ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M "
	                               "resume=/dev/mapper/rl-swap rd.lvm.lv=rl/root rd.lvm.lv=rl/swap $tuned_params");
	assert_int_equal(e.options_lineno, 5);
	assert_false(e.uses_kernelopts);
	bls_entry_free(&e);
	assert_null(e.options);

	check_edit(rocky, &intel_edit, 0, ROCKY_HEAD " intel_iommu=on iommu=pt" ROCKY_TAIL);
}

static void test_el8_kernelopts(void **state)
{
	(void)state;
	struct bls_entry e;
	bls_parse(el8, strlen(el8), &e);
	assert_true(e.uses_kernelopts);
	assert_string_equal(e.options, "$kernelopts $tuned_params");
	bls_entry_free(&e);
	check_edit(el8, &intel_edit, 1, el8);
	/* Only the whole token counts. */
	const char text[] = "options $kernelopts_x ro\n";
	bls_parse(text, strlen(text), &e);
	assert_false(e.uses_kernelopts);
	bls_entry_free(&e);
	check_edit(text, &intel_edit, 0, "options $kernelopts_x ro intel_iommu=on iommu=pt\n");
}

static void test_separators_and_bytes(void **state)
{
	(void)state;
	/* Tabs between key and value, indentation, comments, CRLF and no final newline. */
	check_edit("# written by hand\r\ntitle\tTest\r\n  options\t\tro  quiet\tintel_iommu=off rhgb\r\nlinux /vmlinuz",
	           &intel_edit, 0,
	           "# written by hand\r\ntitle\tTest\r\n  options\t\tro  quiet rhgb intel_iommu=on iommu=pt\r\nlinux /vmlinuz");
	check_edit("options ro quiet", &intel_edit, 0, "options ro quiet intel_iommu=on iommu=pt");
	check_edit("options ro quiet  \n", &intel_edit, 0, "options ro quiet intel_iommu=on iommu=pt  \n");
	/* An empty options line. */
	check_edit("title t\noptions\n", &intel_edit, 0, "title t\noptions intel_iommu=on iommu=pt\n");
	check_edit("title t\noptions \n", &intel_edit, 0, "title t\noptions intel_iommu=on iommu=pt\n");
	/* A commented options line and keys that only start with "options" are not it. */
	check_edit("#options ro\noptionsx ro\noptions ro\n", &intel_edit, 0,
	           "#options ro\noptionsx ro\noptions ro intel_iommu=on iommu=pt\n");
	/* Nothing left after removals: the blanks after the key go too. */
	const char *const rm[] = { "quiet" };
	struct kargs_edit r = { NULL, 0, rm, 1 };
	check_edit("options quiet\n", &r, 0, "options\n");
}

static void test_no_options_and_already_done(void **state)
{
	(void)state;
	const char no_options[] = "title t\nversion 1\nlinux /vmlinuz-1\n";
	struct bls_entry e;
	bls_parse(no_options, strlen(no_options), &e);
	assert_null(e.options);
	assert_int_equal(e.options_lineno, 0);
	bls_entry_free(&e);
	check_edit(no_options, &intel_edit, 0, no_options);
	const char done[] = "options iommu=pt ro intel_iommu=on $tuned_params\n";
	check_edit(done, &intel_edit, 0, done);
	check_edit("", &intel_edit, 0, "");
}

static void test_two_options_lines(void **state)
{
	(void)state;
	/* The first line gets the edit; later lines lose what the edit replaces. */
	check_edit("options ro intel_iommu=off\noptions iommu=off quiet iommu=pt\n", &intel_edit, 0,
	           "options ro intel_iommu=on iommu=pt\noptions quiet\n");
	struct bls_entry e;
	const char text[] = "options ro\noptions $kernelopts\n";
	bls_parse(text, strlen(text), &e);
	assert_string_equal(e.options, "ro");
	assert_true(e.uses_kernelopts);
	bls_entry_free(&e);
}

static void test_sort_ids(void **state)
{
	(void)state;
	const char *in[] = {
		"a1b2c3-5.14.0-70.13.1.el9_0.x86_64",
		"a1b2c3-0-rescue",
		"a1b2c3-5.14.0-362.8.1.el9_3.x86_64",
		"a1b2c3-5.14.0-284.11.1.el9_2.x86_64",
		"a1b2c3-5.14.0-362.18.1.el9_3.x86_64",
		"a1b2c3-5.14.0-362.8.1.el9_3.x86_64+debug",
		"a1b2c3-4.18.0-513.5.1.el8_9.x86_64",
		"a1b2c3-6.5.0-0.rc4.fc39.x86_64",
		"a1b2c3-6.5.0-1.fc39.x86_64",
		"a1b2c3-6.5.0~rc4-1.fc39.x86_64",
		"a1b2c3-5.14.0-070.1.el9.x86_64",
		"a1b2c3-5.14.0-70.1.el9.x86_64",
		"a1b2c3-5.14.0-70.1.el9.tar.gz",
	};
	/* What `LC_ALL=C sort -Vr` (GNU coreutils 9.1) prints for the same names. */
	const char *expected[] = {
		"a1b2c3-6.5.0-1.fc39.x86_64",
		"a1b2c3-6.5.0-0.rc4.fc39.x86_64",
		"a1b2c3-6.5.0~rc4-1.fc39.x86_64",
		"a1b2c3-5.14.0-362.18.1.el9_3.x86_64",
		"a1b2c3-5.14.0-362.8.1.el9_3.x86_64+debug",
		"a1b2c3-5.14.0-362.8.1.el9_3.x86_64",
		"a1b2c3-5.14.0-284.11.1.el9_2.x86_64",
		"a1b2c3-5.14.0-70.13.1.el9_0.x86_64",
		"a1b2c3-5.14.0-70.1.el9.x86_64",
		"a1b2c3-5.14.0-070.1.el9.x86_64",
		"a1b2c3-5.14.0-70.1.el9.tar.gz",
		"a1b2c3-4.18.0-513.5.1.el8_9.x86_64",
		"a1b2c3-0-rescue",
	};
	struct strlist ids;
	strlist_init(&ids);
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		strlist_add(&ids, in[i]);
	bls_sort_ids(&ids);
	assert_int_equal(ids.n, ARRAY_SIZE(expected));
	for (size_t i = 0; i < ids.n; i++)
		assert_string_equal(ids.v[i], expected[i]);
	strlist_free(&ids);

	/* The Rocky case of BLS-2: newest first, rescue last. */
	strlist_add(&ids, "d7a9-0-rescue");
	strlist_add(&ids, "d7a9-5.14.0-70.13.1.el9_0.x86_64");
	strlist_add(&ids, "d7a9-5.14.0-362.8.1.el9_3.x86_64");
	bls_sort_ids(&ids);
	assert_string_equal(ids.v[0], "d7a9-5.14.0-362.8.1.el9_3.x86_64");
	assert_string_equal(ids.v[1], "d7a9-5.14.0-70.13.1.el9_0.x86_64");
	assert_string_equal(ids.v[2], "d7a9-0-rescue");
	strlist_free(&ids);

	/* Empty and single lists; special names. */
	bls_sort_ids(&ids);
	assert_int_equal(ids.n, 0);
	strlist_add(&ids, "only");
	bls_sort_ids(&ids);
	assert_string_equal(ids.v[0], "only");
	strlist_add(&ids, "");
	strlist_add(&ids, ".hidden");
	strlist_add(&ids, "..");
	strlist_add(&ids, ".");
	bls_sort_ids(&ids);
	assert_string_equal(ids.v[0], "only");
	assert_string_equal(ids.v[1], ".hidden");
	assert_string_equal(ids.v[2], "..");
	assert_string_equal(ids.v[3], ".");
	assert_string_equal(ids.v[4], "");
	strlist_free(&ids);
}

/* A 1024-byte block: the header, body, then '#' up to the end. */
static void make_env(const char *body, char block[1024])
{
	const char header[] = "# GRUB Environment Block\n";
	size_t hl = strlen(header), bl = strlen(body);
	assert_true(hl + bl <= 1024);
	memcpy(block, header, hl);
	memcpy(block + hl, body, bl);
	memset(block + hl + bl, '#', 1024 - hl - bl);
}

static void test_grubenv(void **state)
{
	(void)state;
	char block[1024];
	make_env("saved_entry=d7a9-5.14.0-362.8.1.el9_3.x86_64\n"
	         "kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rhgb quiet\n"
	         "boot_success=0\n"
	         "tuned_params=\n"
	         "path=C:\\\\dir\\\nline2\n",
	         block);
	struct strlist keys, values;
	char *error = (char *)"unset";
	assert_int_equal(grubenv_parse(block, sizeof(block), &keys, &values, &error), 0);
	assert_null(error);
	assert_int_equal(keys.n, 5);
	assert_int_equal(values.n, 5);
	assert_string_equal(grubenv_get(&keys, &values, "saved_entry"), "d7a9-5.14.0-362.8.1.el9_3.x86_64");
	assert_string_equal(grubenv_get(&keys, &values, "kernelopts"),
	                    "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rhgb quiet");
	assert_string_equal(grubenv_get(&keys, &values, "boot_success"), "0");
	assert_string_equal(grubenv_get(&keys, &values, "tuned_params"), "");
	assert_string_equal(grubenv_get(&keys, &values, "path"), "C:\\dir\nline2");
	assert_null(grubenv_get(&keys, &values, "menu_auto_hide"));
	assert_null(grubenv_get(&keys, &values, "saved"));
	strlist_free(&keys);
	strlist_free(&values);

	/* A fresh block; a repeated key (the last one wins); junk lines are skipped. */
	make_env("", block);
	assert_int_equal(grubenv_parse(block, sizeof(block), &keys, &values, &error), 0);
	assert_int_equal(keys.n, 0);
	strlist_free(&keys);
	strlist_free(&values);
	make_env("a=1\nnot a pair\n=x\n# comment\na=2\n", block);
	assert_int_equal(grubenv_parse(block, sizeof(block), &keys, &values, &error), 0);
	assert_int_equal(keys.n, 2);
	assert_string_equal(grubenv_get(&keys, &values, "a"), "2");
	strlist_free(&keys);
	strlist_free(&values);
}

static void test_grubenv_malformed(void **state)
{
	(void)state;
	char block[1025];
	make_env("saved_entry=x\n", block);
	block[1024] = '#';
	struct strlist keys, values;
	char *error = NULL;
	/* Not 1024 bytes. */
	assert_int_equal(grubenv_parse(block, 1023, &keys, &values, &error), -1);
	assert_non_null(strstr(error, "1023"));
	assert_int_equal(keys.n, 0);
	assert_int_equal(values.n, 0);
	free(error);
	assert_int_equal(grubenv_parse(block, 1025, &keys, &values, &error), -1);
	assert_non_null(strstr(error, "1025"));
	free(error);
	assert_int_equal(grubenv_parse("", 0, &keys, &values, &error), -1);
	free(error);
	/* No header. */
	block[0] = 'X';
	assert_int_equal(grubenv_parse(block, 1024, &keys, &values, &error), -1);
	assert_non_null(strstr(error, "GRUB Environment Block"));
	free(error);
	/* A NUL byte inside a value. */
	make_env("saved_entry=ab\n", block);
	block[strlen("# GRUB Environment Block\nsaved_entry=a")] = '\0';
	assert_int_equal(grubenv_parse(block, 1024, &keys, &values, &error), -1);
	assert_int_equal(keys.n, 0);
	free(error);
	strlist_free(&keys);
	strlist_free(&values);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rocky_entry),
		cmocka_unit_test(test_el8_kernelopts),
		cmocka_unit_test(test_separators_and_bytes),
		cmocka_unit_test(test_no_options_and_already_done),
		cmocka_unit_test(test_two_options_lines),
		cmocka_unit_test(test_sort_ids),
		cmocka_unit_test(test_grubenv),
		cmocka_unit_test(test_grubenv_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
