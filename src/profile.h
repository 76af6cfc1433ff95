/* profile.h: the libconfig profile of design.md §4: every key optional, validated before use. */
#ifndef KVMPREP_PROFILE_H
#define KVMPREP_PROFILE_H

#include <stdbool.h>

#include "util.h"

/* ksmtuned keys a profile may set, in the order of checks/ksmtuned_conf.h's enum. */
enum profile_ksmtuned_key {
	PROF_MONITOR_INTERVAL, PROF_SLEEP_MSEC, PROF_NPAGES_BOOST, PROF_NPAGES_DECAY, PROF_NPAGES_MIN,
	PROF_NPAGES_MAX, PROF_THRES_COEF, PROF_THRES_CONST, PROF_KSMTUNED_KEY_COUNT
};

/* A yes/no setting that may be absent. */
struct profile_flag {
	bool set;
	bool value;
};

struct profile {
	char *path;                 /* NULL when no profile was loaded */
	struct strlist steps;       /* "steps = [...]"; empty when absent (all steps) */
	struct profile_flag iommu_enable, iommu_passthrough;
	struct profile_flag ksm_enable, ksm_autostart;
	struct profile_flag ksmtuned_enable, ksmtuned_autostart, ksmtuned_debug;
	bool ksmtuned_set[PROF_KSMTUNED_KEY_COUNT];
	long long ksmtuned_value[PROF_KSMTUNED_KEY_COUNT];
	char *ksmtuned_logfile;     /* NULL when absent */
};

/*
 * Loads and validates a profile (libconfig syntax that 1.5 and 1.7 read alike). Every
 * problem is added to problems as "FILE:LINE: message" (unknown key or group, wrong type,
 * value out of range, npages_min > npages_max, a logfile that is not an absolute path of
 * [A-Za-z0-9._/-], a syntax error), all of them, not only the first. Returns 0 when the
 * profile is valid, -1 otherwise (p is then empty).
 */
int profile_load_text(const char *path_label, const char *text, struct profile *p, struct strlist *problems);
int profile_load_file(const char *path, struct profile *p, struct strlist *problems);
void profile_init(struct profile *p);
void profile_free(struct profile *p);
/* True when the profile selects this step id (no "steps" means every step). */
bool profile_wants_step(const struct profile *p, const char *step_id);

#endif
