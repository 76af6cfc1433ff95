/* run.c: the command runner: argv only, program resolved inside the root, reduced environment, timeout, capped output. */
#include "config.h"

#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUN_TERM_GRACE_MS 200   /* SIGTERM to SIGKILL after a timeout */
#define RUN_EXIT_DRAIN_MS 250   /* reading on after the child exited, while others hold its pipes */
#define RUN_KILL_DRAIN_MS 100   /* the same after the group was killed */
#define RUN_POLL_TICK_MS 100    /* how often a running child is checked for exit */
#define RUN_READ_CHUNK 65536

static long mono_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_bare_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* True when the host path is a regular file (symlinks followed inside the root) with an
 * execute bit. */
static bool is_executable(struct host *h, const char *path)
{
	struct stat st;
	if (host_stat(h, path, &st) < 0)
		return false;
	return S_ISREG(st.st_mode) && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
}

char *run_find_program(struct host *h, const char *name)
{
	if (!name)
		return NULL;
	if (name[0] == '/')
		return is_executable(h, name) ? xstrdup(name) : NULL;
	if (!is_bare_name(name))
		return NULL;
	const char *dir = RUN_SAFE_PATH;
	while (*dir) {
		size_t len = strcspn(dir, ":");
		char *path = xasprintf("%.*s/%s", (int)len, dir, name);
		if (is_executable(h, path))
			return path;
		free(path);
		dir += len;
		if (*dir == ':')
			dir++;
	}
	return NULL;
}

void run_result_free(struct run_result *res)
{
	if (!res)
		return;
	free(res->program);
	free(res->out);
	free(res->err);
	memset(res, 0, sizeof *res);
}

/* ---- Quoting ---- */

static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			continue;
		if (!strchr("_@%+=:,./-", c))
			return true;
	}
	return false;
}

char *run_format_argv(const char *const argv[])
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; argv && argv[i]; i++) {
		if (i)
			buf_putc(&b, ' ');
		const char *s = argv[i];
		if (!needs_quotes(s)) {
			buf_puts(&b, s);
			continue;
		}
		buf_putc(&b, '\'');
		for (; *s; s++) {
			if (*s == '\'')
				buf_puts(&b, "'\\''");
			else
				buf_putc(&b, *s);
		}
		buf_putc(&b, '\'');
	}
	return buf_steal(&b);
}

/* ---- Running ---- */

struct run_stream {
	int fd;            /* parent's read end, -1 once closed */
	struct buf data;
	bool truncated;
};

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* Closes every descriptor from lo up to hi (inclusive); async-signal-safe. */
static void close_fds_between(int lo, int hi, long max_fd)
{
	if (lo > hi)
		return;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0U) == 0)
		return;
#endif
	long last = hi < max_fd ? hi : max_fd;
	for (long fd = lo; fd <= last; fd++)
		close((int)fd);
}

/* Moves fd out of 0..2 so that the dup2 calls below cannot clobber it. */
static int above_stdio(int fd)
{
	if (fd >= 3)
		return fd;
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

struct child_setup {
	const char *program;
	char *const *argv;
	char *const *envp;
	int in_fd, out_fd, err_fd, report_fd;
	long max_fd;
};

/* In the child between fork and execve: only async-signal-safe calls. */
static _Noreturn void child_exec(const struct child_setup *cs)
{
	int err;
	int in = above_stdio(cs->in_fd);
	int out = above_stdio(cs->out_fd);
	int errfd = above_stdio(cs->err_fd);
	int report = above_stdio(cs->report_fd);
	if (in < 0 || out < 0 || errfd < 0 || report < 0)
		goto fail;
	if (setpgid(0, 0) < 0)
		goto fail;
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		goto fail;
	/* Everything else goes, except the exec report pipe (close-on-exec). */
	close_fds_between(3, report - 1, cs->max_fd);
	close_fds_between(report + 1, INT_MAX, cs->max_fd);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		sigaction(sig, &sa, NULL); /* EINVAL for the C library's reserved signals */
	}
	sigset_t none;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;

	execve(cs->program, cs->argv, cs->envp);
fail:
	err = errno;
	if (report >= 0) {
		ssize_t n;
		do
			n = write(report, &err, sizeof err);
		while (n < 0 && errno == EINTR);
	}
	_exit(127);
}

/* True once the child has terminated; it is left a zombie (WNOWAIT) so that its pid, the
 * process group id, cannot be reused before the group is killed and the child reaped. */
static bool child_has_exited(pid_t pid)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	int rc;
	do
		rc = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return errno == ECHILD;
	return si.si_pid != 0;
}

static int reap(pid_t pid, int *status)
{
	pid_t rc;
	do
		rc = waitpid(pid, status, 0);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : 0;
}

static void read_stream(struct run_stream *s, size_t cap, char *chunk)
{
	for (;;) {
		ssize_t n = read(s->fd, chunk, RUN_READ_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				close_fd(&s->fd);
			return;
		}
		if (n == 0) {
			close_fd(&s->fd);
			return;
		}
		size_t room = cap - s->data.len;
		size_t keep = (size_t)n < room ? (size_t)n : room;
		if (keep)
			buf_append(&s->data, chunk, keep);
		if ((size_t)n > keep)
			s->truncated = true;
		/* One read per poll round: the other stream gets its turn. */
		return;
	}
}

/* Writes as much of the pending stdin data as the pipe takes; closes it when done or when
 * the child stopped reading. SIGPIPE is blocked by the caller. */
static void write_stdin(int *fd, const char **data, size_t *left)
{
	while (*left) {
		ssize_t n = write(*fd, *data, *left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			*left = 0; /* EPIPE: the child closed its stdin */
			break;
		}
		*data += n;
		*left -= (size_t)n;
	}
	close_fd(fd);
}

static long min_timeout(long a, long b)
{
	return a < b ? a : b;
}

/* Runs the started child until it exits or times out, collecting its output. */
static int supervise(pid_t pid, long deadline, size_t cap, int *in_fd, const char *in_data,
                     struct run_stream *out, struct run_stream *err, bool *timed_out)
{
	char *chunk = xmalloc(RUN_READ_CHUNK);
	size_t in_left = in_data ? strlen(in_data) : 0;
	bool exited = false;
	long kill_at = -1, drain_until = -1;
	int idle_tick = 1;
	int rc = 0;

	*timed_out = false;
	if (*in_fd >= 0 && !in_left)
		close_fd(in_fd);
	for (;;) {
		if (!exited)
			exited = child_has_exited(pid);
		long now = mono_ms();
		if (!exited && !*timed_out && now >= deadline) {
			*timed_out = true;
			kill(-pid, SIGTERM);
			kill_at = now + RUN_TERM_GRACE_MS;
		}
		if (kill_at >= 0 && (exited || now >= kill_at)) {
			kill(-pid, SIGKILL);
			kill_at = -1;
		}
		if (exited) {
			close_fd(in_fd);
			if (drain_until < 0)
				drain_until = now + (*timed_out ? RUN_KILL_DRAIN_MS : RUN_EXIT_DRAIN_MS);
			if ((out->fd < 0 && err->fd < 0) || now >= drain_until)
				break;
		}

		struct pollfd pfd[3];
		struct run_stream *owner[3];
		nfds_t n = 0;
		if (*in_fd >= 0) {
			pfd[n] = (struct pollfd){ .fd = *in_fd, .events = POLLOUT };
			owner[n++] = NULL;
		}
		if (out->fd >= 0) {
			pfd[n] = (struct pollfd){ .fd = out->fd, .events = POLLIN };
			owner[n++] = out;
		}
		if (err->fd >= 0) {
			pfd[n] = (struct pollfd){ .fd = err->fd, .events = POLLIN };
			owner[n++] = err;
		}
		long wait_ms = RUN_POLL_TICK_MS;
		if (!*timed_out)
			wait_ms = min_timeout(wait_ms, deadline - now);
		if (kill_at >= 0)
			wait_ms = min_timeout(wait_ms, kill_at - now);
		if (drain_until >= 0)
			wait_ms = min_timeout(wait_ms, drain_until - now);
		if (out->fd < 0 && err->fd < 0) {
			/* The child closed its output but runs on: check on it with a growing tick. */
			wait_ms = min_timeout(wait_ms, idle_tick);
			if (idle_tick < 50)
				idle_tick *= 2;
		}
		if (wait_ms < 0)
			wait_ms = 0;
		int pr = poll(pfd, n, (int)wait_ms);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			kill(-pid, SIGKILL);
			break;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (owner[i])
				read_stream(owner[i], cap, chunk);
			else
				write_stdin(in_fd, &in_data, &in_left);
		}
	}
	free(chunk);
	return rc;
}

/* Moves the captured bytes into the result (which already holds ""). */
static void take_stream(struct run_stream *s, char **text, size_t *len, bool *truncated)
{
	*truncated = s->truncated;
	if (s->data.len) {
		*len = s->data.len;
		free(*text);
		*text = buf_steal(&s->data);
	}
	buf_free(&s->data);
}

static char **make_env(struct host *h)
{
	char **envp = xcalloc(6, sizeof *envp);
	envp[0] = xstrdup("PATH=" RUN_SAFE_PATH);
	envp[1] = xstrdup("LC_ALL=C");
	envp[2] = xstrdup("LANG=C");
	envp[3] = xstrdup("HOME=/");
	envp[4] = xasprintf("KVMPREP_ROOT=%s", host_root(h));
	envp[5] = NULL;
	return envp;
}

static void free_env(char **envp)
{
	for (size_t i = 0; envp[i]; i++)
		free(envp[i]);
	free(envp);
}

static long max_open_fd(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur <= INT_MAX)
		return (long)rl.rlim_cur - 1;
	long n = sysconf(_SC_OPEN_MAX);
	return n > 0 && n <= INT_MAX ? n - 1 : 65535;
}

static int run_error(struct run_result *res, int err)
{
	res->outcome = RUN_ERROR;
	res->error = err;
	return -err;
}

/* Forks and execs; every descriptor and the signal state are cleaned up on all paths. */
static int spawn_and_wait(struct host *h, const char *const argv[], const struct run_options *opts,
                          struct run_result *res, long start)
{
	int devnull = -1, in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
	int err_pipe[2] = { -1, -1 }, report[2] = { -1, -1 };
	struct run_stream out = { .fd = -1 }, err = { .fd = -1 };
	buf_init(&out.data);
	buf_init(&err.data);
	char **envp = NULL;
	int rc = 0;

	if (opts && opts->stdin_data) {
		if (pipe2(in_pipe, O_CLOEXEC) < 0 || (rc = set_nonblock(in_pipe[1])) < 0) {
			rc = rc < 0 ? rc : -errno;
			goto out;
		}
	} else {
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull < 0) {
			rc = -errno;
			goto out;
		}
	}
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0 ||
	    pipe2(report, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out;
	}
	if ((rc = set_nonblock(out_pipe[0])) < 0 || (rc = set_nonblock(err_pipe[0])) < 0)
		goto out;

	envp = make_env(h);
	struct child_setup cs = {
		.program = res->program,
		.argv = (char *const *)argv,
		.envp = envp,
		.in_fd = devnull >= 0 ? devnull : in_pipe[0],
		.out_fd = out_pipe[1],
		.err_fd = err_pipe[1],
		.report_fd = report[1],
		.max_fd = max_open_fd(),
	};

	/* No parent signal handler may run in the child before it resets them. */
	sigset_t all, saved;
	sigfillset(&all);
	if (sigprocmask(SIG_SETMASK, &all, &saved) < 0) {
		rc = -errno;
		goto out;
	}
	pid_t pid = fork();
	if (pid == 0)
		child_exec(&cs);
	int fork_err = errno;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (pid < 0) {
		rc = -fork_err;
		goto out;
	}
	setpgid(pid, pid); /* also done by the child; whichever runs first wins */

	close_fd(&devnull);
	close_fd(&in_pipe[0]);
	close_fd(&out_pipe[1]);
	close_fd(&err_pipe[1]);
	close_fd(&report[1]);

	/* The report pipe closes on a successful execve, or carries the child's errno. */
	int exec_err = 0;
	ssize_t n;
	do
		n = read(report[0], &exec_err, sizeof exec_err);
	while (n < 0 && errno == EINTR);
	close_fd(&report[0]);
	if (n > 0) {
		close_fd(&in_pipe[1]);
		int status;
		reap(pid, &status);
		rc = -(exec_err ? exec_err : EIO);
		goto out;
	}

	out.fd = out_pipe[0];
	err.fd = err_pipe[0];
	out_pipe[0] = err_pipe[0] = -1;
	size_t cap = opts && opts->output_cap ? opts->output_cap : RUN_DEFAULT_OUTPUT_CAP;
	long timeout = opts && opts->timeout_ms > 0 ? opts->timeout_ms : RUN_DEFAULT_TIMEOUT_MS;
	bool timed_out;
	rc = supervise(pid, start + timeout, cap, &in_pipe[1], opts ? opts->stdin_data : NULL,
	               &out, &err, &timed_out);
	if (timed_out)
		kill(-pid, SIGKILL); /* stragglers; the unreaped child still holds the group id */
	int status = 0;
	int wrc = reap(pid, &status);
	if (rc == 0)
		rc = wrc;
	if (rc < 0)
		goto out;
	if (timed_out) {
		res->outcome = RUN_TIMED_OUT;
	} else if (WIFSIGNALED(status)) {
		res->outcome = RUN_SIGNALED;
		res->term_signal = WTERMSIG(status);
	} else {
		res->outcome = RUN_EXITED;
		res->exit_code = WEXITSTATUS(status);
	}
out:
	close_fd(&devnull);
	close_fd(&in_pipe[0]);
	close_fd(&in_pipe[1]);
	close_fd(&out_pipe[0]);
	close_fd(&out_pipe[1]);
	close_fd(&err_pipe[0]);
	close_fd(&err_pipe[1]);
	close_fd(&report[0]);
	close_fd(&report[1]);
	close_fd(&out.fd);
	close_fd(&err.fd);
	if (envp)
		free_env(envp);
	take_stream(&out, &res->out, &res->out_len, &res->out_truncated);
	take_stream(&err, &res->err, &res->err_len, &res->err_truncated);
	return rc;
}

int run_command(struct host *h, const char *const argv[], const struct run_options *opts,
                struct run_result *res)
{
	memset(res, 0, sizeof *res);
	res->out = xstrdup("");
	res->err = xstrdup("");
	long start = mono_ms();
	if (!argv || !argv[0] || !argv[0][0])
		return run_error(res, EINVAL);
	if (argv[0][0] != '/' && !is_bare_name(argv[0]))
		return run_error(res, EINVAL);

	char *path = run_find_program(h, argv[0]);
	if (!path) {
		res->outcome = RUN_NOT_FOUND;
		return -ENOENT;
	}
	int rc = host_real_path(h, path, true, &res->program);
	free(path);
	if (rc < 0) {
		res->outcome = RUN_NOT_FOUND;
		return rc;
	}

	/* A child that closes its stdin early must not kill us with SIGPIPE: keep it blocked
	 * and swallow one raised here. */
	sigset_t pipe_set, old_mask, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigemptyset(&pending);
	sigpending(&pending);
	bool was_pending = sigismember(&pending, SIGPIPE) == 1;
	if (sigprocmask(SIG_BLOCK, &pipe_set, &old_mask) < 0)
		return run_error(res, errno);

	rc = spawn_and_wait(h, argv, opts, res, start);

	sigemptyset(&pending);
	if (!was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
		struct timespec zero = { 0, 0 };
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);

	res->elapsed_ms = mono_ms() - start;
	if (rc < 0)
		return run_error(res, -rc);
	return 0;
}
