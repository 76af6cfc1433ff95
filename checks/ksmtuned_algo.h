/* ksmtuned_algo.h: the ksmtuned tuning algorithm as a pure function (domain.md §1.4). */
#ifndef KVMPREP_KSMTUNED_ALGO_H
#define KVMPREP_KSMTUNED_ALGO_H

#include <stdbool.h>

#include "ksmtuned_conf.h"

struct ksmtuned_state {
	long long total;   /* MemTotal, kB */
	long long sleep;   /* ms written to sleep_millisecs: SLEEP_MSEC*16777216/total, at least 10 */
	long long thres;   /* kB: max(total*THRES_COEF/100, THRES_CONST) */
	long long npages;  /* pages_to_scan; 0 when the daemon starts */
};

/* At daemon start (bash integer arithmetic, as the script). */
void ksmtuned_init(const struct ksmtuned_params *p, long long total_kb, struct ksmtuned_state *s);

enum ksmtuned_decision { KSMTUNED_STOP, KSMTUNED_BOOST, KSMTUNED_DECAY };

/*
 * One adjust() cycle: free = MemFree+Buffers+Cached (kB), committed = RSS of the qemu
 * processes (kB). STOP when committed+thres < total and free > thres (npages unchanged);
 * otherwise BOOST (free < thres) or DECAY, with npages clamped to [MIN, MAX]. When log is
 * given, appends the debug lines the script prints for this cycle (without the date),
 * e.g. "committed 14446180 free 11641800", "17621170 > 15874952, start ksm",
 * "11641800 > 3174990, decay", "KSMCTL start 64 10".
 */
enum ksmtuned_decision ksmtuned_adjust(const struct ksmtuned_params *p, struct ksmtuned_state *s, long long free_kb,
                                       long long committed_kb, struct strlist *log);

#endif
