/* test_ksmtuned_conf.c: unit tests of the /etc/ksmtuned.conf key table, reader and editor. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ksmtuned_conf.h"
#include "util.h"

/* domain.md §1.5: the file every distribution ships, all keys commented out. */
static const char stock[] =
	"# Configuration file for ksmtuned.\n"
	"\n"
	"# How long ksmtuned should sleep between tuning adjustments\n"
	"# KSM_MONITOR_INTERVAL=60\n"
	"\n"
	"# Millisecond sleep between ksm scans for 16Gb server.\n"
	"# Smaller servers sleep more, bigger sleep less.\n"
	"# KSM_SLEEP_MSEC=10\n"
	"\n"
	"# KSM_NPAGES_BOOST=300\n"
	"# KSM_NPAGES_DECAY=-50\n"
	"# KSM_NPAGES_MIN=64\n"
	"# KSM_NPAGES_MAX=1250\n"
	"\n"
	"# KSM_THRES_COEF=20\n"
	"# KSM_THRES_CONST=2048\n"
	"\n"
	"# uncomment the following if you want ksmtuned debug info\n"
	"\n"
	"# LOGFILE=/var/log/ksmtuned\n"
	"# DEBUG=1\n";

/* The seed guide's copy (kvm-host-setup-centos6.de.txt): the numeric keys uncommented. */
static const char seed[] =
	"# Configuration file for ksmtuned.\n"
	"\n"
	"# How long ksmtuned should sleep between tuning adjustments\n"
	"KSM_MONITOR_INTERVAL=60\n"
	"\n"
	"# Millisecond sleep between ksm scans for 16Gb server.\n"
	"# Smaller servers sleep more, bigger sleep less.\n"
	"KSM_SLEEP_MSEC=10\n"
	"\n"
	"KSM_NPAGES_BOOST=300\n"
	"KSM_NPAGES_DECAY=-50\n"
	"KSM_NPAGES_MIN=64\n"
	"KSM_NPAGES_MAX=1250\n"
	"\n"
	"KSM_THRES_COEF=20\n"
	"KSM_THRES_CONST=2048\n"
	"\n"
	"# uncomment the following if you want ksmtuned debug info\n"
	"\n"
	"# LOGFILE=/var/log/ksmtuned\n"
	"# DEBUG=1\n";

static void parse(const char *text, struct ksmtuned_conf *c)
{
	ksmtuned_conf_parse(text, strlen(text), c);
}

static void check_defaults(const struct ksmtuned_params *p)
{
	assert_int_equal(p->monitor_interval, 60);
	assert_int_equal(p->sleep_msec, 10);
	assert_int_equal(p->boost, 300);
	assert_int_equal(p->decay, -50);
	assert_int_equal(p->npages_min, 64);
	assert_int_equal(p->npages_max, 1250);
	assert_int_equal(p->thres_coef, 20);
	assert_int_equal(p->thres_const, 2048);
}

/* text must give exactly one problem, on line, whose message contains needle. */
static void check_problem(const char *text, size_t line, const char *needle)
{
	struct ksmtuned_conf c;
	parse(text, &c);
	if (c.n_problems != 1)
		fail_msg("%zu problems for \"%s\" (first: %s)", c.n_problems, text,
		         c.n_problems ? c.problems[0].message : "none");
	assert_int_equal(c.problems[0].line, line);
	if (!strstr(c.problems[0].message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", c.problems[0].message, needle);
	ksmtuned_conf_free(&c);
}

/* text sets key to the valid value, on line, without problems. */
static void check_value(const char *text, enum ksmtuned_key key, long long value, size_t line)
{
	struct ksmtuned_conf c;
	parse(text, &c);
	if (c.n_problems)
		fail_msg("problem for \"%s\": %s", text, c.problems[0].message);
	assert_true(c.set[key]);
	assert_true(c.valid[key]);
	assert_int_equal(c.value[key], value);
	assert_int_equal(c.line[key], line);
	ksmtuned_conf_free(&c);
}

static void test_key_table(void **state)
{
	(void)state;
	static const char *const names[] = { "KSM_MONITOR_INTERVAL", "KSM_SLEEP_MSEC", "KSM_NPAGES_BOOST",
		                             "KSM_NPAGES_DECAY", "KSM_NPAGES_MIN", "KSM_NPAGES_MAX",
		                             "KSM_THRES_COEF", "KSM_THRES_CONST", "LOGFILE", "DEBUG" };
	static const long long defs[] = { 60, 10, 300, -50, 64, 1250, 20, 2048 };
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		const struct ksmtuned_key_info *ki = &ksmtuned_keys[k];
		assert_string_equal(ki->name, names[k]);
		assert_int_equal(ksmtuned_key_find(names[k]), k);
		assert_int_equal(ki->numeric, k < KSMT_LOGFILE);
		if (ki->numeric) {
			assert_int_equal(ki->def, defs[k]);
			assert_true(ki->min <= ki->def && ki->def <= ki->max);
		}
		assert_non_null(ki->unit);
		assert_true(strlen(ki->meaning) > 10);
		assert_null(strchr(ki->meaning, '\n'));
	}
	assert_int_equal(ksmtuned_key_find("PIDFILE"), KSMT_KEY_COUNT);
	assert_int_equal(ksmtuned_key_find("ksm_npages_max"), KSMT_KEY_COUNT);
	assert_string_equal(ksmtuned_keys[KSMT_SLEEP_MSEC].unit, "ms per 16 GiB");
	assert_string_equal(ksmtuned_keys[KSMT_THRES_COEF].unit, "%");
	assert_string_equal(ksmtuned_keys[KSMT_THRES_CONST].unit, "kB");
	assert_int_equal(ksmtuned_keys[KSMT_MONITOR_INTERVAL].min, 1);
	assert_int_equal(ksmtuned_keys[KSMT_SLEEP_MSEC].min, 1);
	assert_int_equal(ksmtuned_keys[KSMT_NPAGES_BOOST].min, 0);
	assert_int_equal(ksmtuned_keys[KSMT_NPAGES_DECAY].max, 0);
	assert_int_equal(ksmtuned_keys[KSMT_NPAGES_MIN].min, 0);
	assert_int_equal(ksmtuned_keys[KSMT_NPAGES_MAX].max, 4294967295LL);
	assert_int_equal(ksmtuned_keys[KSMT_THRES_COEF].min, 0);
	assert_int_equal(ksmtuned_keys[KSMT_THRES_COEF].max, 100);
	assert_int_equal(ksmtuned_keys[KSMT_THRES_CONST].min, 0);
}

static void test_stock(void **state)
{
	(void)state;
	struct ksmtuned_conf c;
	parse(stock, &c);
	for (int k = 0; k < KSMT_KEY_COUNT; k++)
		assert_false(c.set[k]);
	assert_int_equal(c.n_problems, 0);
	assert_null(c.logfile);
	assert_false(c.debug);
	struct ksmtuned_params p;
	ksmtuned_conf_effective(&c, &p);
	check_defaults(&p);
	ksmtuned_conf_free(&c);
}

static void test_seed(void **state)
{
	(void)state;
	struct ksmtuned_conf c;
	parse(seed, &c);
	assert_int_equal(c.n_problems, 0);
	static const size_t lines[] = { 4, 8, 10, 11, 12, 13, 15, 16 };
	for (int k = 0; k < KSMT_LOGFILE; k++) {
		assert_true(c.set[k]);
		assert_true(c.valid[k]);
		assert_int_equal(c.line[k], lines[k]);
		assert_int_equal(c.value[k], ksmtuned_keys[k].def);
	}
	assert_false(c.set[KSMT_LOGFILE]);
	assert_false(c.set[KSMT_DEBUG]);
	struct ksmtuned_params p;
	ksmtuned_conf_effective(&c, &p);
	check_defaults(&p);
	ksmtuned_conf_free(&c);

	/* With its debug lines uncommented as well. */
	const char dbg[] = "KSM_NPAGES_MAX=2000\nLOGFILE=/var/log/ksmtuned\nDEBUG=1\n";
	parse(dbg, &c);
	assert_int_equal(c.n_problems, 0);
	assert_true(c.set[KSMT_LOGFILE] && c.valid[KSMT_LOGFILE]);
	assert_string_equal(c.logfile, "/var/log/ksmtuned");
	assert_true(c.debug);
	assert_int_equal(c.line[KSMT_DEBUG], 3);
	ksmtuned_conf_effective(&c, &p);
	assert_int_equal(p.npages_max, 2000);
	assert_int_equal(p.npages_min, 64);
	ksmtuned_conf_free(&c);
}

static void test_bad_values(void **state)
{
	(void)state;
	check_problem("# x\nKSM_NPAGES_BOOST=abc\n", 2, "KSM_NPAGES_BOOST=abc: not an integer");
	check_problem("\n\nKSM_SLEEP_MSEC=1.5\n", 3, "KSM_SLEEP_MSEC=1.5: not an integer");
	check_problem("KSM_NPAGES_MIN=-1\n", 1, "KSM_NPAGES_MIN=-1: out of range");
	check_problem("KSM_THRES_COEF=101\n", 1, "KSM_THRES_COEF=101: out of range, must be between 0 and 100");
	check_problem("KSM_NPAGES_MIN=2000\nKSM_NPAGES_MAX=1250\n", 2,
	              "KSM_NPAGES_MAX=1250 is less than KSM_NPAGES_MIN=2000");
	check_problem("KSM_NPAGES_MAX=1250\n\nKSM_NPAGES_MIN=2000\n", 3,
	              "KSM_NPAGES_MIN=2000 is greater than KSM_NPAGES_MAX=1250");
	/* Against the default of the other one. */
	check_problem("KSM_NPAGES_MIN=2000\n", 1, "KSM_NPAGES_MIN=2000 is greater than KSM_NPAGES_MAX=1250");
	check_problem("KSM_NPAGES_MAX=10\n", 1, "KSM_NPAGES_MAX=10 is less than KSM_NPAGES_MIN=64");
	check_problem("A=1\nKSM_NPAGES_MAX=$(reboot)\n", 2,
	              "KSM_NPAGES_MAX=$(reboot) uses shell expansion; kvmprep does not evaluate it");
	check_problem("KSM_NPAGES_MAX=`cmd`\n", 1, "KSM_NPAGES_MAX=`cmd` uses shell expansion");
	check_problem("\nLOGFILE=relative\n", 2, "LOGFILE=relative: not an absolute path");
	check_problem("KSM_MONITOR_INTERVAL=0\n", 1, "must be at least 1");
	check_problem("KSM_NPAGES_DECAY=50\n", 1, "KSM_NPAGES_DECAY=50: out of range, must be at most 0");
	check_problem("KSM_NPAGES_BOOST=-300\n", 1, "must be at least 0");
	check_problem("KSM_NPAGES_MAX=4294967296\n", 1, "must be between 0 and 4294967295");
	check_problem("KSM_THRES_CONST=99999999999999999999\n", 1, "out of range");
	check_problem("KSM_THRES_COEF=020\n", 1, "leading zero");
	check_problem("KSM_THRES_COEF=\"2 0\"\n", 1, "not an integer");
	check_problem("KSM_THRES_COEF=0x14\n", 1, "not an integer");
	check_problem("KSM_SLEEP_MSEC=10ms\n", 1, "not an integer");

	/* The key is not valid and ksmtuned's default counts. */
	struct ksmtuned_conf c;
	parse("KSM_NPAGES_MAX=$(reboot)\nKSM_THRES_COEF=abc\n", &c);
	assert_true(c.set[KSMT_NPAGES_MAX]);
	assert_false(c.valid[KSMT_NPAGES_MAX]);
	assert_false(c.valid[KSMT_THRES_COEF]);
	assert_int_equal(c.n_problems, 2);
	struct ksmtuned_params p;
	ksmtuned_conf_effective(&c, &p);
	check_defaults(&p);
	ksmtuned_conf_free(&c);
}

static void test_commands(void **state)
{
	(void)state;
	check_problem("# ok\necho hi\n", 2, "line 2 is not KEY=VALUE: ksmtuned would run it as a command");
	check_problem("\n\n\nrm -rf /\n", 4, "line 4 is not KEY=VALUE: ksmtuned would run it as a command");
	check_problem("KSM_NPAGES_MAX=10; reboot\n", 1, "line 1 is not KEY=VALUE");
	check_problem("KSM_NPAGES_MAX = 10\n", 1, "line 1 is not KEY=VALUE");
	check_problem("A=1 && B=2\n", 1, "ksmtuned would run it as a command");
	check_problem("(KSM_NPAGES_MAX=5)\n", 1, "ksmtuned would run it as a command");
	check_problem("export -n KSM_NPAGES_MAX\n", 1, "ksmtuned would run it as a command");
	/* KEY=value cmd: the value only goes to cmd's environment, the key stays unset. */
	struct ksmtuned_conf c;
	parse("KSM_NPAGES_MAX=10 true\n", &c);
	assert_int_equal(c.n_problems, 1);
	assert_false(c.set[KSMT_NPAGES_MAX]);
	ksmtuned_conf_free(&c);
	/* A stray CR inside a line is an ordinary character to bash. */
	check_problem("A=1\n\rreboot\n", 2, "line 2 is not KEY=VALUE");
	/* A quoted value over two lines: the command after it is on line 3. */
	check_problem("LOGFILE=\"/var/log/a\nb\"\nwhoami\n", 3, "line 3 is not KEY=VALUE");
}

static void test_bash_forms(void **state)
{
	(void)state;
	check_value("KSM_NPAGES_MAX=\"100\"\n", KSMT_NPAGES_MAX, 100, 1);
	check_value("KSM_NPAGES_MAX='100'\n", KSMT_NPAGES_MAX, 100, 1);
	check_value("KSM_THRES_COEF=\"10\"\n", KSMT_THRES_COEF, 10, 1); /* "10" is 10 */
	check_value("KSM_NPAGES_MAX=\"1\"'0'0\n", KSMT_NPAGES_MAX, 100, 1);
	check_value("  export KSM_NPAGES_MAX=700   # seven hundred\n", KSMT_NPAGES_MAX, 700, 1);
	check_value("export A KSM_NPAGES_MAX=700 B=2\n", KSMT_NPAGES_MAX, 700, 1);
	check_value("A=1 KSM_NPAGES_MAX=700\n", KSMT_NPAGES_MAX, 700, 1);
	check_value("KSM_NPAGES_MAX=abc\n#\nKSM_NPAGES_MAX=900\n", KSMT_NPAGES_MAX, 900, 3); /* the last wins */
	check_value("KSM_NPAGES_MAX=900\r\n# c\r\n", KSMT_NPAGES_MAX, 900, 1);                /* CRLF */
	check_value("\tKSM_NPAGES_MAX=900\r", KSMT_NPAGES_MAX, 900, 1);
	check_value("KSM_NPAGES_MAX=+900\n", KSMT_NPAGES_MAX, 900, 1);  /* [ ], $[ ] and kstrtouint take '+' */
	check_value("KSM_NPAGES_DECAY=-0\n", KSMT_NPAGES_DECAY, 0, 1);
	check_value("KSM_NPAGES_MIN=0\n", KSMT_NPAGES_MIN, 0, 1);
	check_value("KSM_NPAGES_MAX=\" 900 \"\n", KSMT_NPAGES_MAX, 900, 1); /* used unquoted: split away */
	check_value("KSM_NPAGES_MAX=9\\\n00\n", KSMT_NPAGES_MAX, 900, 1);   /* line continuation */
	check_value("KSM_NPAGES_MAX=\\9\\0\\0\n", KSMT_NPAGES_MAX, 900, 1);
	check_value("KSM_NPAGES_MAX=4294967295\n", KSMT_NPAGES_MAX, 4294967295LL, 1);
	check_value("KSM_NPAGES_MAX=1250#x\nKSM_NPAGES_MAX=1250 #x\n", KSMT_NPAGES_MAX, 1250, 2);
	/* Empty: ksmtuned uses ${KEY:-default}. */
	check_value("KSM_NPAGES_MAX=\n", KSMT_NPAGES_MAX, 1250, 1);
	check_value("KSM_NPAGES_MAX=\"\"\n", KSMT_NPAGES_MAX, 1250, 1);
	/* An earlier expansion is reported even when a later line wins: bash runs it. */
	struct ksmtuned_conf c;
	parse("KSM_NPAGES_MAX=$(reboot)\nKSM_NPAGES_MAX=900\n", &c);
	assert_int_equal(c.n_problems, 1);
	assert_int_equal(c.problems[0].line, 1);
	assert_true(c.valid[KSMT_NPAGES_MAX]);
	assert_int_equal(c.value[KSMT_NPAGES_MAX], 900);
	ksmtuned_conf_free(&c);
	/* Single quotes keep $( literal: not evaluated, just not a number. */
	check_problem("KSM_NPAGES_MAX='$(reboot)'\n", 1, "not an integer");
	check_problem("KSM_NPAGES_MAX=\"$(reboot)\"\n", 1, "uses shell expansion");
	check_problem("KSM_NPAGES_MAX=${X:-5}\n", 1, "uses shell expansion");
	check_problem("KSM_NPAGES_MAX=$OTHER\n", 1, "uses shell expansion");
	check_problem("KSM_NPAGES_MAX=$[5*5]\n", 1, "uses shell expansion");
	check_problem("KSM_NPAGES_MAX=$((5*5))\n", 1, "uses shell expansion");
	check_problem("LOGFILE=~/ksmtuned.log\n", 1, "uses shell expansion");
	check_problem("KSM_NPAGES_MAX=\"$(echo\n5)\"\n", 1, "uses shell expansion");
	check_problem("KSM_NPAGES_MAX+=5\n", 1, "appends");
	check_problem("# a\nKSM_NPAGES_MAX=\"5\nKSM_NPAGES_MIN=1\n", 2, "never closed");
	/* An unterminated quote swallows the rest of the file. */
	parse("KSM_NPAGES_MAX='5\nKSM_NPAGES_MIN=1\n", &c);
	assert_false(c.set[KSMT_NPAGES_MIN]);
	ksmtuned_conf_free(&c);
	/* A lone '$' is literal. */
	check_problem("KSM_NPAGES_MAX=5$\n", 1, "not an integer");
	/* CRLF: the CR is not part of the value; a CR before a comment neither. */
	check_value("# c\r\nKSM_THRES_COEF=30 # x\r\n", KSMT_THRES_COEF, 30, 2);
}

static void test_flags_and_names(void **state)
{
	(void)state;
	struct ksmtuned_conf c;
	parse("DEBUG=1\nLOGFILE=\"/var/log/ksm tuned\"\n", &c);
	assert_int_equal(c.n_problems, 0);
	assert_true(c.debug);
	assert_string_equal(c.logfile, "/var/log/ksm tuned");
	ksmtuned_conf_free(&c);
	/* Empty DEBUG and LOGFILE: off, and stdout. */
	parse("DEBUG=\nLOGFILE=''\n", &c);
	assert_int_equal(c.n_problems, 0);
	assert_false(c.debug);
	assert_true(c.set[KSMT_DEBUG] && c.valid[KSMT_DEBUG]);
	assert_string_equal(c.logfile, "");
	ksmtuned_conf_free(&c);
	parse("DEBUG=0\n", &c);
	assert_true(c.debug);
	assert_false(c.valid[KSMT_DEBUG]);
	ksmtuned_conf_free(&c);
	check_problem("DEBUG=0\n", 1, "DEBUG=0 turns the debug log on");
	check_problem("DEBUG=yes\n", 1, "DEBUG=yes: kvmprep expects 1");
	/* Misspelt keys are noted; other variables are not. */
	check_problem("KSM_NPAGE_MAX=5\n", 1, "KSM_NPAGE_MAX is not a ksmtuned setting, ksmtuned ignores it "
	                                      "(did you mean KSM_NPAGES_MAX?)");
	check_problem("ksm_npages_max=5\n", 1, "did you mean KSM_NPAGES_MAX?");
	check_problem("LOGFILES=/x\n", 1, "did you mean LOGFILE?");
	check_problem("KSM_MAX_KERNEL_PAGES=5\n", 1, "KSM_MAX_KERNEL_PAGES is not a ksmtuned setting");
	parse("PIDFILE=/run/x\nFOO=bar\nPATH=/bin\n", &c);
	assert_int_equal(c.n_problems, 0);
	ksmtuned_conf_free(&c);
	/* Problems come sorted by line; binary junk does not crash the reader. */
	const char mixed[] = "KSM_THRES_COEF=101\nKSM_NPAGES_MAX=$(x)\nls\n";
	parse(mixed, &c);
	assert_int_equal(c.n_problems, 3);
	assert_int_equal(c.problems[0].line, 1);
	assert_int_equal(c.problems[1].line, 2);
	assert_int_equal(c.problems[2].line, 3);
	ksmtuned_conf_free(&c);
	const char junk[] = "KSM_NPAGES_MAX=\x01\xff\"\\";
	ksmtuned_conf_parse(junk, sizeof junk - 1, &c);
	assert_int_equal(c.n_problems, 1);
	ksmtuned_conf_free(&c);
	const char nul[] = "KSM_NPAGES_MAX=1\0002\n";
	ksmtuned_conf_parse(nul, sizeof nul - 1, &c);
	assert_int_equal(c.n_problems, 1);
	assert_false(c.valid[KSMT_NPAGES_MAX]);
	ksmtuned_conf_free(&c);
	ksmtuned_conf_parse("", 0, &c);
	assert_int_equal(c.n_problems, 0);
	ksmtuned_conf_free(&c);
}

/* Runs the editor and checks rc and the whole output; for rc 0 also that a second run changes
 * nothing. */
static void check_edit(const char *text, enum ksmtuned_key key, const char *value, int rc, const char *expected)
{
	struct buf out;
	buf_init(&out);
	char *error = (char *)"unset";
	assert_int_equal(ksmtuned_conf_set(text, strlen(text), key, value, &out, &error), rc);
	assert_null(error);
	assert_int_equal(out.len, strlen(expected));
	assert_memory_equal(out.len ? out.data : "", expected, out.len);
	if (rc == 0) {
		struct buf again;
		buf_init(&again);
		assert_int_equal(ksmtuned_conf_set(out.data, out.len, key, value, &again, &error), 1);
		assert_null(error);
		assert_int_equal(again.len, out.len);
		assert_memory_equal(again.data, out.data, out.len);
		buf_free(&again);
	}
	buf_free(&out);
}

static void check_refused(const char *text, enum ksmtuned_key key, const char *value, const char *needle)
{
	struct buf out;
	buf_init(&out);
	char *error = NULL;
	assert_int_equal(ksmtuned_conf_set(text, strlen(text), key, value, &out, &error), -1);
	assert_non_null(error);
	if (!strstr(error, needle))
		fail_msg("message \"%s\" lacks \"%s\"", error, needle);
	assert_int_equal(out.len, 0);
	free(error);
	buf_free(&out);
}

/* stock with its line 20 and 21 replaced (or not). */
static char *stock_with(const char *l20, const char *l21)
{
	const char *p = strstr(stock, "# LOGFILE=");
	return xasprintf("%.*s%s\n%s\n", (int)(p - stock), stock, l20, l21);
}

static void test_edit_stock(void **state)
{
	(void)state;
	char *debug_on = stock_with("# LOGFILE=/var/log/ksmtuned", "DEBUG=1");
	check_edit(stock, KSMT_DEBUG, "1", 0, debug_on);
	char *both = stock_with("LOGFILE=/var/log/ksmtuned", "DEBUG=1");
	check_edit(debug_on, KSMT_LOGFILE, "/var/log/ksmtuned", 0, both);
	/* and back: NULL comments the lines out again */
	char *logfile_off = stock_with("# LOGFILE=/var/log/ksmtuned", "DEBUG=1");
	check_edit(both, KSMT_LOGFILE, NULL, 0, logfile_off);
	check_edit(logfile_off, KSMT_DEBUG, NULL, 0, stock);
	check_edit(stock, KSMT_DEBUG, NULL, 1, stock);
	free(debug_on);
	free(both);
	free(logfile_off);

	/* A numeric key: its commented default line is taken. */
	const char *at = strstr(stock, "# KSM_NPAGES_MAX=1250\n");
	char *expected = xasprintf("%.*sKSM_NPAGES_MAX=2000\n%s", (int)(at - stock), stock, at + 22);
	check_edit(stock, KSMT_NPAGES_MAX, "2000", 0, expected);
	free(expected);
}

static void test_edit_replace(void **state)
{
	(void)state;
	/* The seed file already has the value: nothing to do. */
	check_edit(seed, KSMT_NPAGES_MAX, "1250", 1, seed);
	char *expected = xstrdup(seed);
	memcpy(strstr(expected, "KSM_THRES_COEF=20"), "KSM_THRES_COEF=35", 17);
	check_edit(seed, KSMT_THRES_COEF, "35", 0, expected);
	free(expected);
	/* Indentation kept, '#' and the blanks after it dropped, the line end kept. */
	check_edit("A=1\n\t #\t KSM_NPAGES_MIN=1 old note\r\nB=2\n", KSMT_NPAGES_MIN, "100", 0,
	           "A=1\n\t KSM_NPAGES_MIN=100\r\nB=2\n");
	/* A comment after a plain value stays. */
	check_edit("  KSM_NPAGES_MIN=\"32\"   # tuned\n", KSMT_NPAGES_MIN, "100", 0,
	           "  KSM_NPAGES_MIN=100   # tuned\n");
	/* The first matching line is the one taken. */
	check_edit("#KSM_NPAGES_MIN=1\n#KSM_NPAGES_MIN=2\n", KSMT_NPAGES_MIN, "0", 0,
	           "KSM_NPAGES_MIN=0\n#KSM_NPAGES_MIN=2\n");
	/* "#KSM_NPAGES_MINIMUM=" and "# the KSM_NPAGES_MIN= key" do not match. */
	check_edit("#KSM_NPAGES_MINIMUM=1\n# the KSM_NPAGES_MIN=2 key\n", KSMT_NPAGES_MIN, "0", 0,
	           "#KSM_NPAGES_MINIMUM=1\n# the KSM_NPAGES_MIN=2 key\nKSM_NPAGES_MIN=0\n");
	/* An invalid or unsafe value on the matched line is replaced. */
	check_edit("KSM_NPAGES_MAX=abc\n", KSMT_NPAGES_MAX, "500", 0, "KSM_NPAGES_MAX=500\n");
	check_edit("KSM_NPAGES_MAX=$(cat /x)\n", KSMT_NPAGES_MAX, "500", 0, "KSM_NPAGES_MAX=500\n");
	/* Negative values are integers too. */
	check_edit(seed, KSMT_NPAGES_DECAY, "-50", 1, seed);
	check_edit("", KSMT_NPAGES_DECAY, "-100", 0, "KSM_NPAGES_DECAY=-100\n");
	/* A value equal to the current one in another spelling: nothing to do. */
	check_edit("KSM_NPAGES_MAX=\"700\"\n", KSMT_NPAGES_MAX, "700", 1, "KSM_NPAGES_MAX=\"700\"\n");
}

static void test_edit_append(void **state)
{
	(void)state;
	check_edit("# only a comment\n", KSMT_NPAGES_BOOST, "600", 0, "# only a comment\nKSM_NPAGES_BOOST=600\n");
	check_edit("A=1", KSMT_NPAGES_BOOST, "600", 0, "A=1\nKSM_NPAGES_BOOST=600\n");
	check_edit("", KSMT_LOGFILE, "/var/log/ksmtuned", 0, "LOGFILE=/var/log/ksmtuned\n");
	check_edit("A=1\r\nB=2", KSMT_DEBUG, "1", 0, "A=1\r\nB=2\r\nDEBUG=1\r\n");
	/* An export line does not match ^#?KEY=, so the new line comes after it and wins. */
	check_edit("export KSM_NPAGES_BOOST=1\n", KSMT_NPAGES_BOOST, "600", 0,
	           "export KSM_NPAGES_BOOST=1\nKSM_NPAGES_BOOST=600\n");
}

static void test_edit_remove(void **state)
{
	(void)state;
	const char *at = strstr(seed, "KSM_NPAGES_MAX=1250");
	char *expected = xasprintf("%.*s# %s", (int)(at - seed), seed, at);
	check_edit(seed, KSMT_NPAGES_MAX, NULL, 0, expected);
	free(expected);
	/* Every assignment goes, export lines too; the indentation stays in front. */
	check_edit("KSM_NPAGES_BOOST=1\n  export KSM_NPAGES_BOOST=2 # x\n", KSMT_NPAGES_BOOST, NULL, 0,
	           "# KSM_NPAGES_BOOST=1\n  # export KSM_NPAGES_BOOST=2 # x\n");
	check_edit("A=1\n", KSMT_NPAGES_BOOST, NULL, 1, "A=1\n");
	/* Not a line of its own: by hand. */
	check_refused("A=1 KSM_NPAGES_BOOST=2\n", KSMT_NPAGES_BOOST, NULL, "not a plain KSM_NPAGES_BOOST=VALUE line");
	check_refused("KSM_NPAGES_BOOST=\"2\n\"\n", KSMT_NPAGES_BOOST, NULL, "by hand");
	/* Removing MIN would bring back its default 64, above MAX=50. */
	check_refused("KSM_NPAGES_MIN=10\nKSM_NPAGES_MAX=50\n", KSMT_NPAGES_MIN, NULL,
	              "KSM_NPAGES_MAX=50 is less than KSM_NPAGES_MIN=64");
}

static void test_edit_refusals(void **state)
{
	(void)state;
	check_refused(stock, KSMT_NPAGES_MAX, "10; reboot", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "$(x)", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "1.5", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "abc", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "+10", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, " 10", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "010", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "", "whole number");
	check_refused(stock, KSMT_NPAGES_MAX, "99999999999999999999", "whole number");
	check_refused(stock, KSMT_THRES_COEF, "101", "KSM_THRES_COEF=101 is out of range");
	check_refused(stock, KSMT_NPAGES_DECAY, "50", "out of range");
	check_refused(stock, KSMT_MONITOR_INTERVAL, "0", "out of range");
	check_refused(stock, KSMT_LOGFILE, "../x", "LOGFILE must be an absolute file path");
	check_refused(stock, KSMT_LOGFILE, "/var/log/../../etc/shadow", "without '..'");
	check_refused(stock, KSMT_LOGFILE, "var/log/ksmtuned", "absolute");
	check_refused(stock, KSMT_LOGFILE, "/var/log/ksm tuned", "absolute");
	check_refused(stock, KSMT_LOGFILE, "/var/log/$(reboot)", "absolute");
	check_refused(stock, KSMT_LOGFILE, "/var/log/\"x", "absolute");
	check_refused(stock, KSMT_LOGFILE, "/", "absolute");
	check_refused(stock, KSMT_LOGFILE, "/var/log/", "absolute");
	check_refused(stock, KSMT_DEBUG, "yes", "DEBUG takes only the value 1");
	check_refused(stock, KSMT_DEBUG, "1; reboot", "DEBUG takes only the value 1");
	check_refused(stock, KSMT_KEY_COUNT, "1", "unknown");
	/* A control character in the value is not echoed raw. */
	struct buf out;
	buf_init(&out);
	char *error = NULL;
	assert_int_equal(ksmtuned_conf_set(stock, strlen(stock), KSMT_NPAGES_MAX, "1\n2", &out, &error), -1);
	assert_null(strchr(error, '\n'));
	free(error);
	buf_free(&out);

	/* MIN above MAX. */
	check_refused(seed, KSMT_NPAGES_MIN, "2000", "new problem on line 13: KSM_NPAGES_MAX=1250 is less than "
	                                             "KSM_NPAGES_MIN=2000");
	/* The matched line is not the one that wins. */
	check_refused("# KSM_NPAGES_MAX=1250\nKSM_NPAGES_MAX=2000\n", KSMT_NPAGES_MAX, "3000",
	              "KSM_NPAGES_MAX is assigned again on line 2, which overrides line 1");
	/* The matched line is not a plain assignment. */
	check_refused("KSM_NPAGES_MAX=1; reboot\n", KSMT_NPAGES_MAX, "3000", "line 1: the assignment of KSM_NPAGES_MAX "
	                                                                 "is not a plain");
	check_refused("KSM_NPAGES_MAX=\"1\n\"\n", KSMT_NPAGES_MAX, "3000", "by hand");
	check_refused("KSM_NPAGES_MAX=1\\\n0\n", KSMT_NPAGES_MAX, "3000", "by hand");
	check_refused("KSM_NPAGES_MAX=1 KSM_NPAGES_MIN=0\n", KSMT_NPAGES_MAX, "3000", "by hand");
	/* The matched line sits inside another value: changing it would change LOGFILE. */
	check_refused("LOGFILE=\"/x\n# KSM_NPAGES_MAX=1\"\n", KSMT_NPAGES_MAX, "3000", "would also change LOGFILE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_table),
		cmocka_unit_test(test_stock),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_bash_forms),
		cmocka_unit_test(test_flags_and_names),
		cmocka_unit_test(test_edit_stock),
		cmocka_unit_test(test_edit_replace),
		cmocka_unit_test(test_edit_append),
		cmocka_unit_test(test_edit_remove),
		cmocka_unit_test(test_edit_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
