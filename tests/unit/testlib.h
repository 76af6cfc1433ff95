/* testlib.h: helpers the unit tests share: private temporary host roots and the files the tests put in them. */
#ifndef KVMPREP_TESTLIB_H
#define KVMPREP_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct host;

/* A host opened on a private temporary directory. */
struct test_root {
	struct host *h;
	char *root; /* real path of the temporary directory, as host_root(h) gives it */
};

/* Creates $TMPDIR/kvmprep-NAME-XXXXXX (or under /tmp); malloc'ed path, or NULL. */
char *testlib_mkdtemp(const char *name);
/* Removes a directory tree without following symlinks; 0 or -1. */
int testlib_remove_tree(const char *path);

/* Opens a host on a new temporary directory named after NAME; NULL on failure. */
struct test_root *testlib_root_open(const char *name);
/* Closes the host, removes the directory and frees tr; 0, or -1 when the removal failed. */
int testlib_root_close(struct test_root *tr);

/* The malloc'ed real path ROOT/rel (rel is relative, without a leading '/'). */
char *testlib_path(const struct test_root *tr, const char *rel);
/* mkdir -p ROOT/rel, each new directory 0755 (less the umask); asserts on failure. */
void testlib_mkdirs(const struct test_root *tr, const char *rel);
/* Writes ROOT/rel with exactly len bytes and the given mode, creating its parent directories. */
void testlib_write_bytes(const struct test_root *tr, const char *rel, const void *data, size_t len, mode_t mode);
/* Writes the text to ROOT/rel with the given mode, creating its parent directories. */
void testlib_write_mode(const struct test_root *tr, const char *rel, const char *text, mode_t mode);
/* Writes the text to ROOT/rel as a 0644 file, creating its parent directories. */
void testlib_write(const struct test_root *tr, const char *rel, const char *text);
/* Makes ROOT/rel a symlink to target (kept as given), creating its parent directories. */
void testlib_symlink(const struct test_root *tr, const char *target, const char *rel);
/* The malloc'ed bytes of ROOT/rel with a NUL added (their count in *len when len is not NULL),
 * or NULL (errno set) when it cannot be opened. */
char *testlib_read(const struct test_root *tr, const char *rel, size_t *len);
/* Whether ROOT/rel exists, without following a final symlink. */
bool testlib_exists(const struct test_root *tr, const char *rel);
/* The st_mode of ROOT/rel, without following a final symlink; asserts it exists. */
mode_t testlib_mode(const struct test_root *tr, const char *rel);

#endif
