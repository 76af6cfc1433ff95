/* services.h: SysV and systemd service state read offline from the root (domain.md §1.6, §1.7). */
#ifndef KVMPREP_SERVICES_H
#define KVMPREP_SERVICES_H

#include <stdbool.h>

#include "host.h"

/* SysV (EL6): the init script and the /etc/rcN.d links, decided exactly as chkconfig does
 * (SVC-2: a level is on when the first [SK][0-9][0-9]NAME link of /etc/rcN.d starts with S). */
struct sysv_state {
	bool script;             /* /etc/rc.d/init.d/NAME (or /etc/init.d/NAME) exists */
	bool referenced;         /* some rc link exists (else "not referenced in any runlevel") */
	bool on[7];              /* runlevels 0..6 */
	int start_priority;      /* from the "# chkconfig: LEVELS START STOP" header, -1 if none */
	int stop_priority;
	char header_levels[8];   /* the header's levels ("345", or "-"), "" if none */
};
int sysv_state_read(struct host *h, const char *name, struct sysv_state *out);
/* The default runlevel from /etc/inittab ("id:3:initdefault:"), or -1. */
int sysv_default_runlevel(struct host *h);
/* The runlevel table as `chkconfig --list NAME` prints it (in C locale), malloc'ed:
 * "ksm            \t0:off\t1:off\t2:on\t3:on\t4:on\t5:on\t6:off". */
char *sysv_list_line(const char *name, const struct sysv_state *s);

enum unit_enablement {
	UNIT_NOT_FOUND,          /* no unit file */
	UNIT_ENABLED,            /* a .wants/ or .requires/ link of some target points at it */
	UNIT_DISABLED,           /* has an [Install] section, no link */
	UNIT_STATIC,             /* no [Install] section: cannot be enabled */
	UNIT_MASKED              /* /etc/systemd/system/UNIT (or /run/...) -> /dev/null */
};

struct unit_state {
	enum unit_enablement enablement;
	char *path;              /* host path of the unit file in use, or NULL */
	char *wanted_by;         /* the target of [Install] WantedBy= ("multi-user.target"), or NULL */
	bool condition_virtualization_no; /* [Unit] ConditionVirtualization=no (EL units, KSMS-1) */
	char *exec_start;        /* ExecStart= value, or NULL */
};
/* Looks the unit up in /etc/systemd/system, /run/systemd/system, /usr/lib/systemd/system and
 * /lib/systemd/system (first wins, /etc masks), then its enablement through the wants links. */
int unit_state_read(struct host *h, const char *unit, struct unit_state *out);
void unit_state_free(struct unit_state *u);
/* "enabled", "disabled", "static", "masked", "not-found" (never translated). */
const char *unit_enablement_word(enum unit_enablement e);

/* Whether a process with this pid runs (live: /proc/PID exists; in a snapshot: the same path
 * inside the root), and when comm is given, whether /proc/PID/comm names it. */
bool process_running(struct host *h, long pid, const char *comm);
/* The pid in a pid file ("1234\n"), or -1. */
long pidfile_read(struct host *h, const char *path);

#endif
