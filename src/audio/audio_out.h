/*
 * audio_out.h - private to src/audio: the stages between the resampler and
 * the caller's callback.
 *
 *   resampler -> [normalizer] -> [trimmer] -> chunker -> audio_chunk_fn
 *
 * Each stage takes samples together with the original sample index of the
 * first one; the chunker starts a new chunk whenever that index does not
 * continue the previous samples, which keeps chunks contiguous in time.
 */
#ifndef AUDIO_OUT_H
#define AUDIO_OUT_H

#include "audio/audio.h"

struct audio_chunker {
	int16_t *buf;
	size_t n;
	size_t cap;
	uint64_t offset;      /* processed offset of buf[0] */
	uint64_t orig;        /* original sample of buf[0] */
	audio_chunk_fn cb;
	void *udata;
};

void audio_chunker_init(struct audio_chunker *c, size_t cap, audio_chunk_fn cb,
			void *udata);
int audio_chunker_put(struct audio_chunker *c, const int16_t *s, size_t n,
		      uint64_t orig);
int audio_chunker_flush(struct audio_chunker *c);
void audio_chunker_release(struct audio_chunker *c);

/* Where a stage sends its samples. */
typedef int (*audio_sink_fn)(void *ctx, const int16_t *s, size_t n, uint64_t orig);

struct audio_normalizer;

struct audio_normalizer *audio_normalizer_new(audio_sink_fn sink, void *ctx);
/* Samples must be contiguous from one call to the next. */
int audio_normalizer_put(struct audio_normalizer *n, const int16_t *s, size_t len,
			 uint64_t orig);
int audio_normalizer_finish(struct audio_normalizer *n);
void audio_normalizer_free(struct audio_normalizer *n);

struct audio_trimmer;

struct audio_trimmer *audio_trimmer_new(double max_silence, double silence_db,
					struct audio_chunker *out);
/* Samples must be contiguous from one call to the next. */
int audio_trimmer_put(struct audio_trimmer *t, const int16_t *s, size_t n,
		      uint64_t orig);
int audio_trimmer_finish(struct audio_trimmer *t);
void audio_trimmer_free(struct audio_trimmer *t);

/* Mean power of n samples in dBFS (-100 for digital silence). */
double audio_frame_db(const int16_t *s, size_t n);

#endif
