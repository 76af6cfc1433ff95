/* test_sha256.c: unit tests of SHA-256 against the FIPS 180-2 test vectors and block boundaries. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "util.h"

static void check(const char *data, size_t len, const char *want)
{
	char hex[SHA256_HEX_LEN + 1];
	memset(hex, 'X', sizeof hex);
	sha256_hex(data, len, hex);
	assert_int_equal(strlen(hex), SHA256_HEX_LEN);
	assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
	(void)state;
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	(void)state;
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_two_blocks(void **state)
{
	(void)state;
	static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	check(msg, strlen(msg), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *a = xmalloc(n);
	memset(a, 'a', n);
	check(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes), checked against sha256sum. */
static void test_padding_boundaries(void **state)
{
	(void)state;
	char buf[65];
	memset(buf, 'x', sizeof buf);
	check(buf, 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
	check(buf, 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
	check(buf, 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
	check(buf, 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
	check(buf, 65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9");
}

static void test_binary_bytes(void **state)
{
	(void)state;
	static const char data[] = { 0, 1, 2, (char)0xff, '\n', '\r', 0 };
	check(data, sizeof data, "fbebf2343e5dcececa3aeda4ba92180adaf39f96c7196a9ecd4da932ed87005c");
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty),
		T(test_abc),
		T(test_two_blocks),
		T(test_million_a),
		T(test_padding_boundaries),
		T(test_binary_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
