/* sbuf.c - bounded growable buffers; see sbuf.h for the invariants. */
#include "util/sbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sbuf_empty[1];

void sbuf_init(struct sbuf *sb, size_t max)
{
	sb->buf = sbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max;
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb, sb->max);
}

void sbuf_reset(struct sbuf *sb)
{
	sbuf_setlen(sb, 0);
}

char *sbuf_detach(struct sbuf *sb, size_t *len_out)
{
	char *res = sb->alloc ? sb->buf : pc_strdup("");

	if (len_out)
		*len_out = sb->len;
	sbuf_init(sb, sb->max);
	return res;
}

int sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t want;

	if (extra > sb->max || sb->len > sb->max - extra)
		return -PC_ETOOBIG;
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	if (!sb->alloc)
		sb->buf = NULL;
	if (want < sb->alloc * 3 / 2)
		want = sb->alloc * 3 / 2;
	if (want < 64)
		want = 64;
	sb->buf = pc_realloc(sb->buf, want);
	if (!sb->alloc)
		sb->buf[0] = '\0';
	sb->alloc = want;
	return 0;
}

void sbuf_setlen(struct sbuf *sb, size_t len)
{
	if (!sb->alloc) {
		if (len)
			BUG("sbuf_setlen(%zu) on an empty buffer", len);
		return;
	}
	if (len >= sb->alloc)
		BUG("sbuf_setlen(%zu) beyond allocation %zu", len, sb->alloc);
	sb->len = len;
	sb->buf[len] = '\0';
}

int sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
	int r = sbuf_grow(sb, len);

	if (r < 0)
		return r;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
	return 0;
}

int sbuf_adds(struct sbuf *sb, const char *s)
{
	return sbuf_add(sb, s, strlen(s));
}

int sbuf_addch(struct sbuf *sb, int c)
{
	char ch = (char)c;

	return sbuf_add(sb, &ch, 1);
}

int sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	int r;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -PC_EFAIL;
	r = sbuf_grow(sb, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

int sbuf_setf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	sbuf_reset(sb);
	va_start(ap, fmt);
	r = sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void sbuf_trim(struct sbuf *sb)
{
	size_t start = 0;
	size_t end = sb->len;

	while (start < end && isspace((unsigned char)sb->buf[start]))
		start++;
	while (end > start && isspace((unsigned char)sb->buf[end - 1]))
		end--;
	if (!sb->alloc)
		return;
	memmove(sb->buf, sb->buf + start, end - start);
	sbuf_setlen(sb, end - start);
}
