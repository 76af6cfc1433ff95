/* ksmtuned_conf.h: /etc/ksmtuned.conf read as bash would, validated per key, edited byte-exactly. */
#ifndef KVMPREP_KSMTUNED_CONF_H
#define KVMPREP_KSMTUNED_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum ksmtuned_key {
	KSMT_MONITOR_INTERVAL, KSMT_SLEEP_MSEC, KSMT_NPAGES_BOOST, KSMT_NPAGES_DECAY, KSMT_NPAGES_MIN,
	KSMT_NPAGES_MAX, KSMT_THRES_COEF, KSMT_THRES_CONST, KSMT_LOGFILE, KSMT_DEBUG, KSMT_KEY_COUNT
};

/* domain.md §1.5: name, default, unit, meaning, allowed range (kvmprep's rule). */
struct ksmtuned_key_info {
	const char *name;       /* "KSM_MONITOR_INTERVAL", ..., "LOGFILE", "DEBUG" */
	bool numeric;           /* false for LOGFILE and DEBUG */
	long long def;          /* default when unset (numeric keys) */
	long long min, max;     /* allowed range (numeric keys) */
	const char *unit;       /* "s", "ms per 16 GiB", "pages", "%", "kB", "" */
	const char *meaning;    /* English, one line (translate with _() when shown) */
};
extern const struct ksmtuned_key_info ksmtuned_keys[KSMT_KEY_COUNT];
/* The key with this name, or KSMT_KEY_COUNT. */
enum ksmtuned_key ksmtuned_key_find(const char *name);

struct ksmtuned_problem {
	size_t line;            /* 1-based; MIN > MAX is on the line of the later of the two assignments */
	char *message;          /* English, e.g. "KSM_NPAGES_MIN=abc: not an integer" */
};

struct ksmtuned_conf {
	bool set[KSMT_KEY_COUNT];      /* assigned (the last assignment wins, as in bash) */
	size_t line[KSMT_KEY_COUNT];   /* line of that last assignment */
	long long value[KSMT_KEY_COUNT]; /* numeric keys: the value when valid */
	bool valid[KSMT_KEY_COUNT];    /* the assigned value is a valid integer in range */
	char *logfile;                 /* LOGFILE when set (unquoted) */
	bool debug;                    /* DEBUG set to a non-empty value */
	struct ksmtuned_problem *problems;
	size_t n_problems;
};

/*
 * Reads the KEY=VALUE lines the way bash would for this file (comments, blank lines,
 * "export", single/double quotes, trailing comments), never executing anything: a value
 * with $(, a backquote or ${ is reported as a problem and not evaluated; so are lines that
 * are not assignments (commands). Every problem gets its line: non-integers, out-of-range
 * values, MIN > MAX, a LOGFILE that is not an absolute path, unknown keys are only noted
 * when they look like KSM_ typos. Never fails.
 */
void ksmtuned_conf_parse(const char *text, size_t len, struct ksmtuned_conf *out);
void ksmtuned_conf_free(struct ksmtuned_conf *c);

/* The values ksmtuned will use: the valid assignments, defaults for the rest. */
struct ksmtuned_params {
	long long monitor_interval, sleep_msec, boost, decay, npages_min, npages_max, thres_coef, thres_const;
};
void ksmtuned_conf_effective(const struct ksmtuned_conf *c, struct ksmtuned_params *p);

/*
 * Sets one key (KSMT-8): replaces the first "^\s*#?\s*KEY=" line (uncommenting it), else
 * appends "KEY=value"; every other byte is kept. Numeric keys take only an integer in range,
 * LOGFILE only an absolute path of [A-Za-z0-9._/-] without ".." (written unquoted, like the
 * stock file's commented line), DEBUG only "1" (value NULL removes the setting by commenting
 * out every line that assigns it). The result is parsed again: the key must have the value,
 * no other key may change and no new problem may appear. Returns 0, 1 when nothing changed
 * (the key already has the value), or -1 with *error (malloc'ed) for a value it will not write
 * or a file it cannot edit safely.
 */
int ksmtuned_conf_set(const char *text, size_t len, enum ksmtuned_key key, const char *value, struct buf *out,
                      char **error);

#endif
