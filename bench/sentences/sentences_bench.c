/*
 * sentences_bench: recognizes an audio file once with the embedded engine,
 * then makes sentences from the same words for each pause threshold given,
 * so a sweep of thresholds costs one recognition.
 *
 *	sentences_bench AUDIO NAMES OUT_PREFIX PAUSE...
 *
 * NAMES is a file with one known name a line.  Writes
 * OUT_PREFIX.<pause>.json (segments.json) for each PAUSE.
 *
 *	sentences_bench vtt SEGMENTS_JSON OUT_VTT
 *
 * renders segments.json (from podcast_scraper transcribe --format json) as
 * WebVTT with the renderer transcribe --format vtt uses, so that the
 * report needs one recognition per file.
 */
#include "asr/asr.h"
#include "text/text.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/strlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void read_names(const char *path, struct strlist *out)
{
	struct sbuf data = SBUF_INIT(1 << 20), err = SBUF_INIT(1024);
	char *save = NULL;

	if (fs_read_file(path, &data, &err) < 0) {
		fprintf(stderr, "%s\n", err.buf);
		exit(1);
	}
	for (char *l = strtok_r(data.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		strlist_push(out, l);
	sbuf_release(&data);
	sbuf_release(&err);
}

static void write_for(const struct segment_list *raw, const struct strlist *names,
		      const char *prefix, const char *pause)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct text_options o = TEXT_OPTIONS_INIT;
	struct sbuf json = SBUF_INIT(SBUF_NOLIMIT), err = SBUF_INIT(1024);
	char path[4096];

	for (size_t i = 0; i < raw->nr; i++)
		segment_list_push_copy(&l, &raw->items[i]);
	o.pause = atof(pause);
	o.names = (const char *const *)names->items;
	o.nr_names = names->nr;
	text_sentences(&l, &o);
	transcript_to_segments_json(&l, &json);
	snprintf(path, sizeof(path), "%s.%s.json", prefix, pause);
	if (fs_write_atomic(path, json.buf, json.len, &err) < 0)
		fprintf(stderr, "%s\n", err.buf);
	segment_list_release(&l);
	sbuf_release(&json);
	sbuf_release(&err);
}

static int to_vtt(const char *in, const char *out)
{
	struct sbuf data = SBUF_INIT(SBUF_NOLIMIT), vtt = SBUF_INIT(SBUF_NOLIMIT);
	struct sbuf err = SBUF_INIT(4096);
	struct segment_list l = SEGMENT_LIST_INIT;
	int r = fs_read_file(in, &data, &err);

	if (!r)
		r = transcript_parse(TRANSCRIPT_JSON, data.buf, data.len, &l, &err);
	if (!r) {
		transcript_to_vtt(&l, &vtt);
		r = fs_write_atomic(out, vtt.buf, vtt.len, &err);
	}
	if (r)
		fprintf(stderr, "%s: %s\n", in, err.buf);
	segment_list_release(&l);
	sbuf_release(&data);
	sbuf_release(&vtt);
	sbuf_release(&err);
	return r ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct asr_options o = ASR_OPTIONS_INIT;
	struct segment_list raw = SEGMENT_LIST_INIT;
	struct strlist names = STRLIST_INIT;
	struct sbuf err = SBUF_INIT(4096);

	if (argc == 4 && !strcmp(argv[1], "vtt"))
		return to_vtt(argv[2], argv[3]);
	if (argc < 5) {
		fprintf(stderr, "usage: %s AUDIO NAMES OUT_PREFIX PAUSE...\n", argv[0]);
		return 2;
	}
	read_names(argv[2], &names);
	o.workers = 2;
	o.words = (const char *const *)names.items;
	o.nwords = names.nr;
	if (asr_transcribe_file(argv[1], &o, &raw, NULL, &err) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], err.buf);
		return 1;
	}
	for (int i = 4; i < argc; i++)
		write_for(&raw, &names, argv[3], argv[i]);
	segment_list_release(&raw);
	strlist_release(&names);
	sbuf_release(&err);
	return 0;
}
