/*
 * diarize_label.c - speakers for transcript segments from diarized turns.
 *
 * Recognizer segments follow pauses, not voices, so one may hold the end
 * of one turn and the start of the next.  Without word times its words are
 * taken as evenly spread; each word goes to the voice speaking at its
 * middle, and runs of words of one voice become the new segments.  A turn
 * that overlaps a segment by less than half a word therefore takes no word
 * from it: very short turns melt into their neighbours unless they hold a
 * whole word.
 */
#include "diarize/diarize.h"
#include "transcript/transcript.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The voice at time t: the turn holding it, else the nearest turn. */
static int voice_at(const struct diarize_result *r, double t)
{
	double best_d = INFINITY;
	int best = -1;

	for (size_t i = 0; i < r->nr; i++) {
		const struct diarize_turn *u = &r->turns[i];
		double d = t < u->start ? u->start - t : (t > u->end ? t - u->end : 0);

		if (d < best_d) {
			best_d = d;
			best = u->speaker;
		}
	}
	return best;
}

static void push_labelled(struct segment_list *out, double start, double end, int voice,
			  const char *text, size_t len)
{
	struct sbuf label = SBUF_INIT(64), t = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_addf(&label, DIARIZE_LABEL_PREFIX "%d", voice);
	sbuf_add(&t, text, len);
	segment_list_push(out, start, end, voice >= 0 ? label.buf : NULL, t.buf);
	sbuf_release(&label);
	sbuf_release(&t);
}

static size_t count_words(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && (p == s || p[-1] == ' '))
			n++;
	return n;
}

/* Byte offset where word w (0-based) starts, or strlen(s) past the end. */
static size_t word_offset(const char *s, size_t w)
{
	size_t n = 0;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && (p == s || p[-1] == ' ') && n++ == w)
			return (size_t)(p - s);
	return strlen(s);
}

/* Splits one timed segment into runs of words by voice. */
static void label_one(const struct diarize_result *r, const struct segment *s,
		      struct segment_list *out)
{
	size_t nw = count_words(s->text), a = 0;
	double step = nw ? (s->end - s->start) / (double)nw : 0;
	int cur = voice_at(r, 0.5 * (s->start + s->end));

	if (nw < 2 || s->end <= s->start) {
		push_labelled(out, s->start, s->end, cur, s->text, strlen(s->text));
		return;
	}
	cur = voice_at(r, s->start + 0.5 * step);
	for (size_t w = 1; w <= nw; w++) {
		int v = w < nw ? voice_at(r, s->start + ((double)w + 0.5) * step) : -2;
		size_t from, to;

		if (v == cur)
			continue;
		from = word_offset(s->text, a);
		to = word_offset(s->text, w);
		while (to > from && s->text[to - 1] == ' ')
			to--;
		push_labelled(out, s->start + (double)a * step,
			      w < nw ? s->start + (double)w * step : s->end, cur,
			      s->text + from, to - from);
		a = w;
		cur = v;
	}
}

void diarize_label_segments(const struct diarize_result *r, struct segment_list *l)
{
	struct segment_list out = SEGMENT_LIST_INIT;

	if (!r->nr || !segment_list_timed(l))
		return;
	for (size_t i = 0; i < l->nr; i++) {
		const struct segment *s = &l->items[i];

		if (s->start < 0)
			segment_list_push(&out, s->start, s->end, s->speaker, s->text);
		else
			label_one(r, s, &out);
	}
	segment_list_release(l);
	*l = out;
}
