/*
 * utf8.c - strict UTF-8 decoding, validation, repair and encoding.
 */
#include "util/utf8.h"
#include "util/pc.h"

#include <string.h>

/* The second byte's range rules out overlongs, surrogates and > U+10FFFF. */
static size_t lead_len(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c == 0xE0)
		*lo = 0xA0;
	else if (c == 0xED)
		*hi = 0x9F;
	else if (c == 0xF0)
		*lo = 0x90;
	else if (c == 0xF4)
		*hi = 0x8F;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo, hi;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	len = lead_len(s[0], &lo, &hi);
	if (!len || n < len || s[1] < lo || s[1] > hi)
		return 0;
	*cp = s[0] & (0xFF >> (len + 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	return len;
}

uint32_t utf8_next(const char **p, const char *end)
{
	uint32_t cp;
	size_t len = utf8_decode(*p, (size_t)(end - *p), &cp);

	*p += len ? len : 1;
	return len ? cp : UTF8_REPLACEMENT;
}

/* The 8 bytes at s are ASCII and none is NUL. */
static bool ascii8(const char *s)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return !(v & highs) && !((v - ones) & ~v & highs);
}

size_t utf8_valid_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l;
	uint32_t cp;

	while (i < n) {
		/* plain ASCII is the common case: 8 bytes a step, no call per byte */
		if (n - i >= 8 && ascii8(s + i))
			i += 8;
		else if (u[i] - 1u < 0x7fu)
			i++;
		else if (u[i] && (l = utf8_decode(s + i, n - i, &cp)))
			i += l;
		else
			break;
	}
	return i;
}

bool utf8_valid(const char *s, size_t n)
{
	return utf8_valid_len(s, n) == n;
}

char *utf8_sanitize(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	size_t i = utf8_valid_len(s, n);

	if (i == n)
		return pc_strndup(s, n);   /* the usual case: one allocation */
	sbuf_grow(&sb, n + 16);
	sbuf_add(&sb, s, i);
	while (i < n) {
		size_t l = utf8_valid_len(s + i, n - i);

		sbuf_add(&sb, s + i, l);
		i += l;
		if (i < n) {
			sbuf_adds(&sb, UTF8_REPLACEMENT_STR);
			i++;
		}
	}
	return sbuf_detach(&sb, NULL);
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

size_t utf8_count(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += !is_continuation(s[i]);
	return count;
}

size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (max >= n)
		return n;
	while (max && is_continuation(s[max]))
		max--;
	return max;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void utf8_add(struct sbuf *sb, uint32_t cp)
{
	char b[4];

	sbuf_add(sb, b, utf8_encode(cp, b));
}
