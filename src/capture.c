/* capture.c: writes a snapshot directory from the host layer's record of what the checks read. */
#include "config.h"

#include "capture.h"
#include "i18n.h"
#include "host_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Joins dir and a host path ("/etc/x") or fact name ("uid"). */
static char *join(const char *dir, const char *prefix, const char *path)
{
	while (*path == '/')
		path++;
	return xasprintf("%s/%s%s", dir, prefix, path);
}

/* Creates every parent directory of a path below dir (dir itself exists). */
static int mkdir_parents(const char *dir, const char *full)
{
	size_t base = strlen(dir);
	char *p = xstrdup(full);
	int rc = 0;
	for (char *s = p + base + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -errno;
		*s = '/';
		if (rc < 0)
			break;
	}
	free(p);
	return rc;
}

static int write_file(const char *dir, const char *full, const void *data, size_t len)
{
	int rc = mkdir_parents(dir, full);
	if (rc < 0)
		return rc;
	int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == ELOOP ? 0 : -errno; /* a symlink is already there: keep it */
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* An empty file that only has to exist (device nodes, ACPI tables), unless one is there. */
static int touch(const char *dir, const char *full)
{
	struct stat st;
	if (lstat(full, &st) == 0)
		return 0;
	return write_file(dir, full, "", 0);
}

static int make_dir(const char *dir, const char *full)
{
	int rc = mkdir_parents(dir, full);
	if (rc == 0 && mkdir(full, 0755) < 0 && errno != EEXIST)
		rc = -errno;
	return rc;
}

static int make_link(const char *dir, const char *full, const char *target)
{
	int rc = mkdir_parents(dir, full);
	if (rc < 0)
		return rc;
	struct stat st;
	if (lstat(full, &st) == 0)
		return 0;
	return symlink(target, full) < 0 ? -errno : 0;
}

/* Entries of a listed directory must exist in the snapshot with their type. */
static int write_listing(struct host *h, const char *dir, const struct host_record *r)
{
	char *full = join(dir, "", r->path);
	int rc = make_dir(dir, full);
	for (const char *line = r->data.data; rc == 0 && line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > 2) {
			char type = line[0];
			char *name = xstrndup(line + 2, len - 2);
			char *entry = xasprintf("%s/%s", full, name);
			if (type == 'd') {
				rc = make_dir(dir, entry);
			} else if (type == 'l') {
				char *hostpath = xasprintf("%s/%s", strcmp(r->path, "/") ? r->path : "", name);
				char *target = NULL;
				if (host_readlink_rel(h, hostpath + 1, &target) == 0)
					rc = make_link(dir, entry, target);
				free(target);
				free(hostpath);
			} else {
				rc = touch(dir, entry);
			}
			free(entry);
			free(name);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(full);
	return rc;
}

static int write_record(struct host *h, const char *dir, const struct host_record *r)
{
	char *full;
	int rc = 0;
	switch (r->kind) {
	case HOST_REC_FILE:
		full = join(dir, "", r->path);
		rc = write_file(dir, full, r->data.data, r->data.len);
		break;
	case HOST_REC_STAT:
		full = join(dir, "", r->path);
		rc = S_ISDIR(r->mode) ? make_dir(dir, full) : touch(dir, full);
		break;
	case HOST_REC_LINK:
		full = join(dir, "", r->path);
		rc = make_link(dir, full, r->data.data);
		break;
	case HOST_REC_DIR:
		return write_listing(h, dir, r);
	case HOST_REC_FACT:
		full = join(dir, ".kvmprep/", r->path);
		rc = write_file(dir, full, r->data.data, r->data.len);
		break;
	case HOST_REC_FACT_ERROR: {
		char *name = xasprintf("%s.error", r->path);
		full = join(dir, ".kvmprep/", name);
		free(name);
		char *text = xasprintf("%s\n", r->data.data);
		rc = write_file(dir, full, text, strlen(text));
		free(text);
		break;
	}
	default:
		return 0; /* HOST_REC_MISSING: absent paths stay absent */
	}
	free(full);
	return rc;
}

static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *de;
	bool empty = true;
	while (empty && (de = readdir(d)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty;
}

int capture_write(struct host *h, const struct host_recorder *rec, const char *dir, char **error)
{
	*error = NULL;
	if (mkdir(dir, 0755) < 0 && (errno != EEXIST || !dir_is_empty(dir))) {
		int err = errno == EEXIST ? ENOTEMPTY : errno;
		*error = xasprintf("%s: %s", dir, err == ENOTEMPTY ? _("exists and is not empty") : strerror(err));
		return -err;
	}
	/* Links first, so that files written later never replace a recorded symlink. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < rec->n; i++) {
			const struct host_record *r = &rec->v[i];
			if ((r->kind == HOST_REC_LINK) != (pass == 0))
				continue;
			int rc = write_record(h, dir, r);
			if (rc < 0) {
				*error = xasprintf("%s: %s", r->path, strerror(-rc));
				return rc;
			}
		}
	}
	return 0;
}
