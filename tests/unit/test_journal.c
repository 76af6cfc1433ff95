/* test_journal.c: unit tests of the apply journal: backups, save/load round trip, undo, --force, the lock, listing. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit.h"
#include "host.h"
#include "journal.h"

static int setup(void **state)
{
	*state = testlib_root_open("journal");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	return testlib_root_close(*state);
}

/* Asserts ROOT/rel holds exactly the text want, or does not exist when want is NULL. */
static void assert_file(const struct test_root *fx, const char *rel, const char *want)
{
	char *got = testlib_read(fx, rel, NULL);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static const char grub_a[] = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n";
static const char grub_b[] = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\"\n";
static const char kvm_conf[] = "options kvm_intel nested=1\n";

static void assert_entries_equal(const struct journal_entry *a, const struct journal_entry *b)
{
	assert_string_equal(a->id, b->id);
	assert_int_equal(a->time, b->time);
	assert_string_equal(a->root, b->root);
	assert_int_equal(a->actions.n, b->actions.n);
	for (size_t i = 0; i < a->actions.n; i++)
		assert_string_equal(a->actions.v[i], b->actions.v[i]);
	assert_int_equal(a->n_files, b->n_files);
	for (size_t i = 0; i < a->n_files; i++) {
		const struct journal_file *x = &a->files[i], *y = &b->files[i];
		assert_string_equal(x->path, y->path);
		assert_int_equal(x->existed, y->existed);
		if (x->backup || y->backup) {
			assert_non_null(x->backup);
			assert_non_null(y->backup);
			assert_string_equal(x->backup, y->backup);
		}
		assert_string_equal(x->sha_before, y->sha_before);
		assert_string_equal(x->sha_after, y->sha_after);
		assert_int_equal(x->mode, y->mode);
		assert_int_equal(x->uid, y->uid);
		assert_int_equal(x->gid, y->gid);
	}
	assert_int_equal(a->n_commands, b->n_commands);
	for (size_t i = 0; i < a->n_commands; i++) {
		assert_string_equal(a->commands[i].line, b->commands[i].line);
		assert_int_equal(a->commands[i].exit_code, b->commands[i].exit_code);
	}
	assert_int_equal(a->reboot_required, b->reboot_required);
	assert_int_equal(a->reboot_args.n, b->reboot_args.n);
	for (size_t i = 0; i < a->reboot_args.n; i++)
		assert_string_equal(a->reboot_args.v[i], b->reboot_args.v[i]);
	assert_int_equal(a->verified, b->verified);
	assert_int_equal(a->undone, b->undone);
}

static void new_entry(struct journal_entry *e)
{
	memset(e, 0, sizeof *e);
	strlist_init(&e->actions);
	strlist_init(&e->reboot_args);
	e->time = 1700000000; /* 2023-11-14 22:13:20 UTC */
	strlist_add(&e->actions, "iommu.enable");
	e->reboot_required = true;
	strlist_add(&e->reboot_args, "intel_iommu=on");
}

/* An apply: back up grub (existing) and kvm.conf (new), change both, record. */
static void apply(struct test_root *fx, struct journal_entry *e)
{
	char *error = NULL;
	testlib_write_mode(fx, "etc/default/grub", grub_a, 0640);
	testlib_mkdirs(fx, "etc/modprobe.d");
	new_entry(e);
	assert_int_equal(journal_create(fx->h, e, &error), 0);
	assert_null(error);
	assert_string_equal(e->id, "20231114-221320-1");
	assert_int_equal(journal_backup(fx->h, e, "/etc/default/grub", &error), 0);
	assert_int_equal(journal_backup(fx->h, e, "/etc/modprobe.d/kvm.conf", &error), 0);
	/* A second backup of a path is a no-op. */
	assert_int_equal(journal_backup(fx->h, e, "/etc/default/grub", &error), 0);
	assert_int_equal(e->n_files, 2);
	assert_true(e->files[0].existed);
	assert_string_equal(e->files[0].backup, "files/0");
	assert_int_equal(e->files[0].mode, 0640);
	assert_int_equal(e->files[0].uid, geteuid());
	assert_false(e->files[1].existed);
	assert_null(e->files[1].backup);
	/* The backup holds the original bytes. */
	char *rel = xasprintf("var/lib/kvmprep/%s/files/0", e->id);
	assert_file(fx, rel, grub_a);
	free(rel);

	assert_int_equal(edit_write_atomic(fx->h, "/etc/default/grub", grub_b, strlen(grub_b), 0644, &error), 0);
	assert_int_equal(edit_write_atomic(fx->h, "/etc/modprobe.d/kvm.conf", kvm_conf, strlen(kvm_conf), 0644, &error),
	                 0);
	journal_add_command(e, "/usr/sbin/update-grub", 0);
	journal_add_command(e, "/sbin/modprobe -r 'kvm_intel'", 1);
	assert_int_equal(journal_files_done(fx->h, e, &error), 0);
	assert_int_equal(strlen(e->files[0].sha_after), SHA256_HEX_LEN);
	assert_string_not_equal(e->files[0].sha_after, e->files[0].sha_before);
	assert_int_equal(journal_save(fx->h, e, &error), 0);
}

static void test_round_trip_and_undo(void **state)
{
	struct test_root *fx = *state;
	struct journal_entry e, loaded;
	apply(fx, &e);
	char *error = NULL;
	assert_int_equal(journal_load(fx->h, e.id, &loaded, &error), 0);
	assert_null(error);
	assert_entries_equal(&e, &loaded);

	struct buf report;
	buf_init(&report);
	assert_int_equal(journal_undo(fx->h, &loaded, false, &report, &error), 0);
	assert_null(error);
	assert_string_equal(report.data, "removed /etc/modprobe.d/kvm.conf\nrestored /etc/default/grub\n");
	assert_file(fx, "etc/default/grub", grub_a);
	assert_int_equal(testlib_mode(fx, "etc/default/grub"), S_IFREG | 0640);
	assert_file(fx, "etc/modprobe.d/kvm.conf", NULL);
	assert_true(loaded.undone);

	/* Saved as undone; a second undo is refused. */
	struct journal_entry again;
	assert_int_equal(journal_load(fx->h, e.id, &again, &error), 0);
	assert_true(again.undone);
	assert_int_equal(journal_undo(fx->h, &again, false, &report, &error), -EALREADY);
	free(error);
	journal_entry_free(&again);
	buf_free(&report);
	journal_entry_free(&loaded);
	journal_entry_free(&e);
}

static void test_undo_refuses_changed_file(void **state)
{
	struct test_root *fx = *state;
	struct journal_entry e;
	apply(fx, &e);
	/* Someone edits grub after the apply. */
	testlib_write_mode(fx, "etc/default/grub", "EDITED BY HAND\n", 0600);
	char *error = NULL;
	struct buf report;
	buf_init(&report);
	assert_int_equal(journal_undo(fx->h, &e, false, &report, &error), -ECANCELED);
	assert_non_null(error);
	assert_string_equal(error,
	                    "changed since the apply, not undone (--force restores them anyway): /etc/default/grub");
	free(error);
	error = NULL;
	assert_int_equal(report.len, 0);
	/* Nothing changed: not even the file the apply created. */
	assert_file(fx, "etc/default/grub", "EDITED BY HAND\n");
	assert_file(fx, "etc/modprobe.d/kvm.conf", kvm_conf);
	assert_false(e.undone);

	/* --force restores it anyway, with the recorded mode. */
	assert_int_equal(journal_undo(fx->h, &e, true, &report, &error), 0);
	assert_string_equal(report.data, "removed /etc/modprobe.d/kvm.conf\n"
	                                 "restored /etc/default/grub (changed since the apply; forced)\n");
	assert_file(fx, "etc/default/grub", grub_a);
	assert_int_equal(testlib_mode(fx, "etc/default/grub"), S_IFREG | 0640);
	assert_file(fx, "etc/modprobe.d/kvm.conf", NULL);
	assert_true(e.undone);
	buf_free(&report);
	journal_entry_free(&e);
}

/* An undo interrupted half-way can be run again: restored files count as unchanged. */
static void test_undo_again_after_partial(void **state)
{
	struct test_root *fx = *state;
	struct journal_entry e;
	apply(fx, &e);
	char *error = NULL;
	/* As if the undo had restored grub and then stopped. */
	testlib_write_mode(fx, "etc/default/grub", grub_a, 0640);
	struct buf report;
	buf_init(&report);
	assert_int_equal(journal_undo(fx->h, &e, false, &report, &error), 0);
	assert_string_equal(report.data, "removed /etc/modprobe.d/kvm.conf\nunchanged /etc/default/grub\n");
	assert_file(fx, "etc/modprobe.d/kvm.conf", NULL);
	buf_free(&report);
	journal_entry_free(&e);
}

static void test_undo_refuses_damaged_backup(void **state)
{
	struct test_root *fx = *state;
	struct journal_entry e;
	apply(fx, &e);
	char *rel = xasprintf("var/lib/kvmprep/%s/files/0", e.id);
	testlib_write_mode(fx, rel, "truncat", 0600);
	free(rel);
	char *error = NULL;
	struct buf report;
	buf_init(&report);
	assert_int_equal(journal_undo(fx->h, &e, true, &report, &error), -EBADMSG);
	assert_string_equal(error, "the backup of /etc/default/grub (files/0) is damaged: nothing was undone");
	free(error);
	assert_file(fx, "etc/default/grub", grub_b);
	assert_file(fx, "etc/modprobe.d/kvm.conf", kvm_conf);
	buf_free(&report);
	journal_entry_free(&e);
}

/* apply's rollback of one failed action: from a given file on, no checksum guard, entry not
 * marked undone. */
static void test_restore_files_rollback(void **state)
{
	struct test_root *fx = *state;
	struct journal_entry e;
	apply(fx, &e);
	char *error = NULL;
	struct buf report;
	buf_init(&report);
	assert_int_equal(journal_restore_files(fx->h, &e, 1, &report, &error), 0);
	assert_null(error);
	assert_string_equal(report.data, "removed /etc/modprobe.d/kvm.conf\n");
	assert_file(fx, "etc/modprobe.d/kvm.conf", NULL);
	assert_file(fx, "etc/default/grub", grub_b);
	/* No checksum guard: a file edited since is restored all the same. */
	testlib_write_mode(fx, "etc/default/grub", "EDITED\n", 0600);
	assert_int_equal(journal_restore_files(fx->h, &e, 0, &report, &error), 0);
	assert_file(fx, "etc/default/grub", grub_a);
	assert_int_equal(testlib_mode(fx, "etc/default/grub"), S_IFREG | 0640);
	assert_false(e.undone);
	/* The whole entry then undoes to nothing to do. */
	buf_reset(&report);
	assert_int_equal(journal_undo(fx->h, &e, false, &report, &error), 0);
	assert_string_equal(report.data, "unchanged /etc/modprobe.d/kvm.conf\nunchanged /etc/default/grub\n");
	/* A damaged backup is reported, the other files are still restored. */
	testlib_write_mode(fx, "etc/default/grub", grub_b, 0640);
	char *rel = xasprintf("var/lib/kvmprep/%s/files/0", e.id);
	testlib_write_mode(fx, rel, "damaged", 0600);
	free(rel);
	assert_int_equal(edit_write_atomic(fx->h, "/etc/modprobe.d/kvm.conf", "x", 1, 0644, &error), 0);
	buf_reset(&report);
	assert_int_equal(journal_restore_files(fx->h, &e, 0, &report, &error), -EBADMSG);
	assert_string_equal(error, "the backup of /etc/default/grub (files/0) is damaged");
	free(error);
	assert_string_equal(report.data, "removed /etc/modprobe.d/kvm.conf\n");
	assert_file(fx, "etc/modprobe.d/kvm.conf", NULL);
	buf_free(&report);
	journal_entry_free(&e);
}

/* Backups through a symlink: one file, one backup, the link kept by undo. */
static void test_backup_through_symlink(void **state)
{
	struct test_root *fx = *state;
	testlib_write_mode(fx, "boot/grub/grub.conf", "kernel /vmlinuz ro\n", 0600);
	char *link = testlib_path(fx, "boot/grub/menu.lst");
	assert_int_equal(symlink("./grub.conf", link), 0);
	free(link);
	struct journal_entry e;
	new_entry(&e);
	char *error = NULL;
	assert_int_equal(journal_create(fx->h, &e, &error), 0);
	assert_int_equal(journal_backup(fx->h, &e, "/boot/grub/menu.lst", &error), 0);
	assert_int_equal(journal_backup(fx->h, &e, "/boot/grub/grub.conf", &error), 0);
	assert_int_equal(e.n_files, 1);
	assert_int_equal(edit_write_atomic(fx->h, "/boot/grub/menu.lst", "kernel /vmlinuz ro intel_iommu=on\n", 34, 0644,
	                                   &error),
	                 0);
	assert_int_equal(journal_files_done(fx->h, &e, &error), 0);
	struct buf report;
	buf_init(&report);
	assert_int_equal(journal_undo(fx->h, &e, false, &report, &error), 0);
	assert_file(fx, "boot/grub/grub.conf", "kernel /vmlinuz ro\n");
	assert_true(S_ISLNK(testlib_mode(fx, "boot/grub/menu.lst")));
	buf_free(&report);
	journal_entry_free(&e);
}

/* Strings with quotes, backslashes, control characters and UTF-8 survive the round trip. */
static void test_odd_strings_round_trip(void **state)
{
	struct test_root *fx = *state;
	static const char odd[] = "etc/we\"ird\\ name\t\xc3\xa9";
	testlib_write_mode(fx, odd, "x\n", 0644);
	struct journal_entry e, loaded;
	new_entry(&e);
	strlist_add(&e.actions, "a \"quoted\" \\ action");
	char *error = NULL;
	assert_int_equal(journal_create(fx->h, &e, &error), 0);
	char *path = xasprintf("/%s", odd);
	assert_int_equal(journal_backup(fx->h, &e, path, &error), 0);
	journal_add_command(&e, "/bin/echo 'a\nb'", 255);
	e.time = 4102444800LL; /* past 2^31: stored as a string, read back exactly */
	assert_int_equal(journal_save(fx->h, &e, &error), 0);
	assert_int_equal(journal_load(fx->h, e.id, &loaded, &error), 0);
	assert_entries_equal(&e, &loaded);
	journal_entry_free(&loaded);
	journal_entry_free(&e);
	free(path);
}

/* Every number in the text is a plain decimal integer (an optional L): no leading zeros,
 * no floats. */
static void assert_numbers_portable(const char *text)
{
	for (const char *p = strstr(text, "= "); p; p = strstr(p + 1, "= ")) {
		const char *v = p + 2;
		if (*v == '-')
			v++;
		if (*v < '0' || *v > '9')
			continue;
		if (*v == '0' && v[1] >= '0' && v[1] <= '9')
			fail_msg("leading zero: %.20s", p);
		while (*v >= '0' && *v <= '9')
			v++;
		if (*v == 'L')
			v++;
		if (*v != ';')
			fail_msg("not a plain integer: %.20s", p);
	}
}

/* What journal.conf looks like: only forms libconfig 1.5 and 1.7 read alike. */
static void test_portable_format(void **state)
{
	struct test_root *fx = *state;
	struct journal_entry e;
	apply(fx, &e);
	char *rel = xasprintf("var/lib/kvmprep/%s/journal.conf", e.id);
	char *text = testlib_read(fx, rel, NULL);
	assert_non_null(text);
	assert_int_equal(testlib_mode(fx, rel), S_IFREG | 0600);
	assert_non_null(strstr(text, "time = \"1700000000\";"));
	assert_non_null(strstr(text, "mode = 416;"));  /* 0640, never written with a leading zero */
	char *uid = xasprintf("uid = %ldL;", (long)geteuid());
	assert_non_null(strstr(text, uid));
	free(uid);
	assert_non_null(strstr(text, "reboot_args = [ \"intel_iommu=on\" ];"));
	assert_null(strstr(text, ", ]"));
	assert_null(strstr(text, ", )"));
	assert_numbers_portable(text);
	free(text);
	free(rel);
	journal_entry_free(&e);
}

static void test_load_errors(void **state)
{
	struct test_root *fx = *state;
	char *error = NULL;
	struct journal_entry e;
	assert_int_equal(journal_load(fx->h, "20240101-000000-1", &e, &error), -ENOENT);
	char *want = xasprintf("%s/var/lib/kvmprep/20240101-000000-1/journal.conf: No such file or directory", fx->root);
	assert_string_equal(error, want);
	free(want);
	free(error);
	assert_int_equal(journal_load(fx->h, "../../etc", &e, &error), -ENOENT);
	free(error);

	testlib_write_mode(fx, "var/lib/kvmprep/20240101-000000-1/journal.conf", "version = 1;\nid = \"x\"\nfiles = (\n", 0600);
	assert_int_equal(journal_load(fx->h, "20240101-000000-1", &e, &error), -EINVAL);
	want = xasprintf("%s/var/lib/kvmprep/20240101-000000-1/journal.conf:4: syntax error", fx->root);
	assert_string_equal(error, want);
	free(want);
	free(error);

	testlib_write_mode(fx, "var/lib/kvmprep/20240101-000000-1/journal.conf",
	    "version = 1;\nid = \"20240101-000000-1\";\ntime = \"5\";\nfiles = ( { path = \"/etc/x\"; existed = false;\n"
	    "  sha_before = \"-\"; sha_after = \"-\";\n  mode = \"420\"; uid = 0; gid = 0; } );\n",
	    0600);
	assert_int_equal(journal_load(fx->h, "20240101-000000-1", &e, &error), -EINVAL);
	want = xasprintf("%s/var/lib/kvmprep/20240101-000000-1/journal.conf:6: mode: expected an integer", fx->root);
	assert_string_equal(error, want);
	free(want);
	free(error);

	/* A backup name that would leave the entry is refused. */
	testlib_write_mode(fx, "var/lib/kvmprep/20240101-000000-1/journal.conf",
	    "version = 1;\nid = \"20240101-000000-1\";\ntime = \"5\";\nfiles = ( { path = \"/etc/x\"; existed = true;\n"
	    "  backup = \"../../../etc/shadow\"; sha_before = \"-\"; sha_after = \"-\";\n"
	    "  mode = 420; uid = 0; gid = 0; } );\n",
	    0600);
	assert_int_equal(journal_load(fx->h, "20240101-000000-1", &e, &error), -EINVAL);
	want = xasprintf("%s/var/lib/kvmprep/20240101-000000-1/journal.conf:4: backup: not files/N", fx->root);
	assert_string_equal(error, want);
	free(want);
	free(error);
	/* The minimal valid entry loads (uid written without L is read as well). */
	testlib_write_mode(fx, "var/lib/kvmprep/20240101-000000-1/journal.conf",
	    "version = 1;\nid = \"20240101-000000-1\";\ntime = \"5\";\nfiles = ( );\n", 0600);
	assert_int_equal(journal_load(fx->h, "20240101-000000-1", &e, &error), 0);
	assert_int_equal(e.time, 5);
	assert_int_equal(e.n_files, 0);
	journal_entry_free(&e);
}

static void test_lock(void **state)
{
	struct test_root *fx = *state;
	int fd = -1, fd2 = -1;
	char *error = NULL;
	assert_int_equal(journal_lock(fx->h, &fd, &error), 0);
	assert_true(fd >= 0);
	char *pid = xasprintf("%ld\n", (long)getpid());
	assert_file(fx, "var/lib/kvmprep/lock", pid);
	free(pid);
	/* flock belongs to the open file description: a second open in this process conflicts. */
	assert_int_equal(journal_lock(fx->h, &fd2, &error), -EBUSY);
	assert_int_equal(fd2, -1);
	char *want = xasprintf("another kvmprep apply (pid %ld) holds %s/var/lib/kvmprep/lock", (long)getpid(), fx->root);
	assert_string_equal(error, want);
	free(want);
	free(error);
	error = NULL;
	journal_unlock(fd);
	assert_int_equal(journal_lock(fx->h, &fd2, &error), 0);
	journal_unlock(fd2);
	journal_unlock(-1);
}

static void test_list_order(void **state)
{
	struct test_root *fx = *state;
	struct strlist ids;
	/* No state directory yet: no entries. */
	assert_int_equal(journal_list(fx->h, &ids), 0);
	assert_int_equal(ids.n, 0);
	strlist_free(&ids);
	testlib_mkdirs(fx, "var/lib/kvmprep/20240101-000000-10");
	testlib_mkdirs(fx, "var/lib/kvmprep/20240101-000000-2");
	testlib_mkdirs(fx, "var/lib/kvmprep/20231231-235959-1");
	testlib_mkdirs(fx, "var/lib/kvmprep/notes");
	testlib_write_mode(fx, "var/lib/kvmprep/lock", "", 0644);
	testlib_write_mode(fx, "var/lib/kvmprep/20240202-000000-1", "a file, not an entry", 0644);
	struct journal_entry e;
	new_entry(&e);
	e.time = 1704067200; /* 2024-01-01 00:00:00 UTC */
	char *error = NULL;
	assert_int_equal(journal_create(fx->h, &e, &error), 0);
	assert_string_equal(e.id, "20240101-000000-1");
	journal_entry_free(&e);
	assert_int_equal(journal_list(fx->h, &ids), 0);
	assert_int_equal(ids.n, 4);
	assert_string_equal(ids.v[0], "20231231-235959-1");
	assert_string_equal(ids.v[1], "20240101-000000-1");
	assert_string_equal(ids.v[2], "20240101-000000-2");
	assert_string_equal(ids.v[3], "20240101-000000-10");
	strlist_free(&ids);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_round_trip_and_undo),
		T(test_undo_refuses_changed_file),
		T(test_undo_again_after_partial),
		T(test_undo_refuses_damaged_backup),
		T(test_restore_files_rollback),
		T(test_backup_through_symlink),
		T(test_odd_strings_round_trip),
		T(test_portable_format),
		T(test_load_errors),
		T(test_lock),
		T(test_list_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
