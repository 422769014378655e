/*
 * utf8.c - UTF-8 validation and repair.
 *
 * Segment strings end up in JSON (jansson rejects invalid UTF-8) and in
 * files users read, so every string is checked once, when it is pushed.
 * The rules are the strict ones of RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 */
#include "transcript/tr_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t tr_utf8_char_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	size_t len;
	unsigned long cp;

	if (c < 0x80)
		return c ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* The 8 bytes at s are ASCII and none is NUL. */
static bool ascii8(const char *s)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return !(v & highs) && !((v - ones) & ~v & highs);
}

size_t tr_utf8_valid_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t l;

		/* plain ASCII is the common case: 8 bytes a step, no call per byte */
		if (n - i >= 8 && ascii8(s + i)) {
			i += 8;
			continue;
		}
		if (u[i] - 1u < 0x7fu) {
			i++;
			continue;
		}
		l = tr_utf8_char_len(s + i, n - i);
		if (!l)
			break;
		i += l;
	}
	return i;
}

bool tr_utf8_valid(const char *s, size_t n)
{
	return tr_utf8_valid_len(s, n) == n;
}

char *tr_utf8_sanitize(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	size_t i = tr_utf8_valid_len(s, n);
	char *copy;

	if (i == n) {
		/* the usual case: one allocation of the final size */
		copy = pc_malloc(n + 1);
		memcpy(copy, s, n);
		copy[n] = '\0';
		return copy;
	}
	sbuf_grow(&sb, n + 16);
	sbuf_add(&sb, s, i);
	while (i < n) {
		size_t l = tr_utf8_valid_len(s + i, n - i);

		sbuf_add(&sb, s + i, l);
		i += l;
		if (i < n) {
			sbuf_adds(&sb, "\xEF\xBF\xBD");
			i++;
		}
	}
	return sbuf_detach(&sb, NULL);
}

void tr_add_utf8(struct sbuf *sb, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		sbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		sbuf_addch(sb, (int)(0xC0 | (cp >> 6)));
		sbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sbuf_addch(sb, (int)(0xE0 | (cp >> 12)));
		sbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		sbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else {
		sbuf_addch(sb, (int)(0xF0 | (cp >> 18)));
		sbuf_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3F)));
		sbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		sbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	}
}
