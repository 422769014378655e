/*
 * srt.c - SubRip parser.
 *
 * Real SRT files are sloppy: missing or wrong cue numbers, extra or missing
 * blank lines, '.' instead of ',' in times.  So cues are found by their
 * timing lines alone; the text runs to the next timing line, and a lone
 * number just before a timing line is that cue's number, not text.  A line
 * with "-->" whose times do not parse is an error naming the line.
 */
#include "transcript/tr_internal.h"

#include <string.h>

struct srt {
	bool in_cue;
	double start, end;
	struct sbuf raw;        /* text lines of the current cue, '\n'-joined */
	size_t last_off;        /* where the last text line starts in raw */
	bool last_numeric;      /* the last text line is only digits */
	struct sbuf text;       /* scratch for push_cue(), kept to reuse its memory */
	struct sbuf voice;
	struct segment_list *out;
	size_t cues;
};

static bool all_digits(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return false;
	for (; i < n; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static void push_cue(struct srt *s)
{
	struct sbuf *text = &s->text, *voice = &s->voice;
	const char *rest;
	size_t nl;

	sbuf_reset(text);
	sbuf_reset(voice);
	tr_clean_cue(s->raw.buf, s->raw.len, text, voice);
	if (!voice->len && tr_split_speaker(text->buf, text->len, &nl, &rest) && *rest)
		tr_push(s->out, s->start, s->end, text->buf, nl, rest,
			(size_t)(text->buf + text->len - rest));
	else if (text->len)
		tr_push(s->out, s->start, s->end, voice->buf, voice->len, text->buf, text->len);
}

static int timing(struct srt *s, const char *line, size_t n, size_t lineno, struct sbuf *err)
{
	const char *bad;
	size_t bad_len;
	double start, end;

	if (!tr_parse_timing(line, n, &start, &end, &bad, &bad_len)) {
		sbuf_addf(err, "SRT line %zu: bad timestamp ", lineno);
		tr_quote(err, bad, bad_len);
		return -PC_EPARSE;
	}
	if (s->in_cue) {
		if (s->last_numeric)
			sbuf_setlen(&s->raw, s->last_off ? s->last_off - 1 : 0);
		push_cue(s);
	}
	sbuf_reset(&s->raw);
	s->last_numeric = false;
	s->in_cue = true;
	s->start = start;
	s->end = end;
	s->cues++;
	return 0;
}

static int srt_line(struct srt *s, const char *line, size_t n, size_t lineno, struct sbuf *err)
{
	if (tr_has_arrow(line, n))
		return timing(s, line, n, lineno, err);
	if (!s->in_cue || tr_is_blank(line, n))
		return 0;
	if (s->raw.len)
		sbuf_addch(&s->raw, '\n');
	s->last_off = s->raw.len;
	s->last_numeric = all_digits(line, n);
	sbuf_add(&s->raw, line, n);
	return 0;
}

int tr_parse_srt(const char *data, size_t len, struct segment_list *out, struct sbuf *err)
{
	struct srt s = { false, 0, 0, SBUF_INIT(SBUF_NOLIMIT), 0, false, SBUF_INIT(SBUF_NOLIMIT),
			 SBUF_INIT(SBUF_NOLIMIT), out, 0 };
	struct tr_lines it;
	const char *line;
	size_t n;
	int r = 0;

	tr_lines_init(&it, data, len);
	while (r == 0 && tr_lines_next(&it, &line, &n))
		r = srt_line(&s, line, n, it.lineno, err);
	if (r == 0 && s.in_cue)
		push_cue(&s);
	if (r == 0 && !s.cues) {
		sbuf_adds(err, "SRT: no subtitle timing line (\"00:00:01,000 --> 00:00:02,000\")");
		r = -PC_EPARSE;
	}
	sbuf_release(&s.raw);
	sbuf_release(&s.text);
	sbuf_release(&s.voice);
	return r;
}
