/* run.h: the command runner: argv only, program resolved inside the root, timeout, capped output. */
#ifndef KVMPREP_RUN_H
#define KVMPREP_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "host.h"

/* The only directories programs are looked up in, inside the root (design.md §5). */
#define RUN_SAFE_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

struct run_options {
	int timeout_ms;        /* 0: RUN_DEFAULT_TIMEOUT_MS; the whole process group is killed after it */
	size_t output_cap;     /* 0: RUN_DEFAULT_OUTPUT_CAP; bytes kept of stdout and of stderr each */
	const char *stdin_data;/* NULL: stdin is /dev/null */
};
#define RUN_DEFAULT_TIMEOUT_MS 60000
#define RUN_DEFAULT_OUTPUT_CAP (1024 * 1024)

enum run_outcome {
	RUN_EXITED,     /* exit_code is valid */
	RUN_SIGNALED,   /* term_signal is valid */
	RUN_TIMED_OUT,  /* killed after the timeout */
	RUN_NOT_FOUND,  /* program not in the safe PATH inside the root: nothing was run */
	RUN_ERROR       /* fork/pipe/exec failed: error holds errno */
};

struct run_result {
	enum run_outcome outcome;
	int exit_code;
	int term_signal;
	int error;
	char *program;          /* absolute real path that was executed (NULL when not found) */
	char *out;              /* captured stdout, NUL-terminated (never NULL after run_command) */
	size_t out_len;
	bool out_truncated;
	char *err;              /* captured stderr */
	size_t err_len;
	bool err_truncated;
	long elapsed_ms;
};

/*
 * Runs argv[0] (a bare program name such as "chkconfig", or an absolute host path such as
 * "/sbin/chkconfig") with the arguments argv[1..]. The program is resolved inside the host
 * root along RUN_SAFE_PATH; with a root other than "/" a program missing from the root is
 * not run (RUN_NOT_FOUND). The environment is reduced to PATH=RUN_SAFE_PATH, LC_ALL=C,
 * LANG=C, HOME=/ and KVMPREP_ROOT=ROOT. No shell is involved. Returns 0 when the program
 * ran (whatever its exit status), -errno when it could not be started.
 */
int run_command(struct host *h, const char *const argv[], const struct run_options *opts,
                struct run_result *res);
void run_result_free(struct run_result *res);

/* Finds a program along RUN_SAFE_PATH inside the root: the host path ("/sbin/chkconfig"),
 * malloc'ed, or NULL when it is not there or not executable. */
char *run_find_program(struct host *h, const char *name);

/* The command as a user would type it, shell-quoted, for `manual` actions and reports. */
char *run_format_argv(const char *const argv[]);

#endif
