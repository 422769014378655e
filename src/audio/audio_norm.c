/*
 * audio_norm.c - streaming loudness normalization.
 *
 * A look-ahead peak normalizer in the spirit of libavfilter's dynaudnorm:
 * each 10 ms frame gets the gain that brings the loudest peak within
 * LOOK_BACK before and LOOK_AHEAD after it to TARGET_PEAK, at most MAX_GAIN.
 * The gain drops at once (the look-ahead sees a loud passage coming, so
 * nothing clips) and rises slowly, so quiet speakers are lifted without
 * pumping the pauses between words.  Frames whose whole window is quieter
 * than GATE_PEAK keep the previous gain: background noise in long pauses is
 * not blown up.
 *
 * Written here rather than with libavfilter because loading libavfilter and
 * its dependencies costs ~11 MB of resident memory in every process, which
 * matters next to two speech decoders; it also processes files shorter
 * than its window, which dynaudnorm passes through unchanged.
 *
 * Output lags input by LOOK_AHEAD; samples keep their original positions.
 */
#include "audio/audio_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME (AUDIO_RATE / 100)
#define LOOK_AHEAD 100          /* frames (1 s) */
#define LOOK_BACK 200           /* frames (2 s) */
#define WINDOW (LOOK_BACK + LOOK_AHEAD + 1)
#define TARGET_PEAK (0.9 * 32767)
#define MAX_GAIN 10.0
#define GATE_PEAK 33.0          /* about -60 dBFS */
#define RISE 0.02               /* share of the gap closed per frame */

struct audio_normalizer {
	audio_sink_fn sink;
	void *ctx;
	int16_t *frames;            /* LOOK_AHEAD + 1 frames waiting */
	float *peaks;               /* WINDOW most recent frame peaks */
	uint64_t in;                /* full frames received */
	uint64_t out;               /* frames sent on */
	uint64_t orig0;             /* original sample of frame 0 */
	bool started;
	bool gain_set;              /* the first audible window sets it outright */
	int16_t part[FRAME];
	size_t fill;
	double gain;
};

struct audio_normalizer *audio_normalizer_new(audio_sink_fn sink, void *ctx)
{
	struct audio_normalizer *n = pc_calloc(1, sizeof(*n));

	n->sink = sink;
	n->ctx = ctx;
	n->frames = pc_malloc((LOOK_AHEAD + 1) * FRAME * sizeof(*n->frames));
	n->peaks = pc_calloc(WINDOW, sizeof(*n->peaks));
	n->gain = 1.0;
	return n;
}

void audio_normalizer_free(struct audio_normalizer *n)
{
	if (!n)
		return;
	free(n->frames);
	free(n->peaks);
	free(n);
}

static float frame_peak(const int16_t *s, size_t len)
{
	int peak = 0;

	for (size_t i = 0; i < len; i++)
		peak = abs(s[i]) > peak ? abs(s[i]) : peak;
	return (float)peak;
}

/* Updates the gain for frame j from the peaks around it that are known. */
static void update_gain(struct audio_normalizer *n, uint64_t j)
{
	uint64_t from = j > LOOK_BACK ? j - LOOK_BACK : 0;
	uint64_t to = j + LOOK_AHEAD < n->in ? j + LOOK_AHEAD : n->in - 1;
	float peak = 0;
	double want;

	for (uint64_t k = from; k <= to; k++)
		peak = fmaxf(peak, n->peaks[k % WINDOW]);
	if (peak < GATE_PEAK)
		return;
	want = fmin(MAX_GAIN, TARGET_PEAK / peak);
	if (!n->gain_set || want < n->gain)
		n->gain = want;
	else
		n->gain += (want - n->gain) * RISE;
	n->gain_set = true;
}

static int apply(struct audio_normalizer *n, int16_t *s, size_t len, uint64_t orig)
{
	for (size_t i = 0; i < len; i++) {
		double v = s[i] * n->gain;

		s[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : lrint(v));
	}
	return n->sink(n->ctx, s, len, orig);
}

static int emit_frame(struct audio_normalizer *n)
{
	uint64_t j = n->out++;

	update_gain(n, j);
	return apply(n, n->frames + (j % (LOOK_AHEAD + 1)) * FRAME, FRAME,
		     n->orig0 + j * FRAME);
}

static int add_frame(struct audio_normalizer *n, const int16_t *s)
{
	memcpy(n->frames + (n->in % (LOOK_AHEAD + 1)) * FRAME, s, FRAME * sizeof(*s));
	n->peaks[n->in % WINDOW] = frame_peak(s, FRAME);
	n->in++;
	return n->in > LOOK_AHEAD ? emit_frame(n) : 0;
}

int audio_normalizer_put(struct audio_normalizer *n, const int16_t *s, size_t len,
			 uint64_t orig)
{
	int rc;

	if (!n->started) {
		n->started = true;
		n->orig0 = orig;
	}
	while (len) {
		size_t take = FRAME - n->fill < len ? FRAME - n->fill : len;

		memcpy(n->part + n->fill, s, take * sizeof(*s));
		n->fill += take;
		s += take;
		len -= take;
		if (n->fill == FRAME) {
			n->fill = 0;
			if ((rc = add_frame(n, n->part)))
				return rc;
		}
	}
	return 0;
}

int audio_normalizer_finish(struct audio_normalizer *n)
{
	int rc = 0;

	while (!rc && n->out < n->in)
		rc = emit_frame(n);
	if (!rc && n->fill)
		rc = apply(n, n->part, n->fill, n->orig0 + n->in * FRAME);
	n->fill = 0;
	return rc;
}
