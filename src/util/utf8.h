/*
 * utf8.h - the one UTF-8 decoder and encoder.
 *
 * Feed text, transcripts, names and metadata all meet UTF-8 from outside,
 * and jansson and file names need it valid, so one strict decoder judges it
 * everywhere: RFC 3629 rules, no overlong forms, no surrogates, nothing above
 * U+10FFFF.  Invalid input is never fatal: callers replace a bad byte by
 * U+FFFD (UTF8_REPLACEMENT) and go on after it.
 *
 * Lengths are in bytes; s need not be NUL-terminated.
 */
#ifndef UTIL_UTF8_H
#define UTIL_UTF8_H

#include "util/sbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu
#define UTF8_REPLACEMENT_STR "\xEF\xBF\xBD"

/*
 * Length (1-4) of the valid character at s (n > 0 bytes available), its code
 * point in *cp; 0 when s does not start with a valid character (*cp is then
 * unspecified).  A NUL byte is a valid character of length 1.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* The code point at *p (before end), advancing *p; U+FFFD for an invalid byte, skipped alone. */
uint32_t utf8_next(const char **p, const char *end);
/* Length of the longest prefix of s that is valid UTF-8 without NUL bytes. */
size_t utf8_valid_len(const char *s, size_t n);
/* True when all n bytes of s are valid UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t n);
/* A new NUL-terminated copy of s (caller frees), each invalid or NUL byte replaced by U+FFFD. */
char *utf8_sanitize(const char *s, size_t n);
/* Characters in s: bytes that are not continuation bytes (s assumed valid). */
size_t utf8_count(const char *s, size_t n);
/* The largest length <= max that does not end inside a character of s (n bytes). */
size_t utf8_cut(const char *s, size_t n, size_t max);
/* Writes cp as UTF-8 into out; returns its length.  Non-scalar values and 0 write U+FFFD. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Appends cp as UTF-8 (as utf8_encode). */
void utf8_add(struct sbuf *sb, uint32_t cp);

#endif
