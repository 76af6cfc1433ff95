/* sha256.h: SHA-256 of a byte string, for the journal's before/after checksums. */
#ifndef KVMPREP_SHA256_H
#define KVMPREP_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes the lower-case hex digest and a NUL into hex[SHA256_HEX_LEN + 1]. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
