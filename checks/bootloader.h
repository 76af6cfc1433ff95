/* bootloader.h: where the kernel arguments for the next boot live, per boot scheme, and how to change them. */
#ifndef KVMPREP_BOOTLOADER_H
#define KVMPREP_BOOTLOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "action.h"
#include "check.h"
#include "kargs.h"

/* One place that carries kernel arguments for a future boot. */
struct boot_place {
	char *path;           /* host path of the file */
	char *what;           /* "kernel line of 'CentOS (2.6.32-71...)'", "GRUB_CMDLINE_LINUX", ... */
	char *args;           /* the arguments there, as the next boot would see them */
	bool entry;           /* a boot menu entry (else a default that future kernels inherit) */
	bool default_entry;   /* the entry that boots by default */
};

struct boot_config {
	const char *scheme;   /* "grub-legacy", "grub2", "grub2-bls", "systemd-boot", "extlinux", "unknown" */
	const char *flavour;  /* "el" or "debian" for grub2; NULL otherwise */
	bool editable;        /* kvmprep knows how to change this scheme safely */
	char *problem;        /* why it is not editable or not readable, or NULL */
	struct boot_place *places;
	size_t n_places;
	char *mkconfig_output;/* grub2 (EL): the grub.cfg that grub2-mkconfig must write */
	bool kernelopts;      /* grub2-bls: entries use $kernelopts from grubenv (EL8) */
};

/* Reads the boot configuration of the host (domain.md §3). Never fails: a scheme it cannot
 * read is reported through problem. */
void boot_config_read(struct check_ctx *ctx, struct boot_config *bc);
void boot_config_free(struct boot_config *bc);
/* True when every place already satisfies the edit; the places that do not are added to
 * missing (their "what"), when given. */
bool boot_config_satisfied(const struct boot_config *bc, const struct kargs_edit *edit, struct strlist *missing);
/* Fills the action with the file edits and commands that make every place satisfy the edit,
 * or with manual instructions when the scheme cannot be changed safely. */
void boot_config_plan(struct check_ctx *ctx, const struct boot_config *bc, const struct kargs_edit *edit,
                      struct action *a);
/* The edit as the command line an admin would type for it ("amd_iommu=on", "-amd_iommu=off"). */
char *kargs_edit_describe(const struct kargs_edit *edit);

#endif
