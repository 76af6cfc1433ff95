/* json.h: a small streaming JSON writer with correct escaping (invalid UTF-8 becomes U+FFFD). */
#ifndef KVMPREP_JSON_H
#define KVMPREP_JSON_H

#include <stdbool.h>

#include "util.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct buf *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	int inline_from; /* depth at which output stays on one line; 0: pretty everywhere */
};

void json_init(struct json *j, struct buf *out);
/* key is NULL inside arrays. An inline container and everything in it is written on one line. */
void json_object_begin(struct json *j, const char *key, bool inline_container);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key, bool inline_container);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value); /* NULL value -> null */
void json_int(struct json *j, const char *key, long long value);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* Appends s as a quoted, escaped JSON string. */
void json_escape(struct buf *out, const char *s);

#endif
