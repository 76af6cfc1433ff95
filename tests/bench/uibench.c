/* uibench.c: the wizard's responsiveness on a pty: time to the first Welcome screen and from a key to the end of its redraw. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCREEN_MAX (1 << 20)
#define QUIET_MS 5.0 /* a redraw is over when nothing more came for this long */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads what is there within timeout_ms into buf (appending, capped); returns bytes read, 0 on timeout, -1 at EOF. */
static ssize_t read_some(int fd, char *buf, size_t *len, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return 0;
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n <= 0)
		return -1;
	size_t room = SCREEN_MAX - 1 - *len;
	size_t take = (size_t)n < room ? (size_t)n : room;
	memcpy(buf + *len, chunk, take);
	*len += take;
	buf[*len] = '\0';
	return n;
}

static int write_all(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Sends a key and measures until the redraw it caused is over; -1 when nothing came within 2 s. */
static double key_redraw(int fd, const char *key, char *buf, size_t *len)
{
	double t0 = now_ms();
	if (write_all(fd, key) < 0)
		return -1;
	if (read_some(fd, buf, len, 2000) <= 0)
		return -1;
	double last = now_ms();
	for (;;) {
		ssize_t n = read_some(fd, buf, len, (int)QUIET_MS);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		last = now_ms();
	}
	return last - t0;
}

int main(int argc, char **argv)
{
	int runs = 20;
	int argi = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		runs = atoi(argv[2]);
		argi = 3;
	}
	if (argc - argi != 2 || runs < 1) {
		fprintf(stderr, "usage: uibench [-n RUNS] KVMPREP-WIZARD HOST-ROOT\n");
		return 2;
	}
	const char *wizard = argv[argi], *root = argv[argi + 1];
	/* On the CPU screen (Back, Next and a list): Down moves into the list, Tab to a button, Right and Left along the row. */
	static const char *const keys[] = { "\033OB", "\033OB", "\t", "\033OC", "\033OD", "\t", "\033OA" };
	const size_t nkeys = sizeof keys / sizeof keys[0];
	double *first = calloc((size_t)runs, sizeof *first);
	double *redraw = calloc((size_t)runs * (nkeys + 1), sizeof *redraw);
	char *buf = malloc(SCREEN_MAX);
	if (!first || !redraw || !buf) {
		perror("uibench");
		return 1;
	}
	size_t n_first = 0, n_redraw = 0;
	int failed = 0;
	for (int r = 0; r < runs; r++) {
		struct winsize ws = { .ws_row = 24, .ws_col = 80 };
		int fd;
		double t0 = now_ms();
		pid_t pid = forkpty(&fd, NULL, NULL, &ws);
		if (pid < 0) {
			perror("uibench: forkpty");
			return 1;
		}
		if (pid == 0) {
			setenv("TERM", "xterm", 1);
			setenv("LC_ALL", "C.UTF-8", 1);
			unsetenv("ESCDELAY");
			execl(wizard, wizard, "--root", root, (char *)NULL);
			_exit(127);
		}
		size_t len = 0;
		buf[0] = '\0';
		double t_first = -1;
		/* the first complete Welcome screen: its title and the help line's last word */
		while (now_ms() - t0 < 5000) {
			if (read_some(fd, buf, &len, 100) < 0)
				break;
			if (strstr(buf, "Welcome") && strstr(buf, "Quit")) {
				/* and the rest of that write */
				while (read_some(fd, buf, &len, (int)QUIET_MS) > 0)
					;
				t_first = now_ms() - t0;
				break;
			}
		}
		if (t_first < 0) {
			fprintf(stderr, "uibench: run %d: no Welcome screen\n", r + 1);
			failed = 1;
		} else {
			first[n_first++] = t_first;
			len = 0;
			double d = key_redraw(fd, "\r", buf, &len); /* Next: the CPU screen */
			if (d >= 0)
				redraw[n_redraw++] = d;
			for (size_t k = 0; k < nkeys; k++) {
				len = 0;
				d = key_redraw(fd, keys[k], buf, &len);
				if (d < 0) {
					fprintf(stderr, "uibench: run %d: key %zu gave no redraw\n", r + 1, k + 1);
					failed = 1;
				} else {
					redraw[n_redraw++] = d;
				}
			}
		}
		write_all(fd, "q");
		int status;
		double wait_start = now_ms();
		while (waitpid(pid, &status, WNOHANG) == 0) {
			size_t junk = 0;
			if (read_some(fd, buf, &junk, 50) < 0 && now_ms() - wait_start > 3000) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
			if (now_ms() - wait_start > 5000) {
				kill(pid, SIGKILL);
			}
		}
		close(fd);
	}
	printf("runs=%d first_screen_median_ms=%.1f key_redraw_median_ms=%.1f key_samples=%zu\n", runs,
	       median(first, n_first), median(redraw, n_redraw), n_redraw);
	free(first);
	free(redraw);
	free(buf);
	return failed;
}
