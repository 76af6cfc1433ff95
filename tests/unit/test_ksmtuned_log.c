/* test_ksmtuned_log.c: unit tests of the streaming ksmtuned log parser: the seed guide's log, chunking, junk, merging and a 3,000,000-cycle log. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksmtuned_log.h"
#include "util.h"

/* The ksmtuned log of the seed guide (kvm-host-setup-centos6.de.txt, "Logging"), byte for byte. */
static const char seed_log[] =
	"Tue Aug  2 22:51:52 CEST 2011: total 15874952\n"
	"Tue Aug  2 22:51:52 CEST 2011: sleep 10\n"
	"Tue Aug  2 22:51:52 CEST 2011: thres 3174990\n"
	"Tue Aug  2 22:52:52 CEST 2011: committed 14446180 free 11641800\n"
	"Tue Aug  2 22:52:52 CEST 2011: 17621170 > 15874952, start ksm\n"
	"Tue Aug  2 22:52:52 CEST 2011: 11641800 > 3174990, decay\n"
	"Tue Aug  2 22:52:52 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 22:53:52 CEST 2011: committed 14081140 free 11912704\n"
	"Tue Aug  2 22:53:52 CEST 2011: 17256130 > 15874952, start ksm\n"
	"Tue Aug  2 22:53:52 CEST 2011: 11912704 > 3174990, decay\n"
	"Tue Aug  2 22:53:52 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 22:54:52 CEST 2011: committed 11238176 free 12920740\n"
	"Tue Aug  2 22:54:52 CEST 2011: 14413166 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 22:55:53 CEST 2011: committed 9833852 free 13156712\n"
	"Tue Aug  2 22:55:53 CEST 2011: 13008842 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 22:56:53 CEST 2011: committed 5617520 free 14078752\n"
	"Tue Aug  2 22:56:53 CEST 2011: 8792510 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 22:59:35 CEST 2011: total 15874952\n"
	"Tue Aug  2 22:59:35 CEST 2011: sleep 10\n"
	"Tue Aug  2 22:59:35 CEST 2011: thres 3174990\n"
	"Tue Aug  2 23:00:35 CEST 2011: committed 13445116 free 11923676\n"
	"Tue Aug  2 23:00:35 CEST 2011: 16620106 > 15874952, start ksm\n"
	"Tue Aug  2 23:00:35 CEST 2011: 11923676 > 3174990, decay\n"
	"Tue Aug  2 23:00:35 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:01:35 CEST 2011: committed 12717792 free 12274464\n"
	"Tue Aug  2 23:01:35 CEST 2011: 15892782 > 15874952, start ksm\n"
	"Tue Aug  2 23:01:35 CEST 2011: 12274464 > 3174990, decay\n"
	"Tue Aug  2 23:01:35 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:02:35 CEST 2011: committed 12584620 free 12521744\n"
	"Tue Aug  2 23:02:35 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:03:36 CEST 2011: committed 12584620 free 12517928\n"
	"Tue Aug  2 23:03:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:04:36 CEST 2011: committed 12594864 free 12514420\n"
	"Tue Aug  2 23:04:36 CEST 2011: 15769854 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:05:36 CEST 2011: committed 12584620 free 12514164\n"
	"Tue Aug  2 23:05:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:06:36 CEST 2011: committed 12625596 free 12507048\n"
	"Tue Aug  2 23:06:36 CEST 2011: 15800586 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:07:36 CEST 2011: committed 12605108 free 12499980\n"
	"Tue Aug  2 23:07:36 CEST 2011: 15780098 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:08:36 CEST 2011: committed 12584620 free 12498084\n"
	"Tue Aug  2 23:08:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:09:36 CEST 2011: committed 12584620 free 12494324\n"
	"Tue Aug  2 23:09:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:10:36 CEST 2011: committed 12584620 free 12495328\n"
	"Tue Aug  2 23:10:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:11:36 CEST 2011: committed 12584620 free 12492332\n"
	"Tue Aug  2 23:11:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:12:36 CEST 2011: committed 12584620 free 12488656\n"
	"Tue Aug  2 23:12:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:13:36 CEST 2011: committed 12584620 free 12484000\n"
	"Tue Aug  2 23:13:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:14:36 CEST 2011: committed 12584620 free 12488356\n"
	"Tue Aug  2 23:14:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:15:36 CEST 2011: committed 12584620 free 12488536\n"
	"Tue Aug  2 23:15:36 CEST 2011: 15759610 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:16:36 CEST 2011: committed 12641440 free 12474464\n"
	"Tue Aug  2 23:16:36 CEST 2011: 15816430 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:17:36 CEST 2011: committed 14352128 free 11874620\n"
	"Tue Aug  2 23:17:36 CEST 2011: 17527118 > 15874952, start ksm\n"
	"Tue Aug  2 23:17:36 CEST 2011: 11874620 > 3174990, decay\n"
	"Tue Aug  2 23:17:36 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:18:36 CEST 2011: committed 14011808 free 11972244\n"
	"Tue Aug  2 23:18:36 CEST 2011: 17186798 > 15874952, start ksm\n"
	"Tue Aug  2 23:18:36 CEST 2011: 11972244 > 3174990, decay\n"
	"Tue Aug  2 23:18:36 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:19:36 CEST 2011: committed 14418812 free 11541316\n"
	"Tue Aug  2 23:19:36 CEST 2011: 17593802 > 15874952, start ksm\n"
	"Tue Aug  2 23:19:36 CEST 2011: 11541316 > 3174990, decay\n"
	"Tue Aug  2 23:19:36 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:20:36 CEST 2011: committed 14009052 free 11542528\n"
	"Tue Aug  2 23:20:36 CEST 2011: 17184042 > 15874952, start ksm\n"
	"Tue Aug  2 23:20:36 CEST 2011: 11542528 > 3174990, decay\n"
	"Tue Aug  2 23:20:36 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:21:37 CEST 2011: committed 14009052 free 11542428\n"
	"Tue Aug  2 23:21:37 CEST 2011: 17184042 > 15874952, start ksm\n"
	"Tue Aug  2 23:21:37 CEST 2011: 11542428 > 3174990, decay\n"
	"Tue Aug  2 23:21:37 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:22:37 CEST 2011: committed 14009052 free 11543000\n"
	"Tue Aug  2 23:22:37 CEST 2011: 17184042 > 15874952, start ksm\n"
	"Tue Aug  2 23:22:37 CEST 2011: 11543000 > 3174990, decay\n"
	"Tue Aug  2 23:22:37 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:23:37 CEST 2011: committed 14091004 free 11598516\n"
	"Tue Aug  2 23:23:37 CEST 2011: 17265994 > 15874952, start ksm\n"
	"Tue Aug  2 23:23:37 CEST 2011: 11598516 > 3174990, decay\n"
	"Tue Aug  2 23:23:37 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:24:37 CEST 2011: committed 6974796 free 12595028\n"
	"Tue Aug  2 23:24:37 CEST 2011: 10149786 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:27:39 CEST 2011: total 15874952\n"
	"Tue Aug  2 23:27:39 CEST 2011: sleep 10\n"
	"Tue Aug  2 23:27:39 CEST 2011: thres 3174990\n"
	"Tue Aug  2 23:28:39 CEST 2011: committed 13981776 free 11693324\n"
	"Tue Aug  2 23:28:39 CEST 2011: 17156766 > 15874952, start ksm\n"
	"Tue Aug  2 23:28:39 CEST 2011: 11693324 > 3174990, decay\n"
	"Tue Aug  2 23:28:39 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:29:39 CEST 2011: committed 14094460 free 11952928\n"
	"Tue Aug  2 23:29:39 CEST 2011: 17269450 > 15874952, start ksm\n"
	"Tue Aug  2 23:29:39 CEST 2011: 11952928 > 3174990, decay\n"
	"Tue Aug  2 23:29:39 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:30:39 CEST 2011: committed 14043240 free 12474780\n"
	"Tue Aug  2 23:30:39 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:30:39 CEST 2011: 12474780 > 3174990, decay\n"
	"Tue Aug  2 23:30:39 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:31:39 CEST 2011: committed 14043240 free 12605008\n"
	"Tue Aug  2 23:31:39 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:31:39 CEST 2011: 12605008 > 3174990, decay\n"
	"Tue Aug  2 23:31:39 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:32:40 CEST 2011: committed 14043240 free 12572092\n"
	"Tue Aug  2 23:32:40 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:32:40 CEST 2011: 12572092 > 3174990, decay\n"
	"Tue Aug  2 23:32:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:33:40 CEST 2011: committed 14063728 free 12564236\n"
	"Tue Aug  2 23:33:40 CEST 2011: 17238718 > 15874952, start ksm\n"
	"Tue Aug  2 23:33:40 CEST 2011: 12564236 > 3174990, decay\n"
	"Tue Aug  2 23:33:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:34:40 CEST 2011: committed 14063728 free 12564052\n"
	"Tue Aug  2 23:34:40 CEST 2011: 17238718 > 15874952, start ksm\n"
	"Tue Aug  2 23:34:40 CEST 2011: 12564052 > 3174990, decay\n"
	"Tue Aug  2 23:34:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:35:40 CEST 2011: committed 14043240 free 12570536\n"
	"Tue Aug  2 23:35:40 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:35:40 CEST 2011: 12570536 > 3174990, decay\n"
	"Tue Aug  2 23:35:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:36:40 CEST 2011: committed 14043240 free 12568300\n"
	"Tue Aug  2 23:36:40 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:36:40 CEST 2011: 12568300 > 3174990, decay\n"
	"Tue Aug  2 23:36:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:37:40 CEST 2011: committed 14043240 free 12564352\n"
	"Tue Aug  2 23:37:40 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:37:40 CEST 2011: 12564352 > 3174990, decay\n"
	"Tue Aug  2 23:37:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:38:40 CEST 2011: committed 14043240 free 12604708\n"
	"Tue Aug  2 23:38:40 CEST 2011: 17218230 > 15874952, start ksm\n"
	"Tue Aug  2 23:38:40 CEST 2011: 12604708 > 3174990, decay\n"
	"Tue Aug  2 23:38:40 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:39:40 CEST 2011: committed 8426168 free 13579428\n"
	"Tue Aug  2 23:39:40 CEST 2011: 11601158 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:40:40 CEST 2011: committed 1404548 free 14881904\n"
	"Tue Aug  2 23:40:40 CEST 2011: 4579538 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:42:45 CEST 2011: total 15874952\n"
	"Tue Aug  2 23:42:45 CEST 2011: sleep 10\n"
	"Tue Aug  2 23:42:45 CEST 2011: thres 3174990\n"
	"Tue Aug  2 23:43:45 CEST 2011: committed 14022752 free 11663068\n"
	"Tue Aug  2 23:43:45 CEST 2011: 17197742 > 15874952, start ksm\n"
	"Tue Aug  2 23:43:45 CEST 2011: 11663068 > 3174990, decay\n"
	"Tue Aug  2 23:43:45 CEST 2011: KSMCTL start 64 10\n"
	"Tue Aug  2 23:44:45 CEST 2011: committed 9738296 free 12778456\n"
	"Tue Aug  2 23:44:45 CEST 2011: 12913286 < 15874952 and free > 3174990, stop ksm\n"
	"Tue Aug  2 23:45:45 CEST 2011: committed 2788384 free 14553656\n";

/* 2011-08-02 22:51:52, the zone name (CEST) ignored */
#define T0 1312325512LL

static void parse_all(const char *text, size_t len, size_t max_samples, size_t max_events, struct ksmtuned_log *log)
{
	ksmtuned_log_init(log, max_samples, max_events);
	ksmtuned_log_feed(log, text, len);
	ksmtuned_log_finish(log);
}

/* Two parses of the same text agree in everything they report. */
static void check_same(const struct ksmtuned_log *a, const struct ksmtuned_log *b)
{
	assert_int_equal(a->lines, b->lines);
	assert_int_equal(a->junk_lines, b->junk_lines);
	assert_int_equal(a->cycles, b->cycles);
	assert_int_equal(a->starts, b->starts);
	assert_int_equal(a->stops, b->stops);
	assert_int_equal(a->restarts, b->restarts);
	assert_int_equal(a->total, b->total);
	assert_int_equal(a->sleep, b->sleep);
	assert_int_equal(a->thres, b->thres);
	assert_int_equal(a->first_time, b->first_time);
	assert_int_equal(a->last_time, b->last_time);
	assert_int_equal(a->n_samples, b->n_samples);
	assert_int_equal(a->sample_stride, b->sample_stride);
	assert_int_equal(a->n_events, b->n_events);
	assert_int_equal(a->event_stride, b->event_stride);
	for (size_t i = 0; i < a->n_samples; i++)
		assert_memory_equal(&a->samples[i], &b->samples[i], sizeof(a->samples[i]));
	for (size_t i = 0; i < a->n_events; i++) {
		assert_int_equal(a->events[i].time, b->events[i].time);
		assert_int_equal(a->events[i].kind, b->events[i].kind);
		assert_int_equal(a->events[i].npages, b->events[i].npages);
		assert_int_equal(a->events[i].sleep, b->events[i].sleep);
		assert_int_equal(a->events[i].boost, b->events[i].boost);
	}
}

static void test_parse_date(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		long long t;
	} cases[] = {
		{ "Tue Aug  2 22:51:52 CEST 2011", T0 },
		{ "Tue Aug 2 22:51:52 CEST 2011", T0 },
		{ "Tue Aug  2 22:51:52 2011", T0 },            /* no zone name */
		{ " Tue Aug  2 22:51:52 +0200 2011 ", T0 },
		{ "Thu Jan  1 00:00:00 UTC 1970", 0 },
		{ "Tue Feb 29 12:00:00 UTC 2000", 951825600 }, /* leap day */
		{ "Mon Dec 31 23:59:59 UTC 2040", 2240611199LL },
		{ "Tue Nov 28 08:10:00 UTC 2023", 1701159000 },
		{ "Thu Feb 29 12:00:00 UTC 2001", -1 },        /* not a leap year */
		{ "Tue Aug 32 22:51:52 CEST 2011", -1 },
		{ "Tue Aug  0 22:51:52 CEST 2011", -1 },
		{ "Tue Aug  2 24:00:00 CEST 2011", -1 },
		{ "Tue Aug  2 22:60:00 CEST 2011", -1 },
		{ "Tue Aug  2 22:51 CEST 2011", -1 },
		{ "Tue Aug  2 22:51:52: CEST 2011", -1 },
		{ "Tue Aug  2 22:51:052 CEST 2011", -1 },
		{ "Tue Aug  2 22:51:52 CEST 11", -1 },
		{ "Tue Aug  2 22:51:52 CEST 20111", -1 },
		{ "Wed Dec 31 23:59:59 UTC 1969", -1 },        /* before the epoch */
		{ "Di 2. Aug 22:51:52 CEST 2011", -1 },        /* German date(1) */
		{ "Tue Aug  2 22:51:52 CEST 2011 extra", -1 },
		{ "Tue Aug", -1 },
		{ "", -1 },
		{ "Tue aug  2 22:51:52 CEST 2011", -1 },
		{ "Xyz Aug  2 22:51:52 CEST 2011", -1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long long t = ksmtuned_parse_date(cases[i].s, strlen(cases[i].s));
		if (t != cases[i].t)
			fail_msg("\"%s\": %lld, expected %lld", cases[i].s, t, cases[i].t);
	}
	/* Only len bytes are read. */
	assert_int_equal(ksmtuned_parse_date("Tue Aug  2 22:51:52 CEST 20119", 29), T0);
}

static void test_seed_log(void **state)
{
	(void)state;
	struct ksmtuned_log log;
	parse_all(seed_log, sizeof seed_log - 1, 256, 256, &log);
	assert_int_equal(log.lines, 149);
	assert_int_equal(log.junk_lines, 0);
	assert_int_equal(log.cycles, 46);
	assert_int_equal(log.restarts, 4);
	assert_int_equal(log.total, 15874952);
	assert_int_equal(log.thres, 3174990);
	assert_int_equal(log.sleep, 10);
	assert_int_equal(log.first_time, T0);
	assert_int_equal(log.last_time, T0 + 53 * 60 + 53); /* 23:45:45 */
	assert_int_equal(log.n_samples, 46);
	assert_int_equal(log.sample_stride, 1);

	/* the first cycle, 22:52:52, and the last one, 23:45:45, whose decision is not in the log */
	const struct ksmtuned_sample *s = &log.samples[0];
	assert_int_equal(s->time, T0 + 60);
	assert_int_equal(s->total, 15874952);
	assert_int_equal(s->thres, 3174990);
	assert_int_equal(s->committed, 14446180);
	assert_int_equal(s->free_kb, 11641800);
	s = &log.samples[45];
	assert_int_equal(s->time, T0 + 53 * 60 + 53);
	assert_int_equal(s->committed, 2788384);
	assert_int_equal(s->free_kb, 14553656);
	for (size_t i = 1; i < log.n_samples; i++)
		assert_true(log.samples[i].time > log.samples[i - 1].time);

	/* Starts and stops: the changes of what ksmtuned wrote to sysfs. */
	static const struct {
		int min, sec;    /* after 22:00 */
		enum ksmtuned_event_kind kind;
	} ev[] = {
		{ 52, 52, KSMTUNED_EV_START }, { 54, 52, KSMTUNED_EV_STOP }, { 60, 35, KSMTUNED_EV_START },
		{ 62, 35, KSMTUNED_EV_STOP },  { 77, 36, KSMTUNED_EV_START }, { 84, 37, KSMTUNED_EV_STOP },
		{ 88, 39, KSMTUNED_EV_START }, { 99, 40, KSMTUNED_EV_STOP },  { 103, 45, KSMTUNED_EV_START },
		{ 104, 45, KSMTUNED_EV_STOP },
	};
	assert_int_equal(log.n_events, ARRAY_SIZE(ev));
	assert_int_equal(log.event_stride, 1);
	assert_int_equal(log.starts, 5);
	assert_int_equal(log.stops, 5);
	long long day = T0 - (22 * 3600 + 51 * 60 + 52);
	for (size_t i = 0; i < ARRAY_SIZE(ev); i++) {
		const struct ksmtuned_event *e = &log.events[i];
		assert_int_equal(e->time, day + 22 * 3600 + ev[i].min * 60 + ev[i].sec);
		assert_int_equal(e->kind, ev[i].kind);
		assert_int_equal(e->npages, ev[i].kind == KSMTUNED_EV_START ? 64 : 0);
		assert_int_equal(e->sleep, ev[i].kind == KSMTUNED_EV_START ? 10 : 0);
		assert_false(e->boost); /* every start of this log is a decay step */
	}
	assert_int_equal(log.events[0].time, 1312325572); /* 22:52:52 */
	assert_int_equal(log.events[1].time, 1312325692); /* 22:54:52 */
	ksmtuned_log_free(&log);
}

/* A small pseudo-random generator, so that the chunk sizes are the same on every run. */
static unsigned long long rng_state = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static void test_chunks(void **state)
{
	(void)state;
	struct ksmtuned_log whole, bytes, random;
	const size_t len = sizeof seed_log - 1;
	parse_all(seed_log, len, 16, 4, &whole);
	/* byte by byte */
	ksmtuned_log_init(&bytes, 16, 4);
	for (size_t i = 0; i < len; i++)
		ksmtuned_log_feed(&bytes, seed_log + i, 1);
	ksmtuned_log_finish(&bytes);
	check_same(&whole, &bytes);
	/* random chunk sizes, empty ones included, many times */
	for (int round = 0; round < 200; round++) {
		ksmtuned_log_init(&random, 16, 4);
		for (size_t i = 0; i < len;) {
			size_t n = rnd(round % 2 ? 200 : 20);
			if (n > len - i)
				n = len - i;
			ksmtuned_log_feed(&random, seed_log + i, n);
			i += n;
		}
		ksmtuned_log_finish(&random);
		check_same(&whole, &random);
		ksmtuned_log_free(&random);
	}
	/* merged: 46 cycles in at most 16 samples, 10 events in at most 4 */
	assert_true(whole.n_samples <= 16);
	assert_int_equal(whole.sample_stride, 4);
	assert_int_equal(whole.n_samples, 12);
	assert_int_equal(whole.event_stride, 4);
	assert_int_equal(whole.n_events, 3);
	assert_int_equal(whole.starts, 5);
	assert_int_equal(whole.stops, 5);
	assert_int_equal(whole.samples[0].time, T0 + 60);
	/* the last entry always is the last event */
	assert_int_equal(whole.events[whole.n_events - 1].kind, KSMTUNED_EV_STOP);
	assert_int_equal(whole.events[whole.n_events - 1].time, T0 + 52 * 60 + 53);
	ksmtuned_log_free(&bytes);

	/* CRLF line ends and no final newline give the same result. */
	struct buf crlf;
	buf_init(&crlf);
	for (size_t i = 0; i < len; i++) {
		if (seed_log[i] == '\n')
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, seed_log[i]);
	}
	crlf.len -= 2;
	ksmtuned_log_init(&random, 16, 4);
	for (size_t i = 0; i < crlf.len; i += 7)
		ksmtuned_log_feed(&random, crlf.data + i, crlf.len - i < 7 ? crlf.len - i : 7);
	ksmtuned_log_finish(&random);
	check_same(&whole, &random);
	ksmtuned_log_free(&random);
	buf_free(&crlf);
	ksmtuned_log_free(&whole);
}

static void test_junk(void **state)
{
	(void)state;
	struct buf text;
	buf_init(&text);
	buf_puts(&text, "Tue Aug  2 22:51:52 CEST 2011: total 15874952\n");
	static const char binary[] = "\x00\xff\xfe\x01 binary: garbage\n";
	buf_append(&text, binary, sizeof binary - 1);                          /* junk 1 */
	buf_puts(&text, "\n\r\n");                                              /* empty: not junk */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: commit\n");             /* junk 2: truncated */
	for (int i = 0; i < 5000; i++)                                          /* junk 3: too long */
		buf_putc(&text, i % 2 ? 'x' : ':');
	buf_putc(&text, '\n');
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: ");                     /* junk 4: 4096 bytes */
	for (int i = 31; i < 4096 - 14; i++)
		buf_putc(&text, 'x');
	buf_puts(&text, "KSMCTL start 1\n");
	buf_puts(&text, "no separator at all\n");                               /* junk 5 */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: \n");                   /* junk 6: no message */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: committed 5 free\n");   /* junk 7 */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: total 1234567890123456789\n"); /* junk 8: 19 digits */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: total -\n");            /* junk 9 */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: KSMCTL stopped\n");     /* junk 10 */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: 5 > 6, start ksm now\n"); /* junk 11 */
	buf_puts(&text, "Tue Aug  2 22:52:52 CEST 2011: total  15874952\n");    /* junk 12: two blanks */
	/* ksmtuned prints an empty committed when no qemu runs */
	buf_puts(&text, "Tue Aug  2 22:53:52 CEST 2011: committed  free 3000000\n");
	buf_puts(&text, "Tue Aug  2 22:53:52 CEST 2011: 3174990 > 15874952, start ksm\n");
	buf_puts(&text, "Tue Aug  2 22:53:52 CEST 2011: 3000000 < 3174990, boost\n");
	buf_puts(&text, "Tue Aug  2 22:53:52 CEST 2011: KSMCTL start 300 10\n");
	/* the same values again: no new event; other values: a new start */
	buf_puts(&text, "Tue Aug  2 22:54:52 CEST 2011: committed  free 3000000\n");
	buf_puts(&text, "Tue Aug  2 22:54:52 CEST 2011: KSMCTL start 300 10\n");
	buf_puts(&text, "Tue Aug  2 22:55:52 CEST 2011: KSMCTL start 600 10\n");
	/* a bare "KSMCTL stop", then the stop message of the same cycle: one stop */
	buf_puts(&text, "Tue Aug  2 22:56:52 CEST 2011: KSMCTL stop\n");
	buf_puts(&text, "Tue Aug  2 22:56:52 CEST 2011: 1 < 15874952 and free > 3174990, stop ksm\n");
	/* through the journal, and with a German date: the message still counts */
	buf_puts(&text, "Nov 28 08:10:00 host ksmtuned[123]: Tue Nov 28 08:10:00 UTC 2023: sleep 20\n");
	buf_puts(&text, "Di 2. Aug 22:57:52 CEST 2011: thres 3174991\n");
	buf_puts(&text, "Tue Aug  2 22:58:52 CEST 2011: committed 10 free 20");      /* no final newline */

	struct ksmtuned_log log;
	parse_all(text.data, text.len, 8, 8, &log);
	assert_int_equal(log.junk_lines, 12);
	assert_int_equal(log.lines, 27);
	assert_int_equal(log.cycles, 3);
	assert_int_equal(log.restarts, 1);
	assert_int_equal(log.sleep, 20);
	assert_int_equal(log.thres, 3174991);
	assert_int_equal(log.total, 15874952);
	assert_int_equal(log.first_time, T0);
	assert_int_equal(log.last_time, T0 + 7 * 60);
	assert_int_equal(log.n_samples, 3);
	assert_int_equal(log.samples[0].committed, 0);
	assert_int_equal(log.samples[0].free_kb, 3000000);
	assert_int_equal(log.samples[0].thres, 3174990);
	assert_int_equal(log.samples[2].committed, 10);
	assert_int_equal(log.samples[2].time, T0 + 7 * 60);
	assert_int_equal(log.samples[2].thres, 3174991);
	assert_int_equal(log.n_events, 3);
	assert_int_equal(log.starts, 2);
	assert_int_equal(log.stops, 1);
	assert_int_equal(log.events[0].kind, KSMTUNED_EV_START);
	assert_int_equal(log.events[0].npages, 300);
	assert_true(log.events[0].boost);
	assert_int_equal(log.events[0].time, T0 + 2 * 60);
	assert_int_equal(log.events[1].npages, 600);
	assert_int_equal(log.events[1].time, T0 + 4 * 60);
	assert_int_equal(log.events[2].kind, KSMTUNED_EV_STOP);
	assert_int_equal(log.events[2].time, T0 + 5 * 60);

	/* The same in chunks of every size from 1 to 64. */
	for (size_t step = 1; step <= 64; step++) {
		struct ksmtuned_log l2;
		ksmtuned_log_init(&l2, 8, 8);
		for (size_t i = 0; i < text.len; i += step)
			ksmtuned_log_feed(&l2, text.data + i, text.len - i < step ? text.len - i : step);
		ksmtuned_log_finish(&l2);
		check_same(&log, &l2);
		ksmtuned_log_free(&l2);
	}
	ksmtuned_log_free(&log);

	/* A truncated last line and an overlong one at the end. */
	const char tail[] = "Tue Aug  2 22:52:52 CEST 2011: total 5\nTue Aug  2 22:52:52 CEST 2011: commi";
	parse_all(tail, sizeof tail - 1, 8, 8, &log);
	assert_int_equal(log.lines, 2);
	assert_int_equal(log.junk_lines, 1);
	ksmtuned_log_free(&log);
	ksmtuned_log_init(&log, 8, 8);
	for (int i = 0; i < 10000; i++)
		ksmtuned_log_feed(&log, "y", 1);
	assert_true(log.partial_cap <= 4097);
	ksmtuned_log_finish(&log);
	assert_int_equal(log.lines, 1);
	assert_int_equal(log.junk_lines, 1);
	ksmtuned_log_free(&log);
	/* Nothing at all. */
	parse_all("", 0, 0, 0, &log);
	assert_int_equal(log.lines, 0);
	assert_int_equal(log.total, -1);
	assert_int_equal(log.first_time, -1);
	ksmtuned_log_free(&log);
	buf_free(&text);
}

/* Appends the log line "date: msg" for time t (seconds since the epoch, after 1970). */
static void put_line(struct buf *b, long long t, const char *msg)
{
	static const char wdays[] = "ThuFriSatSunMonTueWed";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	long long days = t / 86400, sec = t % 86400;
	/* civil_from_days (H. Hinnant) */
	long long z = days + 719468, era = z / 146097, doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	buf_printf(b, "%.3s %.3s %2lld %02lld:%02lld:%02lld CEST %lld: %s\n", wdays + 3 * (days % 7),
	           months + 3 * (m - 1), d, sec / 3600, sec / 60 % 60, sec % 60, y, msg);
}

static void test_merging(void **state)
{
	(void)state;
	/* 11 cycles, committed 0, 8, ..., 80, into 4 samples: groups of 4, 4 and 3 */
	struct buf text;
	buf_init(&text);
	put_line(&text, T0, "total 15874952");
	for (int i = 0; i <= 10; i++) {
		char msg[64];
		snprintf(msg, sizeof msg, "committed %d free %d", i * 8, 1000 - i * 8);
		put_line(&text, T0 + 60 * i, msg);
	}
	struct ksmtuned_log log;
	parse_all(text.data, text.len, 4, 4, &log);
	assert_int_equal(log.cycles, 11);
	assert_int_equal(log.sample_stride, 4);
	assert_int_equal(log.n_samples, 3);
	static const long long means[] = { 12, 44, 72 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(log.samples[i].committed, means[i]);
		assert_int_equal(log.samples[i].free_kb, 1000 - means[i]);
		assert_int_equal(log.samples[i].time, T0 + 60 * 4 * i);
		assert_int_equal(log.samples[i].total, 15874952);
	}
	ksmtuned_log_free(&log);
	/* An odd limit: 7 cycles into 3 samples, the last group half full after a merge. */
	buf_reset(&text);
	for (int i = 0; i < 7; i++) {
		char msg[64];
		snprintf(msg, sizeof msg, "committed %d free 0", i * 8);
		put_line(&text, T0 + i, msg);
	}
	parse_all(text.data, text.len, 3, 1, &log);
	assert_int_equal(log.sample_stride, 4);
	assert_int_equal(log.n_samples, 2);
	assert_int_equal(log.samples[0].committed, 12);
	assert_int_equal(log.samples[1].committed, 40);
	assert_int_equal(log.samples[1].time, T0 + 4);
	ksmtuned_log_free(&log);
	/* Events: 5 of them into 2 entries, each showing the last event of its group. */
	buf_reset(&text);
	for (int i = 0; i < 5; i++) {
		char msg[64];
		snprintf(msg, sizeof msg, "KSMCTL start %d 10", 100 + i);
		put_line(&text, T0 + i, msg);
	}
	parse_all(text.data, text.len, 1, 2, &log);
	assert_int_equal(log.starts, 5);
	assert_int_equal(log.event_stride, 4);
	assert_int_equal(log.n_events, 2);
	assert_int_equal(log.events[0].npages, 103);
	assert_int_equal(log.events[1].npages, 104);
	assert_int_equal(log.events[1].time, T0 + 4);
	ksmtuned_log_free(&log);
	buf_free(&text);
}

/* Writes the decimal v at p; returns the end. */
static char *put_num(char *p, long long v)
{
	char tmp[24];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static void test_big_log(void **state)
{
	(void)state;
	/* 3,000,000 one-second cycles, generated and fed 64 KiB at a time; every fourth one starts KSM. */
	const size_t n_cycles = 3000000;
	const long long t0 = T0;
	struct ksmtuned_log log;
	ksmtuned_log_init(&log, 1024, 1024);
	struct buf head;
	buf_init(&head);
	put_line(&head, t0, "total 15874952");
	put_line(&head, t0, "sleep 10");
	put_line(&head, t0, "thres 3174990");
	ksmtuned_log_feed(&log, head.data, head.len);
	buf_free(&head);

	enum { CHUNK = 65536 };
	char *chunk = xmalloc(CHUNK + 512);
	char date[64];
	size_t dlen = 0;
	long long date_day = -1;
	size_t fed = 0;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	size_t used = 0;
	for (size_t i = 0; i < n_cycles; i++) {
		long long t = t0 + 60 + (long long)i;
		if (t / 86400 != date_day) {
			struct buf d;
			buf_init(&d);
			put_line(&d, t, "");
			dlen = 11; /* "Tue Aug  2 " */
			memcpy(date, d.data, dlen);
			date_day = t / 86400;
			buf_free(&d);
		}
		long long sec = t % 86400;
		char stamp[40], *p = stamp;
		memcpy(p, date, dlen);
		p += dlen;
		*p++ = (char)('0' + sec / 36000);
		*p++ = (char)('0' + sec / 3600 % 10);
		*p++ = ':';
		*p++ = (char)('0' + sec / 60 % 60 / 10);
		*p++ = (char)('0' + sec / 60 % 10);
		*p++ = ':';
		*p++ = (char)('0' + sec % 60 / 10);
		*p++ = (char)('0' + sec % 10);
		memcpy(p, " CEST 2011: ", 12);
		p += 12;
		size_t slen = (size_t)(p - stamp);
		bool start = i % 4 == 0;
		long long committed = start ? 14000000 : 1000000 + (long long)(i % 1000);
		long long free_kb = 11000000 + (long long)(i % 4096);
		char *q = chunk + used;
		memcpy(q, stamp, slen);
		q += slen;
		memcpy(q, "committed ", 10);
		q = put_num(q + 10, committed);
		memcpy(q, " free ", 6);
		q = put_num(q + 6, free_kb);
		*q++ = '\n';
		memcpy(q, stamp, slen);
		q += slen;
		if (start) {
			q = put_num(q, committed + 3174990);
			memcpy(q, " > 15874952, start ksm\n", 23);
			q += 23;
			memcpy(q, stamp, slen);
			q += slen;
			q = put_num(q, free_kb);
			memcpy(q, " > 3174990, decay\n", 18);
			q += 18;
			memcpy(q, stamp, slen);
			q += slen;
			memcpy(q, "KSMCTL start 64 10\n", 19);
			q += 19;
		} else {
			q = put_num(q, committed + 3174990);
			memcpy(q, " < 15874952 and free > 3174990, stop ksm\n", 41);
			q += 41;
		}
		used = (size_t)(q - chunk);
		if (used >= CHUNK) {
			ksmtuned_log_feed(&log, chunk, used);
			fed += used;
			used = 0;
		}
	}
	ksmtuned_log_feed(&log, chunk, used);
	fed += used;
	ksmtuned_log_finish(&log);
	clock_gettime(CLOCK_MONOTONIC, &b);
	free(chunk);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	print_message("# %zu cycles, %zu MB generated and parsed in %.2f s\n", n_cycles, fed >> 20, secs);

	assert_int_equal(log.cycles, n_cycles);
	assert_int_equal(log.junk_lines, 0);
	assert_int_equal(log.lines, 3 + n_cycles / 4 * 4 + (n_cycles - n_cycles / 4) * 2);
	assert_true(log.n_samples <= 1024);
	assert_true(log.n_events <= 1024);
	assert_int_equal(log.starts, n_cycles / 4);
	assert_int_equal(log.stops, n_cycles / 4);
	assert_int_equal(log.first_time, t0);
	assert_int_equal(log.last_time, t0 + 60 + (long long)n_cycles - 1);
	/* the samples cover every cycle, in order, strides of powers of two */
	size_t stride = log.sample_stride;
	assert_true(stride >= n_cycles / 1024 && (stride & (stride - 1)) == 0);
	assert_true((log.n_samples - 1) * stride < n_cycles && n_cycles <= log.n_samples * stride);
	assert_int_equal(log.samples[0].time, t0 + 60);
	for (size_t i = 0; i < log.n_samples; i++) {
		const struct ksmtuned_sample *s = &log.samples[i];
		assert_int_equal(s->time, t0 + 60 + (long long)(i * stride));
		assert_true(s->committed >= 1000000 && s->committed <= 14000000);
		assert_true(s->free_kb >= 11000000 && s->free_kb < 11004096);
		assert_int_equal(s->total, 15874952);
		assert_int_equal(s->thres, 3174990);
	}
	/* the last entry is the last stop (cycle n-3) */
	const struct ksmtuned_event *e = &log.events[log.n_events - 1];
	assert_int_equal(e->kind, KSMTUNED_EV_STOP);
	assert_int_equal(e->time, t0 + 60 + (long long)n_cycles - 3);
	ksmtuned_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_seed_log),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_merging),
		cmocka_unit_test(test_big_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
