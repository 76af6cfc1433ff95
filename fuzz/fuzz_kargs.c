/* fuzz_kargs.c: libFuzzer target for the kernel command line editor (kargs_apply and its look-ups). */
#include "config.h"

#include "fuzz.h"
#include "kargs.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t key_len(const char *w)
{
	const char *eq = strchr(w, '=');
	return eq ? (size_t)(eq - w) : strlen(w);
}

/* True when a later add word has the same key (it replaces this one). */
static bool replaced_later(const struct kargs_edit *e, size_t a)
{
	size_t kl = key_len(e->add[a]);
	for (size_t b = a + 1; b < e->n_add; b++)
		if (key_len(e->add[b]) == kl && memcmp(e->add[b], e->add[a], kl) == 0)
			return true;
	return false;
}

/* True when some add word has this key. */
static bool added_key(const struct kargs_edit *e, const char *key, size_t kl)
{
	for (size_t a = 0; a < e->n_add; a++)
		if (key_len(e->add[a]) == kl && memcmp(e->add[a], key, kl) == 0)
			return true;
	return false;
}

/*
 * Input: an edit line ("+intel_iommu=on -iommu=off"), then the command line (up to a NUL).
 * Invariants: applying twice equals applying once; every add is there afterwards and no
 * removed token is; an edit that changes nothing returns the input byte for byte; the blanks
 * before the first token and after the last one are kept.
 */
FUZZ_ENTRY(kargs)
{
	struct fz_edit fe;
	const char *rest;
	size_t rest_len;
	fz_edit_read(data, size, &fe, &rest, &rest_len);
	const struct kargs_edit *e = &fe.edit;
	char *args = fz_strndup(rest, rest_len);

	char *once = kargs_apply(args, e);
	char *twice = kargs_apply(once, e);
	FUZZ_ASSERT(strcmp(once, twice) == 0);
	FUZZ_ASSERT(kargs_satisfied(once, e));
	FUZZ_ASSERT(kargs_satisfied(args, e) == (strcmp(once, args) == 0));

	for (size_t a = 0; a < e->n_add; a++)
		if (!replaced_later(e, a))
			FUZZ_ASSERT(kargs_has(once, e->add[a]));
	for (size_t r = 0; r < e->n_remove; r++) {
		const char *rm = e->remove[r];
		if (strchr(rm, '=')) {
			bool readded = false;
			for (size_t a = 0; a < e->n_add; a++)
				readded |= strcmp(e->add[a], rm) == 0;
			if (!readded)
				FUZZ_ASSERT(!kargs_has(once, rm));
		} else if (!added_key(e, rm, strlen(rm))) {
			bool bare;
			char *v = kargs_value(once, rm, &bare);
			FUZZ_ASSERT(!v && !bare);
		}
	}

	/* The blank runs at both ends stay (a /proc/cmdline keeps its final newline); blanks
	 * inside an unterminated quote belong to its token, which may go. */
	size_t n = strlen(args), lead = 0, trail = 0;
	while (lead < n && is_blank(args[lead]))
		lead++;
	if (lead < n && !strchr(args, '"')) {
		while (trail < n && is_blank(args[n - 1 - trail]))
			trail++;
		size_t m = strlen(once);
		FUZZ_ASSERT(m >= lead + trail);
		FUZZ_ASSERT(memcmp(once, args, lead) == 0);
		FUZZ_ASSERT(memcmp(once + m - trail, args + n - trail, trail) == 0);
	}

	/* The look-ups on arbitrary input. */
	bool bare;
	free(kargs_value(args, "iommu", &bare));
	(void)kargs_has(args, "intel_iommu=on");

	free(once);
	free(twice);
	free(args);
	fz_edit_free(&fe);
	return 0;
}
