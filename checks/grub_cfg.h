/* grub_cfg.h: the Linux lines of a generated GRUB2 grub.cfg (menuentry blocks), read-only. */
#ifndef KVMPREP_GRUB_CFG_H
#define KVMPREP_GRUB_CFG_H

#include <stdbool.h>
#include <stddef.h>

struct grub_cfg_entry {
	char *title;       /* the menuentry title, quotes removed */
	char *kernel;      /* the path after linux/linux16/linuxefi */
	char *args;        /* the arguments after it */
	size_t lineno;
	bool recovery;     /* title mentions "recovery mode" or "rescue" */
};

struct grub_cfg {
	struct grub_cfg_entry *v;
	size_t n;
	bool stub;         /* no menuentry, but "configfile": an EFI stub that loads the real file */
	bool blscfg;       /* "blscfg": the menu comes from BLS entries */
};

void grub_cfg_parse(const char *text, size_t len, struct grub_cfg *out);
void grub_cfg_free(struct grub_cfg *g);

#endif
