/*
 * hash.h - SHA-1 and SHA-256 as lowercase hex (OpenSSL EVP underneath).
 *
 * out must hold HASH_SHA1_HEX / HASH_SHA256_HEX bytes (NUL included).
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>

#define HASH_SHA1_HEX 41
#define HASH_SHA256_HEX 65

void hash_sha1_hex(const void *data, size_t len, char out[HASH_SHA1_HEX]);
void hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX]);

#endif
