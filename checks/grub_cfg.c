/* grub_cfg.c: finds the menuentry titles and linux/linux16/linuxefi lines of a grub.cfg. */
#include "config.h"

#include "grub_cfg.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The first quoted word after "menuentry", or the bare word. */
static char *menuentry_title(const char *rest)
{
	while (*rest == ' ' || *rest == '\t')
		rest++;
	char q = *rest;
	if (q == '\'' || q == '"') {
		const char *end = strchr(rest + 1, q);
		return end ? xstrndup(rest + 1, (size_t)(end - rest - 1)) : xstrdup(rest + 1);
	}
	return xstrndup(rest, strcspn(rest, " \t{"));
}

static const char *after_keyword(const char *line, const char *kw)
{
	size_t n = strlen(kw);
	if (strncmp(line, kw, n) != 0 || (line[n] != ' ' && line[n] != '\t'))
		return NULL;
	return line + n;
}

void grub_cfg_parse(const char *text, size_t len, struct grub_cfg *out)
{
	memset(out, 0, sizeof *out);
	struct buf line;
	buf_init(&line);
	size_t pos = 0, lineno = 0;
	char *title = NULL;
	bool configfile = false;
	while (text_next_line(text, len, &pos, &line)) {
		lineno++;
		char *l = str_trim(line.data);
		const char *rest;
		if ((rest = after_keyword(l, "menuentry")) != NULL) {
			free(title);
			title = menuentry_title(rest);
		} else if (strcmp(l, "blscfg") == 0) {
			out->blscfg = true;
		} else if (after_keyword(l, "configfile")) {
			configfile = true;
		} else if ((rest = after_keyword(l, "linux")) || (rest = after_keyword(l, "linux16")) ||
		           (rest = after_keyword(l, "linuxefi"))) {
			while (*rest == ' ' || *rest == '\t')
				rest++;
			size_t klen = strcspn(rest, " \t");
			const char *args = rest + klen;
			while (*args == ' ' || *args == '\t')
				args++;
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			struct grub_cfg_entry *e = &out->v[out->n++];
			e->title = xstrdup(title ? title : "");
			e->kernel = xstrndup(rest, klen);
			e->args = xstrdup(args);
			e->lineno = lineno;
			e->recovery = str_casestr(e->title, "recovery mode") || str_casestr(e->title, "rescue");
		}
	}
	out->stub = configfile && out->n == 0 && !title;
	free(title);
	buf_free(&line);
}

void grub_cfg_free(struct grub_cfg *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].title);
		free(g->v[i].kernel);
		free(g->v[i].args);
	}
	free(g->v);
	memset(g, 0, sizeof *g);
}
