/*
 * transcript.h - transcript formats to timed segments and plain text.
 *
 * Understood formats: WebVTT (cue settings, <v Name> voices, styling tags,
 * NOTE/STYLE/REGION blocks), SRT, Podcasting 2.0 JSON ({"segments": [...]}),
 * HTML (text only) and plain text.  Every parser yields a segment_list;
 * untimed formats give segments with start = end = -1.
 *
 * Ownership: a segment_list owns its segments and their strings;
 * segment_list_release() frees them.
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

struct segment {
	double start;      /* seconds; -1 when unknown */
	double end;
	char *speaker;     /* NULL when unknown */
	char *text;        /* plain text, tags removed, never NULL */
};

struct segment_list {
	struct segment *items;
	size_t nr;
	size_t alloc;
};

#define SEGMENT_LIST_INIT { NULL, 0, 0 }

void segment_list_push(struct segment_list *l, double start, double end,
		       const char *speaker, const char *text);
void segment_list_release(struct segment_list *l);
/* True when at least one segment has a start time. */
bool segment_list_timed(const struct segment_list *l);

/*
 * Picks the format from, in order: the declared MIME type, the HTTP
 * Content-Type, the URL's suffix, then a sniff of the first bytes.  Any of
 * the hints may be NULL.
 */
enum transcript_format transcript_detect(const char *declared_type,
					 const char *content_type, const char *url,
					 const char *data, size_t len);
/* File extension without dot: "vtt", "srt", "json", "html", "txt". */
const char *transcript_format_ext(enum transcript_format f);

/* Parses data of format f into segments (appended to out). */
int transcript_parse(enum transcript_format f, const char *data, size_t len,
		     struct segment_list *out, struct sbuf *err);

/* Plain text: one line a segment ("Name: text" when with_speakers). */
void transcript_to_text(const struct segment_list *l, bool with_speakers, struct sbuf *out);
/* {"segments":[{"start":..,"end":..,"speaker":..,"text":..}]} as JSON. */
void transcript_to_segments_json(const struct segment_list *l, struct sbuf *out);
/* WebVTT / SRT renderings of timed segments. */
void transcript_to_vtt(const struct segment_list *l, struct sbuf *out);
void transcript_to_srt(const struct segment_list *l, struct sbuf *out);

/* Distinct speaker names, in order of first appearance (caller releases). */
struct strlist;
void transcript_speakers(const struct segment_list *l, struct strlist *out);

#endif
