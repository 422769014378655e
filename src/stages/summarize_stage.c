/*
 * summarize_stage.c - the summarization handler: cleaned transcript in,
 * summary out (in the response: summaries are small).
 */
#include "stages/stages.h"
#include "util/fs.h"
#include "worker/worker.h"

#include <stdlib.h>

#define SUMMARY_INPUT_MAX (64 << 20)

struct summarizer_stage {
	struct summarizer s;
	struct summarize_options opts;
	const char *device;
};

static int summarizer_open(const struct config *c, void **engine, struct sbuf *err)
{
	struct summarizer_stage *st = pc_calloc(1, sizeof(*st));
	struct summarize_config sc;
	bool downgraded;
	int r;

	stages_summarize_config(c, &sc);
	r = summarize_open(&st->s, stages_summarize_engine(c), &sc, err);

	if (r < 0) {
		free(st);
		return r;
	}
	st->opts.summary_sentences = (int)c->summary_sentences;
	st->device = stages_summarize_device(c, &downgraded);
	*engine = st;
	return 0;
}

static json_t *response_for(const struct summary *s)
{
	json_t *kp = json_array();

	for (size_t i = 0; i < s->key_points.nr; i++)
		json_array_append_new(kp, json_string(s->key_points.items[i]));
	return json_pack("{s:s, s:o, s:s, s:I, s:I}", "short_summary", s->short_summary,
			 "key_points", kp, "provider", s->provider, "word_count",
			 (json_int_t)s->word_count, "transcript_word_count",
			 (json_int_t)s->transcript_word_count);
}

/* Names the summary must spell right (remote engines pass them on). */
static void set_speakers(struct summarizer_stage *st, json_t *names)
{
	struct strlist l = STRLIST_INIT;
	json_t *v;
	size_t i;

	json_array_foreach(names, i, v)
		if (json_is_string(v))
			strlist_push(&l, json_string_value(v));
	summarize_set_speakers(&st->s, (const char *const *)l.items, l.nr);
	strlist_release(&l);
}

static int summarizer_run(void *engine, json_t *request, json_t **response, struct sbuf *err)
{
	struct summarizer_stage *st = engine;
	const char *input = json_string_value(json_object_get(request, "input"));
	struct sbuf text = SBUF_INIT(SUMMARY_INPUT_MAX);
	struct summary sum = { 0 };
	int r;

	if (!input) {
		sbuf_setf(err, "summarization request without an input path");
		return -PC_EUSAGE;
	}
	set_speakers(st, json_object_get(request, "speakers"));
	r = fs_read_file(input, &text, err);
	if (!r)
		r = summarize_run(&st->s, text.buf, &st->opts, &sum, err);
	if (!r)
		*response = response_for(&sum);
	summary_release(&sum);
	sbuf_release(&text);
	return r;
}

static void summarizer_close(void *engine)
{
	struct summarizer_stage *st = engine;

	summarize_close(&st->s);
	free(st);
}

static const char *summarizer_device(void *engine, const struct config *c)
{
	(void)c;
	return ((struct summarizer_stage *)engine)->device;
}

const struct stage_handler stages_summarize_handler = {
	"summarize", STAGE_SUMMARIZE, summarizer_open, summarizer_run,
	summarizer_close, summarizer_device,
};
