/* measure.c: run a command N times (fork+execvp) and print median wall time, peak RSS and CPU time. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000000L

struct run {
    double wall_ms;
    double cpu_ms;
    long rss_kib;
    int exit_code;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: measure [-n RUNS] [-w WARMUPS] [-q] -- CMD [ARGS...]\n"
               "  -n RUNS     counted runs (default 15)\n"
               "  -w WARMUPS  uncounted warm-up runs (default 2)\n"
               "  -q          do not print per-run lines on stderr\n"
               "Prints: median_wall_ms= median_rss_kib= median_cpu_ms= min_wall_ms= exit= runs=\n"
               "RSS is ru_maxrss of wait4() (child plus reaped descendants); its floor is\n"
               "this program's own RSS at fork time.\n");
}

static int parse_count(const char *s, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static double ts_ms(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static double tv_ms(const struct timeval *t)
{
    return (double)t->tv_sec * 1e3 + (double)t->tv_usec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place. */
static double median_double(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return (n % 2) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static long median_long(long *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_long);
    return (n % 2) ? v[n / 2] : v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

/* Child side: never returns. errfd is close-on-exec, so it vanishes on a successful exec. */
static void child(int devnull, int errfd, char **argv)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (devnull == fd) {
            if (fcntl(fd, F_SETFD, 0) == -1)
                _exit(126);
        } else if (dup2(devnull, fd) == -1) {
            _exit(126);
        }
    }
    execvp(argv[0], argv);
    int e = errno;
    if (errfd >= 0)
        dprintf(errfd, "measure: cannot execute %s: %s\n", argv[0], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
}

static int run_once(int devnull, int errfd, char **argv, struct run *r)
{
    struct timespec t0, t1;
    struct rusage ru;
    int status;
    pid_t pid, w;

    if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1) {
        perror("measure: clock_gettime");
        return -1;
    }
    pid = fork();
    if (pid == -1) {
        perror("measure: fork");
        return -1;
    }
    if (pid == 0)
        child(devnull, errfd, argv);
    do {
        w = wait4(pid, &status, 0, &ru);
    } while (w == -1 && errno == EINTR);
    if (w == -1) {
        perror("measure: wait4");
        return -1;
    }
    if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1) {
        perror("measure: clock_gettime");
        return -1;
    }
    r->wall_ms = ts_ms(&t0, &t1);
    r->cpu_ms = tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime);
    r->rss_kib = ru.ru_maxrss; /* KiB on Linux */
    if (WIFEXITED(status))
        r->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r->exit_code = 128 + WTERMSIG(status);
    else
        r->exit_code = -1;
    return 0;
}

int main(int argc, char **argv)
{
    long runs = 15, warmups = 2;
    int quiet = 0, opt, rc = 1;
    double *wall = NULL, *cpu = NULL;
    long *rss = NULL;
    int devnull = -1, errfd = -1;

    while ((opt = getopt(argc, argv, "+n:w:qh")) != -1) {
        switch (opt) {
        case 'n':
            if (parse_count(optarg, 1, MAX_RUNS, &runs) != 0) {
                fprintf(stderr, "measure: -n wants an integer in 1..%ld\n", MAX_RUNS);
                return 2;
            }
            break;
        case 'w':
            if (parse_count(optarg, 0, MAX_RUNS, &warmups) != 0) {
                fprintf(stderr, "measure: -w wants an integer in 0..%ld\n", MAX_RUNS);
                return 2;
            }
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    char **cmd = &argv[optind];

    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull == -1) {
        perror("measure: open /dev/null");
        goto out;
    }
    /* Keep a close-on-exec copy of stderr so a failed exec can still be reported. */
    errfd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (errfd == -1 && errno != EBADF) {
        perror("measure: fcntl F_DUPFD_CLOEXEC");
        goto out;
    }

    wall = calloc((size_t)runs, sizeof *wall);
    cpu = calloc((size_t)runs, sizeof *cpu);
    rss = calloc((size_t)runs, sizeof *rss);
    if (wall == NULL || cpu == NULL || rss == NULL) {
        perror("measure: calloc");
        goto out;
    }

    struct run r = { 0 };
    for (long i = 0; i < warmups; i++) {
        if (run_once(devnull, errfd, cmd, &r) != 0)
            goto out;
    }
    double min_wall = 0.0;
    for (long i = 0; i < runs; i++) {
        if (run_once(devnull, errfd, cmd, &r) != 0)
            goto out;
        wall[i] = r.wall_ms;
        cpu[i] = r.cpu_ms;
        rss[i] = r.rss_kib;
        if (i == 0 || r.wall_ms < min_wall)
            min_wall = r.wall_ms;
        if (!quiet && fprintf(stderr, "run %ld: wall_ms=%.3f rss_kib=%ld cpu_ms=%.3f exit=%d\n",
                              i + 1, r.wall_ms, r.rss_kib, r.cpu_ms, r.exit_code) < 0)
            goto out;
    }

    double mw = median_double(wall, (size_t)runs);
    double mc = median_double(cpu, (size_t)runs);
    long mr = median_long(rss, (size_t)runs);
    if (printf("median_wall_ms=%.3f median_rss_kib=%ld median_cpu_ms=%.3f min_wall_ms=%.3f exit=%d runs=%ld\n",
               mw, mr, mc, min_wall, r.exit_code, runs) < 0
        || fflush(stdout) == EOF || ferror(stdout)) {
        perror("measure: write stdout");
        goto out;
    }
    rc = 0;
out:
    free(wall);
    free(cpu);
    free(rss);
    if (errfd >= 0 && close(errfd) == -1 && rc == 0) {
        perror("measure: close");
        rc = 1;
    }
    if (devnull >= 0 && close(devnull) == -1 && rc == 0) {
        perror("measure: close");
        rc = 1;
    }
    return rc;
}
