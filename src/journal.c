/* journal.c: the apply journal: lock, entries in libconfig form, backups, checksums and undo. */
#include "config.h"

#include "journal.h"

#include "edit.h"
#include "i18n.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_VERSION 1
#define JOURNAL_CONF "journal.conf"
#define JOURNAL_MAX_FILE (64u * 1024 * 1024)    /* a boot configuration file is far smaller */
#define JOURNAL_MAX_CONF (16u * 1024 * 1024)
/* The checksum recorded for a file that does not exist. */
#define SHA_ABSENT "-"

/* ---- helpers ---- */

static char *entry_path(const char *id, const char *rest)
{
	return xasprintf("%s/%s/%s", JOURNAL_DIR, id, rest);
}

/* The path as the admin finds it on disk: ROOT/var/lib/kvmprep/... */
static char *shown_path(struct host *h, const char *path)
{
	char *real = NULL;
	if (host_real_path(h, path, true, &real) == 0)
		return real;
	const char *root = host_root(h);
	return xasprintf("%s%s", strcmp(root, "/") == 0 ? "" : root, path);
}

static void set_error(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(char **error, const char *fmt, ...)
{
	if (!error)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(*error);
	*error = xvasprintf(fmt, ap);
	va_end(ap);
}

static bool valid_id(const char *id)
{
	if (!id || !*id || id[0] == '.' || strlen(id) > 64)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static bool valid_sha(const char *s)
{
	if (strcmp(s, "") == 0 || strcmp(s, SHA_ABSENT) == 0)
		return true;
	if (strlen(s) != SHA256_HEX_LEN)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool valid_backup_name(const char *s)
{
	if (!str_starts_with(s, "files/") || !s[6])
		return false;
	for (const char *p = s + 6; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Reads a regular host file: 0 with its bytes and stat, -ENOENT when missing, -errno. */
static int read_regular(struct host *h, const char *path, size_t max, struct buf *data, struct stat *st)
{
	buf_reset(data);
	int fd = host_open_file(h, path, O_RDONLY | O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	int rc = 0;
	if (fstat(fd, st) != 0)
		rc = -errno;
	else if (S_ISDIR(st->st_mode))
		rc = -EISDIR;
	else if (!S_ISREG(st->st_mode))
		rc = -EINVAL;
	else
		rc = fd_read_all(fd, max, data);
	close(fd);
	if (rc == 0 && !data->data)
		buf_append(data, "", 0);
	return rc;
}

/* The checksum of a host file as it is now: hex, SHA_ABSENT, or -errno. */
static int current_sha(struct host *h, const char *path, char sha[SHA256_HEX_LEN + 1])
{
	struct buf data;
	struct stat st;
	buf_init(&data);
	int rc = read_regular(h, path, JOURNAL_MAX_FILE, &data, &st);
	if (rc == 0)
		sha256_hex(data.data, data.len, sha);
	else if (rc == -ENOENT) {
		strcpy(sha, SHA_ABSENT);
		rc = 0;
	}
	buf_free(&data);
	return rc;
}

/* ---- lock ---- */

int journal_lock(struct host *h, int *fd_out, char **error)
{
	*fd_out = -1;
	if (error)
		*error = NULL;
	int rc = edit_mkdir_p(h, JOURNAL_DIR, error);
	if (rc < 0)
		return rc;
	const char *lock = JOURNAL_DIR "/lock";
	char *shown = shown_path(h, lock);
	int fd = host_open_file(h, lock, O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		set_error(error, "open %s: %s", shown, strerror(-fd));
		free(shown);
		return fd;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		if (err == EINTR)
			continue;
		if (err == EWOULDBLOCK) {
			char text[32];
			ssize_t n;
			do
				n = pread(fd, text, sizeof text - 1, 0);
			while (n < 0 && errno == EINTR);
			long long pid = 0;
			if (n > 0) {
				text[n] = '\0';
				char *nl = strchr(text, '\n');
				if (nl)
					*nl = '\0';
			}
			if (n > 0 && str_parse_ll(text, &pid) && pid > 0)
				set_error(error, "another kvmprep apply (pid %lld) holds %s", pid, shown);
			else
				set_error(error, "another kvmprep apply holds %s", shown);
			err = EBUSY;
		} else {
			set_error(error, "lock %s: %s", shown, strerror(err));
		}
		close(fd);
		free(shown);
		return -err;
	}
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	ssize_t n = -1;
	if (ftruncate(fd, 0) == 0) {
		do
			n = pwrite(fd, pid, (size_t)len, 0);
		while (n < 0 && errno == EINTR);
	}
	if (n != len) {
		int err = n < 0 ? errno : EIO;
		set_error(error, "write %s: %s", shown, strerror(err));
		close(fd);
		free(shown);
		return -err;
	}
	free(shown);
	*fd_out = fd;
	edit_test_kill_point("journal: lock");
	return 0;
}

void journal_unlock(int fd)
{
	if (fd < 0)
		return;
	/* The pid goes with the lock; a failure only leaves a stale pid for the next holder to
	 * overwrite. */
	if (ftruncate(fd, 0) != 0) {
		/* nothing more to do */
	}
	close(fd); /* releases the flock */
}

/* ---- writing journal.conf ---- */

struct writer {
	bool ok;
};

static config_setting_t *add(struct writer *w, config_setting_t *parent, const char *name, int type)
{
	if (!w->ok || !parent)
		return NULL;
	config_setting_t *s = config_setting_add(parent, name, type);
	if (!s)
		w->ok = false;
	return s;
}

static void add_string(struct writer *w, config_setting_t *parent, const char *name, const char *value)
{
	config_setting_t *s = add(w, parent, name, CONFIG_TYPE_STRING);
	if (s && config_setting_set_string(s, value ? value : "") != CONFIG_TRUE)
		w->ok = false;
}

static void add_int(struct writer *w, config_setting_t *parent, const char *name, int value)
{
	config_setting_t *s = add(w, parent, name, CONFIG_TYPE_INT);
	if (s && config_setting_set_int(s, value) != CONFIG_TRUE)
		w->ok = false;
}

/* Written with the L suffix, which libconfig 1.5 and 1.7 both read as a 64-bit integer. */
static void add_int64(struct writer *w, config_setting_t *parent, const char *name, long long value)
{
	config_setting_t *s = add(w, parent, name, CONFIG_TYPE_INT64);
	if (s && config_setting_set_int64(s, value) != CONFIG_TRUE)
		w->ok = false;
}

static void add_bool(struct writer *w, config_setting_t *parent, const char *name, bool value)
{
	config_setting_t *s = add(w, parent, name, CONFIG_TYPE_BOOL);
	if (s && config_setting_set_bool(s, value) != CONFIG_TRUE)
		w->ok = false;
}

static void add_strings(struct writer *w, config_setting_t *parent, const char *name, const struct strlist *l)
{
	config_setting_t *s = add(w, parent, name, CONFIG_TYPE_ARRAY);
	for (size_t i = 0; s && w->ok && i < l->n; i++)
		if (!config_setting_set_string_elem(s, -1, l->v[i]))
			w->ok = false;
}

/* The entry as libconfig text that 1.5 and 1.7 read alike: no floats, no leading zeros, no
 * trailing commas; the time as a decimal string, ids as 64-bit integers with L. */
static int format_entry(const struct journal_entry *e, char **text, size_t *len)
{
	config_t cfg;
	config_init(&cfg);
	struct writer w = { true };
	config_setting_t *root = config_root_setting(&cfg);
	add_int(&w, root, "version", JOURNAL_VERSION);
	add_string(&w, root, "id", e->id);
	char *t = xasprintf("%lld", e->time);
	add_string(&w, root, "time", t);
	free(t);
	add_string(&w, root, "root", e->root);
	add_strings(&w, root, "actions", &e->actions);
	config_setting_t *files = add(&w, root, "files", CONFIG_TYPE_LIST);
	for (size_t i = 0; w.ok && i < e->n_files; i++) {
		const struct journal_file *f = &e->files[i];
		config_setting_t *g = add(&w, files, NULL, CONFIG_TYPE_GROUP);
		add_string(&w, g, "path", f->path);
		add_bool(&w, g, "existed", f->existed);
		if (f->backup)
			add_string(&w, g, "backup", f->backup);
		add_string(&w, g, "sha_before", f->sha_before);
		add_string(&w, g, "sha_after", f->sha_after);
		add_int(&w, g, "mode", (int)(f->mode & 07777));
		add_int64(&w, g, "uid", (long long)f->uid);
		add_int64(&w, g, "gid", (long long)f->gid);
	}
	config_setting_t *commands = add(&w, root, "commands", CONFIG_TYPE_LIST);
	for (size_t i = 0; w.ok && i < e->n_commands; i++) {
		config_setting_t *g = add(&w, commands, NULL, CONFIG_TYPE_GROUP);
		add_string(&w, g, "line", e->commands[i].line);
		add_int(&w, g, "exit_code", e->commands[i].exit_code);
	}
	config_setting_t *undo = add(&w, root, "undo_commands", CONFIG_TYPE_LIST);
	for (size_t i = 0; w.ok && i < e->n_undo_commands; i++) {
		config_setting_t *g = add(&w, undo, NULL, CONFIG_TYPE_GROUP);
		add_strings(&w, g, "argv", &e->undo_commands[i]);
		if (e->undo_actions[i])
			add_string(&w, g, "action", e->undo_actions[i]);
	}
	add_bool(&w, root, "reboot_required", e->reboot_required);
	add_strings(&w, root, "reboot_args", &e->reboot_args);
	add_bool(&w, root, "verified", e->verified);
	add_bool(&w, root, "undone", e->undone);

	int rc = 0;
	*text = NULL;
	*len = 0;
	if (!w.ok) {
		rc = -EINVAL;
	} else {
		FILE *f = open_memstream(text, len);
		if (!f) {
			rc = -errno;
		} else {
			config_write(&cfg, f);
			bool bad = ferror(f) != 0;
			if (fclose(f) != 0 || bad)
				rc = -EIO;
		}
	}
	config_destroy(&cfg);
	if (rc < 0) {
		free(*text);
		*text = NULL;
		*len = 0;
	}
	return rc;
}

/* Writes journal.conf of e into JOURNAL_DIR/dir (the entry's own directory, or the one
 * journal_create() prepares it in). */
static int save_in(struct host *h, const struct journal_entry *e, const char *dir, char **error)
{
	if (error)
		*error = NULL;
	if (!valid_id(e->id)) {
		set_error(error, "journal entry without a valid id");
		return -EINVAL;
	}
	char *text;
	size_t len;
	int rc = format_entry(e, &text, &len);
	if (rc < 0) {
		set_error(error, "journal %s: cannot format the entry: %s", e->id, strerror(-rc));
		return rc;
	}
	char *path = entry_path(dir, JOURNAL_CONF);
	rc = edit_write_atomic(h, path, text, len, 0600, error);
	free(path);
	free(text);
	return rc;
}

int journal_save(struct host *h, const struct journal_entry *e, char **error)
{
	return save_in(h, e, e->id, error);
}

/* ---- entries ---- */

int journal_create(struct host *h, struct journal_entry *e, char **error)
{
	if (error)
		*error = NULL;
	if (!e->time)
		e->time = (long long)time(NULL);
	if (!e->root)
		e->root = xstrdup(host_root(h));
	int rc = edit_mkdir_p(h, JOURNAL_DIR, error);
	if (rc < 0)
		return rc;

	time_t t = (time_t)e->time;
	struct tm tm;
	char stamp[32];
	if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0) {
		set_error(error, "journal: bad time %lld", e->time);
		return -EINVAL;
	}
	char *probe = xasprintf("%s/x", JOURNAL_DIR);
	char *name = NULL;
	int dirfd = host_open_parent(h, probe, true, &name);
	free(probe);
	free(name);
	if (dirfd < 0) {
		char *shown = shown_path(h, JOURNAL_DIR);
		set_error(error, "open %s: %s", shown, strerror(-dirfd));
		free(shown);
		return dirfd;
	}
	/* The entry is made as ".ID.new" (no id: journal_list() skips it) with its files/ and
	 * journal.conf, then renamed to ID: a crash never leaves an entry without journal.conf.
	 * The lock keeps other applies from taking ID in between. */
	char *id = NULL, *stage = NULL;
	rc = -EEXIST;
	for (int n = 1; n <= 10000 && rc == -EEXIST; n++) {
		free(id);
		free(stage);
		id = xasprintf("%s-%d", stamp, n);
		stage = xasprintf(".%s.new", id);
		struct stat st;
		if (fstatat(dirfd, id, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		rc = mkdirat(dirfd, stage, 0700) == 0 ? 0 : -errno; /* EEXIST: a crash's leftover */
	}
	bool made = rc == 0;
	if (rc < 0) {
		char *shown = shown_path(h, JOURNAL_DIR);
		set_error(error, "create a journal entry in %s: %s", shown, strerror(-rc));
		free(shown);
	} else {
		edit_test_kill_point("journal: create the entry directory");
		free(e->id);
		e->id = xstrdup(id);
		char *files = xasprintf("%s/%s/files", JOURNAL_DIR, stage);
		rc = edit_mkdir_p(h, files, error);
		free(files);
		if (rc == 0)
			rc = save_in(h, e, stage, error);
		if (rc == 0 && renameat(dirfd, stage, dirfd, id) != 0) {
			rc = -errno;
			char *shown = shown_path(h, JOURNAL_DIR);
			set_error(error, "create the journal entry %s in %s: %s", id, shown, strerror(-rc));
			free(shown);
		}
		if (rc == 0) {
			made = false; /* it is the entry now */
			edit_test_kill_point("journal: rename the entry into place");
			if (fsync(dirfd) != 0 && errno != EINVAL) {
				/* The entry exists; a crash may lose it, as it loses the apply that follows. */
			}
		}
	}
	if (made) {
		/* Best effort: what is left is a hidden directory that nothing reads. */
		char *conf = xasprintf("%s/%s", stage, JOURNAL_CONF), *sub = xasprintf("%s/files", stage);
		(void)unlinkat(dirfd, conf, 0);
		(void)unlinkat(dirfd, sub, AT_REMOVEDIR);
		(void)unlinkat(dirfd, stage, AT_REMOVEDIR);
		free(conf);
		free(sub);
	}
	if (rc < 0) {
		free(e->id);
		e->id = NULL;
	}
	close(dirfd);
	free(id);
	free(stage);
	return rc;
}

static bool same_file(struct host *h, const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	char *ra = NULL, *rb = NULL;
	bool same = host_resolve(h, a, true, &ra) == 0 && host_resolve(h, b, true, &rb) == 0 && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

int journal_backup(struct host *h, struct journal_entry *e, const char *path, char **error)
{
	if (error)
		*error = NULL;
	if (!valid_id(e->id)) {
		set_error(error, "journal entry without a valid id");
		return -EINVAL;
	}
	if (!path || path[0] != '/') {
		set_error(error, "back up %s: not an absolute path", path ? path : "(null)");
		return -EINVAL;
	}
	for (size_t i = 0; i < e->n_files; i++)
		if (same_file(h, e->files[i].path, path))
			return 0;

	struct buf data;
	struct stat st;
	buf_init(&data);
	int rc = read_regular(h, path, JOURNAL_MAX_FILE, &data, &st);
	struct journal_file f;
	memset(&f, 0, sizeof f);
	if (rc == -ENOENT) {
		f.existed = false;
		strcpy(f.sha_before, SHA_ABSENT);
	} else if (rc < 0) {
		set_error(error, "back up %s: %s", path, rc == -EINVAL ? "not a regular file" : strerror(-rc));
		buf_free(&data);
		return rc;
	} else {
		f.existed = true;
		f.backup = xasprintf("files/%zu", e->n_files);
		sha256_hex(data.data, data.len, f.sha_before);
		f.mode = st.st_mode & 07777;
		f.uid = st.st_uid;
		f.gid = st.st_gid;
		char *dest = entry_path(e->id, f.backup);
		rc = edit_write_atomic(h, dest, data.data, data.len, 0600, error);
		free(dest);
		if (rc < 0) {
			free(f.backup);
			buf_free(&data);
			return rc;
		}
	}
	buf_free(&data);
	f.path = xstrdup(path);
	e->files = xrealloc(e->files, (e->n_files + 1) * sizeof *e->files);
	e->files[e->n_files++] = f;
	/* Recorded before the file changes, so that a crash right after can still be undone. */
	return journal_save(h, e, error);
}

int journal_files_done(struct host *h, struct journal_entry *e, char **error)
{
	if (error)
		*error = NULL;
	for (size_t i = 0; i < e->n_files; i++) {
		int rc = current_sha(h, e->files[i].path, e->files[i].sha_after);
		if (rc < 0) {
			set_error(error, "checksum %s: %s", e->files[i].path, strerror(-rc));
			return rc;
		}
	}
	return journal_save(h, e, error);
}

void journal_add_command(struct journal_entry *e, const char *line, int exit_code)
{
	e->commands = xrealloc(e->commands, (e->n_commands + 1) * sizeof *e->commands);
	e->commands[e->n_commands].line = xstrdup(line ? line : "");
	e->commands[e->n_commands].exit_code = exit_code;
	e->n_commands++;
}

void journal_add_undo_command(struct journal_entry *e, const char *action, const char *const argv[])
{
	e->undo_commands = xrealloc(e->undo_commands, (e->n_undo_commands + 1) * sizeof *e->undo_commands);
	e->undo_actions = xrealloc(e->undo_actions, (e->n_undo_commands + 1) * sizeof *e->undo_actions);
	e->undo_actions[e->n_undo_commands] = action ? xstrdup(action) : NULL;
	struct strlist *l = &e->undo_commands[e->n_undo_commands++];
	strlist_init(l);
	for (size_t i = 0; argv[i]; i++)
		strlist_add(l, argv[i]);
}

void journal_entry_free(struct journal_entry *e)
{
	if (!e)
		return;
	free(e->id);
	free(e->root);
	strlist_free(&e->actions);
	for (size_t i = 0; i < e->n_files; i++) {
		free(e->files[i].path);
		free(e->files[i].backup);
	}
	free(e->files);
	for (size_t i = 0; i < e->n_commands; i++)
		free(e->commands[i].line);
	free(e->commands);
	for (size_t i = 0; i < e->n_undo_commands; i++) {
		strlist_free(&e->undo_commands[i]);
		free(e->undo_actions[i]);
	}
	free(e->undo_commands);
	free(e->undo_actions);
	strlist_free(&e->reboot_args);
	memset(e, 0, sizeof *e);
}

/* ---- reading journal.conf ---- */

struct reader {
	const char *file;  /* shown in messages */
	char **error;
	bool ok;
};

static void bad(struct reader *r, const config_setting_t *s, const char *name, const char *what)
{
	if (!r->ok)
		return;
	r->ok = false;
	set_error(r->error, "%s:%u: %s: %s", r->file, s ? config_setting_source_line(s) : 0u, name, what);
}

static const config_setting_t *member(struct reader *r, const config_setting_t *g, const char *name, int type,
                                      bool required)
{
	if (!r->ok)
		return NULL;
	config_setting_t *s = config_setting_get_member(g, name);
	if (!s) {
		if (required)
			bad(r, g, name, "missing");
		return NULL;
	}
	int t = config_setting_type(s);
	if (t == type || (type == CONFIG_TYPE_INT64 && t == CONFIG_TYPE_INT))
		return s;
	static const char *const expected[] = { "", "expected a group", "expected an integer", "expected an integer",
		                                "expected a number", "expected a string", "expected true or false",
		                                "expected an array", "expected a list" };
	bad(r, s, name, type >= 0 && type < (int)ARRAY_SIZE(expected) ? expected[type] : "wrong type");
	return NULL;
}

static const char *get_string(struct reader *r, const config_setting_t *g, const char *name, bool required)
{
	const config_setting_t *s = member(r, g, name, CONFIG_TYPE_STRING, required);
	return s ? config_setting_get_string(s) : NULL;
}

static bool get_bool(struct reader *r, const config_setting_t *g, const char *name)
{
	const config_setting_t *s = member(r, g, name, CONFIG_TYPE_BOOL, false);
	return s ? config_setting_get_bool(s) != 0 : false;
}

static void get_strings(struct reader *r, const config_setting_t *g, const char *name, struct strlist *out)
{
	strlist_init(out);
	const config_setting_t *s = member(r, g, name, CONFIG_TYPE_ARRAY, false);
	if (!s)
		return;
	int n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		const char *v = config_setting_get_string_elem(s, i);
		if (!v) {
			bad(r, s, name, "expected strings");
			return;
		}
		strlist_add(out, v);
	}
}

static void parse_file(struct reader *r, const config_setting_t *g, struct journal_file *f)
{
	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		bad(r, g, "files", "expected a group per file");
		return;
	}
	const char *path = get_string(r, g, "path", true);
	if (r->ok && path[0] != '/')
		bad(r, g, "path", "not an absolute path");
	f->path = xstrdup(path ? path : "");
	f->existed = get_bool(r, g, "existed");
	const char *backup = get_string(r, g, "backup", f->existed);
	if (r->ok && backup && !valid_backup_name(backup))
		bad(r, g, "backup", "not files/N");
	f->backup = backup ? xstrdup(backup) : NULL;
	const char *before = get_string(r, g, "sha_before", true);
	const char *after = get_string(r, g, "sha_after", true);
	if (r->ok && (!valid_sha(before) || !valid_sha(after)))
		bad(r, g, "sha", "not a SHA-256 checksum");
	if (r->ok) {
		strcpy(f->sha_before, before);
		strcpy(f->sha_after, after);
	}
	const config_setting_t *m = member(r, g, "mode", CONFIG_TYPE_INT, true);
	if (m) {
		int mode = config_setting_get_int(m);
		if (mode < 0 || mode > 07777)
			bad(r, m, "mode", "out of range");
		f->mode = (mode_t)mode;
	}
	const config_setting_t *u = member(r, g, "uid", CONFIG_TYPE_INT64, true);
	const config_setting_t *gi = member(r, g, "gid", CONFIG_TYPE_INT64, true);
	if (u && gi) {
		long long uid = config_setting_get_int64(u), gid = config_setting_get_int64(gi);
		if (uid < 0 || uid > 0xffffffffLL || gid < 0 || gid > 0xffffffffLL)
			bad(r, u, "uid", "out of range");
		f->uid = (uid_t)uid;
		f->gid = (gid_t)gid;
	}
}

int journal_load(struct host *h, const char *id, struct journal_entry *e, char **error)
{
	if (error)
		*error = NULL;
	memset(e, 0, sizeof *e);
	strlist_init(&e->actions);
	strlist_init(&e->reboot_args);
	if (!valid_id(id)) {
		set_error(error, "no journal entry %s", id ? id : "(null)");
		return -ENOENT;
	}
	char *path = entry_path(id, JOURNAL_CONF);
	char *shown = shown_path(h, path);
	struct buf text;
	buf_init(&text);
	int rc = host_read_file(h, path, JOURNAL_MAX_CONF, &text);
	free(path);
	if (rc < 0) {
		set_error(error, "%s: %s", shown, strerror(-rc));
		buf_free(&text);
		free(shown);
		return rc;
	}
	if (memchr(text.data, '\0', text.len)) {
		set_error(error, "%s: not a text file", shown);
		buf_free(&text);
		free(shown);
		return -EINVAL;
	}
	config_t cfg;
	config_init(&cfg);
	if (config_read_string(&cfg, text.data) != CONFIG_TRUE) {
		set_error(error, "%s:%d: %s", shown, config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		buf_free(&text);
		free(shown);
		return -EINVAL;
	}
	buf_free(&text);

	struct reader r = { shown, error, true };
	const config_setting_t *root = config_root_setting(&cfg);
	const config_setting_t *v = member(&r, root, "version", CONFIG_TYPE_INT, true);
	if (v && config_setting_get_int(v) != JOURNAL_VERSION)
		bad(&r, v, "version", "unknown journal version");
	const char *sid = get_string(&r, root, "id", true);
	if (r.ok && strcmp(sid, id) != 0)
		bad(&r, config_setting_get_member(root, "id"), "id", "does not match the directory");
	e->id = xstrdup(id);
	const char *t = get_string(&r, root, "time", true);
	if (r.ok && !str_parse_ll(t, &e->time))
		bad(&r, config_setting_get_member(root, "time"), "time", "not a decimal number");
	const char *jroot = get_string(&r, root, "root", false);
	e->root = xstrdup(jroot ? jroot : "");
	get_strings(&r, root, "actions", &e->actions);
	const config_setting_t *files = member(&r, root, "files", CONFIG_TYPE_LIST, true);
	if (files) {
		int n = config_setting_length(files);
		e->files = xcalloc((size_t)n + 1, sizeof *e->files);
		for (int i = 0; i < n && r.ok; i++) {
			parse_file(&r, config_setting_get_elem(files, (unsigned)i), &e->files[i]);
			e->n_files++;
		}
	}
	const config_setting_t *cmds = member(&r, root, "commands", CONFIG_TYPE_LIST, false);
	if (cmds) {
		int n = config_setting_length(cmds);
		e->commands = xcalloc((size_t)n + 1, sizeof *e->commands);
		for (int i = 0; i < n && r.ok; i++) {
			const config_setting_t *g = config_setting_get_elem(cmds, (unsigned)i);
			if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
				bad(&r, g, "commands", "expected a group per command");
				break;
			}
			const char *line = get_string(&r, g, "line", true);
			const config_setting_t *x = member(&r, g, "exit_code", CONFIG_TYPE_INT, true);
			e->commands[i].line = xstrdup(line ? line : "");
			e->commands[i].exit_code = x ? config_setting_get_int(x) : 0;
			e->n_commands++;
		}
	}
	const config_setting_t *undo = member(&r, root, "undo_commands", CONFIG_TYPE_LIST, false);
	if (undo) {
		int n = config_setting_length(undo);
		e->undo_commands = xcalloc((size_t)n + 1, sizeof *e->undo_commands);
		e->undo_actions = xcalloc((size_t)n + 1, sizeof *e->undo_actions);
		for (int i = 0; i < n && r.ok; i++) {
			const config_setting_t *g = config_setting_get_elem(undo, (unsigned)i);
			if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
				bad(&r, g, "undo_commands", "expected a group per command");
				break;
			}
			get_strings(&r, g, "argv", &e->undo_commands[i]);
			const char *action = get_string(&r, g, "action", false);
			e->undo_actions[i] = action ? xstrdup(action) : NULL;
			e->n_undo_commands++;
			if (r.ok && e->undo_commands[i].n == 0)
				bad(&r, g, "undo_commands", "empty argv");
		}
	}
	e->reboot_required = get_bool(&r, root, "reboot_required");
	get_strings(&r, root, "reboot_args", &e->reboot_args);
	e->verified = get_bool(&r, root, "verified");
	e->undone = get_bool(&r, root, "undone");
	config_destroy(&cfg);
	free(shown);
	if (!r.ok) {
		journal_entry_free(e);
		strlist_init(&e->actions);
		strlist_init(&e->reboot_args);
		return -EINVAL;
	}
	return 0;
}

/* Ids sort by time, then by their counter as a number ("-2" before "-10"). */
static int cmp_id(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	const char *da = strrchr(a, '-'), *db = strrchr(b, '-');
	size_t la = da ? (size_t)(da - a) : strlen(a), lb = db ? (size_t)(db - b) : strlen(b);
	int c = strncmp(a, b, la < lb ? la : lb);
	if (c || la != lb)
		return c ? c : (la < lb ? -1 : 1);
	const char *na = da ? da + 1 : "", *nb = db ? db + 1 : "";
	size_t ma = strlen(na), mb = strlen(nb);
	while (ma > 1 && *na == '0')
		na++, ma--;
	while (mb > 1 && *nb == '0')
		nb++, mb--;
	if (ma != mb)
		return ma < mb ? -1 : 1;
	c = strcmp(na, nb);
	return c ? c : strcmp(a, b);
}

int journal_list(struct host *h, struct strlist *ids)
{
	strlist_init(ids);
	struct strlist names;
	int rc = host_list_dir(h, JOURNAL_DIR, &names);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < names.n; i++) {
		if (!valid_id(names.v[i]))
			continue;
		char *p = xasprintf("%s/%s", JOURNAL_DIR, names.v[i]);
		if (host_is_dir(h, p))
			strlist_add(ids, names.v[i]);
		free(p);
	}
	strlist_free(&names);
	if (ids->n > 1)
		qsort(ids->v, ids->n, sizeof *ids->v, cmp_id);
	return 0;
}

/* ---- undo ---- */

/* Reads the backup of f and checks it against sha_before; 0, or -errno with *error. */
static int load_backup(struct host *h, const struct journal_entry *e, const struct journal_file *f, struct buf *data,
                       const char *outcome, char **error)
{
	int rc = -ENOENT;
	if (f->backup) {
		char *bpath = entry_path(e->id, f->backup);
		struct stat st;
		rc = read_regular(h, bpath, JOURNAL_MAX_FILE, data, &st);
		free(bpath);
	}
	if (rc == 0) {
		char sha[SHA256_HEX_LEN + 1];
		sha256_hex(data->data, data->len, sha);
		if (strcmp(sha, f->sha_before) != 0)
			rc = -EBADMSG;
	}
	if (rc < 0)
		set_error(error, "the backup of %s (%s) is %s%s", f->path, f->backup ? f->backup : "none",
		          rc == -EBADMSG ? "damaged" : strerror(-rc), outcome);
	return rc;
}

/* Puts one file back as it was before the apply: its bytes, mode and owner, or its absence. */
static int restore_one(struct host *h, const struct journal_file *f, const struct buf *backup, const char *note,
                       struct buf *report, char **error)
{
	int rc;
	if (f->existed) {
		rc = edit_write_atomic_as(h, f->path, backup->data ? backup->data : "", backup->len, f->mode, f->uid, f->gid,
		                          error);
		if (rc == 0)
			buf_printf(report, _("restored %s%s\n"), f->path, note);
	} else {
		rc = edit_remove(h, f->path, error);
		if (rc == 0)
			buf_printf(report, _("removed %s%s\n"), f->path, note);
	}
	return rc;
}

int journal_restore_files(struct host *h, struct journal_entry *e, size_t first, struct buf *report, char **error)
{
	if (error)
		*error = NULL;
	int first_rc = 0;
	/* Every file is tried, newest first; the first failure is the one reported. */
	for (size_t k = e->n_files; k-- > first;) {
		const struct journal_file *f = &e->files[k];
		struct buf data;
		buf_init(&data);
		char *err = NULL;
		int rc = f->existed ? load_backup(h, e, f, &data, "", &err) : 0;
		if (rc == 0)
			rc = restore_one(h, f, &data, "", report, &err);
		buf_free(&data);
		if (rc < 0 && first_rc == 0) {
			first_rc = rc;
			if (error)
				*error = err;
			else
				free(err);
		} else {
			free(err);
		}
	}
	return first_rc;
}

enum undo_action { UNDO_RESTORE, UNDO_NOTHING, UNDO_CHANGED };

/* Runs the entry's undo commands, last to first (autostart and service state back as they
 * were). Every command is tried; a failure is reported and makes the undo fail, except for
 * an action the apply never finished (a crash): the command it reverses may not have run. */
static int run_undo_commands(struct host *h, const struct journal_entry *e, struct buf *report, char **error)
{
	int rc = 0;
	struct buf failed;
	buf_init(&failed);
	for (size_t k = e->n_undo_commands; k-- > 0;) {
		const struct strlist *l = &e->undo_commands[k];
		const char **argv = xcalloc(l->n + 1, sizeof *argv);
		for (size_t i = 0; i < l->n; i++)
			argv[i] = l->v[i];
		char *line = run_format_argv(argv);
		struct run_result res;
		int r = run_command(h, argv, NULL, &res);
		bool interrupted = e->undo_actions[k] && !strlist_contains(&e->actions, e->undo_actions[k]);
		if (r == 0 && res.outcome == RUN_EXITED && res.exit_code == 0) {
			buf_printf(report, _("ran %s\n"), line);
		} else if (interrupted) {
			buf_printf(report, _("ran %s: it failed, as it may when the interrupted apply had not run what it reverses\n"),
			           line);
		} else {
			buf_printf(&failed, "%s%s", failed.len ? "; " : "", line);
			rc = -EIO;
		}
		run_result_free(&res);
		free(line);
		free(argv);
	}
	if (rc < 0)
		set_error(error, "the files are restored, but these commands failed: %s", failed.data);
	buf_free(&failed);
	return rc;
}

int journal_undo(struct host *h, struct journal_entry *e, bool force, struct buf *report, char **error)
{
	if (error)
		*error = NULL;
	if (e->undone && !force) {
		set_error(error, "journal entry %s was already undone", e->id);
		return -EALREADY;
	}
	size_t n = e->n_files;
	enum undo_action *action = xcalloc(n + 1, sizeof *action);
	struct buf *backup = xcalloc(n + 1, sizeof *backup);
	struct strlist changed;
	strlist_init(&changed);
	int rc = 0;

	/* First look at everything; change nothing until all is known to be restorable. */
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct journal_file *f = &e->files[i];
		char now[SHA256_HEX_LEN + 1];
		rc = current_sha(h, f->path, now);
		if (rc < 0) {
			set_error(error, "checksum %s: %s", f->path, strerror(-rc));
			break;
		}
		const char *before = f->existed ? f->sha_before : SHA_ABSENT;
		if (f->sha_after[0] && strcmp(now, f->sha_after) == 0)
			action[i] = UNDO_RESTORE;
		else if (strcmp(now, before) == 0)
			action[i] = UNDO_NOTHING;
		else if (!f->sha_after[0])
			action[i] = UNDO_RESTORE; /* an interrupted apply: the change is its own */
		else {
			action[i] = UNDO_CHANGED;
			strlist_add(&changed, f->path);
		}
		buf_init(&backup[i]);
		if (f->existed)
			rc = load_backup(h, e, f, &backup[i], ": nothing was undone", error);
	}
	if (rc == 0 && changed.n && !force) {
		struct buf list;
		buf_init(&list);
		for (size_t i = 0; i < changed.n; i++)
			buf_printf(&list, "%s%s", i ? ", " : "", changed.v[i]);
		set_error(error, "changed since the apply, not undone (--force restores them anyway): %s", list.data);
		buf_free(&list);
		rc = -ECANCELED;
	}

	/* Newest change first, so that two names of one file end with the oldest bytes. */
	for (size_t k = n; rc == 0 && k-- > 0;) {
		if (action[k] == UNDO_NOTHING)
			buf_printf(report, _("unchanged %s\n"), e->files[k].path);
		else
			rc = restore_one(h, &e->files[k], &backup[k],
			                 action[k] == UNDO_CHANGED ? " (changed since the apply; forced)" : "", report, error);
	}
	if (rc == 0)
		rc = run_undo_commands(h, e, report, error);
	if (rc == 0) {
		e->undone = true;
		rc = journal_save(h, e, error);
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&backup[i]);
	free(backup);
	free(action);
	strlist_free(&changed);
	return rc;
}

bool journal_reboot_pending(struct host *h)
{
	struct strlist ids;
	if (journal_list(h, &ids) < 0)
		return false;
	bool pending = false;
	for (size_t i = 0; i < ids.n && !pending; i++) {
		struct journal_entry e;
		char *error = NULL;
		if (journal_load(h, ids.v[i], &e, &error) == 0) {
			pending = e.reboot_required && !e.verified && !e.undone;
			journal_entry_free(&e);
		}
		free(error);
	}
	strlist_free(&ids);
	return pending;
}
