/* ksmtuned_log.c: a streaming parser for ksmtuned debug logs (domain.md KSMT-3), in bounded memory. */
#include "config.h"

#include "ksmtuned_log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A line longer than this (without its newline) is junk and is never buffered. */
#define LINE_MAX_BYTES 4096
/* partial_len while the rest of an overlong line is being skipped */
#define SKIPPING (LINE_MAX_BYTES + 1)

/* The lines of a cycle share their date: the last date text and its value are kept after the line
 * buffer (log->partial + LINE_MAX_BYTES), so most lines need no date parsing. */
struct date_cache {
	size_t len; /* 0: empty */
	char text[40];
	long long time;
};

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static bool is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads 1 to maxd digits at s[*i]; false when there are none or more. */
static bool read_num(const char *s, size_t len, size_t *i, size_t maxd, long long *out)
{
	size_t j = *i;
	long long v = 0;
	while (j < len && s[j] >= '0' && s[j] <= '9' && j - *i < maxd)
		v = v * 10 + (s[j++] - '0');
	if (j == *i || (j < len && s[j] >= '0' && s[j] <= '9'))
		return false;
	*i = j;
	*out = v;
	return true;
}

/* The next blank-separated token of s[0..len) from *i: [*ts, *te). */
static bool next_token(const char *s, size_t len, size_t *i, size_t *ts, size_t *te)
{
	size_t j = *i;
	while (j < len && char_is_blank(s[j]))
		j++;
	if (j >= len)
		return false;
	*ts = j;
	while (j < len && !char_is_blank(s[j]))
		j++;
	*te = j;
	*i = j;
	return true;
}

static int name_index(const char *names, const char *s, size_t n)
{
	if (n != 3)
		return -1;
	for (int i = 0; names[3 * i]; i++)
		if (memcmp(names + 3 * i, s, 3) == 0)
			return i;
	return -1;
}

long long ksmtuned_parse_date(const char *s, size_t len)
{
	static const char wdays[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t ts[7], te[7], n = 0, i = 0;
	while (n < 7 && next_token(s, len, &i, &ts[n], &te[n]))
		n++;
	if (n < 5 || n > 6)
		return -1;
	if (name_index(wdays, s + ts[0], te[0] - ts[0]) < 0)
		return -1;
	int mon = name_index(months, s + ts[1], te[1] - ts[1]);
	if (mon < 0)
		return -1;
	long long day, h, mi, sec, year;
	size_t j = ts[2];
	if (!read_num(s, te[2], &j, 2, &day) || j != te[2])
		return -1;
	j = ts[3];
	if (!read_num(s, te[3], &j, 2, &h) || j >= te[3] || s[j++] != ':' || !read_num(s, te[3], &j, 2, &mi) ||
	    j >= te[3] || s[j++] != ':' || !read_num(s, te[3], &j, 2, &sec) || j != te[3])
		return -1;
	/* the zone name (n == 6) is ignored */
	j = ts[n - 1];
	if (!read_num(s, te[n - 1], &j, 4, &year) || j != te[n - 1] || te[n - 1] - ts[n - 1] != 4)
		return -1;
	static const unsigned char mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long long dmax = mdays[mon] + (mon == 1 && is_leap(year));
	if (year < 1970 || day < 1 || day > dmax || h > 23 || mi > 59 || sec > 60)
		return -1;
	return days_from_civil(year, (unsigned)mon + 1, (unsigned)day) * 86400 + h * 3600 + mi * 60 + sec;
}

/* ---- message matching ---- */

/*
 * Matches s[0..len) against pat, where '%' stands for an integer (optional '-', 1 to 18 digits)
 * and '?' for an integer that may be missing (ksmtuned prints an empty committed when no qemu
 * process runs; it then counts as 0). Values go to v in order.
 */
static bool match(const char *s, size_t len, const char *pat, long long *v)
{
	size_t i = 0;
	int nv = 0;
	for (; *pat; pat++) {
		if (*pat == '%' || *pat == '?') {
			bool neg = i < len && s[i] == '-';
			size_t j = i + neg, d = j;
			long long x = 0;
			while (j < len && s[j] >= '0' && s[j] <= '9' && j - d < 18)
				x = x * 10 + (s[j++] - '0');
			if (j < len && s[j] >= '0' && s[j] <= '9')
				return false;
			if (j == d) {
				if (*pat == '%' || neg)
					return false;
			}
			v[nv++] = neg ? -x : x;
			i = j;
		} else {
			if (i >= len || s[i] != *pat)
				return false;
			i++;
		}
	}
	return i == len;
}

static bool starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* ---- samples and events ---- */

static long long mean2(long long a, long long b)
{
	return a / 2 + b / 2 + (a % 2 + b % 2) / 2;
}

/* Adds one finished cycle; the last kept sample may be a group that is still filling up. */
static void push_sample(struct ksmtuned_log *log, const struct ksmtuned_sample *x, size_t done_before)
{
	size_t n = log->n_samples, stride = log->sample_stride;
	size_t in_last = n ? done_before - (n - 1) * stride : 0;
	if (n > 0 && in_last < stride) {
		struct ksmtuned_sample *l = &log->samples[n - 1];
		long long k = (long long)in_last;
		if (l->time < 0)
			l->time = x->time;
		l->total = x->total;
		l->thres = x->thres;
		l->committed += (x->committed - l->committed) / (k + 1);
		l->free_kb += (x->free_kb - l->free_kb) / (k + 1);
		return;
	}
	if (n == log->max_samples) {
		/* full: merge adjacent pairs; an odd last one becomes a group that is half full */
		size_t m = 0;
		for (size_t i = 0; i + 1 < n; i += 2) {
			struct ksmtuned_sample a = log->samples[i], b = log->samples[i + 1];
			struct ksmtuned_sample *o = &log->samples[m++];
			o->time = a.time >= 0 ? a.time : b.time;
			o->total = b.total;
			o->thres = b.thres;
			o->committed = mean2(a.committed, b.committed);
			o->free_kb = mean2(a.free_kb, b.free_kb);
		}
		if (n % 2)
			log->samples[m++] = log->samples[n - 1];
		log->n_samples = m;
		log->sample_stride *= 2;
		push_sample(log, x, done_before);
		return;
	}
	log->samples[log->n_samples++] = *x;
}

/* Adds one event; when full, each kept entry stands for a group of events and shows the last of them
 * (the state ksmtuned left behind). */
static void push_event(struct ksmtuned_log *log, const struct ksmtuned_event *e)
{
	size_t done_before = log->starts + log->stops;
	if (e->kind == KSMTUNED_EV_START)
		log->starts++;
	else
		log->stops++;
	for (;;) {
		size_t n = log->n_events, stride = log->event_stride;
		size_t in_last = n ? done_before - (n - 1) * stride : 0;
		if (n > 0 && in_last < stride) {
			log->events[n - 1] = *e;
			return;
		}
		if (n < log->max_events) {
			log->events[log->n_events++] = *e;
			return;
		}
		size_t m = 0;
		for (size_t i = 0; i + 1 < n; i += 2)
			log->events[m++] = log->events[i + 1];
		if (n % 2)
			log->events[m++] = log->events[n - 1];
		log->n_events = m;
		log->event_stride *= 2;
	}
}

static void finish_cycle(struct ksmtuned_log *log)
{
	if (!log->have_pending)
		return;
	push_sample(log, &log->pending, log->cycles - 1);
	log->have_pending = false;
}

/* KSM's state as ksmtuned last set it: the last event (the last kept entry always is). */
static const struct ksmtuned_event *last_event(const struct ksmtuned_log *log)
{
	return log->n_events ? &log->events[log->n_events - 1] : NULL;
}

/* ---- lines ---- */

static void process_line(struct ksmtuned_log *log, const char *s, size_t len)
{
	log->lines++;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len == 0)
		return; /* an empty line is not junk */
	/* "<date>: <message>"; the message has no ": ", the date (maybe after a journal prefix) has none
	 * either after the last one */
	size_t sep = len;
	for (size_t i = len - 1; i > 0; i--) {
		if (s[i] == ' ' && s[i - 1] == ':') {
			sep = i - 1;
			break;
		}
	}
	if (sep == len) {
		log->junk_lines++;
		return;
	}
	const char *msg = s + sep + 2;
	size_t mlen = len - sep - 2;
	if (mlen == 0) {
		log->junk_lines++;
		return;
	}
	size_t ds = sep;
	while (ds > 0 && !(s[ds - 1] == ' ' && ds >= 2 && s[ds - 2] == ':'))
		ds--;
	long long v[3];
	long long t = -1;
	enum { M_TOTAL, M_SLEEP, M_THRES, M_COMMITTED, M_STOP, M_START_KSM, M_BOOST, M_DECAY, M_CTL_START,
	       M_CTL_STOP, M_NONE } kind = M_NONE;
	switch (msg[0]) {
	case 't':
		if (match(msg, mlen, "total %", v))
			kind = M_TOTAL;
		else if (match(msg, mlen, "thres %", v))
			kind = M_THRES;
		break;
	case 's':
		if (match(msg, mlen, "sleep %", v))
			kind = M_SLEEP;
		break;
	case 'c':
		if (match(msg, mlen, "committed ? free %", v))
			kind = M_COMMITTED;
		break;
	case 'K':
		if (match(msg, mlen, "KSMCTL start % %", v))
			kind = M_CTL_START;
		else if (mlen == 11 && starts(msg, mlen, "KSMCTL stop"))
			kind = M_CTL_STOP;
		break;
	default:
		if (match(msg, mlen, "% < % and free > %, stop ksm", v))
			kind = M_STOP;
		else if (match(msg, mlen, "% > %, start ksm", v))
			kind = M_START_KSM;
		else if (match(msg, mlen, "% < %, boost", v))
			kind = M_BOOST;
		else if (match(msg, mlen, "% > %, decay", v))
			kind = M_DECAY;
		break;
	}
	if (kind == M_NONE) {
		log->junk_lines++;
		return;
	}
	struct date_cache dc;
	memcpy(&dc, log->partial + LINE_MAX_BYTES, sizeof dc);
	size_t dl = sep - ds;
	if (dl > 0 && dc.len == dl && memcmp(dc.text, s + ds, dl) == 0) {
		t = dc.time;
	} else {
		t = ksmtuned_parse_date(s + ds, dl);
		if (dl <= sizeof dc.text) {
			dc.len = dl;
			memcpy(dc.text, s + ds, dl);
			dc.time = t;
			memcpy(log->partial + LINE_MAX_BYTES, &dc, sizeof dc);
		}
	}
	if (t >= 0) {
		if (log->first_time < 0)
			log->first_time = t;
		log->last_time = t;
	}
	struct ksmtuned_event e = { t, KSMTUNED_EV_STOP, 0, 0, false };
	const struct ksmtuned_event *last = last_event(log);
	switch (kind) {
	case M_TOTAL: /* the daemon (re)started */
		finish_cycle(log);
		log->restarts++;
		log->total = v[0];
		break;
	case M_SLEEP:
		log->sleep = v[0];
		break;
	case M_THRES:
		log->thres = v[0];
		break;
	case M_COMMITTED:
		finish_cycle(log);
		log->cycles++;
		log->pending.time = t;
		log->pending.total = log->total;
		log->pending.thres = log->thres;
		log->pending.committed = v[0];
		log->pending.free_kb = v[1];
		log->have_pending = true;
		log->pending_boost = false;
		break;
	case M_STOP:
		log->total = v[1];
		log->thres = v[2];
		if (log->have_pending) {
			log->pending.total = v[1];
			log->pending.thres = v[2];
		}
		/* fall through */
	case M_CTL_STOP:
		if (!last || last->kind != KSMTUNED_EV_STOP)
			push_event(log, &e);
		break;
	case M_START_KSM:
		log->total = v[1];
		if (log->have_pending)
			log->pending.total = v[1];
		break;
	case M_BOOST:
	case M_DECAY:
		log->thres = v[1];
		if (log->have_pending)
			log->pending.thres = v[1];
		log->pending_boost = kind == M_BOOST;
		break;
	case M_CTL_START:
		log->sleep = v[1];
		e.kind = KSMTUNED_EV_START;
		e.npages = v[0];
		e.sleep = v[1];
		e.boost = log->pending_boost;
		if (!last || last->kind != KSMTUNED_EV_START || last->npages != e.npages || last->sleep != e.sleep)
			push_event(log, &e);
		break;
	case M_NONE:
		break;
	}
}

void ksmtuned_log_init(struct ksmtuned_log *log, size_t max_samples, size_t max_events)
{
	memset(log, 0, sizeof(*log));
	/* at least one entry each: the last event is the state the next line is compared with */
	log->max_samples = max_samples ? max_samples : 1;
	log->max_events = max_events ? max_events : 1;
	log->samples = xcalloc(log->max_samples, sizeof(*log->samples));
	log->events = xcalloc(log->max_events, sizeof(*log->events));
	log->sample_stride = 1;
	log->event_stride = 1;
	log->total = log->sleep = log->thres = -1;
	log->first_time = log->last_time = -1;
	log->partial_cap = LINE_MAX_BYTES;
	log->partial = xcalloc(1, LINE_MAX_BYTES + sizeof(struct date_cache));
}

void ksmtuned_log_feed(struct ksmtuned_log *log, const char *data, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t seg = end - i;
		if (log->partial_len == SKIPPING) {
			/* the rest of an overlong line */
		} else if (log->partial_len == 0 && nl && seg <= LINE_MAX_BYTES) {
			process_line(log, data + i, seg); /* a whole line in the chunk: no copy */
		} else if (log->partial_len + seg > LINE_MAX_BYTES) {
			log->partial_len = SKIPPING;
		} else {
			memcpy(log->partial + log->partial_len, data + i, seg);
			log->partial_len += seg;
			if (nl) {
				process_line(log, log->partial, log->partial_len);
				log->partial_len = 0;
			}
		}
		if (!nl)
			break;
		if (log->partial_len == SKIPPING) {
			log->lines++;
			log->junk_lines++;
			log->partial_len = 0;
		}
		i = end + 1;
	}
}

void ksmtuned_log_finish(struct ksmtuned_log *log)
{
	if (log->partial_len == SKIPPING) {
		log->lines++;
		log->junk_lines++;
	} else if (log->partial_len > 0) {
		process_line(log, log->partial, log->partial_len);
	}
	log->partial_len = 0;
	finish_cycle(log);
}

void ksmtuned_log_free(struct ksmtuned_log *log)
{
	free(log->samples);
	free(log->events);
	free(log->partial);
	memset(log, 0, sizeof(*log));
}
