/* test_kernel_log.c: unit tests of the kernel log matcher: every era's VT/NX/hypervisor message. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kernel_log.h"
#include "util.h"

static void scan_str(const char *log, struct klog_hits *hits)
{
	kernel_log_scan(log, strlen(log), hits);
}

static size_t total(const struct klog_hits *hits)
{
	size_t n = 0;
	for (int i = 0; i < KLOG_EVENT_COUNT; i++)
		n += hits->count[i];
	return n;
}

static const struct {
	const char *line;
	enum klog_event event;
} eras[] = {
	/* RHEL 5/6 era kvm.ko */
	{ "kvm: disabled by bios", KLOG_VT_FIRMWARE_OFF },
	{ "kvm: no hardware support", KLOG_VT_UNSUPPORTED },
	/* 5.x/6.x kvm_x86 */
	{ "kvm: support for 'kvm_intel' disabled by bios", KLOG_VT_FIRMWARE_OFF },
	{ "kvm: no hardware support for 'kvm_amd'", KLOG_VT_UNSUPPORTED },
	{ "kvm: VMX is disabled on CPU 3", KLOG_VT_FIRMWARE_OFF },
	/* 6.x vendor modules */
	{ "kvm_intel: VMX not supported by CPU 0", KLOG_VT_UNSUPPORTED },
	{ "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0", KLOG_VT_FIRMWARE_OFF },
	{ "kvm_amd: SVM not supported by CPU 0, not amd or hygon", KLOG_VT_UNSUPPORTED },
	{ "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1", KLOG_VT_FIRMWARE_OFF },
	{ "has_svm: svm not available", KLOG_VT_UNSUPPORTED },
	{ "has_svm: not amd", KLOG_VT_UNSUPPORTED },
	/* arch/x86 feature control */
	{ "x86/cpu: VMX (outside TXT) disabled by BIOS", KLOG_VT_FIRMWARE_OFF },
	{ "kvm: NX (Execute Disable) not supported", KLOG_NX_MISSING },
	{ "Hypervisor detected: KVM", KLOG_HYPERVISOR },
};

static void test_each_era(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(eras); i++) {
		struct klog_hits hits;
		scan_str(eras[i].line, &hits);
		if (hits.count[eras[i].event] != 1 || total(&hits) != 1)
			fail_msg("\"%s\": expected only event %d, got %zu/%zu/%zu/%zu", eras[i].line,
			         (int)eras[i].event, hits.count[0], hits.count[1], hits.count[2],
			         hits.count[3]);
		assert_string_equal(hits.first[eras[i].event], eras[i].line);
		klog_hits_free(&hits);

		/* The same with a dmesg timestamp, a newline and another case. */
		char *stamped = xasprintf("[   12.345678] %s\n", eras[i].line);
		scan_str(stamped, &hits);
		assert_int_equal(hits.count[eras[i].event], 1);
		assert_string_equal(hits.first[eras[i].event], eras[i].line);
		klog_hits_free(&hits);
		free(stamped);
	}
}

static void test_case_insensitive(void **state)
{
	(void)state;
	struct klog_hits hits;
	scan_str("KVM: DISABLED BY BIOS\n", &hits);
	assert_int_equal(hits.count[KLOG_VT_FIRMWARE_OFF], 1);
	klog_hits_free(&hits);
}

static void test_hypervisor_name(void **state)
{
	(void)state;
	struct klog_hits hits;
	scan_str("[    0.000000] Linux version 5.14.0\n"
	         "[    0.000000] Hypervisor detected: KVM\n"
	         "[    0.000000] kvm-clock: Using msrs 4b564d01 and 4b564d00\n",
	         &hits);
	assert_int_equal(hits.count[KLOG_HYPERVISOR], 1);
	assert_string_equal(hits.first[KLOG_HYPERVISOR], "Hypervisor detected: KVM");
	char *name = klog_hypervisor_name(&hits);
	assert_string_equal(name, "KVM");
	free(name);
	assert_int_equal(hits.count[KLOG_VT_FIRMWARE_OFF], 0);
	klog_hits_free(&hits);

	scan_str("[    0.000000] Hypervisor detected: Microsoft Hyper-V  \r\n", &hits);
	name = klog_hypervisor_name(&hits);
	assert_string_equal(name, "Microsoft Hyper-V");
	free(name);
	klog_hits_free(&hits);

	scan_str("[    0.000000] Linux version 2.6.32\n", &hits);
	assert_null(klog_hypervisor_name(&hits));
	klog_hits_free(&hits);
}

static void test_non_matches(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"AMD-Vi disabled by default: pass amd_iommu=on to enable",
		"x2apic disabled by BIOS",
		"[    0.000000] x2apic: disabled by BIOS, switching to xAPIC",
		"ACPI: IVRS 00000000dfe8f290 0000D0 (v02 AMD    AMD IVRS 00000001 AMD  00000000)",
		"[    0.000000] DMAR: IOMMU disabled by BIOS",
		"[    1.234567] intel_iommu: no hardware support for queued invalidation",
		"[    0.523000] kvm-clock: cpu 0, msr 0:7ffd1001, primary cpu clock",
		"[    0.000000] NX (Execute Disable) protection: active",
		"[    0.000000] x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
		"[    3.000000] Booting paravirtualized kernel on KVM",
		"",
	};
	/* None of these is a VT, NX or hypervisor message (some are IOMMU messages, tested below). */
	static const enum klog_event cpu_events[] = { KLOG_VT_FIRMWARE_OFF, KLOG_VT_UNSUPPORTED, KLOG_NX_MISSING,
	                                              KLOG_HYPERVISOR };
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		struct klog_hits hits;
		scan_str(lines[i], &hits);
		for (size_t e = 0; e < ARRAY_SIZE(cpu_events); e++) {
			if (hits.count[cpu_events[e]] != 0)
				fail_msg("\"%s\" matched event %d", lines[i], (int)cpu_events[e]);
			assert_null(hits.first[cpu_events[e]]);
		}
		klog_hits_free(&hits);
	}
}

/* The IOMMU messages of every era (domain.md §2.2) map to their events, and only to them. */
static void test_iommu_events(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		enum klog_event event;
	} cases[] = {
		{ "ACPI: IVRS 00000000dfe8f290 000F8 (v01  AMD     RD890S 00202031 AMD  00000000)", KLOG_IVRS_TABLE },
		{ "[    0.000000] ACPI: DMAR 0x00000000BF78E0C0 0000F4 (v01 INTEL  HSW  00000001 INTL 00000001)",
		  KLOG_DMAR_TABLE },
		{ "[    0.010000] DMAR: Host address width 46", KLOG_DMAR_TABLE },
		{ "AMD-Vi disabled by default: pass amd_iommu=on to enable", KLOG_AMD_IOMMU_DEFAULT_OFF },
		{ "AMD-Vi: Enabling IOMMU at 0000:00:00.2 cap 0x40", KLOG_AMD_IOMMU_ACTIVE },
		{ "[    1.0] pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40", KLOG_AMD_IOMMU_ACTIVE },
		{ "AMD IOMMU: Enabling IOMMU at 0000:00:00.2 cap 0x40", KLOG_AMD_IOMMU_ACTIVE },
		{ "[    2.1] DMAR: Intel(R) Virtualization Technology for Directed I/O", KLOG_INTEL_IOMMU_ACTIVE },
		{ "PCI-DMA: Intel(R) Virtualization Technology for Directed I/O", KLOG_INTEL_IOMMU_ACTIVE },
		{ "AMD-Vi: Initialized for Passthrough Mode", KLOG_IOMMU_PASSTHROUGH },
		{ "iommu: Default domain type: Passthrough (set via kernel command line)", KLOG_IOMMU_PASSTHROUGH },
		{ "AMD-Vi disabled by kernel command line", KLOG_IOMMU_CMDLINE_OFF },
		{ "[    0.0] DMAR: IOMMU disabled", KLOG_IOMMU_CMDLINE_OFF },
		{ "[    0.9] AMD-Vi: Unknown option - 'on'", KLOG_AMD_UNKNOWN_OPTION },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct klog_hits hits;
		scan_str(cases[i].line, &hits);
		if (hits.count[cases[i].event] != 1)
			fail_msg("\"%s\" did not match event %d", cases[i].line, (int)cases[i].event);
		assert_int_equal(total(&hits), 1);
		klog_hits_free(&hits);
	}
	/* "iommu: Default domain type: Translated" is printed without any IOMMU: no event. */
	struct klog_hits hits;
	scan_str("iommu: Default domain type: Translated", &hits);
	assert_int_equal(total(&hits), 0);
	klog_hits_free(&hits);
}

static void test_first_and_counts(void **state)
{
	(void)state;
	const char *log =
		"[    0.000000] Linux version 2.6.32-754.el6.x86_64\n"
		"[   12.345] kvm: disabled by bios\n"
		"[   12.400000] kvm: disabled by bios\n"
		"[   13.000000] kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 1\n"
		"[   14.000000] kvm: no hardware support\n"
		"[   15.000000] kvm: disabled by bios\n";
	struct klog_hits hits;
	scan_str(log, &hits);
	assert_int_equal(hits.count[KLOG_VT_FIRMWARE_OFF], 4);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF], "kvm: disabled by bios");
	assert_int_equal(hits.count[KLOG_VT_UNSUPPORTED], 1);
	assert_string_equal(hits.first[KLOG_VT_UNSUPPORTED], "kvm: no hardware support");
	assert_int_equal(hits.count[KLOG_NX_MISSING], 0);
	assert_null(hits.first[KLOG_NX_MISSING]);
	assert_int_equal(hits.count[KLOG_HYPERVISOR], 0);
	klog_hits_free(&hits);
	for (int e = 0; e < KLOG_EVENT_COUNT; e++) {
		assert_int_equal(hits.count[e], 0);
		assert_null(hits.first[e]);
	}
	/* The first of different messages for one event is kept. */
	scan_str("[1.0] x86/cpu: VMX (outside TXT) disabled by BIOS\n[2.0] kvm: disabled by bios\n",
	         &hits);
	assert_int_equal(hits.count[KLOG_VT_FIRMWARE_OFF], 2);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF],
	                    "x86/cpu: VMX (outside TXT) disabled by BIOS");
	klog_hits_free(&hits);
}

static void test_timestamp_forms(void **state)
{
	(void)state;
	struct klog_hits hits;
	/* No timestamp, an unclosed bracket, a bracket that is not a timestamp. */
	scan_str("[12.3 kvm: disabled by bios", &hits);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF], "[12.3 kvm: disabled by bios");
	klog_hits_free(&hits);
	scan_str("[]kvm: disabled by bios", &hits);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF], "kvm: disabled by bios");
	klog_hits_free(&hits);
	scan_str("   kvm: disabled by bios   \r\n", &hits);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF], "kvm: disabled by bios");
	klog_hits_free(&hits);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char log[] = "[    0.000000] Linux\0\0\0 version\n"
	                          "\0\0\0\0garbage\0\n"
	                          "[   12.000000] kvm: no hardware support\n"
	                          "kvm\0: disabled by bios\n";
	struct klog_hits hits;
	kernel_log_scan(log, sizeof log - 1, &hits);
	assert_int_equal(hits.count[KLOG_VT_UNSUPPORTED], 1);
	assert_string_equal(hits.first[KLOG_VT_UNSUPPORTED], "kvm: no hardware support");
	assert_int_equal(hits.count[KLOG_VT_FIRMWARE_OFF], 1);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF], "kvm : disabled by bios");
	klog_hits_free(&hits);
	/* A log that is nothing but NUL bytes. */
	char zeros[4096];
	memset(zeros, 0, sizeof zeros);
	kernel_log_scan(zeros, sizeof zeros, &hits);
	assert_int_equal(total(&hits), 0);
	klog_hits_free(&hits);
}

static void test_no_trailing_newline(void **state)
{
	(void)state;
	static const char log[] = "[    0.000000] Linux version\n"
	                          "[   12.000000] kvm: NX (Execute Disable) not supported";
	/* Not NUL-terminated: the scanner must stop at len. */
	size_t len = sizeof log - 1;
	char *copy = xmalloc(len);
	memcpy(copy, log, len);
	struct klog_hits hits;
	kernel_log_scan(copy, len, &hits);
	assert_int_equal(hits.count[KLOG_NX_MISSING], 1);
	assert_string_equal(hits.first[KLOG_NX_MISSING], "kvm: NX (Execute Disable) not supported");
	klog_hits_free(&hits);
	free(copy);
}

static void test_empty_and_blank(void **state)
{
	(void)state;
	struct klog_hits hits;
	kernel_log_scan("", 0, &hits);
	assert_int_equal(total(&hits), 0);
	klog_hits_free(&hits);
	kernel_log_scan(NULL, 0, &hits);
	assert_int_equal(total(&hits), 0);
	klog_hits_free(&hits);
	scan_str("\n\n\n\r\n", &hits);
	assert_int_equal(total(&hits), 0);
	assert_null(klog_hypervisor_name(&hits));
	klog_hits_free(&hits);
}

static void test_long_log(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "[%5d.%06d] usb 1-1: new high-speed USB device number %d\n", i, i, i);
	buf_puts(&b, "[20000.000000] kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1\n");
	/* A single very long line of junk. */
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	buf_puts(&b, " has_svm: svm not available\n");
	struct klog_hits hits;
	kernel_log_scan(b.data, b.len, &hits);
	assert_int_equal(hits.count[KLOG_VT_FIRMWARE_OFF], 1);
	assert_string_equal(hits.first[KLOG_VT_FIRMWARE_OFF],
	                    "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1");
	assert_int_equal(hits.count[KLOG_VT_UNSUPPORTED], 1);
	klog_hits_free(&hits);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_era),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_hypervisor_name),
		cmocka_unit_test(test_non_matches),
		cmocka_unit_test(test_iommu_events),
		cmocka_unit_test(test_first_and_counts),
		cmocka_unit_test(test_timestamp_forms),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_long_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
