/* fuzz_profile.c: libFuzzer target for profile_load_text (the scan before libconfig, libconfig, the validation). */
#include "config.h"

#include "fuzz.h"
#include "profile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool logfile_ok(const char *s)
{
	if (s[0] != '/')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '_' || *p == '/' || *p == '-'))
			return false;
	return true;
}

/*
 * Input: the profile (up to a NUL). Invariants: 0 with no problem, or -1 with problems that
 * all start with "LABEL:" and an empty profile; a valid profile holds only what its rules
 * allow (known steps named once, npages_min <= npages_max, a plain absolute logfile).
 */
FUZZ_ENTRY(profile)
{
	char *text = fz_strndup(data, size);
	struct profile p;
	struct strlist problems;
	strlist_init(&problems);
	int rc = profile_load_text("f.conf", text, &p, &problems);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT((rc == 0) == (problems.n == 0));
	for (size_t i = 0; i < problems.n; i++)
		FUZZ_ASSERT(strncmp(problems.v[i], "f.conf:", 7) == 0);
	if (rc == 0) {
		FUZZ_ASSERT(p.path && strcmp(p.path, "f.conf") == 0);
		for (size_t i = 0; i < p.steps.n; i++)
			for (size_t j = 0; j < i; j++)
				FUZZ_ASSERT(strcmp(p.steps.v[i], p.steps.v[j]) != 0);
		if (p.ksmtuned_set[PROF_NPAGES_MIN] && p.ksmtuned_set[PROF_NPAGES_MAX])
			FUZZ_ASSERT(p.ksmtuned_value[PROF_NPAGES_MIN] <= p.ksmtuned_value[PROF_NPAGES_MAX]);
		if (p.ksmtuned_logfile)
			FUZZ_ASSERT(logfile_ok(p.ksmtuned_logfile));
	} else {
		FUZZ_ASSERT(!p.path && p.steps.n == 0 && !p.ksmtuned_logfile);
	}
	profile_free(&p);
	strlist_free(&problems);
	free(text);
	return 0;
}
