/* screens.h: the body of each wizard screen (welcome, steps, summary), built as rows for any width. */
#ifndef KVMPREP_UI_SCREENS_H
#define KVMPREP_UI_SCREENS_H

#include "app.h"
#include "text.h"

/* Selectable items of a screen beyond its findings (IOMMU group table, KSM gauge and chart). */
size_t screens_extra_items(const struct app *a, const struct app_step *s);
/* The rows of the current screen's body at this width; items as counted for the wizard. */
void screens_body(const struct app *a, int width, struct wlines *out);
/* The current screen's title and its help paragraph (translated). */
const char *screens_title(const struct app *a);
const char *screens_help(const struct app *a);

#endif
