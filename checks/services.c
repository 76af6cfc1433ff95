/* services.c: SysV (chkconfig) and systemd service state, pid files and processes, read offline from the root. */
#include "config.h"

#include "services.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_FILE_MAX (1024 * 1024)
#define SCRIPT_MAX (1024 * 1024)
#define INITTAB_MAX (1024 * 1024)
#define TASK_COMM_CHARS 15 /* the kernel keeps 15 characters of a command name (TASK_COMM_LEN - 1) */

/* A service or unit name that can be joined to a directory: no '/', not "." or "..". */
static bool name_ok(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* ---- SysV ---- */

/* "[SK][0-9][0-9]NAME", exactly: S84ksm is a link of ksm, S85ksmtuned and S84ksm-foo are not. */
static bool rc_link_of(const char *entry, const char *name)
{
	return (entry[0] == 'S' || entry[0] == 'K') && entry[1] >= '0' && entry[1] <= '9' &&
	       entry[2] >= '0' && entry[2] <= '9' && strcmp(entry + 3, name) == 0;
}

/* Parses "chkconfig: LEVELS START STOP" (the text after "#" and blanks) into out. */
static bool parse_chkconfig_header(const char *s, struct sysv_state *out)
{
	if (!str_starts_with(s, "chkconfig:"))
		return false;
	s += strlen("chkconfig:");
	char levels[16];
	int start, stop;
	/* As chkconfig's sscanf("%s %d %d"): text after the three fields is ignored. */
	if (sscanf(s, " %15s %d %d", levels, &start, &stop) != 3)
		return false;
	if (strcmp(levels, "-") != 0) {
		if (strlen(levels) >= sizeof out->header_levels)
			return false;
		for (const char *p = levels; *p; p++)
			if (*p < '0' || *p > '6')
				return false;
	}
	if (start < 0 || start > 99 || stop < 0 || stop > 99)
		return false;
	strcpy(out->header_levels, levels);
	out->start_priority = start;
	out->stop_priority = stop;
	return true;
}

/* Reads the "# chkconfig:" header of the init script, as chkconfig's readServiceInfo does:
 * a comment line whose text after '#' and blanks starts with "chkconfig:". */
static void read_script_header(struct host *h, const char *path, struct sysv_state *out)
{
	struct buf text, line;
	buf_init(&text);
	buf_init(&line);
	if (host_read_file(h, path, SCRIPT_MAX, &text) == 0) {
		size_t pos = 0;
		while (text_next_line(text.data, text.len, &pos, &line)) {
			if (!line.data || line.data[0] != '#')
				continue;
			char *s = line.data + 1;
			while (char_is_blank(*s))
				s++;
			str_trim(s);
			if (parse_chkconfig_header(s, out))
				break;
		}
	}
	buf_free(&line);
	buf_free(&text);
}

int sysv_state_read(struct host *h, const char *name, struct sysv_state *out)
{
	memset(out, 0, sizeof *out);
	out->start_priority = -1;
	out->stop_priority = -1;
	if (!name_ok(name))
		return -EINVAL;

	static const char *const script_dirs[] = { "/etc/rc.d/init.d", "/etc/init.d" };
	for (size_t i = 0; i < ARRAY_SIZE(script_dirs) && !out->script; i++) {
		char *path = xasprintf("%s/%s", script_dirs[i], name);
		struct stat st;
		if (host_stat(h, path, &st) == 0 && S_ISREG(st.st_mode)) {
			out->script = true;
			read_script_header(h, path, out);
		}
		free(path);
	}

	int rc = 0;
	for (int level = 0; level <= 6; level++) {
		char *dir = xasprintf("/etc/rc%d.d", level);
		struct strlist names;
		int lr = host_list_dir(h, dir, &names);
		free(dir);
		if (lr < 0) {
			/* A missing runlevel directory only means that level is off. */
			if (lr != -ENOENT && lr != -ENOTDIR && rc == 0)
				rc = lr;
			continue;
		}
		/* host_list_dir sorts with strcmp, as glob(3) in the C locale: the first match decides. */
		for (size_t i = 0; i < names.n; i++) {
			if (rc_link_of(names.v[i], name)) {
				out->referenced = true;
				out->on[level] = names.v[i][0] == 'S';
				break;
			}
		}
		strlist_free(&names);
	}
	return rc;
}

int sysv_default_runlevel(struct host *h)
{
	struct buf text, line;
	buf_init(&text);
	buf_init(&line);
	int level = -1;
	if (host_read_file(h, "/etc/inittab", INITTAB_MAX, &text) == 0) {
		size_t pos = 0;
		while (level < 0 && text_next_line(text.data, text.len, &pos, &line)) {
			char *s = line.data ? line.data : (char *)"";
			while (char_is_blank(*s))
				s++;
			if (*s == '#' || *s == '\0')
				continue;
			/* id:runlevels:action:process */
			char *c1 = strchr(s, ':');
			char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (!c2)
				continue;
			char *action = c2 + 1;
			size_t alen = strcspn(action, ":");
			while (alen > 0 && char_is_blank(action[alen - 1]))
				alen--;
			if (alen != strlen("initdefault") || memcmp(action, "initdefault", alen) != 0)
				continue;
			/* As sysvinit's get_init_default: the highest level named in the field. */
			for (const char *p = c1 + 1; p < c2; p++)
				if (*p >= '0' && *p <= '6' && *p - '0' > level)
					level = *p - '0';
		}
	}
	buf_free(&line);
	buf_free(&text);
	return level;
}

char *sysv_list_line(const char *name, const struct sysv_state *s)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%-15s", name);
	for (int level = 0; level <= 6; level++)
		buf_printf(&b, "\t%d:%s", level, s->on[level] ? "on" : "off");
	return buf_steal(&b);
}

/* ---- systemd ---- */

static const char *const unit_dirs[] = {
	"/etc/systemd/system",
	"/run/systemd/system",
	"/usr/lib/systemd/system",
	"/lib/systemd/system",
};
/* The configuration directories whose every *.wants and *.requires directory is looked at. */
static const char *const config_dirs[] = { "/etc/systemd/system", "/run/systemd/system" };

/* The unit file name: "ksm" -> "ksm.service"; names with a unit type suffix are kept. */
static char *unit_file_name(const char *unit)
{
	static const char *const suffixes[] = {
		".service", ".socket", ".target", ".timer", ".path", ".mount", ".automount",
		".swap", ".slice", ".scope", ".device",
	};
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (str_ends_with(unit, suffixes[i]) && strlen(unit) > strlen(suffixes[i]))
			return xstrdup(unit);
	return xasprintf("%s.service", unit);
}

/* What the unit file and its drop-ins say. */
struct unit_parse {
	struct strlist wanted_by, required_by;
	bool other_rules;                   /* Alias=, Also=, UpheldBy= */
	bool cond_virt_no;
	char *exec_start;
};

static bool word_is_false(const char *v)
{
	return strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
	       strcmp(v, "off") == 0 || strcmp(v, "n") == 0 || strcmp(v, "f") == 0;
}

static bool word_is_true(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
	       strcmp(v, "on") == 0 || strcmp(v, "y") == 0 || strcmp(v, "t") == 0;
}

/* "no" (and the other false words, or a negated true word) means: only when not virtualised. */
static bool virtualization_no(const char *v)
{
	if (*v == '|')
		v++;
	if (*v == '!')
		return word_is_true(v + 1);
	return word_is_false(v);
}

/* Adds the space separated targets of a WantedBy=/RequiredBy= value; "" resets the list. */
static void add_targets(struct strlist *l, const char *value)
{
	if (!*value) {
		strlist_free(l);
		strlist_init(l);
		return;
	}
	const char *p = value;
	while (*p) {
		while (*p && (char_is_blank(*p)))
			p++;
		size_t n = 0;
		while (p[n] && !char_is_blank(p[n]))
			n++;
		if (n) {
			char *t = xstrndup(p, n);
			if (name_ok(t) && !strlist_contains(l, t))
				strlist_add_owned(l, t);
			else
				free(t);
		}
		p += n;
	}
}

static void parse_assignment(struct unit_parse *u, const char *section, const char *key, const char *value)
{
	if (strcmp(section, "Unit") == 0) {
		if (str_starts_with(key, "Condition") && !*value)
			u->cond_virt_no = false; /* an empty condition resets every condition */
		else if (strcmp(key, "ConditionVirtualization") == 0 && virtualization_no(value))
			u->cond_virt_no = true;
	} else if (strcmp(section, "Service") == 0) {
		if (strcmp(key, "ExecStart") == 0) {
			if (!*value) {
				free(u->exec_start);
				u->exec_start = NULL;
			} else if (!u->exec_start) {
				u->exec_start = xstrdup(value);
			}
		}
	} else if (strcmp(section, "Install") == 0) {
		if (strcmp(key, "WantedBy") == 0)
			add_targets(&u->wanted_by, value);
		else if (strcmp(key, "RequiredBy") == 0)
			add_targets(&u->required_by, value);
		else if ((strcmp(key, "Alias") == 0 || strcmp(key, "Also") == 0 ||
		          strcmp(key, "UpheldBy") == 0) && *value)
			u->other_rules = true;
	}
}

/* Parses systemd's ini format: [Section] lines, Key=Value, '#' and ';' comments, and
 * lines continued by a trailing backslash. */
static void parse_unit_text(struct unit_parse *u, const char *text, size_t len)
{
	struct buf raw, logical;
	buf_init(&raw);
	buf_init(&logical);
	char *section = xstrdup("");
	size_t pos = 0;
	bool more = true;
	while (more) {
		buf_reset(&logical);
		/* Joins continuation lines; comment lines inside a continuation are skipped. */
		bool cont = false;
		while ((more = text_next_line(text, len, &pos, &raw))) {
			char *l = raw.data ? raw.data : (char *)"";
			str_trim(l);
			if (cont && (*l == '#' || *l == ';'))
				continue;
			size_t n = strlen(l);
			cont = n > 0 && l[n - 1] == '\\';
			if (cont)
				l[n - 1] = ' ';
			buf_puts(&logical, l);
			if (!cont)
				break;
		}
		if (!more && logical.len == 0)
			break;
		char *l = logical.data ? logical.data : (char *)"";
		str_trim(l);
		if (*l == '\0' || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			char *end = strchr(l, ']');
			free(section);
			section = end ? xstrndup(l + 1, (size_t)(end - l - 1)) : xstrdup("");
			continue;
		}
		char *eq = strchr(l, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *key = str_trim(l);
		char *value = str_trim(eq + 1);
		parse_assignment(u, section, key, value);
	}
	free(section);
	buf_free(&logical);
	buf_free(&raw);
}

/* Applies the drop-ins UNIT.d/NAME.conf of every unit directory in file-name order; a
 * name in an earlier directory hides the same name in a later one (systemd.unit(5)). */
static void parse_dropins(struct host *h, const char *file, struct unit_parse *u)
{
	struct strlist names, paths;
	strlist_init(&names);
	strlist_init(&paths);
	for (size_t d = 0; d < ARRAY_SIZE(unit_dirs); d++) {
		char *dir = xasprintf("%s/%s.d", unit_dirs[d], file);
		struct strlist list;
		if (host_list_dir(h, dir, &list) == 0) {
			for (size_t i = 0; i < list.n; i++) {
				if (!str_ends_with(list.v[i], ".conf") || strlist_contains(&names, list.v[i]))
					continue;
				strlist_add(&names, list.v[i]);
				strlist_add_owned(&paths, xasprintf("%s/%s", dir, list.v[i]));
			}
			strlist_free(&list);
		}
		free(dir);
	}
	/* Sort (name, path) pairs by name: paths end in "/NAME", so sort the names and look up. */
	strlist_sort(&names);
	for (size_t i = 0; i < names.n; i++) {
		for (size_t j = 0; j < paths.n; j++) {
			const char *slash = strrchr(paths.v[j], '/');
			if (strcmp(slash + 1, names.v[i]) != 0)
				continue;
			struct buf b;
			buf_init(&b);
			if (host_read_file(h, paths.v[j], UNIT_FILE_MAX, &b) == 0)
				parse_unit_text(u, b.data, b.len);
			buf_free(&b);
			break;
		}
	}
	strlist_free(&paths);
	strlist_free(&names);
}

/* Whether the unit file at path masks the unit: a symlink to /dev/null, or an empty file
 * (systemd's null_or_empty()). */
static bool is_mask(struct host *h, const char *path, const struct stat *lst)
{
	if (S_ISLNK(lst->st_mode)) {
		char *target = NULL;
		bool null = host_readlink(h, path, &target) == 0 && strcmp(target, "/dev/null") == 0;
		free(target);
		if (null)
			return true;
		char *rel = NULL;
		null = host_resolve(h, path, true, &rel) == 0 && strcmp(rel, "dev/null") == 0;
		free(rel);
		return null;
	}
	return S_ISREG(lst->st_mode) && lst->st_size == 0;
}

static bool link_exists(struct host *h, const char *dir, const char *target, const char *kind, const char *file)
{
	char *path = xasprintf("%s/%s.%s/%s", dir, target, kind, file);
	struct stat st;
	bool found = host_lstat(h, path, &st) == 0;
	free(path);
	return found;
}

/* Whether a wants/requires link of some target names the unit. */
static bool unit_linked(struct host *h, const char *file, const struct unit_parse *u)
{
	for (size_t d = 0; d < ARRAY_SIZE(unit_dirs); d++) {
		for (size_t i = 0; i < u->wanted_by.n; i++)
			if (link_exists(h, unit_dirs[d], u->wanted_by.v[i], "wants", file))
				return true;
		for (size_t i = 0; i < u->required_by.n; i++)
			if (link_exists(h, unit_dirs[d], u->required_by.v[i], "requires", file))
				return true;
	}
	for (size_t d = 0; d < ARRAY_SIZE(config_dirs); d++) {
		struct strlist entries;
		if (host_list_dir(h, config_dirs[d], &entries) < 0)
			continue;
		bool found = false;
		for (size_t i = 0; i < entries.n && !found; i++) {
			const char *e = entries.v[i];
			if (str_ends_with(e, ".wants") || str_ends_with(e, ".requires")) {
				char *path = xasprintf("%s/%s/%s", config_dirs[d], e, file);
				struct stat st;
				found = host_lstat(h, path, &st) == 0;
				free(path);
			}
		}
		strlist_free(&entries);
		if (found)
			return true;
	}
	return false;
}

int unit_state_read(struct host *h, const char *unit, struct unit_state *out)
{
	memset(out, 0, sizeof *out);
	out->enablement = UNIT_NOT_FOUND;
	if (!name_ok(unit))
		return -EINVAL;
	char *file = unit_file_name(unit);

	int rc = 0;
	for (size_t d = 0; d < ARRAY_SIZE(unit_dirs) && !out->path; d++) {
		char *path = xasprintf("%s/%s", unit_dirs[d], file);
		struct stat lst, st;
		if (host_lstat(h, path, &lst) < 0) {
			free(path);
			continue;
		}
		if (is_mask(h, path, &lst)) {
			out->enablement = UNIT_MASKED;
			out->path = path;
			break;
		}
		if (host_stat(h, path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path); /* a dangling link or a directory: systemd looks further */
			continue;
		}
		struct buf text;
		buf_init(&text);
		int r = host_read_file(h, path, UNIT_FILE_MAX, &text);
		if (r < 0) {
			buf_free(&text);
			free(path);
			rc = r;
			break;
		}
		struct unit_parse u;
		memset(&u, 0, sizeof u);
		strlist_init(&u.wanted_by);
		strlist_init(&u.required_by);
		parse_unit_text(&u, text.data, text.len);
		buf_free(&text);
		parse_dropins(h, file, &u);

		out->path = path;
		out->wanted_by = u.wanted_by.n ? xstrdup(u.wanted_by.v[0]) : NULL;
		out->condition_virtualization_no = u.cond_virt_no;
		out->exec_start = u.exec_start;
		if (unit_linked(h, file, &u))
			out->enablement = UNIT_ENABLED;
		else if (u.wanted_by.n || u.required_by.n || u.other_rules)
			out->enablement = UNIT_DISABLED;
		else
			out->enablement = UNIT_STATIC;
		strlist_free(&u.wanted_by);
		strlist_free(&u.required_by);
	}
	free(file);
	return rc;
}

void unit_state_free(struct unit_state *u)
{
	if (!u)
		return;
	free(u->path);
	free(u->wanted_by);
	free(u->exec_start);
	memset(u, 0, sizeof *u);
}

const char *unit_enablement_word(enum unit_enablement e)
{
	switch (e) {
	case UNIT_ENABLED:
		return "enabled";
	case UNIT_DISABLED:
		return "disabled";
	case UNIT_STATIC:
		return "static";
	case UNIT_MASKED:
		return "masked";
	case UNIT_NOT_FOUND:
		break;
	}
	return "not-found";
}

/* ---- processes ---- */

bool process_running(struct host *h, long pid, const char *comm)
{
	if (pid <= 0)
		return false;
	char *dir = xasprintf("/proc/%ld", pid);
	bool running = host_is_dir(h, dir);
	if (running && comm) {
		char *path = xasprintf("%s/comm", dir);
		char *line = NULL;
		running = host_read_line(h, path, &line) == 0 &&
		          (strcmp(line, comm) == 0 ||
		           (strlen(comm) > TASK_COMM_CHARS && strlen(line) == TASK_COMM_CHARS &&
		            strncmp(line, comm, TASK_COMM_CHARS) == 0));
		free(line);
		free(path);
	}
	free(dir);
	return running;
}

long pidfile_read(struct host *h, const char *path)
{
	char *line = NULL;
	if (host_read_line(h, path, &line) < 0)
		return -1;
	/* initscripts' pid files may hold several pids on the line: the first one counts. */
	line[strcspn(line, " \t")] = '\0';
	long long v;
	long pid = -1;
	if (str_parse_ll(line, &v) && v > 0 && v <= INT_MAX)
		pid = (long)v;
	free(line);
	return pid;
}
