/* fuzz_ksmtuned_log.c: libFuzzer target for the streaming ksmtuned log parser: any chunking gives the result of one feed. */
#include "config.h"

#include "fuzz.h"
#include "ksmtuned_log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool same_sample(const struct ksmtuned_sample *a, const struct ksmtuned_sample *b)
{
	return a->time == b->time && a->total == b->total && a->thres == b->thres && a->committed == b->committed &&
	       a->free_kb == b->free_kb;
}

static bool same_event(const struct ksmtuned_event *a, const struct ksmtuned_event *b)
{
	return a->time == b->time && a->kind == b->kind && a->npages == b->npages && a->sleep == b->sleep &&
	       a->boost == b->boost;
}

static void check_same(const struct ksmtuned_log *a, const struct ksmtuned_log *b)
{
	FUZZ_ASSERT(a->n_samples == b->n_samples && a->sample_stride == b->sample_stride);
	FUZZ_ASSERT(a->n_events == b->n_events && a->event_stride == b->event_stride);
	for (size_t i = 0; i < a->n_samples; i++)
		FUZZ_ASSERT(same_sample(&a->samples[i], &b->samples[i]));
	for (size_t i = 0; i < a->n_events; i++)
		FUZZ_ASSERT(same_event(&a->events[i], &b->events[i]));
	FUZZ_ASSERT(a->lines == b->lines && a->junk_lines == b->junk_lines && a->cycles == b->cycles);
	FUZZ_ASSERT(a->starts == b->starts && a->stops == b->stops && a->restarts == b->restarts);
	FUZZ_ASSERT(a->total == b->total && a->sleep == b->sleep && a->thres == b->thres);
	FUZZ_ASSERT(a->first_time == b->first_time && a->last_time == b->last_time);
}

static void check_bounds(const struct ksmtuned_log *l, const char *text, size_t len)
{
	FUZZ_ASSERT(l->n_samples <= l->max_samples && l->n_events <= l->max_events);
	FUZZ_ASSERT(l->junk_lines <= l->lines && l->lines <= fz_line_count(text, len));
	FUZZ_ASSERT(l->n_samples <= l->cycles && l->n_events <= l->starts + l->stops);
	/* the kept samples cover every cycle: all but the last stand for a full stride */
	if (l->n_samples)
		FUZZ_ASSERT((l->n_samples - 1) * l->sample_stride < l->cycles &&
		            l->cycles <= l->n_samples * l->sample_stride);
	if (l->n_events)
		FUZZ_ASSERT((l->n_events - 1) * l->event_stride < l->starts + l->stops &&
		            l->starts + l->stops <= l->n_events * l->event_stride);
	FUZZ_ASSERT((l->first_time < 0) == (l->last_time < 0));
}

/*
 * Input: three control bytes (the sample and event limits, a seed for the chunk sizes), then
 * the log. Invariants: feeding the log in random chunks (empty ones included) gives exactly
 * what one feed gives; the limits hold; the kept samples and events cover every cycle/event.
 */
FUZZ_ENTRY(ksmtuned_log)
{
	if (size < 3)
		return 0;
	size_t max_samples = data[0] % 9, max_events = data[1] % 9;
	uint32_t rng = data[2] * 2654435761u + 1;
	const char *text = (const char *)data + 3;
	size_t len = size - 3;

	struct ksmtuned_log one, many;
	ksmtuned_log_init(&one, max_samples, max_events);
	ksmtuned_log_feed(&one, text, len);
	ksmtuned_log_finish(&one);
	check_bounds(&one, text, len);

	ksmtuned_log_init(&many, max_samples, max_events);
	size_t pos = 0;
	while (pos < len) {
		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		size_t n = rng % 8 == 0 ? 0 : rng % 4 == 1 ? rng % 4000 : rng % 70;
		if (n > len - pos)
			n = len - pos;
		ksmtuned_log_feed(&many, text + pos, n);
		pos += n;
	}
	ksmtuned_log_finish(&many);
	check_same(&one, &many);

	(void)ksmtuned_parse_date(text, len < 64 ? len : 64);
	ksmtuned_log_free(&one);
	ksmtuned_log_free(&many);
	return 0;
}
