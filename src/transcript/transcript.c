/* transcript.c - segment lists, format detection and the parse entry point. */
#include "transcript/tr_internal.h"
#include "util/strlist.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void tr_push(struct segment_list *l, double start, double end, const char *speaker,
	     size_t speaker_len, const char *text, size_t text_len)
{
	struct segment *s;

	PC_GROW(l->items, l->alloc, l->nr + 1);
	s = &l->items[l->nr++];
	s->start = start;
	s->end = end;
	s->speaker = speaker && speaker_len ? utf8_sanitize(speaker, speaker_len) : NULL;
	s->text = utf8_sanitize(text ? text : "", text ? text_len : 0);
	s->words = NULL;
	s->nr_words = s->alloc_words = 0;
}

void segment_add_word(struct segment *s, const char *text, double start, double end)
{
	struct word *w;

	if (!text || !*text)
		return;
	PC_GROW(s->words, s->alloc_words, s->nr_words + 1);
	w = &s->words[s->nr_words++];
	w->text = utf8_sanitize(text, strlen(text));
	w->start = start;
	w->end = end;
}

void segment_list_push_copy(struct segment_list *l, const struct segment *s)
{
	struct segment *d;

	segment_list_push(l, s->start, s->end, s->speaker, s->text);
	d = &l->items[l->nr - 1];
	for (size_t i = 0; i < s->nr_words; i++)
		segment_add_word(d, s->words[i].text, s->words[i].start, s->words[i].end);
}

static void segment_free_words(struct segment *s)
{
	for (size_t i = 0; i < s->nr_words; i++)
		free(s->words[i].text);
	free(s->words);
	s->words = NULL;
	s->nr_words = s->alloc_words = 0;
}

void segment_list_push(struct segment_list *l, double start, double end,
		       const char *speaker, const char *text)
{
	tr_push(l, start, end, speaker, speaker ? strlen(speaker) : 0, text,
		text ? strlen(text) : 0);
}

/* Frees the segments from index keep on. */
static void segment_list_truncate(struct segment_list *l, size_t keep)
{
	while (l->nr > keep) {
		l->nr--;
		free(l->items[l->nr].speaker);
		free(l->items[l->nr].text);
		segment_free_words(&l->items[l->nr]);
	}
}

void segment_list_release(struct segment_list *l)
{
	segment_list_truncate(l, 0);
	free(l->items);
	l->items = NULL;
	l->alloc = 0;
}

bool segment_list_timed(const struct segment_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->items[i].start >= 0)
			return true;
	return false;
}

void transcript_speakers(const struct segment_list *l, struct strlist *out)
{
	struct strlist seen = STRLIST_INIT;

	for (size_t i = 0; i < l->nr; i++) {
		const char *sp = l->items[i].speaker;

		if (sp && !strlist_has(&seen, sp)) {
			strlist_push(&seen, sp);
			strlist_push(out, sp);
		}
	}
	strlist_release(&seen);
}

struct type_map {
	const char *type;
	enum transcript_format f;
};

/* Exact MIME types first; TRANSCRIPT_UNKNOWN marks types that say nothing. */
static const struct type_map exact_types[] = {
	{ "text/vtt", TRANSCRIPT_VTT }, { "application/x-subrip", TRANSCRIPT_SRT },
	{ "application/srt", TRANSCRIPT_SRT }, { "text/srt", TRANSCRIPT_SRT },
	{ "application/json", TRANSCRIPT_JSON }, { "text/html", TRANSCRIPT_HTML },
	{ "application/xhtml+xml", TRANSCRIPT_HTML }, { "text/plain", TRANSCRIPT_TEXT },
	{ "application/octet-stream", TRANSCRIPT_UNKNOWN },
	{ "binary/octet-stream", TRANSCRIPT_UNKNOWN },
};

/* Then substrings, in this order ("application/srt+json" is rare, "vtt" is not). */
static const struct type_map loose_types[] = {
	{ "vtt", TRANSCRIPT_VTT }, { "subrip", TRANSCRIPT_SRT }, { "srt", TRANSCRIPT_SRT },
	{ "json", TRANSCRIPT_JSON }, { "html", TRANSCRIPT_HTML }, { "plain", TRANSCRIPT_TEXT },
	{ "txt", TRANSCRIPT_TEXT },
};

static enum transcript_format from_type(const char *type)
{
	size_t n;

	if (!type)
		return TRANSCRIPT_UNKNOWN;
	while (*type == ' ' || *type == '\t')
		type++;
	n = strcspn(type, "; \t");
	for (size_t i = 0; i < ARRAY_SIZE(exact_types); i++)
		if (strlen(exact_types[i].type) == n && !strncasecmp(type, exact_types[i].type, n))
			return exact_types[i].f;
	for (size_t i = 0; i < ARRAY_SIZE(loose_types); i++)
		for (size_t j = 0; j + strlen(loose_types[i].type) <= n; j++)
			if (!strncasecmp(type + j, loose_types[i].type, strlen(loose_types[i].type)))
				return loose_types[i].f;
	return TRANSCRIPT_UNKNOWN;
}

static const struct type_map suffixes[] = {
	{ "vtt", TRANSCRIPT_VTT }, { "srt", TRANSCRIPT_SRT }, { "json", TRANSCRIPT_JSON },
	{ "html", TRANSCRIPT_HTML }, { "htm", TRANSCRIPT_HTML }, { "xhtml", TRANSCRIPT_HTML },
	{ "txt", TRANSCRIPT_TEXT }, { "text", TRANSCRIPT_TEXT },
};

static enum transcript_format from_url(const char *url)
{
	size_t end, dot;

	if (!url)
		return TRANSCRIPT_UNKNOWN;
	end = strcspn(url, "?#");
	for (dot = end; dot > 0 && url[dot - 1] != '.' && url[dot - 1] != '/'; dot--)
		;
	if (dot == 0 || url[dot - 1] != '.')
		return TRANSCRIPT_UNKNOWN;
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (strlen(suffixes[i].type) == end - dot &&
		    !strncasecmp(url + dot, suffixes[i].type, end - dot))
			return suffixes[i].f;
	return TRANSCRIPT_UNKNOWN;
}

/* The first line is a cue number and the second a timing line, or the first
 * is a timing line itself. */
static bool looks_srt(const char *data, size_t len)
{
	struct tr_lines it;
	const char *line, *bad;
	size_t n, bad_len;
	double a, b;

	tr_lines_init(&it, data, len);
	if (!tr_lines_next(&it, &line, &n))
		return false;
	if (!tr_has_arrow(line, n)) {
		size_t i = 0;

		while (i < n && line[i] >= '0' && line[i] <= '9')
			i++;
		if (!i || !tr_is_blank(line + i, n - i) || !tr_lines_next(&it, &line, &n) ||
		    !tr_has_arrow(line, n))
			return false;
	}
	return tr_parse_timing(line, n, &a, &b, &bad, &bad_len);
}

static bool starts_nocase(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);

	return n >= p && !strncasecmp(s, prefix, p);
}

static bool looks_json(const char *s, size_t n)
{
	size_t i = 1;

	while (i < n && s[i] && strchr(" \t\r\n", s[i]))
		i++;
	if (i >= n)
		return false;
	if (s[0] == '{')
		return s[i] == '"' || s[i] == '}';
	return s[0] == '[' && (s[i] == '{' || s[i] == ']');
}

static const char *const html_starts[] = {
	"<!doctype html", "<html", "<head", "<body", "<p>", "<p ", "<div", "<h1", "<h2",
};

static enum transcript_format sniff(const char *data, size_t len)
{
	size_t bom = tr_bom_len(data, len), i;
	const char *s = data + bom;
	size_t n = len - bom;

	if (n >= 6 && !memcmp(s, "WEBVTT", 6) && (n == 6 || (s[6] && strchr(" \t\r\n", s[6]))))
		return TRANSCRIPT_VTT;
	for (i = 0; i < n && s[i] && strchr(" \t\r\n", s[i]); i++)
		;
	s += i, n -= i;
	if (looks_srt(s, n))
		return TRANSCRIPT_SRT;
	if (n && (s[0] == '{' || s[0] == '[') && looks_json(s, n))
		return TRANSCRIPT_JSON;
	for (i = 0; i < ARRAY_SIZE(html_starts); i++)
		if (starts_nocase(s, n, html_starts[i]))
			return TRANSCRIPT_HTML;
	return TRANSCRIPT_TEXT;
}

enum transcript_format transcript_detect(const char *declared_type,
					 const char *content_type, const char *url,
					 const char *data, size_t len)
{
	enum transcript_format f = from_type(declared_type), s;

	if (f == TRANSCRIPT_UNKNOWN)
		f = from_type(content_type);
	if (f == TRANSCRIPT_UNKNOWN)
		f = from_url(url);
	s = data ? sniff(data, len) : TRANSCRIPT_TEXT;
	if (f == TRANSCRIPT_UNKNOWN || (f == TRANSCRIPT_TEXT && (s == TRANSCRIPT_VTT ||
								 s == TRANSCRIPT_SRT)))
		return s;
	return f;
}

const char *transcript_format_ext(enum transcript_format f)
{
	switch (f) {
	case TRANSCRIPT_VTT: return "vtt";
	case TRANSCRIPT_SRT: return "srt";
	case TRANSCRIPT_JSON: return "json";
	case TRANSCRIPT_HTML: return "html";
	case TRANSCRIPT_TEXT:
	case TRANSCRIPT_UNKNOWN:
		break;
	}
	return "txt";
}

typedef int (*parse_fn)(const char *, size_t, struct segment_list *, struct sbuf *);

static parse_fn parser(enum transcript_format f)
{
	switch (f) {
	case TRANSCRIPT_VTT: return tr_parse_vtt;
	case TRANSCRIPT_SRT: return tr_parse_srt;
	case TRANSCRIPT_JSON: return tr_parse_json;
	case TRANSCRIPT_HTML: return tr_parse_html;
	case TRANSCRIPT_TEXT:
	case TRANSCRIPT_UNKNOWN:
		break;
	}
	return tr_parse_text;
}

int transcript_parse(enum transcript_format f, const char *data, size_t len,
		     struct segment_list *out, struct sbuf *err)
{
	size_t before = out->nr;
	int r;

	if (len > TRANSCRIPT_MAX_BYTES) {
		sbuf_addf(err, "transcript of %zu bytes is larger than the %zu allowed",
			  len, TRANSCRIPT_MAX_BYTES);
		return -PC_ETOOBIG;
	}
	if (!data)
		data = "", len = 0;
	if (f == TRANSCRIPT_UNKNOWN)
		f = sniff(data, len);
	r = parser(f)(data, len, out, err);
	if (r == 0 && out->nr == before) {
		sbuf_addf(err, "%s transcript holds no text", transcript_format_ext(f));
		r = -PC_EPARSE;
	}
	if (r < 0)
		segment_list_truncate(out, before);
	return r;
}
