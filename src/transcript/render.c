/* render.c - segments out as plain text, WebVTT, SRT and screenplay. */
#include "transcript/tr_internal.h"

#include <math.h>
#include <string.h>

void transcript_to_text(const struct segment_list *l, bool with_speakers, struct sbuf *out)
{
	size_t need = 0;

	/* one reservation instead of a reallocation (and copy) every 50% */
	for (size_t i = 0; i < l->nr; i++)
		need += strlen(l->items[i].text) + 1 +
			(with_speakers && l->items[i].speaker ? strlen(l->items[i].speaker) + 2 : 0);
	sbuf_grow(out, need);
	for (size_t i = 0; i < l->nr; i++) {
		const struct segment *s = &l->items[i];

		if (!*s->text)
			continue;
		if (with_speakers && s->speaker) {
			sbuf_adds(out, s->speaker);
			sbuf_add(out, ": ", 2);
		}
		sbuf_adds(out, s->text);
		sbuf_addch(out, '\n');
	}
}

static size_t count_words(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s != ' ' && (s[1] == ' ' || !s[1]);
	return n;
}

/* Segment i opens a new paragraph after the one before it. */
static bool new_paragraph(const struct segment_list *l, size_t i, double pause,
			  size_t words)
{
	const struct segment *prev = &l->items[i - 1], *cur = &l->items[i];

	if (!(prev->speaker == cur->speaker ||
	      (prev->speaker && cur->speaker && !strcmp(prev->speaker, cur->speaker))))
		return true;
	if (prev->end >= 0 && cur->start >= 0 && cur->start - prev->end >= pause)
		return true;
	return words >= TRANSCRIPT_PARAGRAPH_WORDS;
}

void transcript_to_paragraphs(const struct segment_list *l, double pause, struct sbuf *out)
{
	size_t words = 0;
	bool open = false;

	for (size_t i = 0; i < l->nr; i++) {
		const char *text = l->items[i].text;

		if (!*text)
			continue;
		if (open && new_paragraph(l, i, pause, words)) {
			sbuf_adds(out, "\n\n");
			words = 0;
		} else if (open) {
			sbuf_addch(out, ' ');
		}
		sbuf_adds(out, text);
		words += count_words(text);
		open = true;
	}
	if (open)
		sbuf_addch(out, '\n');
}

/* v in decimal with at least width digits (zero-padded) into buf; returns the length. */
static size_t format_uint(char *buf, unsigned long long v, size_t width)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/* Longest time written, in ms (about 31,000 years): later ones are clamped. */
#define TIME_MAX_MS 1e15

/* "hh:mm:ss.mmm" (sep '.') or "hh:mm:ss,mmm" (sep ','); hours may take more digits. */
static void add_time(struct sbuf *out, double t, char sep)
{
	double ms = isfinite(t) && t > 0 ? round(t * 1000) : 0;
	unsigned long long u = (unsigned long long)(ms < TIME_MAX_MS ? ms : TIME_MAX_MS);
	char buf[48];
	size_t n = format_uint(buf, u / 3600000, 2);

	buf[n++] = ':';
	n += format_uint(buf + n, u / 60000 % 60, 2);
	buf[n++] = ':';
	n += format_uint(buf + n, u / 1000 % 60, 2);
	buf[n++] = sep;
	n += format_uint(buf + n, u % 1000, 3);
	sbuf_add(out, buf, n);
}

static void add_timing(struct sbuf *out, double start, double end, char sep)
{
	add_time(out, start, sep);
	sbuf_adds(out, " --> ");
	add_time(out, end > start ? end : start, sep);
	sbuf_addch(out, '\n');
}

/* Cue text of n bytes on one line: line breaks would end the cue. */
static void add_vtt_text(struct sbuf *out, const char *s, size_t n)
{
	const char *span = s, *end = s + n;

	for (; s < end; s++) {
		const char *esc;

		switch (*s) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '\n': case '\r': esc = " "; break;
		default: continue;
		}
		sbuf_add(out, span, (size_t)(s - span));
		sbuf_adds(out, esc);
		span = s + 1;
	}
	sbuf_add(out, span, (size_t)(s - span));
}

/* SRT has no escapes: keep text on one line and without a timing arrow. */
static void add_srt_text(struct sbuf *out, const char *s, size_t n)
{
	const char *span = s, *end = s + n;

	for (; s < end; s++) {
		if (*s == '\n' || *s == '\r') {
			sbuf_add(out, span, (size_t)(s - span));
			sbuf_addch(out, ' ');
			span = s + 1;
		} else if (end - s >= 3 && !strncmp(s, "-->", 3)) {
			sbuf_add(out, span, (size_t)(s - span));
			sbuf_adds(out, "->");
			s += 2;
			span = s + 1;
		}
	}
	sbuf_add(out, span, (size_t)(s - span));
}

/* What a cue writer needs besides the cue. */
struct cue_out {
	struct sbuf *out;
	const struct segment *s;
	size_t nr;           /* SRT: cues written so far */
};

static void vtt_cue(const struct tr_cue *c, void *udata)
{
	struct cue_out *o = udata;

	sbuf_addch(o->out, '\n');
	add_timing(o->out, c->start, c->end, '.');
	if (o->s->speaker) {
		sbuf_adds(o->out, "<v ");
		add_vtt_text(o->out, o->s->speaker, strlen(o->s->speaker));
		sbuf_addch(o->out, '>');
	}
	add_vtt_text(o->out, c->line1, c->len1);
	if (c->line2) {
		sbuf_addch(o->out, '\n');
		add_vtt_text(o->out, c->line2, c->len2);
	}
	sbuf_addch(o->out, '\n');
}

void transcript_to_vtt(const struct segment_list *l, struct sbuf *out)
{
	struct cue_out o = { out, NULL, 0 };

	sbuf_adds(out, "WEBVTT\n");
	for (size_t i = 0; i < l->nr; i++) {
		o.s = &l->items[i];
		if (o.s->start >= 0)
			tr_cues(o.s, 0, vtt_cue, &o);
	}
}

static void srt_cue(const struct tr_cue *c, void *udata)
{
	struct cue_out *o = udata;

	if (o->nr)
		sbuf_addch(o->out, '\n');
	sbuf_addf(o->out, "%zu\n", ++o->nr);
	add_timing(o->out, c->start, c->end, ',');
	if (o->s->speaker) {
		add_srt_text(o->out, o->s->speaker, strlen(o->s->speaker));
		sbuf_adds(o->out, ": ");
	}
	add_srt_text(o->out, c->line1, c->len1);
	if (c->line2) {
		sbuf_addch(o->out, '\n');
		add_srt_text(o->out, c->line2, c->len2);
	}
	sbuf_addch(o->out, '\n');
}

void transcript_to_srt(const struct segment_list *l, struct sbuf *out)
{
	struct cue_out o = { out, NULL, 0 };

	for (size_t i = 0; i < l->nr; i++) {
		o.s = &l->items[i];
		/* the "Name: " prefix takes room on the first line */
		if (o.s->start >= 0)
			tr_cues(o.s, o.s->speaker ? strlen(o.s->speaker) + 2 : 0, srt_cue, &o);
	}
}

/* Text of the turn being built; flushed as "Name: text" or bare text. */
struct turn {
	struct sbuf text;
	struct sbuf name;
	bool named;
};

static void turn_flush(struct turn *t, struct sbuf *out)
{
	if (t->text.len) {
		if (t->named)
			sbuf_addf(out, "%s: ", t->name.buf);
		sbuf_add(out, t->text.buf, t->text.len);
		sbuf_addch(out, '\n');
	}
	sbuf_reset(&t->text);
}

static void turn_add(struct turn *t, const char *text)
{
	if (t->text.len && *text)
		sbuf_addch(&t->text, ' ');
	tr_add_collapsed(&t->text, text, strlen(text));
	tr_rtrim(&t->text);
}

/* Starts a turn by name (NULL for an unnamed one) unless it is the current one. */
static void turn_switch(struct turn *t, const char *name, struct sbuf *out)
{
	if (t->text.len && t->named == (name != NULL) && (!name || !strcmp(name, t->name.buf)))
		return;
	turn_flush(t, out);
	sbuf_reset(&t->name);
	t->named = name != NULL;
	if (name)
		sbuf_adds(&t->name, name);
}

static bool has_speakers(const struct segment_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->items[i].speaker)
			return true;
	return false;
}

/* Voice names for the rotation: names[i], else "SPEAKER <i+1>". */
static void voice_name(const char *const *names, size_t nr_names, size_t i, struct sbuf *out)
{
	sbuf_reset(out);
	if (i < nr_names && names[i] && *names[i])
		sbuf_adds(out, names[i]);
	else
		sbuf_addf(out, "SPEAKER %zu", i + 1);
}

static bool pause_before(const struct segment_list *l, size_t i, double gap)
{
	const struct segment *prev = &l->items[i - 1], *cur = &l->items[i];

	return prev->end >= 0 && cur->start >= 0 && cur->start - prev->end > gap;
}

void transcript_to_screenplay_n(const struct segment_list *l, const char *const *names,
				size_t nr_names, size_t nr_speakers, double gap_seconds,
				struct sbuf *out)
{
	struct turn t = { SBUF_INIT(SBUF_NOLIMIT), SBUF_INIT(SBUF_NOLIMIT), false };
	struct sbuf voice = SBUF_INIT(SBUF_NOLIMIT);
	bool by_speaker = has_speakers(l);
	size_t v = 0;

	if (!nr_speakers)
		nr_speakers = 1;
	for (size_t i = 0; i < l->nr; i++) {
		if (by_speaker) {
			turn_switch(&t, l->items[i].speaker, out);
		} else {
			if (i && pause_before(l, i, gap_seconds)) {
				v = (v + 1) % nr_speakers;
				turn_flush(&t, out);
			}
			voice_name(names, nr_names, v, &voice);
			turn_switch(&t, voice.buf, out);
		}
		turn_add(&t, l->items[i].text);
	}
	turn_flush(&t, out);
	sbuf_release(&t.text);
	sbuf_release(&t.name);
	sbuf_release(&voice);
}

void transcript_to_screenplay(const struct segment_list *l, const char *const *names,
			      size_t nr_names, double gap_seconds, struct sbuf *out)
{
	transcript_to_screenplay_n(l, names, nr_names, nr_names > 2 ? nr_names : 2,
				   gap_seconds, out);
}
