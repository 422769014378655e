/*
 * asr_backend.h - private to src/asr: the table every engine implements.
 *
 * An instance is private state behind a void *; asr.c opens one per worker
 * and never calls one instance from two threads at once.  transcribe() gets
 * one utterance and appends segments whose times are original-audio seconds
 * (map sample offsets through u->map).  Optional entries may be NULL.
 *
 * A remote backend sets transcribe_file instead of transcribe: it gets the
 * whole file on instance 0 and does its own decoding, since what it sends is
 * the file itself or large parts of it rather than utterances.
 */
#ifndef ASR_BACKEND_H
#define ASR_BACKEND_H

#include "asr/asr.h"
#include "audio/audio.h"

struct strlist;

struct asr_backend {
	const char *name;
	unsigned devices;          /* enum asr_device bits */
	double max_utterance;      /* longest utterance it should get (s) */
	double instance_mb;        /* memory of one instance at its peak (0: a
	                              few MB), for the default number of them */
	int (*open)(void **inst, const struct asr_options *o, struct sbuf *err);
	/* Optional: extra vocabulary (see asr_add_words). */
	int (*add_words)(void *inst, const char *const *words, size_t n,
			 struct sbuf *err);
	/* Optional: the show's language model, as ARPA text at arpa_path (NULL:
	 * the general model again); words: its vocabulary (see asr_set_context). */
	int (*set_context)(void *inst, const char *arpa_path, const struct strlist *words,
			   struct sbuf *err);
	/* Optional: dictionary lookup (see asr_lookup_word). */
	bool (*lookup)(void *inst, const char *word, struct sbuf *phones);
	int (*transcribe)(void *inst, const struct audio_utterance *u,
			  struct segment_list *out, struct sbuf *err);
	void (*close)(void *inst);
	/* Optional: the whole file at once (see above); fills st's audio,
	 * speech, decode and recognize seconds and utterances. */
	int (*transcribe_file)(void *inst, const char *path, const struct asr_options *o,
			       struct segment_list *out, struct asr_stats *st,
			       struct sbuf *err);
	/* Optional: asr_engine_model(); default: o->model_dir or its default. */
	const char *(*model_name)(const struct asr_options *o);
};

extern const struct asr_backend asr_pocketsphinx;
extern const struct asr_backend asr_openai;

/*
 * Pronunciation of a lower-case word in the pocketsphinx en-us phone set
 * ("maya" -> "M AY AH"), from flite's CMU lexicon and its letter-to-sound
 * rules.  Returns 0, or -PC_ENOTFOUND when no usable pronunciation exists.
 */
int asr_g2p(const char *word, struct sbuf *phones);

/*
 * Splits names into distinct dictionary words: lower case, a-z and
 * apostrophes only, split on spaces and hyphens; other words are dropped.
 * Appends them to out (a strlist).
 */
void asr_name_words(const char *const *names, size_t n, struct strlist *out);

/*
 * A trigram model of text[0..len) in ARPA format appended to arpa; its words
 * (without <s> and </s>) are appended to words.  -PC_ENOTFOUND: no words.
 */
int asr_lm_arpa(const char *text, size_t len, struct sbuf *arpa, struct strlist *words);

#endif
