/*
 * cuetext.c - cue text cleaning (tags, entities, voices) and "Name: text"
 * speaker lines.
 */
#include "transcript/tr_internal.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entity {
	const char *name;
	const char *text;   /* "" drops the entity (invisible direction marks) */
};

/* VTT's named character references plus the ones SRT files use. */
static const struct entity entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "nbsp", " " },
	{ "lrm", "" }, { "rlm", "" }, { "quot", "\"" }, { "apos", "'" },
};

/* Decodes "&#39;" / "&#x27;" (without & and ;) into sb. */
static bool numeric_entity(const char *s, size_t n, struct sbuf *sb)
{
	unsigned long cp = 0;
	size_t i = 1;
	int base = 10;

	if (n < 2 || s[0] != '#')
		return false;
	if (s[1] == 'x' || s[1] == 'X')
		base = 16, i = 2;
	if (i >= n || n - i > 7)
		return false;
	for (; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return false;
		cp = cp * (unsigned long)base + (unsigned long)d;
	}
	if (cp == 0xA0 || cp == 0x7F || (cp && cp < 0x20))
		tr_add_collapsed(sb, " ", 1);
	else
		utf8_add(sb, (uint32_t)cp);
	return true;
}

/* Length of the entity at s[0] == '&' once decoded into sb, or 0. */
static size_t entity(const char *s, size_t n, struct sbuf *sb)
{
	size_t lim = n < 12 ? n : 12;
	const char *semi = memchr(s, ';', lim);
	size_t len;

	if (!semi)
		return 0;
	len = (size_t)(semi - s - 1);
	for (size_t i = 0; i < ARRAY_SIZE(entities); i++) {
		if (strlen(entities[i].name) == len && !memcmp(s + 1, entities[i].name, len)) {
			tr_add_collapsed(sb, entities[i].text, strlen(entities[i].text));
			return len + 2;
		}
	}
	return numeric_entity(s + 1, len, sb) ? len + 2 : 0;
}

/* Appends s with entities decoded and white space collapsed. */
static void add_text(struct sbuf *sb, const char *s, size_t n)
{
	const char *end = s + n;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		size_t len;

		if (!amp) {
			tr_add_collapsed(sb, s, (size_t)(end - s));
			return;
		}
		tr_add_collapsed(sb, s, (size_t)(amp - s));
		len = entity(amp, (size_t)(end - amp), sb);
		if (!len) {
			tr_add_collapsed(sb, amp, 1);
			len = 1;
		}
		s = amp + len;
	}
}

static bool is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the markup at s: a tag "<x ...>" or an override "{\...}"; 0 when
 * s is literal text ("a < b"). */
static size_t markup_len(const char *s, size_t n)
{
	const char *close;
	char open = s[0];

	if (n < 3 || (open == '<' && !is_alnum((unsigned char)s[1]) && s[1] != '/') ||
	    (open == '{' && s[1] != '\\') || (open != '<' && open != '{'))
		return 0;
	for (close = s + 1; close < s + n; close++) {
		if (*close == open)
			return 0;
		if (*close == (open == '<' ? '>' : '}'))
			return (size_t)(close - s) + 1;
	}
	return 0;
}

/* Takes the annotation of a voice tag "<v.class Name>" into voice. */
static void voice_tag(const char *tag, size_t n, struct sbuf *voice)
{
	size_t i = 2;

	if (n < 3 || tag[1] != 'v' || (tag[2] != '.' && tag[2] != ' ' && tag[2] != '\t'))
		return;
	while (i < n - 1 && tag[i] != ' ' && tag[i] != '\t')
		i++;
	if (voice->len)
		return;
	add_text(voice, tag + i, n - 1 - i);
	tr_rtrim(voice);
}

/* Index of the first c in s[i..n), or n. */
static size_t find_from(const char *s, size_t n, size_t i, char c)
{
	const char *p = i < n ? memchr(s + i, c, n - i) : NULL;

	return p ? (size_t)(p - s) : n;
}

void tr_clean_cue(const char *s, size_t n, struct sbuf *text, struct sbuf *voice)
{
	/* lt and brace: the next '<' and '{' (n: none), each searched once */
	size_t lt = find_from(s, n, 0, '<'), brace = find_from(s, n, 0, '{');
	size_t i, start = 0;

	while ((i = lt < brace ? lt : brace) < n) {
		size_t len = markup_len(s + i, n - i);

		if (len) {
			add_text(text, s + start, i - start);
			if (s[i] == '<')
				voice_tag(s + i, len, voice);
			if (len >= 4 && !strncasecmp(s + i, "<br", 3))
				tr_add_collapsed(text, " ", 1);
			start = i + len;
		}
		i += len ? len : 1;
		if (lt < i)
			lt = find_from(s, n, i, '<');
		if (brace < i)
			brace = find_from(s, n, i, '{');
	}
	add_text(text, s + start, n - start);
	tr_rtrim(text);
}

/* Whole names that label a line rather than name a speaker. */
static const char *const labels[] = {
	"caution", "chapter", "correction", "date", "disclaimer", "edit", "editor's note",
	"episode", "fyi", "link", "links", "nb", "note", "notes", "ps", "p.s.", "re",
	"source", "sources", "subject", "summary", "tags", "time", "tip", "title",
	"transcript", "update", "url", "warning",
};

/* Lower-case words allowed inside a name ("Jean de Florette"). */
static const char *const particles[] = {
	"al", "bin", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le",
	"van", "von",
};

static bool in_list(const char *s, size_t n, const char *const *list, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (strlen(list[i]) == n && !strncasecmp(s, list[i], n))
			return true;
	return false;
}

/* One word of a name: capitalized (or a number after the first word). */
static bool name_word(const char *w, size_t n, bool first)
{
	unsigned char c = (unsigned char)w[0];

	if (!(c >= 'A' && c <= 'Z') && c < 0xC0 && (first || c < '0' || c > '9') &&
	    !(!first && in_list(w, n, particles, ARRAY_SIZE(particles))))
		return false;
	for (size_t i = 0; i < n; i++) {
		c = (unsigned char)w[i];
		if (!is_alnum(c) && c < 0x80 && c != '.' && c != '\'' && c != '-')
			return false;
	}
	return true;
}

static bool valid_name(const char *s, size_t n)
{
	size_t words = 0, i = 0;

	if (!n || in_list(s, n, labels, ARRAY_SIZE(labels)))
		return false;
	while (i < n) {
		size_t start = i;

		while (i < n && s[i] != ' ')
			i++;
		if (i == start || ++words > 4 || !name_word(s + start, i - start, words == 1))
			return false;
		if (i < n)
			i++;
	}
	return i == n && s[n - 1] != ' ';
}

/* Text that is only a time or a number ("12:30", "5.30 pm") is a label's value. */
static bool only_time(const char *s, size_t n)
{
	bool digit = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			digit = true;
		else if (!strchr(":.,- \tapmAPM", c))
			return false;
	}
	return digit;
}

/* "Ethan Park (host)", "Priya (00:12)": what is in brackets is no part of the name. */
static size_t without_bracket(const char *s, size_t n)
{
	const char *open = n > 3 && s[n - 1] == ')' ? memrchr(s, '(', n) : NULL;

	if (!open || open == s || open[-1] != ' ' || (size_t)(s + n - open) > 24)
		return n;
	return (size_t)(open - 1 - s);
}

bool tr_is_speaker_name(const char *s, size_t n)
{
	return n <= 48 && valid_name(s, n);
}

bool tr_split_speaker(const char *s, size_t n, size_t *name_len, const char **rest)
{
	size_t lim = n < 48 ? n : 48;
	const char *colon = memchr(s, ':', lim);
	size_t nl, r;

	if (!colon)
		return false;
	nl = (size_t)(colon - s);
	r = nl + 1;
	if (r < n && s[r] != ' ' && s[r] != '\t')
		return false;
	while (r < n && (s[r] == ' ' || s[r] == '\t'))
		r++;
	nl = without_bracket(s, nl);
	if (!valid_name(s, nl) || only_time(s + r, n - r))
		return false;
	*name_len = nl;
	*rest = s + r;
	return true;
}
