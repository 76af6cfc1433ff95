/* app.c: the wizard's model and its event glue: checks, plans, the apply worker, keys to actions. */
#include "config.h"

#include "app.h"
#include "apply.h"
#include "cpu_facts.h"
#include "dialog.h"
#include "i18n.h"
#include "journal.h"
#include "keys.h"
#include "report.h"
#include "screens.h"
#include "term.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_MAX_SAMPLES 512
#define LOG_MAX_EVENTS 256

long long app_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *app_step_title(const struct app_step *s)
{
	return _(s->step->title);
}

/* ---- the model ---- */

static void step_refresh(struct app *a, struct app_step *s, struct check_ctx *ctx)
{
	finding_list_free(&s->findings);
	plan_free(&s->plan);
	finding_list_init(&s->findings);
	plan_init(&s->plan);
	s->step->check(ctx, &s->findings);
	if (s->step->plan)
		s->step->plan(ctx, &s->plan);
	s->planned = s->manual = 0;
	for (size_t i = 0; i < s->plan.n; i++) {
		s->planned += s->plan.v[i].status == ACTION_PLANNED;
		s->manual += s->plan.v[i].status == ACTION_MANUAL;
	}
	(void)a;
}

static long long read_ksm_pages(struct host *h, const char *name)
{
	char *path = xasprintf("/sys/kernel/mm/ksm/%s", name), *line = NULL;
	long long v = -1;
	if (host_read_line(h, path, &line) == 0 && !str_parse_ll(line, &v))
		v = -1;
	free(line);
	free(path);
	return v;
}

/* The ksmtuned log (LOGFILE from the conf, else /var/log/ksmtuned), parsed in bounded memory. */
static void load_log(struct app *a)
{
	if (a->have_log)
		ksmtuned_log_free(&a->log);
	a->have_log = false;
	free(a->log_path);
	a->log_path = NULL;
	a->ksm_shared = read_ksm_pages(a->host, "pages_shared");
	a->ksm_sharing = read_ksm_pages(a->host, "pages_sharing");
	struct buf text;
	buf_init(&text);
	struct ksmtuned_conf c;
	host_read_file(a->host, "/etc/ksmtuned.conf", 1024 * 1024, &text);
	ksmtuned_conf_parse(text.data ? text.data : "", text.len, &c);
	a->log_path = xstrdup(c.logfile && c.set[KSMT_LOGFILE] ? c.logfile : "/var/log/ksmtuned");
	ksmtuned_conf_free(&c);
	buf_free(&text);
	int fd = host_open_file(a->host, a->log_path, O_RDONLY | O_NONBLOCK, 0);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd); /* never a FIFO or a device */
		fd = -1;
	}
	if (fd < 0)
		return;
	ksmtuned_log_init(&a->log, LOG_MAX_SAMPLES, LOG_MAX_EVENTS);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		ksmtuned_log_feed(&a->log, chunk, (size_t)n);
	ksmtuned_log_finish(&a->log);
	close(fd);
	a->have_log = a->log.n_samples > 0 || a->log.lines > 0;
	if (!a->have_log)
		ksmtuned_log_free(&a->log);
}

/* The applies the journal waits on: rebooted into yet or not. */
static void find_waiting(struct app *a)
{
	struct strlist ids;
	if (journal_list(a->host, &ids) < 0)
		return;
	for (size_t i = 0; i < ids.n; i++) {
		struct journal_entry e;
		char *error = NULL;
		if (journal_load(a->host, ids.v[i], &e, &error) == 0) {
			if (e.reboot_required && !e.verified && !e.undone) {
				a->waiting = xrealloc(a->waiting, (a->n_waiting + 1) * sizeof *a->waiting);
				struct waiting_apply *w = &a->waiting[a->n_waiting++];
				memset(w, 0, sizeof *w);
				w->id = xstrdup(e.id);
				strlist_init(&w->args);
				for (size_t k = 0; k < e.reboot_args.n; k++)
					strlist_add(&w->args, e.reboot_args.v[k]);
			}
			journal_entry_free(&e);
		}
		free(error);
	}
	strlist_free(&ids);
}

/* After the checks: which waiting applies did the iommu check find verified. */
static void recheck_waiting(struct app *a)
{
	for (size_t i = 0; i < a->n_waiting; i++) {
		struct journal_entry e;
		char *error = NULL;
		if (journal_load(a->host, a->waiting[i].id, &e, &error) == 0) {
			a->waiting[i].verified = e.verified;
			journal_entry_free(&e);
		}
		free(error);
	}
}

static void update_screens(struct app *a)
{
	for (size_t i = 0; i < a->w.n_screens; i++) {
		struct wiz_screen_info *s = &a->w.screens[i];
		if (s->kind == WIZ_STEP) {
			struct app_step *st = &a->steps[s->step];
			s->can_apply = st->planned > 0;
			s->has_settings = strcmp(st->step->id, "ksm") == 0;
			s->n_items = st->findings.n + screens_extra_items(a, st);
		} else if (s->kind == WIZ_SUMMARY) {
			s->n_items = 4; /* changes, reboot, still to do, exit status */
			for (size_t k = 0; k < a->n_steps; k++)
				s->n_items += a->steps[k].findings.n;
		} else {
			s->n_items = 0;
		}
		if (s->n_items > WIZ_MAX_ITEMS)
			s->n_items = WIZ_MAX_ITEMS;
	}
	/* a button that went away (no more <Apply…>) must not keep the focus */
	enum wiz_button b[WIZ_MAX_BUTTONS];
	int nb = (int)wizard_buttons(&a->w, b);
	if (a->w.focus >= nb)
		a->w.focus = nb - 1;
}

void app_init(struct app *a, struct options *o, struct host *h, const char *root_label)
{
	memset(a, 0, sizeof *a);
	a->opts = o;
	a->host = h;
	a->live = host_is_live(h);
	a->root_label = xstrdup(root_label ? root_label : host_root(h));
	a->preview_step = -1;
	plan_init(&a->preview);
	find_waiting(a);

	const struct step *sel[MAX_STEPS];
	size_t count = 0;
	if (!select_steps(o, sel, &count))
		count = 0;
	struct check_ctx ctx;
	cli_ctx_init(o, &ctx, h);
	for (size_t i = 0; i < count; i++) {
		struct app_step *s = &a->steps[a->n_steps++];
		s->step = sel[i];
		finding_list_init(&s->findings);
		plan_init(&s->plan);
		step_refresh(a, s, &ctx);
	}
	struct cpu_facts *cpu = cpu_facts_get(&ctx);
	a->distro = xstrdup(ctx.info.distro ? ctx.info.distro : "unknown");
	a->kernel = xstrdup(ctx.info.kernel ? ctx.info.kernel : "unknown");
	a->kernel_bits = ctx.info.kernel_bits;
	a->init = xstrdup(ctx.info.init ? ctx.info.init : "unknown");
	a->bootloader = xstrdup(ctx.info.bootloader ? ctx.info.bootloader : "unknown");
	a->mem_kib = ctx.info.mem_total_kib;
	a->cpu = xstrdup(cpu->brand[0] ? cpu->brand : "unknown");
	a->vendor = xstrdup(cpu->vendor_str[0] ? cpu->vendor_str : "unknown");
	a->virtual_machine = cpu_is_virtual(cpu);
	a->uid = a->live ? (unsigned)geteuid() : cpu->uid_rc == 0 ? (unsigned)cpu->uid : 0;
	check_ctx_free(&ctx);
	recheck_waiting(a);
	load_log(a);

	wizard_init(&a->w);
	if (a->n_waiting)
		wizard_add_screen(&a->w, WIZ_VERIFY, -1);
	wizard_add_screen(&a->w, WIZ_WELCOME, -1);
	for (size_t i = 0; i < a->n_steps; i++)
		wizard_add_screen(&a->w, WIZ_STEP, (int)i);
	wizard_add_screen(&a->w, WIZ_SUMMARY, -1);
	a->w.form_fields = KSMT_KEY_COUNT;
	update_screens(a);
	wizard_goto(&a->w, 0);
}

static void change_free(struct app_change *c)
{
	free(c->title);
	free(c->journal);
	strlist_free(&c->lines);
}

void app_free(struct app *a)
{
	app_wait(a);
	for (size_t i = 0; i < a->n_steps; i++) {
		finding_list_free(&a->steps[i].findings);
		plan_free(&a->steps[i].plan);
	}
	for (size_t i = 0; i < a->n_waiting; i++) {
		free(a->waiting[i].id);
		strlist_free(&a->waiting[i].args);
	}
	free(a->waiting);
	for (size_t i = 0; i < a->n_changes; i++)
		change_free(&a->changes[i]);
	free(a->changes);
	if (a->have_log)
		ksmtuned_log_free(&a->log);
	plan_free(&a->preview);
	free(a->log_path);
	free(a->root_label);
	free(a->distro);
	free(a->kernel);
	free(a->init);
	free(a->bootloader);
	free(a->cpu);
	free(a->vendor);
	free(a->message_title);
	free(a->message);
	free(a->status);
	memset(a, 0, sizeof *a);
}

int app_exit_code(const struct app *a)
{
	struct report r;
	memset(&r, 0, sizeof r);
	r.step_count = a->n_steps;
	r.steps = xcalloc(a->n_steps ? a->n_steps : 1, sizeof *r.steps);
	for (size_t i = 0; i < a->n_steps; i++)
		r.steps[i].findings = a->steps[i].findings; /* borrowed */
	report_finish(&r);
	int code = report_exit_code(&r);
	free(r.steps);
	return code;
}

bool app_goto_named(struct app *a, const char *name)
{
	for (size_t i = 0; i < a->w.n_screens; i++) {
		const struct wiz_screen_info *s = &a->w.screens[i];
		bool match = (s->kind == WIZ_VERIFY && strcmp(name, "verify") == 0) ||
		             (s->kind == WIZ_WELCOME && strcmp(name, "welcome") == 0) ||
		             (s->kind == WIZ_SUMMARY && strcmp(name, "summary") == 0) ||
		             (s->kind == WIZ_STEP && strcmp(name, a->steps[s->step].step->id) == 0);
		if (match) {
			wizard_goto(&a->w, i);
			return true;
		}
	}
	return false;
}

/* ---- applying in a worker thread: only the main thread calls curses ---- */

static void *worker(void *arg)
{
	struct app_job *job = arg;
	apply_verify_fn verify = job->is_form ? form_verify : step_verify_action;
	void *ctx = job->is_form ? (void *)&job->form : (void *)&job->ctx;
	job->failed = apply_plan(job->host, &job->plan, verify, ctx, &job->journal, &job->error);
	atomic_store(&job->done, true);
	return NULL;
}

static void set_message(struct app *a, const char *title, char *owned_text)
{
	free(a->message_title);
	free(a->message);
	a->message_title = xstrdup(title);
	a->message = owned_text;
}

static void start_apply(struct app *a)
{
	struct app_job *job = xcalloc(1, sizeof *job);
	job->host = a->host;
	job->plan = a->preview; /* moved */
	plan_init(&a->preview);
	job->is_form = a->preview_step < 0;
	if (job->is_form) {
		job->form.host = a->host;
		job->form.form = a->form;
	} else {
		cli_ctx_init(a->opts, &job->ctx, a->host);
		job->ctx_used = true;
	}
	atomic_init(&job->done, false);
	/* signals belong to the main thread, which restores the terminal */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = pthread_create(&a->thread, NULL, worker, job);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	a->apply_started_ms = app_now_ms();
	if (rc != 0) {
		/* no thread: apply here; the screen waits, but the work is done the same way */
		worker(job);
		a->job = job;
		a->thread = pthread_self();
		return;
	}
	a->job = job;
}

/* The message after an apply, the summary's record, and the step checked afresh. */
static void finish_apply(struct app *a)
{
	struct app_job *job = a->job;
	if (!pthread_equal(a->thread, pthread_self()))
		pthread_join(a->thread, NULL);
	a->job = NULL;
	int step = a->preview_step;
	const char *title = step >= 0 ? app_step_title(&a->steps[step]) : _("ksmtuned settings");
	struct buf msg;
	buf_init(&msg);
	struct app_change c;
	memset(&c, 0, sizeof c);
	strlist_init(&c.lines);
	c.title = xstrdup(title);
	if (job->failed < 0) {
		buf_printf(&msg, _("Nothing was changed: %s."), job->error ? job->error : _("apply failed"));
		c.failed = true;
		strlist_add_owned(&c.lines, xasprintf(_("refused: %s"), job->error ? job->error : _("apply failed")));
	} else {
		for (size_t i = 0; i < job->plan.n; i++) {
			const struct action *ac = &job->plan.v[i];
			if (ac->status != ACTION_DONE && ac->status != ACTION_FAILED)
				continue;
			char *line = xasprintf("[%s] %s: %s", action_status_word(ac->status), ac->id,
			                       ac->message ? ac->message : ac->description);
			buf_printf(&msg, "%s\n", line);
			strlist_add_owned(&c.lines, line);
			c.failed = c.failed || ac->status == ACTION_FAILED;
			c.reboot = c.reboot || (ac->status == ACTION_DONE && ac->reboot_required);
			if (ac->status == ACTION_DONE) {
				for (size_t k = 0; k < ac->n_files; k++)
					strlist_add_owned(&c.lines, xasprintf(_("backup of %s in the journal"), ac->files[k].path));
				for (size_t k = 0; k < ac->also_changes.n; k++)
					strlist_add_owned(&c.lines,
					                  xasprintf(_("backup of %s in the journal"), ac->also_changes.v[k]));
			}
		}
		if (job->failed > 0)
			buf_printf(&msg, _("%d action(s) failed; their files were restored from the journal, byte for byte.\n"),
			           job->failed);
		if (job->journal) {
			buf_printf(&msg, _("Journal %s: 'kvmprep undo %s' reverses it.\n"), job->journal, job->journal);
			c.journal = xstrdup(job->journal);
		}
		if (job->error)
			buf_printf(&msg, "%s\n", job->error);
		if (c.reboot)
			buf_printf(&msg, _("A reboot is needed; start the wizard again after it to verify.\n"));
	}
	a->changes = xrealloc(a->changes, (a->n_changes + 1) * sizeof *a->changes);
	a->changes[a->n_changes++] = c;
	/* the step as it is now, from a fresh context */
	struct check_ctx ctx;
	cli_ctx_init(a->opts, &ctx, a->host);
	for (size_t i = 0; i < a->n_steps; i++)
		if ((int)i == step || (step < 0 && strcmp(a->steps[i].step->id, "ksm") == 0))
			step_refresh(a, &a->steps[i], &ctx);
	check_ctx_free(&ctx);
	load_log(a);
	int sidx = step;
	if (step < 0)
		for (size_t i = 0; i < a->n_steps; i++)
			if (strcmp(a->steps[i].step->id, "ksm") == 0)
				sidx = (int)i;
	if (sidx >= 0) {
		buf_printf(&msg, "\n%s\n", _("Checked again:"));
		const struct app_step *s = &a->steps[sidx];
		for (size_t i = 0; i < s->findings.n; i++)
			buf_printf(&msg, "%s %s: %s\n", status_label(s->findings.v[i].status), s->findings.v[i].id,
			           s->findings.v[i].message);
	}
	update_screens(a);
	wizard_focus_default(&a->w); /* <Apply…> may be gone: Next is where the walk goes on */
	set_message(a, c.failed ? _("The change failed") : _("Applied"), buf_steal(&msg));
	if (job->ctx_used)
		check_ctx_free(&job->ctx);
	plan_free(&job->plan);
	free(job->journal);
	free(job->error);
	free(job);
}

bool app_poll(struct app *a)
{
	if (!a->job || !atomic_load(&a->job->done))
		return false;
	finish_apply(a);
	wizard_dispatch(&a->w, ACT_APPLY_DONE);
	return true;
}

void app_wait(struct app *a)
{
	while (a->job) {
		if (!atomic_load(&a->job->done)) {
			struct timespec ts = { 0, 2 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			continue;
		}
		app_poll(a);
	}
}

/* ---- requests from the state machine ---- */

static void open_step_preview(struct app *a)
{
	const struct wiz_screen_info *s = wizard_current(&a->w);
	plan_free(&a->preview);
	plan_init(&a->preview);
	a->preview_step = s->step;
	struct app_step *st = &a->steps[s->step];
	struct check_ctx ctx;
	cli_ctx_init(a->opts, &ctx, a->host);
	st->step->plan(&ctx, &a->preview); /* planned now, so the preview is exactly what runs */
	check_ctx_free(&ctx);
	size_t planned = 0;
	for (size_t i = 0; i < a->preview.n; i++)
		planned += a->preview.v[i].status == ACTION_PLANNED;
	if (a->live && geteuid() != 0) {
		set_message(a, _("Needs root"),
		            xstrdup(_("Changing this host needs root; nothing was changed. Start the wizard as root, or "
		                      "use 'kvmprep plan' to see the change.")));
		wizard_open(&a->w, MODAL_MESSAGE);
	} else if (planned == 0) {
		set_message(a, _("Nothing to change"), xstrdup(_("The host already has what this step would change.")));
		wizard_open(&a->w, MODAL_MESSAGE);
	}
}

static void open_form(struct app *a)
{
	form_load(&a->form, a->host);
}

static void save_form(struct app *a)
{
	plan_free(&a->preview);
	plan_init(&a->preview);
	a->preview_step = -1;
	/* a running ksmtuned reads its settings only when it starts */
	const char *restart = NULL;
	for (size_t i = 0; i < a->n_steps; i++) {
		const struct finding *f = finding_list_get(&a->steps[i].findings, "ksmtuned.service");
		if (f && f->status == STATUS_OK)
			restart = a->init;
	}
	for (int k = 0; k < KSMT_KEY_COUNT; k++) {
		char *why = NULL;
		if (!form_check(&a->form, k, &why)) {
			free(a->status);
			a->status = why;
			a->w.form_focus = k;
			return;
		}
	}
	char *error = NULL;
	int rc = form_plan(&a->form, a->host, restart, &a->preview, &error);
	if (rc < 0) {
		set_message(a, _("Cannot save"), xasprintf(_("Nothing was changed: %s"), error));
		wizard_open(&a->w, MODAL_MESSAGE);
	} else if (rc == 0) {
		set_message(a, _("Nothing to change"), xstrdup(_("The file already holds these values.")));
		wizard_open(&a->w, MODAL_MESSAGE);
	} else if (a->live && geteuid() != 0) {
		set_message(a, _("Needs root"), xstrdup(_("Changing this host needs root; nothing was changed.")));
		wizard_open(&a->w, MODAL_MESSAGE);
	} else {
		wizard_open(&a->w, MODAL_PREVIEW);
		a->w.preview_form = true;
	}
	free(error);
}

static unsigned handle(struct app *a, unsigned req)
{
	if (req & REQ_PREVIEW_STEP)
		open_step_preview(a);
	if (req & REQ_OPEN_FORM)
		open_form(a);
	if (req & REQ_SAVE_FORM)
		save_form(a);
	if (req & REQ_START_APPLY)
		start_apply(a);
	return req & (REQ_EXIT | REQ_REDRAW);
}

/* Keys typed into a field of the settings form; true when the form took the key. */
static bool form_key(struct app *a, int ch, enum wiz_action act)
{
	struct wizard *w = &a->w;
	if (!w->form_open || w->modal != MODAL_NONE || w->form_focus >= KSMT_KEY_COUNT)
		return false;
	int field = w->form_focus;
	const char *why = NULL;
	if (form_is_toggle(field)) {
		if (ch != ' ')
			return false;
		form_toggle(&a->form, field);
		w->form_dirty = form_changed(&a->form);
		return true;
	}
	if (ch >= 0x20 && ch < 0x7f) {
		if (!form_type(&a->form, field, ch, &why)) {
			free(a->status);
			a->status = xstrdup(why);
			beep();
		}
		w->form_dirty = form_changed(&a->form);
		return true;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8 || ch == KEY_DC) {
		form_backspace(&a->form, field);
		w->form_dirty = form_changed(&a->form);
		return true;
	}
	/* leaving the field checks its range */
	bool leaves = act == ACT_FOCUS_NEXT || act == ACT_FOCUS_PREV || act == ACT_UP || act == ACT_DOWN ||
	              act == ACT_ENTER || act == ACT_HOME || act == ACT_END || act == ACT_PAGE_UP || act == ACT_PAGE_DOWN;
	char *msg = NULL;
	if (leaves && !form_check(&a->form, field, &msg)) {
		free(a->status);
		a->status = msg;
		beep();
		return true;
	}
	free(msg);
	return false;
}

unsigned app_key(struct app *a, int ch)
{
	free(a->status);
	a->status = NULL;
	enum wiz_action act = keys_action(ch);
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		/* the too-small screen: only quitting and resizing mean anything */
		if ((act == ACT_QUIT) && !a->job) {
			a->w.exit = true;
			return REQ_EXIT;
		}
		return act == ACT_REDRAW ? REQ_REDRAW : 0;
	}
	if (form_key(a, ch, act))
		return 0;
	if (act == ACT_NONE)
		return 0;
	return handle(a, wizard_dispatch(&a->w, act));
}

/* ---- drawing ---- */

static const char *button_label(enum wiz_button b)
{
	switch (b) {
	case BTN_BACK: return _("Back");
	case BTN_NEXT: return _("Next");
	case BTN_APPLY: return _("Apply");
	case BTN_SETTINGS: return _("Settings");
	default: return _("Quit");
	}
}

static void help_line(const struct app *a, enum key_context ctx)
{
	int y = LINES - 1;
	ui_fill(y, 0, COLS, UI_HELPLINE);
	if (a->status) {
		ui_puts(y, 1, COLS - 2, UI_HELPLINE, a->status);
		return;
	}
	int x = 1;
	for (size_t i = 0; i < ui_key_count; i++) {
		const struct ui_key *k = &ui_keys[i];
		if (!k->short_name || !k->line[ctx])
			continue;
		const char *word = _(k->line[ctx]);
		int need = text_width(k->short_name) + 1 + text_width(word) + 2;
		if (x + need > COLS)
			break;
		ui_puts(y, x, COLS - x, UI_HELPKEY, k->short_name);
		x += text_width(k->short_name) + 1;
		ui_puts(y, x, COLS - x, UI_HELPLINE, word);
		x += text_width(word) + 2;
	}
}

static void too_small(void)
{
	erase();
	char *size = xasprintf(_("Terminal too small (%d%s%d); need %d%s%d"), COLS, ui_times(), LINES, UI_MIN_COLS,
	                       ui_times(), UI_MIN_LINES);
	const char *what = _("Resize the terminal, or press q to quit.");
	struct wlines l;
	wlines_init(&l);
	text_wrap(&l, size, COLS > 2 ? COLS - 2 : 1, "", "", UI_WARN, -1);
	text_wrap(&l, what, COLS > 2 ? COLS - 2 : 1, "", "", UI_NORMAL, -1);
	int y = (LINES - (int)l.n) / 2;
	for (size_t i = 0; i < l.n; i++) {
		int w = text_wswidth(l.v[i]);
		int x = (COLS - w) / 2;
		ui_put(y + (int)i, x < 0 ? 0 : x, COLS, (enum ui_attr)l.attr[i], l.v[i]);
	}
	wlines_free(&l);
	free(size);
}

/* The body rows, scrolled so that the selected item is in view. */
static void draw_body(struct app *a, int top, int rows, int x, int width)
{
	struct wizard *w = &a->w;
	struct wlines body;
	wlines_init(&body);
	screens_body(a, width, &body);
	w->page = rows > 0 ? (size_t)rows : 1;
	const struct wiz_screen_info *s = wizard_current(w);
	size_t first = body.n, last = 0, mark = body.n;
	for (size_t i = 0; i < body.n; i++)
		if (s->n_items && body.item[i] == (int)w->sel) {
			if (first == body.n)
				first = i;
			if (mark == body.n && body.v[i][0])
				mark = i; /* the mark goes on the item's first row that is not blank */
			last = i;
		}
	size_t maxscroll = body.n > (size_t)rows ? body.n - (size_t)rows : 0;
	if (first < body.n) {
		if (last >= w->scroll + (size_t)rows)
			w->scroll = last + 1 - (size_t)rows;
		if (first < w->scroll)
			w->scroll = first;
		if (w->sel == 0)
			w->scroll = 0; /* the first item: show the intro above it too */
		else if (w->sel + 1 == s->n_items)
			w->scroll = first < maxscroll ? first : maxscroll; /* the last item: what follows it too */
	}
	if (w->scroll > maxscroll)
		w->scroll = maxscroll;
	for (int r = 0; r < rows && w->scroll + (size_t)r < body.n; r++) {
		size_t i = w->scroll + (size_t)r;
		bool selected = s->n_items && body.item[i] == (int)w->sel;
		enum ui_attr at = (enum ui_attr)body.attr[i];
		if (selected && w->focus == WIZ_FOCUS_LIST && w->modal == MODAL_NONE && !w->form_open)
			at = UI_SELECT;
		ui_put(top + r, x, width, at, body.v[i]);
		if (selected && i == mark)
			ui_puts(top + r, x, 1, at, ">");
	}
	bool covered = w->modal != MODAL_NONE || w->form_open;
	if (w->scroll > 0 && !covered)
		ui_puts(top, COLS - 1, 1, UI_FRAME, "^");
	if (w->scroll < maxscroll && !covered)
		ui_puts(top + rows - 1, COLS - 1, 1, UI_FRAME, "v");
	wlines_free(&body);
}

static void draw_screen(struct app *a)
{
	struct wizard *w = &a->w;
	/* row 0: where we are */
	char *back = xasprintf(" kvmprep %s  %s  %s %zu/%zu: %s", PACKAGE_VERSION, ui_term.fancy ? "\u203a" : ">",
	                       _("Step"), w->cur + 1, w->n_screens, screens_title(a));
	ui_puts(0, 0, COLS, UI_BACKTITLE, back);
	free(back);
	/* the box: body, separator, buttons */
	int top = 1, height = LINES - 2;
	ui_box(top, 0, height, COLS, UI_FRAME);
	char *title = xasprintf(" %s ", screens_title(a));
	ui_puts(top, 2, COLS - 4, UI_TITLE, title);
	free(title);
	int rows = height - 4;
	draw_body(a, top + 1, rows, 2, COLS - 4);
	ui_box_tee(top + height - 3, 0, COLS, UI_FRAME);
	enum wiz_button b[WIZ_MAX_BUTTONS];
	size_t nb = wizard_buttons(w, b);
	char *labels[WIZ_MAX_BUTTONS];
	for (size_t i = 0; i < nb; i++)
		labels[i] = xasprintf("<%s%s>", button_label(b[i]),
		                      b[i] == BTN_APPLY || b[i] == BTN_SETTINGS ? ui_ellipsis() : "");
	dialog_buttons(top + height - 2, 1, COLS - 2, (const char *const *)labels, (int)nb,
	               w->modal == MODAL_NONE && !w->form_open ? w->focus : -1);
	for (size_t i = 0; i < nb; i++)
		free(labels[i]);
}

void app_render(struct app *a)
{
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		too_small();
		curs_set(0);
		return;
	}
	struct wizard *w = &a->w;
	draw_screen(a);
	int cy = -1, cx = -1;
	if (w->form_open)
		cx = form_draw(&a->form, w, NULL, &cy);
	enum key_context ctx = w->modal != MODAL_NONE ? KEYS_DIALOG : w->form_open ? KEYS_FORM : KEYS_SCREEN;
	const char *ok[] = { _("OK") };
	const char *close_b[] = { _("Close") };
	char *apply_label = xasprintf("<%s>", _("Apply"));
	char *cancel_label = xasprintf("<%s>", _("Cancel"));
	const char *preview_b[] = { cancel_label, apply_label };
	char *keep_working = xasprintf("<%s>", _("Keep working"));
	char *quit_label = xasprintf("<%s>", _("Quit"));
	const char *quit_b[] = { keep_working, quit_label };
	char *keep_editing = xasprintf("<%s>", _("Keep editing"));
	char *discard = xasprintf("<%s>", _("Discard"));
	const char *discard_b[] = { keep_editing, discard };
	char *ok_label = xasprintf("<%s>", ok[0]);
	char *close_label = xasprintf("<%s>", close_b[0]);
	const char *okb[] = { ok_label };
	const char *closeb[] = { close_label };
	struct preview_ctx pc = { &a->preview, a->root_label, a->live };
	switch (w->modal) {
	case MODAL_HELP:
		dialog_draw(w, _("Help"), dialog_help_text, screens_help(a), closeb, 1, true);
		break;
	case MODAL_PREVIEW: {
		char *t = xasprintf(_("Apply these changes to %s?"), a->live ? _("this host") : a->root_label);
		dialog_draw(w, t, dialog_preview_text, &pc, preview_b, 2, true);
		free(t);
		break;
	}
	case MODAL_PROGRESS:
		dialog_progress(a->preview_step >= 0 ? app_step_title(&a->steps[a->preview_step]) : _("ksmtuned settings"),
		                a->spin, app_now_ms() - a->apply_started_ms, w->quit_after_apply);
		break;
	case MODAL_MESSAGE:
		dialog_draw(w, a->message_title ? a->message_title : "", dialog_plain_text, a->message ? a->message : "",
		            okb, 1, false);
		break;
	case MODAL_CONFIRM_QUIT:
		dialog_draw(w, _("Quit?"), dialog_plain_text,
		            w->form_dirty ? _("The settings form has changes that were not saved. Quit anyway and "
		                              "discard them?")
		                          : _("A change is waiting for your answer. Quit without applying it?"),
		            quit_b, 2, false);
		break;
	case MODAL_CONFIRM_DISCARD:
		dialog_draw(w, _("Discard?"), dialog_plain_text,
		            _("Discard the changes to the ksmtuned settings? Nothing has been written yet."), discard_b, 2,
		            false);
		break;
	default:
		break;
	}
	free(apply_label);
	free(cancel_label);
	free(keep_working);
	free(quit_label);
	free(keep_editing);
	free(discard);
	free(ok_label);
	free(close_label);
	help_line(a, ctx);
	if (w->form_open && w->modal == MODAL_NONE && cx >= 0) {
		curs_set(1);
		move(cy, cx);
	} else {
		curs_set(0);
	}
}

/* ---- the loop on the terminal ---- */

int app_run(struct app *a)
{
	bool redraw = true;
	for (;;) {
		int sig = term_signal_caught();
		if (sig)
			return -sig;
		if (redraw) {
			app_render(a);
			refresh();
			redraw = false;
		}
		timeout(a->job ? 100 : 1000);
		int ch = getch();
		if (ch == ERR) {
			if (a->job) {
				a->spin++;
				redraw = true;
			}
			if (app_poll(a))
				redraw = true;
			if (a->w.exit)
				break;
			continue;
		}
		unsigned r = app_key(a, ch);
		if (r & REQ_REDRAW)
			clearok(curscr, TRUE);
		app_poll(a);
		redraw = true;
		if (a->w.exit)
			break;
	}
	app_wait(a);
	return app_exit_code(a);
}
