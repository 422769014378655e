/*
 * transcribe_stage.c - the transcription handler: audio file in, segments
 * JSON out.  Runs where the worker runs (its own process by default), loads
 * the engine once in open() and serves many episodes.
 */
#include "stages/stages.h"
#include "asr/asr.h"
#include "diarize/diarize.h"
#include "log/log.h"
#include "text/text.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "worker/worker.h"

#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct transcriber {
	struct asr_engine *asr;    /* NULL while the decoder is released */
	struct asr_options opts;
	const char *engine_name;   /* the engine's, kept while it is released */
	const char *model;
	bool remote;
	struct strlist owned;      /* copies of the config strings opts points at */
	const char *device;
	bool diarize;
	struct diarize_options dopts;
};

static const char *keep(struct transcriber *t, const char *s)
{
	if (!s)
		return NULL;
	strlist_push(&t->owned, s);
	return t->owned.items[t->owned.nr - 1];
}

/*
 * whisper_model is kept for compatibility: the local sizes name nothing a
 * server knows, any other name is the remote model to use.
 */
const char *stages_transcribe_model(const struct config *c)
{
	static const char *const local[] = { "tiny", "base", "small", "medium", "large" };

	for (size_t i = 0; c->whisper_model && i < ARRAY_SIZE(local); i++)
		if (!strncmp(c->whisper_model, local[i], strlen(local[i])))
			return c->openai_transcription_model;
	return c->whisper_model ? c->whisper_model : c->openai_transcription_model;
}

static void options_from_config(struct transcriber *t, const struct config *c)
{
	t->opts = (struct asr_options)ASR_OPTIONS_INIT;
	t->opts.engine = stages_transcribe_engine(c);
	t->opts.model_dir = keep(t, c->asr_model_dir);
	t->opts.workers = (int)c->transcription_workers;
	t->opts.preprocess = c->preprocessing_enabled;
	t->opts.max_silence = c->preprocessing_silence_duration;
	/* checked by config_validate; the default stays on a bad value */
	config_silence_db(c->preprocessing_silence_threshold, &t->opts.silence_db);
	t->opts.passes = (int)c->asr_passes;
	t->opts.api_base = keep(t, c->openai_api_base);
	t->opts.api_key = keep(t, c->openai_api_key);
	t->opts.model = keep(t, stages_transcribe_model(c));
	t->opts.language = keep(t, c->language);
	t->opts.timeout = c->timeout;
	/* a server may think as long as the whole transcription may take */
	t->opts.think = c->transcription_timeout;
	/* auto: this stage only runs when a transcript is made from the audio,
	 * and the audio is here whichever engine listens to it. */
	t->diarize = c->diarization != TRI_OFF;
	t->dopts = (struct diarize_options)DIARIZE_OPTIONS_INIT;
	t->dopts.num_speakers = (int)c->num_speakers;
	t->dopts.preprocess = c->preprocessing_enabled;
	t->dopts.max_silence = t->opts.max_silence;
	t->dopts.silence_db = t->opts.silence_db;
}

static int engine_load(struct transcriber *t, struct sbuf *err)
{
	int r = asr_engine_open(&t->asr, &t->opts, err);

	if (r < 0 || t->engine_name)
		return r;
	t->engine_name = keep(t, asr_engine_name(t->asr));
	t->model = keep(t, asr_engine_model(t->asr));
	t->remote = asr_engine_devices(t->asr) & ASR_DEVICE_REMOTE;
	return 0;
}

static int transcriber_open(const struct config *c, void **engine, struct sbuf *err)
{
	struct transcriber *t = pc_calloc(1, sizeof(*t));
	bool downgraded;
	int r;

	options_from_config(t, c);
	t->device = stages_transcribe_device(c, &downgraded);
	r = engine_load(t, err);
	if (r < 0) {
		strlist_release(&t->owned);
		free(t);
		return r;
	}
	*engine = t;
	return 0;
}

/*
 * The local decoder (~130 MB with a show's model) is given back before
 * diarization, so that the two never hold memory at once: that keeps a
 * long episode's worker within its budget (docs/BENCHMARKS.md, Memory).
 * The next episode loads it again (about a second, against the seconds a
 * show's model takes to build anyway).  A remote engine holds next to
 * nothing and stays.
 */
static void engine_release(struct transcriber *t)
{
	if (t->remote || !t->asr)
		return;
	asr_engine_close(t->asr);
	t->asr = NULL;
	/* freed pages sit in the heap until trimmed */
	malloc_trim(0);
	log_debug("transcribe", "decoder released before diarization");
}

static void string_list(json_t *words, struct strlist *out)
{
	json_t *v;
	size_t i;

	json_array_foreach(words, i, v)
		if (json_is_string(v))
			strlist_push(out, json_string_value(v));
}

/*
 * The embedded recognizer hears words without case or punctuation: its
 * output becomes sentences, with the episode's names capitalized as
 * written.  A remote engine's text is kept as its server wrote it.
 */
static void make_readable(const struct transcriber *t, const struct strlist *names,
			  struct segment_list *segs)
{
	struct text_options o = TEXT_OPTIONS_INIT;

	if (t->remote)
		return;
	o.names = (const char *const *)names->items;
	o.nr_names = names->nr;
	text_sentences(segs, &o);
}

static json_t *response_for(const struct transcriber *t, const struct asr_stats *st)
{
	return json_pack("{s:s, s:s, s:f, s:f, s:f, s:I}", "engine", t->engine_name,
			 "model", t->model, "audio_seconds", st->audio_seconds,
			 "decode_seconds", st->decode_seconds, "recognize_seconds",
			 st->recognize_seconds, "segments", (json_int_t)st->segments);
}

/* {method, voices, seconds_by_speaker{SPEAKER_n: s}, seconds} */
static json_t *diarization_json(const struct diarize_result *r, const struct diarize_stats *st)
{
	json_t *by = json_object();
	struct sbuf label = SBUF_INIT(64);

	for (int i = 0; i < r->speakers; i++) {
		sbuf_setf(&label, DIARIZE_LABEL_PREFIX "%d", i);
		json_object_set_new(by, label.buf, json_real(round(r->seconds[i] * 100) / 100));
	}
	sbuf_release(&label);
	return json_pack("{s:s, s:i, s:o, s:f}", "method", DIARIZE_METHOD, "voices", r->speakers,
			 "seconds_by_speaker", by, "seconds", st->seconds);
}

/*
 * Speakers for the segments from the audio.  A failure here costs the
 * speakers, never the transcript: it is reported in the response instead.
 */
static json_t *diarize_segments(const struct transcriber *t, const char *input,
				struct segment_list *segs)
{
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct diarize_stats st = { 0 };
	struct sbuf err = SBUF_INIT(4096);
	json_t *out;

	if (diarize_file(input, &t->dopts, &r, &st, &err) < 0) {
		out = json_pack("{s:s}", "error", err.buf);
	} else {
		diarize_label_segments(&r, segs);
		out = diarization_json(&r, &st);
	}
	diarize_result_release(&r);
	sbuf_release(&err);
	return out;
}

static int transcriber_run(void *engine, json_t *request, json_t **response, struct sbuf *err)
{
	struct transcriber *t = engine;
	const char *input = json_string_value(json_object_get(request, "input"));
	const char *output = json_string_value(json_object_get(request, "output"));
	struct segment_list segs = SEGMENT_LIST_INIT;
	struct sbuf json = SBUF_INIT(SBUF_NOLIMIT);
	struct strlist names = STRLIST_INIT;
	struct asr_stats stats = { 0 };
	json_t *diarization = NULL;
	int r;

	if (!input || !output) {
		sbuf_setf(err, "transcription request without input or output path");
		return -PC_EUSAGE;
	}
	string_list(json_object_get(request, "words"), &names);
	r = t->asr ? 0 : engine_load(t, err);
	if (!r && names.nr)
		r = asr_add_words(t->asr, (const char *const *)names.items, names.nr, err);
	if (!r)
		r = asr_set_context(t->asr, json_string_value(json_object_get(request, "context")),
				    err);
	if (!r)
		r = asr_engine_transcribe(t->asr, input, &t->opts, &segs, &stats, err);
	if (!r && t->diarize && segment_list_timed(&segs)) {
		engine_release(t);
		diarization = diarize_segments(t, input, &segs);
	}
	if (!r) {
		make_readable(t, &names, &segs);
		transcript_to_segments_json(&segs, &json);
		r = fs_write_atomic(output, json.buf, json.len, err);
	}
	if (!r) {
		*response = response_for(t, &stats);
		if (diarization)
			json_object_set(*response, "diarization", diarization);
	}
	json_decref(diarization);
	segment_list_release(&segs);
	strlist_release(&names);
	sbuf_release(&json);
	return r;
}

static void transcriber_close(void *engine)
{
	struct transcriber *t = engine;

	asr_engine_close(t->asr);
	strlist_release(&t->owned);
	free(t);
}

static const char *transcriber_device(void *engine, const struct config *c)
{
	(void)c;
	return ((struct transcriber *)engine)->device;
}

const struct stage_handler stages_transcribe_handler = {
	"transcribe", STAGE_TRANSCRIBE, transcriber_open, transcriber_run,
	transcriber_close, transcriber_device,
};
