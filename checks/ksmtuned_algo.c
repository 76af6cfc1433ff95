/* ksmtuned_algo.c: the ksmtuned tuning algorithm as a pure function, in bash's 64-bit integer arithmetic (domain.md §1.4). */
#include "config.h"

#include "ksmtuned_algo.h"

#include <limits.h>
#include <stdbool.h>

/*
 * bash computes $[ ] in intmax_t and lets + and * wrap around; doing it in unsigned keeps the
 * same results without undefined behaviour. Division truncates toward zero like C's.
 */
static long long wrap(unsigned long long v)
{
	return v <= (unsigned long long)LLONG_MAX ? (long long)v : -(long long)(~v) - 1;
}

static long long add(long long a, long long b)
{
	return wrap((unsigned long long)a + (unsigned long long)b);
}

static long long mul(long long a, long long b)
{
	return wrap((unsigned long long)a * (unsigned long long)b);
}

/* a / b; bash refuses a division by zero (the assignment fails): 0 here. */
static long long divide(long long a, long long b)
{
	if (b == 0)
		return 0;
	if (b == -1)
		return mul(a, -1);
	return a / b;
}

void ksmtuned_init(const struct ksmtuned_params *p, long long total_kb, struct ksmtuned_state *s)
{
	s->total = total_kb;
	/* sleep=$[KSM_SLEEP_MSEC * 16 * 1024 * 1024 / total]; [ $sleep -le 10 ] && sleep=10 */
	s->sleep = divide(mul(mul(mul(p->sleep_msec, 16), 1024), 1024), total_kb);
	if (s->sleep <= 10)
		s->sleep = 10;
	/* thres=$[total * KSM_THRES_COEF / 100]; [ $KSM_THRES_CONST -gt $thres ] && thres=CONST */
	s->thres = divide(mul(total_kb, p->thres_coef), 100);
	if (p->thres_const > s->thres)
		s->thres = p->thres_const;
	s->npages = 0;
}

enum ksmtuned_decision ksmtuned_adjust(const struct ksmtuned_params *p, struct ksmtuned_state *s, long long free_kb,
                                       long long committed_kb, struct strlist *log)
{
	long long sum = add(committed_kb, s->thres);
	if (log)
		strlist_add_owned(log, xasprintf("committed %lld free %lld", committed_kb, free_kb));
	if (sum < s->total && free_kb > s->thres) {
		if (log)
			strlist_add_owned(log, xasprintf("%lld < %lld and free > %lld, stop ksm", sum, s->total,
			                                 s->thres));
		return KSMTUNED_STOP;
	}
	/* printed whatever the trigger was, even when sum < total (KSMT-3) */
	if (log)
		strlist_add_owned(log, xasprintf("%lld > %lld, start ksm", sum, s->total));
	bool boost = free_kb < s->thres;
	long long n = add(s->npages, boost ? p->boost : p->decay);
	if (n < p->npages_min)
		n = p->npages_min;
	else if (n > p->npages_max)
		n = p->npages_max;
	s->npages = n;
	if (log) {
		strlist_add_owned(log, xasprintf(boost ? "%lld < %lld, boost" : "%lld > %lld, decay", free_kb,
		                                 s->thres));
		strlist_add_owned(log, xasprintf("KSMCTL start %lld %lld", s->npages, s->sleep));
	}
	return boost ? KSMTUNED_BOOST : KSMTUNED_DECAY;
}
