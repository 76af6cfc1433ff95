/* fuzz_json.c: libFuzzer target for the JSON writer: escaped output is valid JSON and decodes back to the input. */
#include "config.h"

#include "fuzz.h"
#include "json.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- a small strict JSON validator (RFC 8259), which also decodes strings ---- */

struct jp {
	const unsigned char *s;
	size_t len, i;
	int depth;
};

static void ws(struct jp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static bool lit(struct jp *p, const char *w)
{
	size_t n = strlen(w);
	if (p->len - p->i < n || memcmp(p->s + p->i, w, n) != 0)
		return false;
	p->i += n;
	return true;
}

static int hex4(struct jp *p)
{
	if (p->len - p->i < 4)
		return -1;
	int v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned char c = p->s[p->i++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, u, n);
}

/* Length of a valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t k;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		k = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		k = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		k = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k;
}

/* A string at p->i (the opening quote); its decoded bytes go to out (when given). */
static bool string(struct jp *p, struct buf *out)
{
	if (p->i >= p->len || p->s[p->i] != '"')
		return false;
	p->i++;
	while (p->i < p->len) {
		unsigned char c = p->s[p->i];
		if (c == '"') {
			p->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			p->i++;
			if (p->i >= p->len)
				return false;
			unsigned char e = p->s[p->i++];
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *k = e ? strchr(from, e) : NULL;
			if (k) {
				if (out)
					buf_putc(out, to[k - from]);
				continue;
			}
			if (e != 'u')
				return false;
			int u = hex4(p);
			if (u < 0)
				return false;
			unsigned cp = (unsigned)u;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return false; /* a lone low surrogate */
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (!lit(p, "\\u"))
					return false;
				int lo = hex4(p);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return false;
				cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
			}
			if (out)
				put_utf8(out, cp);
			continue;
		}
		size_t n = utf8_len(p->s + p->i, p->len - p->i);
		if (n == 0)
			return false;
		if (out)
			buf_append(out, p->s + p->i, n);
		p->i += n;
	}
	return false;
}

static bool number(struct jp *p)
{
	size_t st = p->i;
	if (p->i < p->len && p->s[p->i] == '-')
		p->i++;
	if (p->i >= p->len || p->s[p->i] < '0' || p->s[p->i] > '9')
		return false;
	if (p->s[p->i] == '0')
		p->i++;
	else
		while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	return p->i > st; /* the writer never writes fractions or exponents */
}

static bool value(struct jp *p);

static bool members(struct jp *p, char close, bool keyed)
{
	if (++p->depth > 64)
		return false;
	ws(p);
	if (p->i < p->len && p->s[p->i] == close) {
		p->i++;
		p->depth--;
		return true;
	}
	for (;;) {
		ws(p);
		if (keyed) {
			if (!string(p, NULL))
				return false;
			ws(p);
			if (!lit(p, ":"))
				return false;
		}
		if (!value(p))
			return false;
		ws(p);
		if (lit(p, ","))
			continue;
		if (p->i < p->len && p->s[p->i] == close) {
			p->i++;
			p->depth--;
			return true;
		}
		return false;
	}
}

static bool value(struct jp *p)
{
	ws(p);
	if (p->i >= p->len)
		return false;
	switch (p->s[p->i]) {
	case '{':
		p->i++;
		return members(p, '}', true);
	case '[':
		p->i++;
		return members(p, ']', false);
	case '"':
		return string(p, NULL);
	case 't':
		return lit(p, "true");
	case 'f':
		return lit(p, "false");
	case 'n':
		return lit(p, "null");
	default:
		return number(p);
	}
}

static bool valid_document(const char *s, size_t len)
{
	struct jp p = { (const unsigned char *)s, len, 0, 0 };
	if (!value(&p))
		return false;
	ws(&p);
	return p.i == len;
}

/* ---- the target ---- */

/* The next NUL-terminated piece of the input as a C string (the rest when there is no NUL). */
static char *piece(const uint8_t *data, size_t size, size_t *pos)
{
	const uint8_t *z = *pos < size ? memchr(data + *pos, '\0', size - *pos) : NULL;
	size_t e = z ? (size_t)(z - data) : size;
	char *s = fz_strndup(data + *pos, e - *pos);
	*pos = z ? e + 1 : size;
	return s;
}

/*
 * Input: NUL-separated pieces. The first is escaped alone: the result is one valid JSON
 * string that decodes to the input when the input is valid UTF-8. Then the bytes drive the
 * writer (objects, arrays, strings, numbers, booleans, null, inline or not) with the
 * following pieces as keys and values; the document must be valid JSON.
 */
FUZZ_ENTRY(json)
{
	size_t pos = 0;
	char *first = piece(data, size, &pos);
	struct buf out, dec;
	buf_init(&out);
	buf_init(&dec);
	json_escape(&out, first);
	struct jp p = { (const unsigned char *)fz_data(&out), out.len, 0, 0 };
	FUZZ_ASSERT(string(&p, &dec) && p.i == out.len);
	bool utf8 = true;
	for (size_t i = 0, n = strlen(first); i < n && utf8;) {
		size_t k = utf8_len((const unsigned char *)first + i, n - i);
		utf8 = k > 0;
		i += k;
	}
	if (utf8)
		FUZZ_ASSERT(fz_same(fz_data(&dec), dec.len, first, strlen(first)));
	free(first);

	/* The writer, driven by the remaining bytes: containers nest up to depth 12. */
	buf_reset(&out);
	struct json j;
	json_init(&j, &out);
	bool open[16]; /* true: an object (members need keys) */
	int depth = 0;
	json_object_begin(&j, NULL, false);
	open[depth++] = true;
	size_t ops = 0;
	while (pos < size && ops++ < 200) {
		uint8_t op = data[pos++];
		char *key = open[depth - 1] ? piece(data, size, &pos) : NULL;
		switch (op % 8) {
		case 0:
		case 1:
			if (depth < 12) {
				if (op % 2)
					json_object_begin(&j, key, op & 0x10);
				else
					json_array_begin(&j, key, op & 0x10);
				open[depth++] = op % 2;
			} else {
				json_null(&j, key);
			}
			break;
		case 2:
			if (depth > 1) {
				if (open[--depth])
					json_object_end(&j);
				else
					json_array_end(&j);
			} else {
				json_bool(&j, key, op & 0x10);
			}
			break;
		case 3: {
			char *v = piece(data, size, &pos);
			json_string(&j, key, (op & 0x10) ? NULL : v);
			free(v);
			break;
		}
		case 4: {
			long long v = 0;
			for (int k = 0; k < 8 && pos < size; k++)
				v = (long long)((unsigned long long)v << 8 | data[pos++]);
			json_int(&j, key, v);
			break;
		}
		case 5:
			json_bool(&j, key, op & 0x10);
			break;
		default:
			json_null(&j, key);
			break;
		}
		free(key);
	}
	while (depth > 0) {
		if (open[--depth])
			json_object_end(&j);
		else
			json_array_end(&j);
	}
	FUZZ_ASSERT(valid_document(fz_data(&out), out.len));
	FUZZ_ASSERT(out.len > 0 && fz_data(&out)[out.len - 1] == '\n');

	buf_free(&out);
	buf_free(&dec);
	return 0;
}
