/*
 * summarize.h - transcript cleaning and summarization engines.
 *
 * Two steps, so that the pipeline can keep what the summarizer read:
 *
 *  1. summarize_clean() turns a transcript into "cleaned text": timestamps,
 *     speaker labels, filler words ("um", "uh", "you know,", "like,",
 *     repeated words), sponsor reads and show intros/outros removed, and one
 *     sentence a line.  Sentences come from punctuation when the text has
 *     it (abbreviations such as "Dr.", "e.g.", "U.S." and decimals do not
 *     end one) and otherwise - speech-recognizer output - from length
 *     (SUMMARIZE_MIN_WORDS to SUMMARIZE_MAX_WORDS words, breaking before
 *     discourse words like "so", "but", "and then"), line breaks and, with
 *     summarize_clean_segments(), pauses between timed segments.
 *
 *  2. An engine summarizes cleaned text: each line is one sentence.  The
 *     built-in "textrank" engine is extractive and deterministic: sentences
 *     are stemmed (libstemmer, English) without stopwords, linked by the
 *     TextRank overlap |common stems| / (log|s1| + log|s2|) through an
 *     inverted index (no all-pairs comparison), ranked by PageRank (damping
 *     0.85, tolerance 1e-6, at most 100 iterations), then picked best
 *     first, skipping any sentence too similar to one already picked, and
 *     given back in their original order.  Equal scores go to the earlier
 *     sentence.  Summaries are made of verbatim cleaned sentences, with a
 *     capital first letter and a "." when the sentence has no final
 *     punctuation.  Only whole sentences of at least five words that are not
 *     greetings, thanks or sign-offs ("welcome back", "thanks for
 *     listening", "see you next time") are picked (a transcript without any
 *     gets its best sentences all the same); key points are the best such
 *     sentences not in the short summary nor repeating it, short ones
 *     first, and may be fewer than asked.
 *
 * Engines sit behind a small static interface (open / summarize / close)
 * with private state, chosen by name; summarize_open() finds them:
 * "textrank" (built in, local) and "openai" (a remote chat server, see
 * summarize_openai_engine).
 *
 * Ownership: a struct summary owns its strings (summary_release() frees
 * them); cleaned text is appended to the caller's sbuf, whose max bounds it.
 *
 *	struct sbuf clean = SBUF_INIT(16 << 20);
 *	struct summarizer s = SUMMARIZER_INIT;
 *	struct summary sum = SUMMARY_INIT;
 *	struct summarize_options o = SUMMARIZE_OPTIONS_INIT;
 *	summarize_clean(text, &clean);              (write <stem>.cleaned.txt)
 *	summarize_open(&s, "textrank", NULL, &err);
 *	summarize_set_speakers(&s, names, n);       (optional)
 *	summarize_run(&s, clean.buf, &o, &sum, &err);
 *	summarize_close(&s);
 *	... sum.short_summary, sum.key_points ...
 *	summary_release(&sum);
 */
#ifndef SUMMARIZE_H
#define SUMMARIZE_H

#include "util/pc.h"
#include "util/sbuf.h"
#include "util/strlist.h"

struct segment_list;

#define SUMMARIZE_MIN_WORDS 15        /* unpunctuated sentences: usual length */
#define SUMMARIZE_MAX_WORDS 30
#define SUMMARIZE_PAUSE 0.6           /* seconds of silence that end a sentence */
#define SUMMARIZE_MAX_SENTENCES 4000  /* later sentences are not ranked */
#define SUMMARIZE_MIN_KEY_POINTS 3
#define SUMMARIZE_MAX_KEY_POINTS 8

struct summary {
	char *short_summary;
	struct strlist key_points;    /* in transcript order */
	char *provider;               /* engine name, e.g. "textrank" */
	long word_count;              /* words in short_summary */
	long transcript_word_count;   /* words in the text summarized */
};

#define SUMMARY_INIT { NULL, STRLIST_INIT, NULL, 0, 0 }

void summary_release(struct summary *s);

struct summarize_options {
	int summary_sentences;        /* sentences in short_summary (>= 1) */
};

#define SUMMARIZE_OPTIONS_INIT { 5 }

/* What remote engines need; the textrank engine ignores it. */
struct summarize_config {
	const char *api_base;         /* NULL: https://api.openai.com/v1 */
	const char *api_key;          /* NULL/"": no Authorization header; never
	                                 logged, printed or written */
	const char *model;            /* NULL: gpt-4o-mini */
	double temperature;
	long timeout_seconds;         /* connect and stall timeout per request; 0: 600 */
	long chunk_tokens;            /* map-reduce chunk size; 0: 3000 */
	const char *prompt;           /* opening instructions; NULL/"": built in */
};

struct summarize_engine {
	const char *name;
	/* Makes the engine's private state; err says why not. */
	int (*open)(const struct summarize_config *cfg, void **state, struct sbuf *err);
	/* Fills out (empty on entry) from cleaned text; out is untouched on failure. */
	int (*summarize)(void *state, const char *cleaned, const struct summarize_options *o,
			 struct summary *out, struct sbuf *err);
	void (*close)(void *state);
	/* Optional: the speakers of what comes next (copied; n = 0 clears). */
	void (*set_speakers)(void *state, const char *const *names, size_t n);
};

extern const struct summarize_engine summarize_textrank_engine;
/*
 * "openai": any OpenAI-compatible chat server ({api_base}/chat/completions).
 * Long transcripts are summarized by map-reduce: chunks of chunk_tokens
 * (default 3000) tokens (~4 characters each) overlapping by about a
 * fifteenth (at most 200), on line boundaries, each summarized, then the
 * partial summaries combined.  cfg->prompt replaces the opening
 * instructions; the answer format, which part is being read and the summary
 * length are still asked for.  Answers are asked as
 * JSON {"summary", "key_points"} and read tolerantly (code fences, or plain
 * text with "- " key points).  Errors quote the server, never the key.
 */
extern const struct summarize_engine summarize_openai_engine;

/* The engine called name, or NULL. */
const struct summarize_engine *summarize_engine_find(const char *name);

struct summarizer {
	const struct summarize_engine *engine;
	void *state;
};

#define SUMMARIZER_INIT { NULL, NULL }

/* Opens engine name (cfg may be NULL); -PC_EUSAGE for an unknown name. */
int summarize_open(struct summarizer *s, const char *name,
		   const struct summarize_config *cfg, struct sbuf *err);
/* Summarizes cleaned text into out (which must be SUMMARY_INIT); o may be NULL. */
int summarize_run(struct summarizer *s, const char *cleaned,
		  const struct summarize_options *o, struct summary *out, struct sbuf *err);
/*
 * Names the speakers of the next runs (host first), so that engines which
 * write their own sentences spell them right; the names are copied and kept
 * until the next call (n = 0 forgets them).  Engines that only extract
 * sentences (textrank) ignore them.
 */
void summarize_set_speakers(struct summarizer *s, const char *const *names, size_t n);
/* Closes the engine; safe on a summarizer that never opened. */
void summarize_close(struct summarizer *s);

/*
 * Cleans text (see step 1) and appends it to out, one sentence a line.
 * Returns 0, or -PC_ETOOBIG when out's max was reached (out then holds the
 * sentences that fitted).
 */
int summarize_clean(const char *text, struct sbuf *out);
/* Same from timed segments: a pause of SUMMARIZE_PAUSE or more ends a sentence. */
int summarize_clean_segments(const struct segment_list *l, struct sbuf *out);

/* Sentence segmentation alone (no cleaning): sentences appended to out. */
void summarize_split_sentences(const char *text, struct strlist *out);

/* Words (whitespace-separated, with a letter or digit) in text. */
long summarize_word_count(const char *text);

#endif
