/* test_profile.c: unit tests of the libconfig profile reader: every value, every problem with its line, hostile input. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "testlib.h"
#include "util.h"

/* design.md §4, as written there. */
static const char example[] =
	"steps = [\"cpu\", \"bios\", \"iommu\", \"ksm\"];\n"
	"iommu:    { enable = true; passthrough = true; };           # add iommu=pt as well\n"
	"ksm:      { enable = true; autostart = true; };\n"
	"ksmtuned: { enable = true; autostart = true;\n"
	"            monitor_interval = 60; sleep_msec = 10;\n"
	"            npages_boost = 300; npages_decay = -50; npages_min = 64; npages_max = 1250;\n"
	"            thres_coef = 20; thres_const = 2048;\n"
	"            debug = true; logfile = \"/var/log/ksmtuned\"; };\n";

/* The profile must be refused with exactly these messages, and p left empty. */
static void check_refused(const char *text, const char *const *expected, size_t n)
{
	struct profile p;
	struct strlist problems;
	strlist_init(&problems);
	assert_int_equal(profile_load_text("t.conf", text, &p, &problems), -1);
	if (problems.n != n)
		for (size_t i = 0; i < problems.n; i++)
			print_error("problem: %s\n", problems.v[i]);
	for (size_t i = 0; i < problems.n && i < n; i++)
		assert_string_equal(problems.v[i], expected[i]);
	assert_int_equal(problems.n, n);
	assert_null(p.path);
	assert_int_equal(p.steps.n, 0);
	assert_null(p.ksmtuned_logfile);
	assert_false(p.ksm_enable.set);
	for (int k = 0; k < PROF_KSMTUNED_KEY_COUNT; k++)
		assert_false(p.ksmtuned_set[k]);
	profile_free(&p);
	strlist_free(&problems);
}

static void check_refused1(const char *text, const char *expected)
{
	check_refused(text, &expected, 1);
}

/* The profile must load without problems; the caller checks p and frees it. */
static void load_ok(const char *text, struct profile *p)
{
	struct strlist problems;
	strlist_init(&problems);
	int rc = profile_load_text("t.conf", text, p, &problems);
	if (problems.n > 0)
		print_error("unexpected problem: %s\n", problems.v[0]);
	assert_int_equal(rc, 0);
	assert_int_equal(problems.n, 0);
	strlist_free(&problems);
}

static void test_example(void **state)
{
	(void)state;
	struct profile p;
	load_ok(example, &p);
	assert_string_equal(p.path, "t.conf");
	assert_int_equal(p.steps.n, 4);
	assert_string_equal(p.steps.v[0], "cpu");
	assert_string_equal(p.steps.v[3], "ksm");
	const struct profile_flag *flags[] = { &p.iommu_enable, &p.iommu_passthrough, &p.ksm_enable, &p.ksm_autostart,
	                                       &p.ksmtuned_enable, &p.ksmtuned_autostart, &p.ksmtuned_debug };
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		assert_true(flags[i]->set);
		assert_true(flags[i]->value);
	}
	static const long long want[PROF_KSMTUNED_KEY_COUNT] = { 60, 10, 300, -50, 64, 1250, 20, 2048 };
	for (int k = 0; k < PROF_KSMTUNED_KEY_COUNT; k++) {
		assert_true(p.ksmtuned_set[k]);
		assert_int_equal(p.ksmtuned_value[k], want[k]);
	}
	assert_string_equal(p.ksmtuned_logfile, "/var/log/ksmtuned");
	profile_free(&p);
	assert_null(p.path);
	profile_free(&p);   /* twice is harmless */
}

static void test_empty_and_partial(void **state)
{
	(void)state;
	const char *const empties[] = { "", "\n\n", "# nothing\n// here\n/* at\n all */\n" };
	for (size_t i = 0; i < ARRAY_SIZE(empties); i++) {
		struct profile p;
		load_ok(empties[i], &p);
		assert_string_equal(p.path, "t.conf");
		assert_int_equal(p.steps.n, 0);
		assert_false(p.iommu_enable.set);
		assert_false(p.ksmtuned_debug.set);
		for (int k = 0; k < PROF_KSMTUNED_KEY_COUNT; k++)
			assert_false(p.ksmtuned_set[k]);
		assert_null(p.ksmtuned_logfile);
		assert_true(profile_wants_step(&p, "iommu"));
		profile_free(&p);
	}
	/* false is a value too; ":" and "=", with or without ";", as libconfig allows */
	struct profile p;
	load_ok("ksm = { enable = false }\nksmtuned: { npages_min = 0 npages_max = 0 }", &p);
	assert_true(p.ksm_enable.set);
	assert_false(p.ksm_enable.value);
	assert_false(p.ksm_autostart.set);
	assert_false(p.iommu_enable.set);
	assert_true(p.ksmtuned_set[PROF_NPAGES_MIN] && p.ksmtuned_set[PROF_NPAGES_MAX]);
	assert_false(p.ksmtuned_set[PROF_SLEEP_MSEC]);
	profile_free(&p);
}

static void test_three_mistakes(void **state)
{
	(void)state;
	const char text[] =
		"ksm: { enable = true;\n"
		"       foo = 1; };\n"
		"ksmtuned: {\n"
		"  npages_min = \"64\";\n"
		"  sleep_msec = 10;\n"
		"  thres_coef = 150;\n"
		"};\n";
	const char *const want[] = {
		"t.conf:2: unknown key 'ksm.foo'",
		"t.conf:4: ksmtuned.npages_min must be an integer, not a string",
		"t.conf:6: ksmtuned.thres_coef must be between 0 and 100, not 150",
	};
	check_refused(text, want, 3);
}

static void test_keys_and_types(void **state)
{
	(void)state;
	check_refused1("\n\nsteps = [\"cpu\"];\nbridge = 1;\n", "t.conf:4: unknown key 'bridge'");
	check_refused1("Steps = [\"cpu\"];\n", "t.conf:1: unknown key 'Steps'");
	check_refused1("ksm = 5;\n", "t.conf:1: ksm must be a group ({ ... }), not an integer");
	check_refused1("iommu = { enable = 1; };\n", "t.conf:1: iommu.enable must be true or false, not an integer");
	check_refused1("iommu = { passthrough = \"yes\"; };\n",
	               "t.conf:1: iommu.passthrough must be true or false, not a string");
	check_refused1("ksmtuned = { logfile = 5; };\n", "t.conf:1: ksmtuned.logfile must be a string, not an integer");
	check_refused1("ksmtuned = { sleep_msec = [1]; };\n", "t.conf:1: ksmtuned.sleep_msec must be an integer, not an array");
	check_refused1("ksmtuned = { ksm = { enable = true; }; };\n", "t.conf:1: unknown key 'ksmtuned.ksm'");
	/* libconfig's own refusals keep its wording and line */
	check_refused1("ksm: { enable = true;\n enable = false; };\n", "t.conf:2: duplicate setting name");
	check_refused1("steps = [\"cpu\", 1];\n", "t.conf:1: mismatched element type in array");
}

static void test_syntax_error(void **state)
{
	(void)state;
	check_refused1("ksm: { enable = true; };\n\nksmtuned: { debug = ; };\n", "t.conf:3: syntax error");
	check_refused1("ksm: { enable = true; \n", "t.conf:2: syntax error");
	check_refused1("ksm: { enable = true; };;\n", "t.conf:1: syntax error");
	check_refused1("ksmtuned: { npages_min = 12abc; };\n", "t.conf:1: syntax error");
}

/* libs.md §2.3/§6.3: what libconfig 1.5 accepts silently (and leaks on) is refused before it sees it. */
static void test_stray_and_open(void **state)
{
	(void)state;
	check_refused1("\"x\"\n", "t.conf:1: syntax error: a string that belongs to no setting");
	check_refused1("ksm = { enable = true; };\n\"x\";\n", "t.conf:2: syntax error: a string that belongs to no setting");
	check_refused1("ksm = { \"x\"; };\n", "t.conf:1: syntax error: a string that belongs to no setting");
	/* a comma may end a setting: a string after it is no list element (fuzz_profile found it) */
	check_refused1("ksm = { enable = true, \"x\" };\n", "t.conf:1: syntax error: a string that belongs to no setting");
	check_refused1("i:3,\"\"", "t.conf:1: syntax error: a string that belongs to no setting");
	check_refused1("ksm = { enable = true; }\n\"x\" \"y\"\n",
	               "t.conf:2: syntax error: a string that belongs to no setting");
	const char *const two[] = { "t.conf:1: syntax error: a string that belongs to no setting",
	                            "t.conf:3: syntax error: a string that belongs to no setting" };
	check_refused("\"a\";\n# \"b\"\n\"c\" /* \"d\" */ // \"e\"\n", two, 2);
	check_refused1("ksmtuned = { logfile = \"/var/log/x\";\n\" ];\n",
	               "t.conf:2: syntax error: the string is never closed");
	check_refused1("ksm = { enable = true; };\n/* ksm = { enable = false; };\n",
	               "t.conf:2: syntax error: the comment is never closed");
	check_refused1("steps = [\"cpu\", \"ksm\", ];\n", "t.conf:1: syntax error: a comma before ']' (libconfig 1.5 refuses it)");
	check_refused1("@include \"/etc/passwd\"\n", "t.conf:1: @include is not allowed in a profile");
	/* strings where they belong: concatenated, escaped quotes, a "#" inside, a list */
	check_refused1("ksmtuned = { logfile = \"/var/log/\"\n  \"ksm#tuned\\\"\"; };\n",
	               "t.conf:1: ksmtuned.logfile must be the absolute path of a file, made of A-Z a-z 0-9 . _ / - "
	               "and without \"..\", not '/var/log/ksm#tuned\"'");
	struct profile p;
	load_ok("steps = [\"cp\" /* \"x\" */\n \"u\", \"ksm\"]; # \"y\"\n", &p);
	assert_int_equal(p.steps.n, 2);
	assert_string_equal(p.steps.v[0], "cpu");
	profile_free(&p);
	check_refused1("ksmtuned = { logfile = \"/var/log/\"\n  \"ksm\"; }; \"\\\"\"\n",
	               "t.conf:2: syntax error: a string that belongs to no setting");
	load_ok("steps = (\"cpu\" , \"ksm\");\n", &p);
	assert_int_equal(p.steps.n, 2);
	profile_free(&p);
}

static void test_ranges(void **state)
{
	(void)state;
	check_refused1("ksmtuned = { monitor_interval = 0; };\n", "t.conf:1: ksmtuned.monitor_interval must be at least 1, not 0");
	check_refused1("ksmtuned = { sleep_msec = -1; };\n", "t.conf:1: ksmtuned.sleep_msec must be at least 1, not -1");
	check_refused1("ksmtuned = { npages_boost = -1; };\n", "t.conf:1: ksmtuned.npages_boost must be at least 0, not -1");
	check_refused1("ksmtuned = { npages_decay = 5; };\n", "t.conf:1: ksmtuned.npages_decay must be at most 0, not 5");
	check_refused1("ksmtuned = { npages_min = -1; };\n",
	               "t.conf:1: ksmtuned.npages_min must be between 0 and 4294967295, not -1");
	check_refused1("ksmtuned = { thres_coef = -1; };\n", "t.conf:1: ksmtuned.thres_coef must be between 0 and 100, not -1");
	check_refused1("ksmtuned = { thres_const = -2048; };\n", "t.conf:1: ksmtuned.thres_const must be at least 0, not -2048");
	struct profile p;
	load_ok("ksmtuned = { thres_coef = 0; npages_decay = 0; npages_boost = 0; thres_const = 0; "
	        "monitor_interval = 1; sleep_msec = 1; npages_min = 0; npages_max = 4294967295; };", &p);
	profile_free(&p);
	load_ok("ksmtuned = { thres_coef = 100; };", &p);
	assert_int_equal(p.ksmtuned_value[PROF_THRES_COEF], 100);
	profile_free(&p);
}

static void test_min_max(void **state)
{
	(void)state;
	check_refused1("ksmtuned = {\n npages_min = 2000;\n\n npages_max = 1250;\n};\n",
	               "t.conf:4: ksmtuned.npages_min (2000) is greater than ksmtuned.npages_max (1250)");
	check_refused1("ksmtuned = {\n npages_max = 10;\n npages_min = 11;\n};\n",
	               "t.conf:3: ksmtuned.npages_min (11) is greater than ksmtuned.npages_max (10)");
	struct profile p;
	load_ok("ksmtuned = { npages_min = 64; npages_max = 64; };\n", &p);
	profile_free(&p);
	load_ok("ksmtuned = { npages_min = 5000; };\n", &p);   /* alone: the other comes from ksmtuned.conf */
	profile_free(&p);
}

static void test_logfile(void **state)
{
	(void)state;
	const char *const bad[] = { "var/log/ksmtuned", "", "/var/log/../../etc/shadow", "/var/log/ksm tuned",
	                            "/var/log/ksm$(id)", "/var/log/", "/var/log/\xc3\xa9t\xc3\xa9" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *text = xasprintf("ksmtuned = {\n logfile = \"%s\"; };\n", bad[i]);
		struct profile p;
		struct strlist problems;
		strlist_init(&problems);
		assert_int_equal(profile_load_text("t.conf", text, &p, &problems), -1);
		assert_int_equal(problems.n, 1);
		assert_true(str_starts_with(problems.v[0], "t.conf:2: ksmtuned.logfile must be the absolute path of a file"));
		assert_null(strchr(problems.v[0], '\n'));
		assert_null(p.ksmtuned_logfile);
		strlist_free(&problems);
		free(text);
	}
	check_refused1("ksmtuned = { logfile = \"a\\nb\"; };\n",
	               "t.conf:1: ksmtuned.logfile must be the absolute path of a file, made of A-Z a-z 0-9 . _ / - "
	               "and without \"..\", not 'a\\x0ab'");
	struct profile p;
	load_ok("ksmtuned = { logfile = \"/var/log/kvm-prep_1.log\"; };\n", &p);
	assert_string_equal(p.ksmtuned_logfile, "/var/log/kvm-prep_1.log");
	profile_free(&p);
}

static void test_steps(void **state)
{
	(void)state;
	check_refused1("steps = [\"cpu\",\n \"kvm\"];\n", "t.conf:2: unknown step 'kvm' in steps");
	check_refused1("steps = [\"cpu\", \"ksm\",\n \"cpu\"];\n", "t.conf:2: step 'cpu' is named twice in steps");
	check_refused1("steps = [];\n", "t.conf:1: steps is empty; name at least one step, or leave steps out for all of them");
	check_refused1("steps = \"cpu\";\n",
	               "t.conf:1: steps must be a list of step names such as [\"cpu\", \"iommu\"], not a string");
	check_refused1("steps = (\"cpu\", true);\n", "t.conf:1: steps[1] must be a string, not true or false");
	const char *const both[] = { "t.conf:1: unknown step 'CPU' in steps", "t.conf:1: unknown step 'x\\x1b[2J' in steps" };
	check_refused("steps = [\"CPU\", \"x\\x1b[2J\"];\n", both, 2);
}

static void test_wants_step(void **state)
{
	(void)state;
	struct profile p;
	profile_init(&p);
	assert_true(profile_wants_step(&p, "cpu"));
	assert_true(profile_wants_step(NULL, "cpu"));
	load_ok("steps = [\"iommu\", \"ksm\"];\n", &p);
	assert_false(profile_wants_step(&p, "cpu"));
	assert_false(profile_wants_step(&p, "bios"));
	assert_true(profile_wants_step(&p, "iommu"));
	assert_true(profile_wants_step(&p, "ksm"));
	assert_false(profile_wants_step(&p, "nope"));
	profile_free(&p);
}

static void test_floats(void **state)
{
	(void)state;
	check_refused1("ksmtuned = { npages_min = 1.5; };\n", "t.conf:1: ksmtuned.npages_min must be an integer, not 1.5");
	check_refused1("ksmtuned = { thres_coef = 2e1; };\n", "t.conf:1: ksmtuned.thres_coef must be an integer, not 20");
	check_refused1("ksmtuned = { npages_decay = -0.5; };\n", "t.conf:1: ksmtuned.npages_decay must be an integer, not -0.5");
	check_refused1("ksmtuned = { sleep_msec = 10.; };\n", "t.conf:1: ksmtuned.sleep_msec must be an integer, not 10");
}

/* libs.md §2.3: 1.5 truncates plain integers to 32 bits where 1.7 reads 64; both must read alike. */
static void test_integers(void **state)
{
	(void)state;
	struct profile p;
	load_ok("ksmtuned = { npages_min = 0; npages_max = 4294967295; };\n", &p);
	assert_int_equal(p.ksmtuned_value[PROF_NPAGES_MAX], 4294967295LL);
	profile_free(&p);
	load_ok("ksmtuned = { npages_max = 4294967295L; npages_decay = -2147483649; thres_const = 2147483648;\n"
	        " monitor_interval = 0x10; sleep_msec = 0xFFFFFFFF; npages_boost = +7; npages_min = 1LL; };\n", &p);
	assert_int_equal(p.ksmtuned_value[PROF_NPAGES_MAX], 4294967295LL);
	assert_true(p.ksmtuned_value[PROF_NPAGES_DECAY] == -2147483649LL);
	assert_int_equal(p.ksmtuned_value[PROF_THRES_CONST], 2147483648LL);
	assert_int_equal(p.ksmtuned_value[PROF_MONITOR_INTERVAL], 16);
	assert_int_equal(p.ksmtuned_value[PROF_SLEEP_MSEC], 4294967295LL);
	assert_int_equal(p.ksmtuned_value[PROF_NPAGES_BOOST], 7);
	assert_int_equal(p.ksmtuned_value[PROF_NPAGES_MIN], 1);
	profile_free(&p);
	load_ok("ksmtuned = { npages_decay = -2147483648; thres_const = 2147483647; };\n", &p);
	assert_true(p.ksmtuned_value[PROF_NPAGES_DECAY] == -2147483648LL);
	profile_free(&p);
	check_refused1("ksmtuned = { npages_max = 4294967296; };\n",
	               "t.conf:1: ksmtuned.npages_max must be between 0 and 4294967295, not 4294967296");
	/* 1.5 alone would read 100 here (the low 32 bits) */
	check_refused1("ksmtuned = { thres_coef = 4294967396; };\n",
	               "t.conf:1: ksmtuned.thres_coef must be between 0 and 100, not 4294967396");
	check_refused1("ksmtuned = {\n thres_coef = 010; };\n",
	               "t.conf:2: the number 010 has a leading zero, which libconfig 1.5 reads as decimal and 1.7 as "
	               "octal; write it without the zero");
	check_refused1("ksmtuned = { thres_const = 99999999999999999999; };\n",
	               "t.conf:1: the number 99999999999999999999 does not fit in 64 bits");
	check_refused1("ksmtuned = { thres_const = 0x10000000000000000; };\n",
	               "t.conf:1: the number 0x10000000000000000 does not fit in 64 bits");
	check_refused1("ksmtuned = { thres_const = 0x8000000000000000L; };\n",
	               "t.conf:1: the number 0x8000000000000000L does not fit in 64 bits");
	load_ok("ksmtuned = { npages_decay = -9223372036854775808; monitor_interval = 9223372036854775807; };\n", &p);
	assert_true(p.ksmtuned_value[PROF_NPAGES_DECAY] == INT64_MIN);
	assert_true(p.ksmtuned_value[PROF_MONITOR_INTERVAL] == INT64_MAX);
	profile_free(&p);
	load_ok("ksmtuned = { thres_const = 0; npages_min = 0L; };\n", &p);
	profile_free(&p);
}

/* Long input stays one short line per problem and does not crash anything. */
static void test_huge(void **state)
{
	(void)state;
	size_t n = 100 * 1024;
	char *path = xmalloc(n + 1);
	path[0] = '/';
	memset(path + 1, 'a', n - 1);
	path[n] = '\0';
	char *text = xasprintf("ksmtuned = { logfile = \"%s\"; };\n", path);
	check_refused1(text, "t.conf:1: ksmtuned.logfile is 102400 bytes long; at most 4095 are allowed");
	free(text);

	text = xasprintf("ksm = { enable = true; };\n\"%s\"\n", path);
	check_refused1(text, "t.conf:2: syntax error: a string that belongs to no setting");
	free(text);

	text = xasprintf("steps = [\"%s\"];\n", path + 1);
	check_refused1(text, "t.conf:1: unknown step 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' in steps");
	free(text);

	text = xasprintf("%s = 1;\n", path + 1);
	check_refused1(text, "t.conf:1: unknown key 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
	free(text);

	memset(path, '9', n);
	text = xasprintf("ksmtuned = { thres_const = %s; };\n", path);
	check_refused1(text, "t.conf:1: the number 9999999999999999999999999999999999999999... does not fit in 64 bits");
	free(text);

	memset(path, '\n', n);
	text = xasprintf("%sksm = { enable = 1; };\n", path);
	check_refused1(text, "t.conf:102401: ksm.enable must be true or false, not an integer");
	free(text);
	free(path);
}

static void test_files(void **state)
{
	(void)state;
	struct test_root *tr = testlib_root_open("profile");
	assert_non_null(tr);
	struct profile p;
	struct strlist problems;
	strlist_init(&problems);

	testlib_write(tr, "kvmprep.conf", example);
	char *path = testlib_path(tr, "kvmprep.conf");
	assert_int_equal(profile_load_file(path, &p, &problems), 0);
	assert_int_equal(problems.n, 0);
	assert_string_equal(p.path, path);
	assert_int_equal(p.ksmtuned_value[PROF_THRES_CONST], 2048);
	profile_free(&p);
	free(path);

	testlib_write(tr, "bad.conf", "ksm = {\n enable = yes; };\n");
	path = testlib_path(tr, "bad.conf");
	assert_int_equal(profile_load_file(path, &p, &problems), -1);
	assert_int_equal(problems.n, 1);
	char *want = xasprintf("%s:2: syntax error", path);
	assert_string_equal(problems.v[0], want);
	free(want);
	free(path);
	strlist_free(&problems);

	static const char nul[] = "ksm = {};\n\nksm\0 = 1;\n";
	testlib_write_bytes(tr, "nul.conf", nul, sizeof nul - 1, 0644);
	path = testlib_path(tr, "nul.conf");
	assert_int_equal(profile_load_file(path, &p, &problems), -1);
	want = xasprintf("%s:3: contains a NUL byte; a profile is text", path);
	assert_int_equal(problems.n, 1);
	assert_string_equal(problems.v[0], want);
	free(want);
	free(path);
	strlist_free(&problems);

	path = testlib_path(tr, "missing.conf");
	assert_int_equal(profile_load_file(path, &p, &problems), -1);
	want = xasprintf("%s: cannot read: No such file or directory", path);
	assert_int_equal(problems.n, 1);
	assert_string_equal(problems.v[0], want);
	assert_null(p.path);
	profile_free(&p);
	free(want);
	free(path);
	strlist_free(&problems);

	testlib_mkdirs(tr, "dir.conf");
	path = testlib_path(tr, "dir.conf");
	assert_int_equal(profile_load_file(path, &p, &problems), -1);
	want = xasprintf("%s: cannot read: not a regular file", path);
	assert_int_equal(problems.n, 1);
	assert_string_equal(problems.v[0], want);
	free(want);
	free(path);
	strlist_free(&problems);

	assert_int_equal(testlib_root_close(tr), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_empty_and_partial),
		cmocka_unit_test(test_three_mistakes),
		cmocka_unit_test(test_keys_and_types),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_stray_and_open),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_min_max),
		cmocka_unit_test(test_logfile),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_wants_step),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
