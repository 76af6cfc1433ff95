/* test_edit.c: unit tests of atomic host file writes: modes, owners, symlinks, every injected fault, the root fence. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit.h"
#include "host.h"

static int setup(void **state)
{
	*state = testlib_root_open("edit");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct test_root *fx = *state;
	for (int s = 0; s < EDIT_STEP_COUNT; s++)
		edit_inject_fault((enum edit_step)s, 0);
	/* Give back what test_read_only_dir takes away, even when it failed half-way. */
	char *etc = testlib_path(fx, "etc");
	chmod(etc, 0755);
	free(etc);
	return testlib_root_close(fx);
}

/* Asserts ROOT/rel holds exactly len bytes of data. */
static void assert_content(const struct test_root *fx, const char *rel, const void *data, size_t len)
{
	size_t got_len;
	char *got = testlib_read(fx, rel, &got_len);
	if (!got)
		fail_msg("%s/%s: %s", fx->root, rel, strerror(errno));
	assert_int_equal(got_len, len);
	if (len)
		assert_memory_equal(got, data, len);
	free(got);
}

/* Asserts no temporary ".NAME.kvmprep-XXXXXX" is left in ROOT/dir. */
static void assert_no_temp(const struct test_root *fx, const char *dir)
{
	char *path = testlib_path(fx, dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".kvmprep-"))
			fail_msg("temporary file left: %s/%s", path, de->d_name);
	closedir(d);
	free(path);
}

static const char original[] = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n";
static const char changed[] = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\"\n";

/* ---- writing ---- */

static void test_new_file(void **state)
{
	struct test_root *fx = *state;
	testlib_mkdirs(fx, "etc");
	char *error = (char *)"sentinel";
	assert_int_equal(edit_write_atomic(fx->h, "/etc/new.conf", changed, strlen(changed), 0600, &error), 0);
	assert_null(error);
	assert_content(fx, "etc/new.conf", changed, strlen(changed));
	assert_int_equal(testlib_mode(fx, "etc/new.conf"), S_IFREG | 0600);
	assert_no_temp(fx, "etc");
	/* An empty file, with a mode the umask would have cut. */
	mode_t old_umask = umask(077);
	assert_int_equal(edit_write_atomic(fx->h, "/etc/empty", "", 0, 0644, &error), 0);
	umask(old_umask);
	assert_content(fx, "etc/empty", "", 0);
	assert_int_equal(testlib_mode(fx, "etc/empty"), S_IFREG | 0644);
}

static void test_existing_keeps_mode_and_bytes(void **state)
{
	struct test_root *fx = *state;
	testlib_write_bytes(fx, "etc/default/grub", original, strlen(original), 0600);
	/* Binary content without a final newline is kept byte for byte. */
	static const char data[] = "a\0b\r\n\xff\xfe tail";
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/etc/default/grub", data, sizeof data - 1, 0644, &error), 0);
	assert_null(error);
	assert_content(fx, "etc/default/grub", data, sizeof data - 1);
	assert_int_equal(testlib_mode(fx, "etc/default/grub"), S_IFREG | 0600); /* new_mode is for new files */
	assert_no_temp(fx, "etc/default");

	testlib_write_bytes(fx, "etc/odd", "x", 1, 02751);
	assert_int_equal(edit_write_atomic(fx->h, "/etc/odd", "y", 1, 0644, &error), 0);
	assert_int_equal(testlib_mode(fx, "etc/odd") & 07777, 02751);
}

static void test_owner_kept(void **state)
{
	struct test_root *fx = *state;
	testlib_write_bytes(fx, "etc/owned", original, strlen(original), 0640);
	char *path = testlib_path(fx, "etc/owned");
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (geteuid() == 0) {
		uid = 1234;
		gid = 5678;
		assert_int_equal(chown(path, uid, gid), 0);
	}
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/etc/owned", changed, strlen(changed), 0600, &error), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, uid);
	assert_int_equal(st.st_gid, gid);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(path);
}

static void test_write_as(void **state)
{
	struct test_root *fx = *state;
	testlib_write_bytes(fx, "etc/f", original, strlen(original), 0600);
	char *error = NULL;
	assert_int_equal(edit_write_atomic_as(fx->h, "/etc/f", changed, strlen(changed), 0644, geteuid(), getegid(),
	                                      &error),
	                 0);
	assert_int_equal(testlib_mode(fx, "etc/f"), S_IFREG | 0644);
	assert_content(fx, "etc/f", changed, strlen(changed));
	assert_int_equal(edit_write_atomic_as(fx->h, "/etc/g", "g", 1, 0640, geteuid(), getegid(), &error), 0);
	assert_int_equal(testlib_mode(fx, "etc/g"), S_IFREG | 0640);
}

static void test_symlink_stays_symlink(void **state)
{
	struct test_root *fx = *state;
	testlib_write_bytes(fx, "boot/grub/grub.conf", original, strlen(original), 0600);
	char *link = testlib_path(fx, "boot/grub/menu.lst");
	assert_int_equal(symlink("./grub.conf", link), 0);
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/boot/grub/menu.lst", changed, strlen(changed), 0644, &error), 0);
	assert_null(error);
	assert_true(S_ISLNK(testlib_mode(fx, "boot/grub/menu.lst")));
	char target[64];
	ssize_t n = readlink(link, target, sizeof target - 1);
	assert_int_equal(n, strlen("./grub.conf"));
	target[n] = '\0';
	assert_string_equal(target, "./grub.conf");
	assert_content(fx, "boot/grub/grub.conf", changed, strlen(changed));
	assert_int_equal(testlib_mode(fx, "boot/grub/grub.conf"), S_IFREG | 0600);
	assert_no_temp(fx, "boot/grub");

	/* An absolute link is followed inside the root; so is a link to a directory. */
	char *abs = testlib_path(fx, "etc-grub.conf");
	assert_int_equal(symlink("/boot/grub/grub.conf", abs), 0);
	assert_int_equal(edit_write_atomic(fx->h, "/etc-grub.conf", original, strlen(original), 0644, &error), 0);
	assert_true(S_ISLNK(testlib_mode(fx, "etc-grub.conf")));
	assert_content(fx, "boot/grub/grub.conf", original, strlen(original));
	char *dirlink = testlib_path(fx, "grub");
	assert_int_equal(symlink("boot/grub", dirlink), 0);
	assert_int_equal(edit_write_atomic(fx->h, "/grub/grub.conf", "x", 1, 0644, &error), 0);
	assert_content(fx, "boot/grub/grub.conf", "x", 1);
	free(dirlink);
	free(abs);
	free(link);
}

static void test_dangling_symlink_creates_target(void **state)
{
	struct test_root *fx = *state;
	testlib_mkdirs(fx, "boot/grub");
	char *link = testlib_path(fx, "boot/grub/menu.lst");
	assert_int_equal(symlink("grub.conf", link), 0);
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/boot/grub/menu.lst", "new\n", 4, 0600, &error), 0);
	assert_true(S_ISLNK(testlib_mode(fx, "boot/grub/menu.lst")));
	assert_content(fx, "boot/grub/grub.conf", "new\n", 4);
	free(link);
}

static void test_not_a_regular_file(void **state)
{
	struct test_root *fx = *state;
	testlib_mkdirs(fx, "etc/dir");
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/etc/dir", "x", 1, 0644, &error), -EISDIR);
	assert_string_equal(error, "write /etc/dir: Is a directory");
	free(error);
	char *fifo = testlib_path(fx, "etc/fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(edit_write_atomic(fx->h, "/etc/fifo", "x", 1, 0644, &error), -EINVAL);
	assert_string_equal(error, "write /etc/fifo: not a regular file");
	free(error);
	assert_true(S_ISFIFO(testlib_mode(fx, "etc/fifo")));
	free(fifo);
	/* A missing directory on the way is not created. */
	assert_int_equal(edit_write_atomic(fx->h, "/nope/file", "x", 1, 0644, &error), -ENOENT);
	assert_string_equal(error, "write /nope/file: No such file or directory");
	free(error);
	assert_false(testlib_exists(fx, "nope"));
	/* Only absolute host paths. */
	assert_int_equal(edit_write_atomic(fx->h, "etc/x", "x", 1, 0644, &error), -EINVAL);
	free(error);
	assert_int_equal(edit_write_atomic(fx->h, "/", "x", 1, 0644, &error), -EISDIR);
	free(error);
}

static void test_long_name(void **state)
{
	struct test_root *fx = *state;
	testlib_mkdirs(fx, "etc");
	char name[256];
	memset(name, 'n', 250);
	name[250] = '\0';
	char *path = xasprintf("/etc/%s", name);
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, path, "x", 1, 0644, &error), 0);
	char *rel = xasprintf("etc/%s", name);
	assert_content(fx, rel, "x", 1);
	assert_no_temp(fx, "etc");
	free(rel);
	free(path);
}

/* ---- faults ---- */

static const char *const step_words[EDIT_STEP_COUNT] = {
	[EDIT_STEP_OPEN] = "create a temporary file for", [EDIT_STEP_WRITE] = "write",
	[EDIT_STEP_FSYNC] = "fsync",                        [EDIT_STEP_CHMOD] = "chmod",
	[EDIT_STEP_CHOWN] = "chown",                        [EDIT_STEP_RENAME] = "rename over",
	[EDIT_STEP_DIRSYNC] = "fsync the directory of",
};

static void test_every_fault_keeps_original(void **state)
{
	struct test_root *fx = *state;
	static const int errs[] = { ENOSPC, EIO, EROFS };
	/* A bigger file, so that a write that fails half-way leaves a real partial temp file. */
	struct buf big;
	buf_init(&big);
	for (int i = 0; i < 5000; i++)
		buf_printf(&big, "line %d of the new content\n", i);
	testlib_write_bytes(fx, "etc/default/grub", original, strlen(original), 0640);
	for (int s = 0; s < EDIT_STEP_COUNT; s++) {
		for (size_t k = 0; k < ARRAY_SIZE(errs); k++) {
			edit_inject_fault((enum edit_step)s, errs[k]);
			char *error = NULL;
			int rc = edit_write_atomic(fx->h, "/etc/default/grub", big.data, big.len, 0644, &error);
			assert_int_equal(rc, -errs[k]);
			char *want = xasprintf("%s /etc/default/grub: %s", step_words[s], strerror(errs[k]));
			assert_non_null(error);
			assert_string_equal(error, want);
			free(want);
			free(error);
			assert_content(fx, "etc/default/grub", original, strlen(original));
			assert_int_equal(testlib_mode(fx, "etc/default/grub"), S_IFREG | 0640);
			assert_no_temp(fx, "etc/default");

			/* A new file is not left behind either. */
			edit_inject_fault((enum edit_step)s, errs[k]);
			rc = edit_write_atomic(fx->h, "/etc/default/new", big.data, big.len, 0644, &error);
			assert_int_equal(rc, -errs[k]);
			free(error);
			assert_false(testlib_exists(fx, "etc/default/new"));
			assert_no_temp(fx, "etc/default");
		}
	}
	/* The fault fired once: the next write goes through. */
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/etc/default/grub", changed, strlen(changed), 0644, &error), 0);
	assert_content(fx, "etc/default/grub", changed, strlen(changed));
	/* Faults also reach removal and mkdir's directory sync. */
	edit_inject_fault(EDIT_STEP_DIRSYNC, EIO);
	assert_int_equal(edit_remove(fx->h, "/etc/default/grub", &error), -EIO);
	assert_string_equal(error, "fsync the directory of /etc/default/grub: Input/output error");
	free(error);
	buf_free(&big);
}

static void test_read_only_dir(void **state)
{
	struct test_root *fx = *state;
	testlib_write_bytes(fx, "etc/default/grub", original, strlen(original), 0644);
	char *dir = testlib_path(fx, "etc/default");
	assert_int_equal(chmod(dir, 0555), 0);
	if (geteuid() == 0) {
		/* Root writes into a mode-0555 directory anyway: the refusal the kernel gives others
		 * is injected instead (not a cmocka skip: those count as failures under TAP). */
		print_message("# running as root: mode 0555 does not deny writing; EACCES injected\n");
		edit_inject_fault(EDIT_STEP_OPEN, EACCES);
	}
	char *error = NULL;
	assert_int_equal(edit_write_atomic(fx->h, "/etc/default/grub", changed, strlen(changed), 0644, &error),
	                 -EACCES);
	assert_string_equal(error, "create a temporary file for /etc/default/grub: Permission denied");
	free(error);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_content(fx, "etc/default/grub", original, strlen(original));
	assert_no_temp(fx, "etc/default");
	free(dir);
}

/* ---- the root fence ---- */

static void test_escape_stays_inside_root(void **state)
{
	struct test_root *fx = *state;
	testlib_mkdirs(fx, "etc");
	const char *base = strrchr(fx->root, '/') + 1;
	char *error = NULL;

	/* ".." cannot climb above the root. */
	char *climb = xasprintf("/../../../../%s-climb", base);
	assert_int_equal(edit_write_atomic(fx->h, climb, "in", 2, 0644, &error), 0);
	char *inside = xasprintf("%s-climb", base);
	assert_content(fx, inside, "in", 2);
	char *outside = xasprintf("%s/../%s-climb", fx->root, base);
	struct stat st;
	assert_int_equal(lstat(outside, &st), -1);
	free(outside);
	free(inside);
	free(climb);

	/* An absolute symlink is re-rooted. */
	char *target = xasprintf("/tmp/%s-abs", base);
	char *link = testlib_path(fx, "etc/abs");
	assert_int_equal(symlink(target, link), 0);
	testlib_mkdirs(fx, "tmp");
	assert_int_equal(edit_write_atomic(fx->h, "/etc/abs", "abs", 3, 0644, &error), 0);
	char *rel = xasprintf("tmp/%s-abs", base);
	assert_content(fx, rel, "abs", 3);
	assert_int_equal(lstat(target, &st), -1); /* the real /tmp/... was not touched */
	assert_true(S_ISLNK(testlib_mode(fx, "etc/abs")));
	free(rel);
	free(link);
	free(target);

	/* A relative symlink with too many ".." stops at the root. */
	char *rtarget = xasprintf("../../../../../../%s-rel", base);
	link = testlib_path(fx, "etc/rel");
	assert_int_equal(symlink(rtarget, link), 0);
	assert_int_equal(edit_write_atomic(fx->h, "/etc/rel", "rel", 3, 0644, &error), 0);
	rel = xasprintf("%s-rel", base);
	assert_content(fx, rel, "rel", 3);
	outside = xasprintf("%s/../%s-rel", fx->root, base);
	assert_int_equal(lstat(outside, &st), -1);
	free(outside);
	free(rel);
	free(link);
	free(rtarget);
}

/* ---- remove and mkdir ---- */

static void test_remove(void **state)
{
	struct test_root *fx = *state;
	testlib_write_bytes(fx, "etc/created", "c", 1, 0644);
	char *error = NULL;
	assert_int_equal(edit_remove(fx->h, "/etc/created", &error), 0);
	assert_false(testlib_exists(fx, "etc/created"));
	/* Missing is fine, even a missing directory. */
	assert_int_equal(edit_remove(fx->h, "/etc/created", &error), 0);
	assert_int_equal(edit_remove(fx->h, "/no/such/dir/file", &error), 0);
	/* Through a symlink the file goes and the link stays (undo of a write through it). */
	testlib_write_bytes(fx, "boot/grub/grub.conf", "g", 1, 0644);
	char *link = testlib_path(fx, "boot/grub/menu.lst");
	assert_int_equal(symlink("grub.conf", link), 0);
	assert_int_equal(edit_remove(fx->h, "/boot/grub/menu.lst", &error), 0);
	assert_false(testlib_exists(fx, "boot/grub/grub.conf"));
	assert_true(S_ISLNK(testlib_mode(fx, "boot/grub/menu.lst")));
	free(link);
	/* Directories are not removed. */
	assert_int_equal(edit_remove(fx->h, "/boot/grub", &error), -EISDIR);
	assert_string_equal(error, "remove /boot/grub: Is a directory");
	free(error);
}

static void test_mkdir_p(void **state)
{
	struct test_root *fx = *state;
	char *error = NULL;
	assert_int_equal(edit_mkdir_p(fx->h, "/var/lib/kvmprep", &error), 0);
	assert_null(error);
	assert_int_equal(testlib_mode(fx, "var/lib/kvmprep"), S_IFDIR | 0755);
	/* Again: nothing to do. */
	assert_int_equal(edit_mkdir_p(fx->h, "/var/lib/kvmprep/", &error), 0);
	assert_int_equal(edit_mkdir_p(fx->h, "/", &error), 0);
	/* ".." and symlinks resolve inside the root. */
	assert_int_equal(edit_mkdir_p(fx->h, "/../var/../opt/x", &error), 0);
	assert_true(S_ISDIR(testlib_mode(fx, "opt/x")));
	char *link = testlib_path(fx, "state");
	assert_int_equal(symlink("/var/lib", link), 0);
	assert_int_equal(edit_mkdir_p(fx->h, "/state/new/deeper", &error), 0);
	assert_true(S_ISDIR(testlib_mode(fx, "var/lib/new/deeper")));
	assert_true(S_ISLNK(testlib_mode(fx, "state")));
	free(link);
	/* A file in the way. */
	testlib_write_bytes(fx, "var/file", "f", 1, 0644);
	assert_int_equal(edit_mkdir_p(fx->h, "/var/file/sub", &error), -ENOTDIR);
	assert_string_equal(error, "create directory /var/file: Not a directory");
	free(error);
	assert_int_equal(edit_mkdir_p(fx->h, "relative", &error), -EINVAL);
	free(error);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_new_file),
		T(test_existing_keeps_mode_and_bytes),
		T(test_owner_kept),
		T(test_write_as),
		T(test_symlink_stays_symlink),
		T(test_dangling_symlink_creates_target),
		T(test_not_a_regular_file),
		T(test_long_name),
		T(test_every_fault_keeps_original),
		T(test_read_only_dir),
		T(test_escape_stays_inside_root),
		T(test_remove),
		T(test_mkdir_p),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
