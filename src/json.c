/* json.c: streaming JSON writer used by every --json output. */
#include "config.h"

#include "json.h"

#include <string.h>

void json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

static bool is_inline(const struct json *j)
{
	return j->inline_from > 0 && j->depth >= j->inline_from;
}

static void newline_indent(struct json *j)
{
	if (is_inline(j))
		return;
	buf_putc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		buf_puts(j->out, "  ");
}

static void member_start(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			buf_puts(j->out, is_inline(j) ? ", " : ",");
		newline_indent(j);
	}
	if (j->depth < JSON_MAX_DEPTH)
		j->need_comma[j->depth] = true;
	if (key) {
		json_escape(j->out, key);
		buf_puts(j->out, ": ");
	}
}

static void container_begin(struct json *j, const char *key, bool inline_container, char open)
{
	member_start(j, key);
	buf_putc(j->out, open);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
	if (inline_container && j->inline_from == 0)
		j->inline_from = j->depth;
}

static void container_end(struct json *j, char close)
{
	bool had_members = j->need_comma[j->depth];
	bool was_inline = is_inline(j);
	if (j->inline_from == j->depth)
		j->inline_from = 0;
	if (j->depth > 0)
		j->depth--;
	if (had_members && !was_inline)
		newline_indent(j);
	buf_putc(j->out, close);
	if (j->depth == 0)
		buf_putc(j->out, '\n');
}

void json_object_begin(struct json *j, const char *key, bool inline_container)
{
	container_begin(j, key, inline_container, '{');
}

void json_object_end(struct json *j)
{
	container_end(j, '}');
}

void json_array_begin(struct json *j, const char *key, bool inline_container)
{
	container_begin(j, key, inline_container, '[');
}

void json_array_end(struct json *j)
{
	container_end(j, ']');
}

void json_string(struct json *j, const char *key, const char *value)
{
	member_start(j, key);
	if (value)
		json_escape(j->out, value);
	else
		buf_puts(j->out, "null");
}

void json_int(struct json *j, const char *key, long long value)
{
	member_start(j, key);
	buf_printf(j->out, "%lld", value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	member_start(j, key);
	buf_puts(j->out, value ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	member_start(j, key);
	buf_puts(j->out, "null");
}

/* Length of a valid UTF-8 sequence at s (1-4), or 0 when it is not valid. */
static size_t utf8_valid_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void json_escape(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	buf_putc(out, '"');
	while (*p) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
			p++;
		} else if (c == '\n') {
			buf_puts(out, "\\n");
			p++;
		} else if (c == '\t') {
			buf_puts(out, "\\t");
			p++;
		} else if (c == '\r') {
			buf_puts(out, "\\r");
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\u%04x", c);
			p++;
		} else {
			size_t n = utf8_valid_len(p);
			if (n == 0) {
				buf_puts(out, "\\ufffd");
				p++;
			} else {
				buf_append(out, p, n);
				p += n;
			}
		}
	}
	buf_putc(out, '"');
}
