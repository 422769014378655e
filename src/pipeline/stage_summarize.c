/*
 * stage_summarize.c - the summarization stage of an episode: the cleaned
 * transcript in, a summary out, then the episode's metadata.
 */
#include "pipeline/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/stage.h"
#include "util/timeutil.h"

#include <stdlib.h>

void summarize_submit(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;
	struct summarize_config sc = { c->openai_api_base, c->openai_api_key,
				       c->openai_summary_model, c->openai_temperature,
				       c->summarization_timeout };
	struct summarize_options so = { (int)c->summary_sentences };
	struct summarizer s = { 0 };
	struct sbuf err = SBUF_INIT(4096), text = SBUF_INIT(SBUF_NOLIMIT);
	char *path = fs_join(ej->fj->dir, ej->cleaned_rel);
	double t0 = time_mono();
	int r;

	crash_stage_enter(STAGE_SUMMARIZE, ej->id);
	r = fs_read_file(path, &text, &err);
	if (!r)
		r = summarize_open(&s, c->summary_provider == SUMMARY_PROVIDER_OPENAI ?
				   "openai" : "textrank", &sc, &err);
	if (!r) {
		r = summarize_run(&s, text.buf, &so, &ej->summary, &err);
		summarize_close(&s);
	}
	ej->t_summarize += time_mono() - t0;
	if (r < 0) {
		episode_fail(ej, "summarize", "%s", err.buf);
	} else {
		ej->has_summary = true;
		ej->fj->run->totals->summaries++;
		store_run_count(ej->fj->artifacts, STORE_SUMMARIES, 1);
		output_write_episode(ej);
	}
	free(path);
	sbuf_release(&err);
	sbuf_release(&text);
}
