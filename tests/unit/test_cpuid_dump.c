/* test_cpuid_dump.c: unit tests of the CPUID dump reader (libcpuid native and AIDA64 text). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cpuid_dump.h"
#include "util.h"

/* An Intel Core i7-4770 (Haswell) as libcpuid's cpuid_tool --save writes it (abridged). */
static const char native_intel[] =
	"version=0.6.2\n"
	"basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n"
	"basic_cpuid[1]=000306c3 00100800 7ffafbff bfebfbff\n"
	"basic_cpuid[2]=76036301 00f0b5ff 00000000 00c10000\n"
	"basic_cpuid[3]=00000000 00000000 00000000 00000000\n"
	"basic_cpuid[4]=1c004121 01c0003f 0000003f 00000000\n"
	"basic_cpuid[5]=00000040 00000040 00000003 00042120\n"
	"basic_cpuid[6]=00000077 00000002 00000009 00000000\n"
	"basic_cpuid[7]=00000000 000027ab 00000000 00000000\n"
	"basic_cpuid[13]=00000007 00000340 00000340 00000000\n"
	"ext_cpuid[0]=80000008 00000000 00000000 00000000\n"
	"ext_cpuid[1]=00000000 00000000 00000021 2c100800\n"
	"ext_cpuid[2]=65746e49 2952286c 726f4320 4d542865\n"
	"ext_cpuid[3]=37692029 3737342d 50432030 20402055\n"
	"ext_cpuid[4]=30342e33 007a4847 00000000 00000000\n"
	"ext_cpuid[8]=00003027 00000000 00000000 00000000\n"
	"intel_fn4[0]=1c004121 01c0003f 0000003f 00000000\n"
	"intel_fn4[1]=1c004122 01c0003f 0000003f 00000000\n"
	"intel_fn4[2]=1c004143 01c0003f 000001ff 00000000\n"
	"intel_fn4[3]=1c03c163 03c0003f 00001fff 00000006\n"
	"intel_fn11[0]=00000001 00000002 00000100 00000000\n"
	"intel_fn11[1]=00000004 00000008 00000201 00000000\n"
	"amd_fn80000026h[0]=00000000 00000000 00000000 00000000\n";

/* An AIDA64 / InstLatX64 dump with its summary section, two logical CPUs and MSRs. */
static const char aida_intel[] =
	"------[ Versions ]------\r\n"
	"\r\n"
	"Program Version : AIDA64 Extreme v6.25.5400\r\n"
	"Windows Version : Microsoft Windows 10 Pro 10.0.19041.450\r\n"
	"\r\n"
	"------[ Logical CPU #0 ]------\r\n"
	"\r\n"
	"CPU Type          : QuadCore Intel Core i7-4770, 3400 MHz (34 x 100)\r\n"
	"CPUID Manufacturer: GenuineIntel\r\n"
	"CPUID CPU Name    : Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz\r\n"
	"CPUID Revision    : 000306C3h\r\n"
	"Instruction Set   : x86, x86-64, MMX, SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, AVX, AVX2\r\n"
	"\r\n"
	"------[ CPUID Registers / Logical CPU #0 ]------\r\n"
	"\r\n"
	"CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69 [GenuineIntel]\r\n"
	"CPUID 00000001: 000306C3-00100800-7FFAFBFF-BFEBFBFF [SL 00]\r\n"
	"CPUID 00000004: 1C004121-01C0003F-0000003F-00000000 [SL 00]\r\n"
	"CPUID 00000004: 1C004122-01C0003F-0000003F-00000000 [SL 01]\r\n"
	"CPUID 00000004: 1C004143-01C0003F-000001FF-00000000 [SL 02]\r\n"
	"CPUID 0000000B: 00000001-00000002-00000100-00000000 [SL 00]\r\n"
	"CPUID 0000000B: 00000004-00000008-00000201-00000000 [SL 01]\r\n"
	"CPUID 40000000: 00000000-00000000-00000000-00000000\r\n"
	"CPUID 80000000: 80000008-00000000-00000000-00000000\r\n"
	"CPUID 80000001: 00000000-00000000-00000021-2C100800\r\n"
	"CPUID 80000002: 65746E49-2952286C-726F4320-4D542865\r\n"
	"\r\n"
	"------[ CPUID Registers / Logical CPU #1 ]------\r\n"
	"\r\n"
	"CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69 [GenuineIntel]\r\n"
	"CPUID 00000001: 000306C3-01100800-7FFAFBFF-BFEBFBFF [SL 00]\r\n"
	"CPUID 00000004: 11111111-22222222-33333333-44444444 [SL 01]\r\n";

static int parse_str(const char *text, struct cpu_raw_data_t *raw, char **error)
{
	return cpuid_dump_parse(text, strlen(text), raw, error);
}

static void test_native(void **state)
{
	(void)state;
	struct cpu_raw_data_t raw;
	char *error = (char *)"sentinel";
	assert_int_equal(parse_str(native_intel, &raw, &error), 0);
	assert_null(error);
	assert_int_equal(raw.basic_cpuid[0][0], 0x0000000d);
	assert_int_equal(raw.basic_cpuid[0][1], 0x756e6547);
	assert_int_equal(raw.basic_cpuid[0][2], 0x6c65746e);
	assert_int_equal(raw.basic_cpuid[0][3], 0x49656e69);
	assert_int_equal(raw.basic_cpuid[1][0], 0x000306c3);
	assert_int_equal(raw.basic_cpuid[1][2], 0x7ffafbff);
	assert_true(raw.basic_cpuid[1][2] & (1u << 5)); /* VMX */
	assert_int_equal(raw.basic_cpuid[13][0], 7);
	assert_int_equal(raw.basic_cpuid[12][0], 0); /* absent rows stay zero */
	assert_int_equal(raw.ext_cpuid[0][0], 0x80000008);
	assert_int_equal(raw.ext_cpuid[1][2], 0x00000021);
	assert_int_equal(raw.ext_cpuid[1][3], 0x2c100800);
	assert_int_equal(raw.ext_cpuid[8][0], 0x3027);
	assert_int_equal(raw.intel_fn4[1][0], 0x1c004122);
	assert_int_equal(raw.intel_fn4[3][3], 6);
	assert_int_equal(raw.intel_fn11[1][2], 0x201);
}

static void test_native_libcpuid_identifies(void **state)
{
	(void)state;
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str(native_intel, &raw, &error), 0);
	struct cpu_id_t id;
	memset(&id, 0, sizeof id);
	assert_int_equal(cpu_identify(&raw, &id), 0);
	assert_string_equal(id.vendor_str, "GenuineIntel");
	assert_int_equal(id.vendor, VENDOR_INTEL);
	assert_string_equal(id.brand_str, "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz");
	assert_true(id.flags[CPU_FEATURE_VMX]);
	assert_false(id.flags[CPU_FEATURE_SVM]);
#ifdef HAVE_STRUCT_CPU_ID_T_X86_EXT_FAMILY
	assert_int_equal(id.x86.family, 6);
	assert_int_equal(id.x86.ext_model, 60);
#else
	assert_int_equal(id.family, 6);
	assert_int_equal(id.ext_model, 60);
#endif
}

static void test_native_amd(void **state)
{
	(void)state;
	const char *text =
		"version=0.6.2\n"
		"basic_cpuid[0]=00000005 68747541 444d4163 69746e65\n"
		"basic_cpuid[1]=00100f91 00040800 00802009 178bfbff\n"
		"ext_cpuid[0]=8000001b 68747541 444d4163 69746e65\n"
		"ext_cpuid[1]=00100f91 00000000 000037ff efd3fbff\n"
		"ext_cpuid[2]=20444d41 6574704f 286e6f72 20296d74\n"
		"ext_cpuid[3]=636f7250 6f737365 31362072 00003437\n"
		"ext_cpuid[4]=00000000 00000000 00000000 00000000\n";
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str(text, &raw, &error), 0);
	assert_true(raw.ext_cpuid[1][2] & (1u << 2)); /* SVM */
	struct cpu_id_t id;
	memset(&id, 0, sizeof id);
	assert_int_equal(cpu_identify(&raw, &id), 0);
	assert_string_equal(id.vendor_str, "AuthenticAMD");
	assert_int_equal(id.vendor, VENDOR_AMD);
	assert_true(id.flags[CPU_FEATURE_SVM]);
	assert_string_equal(id.brand_str, "AMD Opteron(tm) Processor 6174");
}

static void test_aida(void **state)
{
	(void)state;
	struct cpu_raw_data_t raw;
	char *error = NULL;
	int rc = parse_str(aida_intel, &raw, &error);
	if (rc != 0)
		fail_msg("cpuid_dump_parse: %s", error);
	assert_null(error);
	assert_int_equal(raw.basic_cpuid[0][0], 0xd);
	assert_int_equal(raw.basic_cpuid[0][1], 0x756e6547);
	assert_int_equal(raw.basic_cpuid[1][0], 0x000306c3);
	assert_int_equal(raw.basic_cpuid[1][1], 0x00100800); /* CPU #0's, not CPU #1's */
	assert_true(raw.basic_cpuid[1][2] & (1u << 5));
	/* Subleaf 0 is both the basic row and the first subleaf row; later subleaves only the latter. */
	assert_int_equal(raw.basic_cpuid[4][0], 0x1c004121);
	assert_int_equal(raw.intel_fn4[0][0], 0x1c004121);
	assert_int_equal(raw.intel_fn4[1][0], 0x1c004122); /* not CPU #1's 11111111 */
	assert_int_equal(raw.intel_fn4[1][3], 0);
	assert_int_equal(raw.intel_fn4[2][2], 0x1ff);
	assert_int_equal(raw.basic_cpuid[11][0], 1);
	assert_int_equal(raw.intel_fn11[0][0], 1);
	assert_int_equal(raw.intel_fn11[1][0], 4);
	assert_int_equal(raw.ext_cpuid[0][0], 0x80000008);
	assert_int_equal(raw.ext_cpuid[1][3], 0x2c100800);
	assert_int_equal(raw.ext_cpuid[2][0], 0x65746e49);

	struct cpu_id_t id;
	memset(&id, 0, sizeof id);
	assert_int_equal(cpu_identify(&raw, &id), 0);
	assert_string_equal(id.vendor_str, "GenuineIntel");
}

static void test_aida_other_leaves(void **state)
{
	(void)state;
	const char *text =
		"CPUID 00000000: 00000014-68747541-444D4163-69746E65\n"
		"CPUID 00000012: 00000001-00000002-00000003-00000004 [SL 02]\n"
		"CPUID 00000014: 00000005-00000006-00000007-00000008 [SL 01]\n"
		"CPUID 0000001F: 0000001F-00000000-00000000-00000000\n"
		"CPUID 00000020: 00000020-00000000-00000000-00000000\n"
		"CPUID 8000001D: 00004121-01C0003F-0000003F-00000000 [SL 00]\n"
		"CPUID 8000001D: 00004122-01C0003F-0000003F-00000000 [SL 01]\n"
		"CPUID 8000001F: 0001000F-0000016F-000001FD-00000001\n"
		"CPUID 80000020: 12345678-00000000-00000000-00000000\n"
		"CPUID 00000004: 00000001-00000001-00000001-00000001 [SL 99]\n";
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str(text, &raw, &error), 0);
	assert_int_equal(raw.intel_fn12h[2][3], 4);
	assert_int_equal(raw.basic_cpuid[0x12][0], 0); /* only subleaf 0 fills the basic row */
	assert_int_equal(raw.intel_fn14h[1][0], 5);
	assert_int_equal(raw.basic_cpuid[31][0], 0x1f);
	assert_int_equal(raw.amd_fn8000001dh[0][0], 0x4121);
	assert_int_equal(raw.amd_fn8000001dh[1][0], 0x4122);
	assert_int_equal(raw.ext_cpuid[0x1d][0], 0x4121);
	assert_int_equal(raw.ext_cpuid[0x1f][0], 0x0001000f);
	/* Leaves beyond libcpuid's tables, and subleaves beyond them, are dropped quietly. */
	for (int i = 0; i < MAX_INTELFN4_LEVEL; i++)
		assert_int_equal(raw.intel_fn4[i][0], 0);
}

static void test_aida_stops_at_second_cpu_headers(void **state)
{
	(void)state;
	static const char *const headers[] = {
		"------[ CPUID Registers / Logical CPU #1 ]------",
		"------[ Logical CPU #1 ]------",
		"CPUID Registers (CPU #1)",
		"CPU#001 AffMask: 0x0000000000000002",
	};
	for (size_t i = 0; i < ARRAY_SIZE(headers); i++) {
		char *text = xasprintf("CPUID Registers (CPU #0)\n"
		                       "CPUID 00000000: 00000001-756E6547-6C65746E-49656E69\n"
		                       "CPUID 00000001: 000306C3-00100800-7FFAFBFF-BFEBFBFF\n"
		                       "%s\n"
		                       "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n"
		                       "CPUID 00000001: 11111111-00100800-7FFAFBFF-BFEBFBFF\n"
		                       "CPUID 00000002: malformed but never read\n",
		                       headers[i]);
		struct cpu_raw_data_t raw;
		char *error = NULL;
		assert_int_equal(parse_str(text, &raw, &error), 0);
		assert_int_equal(raw.basic_cpuid[0][0], 1);
		assert_int_equal(raw.basic_cpuid[1][0], 0x000306c3);
		free(text);
	}
}

static void test_native_multi_cpu(void **state)
{
	(void)state;
	const char *text =
		"version=0.6.2\n"
		"_________________ Logical CPU #0 _________________\n"
		"basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n"
		"basic_cpuid[1]=000306c3 00100800 7ffafbff bfebfbff\n"
		"_________________ Logical CPU #1 _________________\n"
		"basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n"
		"basic_cpuid[1]=000306c3 01100800 7ffafbff bfebfbff\n";
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str(text, &raw, &error), 0);
	assert_int_equal(raw.basic_cpuid[1][1], 0x00100800);
}

static void test_stops_at_dash_line(void **state)
{
	(void)state;
	/* A libcpuid .test file: the dump, 80 dashes, then the expected results. */
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n"
	             "basic_cpuid[1]=000306c3 00100800 7ffafbff bfebfbff\n");
	for (int i = 0; i < 80; i++)
		buf_putc(&b, '-');
	buf_puts(&b, "\ngeneral\n6\n15\n"
	             "basic_cpuid[1]=zz 00 00 00\n"
	             "basic_cpuid[2]=ffffffff ffffffff ffffffff ffffffff\n");
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(cpuid_dump_parse(b.data, b.len, &raw, &error), 0);
	assert_null(error);
	assert_int_equal(raw.basic_cpuid[1][0], 0x000306c3);
	assert_int_equal(raw.basic_cpuid[2][0], 0);
	/* The same for an AIDA64 dump. */
	buf_reset(&b);
	buf_puts(&b, "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n");
	for (int i = 0; i < 80; i++)
		buf_putc(&b, '-');
	buf_puts(&b, "\nCPUID 00000001: 000306C3-00100800-7FFAFBFF-BFEBFBFF\n");
	assert_int_equal(cpuid_dump_parse(b.data, b.len, &raw, &error), 0);
	assert_int_equal(raw.basic_cpuid[1][0], 0);
	buf_free(&b);
}

/* Parses a dump that has no usable leaf 0 and checks that it is refused for that. */
static void check_no_leaf0(const char *data, size_t len)
{
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(cpuid_dump_parse(data, len, &raw, &error), -1);
	assert_non_null(error);
	assert_non_null(strstr(error, "leaf 0"));
	free(error);
}

static void test_empty_and_garbage(void **state)
{
	(void)state;
	check_no_leaf0("", 0);
	check_no_leaf0(NULL, 0);
	static const char comment_only[] = "\n\n# just a comment\nversion=0.6.2\n";
	check_no_leaf0(comment_only, sizeof comment_only - 1);
	static const char garbage[] = "\x7f" "ELF\x02\x01\x01\0\0\0garbage\xff\xfe\n"
	                              "Hello, world!\nfoo[1]=bar\n= [ ]\nCPUID\nCPUID \n"
	                              "CPUID Manufacturer: GenuineIntel\n";
	check_no_leaf0(garbage, sizeof garbage - 1);
	/* A dump whose leaf 0 is all zero is as good as none. */
	static const char zero[] = "basic_cpuid[0]=00000000 00000000 00000000 00000000\n";
	check_no_leaf0(zero, sizeof zero - 1);
}

static void test_malformed_register(void **state)
{
	(void)state;
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str("version=0.6.2\nbasic_cpuid[1]=zz 00 00 00\n"
	                           "basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n",
	                           &raw, &error),
	                 -1);
	assert_non_null(error);
	assert_true(str_starts_with(error, "line 2: "));
	assert_non_null(strstr(error, "basic_cpuid[1]"));
	free(error);

	static const char *const bad[] = {
		"basic_cpuid[0]=0000000d 756e6547 6c65746e\n",            /* three registers */
		"basic_cpuid[0]=0000000d0 756e6547 6c65746e 49656e69\n",  /* nine digits */
		"basic_cpuid[0]=0000000d 756e6547 6c65746e 1ffffffff\n",  /* nine digits, last */
		"basic_cpuid[0]=0000000d,756e6547,6c65746e,49656e69\n",   /* wrong separator */
		"basic_cpuid[0]=\n",
		"basic_cpuid[x]=0000000d 756e6547 6c65746e 49656e69\n",   /* malformed index */
		"basic_cpuid[-1]=0000000d 756e6547 6c65746e 49656e69\n",
		"basic_cpuid[1 =0000000d 756e6547 6c65746e 49656e69\n",
		"basic_cpuid[1]x=0000000d 756e6547 6c65746e 49656e69\n",
		"CPUID 00000000: 0000000D-756E6547-6C65746E\n",
		"CPUID 00000000: 0000000D 756E6547 6C65746E 49656E69\n",
		"CPUID 00000000: 0000000D-756E6547-6C65746E-49656E690\n",
		"CPUID 000000000: 0000000D-756E6547-6C65746E-49656E69\n",
		"CPUID 00000004: 1C004121-01C0003F-0000003F-00000000 [SL zz]\n",
		"CPUID 00000004: 1C004121-01C0003F-0000003F-00000000 [SL ]\n",
		"CPUID 00000004: 1C004121-01C0003F-0000003F-00000000 [SL 123456789012345678]\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *text = xasprintf("# comment\n\n%s"
		                       "basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n",
		                       bad[i]);
		error = NULL;
		if (parse_str(text, &raw, &error) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(error);
		if (!str_starts_with(error, "line 3: "))
			fail_msg("%s -> %s", bad[i], error);
		free(error);
		free(text);
	}
}

static void test_index_out_of_range_ignored(void **state)
{
	(void)state;
	const char *text =
		"basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n"
		"basic_cpuid[99]=ffffffff ffffffff ffffffff ffffffff\n"
		"basic_cpuid[32]=ffffffff ffffffff ffffffff ffffffff\n"
		"intel_fn4[8]=ffffffff ffffffff ffffffff ffffffff\n"
		"basic_cpuid[31]=0000001f 00000000 00000000 00000000\n"
		"basic_cpuid[99999999999999999999]=1 2 3 4\n";
	struct cpu_raw_data_t raw;
	char *error = NULL;
	int rc = parse_str(text, &raw, &error);
	/* A 20-digit index does not fit: it is malformed rather than out of range. */
	assert_int_equal(rc, -1);
	assert_true(str_starts_with(error, "line 6: "));
	free(error);
	error = NULL;
	assert_int_equal(cpuid_dump_parse(text, strstr(text, "basic_cpuid[9999") - text, &raw, &error),
	                 0);
	assert_null(error);
	assert_int_equal(raw.basic_cpuid[31][0], 0x1f);
	for (int i = 0; i < MAX_INTELFN4_LEVEL; i++)
		assert_int_equal(raw.intel_fn4[i][0], 0);
}

static void test_unknown_keys_ignored(void **state)
{
	(void)state;
	const char *text =
		"version=0.7.0\n"
		"basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\n"
		"amd_fn80000026h[0]=00000000 00000000 00000000 00000000\n"
		"amd_fn80000026h[1]=not even hex\n"
		"arm_midr=410fd0c0\n"
		"some_future_table[3]=1 2 3 4\n"
		"note = [free text]\n";
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str(text, &raw, &error), 0);
	assert_null(error);
	assert_int_equal(raw.basic_cpuid[0][0], 0xd);
}

static void test_lenient_spacing(void **state)
{
	(void)state;
	const char *text =
		"  basic_cpuid[0]=0000000d\t756e6547  6c65746e 49656e69  \r\n"
		"basic_cpuid[1]=306c3 100800 7FFAFBFF bfebfbff\r\n"
		"CPUID 80000001:00000000-00000000-00000021-2C100800\r\n";
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(parse_str(text, &raw, &error), 0);
	assert_int_equal(raw.basic_cpuid[0][3], 0x49656e69);
	assert_int_equal(raw.basic_cpuid[1][0], 0x306c3);
	assert_int_equal(raw.basic_cpuid[1][2], 0x7ffafbff);
	assert_int_equal(raw.ext_cpuid[1][3], 0x2c100800);
}

static void test_not_nul_terminated(void **state)
{
	(void)state;
	/* The length is honoured; a NUL byte ends a line like a newline. */
	static const char text[] = "basic_cpuid[0]=0000000d 756e6547 6c65746e 49656e69\0"
	                           "basic_cpuid[1]=000306c3 00100800 7ffafbff bfebfbff";
	size_t len = sizeof text - 1 - strlen("fbff");
	char *copy = xmalloc(len);
	memcpy(copy, text, len);
	struct cpu_raw_data_t raw;
	char *error = NULL;
	assert_int_equal(cpuid_dump_parse(copy, len, &raw, &error), 0);
	assert_int_equal(raw.basic_cpuid[1][3], 0xbfeb);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native),
		cmocka_unit_test(test_native_libcpuid_identifies),
		cmocka_unit_test(test_native_amd),
		cmocka_unit_test(test_aida),
		cmocka_unit_test(test_aida_other_leaves),
		cmocka_unit_test(test_aida_stops_at_second_cpu_headers),
		cmocka_unit_test(test_native_multi_cpu),
		cmocka_unit_test(test_stops_at_dash_line),
		cmocka_unit_test(test_empty_and_garbage),
		cmocka_unit_test(test_malformed_register),
		cmocka_unit_test(test_index_out_of_range_ignored),
		cmocka_unit_test(test_unknown_keys_ignored),
		cmocka_unit_test(test_lenient_spacing),
		cmocka_unit_test(test_not_nul_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
