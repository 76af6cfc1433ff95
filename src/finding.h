/* finding.h: the finding model of design.md §2: id, status, message, detail, hint, fix. */
#ifndef KVMPREP_FINDING_H
#define KVMPREP_FINDING_H

#include <stddef.h>

/* In order of severity, least first: a step's status is its most severe finding. A skip
 * (not applicable or not determinable) outranks ok, since it never counts as ok. */
enum finding_status { STATUS_OK, STATUS_SKIP, STATUS_INFO, STATUS_WARN, STATUS_FAIL };
#define STATUS_COUNT 5

struct finding {
	char *id;        /* stable id such as "cpu.vt" (never translated) */
	enum finding_status status;
	char *message;   /* one line */
	char *detail;    /* optional: evidence, several lines allowed */
	char *hint;      /* optional: what to do about it (shown for every non-ok finding) */
	char *fix;       /* optional: id of the apply action that fixes it */
};

struct finding_list {
	struct finding *v;
	size_t n, cap;
};

/* The untranslated status word of the JSON contract: "ok", "info", "warn", "fail", "skip". */
const char *status_word(enum finding_status s);
/* The fixed-width label of the human report: "[ OK ]", "[INFO]", ... */
const char *status_label(enum finding_status s);

void finding_list_init(struct finding_list *l);
void finding_list_free(struct finding_list *l);
/* Adds a finding; the message is printf-formatted. Returns it so detail/hint can be set. */
struct finding *finding_add(struct finding_list *l, const char *id, enum finding_status status,
                            const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void finding_set_detail(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a line to the detail. */
void finding_add_detail(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_set_hint(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_set_fix(struct finding *f, const char *fix);
enum finding_status finding_list_worst(const struct finding_list *l);
const struct finding *finding_list_get(const struct finding_list *l, const char *id);

#endif
