/* edit.c: atomic replacement of host files (temp file, fsync, rename, fsync dir), removal, mkdir -p. */
#include "config.h"

#include "edit.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Room left for ".NAME" + ".kvmprep-XXXXXX" within NAME_MAX (255) bytes. */
#define EDIT_TEMP_NAME_MAX 200
#define EDIT_TEMP_TRIES 100

static int injected[EDIT_STEP_COUNT];
static unsigned injected_skip[EDIT_STEP_COUNT]; /* runs of the step to let pass first */

void edit_inject_fault_nth(enum edit_step step, int err, unsigned skip)
{
	if ((int)step < 0 || step >= EDIT_STEP_COUNT)
		return;
	injected[step] = err < 0 ? -err : err;
	injected_skip[step] = injected[step] ? skip : 0;
}

void edit_inject_fault(enum edit_step step, int err)
{
	edit_inject_fault_nth(step, err, 0);
}

bool edit_fault_armed(enum edit_step step)
{
	return (int)step >= 0 && step < EDIT_STEP_COUNT && injected[step] != 0;
}

/* The injected error of a step (0 for none), cleared as it fires. */
static int take_fault(enum edit_step step)
{
	int err = injected[step];
	if (err && injected_skip[step] > 0) {
		injected_skip[step]--;
		return 0;
	}
	injected[step] = 0;
	return err;
}

static long long kill_at = -1; /* -1: KVMPREP_TEST_KILL_AT not read yet; 0: not set */
static long long kill_calls;

static void say(const char *line, int len)
{
	if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0) {
		/* a test hook's message: nothing to do when stderr is gone */
	}
}

/* At exit of a run the hook did not kill: how many points it passed, for the test's loop. */
static void report_kill_points(void)
{
	char line[120];
	say(line, snprintf(line, sizeof line, "kvmprep: KVMPREP_TEST_KILL_AT=%lld: not reached, %lld kill points passed\n",
	                   kill_at, kill_calls));
}

void edit_test_kill_point(const char *name)
{
	if (kill_at < 0) {
		const char *v = getenv("KVMPREP_TEST_KILL_AT");
		long long n = 0;
		kill_at = v && str_parse_ll(v, &n) && n > 0 ? n : 0;
		if (kill_at > 0 && atexit(report_kill_points) != 0) {
			/* only the count at exit is lost */
		}
	}
	if (kill_at == 0 || ++kill_calls != kill_at)
		return;
	char line[200];
	say(line, snprintf(line, sizeof line, "kvmprep: KVMPREP_TEST_KILL_AT=%lld: killed after %.100s\n", kill_at, name));
	raise(SIGKILL);
}

/* Sets *error to "WHAT PATH: strerror" (WHAT marked with N_) and returns -err. */
static int fail(char **error, int err, const char *what, const char *path)
{
	if (err < 0)
		err = -err;
	if (err == 0)
		err = EIO;
	if (error) {
		free(*error);
		*error = xasprintf("%s %s: %s", _(what), path, strerror(err));
	}
	return -err;
}

/* A random suffix for temporary names: not security-relevant (O_EXCL decides), only
 * unlikely to collide between processes. */
static void random_suffix(char out[7])
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static uint64_t state;
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		ts.tv_sec = ts.tv_nsec = 0;
	state ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL + (uint64_t)ts.tv_sec + (uint64_t)getpid();
	for (int i = 0; i < 6; i++) {
		/* xorshift64* */
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		if (!state)
			state = 0x2545f4914f6cdd1dULL;
		out[i] = chars[(state * 0x2545f4914f6cdd1dULL >> 32) % (sizeof chars - 1)];
	}
	out[6] = '\0';
}

static char *temp_name(const char *name)
{
	char suffix[7];
	random_suffix(suffix);
	int n = (int)strnlen(name, EDIT_TEMP_NAME_MAX);
	return xasprintf(".%.*s.kvmprep-%s", n, name, suffix);
}

/* Creates ".NAME.kvmprep-XXXXXX" in dirfd; returns the fd (and the name) or -errno. */
static int create_temp(int dirfd, const char *name, char **tmp)
{
	for (int tries = 0; tries < EDIT_TEMP_TRIES; tries++) {
		*tmp = temp_name(name);
		int err = take_fault(EDIT_STEP_OPEN);
		if (err) {
			free(*tmp);
			*tmp = NULL;
			return -err;
		}
		int fd = openat(dirfd, *tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		err = errno;
		free(*tmp);
		*tmp = NULL;
		if (err != EEXIST)
			return -err;
	}
	return -EEXIST;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_dir(int dirfd)
{
	int err = take_fault(EDIT_STEP_DIRSYNC);
	if (err)
		return -err;
	if (fsync(dirfd) == 0)
		return 0;
	err = errno;
	/* Some file systems cannot sync a directory; their renames need no sync. */
	if (err == EINVAL || err == ENOTSUP)
		return 0;
	return -err;
}

/*
 * The common writer. With explicit, mode/uid/gid are used whatever exists; otherwise an
 * existing file's mode and owner are kept and a new file gets new_mode and our ids.
 */
static int write_file(struct host *h, const char *path, const void *data, size_t len, bool explicit,
                      mode_t mode, uid_t uid, gid_t gid, char **error)
{
	if (error)
		*error = NULL;
	if (!data && len)
		return fail(error, EINVAL, N_("write"), path);
	char *name = NULL;
	int dirfd = host_open_parent(h, path, true, &name);
	if (dirfd < 0)
		return fail(error, dirfd, N_("write"), path);

	int rc = 0;
	int fd = -1;
	char *tmp = NULL;
	char *old = NULL; /* a hard link to the original, to roll back a failed directory sync */
	bool existed = false;
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISDIR(st.st_mode)) {
			rc = fail(error, EISDIR, N_("write"), path);
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			rc = -EINVAL;
			if (error)
				*error = xasprintf(_("write %s: not a regular file"), path);
			goto out;
		}
		existed = true;
		if (!explicit) {
			mode = st.st_mode;
			uid = st.st_uid;
			gid = st.st_gid;
		}
	} else if (errno == ENOENT) {
		if (!explicit) {
			uid = geteuid();
			gid = getegid();
		}
	} else {
		rc = fail(error, errno, N_("write"), path);
		goto out;
	}
	mode &= 07777;

	fd = create_temp(dirfd, name, &tmp);
	if (fd < 0) {
		rc = fail(error, fd, N_("create a temporary file for"), path);
		fd = -1;
		goto out;
	}
	edit_test_kill_point("edit: open the temporary file");

	int err = take_fault(EDIT_STEP_WRITE);
	if (err) {
		/* Fail half-way, as a full disk does: the temporary file holds a part. */
		if (write_all(fd, data, len / 2) < 0) {
			/* the injected error is the one reported */
		}
		rc = fail(error, err, N_("write"), path);
		goto out;
	}
	rc = write_all(fd, data, len);
	if (rc < 0) {
		rc = fail(error, rc, N_("write"), path);
		goto out;
	}
	edit_test_kill_point("edit: write");

	/* Owner first: chown clears the set-user/group-ID bits that chmod then sets. */
	err = take_fault(EDIT_STEP_CHOWN);
	if (err || fchown(fd, uid, gid) != 0) {
		if (!err)
			err = errno;
		struct stat tst;
		bool ids_match = fstat(fd, &tst) == 0 && tst.st_uid == uid && tst.st_gid == gid;
		if (!(err == EPERM && geteuid() != 0 && ids_match)) {
			rc = fail(error, err, N_("chown"), path);
			goto out;
		}
	}
	edit_test_kill_point("edit: chown");
	err = take_fault(EDIT_STEP_CHMOD);
	if (err || fchmod(fd, mode) != 0) {
		rc = fail(error, err ? err : errno, N_("chmod"), path);
		goto out;
	}
	edit_test_kill_point("edit: chmod");
	err = take_fault(EDIT_STEP_FSYNC);
	if (err || fsync(fd) != 0) {
		rc = fail(error, err ? err : errno, N_("fsync"), path);
		goto out;
	}
	int cfd = fd;
	fd = -1;
	if (close(cfd) != 0) {
		rc = fail(error, errno, N_("write"), path);
		goto out;
	}
	edit_test_kill_point("edit: fsync and close");

	if (existed) {
		for (int tries = 0; tries < EDIT_TEMP_TRIES; tries++) {
			old = temp_name(name);
			if (linkat(dirfd, name, dirfd, old, 0) == 0)
				break;
			free(old);
			old = NULL;
			if (errno != EEXIST)
				break; /* no hard links here (vfat): no roll-back after the rename */
		}
		edit_test_kill_point("edit: link the original");
	}

	err = take_fault(EDIT_STEP_RENAME);
	if (err || renameat(dirfd, tmp, dirfd, name) != 0) {
		rc = fail(error, err ? err : errno, N_("rename over"), path);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	edit_test_kill_point("edit: rename");

	rc = sync_dir(dirfd);
	if (rc < 0) {
		/* The rename may not be durable: put the original back rather than leave a state
		 * that a crash could turn into either version. */
		bool restored = false;
		if (old)
			restored = renameat(dirfd, old, dirfd, name) == 0;
		else if (!existed)
			restored = unlinkat(dirfd, name, 0) == 0;
		if (restored) {
			free(old);
			old = NULL;
			(void)sync_dir(dirfd); /* best effort: the error is already reported */
			rc = fail(error, rc, N_("fsync the directory of"), path);
		} else {
			int e = -rc;
			rc = -e;
			if (error)
				*error = xasprintf(_("fsync the directory of %s: %s (the new content is in place)"), path,
				                   strerror(e));
		}
		goto out;
	}
	edit_test_kill_point("edit: fsync the directory");

out:
	if (fd >= 0)
		(void)close(fd); /* the temporary file goes anyway; the first error is reported */
	/* Cleaning up after a failure cannot fail the call more than it already failed; after a
	 * success a leftover link to the old version is harmless (the write itself is done). */
	if (tmp)
		(void)unlinkat(dirfd, tmp, 0);
	if (old)
		(void)unlinkat(dirfd, old, 0);
	free(tmp);
	free(old);
	free(name);
	close(dirfd);
	return rc;
}

int edit_write_atomic(struct host *h, const char *path, const void *data, size_t len, mode_t new_mode,
                      char **error)
{
	return write_file(h, path, data, len, false, new_mode, 0, 0, error);
}

int edit_write_atomic_as(struct host *h, const char *path, const void *data, size_t len, mode_t mode,
                         uid_t uid, gid_t gid, char **error)
{
	return write_file(h, path, data, len, true, mode, uid, gid, error);
}

int edit_remove(struct host *h, const char *path, char **error)
{
	if (error)
		*error = NULL;
	char *name = NULL;
	int dirfd = host_open_parent(h, path, true, &name);
	if (dirfd == -ENOENT)
		return 0;
	if (dirfd < 0)
		return fail(error, dirfd, N_("remove"), path);
	int rc = 0;
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno != ENOENT)
			rc = fail(error, errno, N_("remove"), path);
	} else if (S_ISDIR(st.st_mode)) {
		rc = fail(error, EISDIR, N_("remove"), path);
	} else if (unlinkat(dirfd, name, 0) != 0) {
		if (errno != ENOENT)
			rc = fail(error, errno, N_("remove"), path);
	} else {
		edit_test_kill_point("edit: unlink");
		rc = sync_dir(dirfd);
		if (rc < 0)
			rc = fail(error, rc, N_("fsync the directory of"), path);
	}
	free(name);
	close(dirfd);
	return rc;
}

int edit_mkdir_p(struct host *h, const char *path, char **error)
{
	if (error)
		*error = NULL;
	if (!path || path[0] != '/')
		return fail(error, EINVAL, N_("create directory"), path ? path : "(null)");
	char *prefix = xstrdup(path);
	int rc = 0;
	size_t len = strlen(path);
	for (size_t end = 1; end <= len && rc == 0; end++) {
		if (end < len && path[end] != '/')
			continue;
		/* prefix = path[0, end) */
		memcpy(prefix, path, end);
		prefix[end] = '\0';
		const char *last = strrchr(prefix, '/') + 1;
		if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
			continue;
		char *name = NULL;
		int dirfd = host_open_parent(h, prefix, true, &name);
		if (dirfd == -EISDIR)
			continue; /* the root */
		if (dirfd < 0) {
			rc = fail(error, dirfd, N_("create directory"), prefix);
			break;
		}
		if (mkdirat(dirfd, name, 0755) == 0) {
			edit_test_kill_point("edit: mkdir");
			rc = sync_dir(dirfd);
			if (rc < 0)
				rc = fail(error, rc, N_("fsync the directory of"), prefix);
		} else if (errno == EEXIST) {
			struct stat st;
			if (fstatat(dirfd, name, &st, 0) != 0)
				rc = fail(error, errno, N_("create directory"), prefix);
			else if (!S_ISDIR(st.st_mode))
				rc = fail(error, ENOTDIR, N_("create directory"), prefix);
		} else {
			rc = fail(error, errno, N_("create directory"), prefix);
		}
		free(name);
		close(dirfd);
	}
	free(prefix);
	return rc;
}
