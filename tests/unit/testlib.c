/* testlib.c: temporary host roots for the unit tests, the files they put in them, reading them back, removal. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "util.h"

char *testlib_mkdtemp(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *tmpl = xasprintf("%s/kvmprep-%s-XXXXXX", tmp, name);
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int testlib_remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

struct test_root *testlib_root_open(const char *name)
{
	char *tmpl = testlib_mkdtemp(name);
	if (!tmpl)
		return NULL;
	struct test_root *tr = xcalloc(1, sizeof *tr);
	if (host_open(&tr->h, tmpl) < 0) {
		testlib_remove_tree(tmpl);
		free(tmpl);
		free(tr);
		return NULL;
	}
	free(tmpl);
	tr->root = xstrdup(host_root(tr->h));
	return tr;
}

int testlib_root_close(struct test_root *tr)
{
	if (!tr)
		return -1;
	host_close(tr->h);
	int rc = testlib_remove_tree(tr->root);
	free(tr->root);
	free(tr);
	return rc;
}

char *testlib_path(const struct test_root *tr, const char *rel)
{
	return xasprintf("%s/%s", tr->root, rel);
}

void testlib_mkdirs(const struct test_root *tr, const char *rel)
{
	char *path = testlib_path(tr, rel);
	for (char *p = path + strlen(tr->root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
	free(path);
}

/* Creates the directories above ROOT/rel. */
static void make_parent(const struct test_root *tr, const char *rel)
{
	char *parent = xstrdup(rel);
	char *slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		testlib_mkdirs(tr, parent);
	}
	free(parent);
}

void testlib_write_bytes(const struct test_root *tr, const char *rel, const void *data, size_t len, mode_t mode)
{
	make_parent(tr, rel);
	char *path = testlib_path(tr, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
	free(path);
}

void testlib_write_mode(const struct test_root *tr, const char *rel, const char *text, mode_t mode)
{
	testlib_write_bytes(tr, rel, text, strlen(text), mode);
}

void testlib_write(const struct test_root *tr, const char *rel, const char *text)
{
	testlib_write_bytes(tr, rel, text, strlen(text), 0644);
}

void testlib_symlink(const struct test_root *tr, const char *target, const char *rel)
{
	make_parent(tr, rel);
	char *path = testlib_path(tr, rel);
	assert_int_equal(symlink(target, path), 0);
	free(path);
}

char *testlib_read(const struct test_root *tr, const char *rel, size_t *len)
{
	char *path = testlib_path(tr, rel);
	FILE *f = fopen(path, "rbe");
	int err = errno;
	free(path);
	if (!f) {
		errno = err;
		return NULL;
	}
	struct buf b;
	buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	assert_false(ferror(f));
	assert_int_equal(fclose(f), 0);
	if (len)
		*len = b.len;
	return buf_steal(&b);
}

bool testlib_exists(const struct test_root *tr, const char *rel)
{
	char *path = testlib_path(tr, rel);
	struct stat st;
	bool e = lstat(path, &st) == 0;
	free(path);
	return e;
}

mode_t testlib_mode(const struct test_root *tr, const char *rel)
{
	char *path = testlib_path(tr, rel);
	struct stat st;
	if (lstat(path, &st) != 0)
		fail_msg("%s: %s", path, strerror(errno));
	free(path);
	return st.st_mode;
}
