/*
 * diarize_feat.c - MFCCs from sphinxbase's front end with the recognizer's
 * own settings (Debian's en-us feat.params), and the choice of speech
 * frames.
 *
 * Why this front end: it is already linked for recognition, it is the
 * filter bank the acoustic model was trained on, and it runs at well under
 * 1% of real time.  Noise removal and its silence removal are off so that
 * frame i always starts at sample i * 160 and times stay exact.
 */
#include "diarize/internal.h"
#include "audio/audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmd_ln.h>
#include <err.h>
#include <fe.h>

#define BATCH_FRAMES 256
/* A frame is speech when its energy is within this of the utterance's
 * loudest frame: the VAD's padding and the pauses between words (breath,
 * room, digital silence) describe the room, not the voice. */
#define SPEECH_RANGE_DB 30.0
#define SPEECH_FLOOR_DB -60.0
#define ENERGY_WINDOW 400            /* samples: the front end's 25.6 ms window */

struct dz_frontend {
	fe_t *fe;
	mfcc_t *buf;                   /* BATCH_FRAMES x DZ_CEPS */
	mfcc_t *rows[BATCH_FRAMES];
	float (*ceps)[DZ_CEPS];        /* the current utterance's frames */
	size_t nceps, alloc;
	double *db;
	size_t db_alloc;
};

static void sphinx_silent(void *udata, err_lvl_t level, const char *fmt, ...)
{
	(void)udata;
	(void)level;
	(void)fmt;
}

int dz_frontend_new(struct dz_frontend **out, struct sbuf *err)
{
	struct dz_frontend *f;
	cmd_ln_t *cfg;

	err_set_logfp(NULL);
	err_set_callback(sphinx_silent, NULL);
	cfg = cmd_ln_init(NULL, fe_get_args(), TRUE, "-samprate", "16000", "-lowerf", "130",
			  "-upperf", "6800", "-nfilt", "25", "-transform", "dct", "-lifter",
			  "22", "-ncep", "13", "-dither", "no", "-remove_noise", "no",
			  "-remove_silence", "no", NULL);
	f = pc_calloc(1, sizeof(*f));
	f->fe = cfg ? fe_init_auto_r(cfg) : NULL;
	cmd_ln_free_r(cfg);
	if (!f->fe || fe_get_output_size(f->fe) != DZ_CEPS) {
		sbuf_setf(err, "speaker diarization: sphinxbase's feature front end did not start");
		dz_frontend_free(f);
		return -PC_EFAIL;
	}
	f->buf = pc_calloc(BATCH_FRAMES * DZ_CEPS, sizeof(*f->buf));
	for (int i = 0; i < BATCH_FRAMES; i++)
		f->rows[i] = f->buf + i * DZ_CEPS;
	*out = f;
	return 0;
}

void dz_frontend_free(struct dz_frontend *f)
{
	if (!f)
		return;
	if (f->fe)
		fe_free(f->fe);
	free(f->buf);
	free(f->ceps);
	free(f->db);
	free(f);
}

static void keep_frames(struct dz_frontend *f, int n)
{
	PC_GROW(f->ceps, f->alloc, f->nceps + (size_t)n);
	for (int i = 0; i < n; i++, f->nceps++)
		for (int j = 0; j < DZ_CEPS; j++)
			f->ceps[f->nceps][j] = (float)f->rows[i][j];
}

/* All cepstra of the utterance into f->ceps. */
static int cepstra(struct dz_frontend *f, const struct audio_utterance *u)
{
	const int16 *p = u->samples;
	size_t left = u->n;
	int32 n, idx;

	f->nceps = 0;
	if (fe_start_utt(f->fe) < 0)
		return -PC_EFAIL;
	while (left > 0) {
		n = BATCH_FRAMES;
		if (fe_process_frames(f->fe, &p, &left, f->rows, &n, &idx) < 0)
			return -PC_EFAIL;
		keep_frames(f, n);
		if (n == 0 && left > 0)
			break;
	}
	if (fe_end_utt(f->fe, f->rows[0], &n) < 0)
		return -PC_EFAIL;
	keep_frames(f, n);
	return 0;
}

/* Energy (dBFS) of each frame's window; returns the loudest. */
static double energies(struct dz_frontend *f, const struct audio_utterance *u)
{
	double peak = -200;

	PC_GROW(f->db, f->db_alloc, f->nceps + 1);
	for (size_t i = 0; i < f->nceps; i++) {
		size_t a = i * DZ_FRAME_SAMPLES, b = a + ENERGY_WINDOW;
		double e = 0;

		if (b > u->n)
			b = u->n;
		for (size_t k = a; k < b; k++)
			e += (double)u->samples[k] * u->samples[k];
		e = b > a ? e / (double)(b - a) : 0;
		f->db[i] = 10 * log10(e / (32768.0 * 32768.0) + 1e-12);
		if (f->db[i] > peak)
			peak = f->db[i];
	}
	return peak;
}

static void push_frame(struct dz_frames *out, const float *c, size_t at)
{
	if (out->nr == out->alloc) {
		size_t a = out->alloc;

		PC_GROW(out->x, a, out->nr + 1);
		PC_GROW(out->at, out->alloc, out->nr + 1);
	}
	memcpy(out->x[out->nr], c + 1, sizeof(out->x[0]));
	out->at[out->nr++] = at;
}

int dz_frontend_frames(struct dz_frontend *f, const struct audio_utterance *u,
		       struct dz_frames *out, struct sbuf *err)
{
	double peak, floor_db;

	out->nr = out->total = 0;
	if (!u->n)
		return 0;
	if (cepstra(f, u) < 0) {
		sbuf_setf(err, "speaker diarization: feature extraction failed at %.2f s",
			  u->start);
		return -PC_EFAIL;
	}
	peak = energies(f, u);
	floor_db = fmax(peak - SPEECH_RANGE_DB, SPEECH_FLOOR_DB);
	out->total = f->nceps;
	for (size_t i = 0; i < f->nceps; i++)
		if (f->db[i] >= floor_db)
			push_frame(out, f->ceps[i], i);
	return 0;
}

void dz_frames_release(struct dz_frames *f)
{
	free(f->x);
	free(f->at);
	memset(f, 0, sizeof(*f));
}

double dz_frame_time(const struct audio_utterance *u, size_t i)
{
	uint64_t off = (uint64_t)i * DZ_FRAME_SAMPLES;

	if (!u->n)
		return u->start;
	if (off >= u->n)
		return u->end;
	return audio_timemap_seconds(&u->map, off);
}
