/* fuzz.h: what the libFuzzer targets in fuzz/ share: the entry point macro, the edit line, line comparisons. */
#ifndef KVMPREP_FUZZ_H
#define KVMPREP_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kargs.h"
#include "util.h"

/*
 * FUZZ_ENTRY(name) opens a target's entry point: LLVMFuzzerTestOneInput in a fuzzer build,
 * fuzz_one_NAME when the target is linked into tests/unit/fuzz_replay (-DFUZZ_REPLAY), which
 * runs every target over its corpus in `make check` without clang.
 */
#ifdef FUZZ_REPLAY
#define FUZZ_ENTRY(name)                                          \
	int fuzz_one_##name(const uint8_t *data, size_t size);    \
	int fuzz_one_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_ENTRY(name)                                                \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* An invariant of the code under test does not hold: a crash that libFuzzer records. */
#define FUZZ_ASSERT(cond)                  \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

/*
 * The editor targets read an edit from the first line of the input: blank-separated words,
 * "+TOKEN" adds TOKEN and "-TOKEN" removes it (other words are ignored; so are tokens that
 * kargs_token_is_safe refuses, as kvmprep never writes those). At most FZ_MAX_WORDS of each.
 * Like kvmprep's own edits, the adds have distinct keys and no removal undoes an add.
 */
#define FZ_MAX_WORDS 6
struct fz_edit {
	const char *add[FZ_MAX_WORDS];
	const char *remove[FZ_MAX_WORDS];
	struct kargs_edit edit;
	char *storage;
};
/* Fills e from the first line; *rest and *rest_len get the bytes after it. */
void fz_edit_read(const uint8_t *data, size_t size, struct fz_edit *e, const char **rest, size_t *rest_len);
void fz_edit_free(struct fz_edit *e);

/* A NUL-terminated malloc'ed copy of data[0..size). */
char *fz_strndup(const void *data, size_t size);

/* Lines are split at '\n' only: a text with k newlines has k + 1 lines (the last may be empty). */
size_t fz_line_count(const char *t, size_t len);
/* The same for readers built on text_next_line, where a NUL byte also ends a line. */
size_t fz_line_count_nul(const char *t, size_t len);
/* The byte span of line n (1-based) without its '\n'; false past the end. */
bool fz_line_span(const char *t, size_t len, size_t n, size_t *start, size_t *end);
/*
 * True when both texts have the same lines except where allowed(lineno, ctx) says the line may
 * change: "an edit never changes a byte outside the edited lines".
 */
bool fz_only_lines_changed(const char *old, size_t old_len, const char *new_text, size_t new_len,
                           bool (*allowed)(size_t lineno, void *ctx), void *ctx);
/* A buffer's bytes ("" for a buffer that never got any). */
static inline const char *fz_data(const struct buf *b)
{
	return b->data ? b->data : "";
}
/* memcmp for spans that may be empty. */
bool fz_same(const void *a, size_t alen, const void *b, size_t blen);
/* The editors' outcome contract: -1 refused (an error, no output), 0 changed, 1 nothing to
 * change (the output is the input, byte for byte). */
void fz_check_edit_outcome(int rc, const char *error, const char *text, size_t len, const struct buf *out);

#endif
