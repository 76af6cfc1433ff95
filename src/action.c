/* action.c: building plans of file edits, commands and manual steps. */
#include "config.h"

#include "action.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *action_status_word(enum action_status s)
{
	static const char *const words[] = { "planned", "done", "unchanged", "failed", "manual" };
	return (unsigned)s < sizeof words / sizeof words[0] ? words[s] : "failed";
}

void plan_init(struct plan *p)
{
	p->v = NULL;
	p->n = 0;
}

static void action_free(struct action *a)
{
	free(a->id);
	free(a->description);
	for (size_t i = 0; i < a->n_files; i++) {
		free(a->files[i].path);
		buf_free(&a->files[i].old_content);
		buf_free(&a->files[i].new_content);
	}
	free(a->files);
	for (size_t i = 0; i < a->n_commands; i++) {
		for (char **arg = a->commands[i].argv; *arg; arg++)
			free(*arg);
		free(a->commands[i].argv);
	}
	free(a->commands);
	for (size_t i = 0; i < a->n_undo_commands; i++) {
		for (char **arg = a->undo_commands[i].argv; *arg; arg++)
			free(*arg);
		free(a->undo_commands[i].argv);
	}
	free(a->undo_commands);
	strlist_free(&a->also_changes);
	strlist_free(&a->expected);
	strlist_free(&a->manual);
	strlist_free(&a->reboot_args);
	free(a->message);
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		action_free(&p->v[i]);
	free(p->v);
	plan_init(p);
}

struct action *plan_add(struct plan *p, const char *id, const char *fmt, ...)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	struct action *a = &p->v[p->n++];
	memset(a, 0, sizeof *a);
	a->id = xstrdup(id);
	va_list ap;
	va_start(ap, fmt);
	a->description = xvasprintf(fmt, ap);
	va_end(ap);
	strlist_init(&a->also_changes);
	strlist_init(&a->expected);
	strlist_init(&a->manual);
	strlist_init(&a->reboot_args);
	a->status = ACTION_PLANNED;
	return a;
}

bool action_add_file(struct action *a, const char *path, const char *old, size_t old_len, const char *new_text,
                     size_t new_len, mode_t new_mode)
{
	if (old && old_len == new_len && memcmp(old, new_text, new_len) == 0)
		return false;
	a->files = xrealloc(a->files, (a->n_files + 1) * sizeof *a->files);
	struct action_file *f = &a->files[a->n_files++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->existed = old != NULL;
	buf_init(&f->old_content);
	buf_init(&f->new_content);
	buf_append(&f->old_content, old ? old : "", old ? old_len : 0);
	buf_append(&f->new_content, new_text, new_len);
	f->new_mode = new_mode;
	return true;
}

/* Appends the NULL-terminated argument list to a command array. */
static void add_argv(struct action_command **cmds, size_t *n_cmds, const char *arg0, va_list ap)
{
	size_t n = 1;
	va_list count;
	va_copy(count, ap);
	while (va_arg(count, const char *))
		n++;
	va_end(count);
	char **argv = xcalloc(n + 1, sizeof *argv);
	argv[0] = xstrdup(arg0);
	for (size_t i = 1; i < n; i++)
		argv[i] = xstrdup(va_arg(ap, const char *));
	*cmds = xrealloc(*cmds, (*n_cmds + 1) * sizeof **cmds);
	(*cmds)[(*n_cmds)++].argv = argv;
}

void action_add_command(struct action *a, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	add_argv(&a->commands, &a->n_commands, arg0, ap);
	va_end(ap);
}

void action_add_undo_command(struct action *a, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	add_argv(&a->undo_commands, &a->n_undo_commands, arg0, ap);
	va_end(ap);
}

void action_add_manual(struct action *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strlist_add_owned(&a->manual, xvasprintf(fmt, ap));
	va_end(ap);
}

void action_set_message(struct action *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(a->message);
	a->message = xvasprintf(fmt, ap);
	va_end(ap);
}

bool action_is_empty(const struct action *a)
{
	return a->n_files == 0 && a->n_commands == 0;
}
