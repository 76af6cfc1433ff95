/* hostinfo.h: the host overview: distribution, kernel, init system, boot loader, memory. */
#ifndef KVMPREP_HOSTINFO_H
#define KVMPREP_HOSTINFO_H

#include "host.h"

struct hostinfo {
	char *distro;          /* "CentOS release 6.10 (Final)", or "unknown" */
	char *kernel;          /* /proc/sys/kernel/osrelease, or "unknown" */
	int kernel_bits;       /* 64, 32, or 0 when unknown */
	const char *init;      /* "systemd", "sysv", "unknown" (design.md §2) */
	const char *bootloader;/* "grub-legacy", "grub2", "grub2-bls", "systemd-boot", "unknown" */
	bool uefi;
	long long mem_total_kib; /* MemTotal, or -1 */
};

void hostinfo_gather(struct host *h, struct hostinfo *info);
void hostinfo_free(struct hostinfo *info);
/* Word size of a kernel from its release or machine string ("...x86_64", "-686-pae"), 0 unknown. */
int hostinfo_bits_from_release(const char *release);

#endif
