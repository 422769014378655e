/*
 * utf8.c - UTF-8 validation and repair.
 *
 * Segment strings end up in JSON (jansson rejects invalid UTF-8) and in
 * files users read, so every string is checked once, when it is pushed.
 * The rules are the strict ones of RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 */
#include "transcript/tr_internal.h"

#include <stdlib.h>

/* Length of the valid sequence at s (of n bytes), or 0 when it is invalid. */
static size_t seq_len(const unsigned char *s, size_t n)
{
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

bool tr_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t l = seq_len(u + i, n - i);

		if (!l)
			return false;
		i += l;
	}
	return true;
}

char *tr_utf8_sanitize(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	size_t i = 0;

	sbuf_grow(&sb, n);
	while (i < n) {
		size_t l = seq_len(u + i, n - i);

		if (l) {
			sbuf_add(&sb, s + i, l);
			i += l;
		} else {
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
