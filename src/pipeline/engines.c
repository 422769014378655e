/*
 * engines.c - the coordinator's side of the transcription and summarization
 * stages.
 *
 * Engines never run in this process with isolation: process (the default):
 * jobs go to supervised worker pools (src/worker), which survive crashes,
 * hangs and retries on their own; here we only build requests, poll for
 * results from the event loop and turn results into files.  Pools are made
 * when first needed, so a run of published transcripts starts no worker.
 * With mps_exclusive, stages whose device is the same accelerator share a
 * device gate: transcription drains before summarization takes the device.
 */
#include "pipeline/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "stages/stages.h"
#include "asr/asr.h"
#include "audio/audio.h"
#include "util/fs.h"
#include "util/stage.h"
#include "worker/worker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void warn_device_once(const char *stage, int asked, const char *engine, bool downgraded)
{
	if (downgraded)
		log_warn(stage, "%s cannot use %s; %s runs on cpu", engine, config_device_name(asked),
			 stage);
}

/* The run manifest names each stage's engine, model and devices once it has run. */
static void record_engine(struct episode_job *ej, const char *stage, const char *engine,
			  const char *model, int asked, const char *used)
{
	struct store_engine e = { engine, model, { config_device_name(asked), used } };

	store_run_set_engine(ej->fj->artifacts, stage, &e);
}

/*
 * worker_memory_limit is per engine instance: a transcription worker holds
 * one decoder (each with its own model copy) per transcription_workers.
 */
static struct stage_pool *make_pool(struct run *r, const char *handler, int workers,
				    int instances, long timeout, const char *device,
				    struct sbuf *err)
{
	const struct config *c = r->cfg;
	struct stage_pool_options o = {
		.handler = handler,
		.workers = workers,
		.isolation = c->isolation,
		.timeout_s = (double)timeout,
		.retries = (int)c->stage_retries,
		.model_cleanup = c->model_cleanup,
		.threads = (int)c->threads,
		.memory_limit = c->worker_memory_limit * instances,
		.config = c,
		.device = device,
	};
	struct stage_pool *p = stage_pool_new(&o, err);

	if (p && r->gate && strcmp(device, "cpu") && strcmp(device, "remote"))
		stage_pool_set_gate(p, r->gate);
	return p;
}

/* One gate when both stages would share one accelerator and mps_exclusive holds. */
static void setup_gate(struct run *r)
{
	bool d1, d2;
	const char *t = stages_transcribe_device(r->cfg, &d1);
	const char *s = stages_summarize_device(r->cfg, &d2);

	if (r->gate || !r->cfg->mps_exclusive || strcmp(t, s) || !strcmp(t, "cpu") ||
	    !strcmp(t, "remote"))
		return;
	r->gate = device_gate_new(t);
	log_info("main", "stages on %s run one at a time (mps_exclusive)", t);
}

static struct stage_pool *transcribe_pool(struct run *r, struct sbuf *err)
{
	const struct config *c = r->cfg;
	bool downgraded;
	const char *device = stages_transcribe_device(c, &downgraded);

	if (!r->transcribe_pool) {
		setup_gate(r);
		warn_device_once("transcribe", c->whisper_device, stages_transcribe_engine(c),
				 downgraded);
		/* one worker process; it decodes utterances on transcription_workers threads */
		r->transcribe_pool = make_pool(r, "transcribe", 1,
					       asr_instances(stages_transcribe_engine(c),
							     (int)c->transcription_workers),
					       c->transcription_timeout, device, err);
	}
	return r->transcribe_pool;
}

static struct stage_pool *summarize_pool(struct run *r, struct sbuf *err)
{
	const struct config *c = r->cfg;
	bool downgraded;
	const char *device = stages_summarize_device(c, &downgraded);

	if (!r->summarize_pool) {
		setup_gate(r);
		warn_device_once("summarize", c->summary_device, stages_summarize_engine(c),
				 downgraded);
		r->summarize_pool = make_pool(r, "summarize", (int)c->summarization_workers, 1,
					      c->summarization_timeout, device, err);
	}
	return r->summarize_pool;
}

static char *work_path(const struct episode_job *ej, const char *suffix)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_addf(&sb, "%s/.work/%s%s", ej->fj->dir, ej->stem, suffix);
	return sbuf_detach(&sb, NULL);
}

static void note_stage_result(struct episode_job *ej, const struct stage_result *res,
			      char **device)
{
	ej->attempts += res->attempts - 1;
	ej->worker_crashes += res->crashes;
	store_run_count(ej->fj->artifacts, STORE_WORKER_CRASHES, res->crashes);
	store_run_count(ej->fj->artifacts, STORE_RETRIES, res->attempts - 1);
	free(*device);
	*device = pc_strdup(res->device_used ? res->device_used : "cpu");
}

static int load_segments(struct episode_job *ej, const char *path, struct sbuf *err)
{
	struct sbuf data = SBUF_INIT(SBUF_NOLIMIT);
	int r = fs_read_file(path, &data, err);

	segment_list_release(&ej->segments);
	if (!r)
		r = transcript_parse(TRANSCRIPT_JSON, data.buf, data.len, &ej->segments, err);
	sbuf_release(&data);
	return r;
}

static void discard_work_segments(const struct episode_job *ej)
{
	char *segs = work_path(ej, ".asr.json");

	unlink(segs);
	free(segs);
}

static void remove_work_media(struct episode_job *ej)
{
	char *path;

	if (media_kept(ej->fj->run->cfg) || !ej->media_rel)
		return;
	path = fs_join(ej->fj->dir, ej->media_rel);
	unlink(path);
	free(path);
	pc_freep(&ej->media_rel);
}

static void copy_engine(struct episode_job *ej, json_t *response)
{
	const char *engine = json_string_value(json_object_get(response, "engine"));
	const char *model = json_string_value(json_object_get(response, "model"));

	free(ej->asr_engine);
	free(ej->asr_model);
	ej->asr_engine = engine ? pc_strdup(engine) : NULL;
	ej->asr_model = model ? pc_strdup(model) : NULL;
}

/* Decoding runs inside the transcription job; its share becomes the decode stage. */
static void split_decode_time(struct episode_job *ej, const struct stage_result *res)
{
	double decode = json_number_value(json_object_get(res->response, "decode_seconds"));

	if (decode > 0 && decode <= ej->t_transcribe) {
		ej->t_decode += decode;
		ej->t_transcribe -= decode;
	}
}

/* Stage pool callbacks: record the result, let the lifecycle go on. */
static void on_stage_done(struct stage_pool *pool, struct stage_result *res, void *udata)
{
	struct episode_job *ej = udata;

	(void)pool;
	ej->stage_res = res;
	episode_advance(ej);
	ej->stage_res = NULL;
}

static int write_transcribed(struct episode_job *ej, struct sbuf *err)
{
	char *segs = work_path(ej, ".asr.json");
	int r = load_segments(ej, segs, err);

	if (r >= 0) {
		output_name_voices(ej, ej->stage_res->response);
		r = output_generated_transcript(ej, err);
	}
	unlink(segs);
	free(segs);
	return r;
}

void transcribe_settle(struct episode_job *ej)
{
	const struct stage_result *res = ej->stage_res;
	struct sbuf err = SBUF_INIT(4096);

	ej->t_transcribe += res->seconds;
	note_stage_result(ej, res, &ej->device_transcribe);
	remove_work_media(ej);
	if (res->code < 0) {
		discard_work_segments(ej);
		episode_record_failure(ej, "transcribe", "%s", res->error ? res->error : "failed");
		goto out;
	}
	copy_engine(ej, res->response);
	split_decode_time(ej, res);
	record_engine(ej, "transcription", ej->asr_engine, ej->asr_model,
		      ej->fj->run->cfg->whisper_device, ej->device_transcribe);
	if (write_transcribed(ej, &err) < 0) {
		episode_record_failure(ej, "transcribe", "transcript could not be written: %s",
				       err.buf);
		goto out;
	}
	ej->transcript_source = "whisper_transcription";
	ej->fj->run->totals->transcribed++;
	store_run_count(ej->fj->artifacts, STORE_TRANSCRIPTS_TRANSCRIBED, 1);
	ej->outcome = EP_OUT_OK;
out:
	sbuf_release(&err);
}

/* Names to teach the recognizer before it hears the episode. */
static void names_to_know(const struct episode_job *ej, struct strlist *out)
{
	const struct config *c = ej->fj->run->cfg;
	struct speakers_options so = { &c->known_hosts, &c->speaker_names, c->auto_speakers };
	struct speaker_list l = { 0 };

	speakers_detect(&ej->fj->feed, ej->ep, &so, NULL, &l);
	for (size_t i = 0; i < l.nr; i++)
		strlist_push(out, l.items[i].name);
	speaker_list_release(&l);
}

/* The show's text rides with the request; the local engine builds a model of it. */
static void add_show_text(const struct episode_job *ej, const struct strlist *names,
			  json_t *req)
{
	struct sbuf text = SBUF_INIT(ASR_CONTEXT_MAX);

	pipeline_show_text(ej, names, &text);
	json_object_set_new(req, "context", json_stringn(text.buf, text.len));
	sbuf_release(&text);
}

/*
 * A transcription's time limit grows with its audio: transcription_timeout,
 * the time any job may take to start a worker and load a model, plus
 * transcription_timeout_per_audio_second for each second of audio, the
 * length its header states (whole seconds, so the message adds up).  Audio
 * whose length cannot be read gets transcription_timeout alone; its decoding
 * in the worker will say what is wrong with it.  why says how, for the
 * message of a job killed at the limit.
 */
static double transcription_limit(const struct episode_job *ej, const char *media,
				  struct sbuf *why)
{
	const struct config *c = ej->fj->run->cfg;
	double per = c->transcription_timeout_per_audio_second, secs = 0;
	struct sbuf err = SBUF_INIT(4096);

	sbuf_addf(why, "transcription_timeout %ld s", c->transcription_timeout);
	if (per > 0 && audio_probe_duration(media, &secs, &err) < 0) {
		log_debug("transcribe", "episode %s: %s", ej->id, err.buf);
		sbuf_adds(why, "; the audio's length is unknown");
	} else if (per > 0) {
		secs = floor(secs + 0.5);
		sbuf_addf(why, " + %g s per audio second for %.0f s of audio", per, secs);
	}
	sbuf_release(&err);
	log_debug("transcribe", "episode %s: time limit %g s (%s)", ej->id,
		  (double)c->transcription_timeout + per * secs, why->buf);
	return (double)c->transcription_timeout + per * secs;
}

static void submit_transcription(struct episode_job *ej, struct stage_pool *pool,
				 const char *media, json_t *req)
{
	struct sbuf why = SBUF_INIT(4096);
	struct stage_limit limit;

	limit.seconds = transcription_limit(ej, media, &why);
	limit.why = why.buf;
	stage_pool_submit_limited(pool, req, &limit, on_stage_done, ej);	/* takes req */
	sbuf_release(&why);
}

void transcribe_enter(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);
	struct stage_pool *pool = transcribe_pool(ej->fj->run, &err);
	struct strlist words = STRLIST_INIT;
	char *media = fs_join(ej->fj->dir, ej->media_rel);
	char *segs = work_path(ej, ".asr.json");
	char *work = fs_join(ej->fj->dir, ".work");

	if (!pool) {
		episode_record_failure(ej, "transcribe", "the transcription stage could not start: "
				       "%s", err.buf);
	} else if (fs_mkdir_p(work, &err) < 0) {
		/* the result goes to .work/ even when the audio is kept under media/ */
		episode_record_failure(ej, "transcribe", "%s", err.buf);
	} else {
		json_t *req;

		names_to_know(ej, &words);
		req = stages_transcribe_request(ej->id, media, segs, &words);
		add_show_text(ej, &words, req);
		submit_transcription(ej, pool, media, req);
	}
	strlist_release(&words);
	sbuf_release(&err);
	free(media);
	free(segs);
	free(work);
}

static void record_summary(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;

	record_engine(ej, "summarization", ej->summary.provider,
		      c->summary_provider == SUMMARY_PROVIDER_OPENAI ? c->openai_summary_model :
		      NULL, c->summary_device, ej->device_summarize);
	ej->has_summary = true;
	ej->fj->run->totals->summaries++;
	store_run_count(ej->fj->artifacts, STORE_SUMMARIES, 1);
}

void summarize_settle(struct episode_job *ej)
{
	const struct stage_result *res = ej->stage_res;
	struct sbuf err = SBUF_INIT(4096);

	ej->t_summarize += res->seconds;
	note_stage_result(ej, res, &ej->device_summarize);
	if (res->code < 0) {
		episode_record_failure(ej, "summarize", "%s", res->error ? res->error : "failed");
	} else if (stages_summary_from_response(res->response, &ej->summary, &err) < 0) {
		episode_record_failure(ej, "summarize", "%s", err.buf);
	} else {
		record_summary(ej);
		ej->outcome = EP_OUT_OK;
	}
	sbuf_release(&err);
}

void summarize_enter(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);
	struct stage_pool *pool = summarize_pool(ej->fj->run, &err);
	struct strlist names = STRLIST_INIT;
	char *cleaned = fs_join(ej->fj->dir, ej->cleaned_rel);

	if (!pool) {
		episode_record_failure(ej, "summarize", "the summarization stage could not start: "
				       "%s", err.buf);
	} else {
		speakers_names_for_screenplay(&ej->speakers, &names);
		stage_pool_submit(pool, stages_summarize_request(ej->id, cleaned, &names),
				  on_stage_done, ej);	/* takes the request */
	}
	strlist_release(&names);
	sbuf_release(&err);
	free(cleaned);
}

static void free_pools(struct run *r);

/*
 * The run is stopping (Ctrl-C, fail_fast, max_failures): queued stage jobs
 * must not keep it going for as long as they take.  Results already in are
 * used; then the pools stop (running workers are killed) and the episodes
 * whose jobs were dropped are "interrupted": pending in state, redone next run.
 */
static void abandon_jobs(struct run *r)
{
	if (r->transcribe_pool)
		stage_pool_poll(r->transcribe_pool, 0);
	if (r->summarize_pool)
		stage_pool_poll(r->summarize_pool, 0);
	free_pools(r);
	for (size_t i = 0; i < r->nr_feeds; i++) {
		for (size_t j = 0; j < r->feeds[i].nr_episodes; j++) {
			struct episode_job *ej = &r->feeds[i].episodes[j];

			if (ej->state == EP_TRANSCRIBE)
				discard_work_segments(ej);
			if (ej->state == EP_TRANSCRIBE || ej->state == EP_SUMMARIZE) {
				episode_record_interrupt(ej, ej->state == EP_TRANSCRIBE ?
							 "transcribe" : "summarize");
				episode_advance(ej);
			}
		}
	}
}

int engines_poll(struct run *r, int timeout_ms)
{
	int pending = 0;

	if (r->stopping && (r->transcribe_pool || r->summarize_pool))
		abandon_jobs(r);
	if (r->transcribe_pool)
		pending += stage_pool_poll(r->transcribe_pool, timeout_ms);
	if (r->summarize_pool)
		pending += stage_pool_poll(r->summarize_pool, pending ? 0 : timeout_ms);
	return pending;
}

/* Can any episode of the run still submit a job to `stage`? */
static bool may_still_reach(const struct run *r, enum ep_state stage)
{
	for (size_t i = 0; i < r->nr_feeds; i++) {
		const struct feed_job *fj = &r->feeds[i];

		if (!fj->parsed && !fj->failed)
			return true;
		for (size_t j = 0; j < fj->nr_episodes; j++)
			if (ep_may_still_enter(fj->episodes[j].state, stage))
				return true;
	}
	return false;
}

void engines_drain_hints(struct run *r)
{
	if (r->transcribe_pool && !r->transcribe_drained &&
	    !may_still_reach(r, EP_TRANSCRIBE)) {
		r->transcribe_drained = true;
		stage_pool_drain_hint(r->transcribe_pool);
	}
	if (r->summarize_pool && !r->summarize_drained &&
	    !may_still_reach(r, EP_SUMMARIZE)) {
		r->summarize_drained = true;
		stage_pool_drain_hint(r->summarize_pool);
	}
}

static void log_pool_stats(const char *stage, struct stage_pool *p)
{
	struct stage_pool_stats st;

	stage_pool_stats(p, &st);
	log_info(stage, "%ld jobs, %ld failed, %ld worker crashes, %ld timeouts, "
		 "%ld workers started", st.jobs, st.failed, st.crashes, st.timeouts,
		 st.workers_spawned);
}

static void free_pools(struct run *r)
{
	if (r->transcribe_pool) {
		log_pool_stats("transcribe", r->transcribe_pool);
		stage_pool_free(r->transcribe_pool);
	}
	if (r->summarize_pool) {
		log_pool_stats("summarize", r->summarize_pool);
		stage_pool_free(r->summarize_pool);
	}
	r->transcribe_pool = r->summarize_pool = NULL;
}

void engines_free(struct run *r)
{
	free_pools(r);
	if (r->gate)
		device_gate_free(r->gate);
	r->gate = NULL;
}
