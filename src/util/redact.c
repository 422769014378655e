/*
 * redact.c - finds URLs in text and hides their credentials (see redact.h).
 * A hand-made scan rather than libcurl's URL parser: that one normalises
 * what it reads (case, encoding, slashes), and a redacted URL must differ
 * from the original only where a secret was.
 */
#include "util/redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MASK "***"

static const char *const secret_words[] = {
	"key", "token", "secret", "passw", "auth", "sig", "credential", "session",
};
static const char *const secret_names[] = { "pass", "pw", "pwd", "sid" };

/* Whether word occurs in name[0..len), ignoring case. */
static bool has_word(const char *name, size_t len, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i + wl <= len; i++)
		if (!strncasecmp(name + i, word, wl))
			return true;
	return false;
}

bool redact_secret_name(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(secret_words); i++)
		if (has_word(name, len, secret_words[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(secret_names); i++)
		if (len == strlen(secret_names[i]) && !strncasecmp(name, secret_names[i], len))
			return true;
	return false;
}

static bool scheme_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

/* Where a URL inside text stops: white space, quotes, angle brackets. */
static bool url_end(char c)
{
	return isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' || c == '>' ||
	       c == '`' || c == '\0';
}

/* Length of the span of s[0..len) before the first byte of stop (or len). */
static size_t span_to(const char *s, size_t len, const char *stop)
{
	size_t i = 0;

	while (i < len && !strchr(stop, s[i]))
		i++;
	return i;
}

/*
 * URLs nested in a parameter's value (?next=http://user:pw@host/) are
 * redacted too, this many levels deep; a deeper value is masked whole, so a
 * hostile string cannot make the scan recurse without bound.
 */
#define MAX_NESTING 4

static void redact_nested(struct sbuf *out, const char *s, size_t len, int depth);

static int hex_value(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* v[0..len) with %XX sequences decoded (a malformed one is kept as it is). */
static void percent_decode(struct sbuf *out, const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi = i + 2 < len ? hex_value(v[i + 1]) : -1;
		int lo = hi >= 0 ? hex_value(v[i + 2]) : -1;

		if (v[i] == '%' && lo >= 0) {
			sbuf_addch(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			sbuf_addch(out, v[i]);
		}
	}
}

/*
 * Whether v[0..len) is a percent-encoded URL ("https%3A%2F%2F...") that,
 * decoded, holds a credential: such a value is masked whole, since hiding
 * only part of an encoded secret is error-prone.
 */
static bool encoded_secret(const char *v, size_t len, int depth)
{
	struct sbuf plain = SBUF_INIT(SBUF_NOLIMIT), redacted = SBUF_INIT(SBUF_NOLIMIT);
	bool found;

	if (!memchr(v, '%', len))
		return false;
	percent_decode(&plain, v, len);
	found = plain.len < len && memmem(plain.buf, plain.len, "://", 3);
	if (found) {
		redact_nested(&redacted, plain.buf, plain.len, depth + 1);
		found = redacted.len != plain.len || memcmp(redacted.buf, plain.buf, plain.len);
	}
	sbuf_release(&plain);
	sbuf_release(&redacted);
	return found;
}

/* One "name=value" of a query or fragment, its value masked when the name looks secret. */
static void add_param(struct sbuf *out, const char *p, size_t len, int depth)
{
	size_t v = span_to(p, len, "=") + 1;
	bool nested;

	if (v >= len) {
		sbuf_add(out, p, len);
		return;
	}
	sbuf_add(out, p, v);
	nested = memmem(p + v, len - v, "://", 3) != NULL;
	if (redact_secret_name(p, v - 1) || (nested && depth >= MAX_NESTING) ||
	    (depth < MAX_NESTING && encoded_secret(p + v, len - v, depth)))
		sbuf_adds(out, MASK);
	else if (nested)
		redact_nested(out, p + v, len - v, depth + 1);
	else
		sbuf_add(out, p + v, len - v);
}

/* A query or fragment (without its leading ? or #): parameters split on & and ;. */
static void add_params(struct sbuf *out, const char *p, size_t len, int depth)
{
	size_t i = 0;

	while (i < len) {
		size_t n = span_to(p + i, len - i, "&;");

		add_param(out, p + i, n, depth);
		i += n;
		if (i < len)
			sbuf_addch(out, p[i++]);
	}
}

/* url[0..len) starts with "scheme://"; rest is the offset after "://". */
static void add_url(struct sbuf *out, const char *url, size_t len, size_t rest, int depth)
{
	size_t auth = rest + span_to(url + rest, len - rest, "/?#");
	size_t at = auth, i;

	while (at > rest && url[at - 1] != '@')
		at--;
	if (at > rest) {                /* userinfo: everything before the last @ */
		sbuf_add(out, url, rest);
		sbuf_adds(out, MASK);
		sbuf_add(out, url + at - 1, auth - at + 1);
	} else {
		sbuf_add(out, url, auth);
	}
	i = auth + span_to(url + auth, len - auth, "?#");
	sbuf_add(out, url + auth, i - auth);
	while (i < len) {               /* '?' query, then '#' fragment */
		size_t n = url[i] == '?' ? span_to(url + i + 1, len - i - 1, "#") : len - i - 1;

		sbuf_addch(out, url[i]);
		add_params(out, url + i + 1, n, depth);
		i += n + 1;
	}
}

/* The end of the URL whose "://" is at sep: trailing punctuation belongs to the sentence. */
static size_t find_end(const char *s, size_t len, size_t sep)
{
	size_t end = sep + 3;

	while (end < len && !url_end(s[end]))
		end++;
	while (end > sep + 3 && strchr(".,;:!)]}", s[end - 1]))
		end--;
	return end;
}

static void redact_nested(struct sbuf *out, const char *s, size_t len, int depth)
{
	size_t i = 0;

	while (i < len) {
		const char *hit = memmem(s + i, len - i, "://", 3);
		size_t sep, start, end;

		if (!hit)
			break;
		sep = (size_t)(hit - s);
		for (start = sep; start > i && scheme_char(s[start - 1]); start--)
			;
		end = start < sep ? find_end(s, len, sep) : sep + 3;
		sbuf_add(out, s + i, start - i);
		if (start < sep)
			add_url(out, s + start, end - start, sep + 3 - start, depth);
		else
			sbuf_add(out, s + start, end - start);
		i = end;
	}
	sbuf_add(out, s + i, len - i);
}

void redact_add(struct sbuf *out, const char *s, size_t len)
{
	redact_nested(out, s, len, 0);
}

char *redact_text(const char *text)
{
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);

	if (!text)
		return NULL;
	redact_add(&out, text, strlen(text));
	return sbuf_detach(&out, NULL);
}

bool redact_needed(const char *text)
{
	char *r = redact_text(text);
	bool differs = r && strcmp(r, text);

	free(r);
	return differs;
}
