/* util.h: small helpers shared by every layer: checked allocation, growable buffers, string lists. */
#ifndef KVMPREP_UTIL_H
#define KVMPREP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: on out-of-memory the program prints a message and exits 3. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable byte buffer, always NUL-terminated (data may also contain NUL bytes). */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes ownership of the data; the buffer is empty afterwards. */
char *buf_steal(struct buf *b);

/* A growable list of owned strings. */
struct strlist {
	char **v;
	size_t n;
	size_t cap;
};
void strlist_init(struct strlist *l);
void strlist_free(struct strlist *l);
void strlist_add(struct strlist *l, const char *s);
void strlist_add_owned(struct strlist *l, char *s);
void strlist_sort(struct strlist *l);
bool strlist_contains(const struct strlist *l, const char *s);

/* Copies the next line of text[0..len) at *pos into line, without its end (a newline or a
 * NUL byte), and moves *pos past it. Returns false when the text is used up. */
bool text_next_line(const char *text, size_t len, size_t *pos, struct buf *line);

/* The next line of text[0..len) at *pos, as byte offsets: [*start, *end) without the newline
 * and without a CR before it; *pos moves past the newline. False when the text is used up.
 * For editors that must keep every other byte exactly where it was. */
bool text_next_span(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);
/* Reads an open file descriptor to its end; -EFBIG past max_bytes, -errno on a read error. */
int fd_read_all(int fd, size_t max_bytes, struct buf *out);
/* A blank as shells, GRUB and the kernel command line see it: space or tab. */
static inline bool char_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* String helpers. */
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* Case-insensitive substring search (ASCII). */
const char *str_casestr(const char *haystack, const char *needle);
/* Strips leading and trailing ASCII white space in place; returns s. */
char *str_trim(char *s);
/* True when word occurs in the space/tab separated list as a whole token. */
bool str_has_token(const char *list, const char *word);
/* Parses an unsigned integer in hex (with or without 0x) strictly; false on junk or overflow. */
bool str_parse_hex_u64(const char *s, unsigned long long *out);
/* Parses a decimal integer strictly (optional sign, surrounding blanks allowed). */
bool str_parse_ll(const char *s, long long *out);

#endif
