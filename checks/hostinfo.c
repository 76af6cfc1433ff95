/* hostinfo.c: reads the host overview (distro, kernel, init, boot loader) through the host layer. */
#include "config.h"

#include "hostinfo.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define SMALL_FILE (256 * 1024)

/* Value of KEY= in an os-release style file, quotes removed; NULL when absent. */
static char *os_release_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == '=') {
			char *v = str_trim(xstrndup(line + klen + 1, len - klen - 1));
			size_t vl = strlen(v);
			if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
				memmove(v, v + 1, vl - 2);
				v[vl - 2] = '\0';
			}
			return v;
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static char *read_distro(struct host *h)
{
	char *line = NULL;
	if (host_read_line(h, "/etc/redhat-release", &line) == 0 && *line)
		return line;
	free(line);
	struct buf b;
	buf_init(&b);
	char *name = NULL;
	if (host_read_file(h, "/etc/os-release", SMALL_FILE, &b) == 0 ||
	    host_read_file(h, "/usr/lib/os-release", SMALL_FILE, &b) == 0) {
		name = os_release_value(b.data, "PRETTY_NAME");
		if (!name || !*name) {
			free(name);
			name = os_release_value(b.data, "NAME");
		}
	}
	buf_free(&b);
	if (name && *name)
		return name;
	free(name);
	if (host_read_line(h, "/etc/debian_version", &line) == 0 && *line) {
		char *d = xasprintf("Debian %s", line);
		free(line);
		return d;
	}
	free(line);
	return xstrdup("unknown");
}

int hostinfo_bits_from_release(const char *release)
{
	static const char *const bits64[] = { "x86_64", "amd64", "aarch64", "ppc64", "s390x" };
	static const char *const bits32[] = { "i686", "i586", "i386", "-686", "-486", "-586", ".686" };
	for (size_t i = 0; i < ARRAY_SIZE(bits64); i++)
		if (strstr(release, bits64[i]))
			return 64;
	for (size_t i = 0; i < ARRAY_SIZE(bits32); i++)
		if (strstr(release, bits32[i]))
			return 32;
	return 0;
}

/* CONFIG_64BIT in /boot/config-RELEASE, for releases that do not name the architecture
 * (Ubuntu's "5.15.0-91-generic"). */
static int bits_from_kernel_config(struct host *h, const char *release)
{
	char *path = xasprintf("/boot/config-%s", release);
	struct buf b;
	buf_init(&b);
	int bits = 0;
	if (strchr(release, '/') == NULL && host_read_file(h, path, 16 * 1024 * 1024, &b) == 0) {
		if (strstr(b.data, "\nCONFIG_64BIT=y") || str_starts_with(b.data, "CONFIG_64BIT=y"))
			bits = 64;
		else if (strstr(b.data, "# CONFIG_64BIT is not set"))
			bits = 32;
	}
	buf_free(&b);
	free(path);
	return bits;
}

static int kernel_bits(struct host *h, const char *release)
{
	char *arch = NULL;
	int bits = 0;
	if (host_read_line(h, "/proc/sys/kernel/arch", &arch) == 0)
		bits = hostinfo_bits_from_release(arch);
	free(arch);
	if (!bits)
		bits = hostinfo_bits_from_release(release);
	if (!bits && strcmp(release, "unknown") != 0)
		bits = bits_from_kernel_config(h, release);
	if (!bits && host_is_live(h)) {
		struct utsname u;
		if (uname(&u) == 0)
			bits = hostinfo_bits_from_release(u.machine);
	}
	return bits;
}

static const char *detect_init(struct host *h)
{
	if (host_is_dir(h, "/run/systemd/system"))
		return "systemd";
	if (host_exists(h, "/sbin/chkconfig") && host_is_dir(h, "/etc/rc.d/init.d"))
		return "sysv";
	if (host_exists(h, "/etc/inittab") && host_is_dir(h, "/etc/init.d"))
		return "sysv";
	return "unknown";
}

static bool default_grub_enables_bls(struct host *h)
{
	struct buf b;
	buf_init(&b);
	bool on = false;
	if (host_read_file(h, "/etc/default/grub", SMALL_FILE, &b) == 0) {
		char *v = os_release_value(b.data, "GRUB_ENABLE_BLSCFG");
		on = v && strcmp(v, "true") == 0;
		free(v);
	}
	buf_free(&b);
	return on;
}

static bool has_bls_entries(struct host *h)
{
	struct strlist names;
	bool found = false;
	if (host_list_dir(h, "/boot/loader/entries", &names) == 0) {
		for (size_t i = 0; i < names.n && !found; i++)
			found = str_ends_with(names.v[i], ".conf");
		strlist_free(&names);
	}
	return found;
}

/* domain.md §3.1; the boot loader step refines this. */
static const char *detect_bootloader(struct host *h)
{
	bool default_grub = host_exists(h, "/etc/default/grub");
	bool grub2_dir = host_is_dir(h, "/boot/grub2");
	if (!default_grub && !grub2_dir &&
	    (host_exists(h, "/boot/grub/grub.conf") || host_exists(h, "/boot/efi/EFI/redhat/grub.conf")))
		return "grub-legacy";
	if (default_grub && grub2_dir)
		return default_grub_enables_bls(h) && has_bls_entries(h) ? "grub2-bls" : "grub2";
	if (default_grub && host_exists(h, "/boot/grub/grub.cfg"))
		return "grub2";
	if (host_exists(h, "/boot/loader/loader.conf") || host_exists(h, "/boot/efi/loader/loader.conf") ||
	    host_exists(h, "/efi/loader/loader.conf"))
		return "systemd-boot";
	return "unknown";
}

static long long read_mem_total(struct host *h)
{
	struct buf b;
	buf_init(&b);
	long long kib = -1;
	if (host_read_file(h, "/proc/meminfo", SMALL_FILE, &b) == 0) {
		const char *p = strstr(b.data, "MemTotal:");
		if (p) {
			char *end;
			long long v = strtoll(p + strlen("MemTotal:"), &end, 10);
			if (end != p + strlen("MemTotal:") && v >= 0)
				kib = v;
		}
	}
	buf_free(&b);
	return kib;
}

void hostinfo_gather(struct host *h, struct hostinfo *info)
{
	memset(info, 0, sizeof *info);
	info->distro = read_distro(h);
	if (host_read_line(h, "/proc/sys/kernel/osrelease", &info->kernel) < 0 || !*info->kernel) {
		free(info->kernel);
		info->kernel = xstrdup("unknown");
	}
	info->kernel_bits = kernel_bits(h, info->kernel);
	info->init = detect_init(h);
	info->uefi = host_is_dir(h, "/sys/firmware/efi");
	info->bootloader = detect_bootloader(h);
	info->mem_total_kib = read_mem_total(h);
}

void hostinfo_free(struct hostinfo *info)
{
	free(info->distro);
	free(info->kernel);
	memset(info, 0, sizeof *info);
}
