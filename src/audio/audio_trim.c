/*
 * audio_trim.c - the chunker, the long-silence trimmer and the time map.
 *
 * The trimmer works on 10 ms frames.  A run of silent frames is held back
 * until it is either broken by sound (then it passes through whole) or grows
 * past max_silence (then only its first and last AUDIO_TRIM_KEEP / 2 seconds
 * pass, so a pause stays audible as a pause to the VAD and the recognizer).
 * The kept tail carries its own original position, so every timestamp later
 * derived from it is true to the original audio.
 */
#include "audio/audio_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME (AUDIO_RATE / 100)

/* ---- time map ------------------------------------------------------------ */

void audio_timemap_add(struct audio_timemap *m, uint64_t offset, uint64_t orig)
{
	if (m->nr) {
		const struct audio_anchor *last = &m->items[m->nr - 1];

		if (offset < last->offset)
			BUG("time map offsets must not decrease");
		if (orig >= last->orig && orig - last->orig == offset - last->offset)
			return;
		if (offset == last->offset) {
			m->items[m->nr - 1].orig = orig;
			return;
		}
	}
	PC_GROW(m->items, m->alloc, m->nr + 1);
	m->items[m->nr].offset = offset;
	m->items[m->nr].orig = orig;
	m->nr++;
}

double audio_timemap_seconds(const struct audio_timemap *m, uint64_t offset)
{
	size_t lo = 0, hi = m->nr;

	if (!m->nr || offset < m->items[0].offset)
		return (double)offset / AUDIO_RATE;
	/* Last anchor at or before offset. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->items[mid].offset <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return (double)(m->items[lo].orig + (offset - m->items[lo].offset)) / AUDIO_RATE;
}

void audio_timemap_release(struct audio_timemap *m)
{
	free(m->items);
	m->items = NULL;
	m->nr = m->alloc = 0;
}

double audio_frame_db(const int16_t *s, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (double)s[i] * s[i];
	if (!n || sum <= 0)
		return -100.0;
	return fmax(-100.0, 10.0 * log10(sum / n / (32768.0 * 32768.0)));
}

/* ---- chunker ------------------------------------------------------------- */

void audio_chunker_init(struct audio_chunker *c, size_t cap, audio_chunk_fn cb,
			void *udata)
{
	memset(c, 0, sizeof(*c));
	c->cap = cap ? cap : AUDIO_RATE;
	c->buf = pc_malloc(c->cap * sizeof(*c->buf));
	c->cb = cb;
	c->udata = udata;
}

int audio_chunker_flush(struct audio_chunker *c)
{
	struct audio_chunk ch;
	int rc;

	if (!c->n)
		return 0;
	ch.samples = c->buf;
	ch.n = c->n;
	ch.offset = c->offset;
	ch.orig = c->orig;
	ch.start = (double)c->orig / AUDIO_RATE;
	rc = c->cb(&ch, c->udata);
	c->offset += c->n;
	c->orig += c->n;
	c->n = 0;
	return rc;
}

int audio_chunker_put(struct audio_chunker *c, const int16_t *s, size_t n,
		      uint64_t orig)
{
	int rc;

	if (c->n && orig != c->orig + c->n && (rc = audio_chunker_flush(c)))
		return rc;
	if (!c->n)
		c->orig = orig;
	while (n) {
		size_t take = c->cap - c->n < n ? c->cap - c->n : n;

		memcpy(c->buf + c->n, s, take * sizeof(*s));
		c->n += take;
		s += take;
		n -= take;
		if (c->n == c->cap && (rc = audio_chunker_flush(c)))
			return rc;
	}
	return 0;
}

void audio_chunker_release(struct audio_chunker *c)
{
	free(c->buf);
	c->buf = NULL;
}

/* ---- trimmer ------------------------------------------------------------- */

struct audio_trimmer {
	struct audio_chunker *out;
	double silence_db;
	size_t max_run;          /* samples of silence passed through untouched */
	size_t keep;             /* samples kept at each edge of a cut silence */
	int16_t frame[FRAME];    /* partial frame */
	size_t fill;
	uint64_t next_orig;      /* original sample of the next input sample */
	int16_t *held;           /* silence held back, up to max_run samples */
	size_t held_n;
	uint64_t held_orig;
	bool cutting;            /* the current silence is too long: cut it */
	int16_t *tail;           /* last `keep` samples of a cut silence */
	size_t tail_n;
};

struct audio_trimmer *audio_trimmer_new(double max_silence, double silence_db,
					struct audio_chunker *out)
{
	struct audio_trimmer *t = pc_calloc(1, sizeof(*t));
	double keep = AUDIO_TRIM_KEEP / 2;

	if (max_silence < AUDIO_TRIM_KEEP)
		max_silence = AUDIO_TRIM_KEEP;
	t->out = out;
	t->silence_db = silence_db;
	t->max_run = (size_t)(max_silence * AUDIO_RATE) / FRAME * FRAME;
	t->keep = (size_t)(keep * AUDIO_RATE) / FRAME * FRAME;
	t->held = pc_malloc(t->max_run * sizeof(*t->held));
	t->tail = pc_malloc(t->keep * sizeof(*t->tail));
	return t;
}

void audio_trimmer_free(struct audio_trimmer *t)
{
	if (!t)
		return;
	free(t->held);
	free(t->tail);
	free(t);
}

/* Sound (or the end) after a silence: let the kept part of it through. */
static int end_silence(struct audio_trimmer *t, uint64_t orig_after)
{
	int rc = 0;

	if (!t->cutting && t->held_n)
		rc = audio_chunker_put(t->out, t->held, t->held_n, t->held_orig);
	else if (t->cutting && t->tail_n)
		rc = audio_chunker_put(t->out, t->tail, t->tail_n,
				       orig_after - t->tail_n);
	t->held_n = t->tail_n = 0;
	t->cutting = false;
	return rc;
}

static void keep_tail(struct audio_trimmer *t, const int16_t *s, size_t n)
{
	if (n >= t->keep) {
		memcpy(t->tail, s + n - t->keep, t->keep * sizeof(*s));
		t->tail_n = t->keep;
		return;
	}
	if (t->tail_n + n > t->keep) {
		size_t drop = t->tail_n + n - t->keep;

		memmove(t->tail, t->tail + drop, (t->tail_n - drop) * sizeof(*s));
		t->tail_n -= drop;
	}
	memcpy(t->tail + t->tail_n, s, n * sizeof(*s));
	t->tail_n += n;
}

/* A silent frame: hold it, or once the run is too long, cut. */
static int silent_frame(struct audio_trimmer *t, const int16_t *s, uint64_t orig)
{
	int rc;

	if (t->cutting) {
		keep_tail(t, s, FRAME);
		return 0;
	}
	if (!t->held_n)
		t->held_orig = orig;
	if (t->held_n + FRAME <= t->max_run) {
		memcpy(t->held + t->held_n, s, FRAME * sizeof(*s));
		t->held_n += FRAME;
		return 0;
	}
	/* Too long: the head goes out now, the rest only as a short tail. */
	rc = audio_chunker_put(t->out, t->held, t->keep, t->held_orig);
	t->cutting = true;
	t->tail_n = 0;
	keep_tail(t, t->held + t->keep, t->held_n - t->keep);
	keep_tail(t, s, FRAME);
	t->held_n = 0;
	return rc;
}

static int full_frame(struct audio_trimmer *t, const int16_t *s, uint64_t orig)
{
	int rc;

	if (audio_frame_db(s, FRAME) < t->silence_db)
		return silent_frame(t, s, orig);
	if ((rc = end_silence(t, orig)))
		return rc;
	return audio_chunker_put(t->out, s, FRAME, orig);
}

int audio_trimmer_put(struct audio_trimmer *t, const int16_t *s, size_t n,
		      uint64_t orig)
{
	int rc;

	if (!t->fill)
		t->next_orig = orig;
	while (n) {
		size_t take = FRAME - t->fill < n ? FRAME - t->fill : n;

		memcpy(t->frame + t->fill, s, take * sizeof(*s));
		t->fill += take;
		s += take;
		n -= take;
		if (t->fill < FRAME)
			break;
		rc = full_frame(t, t->frame, t->next_orig);
		t->next_orig += FRAME;
		t->fill = 0;
		if (rc)
			return rc;
	}
	return 0;
}

int audio_trimmer_finish(struct audio_trimmer *t)
{
	int rc = end_silence(t, t->next_orig);

	if (!rc && t->fill)
		rc = audio_chunker_put(t->out, t->frame, t->fill, t->next_orig);
	t->fill = 0;
	return rc;
}
