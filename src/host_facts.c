/* host_facts.c: the facts that are not files: CPUID, kernel log, MSRs, the /dev/kvm probe, uid. */
#include "config.h"

#include "host.h"
#include "host_internal.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libcpuid.h>
#ifdef HAVE_CPUID_H
#include <cpuid.h>
#endif
#ifdef HAVE_LINUX_KVM_H
#include <linux/kvm.h>
#endif
#ifdef HAVE_SYS_KLOG_H
#include <sys/klog.h>
#endif

#define FACT_MAX_BYTES (64u * 1024 * 1024)
#define KERNEL_LOG_MAX_BYTES (64u * 1024 * 1024)

/* Reads ROOT/.kvmprep/NAME, or reports the error recorded in ROOT/.kvmprep/NAME.error. */
static int snapshot_fact(struct host *h, const char *name, struct buf *out)
{
	char *path = xasprintf("/.kvmprep/%s", name);
	int rc = host_read_file(h, path, FACT_MAX_BYTES, out);
	free(path);
	if (rc != -ENOENT)
		return rc;
	char *errpath = xasprintf("/.kvmprep/%s.error", name);
	char *line = NULL;
	int erc = host_read_line(h, errpath, &line);
	free(errpath);
	if (erc == 0)
		rc = -host_errno_from_name(line);
	else
		rc = -ENODATA; /* the snapshot does not hold this fact at all */
	free(line);
	return rc;
}

static void record_fact(struct host *h, const char *name, int rc, const struct buf *value)
{
	if (rc == 0)
		host_record(h, HOST_REC_FACT, name, 0644, value->data, value->len);
	else
		host_record(h, HOST_REC_FACT_ERROR, name, 0644, host_errno_name(rc),
		            strlen(host_errno_name(rc)));
}

/* ---- CPUID ---- */

static void dump_rows(struct buf *out, const char *name, const uint32_t (*rows)[4], int n)
{
	for (int i = 0; i < n; i++)
		if (rows[i][0] | rows[i][1] | rows[i][2] | rows[i][3]) /* absent rows read as zero */
			buf_printf(out, "%s[%d]=%08" PRIx32 " %08" PRIx32 " %08" PRIx32 " %08" PRIx32 "\n",
			           name, i, rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
}

/* libcpuid's native serialisation (all-zero rows left out), written here so that the text
 * never touches a file name. */
static void serialize_cpuid(const struct cpu_raw_data_t *raw, struct buf *out)
{
	buf_printf(out, "version=%s\n", cpuid_lib_version());
	dump_rows(out, "basic_cpuid", (const uint32_t (*)[4])raw->basic_cpuid, MAX_CPUID_LEVEL);
	dump_rows(out, "ext_cpuid", (const uint32_t (*)[4])raw->ext_cpuid, MAX_EXT_CPUID_LEVEL);
	dump_rows(out, "intel_fn4", (const uint32_t (*)[4])raw->intel_fn4, MAX_INTELFN4_LEVEL);
	dump_rows(out, "intel_fn11", (const uint32_t (*)[4])raw->intel_fn11, MAX_INTELFN11_LEVEL);
	dump_rows(out, "intel_fn12h", (const uint32_t (*)[4])raw->intel_fn12h, MAX_INTELFN12H_LEVEL);
	dump_rows(out, "intel_fn14h", (const uint32_t (*)[4])raw->intel_fn14h, MAX_INTELFN14H_LEVEL);
	dump_rows(out, "amd_fn8000001dh", (const uint32_t (*)[4])raw->amd_fn8000001dh,
	          MAX_AMDFN8000001DH_LEVEL);
}

/* Reads only the leaves that identify the CPU and its virtualization features: vendor and
 * signature (0, 1), extended features and brand (0x80000000-4), SVM features (0x8000000A). */
static int read_cpuid_leaves(struct cpu_raw_data_t *raw)
{
#ifdef HAVE_CPUID_H
	unsigned *r = raw->basic_cpuid[0];
	__cpuid(0, r[0], r[1], r[2], r[3]);
	if (raw->basic_cpuid[0][0] >= 1) {
		r = raw->basic_cpuid[1];
		__cpuid(1, r[0], r[1], r[2], r[3]);
	}
	r = raw->ext_cpuid[0];
	__cpuid(0x80000000u, r[0], r[1], r[2], r[3]);
	unsigned max_ext = raw->ext_cpuid[0][0];
	static const unsigned ext_leaves[] = { 1, 2, 3, 4, 0xA };
	for (size_t i = 0; i < ARRAY_SIZE(ext_leaves); i++) {
		unsigned leaf = 0x80000000u + ext_leaves[i];
		if (max_ext >= leaf) {
			r = raw->ext_cpuid[ext_leaves[i]];
			__cpuid(leaf, r[0], r[1], r[2], r[3]);
		}
	}
	return 0;
#else
	(void)raw;
	return -ENOSYS;
#endif
}

int host_fact_cpuid(struct host *h, struct buf *dump, const char **source)
{
	buf_reset(dump);
	int rc;
	if (h->live) {
		*source = "CPUID instruction";
		struct cpu_raw_data_t raw;
		memset(&raw, 0, sizeof raw);
		if (!cpuid_present())
			rc = -ENODEV;
		else if (!h->rec && read_cpuid_leaves(&raw) == 0)
			rc = 0; /* the leaves the checks use: each CPUID traps to the hypervisor in a VM */
		else if (cpuid_get_raw_data(&raw) < 0)
			rc = -EIO; /* capture keeps libcpuid's complete dump */
		else
			rc = 0;
		if (rc == 0)
			serialize_cpuid(&raw, dump);
	} else {
		*source = ".kvmprep/cpuid.raw";
		rc = snapshot_fact(h, "cpuid.raw", dump);
	}
	record_fact(h, "cpuid.raw", rc, dump);
	return rc;
}

/* ---- kernel log ---- */

/* /dev/kmsg records: "PRI,SEQ,USEC,FLAGS;text" plus " KEY=value" continuation lines. */
static int read_kmsg(struct buf *log)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 16384;
	char *rec = xmalloc(cap);
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, rec, cap - 1);
		if (n < 0) {
			if (errno == EINTR || errno == EPIPE)
				continue; /* EPIPE: a record was overwritten while reading */
			if (errno != EAGAIN)
				rc = -errno;
			break;
		}
		if (n == 0)
			break;
		rec[n] = '\0';
		char *semi = strchr(rec, ';');
		if (!semi)
			continue;
		unsigned long long usec = 0;
		char *comma = strchr(rec, ',');
		if (comma && (comma = strchr(comma + 1, ',')) != NULL)
			usec = strtoull(comma + 1, NULL, 10);
		char *text = semi + 1;
		char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		buf_printf(log, "[%5llu.%06llu] ", usec / 1000000, usec % 1000000);
		buf_append(log, text, len);
		buf_putc(log, '\n');
		if (log->len > KERNEL_LOG_MAX_BYTES) {
			rc = -EFBIG;
			break;
		}
	}
	free(rec);
	close(fd);
	if (rc == 0 && log->len == 0)
		rc = -ENOMSG;
	return rc;
}

#ifdef HAVE_SYS_KLOG_H
/* klogctl(2) READ_ALL: lines carry a "<N>" priority prefix, which is dropped. */
static int read_klogctl(struct buf *log)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	if (size <= 0)
		return size < 0 ? -errno : -ENODATA;
	char *text = xmalloc((size_t)size + 1);
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, text, size);
	if (n < 0) {
		int err = errno;
		free(text);
		return -err;
	}
	text[n] = '\0';
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *body = line;
		if (body[0] == '<') {
			char *gt = memchr(body, '>', len);
			if (gt) {
				len -= (size_t)(gt + 1 - body);
				body = gt + 1;
			}
		}
		buf_append(log, body, len);
		buf_putc(log, '\n');
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(text);
	return 0;
}
#endif

int host_fact_kernel_log(struct host *h, struct buf *log, const char **source)
{
	buf_reset(log);
	int rc;
	if (!h->live) {
		*source = ".kvmprep/dmesg.txt";
		rc = snapshot_fact(h, "dmesg.txt", log);
		if (rc == -ENODATA) {
			/* A snapshot that lacks the fact may still hold the boot log (EL6). */
			*source = "/var/log/dmesg";
			rc = host_read_file(h, "/var/log/dmesg", KERNEL_LOG_MAX_BYTES, log);
			return rc;
		}
		record_fact(h, "dmesg.txt", rc, log);
		return rc;
	}
	/* klogctl hands over the whole ring buffer in one call; /dev/kmsg needs one read per
	 * message, so it is the second choice (kernels without the syslog call, or a seccomp
	 * filter that blocks it). */
	rc = -ENOSYS;
#ifdef HAVE_SYS_KLOG_H
	*source = "klogctl";
	rc = read_klogctl(log);
#endif
	if (rc < 0) {
		buf_reset(log);
		int krc = read_kmsg(log);
		if (krc == 0 || rc == -ENOSYS) {
			*source = "/dev/kmsg";
			rc = krc;
		}
	}
	if (rc < 0 && rc != -EACCES && rc != -EPERM) {
		/* Neither kernel interface exists here: the dmesg program is the last live source. */
		const char *argv[] = { "dmesg", NULL };
		struct run_result res;
		if (run_command(h, argv, NULL, &res) == 0 && res.outcome == RUN_EXITED &&
		    res.exit_code == 0) {
			buf_reset(log);
			buf_append(log, res.out, res.out_len);
			*source = "dmesg";
			rc = 0;
		}
		run_result_free(&res);
	}
	if (rc < 0) {
		buf_reset(log);
		int frc = host_read_file(h, "/var/log/dmesg", KERNEL_LOG_MAX_BYTES, log);
		if (frc == 0) {
			*source = "/var/log/dmesg";
			return 0; /* recorded as the file it is */
		}
		buf_reset(log);
	}
	record_fact(h, "dmesg.txt", rc, log);
	return rc;
}

/* ---- MSRs ---- */

int host_fact_msr(struct host *h, unsigned cpu, uint32_t index, uint64_t *value)
{
	char *name = xasprintf("msr/%u/0x%" PRIx32, cpu, index);
	struct buf text;
	buf_init(&text);
	int rc;
	if (h->live) {
		char *dev = xasprintf("/dev/cpu/%u/msr", cpu);
		int fd = open(dev, O_RDONLY | O_CLOEXEC);
		free(dev);
		if (fd < 0) {
			rc = -errno;
		} else {
			uint64_t v;
			ssize_t n = pread(fd, &v, sizeof v, (off_t)index);
			rc = n == (ssize_t)sizeof v ? 0 : n < 0 ? -errno : -EIO;
			close(fd);
			if (rc == 0) {
				*value = v;
				buf_printf(&text, "0x%" PRIx64 "\n", v);
			}
		}
	} else {
		rc = snapshot_fact(h, name, &text);
		if (rc == -ENODATA) {
			/* One error file may stand for the whole MSR driver (".kvmprep/msr.error"). */
			char *line = NULL;
			if (host_read_line(h, "/.kvmprep/msr.error", &line) == 0)
				rc = -host_errno_from_name(line);
			free(line);
		}
		if (rc == 0) {
			unsigned long long v;
			if (str_parse_hex_u64(text.data, &v))
				*value = v;
			else
				rc = -EINVAL;
		}
	}
	if (h->live && rc < 0 && rc != -EIO) {
		/* The driver is missing or closed for every MSR alike: record it once. */
		record_fact(h, "msr", rc, &text);
	} else {
		record_fact(h, name, rc, &text);
	}
	buf_free(&text);
	free(name);
	return rc;
}

/* ---- /dev/kvm functional probe ---- */

/* EBUSY means another hypervisor holds VT-x/AMD-V; anything else is reported with its text. */
static void probe_failure(char *out, size_t size, const char *request, int err)
{
	if (err == EBUSY)
		snprintf(out, size, "ebusy");
	else
		snprintf(out, size, "error %s: %s", request, strerror(err));
}

/* Opens /dev/kvm read-write and creates a VM and a vCPU; writes the result into out. */
static void probe_kvm_live(char *out, size_t size)
{
#ifdef HAVE_LINUX_KVM_H
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		if (err == ENOENT || err == ENODEV || err == ENXIO)
			snprintf(out, size, "enoent");
		else if (err == EACCES || err == EPERM)
			snprintf(out, size, "eacces");
		else
			snprintf(out, size, "error open /dev/kvm: %s", strerror(err));
		return;
	}
	int api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api < 0) {
		snprintf(out, size, "error KVM_GET_API_VERSION: %s", strerror(errno));
	} else {
		int vm = ioctl(fd, KVM_CREATE_VM, 0);
		if (vm < 0) {
			probe_failure(out, size, "KVM_CREATE_VM", errno);
		} else {
			int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
			if (vcpu < 0) {
				probe_failure(out, size, "KVM_CREATE_VCPU", errno);
			} else {
				snprintf(out, size, "ok api=%d", api);
				close(vcpu);
			}
			close(vm);
		}
	}
	close(fd);
#else
	snprintf(out, size, "error kvmprep was built without <linux/kvm.h>");
#endif
}

int host_fact_kvm_probe(struct host *h, char **result)
{
	*result = NULL;
	struct buf text;
	buf_init(&text);
	int rc = 0;
	if (h->live) {
		char probe[160];
		probe_kvm_live(probe, sizeof probe);
		buf_puts(&text, probe);
		buf_putc(&text, '\n');
	} else {
		rc = snapshot_fact(h, "kvm-probe", &text);
	}
	record_fact(h, "kvm-probe", rc, &text);
	if (rc == 0) {
		char *s = buf_steal(&text);
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		*result = str_trim(s);
	}
	buf_free(&text);
	return rc;
}

/* ---- uid ---- */

int host_fact_uid(struct host *h, uid_t *uid)
{
	struct buf text;
	buf_init(&text);
	int rc = 0;
	if (h->live) {
		*uid = getuid();
		buf_printf(&text, "%u\n", (unsigned)*uid);
	} else {
		rc = snapshot_fact(h, "uid", &text);
		long long v;
		if (rc == 0 && !(str_parse_ll(text.data, &v) && v >= 0 && v <= UINT32_MAX - 1))
			rc = -EINVAL;
		if (rc == 0)
			*uid = (uid_t)v;
	}
	record_fact(h, "uid", rc, &text);
	buf_free(&text);
	return rc;
}

/* ---- systemd unit state ---- */

static bool unit_name_ok(const char *unit)
{
	if (!unit || !*unit || unit[0] == '.' || strlen(unit) > 255)
		return false;
	for (const char *c = unit; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      strchr("@._-:\\", *c)))
			return false;
	return true;
}

int host_fact_unit_active(struct host *h, const char *unit, char **state)
{
	*state = NULL;
	if (!unit_name_ok(unit))
		return -EINVAL;
	char *name = xasprintf("unit-active/%s", unit);
	struct buf text;
	buf_init(&text);
	int rc = h->live ? -ENODATA : snapshot_fact(h, name, &text);
	if (rc == -ENODATA) {
		/* The live host, or a snapshot without the answer: ask the root's systemctl. */
		char *prog = run_find_program(h, "systemctl");
		rc = -ENOENT;
		if (prog) {
			const char *argv[] = { "systemctl", "is-active", unit, NULL };
			struct run_options opts = { 5000, 4096, NULL };
			struct run_result res;
			rc = -EIO;
			buf_reset(&text);
			if (run_command(h, argv, &opts, &res) == 0 && res.outcome == RUN_EXITED &&
			    res.out_len > 0 && res.out[0] != '\n') {
				buf_append(&text, res.out, strcspn(res.out, "\n"));
				buf_putc(&text, '\n');
				rc = 0;
			}
			run_result_free(&res);
			free(prog);
		}
	}
	if (rc == 0) {
		record_fact(h, name, rc, &text); /* a capture of a snapshot keeps it too */
		*state = buf_steal(&text);
		(*state)[strcspn(*state, "\n")] = '\0';
	}
	buf_free(&text);
	free(name);
	return rc;
}

/* ---- hypervisor signature (CPUID 0x40000000) ---- */

int host_fact_hypervisor_signature(struct host *h, char **signature)
{
	*signature = NULL;
	struct buf text;
	buf_init(&text);
	int rc = 0;
	if (!h->live) {
		rc = snapshot_fact(h, "hypervisor-signature", &text);
	} else {
#ifdef HAVE_CPUID_H
		unsigned a, b, c, d;
		__cpuid(1, a, b, c, d);
		if (!(c & (1u << 31))) {
			rc = -ENOENT; /* no hypervisor */
		} else {
			__cpuid(0x40000000, a, b, c, d);
			char sig[13];
			memcpy(sig + 0, &b, 4);
			memcpy(sig + 4, &c, 4);
			memcpy(sig + 8, &d, 4);
			sig[12] = '\0';
			for (int i = 0; i < 12; i++)
				if (sig[i] != '\0' && (sig[i] < 0x20 || sig[i] > 0x7e))
					sig[i] = '?';
			buf_puts(&text, sig);
			buf_putc(&text, '\n');
		}
#else
		rc = -ENOSYS;
#endif
	}
	record_fact(h, "hypervisor-signature", rc, &text);
	if (rc == 0) {
		char *s = buf_steal(&text);
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		*signature = s;
	}
	buf_free(&text);
	return rc;
}
