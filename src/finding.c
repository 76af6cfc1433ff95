/* finding.c: building finding lists and naming their statuses. */
#include "config.h"

#include "finding.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[STATUS_COUNT] = { "ok", "skip", "info", "warn", "fail" };
static const char *const labels[STATUS_COUNT] = { "[ OK ]", "[SKIP]", "[INFO]", "[WARN]", "[FAIL]" };

const char *status_word(enum finding_status s)
{
	return (unsigned)s < STATUS_COUNT ? words[s] : "fail";
}

const char *status_label(enum finding_status s)
{
	return (unsigned)s < STATUS_COUNT ? labels[s] : "[FAIL]";
}

void finding_list_init(struct finding_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void finding_list_free(struct finding_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct finding *f = &l->v[i];
		free(f->id);
		free(f->message);
		free(f->detail);
		free(f->hint);
		free(f->fix);
	}
	free(l->v);
	finding_list_init(l);
}

struct finding *finding_add(struct finding_list *l, const char *id, enum finding_status status,
                            const char *fmt, ...)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct finding *f = &l->v[l->n++];
	memset(f, 0, sizeof *f);
	f->id = xstrdup(id);
	f->status = status;
	va_list ap;
	va_start(ap, fmt);
	f->message = xvasprintf(fmt, ap);
	va_end(ap);
	return f;
}

void finding_set_detail(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(f->detail);
	f->detail = xvasprintf(fmt, ap);
	va_end(ap);
}

void finding_add_detail(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = xvasprintf(fmt, ap);
	va_end(ap);
	if (!f->detail) {
		f->detail = line;
		return;
	}
	char *joined = xasprintf("%s\n%s", f->detail, line);
	free(f->detail);
	free(line);
	f->detail = joined;
}

void finding_set_hint(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(f->hint);
	f->hint = xvasprintf(fmt, ap);
	va_end(ap);
}

void finding_set_fix(struct finding *f, const char *fix)
{
	free(f->fix);
	f->fix = fix ? xstrdup(fix) : NULL;
}

enum finding_status finding_list_worst(const struct finding_list *l)
{
	enum finding_status worst = STATUS_OK;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].status > worst)
			worst = l->v[i].status;
	return worst;
}

const struct finding *finding_list_get(const struct finding_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}
