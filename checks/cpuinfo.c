/* cpuinfo.c: parses /proc/cpuinfo into processors; compares whole flag tokens only. */
#include "config.h"

#include "cpuinfo.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void cpu_init(struct cpuinfo_cpu *c)
{
	memset(c, 0, sizeof *c);
	c->processor = c->family = c->model = c->stepping = -1;
}

static bool cpu_is_empty(const struct cpuinfo_cpu *c)
{
	return c->processor < 0 && !c->vendor_id && !c->model_name && !c->flags && !c->vmx_flags &&
	       c->family < 0 && c->model < 0 && c->stepping < 0;
}

static void cpu_free(struct cpuinfo_cpu *c)
{
	free(c->vendor_id);
	free(c->model_name);
	free(c->flags);
	free(c->vmx_flags);
}

static void finish_block(struct cpuinfo *ci, struct cpuinfo_cpu *cur)
{
	if (cpu_is_empty(cur))
		return;
	if (ci->n == ci->cap) {
		ci->cap = ci->cap ? ci->cap * 2 : 8;
		ci->cpus = xrealloc(ci->cpus, ci->cap * sizeof *ci->cpus);
	}
	ci->cpus[ci->n++] = *cur;
	cpu_init(cur);
}

static long parse_long_or(const char *s, long fallback)
{
	long long v;
	return str_parse_ll(s, &v) && v >= 0 && v <= 0x7fffffff ? (long)v : fallback;
}

/* Stores value into *slot unless the block already had that key (the first one wins). */
static void set_once(char **slot, const char *value)
{
	if (!*slot)
		*slot = xstrdup(value);
}

void cpuinfo_parse(const char *text, size_t len, struct cpuinfo *out)
{
	memset(out, 0, sizeof *out);
	struct cpuinfo_cpu cur;
	cpu_init(&cur);
	size_t pos = 0;
	struct buf line;
	buf_init(&line);
	while (text_next_line(text, len, &pos, &line)) {
		char *l = str_trim(line.data);
		if (!*l) {
			finish_block(out, &cur);
			continue;
		}
		char *colon = strchr(l, ':');
		if (!colon) {
			out->skipped_lines++;
			continue;
		}
		*colon = '\0';
		char *key = str_trim(l);
		char *value = str_trim(colon + 1);
		if (strcmp(key, "processor") == 0) {
			if (cur.processor >= 0)
				finish_block(out, &cur); /* no blank line between blocks */
			cur.processor = parse_long_or(value, -1);
		} else if (strcmp(key, "vendor_id") == 0) {
			set_once(&cur.vendor_id, value);
		} else if (strcmp(key, "model name") == 0) {
			set_once(&cur.model_name, value);
		} else if (strcmp(key, "flags") == 0) {
			set_once(&cur.flags, value);
		} else if (strcmp(key, "vmx flags") == 0) {
			set_once(&cur.vmx_flags, value);
		} else if (strcmp(key, "cpu family") == 0) {
			cur.family = parse_long_or(value, -1);
		} else if (strcmp(key, "model") == 0) {
			cur.model = parse_long_or(value, -1);
		} else if (strcmp(key, "stepping") == 0) {
			cur.stepping = parse_long_or(value, -1);
		}
	}
	finish_block(out, &cur);
	buf_free(&line);
}

void cpuinfo_free(struct cpuinfo *ci)
{
	for (size_t i = 0; i < ci->n; i++)
		cpu_free(&ci->cpus[i]);
	free(ci->cpus);
	memset(ci, 0, sizeof *ci);
}

size_t cpuinfo_count_flag(const struct cpuinfo *ci, const char *flag)
{
	size_t count = 0;
	for (size_t i = 0; i < ci->n; i++) {
		const struct cpuinfo_cpu *c = &ci->cpus[i];
		if ((c->flags && str_has_token(c->flags, flag)) ||
		    (c->vmx_flags && str_has_token(c->vmx_flags, flag)))
			count++;
	}
	return count;
}

const char *cpuinfo_vendor(const struct cpuinfo *ci)
{
	for (size_t i = 0; i < ci->n; i++)
		if (ci->cpus[i].vendor_id)
			return ci->cpus[i].vendor_id;
	return NULL;
}

const char *cpuinfo_model_name(const struct cpuinfo *ci)
{
	for (size_t i = 0; i < ci->n; i++)
		if (ci->cpus[i].model_name)
			return ci->cpus[i].model_name;
	return NULL;
}
