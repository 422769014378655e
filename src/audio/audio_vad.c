/*
 * audio_vad.c - energy-based voice-activity segmentation into utterances.
 *
 * Every 10 ms frame is speech when its power is threshold_db above a tracked
 * noise floor (and above an absolute floor_db).  The noise floor follows
 * quieter frames at once and louder ones slowly (NOISE_RISE_DB a frame), so
 * it settles on the pauses between words and is not dragged up by speech.
 *
 *   silence --speech frame--> speech   (start padding frames earlier)
 *   speech --min_silence of non-speech--> silence   (emit, padding after)
 *   speech --max_utterance reached--> emit up to the quietest frame of the
 *            last SPLIT_WINDOW seconds, keep the rest as the next utterance
 *
 * Samples live in one buffer addressed by processed offset [buf_off,
 * buf_off + buf_n); it is compacted whenever its head is no longer needed,
 * so it never holds much more than max_utterance seconds.
 */
#include "audio/audio_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME (AUDIO_RATE / 100)
#define NOISE_RISE_DB 0.02    /* per frame: 2 dB a second */
#define NOISE_MIN_DB -90.0
#define SPLIT_WINDOW 5.0      /* seconds searched for a split point */
#define COMPACT_MIN AUDIO_RATE

struct audio_vad {
	struct audio_vad_options o;
	audio_utterance_fn cb;
	void *udata;
	size_t min_sil, max_utt, min_speech, pad, split_win;   /* frames */
	int16_t *buf;
	size_t buf_n, buf_alloc;
	uint64_t buf_off;
	bool started;
	struct audio_timemap map;     /* anchors of buffered samples */
	uint64_t next_frame;          /* processed offset of next frame */
	float *energy;                /* dB of each frame since utt_start */
	size_t energy_n, energy_alloc;
	bool in_speech;
	uint64_t utt_start;
	uint64_t last_speech_end;
	uint64_t emitted_end;
	size_t speech_frames;
	size_t silence_run;
	double noise_db;
	size_t index;
	int rc;                       /* sticky callback result */
};

static size_t frames(double seconds)
{
	return seconds > 0 ? (size_t)(seconds * 100 + 0.5) : 0;
}

struct audio_vad *audio_vad_new(const struct audio_vad_options *o,
				audio_utterance_fn cb, void *udata)
{
	static const struct audio_vad_options defaults = AUDIO_VAD_OPTIONS_INIT;
	struct audio_vad *v = pc_calloc(1, sizeof(*v));

	v->o = o ? *o : defaults;
	v->cb = cb;
	v->udata = udata;
	v->min_sil = frames(v->o.min_silence) ? frames(v->o.min_silence) : 1;
	v->max_utt = frames(v->o.max_utterance) > 100 ? frames(v->o.max_utterance) : 100;
	v->min_speech = frames(v->o.min_speech);
	v->pad = frames(v->o.padding);
	v->split_win = frames(SPLIT_WINDOW) < v->max_utt / 2 ? frames(SPLIT_WINDOW)
							    : v->max_utt / 2;
	v->noise_db = -60.0;
	return v;
}

void audio_vad_free(struct audio_vad *v)
{
	if (!v)
		return;
	free(v->buf);
	free(v->energy);
	audio_timemap_release(&v->map);
	free(v);
}

void audio_utterance_free(struct audio_utterance *u)
{
	if (!u)
		return;
	free(u->samples);
	audio_timemap_release(&u->map);
	free(u);
}

/* Original sample of a buffered processed offset. */
static uint64_t orig_of(const struct audio_vad *v, uint64_t off)
{
	size_t i = v->map.nr;

	while (i > 1 && v->map.items[i - 1].offset > off)
		i--;
	return v->map.items[i - 1].orig + (off - v->map.items[i - 1].offset);
}

static void utterance_map(const struct audio_vad *v, struct audio_utterance *u,
			  uint64_t s, uint64_t e)
{
	audio_timemap_add(&u->map, 0, orig_of(v, s));
	for (size_t i = 0; i < v->map.nr; i++) {
		const struct audio_anchor *a = &v->map.items[i];

		if (a->offset > s && a->offset < e)
			audio_timemap_add(&u->map, a->offset - s, a->orig);
	}
}

/* Hands [s, e) to the callback, or drops it when it holds too little speech. */
static int emit(struct audio_vad *v, uint64_t s, uint64_t e, size_t speech)
{
	struct audio_utterance *u;

	v->emitted_end = e;
	if (speech < v->min_speech || e <= s)
		return 0;
	u = pc_calloc(1, sizeof(*u));
	u->index = v->index++;
	u->n = (size_t)(e - s);
	u->samples = pc_malloc(u->n * sizeof(*u->samples));
	memcpy(u->samples, v->buf + (s - v->buf_off), u->n * sizeof(*u->samples));
	utterance_map(v, u, s, e);
	u->start = audio_timemap_seconds(&u->map, 0);
	u->end = audio_timemap_seconds(&u->map, u->n - 1) + 1.0 / AUDIO_RATE;
	return v->cb(u, v->udata);
}

static float frame_energy(const struct audio_vad *v, uint64_t off)
{
	return (float)audio_frame_db(v->buf + (off - v->buf_off), FRAME);
}

static void start_utterance(struct audio_vad *v, uint64_t f)
{
	uint64_t s = f >= v->pad * FRAME ? f - v->pad * FRAME : 0;

	if (s < v->emitted_end)
		s = v->emitted_end;
	if (s < v->buf_off)
		s = v->buf_off;
	v->in_speech = true;
	v->utt_start = s;
	v->speech_frames = 0;
	v->silence_run = 0;
	v->energy_n = 0;
	for (uint64_t o = s; o < f; o += FRAME) {
		PC_GROW(v->energy, v->energy_alloc, v->energy_n + 1);
		v->energy[v->energy_n++] = frame_energy(v, o);
	}
}

/* Index of the quietest frame (3-frame average) in the split window. */
static size_t quietest(const struct audio_vad *v)
{
	size_t from = v->energy_n - v->split_win, best = v->energy_n - 1;
	float best_e = INFINITY;

	for (size_t i = from + 1; i + 1 < v->energy_n; i++) {
		float e = v->energy[i - 1] + v->energy[i] + v->energy[i + 1];

		if (e < best_e) {
			best_e = e;
			best = i;
		}
	}
	return best;
}

static int split_utterance(struct audio_vad *v)
{
	size_t k = quietest(v);
	uint64_t at = v->utt_start + (uint64_t)k * FRAME;
	int rc = emit(v, v->utt_start, at, v->speech_frames);

	memmove(v->energy, v->energy + k, (v->energy_n - k) * sizeof(*v->energy));
	v->energy_n -= k;
	v->utt_start = at;
	/* The rest is the middle of speech: count it all as speech. */
	v->speech_frames = v->energy_n;
	return rc;
}

static int speech_frame(struct audio_vad *v, uint64_t f, bool speech, float e)
{
	PC_GROW(v->energy, v->energy_alloc, v->energy_n + 1);
	v->energy[v->energy_n++] = e;
	if (speech) {
		v->speech_frames++;
		v->silence_run = 0;
		v->last_speech_end = f + FRAME;
	} else if (++v->silence_run >= v->min_sil) {
		uint64_t end = v->last_speech_end + v->pad * FRAME;

		v->in_speech = false;
		return emit(v, v->utt_start, end < f + FRAME ? end : f + FRAME,
			    v->speech_frames);
	}
	if (v->energy_n >= v->max_utt)
		return split_utterance(v);
	return 0;
}

static int classify(struct audio_vad *v, uint64_t f)
{
	float e = frame_energy(v, f);
	bool speech = e > v->noise_db + v->o.threshold_db && e > v->o.floor_db;

	if (e < v->noise_db)
		v->noise_db = e > NOISE_MIN_DB ? e : NOISE_MIN_DB;
	else
		v->noise_db += fmin(e - v->noise_db, NOISE_RISE_DB);
	if (!v->in_speech) {
		if (!speech)
			return 0;
		start_utterance(v, f);
	}
	return speech_frame(v, f, speech, e);
}

/* Drops buffered samples no future utterance can start before. */
static void compact(struct audio_vad *v)
{
	uint64_t keep = v->in_speech ? v->utt_start
		: (v->next_frame > v->pad * FRAME ? v->next_frame - v->pad * FRAME : 0);
	size_t drop, a = 0;

	if (keep < v->buf_off + COMPACT_MIN)
		return;
	drop = (size_t)(keep - v->buf_off);
	memmove(v->buf, v->buf + drop, (v->buf_n - drop) * sizeof(*v->buf));
	v->buf_n -= drop;
	v->buf_off = keep;
	while (a + 1 < v->map.nr && v->map.items[a + 1].offset <= keep)
		a++;
	if (a) {
		memmove(v->map.items, v->map.items + a, (v->map.nr - a) * sizeof(*v->map.items));
		v->map.nr -= a;
	}
}

int audio_vad_feed(struct audio_vad *v, const struct audio_chunk *c)
{
	if (v->rc)
		return v->rc;
	if (!v->started) {
		v->started = true;
		v->buf_off = v->next_frame = v->emitted_end = c->offset;
	}
	if (c->offset != v->buf_off + v->buf_n)
		BUG("audio chunks must be consecutive");
	PC_GROW(v->buf, v->buf_alloc, v->buf_n + c->n);
	memcpy(v->buf + v->buf_n, c->samples, c->n * sizeof(*c->samples));
	v->buf_n += c->n;
	audio_timemap_add(&v->map, c->offset, c->orig);
	while (!v->rc && v->next_frame + FRAME <= v->buf_off + v->buf_n) {
		v->rc = classify(v, v->next_frame);
		v->next_frame += FRAME;
	}
	compact(v);
	return v->rc;
}

int audio_vad_feed_chunk(const struct audio_chunk *c, void *vad)
{
	return audio_vad_feed(vad, c);
}

int audio_vad_finish(struct audio_vad *v)
{
	uint64_t end;

	if (v->rc || !v->in_speech)
		return v->rc;
	end = v->last_speech_end + v->pad * FRAME;
	if (end > v->buf_off + v->buf_n)
		end = v->buf_off + v->buf_n;
	v->in_speech = false;
	v->rc = emit(v, v->utt_start, end, v->speech_frames);
	return v->rc;
}
