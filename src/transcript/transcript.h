/*
 * transcript.h - transcript formats to timed segments and plain text.
 *
 * Understood formats: WebVTT (cue settings, <v Name> voices, styling tags,
 * NOTE/STYLE/REGION blocks), SRT, Podcasting 2.0 JSON ({"segments": [...]}),
 * HTML (text only) and plain text.  Every parser yields a segment_list;
 * untimed formats give segments with start = end = -1.
 *
 * Invariants: segment text and speaker names are valid UTF-8 (invalid bytes
 * become U+FFFD when pushed), text is never NULL, a speaker is NULL or
 * non-empty.  Parsers never print and never recurse without bound (our code
 * does not recurse; jansson stops at depth 2048, libxml2 at its own limit).
 *
 * Ownership: a segment_list owns its segments and their strings;
 * segment_list_release() frees them.  Renderers append to a caller's sbuf.
 *
 * Calling sequence:
 *	f = transcript_detect(type, content_type, url, data, len);
 *	transcript_parse(f, data, len, &segs, &err);
 *	transcript_to_text(&segs, true, &txt);  (and/or _to_segments_json,
 *	_to_vtt, _to_srt, _to_screenplay)
 *	segment_list_release(&segs);
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include "util/pc.h"
#include "util/sbuf.h"

enum transcript_format {
	TRANSCRIPT_UNKNOWN,
	TRANSCRIPT_VTT,
	TRANSCRIPT_SRT,
	TRANSCRIPT_JSON,
	TRANSCRIPT_HTML,
	TRANSCRIPT_TEXT,
};

/* One recognized word with its times (seconds of the original audio). */
struct word {
	char *text;        /* valid UTF-8, never NULL or empty */
	double start;
	double end;
};

/*
 * words: the segment's words in order, when the engine timed them (the
 * embedded recognizer always does, a remote one when its server does);
 * nr_words 0 otherwise.  Published transcripts carry none.  A word's
 * text is what was heard, written as the segment's text writes it (which
 * adds punctuation).
 */
struct segment {
	double start;      /* seconds; -1 when unknown */
	double end;
	char *speaker;     /* NULL when unknown */
	char *text;        /* plain text, tags removed, never NULL */
	struct word *words;
	size_t nr_words;
	size_t alloc_words;
};

struct segment_list {
	struct segment *items;
	size_t nr;
	size_t alloc;
};

#define SEGMENT_LIST_INIT { NULL, 0, 0 }

/* Largest input transcript_parse() accepts (-PC_ETOOBIG past it). */
#define TRANSCRIPT_MAX_BYTES ((size_t)64 << 20)

/* Appends a copy of speaker (NULL or "" for none) and text (NULL as ""). */
void segment_list_push(struct segment_list *l, double start, double end,
		       const char *speaker, const char *text);
void segment_list_release(struct segment_list *l);
/* Appends a copy of s (speaker, text and words) to l. */
void segment_list_push_copy(struct segment_list *l, const struct segment *s);
/* Appends a word (a copy of text, made valid UTF-8) to s; empty text is
 * ignored. */
void segment_add_word(struct segment *s, const char *text, double start, double end);
/* True when at least one segment has a start time. */
bool segment_list_timed(const struct segment_list *l);

/*
 * Picks the format from, in order: the declared MIME type, the HTTP
 * Content-Type, the URL's suffix, then a sniff of the first bytes.  Any of
 * the hints may be NULL.  Types are matched exactly (parameters such as
 * "; charset=utf-8" ignored), then loosely by substring ("vtt", "srt",
 * "json", "html").  Types that say nothing (application/octet-stream) are
 * skipped.  A hint of plain text still yields VTT or SRT when the bytes
 * unmistakably are one (servers often label .vtt files text/plain).
 * Never returns TRANSCRIPT_UNKNOWN: the last resort is TRANSCRIPT_TEXT.
 */
enum transcript_format transcript_detect(const char *declared_type,
					 const char *content_type, const char *url,
					 const char *data, size_t len);
/* File extension without dot: "vtt", "srt", "json", "html", "txt". */
const char *transcript_format_ext(enum transcript_format f);

/*
 * Parses data of format f into segments (appended to out); f UNKNOWN sniffs
 * the format.  Returns 0, -PC_ETOOBIG past TRANSCRIPT_MAX_BYTES, or
 * -PC_EPARSE with a sentence in err naming the line when there is one
 * ("VTT line 7: bad timestamp '00:0x:01.000'").  Salvageable damage (a
 * missing WEBVTT header before good cues, a missing blank line, end before
 * start) is repaired silently.  An input without any text is an error, so a
 * caller can move on to another candidate.  On error out keeps the segments
 * it had before the call.
 *
 * Formats: VTT and SRT cues give timed segments (first <v Name> voice, or an
 * SRT "Name: text" line, is the speaker); JSON is Podcasting 2.0
 * ({"segments":[{"startTime","endTime","speaker","body"}]}) or our own
 * segments.json ({"start","end","speaker","text"}); HTML gives one untimed
 * segment per block element or <br> line; text one per non-empty line, lines
 * of a paragraph after "Name: text" continuing that speaker's turn.
 */
int transcript_parse(enum transcript_format f, const char *data, size_t len,
		     struct segment_list *out, struct sbuf *err);

/* Plain text: one line a segment ("Name: text" when with_speakers); segments
 * with empty text are left out. */
void transcript_to_text(const struct segment_list *l, bool with_speakers, struct sbuf *out);
/*
 * Plain text in paragraphs, for transcripts of sentences (one segment
 * each): sentences joined by spaces, a blank line between paragraphs.  A
 * paragraph ends at a speaker change, at a pause of at least pause seconds
 * between two segments, or after the sentence that brings it to
 * TRANSCRIPT_PARAGRAPH_WORDS words.  Empty segments are left out.
 */
#define TRANSCRIPT_PARAGRAPH_PAUSE 1.5
#define TRANSCRIPT_PARAGRAPH_WORDS 120
void transcript_to_paragraphs(const struct segment_list *l, double pause, struct sbuf *out);
/* {"segments":[{"start":..,"end":..,"speaker":..,"text":..}]} as JSON:
 * times in seconds rounded to milliseconds, null when unknown; speaker null
 * when unknown.  A segment with words adds "words":[{"w":..,"start":..,
 * "end":..}] after "text".  transcript_parse(TRANSCRIPT_JSON) reads it back,
 * words included. */
void transcript_to_segments_json(const struct segment_list *l, struct sbuf *out);
/* WebVTT / SRT renderings of the timed segments (untimed ones are left out).
 * A segment becomes cues of subtitle size: at most 7 s and two lines of 42
 * characters, cut between words at the word timings (spread over the
 * segment when it has none).  VTT carries speakers as <v Name> voices on
 * every cue, SRT as a "Name: " prefix; text is escaped so that it cannot
 * end a cue. */
void transcript_to_vtt(const struct segment_list *l, struct sbuf *out);
void transcript_to_srt(const struct segment_list *l, struct sbuf *out);

/* Distinct speaker names, in order of first appearance (caller releases). */
struct strlist;
void transcript_speakers(const struct segment_list *l, struct strlist *out);

/*
 * Screenplay: "Name: text" lines, one a turn, consecutive text of a turn
 * joined into one line.  When any segment carries a speaker, turns follow
 * the speakers (segments without one merge into an unnamed turn printed
 * as bare text).  Otherwise a new turn starts on a pause longer than
 * gap_seconds between a segment's end and the next one's start, and turns
 * rotate over nr_speakers voices: names[i] for voice i (names[0] = the host),
 * "SPEAKER <i+1>" past the end of names.  Untimed segments never start a
 * turn.  transcript_to_screenplay() rotates over max(nr_names, 2) voices.
 */
void transcript_to_screenplay(const struct segment_list *l, const char *const *names,
			      size_t nr_names, double gap_seconds, struct sbuf *out);
void transcript_to_screenplay_n(const struct segment_list *l, const char *const *names,
				size_t nr_names, size_t nr_speakers, double gap_seconds,
				struct sbuf *out);

#endif
