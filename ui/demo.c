/* demo.c: `kvmprep demo`: bundled sample hosts, copied into a private directory for the wizard. */
#include "config.h"

#include "demo.h"
#include "i18n.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/kvmprep"
#endif

static const struct {
	const char *name;
	const char *what;
} known_hosts[] = {
	{ "centos6-guide", N_("CentOS 6.0 on an AMD Opteron: the guide's own host (GRUB legacy, SysV, a ksmtuned log); "
	                      "the default") },
	{ "rocky9-intel-bls", N_("Rocky 9.3 on an Intel Xeon: BLS boot entries, UEFI, systemd") },
	{ "debian12-amd-cloud", N_("Debian 12 on AMD: a cloud image that turns the IOMMU off in a grub.d drop-in") },
};

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *demo_hosts_dir(void)
{
	const char *env = getenv("KVMPREP_DEMO_HOSTS");
	if (env && *env)
		return is_dir(env) ? xstrdup(env) : NULL;
	if (is_dir(PKGDATADIR "/hosts"))
		return xstrdup(PKGDATADIR "/hosts");
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *dir = xasprintf("%s/tests/hosts", self);
	if (is_dir(dir))
		return dir;
	free(dir);
	return NULL;
}

int demo_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int demo_list(FILE *out)
{
	char *dir = demo_hosts_dir();
	if (!dir) {
		fprintf(stderr, _("kvmprep: no sample hosts found (set KVMPREP_DEMO_HOSTS)\n"));
		return -1;
	}
	struct strlist names;
	strlist_init(&names);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				char *p = xasprintf("%s/%s", dir, e->d_name);
				if (is_dir(p))
					strlist_add(&names, e->d_name);
				free(p);
			}
		closedir(d);
	}
	strlist_sort(&names);
	/* the described ones first, in the table's order; then any other tree found there */
	for (size_t i = 0; i < ARRAY_SIZE(known_hosts); i++)
		if (strlist_contains(&names, known_hosts[i].name))
			fprintf(out, "%-24s %s\n", known_hosts[i].name, _(known_hosts[i].what));
	for (size_t i = 0; i < names.n; i++) {
		bool known = false;
		for (size_t k = 0; k < ARRAY_SIZE(known_hosts); k++)
			known = known || strcmp(names.v[i], known_hosts[k].name) == 0;
		if (!known)
			fprintf(out, "%-24s %s\n", names.v[i], _("a test snapshot (see tests/hosts/README.md)"));
	}
	strlist_free(&names);
	free(dir);
	return fflush(out) == 0 ? 0 : -1;
}

static int write_all_fd(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st)
{
	int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -errno;
	int out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		int e = -errno;
		close(in);
		return e;
	}
	char buf[65536];
	int rc = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		if ((rc = write_all_fd(out, buf, (size_t)n)) < 0)
			break;
	}
	/* The copy is the user's to change: owner read and write even where the sample is read-only. */
	if (rc == 0 && fchmod(out, (st->st_mode & 07777) | S_IRUSR | S_IWUSR) < 0)
		rc = -errno;
	struct timespec times[2] = { st->st_atim, st->st_mtim };
	if (rc == 0 && futimens(out, times) < 0)
		rc = -errno;
	if (close(out) < 0 && rc == 0)
		rc = -errno;
	close(in);
	return rc;
}

static int copy_entry(int sdir, int ddir, const char *name, int depth);

/* The names in an open directory, without "." and ".."; the names first, since creating or
 * removing entries while reading a directory may skip some. */
static int dir_names(int dirfd_, struct strlist *names)
{
	strlist_init(names);
	int fd = dup(dirfd_);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = -errno;
		close(fd);
		return e;
	}
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			strlist_add(names, e->d_name);
		errno = 0;
	}
	int rc = errno ? -errno : 0;
	closedir(d);
	return rc;
}

static int copy_dir_contents(int sdir, int ddir, int depth)
{
	struct strlist names;
	int rc = dir_names(sdir, &names);
	for (size_t i = 0; rc == 0 && i < names.n; i++)
		rc = copy_entry(sdir, ddir, names.v[i], depth + 1);
	strlist_free(&names);
	return rc;
}

static int copy_entry(int sdir, int ddir, const char *name, int depth)
{
	if (depth > 64)
		return -ELOOP;
	struct stat st;
	if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode)) {
		size_t size = (size_t)st.st_size + 2;
		char *target = xmalloc(size);
		ssize_t n = readlinkat(sdir, name, target, size);
		int rc = 0;
		if (n < 0 || (size_t)n >= size)
			rc = n < 0 ? -errno : -ENAMETOOLONG;
		else {
			target[n] = '\0';
			if (symlinkat(target, ddir, name) < 0)
				rc = -errno;
			struct timespec times[2] = { st.st_atim, st.st_mtim };
			if (rc == 0)
				utimensat(ddir, name, times, AT_SYMLINK_NOFOLLOW); /* best effort, as cp -a */
		}
		free(target);
		return rc;
	}
	if (S_ISREG(st.st_mode))
		return copy_file(sdir, ddir, name, &st);
	if (!S_ISDIR(st.st_mode))
		return 0; /* devices and FIFOs are not part of a snapshot */
	if (mkdirat(ddir, name, 0700) < 0)
		return -errno;
	int s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s < 0)
		return -errno;
	int d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		int e = -errno;
		close(s);
		return e;
	}
	int rc = copy_dir_contents(s, d, depth);
	if (rc == 0 && fchmod(d, (st.st_mode & 07777) | S_IRWXU) < 0)
		rc = -errno;
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	if (rc == 0 && futimens(d, times) < 0)
		rc = -errno;
	close(d);
	close(s);
	return rc;
}

int demo_copy(const char *src, const char *name, char **tmp, char **root, char **error)
{
	*tmp = *root = *error = NULL;
	const char *tmpdir = getenv("TMPDIR");
	char *templ = xasprintf("%s/kvmprep-demo.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(templ)) {
		int e = errno;
		*error = xasprintf(_("cannot create a private directory %s: %s"), templ, strerror(e));
		free(templ);
		return -e;
	}
	int sdir = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ddir = open(templ, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = sdir < 0 || ddir < 0 ? -errno : 0;
	if (rc == 0) {
		/* the host directory itself: copy_entry of its name inside its parent */
		char *parent = xstrdup(src), *slash = strrchr(parent, '/');
		const char *base = src;
		int pdir = -1;
		if (slash) {
			*slash = '\0';
			base = slash + 1;
			pdir = open(*parent ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		} else {
			pdir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (pdir < 0) {
			rc = -errno;
		} else {
			struct stat st;
			if (fstatat(pdir, base, &st, 0) < 0 || !S_ISDIR(st.st_mode))
				rc = -ENOTDIR;
			else if (mkdirat(ddir, name, 0700) < 0)
				rc = -errno;
			else {
				int d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				rc = d < 0 ? -errno : copy_dir_contents(sdir, d, 0);
				if (d >= 0) {
					if (rc == 0 && fchmod(d, (st.st_mode & 07777) | S_IRWXU) < 0)
						rc = -errno;
					close(d);
				}
			}
			close(pdir);
		}
		free(parent);
	}
	if (sdir >= 0)
		close(sdir);
	if (ddir >= 0)
		close(ddir);
	if (rc < 0) {
		*error = xasprintf(_("cannot copy %s: %s"), src, strerror(-rc));
		demo_remove(templ);
		free(templ);
		return rc;
	}
	*tmp = templ;
	*root = xasprintf("%s/%s", templ, name);
	return 0;
}

static int remove_entry(int dir, const char *name, int depth)
{
	struct stat st;
	if (depth > 64)
		return -ELOOP;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dir, name, 0) < 0 ? -errno : 0;
	if ((st.st_mode & S_IRWXU) != S_IRWXU)
		fchmodat(dir, name, st.st_mode | S_IRWXU, 0); /* a read-only directory of the tree */
	int d = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0)
		return -errno;
	struct strlist names;
	int rc = dir_names(d, &names);
	for (size_t i = 0; i < names.n; i++) {
		int r = remove_entry(d, names.v[i], depth + 1);
		if (r < 0 && rc == 0)
			rc = r;
	}
	strlist_free(&names);
	close(d);
	if (unlinkat(dir, name, AT_REMOVEDIR) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

int demo_remove(const char *dir)
{
	return remove_entry(AT_FDCWD, dir, 0);
}
