/* test_services.c: unit tests of the SysV and systemd service state, pid files and processes read from a root. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "services.h"

static int setup(void **state)
{
	*state = testlib_root_open("services");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	return testlib_root_close(*state);
}

/* A committed snapshot under $HOSTS (set by the Makefile). */
static struct host *open_snapshot(const char *name)
{
	const char *hosts = getenv("HOSTS");
	if (!hosts || !*hosts)
		fail_msg("HOSTS is not set (run through make check)");
	char *root = xasprintf("%s/%s", hosts, name);
	struct host *h = NULL;
	int rc = host_open(&h, root);
	if (rc != 0)
		fail_msg("host_open(%s) = %d", root, rc);
	free(root);
	return h;
}

static void assert_levels(const struct sysv_state *s, const char *want)
{
	for (int i = 0; i <= 6; i++)
		if (s->on[i] != (want[i] == '1'))
			fail_msg("runlevel %d is %s, want %s", i, s->on[i] ? "on" : "off", want[i] == '1' ? "on" : "off");
}

/* An EL6 layout: /etc/init.d -> rc.d/init.d, /etc/rcN.d -> rc.d/rcN.d, every level K16ksm. */
static void make_el6(struct test_root *fx)
{
	testlib_write(fx, "etc/rc.d/init.d/ksm",
	              "#!/bin/sh\n#\n# ksm           Kernel Samepage Merging\n#\n# chkconfig: 345 84 16\n"
	              "# description: The KSM init script starts and stops the ksm kernel thread.\n");
	testlib_write(fx, "etc/rc.d/init.d/ksmtuned", "#!/bin/bash\n#\n#\tchkconfig:   - 85 15\n");
	testlib_symlink(fx, "rc.d/init.d", "etc/init.d");
	for (int i = 0; i <= 6; i++) {
		char *dir = xasprintf("etc/rc.d/rc%d.d", i);
		char *link = xasprintf("etc/rc.d/rc%d.d/K16ksm", i);
		char *top = xasprintf("etc/rc%d.d", i);
		char *rel = xasprintf("rc.d/rc%d.d", i);
		testlib_mkdirs(fx, dir);
		testlib_symlink(fx, "../init.d/ksm", link);
		testlib_symlink(fx, rel, top);
		free(dir);
		free(link);
		free(top);
		free(rel);
	}
}

/* Turns K16ksm into S84ksm in the given levels, as `chkconfig ksm on` does. */
static void el6_on(struct test_root *fx, const char *levels)
{
	for (const char *p = levels; *p; p++) {
		char *k = xasprintf("etc/rc.d/rc%c.d/K16ksm", *p);
		char *s = xasprintf("etc/rc.d/rc%c.d/S84ksm", *p);
		char *kp = testlib_path(fx, k);
		assert_int_equal(unlink(kp), 0);
		testlib_symlink(fx, "../init.d/ksm", s);
		free(kp);
		free(k);
		free(s);
	}
}

/* ---- SysV ---- */

/* Reads the unit's state from the fixture root and checks its enablement. */
static void expect_enablement(struct test_root *fx, const char *unit, enum unit_enablement expected)
{
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, unit, &u), 0);
	assert_int_equal(u.enablement, expected);
	unit_state_free(&u);
}

static void test_sysv_all_off(void **state)
{
	struct test_root *fx = *state;
	make_el6(fx);
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "ksm", &s), 0);
	assert_true(s.script);
	assert_true(s.referenced);
	assert_levels(&s, "0000000");
	assert_string_equal(s.header_levels, "345");
	assert_int_equal(s.start_priority, 84);
	assert_int_equal(s.stop_priority, 16);
}

static void test_sysv_on_2345(void **state)
{
	struct test_root *fx = *state;
	make_el6(fx);
	el6_on(fx, "2345");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "ksm", &s), 0);
	assert_true(s.referenced);
	assert_levels(&s, "0011110");
	char *line = sysv_list_line("ksm", &s);
	assert_string_equal(line, "ksm            \t0:off\t1:off\t2:on\t3:on\t4:on\t5:on\t6:off");
	free(line);
}

static void test_sysv_first_link_wins(void **state)
{
	struct test_root *fx = *state;
	make_el6(fx);
	/* rc3: K16ksm and S84ksm: "K16ksm" sorts first, so off, as chkconfig's glob decides. */
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc3.d/S84ksm");
	/* rc4: K16ksm and S05ksm: 'K' < 'S', so any K link precedes any S link: off. */
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc4.d/S05ksm");
	/* rc5: two S links and no K link: on. */
	char *k5 = testlib_path(fx, "etc/rc.d/rc5.d/K16ksm");
	assert_int_equal(unlink(k5), 0);
	free(k5);
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc5.d/S84ksm");
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc5.d/S10ksm");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "ksm", &s), 0);
	assert_levels(&s, "0000010");
}

static void test_sysv_s_link_only(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "etc/init.d/ksm", "#!/bin/sh\n");
	/* /etc/init.d and /etc/rcN.d as plain directories; an S link alone is on. */
	testlib_symlink(fx, "../init.d/ksm", "etc/rc2.d/S84ksm");
	testlib_symlink(fx, "../init.d/ksm", "etc/rc2.d/a-file");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "ksm", &s), 0);
	assert_true(s.script);
	assert_int_equal(s.start_priority, -1);
	assert_int_equal(s.stop_priority, -1);
	assert_string_equal(s.header_levels, "");
	assert_levels(&s, "0010000");
}

static void test_sysv_exact_name(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "etc/rc.d/init.d/ksm", "#!/bin/sh\n# chkconfig: - 84 16\n");
	testlib_symlink(fx, "../init.d/ksmtuned", "etc/rc.d/rc3.d/S85ksmtuned");
	testlib_symlink(fx, "../init.d/ksmtuned", "etc/rc.d/rc3.d/S84ksmtuned");
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc3.d/S84ksm-foo");
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc3.d/S8ksm");
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc3.d/X84ksm");
	testlib_symlink(fx, "../init.d/ksm", "etc/rc.d/rc3.d/Sa4ksm");
	testlib_symlink(fx, "rc.d/rc3.d", "etc/rc3.d");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "ksm", &s), 0);
	assert_true(s.script);
	assert_false(s.referenced);
	assert_levels(&s, "0000000");
	assert_string_equal(s.header_levels, "-");
	assert_int_equal(s.start_priority, 84);
	/* ksmtuned itself sees its two links; S84ksmtuned sorts first. */
	assert_int_equal(sysv_state_read(fx->h, "ksmtuned", &s), 0);
	assert_false(s.script);
	assert_true(s.referenced);
	assert_levels(&s, "0001000");
}

static void test_sysv_not_referenced(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "etc/rc.d/init.d/ksm", "#!/bin/sh\n# chkconfig: 345 84 16\n");
	testlib_mkdirs(fx, "etc/rc.d/rc3.d");
	testlib_symlink(fx, "rc.d/rc3.d", "etc/rc3.d");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "ksm", &s), 0);
	assert_true(s.script);
	assert_false(s.referenced);
	assert_levels(&s, "0000000");
	char *line = sysv_list_line("ksm", &s);
	assert_string_equal(line, "ksm            \t0:off\t1:off\t2:off\t3:off\t4:off\t5:off\t6:off");
	free(line);
	/* Nothing at all. */
	assert_int_equal(sysv_state_read(fx->h, "nosuch", &s), 0);
	assert_false(s.script);
	assert_false(s.referenced);
	assert_int_equal(sysv_state_read(fx->h, "../ksm", &s), -EINVAL);
	assert_int_equal(sysv_state_read(fx->h, "", &s), -EINVAL);
}

static void test_sysv_bad_header(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "etc/init.d/a", "#!/bin/sh\n# chkconfig: 3x5 84 16\n");
	testlib_write(fx, "etc/init.d/b", "#!/bin/sh\n# chkconfig: 345 84\n");
	testlib_write(fx, "etc/init.d/c", "#!/bin/sh\necho '# chkconfig: 345 84 16'\n# chkconfig: 2345 10 90 extra\n");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(fx->h, "a", &s), 0);
	assert_string_equal(s.header_levels, "");
	assert_int_equal(s.start_priority, -1);
	assert_int_equal(sysv_state_read(fx->h, "b", &s), 0);
	assert_string_equal(s.header_levels, "");
	assert_int_equal(sysv_state_read(fx->h, "c", &s), 0);
	assert_string_equal(s.header_levels, "2345");
	assert_int_equal(s.start_priority, 10);
	assert_int_equal(s.stop_priority, 90);
}

static void test_list_line_format(void **state)
{
	(void)state;
	struct sysv_state s;
	memset(&s, 0, sizeof s);
	s.on[3] = s.on[4] = s.on[5] = true;
	char *line = sysv_list_line("ksm", &s);
	assert_string_equal(line, "ksm            \t0:off\t1:off\t2:off\t3:on\t4:on\t5:on\t6:off");
	free(line);
	/* A name of 15 or more characters is not cut and gets no padding. */
	memset(&s, 0, sizeof s);
	s.on[0] = s.on[6] = true;
	line = sysv_list_line("a-very-long-service-name", &s);
	assert_string_equal(line, "a-very-long-service-name\t0:on\t1:off\t2:off\t3:off\t4:off\t5:off\t6:on");
	free(line);
}

static void test_inittab(void **state)
{
	struct test_root *fx = *state;
	assert_int_equal(sysv_default_runlevel(fx->h), -1);
	testlib_write(fx, "etc/inittab", "# Default runlevel. The runlevels used are:\n"
	                                 "#   0 - halt (Do NOT set initdefault to this)\n"
	                                 "# id:5:initdefault:\n"
	                                 "\n"
	                                 "id:3:initdefault:\n"
	                                 "x:5:respawn:/etc/X11/prefdm -nodaemon\n");
	assert_int_equal(sysv_default_runlevel(fx->h), 3);
	testlib_write(fx, "etc/inittab", "# only comments\n#id:3:initdefault:\n");
	assert_int_equal(sysv_default_runlevel(fx->h), -1);
	testlib_write(fx, "etc/inittab", "si::sysinit:/etc/rc.d/rc.sysinit\nid:5:initdefault:");
	assert_int_equal(sysv_default_runlevel(fx->h), 5);
	testlib_write(fx, "etc/inittab", "id::initdefault:\n");
	assert_int_equal(sysv_default_runlevel(fx->h), -1);
}

/* ---- systemd ---- */

#define KSM_UNIT_EL                                                                   \
	"[Unit]\nDescription=Kernel Samepage Merging\nConditionPathExists=/sys/kernel/mm/ksm\n" \
	"ConditionVirtualization=no\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\n"       \
	"EnvironmentFile=-/etc/sysconfig/ksm\nExecStart=/usr/libexec/ksmctl start\n"         \
	"ExecStop=/usr/libexec/ksmctl stop\n\n[Install]\nWantedBy=multi-user.target\n"

static void test_unit_disabled(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", KSM_UNIT_EL);
	testlib_mkdirs(fx, "etc/systemd/system/multi-user.target.wants");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm.service", &u), 0);
	assert_int_equal(u.enablement, UNIT_DISABLED);
	assert_string_equal(unit_enablement_word(u.enablement), "disabled");
	assert_string_equal(u.path, "/usr/lib/systemd/system/ksm.service");
	assert_string_equal(u.wanted_by, "multi-user.target");
	assert_string_equal(u.exec_start, "/usr/libexec/ksmctl start");
	assert_true(u.condition_virtualization_no);
	unit_state_free(&u);
	/* Without the suffix. */
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_DISABLED);
	assert_string_equal(u.path, "/usr/lib/systemd/system/ksm.service");
	unit_state_free(&u);
}

static void test_unit_enabled_relative(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", KSM_UNIT_EL);
	testlib_symlink(fx, "../../../../usr/lib/systemd/system/ksm.service",
	                "etc/systemd/system/multi-user.target.wants/ksm.service");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_ENABLED);
	assert_string_equal(unit_enablement_word(u.enablement), "enabled");
	unit_state_free(&u);
}

static void test_unit_enabled_absolute(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", KSM_UNIT_EL);
	testlib_symlink(fx, "/usr/lib/systemd/system/ksm.service",
	                "etc/systemd/system/multi-user.target.wants/ksm.service");
	expect_enablement(fx, "ksm.service", UNIT_ENABLED);
	/* ksmtuned is not enabled by ksm's link. */
	testlib_write(fx, "usr/lib/systemd/system/ksmtuned.service", "[Service]\nExecStart=/usr/sbin/ksmtuned\n"
	                                                              "[Install]\nWantedBy=multi-user.target\n");
	expect_enablement(fx, "ksmtuned", UNIT_DISABLED);
}

static void test_unit_enabled_other_target(void **state)
{
	struct test_root *fx = *state;
	/* A link under a target the [Install] section does not name (enabled by hand). */
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", KSM_UNIT_EL);
	testlib_symlink(fx, "/usr/lib/systemd/system/ksm.service",
	                "etc/systemd/system/graphical.target.wants/ksm.service");
	struct unit_state u;
	expect_enablement(fx, "ksm", UNIT_ENABLED);
	/* A .requires link of the named RequiredBy= target, in the vendor directory. */
	testlib_write(fx, "usr/lib/systemd/system/x.service", "[Install]\nRequiredBy=basic.target\n");
	testlib_symlink(fx, "../x.service", "usr/lib/systemd/system/basic.target.requires/x.service");
	assert_int_equal(unit_state_read(fx->h, "x", &u), 0);
	assert_int_equal(u.enablement, UNIT_ENABLED);
	assert_null(u.wanted_by);
	unit_state_free(&u);
}

static void test_unit_masked(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", KSM_UNIT_EL);
	testlib_symlink(fx, "/usr/lib/systemd/system/ksm.service",
	                "etc/systemd/system/multi-user.target.wants/ksm.service");
	testlib_symlink(fx, "/dev/null", "etc/systemd/system/ksm.service");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_MASKED);
	assert_string_equal(unit_enablement_word(u.enablement), "masked");
	assert_string_equal(u.path, "/etc/systemd/system/ksm.service");
	unit_state_free(&u);
	/* Masked at runtime. */
	testlib_write(fx, "usr/lib/systemd/system/ksmtuned.service", "[Install]\nWantedBy=multi-user.target\n");
	testlib_symlink(fx, "/dev/null", "run/systemd/system/ksmtuned.service");
	assert_int_equal(unit_state_read(fx->h, "ksmtuned.service", &u), 0);
	assert_int_equal(u.enablement, UNIT_MASKED);
	assert_string_equal(u.path, "/run/systemd/system/ksmtuned.service");
	unit_state_free(&u);
	/* An empty unit file masks too (systemd's null_or_empty()). */
	testlib_write(fx, "usr/lib/systemd/system/x.service", "[Install]\nWantedBy=multi-user.target\n");
	testlib_write(fx, "etc/systemd/system/x.service", "");
	expect_enablement(fx, "x", UNIT_MASKED);
}

static void test_unit_static(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/ksm.service",
	              "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n");
	testlib_write(fx, "usr/lib/systemd/system/empty-install.service",
	              "[Service]\nExecStart=/bin/true\n[Install]\n# nothing\n");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_STATIC);
	assert_string_equal(unit_enablement_word(u.enablement), "static");
	assert_null(u.wanted_by);
	assert_false(u.condition_virtualization_no);
	assert_string_equal(u.exec_start, "/bin/true");
	unit_state_free(&u);
	expect_enablement(fx, "empty-install", UNIT_STATIC);
}

static void test_unit_not_found(void **state)
{
	struct test_root *fx = *state;
	testlib_mkdirs(fx, "usr/lib/systemd/system");
	testlib_mkdirs(fx, "etc/systemd/system/multi-user.target.wants");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_NOT_FOUND);
	assert_string_equal(unit_enablement_word(u.enablement), "not-found");
	assert_null(u.path);
	assert_null(u.wanted_by);
	assert_null(u.exec_start);
	unit_state_free(&u);
	assert_int_equal(unit_state_read(fx->h, "a/b", &u), -EINVAL);
	unit_state_free(&u);
}

static void test_unit_condition_virtualization(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/a.service", "[Unit]\nConditionVirtualization = no\n");
	testlib_write(fx, "usr/lib/systemd/system/b.service", "[Unit]\nConditionVirtualization=kvm\n");
	/* In another section the key means nothing. */
	testlib_write(fx, "usr/lib/systemd/system/c.service", "[Service]\nConditionVirtualization=no\n");
	testlib_write(fx, "usr/lib/systemd/system/d.service", "[Unit]\n#ConditionVirtualization=no\n");
	/* A drop-in that resets the conditions lets the unit run inside a VM. */
	testlib_write(fx, "usr/lib/systemd/system/e.service", "[Unit]\nConditionVirtualization=no\n");
	testlib_write(fx, "etc/systemd/system/e.service.d/override.conf", "[Unit]\nConditionVirtualization=\n");
	testlib_write(fx, "usr/lib/systemd/system/f.service", "[Unit]\nConditionVirtualization=!yes\n");
	static const struct {
		const char *unit;
		bool no;
	} cases[] = { { "a", true }, { "b", false }, { "c", false }, { "d", false }, { "e", false }, { "f", true } };
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct unit_state u;
		assert_int_equal(unit_state_read(fx->h, cases[i].unit, &u), 0);
		if (u.condition_virtualization_no != cases[i].no)
			fail_msg("%s: condition_virtualization_no is %d", cases[i].unit, u.condition_virtualization_no);
		assert_int_equal(u.enablement, UNIT_STATIC);
		unit_state_free(&u);
	}
}

static void test_unit_debian_lib(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "lib/systemd/system/ksm.service",
	              "[Unit]\nDescription=Kernel Samepage Merging\n[Service]\nType=oneshot\n"
	              "EnvironmentFile=-/etc/default/ksm\nExecStart=/usr/sbin/ksmctl start\n"
	              "[Install]\nWantedBy=multi-user.target\n");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_DISABLED);
	assert_string_equal(u.path, "/lib/systemd/system/ksm.service");
	assert_string_equal(u.exec_start, "/usr/sbin/ksmctl start");
	assert_false(u.condition_virtualization_no);
	unit_state_free(&u);
	testlib_symlink(fx, "/lib/systemd/system/ksm.service",
	                "etc/systemd/system/multi-user.target.wants/ksm.service");
	expect_enablement(fx, "ksm.service", UNIT_ENABLED);
}

static void test_unit_usrmerge(void **state)
{
	struct test_root *fx = *state;
	/* Debian 12: /lib -> usr/lib; both names reach the same file. */
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", "[Service]\nExecStart=/usr/sbin/ksmctl start\n"
	                                                         "[Install]\nWantedBy=multi-user.target\n");
	testlib_symlink(fx, "usr/lib", "lib");
	testlib_symlink(fx, "/lib/systemd/system/ksm.service",
	                "etc/systemd/system/multi-user.target.wants/ksm.service");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_ENABLED);
	assert_string_equal(u.path, "/usr/lib/systemd/system/ksm.service");
	unit_state_free(&u);
}

static void test_unit_etc_overrides(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "usr/lib/systemd/system/ksm.service", KSM_UNIT_EL);
	testlib_write(fx, "etc/systemd/system/ksm.service",
	              "[Unit]\nDescription=local copy\n[Service]\nExecStart=/usr/local/bin/ksmctl\\\n"
	              "  start\n");
	struct unit_state u;
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_string_equal(u.path, "/etc/systemd/system/ksm.service");
	assert_int_equal(u.enablement, UNIT_STATIC);
	assert_false(u.condition_virtualization_no);
	assert_string_equal(u.exec_start, "/usr/local/bin/ksmctl start");
	unit_state_free(&u);
	/* A drop-in replaces ExecStart after an empty assignment. */
	testlib_write(fx, "run/systemd/system/ksm.service.d/10-exec.conf",
	              "[Service]\nExecStart=\nExecStart=/opt/ksmctl start\n");
	assert_int_equal(unit_state_read(fx->h, "ksm", &u), 0);
	assert_string_equal(u.exec_start, "/opt/ksmctl start");
	unit_state_free(&u);
}

/* ---- pid files and processes ---- */

static void test_pidfile(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "var/run/ksmtune.pid", "1234\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/ksmtune.pid"), 1234);
	testlib_write(fx, "var/run/two.pid", " 77 78\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/two.pid"), 77);
	testlib_write(fx, "var/run/junk.pid", "abc\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/junk.pid"), -1);
	testlib_write(fx, "var/run/trail.pid", "12x\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/trail.pid"), -1);
	testlib_write(fx, "var/run/zero.pid", "0\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/zero.pid"), -1);
	testlib_write(fx, "var/run/neg.pid", "-5\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/neg.pid"), -1);
	testlib_write(fx, "var/run/empty.pid", "");
	assert_int_equal(pidfile_read(fx->h, "/var/run/empty.pid"), -1);
	testlib_write(fx, "var/run/huge.pid", "99999999999999999999\n");
	assert_int_equal(pidfile_read(fx->h, "/var/run/huge.pid"), -1);
	assert_int_equal(pidfile_read(fx->h, "/var/run/missing.pid"), -1);
}

static void test_process_running(void **state)
{
	struct test_root *fx = *state;
	testlib_write(fx, "proc/1234/comm", "ksmtuned\n");
	testlib_mkdirs(fx, "proc/99");
	testlib_write(fx, "proc/55/comm", "averyveryverylo\n");
	assert_true(process_running(fx->h, 1234, NULL));
	assert_true(process_running(fx->h, 1234, "ksmtuned"));
	assert_false(process_running(fx->h, 1234, "ksm"));
	assert_false(process_running(fx->h, 1234, "ksmtuned2"));
	assert_true(process_running(fx->h, 99, NULL));
	assert_false(process_running(fx->h, 99, "ksmtuned")); /* no comm to confirm it */
	assert_false(process_running(fx->h, 4321, NULL));
	assert_false(process_running(fx->h, 0, NULL));
	assert_false(process_running(fx->h, -1, NULL));
	/* The kernel keeps 15 characters of a command name. */
	assert_true(process_running(fx->h, 55, "averyveryverylongname"));
	/* A file is not a process. */
	testlib_write(fx, "proc/7", "");
	assert_false(process_running(fx->h, 7, NULL));
}

static void test_process_running_live(void **state)
{
	(void)state;
	struct host *h;
	assert_int_equal(host_open(&h, "/"), 0);
	char *comm = NULL;
	char *path = xasprintf("/proc/%ld/comm", (long)getpid());
	assert_int_equal(host_read_line(h, path, &comm), 0);
	assert_true(process_running(h, (long)getpid(), NULL));
	assert_true(process_running(h, (long)getpid(), comm));
	free(comm);
	free(path);
	host_close(h);
}

/* ---- the committed snapshots ---- */

static void test_hosts_centos6(void **state)
{
	(void)state;
	struct host *h = open_snapshot("centos6-amd");
	struct sysv_state s;
	assert_int_equal(sysv_state_read(h, "ksm", &s), 0);
	assert_true(s.script);
	assert_true(s.referenced);
	assert_levels(&s, "0000000");
	assert_string_equal(s.header_levels, "345");
	assert_int_equal(s.start_priority, 84);
	assert_int_equal(s.stop_priority, 16);
	char *line = sysv_list_line("ksm", &s);
	assert_string_equal(line, "ksm            \t0:off\t1:off\t2:off\t3:off\t4:off\t5:off\t6:off");
	free(line);
	assert_int_equal(sysv_state_read(h, "ksmtuned", &s), 0);
	assert_true(s.script);
	assert_true(s.referenced);
	assert_levels(&s, "0000000");
	assert_int_equal(s.start_priority, 85);
	assert_int_equal(s.stop_priority, 15);
	assert_int_equal(sysv_default_runlevel(h), 3);
	/* No systemd units on EL6. */
	struct unit_state u;
	assert_int_equal(unit_state_read(h, "ksm", &u), 0);
	assert_int_equal(u.enablement, UNIT_NOT_FOUND);
	unit_state_free(&u);
	host_close(h);
}

static void test_hosts_systemd(void **state)
{
	(void)state;
	static const struct {
		const char *host, *unit;
		enum unit_enablement want;
		const char *path;
		bool cond_virt_no;
	} cases[] = {
		{ "centos7-intel", "ksm.service", UNIT_DISABLED, "/usr/lib/systemd/system/ksm.service", true },
		{ "centos7-intel", "ksmtuned", UNIT_DISABLED, "/usr/lib/systemd/system/ksmtuned.service", true },
		{ "rocky9-intel-bls", "ksm.service", UNIT_DISABLED, "/usr/lib/systemd/system/ksm.service", true },
		{ "debian12-amd", "ksm.service", UNIT_ENABLED, "/lib/systemd/system/ksm.service", false },
		{ "debian12-amd", "ksmtuned.service", UNIT_ENABLED, "/lib/systemd/system/ksmtuned.service", false },
		{ "rocky9-vm-nonested", "ksm.service", UNIT_ENABLED, "/usr/lib/systemd/system/ksm.service", true },
		{ "rocky9-vm-nonested", "ksmtuned.service", UNIT_ENABLED, "/usr/lib/systemd/system/ksmtuned.service", true },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct host *h = open_snapshot(cases[i].host);
		struct unit_state u;
		assert_int_equal(unit_state_read(h, cases[i].unit, &u), 0);
		if (u.enablement != cases[i].want || u.condition_virtualization_no != cases[i].cond_virt_no)
			fail_msg("%s %s: %s, ConditionVirtualization=no %d", cases[i].host, cases[i].unit,
			         unit_enablement_word(u.enablement), u.condition_virtualization_no);
		assert_string_equal(u.path, cases[i].path);
		assert_string_equal(u.wanted_by, "multi-user.target");
		assert_non_null(u.exec_start);
		unit_state_free(&u);
		/* No SysV state on systemd hosts. */
		struct sysv_state s;
		assert_int_equal(sysv_state_read(h, "ksm", &s), 0);
		assert_false(s.script);
		assert_false(s.referenced);
		host_close(h);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sysv_all_off),
		T(test_sysv_on_2345),
		T(test_sysv_first_link_wins),
		T(test_sysv_s_link_only),
		T(test_sysv_exact_name),
		T(test_sysv_not_referenced),
		T(test_sysv_bad_header),
		cmocka_unit_test(test_list_line_format),
		T(test_inittab),
		T(test_unit_disabled),
		T(test_unit_enabled_relative),
		T(test_unit_enabled_absolute),
		T(test_unit_enabled_other_target),
		T(test_unit_masked),
		T(test_unit_static),
		T(test_unit_not_found),
		T(test_unit_condition_virtualization),
		T(test_unit_debian_lib),
		T(test_unit_usrmerge),
		T(test_unit_etc_overrides),
		T(test_pidfile),
		T(test_process_running),
		cmocka_unit_test(test_process_running_live),
		cmocka_unit_test(test_hosts_centos6),
		cmocka_unit_test(test_hosts_systemd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
