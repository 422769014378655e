/*
 * asr.h - speech recognition: audio file -> timed segments.
 *
 * Purpose: turn an episode's audio into a segment_list (transcript.h) whose
 * times are seconds of the original audio.  The pipeline is
 *
 *   audio_decode (+ preprocessing) -> VAD utterances -> N engine instances
 *   in parallel threads -> segments merged back in utterance order
 *
 * Memory stays flat whatever the length: at most 2 * workers utterances
 * wait in the queue, each at most a backend's max_utterance seconds long.
 *
 * Engines: a backend is a small static table of functions (asr_backend.h,
 * private to this folder) chosen by name: "pocketsphinx" (local, CPU) and
 * "openai" (remote: any server speaking OpenAI's /audio/transcriptions,
 * such as OpenAI itself or a local whisper.cpp / faster-whisper server).
 * The remote engine takes the whole file instead of utterances: a file up to
 * max_request_bytes is sent as it is; a larger one is decoded, cut at pauses
 * found by the VAD into WAV parts under the limit, sent part by part, and
 * the parts' segments are shifted back to original-audio times.  An engine holds one
 * backend instance per worker (for pocketsphinx: one decoder each with its
 * own copy of the model, ~95 MB), loaded once and reused for many files.
 *
 * Invariants: the same audio and options give the same segments, whatever
 * the number of workers (utterance boundaries do not depend on it, and each
 * utterance is decoded from a fresh state).  Words are lower case, without
 * fillers (<s>, </s>, <sil>, [NOISE], ...) or alternate markers (word(2)).
 *
 * Ownership: asr_engine_open() returns an engine the caller frees with
 * asr_engine_close().  Segments are appended to a caller-owned list.
 *
 * Calling sequence (a transcription worker):
 *	struct asr_options o = ASR_OPTIONS_INIT;
 *	o.workers = 2;
 *	if (asr_engine_open(&e, &o, &err) < 0) ...;
 *	asr_add_words(e, names, n, &err);            // hosts, guests
 *	asr_engine_transcribe(e, path, &o, &segments, &stats, &err);
 *	asr_engine_close(e);
 * or, for one file, asr_transcribe_file(path, &o, &segments, &stats, &err).
 */
#ifndef ASR_H
#define ASR_H

#include "util/pc.h"
#include "util/sbuf.h"

struct segment_list;
struct audio_vad_options;

#define ASR_DEFAULT_ENGINE "pocketsphinx"
#define ASR_DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#define ASR_DEFAULT_API_BASE "https://api.openai.com/v1"
#define ASR_DEFAULT_REMOTE_MODEL "whisper-1"
#define ASR_DEFAULT_MAX_REQUEST ((size_t)25 << 20)   /* OpenAI's upload limit */
#define ASR_DEFAULT_REMOTE_TIMEOUT 600L

/* Devices an engine can run on (bit set). */
enum asr_device {
	ASR_DEVICE_CPU = 1 << 0,
	ASR_DEVICE_CUDA = 1 << 1,
	ASR_DEVICE_MPS = 1 << 2,
	ASR_DEVICE_REMOTE = 1 << 3,   /* runs wherever its server runs */
};

struct asr_options {
	const char *engine;        /* NULL: ASR_DEFAULT_ENGINE */
	const char *model_dir;     /* holds en-us/, en-us.lm.bin,
	                              cmudict-en-us.dict; NULL: default */
	int workers;               /* parallel decoders; <= 0: one per online
	                              CPU, as many as ASR_MEMORY_MB holds */
	bool preprocess;           /* loudness normalization, silence trimming */
	const char *const *words;  /* names to know (asr_transcribe_file only) */
	size_t nwords;
	double max_seconds;        /* longer audio is refused; 0: no cap */
	/* Remote engines (openai) only: */
	const char *api_base;      /* server URL; NULL: ASR_DEFAULT_API_BASE */
	const char *api_key;       /* bearer token; NULL/"": no Authorization sent.
	                              Never logged, printed or written anywhere. */
	const char *model;         /* NULL: ASR_DEFAULT_REMOTE_MODEL */
	const char *language;      /* ISO-639-1 hint ("en"); NULL/"": server detects */
	size_t max_request_bytes;  /* largest audio file per request; bigger audio
	                              is split; 0: ASR_DEFAULT_MAX_REQUEST */
	long timeout;              /* connect timeout per request (s); 0: 20 */
	long think;                /* how long the server may work on one request
	                              before answering (s); 0: ASR_DEFAULT_REMOTE_TIMEOUT */
	/* Local engine (pocketsphinx) only: */
	const char *const *decoder_args; /* extra "-flag", "value" pairs for the
	                              decoder, after ours (tuning, benchmarks) */
	size_t ndecoder_args;
	double context_weight;     /* share of the show's language model (see
	                              asr_set_context); 0: ASR_DEFAULT_CONTEXT_WEIGHT */
	int passes;                /* 2: decode again with the first pass's words
	                              added to the show text; 0 or 1: once */
	/* With preprocess (0: the audio module's defaults): */
	double max_silence;        /* longer silences are cut (s) */
	double silence_db;         /* quieter frames are silence (dBFS, < 0) */
	const struct audio_vad_options *vad; /* utterance cutting; NULL: the
	                              engine's (ASR_VAD_OPTIONS_INIT); the
	                              backend's max_utterance always wins */
};

#define ASR_OPTIONS_INIT { NULL, NULL, 0, true, NULL, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, \
			   NULL, 0, 0, 1, 0, 0, NULL }

/* Most show text asr_set_context() reads; the rest is ignored. */
#define ASR_CONTEXT_MAX ((size_t)64 << 10)
#define ASR_DEFAULT_CONTEXT_WEIGHT 0.15
/*
 * What the engine's instances may take together when the number of workers
 * is left to the engine: a whole run (main process, transcription and
 * summary workers) stays under 250 MB, and the transcription worker's own
 * code, audio buffers and diarizer take about 90 MB of that
 * (docs/BENCHMARKS.md).
 */
#define ASR_MEMORY_MB 160.0
/*
 * The local engine's utterance cutting (struct audio_vad_options of
 * audio/audio.h: min_silence, max_utterance, min_speech, padding,
 * threshold_db, floor_db), chosen on bench/asr's tune half.
 */
#define ASR_VAD_OPTIONS_INIT { 0.3, 25.0, 0.1, 0.05, 10.0, -55.0 }

struct asr_stats {
	double audio_seconds;      /* original audio decoded */
	double speech_seconds;     /* audio given to the engine (utterances) */
	double decode_seconds;     /* demux, decode, preprocessing and VAD */
	double recognize_seconds;  /* engine time, summed over utterances */
	double wall_seconds;       /* the whole call */
	size_t utterances;
	size_t segments;
	int workers;
};

struct asr_engine;

/*
 * Opens o->engine with max(1, o->workers) instances.  Errors name the engine
 * and the missing piece (e.g. a model file, with the package to install).
 */
int asr_engine_open(struct asr_engine **out, const struct asr_options *o,
		    struct sbuf *err);
/* Frees the engine and every instance; NULL is fine. */
void asr_engine_close(struct asr_engine *e);

const char *asr_engine_name(const struct asr_engine *e);
/* What to record as asr_model (pocketsphinx: the model directory; openai:
 * the remote model name). */
const char *asr_engine_model(const struct asr_engine *e);
/* enum asr_device bits the engine can use. */
unsigned asr_engine_devices(const struct asr_engine *e);
int asr_engine_workers(const struct asr_engine *e);
/* The instances engine (NULL: the default) opened with o.workers = workers
 * has (<= 0: one per online CPU, as many as ASR_MEMORY_MB holds). */
int asr_instances(const char *engine, int workers);

/*
 * Teaches every instance the words of names (a name with several words adds
 * each): a word already in the dictionary keeps its pronunciation, others
 * get one from flite's lexicon and letter-to-sound rules.  Words with
 * letters outside a-z are skipped.  Engines without a dictionary ignore it.
 * With pocketsphinx the names reach the language model through the show's
 * model: they lead the text of the next asr_set_context(), or, when none
 * comes before the next transcription, a model of the names alone.
 */
int asr_add_words(struct asr_engine *e, const char *const *words, size_t n,
		  struct sbuf *err);
/*
 * The show's own text for the next files (names and topic words first, then
 * titles, descriptions, transcripts of other episodes; up to ASR_CONTEXT_MAX
 * bytes are read): pocketsphinx builds a trigram model from it and
 * interpolates it with its general model (weight o->context_weight), and
 * learns the text's words missing from its dictionary as asr_add_words does.
 * NULL or "" goes back to the general model.  Engines without a language
 * model ignore it.
 */
int asr_set_context(struct asr_engine *e, const char *text, struct sbuf *err);

/*
 * True when word is in the engine's dictionary; its pronunciation (phones
 * separated by spaces) is then written to phones when not NULL.
 */
bool asr_lookup_word(struct asr_engine *e, const char *word, struct sbuf *phones);

/*
 * Transcribes the audio file at path, appending segments to out.  Only
 * o->preprocess, o->max_seconds and o->passes are read (the engine is already open;
 * the remote engine sends the original audio and ignores preprocess).
 * stats may be NULL.  On error out may hold part of the file's segments.
 */
int asr_engine_transcribe(struct asr_engine *e, const char *path,
			  const struct asr_options *o, struct segment_list *out,
			  struct asr_stats *stats, struct sbuf *err);

/*
 * Checks of a remote (OpenAI-compatible) server at o->api_base, for doctor:
 * asr_remote_models() lists GET {api_base}/models (no key is sent) into
 * models, with the HTTP status in status; asr_remote_probe() sends a
 * generated clip of the given seconds to {api_base}/audio/transcriptions
 * as a transcription would and appends the reply's segments.  Errors say
 * what the server answered and, for common mistakes, what to change.
 */
struct strlist;
int asr_remote_models(const struct asr_options *o, struct strlist *models, long *status,
		      struct sbuf *err);
int asr_remote_probe(const struct asr_options *o, double seconds, struct segment_list *out,
		     struct sbuf *err);

/* Open, add o->words, transcribe, close: for a single file. */
int asr_transcribe_file(const char *path, const struct asr_options *o,
			struct segment_list *out, struct asr_stats *stats,
			struct sbuf *err);

#endif
