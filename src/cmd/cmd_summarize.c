/*
 * cmd_summarize.c - "podcast_scraper summarize TEXT": one transcript file in,
 * its summary out (text, or JSON with --format json).
 */
#include "cmd/cmd.h"
#include "log/log.h"
#include "stages/stages.h"
#include "summarize/summarize.h"
#include "transcript/transcript.h"
#include "util/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#define SUMMARIZE_MAX_INPUT (64 << 20)

static char *opt_out, *opt_format;

static const struct cli_extra extras[] = {
	{ "out", 'o', "FILE", "write the summary to FILE instead of standard output", &opt_out },
	{ "format", 0, "FMT", "text (default) or json", &opt_format },
};

static const struct cmd_usage usage = {
	"podcast_scraper summarize [OPTIONS] TEXT",
	"Summarizes one transcript (plain text, VTT, SRT, or JSON segments) with the\n"
	"configured summary_provider (textrank by default, embedded).",
	extras, ARRAY_SIZE(extras), false, "main",
};

/* Reads path into segments, whatever transcript format it is in. */
static int load_transcript(const char *path, struct segment_list *segs, struct sbuf *err)
{
	struct sbuf data = SBUF_INIT(SUMMARIZE_MAX_INPUT);
	int r = fs_read_file(path, &data, err);

	if (!r) {
		enum transcript_format f = transcript_detect(NULL, NULL, path, data.buf, data.len);

		r = transcript_parse(f, data.buf, data.len, segs, err);
		if (r < 0) {
			struct sbuf why = SBUF_INIT(4096);

			sbuf_addf(&why, "'%s': %s", path, err->buf);
			sbuf_setf(err, "%s", why.buf);
			sbuf_release(&why);
		}
	}
	sbuf_release(&data);
	return r;
}

static void render(const struct summary *s, bool json, struct sbuf *out)
{
	if (json) {
		json_t *o = json_object(), *kp = json_array();
		char *text;

		for (size_t i = 0; i < s->key_points.nr; i++)
			json_array_append_new(kp, json_string(s->key_points.items[i]));
		json_object_set_new(o, "short_summary", json_string(s->short_summary));
		json_object_set_new(o, "key_points", kp);
		json_object_set_new(o, "provider", json_string(s->provider));
		json_object_set_new(o, "word_count", json_integer(s->word_count));
		json_object_set_new(o, "transcript_word_count", json_integer(s->transcript_word_count));
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		sbuf_addf(out, "%s\n", text);
		free(text);
		json_decref(o);
		return;
	}
	sbuf_addf(out, "%s\n\nKey points:\n", s->short_summary);
	for (size_t i = 0; i < s->key_points.nr; i++)
		sbuf_addf(out, "- %s\n", s->key_points.items[i]);
}

static int summarize_file(const struct config *c, const char *path, bool json,
			  struct sbuf *out, struct sbuf *err)
{
	struct summarize_config sc;
	struct summarize_options so = { (int)c->summary_sentences };
	struct segment_list segs = SEGMENT_LIST_INIT;
	struct sbuf cleaned = SBUF_INIT(SBUF_NOLIMIT);
	struct summarizer s = { 0 };
	struct summary sum = { 0 };
	int r = load_transcript(path, &segs, err);

	stages_summarize_config(c, &sc);
	if (!r)
		r = summarize_clean_segments(&segs, &cleaned);
	if (r >= 0)
		r = summarize_open(&s, stages_summarize_engine(c), &sc, err);
	if (r >= 0) {
		r = summarize_run(&s, cleaned.buf, &so, &sum, err);
		summarize_close(&s);
	}
	if (r >= 0)
		render(&sum, json, out);
	summary_release(&sum);
	segment_list_release(&segs);
	sbuf_release(&cleaned);
	return r;
}

int cmd_summarize(int argc, char **argv)
{
	struct config c;
	struct sbuf err = SBUF_INIT(8192), out = SBUF_INIT(SBUF_NOLIMIT);
	bool json;
	int code;

	config_init(&c);
	code = cmd_setup(argc, argv, &c, &usage);
	if (code >= 0)
		goto done;
	code = PC_EXIT_USAGE;
	if (c.positional.nr != 1) {
		cmd_error("summarize takes one transcript file (see summarize --help)");
		goto done;
	}
	if (opt_format && strcmp(opt_format, "json") && strcmp(opt_format, "text")) {
		cmd_error("option --format: '%s' is not text or json", opt_format);
		goto done;
	}
	json = opt_format && !strcmp(opt_format, "json");
	code = PC_EXIT_FATAL;
	if (summarize_file(&c, c.positional.items[0], json, &out, &err) < 0)
		cmd_error("%s", err.buf);
	else
		code = cmd_emit(opt_out, &out);
done:
	config_release(&c);
	sbuf_release(&err);
	sbuf_release(&out);
	pc_freep(&opt_out);
	pc_freep(&opt_format);
	return code;
}
