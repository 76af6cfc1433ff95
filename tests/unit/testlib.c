/* testlib.c: temporary directories for the unit tests' host roots, and their removal. */
#include "config.h"

#include "testlib.h"
#include "util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

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
