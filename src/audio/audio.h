/*
 * audio.h - any audio file to 16 kHz mono int16, streamed; preprocessing;
 * voice-activity segmentation into utterances.
 *
 * Purpose: speech engines want 16 kHz mono 16-bit samples in pieces of a
 * few seconds.  audio_decode() reads whatever libavformat reads (MP3,
 * M4A/AAC, OGG Vorbis/Opus, FLAC, WAV, WebM, ...) and hands the samples to a
 * callback in chunks, so memory stays bounded however long the file is.  The
 * VAD (audio_vad_*) consumes those chunks and produces utterances of bounded
 * length, each owning its samples, ready to be handed to a pool of decoders.
 *
 * Time: three coordinates are used and never mixed up.
 *   - original seconds: position in the file as a listener hears it; every
 *     time a caller sees (chunk->start, utterance->start/end,
 *     audio_timemap_seconds()) is in original seconds.
 *   - original samples: original seconds * AUDIO_RATE.
 *   - processed offsets: index into the stream of samples actually delivered.
 *     With preprocessing, long silences are shortened, so processed offsets
 *     drift from original samples; struct audio_timemap maps them back.
 * Invariant: the samples of one chunk are contiguous in the original audio
 * (a trimmed silence always starts a new chunk), so chunk->start plus
 * i / AUDIO_RATE is the original time of sample i.
 *
 * Preprocessing (audio_options.preprocess): streaming loudness normalization
 * (peak-based gain with 1 s of look-ahead, at most 10x), then silences
 * longer than max_silence are cut down to AUDIO_TRIM_KEEP seconds.
 *
 * Calling sequence:
 *	struct audio_vad *vad = audio_vad_new(NULL, on_utterance, me);
 *	struct audio_options o = AUDIO_OPTIONS_INIT;
 *	rc = audio_decode(path, &o, audio_vad_feed_chunk, vad, &err);
 *	if (rc == 0)
 *		rc = audio_vad_finish(vad);
 *	audio_vad_free(vad);
 *
 * Threads: audio_decode() and the VAD keep all state in their arguments;
 * different files may be decoded in parallel threads.  libav's own logging
 * is routed to log_debug("audio", ...) and never reaches stderr.
 */
#ifndef AUDIO_H
#define AUDIO_H

#include "util/pc.h"
#include "util/sbuf.h"

#define AUDIO_RATE 16000          /* samples per second of every output */
#define AUDIO_TRIM_KEEP 0.5       /* seconds a trimmed silence is cut down to */
#define AUDIO_PROBE_MAX_SECONDS (365.0 * 86400)  /* a stated length past this is a lie */
/* 4 kbit/s, below any speech codec podcasts use: the fewest bytes a second can take */
#define AUDIO_PROBE_MIN_BYTES_PER_SECOND 500.0

/* ---- time map ------------------------------------------------------------ */

struct audio_anchor {
	uint64_t offset;   /* processed offset */
	uint64_t orig;     /* original sample at that offset */
};

/*
 * Processed offsets -> original time.  Between two anchors samples are
 * contiguous; only discontinuities are stored, so a map stays tiny.
 */
struct audio_timemap {
	struct audio_anchor *items;
	size_t nr;
	size_t alloc;
};

#define AUDIO_TIMEMAP_INIT { NULL, 0, 0 }

/*
 * Records that processed offset `offset` is original sample `orig`.  Offsets
 * must not decrease; an anchor that continues the previous one is not stored.
 */
void audio_timemap_add(struct audio_timemap *m, uint64_t offset, uint64_t orig);
/* Original seconds of processed offset `offset` (offset itself if m is empty). */
double audio_timemap_seconds(const struct audio_timemap *m, uint64_t offset);
void audio_timemap_release(struct audio_timemap *m);

/* ---- decoding ------------------------------------------------------------ */

struct audio_info {
	double duration;     /* original seconds decoded */
	double delivered;    /* seconds handed to the callback (after trimming) */
	bool truncated;      /* damaged or cut-off data ended decoding early */
	const char *codec;   /* libav's codec name ("mp3"); static, not freed */
};

struct audio_options {
	bool preprocess;          /* loudness normalization + silence trimming */
	double max_silence;       /* with preprocess: longer silences are cut (s) */
	double silence_db;        /* with preprocess: frames below this RMS (dBFS)
	                             count as silence for trimming */
	size_t chunk_samples;     /* most samples per callback */
	double max_seconds;       /* refuse longer audio (-PC_ETOOBIG); 0: no cap */
	struct audio_info *info;  /* optional: filled in when decoding ends */
};

#define AUDIO_OPTIONS_INIT { false, 2.0, -45.0, AUDIO_RATE, 0, NULL }

struct audio_chunk {
	const int16_t *samples;   /* AUDIO_RATE mono; valid during the callback */
	size_t n;
	uint64_t offset;          /* processed offset of samples[0] */
	uint64_t orig;            /* original sample of samples[0] */
	double start;             /* original seconds of samples[0] */
};

/* Returns 0 to go on; anything else stops decoding and is returned. */
typedef int (*audio_chunk_fn)(const struct audio_chunk *c, void *udata);

/*
 * Sets o's silence trimming from a caller's settings, where 0 keeps the
 * default (max_silence in seconds, silence_db in dBFS).
 */
void audio_options_trim(struct audio_options *o, double max_silence, double silence_db);

/*
 * Decodes the first audio stream of the file at path and calls cb with
 * consecutive chunks.  o may be NULL (defaults).  Damaged data after some
 * audio decoded ends decoding with success (info->truncated set); a file
 * with no decodable audio is an error naming the file.  Returns 0, a
 * callback's non-zero result, or a negative PC_E* code with err set.
 */
int audio_decode(const char *path, const struct audio_options *o,
		 audio_chunk_fn cb, void *udata, struct sbuf *err);

/*
 * The length of the audio file at path as its container states it (header,
 * stream info; nothing is decoded), opened with audio_decode()'s care: only
 * audio containers, bounded probes.  For planning only: a damaged or lying
 * file decodes to another length, so no more is believed than the file's
 * size holds at AUDIO_PROBE_MIN_BYTES_PER_SECOND.  0 with *ret_seconds set;
 * a negative PC_E* code with err naming the file when it cannot be opened or
 * states no length (or an absurd one, a year or more).
 */
int audio_probe_duration(const char *path, double *ret_seconds, struct sbuf *err);

/* ---- voice-activity segmentation ---------------------------------------- */

struct audio_utterance {
	size_t index;             /* 0, 1, 2, ... in stream order */
	int16_t *samples;         /* AUDIO_RATE mono; owned */
	size_t n;
	double start;             /* original seconds of samples[0] */
	double end;               /* original seconds just after the last sample */
	struct audio_timemap map; /* sample index in this utterance -> original */
};

/* Frees an utterance received from the VAD callback (NULL is fine). */
void audio_utterance_free(struct audio_utterance *u);

struct audio_vad_options {
	double min_silence;     /* a pause at least this long ends an utterance (s) */
	double max_utterance;   /* hard cap; longer speech is split at its quietest
	                           point within the last few seconds (s) */
	double min_speech;      /* shorter bursts (clicks, breaths) are dropped (s) */
	double padding;         /* context kept before and after speech (s) */
	double threshold_db;    /* speech: this far above the tracked noise floor */
	double floor_db;        /* speech must also be louder than this (dBFS) */
};

#define AUDIO_VAD_OPTIONS_INIT { 0.3, 25.0, 0.1, 0.15, 10.0, -55.0 }

/*
 * Receives each finished utterance and owns it from then on (free with
 * audio_utterance_free).  Returns 0 to go on; anything else stops the VAD
 * and is returned by audio_vad_feed/audio_vad_finish.
 */
typedef int (*audio_utterance_fn)(struct audio_utterance *u, void *udata);

struct audio_vad;

/* o may be NULL for defaults.  Never fails (allocation aborts). */
struct audio_vad *audio_vad_new(const struct audio_vad_options *o,
				audio_utterance_fn cb, void *udata);
/* Feeds one chunk; utterances found are passed to the callback. */
int audio_vad_feed(struct audio_vad *v, const struct audio_chunk *c);
/* audio_chunk_fn adapter: pass it to audio_decode() with the vad as udata. */
int audio_vad_feed_chunk(const struct audio_chunk *c, void *vad);
/* Ends the stream: the last utterance, if any, goes to the callback. */
int audio_vad_finish(struct audio_vad *v);
void audio_vad_free(struct audio_vad *v);

#endif
