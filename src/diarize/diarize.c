/*
 * diarize.c - the two passes over the audio and the turns they give.
 *
 * Pass 1 decodes and segments the audio exactly as recognition does (same
 * decoder, same preprocessing and VAD), splits utterances at voice changes
 * and keeps each piece's statistics; clustering names the voices.  Pass 2
 * decodes again (about 0.1 s a minute) and assigns each speech frame to a
 * voice with a Viterbi search, so a boundary lands where the voice changes
 * rather than where a window happened to end.  Neither pass keeps audio
 * beyond the utterance in hand.
 */
#include "diarize/internal.h"
#include "audio/audio.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CLUSTER_LAMBDA 3.0
#define CHANGE_LAMBDA 1.0
#define SWITCH_PENALTY 30.0    /* nats to change voice inside an utterance */
#define JOIN_GAP 0.5           /* same-voice turns closer than this (s) join */
#define MAX_UTTERANCE 20.0
#define MIN_RUN 30             /* speech frames a voice keeps at least */

struct pass {
	const struct diarize_options *o;
	struct dz_frontend *fe;
	struct dz_frames fr;
	struct dz_segments segs;       /* pass 1 */
	struct dz_gauss *voices;       /* pass 2 */
	int nvoices;
	struct diarize_result *res;    /* pass 2 */
	struct diarize_stats *st;
	struct sbuf *err;
};

static double lambda_or(double v, double dflt)
{
	return v > 0 ? v : dflt;
}

static void push_turn(struct diarize_result *r, double start, double end, int speaker)
{
	struct diarize_turn *last = r->nr ? &r->turns[r->nr - 1] : NULL;

	if (end <= start)
		return;
	if (last && last->speaker == speaker && start - last->end < JOIN_GAP) {
		if (end > last->end)
			last->end = end;
		return;
	}
	PC_GROW(r->turns, r->alloc, r->nr + 1);
	r->turns[r->nr++] = (struct diarize_turn){ start, end, speaker };
}

/* ---- pass 1: change points -------------------------------------------- */

static int on_utterance_1(struct audio_utterance *u, void *udata)
{
	struct pass *p = udata;
	int r = dz_frontend_frames(p->fe, u, &p->fr, p->err);

	if (!r) {
		dz_change_segments(u, &p->fr, lambda_or(p->o->change_penalty, CHANGE_LAMBDA),
				   &p->segs);
		p->st->utterances++;
		p->st->speech_seconds += (double)p->fr.nr / DZ_FRAME_RATE;
	}
	audio_utterance_free(u);
	return r;
}

/* ---- pass 2: Viterbi over the voices --------------------------------- */

/* Best voice path over the speech frames; labels[i] for frame i. */
static void viterbi(const struct pass *p, int *labels)
{
	size_t m = p->fr.nr, k = (size_t)p->nvoices;
	double *cur = pc_calloc(k, sizeof(*cur)), *next = pc_calloc(k, sizeof(*next));
	int *back = pc_calloc(m * k, sizeof(*back));

	for (size_t t = 0; t < m; t++) {
		size_t best = 0;

		for (size_t s = 1; s < k; s++)
			if (cur[s] > cur[best])
				best = s;
		for (size_t s = 0; s < k; s++) {
			bool stay = cur[s] >= cur[best] - SWITCH_PENALTY;

			back[t * k + s] = stay ? (int)s : (int)best;
			next[s] = (stay ? cur[s] : cur[best] - SWITCH_PENALTY) +
				  dz_gauss_loglik(&p->voices[s], p->fr.x[t]);
		}
		memcpy(cur, next, k * sizeof(*cur));
	}
	labels[m - 1] = 0;
	for (size_t s = 1; s < k; s++)
		if (cur[s] > cur[labels[m - 1]])
			labels[m - 1] = (int)s;
	for (size_t t = m - 1; t > 0; t--)
		labels[t - 1] = back[t * k + (size_t)labels[t]];
	free(cur);
	free(next);
	free(back);
}

/* Length of the run of equal labels starting at a. */
static size_t run_end(const int *labels, size_t m, size_t a)
{
	size_t b = a + 1;

	while (b < m && labels[b] == labels[a])
		b++;
	return b;
}

/*
 * Runs shorter than MIN_RUN frames take the label of their longer
 * neighbour: a voice change needs more evidence than a tenth of a second.
 */
static void smooth_labels(int *labels, size_t m)
{
	size_t prev_a = 0, a = 0;

	while (a < m) {
		size_t b = run_end(labels, m, a), next_b;

		if (b - a < MIN_RUN && (a > 0 || b < m)) {
			next_b = b < m ? run_end(labels, m, b) : b;
			int to = a == 0 || (b < m && next_b - b > a - prev_a) ? labels[b]
									      : labels[a - 1];

			for (size_t t = a; t < b; t++)
				labels[t] = to;
			a = prev_a;
			continue;
		}
		prev_a = a;
		a = b;
	}
}

static void turns_from_labels(struct pass *p, const struct audio_utterance *u,
			      const int *labels)
{
	size_t m = p->fr.nr, a = 0;

	for (size_t t = 1; t <= m; t++) {
		if (t < m && labels[t] == labels[a])
			continue;
		push_turn(p->res, dz_frame_time(u, p->fr.at[a]),
			  dz_frame_time(u, p->fr.at[t - 1] + 1), labels[a]);
		a = t;
	}
}

static int on_utterance_2(struct audio_utterance *u, void *udata)
{
	struct pass *p = udata;
	int r = dz_frontend_frames(p->fe, u, &p->fr, p->err);

	if (!r && p->fr.nr) {
		int *labels = pc_calloc(p->fr.nr, sizeof(*labels));

		viterbi(p, labels);
		smooth_labels(labels, p->fr.nr);
		turns_from_labels(p, u, labels);
		free(labels);
	}
	audio_utterance_free(u);
	return r;
}

/* ---- passes ------------------------------------------------------------ */

static int run_pass(const char *path, struct pass *p, audio_utterance_fn fn,
		    struct audio_info *info)
{
	struct audio_vad_options vo = AUDIO_VAD_OPTIONS_INIT;
	struct audio_options ao = AUDIO_OPTIONS_INIT;
	struct audio_vad *vad;
	int r;

	vo.max_utterance = MAX_UTTERANCE;
	ao.preprocess = p->o->preprocess;
	audio_options_trim(&ao, p->o->max_silence, p->o->silence_db);
	ao.max_seconds = p->o->max_seconds;
	ao.info = info;
	vad = audio_vad_new(&vo, fn, p);
	r = audio_decode(path, &ao, audio_vad_feed_chunk, vad, p->err);
	if (!r)
		r = audio_vad_finish(vad);
	audio_vad_free(vad);
	return r;
}

static void turns_from_segments(struct pass *p)
{
	for (size_t i = 0; i < p->segs.nr; i++)
		push_turn(p->res, p->segs.items[i].start, p->segs.items[i].end,
			  p->segs.items[i].cluster);
}

/* Voices renumbered by first appearance, empty ones dropped; seconds. */
static void finish_result(struct diarize_result *r, int nvoices)
{
	int *map = pc_calloc((size_t)nvoices, sizeof(*map)), k = 0;
	struct diarize_result tmp = DIARIZE_RESULT_INIT;

	for (int i = 0; i < nvoices; i++)
		map[i] = -1;
	for (size_t i = 0; i < r->nr; i++)
		if (map[r->turns[i].speaker] < 0)
			map[r->turns[i].speaker] = k++;
	for (size_t i = 0; i < r->nr; i++)
		push_turn(&tmp, r->turns[i].start, r->turns[i].end, map[r->turns[i].speaker]);
	free(r->turns);
	*r = tmp;
	r->speakers = k;
	r->seconds = pc_calloc((size_t)k + 1, sizeof(*r->seconds));
	for (size_t i = 0; i < r->nr; i++)
		r->seconds[r->turns[i].speaker] += r->turns[i].end - r->turns[i].start;
	free(map);
}

static int resegment(const char *path, struct pass *p, const struct dz_stats *vs)
{
	struct audio_info info;

	p->voices = pc_calloc((size_t)p->nvoices, sizeof(*p->voices));
	for (int i = 0; i < p->nvoices; i++)
		dz_gauss_from_stats(&p->voices[i], &vs[i]);
	return run_pass(path, p, on_utterance_2, &info);
}

static void pass_release(struct pass *p)
{
	dz_frontend_free(p->fe);
	dz_frames_release(&p->fr);
	free(p->segs.items);
	free(p->voices);
}

static int diarize_passes(const char *path, struct pass *p, struct sbuf *err)
{
	struct audio_info info = { 0 };
	struct dz_stats *vs = NULL;
	int r = dz_frontend_new(&p->fe, err);

	if (!r)
		r = run_pass(path, p, on_utterance_1, &info);
	if (r)
		return r;
	p->st->audio_seconds = info.duration;
	p->st->segments = p->segs.nr;
	p->nvoices = dz_cluster(&p->segs, lambda_or(p->o->penalty, CLUSTER_LAMBDA),
				lambda_or(p->o->change_penalty, CHANGE_LAMBDA),
				p->o->num_speakers, &vs);
	if (p->nvoices > 1 && p->o->resegment)
		r = resegment(path, p, vs);
	else
		turns_from_segments(p);
	free(vs);
	if (!r)
		finish_result(p->res, p->nvoices);
	return r;
}

int diarize_file(const char *path, const struct diarize_options *o,
		 struct diarize_result *out, struct diarize_stats *stats,
		 struct sbuf *err)
{
	struct diarize_options dflt = DIARIZE_OPTIONS_INIT;
	struct diarize_result res = DIARIZE_RESULT_INIT;
	struct diarize_stats st = { 0 };
	struct pass p = { 0 };
	double t0 = time_mono();
	int r;

	p.o = o ? o : &dflt;
	p.res = &res;
	p.st = &st;
	p.err = err;
	r = diarize_passes(path, &p, err);
	pass_release(&p);
	if (r) {
		diarize_result_release(&res);
		return r;
	}
	st.seconds = time_mono() - t0;
	if (stats)
		*stats = st;
	diarize_result_release(out);
	*out = res;
	return 0;
}

void diarize_result_release(struct diarize_result *r)
{
	free(r->turns);
	free(r->seconds);
	*r = (struct diarize_result)DIARIZE_RESULT_INIT;
}

int diarize_speaker_at(const struct diarize_result *r, double start, double end)
{
	double *ov = pc_calloc((size_t)r->speakers + 1, sizeof(*ov));
	int best = -1;

	for (size_t i = 0; i < r->nr; i++) {
		double a = fmax(start, r->turns[i].start), b = fmin(end, r->turns[i].end);

		if (b > a)
			ov[r->turns[i].speaker] += b - a;
	}
	for (int s = 0; s < r->speakers; s++)
		if (ov[s] > 0 && (best < 0 || ov[s] > ov[best]))
			best = s;
	free(ov);
	return best;
}
