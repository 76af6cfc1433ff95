/* i18n.h: gettext macros; status words, ids and JSON keys are never passed through these. */
#ifndef KVMPREP_I18N_H
#define KVMPREP_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

#endif
