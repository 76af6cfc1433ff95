/* cpuid_dump.c: a strict reader for CPUID dumps, with line numbers for every problem. */
#include "config.h"

#include "cpuid_dump.h"
#include "i18n.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct table {
	const char *name;
	size_t offset; /* of the uint32_t[rows][4] array in cpu_raw_data_t */
	int rows;
};

#define TABLE(field, rows) { #field, offsetof(struct cpu_raw_data_t, field), rows }
static const struct table tables[] = {
	TABLE(basic_cpuid, MAX_CPUID_LEVEL),
	TABLE(ext_cpuid, MAX_EXT_CPUID_LEVEL),
	TABLE(intel_fn4, MAX_INTELFN4_LEVEL),
	TABLE(intel_fn11, MAX_INTELFN11_LEVEL),
	TABLE(intel_fn12h, MAX_INTELFN12H_LEVEL),
	TABLE(intel_fn14h, MAX_INTELFN14H_LEVEL),
	TABLE(amd_fn8000001dh, MAX_AMDFN8000001DH_LEVEL),
};

static uint32_t *row_of(struct cpu_raw_data_t *raw, const struct table *t, int row)
{
	return (uint32_t *)((char *)raw + t->offset) + (size_t)row * 4;
}

/* Parses exactly 1..8 hex digits followed by a separator or the end. */
static bool parse_hex32(const char **p, uint32_t *out)
{
	const char *s = *p;
	uint32_t v = 0;
	int digits = 0;
	while (isxdigit((unsigned char)*s)) {
		if (++digits > 8)
			return false;
		int d = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		v = (v << 4) | (uint32_t)d;
		s++;
	}
	if (digits == 0)
		return false;
	*out = v;
	*p = s;
	return true;
}

/* Sets the reason for a parse error and returns -1. */
static int fail_with(char **why, char *reason)
{
	*why = reason;
	return -1;
}

static bool parse_regs(const char *s, char sep, uint32_t regs[4])
{
	for (int i = 0; i < 4; i++) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (i > 0 && sep != ' ') {
			if (*s != sep)
				return false;
			s++;
		}
		if (!parse_hex32(&s, &regs[i]))
			return false;
	}
	return true;
}

static int parse_native(struct cpu_raw_data_t *raw, char *line, char **why)
{
	char *eq = strchr(line, '=');
	char *open = strchr(line, '[');
	if (!eq || !open || open > eq)
		return 0; /* "version=..." and other keys without an index */
	*open = '\0';
	const struct table *t = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
		if (strcmp(line, tables[i].name) == 0)
			t = &tables[i];
	if (!t)
		return 0; /* keys of newer libcpuid versions (amd_fn80000026h, ...) */
	char *close = strchr(open + 1, ']');
	long long idx;
	if (!close || close + 1 != eq)
		return fail_with(why, xstrdup(_("malformed index")));
	*close = '\0';
	if (!str_parse_ll(open + 1, &idx) || idx < 0)
		return fail_with(why, xstrdup(_("malformed index")));
	if (idx >= t->rows)
		return 0; /* beyond what libcpuid stores: ignored, as libcpuid does */
	uint32_t regs[4];
	if (!parse_regs(eq + 1, ' ', regs))
		return fail_with(why, xasprintf(_("%s[%lld]: expected four hex registers"), t->name, idx));
	memcpy(row_of(raw, t, (int)idx), regs, sizeof regs);
	return 0;
}

static void store_aida(struct cpu_raw_data_t *raw, uint32_t leaf, long subleaf, const uint32_t regs[4])
{
	uint32_t hi = leaf & 0xffff0000u, lo = leaf & 0xffffu;
	const struct table *t = NULL;
	int row = -1;
	if (subleaf <= 0 && hi == 0 && lo < MAX_CPUID_LEVEL)
		t = &tables[0], row = (int)lo;
	else if (subleaf <= 0 && hi == 0x80000000u && lo < MAX_EXT_CPUID_LEVEL)
		t = &tables[1], row = (int)lo;
	if (t)
		memcpy(row_of(raw, t, row), regs, 4 * sizeof *regs);
	if (subleaf < 0)
		return;
	t = NULL;
	if (leaf == 4)
		t = &tables[2];
	else if (leaf == 0xb)
		t = &tables[3];
	else if (leaf == 0x12)
		t = &tables[4];
	else if (leaf == 0x14)
		t = &tables[5];
	else if (leaf == 0x8000001du)
		t = &tables[6];
	if (t && subleaf < t->rows)
		memcpy(row_of(raw, t, (int)subleaf), regs, 4 * sizeof *regs);
}

static int parse_aida(struct cpu_raw_data_t *raw, const char *line, char **why)
{
	const char *s = line + strlen("CPUID ");
	uint32_t leaf;
	if (!parse_hex32(&s, &leaf))
		return fail_with(why, xstrdup(_("malformed CPUID leaf")));
	if (*s == ':')
		s++;
	uint32_t regs[4];
	if (!parse_regs(s, '-', regs))
		return fail_with(why, xstrdup(_("expected EAX-EBX-ECX-EDX")));
	long subleaf = -1;
	const char *sl = strstr(s, "[SL ");
	if (sl) {
		long long v;
		char tmp[16];
		size_t n = strcspn(sl + 4, "]");
		if (n == 0 || n >= sizeof tmp)
			return fail_with(why, xstrdup(_("malformed subleaf")));
		memcpy(tmp, sl + 4, n);
		tmp[n] = '\0';
		if (!str_parse_ll(tmp, &v) || v < 0 || v > 0xffff)
			return fail_with(why, xstrdup(_("malformed subleaf")));
		subleaf = (long)v;
	}
	store_aida(raw, leaf, subleaf, regs);
	return 0;
}

/* True for the header of a second logical CPU, or the .test results separator. */
static bool is_end_marker(const char *line, bool seen_data)
{
	size_t dashes = strspn(line, "-");
	if (dashes >= 40 && line[dashes] == '\0')
		return true;
	if (!seen_data)
		return false;
	return strstr(line, "Logical CPU #") != NULL || str_starts_with(line, "CPUID Registers (CPU #") ||
	       (str_starts_with(line, "CPU#") && strstr(line, "AffMask"));
}

/* True for an AIDA64 register line "CPUID 0000000D: ...": a hex leaf right before a colon.
 * AIDA64's summary lines such as "CPUID CPU Name    : Intel(R) ..." are not registers. */
static bool is_aida_registers(const char *line)
{
	if (!str_starts_with(line, "CPUID "))
		return false;
	size_t digits = strspn(line + 6, "0123456789abcdefABCDEF");
	return digits > 0 && line[6 + digits] == ':';
}

int cpuid_dump_parse(const char *text, size_t len, struct cpu_raw_data_t *raw, char **error)
{
	memset(raw, 0, sizeof *raw);
	*error = NULL;
	struct buf line;
	buf_init(&line);
	size_t pos = 0, lineno = 0;
	bool seen_data = false;
	int rc = 0;
	while (rc == 0 && text_next_line(text, len, &pos, &line)) {
		lineno++;
		char *l = str_trim(line.data);
		if (!*l || l[0] == '#')
			continue;
		if (is_end_marker(l, seen_data))
			break;
		char *why = NULL;
		if (is_aida_registers(l)) {
			rc = parse_aida(raw, l, &why);
			seen_data = true;
		} else if (strchr(l, '[') && strchr(l, '=')) {
			rc = parse_native(raw, l, &why);
			seen_data = true;
		}
		if (rc < 0) {
			*error = xasprintf("line %zu: %s", lineno, why);
			free(why);
		}
	}
	buf_free(&line);
	if (rc == 0 && raw->basic_cpuid[0][0] == 0 && raw->basic_cpuid[0][1] == 0) {
		*error = xstrdup(_("no CPUID leaf 0 in the dump (empty, truncated or an unknown format)"));
		rc = -1;
	}
	return rc;
}
