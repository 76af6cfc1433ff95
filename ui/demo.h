/* demo.h: `kvmprep demo`: bundled sample hosts, copied into a private directory for the wizard. */
#ifndef KVMPREP_UI_DEMO_H
#define KVMPREP_UI_DEMO_H

#include <stdio.h>

#define DEMO_DEFAULT_HOST "centos6-guide"

/* Where the sample hosts are: $KVMPREP_DEMO_HOSTS, else PKGDATADIR/hosts, else tests/hosts
 * beside the wizard binary (the build tree). NULL when none exists. malloc'ed. */
char *demo_hosts_dir(void);
/* Prints each sample host on one line: name and what it shows. Returns 0, or -1 with a message. */
int demo_list(FILE *out);
/* True for a plain directory name (no '/', not "." or ".."). */
int demo_name_ok(const char *name);
/* Copies src (cp -a: modes, times, symlinks kept as symlinks) to DIR/NAME under a new private
 * directory DIR from mkdtemp; *tmp gets DIR, *root gets DIR/NAME. -errno with *error. */
int demo_copy(const char *src, const char *name, char **tmp, char **root, char **error);
/* Removes a directory tree (without following symlinks). */
int demo_remove(const char *dir);

#endif
