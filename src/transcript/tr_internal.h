/*
 * tr_internal.h - helpers shared by the transcript parsers; not part of the
 * module's contract (include transcript.h from outside the module).
 *
 * Every helper works on (pointer, length) pairs, never on NUL-terminated
 * input, because transcripts come from the network and may hold NUL bytes or
 * invalid UTF-8.  Derived buffers are SBUF_NOLIMIT: they never grow past a
 * small multiple of the input, which transcript_parse() caps at
 * TRANSCRIPT_MAX_BYTES.
 */
#ifndef TR_INTERNAL_H
#define TR_INTERNAL_H

#include "transcript/transcript.h"

/* Lines of a buffer: LF, CRLF and lone CR all end a line. */
struct tr_lines {
	const char *p;
	const char *end;
	size_t lineno;     /* number of the line last returned, from 1 */
};

/* Starts at data, skipping a UTF-8 byte order mark. */
void tr_lines_init(struct tr_lines *it, const char *data, size_t len);
/* Next line without its terminator; false at the end. */
bool tr_lines_next(struct tr_lines *it, const char **line, size_t *n);

/* Skips a UTF-8 BOM: returns the number of bytes to skip (0 or 3). */
size_t tr_bom_len(const char *data, size_t len);
bool tr_is_blank(const char *s, size_t n);
/* s (of n bytes) starts with word followed by the end, a space or a tab. */
bool tr_starts_with_word(const char *s, size_t n, const char *word);

/*
 * Parses "[h+:]mm:ss[.,]f{1,3}" exactly (the whole of s): seconds in *out.
 * Returns false on anything else, including minutes or seconds above 59.
 */
bool tr_parse_time(const char *s, size_t n, double *out);

/*
 * Parses a cue timing line "start --> end [settings]".  On a bad timestamp
 * returns false and points *bad / *bad_len at the offending token.
 */
bool tr_parse_timing(const char *line, size_t n, double *start, double *end,
		     const char **bad, size_t *bad_len);
/* The line holds a "-->" arrow, i.e. it is meant as a timing line. */
bool tr_has_arrow(const char *line, size_t n);

/*
 * Cleans cue text (VTT or SRT): strips tags (<i>, <c.x>, <00:00:01.000>,
 * <font ...>) and {\an8}-style overrides, decodes entities, collapses white
 * space into single spaces.  The first <v Name> voice goes to *voice (left
 * empty when there is none).  Appends to text.
 */
void tr_clean_cue(const char *s, size_t n, struct sbuf *text, struct sbuf *voice);

/* Appends s, collapsing runs of white space and control bytes into one space
 * and never starting the buffer with a space.  Reserves n bytes up front
 * (the result is never longer), so a bounded sb without that much room
 * gets nothing; the parsers' buffers are all SBUF_NOLIMIT. */
void tr_add_collapsed(struct sbuf *sb, const char *s, size_t n);
/* Removes a trailing space left by tr_add_collapsed(). */
void tr_rtrim(struct sbuf *sb);

/*
 * Recognises "Name: text": a short capitalized name (1-4 words) before the
 * first colon, not a timestamp and not a label such as "Note".  On success
 * sets *name_len and *rest (the text after the colon and its spaces).
 */
bool tr_split_speaker(const char *s, size_t n, size_t *name_len, const char **rest);
/* The name part of tr_split_speaker on its own: "Ethan Park". */
bool tr_is_speaker_name(const char *s, size_t n);

/* Appends s as valid UTF-8 with control bytes shown as '?' (for messages). */
void tr_add_printable(struct sbuf *sb, const char *s, size_t n);
/* Appends 'token' to err, quoted, cut to a readable length, controls as '?'. */
void tr_quote(struct sbuf *err, const char *s, size_t n);

/* segment_list_push() with the lengths known: speaker of speaker_len bytes
 * (0: none), text of text_len bytes; neither needs a NUL in that range. */
void tr_push(struct segment_list *l, double start, double end, const char *speaker,
	     size_t speaker_len, const char *text, size_t text_len);

/* Subtitle limits a cue keeps (see cues.c). */
#define TR_CUE_MAX_SECONDS 7.0
#define TR_CUE_MAX_LINE 42

/* One cue: one or two lines, each a span of the segment's text. */
struct tr_cue {
	double start, end;
	const char *line1;
	size_t len1;
	const char *line2;    /* NULL: one line */
	size_t len2;
};

typedef void (*tr_cue_fn)(const struct tr_cue *c, void *udata);

/*
 * Cuts timed segment s into cues within the limits, between words, calling
 * fn for each in order.  prefix: characters the first line carries before
 * the text (an SRT "Name: ").
 */
void tr_cues(const struct segment *s, size_t prefix, tr_cue_fn fn, void *udata);

int tr_parse_vtt(const char *data, size_t len, struct segment_list *out, struct sbuf *err);
int tr_parse_srt(const char *data, size_t len, struct segment_list *out, struct sbuf *err);
int tr_parse_json(const char *data, size_t len, struct segment_list *out, struct sbuf *err);
int tr_parse_html(const char *data, size_t len, struct segment_list *out, struct sbuf *err);
int tr_parse_text(const char *data, size_t len, struct segment_list *out, struct sbuf *err);

#endif
