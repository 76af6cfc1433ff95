/* testlib.h: helpers the unit tests share: private temporary directories for host roots. */
#ifndef KVMPREP_TESTLIB_H
#define KVMPREP_TESTLIB_H

/* Creates $TMPDIR/kvmprep-NAME-XXXXXX (or under /tmp); malloc'ed path, or NULL. */
char *testlib_mkdtemp(const char *name);
/* Removes a directory tree without following symlinks; 0 or -1. */
int testlib_remove_tree(const char *path);

#endif
