/*
 * text.h - readable text from recognized speech: sentences, capitals and
 * end marks.
 *
 * Purpose: the embedded recognizer hears words, not sentences: its segments
 * are lower-case runs of timed words with no punctuation.  text_sentences()
 * regroups them into one segment per sentence, read like a person would
 * publish them:
 *
 *   - a sentence ends at an utterance boundary (a segment boundary of the
 *     input, a speaker change) or at a pause of at least o->pause seconds
 *     between two words, never inside a name the episode knows, never
 *     before it holds TEXT_MIN_WORDS words (short remarks join the next
 *     sentence); a sentence longer than TEXT_MAX_WORDS is cut at its
 *     longest pause;
 *   - capitals: the first word, "I" and its contractions, the episode's
 *     known names as written there, and proper nouns from a word list
 *     (words that occur in it only capitalized, e.g. "Paris", "Monday");
 *   - end marks: '?' when the sentence opens with a question form ("what
 *     is", "do you", "so how did"), '.' otherwise.
 *
 * The speech engine's text for remote engines is punctuated already and is
 * not passed here.
 *
 * Invariants: every output segment has words; its text is its words' forms
 * joined by single spaces followed by one end mark, so word k of the
 * segment is token k of the text.  Times come from the words.  Segments of
 * the input without words are kept unchanged, in place.
 *
 * The word list is read once per process, on first use, at most
 * TEXT_LEXICON_MAX_BYTES of it; a missing list logs one warning and only
 * the other rules apply.
 *
 * Calling sequence:
 *	struct text_options o = TEXT_OPTIONS_INIT;
 *	o.names = names; o.nr_names = n;
 *	text_sentences(&segments, &o);
 */
#ifndef TEXT_H
#define TEXT_H

#include "transcript/transcript.h"

/* Pause that ends a sentence (s), tuned on synthetic speech: see
 * docs/BENCHMARKS.md (sentence ends). */
#define TEXT_SENTENCE_PAUSE 0.20
#define TEXT_MIN_WORDS 3
#define TEXT_MAX_WORDS 40
#define TEXT_PROPER_NOUNS "/usr/share/dict/american-english"
#define TEXT_LEXICON_MAX_BYTES ((size_t)8 << 20)

struct text_options {
	double pause;                /* <= 0: TEXT_SENTENCE_PAUSE */
	const char *const *names;    /* the episode's known names, as written */
	size_t nr_names;
	const char *proper_nouns;    /* word list; NULL: TEXT_PROPER_NOUNS; "": none */
};

#define TEXT_OPTIONS_INIT { 0, NULL, 0, NULL }

/* Regroups the timed words of l into sentences (see above), in place. */
void text_sentences(struct segment_list *l, const struct text_options *o);

/*
 * The written form of one recognized word outside the sentence start:
 * "i'm" -> "I'm", "paris" -> "Paris" (from the word list at path, as in
 * text_options.proper_nouns), anything else as it is.  Appends to out.
 */
void text_case_word(const char *word, const char *path, struct sbuf *out);

#endif
