/* util.c: checked allocation, growable buffers, string lists and small string helpers. */
#include "config.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_of_memory(void)
{
	fputs("kvmprep: out of memory\n", stderr);
	exit(3);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		out_of_memory();
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void buf_reserve(struct buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		out_of_memory();
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	buf_reserve(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_puts(b, s);
	free(s);
}

char *buf_steal(struct buf *b)
{
	if (!b->data) {
		buf_reserve(b, 0);
		b->data[0] = '\0';
	}
	char *p = b->data;
	buf_init(b);
	return p;
}

void strlist_init(struct strlist *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	strlist_init(l);
}

void strlist_add_owned(struct strlist *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_str);
}

bool strlist_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

bool text_next_line(const char *text, size_t len, size_t *pos, struct buf *line)
{
	if (*pos >= len)
		return false;
	size_t end = *pos;
	while (end < len && text[end] != '\n' && text[end] != '\0')
		end++;
	buf_reset(line);
	buf_append(line, text + *pos, end - *pos);
	*pos = end + 1;
	return true;
}

bool text_next_span(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	if (*pos >= len)
		return false;
	size_t ls = *pos, le = ls;
	while (le < len && text[le] != '\n')
		le++;
	*pos = le < len ? le + 1 : len;
	*start = ls;
	*end = le > ls && text[le - 1] == '\r' ? le - 1 : le;
	return true;
}

int fd_read_all(int fd, size_t max_bytes, struct buf *out)
{
	char chunk[8192];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return 0;
		if (out->len + (size_t)n > max_bytes)
			return -EFBIG;
		buf_append(out, chunk, (size_t)n);
	}
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

const char *str_casestr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return haystack;
	for (; *haystack; haystack++)
		if (strncasecmp(haystack, needle, n) == 0)
			return haystack;
	return NULL;
}

char *str_trim(char *s)
{
	char *start = s;
	while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
		start++;
	size_t len = strlen(start);
	while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t' ||
	                   start[len - 1] == '\n' || start[len - 1] == '\r'))
		len--;
	memmove(s, start, len);
	s[len] = '\0';
	return s;
}

bool str_has_token(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if ((size_t)(p - start) == wl && wl && memcmp(start, word, wl) == 0)
			return true;
		if (*p == '\n')
			p++;
	}
	return false;
}

bool str_parse_hex_u64(const char *s, unsigned long long *out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s))
		return false;
	unsigned long long v = 0;
	for (; isxdigit((unsigned char)*s); s++) {
		int d = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (v > (ULLONG_MAX >> 4))
			return false;
		v = (v << 4) | (unsigned)d;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s)
		return false;
	*out = v;
	return true;
}

bool str_parse_ll(const char *s, long long *out)
{
	char *end;
	errno = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}
