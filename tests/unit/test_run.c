/* test_run.c: unit tests of the command runner against throwaway roots holding small sh scripts. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "run.h"

static int setup(void **state)
{
	struct test_root *fx = testlib_root_open("run");
	if (!fx)
		return -1;
	static const char *const dirs[] = { "bin", "sbin", "usr", "usr/bin", "usr/sbin", "opt" };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		testlib_mkdirs(fx, dirs[i]);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	return testlib_root_close(*state);
}

static void write_script(const struct test_root *fx, const char *rel, const char *body)
{
	char *text = xasprintf("#!/bin/sh\n%s\n", body);
	testlib_write_mode(fx, rel, text, 0755);
	free(text);
}

static long read_pid_file(const struct test_root *fx, const char *rel)
{
	char *path = testlib_path(fx, rel);
	FILE *f = fopen(path, "re");
	free(path);
	assert_non_null(f);
	long pid = 0;
	assert_int_equal(fscanf(f, "%ld", &pid), 1);
	fclose(f);
	assert_true(pid > 1);
	return pid;
}

/* True when pid is gone or a zombie waiting for its new parent to reap it. */
static bool process_dead(long pid)
{
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return true;
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return true;
	char state = '?';
	int n = fscanf(f, "%*d (%*[^)]) %c", &state);
	fclose(f);
	return n == 1 && (state == 'Z' || state == 'X');
}

static bool wait_dead(long pid, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		if (process_dead(pid))
			return true;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return process_dead(pid);
}

static void test_success(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/hello", "echo \"out:$1\"\necho err >&2\nexit 0");
	const char *argv[] = { "hello", "a", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "out:a\n");
	assert_int_equal(r.out_len, 6);
	assert_false(r.out_truncated);
	assert_string_equal(r.err, "err\n");
	assert_int_equal(r.err_len, 4);
	char *expect = testlib_path(fx, "bin/hello");
	assert_string_equal(r.program, expect);
	free(expect);
	assert_true(r.elapsed_ms >= 0 && r.elapsed_ms < 10000);
	run_result_free(&r);
}

static void test_nonzero_exit(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "usr/sbin/fail", "echo nope >&2\nexit 3");
	const char *argv[] = { "fail", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_int_equal(r.exit_code, 3);
	assert_string_equal(r.out, "");
	assert_int_equal(r.out_len, 0);
	assert_string_equal(r.err, "nope\n");
	run_result_free(&r);
}

static void test_missing_program(void **state)
{
	struct test_root *fx = *state;
	char *marker = testlib_path(fx, "marker");
	/* touch exists on the real system but not in the root: it must not run. */
	const char *argv[] = { "touch", marker, NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), -ENOENT);
	assert_int_equal(r.outcome, RUN_NOT_FOUND);
	assert_null(r.program);
	assert_non_null(r.out);
	assert_non_null(r.err);
	assert_string_equal(r.out, "");
	run_result_free(&r);

	const char *abs_argv[] = { "/usr/bin/touch", marker, NULL };
	assert_int_equal(run_command(fx->h, abs_argv, NULL, &r), -ENOENT);
	assert_int_equal(r.outcome, RUN_NOT_FOUND);
	run_result_free(&r);
	assert_false(testlib_exists(fx, "marker"));
	assert_null(run_find_program(fx->h, "touch"));
	free(marker);
}

static void test_outside_safe_path(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "opt/tool", "echo tool");
	assert_null(run_find_program(fx->h, "tool"));
	const char *argv[] = { "tool", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), -ENOENT);
	assert_int_equal(r.outcome, RUN_NOT_FOUND);
	run_result_free(&r);

	/* An absolute host path is taken as given, inside the root. */
	const char *abs_argv[] = { "/opt/tool", NULL };
	assert_int_equal(run_command(fx->h, abs_argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_string_equal(r.out, "tool\n");
	run_result_free(&r);

	/* Relative paths and odd names are refused. */
	const char *rel_argv[] = { "opt/tool", NULL };
	assert_int_equal(run_command(fx->h, rel_argv, NULL, &r), -EINVAL);
	assert_int_equal(r.outcome, RUN_ERROR);
	assert_int_equal(r.error, EINVAL);
	run_result_free(&r);
	const char *no_argv[] = { NULL };
	assert_int_equal(run_command(fx->h, no_argv, NULL, &r), -EINVAL);
	run_result_free(&r);
	assert_null(run_find_program(fx->h, ".."));
	assert_null(run_find_program(fx->h, ""));
}

static void test_no_escape(void **state)
{
	struct test_root *fx = *state;
	struct run_result r;
	const char *dotdot[] = { "/../../../../bin/sh", "-c", "echo escaped", NULL };
	assert_int_equal(run_command(fx->h, dotdot, NULL, &r), -ENOENT);
	assert_int_equal(r.outcome, RUN_NOT_FOUND);
	run_result_free(&r);

	/* Absolute and relative symlinks are followed inside the root. */
	testlib_symlink(fx, "/usr/bin/id", "bin/x");
	testlib_symlink(fx, "../../../../../../bin/sh", "bin/y");
	assert_null(run_find_program(fx->h, "x"));
	assert_null(run_find_program(fx->h, "y"));
	const char *x_argv[] = { "x", NULL };
	assert_int_equal(run_command(fx->h, x_argv, NULL, &r), -ENOENT);
	assert_int_equal(r.outcome, RUN_NOT_FOUND);
	run_result_free(&r);
	const char *y_argv[] = { "/bin/y", "-c", "echo escaped", NULL };
	assert_int_equal(run_command(fx->h, y_argv, NULL, &r), -ENOENT);
	run_result_free(&r);

	write_script(fx, "usr/bin/id", "echo inside");
	char *found = run_find_program(fx->h, "x");
	assert_string_equal(found, "/bin/x");
	free(found);
	assert_int_equal(run_command(fx->h, x_argv, NULL, &r), 0);
	char *expect = testlib_path(fx, "usr/bin/id");
	assert_string_equal(r.program, expect);
	free(expect);
	assert_string_equal(r.out, "inside\n");
	run_result_free(&r);
}

static void test_merged_usr(void **state)
{
	struct test_root *fx = *state;
	char *sbin = testlib_path(fx, "sbin");
	assert_int_equal(rmdir(sbin), 0);
	free(sbin);
	testlib_symlink(fx, "usr/sbin", "sbin");
	write_script(fx, "usr/sbin/chkconfig", "echo \"chkconfig $*\"");
	char *found = run_find_program(fx->h, "chkconfig");
	assert_string_equal(found, "/usr/sbin/chkconfig");
	free(found);
	found = run_find_program(fx->h, "/sbin/chkconfig");
	assert_string_equal(found, "/sbin/chkconfig");
	free(found);

	const char *argv[] = { "/sbin/chkconfig", "ksm", "on", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	char *expect = testlib_path(fx, "usr/sbin/chkconfig");
	assert_string_equal(r.program, expect);
	free(expect);
	assert_string_equal(r.out, "chkconfig ksm on\n");
	run_result_free(&r);
}

static void test_not_executable(void **state)
{
	struct test_root *fx = *state;
	testlib_write_mode(fx, "bin/plain", "#!/bin/sh\necho ran\n", 0644);
	char *dir = testlib_path(fx, "bin/adir");
	assert_int_equal(mkdir(dir, 0755), 0);
	free(dir);
	assert_null(run_find_program(fx->h, "plain"));
	assert_null(run_find_program(fx->h, "adir"));
	struct run_result r;
	const char *argv[] = { "plain", NULL };
	assert_int_equal(run_command(fx->h, argv, NULL, &r), -ENOENT);
	assert_int_equal(r.outcome, RUN_NOT_FOUND);
	run_result_free(&r);
	const char *dir_argv[] = { "/bin/adir", NULL };
	assert_int_equal(run_command(fx->h, dir_argv, NULL, &r), -ENOENT);
	run_result_free(&r);
}

static void test_exec_failure(void **state)
{
	struct test_root *fx = *state;
	/* Executable, but no #! line and not a binary: execve fails, no shell steps in. */
	testlib_write_mode(fx, "bin/junk", "echo not a script\n", 0755);
	const char *argv[] = { "junk", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), -ENOEXEC);
	assert_int_equal(r.outcome, RUN_ERROR);
	assert_int_equal(r.error, ENOEXEC);
	assert_string_equal(r.out, "");
	run_result_free(&r);
}

static void test_timeout_kills_group(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/hang",
	             "sleep 60 &\necho $! > \"$KVMPREP_ROOT/bg.pid\"\necho started\nsleep 30\necho never");
	const char *argv[] = { "hang", NULL };
	struct run_options opts = { .timeout_ms = 200 };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, &opts, &r), 0);
	assert_int_equal(r.outcome, RUN_TIMED_OUT);
	assert_true(r.elapsed_ms >= 200);
	/* Far below the script's 30 s, far above what a loaded machine needs to kill and reap. */
	assert_true(r.elapsed_ms < 10000);
	assert_string_equal(r.out, "started\n");
	run_result_free(&r);
	long pid = read_pid_file(fx, "bg.pid");
	assert_true(wait_dead(pid, 10000));
}

static void test_output_flood(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/flood", "yes | head -c 10000000\necho done >&2");
	const char *argv[] = { "flood", NULL };
	struct run_options opts = { .timeout_ms = 10000, .output_cap = 4096 };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, &opts, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(r.out_len, 4096);
	assert_int_equal(strlen(r.out), 4096);
	assert_true(r.out_truncated);
	assert_memory_equal(r.out, "y\ny\ny\n", 6);
	assert_string_equal(r.err, "done\n");
	assert_false(r.err_truncated);
	run_result_free(&r);
}

static void test_stderr_separate(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/both", "echo o1\necho e1 >&2\necho o2\necho e2-long-line >&2");
	const char *argv[] = { "both", NULL };
	struct run_options opts = { .output_cap = 6 };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, &opts, &r), 0);
	assert_string_equal(r.out, "o1\no2\n");
	assert_false(r.out_truncated);
	assert_string_equal(r.err, "e1\ne2-");
	assert_int_equal(r.err_len, 6);
	assert_true(r.err_truncated);
	run_result_free(&r);
}

static void test_signaled(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/suicide", "kill -TERM $$\nsleep 1\necho survived");
	write_script(fx, "bin/pipe", "yes | head -c 1 >/dev/null");
	/* The child gets default dispositions whatever the parent ignores. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_term, old_pipe;
	sigemptyset(&ign.sa_mask);
	assert_int_equal(sigaction(SIGTERM, &ign, &old_term), 0);
	assert_int_equal(sigaction(SIGPIPE, &ign, &old_pipe), 0);
	const char *argv[] = { "suicide", NULL };
	struct run_result r;
	int rc = run_command(fx->h, argv, NULL, &r);
	const char *pipe_argv[] = { "pipe", NULL };
	struct run_result pr;
	int prc = run_command(fx->h, pipe_argv, NULL, &pr);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);

	assert_int_equal(rc, 0);
	assert_int_equal(r.outcome, RUN_SIGNALED);
	assert_int_equal(r.term_signal, SIGTERM);
	assert_string_equal(r.out, "");
	run_result_free(&r);
	assert_int_equal(prc, 0);
	assert_int_equal(pr.outcome, RUN_EXITED);
	assert_string_equal(pr.err, ""); /* yes died of SIGPIPE quietly, no "Broken pipe" */
	run_result_free(&pr);
}

static void test_environment(void **state)
{
	struct test_root *fx = *state;
	/* /proc/$$/environ is exactly what execve passed (sh itself adds PWD for `env`). */
	write_script(fx, "bin/showenv", "tr '\\000' '\\n' < /proc/$$/environ");
	write_script(fx, "bin/runenv", "env | grep -v '^PWD=' | sort");
	assert_int_equal(setenv("KVMPREP_TEST_LEAK", "1", 1), 0);
	const char *argv[] = { "showenv", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	char *expect = xasprintf("PATH=%s\nLC_ALL=C\nLANG=C\nHOME=/\nKVMPREP_ROOT=%s\n",
	                         RUN_SAFE_PATH, fx->root);
	assert_string_equal(r.out, expect);
	free(expect);
	run_result_free(&r);

	const char *env_argv[] = { "runenv", NULL };
	assert_int_equal(run_command(fx->h, env_argv, NULL, &r), 0);
	expect = xasprintf("HOME=/\nKVMPREP_ROOT=%s\nLANG=C\nLC_ALL=C\nPATH=%s\n", fx->root,
	                   RUN_SAFE_PATH);
	assert_string_equal(r.out, expect);
	free(expect);
	run_result_free(&r);
	unsetenv("KVMPREP_TEST_LEAK");
}

static void test_argv_literal(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/args", "printf '[%s]\\n' \"$#\" \"$1\" \"$2\" \"$3\"");
	const char *argv[] = { "args", "two words", "it's \"q\" $(touch \"$KVMPREP_ROOT/pwned\") `id` *",
		               "", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	assert_string_equal(r.out, "[3]\n[two words]\n"
	                           "[it's \"q\" $(touch \"$KVMPREP_ROOT/pwned\") `id` *]\n[]\n");
	run_result_free(&r);
	assert_false(testlib_exists(fx, "pwned"));
}

static void test_stdin(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/cat", "exec cat");
	write_script(fx, "bin/readone", "head -c 1");
	write_script(fx, "bin/noin", "cat");

	const char *argv[] = { "cat", NULL };
	struct run_options opts = { .stdin_data = "line 1\nline 2\n" };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, &opts, &r), 0);
	assert_string_equal(r.out, "line 1\nline 2\n");
	run_result_free(&r);

	/* Far more than a pipe holds, written without blocking while the output is drained. */
	size_t big = 1 << 20;
	char *data = xmalloc(big + 1);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)('a' + i % 26);
	data[big] = '\0';
	opts = (struct run_options){ .stdin_data = data, .output_cap = 2 * big };
	assert_int_equal(run_command(fx->h, argv, &opts, &r), 0);
	assert_int_equal(r.out_len, big);
	assert_memory_equal(r.out, data, big);
	run_result_free(&r);

	/* The child stops reading early: no SIGPIPE may kill or linger in the parent. */
	const char *one_argv[] = { "readone", NULL };
	assert_int_equal(run_command(fx->h, one_argv, &opts, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_string_equal(r.out, "a");
	run_result_free(&r);
	sigset_t pending;
	sigemptyset(&pending);
	assert_int_equal(sigpending(&pending), 0);
	assert_int_equal(sigismember(&pending, SIGPIPE), 0);
	free(data);

	/* Without stdin_data stdin is /dev/null. */
	const char *noin_argv[] = { "noin", NULL };
	assert_int_equal(run_command(fx->h, noin_argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_string_equal(r.out, "");
	run_result_free(&r);
}

static void test_fds_closed(void **state)
{
	struct test_root *fx = *state;
	write_script(fx, "bin/fds", "if [ -e /proc/$$/fd/50 ]; then echo open; else echo closed; fi");
	int fd = open("/dev/null", O_RDONLY); /* deliberately without O_CLOEXEC */
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 50), 50);
	const char *argv[] = { "fds", NULL };
	struct run_result r;
	int rc = run_command(fx->h, argv, NULL, &r);
	close(50);
	close(fd);
	assert_int_equal(rc, 0);
	assert_string_equal(r.out, "closed\n");
	run_result_free(&r);
}

static void test_output_closed_early(void **state)
{
	struct test_root *fx = *state;
	/* Closing stdout and stderr does not end the run: the exit status is still awaited. */
	write_script(fx, "bin/quiet", "exec >&- 2>&-\nsleep 0.3\nexit 4");
	const char *argv[] = { "quiet", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_int_equal(r.exit_code, 4);
	assert_true(r.elapsed_ms >= 300);
	run_result_free(&r);
}

static void test_background_keeps_pipe(void **state)
{
	struct test_root *fx = *state;
	/* A background process still holding stdout must not make the run wait for it. */
	write_script(fx, "bin/spawn", "sleep 60 &\necho $! > \"$KVMPREP_ROOT/bg.pid\"\necho hi\nexit 0");
	const char *argv[] = { "spawn", NULL };
	struct run_result r;
	assert_int_equal(run_command(fx->h, argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "hi\n");
	assert_true(r.elapsed_ms < 10000); /* the background sleep lasts 60 s */
	run_result_free(&r);
	long pid = read_pid_file(fx, "bg.pid");
	kill((pid_t)pid, SIGKILL);
}

static void test_live_root(void **state)
{
	(void)state;
	struct host *h;
	assert_int_equal(host_open(&h, "/"), 0);
	char *sh = run_find_program(h, "sh");
	assert_non_null(sh);
	assert_true(sh[0] == '/');
	free(sh);
	const char *argv[] = { "sh", "-c", "printf %s \"$KVMPREP_ROOT\"", NULL };
	struct run_result r;
	assert_int_equal(run_command(h, argv, NULL, &r), 0);
	assert_int_equal(r.outcome, RUN_EXITED);
	assert_string_equal(r.out, "/");
	run_result_free(&r);
	host_close(h);
}

static void test_format_argv(void **state)
{
	(void)state;
	const char *plain[] = { "chkconfig", "ksm", "on", NULL };
	char *s = run_format_argv(plain);
	assert_string_equal(s, "chkconfig ksm on");
	free(s);
	const char *odd[] = { "/sbin/grubby", "--args=amd_iommu=on", "a b", "it's", "", "$(id)", "x*",
		              NULL };
	s = run_format_argv(odd);
	assert_string_equal(s, "/sbin/grubby --args=amd_iommu=on 'a b' 'it'\\''s' '' '$(id)' 'x*'");
	free(s);
	const char *none[] = { NULL };
	s = run_format_argv(none);
	assert_string_equal(s, "");
	free(s);
}

static void test_result_free_zeroed(void **state)
{
	(void)state;
	struct run_result r;
	memset(&r, 0, sizeof r);
	run_result_free(&r);
	run_result_free(&r);
	run_result_free(NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_success),
		T(test_nonzero_exit),
		T(test_missing_program),
		T(test_outside_safe_path),
		T(test_no_escape),
		T(test_merged_usr),
		T(test_not_executable),
		T(test_exec_failure),
		T(test_timeout_kills_group),
		T(test_output_flood),
		T(test_stderr_separate),
		T(test_signaled),
		T(test_environment),
		T(test_argv_literal),
		T(test_stdin),
		T(test_fds_closed),
		T(test_output_closed_early),
		T(test_background_keeps_pipe),
		cmocka_unit_test(test_live_root),
		cmocka_unit_test(test_format_argv),
		cmocka_unit_test(test_result_free_zeroed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
