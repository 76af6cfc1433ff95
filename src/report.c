/* report.c: the text report (aligned, wrapped, status words) and the JSON document of a check. */
#include "config.h"

#include "report.h"
#include "i18n.h"
#include "json.h"

#include <string.h>

void report_finish(struct report *r)
{
	memset(r->counts, 0, sizeof r->counts);
	for (size_t i = 0; i < r->step_count; i++) {
		struct report_step *s = &r->steps[i];
		s->status = finding_list_worst(&s->findings);
		for (size_t j = 0; j < s->findings.n; j++)
			r->counts[s->findings.v[j].status]++;
	}
}

int report_exit_code(const struct report *r)
{
	if (r->counts[STATUS_FAIL])
		return 2;
	if (r->counts[STATUS_WARN])
		return 1;
	return 0;
}

static const char *color_of(enum finding_status s)
{
	switch (s) {
	case STATUS_OK:
		return "\033[32m";
	case STATUS_INFO:
		return "\033[36m";
	case STATUS_WARN:
		return "\033[33m";
	case STATUS_FAIL:
		return "\033[31m";
	default:
		return "\033[2m";
	}
}

static void put_label(struct buf *out, enum finding_status s, bool color)
{
	if (color)
		buf_printf(out, "%s%s\033[0m", color_of(s), status_label(s));
	else
		buf_puts(out, status_label(s));
}

/* Display width of UTF-8 text, counting each code point as one column. */
static size_t text_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

/* Writes text wrapped at width, every line indented by indent columns except the first,
 * which continues after first_col. Existing newlines start new lines. */
static void put_wrapped(struct buf *out, const char *text, size_t indent, size_t first_col, size_t width,
                        const char *prefix)
{
	size_t col = first_col;
	bool line_start = true;
	size_t plen = prefix ? text_width(prefix, strlen(prefix)) : 0;
	if (prefix) {
		buf_puts(out, prefix);
		col += plen;
	}
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			buf_putc(out, '\n');
			for (size_t i = 0; i < indent + plen; i++)
				buf_putc(out, ' ');
			col = indent + plen;
			line_start = true;
			p++;
			continue;
		}
		size_t wlen = strcspn(p, " \n");
		size_t ww = text_width(p, wlen);
		if (!line_start && col + 1 + ww > width && ww < width) {
			buf_putc(out, '\n');
			for (size_t i = 0; i < indent + plen; i++)
				buf_putc(out, ' ');
			col = indent + plen;
			line_start = true;
		}
		if (!line_start) {
			buf_putc(out, ' ');
			col++;
		}
		buf_append(out, p, wlen);
		col += ww;
		line_start = false;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	buf_putc(out, '\n');
}

static void text_header(const struct report *r, struct buf *out)
{
	const struct report_host *h = &r->host;
	if (r->live)
		buf_printf(out, "kvmprep %s: %s\n", r->version, _("check of this host"));
	else
		buf_printf(out, "kvmprep %s: %s %s\n", r->version, _("check of the host tree at"), r->root);
	buf_printf(out, "  %-9s %s\n", _("System:"), h->distro);
	if (h->kernel_bits)
		buf_printf(out, "  %-9s %s (%d-bit)\n", _("Kernel:"), h->kernel, h->kernel_bits);
	else
		buf_printf(out, "  %-9s %s\n", _("Kernel:"), h->kernel);
	buf_printf(out, "  %-9s %s (%s)", _("CPU:"), h->cpu, h->vendor);
	if (h->virtual_machine)
		buf_printf(out, _(", virtual machine on %s"), h->hypervisor ? h->hypervisor : _("an unknown hypervisor"));
	buf_putc(out, '\n');
	buf_printf(out, "  %-9s %s %s, %s %s", _("Boot:"), _("init"), h->init, _("boot loader"), h->bootloader);
	if (h->mem_total_kib >= 0)
		buf_printf(out, _(", %.1f GiB memory"), (double)h->mem_total_kib / (1024.0 * 1024.0));
	buf_putc(out, '\n');
	for (size_t i = 0; i < h->limits.n; i++)
		buf_printf(out, "  %-9s %s\n", i == 0 ? _("Not seen:") : "", h->limits.v[i]);
	buf_putc(out, '\n');
}

void report_text(const struct report *r, const struct report_style *style, struct buf *out)
{
	size_t width = style->width > 40 ? (size_t)style->width : 80;
	size_t idw = 0;
	for (size_t i = 0; i < r->step_count; i++)
		for (size_t j = 0; j < r->steps[i].findings.n; j++)
			if (strlen(r->steps[i].findings.v[j].id) > idw)
				idw = strlen(r->steps[i].findings.v[j].id);
	size_t msg_col = 2 + 6 + 1 + idw + 2;

	if (!style->quiet)
		text_header(r, out);
	for (size_t i = 0; i < r->step_count; i++) {
		const struct report_step *s = &r->steps[i];
		if (style->quiet && s->status == STATUS_OK)
			continue;
		const char *title = _(s->title);
		size_t tw = text_width(title, strlen(title));
		buf_puts(out, title);
		for (size_t c = tw; c + 6 < width; c++)
			buf_putc(out, ' ');
		put_label(out, s->status, style->color);
		buf_putc(out, '\n');
		for (size_t j = 0; j < s->findings.n; j++) {
			const struct finding *f = &s->findings.v[j];
			if (style->quiet && f->status == STATUS_OK)
				continue;
			buf_puts(out, "  ");
			put_label(out, f->status, style->color);
			buf_printf(out, " %-*s  ", (int)idw, f->id);
			put_wrapped(out, f->message, msg_col, msg_col, width, NULL);
			if (f->status != STATUS_OK && f->detail) {
				for (size_t c = 0; c < msg_col; c++)
					buf_putc(out, ' ');
				put_wrapped(out, f->detail, msg_col, msg_col, width, NULL);
			}
			if (f->status != STATUS_OK && f->hint) {
				for (size_t c = 0; c < msg_col; c++)
					buf_putc(out, ' ');
				put_wrapped(out, f->hint, msg_col, msg_col, width, _("Fix: "));
			}
		}
		buf_putc(out, '\n');
	}
	buf_printf(out, _("Summary: %zu ok, %zu info, %zu warn, %zu fail, %zu skip"), r->counts[STATUS_OK],
	           r->counts[STATUS_INFO], r->counts[STATUS_WARN], r->counts[STATUS_FAIL], r->counts[STATUS_SKIP]);
	if (r->reboot_required)
		buf_printf(out, "; %s", _("a reboot is required"));
	buf_putc(out, '\n');
}

void report_json(const struct report *r, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_object_begin(&j, NULL, false);
	json_string(&j, "kvmprep", r->version);
	json_string(&j, "root", r->root);
	json_object_begin(&j, "host", false);
	json_string(&j, "distro", r->host.distro);
	json_string(&j, "kernel", r->host.kernel);
	json_string(&j, "cpu", r->host.cpu);
	json_string(&j, "vendor", r->host.vendor);
	json_string(&j, "init", r->host.init);
	json_string(&j, "bootloader", r->host.bootloader);
	json_bool(&j, "virtual_machine", r->host.virtual_machine);
	json_string(&j, "hypervisor", r->host.hypervisor);
	json_int(&j, "uid", r->host.uid);
	json_array_begin(&j, "limits", false);
	for (size_t i = 0; i < r->host.limits.n; i++)
		json_string(&j, NULL, r->host.limits.v[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_array_begin(&j, "steps", false);
	for (size_t i = 0; i < r->step_count; i++) {
		const struct report_step *s = &r->steps[i];
		json_object_begin(&j, NULL, false);
		json_string(&j, "id", s->id);
		json_string(&j, "title", s->title);
		json_string(&j, "status", status_word(s->status));
		json_array_begin(&j, "findings", false);
		for (size_t k = 0; k < s->findings.n; k++) {
			const struct finding *f = &s->findings.v[k];
			json_object_begin(&j, NULL, true);
			json_string(&j, "id", f->id);
			json_string(&j, "status", status_word(f->status));
			json_string(&j, "message", f->message);
			json_string(&j, "detail", f->detail);
			json_string(&j, "hint", f->hint);
			json_string(&j, "fix", f->fix);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_bool(&j, "reboot_required", r->reboot_required);
	json_object_begin(&j, "summary", true);
	static const enum finding_status order[] = { STATUS_OK, STATUS_INFO, STATUS_WARN, STATUS_FAIL,
	                                             STATUS_SKIP };
	for (size_t s = 0; s < sizeof order / sizeof order[0]; s++)
		json_int(&j, status_word(order[s]), (long long)r->counts[order[s]]);
	json_object_end(&j);
	json_object_end(&j);
}
