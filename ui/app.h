/* app.h: the wizard's model and its event glue: checks, plans, the apply worker, keys to actions. */
#ifndef KVMPREP_UI_APP_H
#define KVMPREP_UI_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "action.h"
#include "cli.h"
#include "finding.h"
#include "form.h"
#include "ksmtuned_log.h"
#include "steps.h"
#include "wizard.h"

struct app_step {
	const struct step *step;
	struct finding_list findings;
	struct plan plan;           /* what <Apply…> would do now (empty without step->plan) */
	size_t planned;             /* its planned actions */
	size_t manual;              /* its actions that need the admin */
};

/* One apply made in this session, for the summary. */
struct app_change {
	char *title;                /* what was applied (translated) */
	char *journal;              /* the journal id, NULL when nothing was written */
	struct strlist lines;       /* one per action and per backed-up file */
	bool reboot, failed;
};

/* The worker's job: the main thread touches it only after done is set. */
struct app_job {
	struct host *host;
	struct plan plan;
	struct check_ctx ctx;       /* a fresh context for the step's verification */
	bool ctx_used;
	struct form_verify form;    /* the settings form's verification */
	bool is_form;
	int failed;
	char *journal, *error;
	atomic_bool done;
};

struct waiting_apply {          /* an apply whose reboot the journal waits for (found at start) */
	char *id;
	struct strlist args;
	bool verified;              /* after this start's checks */
};

struct app {
	struct options *opts;
	struct host *host;
	char *root_label;           /* how the root is named on screen */
	bool live;
	/* the host overview */
	char *distro, *kernel, *cpu, *vendor, *init, *bootloader;
	int kernel_bits;
	long long mem_kib;
	bool virtual_machine;
	bool uid_known;
	unsigned uid;
	/* the steps, in the step table's order */
	struct app_step steps[MAX_STEPS];
	size_t n_steps;
	struct waiting_apply *waiting;
	size_t n_waiting;
	/* KSM extras */
	struct ksmtuned_log log;
	bool have_log;
	char *log_path;
	long long ksm_shared, ksm_sharing; /* -1 when unknown */
	struct form form;

	struct wizard w;
	struct plan preview;        /* the plan the open preview shows */
	int preview_step;           /* its step index, -1 for the settings form */
	char *message_title;
	char *message;              /* the text of MODAL_MESSAGE */
	char *status;               /* a refusal shown in the help line until the next key */
	struct app_change *changes;
	size_t n_changes;
	/* the worker */
	struct app_job *job;
	pthread_t thread;
	unsigned spin;
	long long apply_started_ms;
};

/* Runs every selected step's check and plan (before curses starts) and builds the screens.
 * root_label NULL names the root by its path. */
void app_init(struct app *a, struct options *o, struct host *h, const char *root_label);
void app_free(struct app *a);
/* Draws the whole terminal from the model (any size: below the minimum, the too-small screen). */
void app_render(struct app *a);
/* One key (curses code). Returns enum wiz_request bits the loop acts on (REQ_EXIT, REQ_REDRAW). */
unsigned app_key(struct app *a, int ch);
/* Collects a finished apply; true when the screen changed. */
bool app_poll(struct app *a);
/* Blocks until a running apply is finished, then collects it. */
void app_wait(struct app *a);
/* The check exit code of the current findings: 0 ok, 1 a warning, 2 a failure. */
int app_exit_code(const struct app *a);
/* Shows the screen with this name (verify, welcome, a step id, summary); false if none. */
bool app_goto_named(struct app *a, const char *name);
/* The event loop on the real terminal: returns the exit code, or -SIGNAL when a signal came. */
int app_run(struct app *a);

/* For the screens: the translated title of a step. */
const char *app_step_title(const struct app_step *s);
/* Milliseconds of a monotonic clock. */
long long app_now_ms(void);

#endif
