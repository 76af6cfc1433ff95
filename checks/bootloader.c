/* bootloader.c: reads the kernel arguments of every boot scheme and plans safe changes to them. */
#include "config.h"

#include "bootloader.h"
#include "bls.h"
#include "grub_cfg.h"
#include "grub_default.h"
#include "grub_legacy.h"
#include "i18n.h"
#include "run.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_FILE_MAX (4u * 1024 * 1024)
#define DEFAULT_GRUB "/etc/default/grub"
#define DEFAULT_GRUB_D "/etc/default/grub.d"
#define KVMPREP_DROPIN "/etc/default/grub.d/90-kvmprep.cfg"
#define GRUBENV "/boot/grub2/grubenv"
#define KERNEL_CMDLINE "/etc/kernel/cmdline"
#define BLS_DIR "/boot/loader/entries"

static const char *const esp_vendors[] = { "centos", "redhat", "rocky", "almalinux", "fedora", "ol" };

static void add_place(struct boot_config *bc, const char *path, const char *what, const char *args, bool entry,
                      bool default_entry)
{
	bc->places = xrealloc(bc->places, (bc->n_places + 1) * sizeof *bc->places);
	struct boot_place *p = &bc->places[bc->n_places++];
	p->path = xstrdup(path);
	p->what = xstrdup(what);
	p->args = xstrdup(args ? args : "");
	p->entry = entry;
	p->default_entry = default_entry;
}

static void set_problem(struct boot_config *bc, char *problem)
{
	if (!bc->problem)
		bc->problem = problem;
	else
		free(problem);
	bc->editable = false;
}

/* Reads a boot file; on failure records the problem and returns false. */
static bool read_boot_file(struct check_ctx *ctx, struct boot_config *bc, const char *path, struct buf *out)
{
	int rc = host_read_file(ctx->host, path, BOOT_FILE_MAX, out);
	if (rc == 0)
		return true;
	set_problem(bc, xasprintf(_("cannot read %s: %s"), path, strerror(-rc)));
	return false;
}

/* ---- GRUB legacy ---- */

static const char *grub_legacy_path(struct check_ctx *ctx)
{
	static const char *const paths[] = { "/boot/grub/grub.conf", "/boot/efi/EFI/redhat/grub.conf",
	                                     "/boot/grub/menu.lst" };
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		if (host_exists(ctx->host, paths[i]))
			return paths[i];
	return paths[0];
}

static void read_grub_legacy(struct check_ctx *ctx, struct boot_config *bc)
{
	const char *path = grub_legacy_path(ctx);
	struct buf text;
	buf_init(&text);
	if (read_boot_file(ctx, bc, path, &text)) {
		struct grub_legacy g;
		grub_legacy_parse(text.data, text.len, &g);
		for (size_t i = 0; i < g.n; i++) {
			if (!g.v[i].is_linux)
				continue;
			char *what = xasprintf(_("kernel line of '%s'"), g.v[i].title ? g.v[i].title : "?");
			add_place(bc, path, what, g.v[i].args, true, g.default_index < 0 || (size_t)g.default_index == i);
			free(what);
		}
		if (g.linux_count == 0)
			set_problem(bc, xasprintf(_("%s has no Linux entry"), path));
		grub_legacy_free(&g);
	}
	buf_free(&text);
}

/* ---- /etc/default/grub ---- */

/* GRUB_CMDLINE_LINUX of /etc/default/grub as a place (the default for regenerated menus). */
static void read_default_grub(struct check_ctx *ctx, struct boot_config *bc)
{
	struct buf text;
	buf_init(&text);
	if (read_boot_file(ctx, bc, DEFAULT_GRUB, &text)) {
		struct grub_default_var var;
		grub_default_find(text.data, text.len, "GRUB_CMDLINE_LINUX", &var);
		add_place(bc, DEFAULT_GRUB, "GRUB_CMDLINE_LINUX", var.found ? var.value : "", false, false);
		if (var.found && var.unsafe)
			set_problem(bc, xasprintf(_("%s:%zu: GRUB_CMDLINE_LINUX uses shell expansion; kvmprep does not "
			                            "edit it"), DEFAULT_GRUB, var.lineno));
		grub_default_var_free(&var);
	}
	buf_free(&text);
}

/* The drop-ins of /etc/default/grub.d in the order grub-mkconfig sources them. */
static void list_dropins(struct check_ctx *ctx, struct strlist *paths, bool include_ours)
{
	struct strlist names;
	strlist_init(paths);
	if (host_list_dir(ctx->host, DEFAULT_GRUB_D, &names) < 0)
		return;
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", DEFAULT_GRUB_D, names.v[i]);
		if (str_ends_with(names.v[i], ".cfg") && (include_ours || strcmp(path, KVMPREP_DROPIN) != 0))
			strlist_add_owned(paths, path);
		else
			free(path);
	}
	strlist_free(&names);
}

/* The effective GRUB_CMDLINE_LINUX of Debian: the main file, then every drop-in. */
static int debian_effective(struct check_ctx *ctx, bool include_ours, char **value, char **error)
{
	struct strlist paths;
	list_dropins(ctx, &paths, include_ours);
	size_t n = paths.n + 1;
	struct buf *texts = xcalloc(n, sizeof *texts);
	const char **ptrs = xcalloc(n, sizeof *ptrs);
	size_t *lens = xcalloc(n, sizeof *lens);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *path = i == 0 ? DEFAULT_GRUB : paths.v[i - 1];
		buf_init(&texts[i]);
		int r = host_read_file(ctx->host, path, BOOT_FILE_MAX, &texts[i]);
		if (r < 0 && !(i == 0 && r == -ENOENT)) {
			*error = xasprintf(_("cannot read %s: %s"), path, strerror(-r));
			rc = -1;
		}
		ptrs[i] = texts[i].data ? texts[i].data : "";
		lens[i] = texts[i].len;
	}
	if (rc == 0)
		rc = grub_default_effective(ptrs, lens, n, "GRUB_CMDLINE_LINUX", value, error);
	for (size_t i = 0; i < n; i++)
		buf_free(&texts[i]);
	free(texts);
	free(ptrs);
	free(lens);
	strlist_free(&paths);
	return rc;
}

/* ---- GRUB2 (EL classic and Debian) ---- */

/* The ESP grub.cfg of an EL host when it holds the full menu (UEFI, not a stub). */
static char *el_mkconfig_output(struct check_ctx *ctx)
{
	if (ctx->info.uefi) {
		for (size_t i = 0; i < ARRAY_SIZE(esp_vendors); i++) {
			char *path = xasprintf("/boot/efi/EFI/%s/grub.cfg", esp_vendors[i]);
			struct buf text;
			buf_init(&text);
			if (host_read_file(ctx->host, path, BOOT_FILE_MAX, &text) == 0) {
				struct grub_cfg g;
				grub_cfg_parse(text.data, text.len, &g);
				bool full = !g.stub;
				grub_cfg_free(&g);
				buf_free(&text);
				if (full)
					return path;
			} else {
				buf_free(&text);
			}
			free(path);
		}
	}
	return xstrdup("/boot/grub2/grub.cfg");
}

static void read_grub_cfg_entries(struct check_ctx *ctx, struct boot_config *bc, const char *path)
{
	struct buf text;
	buf_init(&text);
	if (host_read_file(ctx->host, path, BOOT_FILE_MAX, &text) == 0) {
		struct grub_cfg g;
		grub_cfg_parse(text.data, text.len, &g);
		for (size_t i = 0; i < g.n; i++) {
			char *what = xasprintf(_("menu entry '%s' in %s"), g.v[i].title, path);
			add_place(bc, path, what, g.v[i].args, true, i == 0);
			free(what);
		}
		grub_cfg_free(&g);
	}
	buf_free(&text);
}

static void read_grub2(struct check_ctx *ctx, struct boot_config *bc)
{
	if (host_exists(ctx->host, "/etc/debian_version")) {
		bc->flavour = "debian";
		char *value = NULL, *error = NULL;
		if (debian_effective(ctx, true, &value, &error) < 0) {
			set_problem(bc, error);
			error = NULL;
		} else {
			add_place(bc, DEFAULT_GRUB, _("GRUB_CMDLINE_LINUX (with /etc/default/grub.d)"), value, false, false);
		}
		free(value);
		free(error);
		read_grub_cfg_entries(ctx, bc, "/boot/grub/grub.cfg");
		return;
	}
	bc->flavour = "el";
	read_default_grub(ctx, bc);
	bc->mkconfig_output = el_mkconfig_output(ctx);
	read_grub_cfg_entries(ctx, bc, bc->mkconfig_output);
}

/* ---- BLS (EL8, EL9) ---- */

static void read_grubenv(struct check_ctx *ctx, struct strlist *keys, struct strlist *values, bool *present)
{
	struct buf text;
	buf_init(&text);
	strlist_init(keys);
	strlist_init(values);
	*present = false;
	char *error = NULL;
	if (host_read_file(ctx->host, GRUBENV, 64 * 1024, &text) == 0 &&
	    grubenv_parse(text.data, text.len, keys, values, &error) == 0)
		*present = true;
	free(error);
	buf_free(&text);
}

/* Replaces the token $kernelopts in options with its grubenv value. */
static char *expand_kernelopts(const char *options, const char *kernelopts)
{
	struct buf out;
	buf_init(&out);
	const char *p = options;
	const char *hit;
	while ((hit = strstr(p, "$kernelopts")) != NULL) {
		buf_append(&out, p, (size_t)(hit - p));
		buf_puts(&out, kernelopts ? kernelopts : "");
		p = hit + strlen("$kernelopts");
	}
	buf_puts(&out, p);
	return buf_steal(&out);
}

static void read_bls(struct check_ctx *ctx, struct boot_config *bc, const char *dir, bool editable_scheme)
{
	struct strlist names, ids;
	strlist_init(&ids);
	if (host_list_dir(ctx->host, dir, &names) < 0) {
		set_problem(bc, xasprintf(_("cannot list %s"), dir));
		return;
	}
	for (size_t i = 0; i < names.n; i++)
		if (str_ends_with(names.v[i], ".conf"))
			strlist_add_owned(&ids, xstrndup(names.v[i], strlen(names.v[i]) - strlen(".conf")));
	strlist_free(&names);
	bls_sort_ids(&ids);

	struct strlist keys, values;
	bool env_present;
	read_grubenv(ctx, &keys, &values, &env_present);
	const char *kernelopts = env_present ? grubenv_get(&keys, &values, "kernelopts") : NULL;
	const char *saved = env_present ? grubenv_get(&keys, &values, "saved_entry") : NULL;
	bool saved_found = false;
	for (size_t i = 0; i < ids.n; i++)
		saved_found = saved_found || (saved && strcmp(saved, ids.v[i]) == 0);

	for (size_t i = 0; i < ids.n; i++) {
		char *path = xasprintf("%s/%s.conf", dir, ids.v[i]);
		struct buf text;
		buf_init(&text);
		if (read_boot_file(ctx, bc, path, &text)) {
			struct bls_entry e;
			bls_parse(text.data, text.len, &e);
			char *args = e.options ? expand_kernelopts(e.options, kernelopts) : xstrdup("");
			bc->kernelopts = bc->kernelopts || e.uses_kernelopts;
			char *what = xasprintf(_("entry %s"), ids.v[i]);
			bool is_default = saved_found ? strcmp(saved, ids.v[i]) == 0 : i == 0;
			add_place(bc, path, what, args, true, is_default);
			free(what);
			free(args);
			bls_entry_free(&e);
		}
		buf_free(&text);
		free(path);
	}
	if (ids.n == 0)
		set_problem(bc, xasprintf(_("%s holds no entry"), dir));
	if (editable_scheme) {
		if (kernelopts)
			add_place(bc, GRUBENV, _("kernelopts in the GRUB environment block"), kernelopts, false, false);
		char *cmdline = NULL;
		if (host_read_line(ctx->host, KERNEL_CMDLINE, &cmdline) == 0)
			add_place(bc, KERNEL_CMDLINE, _("the default for new kernels"), cmdline, false, false);
		free(cmdline);
		if (host_exists(ctx->host, DEFAULT_GRUB))
			read_default_grub(ctx, bc);
	}
	strlist_free(&keys);
	strlist_free(&values);
	strlist_free(&ids);
}

/* ---- extlinux / syslinux (read only) ---- */

static const char *extlinux_path(struct check_ctx *ctx)
{
	static const char *const paths[] = { "/boot/extlinux/extlinux.conf", "/boot/syslinux/syslinux.cfg",
	                                     "/extlinux.conf", "/boot/extlinux.conf" };
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		if (host_exists(ctx->host, paths[i]))
			return paths[i];
	return NULL;
}

static void read_extlinux(struct check_ctx *ctx, struct boot_config *bc, const char *path)
{
	struct buf text, line;
	buf_init(&text);
	buf_init(&line);
	if (read_boot_file(ctx, bc, path, &text)) {
		size_t pos = 0;
		bool first = true;
		while (text_next_line(text.data, text.len, &pos, &line)) {
			char *l = str_trim(line.data);
			if (strncasecmp(l, "append", 6) == 0 && (l[6] == ' ' || l[6] == '\t')) {
				add_place(bc, path, _("APPEND line"), str_trim(l + 6), true, first);
				first = false;
			}
		}
	}
	buf_free(&text);
	buf_free(&line);
}

void boot_config_read(struct check_ctx *ctx, struct boot_config *bc)
{
	memset(bc, 0, sizeof *bc);
	bc->scheme = ctx->info.bootloader;
	bc->editable = true;
	if (strcmp(bc->scheme, "grub-legacy") == 0) {
		read_grub_legacy(ctx, bc);
	} else if (strcmp(bc->scheme, "grub2") == 0) {
		read_grub2(ctx, bc);
	} else if (strcmp(bc->scheme, "grub2-bls") == 0) {
		bc->flavour = "el";
		read_bls(ctx, bc, BLS_DIR, true);
	} else if (strcmp(bc->scheme, "systemd-boot") == 0) {
		set_problem(bc, xstrdup(_("systemd-boot: kvmprep does not edit its entries")));
		if (host_is_dir(ctx->host, BLS_DIR))
			read_bls(ctx, bc, BLS_DIR, false);
	} else {
		const char *ext = extlinux_path(ctx);
		if (ext) {
			bc->scheme = "extlinux";
			set_problem(bc, xasprintf(_("extlinux/syslinux (%s): kvmprep does not edit it"), ext));
			read_extlinux(ctx, bc, ext);
		} else {
			set_problem(bc, xstrdup(_("no supported boot loader configuration was found")));
		}
	}
}

void boot_config_free(struct boot_config *bc)
{
	for (size_t i = 0; i < bc->n_places; i++) {
		free(bc->places[i].path);
		free(bc->places[i].what);
		free(bc->places[i].args);
	}
	free(bc->places);
	free(bc->problem);
	free(bc->mkconfig_output);
	memset(bc, 0, sizeof *bc);
}

bool boot_config_satisfied(const struct boot_config *bc, const struct kargs_edit *edit, struct strlist *missing)
{
	bool all = bc->n_places > 0;
	for (size_t i = 0; i < bc->n_places; i++) {
		if (kargs_satisfied(bc->places[i].args, edit))
			continue;
		all = false;
		if (missing && bc->places[i].default_entry)
			strlist_add_owned(missing, xasprintf(_("%s (boots by default)"), bc->places[i].what));
		else if (missing)
			strlist_add(missing, bc->places[i].what);
	}
	return all;
}

char *kargs_edit_describe(const struct kargs_edit *edit)
{
	struct buf out;
	buf_init(&out);
	for (size_t i = 0; i < edit->n_add; i++)
		buf_printf(&out, "%s%s", out.len ? " " : "", edit->add[i]);
	for (size_t i = 0; i < edit->n_remove; i++)
		buf_printf(&out, "%s-%s", out.len ? " " : "", edit->remove[i]);
	if (!out.len)
		buf_puts(&out, "");
	return buf_steal(&out);
}

/* ---- planning ---- */

/* "--args=A B" / "--remove-args=C" for grubby, NULL when the list is empty. */
static char *joined_option(const char *option, const char *const *tokens, size_t n)
{
	if (n == 0)
		return NULL;
	struct buf out;
	buf_init(&out);
	buf_puts(&out, option);
	for (size_t i = 0; i < n; i++)
		buf_printf(&out, "%s%s", i ? " " : "", tokens[i]);
	return buf_steal(&out);
}

/* Edits a file with an editor function into the action; false (manual) on a refusal. */
static bool plan_default_grub(struct check_ctx *ctx, const struct kargs_edit *edit, struct action *a)
{
	struct buf old, new_text;
	buf_init(&old);
	buf_init(&new_text);
	int rrc = host_read_file(ctx->host, DEFAULT_GRUB, BOOT_FILE_MAX, &old);
	bool ok = true;
	if (rrc < 0) {
		action_set_message(a, _("cannot read %s: %s"), DEFAULT_GRUB, strerror(-rrc));
		ok = false;
	} else {
		char *error = NULL;
		int rc = grub_default_edit_cmdline(old.data, old.len, edit, &new_text, &error);
		if (rc < 0) {
			action_set_message(a, "%s", error);
			ok = false;
		} else if (rc == 0) {
			action_add_file(a, DEFAULT_GRUB, old.data, old.len, new_text.data, new_text.len, 0644);
		}
		free(error);
	}
	buf_free(&old);
	buf_free(&new_text);
	return ok;
}

static void plan_grub_legacy(struct check_ctx *ctx, const struct kargs_edit *edit, struct action *a)
{
	const char *path = grub_legacy_path(ctx);
	struct buf old, new_text;
	buf_init(&old);
	buf_init(&new_text);
	int rc = host_read_file(ctx->host, path, BOOT_FILE_MAX, &old);
	if (rc < 0) {
		action_set_message(a, _("cannot read %s: %s"), path, strerror(-rc));
		a->status = ACTION_FAILED;
	} else {
		size_t changed = 0;
		grub_legacy_edit(old.data, old.len, edit, &new_text, &changed);
		action_add_file(a, path, old.data, old.len, new_text.data, new_text.len, 0600);
	}
	buf_free(&old);
	buf_free(&new_text);
}

/* Quotes a value for a double-quoted shell assignment, or returns NULL when it holds
 * characters kvmprep will not write into a file that is sourced as root. */
static char *dquote_value(const char *value)
{
	for (const char *p = value; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '$' || *p == '`' || *p == '\n')
			return NULL;
	return xasprintf("\"%s\"", value);
}

static void plan_debian(struct check_ctx *ctx, const struct kargs_edit *edit, struct action *a)
{
	char *base = NULL, *error = NULL;
	if (debian_effective(ctx, false, &base, &error) < 0) {
		action_set_message(a, "%s", error);
		a->status = ACTION_MANUAL;
		free(error);
		return;
	}
	char *wanted = kargs_apply(base, edit);
	struct buf content;
	buf_init(&content);
	buf_puts(&content, "# Written by kvmprep: kernel arguments for KVM hosts (IOMMU).\n"
	                   "# To return to the previous state, run 'kvmprep undo' or delete this file,\n"
	                   "# then run 'update-grub'.\n");
	size_t blen = strlen(base);
	if (edit->n_remove == 0 && strncmp(wanted, base, blen) == 0 && kargs_satisfied(wanted, edit)) {
		/* Only additions: extend whatever the other files set, so later edits there still count. */
		const char *tail = wanted + blen;
		while (*tail == ' ')
			tail++;
		buf_printf(&content, "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX %s\"\n", tail);
	} else {
		char *quoted = dquote_value(wanted);
		if (!quoted) {
			action_set_message(a, _("the effective GRUB_CMDLINE_LINUX holds shell characters; edit it by hand"));
			a->status = ACTION_MANUAL;
		} else {
			buf_printf(&content, "GRUB_CMDLINE_LINUX=%s\n", quoted);
		}
		free(quoted);
	}
	if (a->status != ACTION_MANUAL) {
		struct buf old;
		buf_init(&old);
		bool existed = host_read_file(ctx->host, KVMPREP_DROPIN, BOOT_FILE_MAX, &old) == 0;
		action_add_file(a, KVMPREP_DROPIN, existed ? old.data : NULL, old.len, content.data, content.len, 0644);
		buf_free(&old);
		action_add_command(a, "update-grub", NULL);
		strlist_add(&a->also_changes, "/boot/grub/grub.cfg");
	}
	buf_free(&content);
	free(wanted);
	free(base);
}

static void plan_bls(struct check_ctx *ctx, const struct boot_config *bc, const struct kargs_edit *edit,
                     struct action *a)
{
	if (host_exists(ctx->host, DEFAULT_GRUB) && !plan_default_grub(ctx, edit, a)) {
		a->status = ACTION_MANUAL;
		return;
	}
	char *grubby = run_find_program(ctx->host, "grubby");
	if (grubby) {
		/* Only the removals some entry really holds: the command line stays what an admin would type. */
		const char **present = xcalloc(edit->n_remove + 1, sizeof *present);
		size_t n_present = 0;
		for (size_t i = 0; i < edit->n_remove; i++)
			for (size_t j = 0; j < bc->n_places; j++)
				if (kargs_has(bc->places[j].args, edit->remove[i])) {
					present[n_present++] = edit->remove[i];
					break;
				}
		char *args = joined_option("--args=", edit->add, edit->n_add);
		char *remove = joined_option("--remove-args=", present, n_present);
		free(present);
		if (args && remove)
			action_add_command(a, "grubby", "--update-kernel=ALL", args, remove, NULL);
		else
			action_add_command(a, "grubby", "--update-kernel=ALL", args ? args : remove, NULL);
		free(args);
		free(remove);
		for (size_t i = 0; i < bc->n_places; i++)
			if (strcmp(bc->places[i].path, DEFAULT_GRUB) != 0 && !strlist_contains(&a->also_changes, bc->places[i].path))
				strlist_add(&a->also_changes, bc->places[i].path);
		free(grubby);
		return;
	}
	/* Without grubby: the entries and /etc/kernel/cmdline are plain text kvmprep edits itself;
	 * the grubenv block is changed only through grub2-editenv (ENV-1). */
	for (size_t i = 0; i < bc->n_places; i++) {
		const struct boot_place *p = &bc->places[i];
		if (!p->entry)
			continue;
		struct buf old, new_text;
		buf_init(&old);
		buf_init(&new_text);
		if (host_read_file(ctx->host, p->path, BOOT_FILE_MAX, &old) == 0 &&
		    bls_edit_options(old.data, old.len, edit, &new_text) == 0)
			action_add_file(a, p->path, old.data, old.len, new_text.data, new_text.len, 0644);
		buf_free(&old);
		buf_free(&new_text);
	}
	for (size_t i = 0; i < bc->n_places; i++) {
		const struct boot_place *p = &bc->places[i];
		if (strcmp(p->path, KERNEL_CMDLINE) == 0) {
			struct buf old;
			buf_init(&old);
			if (host_read_file(ctx->host, KERNEL_CMDLINE, BOOT_FILE_MAX, &old) == 0) {
				char *edited = kargs_apply(p->args, edit);
				char *text = xasprintf("%s\n", edited);
				action_add_file(a, KERNEL_CMDLINE, old.data, old.len, text, strlen(text), 0644);
				free(text);
				free(edited);
			}
			buf_free(&old);
		} else if (strcmp(p->path, GRUBENV) == 0) {
			char *edited = kargs_apply(p->args, edit);
			char *setting = xasprintf("kernelopts=%s", edited);
			action_add_command(a, "grub2-editenv", "-", "set", setting, NULL);
			strlist_add(&a->also_changes, GRUBENV);
			free(setting);
			free(edited);
		}
	}
}

/* "add amd_iommu=on and remove amd_iommu=off or iommu=off", for instructions. */
static char *edit_in_words(const struct kargs_edit *edit)
{
	struct buf out;
	buf_init(&out);
	if (edit->n_add) {
		buf_puts(&out, _("add"));
		for (size_t i = 0; i < edit->n_add; i++)
			buf_printf(&out, " %s", edit->add[i]);
	}
	if (edit->n_remove) {
		buf_printf(&out, "%s%s", out.len ? _(" and ") : "", _("remove any"));
		for (size_t i = 0; i < edit->n_remove; i++)
			buf_printf(&out, "%s%s", i ? _(" or ") : " ", edit->remove[i]);
	}
	return buf_steal(&out);
}

static void plan_manual(const struct boot_config *bc, const struct kargs_edit *edit, struct action *a)
{
	char *args = edit_in_words(edit);
	a->status = ACTION_MANUAL;
	action_set_message(a, "%s", bc->problem ? bc->problem : _("the boot configuration cannot be edited safely"));
	if (strcmp(bc->scheme, "systemd-boot") == 0)
		action_add_manual(a, _("On the options line of every entry in /boot/loader/entries/*.conf (and in "
		                       "/etc/kernel/cmdline when kernel-install is used): %s. Then reboot."), args);
	else if (strcmp(bc->scheme, "extlinux") == 0)
		action_add_manual(a, _("On the APPEND line of every LABEL in the extlinux configuration: %s. "
		                       "Then reboot."), args);
	else
		action_add_manual(a, _("On the kernel command line in your boot loader's configuration, for every "
		                       "entry and for future kernels: %s. Then reboot."), args);
	action_add_manual(a, _("After the reboot, 'kvmprep check' verifies /proc/cmdline and the boot messages."));
	free(args);
}

/* Programs missing from a root other than "/": the action becomes manual with the exact
 * commands, and nothing is changed (a half-applied boot change is worse than none). */
static void demote_if_programs_missing(struct check_ctx *ctx, struct action *a)
{
	if (host_is_live(ctx->host) || a->status != ACTION_PLANNED)
		return;
	bool missing = false;
	for (size_t i = 0; i < a->n_commands; i++) {
		char *prog = run_find_program(ctx->host, a->commands[i].argv[0]);
		missing = missing || !prog;
		free(prog);
	}
	if (!missing)
		return;
	a->status = ACTION_MANUAL;
	action_set_message(a, _("a program this change needs is not in %s; nothing was changed"), host_root(ctx->host));
	for (size_t i = 0; i < a->n_files; i++)
		action_add_manual(a, _("Change %s as the diff shows."), a->files[i].path);
	for (size_t i = 0; i < a->n_commands; i++) {
		char *line = run_format_argv((const char *const *)a->commands[i].argv);
		action_add_manual(a, _("Run: %s"), line);
		free(line);
	}
}

void boot_config_plan(struct check_ctx *ctx, const struct boot_config *bc, const struct kargs_edit *edit,
                      struct action *a)
{
	for (size_t i = 0; i < edit->n_add; i++)
		strlist_add(&a->reboot_args, edit->add[i]);
	a->reboot_required = true;
	if (!bc->editable) {
		plan_manual(bc, edit, a);
		return;
	}
	if (strcmp(bc->scheme, "grub-legacy") == 0) {
		plan_grub_legacy(ctx, edit, a);
	} else if (strcmp(bc->scheme, "grub2") == 0 && bc->flavour && strcmp(bc->flavour, "debian") == 0) {
		plan_debian(ctx, edit, a);
	} else if (strcmp(bc->scheme, "grub2") == 0) {
		if (!plan_default_grub(ctx, edit, a)) {
			a->status = ACTION_MANUAL;
			return;
		}
		action_add_command(a, "grub2-mkconfig", "-o", bc->mkconfig_output, NULL);
		strlist_add(&a->also_changes, bc->mkconfig_output);
	} else if (strcmp(bc->scheme, "grub2-bls") == 0) {
		plan_bls(ctx, bc, edit, a);
	} else {
		plan_manual(bc, edit, a);
		return;
	}
	demote_if_programs_missing(ctx, a);
}
