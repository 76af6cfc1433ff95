/* host.h: every access to the inspected host goes through here: rooted file access and the non-file facts. */
#ifndef KVMPREP_HOST_H
#define KVMPREP_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

/*
 * A host is the directory tree at ROOT ("/" for the live machine, or a snapshot or
 * mounted image). Every path given to these functions is an absolute host path such as
 * "/etc/grub.conf"; it is resolved inside ROOT: ".." never climbs above ROOT, and
 * symbolic links (absolute or relative) are followed inside ROOT, so nothing outside the
 * root is ever read or written. Functions return 0 on success or a negative errno.
 */
struct host;
struct host_recorder;

int host_open(struct host **out, const char *root);
void host_close(struct host *h);

/* "/" or the absolute, normalised root directory. */
const char *host_root(const struct host *h);
/* True when the root is "/": facts come from the running system (CPUID, /dev/kmsg, MSRs). */
bool host_is_live(const struct host *h);

/* Resolves an absolute host path to its real location relative to the root (no leading
 * slash, "" for the root itself), following symlinks inside the root. With follow_last
 * false the last component is not followed. The result is malloc'ed. */
int host_resolve(struct host *h, const char *path, bool follow_last, char **resolved);
/* The same, as a path usable by the real file system (ROOT joined with the resolved path). */
int host_real_path(struct host *h, const char *path, bool follow_last, char **real);

/* Opens a host file (flags as for open(2); O_CREAT needs mode). Returns fd or -errno. */
int host_open_file(struct host *h, const char *path, int flags, mode_t mode);
/* Opens the directory holding a host path (resolved like host_resolve) for *at() calls on
 * its last component, returned in *name (malloc'ed). Returns the directory fd or -errno;
 * -EISDIR when the path is the root itself. */
int host_open_parent(struct host *h, const char *path, bool follow_last, char **name);
int host_stat(struct host *h, const char *path, struct stat *st);
int host_lstat(struct host *h, const char *path, struct stat *st);
bool host_exists(struct host *h, const char *path);
bool host_is_dir(struct host *h, const char *path);
/* The raw link text of a symlink (not re-rooted). */
int host_readlink(struct host *h, const char *path, char **target);

/* Reads a whole regular (or proc/sys) file up to max_bytes; -EFBIG when larger,
 * -EISDIR / -EINVAL for directories and special files that are not readable as text. */
int host_read_file(struct host *h, const char *path, size_t max_bytes, struct buf *out);
/* Reads the first line of a small file (sysfs style), trailing white space stripped. */
int host_read_line(struct host *h, const char *path, char **line);
/* Names in a directory, sorted, without "." and "..". */
int host_list_dir(struct host *h, const char *path, struct strlist *names);

/* ---- Facts that are not files (design.md §3). In a snapshot they live in ROOT/.kvmprep/;
 * a fact recorded as unavailable is ROOT/.kvmprep/NAME.error holding an errno name such as
 * "EACCES" (for MSRs one ROOT/.kvmprep/msr.error stands for every CPU). Functions return
 * 0, or -errno as the live source failed; -ENODATA when a snapshot does not hold the fact. ---- */

/* Each takes an optional source out-parameter naming where the fact came from
 * ("CPUID instruction", "/dev/kmsg", ".kvmprep/dmesg.txt", ...). */
/* Raw CPUID text in libcpuid's native serialisation ("version=..." / "basic_cpuid[0]=..."). */
int host_fact_cpuid(struct host *h, struct buf *dump, const char **source);
/* Kernel log text, one message per line as dmesg prints it. */
int host_fact_kernel_log(struct host *h, struct buf *log, const char **source);
/* One MSR of one logical CPU. -ENOENT: no msr driver / not recorded; -EACCES: needs root;
 * -EIO: the MSR does not exist on this CPU. */
int host_fact_msr(struct host *h, unsigned cpu, uint32_t index, uint64_t *value);
/* The /dev/kvm functional probe result, as in .kvmprep/kvm-probe: "ok api=12", "ebusy",
 * "eacces", "enoent" or "error TEXT". */
int host_fact_kvm_probe(struct host *h, char **result);
/* The uid the host is inspected as. */
int host_fact_uid(struct host *h, uid_t *uid);
/* The hypervisor signature from CPUID leaf 0x40000000 ("KVMKVMKVM", ...); in a snapshot
 * .kvmprep/hypervisor-signature. -ENOENT when the CPU reports no hypervisor. */
int host_fact_hypervisor_signature(struct host *h, char **signature);
/* What "systemctl is-active UNIT" prints ("active", "inactive", "failed", ...), run through
 * the runner; in a snapshot .kvmprep/unit-active/UNIT when capture wrote it, else the root's
 * own systemctl. -ENOENT: no systemctl; -EIO: it did not answer. */
int host_fact_unit_active(struct host *h, const char *unit, char **state);

/* ---- Recording, for `capture`: when a recorder is attached, every successful or failed
 * read above is remembered so that capture can write exactly what the checks used. ---- */
enum host_record_kind {
	HOST_REC_FILE,      /* a file was read: data holds its content */
	HOST_REC_STAT,      /* existence/type was asked: mode holds st_mode */
	HOST_REC_DIR,       /* a directory was listed */
	HOST_REC_LINK,      /* a symlink was traversed or read: data holds its target */
	HOST_REC_MISSING,   /* the path does not exist */
	HOST_REC_FACT,      /* a .kvmprep fact: path is the fact name, data its text */
	HOST_REC_FACT_ERROR /* a fact was unavailable: data holds the errno name */
};
struct host_record {
	enum host_record_kind kind;
	char *path;
	mode_t mode;
	struct buf data;
};
struct host_recorder {
	struct host_record *v;
	size_t n, cap;
};
void host_set_recorder(struct host *h, struct host_recorder *rec);
void host_recorder_free(struct host_recorder *rec);

/* errno name ("EACCES") and back; unknown names give EIO. */
const char *host_errno_name(int err);
int host_errno_from_name(const char *name);

#endif
