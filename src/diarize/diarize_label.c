/*
 * diarize_label.c - speakers for transcript segments from diarized turns.
 *
 * Recognizer segments follow pauses, not voices, so one may hold the end
 * of one turn and the start of the next.  Each word goes to the voice
 * speaking at its middle (by the engine's word times; without them words
 * are taken as evenly spread), and runs of words of one voice become the
 * new segments, which keep their words.  A turn
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

static void set_label(struct segment *s, int voice)
{
	struct sbuf label = SBUF_INIT(64);

	free(s->speaker);
	s->speaker = NULL;
	if (voice >= 0 && sbuf_addf(&label, DIARIZE_LABEL_PREFIX "%d", voice) == 0)
		s->speaker = sbuf_detach(&label, NULL);
	sbuf_release(&label);
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

/* A segment's words: timed by the engine, or spread evenly over it. */
struct words {
	const struct segment *s;
	size_t nr;
	bool timed;
	bool text_matches;       /* the text has one token a word */
	double step;
};

static double word_start(const struct words *w, size_t i)
{
	if (i == 0)
		return w->s->start;
	return w->timed ? w->s->words[i].start : w->s->start + (double)i * w->step;
}

static double word_end(const struct words *w, size_t i)
{
	if (i + 1 == w->nr)
		return w->s->end;
	return w->timed ? w->s->words[i].end : w->s->start + (double)(i + 1) * w->step;
}

static double word_middle(const struct words *w, size_t i)
{
	if (w->timed)
		return 0.5 * (w->s->words[i].start + w->s->words[i].end);
	return w->s->start + ((double)i + 0.5) * w->step;
}

/* Words [a, b) as a segment of voice v. */
static void push_run(struct segment_list *out, const struct words *w, size_t a, size_t b,
		     int v)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);
	struct segment *seg;

	if (w->text_matches) {
		size_t from = word_offset(w->s->text, a), to = word_offset(w->s->text, b);

		while (to > from && w->s->text[to - 1] == ' ')
			to--;
		sbuf_add(&text, w->s->text + from, to - from);
	} else {
		for (size_t i = a; i < b; i++)
			sbuf_addf(&text, "%s%s", i > a ? " " : "", w->s->words[i].text);
	}
	segment_list_push(out, word_start(w, a), word_end(w, b - 1), NULL, text.buf);
	seg = &out->items[out->nr - 1];
	set_label(seg, v);
	for (size_t i = a; w->timed && i < b; i++)
		segment_add_word(seg, w->s->words[i].text, w->s->words[i].start,
				 w->s->words[i].end);
	sbuf_release(&text);
}

/* Splits one timed segment into runs of words by voice. */
static void label_one(const struct diarize_result *r, const struct segment *s,
		      struct segment_list *out)
{
	struct words w = { s, s->nr_words, s->nr_words > 0, true, 0 };
	size_t tokens = count_words(s->text), a = 0;
	int cur;

	if (!w.timed)
		w.nr = tokens;
	w.text_matches = tokens == w.nr;
	w.step = w.nr ? (s->end - s->start) / (double)w.nr : 0;
	if (w.nr < 2 || s->end <= s->start) {
		segment_list_push_copy(out, s);
		set_label(&out->items[out->nr - 1], voice_at(r, 0.5 * (s->start + s->end)));
		return;
	}
	cur = voice_at(r, word_middle(&w, 0));
	for (size_t i = 1; i <= w.nr; i++) {
		int v = i < w.nr ? voice_at(r, word_middle(&w, i)) : -2;

		if (v == cur)
			continue;
		push_run(out, &w, a, i, cur);
		a = i;
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
			segment_list_push_copy(&out, s);
		else
			label_one(r, s, &out);
	}
	segment_list_release(l);
	*l = out;
}
