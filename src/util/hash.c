/* hash.c - digests through OpenSSL's EVP interface. */
#include "util/hash.h"
#include "util/pc.h"

#include <openssl/evp.h>

static void digest_hex(const EVP_MD *md, const void *data, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, raw, &n, md, NULL))
		BUG("EVP_Digest failed");
	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * n] = '\0';
}

void hash_sha1_hex(const void *data, size_t len, char out[HASH_SHA1_HEX])
{
	digest_hex(EVP_sha1(), data, len, out);
}

void hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX])
{
	digest_hex(EVP_sha256(), data, len, out);
}
