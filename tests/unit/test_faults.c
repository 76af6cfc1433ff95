/* test_faults.c: issue 7 §3: every atomic-edit step of a real iommu apply fails in turn (ENOSPC, EIO, EROFS); files, journal and undo stay whole. */
/*
 * For each step of edit_write_atomic and each run of that step during the apply (the k-th
 * open, the k-th rename, ...: journal writes, backups and the boot files alike), a fresh copy
 * of a snapshot host is applied with that one run failing. Each run of a step fails with one
 * of the three errnos in turn, so that every (step, errno) pair is tried several times;
 * FAULTS_FULL=1 tries every errno at every run (three times the cases). The copies live on
 * /dev/shm when TMPDIR is unset: the faults are injected, no fsync has to reach a disk.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "action.h"
#include "apply.h"
#include "check.h"
#include "edit.h"
#include "host.h"
#include "journal.h"
#include "steps.h"

static const int fault_errs[] = { ENOSPC, EIO, EROFS };
static const char *const step_names[EDIT_STEP_COUNT] = {
	[EDIT_STEP_OPEN] = "open",   [EDIT_STEP_WRITE] = "write",   [EDIT_STEP_FSYNC] = "fsync",
	[EDIT_STEP_CHMOD] = "chmod", [EDIT_STEP_CHOWN] = "chown",   [EDIT_STEP_RENAME] = "rename",
	[EDIT_STEP_DIRSYNC] = "dirsync",
};

/* ---- copying a snapshot host ---- */

/* Copies the tree src to dst (which must not exist): directories, regular files and
 * symlinks, with their modes plus the owner's write permission (make distcheck leaves the
 * sources read-only); asserts on failure. */
static void copy_tree(const char *src, const char *dst)
{
	struct stat st;
	if (lstat(src, &st) != 0)
		fail_msg("lstat %s: %s", src, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(dst, 0700) != 0)
			fail_msg("mkdir %s: %s", dst, strerror(errno));
		DIR *d = opendir(src);
		assert_non_null(d);
		struct dirent *de;
		while ((de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char *s = xasprintf("%s/%s", src, de->d_name), *t = xasprintf("%s/%s", dst, de->d_name);
			copy_tree(s, t);
			free(s);
			free(t);
		}
		closedir(d);
		assert_int_equal(chmod(dst, (st.st_mode & 07777) | S_IRWXU), 0);
	} else if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(src, target, sizeof target - 1);
		assert_true(n >= 0);
		target[n] = '\0';
		assert_int_equal(symlink(target, dst), 0);
	} else if (S_ISREG(st.st_mode)) {
		int in = open(src, O_RDONLY | O_CLOEXEC);
		assert_true(in >= 0);
		struct buf data;
		buf_init(&data);
		assert_int_equal(fd_read_all(in, 64u << 20, &data), 0);
		close(in);
		int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		assert_true(out >= 0);
		assert_int_equal(write(out, data.data ? data.data : "", data.len), (ssize_t)data.len);
		assert_int_equal(fchmod(out, (st.st_mode & 07777) | S_IWUSR), 0);
		close(out);
		buf_free(&data);
	}
}

/* Counts names holding ".kvmprep-" (temporary files of edit.c) below dir. */
static size_t count_temps(const char *dir)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strstr(de->d_name, ".kvmprep-")) {
			print_message("# left: %s/%s\n", dir, de->d_name);
			n++;
		}
		char *p = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_temps(p);
		free(p);
	}
	closedir(d);
	return n;
}

/* ---- one apply, as `kvmprep --only iommu apply --yes` does it ---- */

/* apply's verification: the iommu step, planned again, must find nothing left to do. */
struct outcome {
	int rc;                    /* apply_plan's */
	enum action_status status; /* of the one planned action */
	char *journal_id;
	char *error;
};

/* Builds the iommu plan of the host at root and applies it; the planned paths (files the
 * action writes, then files its commands change) go to paths when it is not NULL. */
static void apply_iommu(const char *root, struct outcome *o, struct strlist *paths)
{
	struct host *h = NULL;
	assert_int_equal(host_open(&h, root), 0);
	struct check_ctx ctx;
	check_ctx_init(&ctx, h);
	struct plan plan;
	plan_init(&plan);
	step_find("iommu")->plan(&ctx, &plan);
	size_t planned = 0;
	for (size_t i = 0; i < plan.n; i++) {
		if (plan.v[i].status != ACTION_PLANNED)
			continue;
		planned++;
		for (size_t k = 0; paths && k < plan.v[i].n_files; k++)
			strlist_add(paths, plan.v[i].files[k].path);
		for (size_t k = 0; paths && k < plan.v[i].also_changes.n; k++)
			strlist_add(paths, plan.v[i].also_changes.v[k]);
	}
	assert_int_equal(planned, 1);
	o->rc = apply_plan(h, &plan, step_verify_action, &ctx, &o->journal_id, &o->error);
	for (size_t i = 0; i < plan.n; i++)
		if (strcmp(plan.v[i].id, "iommu.boot_flag") == 0)
			o->status = plan.v[i].status;
	plan_free(&plan);
	check_ctx_free(&ctx);
	host_close(h);
}

/* ---- the scenario of one snapshot host ---- */

struct scenario {
	const char *host;
	bool full;                 /* every errno at every run of a step */
	char *tmp;                 /* private directory: "ref" and "case" roots */
	char *snapshot;            /* $HOSTS/NAME */
	struct strlist paths;      /* host paths the apply touches */
	struct buf *before, *after; /* their bytes before the apply and after a clean one */
	size_t cases, done, failed, aborted;
	size_t occurrences[EDIT_STEP_COUNT];
	size_t pairs[EDIT_STEP_COUNT][ARRAY_SIZE(fault_errs)]; /* cases per (step, errno) */
};

static void read_paths(const char *root, const struct strlist *paths, struct buf *out)
{
	struct host *h = NULL;
	assert_int_equal(host_open(&h, root), 0);
	for (size_t i = 0; i < paths->n; i++) {
		buf_init(&out[i]);
		assert_int_equal(host_read_file(h, paths->v[i], 64u << 20, &out[i]), 0);
	}
	host_close(h);
}

static bool same(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Every touched file holds exactly the original bytes (want_new false) or the new ones. */
static bool all_files(const char *root, const struct scenario *sc, bool want_new, bool *mixed_ok)
{
	struct buf *now = xcalloc(sc->paths.n + 1, sizeof *now);
	read_paths(root, &sc->paths, now);
	bool all = true;
	for (size_t i = 0; i < sc->paths.n; i++) {
		bool is_old = same(&now[i], &sc->before[i]), is_new = same(&now[i], &sc->after[i]);
		if (!is_old && !is_new) {
			print_message("# %s: %s is neither the original nor the new file\n", sc->host, sc->paths.v[i]);
			*mixed_ok = false;
		}
		if (!(want_new ? is_new : is_old))
			all = false;
		buf_free(&now[i]);
	}
	free(now);
	return all;
}

static void scenario_setup(struct scenario *sc)
{
	const char *hosts = getenv("HOSTS");
	assert_non_null(hosts);
	sc->snapshot = xasprintf("%s/%s", hosts, sc->host);
	sc->tmp = testlib_mkdtemp("faults");
	assert_non_null(sc->tmp);
	strlist_init(&sc->paths);

	/* A clean apply on a copy gives the new bytes of every file the plan touches. */
	char *ref = xasprintf("%s/ref", sc->tmp);
	copy_tree(sc->snapshot, ref);
	struct outcome o = { 0 };
	apply_iommu(ref, &o, &sc->paths);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.status, ACTION_DONE);
	assert_null(o.error);
	assert_true(sc->paths.n > 0);
	sc->before = xcalloc(sc->paths.n, sizeof *sc->before);
	sc->after = xcalloc(sc->paths.n, sizeof *sc->after);
	read_paths(sc->snapshot, &sc->paths, sc->before);
	read_paths(ref, &sc->paths, sc->after);
	for (size_t i = 0; i < sc->paths.n; i++)
		assert_false(same(&sc->before[i], &sc->after[i]));
	free(o.journal_id);
	testlib_remove_tree(ref);
	free(ref);
}

static void scenario_free(struct scenario *sc)
{
	for (size_t i = 0; i < sc->paths.n; i++) {
		buf_free(&sc->before[i]);
		buf_free(&sc->after[i]);
	}
	free(sc->before);
	free(sc->after);
	strlist_free(&sc->paths);
	testlib_remove_tree(sc->tmp);
	free(sc->tmp);
	free(sc->snapshot);
}

/* Every entry of the journal loads; returns how many there are. */
static size_t journal_consistent(struct host *h)
{
	struct strlist ids;
	assert_int_equal(journal_list(h, &ids), 0);
	for (size_t i = 0; i < ids.n; i++) {
		struct journal_entry e;
		char *error = NULL;
		int rc = journal_load(h, ids.v[i], &e, &error);
		if (rc != 0)
			fail_msg("journal %s does not load: %s", ids.v[i], error ? error : "?");
		journal_entry_free(&e);
	}
	size_t n = ids.n;
	strlist_free(&ids);
	return n;
}

/* One case: the (skip + 1)-th run of step fails with err. Returns false when the apply ran
 * to its end without reaching that run (the fault never fired). */
static bool run_case(struct scenario *sc, enum edit_step step, int err, unsigned skip)
{
	char *root = xasprintf("%s/case", sc->tmp);
	copy_tree(sc->snapshot, root);
	edit_inject_fault_nth(step, err, skip);
	struct outcome o = { 0 };
	apply_iommu(root, &o, NULL);
	bool fired = !edit_fault_armed(step);
	edit_inject_fault(step, 0);
	char *label = xasprintf("%s: %s fails with %s at its run %u", sc->host, step_names[step], strerror(err), skip + 1);

	bool whole = true;
	if (!fired) {
		/* Past the last run of the step: a clean apply. */
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.status, ACTION_DONE);
		assert_true(all_files(root, sc, true, &whole));
	} else {
		sc->cases++;
		for (size_t k = 0; k < ARRAY_SIZE(fault_errs); k++)
			sc->pairs[step][k] += fault_errs[k] == err;
		if (o.rc < 0) {
			/* The journal could not start: nothing changed, no entry. */
			sc->aborted++;
			assert_null(o.journal_id);
			assert_int_equal(o.status, ACTION_PLANNED);
			if (!all_files(root, sc, false, &whole))
				fail_msg("%s: apply refused but a file changed", label);
		} else if (o.status == ACTION_DONE) {
			sc->done++;
			assert_int_equal(o.rc, 0);
			if (!all_files(root, sc, true, &whole))
				fail_msg("%s: done but not every file is new", label);
		} else {
			sc->failed++;
			assert_int_equal(o.status, ACTION_FAILED);
			assert_int_equal(o.rc, 1);
			if (!all_files(root, sc, false, &whole))
				fail_msg("%s: failed but the files were not restored", label);
		}
	}
	if (!whole)
		fail_msg("%s: a partial file", label);
	/* In-process failures clean up after themselves: no temporary file anywhere. */
	if (count_temps(root) != 0)
		fail_msg("%s: temporary files left", label);

	/* The journal loads, and undo brings back the original bytes. */
	struct host *h = NULL;
	assert_int_equal(host_open(&h, root), 0);
	size_t entries = journal_consistent(h);
	if (o.journal_id) {
		assert_int_equal(entries, 1);
		struct journal_entry e;
		char *error = NULL;
		assert_int_equal(journal_load(h, o.journal_id, &e, &error), 0);
		struct buf report;
		buf_init(&report);
		int rc = journal_undo(h, &e, false, &report, &error);
		if (rc != 0)
			fail_msg("%s: undo: %s", label, error ? error : "?");
		buf_free(&report);
		journal_entry_free(&e);
		if (!all_files(root, sc, false, &whole))
			fail_msg("%s: undo did not restore the original bytes", label);
		assert_int_equal(journal_consistent(h), 1);
	} else {
		assert_int_equal(entries, 0);
	}
	host_close(h);

	free(o.journal_id);
	free(o.error);
	free(label);
	testlib_remove_tree(root);
	free(root);
	return fired;
}

static void run_scenario(const char *host)
{
	const char *full = getenv("FAULTS_FULL");
	struct scenario sc = { .host = host, .full = full && strcmp(full, "1") == 0 };
	scenario_setup(&sc);
	for (int s = 0; s < EDIT_STEP_COUNT; s++) {
		unsigned skip = 0;
		for (bool fired = true; fired; skip++) {
			for (size_t k = 0; k < ARRAY_SIZE(fault_errs); k++) {
				if (!sc.full && k != (s + skip) % ARRAY_SIZE(fault_errs))
					continue;
				fired = run_case(&sc, (enum edit_step)s, fault_errs[k], skip);
				if (!fired)
					break; /* past the step's last run, whatever the errno */
			}
		}
		sc.occurrences[s] = skip - 1;
		for (size_t k = 0; k < ARRAY_SIZE(fault_errs); k++)
			if (sc.pairs[s][k] == 0)
				fail_msg("%s: %s never failed with %s", host, step_names[s], strerror(fault_errs[k]));
	}
	print_message("# %s: %zu faults injected (%zu steps x %zu errnos, %s), %zu survived: "
	              "%zu rolled back, %zu done, %zu refused before the journal\n",
	              host, sc.cases, (size_t)EDIT_STEP_COUNT, ARRAY_SIZE(fault_errs),
	              sc.full ? "every errno at every run of each step" : "the errnos in turn over every run of each step",
	              sc.done + sc.failed + sc.aborted, sc.failed, sc.done, sc.aborted);
	print_message("# %s: runs per step: open %zu, write %zu, fsync %zu, chmod %zu, chown %zu, rename %zu, dirsync %zu\n",
	              host, sc.occurrences[EDIT_STEP_OPEN], sc.occurrences[EDIT_STEP_WRITE], sc.occurrences[EDIT_STEP_FSYNC],
	              sc.occurrences[EDIT_STEP_CHMOD], sc.occurrences[EDIT_STEP_CHOWN], sc.occurrences[EDIT_STEP_RENAME],
	              sc.occurrences[EDIT_STEP_DIRSYNC]);
	scenario_free(&sc);
}

/* GRUB legacy: kvmprep writes grub.conf itself (through the menu.lst and /etc links). */
static void test_faults_centos6_guide(void **state)
{
	(void)state;
	run_scenario("centos6-guide");
}

/* BLS: /etc/default/grub written, then grubby changes the entries and /etc/kernel/cmdline. */
static void test_faults_rocky9_bls(void **state)
{
	(void)state;
	run_scenario("rocky9-intel-bls");
}

static int teardown(void **state)
{
	(void)state;
	for (int s = 0; s < EDIT_STEP_COUNT; s++)
		edit_inject_fault((enum edit_step)s, 0);
	return 0;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	if ((!tmp || !*tmp) && stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_faults_centos6_guide, teardown),
		cmocka_unit_test_teardown(test_faults_rocky9_bls, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
