/* fuzz_replay.c: runs every fuzz target (fuzz/fuzz_*.c, built without clang) over its seed corpus, one TAP line per target. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define TARGETS(X) \
	X(cpuinfo) X(cpuid_dump) X(kernel_log) X(kargs) X(grub_legacy) X(grub_default) X(bls) X(grub_cfg) \
	X(ksmtuned_conf) X(ksmtuned_log) X(profile) X(diff) X(json)

#define DECLARE(name) int fuzz_one_##name(const uint8_t *data, size_t size);
TARGETS(DECLARE)

struct target {
	const char *name;
	int (*one)(const uint8_t *data, size_t size);
};
#define ENTRY(name) { #name, fuzz_one_##name },
static const struct target targets[] = { TARGETS(ENTRY) };

/* Runs one target over every regular file of dir; returns the number of inputs, or -1. */
static long replay(const struct target *t, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		printf("# cannot open %s\n", dir);
		return -1;
	}
	long n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			struct buf b;
			buf_init(&b);
			if (fd_read_all(fd, 1 << 20, &b) == 0) {
				/* a copy of exactly the file's size, as libFuzzer passes it */
				uint8_t *copy = xmalloc(b.len ? b.len : 1);
				if (b.len)
					memcpy(copy, b.data, b.len);
				t->one(copy, b.len);
				free(copy);
				n++;
			}
			buf_free(&b);
		}
		if (fd >= 0)
			close(fd);
		free(path);
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	const char *src = getenv("srcdir");
	char *corpus = argc > 1 ? xstrdup(argv[1]) : xasprintf("%s/fuzz/corpus", src ? src : ".");
	size_t n = ARRAY_SIZE(targets);
	printf("1..%zu\n", n);
	fflush(stdout);
	for (size_t i = 0; i < n; i++) {
		char *dir = xasprintf("%s/%s", corpus, targets[i].name);
		pid_t pid = fork();
		if (pid == 0) {
			/* the child: a trapped invariant or a crash ends it, not the whole run */
			long k = replay(&targets[i], dir);
			printf("# %s: %ld inputs from %s\n", targets[i].name, k, dir);
			fflush(stdout);
			free(dir);
			free(corpus);
			exit(k > 0 ? 0 : 1); /* exit, not _exit: LeakSanitizer checks at exit */
		}
		int status = 0;
		bool ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (pid > 0 && WIFSIGNALED(status))
			printf("# %s: killed by signal %d (replay it with the fuzzer binary to see where)\n", targets[i].name,
			       WTERMSIG(status));
		printf("%sok %zu - fuzz_%s replays its corpus\n", ok ? "" : "not ", i + 1, targets[i].name);
		fflush(stdout);
		free(dir);
	}
	free(corpus);
	return 0;
}
