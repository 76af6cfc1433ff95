/* ksm.c: the KSM step: kernel support, run state, the ksm and ksmtuned services and their
 * autostart, ksmtuned's settings, what ksmtuned will do, its log, and the memory saved. */
#include "config.h"

#include "cpu_facts.h"
#include "i18n.h"
#include "ksmtuned_algo.h"
#include "ksmtuned_conf.h"
#include "ksmtuned_log.h"
#include "profile.h"
#include "run.h"
#include "services.h"
#include "steps.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KSM_DIR "/sys/kernel/mm/ksm"
#define KSMTUNED_CONF "/etc/ksmtuned.conf"
#define KSMTUNED_PIDFILE "/var/run/ksmtune.pid"
#define KSMTUNED_LOG_MAX_SAMPLES 1024
#define KSMTUNED_LOG_MAX_EVENTS 256
#define KSMTUNED_LOG_TAIL (8 * 1024 * 1024) /* bytes of a long log that check summarises */
#define PAGE_SIZE_X86 4096
#define RMAP_ITEM_SIZE 64

enum svc_kind { SVC_SYSV, SVC_SYSTEMD, SVC_NONE };

/* One of the two services, as found on this host. */
struct ksm_service {
	const char *name;         /* "ksm", "ksmtuned" */
	const char *unit;         /* "ksm.service", "ksmtuned.service" */
	bool installed;
	struct sysv_state sysv;
	struct unit_state unit_state;
	int running;              /* 1, 0, -1 unknown */
	bool skipped_in_vm;       /* ConditionVirtualization=no inside a VM */
	bool autostart;           /* SysV: on in 3, 4 and 5; systemd: enabled */
	const char *how;          /* evidence of the running state, for the detail */
};

struct ksm_facts {
	enum svc_kind kind;
	bool have_ksm;            /* /sys/kernel/mm/ksm/run */
	long long run;            /* -1 unknown */
	int default_runlevel;
	struct ksm_service ksm, ksmtuned;
	bool virtual_machine;
	const char *distro_package;
};

static long long read_ksm_value(struct check_ctx *ctx, const char *name, bool *present)
{
	char *path = xasprintf(KSM_DIR "/%s", name);
	char *line = NULL;
	long long v = -1;
	bool ok = host_read_line(ctx->host, path, &line) == 0 && str_parse_ll(line, &v);
	if (present)
		*present = ok;
	free(line);
	free(path);
	return ok ? v : -1;
}

/* "systemctl is-active UNIT" (the host layer's unit-active fact): 1 active, 0 not, -1 unknown. */
static int systemd_is_active(struct check_ctx *ctx, const char *unit)
{
	char *state = NULL;
	if (host_fact_unit_active(ctx->host, unit, &state) < 0)
		return -1;
	int active = strcmp(state, "active") == 0;
	free(state);
	return active;
}

/* A ksmtuned process in /proc (the host's, or the snapshot's proc/PID/comm). */
static bool ksmtuned_process(struct check_ctx *ctx)
{
	long pid = pidfile_read(ctx->host, KSMTUNED_PIDFILE);
	return pid > 0 && process_running(ctx->host, pid, "ksmtuned");
}

static const char *package_for(struct check_ctx *ctx)
{
	if (host_exists(ctx->host, "/etc/debian_version"))
		return "ksmtuned";
	const char *k = ctx->info.kernel;
	if (strstr(k, ".el8") || strstr(k, ".el9"))
		return "qemu-kvm-common";
	return "qemu-kvm";
}

static void service_gather(struct check_ctx *ctx, struct ksm_facts *kf, struct ksm_service *s)
{
	s->running = -1;
	if (kf->kind == SVC_SYSV) {
		sysv_state_read(ctx->host, s->name, &s->sysv);
		s->installed = s->sysv.script;
		s->autostart = s->sysv.on[3] && s->sysv.on[4] && s->sysv.on[5];
		if (strcmp(s->name, "ksm") == 0) {
			s->running = kf->run == 1 ? 1 : kf->run >= 0 ? 0 : -1;
			s->how = "/sys/kernel/mm/ksm/run";
		} else {
			s->running = ksmtuned_process(ctx);
			s->how = KSMTUNED_PIDFILE;
		}
		return;
	}
	unit_state_read(ctx->host, s->unit, &s->unit_state);
	s->installed = s->unit_state.enablement != UNIT_NOT_FOUND;
	s->autostart = s->unit_state.enablement == UNIT_ENABLED || s->unit_state.enablement == UNIT_STATIC;
	if (!s->installed)
		return;
	s->skipped_in_vm = kf->virtual_machine && s->unit_state.condition_virtualization_no;
	s->running = systemd_is_active(ctx, s->unit);
	s->how = "systemctl is-active";
	if (s->running < 0 && strcmp(s->name, "ksmtuned") == 0) {
		s->running = ksmtuned_process(ctx);
		s->how = KSMTUNED_PIDFILE;
	} else if (s->running < 0) {
		s->running = kf->run == 1 ? 1 : -1;
		s->how = "/sys/kernel/mm/ksm/run";
	}
}

static void facts_gather(struct check_ctx *ctx, struct ksm_facts *kf)
{
	memset(kf, 0, sizeof *kf);
	kf->ksm.name = "ksm";
	kf->ksm.unit = "ksm.service";
	kf->ksmtuned.name = "ksmtuned";
	kf->ksmtuned.unit = "ksmtuned.service";
	kf->run = read_ksm_value(ctx, "run", &kf->have_ksm);
	kf->virtual_machine = cpu_is_virtual(cpu_facts_get(ctx));
	kf->distro_package = package_for(ctx);
	if (strcmp(ctx->info.init, "systemd") == 0)
		kf->kind = SVC_SYSTEMD;
	else if (strcmp(ctx->info.init, "sysv") == 0)
		kf->kind = SVC_SYSV;
	else
		kf->kind = SVC_NONE;
	kf->default_runlevel = kf->kind == SVC_SYSV ? sysv_default_runlevel(ctx->host) : -1;
	if (kf->kind != SVC_NONE) {
		service_gather(ctx, kf, &kf->ksm);
		service_gather(ctx, kf, &kf->ksmtuned);
	}
}

static void facts_free(struct ksm_facts *kf)
{
	unit_state_free(&kf->ksm.unit_state);
	unit_state_free(&kf->ksmtuned.unit_state);
}

/* ---- findings ---- */

static void check_kernel_support(struct check_ctx *ctx, const struct ksm_facts *kf, struct finding_list *out)
{
	if (kf->have_ksm) {
		finding_add(out, "ksm.kernel_support", STATUS_OK, _("the running kernel has KSM (%s)"), KSM_DIR);
		return;
	}
	char *path = xasprintf("/boot/config-%s", ctx->info.kernel);
	struct buf config;
	buf_init(&config);
	int rc = strchr(ctx->info.kernel, '/') ? -EINVAL : host_read_file(ctx->host, path, 16 * 1024 * 1024, &config);
	struct finding *x;
	if (rc == 0 && (strstr(config.data, "\nCONFIG_KSM=y") || str_starts_with(config.data, "CONFIG_KSM=y"))) {
		x = finding_add(out, "ksm.kernel_support", STATUS_WARN,
		                _("the kernel is built with KSM, but %s is missing"), KSM_DIR);
		finding_set_hint(x, _("Mount sysfs (/sys) or boot the kernel the configuration belongs to."));
	} else if (rc == 0 && strstr(config.data, "# CONFIG_KSM is not set")) {
		x = finding_add(out, "ksm.kernel_support", STATUS_FAIL, _("kernel built without KSM (CONFIG_KSM)"));
		finding_set_hint(x, _("Boot a distribution kernel: they all enable CONFIG_KSM."));
	} else {
		finding_add(out, "ksm.kernel_support", STATUS_SKIP, _("cannot tell: no %s and no %s"), KSM_DIR, path);
	}
	buf_free(&config);
	free(path);
}

static void check_running(const struct ksm_facts *kf, struct finding_list *out)
{
	struct finding *x;
	if (!kf->have_ksm) {
		finding_add(out, "ksm.running", STATUS_SKIP, _("no %s/run"), KSM_DIR);
		return;
	}
	switch (kf->run) {
	case 1:
		x = finding_add(out, "ksm.running", STATUS_OK, _("ksmd is merging pages (run=1)"));
		break;
	case 0:
		if (kf->ksm.skipped_in_vm) {
			x = finding_add(out, "ksm.running", STATUS_INFO,
			                _("run=0: the KSM units skip this virtual machine (ConditionVirtualization=no)"));
		} else if (kf->ksmtuned.running == 1) {
			x = finding_add(out, "ksm.running", STATUS_OK,
			                _("run=0 while ksmtuned runs: memory is plentiful, so ksmtuned keeps KSM off"));
		} else {
			x = finding_add(out, "ksm.running", STATUS_WARN, _("KSM is stopped (run=0)"));
			finding_set_fix(x, "ksm.service");
			if (kf->kind == SVC_NONE)
				finding_set_hint(x, _("No systemd or SysV init manages services here (a container or a "
				                      "minimal VM): 'echo 1 > %s/run' starts KSM until the next boot."),
				                 KSM_DIR);
			else if (kf->ksm.installed)
				finding_set_hint(x, _("Start the ksm and ksmtuned services ('kvmprep apply' does it)."));
			else
				finding_set_hint(x, _("Install the package %s, which provides the ksm and ksmtuned services; "
				                      "'kvmprep apply' then starts them."), kf->distro_package);
		}
		break;
	case 2:
		x = finding_add(out, "ksm.running", STATUS_WARN, _("KSM is stopped and every merged page was unmerged (run=2)"));
		finding_set_fix(x, "ksm.service");
		break;
	default:
		x = finding_add(out, "ksm.running", STATUS_WARN, _("%s/run holds an unexpected value"), KSM_DIR);
		break;
	}
	finding_add_detail(x, _("run: 0 stops ksmd and keeps merged pages, 1 runs it, 2 stops it and unmerges everything."));
}

static void missing_service(const struct ksm_facts *kf, const struct ksm_service *s, const char *id,
                            struct finding_list *out)
{
	struct finding *x = finding_add(out, id, STATUS_WARN, _("the %s service is not installed"), s->name);
	finding_set_hint(x, _("Install the package %s (it provides ksm and ksmtuned)."), kf->distro_package);
}

/* The findings every service check shares: no init system known, or no service installed.
 * Returns true when it added one of them. */
static bool service_unknown(const struct ksm_facts *kf, const struct ksm_service *s, const char *id,
                            struct finding_list *out)
{
	if (kf->kind == SVC_NONE) {
		finding_add(out, id, STATUS_SKIP, _("cannot tell: neither systemd nor SysV init was found"));
		return true;
	}
	if (!s->installed) {
		missing_service(kf, s, id, out);
		return true;
	}
	return false;
}

static void check_service(const struct ksm_facts *kf, const struct ksm_service *s, const char *id,
                          struct finding_list *out)
{
	if (service_unknown(kf, s, id, out))
		return;
	struct finding *x;
	if (s->skipped_in_vm && s->running != 1) {
		x = finding_add(out, id, STATUS_INFO, _("%s is not running: its unit skips virtual machines"), s->unit);
		finding_add_detail(x, _("The unit says ConditionVirtualization=no, so systemd skips it inside a VM. That "
		                        "is no failure: KSM is meant for the host that runs the guests."));
		return;
	}
	if (s->running == 1) {
		x = finding_add(out, id, STATUS_OK, _("%s is running"), s->name);
	} else if (s->running == 0 && strcmp(s->name, "ksm") == 0 && kf->kind == SVC_SYSV &&
	           kf->ksmtuned.running == 1) {
		x = finding_add(out, id, STATUS_OK, _("ksm is controlled by ksmtuned (run=0 now)"));
		finding_add_detail(x, _("'service ksm status' says \"not running\" whenever ksmtuned has set run=0."));
	} else if (s->running == 0) {
		x = finding_add(out, id, STATUS_WARN, _("%s is stopped"), s->name);
		finding_set_fix(x, "ksm.service");
		finding_set_hint(x, kf->kind == SVC_SYSV ? _("Run 'service %s start' ('kvmprep apply' does it).")
		                                          : _("Run 'systemctl start %s' ('kvmprep apply' does it)."),
		                 kf->kind == SVC_SYSV ? s->name : s->unit);
	} else {
		x = finding_add(out, id, STATUS_SKIP, _("cannot tell whether %s runs"), s->name);
	}
	if (s->how)
		finding_add_detail(x, _("From: %s."), s->how);
}

static void check_autostart(const struct ksm_facts *kf, const struct ksm_service *s, const char *id,
                            struct finding_list *out)
{
	if (service_unknown(kf, s, id, out))
		return;
	struct finding *x;
	if (kf->kind == SVC_SYSV) {
		char *line = sysv_list_line(s->name, &s->sysv);
		if (s->autostart) {
			x = finding_add(out, id, STATUS_OK, _("%s starts at boot (runlevels 3, 4, 5)"), s->name);
		} else {
			x = finding_add(out, id, STATUS_WARN, _("%s does not start at boot"), s->name);
			finding_set_fix(x, "ksm.autostart");
			finding_set_hint(x, _("Run 'chkconfig %s on' ('kvmprep apply' does it)."), s->name);
		}
		finding_add_detail(x, "%s", line);
		if (kf->default_runlevel >= 0)
			finding_add_detail(x, _("Default runlevel (/etc/inittab): %d."), kf->default_runlevel);
		free(line);
		return;
	}
	switch (s->unit_state.enablement) {
	case UNIT_ENABLED:
		x = finding_add(out, id, STATUS_OK, _("%s starts at boot (enabled)"), s->unit);
		break;
	case UNIT_STATIC:
		x = finding_add(out, id, STATUS_INFO, _("%s is static: another unit starts it"), s->unit);
		break;
	case UNIT_MASKED:
		x = finding_add(out, id, STATUS_WARN, _("%s is masked: it cannot start at all"), s->unit);
		finding_set_hint(x, _("Unmask it first ('systemctl unmask %s'); kvmprep does not unmask units."), s->unit);
		break;
	default:
		x = finding_add(out, id, STATUS_WARN, _("%s does not start at boot (disabled)"), s->unit);
		finding_set_fix(x, "ksm.autostart");
		finding_set_hint(x, _("Run 'systemctl enable %s' ('kvmprep apply' does it)."), s->unit);
		break;
	}
	if (s->unit_state.path)
		finding_add_detail(x, _("Unit file: %s."), s->unit_state.path);
	if (s->skipped_in_vm)
		finding_add_detail(x, _("Inside this VM the unit's ConditionVirtualization=no skips it at boot."));
}

static void read_conf(struct check_ctx *ctx, struct ksmtuned_conf *conf, bool *present)
{
	struct buf text;
	buf_init(&text);
	*present = host_read_file(ctx->host, KSMTUNED_CONF, 1024 * 1024, &text) == 0;
	ksmtuned_conf_parse(text.data ? text.data : "", text.len, conf);
	buf_free(&text);
}

static void check_config(const struct ksm_facts *kf, const struct ksmtuned_conf *conf, bool present,
                         struct finding_list *out)
{
	struct finding *x;
	if (!present) {
		if (kf->ksmtuned.installed)
			finding_add(out, "ksmtuned.config", STATUS_INFO, _("no %s: ksmtuned uses its defaults"), KSMTUNED_CONF);
		else
			finding_add(out, "ksmtuned.config", STATUS_SKIP, _("no %s (ksmtuned is not installed)"), KSMTUNED_CONF);
		return;
	}
	if (conf->n_problems) {
		x = finding_add(out, "ksmtuned.config", STATUS_WARN, _("%s has %zu problem(s)"), KSMTUNED_CONF, conf->n_problems);
		for (size_t i = 0; i < conf->n_problems; i++)
			finding_add_detail(x, "%s:%zu: %s", KSMTUNED_CONF, conf->problems[i].line, conf->problems[i].message);
		finding_set_hint(x, _("ksmtuned sources this file with bash as root: fix these lines by hand. kvmprep only "
		                      "writes plain KEY=integer lines into it."));
	} else {
		x = finding_add(out, "ksmtuned.config", STATUS_OK, _("%s is valid"), KSMTUNED_CONF);
	}
	struct ksmtuned_params p;
	ksmtuned_conf_effective(conf, &p);
	finding_add_detail(x, _("In force: MONITOR_INTERVAL=%lld s, SLEEP_MSEC=%lld, NPAGES %lld..%lld (boost %lld, decay "
	                        "%lld), THRES_COEF=%lld %%, THRES_CONST=%lld kB%s%s."),
	                   p.monitor_interval, p.sleep_msec, p.npages_min, p.npages_max, p.boost, p.decay, p.thres_coef,
	                   p.thres_const, conf->debug ? _(", debug log to ") : "",
	                   conf->debug ? (conf->logfile ? conf->logfile : _("the journal")) : "");
}

/* What ksmtuned will do on this host (domain.md §1.4), and what its log shows. */
static void check_tuning(struct check_ctx *ctx, const struct ksmtuned_conf *conf, bool present,
                         struct finding_list *out)
{
	if (ctx->info.mem_total_kib <= 0) {
		finding_add(out, "ksmtuned.tuning", STATUS_SKIP, _("cannot tell without /proc/meminfo"));
		return;
	}
	struct ksmtuned_params p;
	ksmtuned_conf_effective(conf, &p);
	struct ksmtuned_state st;
	ksmtuned_init(&p, ctx->info.mem_total_kib, &st);
	/* Without its configuration ksmtuned is not installed: what its defaults would do. */
	struct finding *x = finding_add(out, "ksmtuned.tuning", STATUS_INFO,
	                                present ? _("ksmtuned starts KSM when free memory falls below %.1f GiB or guests "
	                                            "use more than %.1f GiB; it then scans %lld to %lld pages every %lld ms")
	                                        : _("ksmtuned is not installed; with its defaults it would start KSM when "
	                                            "free memory falls below %.1f GiB or guests use more than %.1f GiB, "
	                                            "then scan %lld to %lld pages every %lld ms"),
	                                (double)st.thres / 1048576.0, (double)(st.total - st.thres) / 1048576.0,
	                                p.npages_min, p.npages_max, st.sleep);
	finding_add_detail(x, _("MemTotal %lld kB: threshold %lld kB (%lld %% or at least %lld kB), sleep %lld ms."),
	                   st.total, st.thres, p.thres_coef, p.thres_const, st.sleep);
	if (host_exists(ctx->host, "/etc/debian_version"))
		finding_add_detail(x, _("On Debian and Ubuntu, ksmtuned counts only qemu-system processes started with "
		                        "-enable-kvm; guests started by libvirt are not counted, so KSM starts only when "
		                        "free memory runs low."));
	/* The configured log, else the guide's usual place if an earlier run left one there. */
	const char *logfile = conf->logfile ? conf->logfile : "/var/log/ksmtuned";
	{
		int fd = host_open_file(ctx->host, logfile, O_RDONLY | O_NONBLOCK, 0);
		struct stat fst;
		if (fd >= 0 && (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode))) {
			close(fd); /* never read a FIFO or a device as a log */
			fd = -1;
		}
		if (fd >= 0) {
			/* check summarises the recent past only: a log of years would cost a check
			 * seconds; the wizard's chart reads all of it. */
			bool tail = fst.st_size > KSMTUNED_LOG_TAIL;
			if (tail && lseek(fd, fst.st_size - KSMTUNED_LOG_TAIL, SEEK_SET) < 0)
				tail = false;
			struct ksmtuned_log log;
			ksmtuned_log_init(&log, KSMTUNED_LOG_MAX_SAMPLES, KSMTUNED_LOG_MAX_EVENTS);
			char chunk[65536];
			ssize_t n;
			bool first = tail;
			while ((n = read(fd, chunk, sizeof chunk)) > 0) {
				const char *from = chunk;
				size_t len = (size_t)n;
				if (first) { /* skip the line the seek landed in */
					const char *nl = memchr(chunk, '\n', len);
					if (!nl)
						continue;
					len -= (size_t)(nl + 1 - chunk);
					from = nl + 1;
					first = false;
				}
				ksmtuned_log_feed(&log, from, len);
			}
			ksmtuned_log_finish(&log);
			close(fd);
			finding_add_detail(x, tail ? _("Log %s (its last 8 MiB): %zu cycles, KSM started %zu and stopped %zu times%s.")
			                           : _("Log %s: %zu cycles, KSM started %zu and stopped %zu times%s."),
			                   logfile, log.cycles, log.starts, log.stops,
			                   log.junk_lines ? _(", some lines unreadable") : "");
			ksmtuned_log_free(&log);
		}
	}
}

long long ksm_saved_bytes(struct check_ctx *ctx)
{
	bool has_zero;
	long long sharing = read_ksm_value(ctx, "pages_sharing", NULL);
	long long zero = read_ksm_value(ctx, "ksm_zero_pages", &has_zero);
	if (sharing < 0)
		return -1;
	long long page = host_is_live(ctx->host) ? sysconf(_SC_PAGESIZE) : PAGE_SIZE_X86;
	return (sharing + (has_zero ? zero : 0)) * (page > 0 ? page : PAGE_SIZE_X86);
}

static void check_savings(struct check_ctx *ctx, const struct ksm_facts *kf, struct finding_list *out)
{
	if (!kf->have_ksm) {
		finding_add(out, "ksm.savings", STATUS_SKIP, _("no %s"), KSM_DIR);
		return;
	}
	bool has_zero, has_profit;
	long long shared = read_ksm_value(ctx, "pages_shared", NULL);
	long long sharing = read_ksm_value(ctx, "pages_sharing", NULL);
	long long unshared = read_ksm_value(ctx, "pages_unshared", NULL);
	long long volatile_pages = read_ksm_value(ctx, "pages_volatile", NULL);
	long long zero = read_ksm_value(ctx, "ksm_zero_pages", &has_zero);
	long long profit = read_ksm_value(ctx, "general_profit", &has_profit);
	if (shared < 0 || sharing < 0) {
		finding_add(out, "ksm.savings", STATUS_SKIP, _("pages_shared/pages_sharing are not readable"));
		return;
	}
	long long page = host_is_live(ctx->host) ? sysconf(_SC_PAGESIZE) : PAGE_SIZE_X86;
	if (page <= 0)
		page = PAGE_SIZE_X86;
	long long saved = ksm_saved_bytes(ctx);
	(void)zero;
	struct finding *x = finding_add(out, "ksm.savings", STATUS_INFO, _("KSM saves %.1f MiB now"),
	                                (double)saved / 1048576.0);
	if (shared > 0)
		finding_add_detail(x, _("Sharing ratio %.1f (pages_sharing/pages_shared); %.1f MiB hold the shared pages."),
		                   (double)sharing / (double)shared, (double)(shared * page) / 1048576.0);
	if (sharing > 0 && unshared >= 0)
		finding_add_detail(x, _("Wasted scanning: %.1f unshared pages per sharing page."),
		                   (double)unshared / (double)sharing);
	if (has_profit)
		finding_add_detail(x, _("general_profit: %lld bytes (net, after KSM's own metadata)."), profit);
	else if (unshared >= 0 && volatile_pages >= 0)
		finding_add_detail(x, _("Net profit approx. %.1f MiB (after KSM's own metadata)."),
		                   (double)(saved - (sharing + shared + unshared + volatile_pages) * RMAP_ITEM_SIZE) /
		                           1048576.0);
}

void step_ksm_check(struct check_ctx *ctx, struct finding_list *out)
{
	struct ksm_facts kf;
	facts_gather(ctx, &kf);
	check_kernel_support(ctx, &kf, out);
	check_running(&kf, out);
	check_service(&kf, &kf.ksm, "ksm.service", out);
	check_autostart(&kf, &kf.ksm, "ksm.autostart", out);
	check_service(&kf, &kf.ksmtuned, "ksmtuned.service", out);
	check_autostart(&kf, &kf.ksmtuned, "ksmtuned.autostart", out);
	struct ksmtuned_conf conf;
	bool conf_present;
	read_conf(ctx, &conf, &conf_present);
	check_config(&kf, &conf, conf_present, out);
	check_tuning(ctx, &conf, conf_present, out);
	ksmtuned_conf_free(&conf);
	check_savings(ctx, &kf, out);
	facts_free(&kf);
}

/* ---- plan ---- */

static bool want(const struct profile_flag *f)
{
	return !f->set || f->value; /* absent: the guide's default, yes */
}

static void plan_autostart(const struct ksm_facts *kf, const struct profile *prof, struct plan *plan)
{
	struct action *a = plan_add(plan, "ksm.autostart", _("Start ksm and ksmtuned at boot"));
	struct ksm_service *svcs[2] = { (struct ksm_service *)&kf->ksm, (struct ksm_service *)&kf->ksmtuned };
	bool wanted[2] = { want(&prof->ksm_enable) && want(&prof->ksm_autostart),
	                   want(&prof->ksmtuned_enable) && want(&prof->ksmtuned_autostart) };
	for (int i = 0; i < 2; i++) {
		const struct ksm_service *s = svcs[i];
		if (!wanted[i] || !s->installed || s->autostart)
			continue;
		if (kf->kind == SVC_SYSV) {
			action_add_command(a, "chkconfig", s->name, "on", NULL);
			action_add_undo_command(a, "chkconfig", s->name, "off", NULL);
		} else if (s->unit_state.enablement == UNIT_DISABLED) {
			action_add_command(a, "systemctl", "enable", s->unit, NULL);
			action_add_undo_command(a, "systemctl", "disable", s->unit, NULL);
		} else if (s->unit_state.enablement == UNIT_MASKED) {
			action_add_manual(a, _("%s is masked; run 'systemctl unmask %s' first if you want it."), s->unit, s->unit);
		}
	}
	if (kf->kind == SVC_NONE)
		action_add_manual(a, _("Neither systemd nor SysV init was found: enable ksm and ksmtuned by hand."));
	if (!kf->ksm.installed || !kf->ksmtuned.installed)
		action_add_manual(a, _("Install the package %s first."), kf->distro_package);
	if (action_is_empty(a)) {
		a->status = a->manual.n ? ACTION_MANUAL : ACTION_UNCHANGED;
		action_set_message(a, a->manual.n ? _("needs the admin") : _("already enabled, or not selected"));
	}
}

/* ksmtuned settings from the profile, written into ksmtuned.conf (KSMT-8). */
static void plan_settings(struct check_ctx *ctx, const struct ksm_facts *kf, const struct profile *prof,
                          struct plan *plan)
{
	struct action *a = plan_add(plan, "ksmtuned.config", _("ksmtuned settings from the profile"));
	struct buf old, text, next; /* the file as it is, as the profile wants it, one edit's result */
	buf_init(&old);
	buf_init(&text);
	buf_init(&next);
	bool present = host_read_file(ctx->host, KSMTUNED_CONF, 1024 * 1024, &old) == 0;
	buf_append(&text, old.data ? old.data : "", old.len);
	bool changed = false, refused = false;
	for (int k = 0; k < KSMT_KEY_COUNT && !refused; k++) {
		char value[32];
		const char *v = NULL;
		if (k < PROF_KSMTUNED_KEY_COUNT && prof->ksmtuned_set[k]) {
			snprintf(value, sizeof value, "%lld", prof->ksmtuned_value[k]);
			v = value;
		} else if (k == KSMT_LOGFILE && prof->ksmtuned_logfile) {
			v = prof->ksmtuned_logfile;
		} else if (k == KSMT_DEBUG && prof->ksmtuned_debug.set) {
			v = prof->ksmtuned_debug.value ? "1" : NULL;
		} else {
			continue;
		}
		char *error = NULL;
		buf_reset(&next);
		int rc = ksmtuned_conf_set(text.data, text.len, (enum ksmtuned_key)k, v, &next, &error);
		if (rc < 0) {
			action_set_message(a, "%s", error);
			refused = true;
		} else if (rc == 0) {
			buf_reset(&text);
			buf_append(&text, next.data, next.len);
			changed = true;
		}
		free(error);
	}
	if (refused) {
		a->status = ACTION_FAILED;
	} else if (changed) {
		action_add_file(a, KSMTUNED_CONF, present ? old.data : NULL, old.len, text.data, text.len, 0644);
		if (kf->ksmtuned.running == 1) { /* a running ksmtuned reads its settings only at start */
			if (kf->kind == SVC_SYSV)
				action_add_command(a, "service", "ksmtuned", "restart", NULL);
			else
				action_add_command(a, "systemctl", "restart", "ksmtuned.service", NULL);
		}
	} else {
		a->status = ACTION_UNCHANGED;
		action_set_message(a, present ? _("the settings are in place, or the profile sets none")
		                              : _("the profile sets none"));
	}
	buf_free(&old);
	buf_free(&text);
	buf_free(&next);
}

static void plan_start(const struct ksm_facts *kf, const struct profile *prof, struct plan *plan)
{
	struct action *a = plan_add(plan, "ksm.service", _("Start ksm and ksmtuned now"));
	const struct ksm_service *svcs[2] = { &kf->ksm, &kf->ksmtuned };
	bool wanted[2] = { want(&prof->ksm_enable), want(&prof->ksmtuned_enable) };
	bool skipped = false, missing = false;
	for (int i = 0; i < 2; i++) {
		const struct ksm_service *s = svcs[i];
		if (wanted[i] && !s->installed && s->running != 1)
			missing = true;
		if (!wanted[i] || !s->installed || s->running == 1)
			continue;
		if (s->skipped_in_vm) {
			skipped = true;
			continue;
		}
		if (i == 0 && kf->kind == SVC_SYSV && kf->ksmtuned.running == 1)
			continue; /* ksmtuned controls run */
		if (kf->kind == SVC_SYSV) {
			action_add_command(a, "service", s->name, "start", NULL);
			action_add_undo_command(a, "service", s->name, "stop", NULL);
		} else if (kf->kind == SVC_SYSTEMD && s->unit_state.enablement != UNIT_MASKED) {
			action_add_command(a, "systemctl", "start", s->unit, NULL);
			action_add_undo_command(a, "systemctl", "stop", s->unit, NULL);
		}
	}
	if (action_is_empty(a)) {
		a->status = ACTION_UNCHANGED;
		if (kf->kind == SVC_NONE && kf->run != 1)
			action_set_message(a, _("nothing to start: neither systemd nor SysV init manages services here"));
		else if (skipped)
			action_set_message(a, _("not started: the EL units skip virtual machines (ConditionVirtualization=no)"));
		else if (missing)
			action_set_message(a, _("nothing to start: the services are not installed (see ksm.autostart)"));
		else
			action_set_message(a, _("already running, or not selected"));
	}
}

void step_ksm_plan(struct check_ctx *ctx, struct plan *plan)
{
	struct ksm_facts kf;
	facts_gather(ctx, &kf);
	const struct profile *prof = ctx->profile;
	/* The guide's order: autostart, the settings, then start (ksm before ksmtuned). */
	plan_autostart(&kf, prof, plan);
	plan_settings(ctx, &kf, prof, plan);
	plan_start(&kf, prof, plan);
	facts_free(&kf);
}
