/*
 * sbuf.h - a growable, bounded string buffer (after git's strbuf).
 *
 * Invariants: buf is never NULL and always NUL-terminated, so sbuf.buf can be
 * passed to any C string function at any time; len excludes the NUL.  Every
 * buffer has a maximum size fixed at init: an append that would pass it
 * fails with -PC_ETOOBIG and leaves the buffer unchanged, so data from the
 * network or a file can never grow without bound.  Use SBUF_NOLIMIT only for
 * data we make ourselves.
 *
 * Ownership: the sbuf owns buf.  sbuf_detach() hands it to the caller (free
 * with free()) and reinitialises the sbuf.  sbuf_release() frees it.
 *
 *	struct sbuf sb = SBUF_INIT(1 << 20);
 *	if (sbuf_add(&sb, data, n) < 0) ...too big...
 *	use(sb.buf);
 *	sbuf_release(&sb);
 */
#ifndef SBUF_H
#define SBUF_H

#include "util/pc.h"

extern char sbuf_empty[];

struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max;   /* the most bytes len may ever reach */
};

#define SBUF_NOLIMIT ((size_t)SIZE_MAX / 2)
#define SBUF_INIT(maxlen) { sbuf_empty, 0, 0, (maxlen) }

void sbuf_init(struct sbuf *sb, size_t max);
void sbuf_release(struct sbuf *sb);
/* Empties the buffer but keeps its memory. */
void sbuf_reset(struct sbuf *sb);
/* Returns the buffer (caller frees) and reinitialises sb with the same max. */
char *sbuf_detach(struct sbuf *sb, size_t *len_out);

int sbuf_add(struct sbuf *sb, const void *data, size_t len);
int sbuf_adds(struct sbuf *sb, const char *s);
int sbuf_addch(struct sbuf *sb, int c);
int sbuf_addf(struct sbuf *sb, const char *fmt, ...) PC_PRINTF(2, 3);
int sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
/* Replaces the content with fmt (handy for error messages). */
int sbuf_setf(struct sbuf *sb, const char *fmt, ...) PC_PRINTF(2, 3);

void sbuf_setlen(struct sbuf *sb, size_t len);
void sbuf_trim(struct sbuf *sb);
/* Room for at least extra more bytes without reallocating; -PC_ETOOBIG past max. */
int sbuf_grow(struct sbuf *sb, size_t extra);

#endif
