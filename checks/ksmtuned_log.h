/* ksmtuned_log.h: a streaming parser for ksmtuned debug logs, in bounded memory. */
#ifndef KVMPREP_KSMTUNED_LOG_H
#define KVMPREP_KSMTUNED_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* One cycle: the values logged by "committed C free F" with the totals in force then. */
struct ksmtuned_sample {
	long long time;       /* seconds since the epoch of the line's date (zone name ignored), -1 if none */
	long long total, thres, committed, free_kb;
};

enum ksmtuned_event_kind { KSMTUNED_EV_START, KSMTUNED_EV_STOP };

struct ksmtuned_event {
	long long time;
	enum ksmtuned_event_kind kind;
	long long npages, sleep; /* of "KSMCTL start N S"; 0 for stop */
	bool boost;              /* the start came with "boost" (else "decay") */
};

struct ksmtuned_log {
	/* limits given to ksmtuned_log_init: when full, adjacent samples (events) are merged
	 * pairwise so the whole time range stays covered; memory never grows past them */
	size_t max_samples, max_events;
	/* a merged sample has the time of its first cycle, the total and thres of its last one
	 * and the mean committed and free; the last sample may stand for fewer cycles than the
	 * stride (it is still filling up) */
	struct ksmtuned_sample *samples;
	size_t n_samples;
	size_t sample_stride;    /* how many cycles each kept sample stands for (1, 2, 4, ...) */
	/* events are the changes of what ksmtuned writes to sysfs: a stop after a start, a start
	 * after a stop or with other pages_to_scan/sleep values; repeated ones are no events. A
	 * merged entry shows the last event of its group (the state ksmtuned left behind) */
	struct ksmtuned_event *events;
	size_t n_events;
	size_t event_stride;
	/* counts over the whole log; starts and stops count events */
	size_t lines, junk_lines, cycles, starts, stops, restarts; /* restarts: "total N" lines */
	long long total, sleep, thres; /* last values seen, -1 before */
	long long first_time, last_time; /* of the recognised lines with a date, -1 before */
	/* internal: a partial line carried between feeds (partial_cap bytes, followed by a cache
	 * of the last date parsed), the cycle being assembled */
	char *partial;
	size_t partial_len, partial_cap;
	struct ksmtuned_sample pending;
	bool have_pending, pending_boost;
};

/* A limit of 0 counts as 1. The samples are complete after ksmtuned_log_finish. */
void ksmtuned_log_init(struct ksmtuned_log *log, size_t max_samples, size_t max_events);
/* Feeds any chunk of the log; lines may be split across chunks. Junk lines are counted and
 * skipped; a line longer than 4096 bytes is junk. */
void ksmtuned_log_feed(struct ksmtuned_log *log, const char *data, size_t len);
/* Processes a last line without a newline and the last cycle. */
void ksmtuned_log_finish(struct ksmtuned_log *log);
void ksmtuned_log_free(struct ksmtuned_log *log);
/* "Tue Aug  2 22:51:52 CEST 2011" (date(1)'s default format) to seconds, or -1. */
long long ksmtuned_parse_date(const char *s, size_t len);

#endif
