/* test_json.c: unit tests of the streaming JSON writer: exact layout, escaping and UTF-8 repair. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

/* json_escape of s, as a malloc'ed string. */
static char *escaped(const char *s)
{
	struct buf b;
	buf_init(&b);
	json_escape(&b, s);
	return buf_steal(&b);
}

static void assert_escapes(const char *in, const char *want)
{
	char *got = escaped(in);
	assert_string_equal(got, want);
	free(got);
}

/* A document being written: the writer and the buffer it writes to. */
struct doc {
	struct buf out;
	struct json j;
};

static int doc_setup(void **state)
{
	struct doc *d = xcalloc(1, sizeof *d);
	buf_init(&d->out);
	json_init(&d->j, &d->out);
	*state = d;
	return 0;
}

static int doc_teardown(void **state)
{
	struct doc *d = *state;
	buf_free(&d->out);
	free(d);
	return 0;
}

static void test_pretty_document(void **state)
{
	struct doc *d = *state;
	struct json *j = &d->j;
	json_object_begin(j, NULL, false);
	json_string(j, "name", "kvmprep");
	json_int(j, "version", 1);
	json_bool(j, "ok", true);
	json_bool(j, "failed", false);
	json_null(j, "none");
	json_string(j, "missing", NULL);
	json_array_begin(j, "list", false);
	json_int(j, NULL, -1);
	json_string(j, NULL, "two");
	json_object_begin(j, NULL, false);
	json_int(j, "x", 3);
	json_object_end(j);
	json_array_end(j);
	json_array_begin(j, "empty_array", false);
	json_array_end(j);
	json_object_begin(j, "empty_object", false);
	json_object_end(j);
	json_object_begin(j, "nested", false);
	json_object_begin(j, "deeper", false);
	json_int(j, "big", 9223372036854775807LL);
	json_object_end(j);
	json_object_end(j);
	json_object_end(j);
	assert_string_equal(d->out.data,
	                    "{\n"
	                    "  \"name\": \"kvmprep\",\n"
	                    "  \"version\": 1,\n"
	                    "  \"ok\": true,\n"
	                    "  \"failed\": false,\n"
	                    "  \"none\": null,\n"
	                    "  \"missing\": null,\n"
	                    "  \"list\": [\n"
	                    "    -1,\n"
	                    "    \"two\",\n"
	                    "    {\n"
	                    "      \"x\": 3\n"
	                    "    }\n"
	                    "  ],\n"
	                    "  \"empty_array\": [],\n"
	                    "  \"empty_object\": {},\n"
	                    "  \"nested\": {\n"
	                    "    \"deeper\": {\n"
	                    "      \"big\": 9223372036854775807\n"
	                    "    }\n"
	                    "  }\n"
	                    "}\n");
}

static void test_inline_containers(void **state)
{
	struct doc *d = *state;
	struct json *j = &d->j;
	json_object_begin(j, NULL, false);
	json_object_begin(j, "pos", true);
	json_int(j, "x", 1);
	json_int(j, "y", 2);
	json_array_begin(j, "tags", false); /* inside an inline container: inline too */
	json_string(j, NULL, "a");
	json_string(j, NULL, "b");
	json_array_end(j);
	json_object_begin(j, "o", false);
	json_object_end(j);
	json_object_end(j);
	json_array_begin(j, "row", true);
	json_int(j, NULL, 1);
	json_null(j, NULL);
	json_bool(j, NULL, true);
	json_array_end(j);
	json_array_begin(j, "empty", true);
	json_array_end(j);
	json_string(j, "after", "pretty again");
	json_array_begin(j, "rows", false);
	json_array_begin(j, NULL, true);
	json_int(j, NULL, 1);
	json_int(j, NULL, 2);
	json_array_end(j);
	json_array_begin(j, NULL, true);
	json_int(j, NULL, 3);
	json_array_end(j);
	json_array_end(j);
	json_object_end(j);
	assert_string_equal(d->out.data,
	                    "{\n"
	                    "  \"pos\": {\"x\": 1, \"y\": 2, \"tags\": [\"a\", \"b\"], \"o\": {}},\n"
	                    "  \"row\": [1, null, true],\n"
	                    "  \"empty\": [],\n"
	                    "  \"after\": \"pretty again\",\n"
	                    "  \"rows\": [\n"
	                    "    [1, 2],\n"
	                    "    [3]\n"
	                    "  ]\n"
	                    "}\n");
}

static void test_inline_top_level(void **state)
{
	struct doc *d = *state;
	struct json *j = &d->j;
	json_array_begin(j, NULL, true);
	json_string(j, NULL, "x");
	json_object_begin(j, NULL, false);
	json_int(j, "k", 0);
	json_object_end(j);
	json_array_end(j);
	assert_string_equal(d->out.data, "[\"x\", {\"k\": 0}]\n");
	/* A second document on the same buffer starts clean. */
	json_init(j, &d->out);
	json_object_begin(j, NULL, false);
	json_object_end(j);
	assert_string_equal(d->out.data, "[\"x\", {\"k\": 0}]\n{}\n");
}

static void test_keys_escaped(void **state)
{
	struct doc *d = *state;
	struct json *j = &d->j;
	json_object_begin(j, NULL, true);
	json_string(j, "a\"b\\c\n", "v");
	json_object_end(j);
	assert_string_equal(d->out.data, "{\"a\\\"b\\\\c\\n\": \"v\"}\n");
}

static void test_escapes(void **state)
{
	(void)state;
	assert_escapes("", "\"\"");
	assert_escapes("plain text 123", "\"plain text 123\"");
	assert_escapes("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_escapes("C:\\dir\\", "\"C:\\\\dir\\\\\"");
	assert_escapes("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	assert_escapes("\x01\x02\x1f", "\"\\u0001\\u0002\\u001f\"");
	assert_escapes("\b\f\v\x1b[0m", "\"\\u0008\\u000c\\u000b\\u001b[0m\"");
	assert_escapes("del\x7f!", "\"del\\u007f!\"");
	assert_escapes("/ stays /", "\"/ stays /\"");
	assert_escapes(" ~", "\" ~\"");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	assert_escapes("a\xff" "b", "\"a\\ufffdb\"");
	assert_escapes("\xfe", "\"\\ufffd\"");
	assert_escapes("\xc3", "\"\\ufffd\"");                       /* lone lead byte at the end */
	assert_escapes("\xc3x", "\"\\ufffdx\"");                     /* lead byte, then ASCII */
	assert_escapes("\xe2\x82", "\"\\ufffd\\ufffd\"");            /* truncated 3-byte sequence */
	assert_escapes("\xc0\xaf", "\"\\ufffd\\ufffd\"");            /* overlong '/' */
	assert_escapes("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""); /* overlong, 3 bytes */
	assert_escapes("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* UTF-16 surrogate */
	assert_escapes("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	assert_escapes("\xf8\x88\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	assert_escapes("\x80", "\"\\ufffd\"");                       /* lone continuation byte */
	/* Latin-1 text read as UTF-8. */
	assert_escapes("Gr\xfc\xdf" "e", "\"Gr\\ufffd\\ufffde\"");
}

static void test_valid_utf8(void **state)
{
	(void)state;
	assert_escapes("\xc3\xa4", "\"\xc3\xa4\"");                 /* ä */
	assert_escapes("\xe2\x82\xac", "\"\xe2\x82\xac\"");         /* € */
	assert_escapes("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""); /* 😀 */
	assert_escapes("\xc2\x80", "\"\xc2\x80\"");                 /* U+0080, smallest 2-byte */
	assert_escapes("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");         /* U+FFFF */
	assert_escapes("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
	assert_escapes("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");         /* U+D7FF, just below surrogates */
	assert_escapes("\xee\x80\x80", "\"\xee\x80\x80\"");         /* U+E000, just above */
	assert_escapes("K\xc3\xa4se \xe2\x82\xac" "5 \xf0\x9f\x98\x80\n",
	               "\"K\xc3\xa4se \xe2\x82\xac" "5 \xf0\x9f\x98\x80\\n\"");
	/* Valid next to invalid. */
	assert_escapes("\xc3\xa4\xff\xc3\xa4", "\"\xc3\xa4\\ufffd\xc3\xa4\"");
}

static void test_null_strings(void **state)
{
	struct doc *d = *state;
	struct json *j = &d->j;
	json_array_begin(j, NULL, true);
	json_string(j, NULL, NULL);
	json_string(j, NULL, "");
	json_null(j, NULL);
	json_array_end(j);
	assert_string_equal(d->out.data, "[null, \"\", null]\n");
}

/* Every byte value 1..255 in a string, in a sizeable document. */
static void build_big(struct buf *out)
{
	char all[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	struct json j;
	json_init(&j, out);
	json_object_begin(&j, NULL, false);
	json_string(&j, "all_bytes", all);
	json_array_begin(&j, "items", false);
	for (int i = 0; i < 200; i++) {
		json_object_begin(&j, NULL, i % 3 == 0);
		char *key = xasprintf("k%d\x01\xff", i);
		json_string(&j, key, key);
		free(key);
		json_int(&j, "i", i * 1000003LL - 100000000LL);
		json_array_begin(&j, "nested", i % 2 == 0);
		json_bool(&j, NULL, i % 2);
		json_null(&j, NULL);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
}

static void test_all_bytes(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out);
	build_big(&out);
	/* Nothing below 0x20, no DEL and no invalid UTF-8 may remain in the output. */
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		assert_true(c == '\n' || (c >= 0x20 && c != 0x7f));
		assert_true(c < 0x80); /* every high byte of 1..255 alone is invalid UTF-8 */
	}
	assert_int_equal(strlen(out.data), out.len);
	assert_non_null(strstr(out.data, "\"all_bytes\": \"\\u0001\\u0002"));
	assert_non_null(strstr(out.data, "\\u001f !\\\"#"));
	assert_non_null(strstr(out.data, "[\\\\]^_`"));
	assert_non_null(strstr(out.data, "|}~\\u007f\\ufffd\\ufffd"));
	buf_free(&out);
}

static void test_python_accepts(void **state)
{
	(void)state;
	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		/* Optional: cmocka 1.1's TAP "not ok # SKIP" would count as a failure. */
		print_message("# python3 not found: JSON not cross-checked\n");
		return;
	}
	struct buf out;
	buf_init(&out);
	build_big(&out);
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/kvmprep-json-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out.data, out.len), (ssize_t)out.len);
	close(fd);
	char *cmd = xasprintf("python3 -c 'import json,sys; d=json.load(sys.stdin); "
	                      "assert len(d[\"items\"]) == 200; "
	                      "assert d[\"all_bytes\"][0] == \"\\x01\"; "
	                      "assert d[\"items\"][5][\"k5\\x01\\ufffd\"] == \"k5\\x01\\ufffd\"' < '%s'",
	                      path);
	int rc = system(cmd);
	unlink(path);
	free(cmd);
	free(path);
	buf_free(&out);
	assert_int_equal(rc, 0);
}

#define DOC(fn) cmocka_unit_test_setup_teardown(fn, doc_setup, doc_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		DOC(test_pretty_document),
		DOC(test_inline_containers),
		DOC(test_inline_top_level),
		DOC(test_keys_escaped),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_valid_utf8),
		DOC(test_null_strings),
		cmocka_unit_test(test_all_bytes),
		cmocka_unit_test(test_python_accepts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
