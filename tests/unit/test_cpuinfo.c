/* test_cpuinfo.c: unit tests of the /proc/cpuinfo parser on real samples, odd line endings and junk. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpuinfo.h"
#include "util.h"

/* Two processors of an AMD Opteron as a RHEL 6 kernel prints them. */
static const char amd_sample[] =
	"processor\t: 0\n"
	"vendor_id\t: AuthenticAMD\n"
	"cpu family\t: 16\n"
	"model\t\t: 2\n"
	"model name\t: Quad-Core AMD Opteron(tm) Processor 2350\n"
	"stepping\t: 3\n"
	"cpu MHz\t\t: 2000.000\n"
	"cache size\t: 512 KB\n"
	"physical id\t: 0\n"
	"siblings\t: 4\n"
	"core id\t\t: 0\n"
	"cpu cores\t: 4\n"
	"apicid\t\t: 0\n"
	"initial apicid\t: 0\n"
	"fpu\t\t: yes\n"
	"fpu_exception\t: yes\n"
	"cpuid level\t: 5\n"
	"wp\t\t: yes\n"
	"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
	"mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm 3dnowext 3dnow "
	"constant_tsc rep_good nonstop_tsc extd_apicid pni monitor cx16 popcnt lahf_lm cmp_legacy "
	"svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs npt lbrv svm_lock\n"
	"bogomips\t: 3990.12\n"
	"TLB size\t: 1024 4K pages\n"
	"clflush size\t: 64\n"
	"cache_alignment\t: 64\n"
	"address sizes\t: 48 bits physical, 48 bits virtual\n"
	"power management: ts ttp tm stc 100mhzsteps hwpstate\n"
	"\n"
	"processor\t: 1\n"
	"vendor_id\t: AuthenticAMD\n"
	"cpu family\t: 16\n"
	"model\t\t: 2\n"
	"model name\t: Quad-Core AMD Opteron(tm) Processor 2350\n"
	"stepping\t: 3\n"
	"cpu MHz\t\t: 2000.000\n"
	"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
	"mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm 3dnowext 3dnow "
	"constant_tsc rep_good nonstop_tsc extd_apicid pni monitor cx16 popcnt lahf_lm cmp_legacy "
	"svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs npt lbrv svm_lock\n"
	"bogomips\t: 3990.12\n"
	"power management: ts ttp tm stc 100mhzsteps hwpstate\n"
	"\n";

/* One processor of an Intel Haswell with a 5.6+ kernel's "vmx flags" line. */
static const char intel_sample[] =
	"processor\t: 0\n"
	"vendor_id\t: GenuineIntel\n"
	"cpu family\t: 6\n"
	"model\t\t: 60\n"
	"model name\t: Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz\n"
	"stepping\t: 3\n"
	"microcode\t: 0x28\n"
	"cpu MHz\t\t: 3400.000\n"
	"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
	"clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm "
	"constant_tsc arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf "
	"pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid "
	"sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm "
	"abm cpuid_fault epb invpcid_single pti ssbd ibrs ibpb stibp tpr_shadow vnmi flexpriority "
	"ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid xsaveopt dtherm ida "
	"arat pln pts md_clear flush_l1d\n"
	"vmx flags\t: vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb flexpriority "
	"tsc_offset vtpr mtf vapic ept vpid unrestricted_guest ple\n"
	"bugs\t\t: cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs itlb_multihit\n"
	"bogomips\t: 6784.21\n"
	"clflush size\t: 64\n"
	"address sizes\t: 39 bits physical, 48 bits virtual\n"
	"power management:\n"
	"\n";

static void parse_str(const char *text, struct cpuinfo *ci)
{
	cpuinfo_parse(text, strlen(text), ci);
}

static void test_amd_sample(void **state)
{
	(void)state;
	struct cpuinfo ci;
	parse_str(amd_sample, &ci);
	assert_int_equal(ci.n, 2);
	assert_int_equal(ci.skipped_lines, 0);
	assert_string_equal(cpuinfo_vendor(&ci), "AuthenticAMD");
	assert_string_equal(cpuinfo_model_name(&ci), "Quad-Core AMD Opteron(tm) Processor 2350");
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(ci.cpus[i].processor, (long)i);
		assert_int_equal(ci.cpus[i].family, 16);
		assert_int_equal(ci.cpus[i].model, 2);
		assert_int_equal(ci.cpus[i].stepping, 3);
		assert_null(ci.cpus[i].vmx_flags);
		assert_non_null(ci.cpus[i].flags);
	}
	assert_int_equal(cpuinfo_count_flag(&ci, "svm"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "svm_lock"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "fpu"), 2);        /* first token */
	assert_int_equal(cpuinfo_count_flag(&ci, "npt"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "nx"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "vmx"), 0);
	assert_int_equal(cpuinfo_count_flag(&ci, "sv"), 0);
	assert_int_equal(cpuinfo_count_flag(&ci, "lock"), 0);
	assert_int_equal(cpuinfo_count_flag(&ci, "lahf"), 0);
	/* "power management: ts ..." is not a flags line. */
	assert_int_equal(cpuinfo_count_flag(&ci, "hwpstate"), 0);
	cpuinfo_free(&ci);
	assert_int_equal(ci.n, 0);
	assert_null(ci.cpus);
}

static void test_intel_sample(void **state)
{
	(void)state;
	struct cpuinfo ci;
	parse_str(intel_sample, &ci);
	assert_int_equal(ci.n, 1);
	assert_int_equal(ci.skipped_lines, 0);
	const struct cpuinfo_cpu *c = &ci.cpus[0];
	assert_int_equal(c->processor, 0);
	assert_string_equal(c->vendor_id, "GenuineIntel");
	assert_string_equal(c->model_name, "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz");
	assert_int_equal(c->family, 6);
	assert_int_equal(c->model, 60);
	assert_int_equal(c->stepping, 3);
	assert_non_null(c->vmx_flags);
	assert_true(str_starts_with(c->vmx_flags, "vnmi preemption_timer"));
	assert_int_equal(cpuinfo_count_flag(&ci, "vmx"), 1);
	assert_int_equal(cpuinfo_count_flag(&ci, "flush_l1d"), 1);         /* last token */
	assert_int_equal(cpuinfo_count_flag(&ci, "unrestricted_guest"), 1); /* only in vmx flags */
	assert_int_equal(cpuinfo_count_flag(&ci, "ept"), 1);                /* in both: once */
	assert_int_equal(cpuinfo_count_flag(&ci, "svm"), 0);
	assert_int_equal(cpuinfo_count_flag(&ci, "spectre_v1"), 0);        /* "bugs", not flags */
	cpuinfo_free(&ci);
}

/* Replaces every "\n" with "\r\n". */
static char *to_crlf(const char *text)
{
	struct buf b;
	buf_init(&b);
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			buf_putc(&b, '\r');
		buf_putc(&b, *p);
	}
	return buf_steal(&b);
}

static void test_crlf(void **state)
{
	(void)state;
	char *text = to_crlf(amd_sample);
	struct cpuinfo ci;
	parse_str(text, &ci);
	assert_int_equal(ci.n, 2);
	assert_int_equal(ci.skipped_lines, 0);
	assert_string_equal(cpuinfo_vendor(&ci), "AuthenticAMD");
	assert_string_equal(cpuinfo_model_name(&ci), "Quad-Core AMD Opteron(tm) Processor 2350");
	assert_int_equal(ci.cpus[1].stepping, 3);
	/* The last flag does not keep the carriage return. */
	assert_int_equal(cpuinfo_count_flag(&ci, "svm_lock"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "svm"), 2);
	cpuinfo_free(&ci);
	free(text);
}

static void test_no_blank_line_between_blocks(void **state)
{
	(void)state;
	const char *text =
		"processor : 0\n"
		"vendor_id : GenuineIntel\n"
		"flags : fpu vmx\n"
		"processor : 1\n"
		"vendor_id : GenuineIntel\n"
		"flags : fpu\n"
		"processor : 2\n"
		"flags : fpu vmx\n";
	struct cpuinfo ci;
	parse_str(text, &ci);
	assert_int_equal(ci.n, 3);
	assert_int_equal(ci.cpus[0].processor, 0);
	assert_int_equal(ci.cpus[1].processor, 1);
	assert_int_equal(ci.cpus[2].processor, 2);
	assert_null(ci.cpus[2].vendor_id);
	assert_int_equal(cpuinfo_count_flag(&ci, "vmx"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "fpu"), 3);
	cpuinfo_free(&ci);
}

static void test_flag_on_one_cpu(void **state)
{
	(void)state;
	const char *text =
		"processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu svm_lock lm\n\n"
		"processor\t: 1\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu svm svm_lock lm\n\n";
	struct cpuinfo ci;
	parse_str(text, &ci);
	assert_int_equal(ci.n, 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "svm"), 1);
	assert_int_equal(cpuinfo_count_flag(&ci, "svm_lock"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "lm"), 2);
	cpuinfo_free(&ci);
}

static void test_first_value_wins(void **state)
{
	(void)state;
	const char *text =
		"processor : 0\nvendor_id : First\nvendor_id : Second\n"
		"flags : a b\nflags : c d\nmodel name :   padded name  \n";
	struct cpuinfo ci;
	parse_str(text, &ci);
	assert_int_equal(ci.n, 1);
	assert_string_equal(ci.cpus[0].vendor_id, "First");
	assert_string_equal(ci.cpus[0].flags, "a b");
	assert_string_equal(ci.cpus[0].model_name, "padded name");
	assert_int_equal(cpuinfo_count_flag(&ci, "c"), 0);
	cpuinfo_free(&ci);
}

static void test_missing_and_bad_numbers(void **state)
{
	(void)state;
	const char *text =
		"vendor_id : GenuineIntel\ncpu family : six\nmodel : -4\nstepping :\n\n";
	struct cpuinfo ci;
	parse_str(text, &ci);
	assert_int_equal(ci.n, 1);
	assert_int_equal(ci.cpus[0].processor, -1);
	assert_int_equal(ci.cpus[0].family, -1);
	assert_int_equal(ci.cpus[0].model, -1);
	assert_int_equal(ci.cpus[0].stepping, -1);
	assert_null(ci.cpus[0].model_name);
	assert_null(ci.cpus[0].flags);
	assert_null(cpuinfo_model_name(&ci));
	assert_int_equal(cpuinfo_count_flag(&ci, "vmx"), 0);
	cpuinfo_free(&ci);
}

static void test_vendor_from_later_cpu(void **state)
{
	(void)state;
	const char *text = "processor : 0\n\nprocessor : 1\nvendor_id : HygonGenuine\n"
	                   "model name : Hygon C86\n";
	struct cpuinfo ci;
	parse_str(text, &ci);
	assert_int_equal(ci.n, 2);
	assert_string_equal(cpuinfo_vendor(&ci), "HygonGenuine");
	assert_string_equal(cpuinfo_model_name(&ci), "Hygon C86");
	cpuinfo_free(&ci);
}

static void test_garbage_and_truncation(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "processor\t: 0\nvendor_id\t: AuthenticAMD\n");
	/* Binary junk: control bytes, high bytes, NUL bytes (which end lines). */
	static const char junk[] = { '\x01', '\x02', '\xff', '\xfe', '\0', '\x80', 'A', '\0',
		                         '\x7f', '\n', '\x1b', '[', '0', 'm', '\n' };
	buf_append(&b, junk, sizeof junk);
	buf_puts(&b, "flags\t\t: fpu svm lm\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\n");
	buf_puts(&b, "flags\t\t: fpu svm l"); /* truncated mid-line, no newline */
	buf_puts(&b, "\nmodel na");           /* and a truncated key */
	struct cpuinfo ci;
	cpuinfo_parse(b.data, b.len, &ci);
	assert_int_equal(ci.n, 2);
	/* "\x01\x02\xff\xfe", "\x80A", "\x7f", "\x1b[0m" and "model na" have no colon. */
	assert_int_equal(ci.skipped_lines, 5);
	assert_int_equal(cpuinfo_count_flag(&ci, "svm"), 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "lm"), 1);
	assert_int_equal(cpuinfo_count_flag(&ci, "l"), 1);
	assert_string_equal(ci.cpus[1].flags, "fpu svm l");
	cpuinfo_free(&ci);

	/* Pure noise of every byte value: no crash, no processors with data from nowhere. */
	buf_reset(&b);
	unsigned seed = 12345;
	for (int i = 0; i < 100000; i++) {
		seed = seed * 1103515245u + 12345u;
		char c = (char)(seed >> 16);
		buf_putc(&b, c == ':' ? 'x' : c);
	}
	cpuinfo_parse(b.data, b.len, &ci);
	assert_int_equal(ci.n, 0);
	assert_true(ci.skipped_lines > 0);
	cpuinfo_free(&ci);
	buf_free(&b);
}

static void test_not_nul_terminated(void **state)
{
	(void)state;
	/* The length is honoured: bytes past it are never read. */
	char text[] = "processor : 0\nflags : vmx\nprocessor : 1\nflags : vmx\n";
	size_t cut = strlen("processor : 0\nflags : vmx\nprocessor : 1\nflags : vm");
	char *copy = xmalloc(cut);
	memcpy(copy, text, cut);
	struct cpuinfo ci;
	cpuinfo_parse(copy, cut, &ci);
	assert_int_equal(ci.n, 2);
	assert_int_equal(cpuinfo_count_flag(&ci, "vmx"), 1);
	assert_int_equal(cpuinfo_count_flag(&ci, "vm"), 1);
	cpuinfo_free(&ci);
	free(copy);
}

static void test_empty(void **state)
{
	(void)state;
	struct cpuinfo ci;
	cpuinfo_parse("", 0, &ci);
	assert_int_equal(ci.n, 0);
	assert_int_equal(ci.skipped_lines, 0);
	assert_null(cpuinfo_vendor(&ci));
	assert_null(cpuinfo_model_name(&ci));
	assert_int_equal(cpuinfo_count_flag(&ci, "vmx"), 0);
	cpuinfo_free(&ci);
	cpuinfo_parse(NULL, 0, &ci);
	assert_int_equal(ci.n, 0);
	cpuinfo_free(&ci);
	parse_str("\n\n\r\n  \n", &ci);
	assert_int_equal(ci.n, 0);
	assert_int_equal(ci.skipped_lines, 0);
	cpuinfo_free(&ci);
	/* Only unknown keys: the block is dropped. */
	parse_str("bogomips : 1\ncpu MHz : 2\n\n", &ci);
	assert_int_equal(ci.n, 0);
	cpuinfo_free(&ci);
}

static void test_many_processors(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 1024; i++) {
		buf_printf(&b, "processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
		               "model\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Platinum 8280\n"
		               "stepping\t: 7\n", i);
		buf_puts(&b, "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca "
		             "cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall "
		             "nx pdpe1gb rdtscp lm constant_tsc vmx smx est avx512f avx512dq\n");
		if (i % 2)
			buf_puts(&b, "vmx flags\t: vnmi ept vpid\n");
		buf_puts(&b, "bogomips\t: 5400.00\n\n");
	}
	clock_t start = clock();
	struct cpuinfo ci;
	cpuinfo_parse(b.data, b.len, &ci);
	size_t vmx = cpuinfo_count_flag(&ci, "vmx");
	size_t ept = cpuinfo_count_flag(&ci, "ept");
	double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	assert_int_equal(ci.n, 1024);
	assert_int_equal(ci.cpus[1023].processor, 1023);
	assert_int_equal(vmx, 1024);
	assert_int_equal(ept, 512);
	assert_int_equal(ci.skipped_lines, 0);
	/* Generous enough for valgrind and sanitizers, tight enough to catch quadratic work. */
	assert_true(secs < 5.0);
	cpuinfo_free(&ci);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amd_sample),
		cmocka_unit_test(test_intel_sample),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_no_blank_line_between_blocks),
		cmocka_unit_test(test_flag_on_one_cpu),
		cmocka_unit_test(test_first_value_wins),
		cmocka_unit_test(test_missing_and_bad_numbers),
		cmocka_unit_test(test_vendor_from_later_cpu),
		cmocka_unit_test(test_garbage_and_truncation),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many_processors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
