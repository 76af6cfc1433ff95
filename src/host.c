/* host.c: rooted file access: every host path resolves inside --root, symlinks included. */
#include "config.h"

#include "host.h"
#include "host_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/openat2.h>) && __has_include(<sys/syscall.h>)
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif
#endif

#define HOST_MAX_SYMLINK_HOPS 40

int host_open(struct host **out, const char *root)
{
	*out = NULL;
	if (!root || !*root)
		root = "/";
	char *real = realpath(root, NULL);
	if (!real)
		return -errno;
	int fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		free(real);
		return -err;
	}
	struct host *h = xcalloc(1, sizeof *h);
	h->root = real;
	h->rootfd = fd;
	h->live = strcmp(real, "/") == 0;
	*out = h;
	return 0;
}

void host_close(struct host *h)
{
	if (!h)
		return;
	close(h->rootfd);
	free(h->root);
	free(h);
}

const char *host_root(const struct host *h)
{
	return h->root;
}

bool host_is_live(const struct host *h)
{
	return h->live;
}

void host_set_recorder(struct host *h, struct host_recorder *rec)
{
	h->rec = rec;
}

void host_record(struct host *h, enum host_record_kind kind, const char *path, mode_t mode,
                 const void *data, size_t len)
{
	struct host_recorder *rec = h->rec;
	if (!rec)
		return;
	if (rec->n == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 64;
		rec->v = xrealloc(rec->v, rec->cap * sizeof *rec->v);
	}
	struct host_record *r = &rec->v[rec->n++];
	r->kind = kind;
	r->path = xstrdup(path);
	r->mode = mode;
	buf_init(&r->data);
	buf_append(&r->data, data ? data : "", data ? len : 0);
}

void host_recorder_free(struct host_recorder *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		free(rec->v[i].path);
		buf_free(&rec->v[i].data);
	}
	free(rec->v);
	rec->v = NULL;
	rec->n = rec->cap = 0;
}

/* Drops the last component of a relative resolved path ("a/b" -> "a", "a" -> ""). */
static void pop_component(struct buf *resolved)
{
	char *slash = resolved->len ? strrchr(resolved->data, '/') : NULL;
	resolved->len = slash ? (size_t)(slash - resolved->data) : 0;
	if (resolved->data)
		resolved->data[resolved->len] = '\0';
}

int host_resolve(struct host *h, const char *path, bool follow_last, char **resolved_out)
{
	*resolved_out = NULL;
	if (!path || path[0] != '/')
		return -EINVAL;
	struct buf resolved, pending;
	buf_init(&resolved);
	buf_init(&pending);
	buf_puts(&resolved, "");
	buf_puts(&pending, path);
	size_t pos = 0;
	int hops = 0;
	int rc = 0;

	while (pos < pending.len) {
		while (pos < pending.len && pending.data[pos] == '/')
			pos++;
		if (pos >= pending.len)
			break;
		size_t start = pos;
		while (pos < pending.len && pending.data[pos] != '/')
			pos++;
		size_t clen = pos - start;
		const char *comp = pending.data + start;
		size_t after = pos;
		while (after < pending.len && pending.data[after] == '/')
			after++;
		bool last = after >= pending.len;

		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			pop_component(&resolved);
			continue;
		}
		size_t saved = resolved.len;
		if (resolved.len)
			buf_putc(&resolved, '/');
		buf_append(&resolved, comp, clen);

		struct stat st;
		if (fstatat(h->rootfd, resolved.data, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT && last)
				break; /* the caller's open/stat reports the missing last component */
			rc = -errno;
			break;
		}
		if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
			if (++hops > HOST_MAX_SYMLINK_HOPS) {
				rc = -ELOOP;
				break;
			}
			char *target = NULL;
			int lrc = host_readlink_rel(h, resolved.data, &target);
			if (lrc < 0) {
				rc = lrc;
				break;
			}
			char *linkpath = xasprintf("/%s", resolved.data);
			host_record(h, HOST_REC_LINK, linkpath, st.st_mode, target, strlen(target));
			free(linkpath);
			/* Continue with the link text followed by what was left of the path. */
			struct buf next;
			buf_init(&next);
			buf_puts(&next, target);
			buf_putc(&next, '/');
			buf_append(&next, pending.data + pos, pending.len - pos);
			buf_free(&pending);
			pending = next;
			pos = 0;
			if (target[0] == '/') {
				resolved.len = 0;
				resolved.data[0] = '\0';
			} else {
				resolved.len = saved;
				resolved.data[saved] = '\0';
			}
			free(target);
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode)) {
			rc = -ENOTDIR;
			break;
		}
	}
	buf_free(&pending);
	if (rc < 0) {
		buf_free(&resolved);
		return rc;
	}
	*resolved_out = buf_steal(&resolved);
	return 0;
}

int host_real_path(struct host *h, const char *path, bool follow_last, char **real)
{
	char *rel;
	int rc = host_resolve(h, path, follow_last, &rel);
	if (rc < 0)
		return rc;
	if (h->live)
		*real = xasprintf("/%s", rel);
	else
		*real = *rel ? xasprintf("%s/%s", h->root, rel) : xstrdup(h->root);
	free(rel);
	return 0;
}

int host_readlink_rel(struct host *h, const char *rel, char **target)
{
	size_t cap = 256;
	for (;;) {
		char *buf = xmalloc(cap);
		ssize_t n = readlinkat(h->rootfd, *rel ? rel : ".", buf, cap);
		if (n < 0) {
			int err = errno;
			free(buf);
			return -err;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			*target = buf;
			return 0;
		}
		free(buf);
		if (cap > 1 << 20)
			return -ENAMETOOLONG;
		cap *= 2;
	}
}

/* Opens a host path; on success *recorded holds "/" + the resolved path, the name that
 * capture must recreate (symlinks on the way are recorded by host_resolve). */
/* On the live root nothing lies outside "/", so unless capture records the symlinks on the
 * way, the kernel may resolve paths itself: far fewer system calls per lookup. */
static bool kernel_resolves(const struct host *h, const char *path)
{
	return h->live && !h->rec && path && path[0] == '/';
}

/*
 * Under another root, Linux 5.6 and later resolve inside it themselves: openat2() with
 * RESOLVE_IN_ROOT treats absolute links and ".." exactly as host_resolve() does, in one
 * system call instead of one per component (thousands of sysfs reads on a big host). Not
 * while capture records the symlinks on the way. Returns the fd, -errno, or -ENOSYS when
 * the kernel (or a seccomp filter) does not offer it: then host_resolve() walks the path.
 */
static int open_in_root(struct host *h, const char *path, int flags, mode_t mode)
{
#if defined(SYS_openat2) && defined(RESOLVE_IN_ROOT)
	static bool unavailable;
	if (h->live || h->rec || unavailable || !path || path[0] != '/')
		return -ENOSYS;
	struct open_how how;
	memset(&how, 0, sizeof how);
	how.flags = (unsigned long long)(flags | O_CLOEXEC);
	how.mode = (flags & O_CREAT) ? (unsigned long long)mode : 0;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	long fd;
	do
		fd = syscall(SYS_openat2, h->rootfd, path[1] ? path + 1 : ".", &how, sizeof how);
	while (fd < 0 && errno == EINTR);
	if (fd >= 0)
		return (int)fd;
	int err = errno;
	if (err == ENOSYS || err == EPERM || err == E2BIG || err == EINVAL) {
		unavailable = err != EINVAL; /* EINVAL: these flags; the walk may still do */
		return -ENOSYS;
	}
	if (err == EAGAIN || err == EXDEV)
		return -ENOSYS; /* a rename raced with ".." in the path: walk it instead */
	return -err;
#else
	(void)h;
	(void)path;
	(void)flags;
	(void)mode;
	return -ENOSYS;
#endif
}

static int open_resolved(struct host *h, const char *path, int flags, mode_t mode, char **recorded)
{
	*recorded = NULL;
	if (kernel_resolves(h, path)) {
		int fd = open(path, flags | O_CLOEXEC, mode);
		if (fd < 0)
			return -errno;
		*recorded = xstrdup(path);
		return fd;
	}
	int in_root = open_in_root(h, path, flags, mode);
	if (in_root != -ENOSYS) {
		if (in_root >= 0)
			*recorded = xstrdup(path); /* nothing records: capture walks the path itself */
		return in_root;
	}
	char *rel;
	int rc = host_resolve(h, path, true, &rel);
	if (rc < 0) {
		if (rc == -ENOENT)
			host_record(h, HOST_REC_MISSING, path, 0, NULL, 0);
		return rc;
	}
	int fd = openat(h->rootfd, *rel ? rel : ".", flags | O_NOFOLLOW | O_CLOEXEC, mode);
	int err = errno;
	if (fd < 0) {
		if (err == ENOENT)
			host_record(h, HOST_REC_MISSING, path, 0, NULL, 0);
		free(rel);
		return -err;
	}
	*recorded = xasprintf("/%s", rel);
	free(rel);
	return fd;
}

int host_open_file(struct host *h, const char *path, int flags, mode_t mode)
{
	char *recorded;
	int fd = open_resolved(h, path, flags, mode, &recorded);
	free(recorded);
	return fd;
}

int host_open_parent(struct host *h, const char *path, bool follow_last, char **name)
{
	*name = NULL;
	char *rel;
	int rc = host_resolve(h, path, follow_last, &rel);
	if (rc < 0)
		return rc;
	if (!*rel) {
		free(rel);
		return -EISDIR;
	}
	char *slash = strrchr(rel, '/');
	const char *dir = ".";
	const char *base = rel;
	if (slash) {
		*slash = '\0';
		dir = rel;
		base = slash + 1;
	}
	int fd = openat(h->rootfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(rel);
		return rc;
	}
	*name = xstrdup(base);
	free(rel);
	return fd;
}

static int stat_common(struct host *h, const char *path, bool follow, struct stat *st)
{
	if (kernel_resolves(h, path))
		return fstatat(AT_FDCWD, path, st, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	char *rel;
	int rc = host_resolve(h, path, follow, &rel);
	if (rc == 0) {
		if (fstatat(h->rootfd, *rel ? rel : ".", st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = -errno;
		if (rc == 0 && h->rec) {
			/* lstat of a link (a systemd wants link, a mask): capture recreates the link. */
			char *recorded = xasprintf("/%s", rel);
			char *target = NULL;
			if (!S_ISLNK(st->st_mode))
				host_record(h, HOST_REC_STAT, recorded, st->st_mode, NULL, 0);
			else if (host_readlink_rel(h, rel, &target) == 0)
				host_record(h, HOST_REC_LINK, recorded, S_IFLNK | 0777, target, strlen(target));
			free(target);
			free(recorded);
		}
		free(rel);
	}
	if (rc == -ENOENT)
		host_record(h, HOST_REC_MISSING, path, 0, NULL, 0);
	return rc;
}

int host_stat(struct host *h, const char *path, struct stat *st)
{
	return stat_common(h, path, true, st);
}

int host_lstat(struct host *h, const char *path, struct stat *st)
{
	return stat_common(h, path, false, st);
}

bool host_exists(struct host *h, const char *path)
{
	struct stat st;
	return host_stat(h, path, &st) == 0;
}

bool host_is_dir(struct host *h, const char *path)
{
	struct stat st;
	return host_stat(h, path, &st) == 0 && S_ISDIR(st.st_mode);
}

int host_readlink(struct host *h, const char *path, char **target)
{
	/* The directory resolved in the kernel (see open_in_root), the link read there. */
	const char *base = path ? strrchr(path, '/') : NULL;
	if (base && base[1] && strcmp(base, "/.") != 0 && strcmp(base, "/..") != 0) {
		char *dir = base == path ? xstrdup("/") : xstrndup(path, (size_t)(base - path));
		int dfd = open_in_root(h, dir, O_PATH | O_DIRECTORY, 0);
		free(dir);
		if (dfd != -ENOSYS) {
			if (dfd < 0)
				return dfd;
			char *link = NULL;
			size_t cap = 256;
			int rc = 0;
			for (;;) {
				link = xmalloc(cap);
				ssize_t n = readlinkat(dfd, base + 1, link, cap);
				if (n >= 0 && (size_t)n < cap) {
					link[n] = '\0';
					break;
				}
				free(link);
				link = NULL;
				rc = n < 0 ? -errno : cap > 1 << 20 ? -ENAMETOOLONG : 0;
				if (rc < 0)
					break;
				cap *= 2;
			}
			close(dfd);
			if (rc == 0)
				*target = link;
			return rc;
		}
	}
	char *rel;
	int rc = host_resolve(h, path, false, &rel);
	if (rc < 0)
		return rc;
	rc = host_readlink_rel(h, rel, target);
	if (rc == 0) {
		char *recorded = xasprintf("/%s", rel);
		host_record(h, HOST_REC_LINK, recorded, S_IFLNK | 0777, *target, strlen(*target));
		free(recorded);
	}
	free(rel);
	return rc;
}

int host_read_file(struct host *h, const char *path, size_t max_bytes, struct buf *out)
{
	buf_reset(out);
	char *recorded;
	int fd = open_resolved(h, path, O_RDONLY | O_NONBLOCK, 0, &recorded);
	if (fd < 0)
		return fd;
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		rc = -EINVAL; /* FIFOs, devices and sockets are never read as files */
	else
		rc = fd_read_all(fd, max_bytes, out);
	close(fd);
	if (rc == 0 && !out->data)
		buf_append(out, "", 0); /* an empty file reads as "", never as a NULL buffer */
	if (rc == 0 && !out->data)
		buf_append(out, "", 0); /* an empty file is an empty string, never NULL */
	if (rc == 0)
		host_record(h, HOST_REC_FILE, recorded, st.st_mode, out->data, out->len);
	else
		buf_reset(out);
	free(recorded);
	return rc;
}

int host_read_line(struct host *h, const char *path, char **line)
{
	struct buf b;
	buf_init(&b);
	int rc = host_read_file(h, path, 64 * 1024, &b);
	if (rc < 0) {
		buf_free(&b);
		*line = NULL;
		return rc;
	}
	char *s = buf_steal(&b);
	char *nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	*line = str_trim(s);
	return 0;
}

static char dirent_type_letter(int dfd, const struct dirent *de)
{
	unsigned char t = de->d_type;
	if (t == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return '?';
		return S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f';
	}
	return t == DT_DIR ? 'd' : t == DT_LNK ? 'l' : 'f';
}

int host_list_dir(struct host *h, const char *path, struct strlist *names)
{
	strlist_init(names);
	char *recorded;
	int fd = open_resolved(h, path, O_RDONLY | O_DIRECTORY, 0, &recorded);
	if (fd < 0)
		return fd;
	DIR *d = fdopendir(fd);
	if (!d) {
		int err = errno;
		close(fd);
		free(recorded);
		return -err;
	}
	struct buf listing;
	buf_init(&listing);
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".keep") == 0)
			continue;
		strlist_add(names, de->d_name);
		buf_printf(&listing, "%c %s\n", dirent_type_letter(dirfd(d), de), de->d_name);
	}
	int err = errno;
	closedir(d);
	if (err) {
		strlist_free(names);
	} else {
		strlist_sort(names);
		host_record(h, HOST_REC_DIR, recorded, S_IFDIR | 0755, listing.data, listing.len);
	}
	buf_free(&listing);
	free(recorded);
	return -err;
}

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { EPERM, "EPERM" },   { EIO, "EIO" },
	{ EBUSY, "EBUSY" },   { ENODEV, "ENODEV" }, { ENXIO, "ENXIO" },   { EINVAL, "EINVAL" },
	{ EFBIG, "EFBIG" },   { ELOOP, "ELOOP" },   { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
	{ EROFS, "EROFS" },   { ENOSPC, "ENOSPC" }, { ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENODATA, "ENODATA" }, { ENOMSG, "ENOMSG" },
};

const char *host_errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return "EIO";
}

int host_errno_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].err;
	return EIO;
}
