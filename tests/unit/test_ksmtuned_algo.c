/* test_ksmtuned_algo.c: unit tests of the ksmtuned tuning algorithm against domain.md KSMT-1, KSMT-2 and the seed guide's log. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "ksmtuned_algo.h"
#include "ksmtuned_conf.h"
#include "util.h"

static void defaults(struct ksmtuned_params *p)
{
	struct ksmtuned_conf c;
	ksmtuned_conf_parse("", 0, &c);
	ksmtuned_conf_effective(&c, p);
	ksmtuned_conf_free(&c);
}

/* The log lines of one cycle must be exactly the given ones (NULL-terminated). */
static void check_log(struct strlist *log, const char *const *expected)
{
	size_t n = 0;
	for (; expected[n]; n++) {
		if (n >= log->n)
			fail_msg("missing log line \"%s\"", expected[n]);
		assert_string_equal(log->v[n], expected[n]);
	}
	assert_int_equal(log->n, n);
	strlist_free(log);
	strlist_init(log);
}

static void test_ksmt2_table(void **state)
{
	(void)state;
	static const long long rows[][3] = {
		{ 2048000, 81, 409600 },     { 3924700, 42, 784940 },      { 8010000, 20, 1602000 },
		{ 16333300, 10, 3266660 },   { 65861000, 10, 13172200 },
		/* the seed guide's host */
		{ 15874952, 10, 3174990 },
		/* tiny hosts: THRES_CONST (2048 kB) is the floor */
		{ 10000, 16777, 2048 },      { 1, 167772160, 2048 },
	};
	struct ksmtuned_params p;
	defaults(&p);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct ksmtuned_state s;
		ksmtuned_init(&p, rows[i][0], &s);
		assert_int_equal(s.total, rows[i][0]);
		assert_int_equal(s.sleep, rows[i][1]);
		assert_int_equal(s.thres, rows[i][2]);
		assert_int_equal(s.npages, 0);
	}
	/* sleep uses the literal 10 as its floor, not SLEEP_MSEC; thres truncates. */
	p.sleep_msec = 1;
	p.thres_coef = 33;
	struct ksmtuned_state s;
	ksmtuned_init(&p, 1000001, &s);
	assert_int_equal(s.sleep, 16);
	assert_int_equal(s.thres, 330000);
	ksmtuned_init(&p, 16777216, &s);
	assert_int_equal(s.sleep, 10);
}

static void test_ksmt1_sequence(void **state)
{
	(void)state;
	struct ksmtuned_params p;
	defaults(&p);
	struct ksmtuned_state s;
	ksmtuned_init(&p, 16333300, &s);
	struct strlist log;
	strlist_init(&log);

	assert_int_equal(ksmtuned_adjust(&p, &s, 11100000, 0, &log), KSMTUNED_STOP);
	static const char *const stop[] = { "committed 0 free 11100000",
		                            "3266660 < 16333300 and free > 3266660, stop ksm", NULL };
	check_log(&log, stop);
	assert_int_equal(s.npages, 0);

	assert_int_equal(ksmtuned_adjust(&p, &s, 11100000, 14000000, &log), KSMTUNED_DECAY);
	static const char *const start[] = { "committed 14000000 free 11100000", "17266660 > 16333300, start ksm",
		                             "11100000 > 3266660, decay", "KSMCTL start 64 10", NULL };
	check_log(&log, start);
	assert_int_equal(s.npages, 64);

	/* A stop does not reset npages; the next decay starts from it. */
	assert_int_equal(ksmtuned_adjust(&p, &s, 11100000, 0, NULL), KSMTUNED_STOP);
	assert_int_equal(s.npages, 64);
	s.npages = 500;
	assert_int_equal(ksmtuned_adjust(&p, &s, 11100000, 14000000, NULL), KSMTUNED_DECAY);
	assert_int_equal(s.npages, 450);
}

static void test_boost(void **state)
{
	(void)state;
	struct ksmtuned_params p;
	defaults(&p);
	struct ksmtuned_state s;
	ksmtuned_init(&p, 16333300, &s);
	static const long long steps[] = { 300, 600, 900, 1200, 1250, 1250 };
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		assert_int_equal(ksmtuned_adjust(&p, &s, 1000000, 15000000, NULL), KSMTUNED_BOOST);
		assert_int_equal(s.npages, steps[i]);
	}
	/* then plenty of free memory again: decay from the top */
	assert_int_equal(ksmtuned_adjust(&p, &s, 5000000, 15000000, NULL), KSMTUNED_DECAY);
	assert_int_equal(s.npages, 1200);

	/* The quirk: the trigger is free <= thres, yet the message says ">". */
	ksmtuned_init(&p, 16333300, &s);
	struct strlist log;
	strlist_init(&log);
	assert_int_equal(ksmtuned_adjust(&p, &s, 3000000, 0, &log), KSMTUNED_BOOST);
	static const char *const quirk[] = { "committed 0 free 3000000", "3266660 > 16333300, start ksm",
		                             "3000000 < 3266660, boost", "KSMCTL start 300 10", NULL };
	check_log(&log, quirk);
	/* free == thres: not above it, so no stop; not below it, so a decay. */
	assert_int_equal(ksmtuned_adjust(&p, &s, 3266660, 0, &log), KSMTUNED_DECAY);
	static const char *const equal[] = { "committed 0 free 3266660", "3266660 > 16333300, start ksm",
		                             "3266660 > 3266660, decay", "KSMCTL start 250 10", NULL };
	check_log(&log, equal);
	/* committed + thres == total: not below it, so a start. */
	assert_int_equal(ksmtuned_adjust(&p, &s, 11100000, 16333300 - 3266660, &log), KSMTUNED_DECAY);
	assert_string_equal(log.v[1], "16333300 > 16333300, start ksm");
	strlist_free(&log);
}

static void test_seed_log(void **state)
{
	(void)state;
	struct ksmtuned_params p;
	defaults(&p);
	struct ksmtuned_state s;
	ksmtuned_init(&p, 15874952, &s);
	assert_int_equal(s.sleep, 10);
	assert_int_equal(s.thres, 3174990);
	struct strlist log;
	strlist_init(&log);
	assert_int_equal(ksmtuned_adjust(&p, &s, 11641800, 14446180, &log), KSMTUNED_DECAY);
	static const char *const c1[] = { "committed 14446180 free 11641800", "17621170 > 15874952, start ksm",
		                          "11641800 > 3174990, decay", "KSMCTL start 64 10", NULL };
	check_log(&log, c1);
	assert_int_equal(ksmtuned_adjust(&p, &s, 11912704, 14081140, &log), KSMTUNED_DECAY);
	static const char *const c2[] = { "committed 14081140 free 11912704", "17256130 > 15874952, start ksm",
		                          "11912704 > 3174990, decay", "KSMCTL start 64 10", NULL };
	check_log(&log, c2);
	assert_int_equal(ksmtuned_adjust(&p, &s, 12920740, 11238176, &log), KSMTUNED_STOP);
	static const char *const c3[] = { "committed 11238176 free 12920740",
		                          "14413166 < 15874952 and free > 3174990, stop ksm", NULL };
	check_log(&log, c3);
	/* 23:01:35: just above total */
	assert_int_equal(ksmtuned_adjust(&p, &s, 12274464, 12717792, &log), KSMTUNED_DECAY);
	assert_string_equal(log.v[1], "15892782 > 15874952, start ksm");
	strlist_free(&log);
}

static void test_arithmetic_edges(void **state)
{
	(void)state;
	struct ksmtuned_params p;
	defaults(&p);
	struct ksmtuned_state s;
	/* bash's 64-bit arithmetic wraps; it must not trap here. */
	p.sleep_msec = LLONG_MAX;
	ksmtuned_init(&p, 16333300, &s);
	assert_int_equal(s.sleep, 10); /* LLONG_MAX * 16777216 wraps to -16777216; / total = -1 -> 10 */
	p.sleep_msec = 10;
	ksmtuned_init(&p, 0, &s); /* bash: division by 0; the floor applies */
	assert_int_equal(s.sleep, 10);
	assert_int_equal(s.thres, 2048);
	/* MIN > MAX: the script checks MIN first, then MAX. */
	p.npages_min = 2000;
	p.npages_max = 1250;
	ksmtuned_init(&p, 16333300, &s);
	ksmtuned_adjust(&p, &s, 11100000, 14000000, NULL);
	assert_int_equal(s.npages, 2000);
	ksmtuned_adjust(&p, &s, 1000, 14000000, NULL);
	assert_int_equal(s.npages, 1250);
	/* A huge BOOST wraps like bash: LLONG_MAX + 300 is negative, so MIN. */
	p.npages_min = 64;
	p.boost = LLONG_MAX;
	s.npages = 300;
	ksmtuned_adjust(&p, &s, 1000, 14000000, NULL);
	assert_int_equal(s.npages, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksmt2_table),
		cmocka_unit_test(test_ksmt1_sequence),
		cmocka_unit_test(test_boost),
		cmocka_unit_test(test_seed_log),
		cmocka_unit_test(test_arithmetic_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
