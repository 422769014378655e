/* textutil.c - lines, timestamps and cue text shared by the parsers. */
#include "transcript/tr_internal.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

size_t tr_bom_len(const char *data, size_t len)
{
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		return 3;
	return 0;
}

void tr_lines_init(struct tr_lines *it, const char *data, size_t len)
{
	size_t bom = tr_bom_len(data, len);

	it->p = data + bom;
	it->end = data + len;
	it->lineno = 0;
}

bool tr_lines_next(struct tr_lines *it, const char **line, size_t *n)
{
	const char *lf, *cr, *q;

	if (it->p >= it->end)
		return false;
	/* memchr twice beats a byte loop: most lines are long and end in LF */
	lf = memchr(it->p, '\n', (size_t)(it->end - it->p));
	q = lf ? lf : it->end;
	cr = memchr(it->p, '\r', (size_t)(q - it->p));
	if (cr)
		q = cr;
	*line = it->p;
	*n = (size_t)(q - it->p);
	if (q < it->end && *q++ == '\r' && q < it->end && *q == '\n')
		q++;
	it->p = q;
	it->lineno++;
	return true;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool tr_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space((unsigned char)s[i]))
			return false;
	return true;
}

bool tr_starts_with_word(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	if (n < w || memcmp(s, word, w))
		return false;
	return n == w || s[w] == ' ' || s[w] == '\t';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Reads 1+ digits at s[*i]; false when there are none or too many. */
static bool read_digits(const char *s, size_t n, size_t *i, size_t max_digits,
			long *val, size_t *count)
{
	size_t start = *i;

	*val = 0;
	while (*i < n && is_digit((unsigned char)s[*i])) {
		if (*i - start >= max_digits)
			return false;
		*val = *val * 10 + (s[*i] - '0');
		(*i)++;
	}
	*count = *i - start;
	return *count > 0;
}

static bool dig(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static long two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The usual shape, "hh:mm:ss.ttt", read without the general loop. */
static bool parse_time_fixed(const char *s, size_t n, long f[3], long *frac)
{
	if (n != 12 || !dig(s[0]) || !dig(s[1]) || s[2] != ':' || !dig(s[3]) || !dig(s[4]) ||
	    s[5] != ':' || !dig(s[6]) || !dig(s[7]) || (s[8] != '.' && s[8] != ',') ||
	    !dig(s[9]) || !dig(s[10]) || !dig(s[11]))
		return false;
	f[0] = two_digits(s);
	f[1] = two_digits(s + 3);
	f[2] = two_digits(s + 6);
	*frac = (s[9] - '0') * 100 + two_digits(s + 10);
	return true;
}

bool tr_parse_time(const char *s, size_t n, double *out)
{
	long f[3], frac;
	size_t i = 0, nf = 0, cnt = 3;

	if (parse_time_fixed(s, n, f, &frac)) {
		nf = 3;
		goto check;
	}
	while (nf < 3) {
		if (!read_digits(s, n, &i, nf ? 2 : 9, &f[nf], &cnt))
			return false;
		if (nf && cnt != 2)
			return false;
		nf++;
		if (i < n && s[i] == ':' && nf < 3) {
			i++;
			continue;
		}
		break;
	}
	if (nf < 2 || i >= n || (s[i] != '.' && s[i] != ','))
		return false;
	i++;
	if (!read_digits(s, n, &i, 3, &frac, &cnt) || i != n)
		return false;
check:
	if (f[nf - 1] > 59 || (nf == 3 && f[1] > 59))
		return false;
	for (; cnt < 3; cnt++)
		frac *= 10;
	if (nf == 2)
		*out = (double)f[0] * 60 + (double)f[1] + (double)frac / 1000;
	else
		*out = (double)f[0] * 3600 + (double)f[1] * 60 + (double)f[2] + (double)frac / 1000;
	return true;
}

/* The first "-->" in line, or NULL.  '-' is rare in cue text, so memchr
 * finds the candidates faster than memmem(). */
static const char *find_arrow(const char *line, size_t n)
{
	const char *end = line + n, *p = line;

	while (end - p >= 3 && (p = memchr(p, '-', (size_t)(end - p - 2)))) {
		if (p[1] == '-' && p[2] == '>')
			return p;
		p++;
	}
	return NULL;
}

bool tr_has_arrow(const char *line, size_t n)
{
	return find_arrow(line, n) != NULL;
}

/* The token (non-blank run) of s at *i, skipping leading blanks. */
static void next_token(const char *s, size_t n, size_t *i, const char **tok, size_t *len)
{
	while (*i < n && is_space((unsigned char)s[*i]))
		(*i)++;
	*tok = s + *i;
	while (*i < n && !is_space((unsigned char)s[*i]))
		(*i)++;
	*len = (size_t)(s + *i - *tok);
}

bool tr_parse_timing(const char *line, size_t n, double *start, double *end,
		     const char **bad, size_t *bad_len)
{
	const char *arrow = find_arrow(line, n);
	const char *tok;
	size_t i = 0, len, left;

	if (!arrow)
		BUG("tr_parse_timing without an arrow");
	left = (size_t)(arrow - line);
	next_token(line, left, &i, &tok, &len);
	while (i < left && is_space((unsigned char)line[i]))
		i++;
	if (i != left || !tr_parse_time(tok, len, start)) {
		*bad = len ? tok : line;
		*bad_len = len ? len : left;
		return false;
	}
	i = left + 3;
	next_token(line, n, &i, &tok, &len);
	if (!tr_parse_time(tok, len, end)) {
		*bad = tok;
		*bad_len = len;
		return false;
	}
	if (*end < *start)
		*end = *start;
	return true;
}

/* Bytes that collapse into a single space. */
static bool collapses(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

void tr_add_collapsed(struct sbuf *sb, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out;
	bool space;

	/* the result is never longer than s: reserve once, then write in place */
	if (!n || sbuf_grow(sb, n) < 0)
		return;
	out = sb->buf + sb->len;
	space = !sb->len || sb->buf[sb->len - 1] == ' ';
	for (size_t i = 0; i < n; i++) {
		bool c = collapses(u[i]);

		/* branch-free: a collapsing byte is written as ' ' and kept only
		 * when the previous byte was not one */
		*out = c ? ' ' : (char)u[i];
		out += !(c && space);
		space = c;
	}
	sb->len = (size_t)(out - sb->buf);
	sb->buf[sb->len] = '\0';
}

void tr_rtrim(struct sbuf *sb)
{
	size_t n = sb->len;

	while (n && sb->buf[n - 1] == ' ')
		n--;
	if (n != sb->len)
		sbuf_setlen(sb, n);
}

void tr_add_printable(struct sbuf *sb, const char *s, size_t n)
{
	char *clean = utf8_sanitize(s, n);

	for (char *c = clean; *c; c++)
		sbuf_addch(sb, (unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c);
	free(clean);
}

void tr_quote(struct sbuf *err, const char *s, size_t n)
{
	size_t max = utf8_cut(s, n, 40);
	sbuf_addch(err, '\'');
	tr_add_printable(err, s, max);
	if (max < n)
		sbuf_adds(err, "...");
	sbuf_addch(err, '\'');
}
