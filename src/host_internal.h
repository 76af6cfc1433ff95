/* host_internal.h: what host.c shares with host_facts.c and capture.c, and nothing else. */
#ifndef KVMPREP_HOST_INTERNAL_H
#define KVMPREP_HOST_INTERNAL_H

#include "host.h"

struct host {
	char *root;   /* "/" or an absolute normalised directory */
	int rootfd;   /* open directory of the root; every lookup is relative to it */
	bool live;    /* root is "/": facts come from the running system */
	struct host_recorder *rec;
};

void host_record(struct host *h, enum host_record_kind kind, const char *path, mode_t mode,
                 const void *data, size_t len);
/* readlink of a path already resolved relative to the root. */
int host_readlink_rel(struct host *h, const char *rel, char **target);

#endif
